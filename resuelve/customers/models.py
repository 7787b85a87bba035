from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.core.prepared import PreparedInsertModel
from resuelve.core.text import fold
from resuelve.customers.phones import significant_digits


class Region(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Branch(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="branches"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    is_service = models.BooleanField(_("is a service"), default=False)

    class Meta:
        verbose_name = _("product or service")
        verbose_name_plural = _("products and services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    NONE = "none", _("Not a member")
    SILVER = "silver", _("Silver member")
    GOLD = "gold", _("Gold member")
    PLATINUM = "platinum", _("Platinum member")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")
    MESSAGING = "messaging", _("Messaging app")
    LETTER = "letter", _("Letter")


# The Customer field that holds each channel's consent (True until the customer withdraws it).
CONSENT_FIELDS = {
    ContactChannel.EMAIL: "consent_email",
    ContactChannel.PHONE: "consent_phone",
    ContactChannel.SMS: "consent_sms",
    ContactChannel.MESSAGING: "consent_messaging",
    ContactChannel.LETTER: "consent_letter",
}


class Customer(PreparedInsertModel):
    external_ref = models.CharField(
        _("external reference"), max_length=80, unique=True, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    # Kept lower-case by save(), so a lookup is an indexed equality on every database.
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The phone's last ten digits, kept by save(): what lookups by phone compare, indexed.
    phone_digits = models.CharField(max_length=10, blank=True, editable=False)
    # The name without case or accents, kept by save(): what lookups by name compare.
    search_name = models.CharField(max_length=200, blank=True, editable=False)
    id_document = models.CharField(_("ID document"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="es"
    )
    tier = models.CharField(
        _("membership tier"), max_length=10, choices=Tier.choices, default=Tier.NONE
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"),
        max_length=10,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
    )
    contact_hours = models.CharField(
        _("preferred contact hours"), max_length=80, blank=True, help_text=_("e.g. weekdays 9-12")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
    )
    # ISO 3166 code: whose public holidays are the customer's occasions; blank: the company's.
    country = models.CharField(_("country"), max_length=2, blank=True)
    # IANA zone the customer lives in; blank: the company's TIME_ZONE.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    renewal_on = models.DateField(_("membership renewal due"), null=True, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    # Consents per channel: True until the customer withdraws it (ConsentChange keeps the history).
    consent_email = models.BooleanField(_("may be contacted by e-mail"), default=True)
    consent_phone = models.BooleanField(_("may be called"), default=True)
    consent_sms = models.BooleanField(_("may receive text messages"), default=True)
    consent_messaging = models.BooleanField(_("may be contacted on messaging apps"), default=True)
    consent_letter = models.BooleanField(_("may receive letters"), default=True)
    # In the customer's local time. Quiet hours may wrap midnight (22:00-07:00).
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    contact_from = models.TimeField(_("best time to call from"), null=True, blank=True)
    contact_until = models.TimeField(_("best time to call until"), null=True, blank=True)
    # ISO weekdays (1 Monday ... 7 Sunday) the customer prefers, e.g. "12345"; blank: any day.
    contact_days = models.CharField(_("preferred days"), max_length=7, blank=True)
    last_contact_at = models.DateTimeField(_("last contacted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["name"], name="customer_name_idx"),
            models.Index(fields=["phone_digits"], name="customer_phone_idx"),
            models.Index(fields=["tier", "member_since"], name="customer_tier_idx"),
            models.Index(fields=["last_contact_at"], name="customer_contact_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def may_contact(self, channel: str) -> bool:
        """Whether the customer allows contact on `channel` (and has an address for it)."""
        field = CONSENT_FIELDS.get(channel)  # type: ignore[call-overload]
        if field is None or not getattr(self, field):
            return False
        if channel == ContactChannel.EMAIL:
            return bool(self.email)
        if channel in (ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.MESSAGING):
            return bool(self.phone_digits or self.phone)
        if channel == ContactChannel.LETTER:
            return bool(self.address)
        return True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalize_email(self.email)
        self.phone_digits = significant_digits(self.phone)
        self.search_name = fold(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_digits"}
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


def normalize_email(email: str | None) -> str:
    """How customers' e-mail addresses are stored and looked up: trimmed and lower-case."""
    return (email or "").strip().lower()


class Purchase(models.Model):
    # The shop's or ERP's own key, for idempotent imports and PUT /api/v1/purchases/{ref}.
    external_ref = models.CharField(
        _("external reference"), max_length=80, unique=True, null=True, blank=True
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="purchases"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="purchases"
    )
    order_number = models.CharField(_("order number"), max_length=60, db_index=True)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), null=True, blank=True, on_delete=models.SET_NULL
    )
    purchased_on = models.DateField(_("purchased on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="COP")
    batch = models.CharField(_("batch / lot"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        indexes = [models.Index(fields=["customer", "-purchased_on"], name="purchase_customer_idx")]

    def __str__(self) -> str:
        return f"{self.order_number} · {self.product}"


class ConsentSource(models.TextChoices):
    STAFF = "staff", _("Recorded by staff")
    CUSTOMER = "customer", _("Said by the customer")
    IMPORT = "import", _("Imported")
    API = "api", _("From the API")


class ConsentChange(models.Model):
    """Every grant or withdrawal of a channel's consent, kept for the record (append-only)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="consents"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(_("source"), max_length=10, choices=ConsentSource.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.channel} {self.granted}"


class ContactKind(models.TextChoices):
    SURVEY = "survey", _("Satisfaction survey")
    SURVEY_REMINDER = "survey_reminder", _("Survey reminder")
    REVISIT = "revisit", _("Revisit")
    INVITATION = "invitation", _("Invitation")
    MESSAGE = "message", _("Message")


class Contact(models.Model):
    """One contact the company made with a customer (a survey sent, a revisit call...):
    the customer page's history, and what "contacted recently" means for samples."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer", "-at"], name="contact_customer_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.at:%Y-%m-%d}"


class CustomerSample(models.Model):
    """A reproducible random sample of customers for a satisfaction study or an invitation
    (seed 001): the filters and the seed are stored, so drawing again gives the same people."""

    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    seed = models.BigIntegerField(_("random seed"))
    size = models.PositiveIntegerField(_("size asked"))
    population = models.PositiveIntegerField(_("customers who matched"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drawn"))

    class Meta:
        verbose_name = _("customer sample")
        verbose_name_plural = _("customer samples")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class SampleMember(models.Model):
    sample = models.ForeignKey(
        CustomerSample, verbose_name=_("sample"), on_delete=models.CASCADE, related_name="members"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("sample member")
        verbose_name_plural = _("sample members")
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "customer"], name="sample_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sample_id} #{self.position}: {self.customer_id}"


class ImportMapping(models.Model):
    """A saved column mapping for `import-customers` / `import-purchases` (--mapping NAME)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    target = models.CharField(
        _("imports"),
        max_length=10,
        choices=[("customers", _("Customers")), ("purchases", _("Purchases"))],
    )
    columns = models.JSONField(_("columns"), default=dict, help_text=_("field -> column heading"))

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")

    def __str__(self) -> str:
        return self.name

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
    LETTER = "letter", _("Letter")


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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["name"], name="customer_name_idx"),
            models.Index(fields=["phone_digits"], name="customer_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.name

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

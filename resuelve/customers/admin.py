from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from resuelve.customers.models import (
    Branch,
    ConsentChange,
    Contact,
    Customer,
    CustomerSample,
    ImportMapping,
    Product,
    Purchase,
    Region,
    Supplier,
)


class ReadOnlyMixin:
    """Append-only records (the consent history, the contact log, drawn samples): the admin
    shows them, and only the services write them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "city")
    list_filter = ("region",)
    search_fields = ("name", "city")


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "sku", "supplier", "is_service")
    list_filter = ("supplier", "is_service")
    search_fields = ("name", "sku")


class ConsentChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = ConsentChange
    fields = ("at", "channel", "granted", "source", "by", "note")
    readonly_fields = fields
    extra = 0
    show_change_link = False


class ContactInline(ReadOnlyMixin, admin.TabularInline):
    model = Contact
    fields = ("at", "channel", "kind", "summary", "by", "complaint")
    readonly_fields = fields
    extra = 0
    max_num = 0
    ordering = ("-at", "-id")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "phone", "tier", "language", "region", "last_contact_at")
    list_filter = ("tier", "language", "region", "preferred_channel")
    search_fields = ("name", "email", "phone", "external_ref")
    # Consents change through the customer page (consent_set keeps the history): read-only here.
    readonly_fields = (
        "consent_email",
        "consent_phone",
        "consent_sms",
        "consent_messaging",
        "consent_letter",
        "last_contact_at",
        "created_at",
    )
    fieldsets = (
        (
            _("Profile"),
            {
                "fields": (
                    "name",
                    "external_ref",
                    "email",
                    "phone",
                    "id_document",
                    "address",
                    "language",
                    "region",
                    "country",
                    "time_zone",
                    "birthday",
                )
            },
        ),
        (_("Membership"), {"fields": ("tier", "member_since", "renewal_on")}),
        (
            _("Contact preferences"),
            {
                "fields": (
                    "preferred_channel",
                    "contact_hours",
                    ("contact_from", "contact_until"),
                    "contact_days",
                    ("quiet_from", "quiet_until"),
                    "last_contact_at",
                )
            },
        ),
        (
            _("Consents"),
            {
                "fields": (
                    "consent_email",
                    "consent_phone",
                    "consent_sms",
                    "consent_messaging",
                    "consent_letter",
                ),
                "description": _("Changed on the staff customer page, which keeps the history."),
            },
        ),
        (None, {"fields": ("created_at",)}),
    )
    inlines = (ConsentChangeInline, ContactInline)


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ("order_number", "customer", "product", "purchased_on", "amount")
    search_fields = ("order_number",)
    raw_id_fields = ("customer",)
    list_select_related = ("customer", "product")


@admin.register(ConsentChange)
class ConsentChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "customer", "channel", "granted", "source", "by")
    list_filter = ("channel", "granted", "source")
    search_fields = ("customer__name", "customer__email", "note")
    list_select_related = ("customer", "by")
    date_hierarchy = "at"


@admin.register(Contact)
class ContactAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "customer", "channel", "kind", "summary", "by")
    list_filter = ("channel", "kind")
    search_fields = ("customer__name", "customer__email", "summary")
    list_select_related = ("customer", "by")
    date_hierarchy = "at"


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "target")
    list_filter = ("target",)
    search_fields = ("name",)


@admin.register(CustomerSample)
class CustomerSampleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "size", "population", "seed", "created_by", "created_at")
    search_fields = ("name", "purpose")
    readonly_fields = (
        "name",
        "purpose",
        "filters",
        "seed",
        "size",
        "population",
        "created_by",
        "created_at",
    )

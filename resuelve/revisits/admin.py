from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from resuelve.revisits.models import CallScript, Promotion, Revisit, RevisitSchedule, Specialist


@admin.register(RevisitSchedule)
class RevisitScheduleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "tier",
        "every_days",
        "starts_on",
        "birthdays",
        "anniversaries",
        "holidays",
        "renewal_notice_days",
        "active",
    )
    list_editable = ("every_days", "active")


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "starts_on", "ends_on", "tiers", "product", "active")
    list_filter = ("active",)
    search_fields = ("name",)
    autocomplete_fields = ("product",)


@admin.register(CallScript)
class CallScriptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("occasion", "language")
    list_filter = ("occasion", "language")
    search_fields = ("greeting", "satisfied", "unsatisfied", "closing")


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "active", "daily_capacity", "languages", "tiers", "handles_complaints")
    list_filter = ("active", "handles_complaints")
    autocomplete_fields = ("user",)


@admin.register(Revisit)
class RevisitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: revisits are built by the daily job and recorded on the revisit form."""

    list_display = ("customer", "reason", "due_on", "latest_on", "status", "outcome", "assigned_to")
    list_filter = ("reason", "status", "outcome")
    date_hierarchy = "due_on"
    search_fields = ("customer__name", "customer__email")
    list_select_related = ("customer", "assigned_to")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

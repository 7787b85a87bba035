"""Hiring standards (an ordered checklist per role) are written by administrators here; the
profile pages tick them per person."""

from __future__ import annotations

from django.contrib import admin

from resuelve.people.models import Contest, HiringRequirement, HiringStandard, TrainingRecord


class RequirementInline(admin.TabularInline):
    model = HiringRequirement
    extra = 1
    fields = ("position", "text")


@admin.register(HiringStandard)
class HiringStandardAdmin(admin.ModelAdmin):
    list_display = ("role",)
    inlines = [RequirementInline]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "provider", "completed_on", "expires_on")
    list_filter = ("expires_on",)
    search_fields = ("title", "provider", "user__username", "user__last_name")
    readonly_fields = ("recorded_by", "recorded_at")


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    """Read-only: contests are opened and closed on their pages, which pay the prizes."""

    list_display = ("name", "metric", "starts_on", "ends_on", "status")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

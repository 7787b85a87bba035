from django.contrib import admin

from resuelve.conduct.models import ConductOverride, ConductRule


@admin.register(ConductRule)
class ConductRuleAdmin(admin.ModelAdmin):
    list_display = ("language", "kind", "pattern", "active", "shipped", "order")
    list_filter = ("language", "kind", "active", "shipped")
    list_editable = ("active", "order")
    search_fields = ("pattern", "unless", "suggestion")
    fields = ("language", "kind", "pattern", "unless", "suggestion", "why", "active", "order")


@admin.register(ConductOverride)
class ConductOverrideAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "complaint", "action", "kinds")
    list_filter = ("action",)
    date_hierarchy = "at"
    readonly_fields = ("complaint", "user", "action", "kinds", "excerpt", "at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

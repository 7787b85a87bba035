from django.contrib import admin

from resuelve.resolution.models import DepartmentTerm, ImprovementAction, RootCause


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("active", "parent")
    search_fields = ("name", "code")
    ordering = ("position", "name")
    prepopulated_fields = {"code": ("name",)}


@admin.register(DepartmentTerm)
class DepartmentTermAdmin(admin.ModelAdmin):
    list_display = ("department", "investigation_days")
    autocomplete_fields = ()


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    """Read-only here: actions are kept on their pages, through the services."""

    list_display = ("title", "kind", "cause", "owner", "status", "due_on")
    list_filter = ("status", "kind", "cause")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

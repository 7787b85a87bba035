from django.contrib import admin

from resuelve.complaints.models import Category, Complaint, ComplaintEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "default_department", "active")
    list_filter = ("default_department", "active")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only: complaints change only through the lifecycle steps of the workspace."""

    list_display = ("tracking_code", "subject", "kind", "state", "department", "received_at")
    list_filter = ("state", "kind", "channel", "department")
    search_fields = ("tracking_code", "contact_email")
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(admin.ModelAdmin):
    list_display = ("complaint", "seq", "action", "from_state", "to_state", "actor_label", "at")
    list_filter = ("action",)
    raw_id_fields = ("complaint", "actor")
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

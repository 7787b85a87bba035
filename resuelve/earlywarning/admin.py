from django.contrib import admin

from resuelve.earlywarning.models import Alert, Suppression


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "since", "observed", "expected", "last_seen_at")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Deleting a row lets the detector watch the series again."""

    list_display = ("key_text", "reason", "by", "at")
    readonly_fields = ("key", "key_text", "reason", "by", "at")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resuelve.notifications.models import Outbox, WebhookEndpoint
from resuelve.notifications.services import forget_endpoints, outbox_retry


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "transport",
        "recipient",
        "subject",
        "created_at",
        "attempts",
        "sent_at",
        "failed_at",
    )
    list_filter = (
        "transport",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("recipient", "subject", "complaint__tracking_code")
    readonly_fields = [f.name for f in Outbox._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Send again now"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        revived = outbox_retry(queryset.filter(sent_at__isnull=True))
        self.message_user(
            request,
            ngettext(
                "%(n)d notification will be sent again.",
                "%(n)d notifications will be sent again.",
                revived,
            )
            % {"n": revived},
        )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Endpoints are deactivated, never deleted: app processes cache the active list for a
    few seconds, and an outbox row pointing at a deleted endpoint would fail the whole
    transaction of the change that wrote it (a filing, a step)."""

    list_display = ("url", "description", "active")
    list_filter = ("active",)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: object, change: bool
    ) -> None:
        obj.created_by = obj.created_by or request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        forget_endpoints()

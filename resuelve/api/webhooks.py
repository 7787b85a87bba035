"""/api/v1/webhooks: administrators register the endpoints that hear about complaints
(the same rows as in the admin)."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.api.schemas import ErrorOut, InvalidOut, WebhookCreatedOut, WebhookIn, WebhookOut
from resuelve.notifications.models import WebhookEndpoint
from resuelve.notifications.services import webhook_endpoint_create, webhook_endpoint_delete

router = Router(tags=["webhooks"])
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    422: InvalidOut,
    429: ErrorOut,
}


def _admin(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    if not (user.is_superuser or user.role == Role.ADMIN):
        raise HttpError(403, _("Only administrators manage webhooks."))
    return user


def _out(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "events": list(endpoint.events or []),
        "description": endpoint.description,
        "active": endpoint.active,
    }


@router.get(
    "/webhooks",
    response={200: list[WebhookOut], **ERRORS},
    operation_id="webhook_list",
    summary="Webhook endpoints",
)
def webhook_list(request: HttpRequest) -> list[dict[str, Any]]:
    _admin(request)
    return [_out(e) for e in WebhookEndpoint.objects.order_by("id")]


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut, **ERRORS},
    operation_id="webhook_create",
    summary="Register a webhook endpoint",
)
def webhook_create(request: HttpRequest, payload: WebhookIn) -> Status[dict[str, Any]]:
    user = _admin(request)
    endpoint = webhook_endpoint_create(
        url=payload.url,
        secret=payload.secret,
        events=list(dict.fromkeys(payload.events)),
        description=payload.description,
        active=payload.active,
        created_by=user,
    )
    return Status(201, {**_out(endpoint), "secret": endpoint.secret})


@router.delete(
    "/webhooks/{webhook_id}",
    response={204: None, 404: ErrorOut, **ERRORS},
    operation_id="webhook_delete",
    summary="Stop sending to a webhook endpoint",
)
def webhook_delete(request: HttpRequest, webhook_id: int) -> Status[None]:
    _admin(request)
    endpoint = WebhookEndpoint.objects.filter(pk=webhook_id, active=True).first()
    if endpoint is None:
        raise Http404(_("No active webhook with this id."))
    webhook_endpoint_delete(endpoint=endpoint)
    return Status(204, None)

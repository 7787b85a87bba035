"""The REST API, mounted at /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

The docs page is ninja's Swagger UI served from ninja's bundled static files ("ninja" is in
INSTALLED_APPS), so it works without any CDN."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from resuelve.api import errors
from resuelve.api.auth import RateLimited, TokenAuth
from resuelve.api.complaints import router as complaints_router
from resuelve.api.presenters import Invalid
from resuelve.api.webhooks import router as webhooks_router
from resuelve.complaints.lifecycle import NotAllowed, StepRefused
from resuelve.intake.services import IdempotencyConflict

api = NinjaAPI(
    title="Resuelve API",
    version="1",
    description=(
        "Complaint management (ISO 10002). Authenticate with `Authorization: Bearer <token>`; "
        "make a token with `resuelve create-token USERNAME`. See docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": True, "validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", complaints_router)
api.add_router("", webhooks_router)
api.add_router("", "resuelve.api.remedies.router")
api.add_router("", "resuelve.api.resolution.router")
api.add_router("", "resuelve.api.customers.router")


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    body = errors.invalid_body(errors.from_pydantic(exc.errors))
    return api.create_response(request, body, status=422)


@api.exception_handler(Invalid)
def _invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
    return api.create_response(request, errors.invalid_body(exc.errors), status=422)


@api.exception_handler(DjangoValidationError)
def _refused_by_service(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, errors.invalid_body(errors.from_service(exc)), status=422)


@api.exception_handler(IdempotencyConflict)
def _idempotency_conflict(request: HttpRequest, exc: IdempotencyConflict) -> HttpResponse:
    message = _("This Idempotency-Key was used before for a different request.")
    return api.create_response(
        request,
        {"detail": message, "errors": {"Idempotency-Key": [message]}},
        status=422,
    )


@api.exception_handler(NotAllowed)
def _not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return _detail(request, exc.message, 403)


@api.exception_handler(StepRefused)
def _step_refused(request: HttpRequest, exc: StepRefused) -> HttpResponse:
    return _detail(request, exc.message, 409)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, str(exc) or _("Not found."), 404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _detail(request, _("Send a valid API token: Authorization: Bearer <token>."), 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _detail(request, _("Too many requests; try again in a minute."), 429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return _detail(request, message, exc.status_code)

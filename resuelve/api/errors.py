"""One shape for every refused request, with messages in the caller's language.

    422 {"detail": "...", "errors": {"customer.email": ["..."], ...}}
    400, 401, 403, 404, 409, 429 {"detail": "..."}

Pydantic's messages are English and name its internals, so each error type is given a
translated message here; the service layer's ValidationError dicts already are translated
and come out in the same shape, their field names mapped to the API's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

# Where a service's field is called differently in the API.
SERVICE_FIELDS = {
    "contact_email": "customer.email",
    "contact_phone": "customer.phone",
    "contact_name": "customer.name",
    "remedy_requested": "requested_remedy",
    "occurred_on": "occurred_at",
    "__all__": "non_field_errors",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "text_invalid":
        return _("Control characters and invalid Unicode are not accepted.")
    if kind == "email_invalid":
        return _("Enter a valid e-mail address.")
    if kind == "date_in_future":
        return _("This date is in the future.")
    if kind == "string_too_long":
        return _("Ensure this value has at most %(max)s characters.") % {
            "max": ctx.get("max_length")
        }
    if kind == "string_too_short":
        return _("This field cannot be empty.")
    if kind in {"string_type", "string_unicode", "string_sub_type"}:
        return _("Enter text.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Enter true or false.")
    if kind in {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Ensure this value is at least %(limit)s.") % {
            "limit": ctx.get("ge", ctx.get("gt"))
        }
    if kind in {"less_than_equal", "less_than"}:
        return _("Ensure this value is at most %(limit)s.") % {
            "limit": ctx.get("le", ctx.get("lt"))
        }
    if kind in {"decimal_max_digits", "decimal_whole_digits", "decimal_max_places"}:
        return _("Enter an amount with at most 12 digits before the point and 2 after it.")
    if kind.startswith(("decimal_", "float_", "finite_number")):
        return _("Enter a number.")
    if kind in {"enum", "literal_error"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind.startswith(("date", "datetime", "timezone")):
        return _("Enter a date (YYYY-MM-DD) or a date and time (ISO 8601).")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Enter an object.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")


def _field(loc: Sequence[Any]) -> str:
    # ("body", "payload", "customer", "email") -> "customer.email";
    # ("query", "state") -> "state"; ("header", "Idempotency-Key") -> "Idempotency-Key".
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 1 else []
        return ".".join(parts) or "body"
    return ".".join(parts[1:]) or (parts[0] if parts else "non_field_errors")


def from_pydantic(errors: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    return out


def from_service(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        items = exc.message_dict.items()
    else:
        items = [("__all__", exc.messages)]
    return {SERVICE_FIELDS.get(field, field): [str(m) for m in msgs] for field, msgs in items}


def invalid_body(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {"detail": _("Please correct the marked fields."), "errors": errors}

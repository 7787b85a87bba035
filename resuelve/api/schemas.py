"""What the API accepts and returns. Unknown fields are refused (extra="forbid"), every
text is bounded and free of control characters, so nothing reaches a service that the
database could choke on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Channel, Severity


def _clean_text(value: str) -> str:
    for ch in value:
        code = ord(ch)
        if (code < 32 and ch not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code == 0x7F:
            raise PydanticCustomError("text_invalid", "control characters are not accepted")
    return value


def _check_email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise PydanticCustomError("email_invalid", "not an e-mail address") from None
    return value


def _utc(value: datetime) -> datetime:
    # Stored and compared in UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601
    # (and pydantic) allow, and a naive time means the site's time zone.
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise PydanticCustomError("datetime_range", "out of range") from None


Instant = Annotated[datetime, AfterValidator(_utc)]


def Text(max_length: int) -> Any:  # noqa: N802 - a type
    return Annotated[str, Field(max_length=max_length), AfterValidator(_clean_text)]


Email = Annotated[
    str, Field(max_length=254), AfterValidator(_clean_text), AfterValidator(_check_email)
]

# Enums built from the model choices, so the schema lists every allowed value.
KindEnum = Enum("Kind", {v.upper(): v for v in Kind.values}, type=str)  # type: ignore[misc]
ChannelEnum = Enum("Channel", {v.upper(): v for v in Channel.values}, type=str)  # type: ignore[misc]
StateEnum = Enum("State", {v.upper(): v for v in State.values}, type=str)  # type: ignore[misc]
SeverityEnum = Enum("Severity", {v.upper(): v for v in Severity.values}, type=str)  # type: ignore[misc]
LanguageEnum = Enum(  # type: ignore[misc]
    "Language", {code.replace("-", "_").upper(): code for code, _n in settings.LANGUAGES}, type=str
)


class Out(BaseModel):
    """A response body, built from the presenters' dictionaries (see In)."""


class In(BaseModel):
    """A request body: plain pydantic (ninja's Schema would first try to read each one as a
    Django model, a tenth of a filing's time), unknown fields refused."""

    model_config = ConfigDict(extra="forbid")


# --- filing -----------------------------------------------------------------------------------


class CustomerIn(In):
    name: Text(200) = ""  # type: ignore[valid-type]
    email: Email = ""
    phone: Text(40) = ""  # type: ignore[valid-type]
    external_ref: Text(80) = ""  # type: ignore[valid-type]


class ComplaintIn(In):
    kind: KindEnum = Field(default=KindEnum("complaint"))  # type: ignore[valid-type]
    channel: ChannelEnum = Field(default=ChannelEnum("api"))  # type: ignore[valid-type]
    subject: Text(200)  # type: ignore[valid-type]
    description: Text(20000)  # type: ignore[valid-type]
    language: LanguageEnum | None = None  # type: ignore[valid-type]
    customer: CustomerIn = Field(default_factory=CustomerIn)
    product_ref: Text(60) = ""  # type: ignore[valid-type]
    order_ref: Text(60) = ""  # type: ignore[valid-type]
    requested_remedy: Text(5000) = ""  # type: ignore[valid-type]
    amount_claimed: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    occurred_at: Instant | date | None = Field(
        default=None, description="When it happened: a date or a date and time; the date is kept."
    )


class FiledOut(Out):
    tracking_code: str
    status: str = Field(description="The lifecycle state.")
    status_label: str
    kind: str
    channel: str
    subject: str
    language: str
    received_at: datetime
    ack_due_at: datetime | None
    due_at: datetime | None
    customer_link: str = Field(description="The customer's private link to follow the case.")


# --- reading ----------------------------------------------------------------------------------


class ComplaintSummary(Out):
    tracking_code: str
    status: str
    status_label: str
    kind: str
    channel: str
    subject: str
    contact_name: str
    language: str
    severity: str
    confidential: bool
    received_at: datetime
    due_at: datetime | None
    department: str | None = Field(description="Department code.")
    assignee: str | None = Field(description="Username.")
    category: str | None


class ComplaintPage(Out):
    items: list[ComplaintSummary]
    next: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")


class CustomerOut(Out):
    name: str
    email: str
    phone: str
    external_ref: str | None


class EventOut(Out):
    seq: int
    at: datetime
    action: str
    action_label: str
    actor: str
    from_state: str
    to_state: str
    changes: dict[str, Any]
    reason: str


class MessageOut(Out):
    id: int
    at: datetime
    visibility: Literal["customer", "internal"]
    from_customer: bool
    author: str | None
    channel: str
    body: str
    delivered_at: datetime | None


class SuggestionOut(Out):
    """Triage's guess at intake (resuelve.triage); the assessor decides."""

    category: str | None = Field(description="Category code.")
    kind: str
    severity: str
    language: str
    confidence: float = Field(ge=0, le=1)


class ComplaintOut(ComplaintSummary):
    description: str
    customer: CustomerOut
    product_ref: str | None
    order_ref: str | None
    requested_remedy: str
    amount_claimed: Decimal | None
    currency: str
    occurred_at: date | None
    ack_due_at: datetime | None
    acknowledged_at: datetime | None
    validity: str
    solution: str
    solution_value: Decimal | None
    resolution_summary: str
    resolved_at: datetime | None
    closed_at: datetime | None
    satisfaction: int | None
    allowed_actions: list[str] = Field(description="Action paths this user may take now.")
    suggestion: SuggestionOut | None = Field(
        default=None, description="What triage suggested at intake; null when nothing was."
    )
    events: list[EventOut]
    messages: list[MessageOut]


# --- writing on a case --------------------------------------------------------------------------


class MessageIn(In):
    body: Text(20000)  # type: ignore[valid-type]
    visibility: Literal["internal", "customer"] = Field(
        default="internal",
        description="`internal`: a staff note; `customer`: a reply e-mailed to the customer.",
    )


class AcknowledgeIn(In):
    message: Text(5000) = ""  # type: ignore[valid-type]


class AssessIn(In):
    established: bool
    reason: Text(5000)  # type: ignore[valid-type]
    category: Text(40) | None = Field(default=None, description="Category code.")  # type: ignore[valid-type]
    severity: SeverityEnum | None = None  # type: ignore[valid-type]
    confidential: bool | None = None
    answer: Text(10000) = ""  # type: ignore[valid-type]


class AssignIn(In):
    department: Text(40) = Field(description="Department code.")  # type: ignore[valid-type]
    assignee: Text(150) | None = Field(default=None, description="Username.")  # type: ignore[valid-type]
    reason: Text(2000) = ""  # type: ignore[valid-type]


class NoteIn(In):
    note: Text(5000) = ""  # type: ignore[valid-type]


class ProposeIn(In):
    solution: Text(10000)  # type: ignore[valid-type]
    value: Decimal = Field(ge=0, max_digits=14, decimal_places=2)


class CommentIn(In):
    comment: Text(2000) = ""  # type: ignore[valid-type]


class ReasonIn(In):
    reason: Text(5000)  # type: ignore[valid-type]


class OptionalReasonIn(In):
    reason: Text(5000) = ""  # type: ignore[valid-type]


class CommunicateIn(In):
    message: Text(5000) = ""  # type: ignore[valid-type]


class AcceptIn(In):
    name: Text(200)  # type: ignore[valid-type]


class ReferExternalIn(In):
    body: Text(200)  # type: ignore[valid-type]
    reason: Text(2000) = ""  # type: ignore[valid-type]


class ResolveIn(In):
    summary: Text(5000)  # type: ignore[valid-type]
    answer: Text(10000) = ""  # type: ignore[valid-type]


class FollowUpIn(In):
    satisfaction: int = Field(ge=1, le=5)
    note: Text(5000) = ""  # type: ignore[valid-type]


class WaitIn(In):
    question: Text(5000)  # type: ignore[valid-type]


# --- errors -----------------------------------------------------------------------------------


class ErrorOut(Out):
    detail: str


class InvalidOut(Out):
    detail: str
    errors: dict[str, list[str]]


# --- webhooks ---------------------------------------------------------------------------------


class WebhookIn(In):
    url: Annotated[
        str, Field(max_length=500, pattern=r"^https?://[^\s]+$"), AfterValidator(_clean_text)
    ]
    secret: Text(128) = Field(default="", description="Leave empty to have one generated.")  # type: ignore[valid-type]
    events: list[Literal["complaint.created", "complaint.state_changed"]] = Field(
        default_factory=lambda: ["complaint.created", "complaint.state_changed"], max_length=2
    )
    description: Text(200) = ""  # type: ignore[valid-type]
    active: bool = True


class WebhookOut(Out):
    id: int
    url: str
    events: list[str]
    description: str
    active: bool


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Shown once: keep it to verify X-Resuelve-Signature.")

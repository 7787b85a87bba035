"""Model rows to API dictionaries. Reads only what the caller may see."""

from __future__ import annotations

from typing import Any

from resuelve.accounts.models import User
from resuelve.complaints import lifecycle, selectors
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint, ComplaintEvent, Message
from resuelve.notifications.services import private_url


class Invalid(Exception):
    """Refuse the request with 422 and these field errors (already translated)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _state_label(state: str) -> str:
    try:
        return str(State(state).label)
    except ValueError:
        return state


def filed(case: Complaint) -> dict[str, Any]:
    return {
        "tracking_code": case.tracking_code,
        "status": case.state,
        "status_label": _state_label(case.state),
        "kind": case.kind,
        "channel": case.channel,
        "subject": case.subject,
        "language": case.language,
        "received_at": case.received_at,
        "ack_due_at": case.ack_due_at,
        "due_at": case.due_at,
        "customer_link": private_url(case),
    }


def summary(case: Complaint) -> dict[str, Any]:
    return {
        "tracking_code": case.tracking_code,
        "status": case.state,
        "status_label": _state_label(case.state),
        "kind": case.kind,
        "channel": case.channel,
        "subject": case.subject,
        "contact_name": case.contact_name,
        "language": case.language,
        "severity": case.severity,
        "confidential": case.confidential,
        "received_at": case.received_at,
        "due_at": case.due_at,
        "department": case.department.code if case.department_id else None,  # type: ignore[union-attr]
        "assignee": case.assignee.username if case.assignee_id else None,  # type: ignore[union-attr]
        "category": case.category.name if case.category_id else None,  # type: ignore[union-attr]
    }


def event(e: ComplaintEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at,
        "action": e.action,
        "action_label": e.action_label,
        "actor": e.actor_display,
        "from_state": e.from_state,
        "to_state": e.to_state,
        "changes": e.changes,
        "reason": e.reason,
    }


def message(m: Message) -> dict[str, Any]:
    author = None
    if m.author_id is not None:
        author = m.author.username  # type: ignore[union-attr]
    return {
        "id": m.pk,
        "at": m.created_at,
        "visibility": m.visibility,
        "from_customer": m.from_customer,
        "author": author,
        "channel": m.channel,
        "body": m.body,
        "delivered_at": m.delivered_at,
    }


def suggestion(case: Complaint) -> dict[str, Any] | None:
    found = case.suggestion
    if not found:
        return None
    return {
        "category": found.get("category"),
        "kind": found.get("kind", ""),
        "severity": found.get("severity", ""),
        "language": found.get("language", ""),
        "confidence": float(found.get("confidence") or 0.0),
    }


def detail(case: Complaint, user: User) -> dict[str, Any]:
    from resuelve.api.complaints import ACTION_PATHS

    timeline = selectors.complaint_timeline(case)
    allowed: list[str] = []
    if not user.read_only:
        steps = lifecycle.available_steps(case.state, user.role, kind=case.kind)
        allowed = [ACTION_PATHS[a] for a in steps if a in ACTION_PATHS]
    customer = case.customer
    return {
        **summary(case),
        "description": case.description,
        "customer": {
            "name": case.contact_name,
            "email": case.contact_email,
            "phone": case.contact_phone,
            "external_ref": customer.external_ref if customer else None,
        },
        "product_ref": case.product.sku if case.product_id else None,  # type: ignore[union-attr]
        "order_ref": case.purchase.order_number if case.purchase_id else None,  # type: ignore[union-attr]
        "requested_remedy": case.remedy_requested,
        "amount_claimed": case.amount_claimed,
        "currency": case.currency,
        "occurred_at": case.occurred_on,
        "ack_due_at": case.ack_due_at,
        "acknowledged_at": case.acknowledged_at,
        "validity": case.validity,
        "solution": case.solution,
        "solution_value": case.solution_value,
        "resolution_summary": case.resolution_summary,
        "resolved_at": case.resolved_at,
        "closed_at": case.closed_at,
        "satisfaction": case.satisfaction,
        "allowed_actions": allowed,
        "suggestion": suggestion(case),
        "events": [event(t.event) for t in timeline if t.event is not None],
        "messages": [message(t.message) for t in timeline if t.message is not None],
    }

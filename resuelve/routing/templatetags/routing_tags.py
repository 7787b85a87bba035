"""The "why it went here" panel: the route event's trace in the reader's words."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from resuelve.complaints.lifecycle import Action
from resuelve.complaints.models import Complaint, ComplaintEvent

register = template.Library()


def _failed(condition: str) -> str:
    names = {
        "kind": _("kind"),
        "category": _("category"),
        "channel": _("channel"),
        "product": _("product or service"),
        "supplier": _("supplier"),
        "tier": _("customer tier"),
        "language": _("language"),
        "text": _("words in the text"),
    }
    return names.get(condition, condition)


def _field(name: str) -> str:
    names = {
        "department": _("department"),
        "assignee": _("assignee"),
        "severity": _("severity"),
        "confidential": _("confidential"),
        "deadline_policy": _("deadline policy"),
    }
    return names.get(name, name)


def _skipped(reason: str) -> str:
    reasons = {
        "absent": _("absent today"),
        "at_capacity": _("has as many open cases as they can carry"),
        "language": _("does not answer in the customer's language"),
        "skills": _("does not handle this category"),
    }
    return reasons.get(reason, reason)


def trace_lines(trace: dict[str, Any]) -> list[str]:
    """One sentence per decision, in the active language."""
    if "on_the_spot" in trace:
        return [
            _("%(name)s took the case to solve it on the spot; routing was skipped.")
            % {"name": trace["on_the_spot"]}
        ]
    lines: list[str] = []
    suggestion = trace.get("suggestion")
    if suggestion:
        percent = round(float(suggestion.get("confidence") or 0) * 100)
        name = suggestion.get("name") or suggestion["category"]
        if suggestion.get("used"):
            lines.append(
                _("Suggested category: %(category)s (%(percent)d%% sure).")
                % {"category": name, "percent": percent}
            )
        else:
            lines.append(
                _("Suggested category: %(category)s, only %(percent)d%% sure: not used.")
                % {"category": name, "percent": percent}
            )
    for rule in trace.get("rules", []):
        if rule.get("matched"):
            fields = ", ".join(_field(f) for f in rule.get("set", []))
            lines.append(
                (
                    _("Rule “%(rule)s” matched and set: %(fields)s.")
                    if fields
                    else _("Rule “%(rule)s” matched; earlier rules had set what it sets.")
                )
                % {"rule": rule["rule"], "fields": fields}
            )
        else:
            lines.append(
                _("Rule “%(rule)s” did not match (%(condition)s).")
                % {"rule": rule["rule"], "condition": _failed(rule.get("failed", ""))}
            )
    department = trace.get("department") or {}
    if department.get("name"):
        by = department.get("by")
        if by == "category":
            lines.append(
                _("Department %(department)s: the suggested category's department.")
                % {"department": department["name"]}
            )
        else:
            lines.append(
                _("Department %(department)s: set by the rule “%(rule)s”.")
                % {"department": department["name"], "rule": by}
            )
    else:
        lines.append(_("No department was decided: the front-line desk routes the case."))
    assignment = trace.get("assignment") or {}
    if assignment.get("by") == "rule":
        lines.append(_("Assigned to %(name)s by a rule.") % {"name": assignment.get("user")})
    elif assignment.get("by") == "load":
        lines.append(
            _("Assigned to %(name)s: the fewest open cases among those who can take it.")
            % {"name": assignment.get("user")}
        )
    elif department.get("name"):
        lines.append(_("Nobody could take it automatically; the department assigns it."))
    for candidate in assignment.get("candidates", []):
        if candidate.get("skipped"):
            lines.append(
                _("%(name)s (%(load)d open): %(reason)s.")
                % {
                    "name": candidate["user"],
                    "load": candidate["load"],
                    "reason": _skipped(candidate["skipped"]),
                }
            )
        elif not candidate.get("chosen"):
            lines.append(
                _(
                    "%(name)s (%(load)d open): could take it, but has more open cases or had the last turn."
                )
                % {"name": candidate["user"], "load": candidate["load"]}
            )
    return lines


@register.simple_tag
def route_trace(complaint: Complaint) -> list[str]:
    event = (
        ComplaintEvent.objects.filter(complaint=complaint, action=Action.ROUTE)
        .order_by("-seq")
        .only("changes")
        .first()
    )
    if event is None or not isinstance(event.changes.get("trace"), dict):
        return []
    return trace_lines(event.changes["trace"])

"""Reads for the public portal: only what the customer may see of their own case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import nh3
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from resuelve.complaints import tracking
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Attachment, Complaint, Message, Visibility
from resuelve.deadlines.selectors import answer_term
from resuelve.intake.models import PageSlug, PublishedPage

S = State

# What each state means to the customer, in their words: the staff's fine-grained steps
# collapse into a few stages.
CUSTOMER_STAGES: dict[str, tuple[Any, Any]] = {
    S.RECEIVED: (
        gettext_lazy("Received"),
        gettext_lazy("We have your message and will confirm it shortly."),
    ),
    S.ACKNOWLEDGED: (
        gettext_lazy("Received"),
        gettext_lazy("We have registered your case and will study it."),
    ),
    S.ASSESSED: (
        gettext_lazy("Being studied"),
        gettext_lazy("We are finding out who should handle your case."),
    ),
    S.NOT_ESTABLISHED: (
        gettext_lazy("Answered"),
        gettext_lazy("We studied your case; our answer is below."),
    ),
    S.ASSIGNED: (
        gettext_lazy("Being studied"),
        gettext_lazy("The responsible department has your case."),
    ),
    S.INVESTIGATING: (
        gettext_lazy("Being studied"),
        gettext_lazy("We are investigating what happened."),
    ),
    S.SOLUTION_PROPOSED: (
        gettext_lazy("Being studied"),
        gettext_lazy("We are preparing a solution for you."),
    ),
    S.APPROVED: (
        gettext_lazy("Being studied"),
        gettext_lazy("A solution has been approved and will be sent to you."),
    ),
    S.COMMUNICATED: (
        gettext_lazy("Your answer is needed"),
        gettext_lazy("We have proposed a solution. Please accept it or tell us why not."),
    ),
    S.ACCEPTED: (
        gettext_lazy("Solution accepted"),
        gettext_lazy("Thank you for accepting. We are carrying out the solution."),
    ),
    S.DISPUTED: (
        gettext_lazy("Being studied again"),
        gettext_lazy("We have your objection and are preparing another proposal."),
    ),
    S.EXTERNAL: (
        gettext_lazy("Referred"),
        gettext_lazy("Your case has been referred to an external body, as explained below."),
    ),
    S.RESOLVED: (
        gettext_lazy("Solved"),
        gettext_lazy("Your case is solved. We may ask you how satisfied you are."),
    ),
    S.FOLLOWED_UP: (
        gettext_lazy("Solved"),
        gettext_lazy("Your case is solved. Thank you for your opinion."),
    ),
    S.CLOSED: (
        gettext_lazy("Closed"),
        gettext_lazy("Your case is closed. If something is still wrong, write to us below."),
    ),
    S.WAITING: (
        gettext_lazy("Waiting for you"),
        gettext_lazy("We asked you a question below; the case continues when you answer."),
    ),
    S.MERGED: (
        gettext_lazy("Joined to your other case"),
        gettext_lazy("You wrote to us about the same thing twice; we follow it up in one case."),
    ),
}


def case_for_lookup(*, code: str, email: str) -> Complaint | None:
    """The case with this code whose contact e-mail matches; None for any mismatch."""
    canonical = tracking.normalize(code or "")
    if canonical is None:
        # Do the same database work as a real miss, so timing tells nothing either.
        canonical = "RS-00000-00000"
    return Complaint.objects.filter(
        tracking_code=canonical, contact_email__iexact=(email or "").strip()
    ).first()


def portal_case_context(case: Complaint) -> dict[str, Any]:
    label, explanation = CUSTOMER_STAGES.get(case.state, (case.get_state_display(), ""))
    visible = (
        Message.objects.filter(complaint=case, visibility=Visibility.CUSTOMER)
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    return {
        "case": case,
        "stage": label,
        "stage_explanation": explanation,
        "due_at": case.due_at if case.is_open and case.state != S.WAITING else None,
        "conversation": list(visible),
        "solution_open": case.state == S.COMMUNICATED,
        "company": settings.RESUELVE_COMPANY_NAME,
    }


@dataclass(frozen=True)
class PageContent:
    slug: str
    title: str
    html: SafeString


_ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
}


def sanitize(html: str) -> SafeString:
    """Administrator-written HTML, reduced to simple structure; plain text keeps its lines."""
    if "<" not in html:
        paragraphs = [p.strip() for p in html.split("\n\n") if p.strip()]
        html = "".join(f"<p>{nh3.clean_text(p)}</p>".replace("\n", "<br>") for p in paragraphs)
    return mark_safe(nh3.clean(html, tags=_ALLOWED_TAGS, link_rel="noopener noreferrer nofollow"))  # noqa: S308


def published_page(slug: str, language: str) -> PageContent | None:
    """The administrator's page in this language, else in the site's language, else the
    built-in text (which follows the configured deadlines)."""
    if slug not in PageSlug.values:
        return None
    rows = {p.language: p for p in PublishedPage.objects.filter(slug=slug)}
    chosen = rows.get(language) or rows.get(settings.LANGUAGE_CODE)
    if chosen is not None:
        return PageContent(slug=slug, title=chosen.title, html=sanitize(chosen.body))
    html = render_to_string(
        f"intake/pages/{slug}.html",
        {
            "company": settings.RESUELVE_COMPANY_NAME,
            "ack_hours": settings.RESUELVE_ACK_HOURS,
            "answer_term": answer_term(),
        },
    )
    return PageContent(slug=slug, title=str(PageSlug(slug).label), html=mark_safe(html))  # noqa: S308

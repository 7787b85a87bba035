"""The conduct check on the case page: which field of a step the customer reads, the flags of
what the agent wrote, and whether the message is held for the agent to decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Action
from resuelve.complaints.models import Complaint
from resuelve.conduct.check import Flag, normalise_language
from resuelve.conduct.selectors import case_message_flags
from resuelve.conduct.services import conduct_override_record

# The customer-visible text field of each step of the case page.
CUSTOMER_TEXT: dict[str, str] = {
    Action.ACKNOWLEDGE: "message",
    Action.ASSESS: "answer",
    Action.COMMUNICATE: "message",
    Action.REFER_EXTERNAL: "body",
    Action.RESOLVE: "answer",
    Action.WAIT: "question",
    Action.REPLY: "body",
}
# Steps whose text is not an answer to the complaint: no notes about apology or acknowledgement.
WITHOUT_NOTES = frozenset({Action.WAIT, Action.REFER_EXTERNAL})
OVERRIDE = "conduct_override"


@dataclass
class Segment:
    text: str
    kinds: list[str] = field(default_factory=list)


@dataclass
class Review:
    action: str
    text: str
    language: str
    flags: list[Flag]
    overridden: bool
    had_files: bool = False  # a browser cannot keep chosen files across the held page

    @property
    def sentence_flags(self) -> list[Flag]:
        return [f for f in self.flags if not f.is_note]

    @property
    def notes(self) -> list[Flag]:
        return [f for f in self.flags if f.is_note]

    @property
    def hold(self) -> bool:
        """Held when a sentence is flagged and the agent has not yet chosen to send anyway;
        the notes alone only warn."""
        return bool(self.sentence_flags) and not self.overridden

    @property
    def segments(self) -> list[Segment]:
        """The message cut at the flagged sentences, for highlighting them."""
        spans: dict[tuple[int, int], list[str]] = {}
        for flag in self.sentence_flags:
            spans.setdefault((flag.start, flag.end), []).append(flag.label)
        parts: list[Segment] = []
        at = 0
        for (start, end), labels in sorted(spans.items()):
            if start > at:
                parts.append(Segment(self.text[at:start]))
            parts.append(Segment(self.text[start:end], labels))
            at = end
        if at < len(self.text):
            parts.append(Segment(self.text[at:]))
        return parts


def conduct_review(
    *, request: HttpRequest, complaint: Complaint, action: str, data: dict[str, Any]
) -> Review | None:
    """The check of a step's customer-visible text; None for steps the customer does not
    read or an empty text."""
    name = CUSTOMER_TEXT.get(action)
    text = str(data.get(name) or "") if name else ""
    if not text.strip():
        return None
    flags = case_message_flags(complaint=complaint, text=text)
    if action in WITHOUT_NOTES:
        flags = [f for f in flags if not f.is_note]
    return Review(
        action=action,
        text=text,
        language=normalise_language(complaint.language),
        flags=flags,
        overridden=request.POST.get(OVERRIDE) == "1",
        had_files=bool(request.FILES),
    )


def conduct_after_send(
    *, request: HttpRequest, complaint: Complaint, review: Review | None
) -> None:
    """After the step was taken: count an override, and pass on the notes as a warning."""
    if review is None:
        return
    user: User = request.user  # type: ignore[assignment]
    if review.overridden and review.sentence_flags:
        conduct_override_record(
            complaint=complaint,
            user=user,
            action=review.action,
            flags=review.sentence_flags,
            text=review.text,
        )
    if review.notes and not review.sentence_flags:
        messages.warning(
            request,
            _("Sent. The conduct check notes: %(notes)s")
            % {"notes": " ".join(f.why for f in review.notes)},
        )

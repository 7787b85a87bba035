"""Every change playbooks make on a case, and the rendering of reply templates.

A tick or an untick of a playbook step, and marking a case not routine, are written with an
event on the case's hash-chained audit trail in the same transaction, by someone who may write
on the case. Marking a case not routine re-routes it through complaints' own assignment step,
so the lifecycle and its audit stay the complaints app's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import formats, numberformat, timezone, translation
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints import lifecycle
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import Action, NotAllowed, State
from resuelve.complaints.models import Complaint
from resuelve.guidance.models import (
    CaseGuidance,
    Playbook,
    PlaybookStep,
    PlaybookTick,
    ReplyTemplate,
)
from resuelve.routing.models import Absence, AgentProfile
from resuelve.routing.rules import Candidate, choose_assignee

# Ticks are refused once the case is finished for good.
_NO_TICKS = frozenset({State.CLOSED, State.MERGED})
# Who may be given a case as a specialist: department people, not the front line.
_SPECIALIST_ROLES = [Role.HANDLER, Role.SUPERVISOR, Role.MANAGER]


# --- which playbook -------------------------------------------------------------------------


def playbook_for(case: Complaint) -> Playbook | None:
    """The active playbook of the case's category and kind; a playbook for the exact kind
    wins over one for every kind of the category."""
    if case.category_id is None:
        return None
    found = list(
        Playbook.objects.filter(active=True, category_id=case.category_id)
        .filter(Q(kind=case.kind) | Q(kind=""))
        .order_by("-kind", "pk")[:2]
    )
    for playbook in found:
        if playbook.kind == case.kind:
            return playbook
    return found[0] if found else None


def case_is_routine(case: Complaint) -> bool:
    guidance = CaseGuidance.objects.filter(complaint_id=case.pk).first()
    return playbook_for(case) is not None and (guidance is None or guidance.routine)


# --- ticks ----------------------------------------------------------------------------------


def _record(case: Complaint, *, actor: User, reason: str, changes: dict, at: datetime) -> None:
    complaint_services.note_event_append(case, actor=actor, reason=reason, changes=changes, at=at)


def playbook_tick(
    *, complaint: Complaint, step: PlaybookStep, actor: User, done: bool = True
) -> PlaybookTick | None:
    """Tick (done=True) or untick a step of the case's playbook. Only someone who may write on
    the case may, only while the case is routine and not closed; a tick that is already so is
    left alone and recorded once. Returns the tick, or None after an untick."""
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        complaint_services._check_may_write(actor, case)
        playbook = playbook_for(case)
        if playbook is None or step.playbook_id != playbook.pk:
            raise ValidationError({"step": _("This step is not in the playbook of this case.")})
        if not case_is_routine(case):
            raise NotAllowed(_("This case was marked not routine; its playbook no longer applies."))
        if case.state in _NO_TICKS:
            raise NotAllowed(_("This case is finished; its checklist cannot change."))
        existing = PlaybookTick.objects.filter(complaint=case, step=step).first()
        now = timezone.now()
        with translation.override(settings.LANGUAGE_CODE):
            position = _position(step)
            if done:
                if existing is not None:
                    return existing
                tick = PlaybookTick.objects.create(complaint=case, step=step, by=actor, at=now)
                reason = _("Playbook step %(n)s done: %(text)s") % {
                    "n": position,
                    "text": step.text,
                }
            else:
                if existing is None:
                    return None
                existing.delete()
                tick = None
                reason = _("Playbook step %(n)s undone: %(text)s") % {
                    "n": position,
                    "text": step.text,
                }
        _record(
            case,
            actor=actor,
            reason=reason,
            changes={"playbook": playbook.name, "step": position, "done": done},
            at=now,
        )
    return tick


def _position(step: PlaybookStep) -> int:
    """The step's number as the checklist shows it (1, 2, 3...), whatever its `order`."""
    return (
        PlaybookStep.objects.filter(playbook_id=step.playbook_id)
        .filter(Q(order__lt=step.order) | Q(order=step.order, pk__lt=step.pk))
        .count()
        + 1
    )


# --- not routine: to the specialists ---------------------------------------------------------


def _specialist_for(case: Complaint, department: Department) -> User | None:
    """The department's least-loaded available specialist for the case: people of the
    department who are not front line and take assignments, those whose skills name the
    case's category first; the current assignee is not chosen again."""
    profiles = list(
        AgentProfile.objects.filter(
            takes_assignments=True,
            user__is_active=True,
            user__role__in=_SPECIALIST_ROLES,
            user__departments=department,
        )
        .exclude(user_id=case.assignee_id)
        .select_related("user")
        .prefetch_related("skills")
    )
    if not profiles:
        return None
    loads = dict(
        Complaint.objects.filter(assignee_id__in=[p.user_id for p in profiles], is_open=True)
        .values_list("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    code = case.category.code if case.category is not None else None
    skilled = [p for p in profiles if code and any(c.code == code for c in p.skills.all())]
    today = timezone.localdate()
    absent = set(
        Absence.objects.filter(
            user_id__in=[p.user_id for p in profiles], starts_on__lte=today, ends_on__gte=today
        ).values_list("user_id", flat=True)
    )
    for group in (skilled, profiles):
        candidates = [
            Candidate(
                user_id=p.user_id,
                name=p.user.get_full_name() or p.user.username,
                load=loads.get(p.user_id, 0),
                capacity=p.capacity,
                languages=frozenset(p.languages or ()),
                skills=frozenset(c.code for c in p.skills.all()),
                absent=p.user_id in absent,
            )
            for p in group
        ]
        chosen, _trace = choose_assignee(candidates, language=case.language, category=code)
        if chosen is not None:
            return next(p.user for p in group if p.user_id == chosen.user_id)
    return None


def case_mark_non_routine(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """The agent judges the case unusual (C5): the mark and the reason are recorded on the
    case's trail and the case goes to its category's department, to the least-loaded
    specialist there (or to the department's queue when nobody is available), through
    complaints' assignment step, which checks that the actor may route cases now."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this case is not routine.")})
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        complaint_services._check_may_write(actor, case)
        playbook = playbook_for(case)
        if playbook is None:
            raise ValidationError(_("This case has no playbook: it is not routine already."))
        if not case_is_routine(case):
            raise ValidationError(_("This case is already marked not routine."))
        if case.state in {State.RECEIVED, State.ACKNOWLEDGED}:
            raise NotAllowed(_("Assess the case first; then it can go to the specialists."))
        lifecycle.check_step(Action.ASSIGN, case.state, actor.role, kind=case.kind)
        department = (case.category.default_department if case.category else None) or (
            case.department
        )
        if department is None:
            raise ValidationError(_("The case's category has no department to send it to."))
        specialist = _specialist_for(case, department)
        now = timezone.now()
        CaseGuidance.objects.update_or_create(
            complaint=case,
            defaults={
                "playbook": playbook,
                "routine": False,
                "non_routine_reason": reason,
                "marked_by": actor,
                "marked_at": now,
            },
        )
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Not routine (playbook “%(playbook)s”): %(reason)s") % {
                "playbook": playbook.name,
                "reason": reason,
            }
        _record(case, actor=actor, reason=note, changes={"routine": False}, at=now)
        if case.department_id != department.pk or case.assignee_id != (
            specialist.pk if specialist else None
        ):
            complaint_services.complaint_assign(
                complaint=case,
                actor=actor,
                department=department,
                assignee=specialist,
                reason=note,
            )
    complaint.refresh_from_db()
    return complaint


# --- reply templates -------------------------------------------------------------------------

PLACEHOLDERS = ("customer_name", "tracking_code", "deadline", "remedy", "agent_name", "company")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Rendered:
    text: str
    subject: str
    language: str  # the language asked for (the case's)
    shown_language: str  # the language of the text shown
    missing: bool  # no text in the language asked for: another one is shown
    unknown: list[str] = field(default_factory=list)  # placeholders we do not know: left as is
    unfilled: list[str] = field(default_factory=list)  # known, but the case has no value yet


def _money(amount: Decimal, currency: str) -> str:
    # Grouped by thousands in every language (Chinese and Estonian formats do not group).
    number = numberformat.format(
        amount,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=0,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR") or ",",
        force_grouping=True,
    )
    return f"{number} {currency}"


def remedy_text(case: Complaint) -> str:
    """The remedy agreed or on offer: the chosen, offered or approved plan of the current
    round (its items and value), else the case's approved solution; empty when none."""
    from resuelve.remedies.models import Proposal, ProposalStatus

    plans = [
        p
        for p in Proposal.objects.filter(complaint_id=case.pk)
        .prefetch_related("items")
        .order_by("-round", "number")
        if p.status in {ProposalStatus.CHOSEN, ProposalStatus.OFFERED, ProposalStatus.APPROVED}
    ]
    if plans:
        best = min(
            plans,
            key=lambda p: (
                -p.round,
                p.status != ProposalStatus.CHOSEN,
                p.status != ProposalStatus.OFFERED,
                p.number,
            ),
        )
        items = list(best.items.all())
        text = "; ".join(d for d in (i.description.strip().rstrip(".") for i in items) if d)
        total = sum((item.amount for item in items), Decimal("0"))
        if total:
            text = f"{text} ({_money(total, best.currency)})"
        return text
    if case.solution and case.solution_approved_by_id:
        text = case.solution.strip().rstrip(".")
        if case.solution_value:
            text = f"{text} ({_money(case.solution_value, case.currency)})"
        return text
    return ""


def _values(case: Complaint, agent: User | None) -> dict[str, str]:
    person = agent or case.assignee
    deadline = ""
    if case.due_at is not None:
        deadline = formats.date_format(timezone.localtime(case.due_at), "DATE_FORMAT")
    return {
        "customer_name": (case.customer.name if case.customer_id else case.contact_name) or "",
        "tracking_code": case.tracking_code,
        "deadline": deadline,
        "remedy": remedy_text(case),
        "agent_name": (person.get_full_name() or person.username) if person else "",
        "company": settings.RESUELVE_COMPANY_NAME,
    }


def fill(text: str, values: dict[str, str]) -> tuple[str, list[str], list[str]]:
    """Fill {placeholders}; unknown ones and known ones without a value stay visible."""
    unknown: list[str] = []
    unfilled: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            if name not in unknown:
                unknown.append(name)
            return match.group(0)
        if not values[name]:
            if name not in unfilled:
                unfilled.append(name)
            return match.group(0)
        return values[name]

    return _PLACEHOLDER.sub(one, text), unknown, unfilled


def template_render(
    *,
    template: ReplyTemplate,
    case: Complaint,
    language: str | None = None,
    agent: User | None = None,
) -> Rendered:
    """The template's text for the case, in the case's language (or `language`). Without a
    text in that language, the company language's text is shown with missing=True (then any
    text there is): the page says so rather than silently answering in another language.
    Dates and amounts are written the way the shown language writes them."""
    wanted = language or case.language
    texts = {t.language: t for t in template.texts.all()}
    chosen = texts.get(wanted)
    if chosen is None:
        fallbacks = [settings.LANGUAGE_CODE] + [code for code, _n in settings.LANGUAGES]
        chosen = next((texts[code] for code in fallbacks if code in texts), None)
    if chosen is None:
        return Rendered(
            text="", subject="", language=wanted, shown_language="", missing=True, unknown=[]
        )
    with translation.override(chosen.language):
        values = _values(case, agent)
    body, unknown, unfilled = fill(chosen.body, values)
    subject, unknown_s, unfilled_s = fill(chosen.subject, values)
    return Rendered(
        text=body,
        subject=subject,
        language=wanted,
        shown_language=chosen.language,
        missing=chosen.language != wanted,
        unknown=unknown + [n for n in unknown_s if n not in unknown],
        unfilled=unfilled + [n for n in unfilled_s if n not in unfilled],
    )


def templates_for(
    case: Complaint, *, actions: list[str] | None = None, playbook: Playbook | None = None
) -> list[ReplyTemplate]:
    """The active templates that fit the case's kind and category and, when `actions` is
    given, one of those steps (templates for no step fit a message to the customer). The
    playbook's own templates (of `playbook`, else the case's) come first."""
    query = (
        ReplyTemplate.objects.filter(active=True)
        .filter(Q(kind="") | Q(kind=case.kind))
        .filter(Q(category__isnull=True) | Q(category_id=case.category_id))
        .prefetch_related("texts")
    )
    if actions is not None:
        query = query.filter(Q(action="") | Q(action__in=actions))
    found = list(query)
    playbook = playbook or playbook_for(case)
    preferred = set(playbook.templates.values_list("pk", flat=True)) if playbook else set()
    found.sort(
        key=lambda t: (
            t.pk not in preferred,
            t.category_id is None,
            t.kind == "",
            t.position,
            t.name,
        )
    )
    return found

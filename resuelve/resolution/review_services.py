"""Writes for the classification statistics reviews (G3): start a review of a period, keep
the draft (analysis and proposed improvements), and submit it, which freezes the figures
and turns every proposal into an improvement action through improvement_action_save."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import Department, User
from resuelve.complaints.lifecycle import NotAllowed
from resuelve.resolution import review_selectors as selectors
from resuelve.resolution import services as resolution_services
from resuelve.resolution.models import (
    ClassificationReview,
    ImprovementKind,
    ReviewProposal,
    ReviewStatus,
    RootCause,
)

MAX_MONTHS = 24


@dataclass(frozen=True)
class ProposalData:
    title: str
    cause: RootCause
    owner: User
    due_on: date
    kind: str = ImprovementKind.PREVENTIVE
    description: str = ""


def _check_department(actor: User, department: Department | None) -> None:
    if department is None or actor.sees_all_departments:
        return
    if department.pk not in actor.department_ids():
        raise NotAllowed(_("You review only the departments you supervise."))


def classification_review_start(
    *, actor: User, start: date, end: date, department: Department | None
) -> ClassificationReview:
    """Open a draft review of whole months (at most two years, not in the future) for one
    department the actor supervises, or for everything within their scope."""
    if not selectors.may_write_reviews(actor):
        raise NotAllowed(_("Only supervisors and managers write classification reviews."))
    _check_department(actor, department)
    start, end = start.replace(day=1), end.replace(day=1)
    if start > end:
        raise ValidationError({"start": _("The period starts after it ends.")})
    if end > timezone.localdate().replace(day=1):
        raise ValidationError({"end": _("The period cannot end in a future month.")})
    if selectors.months_in(start, end) > MAX_MONTHS:
        raise ValidationError({"start": _("A review covers at most two years.")})
    now = timezone.now()
    return ClassificationReview.objects.create(
        start=start,
        end=end,
        department=department,
        author=actor,
        created_at=now,
        updated_at=now,
    )


def _locked_draft(review: ClassificationReview, actor: User) -> ClassificationReview:
    locked = ClassificationReview.objects.select_for_update().get(pk=review.pk)
    if not locked.is_draft:
        raise NotAllowed(_("This review is submitted; it can no longer be changed."))
    if not selectors.may_edit_review(actor, locked):
        raise NotAllowed(_("Only the author or a manager changes this review."))
    return locked


def _check_proposals(proposals: Sequence[ProposalData]) -> None:
    for proposal in proposals:
        if not proposal.title.strip():
            raise ValidationError(_("Give every proposed improvement a title."))
        if not proposal.cause.active:
            raise ValidationError(
                _("The cause “%(cause)s” is no longer in use.") % {"cause": proposal.cause}
            )
        if proposal.kind not in ImprovementKind.values:
            raise ValidationError(_("Choose corrective or preventive."))


def _store(
    review: ClassificationReview, *, analysis: str, proposals: Sequence[ProposalData]
) -> None:
    review.analysis = analysis.strip()
    review.updated_at = timezone.now()
    review.save(update_fields=["analysis", "updated_at"])
    review.proposals.all().delete()
    ReviewProposal.objects.bulk_create(
        ReviewProposal(
            review=review,
            position=index,
            title=p.title.strip(),
            kind=p.kind,
            description=p.description.strip(),
            cause=p.cause,
            owner=p.owner,
            due_on=p.due_on,
        )
        for index, p in enumerate(proposals)
    )


def classification_review_save(
    *,
    review: ClassificationReview,
    actor: User,
    analysis: str,
    proposals: Sequence[ProposalData],
) -> ClassificationReview:
    """Keep the draft's analysis and its proposals (the list replaces the previous one)."""
    _check_proposals(proposals)
    with transaction.atomic():
        locked = _locked_draft(review, actor)
        _store(locked, analysis=analysis or "", proposals=proposals)
    return locked


def classification_review_submit(
    *,
    review: ClassificationReview,
    actor: User,
    analysis: str,
    proposals: Sequence[ProposalData],
) -> ClassificationReview:
    """Submit the review: it needs the analysis; the figures shown are frozen into the record
    and every proposal becomes an improvement action (created as any other, by the actor),
    all in one transaction. A submitted review is read-only."""
    analysis = (analysis or "").strip()
    if not analysis:
        raise ValidationError({"analysis": _("Write the analysis before submitting.")})
    _check_proposals(proposals)
    with transaction.atomic():
        locked = _locked_draft(review, actor)
        _store(locked, analysis=analysis, proposals=proposals)
        locked.statistics = selectors.review_statistics(
            author=locked.author,
            start=locked.start,
            end=locked.end,
            department_id=locked.department_id,
        )
        for proposal in locked.proposals.select_related("cause", "owner"):
            proposal.action = resolution_services.improvement_action_save(
                actor=actor,
                title=proposal.title,
                kind=proposal.kind,
                cause=proposal.cause,
                owner=proposal.owner,
                due_on=proposal.due_on,
                description=proposal.description,
            )
            proposal.save(update_fields=["action"])
        now = timezone.now()
        locked.status = ReviewStatus.SUBMITTED
        locked.submitted_at = now
        locked.updated_at = now
        locked.save(update_fields=["statistics", "status", "submitted_at", "updated_at"])
    return locked

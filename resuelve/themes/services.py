"""Writes: building the themes, and turning a theme into an improvement action or a product
idea (REQUIREMENTS G4)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Kind, NotAllowed, State
from resuelve.complaints.models import Complaint
from resuelve.resolution import services as resolution_services
from resuelve.resolution.models import (
    ImprovementAction,
    ImprovementKind,
    Investigation,
    RootCause,
)
from resuelve.themes import selectors
from resuelve.themes import themes as model
from resuelve.themes.models import IdeaStatus, ProductIdea, Theme, ThemeMember, ThemeRun

# Praise names no need: compliments stay out; merged duplicates would count a case twice.
THEME_KINDS = (Kind.SUGGESTION, Kind.COMPLAINT, Kind.CLAIM, Kind.PETITION)
MONTHS = 24  # RESUELVE_THEMES_MONTHS: how far back the texts are read
CAP = 50_000  # RESUELVE_THEMES_MAX_TEXTS: the model learns from at most this many
EXAMPLES_KEPT = 12
KEEP_RUNS = 3
CHUNK = 2000
LINKED_CASES = 10

Progress = Callable[[str], None]


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class _Tally:
    members: list[int] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)


FIELDS = ("id", "tracking_code", "subject", "description", "language", "kind", "received_at",
          "confidential", "department_id", "category_id", "product_id",
          "purchase__batch")  # fmt: skip


def _rows(ids: list[int]) -> Iterator[list[dict[str, Any]]]:
    """The cases' fields in chunks, each with its investigation's root cause ("cause_id")."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {r["id"]: r for r in Complaint.objects.filter(pk__in=chunk).values(*FIELDS)}
        causes = dict(
            Investigation.objects.filter(complaint_id__in=chunk, cause__isnull=False).values_list(
                "complaint_id", "cause_id"
            )
        )
        for pk, row in rows.items():
            row["cause_id"] = causes.get(pk)
        yield [rows[pk] for pk in chunk if pk in rows]


def _text(row: dict[str, Any]) -> str:
    return f"{row['subject']}\n{row['description']}"


def _tags(row: dict[str, Any]) -> list[str]:
    """What links the case to others whatever its language: its category, product, the lot
    it bought (within the product) and its investigation's root cause. The more specific
    ones keep apart different needs that share a broad category and product."""
    names = ("category", "product", "cause")
    tags = [f"{name}:{row[f'{name}_id']}" for name in names if row[f"{name}_id"]]
    if row["purchase__batch"]:
        tags.append(f"lot:{row['product_id']}/{row['purchase__batch']}")
    return tags


def themes_build(
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    random_state: int = 0,
    max_texts: int | None = None,
) -> ThemeRun:
    """Group the suggestions and complaints of the last RESUELVE_THEMES_MONTHS months into
    themes and store them as a new run (the last KEEP_RUNS are kept). The model learns from
    at most RESUELVE_THEMES_MAX_TEXTS texts, a fixed sample, and then every text is put in
    its nearest theme. Confidential cases count in the themes, but are never an example."""
    say = progress or (lambda message: None)
    now = now or timezone.now()
    months_back = _setting("RESUELVE_THEMES_MONTHS", MONTHS)
    cap = max_texts or _setting("RESUELVE_THEMES_MAX_TEXTS", CAP)
    since = now - timedelta(days=round(months_back * 365.25 / 12))
    ids = list(
        Complaint.objects.filter(received_at__gte=since, received_at__lte=now, kind__in=THEME_KINDS)
        .exclude(state=State.MERGED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    sample = ids if len(ids) <= cap else sorted(random.Random(random_state).sample(ids, cap))
    say(f"{len(ids):,} texts since {since:%Y-%m-%d}; learning from {len(sample):,}")
    learned: list[dict[str, Any]] = [row for rows in _rows(sample) for row in rows]
    found = model.discover(
        [_text(r) for r in learned],
        tags=[_tags(r) for r in learned],
        languages=[r["language"] or "?" for r in learned],
        random_state=random_state,
    )
    say(f"{len(found.themes)} themes (silhouette {found.silhouette}, tried {found.tried})")

    tallies = [_Tally() for _ in found.themes]
    keys = model.month_keys(timezone.localdate(now))
    wanted_months = set(keys)

    def count(row: dict[str, Any], theme: int) -> None:
        tally = tallies[theme]
        tally.members.append(row["id"])
        tally.languages[row["language"] or "?"] += 1
        tally.kinds[row["kind"]] += 1
        month = f"{timezone.localtime(row['received_at']):%Y-%m}"
        if month in wanted_months:
            tally.months[month] += 1

    for row, theme in zip(learned, found.labels, strict=True):
        count(row, theme)
    rest = sorted(set(ids) - set(sample))
    done = len(learned)
    for rows in _rows(rest):
        assert found.assign is not None
        placed = found.assign([_text(r) for r in rows], [_tags(r) for r in rows])
        for row, theme in zip(rows, placed, strict=True):
            count(row, theme)
        done += len(rows)
        say(f"{done:,} of {len(ids):,} texts placed")

    with transaction.atomic():
        run = ThemeRun.objects.create(
            built_at=now,
            n_texts=len(ids),
            params={
                "months": keys,
                "since": since.isoformat(),
                "learned_from": len(sample),
                "silhouette": found.silhouette,
                "tried": {str(k): v for k, v in found.tried.items()},
                "random_state": random_state,
            },
        )
        for position, (theme, tally) in enumerate(zip(found.themes, tallies, strict=True)):
            monthly = [tally.months.get(k, 0) for k in keys]
            examples = [
                {
                    "id": learned[i]["id"],
                    "code": learned[i]["tracking_code"],
                    "subject": learned[i]["subject"][:200],
                    "department": learned[i]["department_id"],
                }
                for i in theme.nearest
                if not learned[i]["confidential"]
            ][:EXAMPLES_KEPT]
            row = Theme.objects.create(
                run=run,
                position=position,
                label=theme.label[:200] or _("(no words)"),
                terms=theme.terms,
                terms_by_language=[[lang, words] for lang, words in theme.by_language.items()],
                size=len(tally.members),
                examples=examples,
                languages=dict(tally.languages),
                kinds=dict(tally.kinds),
                monthly=monthly,
                recent=sum(monthly[-3:]),
                growth=model.growth(monthly),
            )
            ThemeMember.objects.bulk_create(
                (ThemeMember(theme=row, complaint_id=pk) for pk in tally.members),
                batch_size=CHUNK,
            )
        old = ThemeRun.objects.order_by("-built_at", "-id").values_list("pk", flat=True)
        ThemeRun.objects.filter(pk__in=list(old[KEEP_RUNS:])).delete()
    say(f"stored run {run.pk}")
    return run


def _check_promotes(actor: User) -> None:
    if not selectors.may_promote(actor):
        raise NotAllowed(_("Only supervisors and managers promote themes."))


def _summary(theme: Theme) -> str:
    text = _("Theme “%(label)s”: %(size)s cases, %(recent)s in the last three months.") % {
        "label": theme.label,
        "size": theme.size,
        "recent": theme.recent,
    }
    return text


def theme_promote_action(
    *,
    theme: Theme,
    actor: User,
    cause: RootCause,
    owner: User,
    due_on: date,
    title: str = "",
    description: str = "",
    linked: int = LINKED_CASES,
) -> ImprovementAction:
    """A preventive improvement action against the theme, linked to up to `linked` of its
    cases that the actor may open (its examples first)."""
    _check_promotes(actor)
    with transaction.atomic():
        action = resolution_services.improvement_action_save(
            actor=actor,
            title=(title or "").strip() or _("Prevent: %(label)s") % {"label": theme.label},
            kind=ImprovementKind.PREVENTIVE,
            cause=cause,
            owner=owner,
            due_on=due_on,
            description=(description or "").strip() or _summary(theme),
        )
        for pk in selectors.theme_member_ids(theme=theme, user=actor, limit=linked):
            complaint = Complaint.objects.get(pk=pk)
            resolution_services.improvement_link(action=action, complaint=complaint, actor=actor)
    return action


def theme_promote_idea(
    *, theme: Theme | None, actor: User, title: str = "", description: str = ""
) -> ProductIdea:
    """A new entry on the product idea list, from a theme or on its own."""
    _check_promotes(actor)
    title = (title or "").strip() or (theme.label if theme is not None else "")
    if not title:
        raise ValidationError({"title": _("Give the idea a title.")})
    return ProductIdea.objects.create(
        title=title[:200],
        description=(description or "").strip() or (_summary(theme) if theme is not None else ""),
        theme=theme,
        theme_label=theme.label if theme is not None else "",
        created_by=actor,
        created_at=timezone.now(),
    )


def product_idea_set_status(*, idea: ProductIdea, actor: User, status: str) -> ProductIdea:
    """Move an idea through review: managers and administrators decide."""
    if not selectors.may_decide_ideas(actor):
        raise NotAllowed(_("Only managers decide on product ideas."))
    if status not in IdeaStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        idea = ProductIdea.objects.select_for_update().get(pk=idea.pk)
        if idea.status != status:
            idea.status = status
            idea.status_changed_by = actor
            idea.status_changed_at = timezone.now()
            idea.save(update_fields=["status", "status_changed_by", "status_changed_at"])
    return idea

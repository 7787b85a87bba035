"""Reads: who may see and act on the themes, the latest build's themes as a reader may see
them (rising first, examples only from cases the reader may open), and the idea list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import Kind
from resuelve.themes import themes as model
from resuelve.themes.models import ProductIdea, Theme, ThemeRun

if TYPE_CHECKING:
    from resuelve.accounts.models import User

READS_THEMES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.AUDITOR})
PROMOTES_THEMES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
DECIDES_IDEAS = frozenset({Role.MANAGER, Role.ADMIN})
EXAMPLES_SHOWN = 3
KIND_LABELS: dict[str, Any] = dict(Kind.choices)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_read(user: User) -> bool:
    return _active(user) and (user.is_superuser or user.role in READS_THEMES)


def may_promote(user: User) -> bool:
    """Who turns a theme into an improvement action or a product idea."""
    return _active(user) and (user.is_superuser or user.role in PROMOTES_THEMES)


def may_decide_ideas(user: User) -> bool:
    """Who moves a product idea through review (accepts or rejects it)."""
    return _active(user) and (user.is_superuser or user.role in DECIDES_IDEAS)


def run_latest() -> ThemeRun | None:
    return ThemeRun.objects.order_by("-built_at", "-id").first()


@dataclass(frozen=True)
class Bar:
    month: str
    count: int
    height: int  # percent of the tallest month of all themes


@dataclass(frozen=True)
class ThemeView:
    theme: Theme
    rising: bool
    bars: list[Bar]
    examples: list[dict[str, Any]]
    languages: list[tuple[str, int]]
    kinds: list[tuple[str, int]]


def rank_key(theme: Theme) -> tuple[bool, float, int, int]:
    """Rising themes first (by growth), then the others by size."""
    return (
        not model.is_rising(theme.growth),
        -(theme.growth or 0.0) if model.is_rising(theme.growth) else 0.0,
        -theme.size,
        theme.position,
    )


def themes_for(*, user: User, run: ThemeRun) -> list[ThemeView]:
    """The run's themes, rising first; each with at most three examples, only from cases
    the user may open (a supervisor sees examples from their departments only)."""
    from resuelve.complaints.selectors import complaints_visible_to

    found = sorted(run.themes.all(), key=rank_key)
    wanted = {e["id"] for t in found for e in t.examples}
    allowed = set(complaints_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))
    months = run.params.get("months", [])
    tallest = max((c for t in found for c in t.monthly), default=0) or 1
    views = []
    for theme in found:
        bars = [
            Bar(month=m, count=c, height=max(4 if c else 0, round(100 * c / tallest)))
            for m, c in zip(months, theme.monthly, strict=False)
        ]
        views.append(
            ThemeView(
                theme=theme,
                rising=model.is_rising(theme.growth),
                bars=bars,
                examples=[e for e in theme.examples if e["id"] in allowed][:EXAMPLES_SHOWN],
                languages=sorted(theme.languages.items(), key=lambda kv: (-kv[1], kv[0])),
                kinds=[
                    (KIND_LABELS.get(k, k), n)
                    for k, n in sorted(theme.kinds.items(), key=lambda kv: (-kv[1], kv[0]))
                ],
            )
        )
    return views


def theme_member_ids(*, theme: Theme, user: User, limit: int) -> list[int]:
    """Cases of the theme the user may open, its examples first."""
    from resuelve.complaints.selectors import complaints_visible_to

    members = theme.members.values_list("complaint_id", flat=True)
    visible = complaints_visible_to(user).filter(pk__in=members)
    examples = [e["id"] for e in theme.examples]
    first = set(visible.filter(pk__in=examples).values_list("pk", flat=True))
    chosen = [pk for pk in examples if pk in first][:limit]
    if len(chosen) < limit:
        more = visible.exclude(pk__in=chosen).order_by("-received_at", "-id")
        chosen += list(more.values_list("pk", flat=True)[: limit - len(chosen)])
    return chosen


def ideas_list() -> QuerySet[ProductIdea]:
    return ProductIdea.objects.select_related("created_by", "status_changed_by", "theme")

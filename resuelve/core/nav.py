"""The staff navigation: which pages each role reaches, grouped into menus, so the top bar
stays one line however many pages the product has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SUPERVISING = {"supervisor", "manager", "admin", "auditor"}


def _anyone(user: Any) -> bool:
    return True


def _writer(user: Any) -> bool:
    return not getattr(user, "read_only", False)


def _supervising(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") in SUPERVISING)


def _managing(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") in {"manager", "admin", "auditor"})


def _people(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") in {"manager", "admin", "hr"})


def _customers(user: Any) -> bool:
    from resuelve.customers.selectors import may_see_customers

    return may_see_customers(user)


def _specialist(user: Any) -> bool:
    from resuelve.revisits.access import specialist_of

    return specialist_of(user) is not None


def _revisit_supervisor(user: Any) -> bool:
    from resuelve.revisits.access import may_supervise

    return may_supervise(user)


def _revisit_reader(user: Any) -> bool:
    from resuelve.revisits.access import may_read_reports

    return may_read_reports(user)


def _analytics(user: Any) -> bool:
    from resuelve.analytics.selectors import may_read

    return may_read(user)


def _early_warning(user: Any) -> bool:
    from resuelve.earlywarning.selectors import may_read

    return may_read(user)


def _campaigns(user: Any) -> bool:
    from resuelve.campaigns.access import may_see

    return may_see(user)


def _themes(user: Any) -> bool:
    from resuelve.themes.selectors import may_read

    return may_read(user)


def _own_scorecard(user: Any) -> bool:
    return not _analytics(user)


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url_name: str
    allowed: Callable[[Any], bool] = _anyone


# (menu label or None for the top bar itself, links). Pages whose URL is not installed are
# left out, so an app can be removed without editing this list.
MENUS: tuple[tuple[str | Promise | None, tuple[Link, ...]], ...] = (
    (
        None,
        (
            Link(_("Queue"), "complaints:queue"),
            Link(_("New complaint"), "staff_intake:new", _writer),
            Link(_("Requests for input"), "resolution:cooperation", _writer),
            Link(_("My watches"), "watchers:list"),
            Link(_("Social networks"), "social:watch", _writer),
        ),
    ),
    (
        _("Customers"),
        (
            Link(_("Customers"), "customers:list", _customers),
            Link(_("My calls today"), "revisits:today", _specialist),
            Link(_("Revisit list"), "revisits:list", _revisit_supervisor),
            Link(_("Survey follow-up"), "followup:tasks", _supervising),
            Link(_("Customer samples"), "customers:samples", _supervising),
            Link(_("Rewards and recognition"), "remedies:rewards", _managing),
            Link(_("Remedy campaigns"), "campaigns:list", _campaigns),
        ),
    ),
    (
        _("Reports"),
        (
            Link(_("Complaints dashboard"), "analytics:overview", _analytics),
            Link(_("Scorecards"), "analytics:scorecards", _analytics),
            Link(_("Management reports"), "reports:index", _analytics),
            Link(_("Regulator reports"), "analytics:regulator", _analytics),
            Link(_("My scorecard"), "analytics:scorecards", _own_scorecard),
            Link(_("Deadline compliance"), "deadlines:compliance", _supervising),
            Link(_("Compensation ledger"), "remedies:ledger", _supervising),
            Link(_("Satisfaction results"), "followup:results", _supervising),
            Link(_("Revisit coverage"), "revisits:coverage", _revisit_reader),
            Link(_("Revisit outcomes"), "revisits:summary", _revisit_reader),
            Link(_("Revisit archive"), "revisits:archive", _revisit_reader),
            Link(_("Playbook results"), "guidance:report", _supervising),
            Link(_("Conduct overrides"), "conduct:overrides", _supervising),
            Link(_("Early warnings"), "earlywarning:list", _early_warning),
            Link(_("Themes and ideas"), "themes:themes", _themes),
            Link(_("Product ideas"), "themes:ideas", _themes),
            Link(_("Improvement actions"), "resolution:improvements", _supervising),
            Link(_("Classification reviews"), "resolution:reviews", _supervising),
            Link(_("Accountability"), "resolution:accountability", _people),
        ),
    ),
    (
        _("People"),
        (
            Link(_("Competences and training"), "people:list"),
            Link(_("Contests"), "people:contests"),
        ),
    ),
)


def staff_menus(user: Any, path: str) -> list[dict[str, Any]]:
    """The menus `user` sees: [{"label", "links": [{"label", "url", "current"}], "current"}].
    The current page is the link with the longest URL that the path starts with."""
    menus: list[dict[str, Any]] = []
    for label, links in MENUS:
        shown = []
        for link in links:
            try:
                allowed = link.allowed(user)
            except Exception:  # an optional app's check failed: the link is simply not shown
                allowed = False
            if not allowed:
                continue
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            shown.append({"label": link.label, "url": url, "current": False})
        if shown:
            menus.append({"label": label, "links": shown, "current": False})
    candidates = [
        (len(link["url"]), menu, link)
        for menu in menus
        for link in menu["links"]
        if path == link["url"] or (path.startswith(link["url"]) and link["url"] != "/staff/")
    ]
    if candidates:
        _, menu, link = max(candidates, key=lambda c: c[0])
        link["current"] = True
        menu["current"] = True
    return menus

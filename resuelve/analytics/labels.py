"""What a dimension's keys are called on the dashboards, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel


def _names(model_path: str, keys: Iterable[str], field: str = "name") -> dict[str, str]:
    from django.apps import apps

    model = apps.get_model(model_path)
    ids = [int(k) for k in keys if k.isdigit()]
    return {str(pk): name for pk, name in model.objects.filter(pk__in=ids).values_list("pk", field)}


MODELS = {
    "category": "complaints.Category",
    "cause": "resolution.RootCause",
    "product": "customers.Product",
    "supplier": "customers.Supplier",
    "branch": "customers.Branch",
    "region": "customers.Region",
    "policy": "deadlines.DeadlinePolicy",
    "department": "accounts.Department",
}


def labels(dim: str, keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    none = {
        "category": _("No category"),
        "cause": _("No cause found yet"),
        "product": _("No product"),
        "supplier": _("No supplier"),
        "branch": _("No branch"),
        "region": _("No region"),
        "policy": _("Company standard term"),
        "department": _("Not routed"),
        "assignee": _("Not taken yet"),
    }
    if dim == "kind":
        found = {k.value: str(k.label) for k in Kind}
    elif dim == "channel":
        found = {c.value: str(c.label) for c in Channel}
    elif dim == "language":
        found = {code: _(name) for code, name in settings.LANGUAGES}
    elif dim == "assignee":
        from resuelve.accounts.models import User

        ids = [int(k) for k in keys if k.isdigit()]
        found = {str(u.pk): str(u) for u in User.objects.filter(pk__in=ids)}
    elif dim in MODELS:
        found = _names(MODELS[dim], keys)
    else:
        found = {}
    return {k: found.get(k) or (none.get(dim, "—") if k == "" else k) for k in keys}

"""Command options that may also come from the environment."""

from __future__ import annotations

import os

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw.strip() else default
    except ValueError as exc:
        raise CommandError(
            _("%(name)s=%(value)r is not a whole number.") % {"name": name, "value": raw}
        ) from exc

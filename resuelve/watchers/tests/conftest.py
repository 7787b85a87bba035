from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from resuelve.accounts.models import User
from resuelve.notifications.tasks import send_due
from resuelve.watchers import services
from resuelve.watchers.models import Watch


@pytest.fixture
def watch_for(clock: Any):  # type: ignore[no-untyped-def]
    """watch_for(user, department=None, **values): a watch through the service."""

    def make(actor: User, *, department: Any = None, **values: Any) -> Watch:
        values.setdefault("on_new", True)
        values.setdefault("mode", "instant")
        return services.watch_create(actor=actor, values=values, department=department)

    return make


@pytest.fixture
def sent_mail(clock: Any):  # type: ignore[no-untyped-def]
    """sent_mail(): send the due outbox rows and return the staff e-mails sent so far."""

    def collect() -> list[Any]:
        send_due(now=clock())
        return [m for m in mail.outbox if m.to[0].endswith("@resuelve.test")]

    return collect

"""Who runs campaigns: the quality department is the configured one (the demo's "calidad")."""

from __future__ import annotations

import pytest

from resuelve.accounts.models import Department, User
from resuelve.campaigns import access

pytestmark = pytest.mark.django_db


def _handler(code: str) -> User:
    user = User.objects.create_user(username=f"h-{code}", password="x", role="handler")
    user.departments.add(Department.objects.create(code=code, name=code))
    return user


def test_a_handler_of_the_configured_quality_department_runs_campaigns(settings) -> None:
    del settings.RESUELVE_QUALITY_DEPARTMENT  # the default: "calidad", the demo's quality
    calidad, other = _handler("calidad"), _handler("quality")
    assert access.may_see(calidad) and access.may_run(calidad)
    assert not access.may_approve(calidad)
    assert not access.may_see(other)
    settings.RESUELVE_QUALITY_DEPARTMENT = "quality"
    assert access.may_run(other) and not access.may_see(calidad)

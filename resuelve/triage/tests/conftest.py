from __future__ import annotations

from collections.abc import Iterator

import pytest

from resuelve.accounts.models import Department
from resuelve.complaints.models import Category
from resuelve.demo import company
from resuelve.triage import selectors


@pytest.fixture(autouse=True)
def _fresh_knowledge() -> Iterator[None]:
    # The per-process cache must not carry one test's rules or model into the next.
    selectors.forget_knowledge()
    yield
    selectors.forget_knowledge()


@pytest.fixture
def demo_categories(db: None) -> dict[str, Category]:
    """The demo company's departments and categories (resuelve.demo.company)."""
    departments = {
        code: Department.objects.create(code=code, name=name)
        for code, name, _head, _duties in company.DEPARTMENTS
    }
    return {
        code: Category.objects.create(
            code=code, name=name, default_department=departments[department]
        )
        for code, name, department in company.CATEGORIES
    }


@pytest.fixture(autouse=True)
def _english(settings) -> None:
    # These tests read the commands' reports in English; the translations are checked apart.
    settings.LANGUAGE_CODE = "en"

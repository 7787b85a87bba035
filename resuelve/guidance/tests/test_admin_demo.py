"""The administration's playbook and template pages, and the demo seed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from resuelve.accounts.models import Department, User
from resuelve.complaints.models import Category
from resuelve.guidance.demo import ensure_demo_guidance
from resuelve.guidance.models import Playbook, PlaybookStep, ReplyTemplate, ReplyTemplateText

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def demo_categories(db: None) -> None:
    workshop = Department.objects.create(code="taller", name="Taller")
    for code in ("repuestos", "entrega", "atencion"):
        Category.objects.create(code=code, name=code.title(), default_department=workshop)


def test_it_seeds_the_demo_once_with_one_template_missing_estonian(demo_categories: None) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert ensure_demo_guidance(now) == 3
    assert ensure_demo_guidance(now) == 0  # idempotent
    assert Playbook.objects.count() == 3 and ReplyTemplate.objects.count() == 5
    assert PlaybookStep.objects.filter(playbook__category__code="repuestos").count() == 4
    missing = {t.code: t.missing_languages() for t in ReplyTemplate.objects.all()}
    assert missing.pop("pedir-datos") == ["et"]
    assert all(languages == [] for languages in missing.values())
    assert ReplyTemplateText.objects.count() == 5 * 4 - 1


def test_it_lists_templates_with_their_missing_languages_in_the_admin(
    client: Client, admin: User, demo_categories: None
) -> None:
    ensure_demo_guidance(datetime(2026, 1, 1, tzinfo=UTC))
    client.force_login(admin)
    page = client.get("/admin/guidance/replytemplate/", **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Missing languages" in html and "Estonian" in html
    playbook = Playbook.objects.get(category__code="repuestos")
    page = client.get(f"/admin/guidance/playbook/{playbook.pk}/change/", **EN)
    assert page.status_code == 200
    assert "Verificar el pedido" in page.content.decode()


def test_it_refuses_in_the_admin_a_usual_amount_above_the_front_line_limit(
    client: Client, admin: User, demo_categories: None
) -> None:
    client.force_login(admin)
    category = Category.objects.get(code="entrega")
    response = client.post(
        "/admin/guidance/playbook/add/",
        {
            "name": "Too generous",
            "category": category.pk,
            "kind": "",
            "active": "on",
            "usual_remedy": "A new car",
            "usual_amount": "900000",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
        },
        **EN,
    )
    assert response.status_code == 200
    assert "within the front-line limit of 200,000" in response.content.decode()
    assert not Playbook.objects.exists()


def test_it_creates_a_playbook_with_its_steps_in_the_admin(
    client: Client, admin: User, demo_categories: None
) -> None:
    client.force_login(admin)
    category = Category.objects.get(code="entrega")
    response = client.post(
        "/admin/guidance/playbook/add/",
        {
            "name": "Late delivery",
            "category": category.pk,
            "kind": "",
            "active": "on",
            "usual_remedy": "Discount",
            "usual_amount": "150000",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-order": "1",
            "steps-0-text": "Ask logistics",
            "steps-0-translations": "{}",
            "steps-1-order": "2",
            "steps-1-text": "Tell the customer",
            "steps-1-translations": '{"xx": "?"}',
        },
        **EN,
    )
    assert response.status_code == 200  # the unknown language code is refused
    assert "Give texts by language code" in response.content.decode()
    data = {"steps-1-translations": '{"en": "Tell the customer"}'}
    response = client.post(
        "/admin/guidance/playbook/add/",
        {
            "name": "Late delivery",
            "category": category.pk,
            "kind": "",
            "active": "on",
            "usual_remedy": "Discount",
            "usual_amount": "150000",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-order": "1",
            "steps-0-text": "Ask logistics",
            "steps-0-translations": "{}",
            "steps-1-order": "2",
            "steps-1-text": "Tell the customer",
            **data,
        },
        **EN,
    )
    assert response.status_code == 302
    playbook = Playbook.objects.get(name="Late delivery")
    assert playbook.created_at is not None
    assert [s.text for s in playbook.steps.all()] == ["Ask logistics", "Tell the customer"]

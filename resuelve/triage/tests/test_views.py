"""The suggestion where people look: the case page and the API."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from resuelve.accounts.models import User
from resuelve.accounts.tokens import token_create
from resuelve.complaints.models import Category, Complaint
from resuelve.testing.fixtures import MakeComplaint
from resuelve.triage import services

SUGGESTION = {
    "category": "product-defect",
    "kind": "claim",
    "severity": "critical",
    "language": "es",
    "confidence": 0.873,
    "source": "model",
}


def with_suggestion(case: Complaint, suggestion: dict[str, object] | None) -> Complaint:
    Complaint.objects.filter(pk=case.pk).update(suggestion=suggestion)
    case.refresh_from_db()
    return case


def page(client: Client, user: User, case: Complaint) -> str:
    client.force_login(user)
    response = client.get(
        reverse("complaints:case", kwargs={"code": case.tracking_code}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response.content.decode()


class TestCasePage:
    def test_it_shows_what_triage_suggested(
        self, client: Client, make_complaint: MakeComplaint, manager: User, category: Category
    ) -> None:
        case = with_suggestion(make_complaint(), SUGGESTION)
        html = page(client, manager, case)
        assert "Suggested at intake" in html
        assert "Product defect · Claim (reclamo)" in html
        assert 'class="badge sev-critical"' in html
        assert "87% confidence, from the model trained on this company" in html

    def test_it_says_when_the_rules_suggested_no_category(
        self, client: Client, make_complaint: MakeComplaint, manager: User
    ) -> None:
        case = with_suggestion(
            make_complaint(), {**SUGGESTION, "category": None, "source": "rules", "confidence": 0}
        )
        html = page(client, manager, case)
        assert "no category · Claim" in html and "0% confidence, from the keyword rules" in html

    def test_it_shows_nothing_without_a_suggestion(
        self, client: Client, make_complaint: MakeComplaint, manager: User
    ) -> None:
        case = with_suggestion(make_complaint(), None)
        assert "Suggested at intake" not in page(client, manager, case)


class TestApi:
    def test_it_shows_the_suggestion_on_the_complaint(
        self, client: Client, make_complaint: MakeComplaint, manager: User
    ) -> None:
        case = with_suggestion(make_complaint(), SUGGESTION)
        _row, token = token_create(user=manager, name="tests")
        response = client.get(
            f"/api/v1/complaints/{case.tracking_code}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 200
        assert response.json()["suggestion"] == {
            "category": "product-defect",
            "kind": "claim",
            "severity": "critical",
            "language": "es",
            "confidence": 0.873,
        }
        with_suggestion(case, None)
        response = client.get(
            f"/api/v1/complaints/{case.tracking_code}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.json()["suggestion"] is None


class TestDemoRules:
    def test_it_seeds_rules_for_every_demo_category_once(
        self, demo_categories: dict[str, Category]
    ) -> None:
        from resuelve.triage.models import KeywordRule
        from resuelve.triage.selectors import suggest_for

        assert services.seed_demo_rules() == 36  # 9 categories x 4 languages
        assert services.seed_demo_rules() == 0
        assert KeywordRule.objects.values("category").distinct().count() == 9
        found = suggest_for(subject="Vale varuosa", description="Sain teise mudeli osad.")
        assert found.category == "repuestos" and found.language == "et"

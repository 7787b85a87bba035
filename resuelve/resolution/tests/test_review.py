"""The classification statistics review (G3) against a fixture counted by hand.

Quality's complaints, February 2025 reviewed against January 2025 (Bogotá time; the clock
stands at 3 March 2025):

    case  received    category        root cause        state          on time
    J1    10 Jan      product defect  supplier          assigned       late (due end of Jan)
    J2    15 Jan      billing         (none yet)        assigned       late
    F1    27 Feb      product defect  supplier          communicated   on time (4 days)
    F2    25 Feb      product defect  product defect    assigned       not due yet
    F3    26 Feb      billing         supplier          assigned       not due yet
    W1    20 Feb      product defect  supplier          workshop's case, outside quality
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from resuelve.accounts.models import Department, User
from resuelve.analytics.refresh import analytics_rebuild
from resuelve.complaints.lifecycle import NotAllowed, State
from resuelve.complaints.models import Category, Complaint
from resuelve.resolution import review_selectors, review_services
from resuelve.resolution.models import (
    ClassificationReview,
    ImprovementAction,
    Investigation,
    ReviewStatus,
    RootCause,
)
from resuelve.testing.fixtures import START, MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FEB, JAN = date(2025, 2, 1), date(2025, 1, 1)


def at(day: str) -> datetime:
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, 14, 0, tzinfo=UTC)


@pytest.fixture
def billing(quality: Department) -> Category:
    return Category.objects.create(code="billing", name="Billing", default_department=quality)


@pytest.fixture
def supplier() -> RootCause:
    return RootCause.objects.get(code="proveedor")


@pytest.fixture
def defect() -> RootCause:
    return RootCause.objects.get(code="defecto-producto")


@pytest.fixture
def cases(
    make_complaint: MakeComplaint,
    billing: Category,
    supplier: RootCause,
    defect: RootCause,
    workshop: Department,
    outsider: User,
) -> dict[str, Complaint]:
    def case(day: str, cause: RootCause | None, **kwargs: Any) -> Complaint:
        kwargs.setdefault("state", State.ASSIGNED)
        made = make_complaint(received_at=at(day), **kwargs)
        if cause is not None:
            Investigation.objects.update_or_create(
                complaint=made, defaults={"cause": cause, "opened_at": START, "updated_at": START}
            )
        return made

    made = {
        "J1": case("2025-01-10", supplier),
        "J2": case("2025-01-15", None, category=billing),
        "F1": case("2025-02-27", supplier, state=State.COMMUNICATED),
        "F2": case("2025-02-25", defect),
        "F3": case("2025-02-26", supplier, category=billing),
        "W1": case("2025-02-20", supplier, department=workshop, assignee=outsider),
    }
    analytics_rebuild()
    return made


def _rows(stats: dict[str, Any], dim: str) -> dict[str, tuple[int, int]]:
    return {row["label"]: (row["received"], row["previous"]) for row in stats[dim]}


def _review(actor: User, department: Department | None) -> ClassificationReview:
    return review_services.classification_review_start(
        actor=actor, start=FEB, end=FEB, department=department
    )


def test_it_counts_the_period_and_the_one_before_by_category_and_cause(
    cases: dict[str, Complaint], supervisor: User, quality: Department
) -> None:
    with translation.override("en"):
        stats = review_selectors.review_statistics(
            author=supervisor, start=FEB, end=FEB, department_id=quality.pk
        )
    assert (stats["previous_start"], stats["previous_end"]) == ("2025-01-01", "2025-01-01")
    assert _rows(stats, "category") == {"Product defect": (2, 1), "Billing": (1, 1)}
    assert _rows(stats, "cause") == {
        "Proveedor": (2, 1),
        "Defecto del producto": (1, 0),
        "No cause found yet": (0, 1),  # J2
    }
    by_key = {row["key"]: row for row in stats["cause"]}
    supplier_row = by_key[str(RootCause.objects.get(code="proveedor").pk)]
    assert (supplier_row["difference"], supplier_row["change"]) == (1, 1.0)
    assert by_key[str(RootCause.objects.get(code="defecto-producto").pk)]["change"] is None
    total = stats["total"]
    assert (total["received"], total["previous"]) == (3, 2)  # W1 is the workshop's
    assert total["on_time_share"] == 1.0  # F1 on time; F2, F3 not due yet
    assert total["previous_on_time_share"] == 0.0  # J1 and J2 late
    assert total["reopen_rate"] == 0.0


def test_a_company_review_by_a_manager_counts_every_department(
    cases: dict[str, Complaint], manager: User
) -> None:
    stats = review_selectors.review_statistics(
        author=manager, start=FEB, end=FEB, department_id=None
    )
    assert stats["total"]["received"] == 4  # F1 F2 F3 and the workshop's W1
    assert _rows(stats, "category")["Product defect"] == (3, 1)


def _post_data(review: ClassificationReview, proposals: list[dict[str, Any]], **extra: str):
    data: dict[str, Any] = {
        "proposals-TOTAL_FORMS": str(len(proposals) + 1),
        "proposals-INITIAL_FORMS": "0",
        "proposals-MIN_NUM_FORMS": "0",
        "proposals-MAX_NUM_FORMS": "20",
        **extra,
    }
    for index, proposal in enumerate(proposals):
        for field, value in proposal.items():
            data[f"proposals-{index}-{field}"] = value
    data[f"proposals-{len(proposals)}-kind"] = "preventive"  # the untouched empty block
    return data


def _proposals(supplier: RootCause, defect: RootCause, handler: User, supervisor: User):
    return [
        {
            "title": "Inspect every pad shipment",
            "kind": "corrective",
            "cause": str(supplier.pk),
            "owner": str(handler.pk),
            "due_on": "2025-04-30",
            "description": "Sample ten pads per box.",
        },
        {
            "title": "Retrain the fitters",
            "kind": "preventive",
            "cause": str(defect.pk),
            "owner": str(supervisor.pk),
            "due_on": "2025-05-15",
        },
    ]


def test_it_submits_the_review_and_creates_an_improvement_action_per_proposal(
    client: Client,
    cases: dict[str, Complaint],
    supervisor: User,
    handler: User,
    quality: Department,
    supplier: RootCause,
    defect: RootCause,
) -> None:
    client.force_login(supervisor)
    response = client.post(
        "/staff/reviews/new/",
        {"start": "2025-02", "end": "2025-02", "department": str(quality.pk)},
        **EN,
    )
    review = ClassificationReview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/reviews/{review.pk}/"
    page = client.get(f"/staff/reviews/{review.pk}/", **EN).content.decode()
    assert 'data-cell="received">3<' in page and "Save draft" in page

    data = _post_data(
        review,
        _proposals(supplier, defect, handler, supervisor),
        analysis="Supplier complaints doubled in February.",
        submit="1",
    )
    response = client.post(f"/staff/reviews/{review.pk}/", data, **EN)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at == START
    actions = list(ImprovementAction.objects.order_by("title"))
    assert [(a.title, a.kind, a.cause, a.owner, a.due_on) for a in actions] == [
        ("Inspect every pad shipment", "corrective", supplier, handler, date(2025, 4, 30)),
        ("Retrain the fitters", "preventive", defect, supervisor, date(2025, 5, 15)),
    ]
    assert all(a.created_by == supervisor for a in actions)
    linked = {p.title: p.action for p in review.proposals.all()}
    assert linked["Inspect every pad shipment"] == actions[0]
    assert linked["Retrain the fitters"] == actions[1]
    page = client.get(f"/staff/reviews/{review.pk}/", **EN).content.decode()
    for action in actions:
        assert f'href="/staff/improvements/{action.pk}/"' in page
    assert "Save draft" not in page and "Supplier complaints doubled" in page
    # Read-only once submitted: a second post changes nothing.
    again = client.post(f"/staff/reviews/{review.pk}/", data, **EN)
    assert again.status_code == 404
    assert ImprovementAction.objects.count() == 2


def test_it_refuses_to_submit_without_the_analysis_and_keeps_the_draft(
    client: Client,
    cases: dict[str, Complaint],
    supervisor: User,
    handler: User,
    quality: Department,
    supplier: RootCause,
    defect: RootCause,
) -> None:
    review = _review(supervisor, quality)
    client.force_login(supervisor)
    data = _post_data(
        review, _proposals(supplier, defect, handler, supervisor), analysis="  ", submit="1"
    )
    response = client.post(f"/staff/reviews/{review.pk}/", data, **EN)
    assert response.status_code == 400
    assert "Write the analysis before submitting." in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert not ImprovementAction.objects.exists()
    # Saving the draft without analysis is fine and keeps the proposals for later.
    del data["submit"]
    data["save"] = "1"
    assert client.post(f"/staff/reviews/{review.pk}/", data, **EN).status_code == 302
    assert review.proposals.count() == 2 and not ImprovementAction.objects.exists()
    page = client.get(f"/staff/reviews/{review.pk}/", **EN).content.decode()
    assert 'value="Retrain the fitters"' in page


def test_a_supervisor_cannot_review_another_department(
    client: Client,
    cases: dict[str, Complaint],
    supervisor: User,
    manager: User,
    workshop: Department,
) -> None:
    with pytest.raises(NotAllowed):
        _review(supervisor, workshop)
    client.force_login(supervisor)
    response = client.post(
        "/staff/reviews/new/",
        {"start": "2025-02", "end": "2025-02", "department": str(workshop.pk)},
        **EN,
    )
    assert response.status_code == 400 and not ClassificationReview.objects.exists()
    theirs = _review(manager, workshop)
    assert client.get(f"/staff/reviews/{theirs.pk}/", **EN).status_code == 404
    assert f'data-review="{theirs.pk}"' not in client.get("/staff/reviews/", **EN).content.decode()


def test_the_auditor_reads_reviews_but_cannot_write_them(
    client: Client,
    cases: dict[str, Complaint],
    auditor: User,
    supervisor: User,
    handler: User,
    quality: Department,
    supplier: RootCause,
    defect: RootCause,
) -> None:
    review = _review(supervisor, quality)
    with pytest.raises(NotAllowed):
        _review(auditor, None)
    client.force_login(auditor)
    assert f'data-review="{review.pk}"' in client.get("/staff/reviews/", **EN).content.decode()
    page = client.get(f"/staff/reviews/{review.pk}/", **EN)
    assert page.status_code == 200 and "Save draft" not in page.content.decode()
    assert client.get("/staff/reviews/new/", **EN).status_code == 404
    data = _post_data(
        review, _proposals(supplier, defect, handler, supervisor), analysis="x", submit="1"
    )
    assert client.post(f"/staff/reviews/{review.pk}/", data, **EN).status_code == 404
    with pytest.raises(NotAllowed):
        review_services.classification_review_submit(
            review=review, actor=auditor, analysis="x", proposals=[]
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT and not ImprovementAction.objects.exists()
    # A handler does not see reviews at all.
    client.force_login(handler)
    assert client.get("/staff/reviews/", **EN).status_code == 404


def test_a_submitted_review_keeps_the_figures_it_was_submitted_with(
    client: Client,
    cases: dict[str, Complaint],
    make_complaint: MakeComplaint,
    supervisor: User,
    quality: Department,
) -> None:
    submitted = _review(supervisor, quality)
    review_services.classification_review_submit(
        review=submitted, actor=supervisor, analysis="Stable month.", proposals=[]
    )
    draft = _review(supervisor, quality)
    make_complaint(state=State.ASSIGNED, received_at=at("2025-02-12"))  # one more February case
    make_complaint(state=State.ASSIGNED, received_at=at("2025-02-13"))
    analytics_rebuild()

    client.force_login(supervisor)

    def received(review: ClassificationReview) -> str:
        html = client.get(f"/staff/reviews/{review.pk}/", **EN).content.decode()
        match = re.search(r'data-table="total">.*?data-cell="received">(\d+)<', html, re.S)
        assert match is not None
        return match.group(1)

    assert received(submitted) == "3"  # as submitted
    assert received(draft) == "5"  # a draft follows the data

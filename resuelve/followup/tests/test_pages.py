"""The survey panels on the case page and the customer page, and the demo data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.customers.models import Customer
from resuelve.followup.demo import ensure_demo_surveys
from resuelve.followup.models import FollowUpTask, Survey
from resuelve.followup.services import low_reasons
from resuelve.followup.tests.conftest import SendSurvey
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db


def case_page(user: User, case: Complaint) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(reverse("complaints:case", args=[case.tracking_code]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_nothing_on_a_case_without_survey(resolved: Complaint, supervisor: User) -> None:
    html = case_page(supervisor, resolved)
    assert 'id="survey"' not in html and "followup.css" not in html


def test_it_shows_the_survey_status_on_the_case(
    resolved: Complaint, sent_survey: SendSurvey, supervisor: User
) -> None:
    sent_survey(resolved)
    html = case_page(supervisor, resolved)
    assert 'data-survey-status="sent"' in html and "Waiting for an answer" in html


def render_customer(customer: Customer, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string('{% include "followup/_customer.html" %}')
    with translation.override("en"):
        return template.render({"customer": customer, "request": request}, request)


def test_it_lists_the_customers_surveys_newest_first(
    clock: Clock, make_complaint: MakeComplaint, customer: Customer, manager: User, outsider: User
) -> None:
    older = make_complaint(state=State.RESOLVED, customer=customer)
    clock.advance(days=1)
    newer = make_complaint(state=State.RESOLVED, customer=customer)
    for case, csat, at in ((older, 2, clock() - timedelta(days=1)), (newer, 5, clock())):
        Survey.objects.create(
            complaint=case,
            customer=customer,
            channel="email",
            language="en",
            created_at=at,
            sent_at=at,
            answered_at=at,
            csat=csat,
            solved=True,
        )
    html = render_customer(customer, manager)
    assert "Satisfaction surveys" in html
    assert html.index(newer.tracking_code) < html.index(older.tracking_code)
    assert "5/5" in html and "2/5" in html
    assert render_customer(customer, outsider).strip() == ""  # not their department's cases


def test_it_makes_demo_surveys_once(
    clock: Clock, make_complaint: MakeComplaint, customer: Customer, supervisor: User
) -> None:
    for _ in range(12):
        make_complaint(state=State.RESOLVED, customer=customer)
    clock.advance(days=30)
    made = ensure_demo_surveys(clock())
    assert made >= 6
    assert Survey.objects.filter(answered_at__isnull=False).exists()
    assert ensure_demo_surveys(clock()) == 0
    for task in FollowUpTask.objects.select_related("survey"):
        assert task.survey is not None and low_reasons(task.survey)

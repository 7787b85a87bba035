"""Likely duplicates: other open cases the user may see, from the same customer or about the
same order, the most similar first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from resuelve.complaints import duplicates
from resuelve.complaints.duplicates import SAME_CUSTOMER, SAME_ORDER, likely_duplicates
from resuelve.complaints.lifecycle import State
from resuelve.customers.models import Customer

S = State


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(found: list[duplicates.LikelyDuplicate]) -> list[str]:
    return [d.case.tracking_code for d in found]


def test_it_flags_open_cases_of_the_same_customer(make_complaint, customer, manager):
    case = make_complaint(state=S.ASSIGNED, customer=customer)
    other = make_complaint(state=S.INVESTIGATING, customer=customer, subject="Squeaky brakes")
    (found,) = likely_duplicates(case, user=manager)
    assert found.case == other
    assert found.reasons == (SAME_CUSTOMER,)
    assert found.reason_labels == ["same customer"]
    assert 0 < found.score <= 1


def test_it_flags_cases_with_the_same_email_or_phone_when_there_is_no_customer(
    make_complaint, manager
):
    case = make_complaint(contact_email="ana@example.com", contact_phone="+57 300 1")
    by_email = make_complaint(contact_email="ana@example.com")
    by_phone = make_complaint(contact_email="other@example.com", contact_phone="+57 300 1")
    stranger = make_complaint(contact_email="luis@example.com", contact_phone="+57 300 2")
    found = likely_duplicates(case, user=manager)
    assert set(codes(found)) == {by_email.tracking_code, by_phone.tracking_code}
    assert stranger.tracking_code not in codes(found)
    assert all(d.reasons == (SAME_CUSTOMER,) for d in found)


def test_it_flags_cases_about_the_same_order_from_anyone(make_complaint, customer, manager):
    order = customer.purchases.get(order_number="PO-1001")
    case = make_complaint(purchase=order, contact_email="spouse@example.com")
    same_order = make_complaint(purchase=order, contact_email="carla@example.com")
    both = make_complaint(purchase=order, contact_email="spouse@example.com")
    found = {d.case.tracking_code: d.reasons for d in likely_duplicates(case, user=manager)}
    assert found == {
        same_order.tracking_code: (SAME_ORDER,),
        both.tracking_code: (SAME_CUSTOMER, SAME_ORDER),
    }


def test_it_does_not_flag_across_customers(make_complaint, customer, manager):
    other_customer = Customer.objects.create(name="Otto", email="otto@example.com")
    case = make_complaint(customer=customer)
    make_complaint(customer=other_customer)  # same words, another person
    make_complaint(contact_email="someone@example.com")
    assert likely_duplicates(case, user=manager) == []


def test_it_does_not_flag_finished_or_waiting_cases(make_complaint, manager):
    case = make_complaint(state=S.ACKNOWLEDGED)
    for state in [S.CLOSED, S.RESOLVED, S.NOT_ESTABLISHED, S.WAITING]:
        make_complaint(state=state)
    merged = make_complaint(state=S.MERGED)
    # Only the open case the merged one joined is left.
    assert codes(likely_duplicates(case, user=manager)) == [
        duplicates.merged_into(merged).tracking_code
    ]


def test_it_lists_nothing_for_a_case_that_is_not_open(make_complaint, manager):
    closed = make_complaint(state=S.CLOSED)
    make_complaint(state=S.ACKNOWLEDGED)
    assert likely_duplicates(closed, user=manager) == []


def test_it_shows_only_cases_the_user_may_see(make_complaint, handler, manager, workshop, outsider):
    case = make_complaint(state=S.ASSIGNED)  # quality, the handler's
    elsewhere = make_complaint(state=S.ASSIGNED, department=workshop, assignee=outsider)
    secret = make_complaint(state=S.ASSESSED, confidential=True)
    assert likely_duplicates(case, user=handler) == []
    assert set(codes(likely_duplicates(case, user=manager))) == {
        elsewhere.tracking_code,
        secret.tracking_code,
    }
    assert codes(likely_duplicates(elsewhere, user=outsider)) == []


def test_it_lists_the_most_similar_first_up_to_the_limit(make_complaint, manager):
    case = make_complaint(
        subject="Brakes squeak after service",
        description="The brakes squeak on every stop since the service.",
    )
    far = make_complaint(subject="Invoice", description="The invoice has the wrong address.")
    near = make_complaint(
        subject="Brakes squeak after the service",
        description="Since the service the brakes squeak whenever I stop.",
    )
    middle = make_complaint(subject="Brakes", description="Something about the brakes again.")
    found = likely_duplicates(case, user=manager)
    assert codes(found) == [near.tracking_code, middle.tracking_code, far.tracking_code]
    assert found[0].score > found[1].score > found[2].score
    assert codes(likely_duplicates(case, user=manager, limit=2)) == codes(found)[:2]


def test_it_reads_a_few_index_lookups_whatever_the_number_of_matches(make_complaint, manager):
    case = make_complaint(contact_phone="+57 300 1")
    for _ in range(3):
        make_complaint(contact_phone="+57 300 1")
    with CaptureQueriesContext(connection) as queries:
        likely_duplicates(case, user=manager)
    assert len(queries) <= 3  # the manager's departments, e-mail, phone


def test_it_scores_text_similarity_ignoring_case_accents_and_punctuation():
    assert duplicates.similarity("Freno ruidoso", "FRENO, ruidoso!") == 1
    assert duplicates.similarity("Canción", "cancion") == 1
    assert duplicates.similarity("", "anything") == 0
    assert duplicates.similarity("brakes squeak", "invoice address") < 0.1
    assert 0.3 < duplicates.similarity("the brakes squeak", "brakes squeaking") < 1


def test_it_finds_where_a_merged_case_went(make_complaint, manager):
    case = make_complaint(state=S.MERGED)
    target = duplicates.merged_into(case)
    assert target is not None and target != case
    assert target.is_open
    assert duplicates.merged_into(target) is None

"""The shipped presets, and a new complaint's deadlines under the company's policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel
from resuelve.complaints.services import complaint_resume, complaint_wait_for_customer
from resuelve.deadlines.models import DeadlinePolicy
from resuelve.deadlines.presets import PRESETS, load_presets
from resuelve.deadlines.selectors import forget_policies
from resuelve.intake.services import Contact, intake_file

JURISDICTIONS = ["co-", "pe-", "es-", "mx-", "cn-", "ee-", "eu-", "gb-", "us-"]


@pytest.fixture(autouse=True)
def _fresh_policies():
    forget_policies()
    yield
    forget_policies()


def test_every_jurisdiction_has_a_preset_naming_its_legal_source(db):
    policies = list(DeadlinePolicy.objects.all())
    assert len(policies) == len(PRESETS)
    for prefix in JURISDICTIONS:
        assert any(p.code.startswith(prefix) for p in policies), prefix
    for policy in policies:
        assert policy.legal_source and policy.answer_amount > 0
        if policy.unconfirmed:
            assert policy.notes  # says what was not confirmed


def test_loading_the_presets_again_keeps_what_an_administrator_changed(db):
    DeadlinePolicy.objects.filter(code="co-ley-1755").update(answer_amount=10)
    assert load_presets(DeadlinePolicy) == 0
    assert DeadlinePolicy.objects.get(code="co-ley-1755").answer_amount == 10


def _file(kind: str = Kind.COMPLAINT):
    return intake_file(
        channel=Channel.API,
        kind=kind,
        subject="Late delivery",
        description="The car arrived a week late.",
        contact=Contact(name="Ana", email="ana@example.com"),
    ).complaint


def test_a_complaint_gets_the_legal_deadline_of_the_companys_policy(db, clock, settings):
    # Mon 3 Mar 2025, 09:00 in Bogotá. Fifteen business days from Tue 4 Mar, skipping the
    # San José holiday on Mon 24 Mar, end on Tue 25 Mar at midnight, Bogotá time.
    settings.RESUELVE_DEADLINE_POLICY = "co-ley-1755"
    settings.TIME_ZONE = "America/Bogota"
    case = _file()
    assert case.deadline_policy.code == "co-ley-1755"
    assert case.received_at == datetime(2025, 3, 3, 14, 0, tzinfo=UTC)
    assert case.due_at == datetime(2025, 3, 26, 4, 59, 59, tzinfo=UTC)
    assert case.ack_due_at == case.received_at + timedelta(hours=24)


def test_kinds_a_policy_does_not_cover_keep_the_flat_terms(db, clock, settings):
    settings.RESUELVE_DEADLINE_POLICY = "co-ley-1480"  # consumer claims only
    settings.RESUELVE_ANSWER_DAYS = 15
    case = _file(kind=Kind.COMPLAINT)
    assert case.deadline_policy is None
    assert case.due_at == case.received_at + timedelta(days=15)


def test_an_inactive_or_unknown_policy_falls_back_to_the_flat_terms(db, clock, settings):
    DeadlinePolicy.objects.filter(code="pe-libro-reclamaciones").update(active=False)
    for code in ("pe-libro-reclamaciones", "no-such-policy"):
        settings.RESUELVE_DEADLINE_POLICY = code
        forget_policies()
        assert _file().deadline_policy is None


def test_waiting_for_the_customer_moves_the_deadline_by_the_days_waited(db, clock, settings, agent):
    settings.RESUELVE_DEADLINE_POLICY = "co-ley-1755"
    settings.TIME_ZONE = "America/Bogota"
    case = _file()
    assert case.due_at == datetime(2025, 3, 26, 4, 59, 59, tzinfo=UTC)  # Tue 25 Mar
    clock.set(datetime(2025, 3, 4, 15, 0, tzinfo=UTC))  # Tue 10:00 in Bogotá
    complaint_wait_for_customer(complaint=case, actor=agent, question="Which car was it?")
    clock.set(datetime(2025, 3, 7, 16, 0, tzinfo=UTC))  # Fri 11:00: the customer answers
    complaint_resume(complaint=case, actor=agent)
    # Tue 4, Wed 5 and Thu 6 ended while waiting and do not count: 7 | 10 11 12 13 14 |
    # 17 18 19 20 21 | 25 26 27 28 (24 is San José) -> Fri 28 Mar at midnight, Bogotá
    case.refresh_from_db()
    assert case.due_at == datetime(2025, 3, 29, 4, 59, 59, tzinfo=UTC)
    assert case.events.filter(action="resume").get().changes["due_at"]


def test_the_case_page_shows_the_policy_and_the_time_left_in_the_users_language(
    db, client, clock, settings, agent
):
    settings.RESUELVE_DEADLINE_POLICY = "co-ley-1755"
    settings.TIME_ZONE = "America/Bogota"
    case = _file()
    client.force_login(agent)
    clock.set(datetime(2025, 3, 13, 15, 0, tzinfo=UTC))
    page = client.get(f"/staff/c/{case.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode().replace("\xa0", " ")
    assert "Colombia — PQRS (Ley 1755 de 2015)" in html
    assert "Ley 1755 de 2015, art. 14" in html
    assert "figures not confirmed against the statute" in html
    assert "1 week, 5 days left" in html
    clock.set(datetime(2025, 3, 28, 5, 0, tzinfo=UTC))
    client.force_login(agent)  # a fresh session at the new time
    page = client.get(f"/staff/c/{case.tracking_code}/", HTTP_ACCEPT_LANGUAGE="es")
    html = page.content.decode().replace("\xa0", " ")
    assert "2 días de retraso" in html  # due Tue 25 Mar 23:59:59 in Bogotá


def test_the_portal_tells_customers_the_policys_term_in_their_language(db, client, settings):
    settings.RESUELVE_DEADLINE_POLICY = "co-ley-1755"
    english = client.get("/complain/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "our answer within 15 business days at the latest" in english
    spanish = client.get("/pages/how-to-complain/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "en un plazo máximo de 15 días hábiles" in spanish
    settings.RESUELVE_DEADLINE_POLICY = "es-consumo"
    forget_policies()
    chinese = client.get(
        "/pages/service-standards/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "1 个月内得到答复" in chinese


@pytest.mark.parametrize(
    ("country", "subdivision", "field"),
    [("XX", "", "country"), ("ES", "ZZ", "subdivision"), ("", "MD", "subdivision")],
)
def test_an_unknown_country_or_region_is_refused_in_the_admin_form(db, country, subdivision, field):
    policy = DeadlinePolicy.objects.get(code="es-consumo")
    policy.country, policy.subdivision = country, subdivision
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    assert field in refused.value.message_dict


def test_a_region_in_lower_case_is_accepted_as_its_code(db):
    policy = DeadlinePolicy.objects.get(code="es-consumo")
    policy.country, policy.subdivision = "es", "md"
    policy.full_clean()
    assert (policy.country, policy.subdivision) == ("ES", "MD")

"""Routing new complaints through real intake: rules in order with their trace, the
suggested category's department, load-, skill- and language-based assignment with turns,
absences and capacity, and the front-line agent who solves a case on the spot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from resuelve.complaints import services
from resuelve.complaints.lifecycle import Action, Kind, State
from resuelve.complaints.models import Channel, ComplaintEvent, Severity
from resuelve.deadlines.models import DeadlinePolicy
from resuelve.intake.services import Contact, intake_file
from resuelve.routing.models import Absence, AgentProfile, RoutingRule
from resuelve.routing.selectors import route

pytestmark = pytest.mark.django_db


def file(subject="Los frenos chirrían", description="Desde el mantenimiento chirrían.", **kw):
    kw.setdefault("contact", Contact(name="Valentina", email="valentina@example.com"))
    kw.setdefault("language", "es")
    return intake_file(
        channel=kw.pop("channel", Channel.WEB),
        kind=kw.pop("kind", Kind.CLAIM),
        subject=subject,
        description=description,
        **kw,
    ).complaint


def route_event(case):
    return ComplaintEvent.objects.get(complaint=case, action=Action.ROUTE)


@pytest.fixture
def brakes_rule(quality):
    return RoutingRule.objects.create(
        name="Brakes go to quality", position=10, text_contains="frenos\nbrakes", department=quality
    )


@pytest.fixture
def team(quality, handler, supervisor):
    """Two handlers of quality who take assignments (the supervisor does not)."""
    from resuelve.testing.fixtures import _persona

    second = _persona("handler2", "handler", "Helena", [quality])
    for user in (handler, second):
        AgentProfile.objects.create(user=user, capacity=3)
    return handler, second


def test_it_leaves_a_case_with_the_front_line_when_nothing_routes_it(service_desk, quality):
    case = file()
    assert (case.department, case.assignee, case.state) == (None, None, State.ACKNOWLEDGED)
    assert not ComplaintEvent.objects.filter(complaint=case, action=Action.ROUTE).exists()


def test_a_rule_routes_the_case_assigns_the_least_loaded_and_records_why(brakes_rule, team):
    handler, second = team
    busy = file(subject="Otra cosa con los frenos")  # the first goes to the one with no case
    case = file()
    assert {busy.assignee, case.assignee} == {handler, second}
    assert case.department.code == "quality" and case.state == State.ACKNOWLEDGED

    event = route_event(case)
    assert event.actor_label == "system" and event.from_state == event.to_state
    trace = event.changes["trace"]
    assert trace["rules"] == [
        {"rule": "Brakes go to quality", "matched": True, "set": ["department"]}
    ]
    assert trace["department"] == {"name": "Quality", "by": "Brakes go to quality"}
    assert trace["assignment"]["by"] == "load"
    loads = {c["user"]: c["load"] for c in trace["assignment"]["candidates"]}
    assert sorted(loads.values()) == [0, 1]
    call_command("verify_audit")  # the route event is part of the hash chain


def test_equally_loaded_people_take_turns_and_absent_or_full_ones_are_skipped(
    brakes_rule, team, clock
):
    handler, second = team
    got = []
    for _ in range(4):
        got.append(file().assignee)
        clock.advance(minutes=1)
    assert got == [handler, second, handler, second]

    Absence.objects.create(user=second, starts_on=clock().date(), ends_on=clock().date())
    from resuelve.routing.selectors import forget_routing

    forget_routing()
    assert file().assignee == handler  # handler now has 3 = capacity
    case = file()
    assert case.assignee is None and case.department.code == "quality"
    skipped = {
        c["user"]: c["skipped"]
        for c in route_event(case).changes["trace"]["assignment"]["candidates"]
    }
    assert skipped == {"Hugo Test": "at_capacity", "Helena Test": "absent"}


def test_language_and_skills_decide_who_can_take_it(brakes_rule, team, category):
    handler, second = team
    handler.agent_profile.languages = ["es"]
    handler.agent_profile.save()
    second.agent_profile.languages = ["et", "en"]
    second.agent_profile.save()
    assert (
        file(subject="Brakes squeal", description="Since the service.", language="et").assignee
        == second
    )
    assert file(language="es").assignee == handler


def test_earlier_rules_win_field_by_field_and_set_severity_confidentiality_and_policy(
    quality, workshop, team, settings
):
    policy = DeadlinePolicy.objects.get(code="pe-libro-reclamaciones")
    RoutingRule.objects.create(
        name="Injuries are critical and confidential",
        position=1,
        stop=False,
        text_contains="herido\nlesión",
        severity=Severity.CRITICAL,
        confidential=True,
        deadline_policy=policy,
    )
    RoutingRule.objects.create(
        name="Claims to the workshop", position=2, kinds=["claim"], department=workshop
    )
    RoutingRule.objects.create(name="Never reached", position=3, department=quality)
    case = file(subject="Mi hijo resultó herido", description="El airbag no se abrió.")
    assert case.department == workshop
    assert (case.severity, case.confidential, case.deadline_policy) == (
        Severity.CRITICAL,
        True,
        policy,
    )
    assert case.due_at == policy.answer_due(case.received_at)
    trace = route_event(case).changes["trace"]
    assert [r["rule"] for r in trace["rules"]] == [
        "Injuries are critical and confidential",
        "Claims to the workshop",
    ]
    assert trace["set_by"] == {
        "severity": "Injuries are critical and confidential",
        "confidential": "Injuries are critical and confidential",
        "deadline_policy": "Injuries are critical and confidential",
    }
    assert trace["assignment"]["by"] is None  # nobody in the workshop takes assignments


def test_a_rule_may_name_the_person(quality, supervisor):
    RoutingRule.objects.create(
        name="Service complaints to the service supervisor",
        kinds=["complaint"],
        department=quality,
        assignee=supervisor,
    )
    case = file(kind=Kind.COMPLAINT, subject="Me atendieron mal", description="Nadie me saludó.")
    assert case.assignee == supervisor
    assert route_event(case).changes["trace"]["assignment"] == {"by": "rule", "user": "Sara Test"}


def test_a_confident_suggested_category_routes_to_its_department(category, team, settings):
    case = services.complaint_registration(
        channel=Channel.WEB,
        kind=Kind.CLAIM,
        subject="Pintura",
        description="La pintura se cae.",
        contact_email="x@example.com",
        route=False,
    ).case
    suggestion = {"category": category.code, "confidence": 0.8, "severity": "medium"}
    routed = route(case, suggestion=suggestion)
    assert routed.category == category and routed.department == category.default_department
    assert routed.trace["department"]["by"] == "category"
    assert routed.trace["suggestion"]["name"] == "Product defect"
    assert routed.assignee in team

    settings.RESUELVE_ROUTING_MIN_CONFIDENCE = 0.9
    routed = route(case, suggestion=suggestion)
    assert routed.department is None and routed.trace["suggestion"]["used"] is False


def test_an_assigned_case_goes_straight_to_assigned_when_assessed(brakes_rule, team):
    case = file()
    services.complaint_assess(complaint=case, actor=case.assignee, established=True, reason="Real")
    assert case.state == State.ASSIGNED


def test_a_front_line_agent_takes_the_case_to_solve_it_on_the_spot(agent, brakes_rule, team):
    case = file(actor=agent, solve_on_the_spot=True, channel=Channel.PHONE)
    assert (case.department.code, case.assignee) == ("customer-service", agent)
    trace = route_event(case).changes["trace"]
    assert trace == {"on_the_spot": "Alba Test"}
    services.complaint_assess(complaint=case, actor=agent, established=True, reason="Clear")
    assert case.state == State.ASSIGNED


def test_the_case_page_shows_why_it_was_routed_there(client, brakes_rule, team, supervisor):
    case = file()
    client.force_login(supervisor)
    html = client.get(f"/staff/c/{case.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Why it went here" in html
    assert "Brakes go to quality" in html
    assert "the fewest open cases" in html
    html_es = client.get(
        f"/staff/c/{case.tracking_code}/", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Brakes go to quality" in html_es


def test_a_rule_with_bad_choices_or_no_action_is_refused(quality):
    from django.core.exceptions import ValidationError

    rule = RoutingRule(name="Broken", kinds=["grievance"], department=quality)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "kinds" in error.value.message_dict
    with pytest.raises(ValidationError):
        RoutingRule(name="Does nothing").full_clean()


def test_routing_runs_before_the_clock_so_filing_time_is_kept(brakes_rule, team, clock):
    case = file()
    assert route_event(case).at == case.acknowledged_at
    assert case.received_at == clock() and case.due_at > case.received_at + timedelta(days=1)

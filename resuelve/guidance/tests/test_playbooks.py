"""Playbook choice, checklist ticks on the audit trail, and marking a case not routine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import Action, Kind, NotAllowed, State
from resuelve.complaints.models import Category, Complaint, ComplaintEvent
from resuelve.guidance import services
from resuelve.guidance.models import CaseGuidance, Playbook, PlaybookStep, PlaybookTick
from resuelve.routing.models import AgentProfile
from resuelve.testing.fixtures import START, MakeComplaint, chain_problems

pytestmark = pytest.mark.django_db


def desk_case(
    make_complaint: MakeComplaint, service_desk: Department, agent: User, **kw: object
) -> Complaint:
    return make_complaint(state=State.ASSIGNED, department=service_desk, assignee=agent, **kw)


class TestPlaybookFor:
    def test_it_prefers_the_playbook_of_the_exact_kind(
        self, make_complaint: MakeComplaint, playbook: Playbook, category: Category
    ) -> None:
        claims = Playbook.objects.create(
            name="Claims", category=category, kind=Kind.CLAIM, created_at=START
        )
        assert (
            services.playbook_for(make_complaint(state=State.ASSESSED, kind=Kind.CLAIM)) == claims
        )
        assert services.playbook_for(make_complaint(state=State.ASSESSED)) == playbook

    def test_it_ignores_inactive_playbooks_and_cases_without_category(
        self, make_complaint: MakeComplaint, playbook: Playbook, service_desk: Department
    ) -> None:
        assert (
            services.playbook_for(make_complaint(state=State.ACKNOWLEDGED, category=None)) is None
        )
        playbook.active = False
        playbook.save()
        assert services.playbook_for(make_complaint(state=State.ASSESSED)) is None

    def test_it_refuses_a_usual_amount_above_the_front_line_limit(self, playbook: Playbook) -> None:
        playbook.usual_amount = Decimal("200001")
        with translation.override("en"), pytest.raises(ValidationError) as error:
            playbook.full_clean()
        assert "front-line limit of 200,000" in str(error.value)
        playbook.usual_amount = Decimal("200000")
        playbook.full_clean()


class TestTicks:
    def test_it_records_each_tick_and_untick_on_the_verified_audit_trail(
        self,
        make_complaint: MakeComplaint,
        playbook: Playbook,
        service_desk: Department,
        agent: User,
        clock: object,
    ) -> None:
        case = desk_case(make_complaint, service_desk, agent)
        second = playbook.steps.all()[1]
        before = case.event_count

        tick = services.playbook_tick(complaint=case, step=second, actor=agent, done=True)
        assert tick is not None and tick.by == agent and tick.at == START
        again = services.playbook_tick(complaint=case, step=second, actor=agent, done=True)
        assert again == tick  # already done: nothing new recorded
        services.playbook_tick(complaint=case, step=second, actor=agent, done=False)

        events = list(ComplaintEvent.objects.filter(complaint=case, seq__gt=before).order_by("seq"))
        assert [e.action for e in events] == [Action.NOTE, Action.NOTE]
        with translation.override("es"):
            done = gettext("Playbook step %(n)s done: %(text)s") % {"n": 2, "text": second.text}
            undone = gettext("Playbook step %(n)s undone: %(text)s") % {"n": 2, "text": second.text}
        assert [e.reason for e in events] == [done, undone]
        assert done != undone
        assert events[0].changes == {"playbook": "Wrong part", "step": 2, "done": True}
        assert events[1].changes["done"] is False
        assert events[0].actor == agent and events[0].from_state == events[0].to_state
        assert not PlaybookTick.objects.filter(complaint=case).exists()
        assert chain_problems(case) == []

    def test_it_writes_the_trail_in_the_company_language(
        self,
        make_complaint: MakeComplaint,
        playbook: Playbook,
        service_desk: Department,
        agent: User,
    ) -> None:
        case = desk_case(make_complaint, service_desk, agent, language="et")
        with translation.override("et"):
            services.playbook_tick(complaint=case, step=playbook.steps.first(), actor=agent)
        event = ComplaintEvent.objects.filter(complaint=case).order_by("-seq").first()
        with translation.override("es"):
            expected = gettext("Playbook step %(n)s done: %(text)s") % {
                "n": 1,
                "text": playbook.steps.first().text,
            }
        assert event is not None and event.reason == expected

    @pytest.mark.parametrize("who", ["outsider", "auditor"])
    def test_it_refuses_ticks_from_who_may_not_write_on_the_case(
        self,
        who: str,
        make_complaint: MakeComplaint,
        playbook: Playbook,
        personas: dict[str, User],
    ) -> None:
        case = make_complaint(state=State.ASSIGNED)
        with pytest.raises(NotAllowed):
            services.playbook_tick(complaint=case, step=playbook.steps.first(), actor=personas[who])
        assert not PlaybookTick.objects.exists()
        assert Complaint.objects.get(pk=case.pk).event_count == case.event_count

    def test_it_refuses_a_step_of_another_playbook_and_ticks_on_closed_cases(
        self, make_complaint: MakeComplaint, playbook: Playbook, manager: User, workshop: Department
    ) -> None:
        other_category = Category.objects.create(code="other", name="Other")
        other = Playbook.objects.create(name="Other", category=other_category, created_at=START)
        foreign = PlaybookStep.objects.create(playbook=other, order=1, text="Elsewhere")
        case = make_complaint(state=State.ASSIGNED)
        with pytest.raises(ValidationError):
            services.playbook_tick(complaint=case, step=foreign, actor=manager)
        closed = make_complaint(state=State.CLOSED)
        with pytest.raises(NotAllowed):
            services.playbook_tick(complaint=closed, step=playbook.steps.first(), actor=manager)


class TestNotRoutine:
    @pytest.fixture
    def specialists(
        self, handler: User, quality: Department, category: Category
    ) -> dict[str, User]:
        """The handler is the category's specialist; Quino, of the same department, has no
        skills and no cases."""
        profile = AgentProfile.objects.create(user=handler, capacity=10)
        profile.skills.set([category])
        quino = User.objects.create_user(username="quino", first_name="Quino", role=Role.HANDLER)
        quino.departments.set([quality])
        AgentProfile.objects.create(user=quino, capacity=10)
        return {"handler": handler, "quino": quino}

    def test_it_sends_the_case_to_the_category_specialist_with_the_reason(
        self,
        make_complaint: MakeComplaint,
        playbook: Playbook,
        service_desk: Department,
        quality: Department,
        agent: User,
        specialists: dict[str, User],
    ) -> None:
        make_complaint(state=State.ASSIGNED)  # the handler carries one case, Quino none
        case = desk_case(make_complaint, service_desk, agent)
        before = case.event_count

        services.case_mark_non_routine(
            complaint=case, actor=agent, reason="The customer fitted the part himself."
        )

        case.refresh_from_db()
        assert case.department == quality and case.assignee == specialists["handler"]
        mark = CaseGuidance.objects.get(complaint=case)
        assert (mark.routine, mark.playbook, mark.marked_by) == (False, playbook, agent)
        assert mark.non_routine_reason == "The customer fitted the part himself."
        events = list(ComplaintEvent.objects.filter(complaint=case, seq__gt=before).order_by("seq"))
        assert [e.action for e in events] == [Action.NOTE, Action.ASSIGN]
        assert all("The customer fitted the part himself." in e.reason for e in events)
        assert events[1].changes["assignee"] == str(specialists["handler"])
        assert chain_problems(case) == []
        assert not services.case_is_routine(case)
        with pytest.raises(NotAllowed):  # the checklist no longer applies
            services.playbook_tick(complaint=case, step=playbook.steps.first(), actor=agent)

    def test_it_falls_back_to_the_least_loaded_of_the_department_then_the_queue(
        self,
        make_complaint: MakeComplaint,
        playbook: Playbook,
        service_desk: Department,
        quality: Department,
        agent: User,
        specialists: dict[str, User],
    ) -> None:
        specialists["handler"].agent_profile.skills.clear()
        make_complaint(state=State.ASSIGNED)
        case = desk_case(make_complaint, service_desk, agent)
        services.case_mark_non_routine(complaint=case, actor=agent, reason="Odd")
        case.refresh_from_db()
        assert case.assignee == specialists["quino"]

        AgentProfile.objects.all().delete()
        other = desk_case(make_complaint, service_desk, agent)
        services.case_mark_non_routine(complaint=other, actor=agent, reason="Odd too")
        other.refresh_from_db()
        assert other.department == quality and other.assignee is None

    def test_it_needs_a_reason_a_routing_role_and_an_assessed_case(
        self,
        make_complaint: MakeComplaint,
        playbook: Playbook,
        handler: User,
        agent: User,
        specialists: dict[str, User],
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        with pytest.raises(ValidationError):
            services.case_mark_non_routine(complaint=case, actor=handler, reason="  ")
        with pytest.raises(NotAllowed):  # a handler does not route cases
            services.case_mark_non_routine(complaint=case, actor=handler, reason="Odd")
        assert not CaseGuidance.objects.exists()
        assert Complaint.objects.get(pk=case.pk).event_count == case.event_count
        early = make_complaint(state=State.ACKNOWLEDGED)
        with pytest.raises(ValidationError):  # no category yet: no playbook
            services.case_mark_non_routine(complaint=early, actor=agent, reason="Odd")
        # Triage may file a case under a category at intake, before it is assessed.
        Complaint.objects.filter(pk=early.pk).update(category=playbook.category)
        with pytest.raises(NotAllowed):
            services.case_mark_non_routine(complaint=early, actor=agent, reason="Odd")
        assert not CaseGuidance.objects.exists()

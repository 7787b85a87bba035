"""What quality management does with an alert: acknowledge, dismiss with a reason, turn it
into an improvement action; and who may."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import IllegalStep, NotAllowed, State
from resuelve.earlywarning.jobs import earlywarning_scan
from resuelve.earlywarning.models import Alert, AlertStatus, Suppression
from resuelve.earlywarning.services import alert_acknowledge, alert_dismiss, alert_to_action
from resuelve.resolution.models import ImprovementAction, RootCause
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def rise(make_complaint: MakeComplaint, catalogue, fake_detector, signal_for) -> Alert:
    product = catalogue["product"]
    make_complaint(state=State.ASSESSED, product=product, branch=catalogue["bogota"])
    make_complaint(state=State.ASSESSED, product=product, branch=catalogue["barranquilla"])
    make_complaint(state=State.ASSESSED, product=product, confidential=True)
    fake_detector.signals = [signal_for((("product", str(product.pk)),), (0, 1, 2))]
    earlywarning_scan()
    return Alert.objects.get()


@pytest.fixture
def cause(db: None) -> RootCause:
    return RootCause.objects.create(code="supplier-material", name="Supplier material")


def test_only_those_in_charge_acknowledge_or_dismiss(
    rise: Alert, agent: User, auditor: User, outsider: User, handler: User
) -> None:
    for user in (agent, auditor, outsider):
        with pytest.raises(NotAllowed):
            alert_acknowledge(alert=rise, actor=user)
        with pytest.raises(NotAllowed):
            alert_dismiss(alert=rise, actor=user, reason="No.")
    rise.refresh_from_db()
    assert rise.status == AlertStatus.OPEN

    alert_acknowledge(alert=rise, actor=handler)  # a member of the quality department
    assert (rise.status, rise.acted_by) == (AlertStatus.ACKNOWLEDGED, handler)
    with pytest.raises(IllegalStep):
        alert_acknowledge(alert=rise, actor=handler)


def test_a_dismissal_needs_a_reason_and_happens_once(rise: Alert, supervisor: User) -> None:
    with pytest.raises(ValidationError):
        alert_dismiss(alert=rise, actor=supervisor, reason="  ")
    assert not Suppression.objects.exists()
    alert_dismiss(alert=rise, actor=supervisor, reason="Seasonal: the rainy season.")
    with pytest.raises(IllegalStep):
        alert_dismiss(alert=rise, actor=supervisor, reason="Again.")
    assert rise.dismissed_reason == "Seasonal: the rainy season."


def test_an_alert_becomes_an_improvement_action_with_the_complaints_one_sees(
    rise: Alert, supervisor: User, handler: User, cause: RootCause, auditor: User
) -> None:
    with pytest.raises(NotAllowed):
        alert_to_action(
            alert=rise, actor=auditor, title="Pads", cause=cause, owner=handler,
            due_on=date(2025, 4, 30),
        )  # fmt: skip

    action = alert_to_action(
        alert=rise, actor=supervisor, title="Change the pad supplier's compound", cause=cause,
        owner=handler, due_on=date(2025, 4, 30),
    )  # fmt: skip

    rise.refresh_from_db()
    assert rise.status == AlertStatus.ACTIONED and rise.improvement_action == action
    assert ImprovementAction.objects.get().cause == cause and action.owner == handler
    assert set(action.complaints.all()) == set(rise.complaints.all())  # supervisors see all 3
    with pytest.raises(IllegalStep):
        alert_to_action(
            alert=rise, actor=supervisor, title="Twice", cause=cause, owner=handler,
            due_on=date(2025, 4, 30),
        )  # fmt: skip


def test_a_quality_handler_opens_the_action_and_a_handler_elsewhere_may_not(
    rise: Alert, handler: User, cause: RootCause, workshop
) -> None:
    elsewhere = User.objects.create_user(username="taller", password="x", role="handler")
    elsewhere.departments.add(workshop)
    with pytest.raises(NotAllowed):
        alert_to_action(
            alert=rise, actor=elsewhere, title="Pads", cause=cause, owner=handler,
            due_on=date(2025, 4, 30),
        )  # fmt: skip
    action = alert_to_action(
        alert=rise, actor=handler, title="Pads from the second supplier", cause=cause,
        owner=handler, due_on=date(2025, 4, 30),
    )  # fmt: skip
    rise.refresh_from_db()
    assert rise.status == AlertStatus.ACTIONED and rise.improvement_action == action
    # A handler of quality sees the two complaints that are not confidential.
    assert action.complaints.count() == 2


def test_those_who_may_not_see_a_confidential_complaint_do_not_get_it_among_the_alerts(
    rise: Alert, admin: User, handler: User
) -> None:
    from resuelve.earlywarning.selectors import alert_complaints

    assert len(alert_complaints(alert=rise, user=admin)) == 3
    assert len(alert_complaints(alert=rise, user=handler)) == 2

"""The scan: serious words alert at once, rises from the detector are stored once per series
with their complaints, and a dismissal keeps its series out of the next scans."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.earlywarning.jobs import build_frame, earlywarning_scan
from resuelve.earlywarning.models import Alert, AlertKind, AlertStatus, Suppression
from resuelve.earlywarning.services import alert_dismiss
from resuelve.notifications.models import Outbox
from resuelve.resolution.models import RootCause
from resuelve.resolution.services import investigation_record
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "description", "word"),
    [
        ("es", "Cargador defectuoso", "Se produjo un incendio en la cocina por el cargador.",
         "incendio"),
        ("zh-hans", "充电器有问题", "充电器昨晚起火了，孩子受伤。", "起火"),
        ("et", "Laadija rike", "Laadija läks põlema ja laps sai vigastusi.", "vigastusi"),
    ],
)  # fmt: skip
def test_it_alerts_at_once_on_a_serious_word(
    make_complaint: MakeComplaint,
    handler: User,
    supervisor: User,
    language: str,
    subject: str,
    description: str,
    word: str,
) -> None:
    handler.language = language
    handler.save(update_fields=["language"])
    case = make_complaint(subject=subject, description=description, language=language)

    summary = earlywarning_scan()

    assert summary["serious"] == 1
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.SERIOUS and alert.status == AlertStatus.OPEN
    assert alert.key == [["serious", str(case.pk)]]
    assert word in alert.terms
    assert list(alert.complaints.all()) == [case]
    # The quality department hears of it, each in their own language.
    mails = {row.recipient: row for row in Outbox.objects.filter(recipient__endswith=".test")}
    assert set(mails) == {handler.email, supervisor.email}
    assert mails[handler.email].headers["Content-Language"] == language
    assert f"/staff/early-warning/{alert.pk}/" in mails[handler.email].body


def test_it_does_not_alert_on_an_ordinary_complaint(make_complaint: MakeComplaint) -> None:
    make_complaint()  # "the brakes squeak after the service"
    assert earlywarning_scan()["serious"] == 0
    assert not Alert.objects.exists()


def test_it_reads_each_complaint_once_and_never_duplicates_an_alert(
    make_complaint: MakeComplaint, clock: Clock
) -> None:
    make_complaint(subject="Explosion", description="The battery exploded in my hand.")
    earlywarning_scan()
    clock.advance(minutes=10)
    later = make_complaint(subject="Fuego", description="Salió humo del motor.")
    assert earlywarning_scan()["serious"] == 1
    assert earlywarning_scan()["serious"] == 0
    assert Alert.objects.count() == 2
    assert Alert.objects.filter(key=[["serious", str(later.pk)]]).exists()


def test_a_rise_is_stored_once_with_its_complaints_and_refreshed_by_the_next_runs(
    make_complaint: MakeComplaint, catalogue, fake_detector, signal_for, clock: Clock
) -> None:
    product = catalogue["product"]
    cases = [make_complaint(product=product, purchase=catalogue["purchase"]) for _ in range(3)]
    key = (("product", str(product.pk)),)
    fake_detector.signals = [signal_for(key, (0, 1), expected=0.5)]

    assert earlywarning_scan()["rises"] == 1
    alert = Alert.objects.get(kind=AlertKind.RISE)
    assert alert.key == [["product", str(product.pk)]] and alert.title == "Producto: Ceramic pads"
    assert set(alert.complaints.all()) == set(cases[:2])
    assert alert.ratio == 4.0
    # The supplier of a product series is told too, without the customers' complaints.
    supplier_mail = Outbox.objects.get(recipient="calidad@frenos.test")
    assert "Ceramic pads" in supplier_mail.body and cases[0].tracking_code not in supplier_mail.body

    clock.advance(minutes=10)
    fake_detector.signals = [signal_for(key, (0, 1, 2), expected=0.5)]
    summary = earlywarning_scan()
    assert summary == {"serious": 0, "rises": 0, "refreshed": 1}
    alert.refresh_from_db()
    assert Alert.objects.filter(kind=AlertKind.RISE).count() == 1
    assert alert.observed == 3 and alert.last_seen_at == clock()
    assert set(alert.complaints.all()) == set(cases)
    assert Outbox.objects.filter(recipient="calidad@frenos.test").count() == 1  # told once


def test_dismissing_suppresses_the_series_in_the_next_scan(
    make_complaint: MakeComplaint, catalogue, fake_detector, signal_for, supervisor: User
) -> None:
    make_complaint(product=catalogue["product"])
    key = (("product", str(catalogue["product"].pk)), ("region", "99"))
    fake_detector.signals = [signal_for(key, (0,))]
    earlywarning_scan()
    alert = Alert.objects.get()

    alert_dismiss(alert=alert, actor=supervisor, reason="A single dealer's stock, recalled.")

    assert Suppression.objects.get().reason == "A single dealer's stock, recalled."
    assert earlywarning_scan()["rises"] == 0
    assert key in fake_detector.calls[-1][2].suppressed  # the detector is told
    assert Alert.objects.count() == 1 and Alert.objects.get().status == AlertStatus.DISMISSED


def test_the_frame_holds_each_complaint_by_day_product_batch_cause_and_region(
    make_complaint: MakeComplaint, catalogue, manager: User, clock: Clock, fake_detector
) -> None:
    parent = RootCause.objects.create(code="material", name="Material")
    child = RootCause.objects.create(code="pad-compound", name="Pad compound", parent=parent)
    case = make_complaint(
        state=State.INVESTIGATING, product=catalogue["product"], purchase=catalogue["purchase"],
        branch=catalogue["barranquilla"],
    )  # fmt: skip
    investigation_record(
        complaint=case, actor=manager, cause=child, responsible_department=None,
        findings="Soft compound.",
    )  # fmt: skip
    make_complaint()  # nothing known about it
    old = make_complaint(received_at=clock() - timedelta(days=400))

    frame, ids = build_frame(as_of=date(2025, 3, 3), history_days=365)

    assert old.pk not in ids and len(ids) == 2
    row = frame.iloc[ids.index(case.pk)].to_dict()
    assert row == {
        "day": date(2025, 3, 3),
        "product": str(catalogue["product"].pk),
        "supplier": str(catalogue["supplier"].pk),
        "batch": "L-2025-07",
        "category": str(case.category_id),
        "cause": str(parent.pk),  # the top-level cause
        "region": str(catalogue["barranquilla"].region_id),
    }
    blank = frame.iloc[1 - ids.index(case.pk)].to_dict()
    assert blank["product"] is None and blank["batch"] is None and blank["region"] is None


def test_the_command_scans_on_demand_and_says_what_it_raised(
    make_complaint: MakeComplaint, fake_detector
) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_complaint(subject="Accidente", description="Se quedó sin frenos en la bajada.")
    out = StringIO()
    call_command("early_warning_scan", stdout=out)
    assert "1 serious-word alerts raised, 0 rise alerts raised" in out.getvalue()
    assert Alert.objects.count() == 1


def test_the_real_detector_reads_the_frame_of_real_complaints(
    make_complaint: MakeComplaint, catalogue, clock: Clock
) -> None:
    # A quiet history: a complaint now and then about the product, none of it alarming.
    for days_ago in range(40, 0, -4):
        make_complaint(
            product=catalogue["product"], purchase=catalogue["purchase"],
            branch=catalogue["bogota"], received_at=clock() - timedelta(days=days_ago),
        )  # fmt: skip
    summary = earlywarning_scan()
    assert summary == {"serious": 0, "rises": 0, "refreshed": 0}
    assert not Alert.objects.exists()

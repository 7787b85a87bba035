from io import StringIO

import pytest
from django.core.management import call_command

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint, ComplaintEvent, Message
from resuelve.customers.models import Customer, Purchase
from resuelve.social.demo import POSTS as SOCIAL_POSTS


def programme_cases() -> int:
    """The complaints the demo's programmes add: the social posts and the early-warning
    incident (one per customer who bought the lot)."""
    from resuelve.customers.models import Purchase
    from resuelve.earlywarning.demo import LOT

    return len(SOCIAL_POSTS) + Purchase.objects.filter(batch=LOT).count()


pytestmark = pytest.mark.django_db


def test_it_loads_a_believable_company_in_every_state_and_is_idempotent():
    out = StringIO()
    call_command("demo", "--complaints", "300", "--no-migrate", stdout=out)
    assert "Added 300 complaints" in out.getvalue()
    assert programme_cases() > len(SOCIAL_POSTS)  # the incident's complaints are there
    assert "sofia" in out.getvalue() and "resuelve-demo" in out.getvalue()
    # ... and the public posts of the social channel, made by its programme.
    assert Complaint.objects.count() == 300 + programme_cases()
    states = set(Complaint.objects.values_list("state", flat=True))
    expected = set(State.values) - {State.MERGED}  # merged cases come from real merges only
    assert states == expected, f"missing states: {expected - states}"
    languages = set(Complaint.objects.values_list("language", flat=True))
    assert languages == {"es", "en", "zh-hans", "et"}
    assert Customer.objects.count() >= 80 and Purchase.objects.count() >= 80
    assert Message.objects.count() > 300
    events = ComplaintEvent.objects.count()

    again = StringIO()
    call_command("demo", "--complaints", "300", "--no-migrate", stdout=again)
    assert "nothing to add" in again.getvalue()
    assert Complaint.objects.count() == 300 + programme_cases()
    assert ComplaintEvent.objects.count() == events


def test_its_audit_trail_verifies_and_its_codes_are_valid():
    call_command("demo", "--complaints", "120", "--no-migrate", stdout=StringIO())
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert f"Audit trail intact: {120 + programme_cases()} complaints" in out.getvalue()
    from resuelve.complaints import tracking

    codes = list(Complaint.objects.values_list("tracking_code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(tracking.is_valid(code) for code in codes)


def test_it_adds_only_what_is_missing_when_asked_for_more():
    call_command("demo", "--complaints", "50", "--no-migrate", stdout=StringIO())
    first = set(Complaint.objects.values_list("tracking_code", flat=True))
    call_command("demo", "--complaints", "80", "--no-migrate", stdout=StringIO())
    assert Complaint.objects.count() == 80
    assert first <= set(Complaint.objects.values_list("tracking_code", flat=True))


def test_its_customers_live_somewhere_and_some_have_withdrawn_consent():
    call_command("demo", "--complaints", "50", "--no-migrate", stdout=StringIO())
    customers = Customer.objects.filter(external_ref__startswith="demo-")
    zones = dict(customers.values_list("language", "time_zone").distinct())
    assert zones["zh-hans"] == "Asia/Shanghai" and zones["et"] == "Europe/Tallinn"
    assert not customers.filter(time_zone="").exists()
    assert customers.filter(consent_email=False).exists()
    assert customers.filter(consent_email=True).count() > customers.count() // 2
    member = customers.exclude(tier="none").exclude(renewal_on=None).first()
    assert member is not None and member.renewal_on.month == member.member_since.month
    assert customers.exclude(quiet_from=None).exists() and customers.exclude(birthday=None).exists()
    assert not customers.filter(region=None).exists()


def test_its_surveys_and_revisits_are_in_the_customers_contact_log():
    from resuelve.customers.models import Contact, ContactKind
    from resuelve.followup.models import Survey
    from resuelve.revisits.models import Revisit, Status

    call_command("demo", "--complaints", "120", "--no-migrate", stdout=StringIO())
    sent = Survey.objects.exclude(customer=None).exclude(sent_at=None)
    done = Revisit.objects.filter(status=Status.DONE)
    assert sent.exists() and done.exists()
    assert Contact.objects.filter(kind=ContactKind.SURVEY).count() == sent.count()
    assert Contact.objects.filter(kind=ContactKind.REVISIT).count() >= done.count()
    revisited = done.first()
    assert revisited is not None
    revisited.customer.refresh_from_db()
    assert revisited.customer.last_contact_at is not None


def test_its_settled_claims_carry_delivered_compensation_for_the_ledger_and_dashboards():
    from django.db.models import F

    from resuelve.analytics.models import CaseFact
    from resuelve.remedies.models import LedgerEntry, Proposal

    call_command("demo", "--complaints", "300", "--no-migrate", stdout=StringIO())
    paid = LedgerEntry.objects.filter(kind="compensation")
    assert paid.count() >= 5
    assert all(e.item.fulfilled_at == e.at for e in paid.select_related("item"))
    # Some plans were within the handler's own authority, some went up for approval.
    assert Proposal.objects.filter(approved_by=F("proposed_by")).exists()
    assert Proposal.objects.exclude(approved_by=F("proposed_by")).exists()
    # The dashboard figures see them.
    assert CaseFact.objects.filter(compensation__gt=0).count() == paid.count()
    assert CaseFact.objects.filter(comp_within=False).exists()
    count = paid.count()
    call_command("demo", "--complaints", "300", "--no-migrate", stdout=StringIO())
    assert LedgerEntry.objects.filter(kind="compensation").count() == count


def test_it_acts_on_its_most_frequent_causes_with_improvement_actions():
    from resuelve.resolution.models import ImprovementAction

    call_command("demo", "--complaints", "300", "--no-migrate", stdout=StringIO())
    actions = list(ImprovementAction.objects.order_by("created_at"))
    assert [a.status for a in actions] == ["done", "in_progress", "open"]
    done = actions[0]
    assert done.done_on and done.effectiveness_check_on > done.done_on and done.conclusion
    assert all(a.complaints.count() > 0 for a in actions)
    call_command("demo", "--complaints", "300", "--no-migrate", stdout=StringIO())
    assert ImprovementAction.objects.count() == 3


def test_for_benchmarks_it_can_load_the_complaints_without_the_programmes():
    from resuelve.followup.models import Survey
    from resuelve.remedies.models import LedgerEntry

    out = StringIO()
    call_command("demo", "--complaints", "60", "--no-migrate", "--no-programmes", stdout=out)
    assert "Added 60 complaints" in out.getvalue()
    assert Complaint.objects.count() == 60  # no social posts either
    assert not Survey.objects.exists() and not LedgerEntry.objects.exists()


def test_its_lot_incident_raises_one_alert_for_the_lot_and_one_for_the_fire():
    from resuelve.earlywarning.models import Alert

    call_command("demo", "--complaints", "300", "--no-migrate", stdout=StringIO())
    from resuelve.customers.models import Purchase, Region
    from resuelve.earlywarning.demo import LOT

    rises = Alert.objects.filter(kind="rise")
    assert rises.count() == 1  # one alert, not one per region
    assert LOT in rises.get().key_text  # keyed on the lot that carries the product's rise
    lot_cases = set(Complaint.objects.filter(purchase__batch=LOT).values_list("pk", flat=True))
    in_alert = set(rises.get().complaints.values_list("pk", flat=True))
    assert len(lot_cases & in_alert) >= 0.8 * len(lot_cases)  # the rise, as the detector dates it
    regions = Purchase.objects.filter(batch=LOT).values("branch__region").distinct().count()
    assert regions == Region.objects.filter(branches__isnull=False).distinct().count() > 1
    fire = Alert.objects.filter(kind="serious", complaints__subject="El cargador echó humo")
    assert fire.count() == 1
    call_command("demo", "--complaints", "300", "--no-migrate", stdout=StringIO())
    assert Alert.objects.filter(kind="rise").count() == 1

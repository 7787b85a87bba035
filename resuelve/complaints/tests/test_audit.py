"""The audit trail: a hash chain per complaint that exposes any change, removal or reordering,
on rows the application and the database both refuse to update or delete."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from resuelve.complaints import audit, services
from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import AppendOnlyError, Channel, Complaint, ComplaintEvent

HAS_VERIFY_AUDIT = (
    Path(__file__).resolve().parent.parent / "management" / "commands" / "verify_audit.py"
).exists()
needs_verify_audit = pytest.mark.skipif(
    not HAS_VERIFY_AUDIT, reason="the verify_audit management command is not there yet"
)


def stored_events(case: Complaint) -> list[dict]:
    return list(ComplaintEvent.objects.filter(complaint=case).order_by("seq").values())


def verify(
    case: Complaint, events: list[dict], *, head: str | None = None, count: int | None = None
) -> list[audit.ChainProblem]:
    return audit.verify_chain(
        tracking_code=case.tracking_code,
        head=case.audit_head if head is None else head,
        count=case.event_count if count is None else count,
        events=events,
    )


def rehash(case: Complaint, event: dict) -> str:
    return audit.event_digest(
        prev_hash=event["prev_hash"],
        tracking_code=case.tracking_code,
        seq=event["seq"],
        at=event["at"],
        actor_id=event["actor_id"],
        actor_label=event["actor_label"],
        action=event["action"],
        from_state=event["from_state"],
        to_state=event["to_state"],
        changes=event["changes"],
        reason=event["reason"],
    )


@pytest.fixture
def walked(make_complaint, handler) -> Complaint:
    """A case with every kind of event: steps, a note, waiting and resuming, a dispute."""
    case = make_complaint(state=State.DISPUTED)
    services.complaint_add_message(
        complaint=case, actor=handler, body="Ñandú 中文", to_customer=False
    )
    services.complaint_receive_customer_message(complaint=case, body="Any news?")
    case.refresh_from_db()
    return case


# --- the chain verifies ---------------------------------------------------------------------


def test_it_verifies_the_chain_of_a_walked_complaint(walked):
    events = stored_events(walked)
    assert [e["seq"] for e in events] == list(range(1, walked.event_count + 1))
    assert events[0]["prev_hash"] == audit.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(events, events[1:], strict=False))
    assert events[-1]["hash"] == walked.audit_head
    assert verify(walked, events) == []


def test_it_verifies_a_waiting_and_reopened_case(make_complaint, supervisor, clock):
    case = make_complaint(state=State.WAITING, wait_from=State.ACKNOWLEDGED, category=None)
    clock.advance(days=1)
    services.complaint_resume(complaint=case, actor=None)
    case = make_complaint(state=State.CLOSED)
    clock.advance(days=30)
    case = services.complaint_reopen(complaint=case, actor=supervisor, reason="Back again")
    assert verify(case, stored_events(case)) == []


def test_it_verifies_a_case_registered_with_a_local_time(db, clock):
    """A letter dated in Bogotá is the same instant as in UTC; the chain must still verify
    once the database hands the time back in UTC."""
    received = datetime(2025, 2, 28, 16, 30, 15, 123456, tzinfo=ZoneInfo("America/Bogota"))
    case = services.complaint_register(
        channel=Channel.LETTER,
        kind=Kind.COMPLAINT,
        subject="Letter",
        description="By post.",
        contact_phone="+57 1 234",
        received_at=received,
    )
    case.refresh_from_db()
    assert case.received_at == received
    assert verify(case, stored_events(case)) == []


def test_it_verifies_an_empty_chain_only_against_an_empty_head():
    assert audit.verify_chain(tracking_code="RS-X", head="", count=0, events=[]) != []
    assert audit.verify_chain(tracking_code="RS-X", head=audit.GENESIS, count=0, events=[]) == []


# --- tampering is detected ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reason", "Nothing to see here."),
        ("to_state", State.CLOSED),
        ("from_state", State.RECEIVED),
        ("actor_label", "Someone else (admin)"),
        ("actor_id", None),
        ("action", "note"),
        ("changes", {"solution_value": "1"}),
    ],
)
def test_it_detects_a_changed_event(walked, field, value):
    events = stored_events(walked)
    tampered = copy.deepcopy(events)
    tampered[3][field] = value
    problems = verify(walked, tampered)
    assert [(p.seq, p.problem) for p in problems] == [(4, "content does not match its hash")]
    assert all(p.tracking_code == walked.tracking_code for p in problems)


def test_it_detects_a_changed_time(walked):
    tampered = stored_events(walked)
    tampered[2]["at"] = tampered[2]["at"].replace(
        microsecond=(tampered[2]["at"].microsecond + 1) % 10**6
    )
    assert [p.seq for p in verify(walked, tampered)] == [3]


def test_it_detects_a_changed_event_whose_hash_was_recomputed(walked):
    tampered = stored_events(walked)
    tampered[3]["reason"] = "Rewritten"
    tampered[3]["hash"] = rehash(walked, tampered[3])
    problems = verify(walked, tampered)
    assert (5, "does not follow the previous event") in [(p.seq, p.problem) for p in problems]


def test_it_detects_a_whole_chain_rewritten_from_a_changed_event(walked):
    tampered = stored_events(walked)
    tampered[1]["reason"] = "Rewritten"
    prev = tampered[0]["hash"]
    for event in tampered[1:]:
        event["prev_hash"] = prev
        event["hash"] = prev = rehash(walked, event)
    problems = verify(walked, tampered)
    assert [(p.seq, p.problem) for p in problems] == [(None, "last event is not the recorded head")]


def test_it_detects_a_removed_middle_event(walked):
    tampered = stored_events(walked)
    del tampered[4]
    problems = {(p.seq, p.problem) for p in verify(walked, tampered)}
    assert (6, "expected event 5") in problems
    assert (6, "does not follow the previous event") in problems


def test_it_detects_a_removed_first_event(walked):
    tampered = stored_events(walked)[1:]
    assert verify(walked, tampered) != []


def test_it_detects_a_removed_last_event(walked):
    tampered = stored_events(walked)[:-1]
    problems = {(p.seq, p.problem) for p in verify(walked, tampered)}
    n = walked.event_count
    assert problems == {
        (None, f"{n - 1} events found, {n} recorded"),
        (None, "last event is not the recorded head"),
    }


def test_it_detects_reordered_events(walked):
    tampered = stored_events(walked)
    tampered[2], tampered[3] = tampered[3], tampered[2]
    problems = verify(walked, tampered)
    assert {p.seq for p in problems} >= {3, 4}


def test_it_detects_swapped_sequence_numbers(walked):
    tampered = stored_events(walked)
    tampered[2]["seq"], tampered[3]["seq"] = tampered[3]["seq"], tampered[2]["seq"]
    tampered.sort(key=lambda e: e["seq"])
    assert verify(walked, tampered) != []


def test_it_detects_an_appended_event(walked):
    tampered = stored_events(walked)
    forged = dict(
        tampered[-1], seq=walked.event_count + 1, prev_hash=walked.audit_head, reason="Forged"
    )
    forged["hash"] = rehash(walked, forged)
    tampered.append(forged)
    problems = {p.problem for p in verify(walked, tampered)}
    assert f"{walked.event_count + 1} events found, {walked.event_count} recorded" in problems


def test_it_ties_each_chain_to_its_own_case(walked, make_complaint):
    other = make_complaint(state=State.DISPUTED)
    events = stored_events(walked)
    problems = audit.verify_chain(
        tracking_code=other.tracking_code,
        head=walked.audit_head,
        count=walked.event_count,
        events=events,
    )
    assert len(problems) == len(events)  # every event hashes the case's tracking code


# --- the database and the model refuse changes -----------------------------------------------


def _refused_by_database(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_it_refuses_raw_update_and_delete_in_the_database(walked):
    event = ComplaintEvent.objects.filter(complaint=walked).order_by("seq")[2]
    _refused_by_database(
        "UPDATE complaints_complaintevent SET reason = %s WHERE id = %s", ["edited", event.pk]
    )
    _refused_by_database("DELETE FROM complaints_complaintevent WHERE id = %s", [event.pk])
    _refused_by_database(
        "DELETE FROM complaints_complaintevent WHERE complaint_id = %s", [walked.pk]
    )
    assert stored_events(walked)[2]["reason"] == event.reason
    assert ComplaintEvent.objects.filter(complaint=walked).count() == walked.event_count
    assert verify(walked, stored_events(walked)) == []


def test_it_refuses_queryset_update_and_delete(walked):
    events = ComplaintEvent.objects.filter(complaint=walked)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        events.update(reason="bulk edit")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        events.delete()
    assert verify(walked, stored_events(walked)) == []


def test_it_installs_the_triggers_for_this_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["complaints_complaintevent"],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'complaints_complaintevent'::regclass"
                " AND NOT tgisinternal"
            )
        names = {row[0] for row in cursor.fetchall()}
    assert names, connection.vendor


def test_it_refuses_save_and_delete_on_a_stored_event(walked):
    event = ComplaintEvent.objects.filter(complaint=walked).order_by("seq").first()
    event.reason = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert verify(walked, stored_events(walked)) == []


# --- verify_audit --------------------------------------------------------------------------


@needs_verify_audit
def test_it_reports_an_intact_trail(walked, make_complaint, capsys):
    make_complaint(state=State.CLOSED)
    events = ComplaintEvent.objects.count()
    call_command("verify_audit", "--batch", "1")
    out = capsys.readouterr().out
    assert f"Audit trail intact: 2 complaints, {events} events verified." in out


@needs_verify_audit
def test_it_reports_a_tampered_head_and_exits_with_an_error(walked, make_complaint, capsys):
    intact = make_complaint(state=State.ACKNOWLEDGED)
    # The case row is not append-only: pretend someone rolled back its head and count.
    Complaint.objects.filter(pk=walked.pk).update(event_count=walked.event_count - 1)
    with pytest.raises(CommandError, match="problem"):
        call_command("verify_audit")
    out = capsys.readouterr().out
    assert walked.tracking_code in out
    assert intact.tracking_code not in out
    call_command("verify_audit", "--code", intact.tracking_code)
    assert "Audit trail intact: 1 complaints" in capsys.readouterr().out


@needs_verify_audit
def test_it_reports_a_forged_event_inserted_into_the_table(walked, capsys):
    last = ComplaintEvent.objects.filter(complaint=walked).order_by("-seq").first()
    ComplaintEvent.objects.create(
        complaint=walked,
        seq=last.seq + 1,
        at=last.at,
        actor=None,
        actor_label="admin",
        action="note",
        from_state=last.to_state,
        to_state=last.to_state,
        changes={},
        reason="Forged",
        prev_hash=last.hash,
        hash="f" * 64,
    )
    with pytest.raises(CommandError):
        call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"{walked.tracking_code} event {last.seq + 1}: content does not match its hash" in out

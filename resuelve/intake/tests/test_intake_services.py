"""intake_file: customer matching, idempotency, durability."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Channel, Complaint
from resuelve.customers.models import Customer
from resuelve.intake.services import (
    Contact,
    Idempotency,
    IdempotencyConflict,
    customer_match,
    intake_file,
)
from resuelve.testing.fixtures import chain_problems


def _file(**kwargs):
    kwargs.setdefault("channel", Channel.API)
    kwargs.setdefault("kind", Kind.COMPLAINT)
    kwargs.setdefault("subject", "Late delivery")
    kwargs.setdefault("description", "The car arrived a week late.")
    return intake_file(**kwargs)


@pytest.mark.parametrize(
    "typed", ["3001234567", "+57 300 123 4567", "(300) 123-4567", "57-300-123-4567"]
)
def test_it_matches_a_customer_by_phone_however_either_side_wrote_it(db, typed):
    stored = Customer.objects.create(name="Mateo Ríos", phone="+57 300 123 4567")
    assert customer_match(Contact(phone=typed)) == stored
    filed = _file(contact=Contact(name="Mateo", phone=typed))
    assert filed.complaint.customer == stored
    assert Customer.objects.count() == 1


def test_it_matches_by_reference_before_e_mail_and_records_a_stranger_once(db):
    known = Customer.objects.create(name="Known", email="k@example.com", external_ref="C-1")
    Customer.objects.create(name="Other", email="other@example.com")
    assert customer_match(Contact(external_ref="C-1", email="other@example.com")) == known
    first = _file(contact=Contact(name="New Person", email="New@Example.com"))
    second = _file(contact=Contact(name="New Person", email="new@example.com"))
    assert first.complaint.customer == second.complaint.customer
    assert first.complaint.customer.email == "new@example.com"


def test_a_customer_entered_with_capitals_is_matched_by_an_indexed_lookup(db):
    # An administrator or an import may type the address with capitals; it is stored
    # lower-case so that matching is an index lookup, not a scan of every customer.
    stored = Customer.objects.create(name="Ana Gómez", email=" Ana.Gomez@Example.COM ")
    assert stored.email == "ana.gomez@example.com"
    with CaptureQueriesContext(connection) as queries:
        assert customer_match(Contact(email="ANA.GOMEZ@example.com")) == stored
    (lookup,) = [q["sql"] for q in queries.captured_queries if "customers_customer" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + lookup)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + lookup)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan" not in plan, plan


def test_it_registers_and_acknowledges_in_one_go(db):
    filed = _file(contact=Contact(name="A", email="a@example.com"))
    assert filed.created
    assert filed.complaint.state == State.ACKNOWLEDGED
    assert filed.complaint.event_count == 2


def test_a_repeated_key_returns_the_first_complaint(db):
    key = Idempotency(source="api:1", key="abc", fingerprint="f1")
    first = _file(contact=Contact(email="a@example.com"), idempotency=key)
    again = _file(contact=Contact(email="a@example.com"), idempotency=key)
    assert (first.created, again.created) == (True, False)
    assert again.complaint.pk == first.complaint.pk
    assert Complaint.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        _file(contact=Contact(email="a@example.com"), idempotency=Idempotency("api:1", "abc", "f2"))
    # Keys are per source: another client may use the same key.
    assert _file(
        contact=Contact(email="a@example.com"), idempotency=Idempotency("api:2", "abc")
    ).created


def test_a_refused_filing_leaves_no_customer_and_no_key(db):
    with pytest.raises(ValidationError) as error:
        _file(
            subject="",
            contact=Contact(name="X", email="x@example.com"),
            idempotency=Idempotency("portal", "t"),
        )
    assert "subject" in error.value.message_dict
    assert Customer.objects.count() == 0 and Complaint.objects.count() == 0
    assert _file(
        contact=Contact(email="x@example.com"), idempotency=Idempotency("portal", "t")
    ).created


def test_an_unknown_product_reference_is_refused_but_an_unknown_order_is_kept_in_the_text(db):
    with pytest.raises(ValidationError) as error:
        _file(contact=Contact(email="a@example.com"), product_ref="NOPE")
    assert "product_ref" in error.value.message_dict
    filed = _file(contact=Contact(email="a@example.com"), order_ref="ZZ-9")
    assert "ZZ-9" in filed.complaint.description and filed.complaint.purchase is None


def test_a_tracking_code_drawn_twice_is_drawn_again_and_nothing_is_stored_twice(db, monkeypatch):
    first = _file(contact=Contact(name="Ana", email="ana@example.com"))
    taken = first.complaint.tracking_code
    codes = iter([taken, "ZZZZ-ZZZZ-ZZZ2"])
    monkeypatch.setattr("resuelve.complaints.tracking.generate", lambda: next(codes))
    second = _file(
        contact=Contact(name="Bo", email="bo@example.com", contact_hours="mornings"),
        idempotency=Idempotency(source="api:1", key="k-2"),
    )
    assert second.created and second.complaint.tracking_code == "ZZZZ-ZZZZ-ZZZ2"
    assert Customer.objects.filter(email="bo@example.com").count() == 1
    assert Complaint.objects.count() == 2
    assert second.complaint.messages.count() == 2
    assert chain_problems(second.complaint) == []
    assert chain_problems(Complaint.objects.get(tracking_code=taken)) == []

"""Statements compiled once store and read exactly what Django's own path does, on SQLite and
PostgreSQL, and are in fact not compiled again."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler

from resuelve.accounts.models import ApiToken
from resuelve.accounts.tokens import token_authenticate, token_create
from resuelve.complaints.models import Complaint, ComplaintEvent, Message
from resuelve.core.prepared import Prepared, insert_only, pipelined
from resuelve.customers.models import Customer
from resuelve.notifications.models import Outbox

WHEN = datetime(2025, 3, 3, 14, 0, 7, 123456, tzinfo=UTC)


def _row(obj) -> dict:
    """Every stored column, read back by Django's own path."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


def _complaint(customer: Customer, code: str) -> Complaint:
    return Complaint(
        tracking_code=code,
        kind="complaint",
        channel="api",
        customer=customer,
        contact_email="ana@example.com",
        language="zh-hans",
        subject="坏了 — «broken»",
        description="Línea 1\nLínea 2 'quoted' \"double\" %s %(name)s",
        amount_claimed=Decimal("89000.50"),
        currency="COP",
        received_at=WHEN,
        ack_due_at=WHEN,
        due_at=WHEN,
    )


@pytest.fixture
def compiles(monkeypatch):
    """How many INSERTs and SELECTs Django compiles."""
    counts = {"insert": 0, "select": 0}
    insert_as_sql, select_as_sql = SQLInsertCompiler.as_sql, SQLCompiler.as_sql

    def count_insert(self, *args, **kwargs):
        counts["insert"] += 1
        return insert_as_sql(self, *args, **kwargs)

    def count_select(self, *args, **kwargs):
        if type(self) is SQLCompiler:
            counts["select"] += 1
        return select_as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", count_insert)
    monkeypatch.setattr(SQLCompiler, "as_sql", count_select)
    return counts


def test_a_saved_row_is_stored_exactly_as_djangos_own_insert_stores_it(
    db, clock, compiles, monkeypatch
):
    customer = Customer.objects.create(name="Ana", email=" Ana@Example.com ", phone="+57 300 1")
    assert customer.pk and customer.email == "ana@example.com"  # save() still runs
    prepared = _complaint(customer, "AAAA-AAAA-AAAA")
    prepared.save(force_insert=True)
    reference = _complaint(customer, "BBBB-BBBB-BBBB")
    compiled = compiles["insert"]
    with monkeypatch.context() as patch:
        patch.setattr(Complaint, "_do_insert", models.Model._do_insert)  # Django's own path
        reference.save(force_insert=True)
    assert compiles["insert"] == compiled + 1
    first, second = _row(prepared), _row(reference)
    assert first.pop("id") != second.pop("id")
    assert first.pop("tracking_code") != second.pop("tracking_code")
    assert first == second
    assert first["is_open"] is True  # Complaint.save() ran
    assert first["amount_claimed"] == Decimal("89000.50")
    assert first["received_at"] == WHEN


def test_several_rows_in_one_insert_get_their_own_keys_in_order(db):
    customer = Customer.objects.create(name="Ana", email="ana@example.com")
    case = _complaint(customer, "CCCC-CCCC-CCCC")
    case.save(force_insert=True)
    messages = [
        Message(complaint=case, from_customer=True, body=f"message {i}", created_at=WHEN)
        for i in range(3)
    ]
    Message.objects.bulk_create(messages)
    assert [
        m.body for m in Message.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk")
    ] == [
        "message 0",
        "message 1",
        "message 2",
    ]
    assert [Message.objects.get(pk=m.pk).body for m in messages] == [m.body for m in messages]
    event = ComplaintEvent(
        complaint=case,
        seq=1,
        at=WHEN,
        action="register",
        to_state="received",
        changes={"subject": "坏了", "amount": "1.50", "nested": {"list": [1, None]}},
        prev_hash="0" * 64,
        hash="1" * 64,
    )
    ComplaintEvent.objects.bulk_create([event])
    assert ComplaintEvent.objects.get(pk=event.pk).changes == event.changes


def test_the_second_insert_of_the_same_shape_is_not_compiled_again(db, compiles):
    customer = Customer.objects.create(name="Ana", email="ana@example.com")
    after_first = compiles["insert"]
    Customer.objects.create(name="Bo", email="bo@example.com")
    Customer(name="Cy", email="cy@example.com").save()
    assert compiles["insert"] == after_first
    assert Customer.objects.filter(pk__gt=customer.pk).count() == 2


def test_an_expression_as_a_value_is_left_to_django(db):
    customer = Customer.objects.create(name="Ana", email="ana@example.com")
    case = _complaint(customer, "DDDD-DDDD-DDDD")
    case.save(force_insert=True)
    row = Outbox.objects.create(
        transport="email", complaint=case, recipient="ana@example.com", created_at=Now()
    )
    assert Outbox.objects.get(pk=row.pk).created_at is not None


def test_a_prepared_read_gives_what_the_queryset_gives(db, agent, compiles):
    token, raw = token_create(user=agent, name="shop")
    found = token_authenticate(raw)
    assert found == token
    assert found.user == agent and found.user.role == agent.role  # select_related filled
    assert found.created_at == ApiToken.objects.get(pk=token.pk).created_at  # aware datetime
    before = compiles["select"]
    assert token_authenticate(raw) == token
    assert token_authenticate(raw + "x") is None
    assert compiles["select"] == before
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert token_authenticate(raw) is None  # nothing cached but the SQL


def test_a_prepared_read_of_values_and_its_argument_checks(db):
    Customer.objects.create(name="O'Brien %s", email="o@example.com")
    by_name = Prepared(lambda name: Customer.objects.filter(name=name).values_list("email")[:1])
    assert by_name.all("O'Brien %s") == [("o@example.com",)]
    assert by_name.first("nobody") is None
    by_id = Prepared(lambda pk: Customer.objects.filter(pk=pk).values_list("name", flat=True), int)
    assert by_id.all(Customer.objects.get().pk) == ["O'Brien %s"]
    with pytest.raises(TypeError):
        by_id.all("1")
    with pytest.raises(TypeError):
        by_name.all("a", "b")


def test_rows_inserted_in_a_pipeline_are_all_there_and_a_failure_rolls_back_all(db):
    customer = Customer.objects.create(name="Ana", email="ana@example.com")
    case = _complaint(customer, "EEEE-EEEE-EEEE")
    with transaction.atomic(), pipelined():
        case.save(force_insert=True)
        insert_only(
            [
                Message(complaint=case, from_customer=True, body=f"m{i}", created_at=WHEN)
                for i in range(3)
            ]
        )
        Message.objects.bulk_create([Message(complaint=case, body="read back", created_at=WHEN)])
    assert sorted(case.messages.values_list("body", flat=True)) == ["m0", "m1", "m2", "read back"]

    with pytest.raises(IntegrityError), transaction.atomic(), pipelined():
        insert_only([Message(complaint=case, body="lost", created_at=WHEN)])
        _complaint(customer, "EEEE-EEEE-EEEE").save(force_insert=True)  # code taken
    assert not case.messages.filter(body="lost").exists()

"""The queue as a download: the columns and their values, who gets which cases, the queue's
filters, and the limits (sign-in, formats, rate)."""

from __future__ import annotations

import csv
import io
import logging
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from resuelve.complaints import selectors
from resuelve.complaints.export import complaint_export_rows
from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Complaint
from resuelve.customers.models import Product
from resuelve.testing.fixtures import START

CSV_URL = "/staff/queue/export.csv"
XLSX_URL = "/staff/queue/export.xlsx"


@pytest.fixture
def client() -> Client:
    """Downloads in English unless a test says otherwise, so headers and labels can be read."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def csv_rows(response) -> list[list[str]]:
    assert response.streaming
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def exported_codes(response) -> list[str]:
    return [row[0] for row in csv_rows(response)[1:]]


def test_it_exports_the_queue_as_csv(client, make_complaint, manager, quality, category, clock):
    quality.name = "Calidad y garantía"
    quality.save()
    category.name = "刹车片问题"
    category.save()
    product = Product.objects.create(sku="BRK-1", name='=HYPERLINK("http://evil.example")')
    case = make_complaint(
        state=State.ASSIGNED,
        product=product,
        amount_claimed=Decimal("350000.50"),
        received_at=START - timedelta(hours=5),  # 04:00 in Bogotá
    )
    client.force_login(manager)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="complaints-20250303-0900.csv"'
    header, row = csv_rows(response)
    assert header == [
        "Tracking code",
        "Subject",
        "Received",
        "Kind",
        "Channel",
        "State",
        "Department",
        "Assignee",
        "Category",
        "Product",
        "Branch",
        "Region",
        "Language",
        "Severity",
        "Answer by",
        "Acknowledged",
        "Resolved",
        "Closed",
        "Satisfaction",
        "Amount claimed",
        "Currency",
    ]
    values = dict(zip(header, row, strict=True))
    assert values["Tracking code"] == case.tracking_code
    assert values["Received"] == "2025-03-03 04:00:00"
    assert values["Kind"] == "Complaint (queja)"
    assert values["Channel"] == "E-mail"
    assert values["State"] == "Assigned"
    assert values["Department"] == "Calidad y garantía"
    assert values["Assignee"] == "Hugo Test"
    assert values["Category"] == "刹车片问题"
    assert values["Product"] == '\'=HYPERLINK("http://evil.example")'
    assert values["Severity"] == "Medium"
    assert values["Amount claimed"] == "350000.50"
    assert values["Currency"] == "COP"
    assert values["Acknowledged"].startswith("2025-03-03 ")
    assert values["Resolved"] == "" and values["Closed"] == ""


def test_it_translates_headers_and_labels(client, make_complaint, manager):
    make_complaint(state=State.ACKNOWLEDGED)
    client.force_login(manager)
    header, row = csv_rows(client.get(CSV_URL, HTTP_ACCEPT_LANGUAGE="es"))
    assert header[0] != "Tracking code"
    assert row[5] != "Acknowledged"


def test_it_exports_newest_first(client, make_complaint, manager):
    older = make_complaint(received_at=START - timedelta(days=2))
    newer = make_complaint(received_at=START - timedelta(days=1))
    client.force_login(manager)
    assert exported_codes(client.get(CSV_URL)) == [newer.tracking_code, older.tracking_code]


@pytest.mark.parametrize(
    "persona", ["agent", "handler", "supervisor", "manager", "admin", "auditor", "outsider"]
)
def test_it_exports_only_the_cases_each_persona_sees(client, scoped_cases, personas, persona):
    user = personas[persona]
    client.force_login(user)
    exported = set(exported_codes(client.get(CSV_URL)))
    visible = {c.tracking_code for c in scoped_cases.values() if selectors.can_view(user, c)}
    assert exported == visible
    assert exported  # every persona has something to export


def test_it_keeps_other_departments_cases_from_a_handler(client, scoped_cases, outsider):
    client.force_login(outsider)
    exported = set(exported_codes(client.get(CSV_URL)))
    assert scoped_cases["workshop"].tracking_code in exported
    assert scoped_cases["quality"].tracking_code not in exported
    assert scoped_cases["secret_mine"].tracking_code not in exported


def test_it_applies_the_queue_filters(client, make_complaint, manager):
    claim = make_complaint(kind=Kind.CLAIM, state=State.ACKNOWLEDGED)
    closed_claim = make_complaint(kind=Kind.CLAIM, state=State.CLOSED)
    complaint = make_complaint(kind=Kind.COMPLAINT, state=State.ACKNOWLEDGED)
    client.force_login(manager)
    assert set(exported_codes(client.get(CSV_URL, {"kind": Kind.CLAIM}))) == {
        claim.tracking_code,
        closed_claim.tracking_code,
    }
    assert exported_codes(client.get(CSV_URL, {"kind": Kind.CLAIM, "state": "open"})) == [
        claim.tracking_code
    ]
    assert exported_codes(client.get(CSV_URL, {"state": State.CLOSED})) == [
        closed_claim.tracking_code
    ]
    assert exported_codes(client.get(CSV_URL, {"q": complaint.tracking_code})) == [
        complaint.tracking_code
    ]


def test_it_exports_an_xlsx_workbook(client, make_complaint, manager):
    case = make_complaint(
        state=State.CLOSED,
        amount_claimed=Decimal("120000"),
        received_at=START - timedelta(hours=5),
    )
    client.force_login(manager)
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "complaints-20250303-0900.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Tracking code", "Subject", "Received", "Kind"]
    assert all(c.font.bold for c in sheet[1])
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["Tracking code"].value == case.tracking_code
    assert row["Received"].is_date
    assert row["Received"].value == datetime(2025, 3, 3, 4, 0)
    assert isinstance(row["Closed"].value, datetime)
    assert row["Amount claimed"].data_type == "n" and row["Amount claimed"].value == 120000
    assert row["Satisfaction"].data_type == "n" and row["Satisfaction"].value == 4
    assert row["State"].value == "Closed"
    assert sheet.max_row == 2


def test_it_lets_a_read_only_auditor_export(client, scoped_cases, auditor):
    client.force_login(auditor)
    assert client.get(XLSX_URL).status_code == 200
    assert scoped_cases["quality"].tracking_code in exported_codes(client.get(CSV_URL))


def test_it_sends_anonymous_visitors_to_the_login(client):
    for url in [CSV_URL, XLSX_URL]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/staff/login/")


def test_it_knows_no_other_format(client, manager):
    client.force_login(manager)
    assert client.get("/staff/queue/export.pdf").status_code == 404


def test_it_limits_exports_per_user(client, manager, auditor):
    client.force_login(manager)
    for _ in range(20):
        assert client.get(CSV_URL).status_code == 200
    refused = client.get(XLSX_URL)
    assert refused.status_code == 429
    assert "Too many exports" in refused.content.decode()
    client.force_login(auditor)  # a colleague has their own allowance
    assert client.get(CSV_URL).status_code == 200


def test_it_logs_who_exported_how_many_rows(client, make_complaint, manager, caplog):
    make_complaint()
    make_complaint()
    client.force_login(manager)
    with caplog.at_level(logging.INFO, logger="resuelve.complaints.views_export"):
        csv_rows(client.get(CSV_URL))
    assert "user=manager format=csv rows=2" in caplog.text


def test_it_reads_rows_without_model_instances_in_one_query(
    make_complaint, manager, django_assert_num_queries
):
    for _ in range(3):
        make_complaint(state=State.ASSIGNED)
    qs = Complaint.objects.order_by("-received_at", "-id")
    with django_assert_num_queries(1):
        rows = list(complaint_export_rows(qs))
    assert len(rows) == 3
    assert all(isinstance(row, tuple) and row[7] == "Hugo Test" for row in rows)


def test_it_keeps_the_language_of_the_request_when_read_later(make_complaint):
    make_complaint(state=State.ACKNOWLEDGED)
    qs = Complaint.objects.all()
    with translation.override("en"):
        rows = complaint_export_rows(qs)
    with translation.override("es"):
        assert next(rows)[5] == "Acknowledged"

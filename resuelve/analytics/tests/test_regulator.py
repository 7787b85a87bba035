"""Regulator reports: the SIC quarterly PQRS rows of a hand-built quarter (types, answer
times in Colombian business days, the within-term flag), the quarter's edges in Bogotá time,
who sees which rows, the downloads and the errors of a bad period."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from resuelve.accounts.models import Department, User
from resuelve.analytics import regulator, selectors
from resuelve.complaints.lifecycle import Kind, State
from resuelve.complaints.models import Channel, Complaint
from resuelve.deadlines.calendar import Calendar
from resuelve.testing.fixtures import Clock, MakeComplaint

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
Q1 = "?format=co-sic-pqrs&year=2025&quarter=1"
NOW = datetime(2025, 4, 2, 15, 0, tzinfo=UTC)


def bogota(day: str, hour: int, minute: int = 0) -> datetime:
    """A Bogotá wall-clock time (UTC-5, no DST) as an aware UTC datetime."""
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=UTC) + (
        datetime(2000, 1, 1, 5, tzinfo=UTC) - datetime(2000, 1, 1, tzinfo=UTC)
    )


@pytest.fixture
def quarter_cases(
    settings: Any,
    clock: Clock,
    make_complaint: MakeComplaint,
    workshop: Department,
    outsider: User,
) -> dict[str, Complaint]:
    """Cases filed around the first quarter of 2025 under Ley 1755 (15 Colombian business
    days), each answered (every step taken) at the moment the clock is set to."""
    settings.RESUELVE_DEADLINE_POLICY = "co-ley-1755"

    def made(answer_at: datetime, **kwargs: Any) -> Complaint:
        clock.set(answer_at)
        return make_complaint(**kwargs)

    cases = {
        # Filed Thursday 2 January, answered Friday 31 January: 20 business days (6 January
        # is a holiday), after the term that ended on 24 January.
        "late_claim": made(
            bogota("2025-01-31", 10),
            state=State.COMMUNICATED,
            kind=Kind.CLAIM,
            channel=Channel.WEB,
            received_at=bogota("2025-01-02", 10),
        ),
        # Filed Monday 13 January, answered Friday 17 January: 4 business days.
        "quick_petition": made(
            bogota("2025-01-17", 16),
            state=State.COMMUNICATED,
            kind=Kind.PETITION,
            channel=Channel.PHONE,
            received_at=bogota("2025-01-13", 9),
        ),
        # Filed Wednesday 19 March, found not established Wednesday 26 March: 4 business
        # days, as 24 March (San José, moved to Monday) does not count.
        "not_established": made(
            bogota("2025-03-26", 11),
            state=State.NOT_ESTABLISHED,
            kind=Kind.CLAIM,
            received_at=bogota("2025-03-19", 15),
        ),
        # 22:30 on 31 March in Bogotá is already 1 April in UTC: a first-quarter case, open.
        "last_evening": made(
            NOW,
            state=State.ASSIGNED,
            kind=Kind.SUGGESTION,
            received_at=bogota("2025-03-31", 22, 30),
        ),
        # 23:00 on 31 December 2024 in Bogotá (1 January in UTC): the previous quarter.
        "new_year_eve": made(NOW, state=State.ASSIGNED, received_at=bogota("2024-12-31", 23)),
        # 00:10 on 1 April in Bogotá: the second quarter.
        "april": made(NOW, state=State.ASSIGNED, received_at=bogota("2025-04-01", 0, 10)),
        # Confidential, quality's: the supervisor sees it, the auditor does not.
        "secret": made(
            bogota("2025-02-10", 12),
            state=State.COMMUNICATED,
            confidential=True,
            received_at=bogota("2025-02-04", 9),
        ),
        # Another department's: not the quality supervisor's.
        "workshop": made(
            bogota("2025-02-20", 12),
            state=State.COMMUNICATED,
            kind=Kind.COMPLIMENT,
            department=workshop,
            assignee=outsider,
            received_at=bogota("2025-02-18", 9),
        ),
    }
    clock.set(NOW)
    return cases


def sic_rows(user: User) -> dict[str, tuple[Any, ...]]:
    fmt = regulator.FORMATS["co-sic-pqrs"]
    rows = regulator.report_rows(
        fmt=fmt, scope=selectors.scope_of(user), period=regulator.quarter(2025, 1), now=NOW
    )
    return {row[1]: row for row in rows}


def test_it_reports_each_pqrs_of_the_quarter_with_its_business_days_and_term(
    quarter_cases: dict[str, Complaint], manager: User
) -> None:
    rows = sic_rows(manager)
    codes = {name: case.tracking_code for name, case in quarter_cases.items()}
    assert set(rows) == {
        codes[name]
        for name in (
            "late_claim",
            "quick_petition",
            "not_established",
            "last_evening",
            "secret",
            "workshop",
        )
    }
    late = rows[codes["late_claim"]]
    assert late == (
        "2025-Q1",
        codes["late_claim"],
        date(2025, 1, 2),
        "Página web",
        "Reclamo",
        "Product defect",
        "",
        date(2025, 1, 31),
        20,
        15,
        date(2025, 1, 24),
        "NO",
        "NO",
        "Respondida",
        "A favor del consumidor",
    )
    quick = rows[codes["quick_petition"]]
    assert (quick[3], quick[4], quick[7], quick[8], quick[11]) == (
        "Telefónico",
        "Petición",
        date(2025, 1, 17),
        4,
        "SI",
    )
    verdict = rows[codes["not_established"]]
    assert (verdict[4], verdict[8], verdict[11], verdict[13], verdict[14]) == (
        "Reclamo",
        4,
        "SI",
        "Cerrada",
        "No favorable al consumidor",
    )
    evening = rows[codes["last_evening"]]
    assert evening[2] == date(2025, 3, 31)
    assert (evening[4], evening[7], evening[8], evening[11], evening[13]) == (
        "Sugerencia",
        None,
        None,
        "",
        "En trámite",
    )
    compliment = rows[codes["workshop"]]
    assert (compliment[4], compliment[8], compliment[14]) == ("Felicitación", 2, "")


def test_it_counts_days_from_the_day_after_filing_in_the_calendars_business_days() -> None:
    colombia = regulator.DayCounter(Calendar(country="CO"), business=True)
    assert colombia.between(date(2025, 1, 2), date(2025, 1, 2)) == 0
    assert colombia.between(date(2025, 1, 3), date(2025, 1, 6)) == 0  # weekend, Reyes
    assert colombia.between(date(2024, 12, 30), date(2025, 1, 3)) == 3  # 31 Dec, 2-3 Jan
    estonia = regulator.DayCounter(Calendar(country="EE"), business=False)
    assert estonia.between(date(2025, 2, 20), date(2025, 3, 7)) == 15


def test_quarters_end_at_midnight_in_bogota() -> None:
    start, end = regulator.quarter(2025, 1).bounds()
    assert start == datetime(2025, 1, 1, 5, tzinfo=UTC)
    assert end == datetime(2025, 4, 1, 5, tzinfo=UTC)
    assert regulator.quarter(2024, 4).last_day == date(2024, 12, 31)
    with pytest.raises(ValueError):
        regulator.quarter(2025, 5)


def test_a_supervisor_reports_only_their_departments_and_the_auditor_no_confidential_case(
    quarter_cases: dict[str, Complaint], supervisor: User, auditor: User
) -> None:
    codes = {name: case.tracking_code for name, case in quarter_cases.items()}
    supervisor_sees = set(sic_rows(supervisor))
    assert codes["secret"] in supervisor_sees
    assert codes["workshop"] not in supervisor_sees
    assert codes["late_claim"] in supervisor_sees
    auditor_sees = set(sic_rows(auditor))
    assert codes["workshop"] in auditor_sees
    assert codes["secret"] not in auditor_sees


def test_the_register_carries_the_sheet_fields_numbered_in_filing_order(
    quarter_cases: dict[str, Complaint], manager: User
) -> None:
    quarter_cases["late_claim"].__class__.objects.filter(pk=quarter_cases["late_claim"].pk).update(
        amount_claimed="350000.00", remedy_requested="Refund the pads."
    )
    fmt = regulator.FORMATS["pe-libro-reclamaciones"]
    rows = list(
        regulator.report_rows(
            fmt=fmt,
            scope=selectors.scope_of(manager),
            period=regulator.date_range(date(2025, 1, 1), date(2025, 1, 31)),
            now=NOW,
        )
    )
    assert [row[0] for row in rows] == [1, 2]
    first = rows[0]
    assert first[1] == quarter_cases["late_claim"].tracking_code
    assert first[3] == "Reclamo"
    assert first[4] == "Ana Pérez" and first[7] == "ana@example.com"
    assert str(first[10]) == "350000.00" and first[11] == "COP"
    assert first[13] == "Refund the pads."
    assert "Replace the brake pads free of charge." in first[14]
    assert first[15] == date(2025, 1, 31)
    # 20 Colombian business days, but Peru keeps 6 January as a working day: 21.
    assert first[16] == 21
    assert len(first) == len(fmt.columns())


def test_only_readers_open_the_page_and_it_shows_source_count_and_preview(
    client: Client, quarter_cases: dict[str, Complaint], handler: User, supervisor: User
) -> None:
    client.force_login(handler)
    assert client.get(f"/staff/analytics/regulator/{Q1}", **EN).status_code == 404
    client.force_login(supervisor)
    response = client.get(f"/staff/analytics/regulator/{Q1}", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ley 1755 de 2015, art. 14" in html
    assert "upload tool" in html
    assert 'data-count="5"' in html
    assert html.count("data-row=") == 5
    assert quarter_cases["workshop"].tracking_code not in html
    assert "/staff/analytics/regulator/export.csv?format=co-sic-pqrs" in html


def test_it_downloads_the_report_as_csv_with_its_headers(
    client: Client, quarter_cases: dict[str, Complaint], auditor: User
) -> None:
    cache.clear()  # the export rate limit
    client.force_login(auditor)
    response = client.get(f"/staff/analytics/regulator/export.csv{Q1}", **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="co-sic-pqrs-2025-Q1.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == [
        "Reporting period",
        "Filing number (radicado)",
        "Filing date",
        "Channel",
        "Type (PQRS)",
    ]
    by_code = {row[1]: row for row in rows[1:]}
    assert len(by_code) == 5  # no confidential case for the auditor
    late = by_code[quarter_cases["late_claim"].tracking_code]
    assert late[2] == "2025-01-02" and late[8] == "20" and late[11] == "NO"


def test_it_downloads_the_register_as_xlsx(
    client: Client, quarter_cases: dict[str, Complaint], manager: User
) -> None:
    from openpyxl import load_workbook

    cache.clear()
    client.force_login(manager)
    response = client.get(
        "/staff/analytics/regulator/export.xlsx?format=ee-ttja&start=2025-02-01&end=2025-02-28",
        **EN,
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "No." and len(values) == 3  # header, secret, workshop
    assert {row[16] for row in values[1:]} == {6, 2}  # calendar days


def test_a_bad_period_is_explained(client: Client, quarter_cases: Any, manager: User) -> None:
    client.force_login(manager)
    response = client.get(
        "/staff/analytics/regulator/?format=pe-libro-reclamaciones&start=2025-03-01&end=2025-01-01",
        **EN,
    )
    assert response.status_code == 400
    assert "The period starts after it ends." in response.content.decode()
    response = client.get("/staff/analytics/regulator/?format=co-sic-pqrs&year=2025", **EN)
    assert response.status_code == 400
    assert "Choose a quarter." in response.content.decode()
    response = client.get("/staff/analytics/regulator/?format=nonsense", **EN)
    assert response.status_code == 400
    cache.clear()
    download = client.get("/staff/analytics/regulator/export.csv?format=co-sic-pqrs", **EN)
    assert download.status_code == 400
    assert "Choose a quarter." in download.content.decode()
    assert client.get(f"/staff/analytics/regulator/export.pdf{Q1}", **EN).status_code == 404


def test_the_register_counts_the_regional_holidays_of_the_companys_policy(
    settings: Any, clock: Clock, make_complaint: MakeComplaint, manager: User
) -> None:
    from resuelve.deadlines.models import DeadlinePolicy

    DeadlinePolicy.objects.filter(code="es-consumo").update(subdivision="MD")
    settings.RESUELVE_DEADLINE_POLICY = "es-consumo"
    clock.set(datetime(2025, 5, 5, 10, 0, tzinfo=UTC))
    case = make_complaint(
        state=State.COMMUNICATED, received_at=datetime(2025, 4, 30, 10, 0, tzinfo=UTC)
    )
    fmt = regulator.FORMATS["es-hojas-reclamaciones"]
    period = regulator.date_range(date(2025, 4, 1), date(2025, 4, 30))
    scope = selectors.scope_of(manager)

    def days() -> int:
        [row] = regulator.report_rows(fmt=fmt, scope=scope, period=period, now=NOW)
        assert row[1] == case.tracking_code
        return row[16]

    # 1 May is Labour Day everywhere, 2 May is Madrid's day: only Monday 5 May counts.
    assert days() == 1
    settings.RESUELVE_DEADLINE_POLICY = ""
    assert days() == 2

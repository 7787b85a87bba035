"""`resuelve import-customers`: real CSV and XLSX files with good and bad rows."""

from __future__ import annotations

import csv
from datetime import date, time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from resuelve.customers.models import ConsentChange, Customer, ImportMapping, Region
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db

HEADER = [
    "external_ref",
    "name",
    "email",
    "phone",
    "language",
    "tier",
    "joined",
    "renewal_on",
    "birthday",
    "region",
    "country",
    "time_zone",
    "preferred_channel",
    "consent_email",
    "consent_phone",
    "consent_sms",
    "quiet_from",
    "quiet_until",
    "contact_from",
    "contact_until",
    "contact_days",
]
GOOD = [
    # fmt: off
    [
        "C-1",
        "Ana Pérez",
        "ANA@Example.com",
        "+57 300 123 4567",
        "es",
        "oro",
        "2020-01-15",
        "15/01/2026",
        "1985-06-30",
        "Andina",
        "co",
        "America/Bogota",
        "teléfono",
        "sí",
        "1",
        "no",
        "22:00",
        "7:00",
        "09:00",
        "12:00",
        "1,2,3,4,5",
    ],
    [
        "C-2",
        "Wang Fang",
        "fang@example.cn",
        "",
        "zh-hans",
        "银卡",
        "",
        "",
        "",
        "andina",
        "CN",
        "Asia/Shanghai",
        "短信",
        "是",
        "否",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "C-3",
        "Mari Tamm",
        "mari@example.ee",
        "+372 5123 4567",
        "eesti",
        "platinum",
        "03/02/2019",
        "",
        "",
        "",
        "EE",
        "europe/tallinn",
        "e-mail",
        "jah",
        "ei",
        "jah",
        "21:30",
        "08:00",
        "",
        "",
        "67",
    ],
    # fmt: on
]
BAD = [
    # fmt: off
    [
        "C-4",
        "Bad Mail",
        "not-an-address",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "C-5",
        "Bad Tier",
        "",
        "",
        "fr",
        "diamond",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "C-6",
        "Bad Zone",
        "",
        "",
        "",
        "",
        "2020-13-01",
        "31/02/2020",
        "",
        "",
        "COL",
        "Mars/Olympus",
        "pigeon",
        "maybe",
        "",
        "",
        "25:00",
        "7",
        "",
        "",
        "89",
    ],
    [
        "",
        "No Reference",
        "x@example.com",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    ["C-7", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    [
        "C-1",
        "Ana Again",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # fmt: on
]


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    # utf-8-sig: a BOM, as Excel writes it.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(*args: str, **options: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_customers", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def read_rejects(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_it_imports_good_rows_and_reports_bad_ones(tmp_path: Path, clock: Clock) -> None:
    source = write_csv(tmp_path / "customers.csv", [HEADER, *GOOD, *BAD], delimiter=";")
    out, err = run(str(source))

    assert "3 created, 0 updated, 0 unchanged, 6 rejected" in out
    assert "3 created" in err and "rows/s" in err  # the progress line
    ana = Customer.objects.get(external_ref="C-1")
    assert ana.name == "Ana Pérez" and ana.search_name == "ana perez"
    assert ana.email == "ana@example.com"
    assert ana.phone_digits == "3001234567"
    assert (ana.language, ana.tier, ana.preferred_channel) == ("es", "gold", "phone")
    assert ana.member_since == date(2020, 1, 15)
    assert ana.renewal_on == date(2026, 1, 15)
    assert ana.birthday == date(1985, 6, 30)
    assert (ana.country, ana.time_zone) == ("CO", "America/Bogota")
    assert (ana.consent_email, ana.consent_phone, ana.consent_sms) == (True, True, False)
    assert ana.consent_letter is True  # no column: the default
    assert (ana.quiet_from, ana.quiet_until) == (time(22, 0), time(7, 0))
    assert (ana.contact_from, ana.contact_until) == (time(9, 0), time(12, 0))
    assert ana.contact_days == "12345"
    fang = Customer.objects.get(external_ref="C-2")
    assert (fang.language, fang.tier, fang.preferred_channel) == ("zh-hans", "silver", "sms")
    assert fang.region == ana.region and Region.objects.count() == 1  # "andina" = "Andina"
    assert fang.consent_phone is False
    mari = Customer.objects.get(external_ref="C-3")
    assert (mari.language, mari.tier, mari.time_zone) == ("et", "platinum", "Europe/Tallinn")
    assert mari.member_since == date(2019, 2, 3) and mari.contact_days == "67"
    assert mari.region is None

    withdrawn = ConsentChange.objects.order_by("customer__external_ref", "channel")
    assert [(c.customer.external_ref, c.channel, c.granted, c.source) for c in withdrawn] == [
        ("C-1", "sms", False, "import"),
        ("C-2", "phone", False, "import"),
        ("C-3", "phone", False, "import"),
    ]

    report = read_rejects(tmp_path / "customers.rejects.csv")
    assert report[0] == ["row", "external reference", "reason"]
    reasons = {(row[0], row[1]): row[2] for row in report[1:]}
    assert list(reasons) == [
        ("5", "C-4"),
        ("6", "C-5"),
        ("7", "C-6"),
        ("8", ""),
        ("9", "C-7"),
        ("10", "C-1"),
    ]
    assert reasons["5", "C-4"] == "email: “not-an-address” is not an e-mail address."
    assert "language: Language “fr” is not served" in reasons["6", "C-5"]
    assert "tier: Unknown membership tier “diamond”" in reasons["6", "C-5"]
    bad = reasons["7", "C-6"]
    for expected in (
        "joined: Cannot read the date “2020-13-01”",
        "renewal_on: Cannot read the date “31/02/2020”",
        "country: “COL” is not a two-letter country code",
        "time_zone: Unknown time zone “Mars/Olympus”",
        "preferred_channel: Unknown channel “pigeon”",
        "consent_email: Cannot read “maybe” as yes or no.",
        "quiet_from: Cannot read the time “25:00”",
        "quiet_until: Cannot read the time “7”",
        "contact_days: “89” is not a list of weekdays",
    ):
        assert expected in bad
    assert reasons["8", ""] == "external_ref: This field is required."
    assert reasons["9", "C-7"] == "name: This field is required."
    assert "already on row 2" in reasons["10", "C-1"]
    assert Customer.objects.get(external_ref="C-1").name == "Ana Pérez"  # the first won


def test_a_second_run_changes_nothing(tmp_path: Path, clock: Clock) -> None:
    source = write_csv(tmp_path / "customers.csv", [HEADER, *GOOD])
    run(str(source))
    before = list(Customer.objects.order_by("pk").values())
    out, _err = run(str(source))
    assert "0 created, 0 updated, 3 unchanged, 0 rejected" in out
    assert list(Customer.objects.order_by("pk").values()) == before
    assert ConsentChange.objects.count() == 3  # nothing recorded twice
    assert read_rejects(tmp_path / "customers.rejects.csv") == [
        ["row", "external reference", "reason"]
    ]


def test_it_updates_changed_rows_and_keeps_what_a_file_leaves_blank(
    tmp_path: Path, clock: Clock
) -> None:
    run(str(write_csv(tmp_path / "first.csv", [HEADER, *GOOD])))
    staff_added = Customer.objects.get(external_ref="C-2")
    staff_added.phone = "+86 138 0013 8000"
    staff_added.save()
    changed = [
        ["external_ref", "name", "tier", "phone", "email"],
        ["C-1", "Ana Pérez Gómez", "platinum", "", ""],
        ["C-2", "Wang Fang", "", "", ""],
    ]
    out, _err = run(str(write_csv(tmp_path / "second.csv", changed)))
    assert "0 created, 1 updated, 1 unchanged, 0 rejected" in out
    ana = Customer.objects.get(external_ref="C-1")
    assert (ana.name, ana.search_name, ana.tier) == (
        "Ana Pérez Gómez",
        "ana perez gomez",
        "platinum",
    )
    assert ana.email == "ana@example.com" and ana.phone_digits == "3001234567"  # blank: kept
    assert Customer.objects.get(external_ref="C-2").phone_digits == "8613800138000"[-10:]


def test_consents_change_only_when_the_file_says_so(tmp_path: Path, clock: Clock) -> None:
    header = ["external_ref", "name", "consent_email", "consent_sms"]
    run(str(write_csv(tmp_path / "a.csv", [header, ["C-9", "Rosa", "yes", "yes"]])))
    rosa = Customer.objects.get(external_ref="C-9")
    assert ConsentChange.objects.count() == 0  # granted already: nothing to record

    out, _e = run(str(write_csv(tmp_path / "b.csv", [header, ["C-9", "Rosa", "no", ""]])))
    rosa.refresh_from_db()
    assert (rosa.consent_email, rosa.consent_sms) == (False, True)
    assert "Consents: 1 withdrawn, 0 granted again" in out
    change = ConsentChange.objects.get()
    assert (change.channel, change.granted, change.source) == ("email", False, "import")
    assert change.at == clock.current and change.note == "Imported from b.csv"

    # A file with the column left blank never re-grants the withdrawn consent...
    run(str(write_csv(tmp_path / "c.csv", [header, ["C-9", "Rosa", "", "no"]])))
    rosa.refresh_from_db()
    assert (rosa.consent_email, rosa.consent_sms) == (False, False)
    # ...only an explicit yes does, and it is on record.
    clock.advance(days=1)
    out, _e = run(str(write_csv(tmp_path / "d.csv", [header, ["C-9", "Rosa", "sí", ""]])))
    rosa.refresh_from_db()
    assert rosa.consent_email is True
    assert "0 withdrawn, 1 granted again" in out
    history = list(ConsentChange.objects.filter(channel="email").order_by("at"))
    assert [c.granted for c in history] == [False, True]


def test_it_reads_xlsx_with_real_dates_times_and_numbers(tmp_path: Path, clock: Clock) -> None:
    rows: list[list[Any]] = [
        ["Customer no.", "Full name", "E-mail", "Member since", "Quiet from", "Days", "SMS ok"],
        [1001, "Luis Gómez", "luis@example.com", date(2021, 5, 4), time(21, 0), 12345, True],
        [1002, "Bad Date", "bad@example.com", "yesterday", None, None, None],
        [1003, "Eva Kask", None, None, None, None, 0],
    ]
    source = write_xlsx(tmp_path / "export.xlsx", rows)
    out, _err = run(
        str(source),
        column=[
            "external_ref=Customer no.",
            "name=Full name",
            "email=E-mail",
            "member_since=Member since",
            "quiet_from=Quiet from",
            "contact_days=Days",
            "consent_sms=SMS ok",
        ],
        rejects=str(tmp_path / "bad.csv"),
    )
    assert "2 created, 0 updated, 0 unchanged, 1 rejected" in out
    luis = Customer.objects.get(external_ref="1001")
    assert luis.member_since == date(2021, 5, 4) and luis.quiet_from == time(21, 0)
    assert luis.contact_days == "12345" and luis.consent_sms is True
    assert Customer.objects.get(external_ref="1003").consent_sms is False
    report = read_rejects(tmp_path / "bad.csv")
    assert report[1][:2] == ["3", "1002"]
    assert report[1][2].startswith("Member since: Cannot read the date “yesterday”")


def test_a_saved_mapping_is_used_again(tmp_path: Path, clock: Clock) -> None:
    rows = [["Nr", "Nimi", "Keel"], ["E-1", "Jaan", "eesti"]]
    source = write_csv(tmp_path / "ee.csv", rows)
    out, _e = run(
        str(source),
        column=["external_ref=Nr", "name=Nimi", "language=Keel"],
        save_mapping="estonian shop",
    )
    assert "Mapping “estonian shop” saved." in out
    mapping = ImportMapping.objects.get(name="estonian shop")
    assert mapping.target == "customers"
    assert mapping.columns == {"external_ref": "Nr", "name": "Nimi", "language": "Keel"}

    rows = [["Nr", "Nimi", "Keel"], ["E-1", "Jaan Tamm", "et"]]
    out, _e = run(str(write_csv(tmp_path / "ee2.csv", rows)), mapping="estonian shop")
    assert "1 updated" in out
    assert Customer.objects.get(external_ref="E-1").name == "Jaan Tamm"


def test_a_dry_run_writes_nothing(tmp_path: Path, clock: Clock) -> None:
    source = write_csv(tmp_path / "customers.csv", [HEADER, *GOOD, *BAD])
    out, _e = run(str(source), dry_run=True)
    assert "Dry run, nothing written." in out
    assert "3 would be created, 0 updated, 0 unchanged, 6 rejected" in out
    assert Customer.objects.count() == 0 and Region.objects.count() == 0
    assert ConsentChange.objects.count() == 0
    assert len(read_rejects(tmp_path / "customers.rejects.csv")) == 7


def test_small_batches_give_the_same_result(tmp_path: Path, clock: Clock) -> None:
    source = write_csv(tmp_path / "customers.csv", [HEADER, *GOOD, *BAD])
    out, _e = run(str(source), batch_size=1)
    assert "3 created, 0 updated, 0 unchanged, 6 rejected" in out
    assert Customer.objects.count() == 3 and ConsentChange.objects.count() == 3


@pytest.mark.parametrize(
    ("make", "args", "expected"),
    [
        (None, [], "No such file"),
        (lambda p: p.write_text(""), [], "has no header row"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00bad"), [], "Cannot read"),
        (
            lambda p: p.write_text("name,email\nAna,a@example.com\n"),
            [],
            "The file has no column for external_ref",
        ),
        (
            lambda p: p.write_text("external_ref,name\n1,Ana\n"),
            ["--column", "email=Correo"],
            "Column(s) not in the file: Correo",
        ),
        (
            lambda p: p.write_text("external_ref,name\n1,Ana\n"),
            ["--column", "shoe_size=name"],
            "Unknown field(s) shoe_size",
        ),
        (
            lambda p: p.write_text("external_ref,name\n1,Ana\n"),
            ["--mapping", "nope"],
            "There is no saved mapping “nope”",
        ),
    ],
)
def test_unusable_input_stops_with_a_message(
    tmp_path: Path, make: Any, args: list[str], expected: str
) -> None:
    path = tmp_path / "in.csv"
    if make is not None:
        make(path)
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_customers", str(path), *args, stdout=StringIO(), stderr=StringIO())
    assert expected in str(error.value)
    assert Customer.objects.count() == 0


def test_the_rejects_report_never_overwrites_the_file(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "c.csv", [["external_ref", "name"], ["1", "Ana"]])
    with translation.override("en"), pytest.raises(CommandError, match="would overwrite"):
        call_command("import_customers", str(source), rejects=str(source), stdout=StringIO())
    assert source.read_text(encoding="utf-8-sig").startswith("external_ref,name")


def test_a_damaged_workbook_stops_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("this is not a workbook")
    with translation.override("en"), pytest.raises(CommandError, match="Cannot read .*export.xlsx"):
        call_command("import_customers", str(path), stdout=StringIO(), stderr=StringIO())


def test_a_mapping_for_purchases_is_refused(tmp_path: Path) -> None:
    ImportMapping.objects.create(name="erp", target="purchases", columns={})
    path = write_csv(tmp_path / "in.csv", [["external_ref", "name"], ["1", "Ana"]])
    with translation.override("en"), pytest.raises(CommandError, match="for importing Purchases"):
        call_command("import_customers", str(path), "--mapping", "erp", stdout=StringIO())


def test_messages_follow_the_language(tmp_path: Path, clock: Clock) -> None:
    source = write_csv(tmp_path / "c.csv", [["external_ref", "name"], ["1", ""]])
    with translation.override("en"):
        call_command("import_customers", str(source), stdout=StringIO(), stderr=StringIO())
    english = read_rejects(tmp_path / "c.rejects.csv")
    with translation.override("es"):
        call_command("import_customers", str(source), stdout=StringIO(), stderr=StringIO())
    spanish = read_rejects(tmp_path / "c.rejects.csv")
    assert english[1][2] == "name: This field is required."
    assert spanish[1][2] == "name: Este campo es obligatorio."


def test_an_unwritable_rejects_report_stops_before_importing(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "c.csv", [["external_ref", "name"], ["1", "Ana"]])
    with translation.override("en"), pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "import_customers",
            str(source),
            rejects=str(tmp_path / "missing" / "r.csv"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert Customer.objects.count() == 0


def test_a_reference_that_looks_like_a_formula_is_written_as_text(
    tmp_path: Path, clock: Clock
) -> None:
    source = write_csv(tmp_path / "c.csv", [["external_ref", "name"], ["=HYPERLINK(1)", ""]])
    run(str(source))
    assert read_rejects(tmp_path / "c.rejects.csv")[1][1] == "'=HYPERLINK(1)"


def test_postgresql_is_told_the_table_grew(tmp_path: Path, clock: Clock) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    rows = [["external_ref", "name"], *[[f"C-{i}", f"Customer {i}"] for i in range(2100)]]
    run(str(write_csv(tmp_path / "many.csv", rows)), batch_size=700)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s", [Customer._meta.db_table]
        )
        (estimate,) = cursor.fetchone()
    assert estimate >= 2000  # ANALYZE ran once 2,000 rows were created

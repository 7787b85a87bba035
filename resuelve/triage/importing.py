"""Loading the company's earlier complaints (CSV or XLSX) as closed cases, so the classifier
has a history to learn from on day one.

Each row becomes a closed complaint with its customer message and an audit trail of two
events (registered at the row's date, closed by the import), chained exactly as the
complaint services chain them. Rows are written in batches; each row's IntakeKey ("import",
its id or the hash of its content) makes a second run import nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from resuelve.complaints import tracking
from resuelve.complaints.lifecycle import SYSTEM, Action, Kind, State
from resuelve.complaints.models import (
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    Message,
    Severity,
    Visibility,
)
from resuelve.complaints.services import _actor_label, _chain_event
from resuelve.core.tabular import cell_text as _cell
from resuelve.core.tabular import read_rows as read_rows  # the command reads through here
from resuelve.intake.models import IntakeKey
from resuelve.triage import classifier, rules

SOURCE = "import"
# Rows per INSERT statement (within SQLite's limit on parameters for the widest table).
WRITE_BATCH = 500

# Words people use for the kinds in their spreadsheets, normalized (rules.normalize).
KIND_WORDS = {
    **{value: value for value in Kind.values},
    "peticion": Kind.PETITION,
    "solicitud": Kind.PETITION,
    "request": Kind.PETITION,
    "p": Kind.PETITION,
    "queja": Kind.COMPLAINT,
    "q": Kind.COMPLAINT,
    "reclamo": Kind.CLAIM,
    "reclamacion": Kind.CLAIM,
    "r": Kind.CLAIM,
    "sugerencia": Kind.SUGGESTION,
    "s": Kind.SUGGESTION,
    "felicitacion": Kind.COMPLIMENT,
    "felicitaciones": Kind.COMPLIMENT,
    "f": Kind.COMPLIMENT,
    "投诉": Kind.COMPLAINT,
    "建议": Kind.SUGGESTION,
    "表扬": Kind.COMPLIMENT,
    "kaebus": Kind.COMPLAINT,
    "ettepanek": Kind.SUGGESTION,
    "taotlus": Kind.PETITION,
}
SEVERITY_WORDS = {
    **{value: value for value in Severity.values},
    "baja": Severity.LOW,
    "media": Severity.MEDIUM,
    "alta": Severity.HIGH,
    "critica": Severity.CRITICAL,
}
LANGUAGE_WORDS = {
    **{code: code for code, _name in settings.LANGUAGES},
    "zh": "zh-hans",
    "zh-cn": "zh-hans",
    "zh_hans": "zh-hans",
    "spanish": "es",
    "espanol": "es",
    "english": "en",
    "chinese": "zh-hans",
    "estonian": "et",
    "eesti": "et",
}
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%Y")


@dataclass(frozen=True)
class Columns:
    text: str
    category: str
    subject: str = ""
    date: str = ""
    kind: str = ""
    severity: str = ""
    language: str = ""
    id: str = ""


@dataclass
class Rejected:
    row: int
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    already: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    categories_created: list[str] = field(default_factory=list)


class ImportRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- reading ----------------------------------------------------------------------------------


# --- checking one row -------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    key: str
    subject: str
    text: str
    category: str
    kind: str
    severity: str
    language: str
    received_at: datetime | None


def _parse_date(value: Any) -> datetime | None:
    """A datetime from a cell; None if it cannot be read. Naive times are the site's."""
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(12, 0))
    else:
        text = str(value).strip()
        try:
            moment = parse_datetime(text.replace(" ", "T", 1)) if " " in text else None
            if moment is None:
                day = parse_date(text)
                moment = datetime.combine(day, time(12, 0)) if day else None
        except ValueError:
            moment = None
        if moment is None:
            for pattern in DATE_FORMATS:
                try:
                    moment = datetime.strptime(text, pattern)
                    if "%H" not in pattern:
                        moment = moment.replace(hour=12)
                    break
                except ValueError:
                    continue
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def check_row(number: int, row: dict[str, Any], columns: Columns) -> Row | Rejected:
    text = _cell(row, columns.text)
    if not text:
        return Rejected(number, _("the text is empty"))
    category = _cell(row, columns.category)
    if not category or not slugify(category):
        return Rejected(number, _("the category is empty"))
    kind = Kind.COMPLAINT
    if columns.kind and _cell(row, columns.kind):
        kind = KIND_WORDS.get(rules.normalize(_cell(row, columns.kind)), "")
        if not kind:
            return Rejected(
                number, _("unknown kind “%(value)s”") % {"value": _cell(row, columns.kind)}
            )
    severity = Severity.MEDIUM
    if columns.severity and _cell(row, columns.severity):
        severity = SEVERITY_WORDS.get(rules.normalize(_cell(row, columns.severity)), "")
        if not severity:
            return Rejected(
                number,
                _("unknown severity “%(value)s”") % {"value": _cell(row, columns.severity)},
            )
    language = ""
    if columns.language and _cell(row, columns.language):
        language = LANGUAGE_WORDS.get(rules.normalize(_cell(row, columns.language)), "")
        if not language:
            return Rejected(
                number,
                _("language “%(value)s” is not served") % {"value": _cell(row, columns.language)},
            )
    received_at = None
    if columns.date and _cell(row, columns.date):
        raw = row.get(columns.date)
        received_at = _parse_date(raw)
        if received_at is None:
            return Rejected(number, _("cannot read the date “%(value)s”") % {"value": raw})
        if received_at > timezone.now():
            return Rejected(number, _("the date “%(value)s” is in the future") % {"value": raw})
    subject = _cell(row, columns.subject) or text.splitlines()[0]
    if len(subject) > 200:
        subject = subject[:199] + "…"
    key = _cell(row, columns.id)
    if not key:
        content = [rules.normalize(text), rules.normalize(category), rules.normalize(subject)]
        content += [kind, severity, language, received_at.isoformat() if received_at else ""]
        key = "sha256:" + hashlib.sha256(json.dumps(content).encode()).hexdigest()
    return Row(
        number=number,
        key=key[:255],
        subject=subject,
        text=text,
        category=category,
        kind=kind,
        severity=severity,
        language=language,
        received_at=received_at,
    )


# --- writing ----------------------------------------------------------------------------------


class _Categories:
    """Categories by name, created when missing (code: the name as a slug)."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.by_key: dict[str, Category] = {}
        for category in Category.objects.all():
            self.by_key[category.code] = category
            self.by_key[rules.normalize(category.name)] = category

    def get(self, name: str) -> Category:
        found = self.by_key.get(rules.normalize(name)) or self.by_key.get(slugify(name)[:40])
        if found is None:
            code = slugify(name)[:40]
            found, created = Category.objects.get_or_create(
                code=code, defaults={"name": name[:120]}
            )
            if created:
                self.report.categories_created.append(found.name)
            self.by_key[code] = found
            self.by_key[rules.normalize(name)] = found
        return found


def _build(
    row: Row, category: Category, channel: str, now: datetime, reason: str
) -> tuple[Complaint, list[Any], Message]:
    received = row.received_at or now
    language = row.language or classifier.detect_language(
        f"{row.subject}\n{row.text}", fallback=settings.LANGUAGE_CODE
    )
    case = Complaint(
        tracking_code=tracking.generate(),
        kind=row.kind,
        channel=channel,
        state=State.CLOSED,
        is_open=False,
        language=language,
        subject=row.subject,
        description=row.text,
        received_at=received,
        category=category,
        department_id=category.default_department_id,
        severity=row.severity,
        currency=settings.RESUELVE_CURRENCY,
        closed_at=now,
    )
    label = _actor_label(None, SYSTEM)
    events = [
        _chain_event(
            case,
            actor=None,
            actor_label=label,
            action=Action.REGISTER,
            from_state="",
            to_state=State.RECEIVED,
            changes={"channel": channel, "kind": row.kind, "subject": case.subject},
            reason="",
            at=received,
        ),
        _chain_event(
            case,
            actor=None,
            actor_label=label,
            action=Action.CLOSE,
            from_state=State.RECEIVED,
            to_state=State.CLOSED,
            changes={"category": category.code, "severity": row.severity, "import": row.key},
            reason=reason,
            at=now,
        ),
    ]
    message = Message(
        complaint=case,
        from_customer=True,
        visibility=Visibility.CUSTOMER,
        channel=channel,
        body=row.text,
        created_at=received,
    )
    return case, events, message


def history_import(
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    columns: Columns,
    channel: str = Channel.LETTER,
    batch_size: int = 1000,
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import earlier complaints as closed cases (see the module's docstring). Rejected rows
    are reported with their number and reason; rows imported before are counted, not
    imported again."""
    if channel not in Channel.values:
        raise ImportRefused(
            _("Unknown channel “%(channel)s”; use one of: %(choices)s.")
            % {"channel": channel, "choices": ", ".join(Channel.values)}
        )
    report = ImportReport()
    categories = _Categories(report)
    seen: set[str] = set()
    batch: list[Row] = []
    reason = _("Imported from the company's earlier records.")

    def flush() -> None:
        if not batch:
            return
        keys = [row.key for row in batch]
        existing = set(
            IntakeKey.objects.filter(source=SOURCE, key__in=keys).values_list("key", flat=True)
        )
        fresh = [row for row in batch if row.key not in existing]
        report.already += len(batch) - len(fresh)
        now = timezone.now()
        built = [
            (row, *_build(row, categories.get(row.category), channel, now, reason)) for row in fresh
        ]
        with transaction.atomic():
            # Django's batching (an explicit batch_size): it keeps each statement within the
            # backend's limit on parameters, which a big --batch-size would pass.
            cases = Complaint.objects.bulk_create(
                [case for _row, case, _e, _m in built], batch_size=WRITE_BATCH
            )
            Message.objects.bulk_create(
                [message for _row, _case, _e, message in built], batch_size=WRITE_BATCH
            )
            ComplaintEvent.objects.bulk_create(
                [event for _row, _case, events, _m in built for event in events],
                batch_size=WRITE_BATCH,
            )
            IntakeKey.objects.bulk_create(
                [
                    IntakeKey(source=SOURCE, key=row.key, complaint=case, created_at=now)
                    for (row, _c, _e, _m), case in zip(built, cases, strict=True)
                ],
                batch_size=WRITE_BATCH,
            )
        report.imported += len(fresh)
        batch.clear()
        if progress is not None:
            progress(report)

    for number, raw in rows:
        report.rows += 1
        checked = check_row(number, raw, columns)
        if isinstance(checked, Rejected):
            report.rejected.append(checked)
            continue
        if checked.key in seen:
            report.already += 1  # the same row twice in one file
            continue
        seen.add(checked.key)
        batch.append(checked)
        if len(batch) >= batch_size:
            flush()
    flush()
    if progress is not None:
        progress(report)
    return report


def missing_columns(header: list[str], columns: Columns) -> list[str]:
    wanted = [name for name in vars(columns).values() if name]
    return [name for name in wanted if name not in header]

"""Reports for regulators (REQUIREMENTS G3, issue 9): each format names its columns, the
rule it follows and how a row is read off a complaint. Rows come from `values_list` in
chunks, the first answer and any notified extension computed by the database in the same
query, so a million complaints stream in flat memory.

Sources (the same citations are on the page and in docs/regulator.md):

- Colombia, PQRS report for the Superintendencia de Industria y Comercio (SIC):
  Ley 1755 de 2015 (right of petition; it replaces Title II of Ley 1437 de 2011), art. 14
  (answer within 15 business days counted from the day after filing; document requests 10,
  consultations 30; paragraph: an extension must be notified before the term ends) and
  arts. 32-33 (petitions to private organisations);
  https://www.funcionpublica.gov.co/eva/gestornormativo/norma.php?i=65334.
  Ley 1480 de 2011 (Estatuto del Consumidor), art. 58 (consumer claims, SIC as authority).
  Decreto 1081 de 2015, art. 2.1.1.6.2 (reports on requests: how many were received, passed
  to another body, the answer time of each, how many were refused).
  We found no public specification of one quarterly upload layout that the SIC asks of
  every supervised company; sector layouts exist (for example the reporting formats of the
  CRC for telecommunications providers, Resolución CRC 5050 de 2016; check). The export
  therefore carries the fields these rules name, one row per PQRS, and its columns may need
  renaming or reordering for the regulator's upload tool.
- Peru, Libro de Reclamaciones: Ley 29571 (Código de Protección y Defensa del Consumidor),
  art. 150 (the book) and art. 24 (answer term; 15 business days, not extendable, as amended
  in 2022; check); Decreto Supremo 011-2011-PCM (Reglamento del Libro de Reclamaciones),
  Anexo I (the sheet: correlative number, date, consumer's identification, the product or
  service and its amount, the detail and what the consumer asks, the supplier's actions and
  the date the answer was communicated), modified by D.S. 006-2014-PCM and later decrees.
- Spain, hojas de reclamaciones: regulated by each autonomous community (for example
  Andalucía, Decreto 472/2019; check your region's decree for the official sheet), with
  Real Decreto Legislativo 1/2007, art. 21 (answer within one month) and Ley 10/2025 on
  customer-service (15 business days for large companies and basic services).
- China, 12315: 市场监督管理投诉举报处理暂行办法 (SAMR Order No. 20 of 2019), art. 9 (what a
  complaint states: complainant, contact, respondent, request, facts); companies on the
  12315 online dispute resolution platform settle within 10 working days (check).
- Estonia: Tarbijakaitseseadus (Consumer Protection Act): a trader answers a consumer's
  written complaint within 15 days (calendar; check); supervisor: Tarbijakaitse ja
  Tehnilise Järelevalve Amet (TTJA).

A merged duplicate is not reported: its customer's complaint is reported once, on the case
it joined. Values the regulation itself names (petición, queja, reclamo, SI/NO...) are the
regulation's Spanish words in the Colombian and Peruvian formats, whatever the reader's
language; headings and every other text are in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resuelve.analytics.facts import ANSWER_ACTIONS, on_time
from resuelve.analytics.selectors import Scope
from resuelve.complaints.lifecycle import FINISHED_STATES, Action, Kind, State
from resuelve.complaints.models import Channel, Complaint, ComplaintEvent, Validity
from resuelve.core.export import Column
from resuelve.deadlines.calendar import Calendar, is_business_day

CHUNK_SIZE = 2000
PREVIEW_ROWS = 50


# --- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Local dates, both included, in the company's time zone."""

    first_day: date
    last_day: date
    label: str = ""

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: the first day's midnight to the midnight after the
        last day, in the company's time zone (a case filed at 22:00 in Bogotá on 31 March is
        a first-quarter case even though it is 1 April in UTC)."""
        zone = ZoneInfo(settings.TIME_ZONE)
        start = datetime.combine(self.first_day, time.min, tzinfo=zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=zone)
        return start, end


def quarter(year: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise ValueError(number)
    first = date(year, 3 * number - 2, 1)
    after = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return Period(first, after - timedelta(days=1), f"{year}-Q{number}")


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(day: date) -> tuple[int, int]:
    year, number = quarter_of(day)
    return (year - 1, 4) if number == 1 else (year, number - 1)


def date_range(first_day: date, last_day: date) -> Period:
    if first_day > last_day:
        raise ValueError((first_day, last_day))
    return Period(first_day, last_day, f"{first_day:%Y-%m-%d}/{last_day:%Y-%m-%d}")


# --- counting days ---------------------------------------------------------------------------


class DayCounter:
    """Days elapsed between filing and answer the way a law counts them: from the day after
    filing to the day of the answer, both local dates; in business days of the calendar's
    country (resuelve.deadlines.calendar.is_business_day, holidays and make-up working days
    included) or in calendar days. A year's running count is computed once, so a million
    rows cost a lookup each."""

    def __init__(self, cal: Calendar, *, business: bool) -> None:
        self.cal = cal
        self.business = business
        self._years: dict[int, list[int]] = {}

    def _running(self, year: int) -> list[int]:
        running = self._years.get(year)
        if running is None:
            running, count, day = [], 0, date(year, 1, 1)
            while day.year == year:
                count += is_business_day(day, self.cal)
                running.append(count)
                day += timedelta(days=1)
            self._years[year] = running
        return running

    def _upto(self, day: date) -> int:
        """Business days from 1 January of `day`'s year to `day`, both included."""
        return self._running(day.year)[day.timetuple().tm_yday - 1]

    def between(self, filed_on: date, answered_on: date) -> int:
        if answered_on <= filed_on:
            return 0
        if not self.business:
            return (answered_on - filed_on).days
        total = self._upto(answered_on) - self._upto(filed_on)
        for year in range(filed_on.year, answered_on.year):
            total += self._running(year)[-1]
        return total


# --- the complaints of a report --------------------------------------------------------------


def _first_answer() -> Subquery:
    """When the customer was first answered (resuelve.analytics.facts): the solution sent,
    the case resolved or referred outside, or the verdict that it is not established."""
    answers = ComplaintEvent.objects.filter(complaint_id=OuterRef("pk")).filter(
        Q(action__in=ANSWER_ACTIONS) | Q(action=Action.ASSESS, to_state=State.NOT_ESTABLISHED)
    )
    return Subquery(answers.order_by("seq").values("at")[:1])


def _extended() -> Exists:
    return Exists(ComplaintEvent.objects.filter(complaint_id=OuterRef("pk"), action=Action.EXTEND))


def report_complaints(*, scope: Scope, period: Period) -> QuerySet[Complaint]:
    """The complaints received in the period that the reader may see, oldest first."""
    start, end = period.bounds()
    return (
        Complaint.objects.filter(scope.q(), received_at__gte=start, received_at__lt=end)
        .exclude(state=State.MERGED)
        .annotate(answered_at=_first_answer(), extended=_extended())
        .order_by("received_at", "id")
    )


@dataclass
class Context:
    """What the rows of one report share: its period, its "now", its day counter, and the
    running number of the register's rows."""

    period: Period
    now: datetime
    counter: DayCounter
    number: int = 0

    def local_day(self, moment: datetime | None) -> date | None:
        return None if moment is None else timezone.localtime(moment).date()


# --- the formats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    citation: str  # as the rule names itself, in its own language
    url: str = ""
    unconfirmed: bool = False  # collected from public summaries, not checked in the text


@dataclass(frozen=True)
class Format:
    code: str
    label: Promise
    jurisdiction: Promise
    authority: str
    period_kind: str  # "quarter" or "range"
    sources: tuple[Source, ...]
    note: Promise  # what the export is and is not
    columns: Callable[[], list[Column]]
    fields: tuple[str, ...]
    row: Callable[[Sequence[Any], Context], tuple[Any, ...]]
    calendar: Calendar = field(default_factory=Calendar)
    business_days: bool = True

    def day_calendar(self) -> Calendar:
        """The format's country; with the region of the company's deadline policy when that
        policy is of the same country (Spain's regional holidays, for instance)."""
        from resuelve.deadlines.models import DeadlinePolicy

        code = settings.RESUELVE_DEADLINE_POLICY
        if not code or not self.calendar.country:
            return self.calendar
        region = (
            DeadlinePolicy.objects.filter(code=code, country=self.calendar.country)
            .values_list("subdivision", flat=True)
            .first()
        )
        return replace(self.calendar, subdivision=region) if region else self.calendar

    def context(self, period: Period, now: datetime) -> Context:
        counter = DayCounter(self.day_calendar(), business=self.business_days)
        return Context(period, now, counter)

    def rows(self, qs: QuerySet[Complaint], *, period: Period, now: datetime) -> Iterator[tuple]:
        ctx = self.context(period, now)
        for values in qs.values_list(*self.fields).iterator(chunk_size=CHUNK_SIZE):
            yield self.row(values, ctx)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("SI" if value else "NO")


# The PQRS typology of Ley 1755 de 2015 and the SIC (PQRS plus felicitaciones).
SIC_TYPES = {
    Kind.PETITION: "Petición",
    Kind.COMPLAINT: "Queja",
    Kind.CLAIM: "Reclamo",
    Kind.SUGGESTION: "Sugerencia",
    Kind.COMPLIMENT: "Felicitación",
}
SIC_CHANNELS = {
    Channel.WEB: "Página web",
    Channel.EMAIL: "Correo electrónico",
    Channel.PHONE: "Telefónico",
    Channel.IN_PERSON: "Presencial",
    Channel.LETTER: "Escrito",
    Channel.HOTLINE: "Línea gratuita",
    Channel.SUGGESTION_BOX: "Buzón de sugerencias",
    Channel.SERVICE_CENTER: "Centro de servicio",
    Channel.SOCIAL: "Redes sociales",
    Channel.API: "Canal virtual",
}
SIC_STATES = {"open": "En trámite", "answered": "Respondida", "closed": "Cerrada"}
SIC_OUTCOMES = {
    Validity.ESTABLISHED: "A favor del consumidor",
    Validity.NOT_ESTABLISHED: "No favorable al consumidor",
}


def sic_columns() -> list[Column]:
    return [
        Column(_("Reporting period"), 11),
        Column(_("Filing number (radicado)"), 16),
        Column(_("Filing date"), 12),
        Column(_("Channel"), 18),
        Column(_("Type (PQRS)"), 13),
        Column(_("Reason (category)"), 24),
        Column(_("Product or service"), 24),
        Column(_("Answer date"), 12),
        Column(_("Answer time (business days)"), 12),
        Column(_("Legal term (days)"), 10),
        Column(_("Answer due"), 12),
        Column(_("Within the term"), 10),
        Column(_("Term extended"), 10),
        Column(_("Status"), 12),
        Column(_("Outcome"), 24),
    ]


SIC_FIELDS = (
    "tracking_code",
    "received_at",
    "channel",
    "kind",
    "category__name",
    "product__name",
    "answered_at",
    "deadline_policy__answer_amount",
    "deadline_policy__answer_unit",
    "due_at",
    "extended",
    "state",
    "validity",
)


def _status(state: str, answered_at: datetime | None) -> str:
    if state in FINISHED_STATES:
        return "closed"
    return "answered" if answered_at is not None else "open"


def sic_row(values: Sequence[Any], ctx: Context) -> tuple[Any, ...]:
    (code, received_at, channel, kind, category, product, answered_at, term, term_unit, due_at,
     extended, state, validity) = values  # fmt: skip
    filed_on = ctx.local_day(received_at)
    answered_on = ctx.local_day(answered_at)
    days = None
    if filed_on is not None and answered_on is not None:
        days = ctx.counter.between(filed_on, answered_on)
    in_days = term_unit in ("business_days", "calendar_days")
    # Whether the answer went the consumer's way: said of requests, complaints and claims,
    # not of suggestions and compliments.
    decided = answered_at is not None and kind in (Kind.PETITION, Kind.COMPLAINT, Kind.CLAIM)
    outcome = SIC_OUTCOMES.get(validity, "") if decided else ""
    return (
        ctx.period.label,
        code,
        filed_on,
        SIC_CHANNELS.get(channel, channel),
        SIC_TYPES.get(kind, kind),
        category or "",
        product or "",
        answered_on,
        days,
        term if in_days else None,
        ctx.local_day(due_at),
        _yes_no(on_time(answered_at, due_at, ctx.now)),
        _yes_no(bool(extended)),
        SIC_STATES[_status(state, answered_at)],
        outcome,
    )


# The register's fields: Peru's Hoja de Reclamación (D.S. 011-2011-PCM, Anexo I), which the
# other registers' sheets and complaint rules also ask for.
REGISTER_FIELDS = (
    "tracking_code",
    "received_at",
    "kind",
    "contact_name",
    "customer__name",
    "customer__id_document",
    "customer__address",
    "contact_email",
    "contact_phone",
    "product__name",
    "amount_claimed",
    "currency",
    "description",
    "remedy_requested",
    "solution",
    "resolution_summary",
    "answered_at",
    "due_at",
)


def register_columns() -> list[Column]:
    return [
        Column(_("No."), 7),
        Column(_("Tracking code"), 16),
        Column(_("Filed"), 17),
        Column(_("Type"), 14),
        Column(_("Consumer"), 24),
        Column(_("ID document"), 14),
        Column(_("Address"), 28),
        Column(_("E-mail"), 24),
        Column(_("Phone"), 16),
        Column(_("Product or service"), 24),
        Column(_("Amount claimed"), 12),
        Column(_("Currency"), 8),
        Column(_("Detail"), 50),
        Column(_("Consumer's request"), 40),
        Column(_("Supplier's answer and actions"), 50),
        Column(_("Answer date"), 12),
        Column(_("Days to answer"), 10),
        Column(_("Within the term"), 10),
    ]


# Peru distinguishes a reclamo (about the product or service) from a queja (about the
# attention received); the other kinds are not sheets of the book but are kept in the export.
PE_TYPES = {
    Kind.CLAIM: "Reclamo",
    Kind.COMPLAINT: "Queja",
    Kind.PETITION: "Petición",
    Kind.SUGGESTION: "Sugerencia",
    Kind.COMPLIMENT: "Felicitación",
}


def _register_row(types: dict[str, str] | None) -> Callable[[Sequence[Any], Context], tuple]:
    def row(values: Sequence[Any], ctx: Context) -> tuple[Any, ...]:
        (code, received_at, kind, contact_name, customer_name, id_document, address, email,
         phone, product, amount, currency, description, request, solution, summary,
         answered_at, due_at) = values  # fmt: skip
        ctx.number += 1
        filed_on = ctx.local_day(received_at)
        answered_on = ctx.local_day(answered_at)
        days = None
        if filed_on is not None and answered_on is not None:
            days = ctx.counter.between(filed_on, answered_on)
        answer = "\n\n".join(part for part in (solution, summary) if part)
        kind_text = types.get(kind, kind) if types else _kind_label(kind)
        on = on_time(answered_at, due_at, ctx.now)
        return (
            ctx.number,
            code,
            received_at,
            kind_text,
            contact_name or customer_name or "",
            id_document or "",
            address or "",
            email,
            phone,
            product or "",
            amount,
            currency if amount is not None else "",
            description,
            request,
            answer,
            answered_on,
            days,
            "" if on is None else (_("yes") if on else _("no")),
        )

    return row


def _kind_label(kind: str) -> str:
    try:
        return str(Kind(kind).label)
    except ValueError:
        return kind


SIC_SOURCES = (
    Source(
        "Ley 1755 de 2015, art. 14 (términos) y arts. 32-33 (peticiones ante particulares)",
        "https://www.funcionpublica.gov.co/eva/gestornormativo/norma.php?i=65334",
    ),
    Source(
        "Ley 1480 de 2011 (Estatuto del Consumidor), art. 58",
        "http://www.secretariasenado.gov.co/senado/basedoc/ley_1480_2011.html",
    ),
    Source("Decreto 1081 de 2015, art. 2.1.1.6.2 (informes de solicitudes)"),
    Source(
        "Resolución CRC 5050 de 2016, reportes de información (sector telecomunicaciones)",
        unconfirmed=True,
    ),
)
LAYOUT_NOTE = gettext_lazy(
    "Where a regulator's official file layout is not public, the export carries the fields "
    "the regulation names, one row per case; its columns may need renaming or reordering "
    "for the regulator's upload tool."
)

FORMATS: dict[str, Format] = {
    f.code: f
    for f in (
        Format(
            code="co-sic-pqrs",
            label=gettext_lazy("Colombia — quarterly PQRS report (SIC)"),
            jurisdiction=gettext_lazy("Colombia"),
            authority="Superintendencia de Industria y Comercio (SIC)",
            period_kind="quarter",
            sources=SIC_SOURCES,
            note=gettext_lazy(
                "One row per petition, complaint, claim, suggestion or compliment filed in "
                "the quarter: answer time in Colombian business days from the day after "
                "filing to the first answer (Ley 1755 de 2015, art. 14), and whether it came "
                "within the case's legal term, pauses and notified extensions included. We "
                "found no public specification of a single SIC quarterly upload file for "
                "every supervised company: the columns may need renaming or reordering for "
                "the regulator's upload tool."
            ),
            columns=sic_columns,
            fields=SIC_FIELDS,
            row=sic_row,
            calendar=Calendar(country="CO", timezone=settings.TIME_ZONE),
        ),
        Format(
            code="pe-libro-reclamaciones",
            label=gettext_lazy("Peru — Libro de Reclamaciones register"),
            jurisdiction=gettext_lazy("Peru"),
            authority="INDECOPI",
            period_kind="range",
            sources=(
                Source("Ley 29571, Código de Protección y Defensa del Consumidor, arts. 24 y 150"),
                Source(
                    "Decreto Supremo 011-2011-PCM, Reglamento del Libro de Reclamaciones, Anexo I"
                ),
                Source(
                    "Decreto Supremo 006-2014-PCM y modificaciones posteriores", unconfirmed=True
                ),
            ),
            note=gettext_lazy(
                "The fields of the complaint sheet, one row per case in the order it was "
                "filed. The number is the row's place in this export: export from the day "
                "the book was opened for a numbering without gaps; the tracking code is the "
                "case's permanent number. Days to answer are Peruvian business days."
            ),
            columns=register_columns,
            fields=REGISTER_FIELDS,
            row=_register_row(PE_TYPES),
            calendar=Calendar(country="PE", timezone=settings.TIME_ZONE),
        ),
        Format(
            code="es-hojas-reclamaciones",
            label=gettext_lazy("Spain — complaint sheets register (hojas de reclamaciones)"),
            jurisdiction=gettext_lazy("Spain"),
            authority="Autonomous community consumer office / certified ADR entity",
            period_kind="range",
            sources=(
                Source("Real Decreto Legislativo 1/2007, art. 21"),
                Source("Ley 10/2025, servicios de atención a la clientela"),
                Source(
                    "Decretos autonómicos de hojas de reclamaciones (p. ej. Andalucía, "
                    "Decreto 472/2019)",
                    unconfirmed=True,
                ),
            ),
            note=gettext_lazy(
                "Each autonomous community prints its own official sheet: this register "
                "carries the fields they have in common. Days to answer are Spanish business "
                "days: national holidays, and the regional ones of the region your deadline "
                "policy names."
            ),
            columns=register_columns,
            fields=REGISTER_FIELDS,
            row=_register_row(None),
            calendar=Calendar(country="ES", timezone=settings.TIME_ZONE),
        ),
        Format(
            code="cn-12315",
            label=gettext_lazy("China — complaints register (12315)"),
            jurisdiction=gettext_lazy("China"),
            authority="国家市场监督管理总局 (SAMR) / 12315",
            period_kind="range",
            sources=(
                Source("市场监督管理投诉举报处理暂行办法 (SAMR Order No. 20, 2019), art. 9"),
                Source("12315 online dispute resolution: 10 working days", unconfirmed=True),
            ),
            note=gettext_lazy(
                "The fields a complaint to the market regulator states. Days to answer are "
                "Chinese working days, make-up working weekends included."
            ),
            columns=register_columns,
            fields=REGISTER_FIELDS,
            row=_register_row(None),
            calendar=Calendar(country="CN", timezone=settings.TIME_ZONE),
        ),
        Format(
            code="ee-ttja",
            label=gettext_lazy("Estonia — consumer complaints register (TTJA)"),
            jurisdiction=gettext_lazy("Estonia"),
            authority="Tarbijakaitse ja Tehnilise Järelevalve Amet (TTJA)",
            period_kind="range",
            sources=(
                Source(
                    "Tarbijakaitseseadus (Consumer Protection Act): answer within 15 days",
                    "https://www.riigiteataja.ee/en/",
                    unconfirmed=True,
                ),
            ),
            note=gettext_lazy(
                "The fields of a written consumer complaint and its answer. Days to answer "
                "are calendar days."
            ),
            columns=register_columns,
            fields=REGISTER_FIELDS,
            row=_register_row(None),
            calendar=Calendar(country="EE", timezone=settings.TIME_ZONE),
            business_days=False,
        ),
    )
}


def format_of(code: str) -> Format | None:
    return FORMATS.get(code)


@dataclass
class Report:
    format: Format
    period: Period
    count: int
    preview: list[tuple[Any, ...]]


def report_preview(*, fmt: Format, scope: Scope, period: Period, now: datetime) -> Report:
    """How many rows the report has and its first rows, as the download will carry them."""
    qs = report_complaints(scope=scope, period=period)
    preview = list(fmt.rows(qs[:PREVIEW_ROWS], period=period, now=now))
    return Report(fmt, period, qs.count(), preview)


def report_rows(*, fmt: Format, scope: Scope, period: Period, now: datetime) -> Iterator[tuple]:
    return fmt.rows(report_complaints(scope=scope, period=period), period=period, now=now)

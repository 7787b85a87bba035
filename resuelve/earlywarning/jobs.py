"""`earlywarning_scan(now=)`, every ten minutes on the worker (resuelve.core.periodic) and on
demand (`resuelve early-warning-scan`).

(a) Serious words: every complaint registered since the watermark (ScanState) is read once
for a rare but serious word (serious.py); one that has one is an alert at once. The last
ID_SLACK complaints before the watermark are read again each run: on PostgreSQL a complaint
with a lower id can commit after one with a higher id was read, and must not be missed. A
complaint already alerted is not alerted again, so reading it twice is harmless.

(b) Rises: the complaints of the last history_days become a frame (day, product, supplier,
batch, category, top-level root cause, region) for the detector (detector.py); each signal
it returns raises an alert, or refreshes the live alert of its series. Series a dismissal
suppressed are passed to the detector and left out of what it returns.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint
from resuelve.earlywarning import detector
from resuelve.earlywarning.models import AlertComplaint, AlertKind, ScanState
from resuelve.earlywarning.selectors import suppressed_keys
from resuelve.earlywarning.serious import serious_hits
from resuelve.earlywarning.services import Finding, alert_record

log = logging.getLogger(__name__)

ID_SLACK = 500
FIRST_RUN = timedelta(days=1)  # the first scan reads the last day, not the whole history
COLUMNS = ("day", "product", "supplier", "batch", "category", "cause", "region")


def config() -> detector.Config:
    """The detector's settings: RESUELVE_EARLYWARNING_FALSE_ALARM_RATE, _MIN_COUNT and
    _HISTORY_DAYS when set, else the detector's defaults; and the suppressed series."""
    base = detector.Config()
    return replace(
        base,
        false_alarm_rate=float(
            getattr(settings, "RESUELVE_EARLYWARNING_FALSE_ALARM_RATE", base.false_alarm_rate)
        ),
        min_count=int(getattr(settings, "RESUELVE_EARLYWARNING_MIN_COUNT", base.min_count)),
        history_days=int(
            getattr(settings, "RESUELVE_EARLYWARNING_HISTORY_DAYS", base.history_days)
        ),
        suppressed=suppressed_keys(),
    )


def _state() -> ScanState:
    state, _created = ScanState.objects.get_or_create(name="scan")
    return state


def scan_serious(*, now: datetime, state: ScanState) -> int:
    """Raise an alert for every new complaint with a serious word; returns how many."""
    qs = Complaint.objects.exclude(state=State.MERGED)
    if state.last_run_at is None:
        qs = qs.filter(received_at__gte=now - FIRST_RUN)
    else:
        qs = qs.filter(pk__gt=state.last_complaint_id - ID_SLACK)
    rows = list(qs.order_by("pk").values_list("pk", "subject", "description", "received_at"))
    if not rows:
        if state.last_run_at is None:  # start after what exists, not from the beginning
            state.last_complaint_id = Complaint.objects.aggregate(top=Max("pk"))["top"] or 0
        return 0
    alerted = set(
        AlertComplaint.objects.filter(
            alert__kind=AlertKind.SERIOUS, complaint_id__in=[r[0] for r in rows]
        ).values_list("complaint_id", flat=True)
    )
    raised = 0
    for pk, subject, description, received_at in rows:
        if pk in alerted:
            continue
        hits = serious_hits(subject, description)
        if not hits:
            continue
        finding = Finding(
            kind=AlertKind.SERIOUS,
            key=(("serious", str(pk)),),
            since=timezone.localtime(received_at).date(),
            observed=1,
            complaint_ids=[pk],
            terms=list(dict.fromkeys(h.found for h in hits)),
        )
        _alert, created = alert_record(finding=finding, now=now)
        raised += created
    state.last_complaint_id = max(state.last_complaint_id, rows[-1][0])
    return raised


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def build_frame(*, as_of: date, history_days: int) -> tuple[pd.DataFrame, list[int]]:
    """The complaints received in the history window as the detector's frame, and the
    complaint id of each of its rows."""
    from resuelve.resolution.models import Investigation

    zone = timezone.get_current_timezone()
    start = datetime.combine(as_of - timedelta(days=history_days), time.min, tzinfo=zone)
    window = Complaint.objects.filter(received_at__gte=start).exclude(state=State.MERGED)
    causes = {
        complaint: parent or cause
        for complaint, cause, parent in Investigation.objects.filter(
            complaint__in=window, cause__isnull=False
        ).values_list("complaint_id", "cause_id", "cause__parent_id")
    }
    ids: list[int] = []
    data: dict[str, list[Any]] = {column: [] for column in COLUMNS}
    fields = ("pk", "received_at", "product_id", "product__supplier_id", "purchase__batch",
              "category_id", "branch__region_id")  # fmt: skip
    for pk, received_at, product, supplier, batch, category, region in (
        window.order_by("pk").values_list(*fields).iterator(chunk_size=5000)
    ):
        ids.append(pk)
        data["day"].append(timezone.localtime(received_at, zone).date())
        data["product"].append(_text(product))
        data["supplier"].append(_text(supplier))
        data["batch"].append(_text(batch))
        data["category"].append(_text(category))
        data["cause"].append(_text(causes.get(pk)))
        data["region"].append(_text(region))
    # object columns: pandas 3 would read strings as its "str" dtype, None becoming NaN
    frame = pd.DataFrame({column: pd.Series(data[column], dtype=object) for column in COLUMNS})
    return frame, ids


def scan_rises(*, now: datetime) -> tuple[int, int]:
    """Run the detector and store its signals; returns (raised, refreshed)."""
    settings_now = config()
    as_of = timezone.localdate(now)
    frame, ids = build_frame(as_of=as_of, history_days=settings_now.history_days)
    raised = refreshed = 0
    for signal in detector.detect(frame, as_of=as_of, config=settings_now):
        key = tuple((str(dim), str(value)) for dim, value in signal.key)
        if key in settings_now.suppressed:
            continue
        finding = Finding(
            kind=AlertKind.RISE,
            key=key,
            since=signal.since,
            observed=int(signal.observed),
            expected=float(signal.expected),
            score=float(signal.score),
            p_value=None if signal.p_value is None else float(signal.p_value),
            complaint_ids=[ids[i] for i in signal.rows if 0 <= i < len(ids)],
        )
        _alert, created = alert_record(finding=finding, now=now)
        if created:
            raised += 1
        else:
            refreshed += 1
    return raised, refreshed


def earlywarning_scan(now: datetime | None = None) -> dict[str, int]:
    """Serious words on the new complaints, then the detector over the history; returns
    how many alerts were raised and refreshed."""
    now = now or timezone.now()
    state = _state()
    serious = scan_serious(now=now, state=state)
    raised, refreshed = scan_rises(now=now)
    summary = {"serious": serious, "rises": raised, "refreshed": refreshed}
    state.last_run_at, state.summary = now, summary
    state.save(update_fields=["last_complaint_id", "last_run_at", "summary"])
    log.info("early-warning scan: %s", summary)
    return summary

"""The queue, downloaded: the cases the user sees with the queue's filters, as CSV (streamed)
or XLSX (written to a temporary file, then sent)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from resuelve.accounts.models import User
from resuelve.complaints.export import (
    complaint_export_columns,
    complaint_export_queryset,
    complaint_export_rows,
)
from resuelve.complaints.forms import QueueFilterForm
from resuelve.complaints.models import Complaint
from resuelve.complaints.views import _filters_from
from resuelve.core import ratelimit
from resuelve.core.export import csv_stream, xlsx_file

log = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
EXPORTS_PER_WINDOW = 20
WINDOW_SECONDS = 600


@login_required
def queue_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in FORMATS:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    if not export_allowed(user):
        return too_many()
    form = QueueFilterForm(request.GET or None, user=user)
    qs = complaint_export_queryset(user=user, filters=_filters_from(form))
    return complaints_download(qs, user=user, fmt=fmt)


def complaints_download(
    qs: QuerySet[Complaint], *, user: User, fmt: str, name: str = "complaints"
) -> HttpResponse | StreamingHttpResponse:
    """Any list of complaints, already scoped to what `user` may see, as a download."""
    rows = _logged(complaint_export_rows(qs), user=user, fmt=fmt)
    filename = timezone.localtime().strftime(f"{name}-%Y%m%d-%H%M.{fmt}")
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(complaint_export_columns(), rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle = xlsx_file(complaint_export_columns(), rows, sheet_title=_("Complaints"))
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def export_allowed(user: User) -> bool:
    """Exports are rate-limited per user: a full list is costly to build."""
    return ratelimit.hit(
        "export", str(user.pk), limit=EXPORTS_PER_WINDOW, window_seconds=WINDOW_SECONDS
    )


def too_many() -> HttpResponse:
    return HttpResponse(
        _("Too many exports in a short time. Please wait a few minutes and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def _logged(rows: Iterable[tuple[Any, ...]], *, user: User, fmt: str) -> Iterator[tuple[Any, ...]]:
    """The rows, passed through; who exported how many is logged once they are all read."""
    count = 0
    finished = False
    try:
        for row in rows:
            count += 1
            yield row
        finished = True
    finally:
        log.info(
            "complaints export: user=%s format=%s rows=%d%s",
            user.username,
            fmt,
            count,
            "" if finished else " (interrupted)",
        )

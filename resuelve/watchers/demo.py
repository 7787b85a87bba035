"""Demo watches and one mention (H5), through the services. Idempotent: a second run changes
nothing."""

from __future__ import annotations

from datetime import datetime

from resuelve.accounts.models import Department, User
from resuelve.complaints import services as complaint_services
from resuelve.complaints.models import Category, Complaint
from resuelve.complaints.selectors import can_view
from resuelve.customers.models import Supplier
from resuelve.watchers import services
from resuelve.watchers.models import Mention, Mode, Watch

NOTE = "@jorge ¿el vehículo pudo golpearse en el transporte? Revisa la guía de entrega, por favor."


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def ensure_demo_watches(now: datetime) -> int:
    """The quality head watches vehicle defects at once; the transport head hears in a
    daily digest about the transport supplier; the logistics department hears about new and
    resolved delivery complaints. Returns the watches made."""
    made = 0
    lucia, jorge, diego = _user("lucia"), _user("jorge"), _user("diego")
    defect = Category.objects.filter(code="defecto-vehiculo").first()
    delivery = Category.objects.filter(code="entrega").first()
    carrier = Supplier.objects.filter(name="Logística Andina SAS").first()
    logistics = Department.objects.filter(code="logistica").first()
    wanted = [
        (lucia, None, {"category": defect, "mode": Mode.INSTANT, "on_new": True}),
        (jorge, None, {"supplier": carrier, "mode": Mode.DIGEST, "on_new": True}),
        (
            diego,
            logistics,
            {"category": delivery, "mode": Mode.DIGEST, "on_new": True, "on_resolved": True},
        ),
    ]
    for actor, department, values in wanted:
        if actor is None or not any(values.get(k) for k in ("category", "supplier")):
            continue
        owner = {"department": department} if department else {"user": actor}
        if Watch.objects.filter(**owner).exists():
            continue
        services.watch_create(actor=actor, values=values, department=department)
        made += 1
    return made


def ensure_demo_mention(now: datetime) -> int:
    """Lucía asks Jorge, of another department, about an open quality case in an internal
    note: he is mentioned, gets read access and an e-mail. Returns the mentions made."""
    lucia, jorge = _user("lucia"), _user("jorge")
    if lucia is None or jorge is None or Mention.objects.filter(by=lucia).exists():
        return 0
    candidates = Complaint.objects.filter(
        department__code="calidad", is_open__in=[True], confidential__in=[False]
    ).order_by("-received_at")[:20]
    case = next(
        (c for c in candidates if can_view(lucia, c, cooperating=False) and not can_view(jorge, c)),
        None,
    )
    if case is None:
        return 0
    note = complaint_services.complaint_add_message(
        complaint=case, actor=lucia, body=NOTE, to_customer=False
    )
    return len(services.mentions_record(message=note, users=[jorge], now=now))


def ensure_demo_watchers(now: datetime) -> int:
    return ensure_demo_watches(now) + ensure_demo_mention(now)

"""The demo company's human-resources reader of accountability records (G1), which the
demo loader creates with the rest of the staff; and the root causes its investigators found
on recent cases (E1), recorded through the service so the dashboard's Pareto of causes has
something to show. Idempotent."""

from __future__ import annotations

import random
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.complaints.models import Complaint
from resuelve.resolution.models import Investigation, RootCause
from resuelve.resolution.services import RECORDABLE_STATES, investigation_record

HR_USERNAME = "marta"


def ensure_demo_hr() -> User:
    """Marta Salazar, human resources: reads every accountability record and the cases they
    refer to, changes nothing. Created once with the demo password, then reused."""
    from resuelve.demo.company import DEMO_PASSWORD

    with transaction.atomic():
        user = User.objects.filter(username=HR_USERNAME).first()
        if user is None:
            user = User(
                username=HR_USERNAME,
                first_name="Marta",
                last_name="Salazar",
                role=Role.HR,
                language="es",
                email=f"{HR_USERNAME}@autoandes.example",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
    return user


# The cause usually found for a category; any other cause now and then.
LIKELY = {
    "defecto-vehiculo": "defecto-producto",
    "garantia": "contrato",
    "taller": "proceso-interno",
    "repuestos": "proveedor",
    "entrega": "transporte",
    "contrato": "contrato",
    "atencion": "conducta-servicio",
    "ventas": "comunicacion",
    "facturacion": "facturacion",
}
LIMIT = 400
FINDINGS = "Revisión del caso con el área responsable y el historial del cliente."


def ensure_demo_causes(now: datetime) -> int:
    causes = {c.code: c for c in RootCause.objects.filter(active=True, parent__isnull=True)}
    elena = User.objects.filter(username="elena", is_active=True).first()  # sees every case
    if not causes or elena is None:
        return 0
    done = set(
        Investigation.objects.filter(cause__isnull=False).values_list("complaint_id", flat=True)
    )
    waiting = Q(state="waiting", resume_state__in=RECORDABLE_STATES)
    # The same window and the same draws on every run: a second run records nothing new.
    window = (
        Complaint.objects.filter(Q(state__in=RECORDABLE_STATES) | waiting, department__isnull=False)
        .select_related("category", "department")
        .order_by("-received_at", "-pk")[:LIMIT]
    )
    cases = [case for case in window if case.pk not in done]
    made = 0
    pool = sorted(causes)
    for case in cases:
        rng = random.Random(case.pk)
        if rng.random() < 0.2:  # still being investigated
            continue
        code = LIKELY.get(case.category.code if case.category else "", "")
        if code not in causes or rng.random() < 0.25:
            code = rng.choice(pool)
        investigation_record(
            complaint=case,
            actor=elena,
            cause=causes[code],
            responsible_department=case.department,
            findings=FINDINGS,
        )
        made += 1
    return made

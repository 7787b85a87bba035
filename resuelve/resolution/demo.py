"""The demo company's human-resources reader of accountability records (G1), which the
demo loader creates with the rest of the staff; and the root causes its investigators found
on recent cases (E1), recorded through the service so the dashboard's Pareto of causes has
something to show. Idempotent."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role
from resuelve.complaints.models import Complaint
from resuelve.resolution.models import (
    ImprovementAction,
    ImprovementKind,
    ImprovementStatus,
    Investigation,
    RootCause,
)
from resuelve.resolution.services import (
    RECORDABLE_STATES,
    improvement_action_save,
    investigation_record,
)

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


# What the demo company did about its most frequent causes: (title, kind, status, months ago
# it was opened, description, the reviewer's conclusion).
IMPROVEMENTS = (
    (
        "Protocolo de trato al cliente en recepción del taller",
        ImprovementKind.CORRECTIVE, ImprovementStatus.DONE, 5,
        "Guion de recepción, capacitación de los asesores y encuesta al salir.",
        "Las quejas por trato bajaron a la mitad en los tres meses siguientes: eficaz.",
    ),
    (
        "Revisión del proceso de entrega de vehículos",
        ImprovementKind.PREVENTIVE, ImprovementStatus.IN_PROGRESS, 2,
        "Lista de chequeo de entrega firmada por el cliente.",
        "",
    ),
    (
        "Auditoría al proveedor de repuestos",
        ImprovementKind.CORRECTIVE, ImprovementStatus.OPEN, 1,
        "Visita al proveedor y control de lotes en la recepción de repuestos.",
        "",
    ),
)  # fmt: skip


def ensure_demo_improvements(now: datetime) -> int:
    """Improvement actions on the demo's three most frequent root causes, one done with its
    effectiveness checked, one under way, one just opened, each linked to some of the
    complaints behind it. Idempotent."""
    elena = User.objects.filter(username="elena", is_active=True).first()
    if elena is None or ImprovementAction.objects.exists():
        return 0
    top = list(
        Investigation.objects.filter(cause__isnull=False)
        .values_list("cause_id", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n", "cause_id")[: len(IMPROVEMENTS)]
    )
    causes = {c.pk: c for c in RootCause.objects.filter(pk__in=top)}
    today = timezone.localdate(now)
    made = 0
    for cause_id, (title, kind, status, months, description, conclusion) in zip(
        top, IMPROVEMENTS, strict=False
    ):
        action = improvement_action_save(
            actor=elena, title=title, kind=kind, cause=causes[cause_id], owner=elena,
            due_on=today + timedelta(days=30 * (2 - months) + 60), description=description,
            status=status, conclusion=conclusion,
        )  # fmt: skip
        opened = now - timedelta(days=30 * months)
        changes: dict[str, object] = {"created_at": opened}
        if status == ImprovementStatus.DONE:
            done_on = timezone.localdate(opened) + timedelta(days=45)
            changes.update(done_on=done_on, effectiveness_check_on=done_on + timedelta(days=60))
        ImprovementAction.objects.filter(pk=action.pk).update(**changes)
        action.complaints.add(
            *Investigation.objects.filter(cause_id=cause_id)
            .order_by("-complaint_id")
            .values_list("complaint_id", flat=True)[:5]
        )
        made += 1
    return made

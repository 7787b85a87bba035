"""The demo's social channel (J3): a listening source for the company's X account and two
public posts, one with a reply waiting for approval and one answered and moved to direct
messages. Idempotent, through the services."""

from __future__ import annotations

from datetime import datetime, timedelta

from resuelve.accounts.models import Department, User
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import State
from resuelve.social import services
from resuelve.social.contract import Post
from resuelve.social.models import SocialSource

CODE = "x-autoandes"
POSTS = [
    (
        "demo-1001",
        "@cliente_andino",
        "Llevé mi carro a @AutoandesCO para revisión y me lo entregaron con el tablero rayado. "
        "Nadie me da respuesta. ¡Pésimo servicio!",
        40,
    ),
    (
        "demo-1002",
        "@mari_tamm",
        "@AutoandesCO tellisin varuosa kaks nädalat tagasi ja see pole siiani kohale jõudnud.",
        300,
    ),
]
PENDING_ES = (
    "Hola, lamentamos mucho lo ocurrido con su vehículo y gracias por contárnoslo. "
    "Ya revisamos su caso: le escribimos por mensaje privado para acordar la reparación."
)
ANSWER_ET = (
    "Tere! Vabandame väga viivituse pärast ja täname, et andsite teada. "
    "Kirjutame teile otsesõnumis ja lahendame selle veel täna."
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def ensure_demo_social(now: datetime) -> int:
    """Returns the public cases made."""
    ana, kadri, sofia = _user("ana"), _user("kadri"), _user("sofia")
    desk = Department.objects.filter(code="atencion").first()
    if not (ana and kadri and sofia and desk):
        return 0
    source = SocialSource.objects.filter(code=CODE).first() or services.social_source_create(
        code=CODE, name="X · @AutoandesCO", platform="X"
    )
    made = 0
    for post_id, handle, text, minutes_ago in POSTS:
        if source.threads.filter(external_id=post_id).exists():
            continue
        got = services.social_receive(
            source=source,
            post=Post(
                id=post_id,
                text=text,
                handle=handle,
                url=f"https://x.example/{handle[1:]}/status/{post_id}",
                posted_at=now - timedelta(minutes=minutes_ago),
            ),
        )
        case = got.filed.complaint
        writer = ana if case.language == "es" else kadri
        if case.state == State.ACKNOWLEDGED:
            case = complaint_services.complaint_assess(
                complaint=case, actor=sofia, established=True, reason="Queja pública verificada."
            )
        if case.department_id != desk.pk or case.assignee_id != writer.pk:
            case = complaint_services.complaint_assign(
                complaint=case, actor=sofia, department=desk, assignee=writer
            )
        if post_id == "demo-1001":
            services.public_reply_draft(complaint=case, actor=ana, body=PENDING_ES)
        else:
            reply = services.public_reply_draft(complaint=case, actor=writer, body=ANSWER_ET)
            reply = services.public_reply_approve(reply=reply, actor=sofia)
            services.public_reply_mark_posted(reply=reply, actor=writer)
            services.social_move_private(complaint=case, actor=writer, channel="direct")
        made += 1
    return made

"""The SMTP intake, spoken to over loopback with smtplib as a sending MTA would."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings

from resuelve.complaints.models import Complaint, Message
from resuelve.intake.mail.smtp import IntakeController, intake_controller
from resuelve.intake.models import IntakeKey
from resuelve.intake.tests.mail_helpers import free_port, make_mail, release_audit_events

LIMIT = 200_000


@pytest.fixture
def smtp_server(transactional_db: None) -> Iterator[IntakeController]:
    controller = intake_controller(host="127.0.0.1", port=free_port(), max_bytes=LIMIT)
    controller.start()
    yield controller
    controller.stop()
    controller.handler.close()
    release_audit_events()


def _send(
    server: IntakeController, raw: bytes, sender: str = "lucia@example.com"
) -> tuple[int, str]:
    """MAIL, RCPT, DATA without the SIZE extension; the server's answer to DATA."""
    with smtplib.SMTP(server.hostname, server.port, timeout=30) as client:
        client.ehlo("mta.example.com")
        client.mail(sender)
        client.rcpt("quejas@tienda.example")
        code, reply = client.data(raw)
    return code, reply.decode()


@override_settings(RESUELVE_INTAKE_ADDRESS="quejas@tienda.example")
def test_it_registers_a_message_and_acknowledges_it(smtp_server: IntakeController) -> None:
    code, reply = _send(smtp_server, make_mail(message_id="<first@example.com>"))

    case = Complaint.objects.get()
    assert code == 250
    assert case.tracking_code in reply
    assert case.channel == "email"
    assert case.kind == "complaint"
    assert case.subject == "El televisor llegó roto"
    assert "pantalla rota" in case.description
    assert (case.contact_name, case.contact_email) == ("Lucía Gómez", "lucia@example.com")
    assert case.language == "es"
    assert case.acknowledged_at is not None
    [ack] = mail.outbox
    assert ack.to == ["lucia@example.com"]
    assert case.tracking_code in ack.subject
    assert ack.reply_to == ["quejas@tienda.example"]


def test_it_registers_a_resent_message_once(smtp_server: IntakeController) -> None:
    raw = make_mail(message_id="<again@example.com>")

    first = _send(smtp_server, raw)
    second = _send(smtp_server, raw)

    case = Complaint.objects.get()
    assert first[0] == second[0] == 250
    assert case.tracking_code in first[1] and case.tracking_code in second[1]
    assert IntakeKey.objects.get().key == "<again@example.com>"


def test_it_adds_a_reply_to_the_case(smtp_server: IntakeController) -> None:
    _send(smtp_server, make_mail(message_id="<start@example.com>"))
    case = Complaint.objects.get()
    reply = make_mail(
        subject=f"Re: [{case.tracking_code}] El televisor llegó roto",
        body="Adjunto la factura mañana.\n\nEl lun, 3 mar 2025 a las 9:00, Tienda escribió:\n"
        "> Hemos recibido su mensaje.\n",
        message_id="<answer@example.com>",
    )

    code, text = _send(smtp_server, reply)

    assert code == 250 and case.tracking_code in text
    assert Complaint.objects.count() == 1
    last = Message.objects.filter(complaint=case, from_customer=True).order_by("-id").first()
    assert last is not None and last.body == "Adjunto la factura mañana."


def test_it_ignores_an_auto_reply_without_answering(smtp_server: IntakeController) -> None:
    raw = make_mail(
        subject="Automatic reply: your order", headers={"Auto-Submitted": "auto-replied"}
    )

    code, reply = _send(smtp_server, raw)

    assert code == 250 and "not answered" in reply
    assert not Complaint.objects.exists()
    assert mail.outbox == []


def test_it_refuses_an_oversized_message_with_552(smtp_server: IntakeController) -> None:
    raw = make_mail(body="x" * 70 + ("\n" + "y" * 70) * (LIMIT // 70))

    code, reply = _send(smtp_server, raw)

    assert code == 552, reply
    assert not Complaint.objects.exists()
    # A client that announces the size is refused before it sends anything.
    with smtplib.SMTP(smtp_server.hostname, smtp_server.port, timeout=30) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("lucia@example.com", ["quejas@tienda.example"], raw)
    assert refused.value.smtp_code == 552


def test_it_drops_a_message_with_null_sender_and_no_from(smtp_server: IntakeController) -> None:
    raw = b"To: quejas@tienda.example\r\nSubject: hola\r\nMessage-ID: <nofrom@x>\r\n\r\nSin remitente\r\n"

    with smtplib.SMTP(smtp_server.hostname, smtp_server.port, timeout=30) as client:
        client.ehlo()
        client.mail("")  # the null sender, as bounces use, but this is no bounce
        client.rcpt("quejas@tienda.example")
        code, _reply = client.data(raw)

    assert code == 250  # null sender and no From: a bounce, dropped and not answered
    assert not Complaint.objects.exists()


def test_it_uses_the_envelope_sender_when_from_is_missing(smtp_server: IntakeController) -> None:
    raw = b"To: quejas@tienda.example\r\nSubject: Cobro doble\r\nMessage-ID: <env@x>\r\n\r\nMe cobraron dos veces.\r\n"

    code, _reply = _send(smtp_server, raw, sender="pedro@example.com")

    assert code == 250
    assert Complaint.objects.get().contact_email == "pedro@example.com"


def test_it_answers_451_while_the_database_fails_and_250_on_retry(
    smtp_server: IntakeController,
) -> None:
    raw = make_mail(message_id="<retry@example.com>")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE intake_intakekey RENAME TO intake_intakekey_away")
    try:
        code, _reply = _send(smtp_server, raw)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE intake_intakekey_away RENAME TO intake_intakekey")

    assert code == 451
    assert not Complaint.objects.exists()
    assert _send(smtp_server, raw)[0] == 250
    assert Complaint.objects.count() == 1

"""The corpus of awkward real-world messages (mail_corpus/*.eml): each is registered with the
expected text and files, joins the existing case, or is ignored/refused for the expected
reason, and a second delivery of the same bytes changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from resuelve.complaints.models import Complaint, Message
from resuelve.intake.mail.receive import Status, mail_receive
from resuelve.intake.models import IntakeKey
from resuelve.intake.services import Contact, intake_file
from resuelve.notifications.models import Outbox

CORPUS = Path(__file__).parent / "mail_corpus"
CASE_CODE = "RS-7KX9M-4TPQM"  # the subject and In-Reply-To of the replies in the corpus


@pytest.fixture(autouse=True)
def _notes_in_english():
    # Notes about dropped files are written in the site's language; pin it for the texts below.
    with translation.override("en"):
        yield


@dataclass(frozen=True)
class Expect:
    status: Status
    text: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    subject: str | None = None
    language: str | None = None
    contact: tuple[str, str] | None = None
    reason: str = ""


EXPECTED: dict[str, Expect] = {
    "plain_utf8_es.eml": Expect(
        Status.REGISTERED,
        text=("me cobraron dos veces", "Gracias,\nLucía"),
        subject="Cobro doble en mi tarjeta",
        language="es",
        contact=("Lucía Gómez", "lucia@example.com"),
    ),
    "zh_gb2312.eml": Expect(
        Status.REGISTERED,
        text=("洗衣机不能脱水", "订单号 A-1001"),
        subject="洗衣机不能脱水",
        language="zh-hans",
        contact=("王小明", "wang@example.cn"),
    ),
    "zh_tw_big5.eml": Expect(
        Status.REGISTERED,
        text=("我的訂單已經兩週還沒有送到",),
        subject="訂單還沒有送到",
        language="zh-hans",
        contact=("陳美玲", "chen@example.tw"),
    ),
    "gbk_declared_latin1.eml": Expect(
        Status.REGISTERED,
        text=("收到的电饭煲外壳有裂纹",),
        subject="电饭煲有裂纹",
        language="zh-hans",
    ),
    "latin1_estonian.eml": Expect(
        Status.REGISTERED,
        text=("Ostsin teie poest külmkapi, mis ei tööta", "võimatu"),
        subject="Külmkapp ei tööta",
        language="et",
        contact=("Mari Maasikas", "mari@example.ee"),
    ),
    "latin1_spanish_raw_header.eml": Expect(
        Status.REGISTERED,
        text=("La señora de la caja", "¿Quién responde"),
        subject="Atención pésima en caja",
        language="es",
        contact=("Jose Nuñez", "jose@example.es"),
    ),
    "windows1252_declared_latin1.eml": Expect(
        Status.REGISTERED, text=("120 €", "“no es posible devolverlo”…"), language="es"
    ),
    "html_only.eml": Expect(
        Status.REGISTERED,
        text=(
            "El pedido 4411 llegó incompleto:\nfaltan dos piezas.",
            "- Tornillo M8\n- Bisagra",
            "la foto (https://example.com/foto)",
        ),
        absent=("<p>", "alert", "color: red"),
    ),
    "multipart_alternative.eml": Expect(
        Status.REGISTERED, text=("versión de texto",), absent=("versión html",)
    ),
    "inline_image.eml": Expect(
        Status.REGISTERED, text=("La caja llegó aplastada",), files=("image-1.png",)
    ),
    "eml_attached.eml": Expect(
        Status.REGISTERED, text=("nunca llegó",), files=("Su pedido 7788.eml",)
    ),
    "pdf_attached.eml": Expect(
        Status.REGISTERED, text=("valor equivocado",), files=("factura.pdf",)
    ),
    "exe_attached.eml": Expect(
        Status.REGISTERED,
        text=(
            "Adjunto la factura del televisor",
            "[Attachment factura.exe was not kept: files of this type are not accepted.]",
            "[Attachment falsa.pdf was not kept: files of this type are not accepted.]",
        ),
        files=(),
    ),
    "encoded_words.eml": Expect(
        Status.REGISTERED,
        text=("El calentador de baño dejó de funcionar",),
        subject="Reclamo: garantía del calentador de baño",
        contact=("Ramón Peña", "ramon@example.com"),
        files=("presupuesto señal.pdf",),
    ),
    "english_html_gmail_reply_new.eml": Expect(
        Status.REGISTERED, text=("The kettle I bought",), language="en"
    ),
    "no_message_id.eml": Expect(Status.REGISTERED, text=("El técnico no vino",)),
    "truncated_mime.eml": Expect(
        Status.REGISTERED, text=("La lavadora pierde agua",), files=("fuga.jpg",)
    ),
    "broken_boundary.eml": Expect(
        Status.REGISTERED, text=("Me cobraron el envío aunque era gratis.",), absent=("--OTHER",)
    ),
    "reply_unknown_code.eml": Expect(
        Status.REGISTERED, text=("reclamo del horno",), reason="RS-VNKN0-WN00H"
    ),
    "reply_code_in_subject_quoted.eml": Expect(
        Status.REPLIED,
        text=("Ya revisé el extracto y el segundo cobro sigue ahí.",),
        absent=("escribió", "Hemos recibido"),
    ),
    "reply_in_reply_to_outlook.eml": Expect(
        Status.REPLIED,
        text=("Acepto la devolución propuesta.",),
        absent=("Original Message", "Le proponemos"),
    ),
    "reply_zh_quoted.eml": Expect(
        Status.REPLIED, text=("好的，我同意退款。",), absent=("写道", "我们建议")
    ),
    "reply_et_outlook_quoted.eml": Expect(
        Status.REPLIED, text=("Sobib, ootan raha tagasi.",), absent=("kirjutas", "Pakume")
    ),
    "out_of_office.eml": Expect(Status.IGNORED, reason="Auto-Submitted: auto-replied"),
    "auto_reply_zh_subject.eml": Expect(Status.IGNORED, reason="automatic subject"),
    "dsn_bounce.eml": Expect(Status.IGNORED, reason="multipart/report"),
    "newsletter_bulk.eml": Expect(Status.IGNORED, reason="Precedence: bulk"),
    "no_from.eml": Expect(Status.REJECTED, reason="no sender address"),
    "empty.eml": Expect(Status.REJECTED, reason="empty message"),
}


@pytest.fixture
def existing_case(db: None, monkeypatch: pytest.MonkeyPatch) -> Complaint:
    """Lucía's case, under the code the corpus replies refer to."""
    monkeypatch.setattr("resuelve.complaints.tracking.generate", lambda: CASE_CODE)
    filed = intake_file(
        channel="email",
        kind="complaint",
        subject="Cobro doble en mi tarjeta",
        description="Me cobraron dos veces.",
        contact=Contact(name="Lucía Gómez", email="lucia@example.com"),
        language="es",
    )
    monkeypatch.undo()
    return filed.complaint


def test_every_corpus_message_has_an_expectation() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.eml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_handles_the_corpus_message(name: str, existing_case: Complaint) -> None:
    expect = EXPECTED[name]
    raw = (CORPUS / name).read_bytes()
    messages_before = Message.objects.count()

    outcome = mail_receive(raw=raw)

    assert outcome.status == expect.status, outcome.reason
    assert expect.reason in outcome.reason
    if expect.status == Status.REGISTERED:
        case = outcome.complaint
        assert case is not None and case != existing_case
        assert case.channel == "email" and case.kind == "complaint"
        text = case.description
        files = sorted(a.original_name for a in case.attachments.all())
        if expect.subject is not None:
            assert case.subject == expect.subject
        if expect.language is not None:
            assert case.language == expect.language
        if expect.contact is not None:
            assert (case.contact_name, case.contact_email) == expect.contact
        [ack] = Outbox.objects.filter(complaint=case)
        assert ack.recipient == case.contact_email and case.tracking_code in ack.subject
    elif expect.status == Status.REPLIED:
        assert outcome.complaint == existing_case
        message = outcome.message
        assert message is not None and message.from_customer
        text = message.body
        files = sorted(a.original_name for a in message.attachments.all())
        assert Complaint.objects.count() == 1
    else:
        assert Complaint.objects.count() == 1
        assert Message.objects.count() == messages_before
        assert not Outbox.objects.exclude(complaint=existing_case).exists()
        return
    for part in expect.text:
        assert part in text
    for part in expect.absent:
        assert part not in text
    assert files == sorted(expect.files)

    messages_after = Message.objects.count()
    again = mail_receive(raw=raw)

    assert again.created is False
    assert (again.complaint, again.message) == (outcome.complaint, outcome.message)
    assert IntakeKey.objects.filter(key=outcome.key).count() == 1
    assert Message.objects.count() == messages_after
    assert Complaint.objects.count() == (2 if expect.status == Status.REGISTERED else 1)


def test_it_keys_a_message_without_message_id_by_its_bytes(existing_case: Complaint) -> None:
    raw = (CORPUS / "no_message_id.eml").read_bytes()
    relayed = b"Received: from mx2.example.com by mx.tienda.example; Mon, 3 Mar 2025\r\n" + raw

    first = mail_receive(raw=raw)
    second = mail_receive(raw=relayed)

    assert first.key.startswith("sha256:")
    assert second.complaint == first.complaint and second.created is False


def test_it_files_a_reply_from_a_stranger_as_a_new_complaint(existing_case: Complaint) -> None:
    raw = (CORPUS / "reply_code_in_subject_quoted.eml").read_bytes()
    raw = raw.replace(b"lucia@example.com", b"mallory@example.com")

    outcome = mail_receive(raw=raw)

    assert outcome.status == Status.REGISTERED
    assert outcome.complaint != existing_case
    assert existing_case.messages.filter(from_customer=True).count() == 1


def test_it_refuses_a_message_over_the_size_limit(existing_case: Complaint) -> None:
    raw = (CORPUS / "pdf_attached.eml").read_bytes()

    outcome = mail_receive(raw=raw, max_bytes=len(raw) - 1)

    assert outcome.status == Status.REJECTED and outcome.too_large
    assert Complaint.objects.count() == 1

"""Reading mail text: charsets, HTML, quoted history, language, automatic mail. Pure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resuelve.intake.mail.automatic import automatic_reason
from resuelve.intake.mail.message import parse
from resuelve.intake.mail.text import decode_bytes, detect_language, html_to_text, strip_quoted

SERVED = {"es", "en", "zh-hans", "et"}


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("Queja por el envío".encode(), "utf-8", "Queja por el envío"),
        ("Queja por el envío".encode(), "iso-8859-1", "Queja por el envío"),  # UTF-8 mislabelled
        ("退款申请".encode("gb2312"), "gb2312", "退款申请"),
        ("镕".encode("gb18030"), "gb2312", "镕"),  # GB18030-only character under a GB2312 label
        ("退款申請".encode("big5"), "big5", "退款申請"),
        ("退款申请，谢谢".encode("gbk"), "iso-8859-1", "退款申请，谢谢"),
        ("退款申请，谢谢".encode("gbk"), None, "退款申请，谢谢"),
        ("Tänan, õun".encode("latin-1"), "x-unknown-charset", "Tänan, õun"),
        ("“120 €”".encode("cp1252"), "iso-8859-1", "“120 €”"),
    ],
)
def test_it_decodes_what_the_bytes_are(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_bytes(data, declared) == expected


@given(
    st.binary(max_size=400), st.sampled_from([None, "utf-8", "gb2312", "big5", "latin-1", "bogus"])
)
def test_decoding_never_fails(data: bytes, declared: str | None) -> None:
    assert isinstance(decode_bytes(data, declared), str)


@settings(max_examples=200)
@given(st.binary(max_size=2000))
def test_parsing_any_bytes_never_fails(raw: bytes) -> None:
    mail = parse(raw)
    assert isinstance(mail.text, str)
    automatic_reason(mail)


@settings(max_examples=100)
@given(st.text(max_size=500))
def test_parsing_any_text_as_a_body_never_fails(body: str) -> None:
    raw = b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
    parse(raw + body.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gracias.\n\nOn Mon, 3 Mar 2025 at 10:15, Shop <a@b.c> wrote:\n> old\n> older",
            "Gracias.",
        ),
        ("Gracias.\n\nOn Mon, 3 Mar 2025 at 10:15, Shop\n<a@b.c> wrote:\n> old", "Gracias."),
        ("Sí.\n\nEl lun, 3 mar 2025 a las 10:15, Tienda (<a@b.c>) escribió:\n> viejo", "Sí."),
        ("好的。\n\n在 2025年3月3日 10:15，Tienda 写道：\n> 旧的", "好的。"),
        ("好的。\n\n2025年3月3日 10:15 <a@b.c> 寫道：\n> 舊的", "好的。"),
        ("Jah.\n\nE, 3. märts 2025 10:15 Pood <a@b.c> kirjutas:\nvana kiri", "Jah."),
        ("Ok.\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\n\nold", "Ok."),
        ("Ok.\n\n________________________________\nDe: Tienda\nEnviado: lunes\nPara: yo\n", "Ok."),
        ("Ok.\n\n发件人: Tienda\n发送时间: 2025年3月3日\n收件人: yo\n主题: 退款\n\n旧", "Ok."),
        ("> what you asked\n\nMy answer below the quote.", "My answer below the quote."),
        (
            "Ta kirjutas mulle eile, et tellimus hilineb.",
            "Ta kirjutas mulle eile, et tellimus hilineb.",
        ),
        ("From: the start I said it was broken.", "From: the start I said it was broken."),
        ("> only a quote", "> only a quote"),
    ],
)
def test_it_keeps_only_the_new_part_of_a_reply(text: str, expected: str) -> None:
    assert strip_quoted(text) == expected


def test_html_becomes_readable_text() -> None:
    html = (
        "<style>.x{}</style><script>steal()</script><h1>Queja</h1><p>Línea uno<br>línea dos</p>"
        "<table><tr><td>Pedido</td><td>4411</td></tr></table><blockquote>citado</blockquote>"
    )

    assert html_to_text(html) == "Queja\n\nLínea uno\nlínea dos\n\nPedido 4411\n\n> citado"


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("Hola, compré una nevera y no funciona", "", "es"),
        ("Hello, the kettle I bought is broken", "", "en"),
        ("Tere, ostsin külmkapi ja see ei tööta", "", "et"),
        ("你好，洗衣机坏了", "", "zh-hans"),
        ("ok", "", "es"),
        ("ok", "en-GB", "en"),
        ("ok", "zh-TW", "zh-hans"),
        ("ok", "de", "es"),
    ],
)
def test_it_detects_the_language(text: str, declared: str, expected: str) -> None:
    assert detect_language(text, served=SERVED, default="es", declared=declared) == expected

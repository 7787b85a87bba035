"""Reply templates rendered for a case: its language, its placeholders, and a missing
translation shown as missing."""

from __future__ import annotations

import pytest
from django.test import override_settings

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Action, Kind, State
from resuelve.complaints.models import Category
from resuelve.guidance import services
from resuelve.guidance.models import ReplyTemplate, ReplyTemplateText
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db

# The case is answered by 18 March 2025 (fifteen working days from 3 March) and its approved
# solution is "Replace the brake pads free of charge." worth 50,000 COP.
EXPECTED = {
    "es": "Hola, Ana Pérez: su caso {code} tendrá respuesta el 18 de marzo de 2025. "
    "Le proponemos: Replace the brake pads free of charge (50\xa0000 COP). Alba Test, Autoandes",
    "en": "Hello Ana Pérez: case {code} will be answered by March 18, 2025. "
    "We propose: Replace the brake pads free of charge (50,000 COP). Alba Test, Autoandes",
    "zh-hans": "Ana Pérez，您好！案件 {code} 将于 2025年3月18日 前答复。"
    "方案：Replace the brake pads free of charge (50,000 COP)。Alba Test，Autoandes",
    "et": "Tere, Ana Pérez! Pöördumisele {code} vastame hiljemalt 18. märts 2025. "
    "Pakume: Replace the brake pads free of charge (50\xa0000 COP). Alba Test, Autoandes",
}


@override_settings(RESUELVE_COMPANY_NAME="Autoandes")
@pytest.mark.parametrize("language", ["es", "en", "zh-hans", "et"])
def test_it_renders_in_the_case_language_with_its_placeholders(
    language: str, make_complaint: MakeComplaint, reply_template: ReplyTemplate, agent: User
) -> None:
    case = make_complaint(state=State.COMMUNICATED, language=language)
    rendered = services.template_render(template=reply_template, case=case, agent=agent)
    assert rendered.text == EXPECTED[language].format(code=case.tracking_code)
    assert (rendered.language, rendered.shown_language, rendered.missing) == (
        language,
        language,
        False,
    )
    assert rendered.unknown == [] and rendered.unfilled == []


def test_it_shows_the_company_language_with_missing_set_when_a_translation_is_missing(
    make_complaint: MakeComplaint, reply_template: ReplyTemplate, agent: User
) -> None:
    reply_template.texts.filter(language="et").delete()
    case = make_complaint(state=State.COMMUNICATED, language="et")
    rendered = services.template_render(template=reply_template, case=case, agent=agent)
    assert rendered.missing is True
    assert (rendered.language, rendered.shown_language) == ("et", "es")
    assert rendered.text.startswith("Hola, Ana Pérez")  # Spanish, the company language
    assert "18 de marzo de 2025" in rendered.text  # written the way the shown text writes


def test_it_falls_back_to_any_text_when_the_company_language_is_missing_too(
    make_complaint: MakeComplaint, agent: User
) -> None:
    template = ReplyTemplate.objects.create(code="only-en", name="Only English")
    ReplyTemplateText.objects.create(template=template, language="en", body="Hi {customer_name}")
    case = make_complaint(state=State.ASSIGNED, language="zh-hans")
    rendered = services.template_render(template=template, case=case)
    assert (rendered.text, rendered.shown_language, rendered.missing) == (
        "Hi Ana Pérez",
        "en",
        True,
    )
    empty = ReplyTemplate.objects.create(code="empty", name="Empty")
    nothing = services.template_render(template=empty, case=case)
    assert (nothing.text, nothing.shown_language, nothing.missing) == ("", "", True)


def test_it_leaves_unknown_and_unfilled_placeholders_visible_and_reports_them(
    make_complaint: MakeComplaint, handler: User
) -> None:
    template = ReplyTemplate.objects.create(code="t", name="T")
    ReplyTemplateText.objects.create(
        template=template,
        language="es",
        subject="Caso {tracking_code}",
        body="{customer_name}: {remedy} · pedido {order_number} · {agent_name}",
    )
    case = make_complaint(state=State.INVESTIGATING)
    rendered = services.template_render(template=template, case=case)
    assert rendered.text == "Ana Pérez: {remedy} · pedido {order_number} · Hugo Test"
    assert rendered.subject == f"Caso {case.tracking_code}"
    assert rendered.unknown == ["order_number"]
    assert rendered.unfilled == ["remedy"]  # no solution approved yet


def test_it_offers_the_templates_that_fit_the_kind_category_and_steps(
    make_complaint: MakeComplaint, category: Category, reply_template: ReplyTemplate
) -> None:
    other = Category.objects.create(code="other", name="Other")
    waiting = ReplyTemplate.objects.create(code="ask", name="Ask", action=Action.WAIT)
    claims = ReplyTemplate.objects.create(code="claims", name="Claims", kind=Kind.CLAIM)
    elsewhere = ReplyTemplate.objects.create(code="else", name="Else", category=other)
    general = ReplyTemplate.objects.create(code="general", name="General", position=1)
    ReplyTemplate.objects.create(code="off", name="Off", active=False)
    case = make_complaint(state=State.INVESTIGATING)

    replies = services.templates_for(case, actions=[Action.REPLY])
    assert replies == [reply_template, general]  # the playbook's own first
    with_wait = services.templates_for(case, actions=[Action.WAIT, Action.REPLY])
    assert set(with_wait) == {reply_template, general, waiting}
    assert claims not in with_wait and elsewhere not in with_wait

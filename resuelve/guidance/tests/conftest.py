from __future__ import annotations

from decimal import Decimal

import pytest

from resuelve.complaints.models import Category
from resuelve.guidance.models import Playbook, PlaybookStep, ReplyTemplate, ReplyTemplateText
from resuelve.testing.fixtures import START

STEPS = [
    "Check the order and the part number.",
    "Confirm the right part is in stock.",
    "Offer the exchange free of charge.",
]


@pytest.fixture
def playbook(category: Category) -> Playbook:
    playbook = Playbook.objects.create(
        name="Wrong part",
        category=category,
        usual_remedy="Exchange free of charge",
        usual_amount=Decimal("50000"),
        created_at=START.replace(year=2024),
    )
    for order, text in enumerate(STEPS, start=1):
        PlaybookStep.objects.create(playbook=playbook, order=order * 10, text=text)
    return playbook


BODIES = {
    "es": "Hola, {customer_name}: su caso {tracking_code} tendrá respuesta el {deadline}. "
    "Le proponemos: {remedy}. {agent_name}, {company}",
    "en": "Hello {customer_name}: case {tracking_code} will be answered by {deadline}. "
    "We propose: {remedy}. {agent_name}, {company}",
    "zh-hans": "{customer_name}，您好！案件 {tracking_code} 将于 {deadline} 前答复。"
    "方案：{remedy}。{agent_name}，{company}",
    "et": "Tere, {customer_name}! Pöördumisele {tracking_code} vastame hiljemalt {deadline}. "
    "Pakume: {remedy}. {agent_name}, {company}",
}


@pytest.fixture
def reply_template(playbook: Playbook) -> ReplyTemplate:
    template = ReplyTemplate.objects.create(code="answer", name="Answer")
    for language, body in BODIES.items():
        ReplyTemplateText.objects.create(template=template, language=language, body=body)
    playbook.templates.add(template)
    return template

"""The conduct check on the staff case page: a flagged customer-visible message is held with
its findings until the agent sends it anyway; the override is counted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Complaint, Message, Visibility
from resuelve.conduct.models import ConductOverride, ConductRule
from resuelve.conduct.selectors import approved_amounts, case_message_flags
from resuelve.conduct.services import seed_conduct_rules
from resuelve.conduct.shipped import SHIPPED

BAD = "Eso no es posible, usted miente."


@pytest.fixture
def rules(db: None) -> int:
    return seed_conduct_rules()


def step_url(case: Complaint, action: str) -> str:
    return reverse("complaints:step", kwargs={"code": case.tracking_code, "action": action})


def replies(case: Complaint) -> list[str]:
    return list(
        Message.objects.filter(complaint=case, visibility=Visibility.CUSTOMER).values_list(
            "body", flat=True
        )
    )


def test_it_seeds_the_shipped_rules_once(rules: int) -> None:
    assert rules == sum(len(rows) for rows in SHIPPED.values())
    assert seed_conduct_rules() == 0
    assert set(ConductRule.objects.values_list("language", flat=True)) == {
        "es",
        "en",
        "zh-hans",
        "et",
    }


def test_it_holds_a_flagged_reply_and_sends_it_when_overridden(
    client, make_complaint, handler: User, rules: int
) -> None:
    case = make_complaint(state=State.INVESTIGATING, language="es")
    before = replies(case)
    client.force_login(handler)
    response = client.post(
        step_url(case, Action.REPLY), {"reply-body": BAD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Before you send: the conduct check" in html
    assert "<mark>" in html and BAD in html  # the form keeps the text, the sentence marked
    assert 'name="conduct_override" value="1"' in html
    assert "Nos encargamos" in html or "Tomamos su relato" in html  # Spanish suggestions
    assert replies(case) == before
    assert ConductOverride.objects.count() == 0

    response = client.post(
        step_url(case, Action.REPLY),
        {"reply-body": BAD, "conduct_override": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert replies(case) == [*before, BAD]
    override = ConductOverride.objects.get()
    assert (override.user, override.complaint, override.action) == (handler, case, "reply")
    assert override.kinds == ["doubt", "refusal"]


def test_it_sends_a_good_reply_at_once_and_only_notes_what_is_missing(
    client, make_complaint, handler: User, rules: int
) -> None:
    case = make_complaint(state=State.INVESTIGATING, language="es")
    before = len(replies(case))
    client.force_login(handler)
    good = "Gracias por contarnos lo del ruido. Lamentamos la molestia; su carro queda el jueves."
    assert client.post(step_url(case, Action.REPLY), {"reply-body": good}).status_code == 302
    response = client.post(
        step_url(case, Action.REPLY),
        {"reply-body": "Su carro queda listo el jueves."},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "The conduct check notes" in response.content.decode()
    assert len(replies(case)) == before + 2
    assert ConductOverride.objects.count() == 0


def test_it_leaves_internal_notes_unchecked(
    client, make_complaint, handler: User, rules: int
) -> None:
    case = make_complaint(state=State.INVESTIGATING, language="es")
    client.force_login(handler)
    response = client.post(step_url(case, Action.NOTE), {"note-body": BAD})
    assert response.status_code == 302
    assert Message.objects.filter(complaint=case, body=BAD).exists()


def test_it_shows_why_in_the_staff_language_and_suggests_in_the_case_language(
    client, make_complaint, handler: User, rules: int
) -> None:
    case = make_complaint(state=State.INVESTIGATING, language="en")
    handler.language = "es"
    handler.save(update_fields=["language"])
    client.force_login(handler)
    response = client.post(step_url(case, Action.REPLY), {"reply-body": "You are lying."})
    html = response.content.decode()
    assert 'lang="es"' in html[:400]  # the page follows the staff user's language
    assert "We take your account as our starting point" in html  # the case's language
    assert 'lang="en"' in html.split("conduct-preview", 1)[1][:40]
    flags = case_message_flags(complaint=case, text="You are lying.")
    assert flags[0].suggestion.startswith("We take your account")


def test_it_compares_amounts_with_the_approved_solution(
    make_complaint, manager: User, rules: int
) -> None:
    case = make_complaint(state=State.APPROVED, language="es", value=Decimal("300000"))
    assert Decimal("300000") in approved_amounts(case)
    over = case_message_flags(complaint=case, text="Le devolveremos $ 450.000 por el daño.")
    assert "promise" in {f.kind for f in over}
    within = case_message_flags(complaint=case, text="Le devolveremos $ 300.000 por el daño.")
    assert "promise" not in {f.kind for f in within}


def test_it_names_staff_and_departments_for_blame(
    make_complaint, handler: User, rules: int
) -> None:
    case = make_complaint(state=State.INVESTIGATING, language="en")
    text = f"{handler.first_name} made a mistake with your order."
    assert "blame" in {f.kind for f in case_message_flags(complaint=case, text=text)}
    assert not [
        f for f in case_message_flags(complaint=case, text="We made a mistake.") if not f.is_note
    ]


def test_it_shows_the_held_reply_once(client, make_complaint, handler: User, rules: int) -> None:
    case = make_complaint(state=State.INVESTIGATING, language="es")
    client.force_login(handler)
    html = client.post(step_url(case, Action.REPLY), {"reply-body": BAD}).content.decode()
    assert html.count('id="conduct-reply"') == 1
    assert html.count('name="reply-body"') == 1

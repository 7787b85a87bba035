"""The staff page counting messages sent against the conduct check, and the rule admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import State
from resuelve.conduct.check import AMOUNT, Flag
from resuelve.conduct.demo import ensure_demo_conduct
from resuelve.conduct.models import ConductRule
from resuelve.conduct.services import conduct_override_record

URL = reverse("conduct:overrides")


def flag(kind: str) -> Flag:
    return Flag(kind=kind, sentence="x", start=0, end=1, why="", suggestion="")


def test_it_counts_overrides_per_user_and_kind_on_visible_cases(
    client, make_complaint, handler: User, supervisor: User, outsider: User
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    for kinds in (["refusal", "doubt"], ["refusal"]):
        conduct_override_record(
            complaint=case,
            user=handler,
            action="reply",
            flags=[flag(k) for k in kinds],
            text="Eso no es posible.",
        )
    client.force_login(supervisor)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hugo Test" in html and case.tracking_code in html
    row = html.split("Hugo Test</th>", 1)[1].split("</tr>", 1)[0]
    assert [c.split(">")[1] for c in row.split("<td")[1:]] == [
        "2</td",
        "2</td",
        "0</td",
        "1</td",
        "0</td",
        "0</td",
    ]


def test_it_shows_no_case_the_reader_may_not_see(
    client, make_complaint, handler: User, outsider: User, auditor: User
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    conduct_override_record(
        complaint=case, user=handler, action="reply", flags=[flag("refusal")], text="No."
    )
    outsider.role = "supervisor"
    outsider.save(update_fields=["role"])
    client.force_login(outsider)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert case.tracking_code not in html
    assert "No message has been sent against the conduct check." in html
    client.force_login(auditor)
    assert case.tracking_code in client.get(URL).content.decode()


def test_it_is_closed_to_agents_and_handlers(client, handler: User, agent: User) -> None:
    for user in (handler, agent):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_it_refuses_a_rule_whose_pattern_does_not_compile(db: None) -> None:
    rule = ConductRule(language="es", kind="refusal", pattern=r"\bno (podemos")
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    assert "pattern" in raised.value.message_dict
    ConductRule(language="es", kind="promise", pattern=AMOUNT).full_clean()
    with pytest.raises(ValidationError):
        ConductRule(language="es", kind="refusal", pattern=AMOUNT).full_clean()
    with pytest.raises(ValidationError):
        ConductRule(language="en", kind="doubt", pattern="ok", unless="(").full_clean()


def test_it_seeds_the_demo_idempotently(db: None) -> None:
    from django.utils import timezone

    assert ensure_demo_conduct(timezone.now()) > 0
    assert ensure_demo_conduct(timezone.now()) == 0

from __future__ import annotations

import pytest

from resuelve.accounts.models import User
from resuelve.complaints import services as complaint_services
from resuelve.complaints.lifecycle import NotAllowed, State
from resuelve.complaints.models import Message
from resuelve.complaints.selectors import can_view, complaints_visible_to
from resuelve.testing.fixtures import chain_problems
from resuelve.watchers.jobs import watchers_scan
from resuelve.watchers.models import CaseGrant, Mention

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _note(case, author: User, body: str) -> Message:  # type: ignore[no-untyped-def]
    return complaint_services.complaint_add_message(
        complaint=case, actor=author, body=body, to_customer=False
    )


def _as(client, user: User, case) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()


def test_a_mention_gives_read_access_and_an_email(
    client, make_complaint, handler: User, outsider: User, sent_mail
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(outsider)
    assert client.get(f"/staff/c/{case.tracking_code}/", **EN).status_code == 404
    assert not can_view(outsider, case)

    note = _note(case, handler, "@outsider did the workshop fit these pads?")
    assert watchers_scan() == 1
    assert watchers_scan() == 0  # once per note and colleague

    mention = Mention.objects.get()
    assert (mention.user, mention.by, mention.message, mention.granted) == (
        outsider,
        handler,
        note,
        True,
    )
    assert CaseGrant.objects.filter(user=outsider, complaint=case, reason="mentioned").exists()
    assert case in complaints_visible_to(outsider)
    page = client.get(f"/staff/c/{case.tracking_code}/", **EN)
    assert page.status_code == 200
    assert "did the workshop fit these pads?" in page.content.decode()  # the whole case
    assert "@outsider" in page.content.decode()  # the mentions panel
    [sent] = sent_mail()
    assert sent.to == [outsider.email]
    assert case.tracking_code in sent.subject and case.subject not in sent.subject
    assert "did the workshop fit these pads?" in sent.body
    assert f"/staff/c/{case.tracking_code}/" in sent.body
    case.refresh_from_db()
    assert chain_problems(case) == []
    assert case.events.filter(changes__has_key="mention").count() == 1


def test_read_access_is_not_write_access(
    client, make_complaint, handler: User, outsider: User
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    _note(case, handler, "Please look, @outsider.")
    watchers_scan()
    assert can_view(outsider, case) and not can_view(outsider, case, cooperating=False)

    with pytest.raises(NotAllowed):
        _note(case, outsider, "I write here.")
    client.force_login(outsider)
    page = client.get(f"/staff/c/{case.tracking_code}/", **EN).content.decode()
    assert "You can read this case" in page
    assert 'name="note-body"' not in page and 'data-step="reply"' not in page
    handler_page = _as(client, handler, case)
    assert 'name="note-body"' in handler_page and "You can read this case" not in handler_page
    client.force_login(outsider)
    case.refresh_from_db()
    before = case.event_count
    response = client.post(
        f"/staff/c/{case.tracking_code}/step/note/", {"note-body": "Sneaky note."}, **EN
    )
    assert response.status_code == 302
    response = client.post(
        f"/staff/c/{case.tracking_code}/step/propose/",
        {"propose-solution": "Refund.", "propose-value": "100"},
        **EN,
    )
    case.refresh_from_db()
    assert case.state == State.INVESTIGATING and case.event_count == before
    assert not Message.objects.filter(body__in=["Sneaky note.", "I write here."]).exists()


def test_a_mention_never_opens_a_confidential_case(
    client, make_complaint, handler: User, outsider: User, supervisor: User, sent_mail
) -> None:
    case = make_complaint(state=State.INVESTIGATING, confidential=True)

    _note(case, handler, "@outsider and @supervisor, please look.")
    watchers_scan()

    refused = Mention.objects.get(user=outsider)
    assert refused.granted is False
    assert not CaseGrant.objects.filter(user=outsider).exists()
    assert not can_view(outsider, case)
    client.force_login(outsider)
    assert client.get(f"/staff/c/{case.tracking_code}/", **EN).status_code == 404
    # The supervisor sees confidential cases of the department already: told, no grant needed.
    assert Mention.objects.get(user=supervisor).granted is True
    assert not CaseGrant.objects.filter(user=supervisor).exists()
    assert [m.to[0] for m in sent_mail()] == [supervisor.email]


def test_customer_messages_self_mentions_and_unknown_names_mention_no_one(
    make_complaint, handler: User, outsider: User
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    complaint_services.complaint_add_message(
        complaint=case, actor=handler, body="Dear @outsider, thanks.", to_customer=True
    )
    _note(case, handler, "Note to self @handler, and @nobody.")
    watchers_scan()
    assert not Mention.objects.exists() and not CaseGrant.objects.exists()


def test_the_mentions_show_on_my_watches_page(
    client, make_complaint, handler: User, outsider: User
) -> None:
    case = make_complaint(state=State.INVESTIGATING)
    _note(case, handler, "@outsider have a look")
    watchers_scan()
    client.force_login(outsider)
    page = client.get("/staff/watchers/", **EN).content.decode()
    assert "Mentioned you" in page and case.tracking_code in page

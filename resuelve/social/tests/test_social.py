"""The social channel (J3): a signed webhook registers public posts (unsigned, mis-signed,
replayed or malformed requests register nothing), public cases get a first-answer deadline
in hours, a public reply needs another supervisor's approval after a strict conduct check,
and the conversation can move to a private channel."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import NotAllowed
from resuelve.complaints.models import Channel, Complaint, ComplaintEvent
from resuelve.conduct.services import seed_conduct_rules
from resuelve.notifications.models import Outbox
from resuelve.notifications.services import forget_endpoints
from resuelve.notifications.tasks import deliver, sign
from resuelve.notifications.tests.test_webhooks import Receiver
from resuelve.social import services
from resuelve.social.contract import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from resuelve.social.models import PublicReply, ReplyStatus, SocialSource, SocialThread
from resuelve.testing.fixtures import _persona

pytestmark = pytest.mark.django_db

GOOD_ES = (
    "Hola Ana, lamentamos mucho lo ocurrido y gracias por contárnoslo. "
    "Ya revisamos su caso y le escribimos por mensaje privado para resolverlo hoy."
)


@pytest.fixture(autouse=True)
def _rules(settings) -> None:  # type: ignore[no-untyped-def]
    seed_conduct_rules()
    settings.LANGUAGE_CODE = "en"  # the audit trail is written in the company's language


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    forget_endpoints()
    r = Receiver()
    yield r
    r.close()
    forget_endpoints()


@pytest.fixture
def source(receiver: Receiver) -> SocialSource:
    return services.social_source_create(
        code="x-listening", name="X listening", platform="X", reply_url=receiver.url
    )


def post(**over: object) -> dict:
    body = {
        "id": "1789",
        "text": "Llevo tres días sin internet y nadie de @TelcoCo me responde. ¡Qué vergüenza!",
        "author": {"handle": "@ana_gomez", "name": "Ana Gómez"},
        "url": "https://x.example/ana_gomez/status/1789",
        "posted_at": timezone.now().isoformat(),
        "language": "es",
    }
    body.update(over)
    return body


def send(
    client: Client, source: SocialSource, payload: dict | bytes, *, secret: str = "", at: float = 0
) -> object:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    stamp = str(int(at or time.time()))
    return client.post(
        reverse("social_hook:hook", kwargs={"code": source.code}),
        raw,
        content_type="application/json",
        headers={
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(secret or source.secret, stamp, raw),
            "Accept-Language": "en",
        },
    )


def received(
    client: Client, source: SocialSource, quality: Department, **over: object
) -> Complaint:
    response = send(client, source, post(**over))
    assert response.status_code == 201, response.content
    case = Complaint.objects.get(tracking_code=response.json()["tracking_code"])
    Complaint.objects.filter(pk=case.pk).update(department=quality)  # routed to quality
    return Complaint.objects.get(pk=case.pk)


# --- the webhook ----------------------------------------------------------------------------


def test_a_signed_post_becomes_a_public_case_with_a_first_answer_in_hours(
    client: Client, source: SocialSource
) -> None:
    posted_at = timezone.now() - timedelta(minutes=20)
    response = send(client, source, post(posted_at=posted_at.isoformat()))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "created" and data["public"] is True
    case = Complaint.objects.get(tracking_code=data["tracking_code"])
    thread = SocialThread.objects.get(complaint=case)
    assert case.channel == Channel.SOCIAL and case.language == "es"
    assert thread.author_handle == "@ana_gomez" and thread.public
    assert abs(thread.first_answer_due_at - (posted_at + timedelta(hours=2))) < timedelta(seconds=1)
    # Its own deadline policy: answered within 72 hours, not the usual days.
    assert case.deadline_policy is not None and case.deadline_policy.code == "social-public"
    assert abs(case.due_at - (posted_at + timedelta(hours=72))) < timedelta(seconds=1)
    assert ComplaintEvent.objects.filter(
        complaint=case, reason__startswith="Public post on X listening by @ana_gomez"
    ).exists()


def test_the_same_post_sent_twice_is_one_case(client: Client, source: SocialSource) -> None:
    first = send(client, source, post())
    again = send(client, source, post())
    assert again.status_code == 200 and again.json()["status"] == "exists"
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Complaint.objects.filter(channel=Channel.SOCIAL).count() == 1


def test_language_is_detected_when_the_tool_does_not_say(
    client: Client, source: SocialSource
) -> None:
    text = "Tellisin pesumasina kaks nädalat tagasi ja see ei tööta siiani. Kas keegi vastab?"
    response = send(client, source, post(id="et-1", text=text, language=""))
    case = Complaint.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.language == "et"


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "no signature", "an hour old", "unknown source", "body changed"],
)
def test_unsigned_or_replayed_requests_register_nothing(
    client: Client, source: SocialSource, how: str
) -> None:
    raw = json.dumps(post()).encode()
    stamp = str(int(time.time()))
    good = signature(source.secret, stamp, raw)
    url = reverse("social_hook:hook", kwargs={"code": source.code})
    headers = {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: good, "Accept-Language": "en"}
    body = raw
    if how == "wrong secret":
        headers[SIGNATURE_HEADER] = signature("not-the-secret", stamp, raw)
    elif how == "no signature":
        del headers[SIGNATURE_HEADER]
    elif how == "an hour old":
        old = str(int(time.time()) - 3600)
        headers.update(
            {TIMESTAMP_HEADER: old, SIGNATURE_HEADER: signature(source.secret, old, raw)}
        )
    elif how == "unknown source":
        url = reverse("social_hook:hook", kwargs={"code": "no-such-source"})
    else:
        body = raw.replace(b"internet", b"luz")
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not Complaint.objects.exists()


def test_a_malformed_post_is_refused_field_by_field(client: Client, source: SocialSource) -> None:
    response = send(client, source, b"{not json")
    assert response.status_code == 400
    response = send(client, source, post(text="", kind="rant", posted_at="yesterday"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"text", "kind", "posted_at"}
    assert not Complaint.objects.exists()


def test_a_direct_message_is_private_from_the_start(
    client: Client, source: SocialSource, quality: Department
) -> None:
    case = received(client, source, quality, id="dm-1", public=False)
    assert not case.social.public and case.social.private_channel == "direct"


# --- the approval gate ----------------------------------------------------------------------


@pytest.fixture
def second_supervisor(quality: Department) -> User:
    return _persona("supervisor2", Role.SUPERVISOR, "Sara", [quality])


def test_a_public_reply_needs_another_supervisors_approval_and_is_posted_signed(
    client: Client,
    source: SocialSource,
    quality: Department,
    handler: User,
    supervisor: User,
    second_supervisor: User,
    receiver: Receiver,
) -> None:
    case = received(client, source, quality)
    reply = services.public_reply_draft(complaint=case, actor=handler, body=GOOD_ES)
    assert (
        reply.status == ReplyStatus.PENDING and not Outbox.objects.filter(complaint=case).exists()
    )
    with pytest.raises(NotAllowed):  # an agent or handler does not approve
        services.public_reply_approve(reply=reply, actor=handler)
    with pytest.raises(NotAllowed):  # only one reply waits at a time
        services.public_reply_draft(complaint=case, actor=handler, body=GOOD_ES)

    own = PublicReply.objects.create(
        thread=reply.thread,
        body=GOOD_ES,
        language="es",
        drafted_by=supervisor,
        drafted_at=timezone.now(),
        status=ReplyStatus.REJECTED,
    )
    assert own.status == ReplyStatus.REJECTED
    services.public_reply_reject(reply=reply, actor=supervisor, note="Name the fix date.")
    again = services.public_reply_draft(complaint=case, actor=supervisor, body=GOOD_ES)
    with pytest.raises(NotAllowed):  # four eyes: not its own author
        services.public_reply_approve(reply=again, actor=supervisor)

    approved = services.public_reply_approve(reply=again, actor=second_supervisor)
    assert approved.status == ReplyStatus.QUEUED
    thread = SocialThread.objects.get(complaint=case)
    assert thread.first_answered_at is not None
    assert deliver.call(approved.outbox_id) == "sent"
    got = receiver.received[-1]
    assert got["headers"]["X-Resuelve-Signature"] == sign(source.secret, got["body"])
    body = json.loads(got["body"])
    assert body["in_reply_to"] == "1789" and body["text"] == GOOD_ES
    reasons = list(ComplaintEvent.objects.filter(complaint=case).values_list("reason", flat=True))
    assert any(r.startswith("Public reply sent back: Name the fix date.") for r in reasons)
    assert any(r.startswith("Public reply approved: Hola Ana") for r in reasons)


def test_the_conduct_check_is_strict_for_public_replies(
    client: Client, source: SocialSource, quality: Department, handler: User
) -> None:
    case = received(client, source, quality)
    with pytest.raises(services.ConductRefused) as flagged:
        services.public_reply_draft(
            complaint=case, actor=handler, body="Eso no es posible, usted miente."
        )
    assert {f.kind for f in flagged.value.flags} >= {"refusal", "doubt"}
    with pytest.raises(services.ConductRefused) as noted:  # no apology: a note blocks here too
        services.public_reply_draft(
            complaint=case, actor=handler, body="Le escribimos por mensaje privado hoy."
        )
    assert all(f.is_note for f in noted.value.flags)
    assert not PublicReply.objects.exists()


def test_on_the_case_page_a_flagged_public_reply_is_shown_with_its_flags(
    client: Client, source: SocialSource, quality: Department, handler: User
) -> None:
    case = received(client, source, quality)
    client.force_login(handler)
    page = client.get(
        reverse("complaints:case", kwargs={"code": case.tracking_code}), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "Public complaint on a social network" in html and 'class="badge public"' in html
    response = client.post(
        reverse("social:draft", kwargs={"code": case.tracking_code}),
        {"body": "Eso no es posible, usted miente."},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The conduct check stops this public reply" in html
    assert (
        "<mark>Eso no es posible, usted miente.</mark>" in html or "<mark>Eso no es posible" in html
    )
    assert "Send anyway" not in html
    assert not PublicReply.objects.exists()

    response = client.post(
        reverse("social:draft", kwargs={"code": case.tracking_code}), {"body": GOOD_ES}
    )
    assert response.status_code == 302
    assert PublicReply.objects.get().status == ReplyStatus.PENDING


def test_without_a_reply_endpoint_an_approved_reply_is_posted_by_hand(
    client: Client, quality: Department, handler: User, supervisor: User
) -> None:
    source = services.social_source_create(code="fb-page", name="Facebook page")
    case = received(client, source, quality)
    reply = services.public_reply_draft(complaint=case, actor=handler, body=GOOD_ES)
    reply = services.public_reply_approve(reply=reply, actor=supervisor)
    assert reply.status == ReplyStatus.APPROVED and reply.outbox_id is None
    assert SocialThread.objects.get(complaint=case).first_answered_at is None
    reply = services.public_reply_mark_posted(reply=reply, actor=handler)
    assert reply.status == ReplyStatus.POSTED
    assert SocialThread.objects.get(complaint=case).first_answered_at == reply.posted_at


def test_the_conversation_moves_to_email_and_public_replies_stop(
    client: Client, source: SocialSource, quality: Department, handler: User
) -> None:
    case = received(client, source, quality)
    client.force_login(handler)
    response = client.post(
        reverse("social:private", kwargs={"code": case.tracking_code}),
        {"channel": "email", "email": "not-an-address"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Enter a valid e-mail address." in response.content.decode()
    assert SocialThread.objects.get(complaint=case).public
    client.post(
        reverse("social:private", kwargs={"code": case.tracking_code}),
        {"channel": "email", "email": "ana@example.com"},
    )
    case.refresh_from_db()
    assert case.contact_email == "ana@example.com"
    assert not case.social.public and case.social.private_channel == "email"
    with pytest.raises(NotAllowed):
        services.public_reply_draft(complaint=case, actor=handler, body=GOOD_ES)


def test_the_watch_page_lists_waiting_replies_and_unanswered_posts(
    client: Client, source: SocialSource, quality: Department, handler: User, supervisor: User
) -> None:
    answered = received(client, source, quality, id="a")
    waiting = received(client, source, quality, id="b")
    services.public_reply_draft(complaint=answered, actor=handler, body=GOOD_ES)
    client.force_login(supervisor)
    html = client.get(reverse("social:watch"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    pending_part, unanswered_part = html.split("Public posts without a first answer")
    assert answered.tracking_code in pending_part and waiting.tracking_code not in pending_part
    assert waiting.tracking_code in unanswered_part


def test_a_hook_rate_limit_answers_429(client: Client, source: SocialSource) -> None:
    from django.core.cache import cache

    from resuelve.social import views

    cache.clear()
    views.HOOK_LIMIT_PER_MINUTE, saved = 1, views.HOOK_LIMIT_PER_MINUTE
    try:
        assert send(client, source, post(id="r1")).status_code == 201
        assert send(client, source, post(id="r2")).status_code == 429
    finally:
        views.HOOK_LIMIT_PER_MINUTE = saved
    assert Complaint.objects.count() == 1

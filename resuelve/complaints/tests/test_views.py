"""The staff workspace as a user meets it: the queue, its filters and pages, the case page
and its step forms, in every language served."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from resuelve.complaints import lifecycle, selectors, services
from resuelve.complaints.lifecycle import Action, Kind, State
from resuelve.complaints.models import Attachment, Complaint, ComplaintEvent, Message
from resuelve.testing.fixtures import START

QUEUE = "/staff/"
LOGIN = "/staff/login/"
CODE_LINK = re.compile(r'href="/staff/c/(RS-[0-9A-Z]{5}-[0-9A-Z]{5})/"')


@pytest.fixture
def client() -> Client:
    """Pages in English unless a test says otherwise, so messages can be read."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def case_url(case: Complaint) -> str:
    return reverse("complaints:case", kwargs={"code": case.tracking_code})


def step_url(case: Complaint, action: str) -> str:
    return reverse("complaints:step", kwargs={"code": case.tracking_code, "action": action})


def queue_codes(response) -> list[str]:
    """Tracking codes listed in the queue table, in order."""
    html = response.content.decode()
    table = (
        html.split('<table class="queue">', 1)[1].split("</table>", 1)[0]
        if ('<table class="queue">' in html)
        else ""
    )
    codes = CODE_LINK.findall(table)
    return list(dict.fromkeys(codes))


def next_cursor(response) -> str | None:
    match = re.search(r'rel="next" href="\?([^"]*)"', response.content.decode())
    if not match:
        return None
    query = match.group(1).replace("&amp;", "&")
    return dict(part.split("=", 1) for part in query.split("&"))["after"]


def step_forms(response) -> set[str]:
    return set(re.findall(r'data-step="([a-z_]+)"', response.content.decode()))


def state_of(case: Complaint) -> str:
    return Complaint.objects.values_list("state", flat=True).get(pk=case.pk)


def unchanged(case: Complaint) -> dict:
    row = Complaint.objects.values().get(pk=case.pk)
    row["messages"] = Message.objects.filter(complaint=case).count()
    row["events"] = ComplaintEvent.objects.filter(complaint=case).count()
    return row


# --- sign-in --------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_staff_login(client, make_complaint):
    case = make_complaint()
    for url in [QUEUE, case_url(case)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next={url}"
    before = unchanged(case)
    response = client.post(step_url(case, Action.ACKNOWLEDGE), {})
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert unchanged(case) == before


def test_it_refuses_get_on_a_step(client, make_complaint, manager):
    case = make_complaint()
    client.force_login(manager)
    assert client.get(step_url(case, Action.ACKNOWLEDGE)).status_code == 405


# --- the queue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["agent", "handler", "supervisor", "manager", "admin", "auditor", "outsider"]
)
def test_it_shows_each_persona_their_queue_and_nothing_else(
    client, scoped_cases, personas, persona
):
    user = personas[persona]
    client.force_login(user)
    response = client.get(QUEUE)
    assert response.status_code == 200
    listed = set(queue_codes(response))
    html = response.content.decode()
    for case in scoped_cases.values():
        if selectors.can_view(user, case):
            assert case.tracking_code in listed
            assert case.subject in html
        else:
            assert case.tracking_code not in html
            assert case.subject not in html
    assert listed  # every persona has something in their queue


def test_it_lists_the_newest_first_with_state_department_and_assignee(
    client, make_complaint, manager, clock
):
    older = make_complaint(state=State.ASSIGNED, received_at=START - timedelta(days=2))
    newer = make_complaint(state=State.RECEIVED, received_at=START - timedelta(days=1))
    client.force_login(manager)
    response = client.get(QUEUE)
    assert queue_codes(response) == [newer.tracking_code, older.tracking_code]
    html = response.content.decode()
    assert "Quality" in html and "Hugo Test" in html and "Assigned" in html


@pytest.fixture
def filterable(make_complaint, workshop, outsider, handler):
    """Cases that differ in one filterable property each; received one hour apart."""

    def at(hours: int):
        return START - timedelta(days=1, hours=hours)

    return {
        "investigating": make_complaint(
            state=State.INVESTIGATING, received_at=at(1), subject="Noisy brakes"
        ),
        "petition": make_complaint(
            state=State.ACKNOWLEDGED,
            kind=Kind.PETITION,
            received_at=at(2),
            subject="Copy of my invoice",
            contact_email="Pia@Example.com",
        ),
        "workshop": make_complaint(
            state=State.ASSIGNED,
            department=workshop,
            assignee=outsider,
            received_at=at(3),
            subject="Oil leak",
            description="Oil drips from the gearbox under the car.",
        ),
        "unassigned": make_complaint(
            state=State.ASSESSED,
            received_at=at(4),
            subject="Late delivery",
            contact_name="Bruno Díaz",
        ),
        "confidential": make_complaint(
            state=State.ASSIGNED, confidential=True, received_at=at(5), subject="Rude manager"
        ),
        "overdue": make_complaint(
            state=State.ACKNOWLEDGED, received_at=START - timedelta(days=20), subject="Forgotten"
        ),
        "overdue_waiting": make_complaint(
            state=State.WAITING,
            wait_from=State.ACKNOWLEDGED,
            received_at=START - timedelta(days=21),
            subject="Waiting long",
        ),
        "overdue_closed": make_complaint(
            state=State.CLOSED, received_at=START - timedelta(days=22), subject="Done"
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=investigating", ["investigating"]),
        ("state=waiting_customer", ["overdue_waiting"]),
        (
            "state=open",
            ["investigating", "petition", "workshop", "unassigned", "confidential", "overdue"],
        ),
        ("kind=petition", ["petition"]),
        ("assignee=none", ["petition", "unassigned", "overdue", "overdue_waiting"]),
        ("overdue=on", ["overdue"]),
        ("confidential=yes", ["confidential"]),
        ("confidential=no&state=assigned", ["workshop"]),
        ("q=copy+of+MY", ["petition"]),
        ("q=gearbox", ["workshop"]),
        ("q=bruno", ["unassigned"]),
        ("q=PIA@example.COM", ["petition"]),
        ("q=nothing+like+this", []),
        ("kind=petition&state=investigating", []),
    ],
)
def test_it_filters_the_queue(client, filterable, manager, query, expected):
    client.force_login(manager)
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    assert queue_codes(response) == [filterable[name].tracking_code for name in expected]
    if not expected:
        assert "No complaints match these filters." in response.content.decode()


def test_it_filters_by_department_and_assignee(
    client, filterable, manager, handler, quality, workshop, outsider
):
    client.force_login(manager)
    response = client.get(f"{QUEUE}?department={workshop.pk}")
    assert queue_codes(response) == [filterable["workshop"].tracking_code]
    response = client.get(f"{QUEUE}?assignee={outsider.pk}")
    assert queue_codes(response) == [filterable["workshop"].tracking_code]
    response = client.get(f"{QUEUE}?department={quality.pk}&assignee={handler.pk}")
    assert set(queue_codes(response)) == {
        filterable[n].tracking_code for n in ["investigating", "confidential", "overdue_closed"]
    }
    client.force_login(handler)
    response = client.get(f"{QUEUE}?assignee=me")
    assert set(queue_codes(response)) == {
        filterable[n].tracking_code for n in ["investigating", "confidential", "overdue_closed"]
    }


def test_it_finds_a_case_by_its_tracking_code_typed_loosely(client, filterable, manager):
    case = filterable["workshop"]
    typed = case.tracking_code.lower().replace("-", "").replace("0", "o").replace("1", "l")
    client.force_login(manager)
    response = client.get(f"{QUEUE}?q={typed}")
    assert queue_codes(response) == [case.tracking_code]


def test_it_marks_overdue_cases_but_not_waiting_or_closed_ones(client, filterable, manager):
    client.force_login(manager)
    html = client.get(QUEUE).content.decode()
    rows = {code: row for row in html.split("<tr") for code in CODE_LINK.findall(row)}
    assert "Overdue" in rows[filterable["overdue"].tracking_code]
    for name in ["overdue_waiting", "overdue_closed", "investigating"]:
        assert "Overdue" not in rows[filterable[name].tracking_code], name


# --- keyset pagination ----------------------------------------------------------------------


@pytest.fixture
def sixty(make_complaint) -> list[Complaint]:
    """Sixty new cases, three received at each instant so the id must break ties."""
    return [
        make_complaint(
            received_at=START - timedelta(hours=1, minutes=i // 3),
            kind=Kind.CLAIM if i % 2 else Kind.COMPLAINT,
            subject=f"Case number {i}",
        )
        for i in range(60)
    ]


def _expected_order(cases: list[Complaint]) -> list[str]:
    return [
        c.tracking_code for c in sorted(cases, key=lambda c: (c.received_at, c.pk), reverse=True)
    ]


def test_it_pages_the_queue_without_duplicates_or_gaps(client, sixty, manager):
    client.force_login(manager)
    seen: list[str] = []
    response = client.get(QUEUE)
    page_sizes = []
    for _ in range(10):
        codes = queue_codes(response)
        page_sizes.append(len(codes))
        seen += codes
        cursor = next_cursor(response)
        if cursor is None:
            break
        response = client.get(f"{QUEUE}?after={cursor}")
        assert response.status_code == 200
        assert "First page" in response.content.decode()
    assert page_sizes == [25, 25, 10]
    assert seen == _expected_order(sixty)


def test_it_keeps_the_filters_when_paging(client, sixty, manager):
    client.force_login(manager)
    claims = [c for c in sixty if c.kind == Kind.CLAIM]
    response = client.get(f"{QUEUE}?kind=claim")
    first = queue_codes(response)
    cursor = next_cursor(response)
    assert 'href="?kind=claim&amp;after=' in response.content.decode()
    second = queue_codes(client.get(f"{QUEUE}?kind=claim&after={cursor}"))
    assert first + second == _expected_order(claims)


@pytest.mark.parametrize(
    "cursor", ["garbage", "", "%%%", "MjAyNS0wMy0wMVQxMDowMDowMHwx", "bm90fGFuaW50", "A" * 400]
)
def test_it_shows_the_first_page_for_a_garbage_cursor(client, sixty, manager, cursor):
    # MjAy... is "2025-03-01T10:00:00|1": a time without a zone is refused too.
    client.force_login(manager)
    first = queue_codes(client.get(QUEUE))
    response = client.get(f"{QUEUE}?after={cursor}")
    assert response.status_code == 200
    assert queue_codes(response) == first


# --- the case page --------------------------------------------------------------------------


def test_it_shows_the_case_its_timeline_purchases_and_previous_complaints(
    client, make_complaint, customer, supervisor, handler
):
    earlier = make_complaint(state=State.CLOSED, customer=customer, subject="Earlier squeak")
    case = make_complaint(state=State.COMMUNICATED, customer=customer, subject="Squeak again")
    client.force_login(supervisor)
    response = client.get(case_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.tracking_code in html and "Squeak again" in html
    # the timeline: the customer's words, the steps and the solution sent
    assert case.description in html
    for label in [
        "Registered",
        "Acknowledge",
        "Assess",
        "Assign",
        "Propose solution",
        "Approve solution",
        "Send solution to customer",
    ]:
        assert f"<strong>{label}</strong>" in html, label
    assert "Replace the brake pads free of charge." in html
    # the customer's record
    assert "Carla Client" in html and "carla@example.com" in html
    assert "PO-1001" in html and "PO-1002" in html and "Brake pads" in html
    assert earlier.tracking_code in html and "Earlier squeak" in html


def test_it_shows_internal_notes_to_staff_marked_as_internal(client, make_complaint, handler):
    case = make_complaint(state=State.INVESTIGATING)
    services.complaint_add_message(
        complaint=case, actor=handler, body="Pads batch 42 suspected.", to_customer=False
    )
    client.force_login(handler)
    html = client.get(case_url(case)).content.decode()
    assert "Pads batch 42 suspected." in html and "Internal note" in html


@pytest.mark.parametrize(
    ("persona", "state", "expected"),
    [
        ("agent", State.RECEIVED, {Action.ACKNOWLEDGE}),
        ("supervisor", State.ASSESSED, {Action.ASSIGN, Action.WAIT}),
        ("handler", State.ASSESSED, {Action.WAIT}),
        ("handler", State.SOLUTION_PROPOSED, {Action.APPROVE, Action.REJECT}),
        ("handler", State.CLOSED, set()),
        ("manager", State.CLOSED, {Action.REOPEN}),
        ("manager", State.COMMUNICATED, {Action.ACCEPT, Action.DISPUTE}),
        ("auditor", State.INVESTIGATING, set()),
        ("auditor", State.RECEIVED, set()),
    ],
)
def test_it_offers_only_the_steps_the_role_may_take(
    client, make_complaint, personas, persona, state, expected
):
    case = make_complaint(state=state)
    user = personas[persona]
    client.force_login(user)
    response = client.get(case_url(case))
    assert response.status_code == 200
    offered = step_forms(response)
    if persona == "auditor":
        assert offered == set()
        assert "Nothing for you to do" not in response.content.decode()
        return
    assert offered == expected | {Action.REPLY, Action.NOTE}
    # Merging needs a second case (the likely-duplicates panel offers it) and solutions are
    # proposed as plans (the plans panel): neither is a step form.
    offered_steps = set(lifecycle.available_steps(state, user.role, kind=case.kind))
    assert expected == offered_steps - {Action.MERGE, Action.PROPOSE}


def test_it_warns_when_the_solution_is_above_the_users_authority(
    client, make_complaint, service_desk, agent
):
    case = make_complaint(
        state=State.SOLUTION_PROPOSED,
        value=Decimal("250000"),
        department=service_desk,
        assignee=agent,
    )
    client.force_login(agent)
    assert "above your authority limit" in client.get(case_url(case)).content.decode()


def test_it_redirects_a_loosely_typed_code_to_the_case(client, make_complaint, manager):
    case = make_complaint()
    client.force_login(manager)
    response = client.get(f"/staff/c/{case.tracking_code.lower().replace('-', '')}/")
    assert response.status_code == 302 and response.url == case_url(case)


# --- taking steps through the page ------------------------------------------------------------


def _post(client, case, action, data):
    return client.post(step_url(case, action), {f"{action}-{k}": v for k, v in data.items()})


def _take(client, case, action, data, expected_state):
    response = _post(client, case, action, data)
    assert response.status_code == 302, (action, response.content.decode()[-3000:])
    assert response.url == case_url(case)
    assert state_of(case) == expected_state, action
    return response


def test_it_walks_a_complaint_through_every_main_step_from_the_page(
    client,
    make_complaint,
    manager,
    quality,
    handler,
    category,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    case = make_complaint(language="en")
    client.force_login(manager)
    walk = [
        (Action.ACKNOWLEDGE, {"message": ""}, State.ACKNOWLEDGED),
        (Action.WAIT, {"question": "Which branch?"}, State.WAITING),
        (Action.RESUME, {"note": "Answered by phone."}, State.ACKNOWLEDGED),
        (
            Action.ASSESS,
            {
                "established": "yes",
                "reason": "Invoice checked.",
                "category": category.pk,
                "severity": "high",
            },
            State.ASSESSED,
        ),
        (Action.ASSIGN, {"department": quality.pk, "assignee": handler.pk}, State.ASSIGNED),
        (Action.START_INVESTIGATION, {"note": ""}, State.INVESTIGATING),
        (Action.PROPOSE, {"solution": "New pads.", "value": "90000"}, State.SOLUTION_PROPOSED),
        (Action.REJECT, {"reason": "Offer a refund instead."}, State.INVESTIGATING),
        (Action.PROPOSE, {"solution": "A refund.", "value": "120000.50"}, State.SOLUTION_PROPOSED),
        (Action.APPROVE, {"comment": "Fine."}, State.APPROVED),
        (Action.COMMUNICATE, {"message": ""}, State.COMMUNICATED),
        (Action.DISPUTE, {"reason": "Wants more."}, State.DISPUTED),
        (
            Action.PROPOSE,
            {"solution": "Refund and a free service.", "value": "180000"},
            State.SOLUTION_PROPOSED,
        ),
        (Action.APPROVE, {"comment": ""}, State.APPROVED),
        (Action.COMMUNICATE, {"message": "Our better offer:"}, State.COMMUNICATED),
        (Action.ACCEPT, {"name": "Ana Pérez"}, State.ACCEPTED),
        (Action.RESOLVE, {"summary": "Refunded.", "answer": ""}, State.RESOLVED),
        (Action.FOLLOW_UP, {"satisfaction": "5", "note": "Happy."}, State.FOLLOWED_UP),
        (Action.CLOSE, {"reason": ""}, State.CLOSED),
        (Action.REOPEN, {"reason": "Noise is back."}, State.INVESTIGATING),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for action, data, expected in walk:
            _take(client, case, action, data, expected)
    case.refresh_from_db()
    assert case.solution_value == Decimal("180000") and case.dispute_rounds == 1
    assert case.accepted_ip == "127.0.0.1"
    assert case.satisfaction == 5
    assert case.event_count == 1 + len(walk)
    bodies = [m.body for m in mailoutbox]
    assert any("Our better offer:" in b and "Refund and a free service." in b for b in bodies)
    response = client.get(case_url(case))
    assert "Done: Reopen." in response.content.decode()


def test_it_answers_a_request_directly_from_the_page(client, make_complaint, handler):
    case = make_complaint(state=State.ASSIGNED, kind=Kind.PETITION)
    client.force_login(handler)
    _take(
        client,
        case,
        Action.RESOLVE,
        {"summary": "Sent.", "answer": "Your copy is attached."},
        State.RESOLVED,
    )
    assert Message.objects.filter(complaint=case, body="Your copy is attached.").exists()


def test_it_refers_a_dispute_and_closes_a_not_established_case(client, make_complaint, manager):
    disputed = make_complaint(state=State.DISPUTED)
    not_established = make_complaint(state=State.NOT_ESTABLISHED)
    client.force_login(manager)
    _take(
        client,
        disputed,
        Action.REFER_EXTERNAL,
        {"body": "The ombudsman", "reason": ""},
        State.EXTERNAL,
    )
    _take(client, not_established, Action.CLOSE, {"reason": ""}, State.CLOSED)


def test_it_posts_notes_and_replies_with_attachments(
    client, make_complaint, handler, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = make_complaint(state=State.INVESTIGATING)
    client.force_login(handler)
    response = client.post(
        step_url(case, Action.REPLY),
        {
            "reply-body": "Here is the report.",
            "reply-attachments": [
                SimpleUploadedFile("report.pdf", b"%PDF-1.4"),
                SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n"),
            ],
        },
    )
    assert response.status_code == 302
    response = client.post(step_url(case, Action.NOTE), {"note-body": "Internal only."})
    assert response.status_code == 302
    assert sorted(
        Attachment.objects.filter(complaint=case).values_list("original_name", flat=True)
    ) == ["photo.png", "report.pdf"]
    html = client.get(case_url(case)).content.decode()
    assert "report.pdf" in html and "Internal only." in html
    assert state_of(case) == State.INVESTIGATING


def test_it_refuses_an_attachment_of_the_wrong_type_on_the_page(
    client, make_complaint, handler, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = make_complaint(state=State.INVESTIGATING)
    before = unchanged(case)
    client.force_login(handler)
    response = client.post(
        step_url(case, Action.REPLY),
        {
            "reply-body": "Run this.",
            "reply-attachments": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert "run.exe" in response.content.decode() and "not accepted" in response.content.decode()
    assert unchanged(case) == before


@pytest.mark.parametrize(
    ("state", "action", "data", "error"),
    [
        (
            State.INVESTIGATING,
            Action.PROPOSE,
            {"solution": "", "value": "10"},
            "This field is required.",
        ),
        (
            State.INVESTIGATING,
            Action.PROPOSE,
            {"solution": "Refund", "value": "-5"},
            "greater than or equal to 0",
        ),
        (
            State.INVESTIGATING,
            Action.PROPOSE,
            {"solution": "Refund", "value": "lots"},
            "Enter a number.",
        ),
        (State.RESOLVED, Action.FOLLOW_UP, {"satisfaction": "9"}, "Select a valid choice."),
        (
            State.ACKNOWLEDGED,
            Action.ASSESS,
            {"established": "no", "reason": "Not ours."},
            "Write the answer the customer receives",
        ),
        (
            State.RESOLVED,
            Action.CLOSE,
            {"reason": ""},
            "Say why the case closes without a follow-up",
        ),
        (State.CLOSED, Action.REOPEN, {"reason": ""}, "This field is required."),
        (State.INVESTIGATING, Action.NOTE, {"body": ""}, "This field is required."),
    ],
)
def test_it_shows_invalid_input_with_a_400_and_changes_nothing(
    client, make_complaint, manager, state, action, data, error
):
    case = make_complaint(state=state)
    before = unchanged(case)
    client.force_login(manager)
    response = _post(client, case, action, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "Please correct the marked fields." in html
    assert f'data-step="{action}"' in html
    assert unchanged(case) == before


@pytest.mark.parametrize(
    ("persona", "state", "action", "data", "message"),
    [
        ("manager", State.RECEIVED, Action.APPROVE, {}, "cannot take the step"),
        ("manager", State.CLOSED, Action.RESOLVE, {"summary": "again"}, "cannot take the step"),
        (
            "handler",
            State.ASSESSED,
            Action.ASSIGN,
            {"department": "QUALITY"},
            "may not take the step",
        ),
        ("auditor", State.INVESTIGATING, Action.NOTE, {"body": "Audit remark"}, "read-only"),
        (
            "auditor",
            State.INVESTIGATING,
            Action.PROPOSE,
            {"solution": "x", "value": "1"},
            "read-only",
        ),
        ("agent", State.SOLUTION_PROPOSED, Action.APPROVE, {}, "above your authority limit"),
    ],
)
def test_it_shows_a_refused_step_as_an_error_and_changes_nothing(
    client,
    make_complaint,
    personas,
    quality,
    service_desk,
    agent,
    persona,
    state,
    action,
    data,
    message,
):
    if persona == "agent":
        case = make_complaint(
            state=state, value=Decimal("900000"), department=service_desk, assignee=agent
        )
    else:
        case = make_complaint(state=state)
    data = {k: (quality.pk if v == "QUALITY" else v) for k, v in data.items()}
    before = unchanged(case)
    client.force_login(personas[persona])
    response = _post(client, case, action, data)
    assert response.status_code == 302 and response.url == case_url(case)
    page = client.get(response.url).content.decode()
    assert message in page
    assert 'class="flash-error"' in page
    assert unchanged(case) == before


def test_it_answers_404_for_an_unknown_step(client, make_complaint, manager):
    case = make_complaint()
    client.force_login(manager)
    assert client.post(step_url(case, "explode"), {}).status_code == 404
    assert client.post(step_url(case, Action.REGISTER), {}).status_code == 404


# --- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en", "zh-hans", "et"])
def test_it_renders_the_workspace_in_the_users_language(
    client, make_complaint, supervisor, language
):
    case = make_complaint(state=State.INVESTIGATING)
    supervisor.language = language
    supervisor.save()
    client.force_login(supervisor)
    for url, heading in [
        (QUEUE, "Complaint queue"),
        (case_url(case), "Timeline"),
        (f"{QUEUE}?state=nonsense&q=x", "Complaint queue"),
    ]:
        response = client.get(url)  # the client asks for English: the profile wins
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        assert response["Content-Language"] == language
        with translation.override(language):
            translated = gettext(heading)
        assert translated in html
        if language != "en":
            assert translated != heading, f"{heading!r} is not translated to {language}"
            assert heading not in html


@pytest.mark.parametrize("language", ["es", "en", "zh-hans", "et"])
def test_it_follows_the_browser_language_when_the_profile_has_none(
    make_complaint, manager, language
):
    case = make_complaint(state=State.ASSESSED)
    browser = Client(HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    browser.force_login(manager)
    for url in [QUEUE, case_url(case)]:
        response = browser.get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.content.decode()


def test_it_renders_a_step_error_in_every_language(make_complaint, manager):
    case = make_complaint(state=State.INVESTIGATING)
    for language in ["es", "en", "zh-hans", "et"]:
        browser = Client(HTTP_ACCEPT_LANGUAGE=language)
        browser.force_login(manager)
        response = _post(browser, case, Action.PROPOSE, {"solution": "", "value": "1"})
        assert response.status_code == 400
        assert f'<html lang="{language}"' in response.content.decode()
    assert state_of(case) == State.INVESTIGATING


def test_it_lists_open_cases_with_the_least_time_left_first_across_pages(
    client, make_complaint, manager
):
    # Thirty open cases received at scattered times, so their deadlines are scattered too,
    # and a closed one that must not appear.
    cases = [
        make_complaint(received_at=START - timedelta(hours=(i * 7) % 30, minutes=i))
        for i in range(30)
    ]
    closed = make_complaint(state=State.CLOSED, received_at=START - timedelta(days=9))
    client.force_login(manager)
    response = client.get(f"{QUEUE}?by_deadline=on")
    assert "the least time left first" in response.content.decode()
    first = queue_codes(response)
    cursor = next_cursor(response)
    second = queue_codes(client.get(f"{QUEUE}?by_deadline=on&after={cursor}"))
    expected = [c.tracking_code for c in sorted(cases, key=lambda c: (c.due_at, c.pk))]
    assert (len(first), len(second)) == (25, 5)
    assert first + second == expected
    assert closed.tracking_code not in first + second

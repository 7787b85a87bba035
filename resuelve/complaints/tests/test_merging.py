"""Merging a duplicate into the case it repeats: nothing the customer said is lost (B4), both
audit chains stay verifiable, the customer is told where their case continues, and a refused
merge changes neither case."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from resuelve.complaints import lifecycle, merging, services
from resuelve.complaints.duplicates import merged_into
from resuelve.complaints.lifecycle import Action, IllegalStep, NotAllowed, State
from resuelve.complaints.models import Attachment, Complaint, ComplaintEvent, Message, Visibility
from resuelve.complaints.tracking import access_key
from resuelve.notifications.models import Outbox
from resuelve.notifications.services import private_url
from resuelve.testing.fixtures import chain_problems

S = State
A = Action
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def snapshot(case: Complaint) -> dict[str, Any]:
    row = Complaint.objects.values().get(pk=case.pk)
    row["messages"] = Message.objects.filter(complaint=case).count()
    row["events"] = ComplaintEvent.objects.filter(complaint=case).count()
    row["attachments"] = Attachment.objects.filter(complaint=case).count()
    row["outbox"] = Outbox.objects.filter(complaint=case).count()
    return row


def last_event(case: Complaint) -> ComplaintEvent:
    return ComplaintEvent.objects.filter(complaint=case).order_by("-seq").first()


@pytest.fixture
def pair(make_complaint, customer, manager, clock):
    """A case and its duplicate from the same customer; the duplicate has files, a reply from
    the customer with a file, an internal note and a staff reply."""
    into = make_complaint(state=S.INVESTIGATING, customer=customer)
    clock.advance(hours=2)
    duplicate = make_complaint(
        state=S.ACKNOWLEDGED,
        customer=customer,
        subject="Brakes still squeak",
        attachments=[SimpleUploadedFile("sheet.png", PNG)],
    )
    clock.advance(minutes=10)
    services.complaint_receive_customer_message(
        complaint=duplicate,
        body="Here is a photo of the pads.",
        attachments=[SimpleUploadedFile("pads.png", PNG), SimpleUploadedFile("note.txt", b"hi")],
    )
    services.complaint_add_message(
        complaint=duplicate, actor=manager, body="Looks like the same case.", to_customer=False
    )
    services.complaint_add_message(
        complaint=duplicate, actor=manager, body="We are looking at it.", to_customer=True
    )
    clock.advance(minutes=10)
    return duplicate, into


def test_it_keeps_every_message_and_attachment_on_the_case_that_continues(pair, manager):
    duplicate, into = pair
    originals = list(Message.objects.filter(complaint=duplicate).order_by("created_at", "id"))
    files = list(Attachment.objects.filter(complaint=duplicate).order_by("id"))
    own_messages = Message.objects.filter(complaint=into).count()
    own_files = Attachment.objects.filter(complaint=into).count()
    assert len(originals) == 5 and len(files) == 3

    merging.complaint_merge(duplicate=duplicate, into=into, actor=manager, reason="Same pads.")

    copies = list(
        Message.objects.filter(complaint=into).order_by("created_at", "id")[own_messages:]
    )
    assert Message.objects.filter(complaint=into).count() == own_messages + len(originals)
    assert Attachment.objects.filter(complaint=into).count() == own_files + len(files)
    absorb = last_event(into)
    pairs = dict(map(tuple, absorb.changes["messages_copied"]))
    assert list(pairs) == [m.pk for m in originals]
    for original in originals:
        copy = Message.objects.get(pk=pairs[original.pk])
        assert copy.complaint_id == into.pk
        assert copy.body == f"From case {duplicate.tracking_code}:\n{original.body}"
        assert (copy.author_id, copy.from_customer, copy.visibility, copy.created_at) == (
            original.author_id,
            original.from_customer,
            original.visibility,
            original.created_at,
        )
    assert {c.pk for c in copies} <= set(pairs.values()) | {
        m.pk for m in Message.objects.filter(complaint=into)
    }
    file_pairs = dict(map(tuple, absorb.changes["attachments_copied"]))
    for original in files:
        copy = Attachment.objects.get(pk=file_pairs[original.pk])
        assert (copy.complaint_id, copy.sha256, copy.file.name, copy.original_name) == (
            into.pk,
            original.sha256,
            original.file.name,
            original.original_name,
        )
        assert copy.message_id == pairs[original.message_id]
        assert copy.file.open("rb").read() == original.file.open("rb").read()
    # The duplicate keeps its own record untouched, plus the notice to the customer.
    assert Message.objects.filter(complaint=duplicate).count() == len(originals) + 1
    assert Attachment.objects.filter(complaint=duplicate).count() == len(files)


def test_it_finishes_the_duplicate_and_records_both_events(pair, manager):
    duplicate, into = pair
    dup_events = Complaint.objects.get(pk=duplicate.pk).event_count
    into_events = Complaint.objects.get(pk=into.pk).event_count
    result = merging.complaint_merge(
        duplicate=duplicate, into=into, actor=manager, reason="Same pads."
    )
    assert result is into
    assert duplicate.state == S.MERGED
    stored = Complaint.objects.get(pk=duplicate.pk)
    assert (stored.state, stored.is_open, stored.event_count) == (S.MERGED, False, dup_events + 1)
    merge = last_event(duplicate)
    assert (merge.action, merge.from_state, merge.to_state) == (A.MERGE, S.ACKNOWLEDGED, S.MERGED)
    assert merge.changes == {"into": into.tracking_code}
    assert merge.reason == "Same pads." and merge.actor == manager
    absorb = last_event(into)
    assert Complaint.objects.get(pk=into.pk).event_count == into_events + 1
    assert (absorb.action, absorb.from_state, absorb.to_state) == (
        A.ABSORB,
        S.INVESTIGATING,
        S.INVESTIGATING,
    )
    assert absorb.changes["duplicate"] == duplicate.tracking_code
    assert Complaint.objects.get(pk=into.pk).state == S.INVESTIGATING
    assert chain_problems(duplicate) == [] and chain_problems(into) == []
    call_command("verify_audit")  # raises CommandError on any broken chain
    assert merged_into(stored) == into


def test_it_tells_the_customer_in_their_language_where_the_case_continues(make_complaint, manager):
    into = make_complaint(state=S.ASSIGNED, language="es", contact_name="Ana")
    duplicate = make_complaint(state=S.ACKNOWLEDGED, language="es", contact_name="Ana")
    emails_of_into = Outbox.objects.filter(complaint=into, message__isnull=False).count()
    merging.complaint_merge(duplicate=duplicate, into=into, actor=manager)
    notice = Message.objects.filter(complaint=duplicate).order_by("-id").first()
    assert notice.visibility == Visibility.CUSTOMER and notice.author == manager
    with translation.override("es"):
        expected = gettext(
            "Dear %(name)s,\n\nYour case %(code)s is about the same matter as case "
            "%(into)s, so we have joined them: everything you sent us is kept, and your "
            "case continues under the tracking number %(into)s. You can follow it here:\n"
            "%(link)s"
        ) % {
            "name": "Ana",
            "code": duplicate.tracking_code,
            "into": into.tracking_code,
            "link": private_url(into),
        }
    assert notice.body == expected
    email = Outbox.objects.get(message=notice)
    assert email.recipient == "ana@example.com"
    assert email.headers["Content-Language"] == "es"
    assert into.tracking_code in email.body
    # The copies on the case that continues are not sent again.
    assert Outbox.objects.filter(complaint=into, message__isnull=False).count() == emails_of_into


@pytest.mark.parametrize(
    ("persona", "message"),
    [("auditor", "read-only"), ("outsider", "outside your departments")],
)
def test_it_refuses_merges_by_who_may_not_write_on_both(
    make_complaint, personas, workshop, outsider, persona, message
):
    into = make_complaint(state=S.ASSIGNED)
    duplicate = make_complaint(state=S.ASSIGNED, department=workshop, assignee=outsider)
    before = snapshot(duplicate), snapshot(into)
    with pytest.raises(NotAllowed, match=message):
        merging.complaint_merge(duplicate=duplicate, into=into, actor=personas[persona])
    assert (snapshot(duplicate), snapshot(into)) == before


@pytest.mark.parametrize(
    ("into_state", "message"),
    [
        (S.CLOSED, "can only join an open case"),
        (S.WAITING, "can only join an open case"),
        (S.MERGED, "was itself merged"),
    ],
)
def test_it_refuses_to_merge_into_a_case_that_is_not_open(
    make_complaint, manager, into_state, message
):
    into = make_complaint(state=into_state)
    duplicate = make_complaint(state=S.ACKNOWLEDGED)
    before = snapshot(duplicate), snapshot(into)
    with pytest.raises(IllegalStep, match=message):
        merging.complaint_merge(duplicate=duplicate, into=into, actor=manager)
    assert (snapshot(duplicate), snapshot(into)) == before


def test_it_refuses_to_merge_a_case_into_itself(make_complaint, manager):
    case = make_complaint(state=S.ACKNOWLEDGED)
    before = snapshot(case)
    with pytest.raises(IllegalStep, match="into itself"):
        merging.complaint_merge(duplicate=case, into=case, actor=manager)
    assert snapshot(case) == before


def test_it_refuses_to_merge_a_case_with_a_solution_on_the_table(make_complaint, manager):
    into = make_complaint(state=S.ACKNOWLEDGED)
    duplicate = make_complaint(state=S.SOLUTION_PROPOSED)
    before = snapshot(duplicate), snapshot(into)
    with pytest.raises(IllegalStep, match="Solution proposed"):
        merging.complaint_merge(duplicate=duplicate, into=into, actor=manager)
    assert (snapshot(duplicate), snapshot(into)) == before


def test_it_lets_a_handler_merge_cases_of_their_department(make_complaint, handler):
    into = make_complaint(state=S.INVESTIGATING)
    duplicate = make_complaint(state=S.ASSIGNED)
    merging.complaint_merge(duplicate=duplicate, into=into, actor=handler)
    assert Complaint.objects.get(pk=duplicate.pk).state == S.MERGED


def test_it_takes_no_further_step_on_a_merged_case(make_complaint, manager):
    case = make_complaint(state=S.MERGED)
    other = make_complaint(state=S.ACKNOWLEDGED)
    assert lifecycle.available_steps(S.MERGED, manager.role, kind=case.kind) == []
    before = snapshot(case)
    with pytest.raises(IllegalStep):
        services.complaint_reopen(complaint=case, actor=manager, reason="Oops.")
    with pytest.raises(IllegalStep):
        merging.complaint_merge(duplicate=case, into=other, actor=manager)
    with pytest.raises(IllegalStep, match="was itself merged"):
        merging.complaint_merge(duplicate=other, into=case, actor=manager)
    assert snapshot(case) == before


# --- the customer's page --------------------------------------------------------------------


def _link(case: Complaint) -> str:
    return f"/track/{case.tracking_code}/{access_key(case.tracking_code)}/"


def test_it_points_the_customer_page_of_the_duplicate_at_the_case_that_continues(
    client, make_complaint, manager
):
    into = make_complaint(state=S.ASSIGNED, language="en")
    duplicate = make_complaint(state=S.ACKNOWLEDGED, language="en")
    merging.complaint_merge(duplicate=duplicate, into=into, actor=manager)
    page = client.get(_link(duplicate), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert into.tracking_code in page
    assert f'href="{_link(into)}"' in page
    assert 'action="' + _link(duplicate) + "reply/" not in page  # no reply form on it


def test_it_adds_a_reply_sent_through_the_duplicate_link_to_the_case_that_continues(
    client, make_complaint, manager
):
    into = make_complaint(state=S.ASSIGNED)
    duplicate = make_complaint(state=S.ACKNOWLEDGED)
    merging.complaint_merge(duplicate=duplicate, into=into, actor=manager)
    before = Message.objects.filter(complaint=duplicate).count()
    response = client.post(_link(duplicate) + "reply/", {"body": "One more thing."})
    assert response.status_code == 302 and response["Location"] == _link(into)
    assert Message.objects.filter(complaint=into, body="One more thing.").exists()
    assert Message.objects.filter(complaint=duplicate).count() == before


# --- the staff case page ----------------------------------------------------------------------


def _staff(client, user):
    client.force_login(user)
    return client


def _case_url(case: Complaint) -> str:
    return f"/staff/c/{case.tracking_code}/"


def _merge_url(case: Complaint) -> str:
    return f"/staff/c/{case.tracking_code}/merge/"


def test_it_lists_likely_duplicates_with_a_merge_form_on_the_case_page(
    client, make_complaint, manager
):
    case = make_complaint(state=S.ACKNOWLEDGED)
    other = make_complaint(state=S.SOLUTION_PROPOSED)
    page = _staff(client, manager).get(_case_url(case), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Likely duplicates" in html
    assert f'href="{_case_url(other)}"' in html
    assert "same customer" in html and "100% alike" in html
    assert f'data-merge="{other.tracking_code}"' in html
    assert 'value="into_other"' in html
    assert 'value="from_other"' not in html  # the other case is past the point of merging


def test_it_shows_no_merge_form_to_a_read_only_auditor(client, make_complaint, auditor):
    case = make_complaint(state=S.ACKNOWLEDGED)
    make_complaint(state=S.ACKNOWLEDGED)
    html = _staff(client, auditor).get(_case_url(case), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Likely duplicates" in html
    assert b"data-merge=" not in html


def test_it_merges_from_the_case_page_and_shows_the_case_that_continues(
    client, make_complaint, manager
):
    into = make_complaint(state=S.ASSIGNED)
    duplicate = make_complaint(state=S.ACKNOWLEDGED, description="It squeaks, really.")
    staff = _staff(client, manager)
    response = staff.post(
        _merge_url(into),
        {"other": duplicate.tracking_code, "direction": "from_other", "reason": "Same squeak."},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _case_url(into)
    html = response.content.decode()
    assert f"{duplicate.tracking_code} is merged into {into.tracking_code}" in html
    with translation.override(into.language):  # the note of origin is the customer's text
        origin = _("From case %(code)s:") % {"code": duplicate.tracking_code}
    assert origin in html  # the absorbed messages
    assert "It squeaks, really." in html
    assert Complaint.objects.get(pk=duplicate.pk).state == S.MERGED
    merged_page = staff.get(_case_url(duplicate), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'Merged into <a href="{_case_url(into)}" class="code">{into.tracking_code}</a>' in (
        merged_page
    )
    assert "Likely duplicates" not in merged_page


def test_it_refuses_a_merge_from_the_page_with_a_translated_message_and_changes_nothing(
    client, make_complaint, manager, workshop, outsider, handler
):
    into = make_complaint(state=S.ASSIGNED)
    closed = make_complaint(state=S.CLOSED)
    elsewhere = make_complaint(state=S.ASSIGNED, department=workshop, assignee=outsider)
    before = snapshot(into), snapshot(closed), snapshot(elsewhere)
    staff = _staff(client, manager)
    refused = staff.post(
        _merge_url(into),
        {"other": closed.tracking_code, "direction": "into_other", "reason": "Same."},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert refused.redirect_chain[-1][0] == _case_url(into)
    assert '<p class="flash-error">Case ' in refused.content.decode()
    assert "can only join an open case" in refused.content.decode()
    no_reason = staff.post(
        _merge_url(into),
        {"other": closed.tracking_code, "direction": "into_other"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Say why the two cases are the same" in no_reason.content.decode()
    # A handler of quality cannot reach the workshop case: it is as if it did not exist.
    staff = _staff(client, handler)
    hidden = staff.post(
        _merge_url(into),
        {"other": elsewhere.tracking_code, "direction": "from_other", "reason": "Same."},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "No case with this tracking code is visible to you." in hidden.content.decode()
    assert staff.post(_merge_url(elsewhere), {}).status_code == 404
    assert staff.get(_merge_url(into)).status_code == 405
    assert (snapshot(into), snapshot(closed), snapshot(elsewhere)) == before


def test_it_needs_the_csrf_token_to_merge(make_complaint, manager):
    from django.test import Client

    into = make_complaint(state=S.ASSIGNED)
    duplicate = make_complaint(state=S.ACKNOWLEDGED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(
        _merge_url(into),
        {"other": duplicate.tracking_code, "direction": "from_other", "reason": "Same."},
    )
    assert response.status_code == 403
    assert Complaint.objects.get(pk=duplicate.pk).state == S.ACKNOWLEDGED


def test_it_follows_a_case_merged_twice_to_where_it_continues(make_complaint, manager):
    first = make_complaint(state=S.ACKNOWLEDGED)
    second = make_complaint(state=S.ACKNOWLEDGED)
    last = make_complaint(state=S.ASSIGNED)
    said_before = list(Message.objects.filter(complaint=first).values_list("body", flat=True))
    merging.complaint_merge(duplicate=first, into=second, actor=manager)
    merging.complaint_merge(duplicate=second, into=last, actor=manager)
    assert merged_into(Complaint.objects.get(pk=first.pk)) == last
    # Everything said on the first case reached the last one, through the second.
    last_bodies = "\n".join(Message.objects.filter(complaint=last).values_list("body", flat=True))
    assert said_before and all(body in last_bodies for body in said_before)

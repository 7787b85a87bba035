"""The public portal: filing, the suggestion box, tracking, replying, accepting, disputing,
the published pages, and the abuse defences."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from resuelve.complaints import tracking
from resuelve.complaints.lifecycle import Action, Kind, State
from resuelve.complaints.models import Attachment, Channel, Complaint, ComplaintEvent, Message
from resuelve.customers.models import Customer
from resuelve.intake.models import PageSlug, PublishedPage
from resuelve.testing.fixtures import chain_problems

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _form(**overrides):
    data = {
        "kind": Kind.CLAIM,
        "subject": "Brakes squeak",
        "description": "Since the service on Monday the brakes squeak.",
        "remedy_requested": "Check them again for free.",
        "name": "Mari Maasikas",
        "email": "Mari@Example.ee",
        "phone": "",
        "language": "et",
        "contact_hours": "weekdays 9-12",
        "consent": "on",
        "token": "tok-" + overrides.pop("token_suffix", "1"),
        "website": "",
    }
    data.update(overrides)
    return data


def _private_path(case: Complaint) -> str:
    return f"/track/{case.tracking_code}/{tracking.access_key(case.tracking_code)}/"


def test_it_registers_a_web_complaint_and_shows_the_tracking_code_at_once(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/complain/", {**_form(), "attachments": [upload]}, follow=True)
    assert response.status_code == 200
    case = Complaint.objects.get()
    # Durable, acknowledged, with the customer recorded, before the code is shown.
    assert case.channel == Channel.WEB and case.kind == Kind.CLAIM
    assert case.state == State.ACKNOWLEDGED and case.language == "et"
    assert case.contact_email == "mari@example.ee"
    assert case.remedy_requested == "Check them again for free."
    assert case.customer.name == "Mari Maasikas" and case.customer.contact_hours == "weekdays 9-12"
    assert response.redirect_chain[-1][0] == _private_path(case)
    html = response.content.decode()
    assert case.tracking_code in html
    with translation.override("et"):
        assert (
            gettext("Thank you. Your message is registered under the tracking number %(code)s.")
            % {"code": case.tracking_code}
            in html
        )
    assert Attachment.objects.get(complaint=case).original_name == "photo.png"
    assert chain_problems(case) == []
    # The acknowledgement e-mail carries the private link.
    (mail,) = mailoutbox
    assert mail.to == ["mari@example.ee"]
    assert _private_path(case) in mail.body


def test_it_registers_a_double_submit_once(client, db):
    first = client.post("/complain/", _form(token_suffix="same"))
    second = client.post("/complain/", _form(token_suffix="same"))
    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_it_refuses_an_incomplete_form_with_translated_errors_and_saves_nothing(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = client.post("/complain/", _form(subject="", email="", consent=""))
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override("es"):
        assert gettext("Give an e-mail address or a phone number so we can answer.") in html
        assert gettext("Please correct the fields marked below.") in html
    assert Complaint.objects.count() == 0 and Customer.objects.count() == 0


def test_it_refuses_a_disguised_program_and_keeps_nothing(client, db):
    fake = SimpleUploadedFile(
        "invoice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post("/complain/", {**_form(), "attachments": [fake]})
    assert response.status_code == 400
    assert "invoice.pdf" in response.content.decode()
    assert Complaint.objects.count() == 0 and Customer.objects.count() == 0


def test_it_matches_a_returning_customer_by_e_mail(client, customer):
    client.post("/complain/", _form(email="CARLA@example.com", name="Carla"))
    case = Complaint.objects.get()
    assert case.customer == customer
    assert Customer.objects.count() == 1


def test_it_pretends_to_accept_what_a_bot_fills_in_but_registers_nothing(client, db):
    response = client.post("/complain/", _form(website="http://spam.example"))
    assert response.status_code == 200
    assert Complaint.objects.count() == 0


def test_it_limits_filings_per_address(client, db, settings):
    settings.RESUELVE_FILINGS_PER_HOUR = 2
    codes = [client.post("/complain/", _form(token_suffix=str(i))).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert Complaint.objects.count() == 2


def test_it_takes_an_anonymous_suggestion_without_contact_data(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/suggest/",
            {
                "kind": Kind.SUGGESTION,
                "text": "Open the workshop on Saturdays.\nIt would help.",
                "token": "s1",
            },
        )
    assert response.status_code == 200
    case = Complaint.objects.get()
    assert case.channel == Channel.SUGGESTION_BOX and case.kind == Kind.SUGGESTION
    assert case.customer is None and case.contact_email == "" and case.contact_phone == ""
    assert case.subject == "Open the workshop on Saturdays."
    assert mailoutbox == []
    assert tracking.access_key(case.tracking_code) not in response.content.decode()


def test_it_opens_a_case_by_code_and_e_mail_whatever_the_typing(client, make_complaint):
    case = make_complaint(state=State.ACKNOWLEDGED)
    typed = case.tracking_code.lower().replace("-", "")
    response = client.post("/track/", {"code": typed, "email": "ANA@example.com"})
    assert response.status_code == 302
    assert response["Location"] == _private_path(case)


@pytest.mark.parametrize("what", ["wrong e-mail", "unknown code", "not a code"])
def test_it_answers_every_miss_the_same_way(client, make_complaint, what):
    case = make_complaint(state=State.ACKNOWLEDGED)
    code, email = case.tracking_code, "ana@example.com"
    if what == "wrong e-mail":
        email = "someone@example.com"
    elif what == "unknown code":
        code = tracking.generate()
    else:
        code = "RS-12345"
    response = client.post("/track/", {"code": code, "email": email})
    assert response.status_code == 404
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = body.replace(code, "CODE").replace(email, "EMAIL")
    reference = client.post("/track/", {"code": "RS-00000-00000", "email": "x@example.com"})
    ref_body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", reference.content.decode())
    ref_body = ref_body.replace("RS-00000-00000", "CODE").replace("x@example.com", "EMAIL")
    assert body == ref_body


def test_it_limits_lookups_so_codes_cannot_be_probed(client, db, settings):
    settings.RESUELVE_LOOKUPS_PER_15_MIN = 3
    statuses = [
        client.post("/track/", {"code": tracking.generate(), "email": "x@example.com"}).status_code
        for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_it_refuses_a_private_link_with_a_wrong_key(client, make_complaint):
    case = make_complaint(state=State.ACKNOWLEDGED)
    assert client.get(_private_path(case)).status_code == 200
    assert client.get(f"/track/{case.tracking_code}/{'0' * 32}/").status_code == 404
    assert (
        client.get(
            f"/track/{case.tracking_code}/{tracking.access_key(tracking.generate())}/"
        ).status_code
        == 404
    )


def test_it_shows_the_customer_their_messages_but_never_internal_notes(
    client, make_complaint, handler
):
    from resuelve.complaints import services

    case = make_complaint(state=State.INVESTIGATING)
    services.complaint_add_message(
        complaint=case, actor=handler, body="Supplier batch 42 is bad.", to_customer=False
    )
    services.complaint_add_message(
        complaint=case, actor=handler, body="We are checking the pads.", to_customer=True
    )
    html = client.get(_private_path(case)).content.decode()
    assert "We are checking the pads." in html
    assert "Supplier batch 42" not in html
    assert case.description in html
    assert "Being studied" in html or gettext("Being studied") in html


def test_the_customer_replies_with_a_file_and_a_waiting_case_resumes(
    client, make_complaint, manager
):
    from resuelve.complaints import services

    case = make_complaint(state=State.INVESTIGATING)
    services.complaint_wait_for_customer(
        complaint=case, actor=manager, question="Send the invoice?"
    )
    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        _private_path(case) + "reply/", {"body": "Here it is.", "attachments": [upload]}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.INVESTIGATING
    message = Message.objects.filter(complaint=case, from_customer=True).latest("id")
    assert message.body == "Here it is."
    assert [a.original_name for a in message.attachments.all()] == ["invoice.pdf"]
    assert chain_problems(case) == []


def test_the_customer_accepts_the_solution_and_the_signature_is_recorded(client, make_complaint):
    case = make_complaint(state=State.COMMUNICATED)
    html = client.get(_private_path(case)).content.decode()
    assert "Accept the solution" in html or gettext("Accept the solution") in html
    response = client.post(
        _private_path(case) + "accept/",
        {"name": "Ana Pérez", "confirm": "on"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    assert (case.accepted_by_name, case.accepted_ip) == ("Ana Pérez", "203.0.113.7")
    assert case.accepted_at is not None
    event = ComplaintEvent.objects.get(complaint=case, action=Action.ACCEPT)
    assert event.actor is None and event.actor_label == "customer"


def test_the_customer_must_confirm_to_accept(client, make_complaint):
    case = make_complaint(state=State.COMMUNICATED)
    response = client.post(_private_path(case) + "accept/", {"name": "Ana Pérez"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == State.COMMUNICATED


def test_the_customer_disputes_the_solution_with_a_reason(client, make_complaint):
    case = make_complaint(state=State.COMMUNICATED)
    client.post(_private_path(case) + "dispute/", {"reason": "The amount does not cover the tow."})
    case.refresh_from_db()
    assert case.state == State.DISPUTED and case.dispute_rounds == 1
    assert Message.objects.filter(
        complaint=case, body="The amount does not cover the tow."
    ).exists()


def test_an_old_page_cannot_accept_a_solution_twice(client, make_complaint):
    case = make_complaint(state=State.ACCEPTED)
    response = client.post(
        _private_path(case) + "accept/", {"name": "Ana", "confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.dispute_rounds == 0


def test_portal_posts_need_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/complain/", _form()).status_code == 403
    assert Complaint.objects.count() == 0


def test_published_pages_show_the_administrators_text_sanitized_in_the_reader_language(db):
    PublishedPage.objects.create(
        slug=PageSlug.STANDARDS,
        language="et",
        title="Teenusestandardid",
        body="<h2>Lubadus</h2><p>Vastame 15 päeva jooksul.</p><script>alert(1)</script><a href='https://x.example' onclick='evil()'>x</a>",
    )
    html = Client(HTTP_ACCEPT_LANGUAGE="et").get("/pages/service-standards/").content.decode()
    assert "Teenusestandardid" in html and "Vastame 15 päeva jooksul." in html
    assert "<script>alert" not in html and "onclick" not in html
    # Without a page in their language, a reader gets the built-in text with the real deadlines.
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/pages/how-to-complain/").content.decode()
    assert "within 15 days" in html


@pytest.mark.parametrize("language", ["es", "en", "zh-hans", "et"])
@pytest.mark.parametrize("path", ["/", "/complain/", "/suggest/", "/track/", "/pages/privacy/"])
def test_every_portal_page_renders_in_every_language(db, language, path):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_files_download_only_through_a_case_their_reader_may_see(
    client, make_complaint, handler, outsider
):
    from resuelve.complaints import services

    case = make_complaint(state=State.INVESTIGATING)
    shared = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    secret = SimpleUploadedFile("notes.txt", b"internal only", content_type="text/plain")
    services.complaint_add_message(
        complaint=case, actor=handler, body="See photo", to_customer=True, attachments=[shared]
    )
    services.complaint_add_message(
        complaint=case, actor=handler, body="Notes", to_customer=False, attachments=[secret]
    )
    photo = Attachment.objects.get(original_name="photo.png")
    notes = Attachment.objects.get(original_name="notes.txt")

    response = client.get(_private_path(case) + f"files/{photo.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The customer never gets an internal note's file, nor a file through another case's link.
    assert client.get(_private_path(case) + f"files/{notes.pk}/").status_code == 404
    other = make_complaint(state=State.ACKNOWLEDGED)
    assert client.get(_private_path(other) + f"files/{photo.pk}/").status_code == 404

    client.force_login(handler)
    staff_url = f"/staff/c/{case.tracking_code}/files/{notes.pk}/"
    assert client.get(staff_url).status_code == 200
    assert f'href="{staff_url}"' in client.get(f"/staff/c/{case.tracking_code}/").content.decode()
    client.force_login(outsider)
    assert client.get(staff_url).status_code == 404

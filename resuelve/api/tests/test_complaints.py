from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from resuelve.accounts.models import User
from resuelve.complaints.audit import EVENT_COLUMNS, verify_chain
from resuelve.complaints.lifecycle import State
from resuelve.complaints.models import Complaint, ComplaintEvent, Visibility
from resuelve.customers.models import Customer
from resuelve.intake.models import IntakeKey
from resuelve.notifications.models import Outbox
from resuelve.testing.fixtures import MakeComplaint

pytestmark = pytest.mark.django_db


class TestFiling:
    def test_it_files_acknowledges_and_answers_201(
        self, api_as: Any, agent: User, filing: dict[str, Any]
    ) -> None:
        response = api_as(agent).post("/complaints", filing)
        assert response.status_code == 201, response.content
        body = response.json()
        case = Complaint.objects.get(tracking_code=body["tracking_code"])
        assert body["status"] == case.state == State.ACKNOWLEDGED
        assert response["Location"] == f"/api/v1/complaints/{case.tracking_code}"
        assert case.channel == "api" and case.kind == "claim" and case.language == "en"
        assert str(case.amount_claimed) == "120000.00"
        assert case.occurred_on.isoformat() == "2025-02-28"
        assert case.remedy_requested == "Fix them"
        assert case.customer is not None and case.customer.email == "ana@example.com"
        events = list(ComplaintEvent.objects.filter(complaint=case).order_by("seq"))
        assert [e.action for e in events] == ["register", "acknowledge"]
        assert events[0].actor == agent
        rows = ComplaintEvent.objects.filter(complaint=case).order_by("seq").values(*EVENT_COLUMNS)
        assert (
            verify_chain(
                tracking_code=case.tracking_code,
                head=case.audit_head,
                count=case.event_count,
                events=rows,
            )
            == []
        )
        mailed = Outbox.objects.get(transport="email")
        assert case.tracking_code in mailed.subject and mailed.recipient == "ana@example.com"

    def test_it_matches_a_known_customer(
        self, api_as: Any, agent: User, filing: dict[str, Any], customer: Customer
    ) -> None:
        filing["customer"] = {"email": "CARLA@example.com"}
        filing["order_ref"] = "PO-1001"
        filing.pop("language")
        response = api_as(agent).post("/complaints", filing)
        assert response.status_code == 201, response.content
        case = Complaint.objects.get(tracking_code=response.json()["tracking_code"])
        assert case.customer == customer
        assert case.purchase is not None and case.purchase.order_number == "PO-1001"
        assert case.language == "en"  # the customer's

    def test_a_retry_with_the_same_key_returns_the_same_complaint(
        self, api_as: Any, agent: User, filing: dict[str, Any]
    ) -> None:
        api = api_as(agent)
        first = api.post("/complaints", filing, HTTP_IDEMPOTENCY_KEY="order-77")
        again = api.post("/complaints", filing, HTTP_IDEMPOTENCY_KEY="order-77")
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json() == again.json()
        assert again["Idempotent-Replayed"] == "true"
        assert Complaint.objects.count() == 1
        assert IntakeKey.objects.get().source == f"api:{agent.pk}"

    def test_the_same_key_with_another_body_is_refused(
        self, api_as: Any, agent: User, filing: dict[str, Any]
    ) -> None:
        api = api_as(agent)
        api.post("/complaints", filing, HTTP_IDEMPOTENCY_KEY="k")
        response = api.post("/complaints", {**filing, "subject": "Other"}, HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["errors"]
        assert Complaint.objects.count() == 1

    def test_keys_are_per_user(
        self, api_as: Any, agent: User, supervisor: User, filing: dict[str, Any]
    ) -> None:
        api_as(agent).post("/complaints", filing, HTTP_IDEMPOTENCY_KEY="k")
        response = api_as(supervisor).post("/complaints", filing, HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 201
        assert Complaint.objects.count() == 2

    def test_it_refuses_unknown_fields_and_bad_values_field_by_field(
        self, api_as: Any, agent: User, filing: dict[str, Any]
    ) -> None:
        filing.update(
            {"colour": "red", "kind": "rant", "amount_claimed": "-1", "subject": "a\x00b"}
        )
        filing["customer"]["email"] = "not-an-address"
        response = api_as(agent).post("/complaints", filing, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors["colour"] == ["Unknown field."]
        assert set(errors) == {"colour", "kind", "amount_claimed", "subject", "customer.email"}
        assert Complaint.objects.count() == 0

    def test_service_refusals_have_the_same_shape(
        self, api_as: Any, agent: User, filing: dict[str, Any]
    ) -> None:
        filing["customer"] = {"name": "Nobody"}
        filing["product_ref"] = "NO-SUCH-SKU"
        response = api_as(agent).post("/complaints", filing, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"product_ref"}
        filing.pop("product_ref")
        response = api_as(agent).post("/complaints", filing, HTTP_ACCEPT_LANGUAGE="en")
        assert response.json()["errors"]["customer.email"] == [
            "Give an e-mail address or a phone number so we can answer."
        ]

    def test_a_future_date_is_refused(
        self, api_as: Any, agent: User, filing: dict[str, Any]
    ) -> None:
        filing["occurred_at"] = "2999-01-01T10:00:00Z"
        response = api_as(agent).post("/complaints", filing)
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"occurred_at"}

    def test_read_only_roles_may_not_file(
        self, api_as: Any, auditor: User, filing: dict[str, Any]
    ) -> None:
        response = api_as(auditor).post("/complaints", filing)
        assert response.status_code == 403
        assert Complaint.objects.count() == 0

    def test_malformed_json_is_a_400(self, api_as: Any, agent: User) -> None:
        api = api_as(agent)
        response = api.client.post(
            "/api/v1/complaints", "{nope", content_type="application/json", **api.headers
        )
        assert response.status_code == 400
        assert response.json()["detail"]


class TestReading:
    def test_the_queue_is_scoped_like_the_pages(
        self, api_as: Any, scoped_cases: dict[str, Complaint], personas: dict[str, User]
    ) -> None:
        def codes(user: User) -> set[str]:
            response = api_as(user).get("/complaints", {"limit": 100})
            assert response.status_code == 200
            return {item["tracking_code"] for item in response.json()["items"]}

        c = {name: case.tracking_code for name, case in scoped_cases.items()}
        assert codes(personas["outsider"]) == {c["workshop"], c["secret_workshop"]}
        assert codes(personas["handler"]) == {c["quality"], c["secret_mine"]}
        assert c["secret_nobodys"] not in codes(personas["auditor"])
        assert len(codes(personas["manager"])) == len(scoped_cases)

    def test_it_pages_with_an_opaque_cursor(
        self, api_as: Any, manager: User, make_complaint: MakeComplaint, clock: Any
    ) -> None:
        made = []
        for i in range(5):
            clock.advance(minutes=1)
            made.append(make_complaint(subject=f"case {i}").tracking_code)
        api = api_as(manager)
        seen: list[str] = []
        cursor = ""
        while True:
            page = api.get("/complaints", {"limit": 2, **({"cursor": cursor} if cursor else {})})
            assert page.status_code == 200
            seen += [item["tracking_code"] for item in page.json()["items"]]
            cursor = page.json()["next"]
            if not cursor:
                break
        assert seen == list(reversed(made))
        assert api.get("/complaints", {"cursor": "!!"}).status_code == 422

    def test_it_lists_the_least_time_left_first(
        self, api_as: Any, manager: User, make_complaint: MakeComplaint, clock: Any
    ) -> None:
        made = []
        for hours in (5, 1, 9, 3):
            made.append(make_complaint(received_at=clock.current - timedelta(hours=hours)))
        page = api_as(manager).get("/complaints", {"by_deadline": "true"})
        assert page.status_code == 200
        codes = [item["tracking_code"] for item in page.json()["items"]]
        assert codes == [c.tracking_code for c in sorted(made, key=lambda c: c.due_at)]

    def test_it_filters(
        self, api_as: Any, manager: User, scoped_cases: dict[str, Complaint], handler: User
    ) -> None:
        api = api_as(manager)

        def codes(**params: Any) -> set[str]:
            response = api.get("/complaints", {"limit": 100, **params})
            assert response.status_code == 200, response.content
            return {item["tracking_code"] for item in response.json()["items"]}

        c = {name: case.tracking_code for name, case in scoped_cases.items()}
        assert codes(state="acknowledged") == {c["unrouted"]}
        assert codes(department="workshop") == {c["workshop"], c["secret_workshop"]}
        assert codes(assignee="handler") == {c["quality"], c["secret_mine"]}
        assert codes(assignee="none") == {
            c["unrouted"],
            c["unrouted_assessed"],
            c["secret_nobodys"],
        }
        assert codes(q=c["desk"]) == {c["desk"]}
        assert codes(channel="web") == set()
        assert len(codes(channel="email", open="true")) == len(scoped_cases)
        assert codes(open="false") == set()
        assert codes(received_after="2999-01-01T00:00:00Z") == set()
        assert len(codes(received_before="2999-01-01T00:00:00Z")) == len(scoped_cases)
        assert api.get("/complaints", {"department": "nope"}).status_code == 422
        assert api.get("/complaints", {"state": "nope"}).status_code == 422
        assert api.get("/complaints", {"limit": 1000}).status_code == 422
        typo = api.get("/complaints", {"stat": "open"})
        assert typo.status_code == 422 and typo.json()["errors"] == {"stat": ["Unknown field."]}

    def test_a_case_has_its_timeline_and_messages(
        self, api_as: Any, handler: User, make_complaint: MakeComplaint
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        api = api_as(handler)
        api.post(f"/complaints/{case.tracking_code}/messages", {"body": "Called the workshop."})
        response = api.get(f"/complaints/{case.tracking_code.lower().replace('-', '')}")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == State.INVESTIGATING
        assert [e["seq"] for e in body["events"]] == list(range(1, case.event_count + 2))
        visibilities = {m["visibility"] for m in body["messages"]}
        assert visibilities == {Visibility.CUSTOMER, Visibility.INTERNAL}
        assert "propose" in body["allowed_actions"]

    def test_outsiders_get_404(
        self, api_as: Any, outsider: User, make_complaint: MakeComplaint
    ) -> None:
        case = make_complaint(state=State.ASSIGNED)
        api = api_as(outsider)
        assert api.get(f"/complaints/{case.tracking_code}").status_code == 404
        assert api.get("/complaints/RS-00000-00000").status_code == 404
        response = api.post(f"/complaints/{case.tracking_code}/actions/investigate")
        assert response.status_code == 404


class TestMessages:
    def test_a_reply_goes_to_the_customer_and_a_note_stays_inside(
        self, api_as: Any, handler: User, make_complaint: MakeComplaint
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        api = api_as(handler)
        reply = api.post(
            f"/complaints/{case.tracking_code}/messages",
            {"body": "We are on it.", "visibility": "customer"},
        )
        note = api.post(f"/complaints/{case.tracking_code}/messages", {"body": "Internal."})
        assert (reply.status_code, note.status_code) == (201, 201)
        assert reply.json()["visibility"] == "customer" and reply.json()["author"] == "handler"
        assert note.json()["visibility"] == "internal"
        mailed = Outbox.objects.filter(transport="email").values_list("message_id", flat=True)
        assert reply.json()["id"] in mailed and note.json()["id"] not in mailed

    def test_read_only_roles_get_403(
        self, api_as: Any, auditor: User, make_complaint: MakeComplaint
    ) -> None:
        case = make_complaint(state=State.INVESTIGATING)
        response = api_as(auditor).post(f"/complaints/{case.tracking_code}/messages", {"body": "x"})
        assert response.status_code == 403
        response = api_as(auditor).post(
            f"/complaints/{case.tracking_code}/actions/propose", {"solution": "x", "value": 1}
        )
        assert response.status_code == 403

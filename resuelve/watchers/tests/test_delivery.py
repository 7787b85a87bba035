from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import NotAllowed, State
from resuelve.complaints.models import Category
from resuelve.customers.models import Product, Supplier
from resuelve.watchers import services
from resuelve.watchers.jobs import watchers_digest, watchers_scan
from resuelve.watchers.models import ScanMark, Watch, WatchDelivery

pytestmark = pytest.mark.django_db


def test_it_emails_an_instant_watch_once_when_a_case_is_filed_under_its_category(
    make_complaint, watch_for, sent_mail, supervisor: User, category: Category
) -> None:
    watch_for(supervisor, category=category)
    received = make_complaint()  # no category yet: nothing to hear
    watchers_scan()
    assert sent_mail() == []

    case = make_complaint(state=State.ASSESSED)  # filed under the category
    assert watchers_scan() == 1
    assert watchers_scan() == 0  # the next minute: nothing twice

    sent = sent_mail()
    assert len(sent) == 1
    assert sent[0].to == [supervisor.email]
    assert case.tracking_code in sent[0].subject
    assert case.subject not in sent[0].subject  # the subject line names the code only
    assert f"/staff/c/{case.tracking_code}/" in sent[0].body
    assert received.tracking_code not in sent[0].body
    assert WatchDelivery.objects.filter(complaint=case, sent_at__isnull=False).count() == 1


def test_a_second_worker_reading_the_same_events_sends_nothing_more(
    make_complaint, watch_for, sent_mail, supervisor: User, category: Category
) -> None:
    watch_for(supervisor, category=category)
    make_complaint(state=State.ASSESSED)
    assert watchers_scan() == 1
    # A second worker that read the log from the same mark at the same time: its claims
    # hit the unique rows of the first one.
    ScanMark.objects.filter(name="events").update(last_id=0)
    assert watchers_scan() == 0
    assert len(sent_mail()) == 1


def test_the_claim_is_unique_per_watch_case_and_event(
    make_complaint, watch_for, supervisor: User, category: Category, clock
) -> None:
    watch = watch_for(supervisor, category=category)
    case = make_complaint(state=State.ASSESSED)
    first = services.delivery_claim(watch=watch, complaint=case, event="new", now=clock())
    assert first is not None
    assert services.delivery_claim(watch=watch, complaint=case, event="new", now=clock()) is None
    with pytest.raises(IntegrityError):
        WatchDelivery.objects.create(watch=watch, complaint=case, event="new", at=clock())


def test_it_tells_a_resolved_watch_when_the_case_is_resolved(
    make_complaint, watch_for, sent_mail, supervisor: User, category: Category
) -> None:
    supervisor.language = "en"  # the notice comes in the watcher's language
    supervisor.save(update_fields=["language"])
    watch_for(supervisor, category=category, on_new=False, on_resolved=True)
    case = make_complaint(state=State.ACCEPTED)
    assert watchers_scan() == 0  # only resolutions are wanted
    from resuelve.complaints.services import complaint_resolve

    complaint_resolve(complaint=case, actor=supervisor, summary="Pads replaced.")
    assert watchers_scan() == 1
    [sent] = sent_mail()
    with_code = case.tracking_code in sent.subject
    assert with_code and "resolved" in sent.subject


def test_a_department_watch_reaches_each_member_who_may_see_the_case(
    make_complaint, watch_for, sent_mail, supervisor: User, handler: User, quality: Department
) -> None:
    acme = Supplier.objects.create(name="Acme")
    pads = Product.objects.create(sku="PAD-1", name="Pads", supplier=acme)
    watch_for(supervisor, department=quality, supplier=acme)
    case = make_complaint(state=State.ASSESSED, product=pads)

    assert watchers_scan() == 2
    assert sorted(m.to[0] for m in sent_mail()) == sorted([handler.email, supervisor.email])
    assert WatchDelivery.objects.filter(complaint=case).count() == 1


def test_a_confidential_case_reaches_only_watchers_who_may_see_it(
    make_complaint,
    watch_for,
    sent_mail,
    supervisor: User,
    outsider: User,
    auditor: User,
    category: Category,
) -> None:
    watch_for(supervisor, category=category)
    watch_for(outsider, category=category)  # another department's handler
    watch_for(auditor, category=category)  # sees every department, not confidential cases
    case = make_complaint(state=State.ASSESSED, confidential=True)

    watchers_scan()

    sent = sent_mail()
    assert [m.to[0] for m in sent] == [supervisor.email]
    assert case.subject not in sent[0].subject


def test_a_watch_created_later_does_not_hear_about_older_cases(
    make_complaint, watch_for, sent_mail, supervisor: User, category: Category, clock
) -> None:
    old = make_complaint(state=State.ASSESSED)
    clock.advance(minutes=5)
    watch_for(supervisor, category=category)
    from resuelve.complaints.services import complaint_assign

    complaint_assign(complaint=old, actor=supervisor, department=old.department, assignee=None)
    ScanMark.objects.filter(name="events").update(last_id=0)
    assert watchers_scan() == 0
    assert sent_mail() == []


def test_the_daily_digest_sends_each_watcher_one_email_in_their_language(
    make_complaint, watch_for, sent_mail, supervisor: User, handler: User, category: Category, clock
) -> None:
    supervisor.language = "en"
    supervisor.save(update_fields=["language"])
    handler.language = "es"
    handler.save(update_fields=["language"])
    watch_for(supervisor, category=category, mode="digest", on_resolved=True)
    watch_for(handler, category=category, mode="digest")
    first = make_complaint(state=State.ASSESSED)
    second = make_complaint(state=State.ASSESSED, subject="Rattle in the door")

    assert watchers_scan() == 0  # digests wait for the morning
    assert sent_mail() == []
    clock.advance(hours=18)
    assert watchers_digest() == 2
    assert watchers_digest() == 0  # the same day again: nothing twice

    sent = {m.to[0]: m for m in sent_mail()}
    assert set(sent) == {supervisor.email, handler.email}
    english, spanish = sent[supervisor.email], sent[handler.email]
    assert english.subject == "Your watches: 2 complaints today"
    assert english.extra_headers["Content-Language"] == "en"
    assert spanish.extra_headers["Content-Language"] == "es"
    # Rendered in each one's language (the greeting is already translated; the lead
    # translates the new strings).
    assert english.body.startswith("Hello Sara,")
    assert spanish.body.startswith("Hola, Hugo:")
    for message in (english, spanish):
        assert first.tracking_code in message.body and second.tracking_code in message.body
        assert "Rattle in the door" in message.body
    assert not WatchDelivery.objects.filter(sent_at__isnull=True).exists()

    third = make_complaint(state=State.ASSESSED)
    watchers_scan()
    clock.advance(days=1)
    assert watchers_digest() == 2  # the next day: only what is new
    later = [m for m in sent_mail() if m.to[0] == supervisor.email][-1]
    assert third.tracking_code in later.body and first.tracking_code not in later.body
    assert len(mail.outbox) >= 4


def test_a_watch_needs_a_filter_and_an_owner_who_may_set_it(
    watch_for, handler: User, supervisor: User, quality: Department, workshop: Department, category
) -> None:
    with pytest.raises(ValidationError):
        watch_for(handler)
    with pytest.raises(ValidationError):
        watch_for(handler, category=category, on_new=False, on_resolved=False)
    with pytest.raises(NotAllowed):
        watch_for(handler, department=quality, category=category)  # not a supervisor
    with pytest.raises(NotAllowed):
        watch_for(supervisor, department=workshop, category=category)  # not theirs
    watch = watch_for(supervisor, department=quality, category=category)
    assert watch.department == quality and watch.user is None
    with pytest.raises(NotAllowed):
        services.watch_delete(actor=handler, watch=watch)
    services.watch_delete(actor=supervisor, watch=watch)
    assert not Watch.objects.exists()


def test_the_database_refuses_a_watch_without_filters_or_with_two_owners(
    supervisor: User, quality: Department, clock
) -> None:
    from django.db import transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Watch.objects.create(user=supervisor, created_at=clock())
    with pytest.raises(IntegrityError), transaction.atomic():
        Watch.objects.create(user=supervisor, department=quality, tier="gold", created_at=clock())
    with pytest.raises(IntegrityError), transaction.atomic():
        Watch.objects.create(tier="gold", created_at=clock())
    assert Watch.objects.create(department=quality, tier="gold", created_at=clock()).pk


def test_a_manager_may_set_any_departments_watch(
    watch_for, manager: User, workshop: Department, category
) -> None:
    assert manager.role == Role.MANAGER
    watch = watch_for(manager, department=workshop, category=category)
    assert watch.created_by == manager and watch.department == workshop

from __future__ import annotations

import pytest
from django.utils import timezone

from resuelve.accounts.models import Department, User
from resuelve.accounts.roles import Role
from resuelve.conduct.services import seed_conduct_rules
from resuelve.social.demo import ensure_demo_social
from resuelve.social.models import ReplyStatus, SocialThread

pytestmark = pytest.mark.django_db


def test_the_demo_public_posts_are_made_once() -> None:
    seed_conduct_rules()
    desk = Department.objects.create(code="atencion", name="Atención")
    for username, role in (("ana", Role.AGENT), ("kadri", Role.AGENT), ("sofia", Role.SUPERVISOR)):
        user = User.objects.create_user(username=username, email=f"{username}@x.test", role=role)
        user.departments.set([desk])
    now = timezone.now()
    assert ensure_demo_social(now) == 2
    assert ensure_demo_social(now) == 0
    waiting, answered = SocialThread.objects.order_by("external_id")
    assert waiting.public and waiting.replies.get().status == ReplyStatus.PENDING
    assert waiting.complaint.language == "es" and waiting.complaint.assignee.username == "ana"
    assert not answered.public and answered.first_answered_at is not None
    assert answered.complaint.language == "et"
    assert answered.replies.get().status == ReplyStatus.POSTED

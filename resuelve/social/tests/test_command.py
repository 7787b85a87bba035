from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from resuelve.social.models import SocialSource

pytestmark = pytest.mark.django_db


def test_social_source_add_prints_the_secret_once_and_rotate_replaces_it() -> None:
    out = StringIO()
    call_command(
        "social_source",
        "add",
        "x-listening",
        "--name",
        "X listening",
        "--reply-url",
        "https://listening.example/replies",
        stdout=out,
    )
    source = SocialSource.objects.get(code="x-listening")
    assert "/social/hook/x-listening/" in out.getvalue() and source.secret in out.getvalue()
    assert source.reply_endpoint.url == "https://listening.example/replies"
    assert source.reply_endpoint.secret == source.secret
    assert source.reply_endpoint.events == []  # it hears no case events
    assert source.deadline_policy.code == "social-public"

    rotated = StringIO()
    call_command("social_source", "rotate", "x-listening", stdout=rotated)
    source.refresh_from_db()
    assert rotated.getvalue().strip() == source.secret and source.secret not in out.getvalue()
    assert source.reply_endpoint.secret == source.secret

    with pytest.raises(CommandError, match="exists"):
        call_command("social_source", "add", "x-listening", "--name", "again")
    with translation.override("en"), pytest.raises(CommandError, match="lower-case"):
        call_command("social_source", "add", "X Listening!", "--name", "bad")
    listed = StringIO()
    call_command("social_source", "list", stdout=listed)
    assert "x-listening" in listed.getvalue() and "listening.example" in listed.getvalue()

"""`resuelve social-source add CODE --name NAME [--platform P] [--reply-url URL] [--hours N]`:
register a social-listening tool or platform webhook and print its signing secret (shown
once) and the address it posts to. `list` shows the sources; `rotate CODE` gives a source a
new secret (the old one stops working at once)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from resuelve.notifications.models import WebhookEndpoint
from resuelve.social.models import SocialSource
from resuelve.social.services import social_source_create


class Command(BaseCommand):
    help = "Register, list or re-key the sources of the social channel."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["add", "list", "rotate"])
        parser.add_argument("code", nargs="?", help="short name used in the webhook address")
        parser.add_argument("--name", default="")
        parser.add_argument("--platform", default="")
        parser.add_argument("--reply-url", default="", help="where approved replies are POSTed")
        parser.add_argument("--hours", type=int, default=2, help="first public answer within")

    def handle(self, *args: Any, **options: Any) -> None:
        action, code = options["action"], options["code"]
        if action == "list":
            for source in SocialSource.objects.all():
                state = "active" if source.active else "inactive"
                replies = source.reply_endpoint.url if source.reply_endpoint else "posted by hand"
                self.stdout.write(
                    f"{source.code:<20} {state:<8} {source.first_answer_hours} h  "
                    f"{source.name}  replies: {replies}"
                )
            return
        if not code:
            raise CommandError("Give the source's code, e.g. `social-source add x-listening`.")
        if action == "rotate":
            source = SocialSource.objects.filter(code=code).first()
            if source is None:
                raise CommandError(f"No source {code!r}; `social-source list` shows them.")
            secret = secrets.token_urlsafe(32)
            with transaction.atomic():
                SocialSource.objects.filter(pk=source.pk).update(secret=secret)
                if source.reply_endpoint_id:
                    WebhookEndpoint.objects.filter(pk=source.reply_endpoint_id).update(
                        secret=secret
                    )
            self.stdout.write(secret)
            return
        if SocialSource.objects.filter(code=code).exists():
            raise CommandError(f"A source {code!r} exists; `rotate` gives it a new secret.")
        if not options["name"]:
            raise CommandError(
                "Give the source a --name people recognise, e.g. --name 'X (Twitter)'."
            )
        if options["hours"] < 1:
            raise CommandError("--hours must be at least 1.")
        try:
            source = social_source_create(
                code=code,
                name=options["name"],
                platform=options["platform"],
                reply_url=options["reply_url"],
                first_answer_hours=options["hours"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Webhook address: /social/hook/{source.code}/")
        self.stdout.write(f"Signing secret (shown once): {source.secret}")

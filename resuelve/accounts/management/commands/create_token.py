"""`resuelve create-token USERNAME [--name NAME]`: print a new API token for a user (shown
once). `--list` shows the user's tokens; `--revoke PREFIX` revokes one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from resuelve.accounts.models import User
from resuelve.accounts.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = "Create (or list, or revoke) REST API tokens for a staff user."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument("--list", action="store_true", help="list the user's tokens")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {options['username']!r}.") from exc
        if options["list"]:
            for token in user.api_tokens.all():
                state = "revoked" if token.revoked else "active"
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.prefix}  {state:<7}  created {token.created_at:%Y-%m-%d}  "
                    f"last used {used}  {token.name}"
                )
            return
        if options["revoke"]:
            matches = list(user.api_tokens.filter(prefix__startswith=options["revoke"]))
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} tokens match {options['revoke']!r}.")
            if token_revoke(token=matches[0]):
                self.stdout.write(f"Revoked {matches[0].prefix}.")
            else:
                self.stdout.write(f"{matches[0].prefix} was already revoked.")
            return
        if not user.is_active:
            raise CommandError(f"{user.username} is inactive; their tokens would not work.")
        _token, raw = token_create(user=user, name=options["name"])
        self.stdout.write(raw)

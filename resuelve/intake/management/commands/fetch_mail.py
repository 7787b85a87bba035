"""`resuelve fetch-mail`: register the unseen messages of an existing mailbox (IMAP or
IMAPS, password or OAuth2), once (for cron) or in a polling loop; see docs/mail.md."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import suppress
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _

from resuelve.complaints.lifecycle import Kind
from resuelve.intake.mail.imap import SECURITY_CHOICES, Mailbox, connect, poll_once
from resuelve.intake.mail.options import env_int

# Reconnecting after a failure waits this long, doubling up to the cap.
_BACKOFF_START, _BACKOFF_MAX = 5.0, 300.0


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


class Command(BaseCommand):
    help = "Register the unseen messages of a mailbox as complaints and case replies."

    def add_arguments(self, parser: Any) -> None:
        add = parser.add_argument
        add(
            "--host", default=_env("RESUELVE_IMAP_HOST"), help=_("IMAP server (RESUELVE_IMAP_HOST)")
        )
        add(
            "--port",
            type=int,
            default=env_int("RESUELVE_IMAP_PORT", 0),
            help=_("port (RESUELVE_IMAP_PORT; default 993 for ssl, 143 otherwise)"),
        )
        add(
            "--security",
            choices=SECURITY_CHOICES,
            default=_env("RESUELVE_IMAP_SECURITY", "ssl"),
            help=_("ssl (IMAPS), starttls or plain (RESUELVE_IMAP_SECURITY, default ssl)"),
        )
        add("--user", default=_env("RESUELVE_IMAP_USER"), help=_("login (RESUELVE_IMAP_USER)"))
        add(
            "--password",
            default=_env("RESUELVE_IMAP_PASSWORD"),
            help=_("password (prefer the RESUELVE_IMAP_PASSWORD variable)"),
        )
        add(
            "--oauth2-token",
            default=_env("RESUELVE_IMAP_OAUTH2_TOKEN"),
            help=_("OAuth2 access token for XOAUTH2 (RESUELVE_IMAP_OAUTH2_TOKEN)"),
        )
        add(
            "--oauth2-token-command",
            default=_env("RESUELVE_IMAP_OAUTH2_TOKEN_COMMAND"),
            help=_(
                "command printing a fresh access token, run at each connection "
                "(RESUELVE_IMAP_OAUTH2_TOKEN_COMMAND)"
            ),
        )
        add(
            "--folder",
            default=_env("RESUELVE_IMAP_FOLDER", "INBOX"),
            help=_("folder to read (RESUELVE_IMAP_FOLDER, default INBOX)"),
        )
        add(
            "--done-folder",
            default=_env("RESUELVE_IMAP_DONE_FOLDER"),
            help=_("move processed mail here (RESUELVE_IMAP_DONE_FOLDER; default: mark \\Seen)"),
        )
        add(
            "--failed-folder",
            default=_env("RESUELVE_IMAP_FAILED_FOLDER"),
            help=_("move refused mail here (RESUELVE_IMAP_FAILED_FOLDER; default: flag it)"),
        )
        add("--delete", action="store_true", help=_("delete processed mail (not refused mail)"))
        add("--insecure", action="store_true", help=_("do not verify the server's certificate"))
        add(
            "--max-bytes",
            type=int,
            default=None,
            help=_("largest message registered (RESUELVE_MAIL_MAX_BYTES, default 25 MB)"),
        )
        add(
            "--kind",
            choices=Kind.values,
            default=_env("RESUELVE_MAIL_KIND", Kind.COMPLAINT),
            help=_("kind of case a new e-mail registers (RESUELVE_MAIL_KIND)"),
        )
        add("--once", action="store_true", help=_("read the mailbox once and exit"))
        add(
            "--interval",
            type=float,
            default=float(env_int("RESUELVE_IMAP_INTERVAL", 60)),
            help=_("seconds between polls (RESUELVE_IMAP_INTERVAL, default 60)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["host"] or not options["user"]:
            raise CommandError(
                _("Give --host and --user (or RESUELVE_IMAP_HOST/RESUELVE_IMAP_USER).")
            )
        if not (options["password"] or options["oauth2_token"] or options["oauth2_token_command"]):
            raise CommandError(_("Give a password or an OAuth2 token (see docs/mail.md)."))
        mailbox = Mailbox(
            host=options["host"],
            port=options["port"],
            security=options["security"],
            username=options["user"],
            password=options["password"],
            oauth2_token=options["oauth2_token"],
            oauth2_token_command=options["oauth2_token_command"],
            folder=options["folder"],
            done_folder=options["done_folder"],
            failed_folder=options["failed_folder"],
            delete=options["delete"],
            verify_tls=not options["insecure"],
        )
        poll = {"kind": options["kind"], "max_bytes": options["max_bytes"]}
        if options["once"]:
            client = connect(mailbox)
            try:
                report = poll_once(client, mailbox, **poll)
            finally:
                client.logout()
            self.stdout.write(f"{mailbox.folder}: {report}")
            return

        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        backoff = _BACKOFF_START
        client = None
        while not stop.is_set():
            try:
                if client is None:
                    client = connect(mailbox)
                    self.stdout.write(
                        _("Polling %(folder)s on %(host)s every %(interval)g s")
                        % {
                            "folder": mailbox.folder,
                            "host": mailbox.host,
                            "interval": options["interval"],
                        }
                    )
                else:
                    client.noop()  # lets the server report new mail on this connection
                close_old_connections()  # a long-lived process: drop broken connections
                report = poll_once(client, mailbox, **poll)
                if report.counts or report.errors:
                    self.stdout.write(f"{mailbox.folder}: {report}")
                backoff = _BACKOFF_START
                stop.wait(options["interval"])
            except Exception as exc:  # server down, network, login: retry later, never exit
                self.stderr.write(
                    _("IMAP poll failed (%(error)s); retrying in %(delay)g s")
                    % {"error": f"{type(exc).__name__}: {exc}", "delay": backoff}
                )
                if client is not None:
                    with suppress(Exception):
                        client.logout()
                client = None
                stop.wait(backoff)
                backoff = min(backoff * 2, _BACKOFF_MAX)
        if client is not None:
            with suppress(Exception):
                client.logout()

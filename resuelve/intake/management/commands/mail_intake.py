"""`resuelve mail-intake`: the SMTP server that turns incoming e-mail into complaints and
case messages. Run it behind the company's MX (as the relay target for the complaints
address) or expose it directly; see docs/mail.md."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from resuelve.complaints.lifecycle import Kind
from resuelve.intake.mail.options import env_int
from resuelve.intake.mail.receive import max_message_bytes
from resuelve.intake.mail.smtp import intake_controller


class Command(BaseCommand):
    help = "Receive complaints by e-mail over SMTP."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("RESUELVE_SMTP_HOST", "127.0.0.1"),
            help=_("address to listen on (RESUELVE_SMTP_HOST, default 127.0.0.1)"),
        )
        parser.add_argument(
            "--port",
            type=int,
            default=env_int("RESUELVE_SMTP_PORT", 2525),
            help=_("port to listen on (RESUELVE_SMTP_PORT, default 2525)"),
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help=_("largest message accepted (RESUELVE_MAIL_MAX_BYTES, default 25 MB)"),
        )
        parser.add_argument(
            "--kind",
            default=os.environ.get("RESUELVE_MAIL_KIND", Kind.COMPLAINT),
            choices=Kind.values,
            help=_("kind of case a new e-mail registers (RESUELVE_MAIL_KIND, default complaint)"),
        )
        parser.add_argument(
            "--tls-cert",
            default=os.environ.get("RESUELVE_SMTP_TLS_CERT", ""),
            help=_("certificate (PEM) to offer STARTTLS (RESUELVE_SMTP_TLS_CERT)"),
        )
        parser.add_argument(
            "--tls-key",
            default=os.environ.get("RESUELVE_SMTP_TLS_KEY", ""),
            help=_("private key (PEM) for --tls-cert (RESUELVE_SMTP_TLS_KEY)"),
        )
        parser.add_argument(
            "--require-tls", action="store_true", help=_("refuse mail before STARTTLS")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        max_bytes = options["max_bytes"] or max_message_bytes()
        controller = intake_controller(
            host=options["host"],
            port=options["port"],
            kind=options["kind"],
            max_bytes=max_bytes,
            tls_cert=options["tls_cert"],
            tls_key=options["tls_key"],
            require_tls=options["require_tls"],
        )
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        controller.start()
        self.stdout.write(
            _("Mail intake listening on %(host)s:%(port)s (messages up to %(max)s bytes)")
            % {"host": options["host"], "port": options["port"], "max": max_bytes}
        )
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
            controller.handler.close()
            self.stdout.write(_("Mail intake stopped"))

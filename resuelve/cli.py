"""The `resuelve` console command: every management command, with dashes allowed.

resuelve demo            load the demo company
resuelve serve           run the web server and a task worker
resuelve worker          run a task worker
resuelve verify-audit    check the audit trail's hash chains
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resuelve.settings.dev")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()

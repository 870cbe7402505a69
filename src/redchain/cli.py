"""The ``redchain`` console script: Django's management commands with the project's settings.

``redchain demo``, ``redchain serve``, ``redchain createadmin`` and friends are management commands
of the apps; everything else Django offers (``migrate``, ``shell``, ``check`` …) works as usual.

``redchain router evaluate`` is the exception: it only reads files and trains in memory, so it runs without
Django (no settings, secret key, database or ``var/`` directory) and works on a fresh checkout as is.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:2] == ["router", "evaluate"]:
        from redchain.routing.evaluate_cli import main as evaluate

        raise SystemExit(evaluate(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["redchain", *args])


if __name__ == "__main__":
    main()

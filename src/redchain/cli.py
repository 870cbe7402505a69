"""The ``redchain`` console script: Django's management commands with the project's settings.

``redchain demo``, ``redchain serve``, ``redchain createadmin`` and friends are management commands
of the apps; everything else Django offers (``migrate``, ``shell``, ``check`` …) works as usual.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["redchain", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

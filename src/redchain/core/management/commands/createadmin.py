"""``redchain createadmin``: create a user who administers one zone.

Goes through the account services, so the user and the membership are audited like any other change.
The password comes from ``--password`` (scripts) or a prompt (people at a terminal), and must pass the
project's password validators either way.
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from redchain.accounts.models import Role, User
from redchain.accounts.services import membership_grant, user_create
from redchain.orgs.models import Zone


class Command(BaseCommand):
    help = "Create a user with a zone administrator membership of the zone with the given code."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="Login name of the new user.")
        parser.add_argument("--zone", required=True, metavar="CODE", help="Code of the zone to administer.")
        parser.add_argument("--password", help="Password (for scripts); prompted for when omitted.")
        parser.add_argument("--display-name", default="", help="Name shown in the interface.")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Also make the user a Django superuser with admin access.",
        )

    def handle(
        self,
        *args,
        username: str,
        zone: str,
        password: str | None,
        display_name: str,
        superuser: bool,
        **options,
    ) -> None:
        target = self._zone(zone)
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = password if password is not None else self._prompt_password()
        self._check_password(password, username=username, display_name=display_name)
        try:
            user = self._create(
                username=username,
                password=password,
                display_name=display_name,
                zone=target,
                superuser=superuser,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        kind = "Superuser and zone administrator" if superuser else "Zone administrator"
        self.stdout.write(
            self.style.SUCCESS(f"{kind} {user.username!r} created for zone {target.code!r} ({target.name}).")
        )

    @staticmethod
    def _zone(code: str) -> Zone:
        zone = Zone.objects.filter(code=code).first()
        if zone is None:
            codes = ", ".join(Zone.objects.order_by("code").values_list("code", flat=True)) or "none yet"
            raise CommandError(f"No zone with code {code!r}. Existing zone codes: {codes}.")
        return zone

    @staticmethod
    def _prompt_password() -> str:
        if not sys.stdin.isatty():
            raise CommandError("Give --password when standard input is not a terminal.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password

    @staticmethod
    def _check_password(password: str, *, username: str, display_name: str) -> None:
        if not password:
            raise CommandError("The password must not be empty.")
        try:
            validate_password(password, user=User(username=username, display_name=display_name))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    @staticmethod
    @transaction.atomic
    def _create(*, username: str, password: str, display_name: str, zone: Zone, superuser: bool) -> User:
        user = user_create(
            actor=None,
            username=username,
            password=password,
            display_name=display_name,
            is_superuser=superuser,
            is_staff=superuser,
        )
        membership_grant(actor=None, user=user, zone=zone, role=Role.ZONE_ADMIN)
        return user

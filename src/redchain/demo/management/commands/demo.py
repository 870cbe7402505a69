"""``redchain demo``: migrate, load the demo zone (idempotent), print the logins, then serve.

With only the embedded SQLite database this is the whole setup: ``make demo`` runs it with DEBUG on.
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from redchain.core.management.serving import add_serve_arguments, background_sweep, collect_and_serve, url
from redchain.demands.models import Demand
from redchain.demo.generator import DemoConflict, Summary, load_demo
from redchain.demo.logins import DemoLogin, demo_logins
from redchain.demo.scale import load_scale
from redchain.orgs.models import Zone


class Command(BaseCommand):
    help = "Apply migrations, load the demo zone if it is missing, print the demo logins and serve the site."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the database and print the logins, then exit."
        )
        parser.add_argument(
            "--demands",
            type=int,
            default=None,
            help="How many demands to play through the loop (default about 2,000: a year of history).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=None,
            metavar="N",
            help="Bulk-load demands until the demo zone holds at least N (COPY on PostgreSQL; minutes for millions).",
        )
        parser.add_argument(
            "--no-sweep", action="store_true", help="Do not run the deadline sweep beside the server."
        )
        add_serve_arguments(parser)

    def handle(
        self,
        *args,
        no_serve: bool,
        no_sweep: bool,
        host: str,
        port: int,
        verbosity: int,
        demands: int | None,
        scale: int | None,
        **options,
    ) -> None:
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        try:
            summary = load_demo(stdout=self.stdout if verbosity > 1 else None, demand_count=demands)
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        self._report(summary)
        if scale:
            self._scale(Zone.objects.get(code=summary.zone_code), scale)
        self.stdout.write("")
        self.stdout.write(f"Open {url(host=host, port=port)} and sign in with one of these accounts:")
        self._logins(demo_logins(Zone.objects.get(code=summary.zone_code)))
        if no_serve:
            return
        self.stdout.write("")
        if no_sweep:
            collect_and_serve(host=host, port=port, verbosity=verbosity)
            return
        self.stdout.write("The deadline sweep runs in the background every 5 minutes.")
        with background_sweep():
            collect_and_serve(host=host, port=port, verbosity=verbosity)

    def _report(self, summary: Summary) -> None:
        verb = f"loaded in {summary.seconds:.1f} s" if summary.created else "already loaded"
        self.stdout.write(self.style.SUCCESS(f"Demo zone {summary.zone_name} ({summary.zone_code}) {verb}:"))
        self.stdout.write(
            f"  {summary.enterprises} enterprises ({summary.above_scale} above designated size), "
            f"{summary.chains} industry chains, "
            f"{summary.alliances} alliances ({summary.alliance_members} member units), "
            f"{summary.departments} departments, {summary.party_orgs} party organisations, "
            f"{summary.party_members} party members, {summary.users} accounts."
        )

    def _scale(self, zone: Zone, target: int) -> None:
        have = Demand.objects.filter(zone=zone).count()
        if have >= target:
            self.stdout.write(f"  {have:,} demands already (--scale {target:,}).")
            return
        started = time.perf_counter()
        loaded = load_scale(
            zone=zone,
            n=target - have,
            progress=lambda done: self.stdout.write(f"  {done:,} of {target - have:,} loaded"),
        )
        took = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Bulk-loaded {loaded} in {took:.0f} s."))

    def _logins(self, logins: list[DemoLogin]) -> None:
        header = ("username", "role", "scope", "password")
        rows = [header] + [(login.username, login.role, login.scope, login.password) for login in logins]
        widths = [max(_width(row[column]) for row in rows) for column in range(len(header))]
        for index, row in enumerate(rows):
            cells = [cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)]
            self.stdout.write("  " + "  ".join(cells).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters are two columns wide."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

"""``redchain rollups rebuild|check [--zone CODE]``: recompute the dashboards' rollup cells from the raw tables,
or compare the stored cells with a recomputation (exit status 1 when they differ)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from redchain.demands import rollups
from redchain.orgs.models import Zone


class Command(BaseCommand):
    help = "Rebuild the dashboards' rollup cells from the raw tables, or check that they agree."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--zone", metavar="CODE", help="only this zone (default: every zone)")

    def handle(self, *args, action: str, zone: str | None = None, **options) -> None:
        zones = Zone.objects.order_by("id")
        if zone:
            zones = zones.filter(code=zone)
            if not zones.exists():
                raise CommandError(f"No zone with code {zone!r}.")
        differing = 0
        for found in zones:
            started = time.perf_counter()
            if action == "rebuild":
                cells = rollups.rebuild(zone_id=found.pk)
                self.stdout.write(
                    f"{found.code}: {cells} cells rebuilt in {time.perf_counter() - started:.1f}s"
                )
                continue
            differences = rollups.differences(zone_id=found.pk)
            differing += len(differences)
            verdict = (
                "agree" if not differences else f"{len(differences)} cells differ, e.g. {differences[0]}"
            )
            self.stdout.write(f"{found.code}: stored cells and raw tables {verdict}")
        if differing:
            raise CommandError(f"{differing} cells differ; run `redchain rollups rebuild`.")

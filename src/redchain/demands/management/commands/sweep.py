"""``redchain sweep``: warn and supervise work orders near or past their closure deadline, and send the
outbox's due email and webhook messages. Once, or forever with ``--loop SECONDS`` (the embedded default,
where no Celery runs)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from redchain.demands import delivery
from redchain.demands.sweep import run_sweep

logger = logging.getLogger(__name__)
# Outgoing messages are sent at least this often in the loop, however long the sweep interval.
DELIVERY_TICK = 60


class Command(BaseCommand):
    help = "Warn work orders that are due soon or overdue, and send due email and webhook messages."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", default=0, help="run forever, sweeping every SECONDS"
        )
        parser.add_argument("--no-deliver", action="store_true", help="do not send outgoing messages")

    def handle(self, *args, loop: int, no_deliver: bool, **options) -> None:
        if loop <= 0:
            self.one_pass(sweep=True, deliver=not no_deliver)
            return
        self.stdout.write(f"Sweeping every {loop} s; Ctrl-C stops.")
        try:
            run_loop(seconds=loop, step=lambda sweep: self.one_pass(sweep=sweep, deliver=not no_deliver))
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def one_pass(self, *, sweep: bool, deliver: bool) -> None:
        if sweep:
            self.stdout.write(f"Sweep: {run_sweep()}")
        if deliver:
            result = delivery.send_due()
            if sweep or result.sent or result.failed or result.gave_up:
                self.stdout.write(f"Delivery: {result}")


def run_loop(
    *,
    seconds: int,
    step: Callable[[bool], None],
    passes: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call ``step(sweep)`` every tick (at most a minute), with ``sweep`` true once ``seconds`` have passed.

    A failing pass is logged and the loop goes on: the database may be restarting, and the next pass retries.
    ``passes`` bounds the loop for tests.
    """
    tick = min(seconds, DELIVERY_TICK)
    since_sweep = seconds  # sweep on the first pass
    done = 0
    while passes is None or done < passes:
        sweep = since_sweep >= seconds
        _guarded(step, sweep)
        since_sweep = tick if sweep else since_sweep + tick
        done += 1
        if passes is None or done < passes:
            sleep(tick)


def _guarded(step: Callable[[bool], None], sweep: bool) -> None:
    close_old_connections()
    try:
        step(sweep)
    except DatabaseError:
        logger.exception("Sweep pass failed on a database error; retrying on the next pass")
        # Drop the broken connection, so the next pass opens a fresh one.
        connection.close()
    except Exception:
        logger.exception("Sweep pass failed; retrying on the next pass")

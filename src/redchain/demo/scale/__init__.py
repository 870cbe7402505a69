"""``redchain demo --scale N``: N demands with their whole history, bulk-loaded in minutes.

The played demo (``demo.demands``) runs every step through the services: right for two thousand demands, far
too slow for ten million. This package draws each demand's story at random (``stories``), writes the rows the
services would have written — demand, work orders with their exact deadlines (``clock``), timeline events,
audit rows, ratings, supervision orders — in batches of one transaction each (``writer``: ``COPY`` on
PostgreSQL), and adds each batch's counts to the dashboards' rollup cells in the batch's transaction
(``rollups.add_demand``, the same arithmetic the services' steps use), so no rebuild is needed afterwards.
Tracking codes are random, as the services make them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from redchain.demands import rollups
from redchain.demands.calendar import WorkCalendar
from redchain.demands.models import TRACKING_ALPHABET, Demand
from redchain.demo import data
from redchain.demo.scale import writer
from redchain.demo.scale.cast import ZoneNotReady, read_cast
from redchain.demo.scale.clock import DeadlineClock
from redchain.demo.scale.stories import Batch, Cast, Storyteller
from redchain.orgs.models import Zone

__all__ = ["Loaded", "ZoneNotReady", "load_scale"]

SPAN_DAYS = 730  # two years, so that the year-on-year columns have a year to compare with
BATCH = 50_000
RETRIES = 3
# A load this big, and at least four times what the database holds, builds the plain indexes afterwards.
DEFER_INDEXES_FROM = 200_000


@dataclass
class Loaded:
    """Rows written per table."""

    demand: int = 0
    assignment: int = 0
    event: int = 0
    rating: int = 0
    supervision: int = 0
    audit: int = 0
    search: int = 0  # one per demand

    @property
    def rows(self) -> int:
        return sum(vars(self).values())

    def __str__(self) -> str:
        return (
            f"{self.demand:,} demands, {self.assignment:,} work orders, {self.event:,} events, "
            f"{self.rating:,} ratings, {self.supervision:,} supervision orders, {self.audit:,} audit rows, "
            f"{self.search:,} search rows "
            f"({self.rows:,} rows)"
        )


def default_anchor() -> dt.datetime:
    """The played demo's anchor: the scale demands end where its year ends."""
    return dt.datetime.combine(data.AS_OF, dt.time(18, 0), tzinfo=timezone.get_current_timezone())


def load_scale(
    *,
    zone: Zone,
    n: int,
    seed: int = 0,
    anchor: dt.datetime | None = None,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> Loaded:
    """Add ``n`` demands to ``zone`` over the two years before ``anchor``, adding their counts to its rollup
    cells batch by batch. On PostgreSQL the stories are drawn by ``workers`` processes (default: one per core)
    while this one writes; the same ``seed`` gives the same stories either way (tracking codes aside)."""
    if n < 0 or batch < 1:
        raise ValueError("n must be at least 0 and batch at least 1")
    if n == 0:
        return Loaded()
    end = timezone.localtime(anchor or default_anchor())
    sizes = [min(batch, n - done) for done in range(0, n, batch)]
    job = _Job(
        cast=read_cast(zone),
        calendar=WorkCalendar.for_zone(zone.pk),
        start=end - dt.timedelta(days=SPAN_DAYS),
        end=end,
        seed=seed,
        batch=batch,
        bases=writer.reserve_ids(n),
    )
    big = n >= max(DEFER_INDEXES_FROM, 4 * Demand.objects.count())
    # Forking needs this process's connection closed, which would end a transaction the caller holds.
    parallel = (
        connection.vendor == "postgresql"
        and len(sizes) > 1
        and workers != 1
        and not connection.in_atomic_block
    )
    loaded, done = Loaded(), 0
    with writer.secondary_indexes_deferred(big), _drawn(job, sizes, parallel, workers) as batches:
        for index, drawn in batches:
            _write_batch(job, index, sizes[index], drawn)
            for name, table_rows in drawn.rows.items():
                setattr(loaded, name, getattr(loaded, name) + len(table_rows))
            done += sizes[index]
            if progress:
                progress(done)
    writer.release_ids()
    writer.analyze()
    return loaded


@dataclass
class _Job:
    """Everything a worker needs to draw batch ``index``; inherited by forked workers, never pickled."""

    cast: Cast
    calendar: WorkCalendar
    start: dt.datetime
    end: dt.datetime
    seed: int
    batch: int
    bases: dict[str, int]

    def draw(self, index: int, size: int) -> Batch:
        # Each batch has its own generator and its own id ranges, so batches can be drawn in any process and
        # order and still come out the same.
        teller = Storyteller(
            self.cast,
            rng=random.Random(f"{self.seed}:{index}"),
            clock=self._clock(),
            start=self.start,
            end=self.end,
        )
        first = {name: base + index * self.batch * writer.BOUND[name] for name, base in self.bases.items()}
        drawn = Batch(
            next_id=dict(first), limit={name: first[name] + size * writer.BOUND[name] for name in first}
        )
        for code in _tracking_codes(size):
            teller.tell(drawn, code)
        return drawn

    def _clock(self) -> DeadlineClock:
        global _CLOCK
        if _CLOCK is None or _CLOCK.calendar is not self.calendar:
            _CLOCK = DeadlineClock(self.calendar)
        return _CLOCK


_CLOCK: DeadlineClock | None = None  # one memo per process
_JOB: _Job | None = None  # the job a forked worker draws for


def _draw_in_worker(task: tuple[int, int]) -> tuple[int, Batch]:
    if _JOB is None:
        raise RuntimeError("a scale worker runs only in a process forked by load_scale")
    return task[0], _JOB.draw(*task)


@contextmanager
def _drawn(
    job: _Job, sizes: list[int], parallel: bool, workers: int | None
) -> Iterator[Iterator[tuple[int, Batch]]]:
    """The drawn batches in order: from forked worker processes, or drawn here one by one."""
    tasks = list(enumerate(sizes))
    if not parallel:
        yield ((index, job.draw(index, size)) for index, size in tasks)
        return
    global _JOB
    _JOB = job
    connections.close_all()  # a forked child must not share this process's database connection
    context = multiprocessing.get_context("fork")
    with context.Pool(workers or os.cpu_count() or 2) as pool:
        # imap keeps the order and lets the workers run a few batches ahead of the writer.
        yield pool.imap(_draw_in_worker, tasks)
    _JOB = None


def _write_batch(job: _Job, index: int, size: int, drawn: Batch) -> None:
    """One batch in one transaction. A clash of random tracking codes (about 1 in 10^4 at 10^7 demands)
    draws the batch again here, into the same id ranges."""
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                writer.write(drawn.rows)
                rollups.apply(drawn.cells)  # the cells stay equal to the raw tables at every commit
            return
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
            drawn = job.draw(index, size)


def _tracking_codes(count: int) -> list[str]:
    """``count`` distinct random codes of 12 symbols, like ``models.new_tracking_code`` but in bulk."""
    base = len(TRACKING_ALPHABET)
    codes: set[str] = set()
    while len(codes) < count:
        for _ in range(count - len(codes)):
            value = int.from_bytes(secrets.token_bytes(8), "big")
            symbols = []
            for _position in range(12):
                value, digit = divmod(value, base)
                symbols.append(TRACKING_ALPHABET[digit])
            codes.add("".join(symbols))
    return list(codes)

"""The deadline sweep: warns work orders whose closure deadline is near and supervises those past it.

``run_sweep`` runs from ``redchain sweep`` (once or in a loop) or from Celery beat. Each warning is raised
exactly once per work order and kind, even when two sweepers run at the same moment: the row is claimed with a
conditional update (``warned_at``/``overdue_at`` still empty) in the same transaction as the timeline event and
the supervision order, and the ``supervision_sweep_once`` constraint is the backstop. A paused work order is
not swept: its clock is stopped, and its closure deadline moves when it resumes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from redchain.demands.calendar import WorkCalendar
from redchain.demands.models import Assignment, Demand, DemandEvent, Supervision
from redchain.demands.services import _event

logger = logging.getLogger(__name__)
# Only a running clock can run out: paused, replied, returned and cancelled orders are left alone.
RUNNING = (Assignment.Status.PENDING, Assignment.Status.IN_PROGRESS)


@dataclass
class SweepResult:
    """What one pass did, as work-order ids."""

    warned: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    red: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.warned)} warned as due soon, {len(self.overdue)} marked overdue, "
            f"{len(self.red)} raised to red, {len(self.skipped)} already handled by another sweeper"
        )


def due_soon_hours() -> int:
    return getattr(settings, "REDCHAIN_DUE_SOON_HOURS", 24)


def running_orders():
    """Work orders whose closure clock is running, on demands still being handled."""
    return Assignment.objects.filter(
        status__in=RUNNING, demand__status=Demand.Status.HANDLING, close_due__isnull=False
    )


def run_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """One pass over every zone: overdue first, so an order past its deadline is not also warned."""
    now = now or timezone.now()
    result = SweepResult()
    zone_ids = running_orders().values_list("demand__zone_id", flat=True).distinct().order_by()
    for zone_id in sorted(set(zone_ids)):
        _sweep_zone(zone_id=zone_id, calendar=WorkCalendar.for_zone(zone_id), now=now, result=result)
    return result


def _sweep_zone(*, zone_id: int, calendar: WorkCalendar, now: dt.datetime, result: SweepResult) -> None:
    orders = running_orders().filter(demand__zone_id=zone_id).select_related("demand").order_by("pk")
    for order in orders.filter(overdue_at__isnull=True, close_due__lte=now):
        _tally(result.overdue, result, order.pk, _safely(raise_overdue, order, calendar, now))
    soon_until = calendar.add_working_time(now, dt.timedelta(hours=due_soon_hours()))
    for order in orders.filter(warned_at__isnull=True, close_due__gt=now, close_due__lte=soon_until):
        _tally(result.warned, result, order.pk, _safely(raise_due_soon, order, calendar, now))
    still_orange = Supervision.objects.filter(
        source=Supervision.Source.OVERDUE, level__lt=Supervision.Level.RED
    ).values("assignment_id")
    for order in orders.filter(overdue_at__isnull=False, pk__in=still_orange):
        if beyond_full_period(order=order, calendar=calendar, now=now):
            _tally(result.red, result, order.pk, _safely(raise_to_red, order, calendar, now))


def _safely(step, order: Assignment, calendar: WorkCalendar, now: dt.datetime) -> bool:
    """Run one claim; the unique constraint refusing a second supervision means another sweeper won."""
    try:
        return step(assignment=order, calendar=calendar, now=now)
    except IntegrityError:
        logger.info("Work order %s was swept concurrently; skipped", order.pk)
        return False


def _tally(bucket: list[int], result: SweepResult, pk: int, done: bool) -> None:
    (bucket if done else result.skipped).append(pk)


# ---------------------------------------------------------------------------------------------- the three claims


@transaction.atomic
def raise_due_soon(*, assignment: Assignment, calendar: WorkCalendar, now: dt.datetime) -> bool:
    """Warn once that the closure deadline is within ``REDCHAIN_DUE_SOON_HOURS`` working hours (yellow)."""
    soon_until = calendar.add_working_time(now, dt.timedelta(hours=due_soon_hours()))
    if not _claim(assignment, "warned_at", now, close_due__gt=now, close_due__lte=soon_until):
        return False
    note = _text(
        _("Closure due %(due)s: less than %(hours)s working hours left."),
        due=_local(assignment.close_due),
        hours=due_soon_hours(),
    )
    _record(assignment, DemandEvent.Kind.WARNED, Supervision.Source.DUE_SOON, Supervision.Level.YELLOW, note)
    return True


@transaction.atomic
def raise_overdue(*, assignment: Assignment, calendar: WorkCalendar, now: dt.datetime) -> bool:
    """Mark the order overdue once (orange; red straight away if it is already overdue by a full period)."""
    if not _claim(assignment, "overdue_at", now, close_due__lte=now):
        return False
    red = beyond_full_period(order=assignment, calendar=calendar, now=now)
    note = _text(_("Closure was due %(due)s; the work order is overdue."), due=_local(assignment.close_due))
    level = Supervision.Level.RED if red else Supervision.Level.ORANGE
    _record(assignment, DemandEvent.Kind.OVERDUE, Supervision.Source.OVERDUE, level, note)
    return True


@transaction.atomic
def raise_to_red(*, assignment: Assignment, calendar: WorkCalendar, now: dt.datetime) -> bool:
    """Raise the overdue supervision to red once; the conditional update on its level is the claim."""
    raised = Supervision.objects.filter(
        assignment=assignment, source=Supervision.Source.OVERDUE, level__lt=Supervision.Level.RED
    ).update(level=Supervision.Level.RED)
    if raised != 1:
        return False
    note = _text(_("Overdue by more than its full closure period: supervision raised to red."))
    demand = assignment.demand
    _event(demand, DemandEvent.Kind.SUPERVISED, actor=None, assignment=assignment, text=note, public=False)
    return True


def _claim(assignment: Assignment, stamp: str, now: dt.datetime, **still) -> bool:
    """Set ``stamp`` only if it is still empty and the order still qualifies; exactly one sweeper gets 1."""
    # Only the order's own columns in the condition: PostgreSQL re-checks those on the row it waited for,
    # whereas a condition on a joined table would sit in a subquery that is not re-checked.
    claimed = Assignment.objects.filter(
        pk=assignment.pk, status__in=RUNNING, **{f"{stamp}__isnull": True}, **still
    ).update(**{stamp: now})
    return claimed == 1


def _record(assignment: Assignment, kind: str, source: str, level: int, note: str) -> None:
    """The timeline event and audit row (via the services' helper) and the supervision order, in one go."""
    _event(assignment.demand, kind, actor=None, assignment=assignment, text=note, public=False)
    # A redo keeps the work order and clears its stamps, so its earlier sweep order is reused, not duplicated.
    earlier = Supervision.objects.filter(assignment=assignment, source=source).first()
    if earlier is None:
        Supervision.objects.create(
            demand=assignment.demand, assignment=assignment, level=level, source=source, note=note
        )
        return
    earlier.level, earlier.note = max(earlier.level, level), note
    earlier.save(update_fields=["level", "note"])


def beyond_full_period(*, order: Assignment, calendar: WorkCalendar, now: dt.datetime) -> bool:
    """Overdue by more than the whole time it was given (emergencies in wall-clock time, others in working time)."""
    due = order.close_due
    if due is None:
        return False
    if order.demand.is_emergency:
        return now - due > due - order.started_at
    given = calendar.working_time_between(order.started_at, due) - dt.timedelta(seconds=order.paused_seconds)
    return calendar.working_time_between(due, now) > given


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _text(message, **values) -> str:
    """Timeline text is stored, so it is written in the deployment's language, not the sweeper's."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % values if values else str(message)

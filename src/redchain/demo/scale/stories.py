"""The rows of one bulk-loaded demand: its life drawn at random, written as the services would write it.

A story is drawn from the zone's cast (:class:`Cast`) and a random generator: when it arrives, from which
firm and channel, its category and disposition, whether it is rejected, contacted late, replied late, rated
unsatisfied and redone, or closed without a rating. Each step appends the rows the corresponding service
writes: the demand's final state, its work orders with their deadlines, one timeline event and one audit row
per step, ratings, the supervision order of 监督办 and the search terms. A step that would happen after the anchor is not
taken, so recent demands stay open at the step where their story stops, as in a live system.

The shares follow the played demo (``demo.data_demands``) and the seed reports: nine in ten replies on time,
about 95 % of ratings satisfied or basically satisfied.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from redchain.demands import rollups, search
from redchain.demands.deadlines import Limits
from redchain.demands.models import Channel, Disposition
from redchain.demo import data_demands as dd
from redchain.demo.scale.clock import DeadlineClock

# Column order of each table as the loader writes it; test_scale checks it against the models.
COLUMNS: dict[str, tuple[str, ...]] = {
    "demand": (
        "id", "zone_id", "tracking_code", "title", "body", "channel", "status", "disposition", "category_id",
        "enterprise_id", "alliance_id", "submitted_by_id", "contact_name", "contact_phone", "external_id",
        "is_emergency", "in_leader_queue", "is_solved", "satisfaction", "redo_count", "merged_into_id",
        "created_at", "accepted_at", "dispatched_at", "replied_at", "closed_at", "reject_reason",
    ),
    "assignment": (
        "id", "demand_id", "department_id", "role", "status", "started_at", "contacted_at", "first_interim_at",
        "replied_at", "paused_at", "paused_seconds", "extended_until", "contact_due", "interim_due",
        "close_due", "warned_at", "overdue_at", "return_reason",
    ),
    "event": (
        "id", "demand_id", "assignment_id", "kind", "actor_id", "from_status", "to_status", "text", "public",
        "created_at",
    ),
    "rating": ("id", "demand_id", "level", "comment", "rated_by_id", "on_behalf", "created_at"),
    "search": ("demand_id", "terms"),
    "supervision": (
        "id", "demand_id", "assignment_id", "level", "source", "note", "created_by_id", "created_at",
    ),
    "audit": (
        "id", "zone_id", "actor_id", "action", "object_type", "object_id", "object_repr", "changes", "reason",
        "created_at",
    ),
}  # fmt: skip

REJECTED_SHARE = 0.02
EMERGENCY_SHARE = 0.01
LATE_CONTACT_SHARE = 0.04
LATE_REPLY_SHARE = 0.08
UNRATED_SHARE = 0.12  # closed by the zone after follow-up calls went unanswered
UNSOLVED_SHARE_OF_UNRATED = 0.08
RATING_LEVELS = ("satisfied", "basically_satisfied", "unsatisfied")
RATING_WEIGHTS = (86, 10, 4)
OFFICE_OPENS, OFFICE_CLOSES = 8 * 60 + 30, 17 * 60 + 30  # minutes of the day staff act in


@dataclass(frozen=True)
class Firm:
    id: int
    name: str
    chain_id: int | None
    alliance_ids: tuple[int, ...]  # every alliance it belongs to: the rollup cells count it under each
    contact_user_id: int | None
    contact_name: str
    weight: int


@dataclass(frozen=True)
class Leaf:
    """A leaf category with its templates and the department it goes to."""

    id: int
    parent_id: int | None
    code: str
    templates: tuple[tuple[str, str, tuple[int, int]], ...]
    department_id: int
    department_name: str
    weight: int


@dataclass
class Cast:
    zone_id: int
    firms: list[Firm]
    leaves: list[Leaf]
    department_names: dict[int, str]
    admin_id: int | None
    handlers: dict[int, int]  # department id → a handler's user id
    limits: dict[tuple[int, str], Limits]  # (category id, disposition) → limits
    roads: tuple[str, ...]
    channel_labels: dict[str, str]
    disposition_labels: dict[str, str]
    supervision_label: str
    firm_weights: list[int] = field(default_factory=list)
    leaf_weights: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.firm_weights = [firm.weight for firm in self.firms]
        self.leaf_weights = [leaf.weight for leaf in self.leaves]


@dataclass
class Batch:
    """Rows of a batch per table, and the next id of each table."""

    next_id: dict[str, int]
    limit: dict[str, int]  # the end of each table's reserved id range
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {name: [] for name in COLUMNS})
    cells: rollups.Cells = field(default_factory=dict)  # what the batch adds to the dashboards' cells

    def take(self, table: str) -> int:
        value = self.next_id[table]
        if value >= self.limit[table]:
            raise OverflowError(f"more {table} rows than reserved; raise writer.BOUND[{table!r}]")
        self.next_id[table] = value + 1
        return value


class Storyteller:
    """Draws stories for one zone and appends their rows to a :class:`Batch`."""

    def __init__(
        self, cast: Cast, *, rng: random.Random, clock: DeadlineClock, start: dt.datetime, end: dt.datetime
    ) -> None:
        self.cast, self.rng, self.clock, self.start, self.end = cast, rng, clock, start, end
        self.tz = end.tzinfo
        self._span = (end - start).total_seconds()
        self._channels = [name for name, _w in dd.CHANNELS]
        self._channel_weights = [weight for _n, weight in dd.CHANNELS]
        self._dispositions = [name for name, _w in dd.DISPOSITIONS]
        self._disposition_weights = [weight for _n, weight in dd.DISPOSITIONS]

    # --- drawing -------------------------------------------------------------------------------------------

    def _arrival(self) -> dt.datetime:
        """A moment in the span, busier in recent months; one in twelve outside office hours."""
        offset = self._span * (1 - self.rng.random() ** 1.15)
        moment = self.start + dt.timedelta(seconds=offset)
        if self.rng.random() < 0.92:
            minute = self.rng.randrange(OFFICE_OPENS, OFFICE_CLOSES)
            moment = moment.replace(hour=minute // 60, minute=minute % 60, second=self.rng.randrange(60))
        return min(moment, self.end - dt.timedelta(seconds=1))

    def _office(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if staff are at work then, else the next office opening plus a few minutes."""
        minute = moment.hour * 60 + moment.minute
        if self.clock.calendar.is_workday(moment.date()) and OFFICE_OPENS <= minute < OFFICE_CLOSES:
            return moment
        day = moment.date() + dt.timedelta(days=0 if minute < OFFICE_OPENS else 1)
        while not self.clock.calendar.is_workday(day):
            day += dt.timedelta(days=1)
        opens = dt.datetime.combine(day, dt.time(OFFICE_OPENS // 60, OFFICE_OPENS % 60), tzinfo=self.tz)
        return opens + dt.timedelta(minutes=self.rng.randrange(5, 50))

    def _minutes(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(seconds=self.rng.randrange(low * 60, high * 60))

    # --- one story -----------------------------------------------------------------------------------------

    def tell(self, batch: Batch, tracking_code: str) -> None:
        cast, rng = self.cast, self.rng
        firm = rng.choices(cast.firms, cast.firm_weights)[0]
        leaf = rng.choices(cast.leaves, cast.leaf_weights)[0]
        title, body, (low, high) = rng.choice(leaf.templates)
        slots = {
            "firm": firm.name,
            "road": rng.choice(cast.roads),
            "n": rng.randint(low, high),
            "month": f"{rng.randint(1, 12)}月",
        }
        title, body = title.format(**slots), body.format(**slots)
        channel = rng.choices(self._channels, self._channel_weights)[0]
        if channel == Channel.ALLIANCE and not firm.alliance_ids:
            channel = Channel.PORTAL
        disposition = rng.choices(self._dispositions, self._disposition_weights)[0]
        if channel == Channel.LEADER_LINE and rng.random() < 0.7:
            disposition = Disposition.REPORTED
        demand_id = batch.take("demand")
        story = _Story(self, batch, demand_id, tracking_code, title)
        created = self._arrival()
        demand = {
            "id": demand_id,
            "zone_id": cast.zone_id,
            "tracking_code": tracking_code,
            "title": title,
            "body": body,
            "channel": channel,
            "status": "submitted",
            "disposition": "",
            "category_id": leaf.id,
            "enterprise_id": firm.id,
            "alliance_id": firm.alliance_ids[0] if channel == Channel.ALLIANCE else None,
            "submitted_by_id": firm.contact_user_id if channel == Channel.PORTAL else cast.admin_id,
            "contact_name": firm.contact_name,
            "contact_phone": f"13{rng.randrange(10**9):09d}",
            "external_id": f"12345-{demand_id:010d}" if channel == Channel.HOTLINE_12345 else "",
            "is_emergency": rng.random() < EMERGENCY_SHARE,
            "in_leader_queue": channel == Channel.LEADER_LINE,
            "is_solved": None,
            "satisfaction": "",
            "redo_count": 0,
            "merged_into_id": None,
            "created_at": created,
            "accepted_at": None,
            "dispatched_at": None,
            "replied_at": None,
            "closed_at": None,
            "reject_reason": "",
        }
        story.event(
            created, "submitted", demand["submitted_by_id"], "", "submitted", cast.channel_labels[channel]
        )
        try:
            self._play(story, demand, firm, leaf, disposition)
        except _Cutoff:
            pass  # the story stops at the anchor; what happened so far is kept
        batch.rows["demand"].append(tuple(demand[name] for name in COLUMNS["demand"]))
        batch.rows["search"].append((demand_id, search.terms_of(title, body)))
        story.flush_orders()
        demand["category__parent_id"], demand["enterprise__chain_id"] = leaf.parent_id, firm.chain_id
        rollups.add_demand(batch.cells, demand, story.orders, story.ratings, firm.alliance_ids)

    def _play(self, story: _Story, demand: dict, firm: Firm, leaf: Leaf, disposition: str) -> None:
        cast, rng = self.cast, self.rng
        admin = cast.admin_id
        at = story.at(self._office(demand["created_at"] + self._minutes(5, 90)))
        if rng.random() < REJECTED_SHARE:
            reason = rng.choice(dd.REJECT_REASONS)
            demand.update(status="rejected", reject_reason=reason, closed_at=at)
            story.event(at, "rejected", admin, "submitted", "rejected", reason)
            return
        demand.update(status="accepted", accepted_at=at)
        story.event(at, "accepted", admin, "submitted", "accepted", "")

        at = story.at(self._office(at + self._minutes(2, 60)))
        limits = cast.limits[(leaf.id, disposition)]
        departments = [leaf.department_id]
        if disposition == Disposition.COORDINATED:
            others = [pk for pk in cast.department_names if pk != leaf.department_id]
            if others:
                departments.append(rng.choice(others))
        demand.update(status="handling", disposition=disposition, dispatched_at=at)
        if disposition == Disposition.REPORTED:
            demand["in_leader_queue"] = True
        orders = [
            story.order(department, "lead" if index == 0 else "co", at, limits, demand["is_emergency"])
            for index, department in enumerate(departments)
        ]
        names = "、".join(cast.department_names[pk] for pk in departments)
        story.event(
            at,
            "dispatched",
            admin,
            "accepted",
            "handling",
            f"{cast.disposition_labels[disposition]}：{names}",
        )
        if disposition == Disposition.SUPERVISED:
            story.supervise(at, admin, cast.supervision_label)
        lead = orders[0]
        handler = cast.handlers.get(leaf.department_id)

        for order in orders:
            late = rng.random() < LATE_CONTACT_SHARE
            window = order["contact_due"] - order["started_at"]
            contact = (
                order["contact_due"] + self._minutes(10, 600)
                if late
                else order["started_at"] + window * rng.uniform(0.05, 0.95)
            )
            story.at(contact)
            order.update(contacted_at=contact, status="in_progress")
            story.event(
                contact, "contacted", cast.handlers.get(order["department_id"]), "", "handling", "", order
            )

        for round_ in (0, 1):
            reply = max(self._reply_moment(lead), lead["contacted_at"] + self._minutes(10, 120))
            story.at(reply)
            text = rng.choice(dd.REPLIES).format(dept=cast.department_names[leaf.department_id])
            lead.update(status="replied", replied_at=reply)
            demand.update(status="replied", replied_at=reply)
            story.event(reply, "replied", handler, "handling", "replied", text, lead)
            if round_ == 0 and rng.random() < UNRATED_SHARE:
                at = story.at(reply + dt.timedelta(days=rng.uniform(3, 7)))
                solved = rng.random() >= UNSOLVED_SHARE_OF_UNRATED
                reason = dd.CLOSE_UNRATED if solved else dd.CLOSE_UNSOLVED
                demand.update(status="closed", is_solved=solved, closed_at=at)
                story.finish(orders)
                story.event(at, "closed", admin, "replied", "closed", reason)
                return
            at = story.at(reply + dt.timedelta(hours=rng.uniform(1, 72)))
            level = rng.choices(RATING_LEVELS, RATING_WEIGHTS)[0] if round_ == 0 else "satisfied"
            comment = rng.choice(dd.UNSATISFIED_COMMENTS if level == "unsatisfied" else dd.SATISFIED_COMMENTS)
            rater = firm.contact_user_id or admin
            story.rating(at, level, comment, rater, on_behalf=firm.contact_user_id is None)
            if level != "unsatisfied":
                demand.update(status="closed", satisfaction=level, is_solved=True, closed_at=at)
                story.finish(orders)
                story.event(at, "rated", rater, "replied", "closed", comment)
                return
            # 退回重办: the lead's clock starts again from the unsatisfied rating.
            due = self.clock.due(at, limits, demand["is_emergency"])
            lead.update(
                status="in_progress", replied_at=None, started_at=at, contact_due=due.contact_due,
                interim_due=due.interim_due, close_due=due.close_due,
            )  # fmt: skip
            demand.update(status="handling", redo_count=1, satisfaction="unsatisfied", replied_at=None)
            story.event(at, "redo", rater, "replied", "handling", comment, lead)

    def _reply_moment(self, lead: dict) -> dt.datetime:
        started, due = lead["started_at"], lead["close_due"]
        if self.rng.random() < LATE_REPLY_SHARE:
            return due + dt.timedelta(hours=self.rng.uniform(1, 120))
        return started + (due - started) * (self.rng.random() ** 1.6 * 0.95 + 0.01)


class _Cutoff(Exception):
    """The next step would happen after the anchor: the story stops where it is."""


class _Story:
    """Appends one demand's rows to the batch; ``at`` stops the story at the anchor."""

    def __init__(self, teller: Storyteller, batch: Batch, demand_id: int, code: str, title: str) -> None:
        self.teller, self.batch, self.demand_id = teller, batch, demand_id
        self.repr = f"{code} {title}"[:200]
        self.orders: list[dict] = []
        self.ratings: list[dict] = []

    def at(self, moment: dt.datetime) -> dt.datetime:
        if moment >= self.teller.end:
            raise _Cutoff
        return moment

    def order(self, department_id: int, role: str, at: dt.datetime, limits: Limits, emergency: bool) -> dict:
        due = self.teller.clock.due(at, limits, emergency)
        order = {
            "id": self.batch.take("assignment"), "demand_id": self.demand_id, "department_id": department_id,
            "role": role, "status": "pending", "started_at": at, "contacted_at": None, "first_interim_at": None,
            "replied_at": None, "paused_at": None, "paused_seconds": 0, "extended_until": None,
            "contact_due": due.contact_due, "interim_due": due.interim_due, "close_due": due.close_due,
            "warned_at": None, "overdue_at": None, "return_reason": "",
        }  # fmt: skip
        self.orders.append(order)
        return order

    def finish(self, orders: list[dict]) -> None:
        """Co-handlers' orders end with the demand (``services._finish_co_handlers``)."""
        for order in orders:
            if order["status"] in ("pending", "in_progress"):
                order["status"] = "done"

    def event(self, at, kind, actor, before, after, text, order: dict | None = None, public=True) -> None:
        batch = self.batch
        assignment_id = order["id"] if order else None
        batch.rows["event"].append(
            (batch.take("event"), self.demand_id, assignment_id, kind, actor, before, after, text, public, at)
        )
        # The JSON of services._event's ``changes``, written by hand: json.dumps was a fifth of the load's time.
        parts = [f'"status": ["{before}", "{after}"]'] if before and before != after else []
        if assignment_id is not None:
            parts.append(f'"assignment": [null, {assignment_id}]')
        changes = "{" + ", ".join(parts) + "}"
        batch.rows["audit"].append(
            (
                batch.take("audit"), self.teller.cast.zone_id, actor, f"demand.{kind}", "demands.demand",
                str(self.demand_id), self.repr, changes, text, at,
            )
        )  # fmt: skip

    def rating(self, at, level, comment, rater, *, on_behalf: bool) -> None:
        self.ratings.append({"level": level, "created_at": at})
        self.batch.rows["rating"].append(
            (self.batch.take("rating"), self.demand_id, level, comment, rater, on_behalf, at)
        )

    def supervise(self, at, actor, label: str) -> None:
        self.batch.rows["supervision"].append(
            (self.batch.take("supervision"), self.demand_id, None, 1, "disposition", "", actor, at)
        )
        self.event(at, "supervised", actor, "", "handling", label, public=False)

    def flush_orders(self) -> None:
        rows = self.batch.rows["assignment"]
        for order in self.orders:
            rows.append(tuple(order[name] for name in COLUMNS["assignment"]))

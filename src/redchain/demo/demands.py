"""About 2,000 demo demands over the twelve months before the demo's anchor date, played through the services.

Each demand gets a *plan* drawn from the demo seed (its time, enterprise, channel, category, disposition and
fate: rejected, merged, returned and re-dispatched, paused, extended, redone, escalated, closed unrated, or
left open near the anchor), and the plan is then *played* step by step through ``demands.services``, so the
timeline, the deadlines, the supervision orders and the audit rows are the real ones.

Past timestamps: the services and ``auto_now_add`` read ``django.utils.timezone.now()``; during the load it
is patched (``unittest.mock.patch``) to return a clock that the player moves before each step, so every row
carries the moment of its step in the past. Two reads are memoised for the load only, because they cannot
change while it runs: the zone's working calendar (``WorkCalendar.for_zone``) and the deadline policy lookup
(``deadlines.limits_for``). Notifications are delivered only for the events of the last
``NOTIFY_LAST_DAYS`` days, so the demo inbox shows recent work rather than a year of history.

Steps that would fall after the anchor are not played: a demand submitted in the last days stays where its
story stops (submitted, accepted, handling, returned or replied), as a live system's would.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from unittest import mock
from zoneinfo import ZoneInfo

from redchain.accounts.models import Role, User
from redchain.accounts.services import membership_grant, user_create
from redchain.demands import deadlines, rollups
from redchain.demands import services as s
from redchain.demands.calendar import WorkCalendar
from redchain.demands.defaults import ensure_defaults
from redchain.demands.models import Assignment, Category, Demand
from redchain.demands.notifications import deliver
from redchain.demo import data
from redchain.demo import data_demands as dd
from redchain.demo.fakes import Fakes
from redchain.orgs.models import Alliance, AllianceMember, Department, Enterprise, Zone

SHANGHAI = ZoneInfo("Asia/Shanghai")
END = dt.datetime.combine(data.AS_OF, dt.time(18, 0), tzinfo=SHANGHAI)
START = END - dt.timedelta(days=365)
HANDLER_USERNAMES = {"企业服务局": "handler1", "市场监督管理局": "handler2"}


class _Cutoff(Exception):
    """The next step would happen after the anchor: the story stops here."""


@dataclass
class Cast:
    """Who acts in the stories: the zone admin, the leader, one handler per department, firm contacts."""

    admin: User
    leader: User
    handlers: dict[int, User]
    contacts: dict[int, User]


@dataclass
class Plan:
    """Everything drawn for one demand before it is played, so the draws never depend on the database."""

    at: dt.datetime
    firm: Enterprise
    channel: str
    category: Category
    title: str
    body: str
    disposition: str
    department_id: int
    fate: str = "normal"
    co_departments: list[int] = field(default_factory=list)
    wrong_department: int | None = None
    stop: str = ""
    late_contact: bool = False
    late_reply: bool = False
    pause: bool = False
    extension: bool = False
    interim: bool = False
    unsatisfied: int = 0  # how many 不满意 before the final rating
    rating: str = "satisfied"
    reply_days: float = 1.0


class Clock:
    """The time the patched ``timezone.now()`` returns."""

    def __init__(self) -> None:
        self.now = START


def build_demands(
    *, zone: Zone, departments: dict[str, Department], fakes: Fakes, count: int = dd.DEMAND_COUNT
) -> int:
    """Create the demo demands unless the zone has demands already; returns how many were created."""
    if Demand.objects.filter(zone=zone).exists():
        return 0
    categories = ensure_defaults(zone=zone)
    cast = _cast(zone, departments, fakes)
    firms = list(Enterprise.objects.filter(zone=zone).order_by("id"))
    alliances = _alliances_by_firm(zone)
    calendar = WorkCalendar.for_zone(zone.pk)
    plans = _plans(fakes.stage("demands"), firms, categories, departments, alliances, count, calendar)
    player = _Player(
        zone=zone, cast=cast, fakes=fakes.stage("demand-steps"), calendar=calendar, alliances=alliances
    )
    # Thousands of steps in a row: the rollup cells are rebuilt once at the end instead of after each step.
    with player.frozen_time(), rollups.suspended(zone_id=zone.pk):
        for plan in plans:
            player.play(plan)
    for event_id in player.recent_events:
        deliver(event_id)
    return len(plans)


# --- The cast ----------------------------------------------------------------------------------------------


def _cast(zone: Zone, departments: dict[str, Department], fakes: Fakes) -> Cast:
    """The demo accounts, plus one handler account (no usable password) for each other department."""
    fakes.stage("department-handlers")
    users = {
        u.username: u for u in User.objects.filter(username__in=["zone-admin", "leader", "firm1", "firm2"])
    }
    handlers = {}
    for index, (name, department) in enumerate(sorted(departments.items(), key=lambda kv: kv[1].pk), start=1):
        username = HANDLER_USERNAMES.get(name)
        if username:
            handlers[department.pk] = User.objects.get(username=username)
            continue
        display_name, _gender = fakes.person()
        user = user_create(
            actor=None,
            username=f"dept-handler-{index:02d}",
            password=None,
            display_name=display_name,
            phone=fakes.mobile(),
        )
        membership_grant(actor=None, user=user, zone=zone, role=Role.HANDLER, department=department)
        handlers[department.pk] = user
    contacts = {}
    for user in (users["firm1"], users["firm2"]):
        for membership in user.memberships.all():
            if membership.enterprise_id is not None:
                contacts[membership.enterprise_id] = user
    return Cast(admin=users["zone-admin"], leader=users["leader"], handlers=handlers, contacts=contacts)


def _alliances_by_firm(zone: Zone) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    rows = AllianceMember.objects.filter(alliance__zone=zone, enterprise__isnull=False).order_by("id")
    for enterprise_id, alliance_id in rows.values_list("enterprise_id", "alliance_id"):
        found[enterprise_id].append(alliance_id)
    return found


# --- Plans -------------------------------------------------------------------------------------------------


def _plans(fakes, firms, categories, departments, alliances, count, calendar) -> list[Plan]:
    weights = [(firm, 6 if firm.scale == Enterprise.Scale.ABOVE else 2) for firm in firms]
    leaves = [(code, weight) for code, (weight, _t) in dd.TEMPLATES.items()]
    department_ids = sorted(d.pk for d in departments.values())
    plans = [
        _plan(fakes, _moment(fakes, calendar), weights, leaves, categories, department_ids, alliances)
        for _ in range(count)
    ]
    plans.sort(key=lambda plan: plan.at)
    _mark_fates(fakes, plans)
    return plans


def _moment(fakes: Fakes, calendar: WorkCalendar) -> dt.datetime:
    """A working-hours moment in the year before the anchor; a little busier in recent months."""
    while True:
        offset = 365 * (1 - fakes.rng.random() ** 1.15)
        day = (START + dt.timedelta(days=offset)).date()
        if calendar.is_workday(day) or fakes.chance(0.08):
            minutes = fakes.between(8 * 60 + 30, 17 * 60 + 45)
            moment = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=SHANGHAI)
            if START < moment < END:
                return moment


def _plan(fakes, at, firms, leaves, categories, department_ids, alliances) -> Plan:
    firm = fakes.weighted(firms)
    code = fakes.weighted(leaves)
    title, body, (low, high) = fakes.pick(dd.TEMPLATES[code][1])
    slots = {
        "firm": firm.name,
        "road": fakes.pick(data.ROADS),
        "n": fakes.between(low, high),
        "month": f"{fakes.between(1, 12)}月",
    }
    channel = fakes.weighted(dd.CHANNELS)
    if channel == "alliance" and not alliances.get(firm.pk):
        channel = "portal"
    category = categories[code]
    department_id = category.default_department_id or category.parent.default_department_id
    disposition = fakes.weighted(dd.DISPOSITIONS)
    if channel == "leader_line" and fakes.chance(0.7):
        disposition = "reported"
    plan = Plan(
        at=at,
        firm=firm,
        channel=channel,
        category=category,
        title=title.format(**slots),
        body=body.format(**slots),
        disposition=disposition,
        department_id=department_id,
    )
    if disposition == "coordinated":
        others = [pk for pk in department_ids if pk != department_id]
        plan.co_departments = sorted({fakes.pick(others) for _ in range(fakes.between(1, 2))})
    low_days, high_days = dd.REPLY_DAYS[disposition]
    plan.reply_days = low_days + (high_days - low_days) * fakes.rng.random()
    return plan


def _mark_fates(fakes: Fakes, plans: list[Plan]) -> None:
    """Draw each demand's path; the last days before the anchor leave some demands open at each step."""
    department_ids = sorted({plan.department_id for plan in plans})
    for plan in plans:
        age = (END - plan.at).days
        roll = fakes.rng.random()
        plan.fate = "rejected" if roll < 0.02 else "merged" if roll < 0.032 else "normal"
        plan.late_contact = fakes.chance(0.1)
        plan.late_reply = fakes.chance(0.08)
        plan.pause = fakes.chance(0.06)
        plan.extension = plan.disposition in ("coordinated", "reported") and fakes.chance(0.15)
        plan.interim = plan.disposition in ("coordinated", "reported") or plan.reply_days > 3
        if fakes.chance(0.04):
            plan.wrong_department = fakes.pick([pk for pk in department_ids if pk != plan.department_id])
        level = fakes.rng.random()
        plan.rating = "satisfied" if level < 0.72 else "basically_satisfied" if level < 0.93 else "unrated"
        plan.unsatisfied = 3 if fakes.chance(0.006) else 1 if fakes.chance(0.05) else 0
        if age <= 6:
            plan.stop = fakes.weighted((("", 60), ("submitted", 15), ("accepted", 12), ("returned", 6)))
            if plan.stop == "returned" and plan.wrong_department is None:
                plan.wrong_department = fakes.pick([pk for pk in department_ids if pk != plan.department_id])
        elif age <= 60 and fakes.chance(0.04):
            plan.stop = "stalled"


# --- Playing -----------------------------------------------------------------------------------------------


class _Player:
    """Plays plans through the services with the clock moved before every step."""

    def __init__(self, *, zone, cast, fakes, calendar, alliances) -> None:
        self.zone, self.cast, self.fakes, self.calendar, self.alliances = (
            zone,
            cast,
            fakes,
            calendar,
            alliances,
        )
        self.clock = Clock()
        self.recent_events: list[int] = []
        self.notify_from = END - dt.timedelta(days=dd.NOTIFY_LAST_DAYS)
        self.mergeable: list[Demand] = []
        self.departments = {d.pk: d for d in Department.objects.filter(zone=zone)}
        self.alliance_objects = Alliance.objects.filter(zone=zone).in_bulk()
        self.sequence = 0

    @contextmanager
    def frozen_time(self):
        with ExitStack() as stack:
            stack.enter_context(mock.patch("django.utils.timezone.now", side_effect=lambda: self.clock.now))
            stack.enter_context(mock.patch.object(WorkCalendar, "for_zone", return_value=self.calendar))
            stack.enter_context(
                mock.patch.object(deadlines, "limits_for", lru_cache(maxsize=None)(deadlines.limits_for))
            )
            stack.enter_context(mock.patch.object(s, "queue_notifications", self._collect))
            yield

    def _collect(self, event) -> None:
        if self.clock.now >= self.notify_from:
            self.recent_events.append(event.pk)

    def at(self, moment: dt.datetime) -> dt.datetime:
        if moment > END:
            raise _Cutoff
        self.clock.now = moment
        return moment

    def office(self, moment: dt.datetime) -> dt.datetime:
        """The same moment, or the next working morning when it falls outside office hours."""
        local = moment.astimezone(SHANGHAI)
        if 8 <= local.hour < 18 and self.calendar.is_workday(local.date()):
            return local
        day = local.date() + dt.timedelta(days=1 if local.hour >= 18 else 0)
        while not self.calendar.is_workday(day):
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(8, 30), tzinfo=SHANGHAI) + dt.timedelta(
            minutes=self.fakes.between(0, 90)
        )

    def after(self, moment: dt.datetime, *, minutes: float = 0, days: float = 0) -> dt.datetime:
        if days:
            moment = self.calendar.add_working_time(moment, dt.timedelta(days=days))
        return self.office(moment + dt.timedelta(minutes=minutes))

    def play(self, plan: Plan) -> None:
        try:
            self._play(plan)
        except _Cutoff:
            pass

    # One demand ------------------------------------------------------------------------------------------

    def _play(self, plan: Plan) -> None:
        admin = self.cast.admin
        t = self.at(plan.at)
        demand = self._submit(plan)
        if plan.stop == "submitted":
            return
        if plan.fate == "merged" and self.mergeable:
            self.at(self.after(t, minutes=self.fakes.between(10, 120)))
            s.demand_merge(actor=admin, demand=demand, into=self.fakes.pick(self.mergeable[-40:]))
            return
        t = self.at(self.after(t, minutes=self.fakes.between(5, 45)))
        if plan.fate == "rejected":
            s.demand_reject(actor=admin, demand=demand, reason=self.fakes.pick(dd.REJECT_REASONS))
            return
        s.demand_accept(actor=admin, demand=demand)
        if plan.stop == "accepted":
            return
        self.mergeable.append(demand)
        t = self.at(self.after(t, minutes=self.fakes.between(5, 60)))
        if plan.wrong_department is not None:
            t = self._misdirected(plan, demand, t)
            if plan.stop == "returned":
                return
        self._dispatch(plan, demand, plan.department_id, plan.co_departments)
        t = self._handle(plan, demand, t)
        self._follow_up(plan, demand, t)

    def _submit(self, plan: Plan) -> Demand:
        firm = plan.firm
        contact = self.cast.contacts.get(firm.pk)
        actor = contact if plan.channel == "portal" and contact else self.cast.admin
        alliance_ids = self.alliances.get(firm.pk) or [None]
        return s.demand_submit(
            actor=actor,
            zone=self.zone,
            title=plan.title,
            body=plan.body,
            channel=plan.channel,
            enterprise=firm,
            category=plan.category,
            contact_name=firm.contact_name,
            contact_phone=firm.contact_phone,
            external_id=self._external_id(plan),
            alliance=self._alliance(plan, alliance_ids[0]),
            is_emergency=plan.disposition == "immediate" and self.fakes.chance(0.03),
        )

    def _external_id(self, plan: Plan) -> str:
        if plan.channel != "12345":
            return ""
        self.sequence += 1
        return f"GD{plan.at.astimezone(SHANGHAI):%Y%m%d}{self.sequence:05d}"

    def _alliance(self, plan: Plan, alliance_id):
        if plan.channel != "alliance" or alliance_id is None:
            return None
        return self.alliance_objects[alliance_id]

    def _dispatch(self, plan: Plan, demand: Demand, department_id: int, co: list[int]) -> None:
        s.demand_dispatch(
            actor=self.cast.admin,
            demand=demand,
            department=self.departments[department_id],
            disposition=plan.disposition,
            co_departments=[self.departments[pk] for pk in co],
        )

    def _misdirected(self, plan: Plan, demand: Demand, t: dt.datetime) -> dt.datetime:
        """Dispatched to the wrong department, returned (退单), then re-dispatched by the zone."""
        assert plan.wrong_department is not None  # only misdirected plans come here  # noqa: S101
        self._dispatch(plan, demand, plan.wrong_department, [])
        handler = self.cast.handlers[plan.wrong_department]
        t = self.at(self.after(t, minutes=self.fakes.between(20, 240)))
        s.assignment_return(actor=handler, demand=demand, reason=dd.RETURN_REASON)
        if plan.stop == "returned":
            return t
        return self.at(self.after(t, minutes=self.fakes.between(30, 300)))

    def _handle(self, plan: Plan, demand: Demand, dispatched: dt.datetime) -> dt.datetime:
        lead = self.cast.handlers[plan.department_id]
        if plan.disposition == "reported" or plan.channel == "leader_line":
            self.at(self.after(dispatched, minutes=self.fakes.between(30, 600)))
            s.demand_instruct(actor=self.cast.leader, demand=demand, text=self.fakes.pick(dd.INSTRUCTIONS))
        late = plan.late_contact
        minutes = self.fakes.between(70, 300) if late else self.fakes.between(5, 55)
        t = self.at(dispatched + dt.timedelta(minutes=minutes))
        s.assignment_contact(actor=lead, demand=demand)
        for co in plan.co_departments:
            self.at(dispatched + dt.timedelta(minutes=self.fakes.between(10, 80)))
            s.assignment_contact(actor=self.cast.handlers[co], demand=demand)
        self.clock.now = t
        if plan.stop == "stalled":
            self.at(self.after(dispatched, days=6))
            s.demand_supervise(actor=self.cast.admin, demand=demand, level=2, note=dd.SUPERVISION_NOTE)
            raise _Cutoff
        return self._work(plan, demand, dispatched, lead)

    def _work(self, plan: Plan, demand: Demand, dispatched: dt.datetime, lead: User) -> dt.datetime:
        dept = self.departments[plan.department_id].short_name or self.departments[plan.department_id].name
        if plan.interim:
            self.at(self.after(dispatched, days=min(1.5, plan.reply_days / 2)))
            s.assignment_interim_reply(
                actor=lead, demand=demand, text=self.fakes.pick(dd.INTERIM_REPLIES).format(dept=dept)
            )
        extra = 0.0
        if plan.pause:
            self.at(self.after(dispatched, days=0.4))
            s.assignment_pause(actor=lead, demand=demand, reason=dd.PAUSE_REASON)
            extra = self.fakes.between(1, 3)
            self.at(self.after(dispatched, days=0.4 + extra))
            s.assignment_resume(actor=lead, demand=demand)
        if plan.extension:
            extra += self._extend(demand, dispatched, lead, plan)
        days = plan.reply_days + extra + (self.fakes.between(1, 4) + 0.5 if plan.late_reply else 0)
        if plan.late_reply and plan.disposition != "supervised":
            self.at(self.after(dispatched, days=days - 0.5))
            s.demand_supervise(actor=self.cast.admin, demand=demand, level=1, note=dd.SUPERVISION_NOTE)
        t = self.at(self.after(dispatched, days=days))
        text = dd.GUIDANCE if plan.disposition == "guided" else self.fakes.pick(dd.REPLIES)
        s.demand_reply(actor=lead, demand=demand, text=text.format(dept=dept))
        return t

    def _extend(self, demand: Demand, dispatched: dt.datetime, lead: User, plan: Plan) -> float:
        close_due = (
            Assignment.objects.filter(demand=demand, role="lead")
            .order_by("-id")
            .values_list("close_due", flat=True)[0]
        )
        self.at(self.after(dispatched, days=max(0.5, plan.reply_days - 1)))
        until = self.calendar.add_working_time(close_due, dt.timedelta(days=5))
        s.assignment_request_extension(actor=lead, demand=demand, until=until, reason=dd.EXTENSION_REASON)
        self.at(self.clock.now + dt.timedelta(minutes=self.fakes.between(20, 180)))
        approve = self.fakes.chance(0.85)
        s.extension_decide(actor=self.cast.admin, demand=demand, approve=approve)
        return 3.0 if approve else 0.0

    def _follow_up(self, plan: Plan, demand: Demand, replied: dt.datetime) -> None:
        rater = self.cast.contacts.get(plan.firm.pk, self.cast.admin)
        lead = self.cast.handlers[plan.department_id]
        t = replied
        for round_ in range(plan.unsatisfied):
            t = self.at(self.after(t, days=0.3 + self.fakes.rng.random()))
            s.demand_rate(
                actor=rater,
                demand=demand,
                level="unsatisfied",
                comment=self.fakes.pick(dd.UNSATISFIED_COMMENTS),
            )
            demand.refresh_from_db(fields=["status"])
            if demand.status == Demand.Status.RETURNED:  # redone too often: the zone arbitrates
                self.at(self.after(t, days=1))
                s.demand_close(actor=self.cast.admin, demand=demand, solved=False, reason=dd.CLOSE_UNSOLVED)
                return
            t = self.at(self.after(t, days=0.5 + self.fakes.between(0, 2)))
            s.demand_reply(
                actor=lead,
                demand=demand,
                text=f"第{round_ + 2}次答复：" + self.fakes.pick(dd.REPLIES).format(dept=""),
            )
        t = self.at(self.after(t, days=0.2 + 1.5 * self.fakes.rng.random()))
        if plan.rating == "unrated":
            s.demand_close(
                actor=self.cast.admin, demand=demand, solved=self.fakes.chance(0.7), reason=dd.CLOSE_UNRATED
            )
        else:
            s.demand_rate(
                actor=rater, demand=demand, level=plan.rating, comment=self.fakes.pick(dd.SATISFIED_COMMENTS)
            )


def timed_build(**kwargs) -> tuple[int, float]:
    """``build_demands`` with its wall time, for the loader's progress line and the benchmark."""
    started = time.perf_counter()
    created = build_demands(**kwargs)
    return created, round(time.perf_counter() - started, 1)

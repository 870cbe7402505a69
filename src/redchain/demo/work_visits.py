"""Demo visits (行走的办公室) in the year before the demo's anchor date, written through ``visits.services``.

Two kinds of visit, so the story agrees with the demand demo:

* every demand the demand demo submitted on the "on-site visit" channel gets the visit it was found on: the
  same enterprise, the day of submission, visited by a handler of the department that leads the demand, with a
  finding linked to that demand (``finding_link_demand``);
* plain visits by the demo departments' staff (handler1 and handler2 most often), the leader and the
  instructor, about 40 % of all visits with findings; findings of plain visits are resolved on the spot or,
  mostly in the last weeks, still open. Companions are recorded as text; no account is created.

Everything is drawn from ``fakes`` (the stage's seeded stream) and the database in id order, so two loads
give identical rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from redchain.accounts.models import Membership, Role, User
from redchain.demands.models import Assignment, Channel, Demand
from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.orgs.models import AllianceMember, Enterprise, Zone
from redchain.visits import services
from redchain.visits.models import Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = data.AS_OF - dt.timedelta(days=364)
PLAIN_MINIMUM = 300  # visits in all when no demand is linked
FINDING_SHARE = 0.4
PURPOSES = (("routine", 45), ("research", 15), ("onsite_office", 20), ("policy", 15), ("other", 5))
POSTS = ("总经理", "副总经理", "行政主管", "财务负责人", "生产厂长", "人事经理", "党支部书记")

SUMMARIES = (
    "企业生产经营总体平稳，订单已排至{month}，产能利用率约{pct}%。",
    "实地查看新建产线调试情况，企业计划年内扩产，关注用地和用电保障。",
    "宣讲研发费用加计扣除、稳岗返还等惠企政策，企业财务负责人现场咨询申报流程。",
    "了解企业用工情况，目前缺口约{n}人，以数控、焊接等技术工人为主。",
    "走访企业党支部，了解党建联盟资源对接需求，企业希望对接上下游配套企业。",
    "座谈了解企业上下游配套情况，链主企业订单带动明显，本地配套率有所提高。",
    "查看企业安全生产和消防设施，现场台账规范，提醒做好汛期防范。",
    "企业反映原材料价格上涨、物流成本上升，利润空间收窄，希望在融资方面得到支持。",
    "了解企业数字化改造进展，已完成MES系统上线，计划申报省级智能工厂。",
    "现场办公协调企业二期项目报建手续，明确各部门办理时限。",
)
# (title, detail, how it was resolved on the spot)
FINDINGS = (
    (
        "技术工人招聘难",
        "新产线投产后需增加数控操作工约{n}人，本地招聘困难。",
        "现场对接人社部门，纳入下周专场招聘会。",
    ),
    (
        "厂区门口道路破损",
        "厂区东门道路路面破损，货车进出不便，雨天积水严重。",
        "现场联系建设部门，已列入本月道路维修计划。",
    ),
    (
        "研发费用加计扣除政策不清楚",
        "企业对研发费用归集口径把握不准，担心申报出错。",
        "现场讲解政策口径并发放申报指引，企业已明白。",
    ),
    (
        "员工子女入学咨询",
        "新引进骨干员工子女入学需要办理哪些手续不清楚。",
        "现场告知入学积分政策和报名时间，留下经办人电话。",
    ),
    (
        "用电容量不足",
        "二期车间投产后用电负荷增加约{n}千伏安，现有容量不足。",
        "现场联系供电所客户经理，约定上门勘察时间。",
    ),
    (
        "消防验收进度咨询",
        "新建仓库已完工，消防验收申请提交后未收到进度反馈。",
        "现场查询审批系统并告知办理进度和补正材料。",
    ),
    (
        "高新技术企业认定材料准备",
        "企业首次申报高新技术企业，对知识产权和研发项目材料要求不清楚。",
        "现场讲解认定条件，推荐园区免费辅导机构。",
    ),
    (
        "夜间货车通行证办理",
        "企业夜间发货需货车进入限行路段，不清楚通行证办理渠道。",
        "现场指导在线申请通行证，当场提交成功。",
    ),
    (
        "流动资金贷款需求",
        "受回款周期影响，企业短期流动资金缺口约{n}万元。",
        "现场对接政银企数据征信平台，推荐合作银行信用贷产品。",
    ),
    (
        "员工通勤公交线路少",
        "园区到企业的公交班次少，早晚高峰员工通勤不便。",
        "现场联系交通部门，高峰时段加密班次已纳入调整方案。",
    ),
    ("宽带网络不稳定", "厂区宽带经常中断，影响订单系统和视频会议。", "现场联系运营商，当天派人检修线路。"),
    (
        "排污许可证延续办理",
        "排污许可证即将到期，延续所需监测报告不清楚。",
        "现场讲解延续流程和材料清单，企业当场预约监测。",
    ),
)


@dataclass(frozen=True)
class Visitor:
    user: User
    weight: int
    firms: tuple[Enterprise, ...] | None = None  # None: any enterprise of the zone


def build(*, zone: Zone, fakes: Fakes) -> str:
    """Create the demo visits unless the zone has some; return one progress line."""
    if Visit.objects.filter(zone=zone).exists():
        return ""
    firms = list(Enterprise.objects.filter(zone=zone).order_by("id"))
    handlers = _handlers_by_department(zone)
    linked = _linked_visits(zone, fakes, handlers)
    # With the full demand demo the visits behind its demands alone are near 300; plain visits are added so
    # that findings stay the exception they are (about 40 % without linked demands, at most about half with).
    plain_count = max(PLAIN_MINIMUM - linked, math.ceil(linked * 1.0))
    share = max(0.12, (FINDING_SHARE * (linked + plain_count) - linked) / plain_count)
    visitors = _visitors(zone, firms, handlers)
    for _ in range(plain_count):
        _plain_visit(fakes, visitors, firms, with_findings=fakes.chance(share))
    for username in ("firm1", "firm2"):
        _visits_to_contact_firm(zone, fakes, visitors, username)
    total = Visit.objects.filter(zone=zone).count()
    return f"{total} visits logged, {linked} with findings linked to the demands found on them"


# --- who visits ------------------------------------------------------------------------------------------


def _handlers_by_department(zone: Zone) -> dict[int | None, User]:
    """The first handler of each department (handler1, handler2, and the demand demo's department handlers)."""
    found: dict[int | None, User] = {}
    rows = Membership.objects.filter(zone=zone, role=Role.HANDLER).select_related("user").order_by("user_id")
    for membership in rows:
        found.setdefault(membership.department_id, membership.user)
    return found


def _visitors(zone: Zone, firms: list[Enterprise], handlers: dict[int | None, User]) -> list[Visitor]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["handler1", "handler2", "leader", "instructor1"])
    }
    visitors = [Visitor(users["handler1"], 30), Visitor(users["handler2"], 24), Visitor(users["leader"], 8)]
    others = [user for user in handlers.values() if user.username not in users]
    visitors += [Visitor(user, max(1, 24 // max(1, len(others)))) for user in others]
    instructor = Membership.objects.filter(user=users["instructor1"], zone=zone).first()
    if instructor is not None and instructor.alliance_id is not None:
        members = AllianceMember.objects.filter(alliance_id=instructor.alliance_id, enterprise__isnull=False)
        member_ids = set(members.values_list("enterprise_id", flat=True))
        member_firms = tuple(firm for firm in firms if firm.pk in member_ids)
        if member_firms:
            visitors.append(Visitor(users["instructor1"], 10, member_firms))
    return visitors


# --- visits behind the demo demands -----------------------------------------------------------------------


def _linked_visits(zone: Zone, fakes: Fakes, handlers: dict[int | None, User]) -> int:
    """One visit per enterprise and day on which on-site visit demands were submitted; returns the count."""
    demands = list(
        Demand.objects.filter(zone=zone, channel=Channel.VISIT, enterprise__isnull=False)
        .select_related("enterprise")
        .order_by("created_at", "id")
    )
    leads = dict(
        Assignment.objects.filter(demand__in=demands, role=Assignment.Role.LEAD)
        .order_by("started_at", "id")
        .values_list("demand_id", "department_id")
    )
    groups: dict[tuple[Enterprise, dt.date], list[Demand]] = defaultdict(list)
    for demand in demands:
        if demand.enterprise is not None:
            groups[(demand.enterprise, demand.created_at.astimezone(SHANGHAI).date())].append(demand)
    fallback = User.objects.get(username="handler1")
    for (firm, day), found in groups.items():
        first = found[0]
        visitor = handlers.get(leads.get(first.pk), fallback)
        submitted = first.created_at.astimezone(SHANGHAI)
        start = submitted - dt.timedelta(minutes=fakes.between(30, 120))
        visit = services.visit_create(
            actor=None,
            visitor=visitor,
            enterprise=firm,
            visited_on=day,
            start_time=start.time().replace(second=0, microsecond=0) if start.date() == day else None,
            purpose=fakes.weighted((("routine", 3), ("onsite_office", 2), ("research", 1))),
            summary=_summary(fakes),
            people_met=_people_met(fakes, firm),
            companions=_companions(fakes),
        )
        for demand in found:
            finding = services.finding_create(
                actor=None,
                visit=visit,
                title=demand.title,
                detail=demand.body,
                urgency="urgent" if demand.is_emergency else fakes.weighted((("normal", 4), ("urgent", 1))),
            )
            services.finding_link_demand(actor=None, finding=finding, demand=demand)
    return len(groups)


# --- plain visits ----------------------------------------------------------------------------------------


def _plain_visit(
    fakes: Fakes, visitors: list[Visitor], firms: list[Enterprise], *, with_findings: bool
) -> None:
    visitor = fakes.weighted([(v, v.weight) for v in visitors])
    firm = fakes.pick(visitor.firms or firms)
    _log(fakes, visitor, firm, fakes.day_between(START, data.AS_OF), with_findings=with_findings)


def _visits_to_contact_firm(zone: Zone, fakes: Fakes, visitors: list[Visitor], username: str) -> None:
    """The firms of the demo's enterprise contacts get visits of their own, so their logins show some."""
    membership = (
        Membership.objects.filter(zone=zone, user__username=username).select_related("enterprise").first()
    )
    if membership is None or membership.enterprise is None:
        return
    for offset, with_findings in ((12, True), (75, False), (160, True)):
        visitor = visitors[offset % 2]  # handler1 and handler2
        _log(
            fakes,
            visitor,
            membership.enterprise,
            data.AS_OF - dt.timedelta(days=offset),
            with_findings=with_findings,
        )


def _log(fakes: Fakes, visitor: Visitor, firm: Enterprise, day: dt.date, *, with_findings: bool) -> Visit:
    day = _workday(day)
    visit = services.visit_create(
        actor=None,
        visitor=visitor.user,
        enterprise=firm,
        visited_on=day,
        start_time=dt.time(fakes.between(9, 16), fakes.pick((0, 15, 30, 45))),
        purpose=fakes.weighted(PURPOSES),
        summary=_summary(fakes),
        people_met=_people_met(fakes, firm),
        companions=_companions(fakes) if fakes.chance(0.6) else "",
        internal_note="企业负责人希望领导下次带队走访。" if fakes.chance(0.1) else "",
    )
    if with_findings:
        for _ in range(fakes.weighted(((1, 3), (2, 1)))):
            _finding(fakes, visit, recent=(data.AS_OF - day).days <= 60)
    return visit


def _finding(fakes: Fakes, visit: Visit, *, recent: bool) -> None:
    title, detail, resolution = fakes.pick(FINDINGS)
    finding = services.finding_create(
        actor=None,
        visit=visit,
        title=title,
        detail=detail.format(n=fakes.between(20, 800)),
        urgency=fakes.weighted((("low", 2), ("normal", 6), ("urgent", 1))),
    )
    if fakes.chance(0.5 if recent else 0.88):
        services.finding_resolve(actor=None, finding=finding, note=resolution)


def _workday(day: dt.date) -> dt.date:
    """Visits happen on weekdays: a weekend day moves back to Friday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def _summary(fakes: Fakes) -> str:
    return fakes.pick(SUMMARIES).format(
        month=f"{fakes.between(1, 12)}月", pct=fakes.between(70, 98), n=fakes.between(10, 80)
    )


def _people_met(fakes: Fakes, firm: Enterprise) -> str:
    name = firm.contact_name or fakes.person()[0]
    return f"{fakes.pick(POSTS)} {name}"


def _companions(fakes: Fakes) -> str:
    units = ("人社局", "自然资源局", "供电所", "住建局", "税务分局", "园区服务中心")
    return "、".join(f"{fakes.pick(units)} {fakes.person()[0]}" for _ in range(fakes.between(1, 2)))

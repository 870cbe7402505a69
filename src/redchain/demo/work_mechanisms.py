"""Demo records of the alliance mechanisms (seed 003, Jinzhong): places (示范点, 指导站, 活动阵地), a year of
双月工作例会 per alliance up to the anchor day with attendance, minutes and decisions, a few 民主协商会, one
结盟立约 pact per alliance with its members' commitments, and the six actions' activities.

Everything goes through ``mechanisms.services`` with the system as actor; dates are explicit and fall in the
twelve months up to ``data.AS_OF``. The first alliance (``instructor1``'s) gets the richest record.
"""

from __future__ import annotations

import datetime as dt

from redchain.accounts.models import Membership
from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.mechanisms import services as s
from redchain.mechanisms.models import Action, Meeting, Place, slot_of
from redchain.mechanisms.services import Presence
from redchain.orgs.models import Alliance, AllianceMember, Zone

# The demo story covers the twelve months up to the anchor day.
START = data.AS_OF.replace(year=data.AS_OF.year - 1) + dt.timedelta(days=1)

TOPICS = (
    "通报上两个月联盟工作情况，梳理链上企业反映的用工、融资和用地问题",
    "研究产业链上下游供需对接清单，确定下阶段协同配套重点",
    "听取成员单位党组织工作汇报，交流党建与生产经营融合做法",
    "部署助企纾困专项行动，明确职能部门包联责任",
    "讨论联盟示范点建设和党建活动阵地共享安排",
    "研究链主企业带动配套企业技术攻关事项",
)
DECISIONS = (
    "梳理链上企业用工需求，联合人社部门举办专场招聘会",
    "协调合作银行为配套企业开展“党建+金融”授信对接",
    "组织链主企业向中小配套企业开放检测实验平台",
    "牵头编制产业链供需对接清单并在下次例会通报",
    "对接职能部门解决企业项目报建中的审批堵点",
    "组织党员技术骨干成立攻关小组，攻克关键工艺难题",
    "开展联盟党建活动阵地共享，制定预约使用办法",
    "走访链上新落户企业，宣讲惠企政策",
)
RESULTS = (
    "已组织实施，企业反映良好",
    "已完成对接，形成工作台账",
    "已办结并在例会上通报",
    "已落实，相关问题得到解决",
)
COMMITMENTS = (
    "开放本单位党建活动阵地，每年承办联盟活动不少于2次",
    "每季度向联盟报送一次企业发展需求和问题清单",
    "选派党员技术骨干参与联盟攻关小组",
    "优先采购链上配套企业产品，年度本地配套率提高5个百分点",
    "为链上企业提供政策解读和审批帮办服务",
    "设立联盟党员先锋岗，开展岗位建功活动",
    "提供专属金融产品，为链上中小企业授信",
)
MISSED_REASONS = ("与全区安全生产大检查时间冲突，未能召开", "主要成员单位集中参加招商活动，例会未能召开")
ACTIVITY_TITLES = {
    Action.PACT: ("新成员单位结盟立约仪式", "联盟年度共建协议签约活动"),
    Action.SHARING: ("党建活动阵地共享开放日", "链上企业检测设备共享对接会", "党员教育资源共享联学"),
    Action.RELIEF: ("助企纾困政策宣讲会", "银企对接融资座谈会", "企业用工专场招聘会"),
    Action.PIONEERS: ("党员先锋岗联合培训", "链上企业入党积极分子联合培养", "青年党员技能比武"),
    Action.DEMONSTRATION: ("联盟示范点现场推进会", "“一支部一品牌”示范展示", "党建引领产业发展经验分享会"),
    Action.EXCHANGE: ("走进链主企业观摩交流", "赴兄弟园区党建联盟学习考察", "链上企业互观互学活动"),
}
# The demo writes Chinese whatever language the loader runs in, so the names are not the lazy labels.
ACTION_NAMES: dict[str, str] = {
    Action.PACT: "结盟立约",
    Action.SHARING: "共建共享",
    Action.RELIEF: "助企纾困",
    Action.PIONEERS: "先锋共育",
    Action.DEMONSTRATION: "示范引路",
    Action.EXCHANGE: "观摩交流",
}
ACTION_WEIGHTS = (
    (Action.PACT, 1),
    (Action.SHARING, 3),
    (Action.RELIEF, 3),
    (Action.PIONEERS, 2),
    (Action.DEMONSTRATION, 2),
    (Action.EXCHANGE, 3),
)


def build(*, zone: Zone, fakes: Fakes) -> str:
    """Create the demo records of this app; return one progress line."""
    alliances = list(
        Alliance.objects.filter(zone=zone).select_related("chain").order_by("chain__position", "id")
    )
    if not alliances:
        return ""
    account_firms = set(
        Membership.objects.filter(zone=zone, enterprise__isnull=False).values_list("enterprise_id", flat=True)
    )
    places = _places(zone, alliances, fakes)
    counts = {"meetings": 0, "items": 0, "commitments": 0, "activities": 0}
    for index, alliance in enumerate(alliances):
        rich = index == 0
        members = list(alliance.members.select_related("enterprise", "department", "party_org"))
        owners = _owners(members, account_firms)
        venue = [p for p in places if p.alliance_id in (None, alliance.pk)]
        counts["meetings"] += _meetings(alliance, members, owners, venue, fakes, rich=rich, counts=counts)
        counts["commitments"] += _pact(alliance, owners, fakes, rich=rich)
        counts["activities"] += _activities(alliance, venue, fakes, rich=rich)
    return (
        f"{len(places)} places, {counts['meetings']} alliance meetings with {counts['items']} action items, "
        f"{len(alliances)} pacts with {counts['commitments']} commitments and {counts['activities']} activities created."
    )


def _owners(members: list[AllianceMember], account_firms: set[int]) -> list[AllianceMember]:
    """Units that carry out decisions and commitments: firms and departments, the demo accounts' firms first."""
    units = [m for m in members if m.kind in (AllianceMember.Kind.ENTERPRISE, AllianceMember.Kind.DEPARTMENT)]
    return sorted(units, key=lambda m: (m.enterprise_id not in account_firms, m.role != "lead", m.pk))


# ---------------------------------------------------------------------------------------------- places


def _places(zone: Zone, alliances: list[Alliance], fakes: Fakes) -> list[Place]:
    places = [
        s.place_create(
            actor=None,
            zone=zone,
            name="开发区党建工作指导站",
            kind=Place.Kind.GUIDANCE_STATION,
            address="开发区党群服务中心二楼",
        )
    ]
    for alliance in alliances:
        lead = alliance.members.filter(kind=AllianceMember.Kind.ENTERPRISE).order_by("role", "id").first()
        host = lead.enterprise if lead else None
        short = alliance.chain.name
        places.append(
            s.place_create(
                actor=None,
                zone=zone,
                alliance=alliance,
                host_enterprise=host,
                name=f"{short}党建联盟示范点",
                kind=Place.Kind.DEMONSTRATION_SITE,
                address=host.address if host else "",
            )
        )
        places.append(
            s.place_create(
                actor=None,
                zone=zone,
                alliance=alliance,
                name=f"{short}党建联盟活动阵地",
                kind=Place.Kind.ACTIVITY_VENUE,
                address=f"开发区{fakes.pick(('创业大道', '科技路', '产业园路', '兴业街'))}{fakes.between(1, 300)}号",
            )
        )
    return places


# ---------------------------------------------------------------------------------------------- meetings


def _meeting_days() -> list[dt.date]:
    """The planned days of the bimonthly meetings from the anchor year's first day back twelve months,
    plus the rest of the anchor year (still planned on the anchor day)."""
    days = []
    for year in (data.AS_OF.year - 1, data.AS_OF.year):
        for slot in range(1, 7):
            day = dt.date(year, slot * 2, s.PLANNED_DAY)
            if day >= START:
                days.append(day)
    return days


def _meetings(alliance, members, owners, venue, fakes: Fakes, *, rich: bool, counts: dict) -> int:
    past = [day for day in _meeting_days() if day <= data.AS_OF]
    missed = {fakes.pick(past[:-1])} if rich or fakes.chance(0.35) else set()
    meetings = 0
    for day in _meeting_days():
        meeting = s.meeting_plan(actor=None, alliance=alliance, kind=Meeting.Kind.BIMONTHLY, planned_on=day)
        meetings += 1
        if day > data.AS_OF:
            continue
        if day in missed:
            s.meeting_mark_missed(actor=None, meeting=meeting, reason=fakes.pick(MISSED_REASONS))
            continue
        held_on = _shifted(day, fakes)
        _hold(meeting, held_on, members, venue, fakes)
        counts["items"] += _decisions(meeting, held_on, owners, fakes, rich=rich)
    for _ in range(2 if rich else fakes.between(0, 1)):
        day = fakes.day_between(START, data.AS_OF - dt.timedelta(days=20))
        meeting = s.meeting_plan(
            actor=None,
            alliance=alliance,
            kind=Meeting.Kind.CONSULTATION,
            planned_on=day,
            title=f"{alliance.chain.name}党建联盟民主协商会（{day:%Y年%m月}）",
        )
        _hold(meeting, day, members, venue, fakes)
        counts["items"] += _decisions(meeting, day, owners, fakes, rich=rich)
        meetings += 1
    return meetings


def _shifted(day: dt.date, fakes: Fakes) -> dt.date:
    """Held a few days either side of the plan, never outside its slot nor after the anchor day."""
    moved = day + dt.timedelta(days=fakes.between(-6, 8))
    return moved if slot_of(moved) == slot_of(day) and moved <= data.AS_OF else day


def _hold(meeting, held_on, members, venue, fakes: Fakes) -> None:
    attendance = [
        Presence(
            member=member,
            present=member.role != AllianceMember.Role.MEMBER or fakes.chance(0.82),
            representative=fakes.person()[0],
        )
        for member in members
    ]
    topics = "；".join(fakes.rng.sample(TOPICS, 2))
    s.meeting_record_held(
        actor=None,
        meeting=meeting,
        held_on=held_on,
        minutes=f"会议由党建指导员主持。{topics}。会议形成决定事项并明确责任单位和完成时限。",
        attendance=attendance,
        place=fakes.pick(venue) if venue else None,
    )


def _decisions(meeting, held_on, owners, fakes: Fakes, *, rich: bool) -> int:
    if not owners:
        return 0
    count = fakes.between(2, 3) if rich else fakes.between(1, 2)
    for _ in range(count):
        owner = owners[0] if fakes.chance(0.3) else fakes.pick(owners)
        due = held_on + dt.timedelta(days=fakes.between(20, 75))
        item = s.action_item_add(
            actor=None, meeting=meeting, decision=fakes.pick(DECISIONS), owner=owner, due_on=due
        )
        # Most items due by the anchor day were done; the rest stay open and show as overdue.
        if due <= data.AS_OF and fakes.chance(0.75):
            done_on = min(
                held_on + dt.timedelta(days=fakes.between(7, (due - held_on).days + 10)), data.AS_OF
            )
            s.action_item_complete(actor=None, item=item, done_on=done_on, result=fakes.pick(RESULTS))
    return count


# ---------------------------------------------------------------------------------------------- pacts


def _pact(alliance: Alliance, owners, fakes: Fakes, *, rich: bool) -> int:
    signed = dt.date(data.AS_OF.year - 1, 7, 1) + dt.timedelta(days=fakes.between(0, 20))
    pact = s.pact_create(
        actor=None,
        alliance=alliance,
        title=f"{alliance.chain.name}产业链党建联盟结盟公约（{signed.year}—{signed.year + 2}年）",
        signed_on=signed,
        valid_until=dt.date(signed.year + 3, 6, 30),
        text=(
            "联盟成员单位本着“组织共建、资源共享、发展共促、人才共育”的原则，实行民主协商制、反馈沟通制、资源共享制和"
            "双月工作例会制度，共同开展结盟立约、共建共享、助企纾困、先锋共育、示范引路、观摩交流六大行动。"
        ),
    )
    chosen = owners[: (10 if rich else fakes.between(5, 8))]
    for member in chosen:
        due = signed + dt.timedelta(days=fakes.between(120, 420))
        commitment = s.commitment_add(
            actor=None, pact=pact, member=member, content=fakes.pick(COMMITMENTS), due_on=due
        )
        if due <= data.AS_OF:
            kept = fakes.chance(0.85)
            s.commitment_fulfil(
                actor=None,
                commitment=commitment,
                fulfilled=kept,
                assessed_on=min(due + dt.timedelta(days=fakes.between(0, 20)), data.AS_OF),
                evidence="活动记录、签到表和现场照片已归档"
                if kept
                else "因订单调整未按期完成，已列入下年度计划",
            )
    return len(chosen)


# ---------------------------------------------------------------------------------------------- activities


def _activities(alliance: Alliance, venue, fakes: Fakes, *, rich: bool) -> int:
    count = 18 if rich else fakes.between(8, 14)
    for _ in range(count):
        action = fakes.weighted(ACTION_WEIGHTS)
        place = fakes.pick(venue) if venue and fakes.chance(0.7) else None
        s.activity_record(
            actor=None,
            alliance=alliance,
            action=action,
            title=f"{alliance.chain.name}党建联盟{fakes.pick(ACTIVITY_TITLES[action])}",
            held_on=fakes.day_between(START, data.AS_OF),
            participant_count=fakes.between(12, 120),
            summary=_summary(action, fakes),
            place=place,
            place_note="" if place else "链上成员企业",
        )
    return count


def _summary(action: str, fakes: Fakes) -> str:
    units = fakes.between(5, 20)
    return (
        f"联盟{units}家成员单位参加。活动围绕“{ACTION_NAMES[action]}”行动展开，"
        f"{fakes.pick(('解决企业实际问题', '促成合作意向', '形成经验做法'))}{fakes.between(1, 6)}项，"
        "参与企业普遍反映收获较大。"
    )

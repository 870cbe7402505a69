"""Party life of the demo zone: a year of 三会一课, 主题党日, appraisals and study for every branch and party
group up to the demo anchor, with roll calls; the default cadence rules; brands for about twenty branches and
every branch's star rating for 2024.

Most organisations keep their cadence. A few "lax" branches skip theme days and committee meetings, always
including June 2025, so the missed-cadence list of the latest month has something true to show. Activities are
written through :func:`redchain.partylife.services.activity_import`, audited once per organisation's batch.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from redchain.demo.data import AS_OF
from redchain.demo.fakes import Fakes
from redchain.orgs.models import PartyMember, PartyOrg, Zone
from redchain.partylife import services
from redchain.partylife.compliance import add_months, month_end
from redchain.partylife.models import ActivityKind, Attendance
from redchain.partylife.services import ActivityDraft

K = ActivityKind
FIRST_MONTH = date(2024, 7, 1)
MONTHS = [add_months(FIRST_MONTH, i) for i in range(12)]  # July 2024 to June 2025
LAX_BRANCHES = 6
BRANDED_BRANCHES = 20

THEME_DAYS = {
    7: "庆祝建党103周年暨重温入党誓词",
    8: "学习《中国共产党纪律处分条例》党纪学习教育",
    9: "学习贯彻党的二十届三中全会精神",
    10: "“我为群众办实事”志愿服务",
    11: "走进红色教育基地 传承红色基因",
    12: "学习宪法 弘扬法治精神",
    1: "新春走访慰问困难党员和老党员",
    2: "“党建引领优化营商环境”专题研讨",
    3: "学雷锋志愿服务进社区",
    4: "清明祭英烈 缅怀革命先烈",
    5: "“五一”劳模精神 工匠精神宣讲",
    6: "“七一”前夕党员承诺践诺亮身份",
}
LECTURES = (
    "以高质量党建引领高质量发展",
    "深入学习贯彻习近平新时代中国特色社会主义思想",
    "发挥党员先锋模范作用 助力产业链稳链强链",
    "全面从严治党永远在路上",
)
STUDY_TOPICS = (
    ("学习贯彻中央经济工作会议精神", K.STUDY),
    ("新《公司法》与企业合规经营专题学习", K.STUDY),
    ("安全生产责任制专题培训", K.TRAINING),
    ("发展党员工作规范专题培训", K.TRAINING),
    ("党务干部业务能力提升培训", K.TRAINING),
    ("“学习强国”学习心得交流", K.STUDY),
)
COMMITTEE_AGENDA = (
    "研究本月党建工作安排",
    "讨论发展党员和入党积极分子培养",
    "研究党费收缴和使用情况",
    "研究党员联系服务群众工作",
    "部署主题党日活动",
)
PLACES = ("党员活动室", "党群服务中心", "三楼会议室", "红色教育基地", "企业党建阵地")
SLOGANS = (
    "党建红引领发展蓝",
    "一名党员一面旗",
    "支部建在产业链上",
    "红心向党 匠心筑梦",
    "服务零距离 发展加速度",
    "把支部建在项目上",
)


def build(*, zone: Zone, fakes: Fakes) -> str:
    """Create the demo records of this app; return one progress line."""
    services.cadence_defaults_create(actor=None, zone=zone)
    orgs = list(
        PartyOrg.objects.filter(
            zone=zone, kind__in=[PartyOrg.Kind.BRANCH, PartyOrg.Kind.GENERAL_BRANCH, PartyOrg.Kind.GROUP]
        ).order_by("pk")
    )
    members = _members_by_org(zone)
    branches = [org for org in orgs if org.kind != PartyOrg.Kind.GROUP]
    lax = {org.pk for org in fakes.rng.sample(branches, min(LAX_BRANCHES, len(branches)))}
    activities = sum(
        services.activity_import(
            actor=None, org=org, drafts=_year(org, members.get(org.pk, []), fakes, lax=org.pk in lax)
        )
        for org in orgs
    )
    brands = _brands(branches, fakes)
    ratings = _ratings(branches, fakes, lax)
    return (
        f"{activities} party activities for {len(orgs)} organisations "
        f"({len(lax)} lax), {brands} branch brands and {ratings} ratings created."
    )


def _members_by_org(zone: Zone) -> dict[int, list[int]]:
    rows = PartyMember.objects.filter(zone=zone).order_by("pk").values_list("org_id", "pk")
    members: dict[int, list[int]] = defaultdict(list)
    for org_id, pk in rows:
        members[org_id].append(pk)
    return members


def _day(month: date, fakes: Fakes) -> date:
    return fakes.day_between(month.replace(day=3), min(month_end(month), AS_OF))


def _roll(member_ids: list[int], fakes: Fakes, *, lax: bool) -> dict[int, str]:
    """Most members attend; lax branches see more absences."""
    present, excused = (0.72, 0.14) if lax else (0.88, 0.09)
    roll: dict[int, str] = {}
    for pk in member_ids:
        draw = fakes.rng.random()
        roll[pk] = (
            Attendance.Status.PRESENT
            if draw < present
            else Attendance.Status.EXCUSED
            if draw < present + excused
            else Attendance.Status.ABSENT
        )
    return roll


def _year(org: PartyOrg, member_ids: list[int], fakes: Fakes, *, lax: bool) -> list[ActivityDraft]:
    host = org.secretary or "支部书记"

    def draft(kind: str, title: str, month: date, **fields) -> ActivityDraft:
        place = fakes.pick(PLACES)
        roll = _roll(member_ids, fakes, lax=lax)
        return ActivityDraft(
            kind=kind, title=title, held_on=_day(month, fakes), place=place, attendance=roll, **fields
        )

    if org.kind == PartyOrg.Kind.GROUP:
        return [
            draft(K.GROUP_MEETING, f"{m.month}月党小组会", m, topic="学习交流、谈心谈话", host=host)
            for m in MONTHS
            if not (lax and fakes.chance(0.2))
        ]
    drafts = []
    for index, month in enumerate(MONTHS):
        drafts += _monthly(org, month, draft, fakes, lax=lax, host=host)
        if index % 3 == 2:  # the last month of each quarter
            drafts += _quarterly(index, month, draft, host=host)
        if month.month == 1:
            drafts.append(
                draft(K.APPRAISAL, "2024年度民主评议党员", month, topic="党员自评、互评和组织评议", host=host)
            )
            drafts.append(
                draft(
                    K.LIFE_MEETING,
                    "2024年度组织生活会",
                    month,
                    topic="对照检查 开展批评和自我批评",
                    host=host,
                )
            )
        if fakes.chance(0.3):
            topic, kind = fakes.pick(STUDY_TOPICS)
            drafts.append(draft(kind, topic, month, topic=topic, host=host))
    return drafts


def _monthly(org: PartyOrg, month: date, draft, fakes: Fakes, *, lax: bool, host: str) -> list[ActivityDraft]:
    """Theme day and committee meeting; a lax branch always misses June's theme day and some others."""
    latest = month == MONTHS[-1]
    drafts = []
    if not (lax and (latest or fakes.chance(0.25))):
        theme = THEME_DAYS[month.month]
        drafts.append(
            draft(
                K.THEME_DAY,
                f"{month.month}月主题党日：{theme}",
                month,
                topic=theme,
                host=host,
                content=_minutes(org, theme),
            )
        )
    if not (lax and fakes.chance(0.3)):
        agenda = fakes.pick(COMMITTEE_AGENDA)
        drafts.append(
            draft(K.COMMITTEE_MEETING, f"{month.month}月支部委员会", month, topic=agenda, host=host)
        )
    return drafts


def _quarterly(index: int, month: date, draft, *, host: str) -> list[ActivityDraft]:
    quarter = (month.month - 1) // 3 + 1
    lecture = LECTURES[index // 3 % len(LECTURES)]
    return [
        draft(
            K.GENERAL_MEETING,
            f"{month.year}年第{quarter}季度支部党员大会",
            month,
            topic="通报工作、讨论支部重要事项",
            host=host,
        ),
        draft(K.LECTURE, f"专题党课：{lecture}", month, topic=lecture, host=host),
    ]


def _minutes(org: PartyOrg, theme: str) -> str:
    return (
        f"{org.name}组织党员开展“{theme}”主题党日活动。活动中，全体党员重温入党誓词，"
        "围绕岗位职责和企业发展谈体会、找差距，明确下一步工作举措。"
    )


def _brands(branches: list[PartyOrg], fakes: Fakes) -> int:
    """Brands for about twenty branches: those the tree gave a brand name first, then others."""
    ordered = sorted(branches, key=lambda org: (not org.brand_name, org.pk))[:BRANDED_BRANCHES]
    for org in ordered:
        name = org.brand_name or f"{org.name.removesuffix('党支部').removesuffix('党总支')[:10]}红色引擎"
        brand = services.brand_create(
            actor=None,
            org=org,
            name=name,
            slogan=fakes.pick(SLOGANS),
            description=org.brand_description or f"{org.name}立足岗位建功，打造党建特色品牌。",
            established_year=fakes.between(2019, 2023),
        )
        if fakes.chance(0.65):
            named_on = fakes.day_between(
                date(max(brand.established_year + 1, 2021), 6, 1), date(2024, 12, 20)
            )
            services.brand_name(actor=None, brand=brand, named_on=named_on)
    return len(ordered)


def _ratings(branches: list[PartyOrg], fakes: Fakes, lax: set[int]) -> int:
    """Every branch's 2024 rating, rated early in 2025; the lax branches score lower."""
    for org in branches:
        low, high = (55, 78) if org.pk in lax else (72, 98)
        score = Decimal(fakes.between(low * 10, high * 10)) / 10
        services.rating_create(
            actor=None,
            org=org,
            year=2024,
            score=score,
            rated_on=fakes.day_between(date(2025, 1, 15), date(2025, 2, 28)),
            note="" if score >= 60 else "整改提升，列为后进支部帮扶对象",
        )
    return len(branches)

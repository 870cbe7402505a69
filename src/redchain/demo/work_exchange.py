"""Demo needs, resources, matches and co-building projects of the seven alliances (资源共享制, 项目清单).

Everything goes through ``exchange.services`` with the system as actor, dated in the year before
:data:`redchain.demo.data.AS_OF`. The alliance feedback (反馈沟通制) is the demand demo's ``channel="alliance"``
demands, which already carry their alliance; this module only counts them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from redchain.demo.data import AS_OF
from redchain.demo.fakes import Fakes
from redchain.demo.logins import FIRM2_CHAIN
from redchain.exchange import services
from redchain.exchange.models import Kind, Match
from redchain.orgs.models import Alliance, AllianceMember, Enterprise, Zone

NEEDS = 120
RESOURCES = 100
PROPOSALS = 60
ACCEPTED = 30
CLOSED = 20
PROJECTS_PER_ALLIANCE = (4, 4, 4, 3, 4, 3, 3)
START = AS_OF - timedelta(days=364)

# kind: (need title, need text, resource title, resource text, result); {p} is a product of the chain.
TEXTS: dict[str, tuple[str, str, str, str, str]] = {
    Kind.PROCUREMENT: (
        "联合采购{p}",
        "计划下半年采购{p}，希望与联盟内企业联合采购、统一议价，降低采购成本。",
        "{p}批量供应",
        "本企业可稳定供应{p}，联盟成员单位联合采购可给予价格优惠并优先排产。",
        "联合采购{p}，统一议价后节约采购成本",
    ),
    Kind.FINANCING: (
        "技改项目融资需求",
        "新建生产线技术改造资金缺口较大，希望对接银行授信或产业基金，解决{p}项目融资问题。",
        "产业链专项授信与融资对接",
        "面向链上企业提供{p}项目专项授信、应收账款融资和政银担合作贷款，最快3个工作日放款。",
        "完成授信对接，融资到位",
    ),
    Kind.TALENT: (
        "招聘{p}技术骨干",
        "企业扩产急需{p}方向技术骨干和一线技工，希望联盟协助对接院校和人才资源。",
        "{p}人才联合培养与输送",
        "可提供{p}方向订单式人才培养、实习实训基地和毕业生定向输送。",
        "联合培养并输送技术人才",
    ),
    Kind.EQUIPMENT: (
        "租用{p}检测设备",
        "新产品研发需要{p}检测设备，自购成本高、使用频次低，希望共享使用。",
        "{p}检测设备共享",
        "本单位{p}检测设备有富余机时，可向联盟成员单位按成本价开放共享。",
        "共享检测设备，避免重复购置",
    ),
    Kind.VENUE: (
        "寻找标准厂房与仓储场地",
        "订单增长，现有厂房不足，需租用{p}生产用标准厂房或仓储场地约3000平方米。",
        "闲置厂房与仓储场地出租",
        "园区内有闲置标准厂房和仓储场地，适合{p}生产与仓储，可整体或分割出租。",
        "租用闲置厂房，盘活存量资源",
    ),
    Kind.ORDERS: (
        "寻找{p}配套订单",
        "企业{p}产能有富余，希望承接链上企业的配套订单，稳定生产。",
        "{p}配套订单发布",
        "本企业年度{p}配套需求较大，优先向联盟内企业下单，实现本地配套。",
        "本地配套签约，订单落地",
    ),
    Kind.TECHNOLOGY: (
        "{p}工艺技术攻关",
        "在{p}生产中遇到良品率瓶颈，希望联合高校院所开展技术攻关。",
        "{p}技术成果转化与联合攻关",
        "研究团队在{p}领域有成熟成果，可开展联合攻关、技术咨询和成果转化。",
        "联合攻关解决工艺难题，良品率提升",
    ),
}
KIND_WEIGHTS = [
    (Kind.PROCUREMENT, 5),
    (Kind.ORDERS, 3),
    (Kind.FINANCING, 2),
    (Kind.TALENT, 2),
    (Kind.EQUIPMENT, 2),
    (Kind.TECHNOLOGY, 2),
    (Kind.VENUE, 1),
]
# Departments and institutes offer what firms ask them for.
UNIT_KINDS = (Kind.FINANCING, Kind.TALENT, Kind.TECHNOLOGY, Kind.VENUE)
PROJECTS = (
    ("{a}链上企业联合采购平台建设", "搭建联盟联合采购平台，集中议价、统一配送。"),
    ("{p}共性技术研发中心", "链主企业牵头，联合高校院所共建共性技术研发中心。"),
    ("党建引领产业链人才实训基地", "企业党组织与院校党支部共建实训基地，开展订单式培养。"),
    ("政银企对接助企纾困行动", "联合金融机构开展政银企对接会，为链上企业解决融资难题。"),
    ("链上企业党员先锋岗共建", "在重点车间设立党员先锋岗，带动提质增效。"),
)


class _Builder:
    def __init__(self, zone: Zone, fakes: Fakes) -> None:
        self.zone, self.fakes = zone, fakes
        self.alliances = list(
            Alliance.objects.filter(zone=zone).select_related("chain").order_by("chain__position")
        )
        self.members: dict[int, list[AllianceMember]] = {a.pk: [] for a in self.alliances}
        rows = AllianceMember.objects.filter(alliance__zone=zone).select_related("enterprise", "department")
        for member in rows.exclude(kind=AllianceMember.Kind.PARTY_ORG).order_by("id"):
            self.members[member.alliance_id].append(member)

    def product(self, alliance: Alliance) -> str:
        chain = alliance.chain
        items = "、".join(filter(None, [chain.upstream, chain.midstream])).split("、")
        return self.fakes.pick([item.split("（")[0] for item in items if item])

    def firms(self, alliance: Alliance) -> list[Enterprise]:
        return [m.enterprise for m in self.members[alliance.pk] if m.enterprise is not None]

    def units(self, alliance: Alliance) -> list[AllianceMember]:
        return [m for m in self.members[alliance.pk] if not m.enterprise_id]

    def post(self, post, *, alliance, kind, text: tuple[str, str], owner: dict, on: date, product: str):
        title, description = (part.format(p=product) for part in text)
        amount = (
            Decimal(self.fakes.between(5, 800))
            if kind in (Kind.PROCUREMENT, Kind.FINANCING, Kind.ORDERS)
            else None
        )
        person, _gender = self.fakes.person()
        return post(
            actor=None,
            zone=self.zone,
            alliance=alliance,
            kind=kind,
            title=title,
            description=description,
            amount_wan=amount,
            quantity=f"{self.fakes.between(2, 50) * 100} 件" if kind == Kind.PROCUREMENT else "",
            posted_on=on,
            valid_until=on + timedelta(days=self.fakes.pick((90, 180, 365))),
            contact_name=person,
            contact_phone=self.fakes.mobile(),
            **owner,
        )

    def resource(self, alliance: Alliance, on: date):
        units = self.units(alliance)
        if units and self.fakes.chance(0.25):
            unit = self.fakes.pick(units)
            owner: dict[str, object] = (
                {"department": unit.department} if unit.department_id else {"institution": unit.external_name}
            )
            kind = self.fakes.pick(UNIT_KINDS)
        else:
            owner, kind = (
                {"enterprise": self.fakes.pick(self.firms(alliance))},
                self.fakes.weighted(KIND_WEIGHTS),
            )
        texts = TEXTS[kind]
        return self.post(
            services.resource_post,
            alliance=alliance,
            kind=kind,
            text=(texts[2], texts[3]),
            owner=owner,
            on=on,
            product=self.product(alliance),
        )

    def need(self, alliance: Alliance, on: date, firm: Enterprise | None = None, kind: str | None = None):
        kind = kind or self.fakes.weighted(KIND_WEIGHTS)
        texts = TEXTS[kind]
        return self.post(
            services.need_post,
            alliance=alliance,
            kind=kind,
            text=(texts[0], texts[1]),
            owner={"enterprise": firm or self.fakes.pick(self.firms(alliance))},
            on=on,
            product=self.product(alliance),
        )

    def close(self, match: Match, on: date) -> None:
        kind = match.need.kind
        saved = (
            Decimal(self.fakes.between(8, 60))
            if kind in (Kind.PROCUREMENT, Kind.EQUIPMENT, Kind.VENUE)
            else None
        )
        value = Decimal(self.fakes.between(50, 900)) if kind != Kind.TALENT else None
        result = TEXTS[kind][4].format(p=match.need.title.replace("联合采购", ""))
        if saved:
            result += f"{saved}万元"
        services.match_close(
            actor=None, match=match, result=result, saved_wan=saved, deal_value_wan=value, on=on
        )


def _day(fakes: Fakes, start: date, end: date) -> date:
    return fakes.day_between(start, min(end, AS_OF))


def build(*, zone: Zone, fakes: Fakes) -> str:
    """Create the demo records of this app; return one progress line."""
    b = _Builder(zone, fakes)
    if not b.alliances:
        return ""
    for i in range(RESOURCES):
        b.resource(b.alliances[i % len(b.alliances)], _day(fakes, START, AS_OF - timedelta(days=120)))
    needs = _demo_firm_needs(b)
    while len(needs) < NEEDS:
        alliance = b.alliances[len(needs) % len(b.alliances)]
        needs.append(b.need(alliance, _day(fakes, START + timedelta(days=60), AS_OF - timedelta(days=40))))
    proposals = _propose(needs)
    accepted = _accept(b, proposals)
    # The first accepted match (firm1's) stays open, so the demo shows one awaiting its result.
    for match in accepted[1 : CLOSED + 1]:
        accepted_on = match.need_accepted_on or AS_OF
        b.close(match, min(accepted_on + timedelta(days=fakes.between(10, 30)), AS_OF))
    projects = _projects(b)
    from redchain.demands.models import Channel, Demand

    feedback = Demand.objects.filter(zone=zone, channel=Channel.ALLIANCE, alliance__isnull=False).count()
    return (
        f"Exchange: {len(needs)} needs, {RESOURCES} resources, {len(proposals)} proposals, {len(accepted)} accepted, "
        f"{min(CLOSED, len(accepted))} closed, {projects} co-building projects, {feedback} alliance feedback demands"
    )


def _demo_firm_needs(b: _Builder) -> list:
    """firm1 (the first chain's leader) and firm2 (a key firm of the second chain) post procurement needs that
    their alliance's resources serve, so both demo contacts have matches to answer and firm1 a closed one."""
    first = b.alliances[0]
    firm1 = _contact_firm(b.zone, "firm1") or b.firms(first)[0]
    second = next(a for a in b.alliances if a.chain.code == FIRM2_CHAIN)
    firm2 = _contact_firm(b.zone, "firm2")
    needs = [
        b.need(first, AS_OF - timedelta(days=days), firm=firm1, kind=Kind.PROCUREMENT)
        for days in (200, 150, 60)
    ]
    if firm2 is not None and firm2.chain_id == second.chain_id:
        needs += [
            b.need(second, AS_OF - timedelta(days=days), firm=firm2, kind=Kind.ORDERS) for days in (170, 90)
        ]
    return needs


def _contact_firm(zone: Zone, username: str) -> Enterprise | None:
    from redchain.accounts.models import Membership

    row = Membership.objects.filter(zone=zone, user__username=username, enterprise__isnull=False).first()
    return row.enterprise if row else None


def _propose(needs: list) -> list[Match]:
    proposals: list[Match] = []
    for need in needs:
        if len(proposals) >= PROPOSALS:
            break
        proposals += services.need_propose(
            actor=None, need=need, on=min(need.posted_on + timedelta(days=3), AS_OF)
        )
    return proposals


def _accept(b: _Builder, proposals: list[Match]) -> list[Match]:
    """Accept the best proposal of each need until enough are accepted; decline a few of the rest."""
    accepted: list[Match] = []
    taken: set[int] = set()
    for match in proposals:
        if len(accepted) >= ACCEPTED:
            break
        if match.need_id in taken:
            continue
        day = min(match.proposed_on + timedelta(days=b.fakes.between(2, 10)), AS_OF)
        services.match_accept(actor=None, match=match, on=day)
        accepted.append(Match.objects.select_related("need", "resource").get(pk=match.pk))
        taken.add(match.need_id)
    for match in proposals[len(proposals) - 6 :]:
        if match.need_id not in taken:
            services.match_decline(actor=None, match=match, reason="企业已自行解决，暂不需要对接")
    return accepted


def _projects(b: _Builder) -> int:
    count = 0
    for alliance, n in zip(b.alliances, PROJECTS_PER_ALLIANCE, strict=False):
        for title, description in b.fakes.rng.sample(PROJECTS, n):
            started = _day(b.fakes, START - timedelta(days=200), AS_OF - timedelta(days=30))
            status = b.fakes.weighted([("done", 2), ("in_progress", 3), ("planned", 1)])
            finished = _day(b.fakes, started + timedelta(days=60), AS_OF) if status == "done" else None
            members = b.members[alliance.pk]
            services.project_create(
                actor=None,
                alliance=alliance,
                title=title.format(a=alliance.chain.name, p=b.product(alliance)),
                description=description,
                units=b.fakes.rng.sample(members, min(3, len(members))),
                status=status,
                investment_wan=Decimal(b.fakes.between(20, 3000)),
                started_on=started if status != "planned" else None,
                finished_on=finished,
                outcome="项目按期完成，带动链上企业降本增效" if status == "done" else "",
            )
            count += 1
    return count

"""Demo pairings (结对共建 / 双联双助): each agency's party branch pairs with one to four villages,
communities, enterprises or enterprise branches, promises resources and runs joint projects, all in the
year up to the demo anchor date. Everything is written through ``pairings.services`` as the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from redchain.accounts.models import Membership, Role
from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.orgs.models import Enterprise, PartyOrg, Zone
from redchain.pairings import services
from redchain.pairings.models import Pairing, PairingProject, PairingPromise

PK = Pairing.PartnerKind
# Places beyond the zone's own villages and communities that agencies pair with (入镇下村).
EXTRA_VILLAGES = ("龙泉村", "石门村", "青山村", "杨柳村", "和平村")
EXTRA_COMMUNITIES = ("锦绣社区", "翠园社区", "长安社区", "富民社区")
# Agencies whose branches the demo accounts must see working (handler1 and handler2).
BUSY_AGENCIES = {"企业服务局": 4, "市场监督管理局": 3}
FIRST_DAY = data.AS_OF - timedelta(days=364)
# Long-term commitments fall due well after the anchor, so the demo keeps open, not yet overdue, promises.
LONG_TERM = (date(2026, 12, 31), date(2027, 6, 30))

GOALS: dict[str, str] = {
    PK.VILLAGE: "围绕乡村振兴，帮助{p}发展集体经济、改善人居环境，每季度至少开展一次联学共建活动。",
    PK.COMMUNITY: "共建“红色物业”和党群服务阵地，帮助{p}解决居民急难愁盼问题，党员常态化进社区报到。",
    PK.ENTERPRISE: "当好{p}的“店小二”，送政策上门、帮解难题，推动企业党建与生产经营深度融合。",
    PK.BRANCH: "与{p}开展支部联建，组织生活共过、党员教育共抓、发展难题共解。",
}
MECHANISMS: dict[str, str] = {
    PK.VILLAGE: Pairing.Mechanism.VILLAGE_ENTERPRISE,
    PK.COMMUNITY: Pairing.Mechanism.JOINT_BUILDING,
    PK.ENTERPRISE: Pairing.Mechanism.DOUBLE_LINK,
    PK.BRANCH: Pairing.Mechanism.BRANCH_LINK,
}
PROMISES: dict[str, tuple[str, ...]] = {
    PairingPromise.Kind.POLICY: (
        "宣讲惠企政策并协助申报专精特新认定",
        "协助申报高标准农田建设项目",
        "送达稳岗补贴和技能培训补贴政策清单",
        "协助办理用地规划调整手续",
    ),
    PairingPromise.Kind.FUNDS: (
        "拨付村集体经济发展扶持资金",
        "安排党群服务中心改造经费",
        "支持老旧小区微改造资金",
        "设立困难党员和群众帮扶基金",
    ),
    PairingPromise.Kind.EXPERTISE: (
        "选派业务骨干驻点指导三个月",
        "组织专家开展电商直播培训",
        "派出法律顾问提供免费法律咨询",
        "安排技术人员指导安全生产标准化",
    ),
    PairingPromise.Kind.MATERIALS: (
        "捐赠办公电脑和打印设备",
        "捐赠防汛物资一批",
        "配送党建图书和学习资料",
        "捐赠农机具和种苗",
    ),
    PairingPromise.Kind.OTHER: ("协调金融机构开展银企对接", "联系高校共建实习实践基地"),
}
PROJECTS: dict[str, tuple[str, ...]] = {
    PairingProject.Kind.INDUSTRY: ("特色农产品产销对接", "村集体光伏发电项目", "农文旅融合示范点建设"),
    PairingProject.Kind.INFRASTRUCTURE: ("村道硬化及路灯安装", "农田水利沟渠清淤", "小区雨污分流改造"),
    PairingProject.Kind.EMPLOYMENT: ("家门口就业招聘会", "返乡青年技能培训班", "企业用工对接专场"),
    PairingProject.Kind.PUBLIC_SERVICE: ("长者饭堂共建", "四点半课堂志愿服务", "义诊进村活动"),
    PairingProject.Kind.PARTY_BUILDING: ("党群服务站提升改造", "主题党日联学共建", "红色教育阵地共建"),
}
OUTCOMES = (
    "已按期完成，群众满意度调查达 96%。",
    "项目建成投用，惠及周边群众，获镇街通报表扬。",
    "完成全部建设内容，带动村集体年增收约 8 万元。",
    "顺利完成，形成可复制的共建经验在园区推广。",
)


@dataclass
class Partner:
    kind: str
    enterprise: Enterprise | None = None
    party_org: PartyOrg | None = None
    name: str = ""


def build(*, zone: Zone, fakes: Fakes) -> str:
    """Create the demo pairings; return one progress line."""
    agencies = list(
        PartyOrg.objects.filter(zone=zone, owner_kind=PartyOrg.OwnerKind.DEPARTMENT)
        .select_related("owner_department")
        .order_by("id")
    )
    pool = _partner_pool(zone, fakes)
    must = _must_pair(zone)
    pairings = promises = projects = 0
    for agency in agencies:
        department = agency.owner_department.name if agency.owner_department else ""
        count = BUSY_AGENCIES.get(department, 0) or fakes.weighted([(1, 2), (2, 4), (3, 3), (4, 1)])
        chosen = must.get(department, [])
        chosen = (chosen + [fakes.pick(pool) for _ in range(count * 2)])[:count]
        for partner in _distinct(chosen):
            pairing = _pairing(zone, agency, partner, fakes)
            pairings += 1
            promises += _promises(pairing, fakes)
            projects += _projects(pairing, fakes)
    return f"{pairings} pairings, {promises} promised resources and {projects} joint projects created."


def _partner_pool(zone: Zone, fakes: Fakes) -> list[Partner]:
    places = PartyOrg.objects.filter(
        zone=zone, owner_kind__in=[PartyOrg.OwnerKind.VILLAGE, PartyOrg.OwnerKind.COMMUNITY], kind="branch"
    ).order_by("id")
    pool = [Partner(org.owner_kind, party_org=org, name=org.owner_place) for org in places]
    pool += [Partner(PK.VILLAGE, name=name) for name in EXTRA_VILLAGES]
    pool += [Partner(PK.COMMUNITY, name=name) for name in EXTRA_COMMUNITIES]
    firms = list(Enterprise.objects.filter(zone=zone).order_by("id"))
    pool += [Partner(PK.ENTERPRISE, enterprise=firm) for firm in fakes.rng.sample(firms, 14)]
    branches = PartyOrg.objects.filter(zone=zone, owner_kind=PartyOrg.OwnerKind.ENTERPRISE, kind="branch")
    pool += [Partner(PK.BRANCH, party_org=org) for org in fakes.rng.sample(list(branches.order_by("id")), 8)]
    return pool


def _must_pair(zone: Zone) -> dict[str, list[Partner]]:
    """The demo contacts' firms are partners of the two handlers' agencies, so every account sees pairings."""
    contacts = Membership.objects.filter(zone=zone, role=Role.ENTERPRISE_CONTACT).select_related("enterprise")
    firms = {m.user.username: m.enterprise for m in contacts.select_related("user")}
    must: dict[str, list[Partner]] = {name: [] for name in BUSY_AGENCIES}
    if firms.get("firm1"):
        must["企业服务局"].append(Partner(PK.ENTERPRISE, enterprise=firms["firm1"]))
        branch = (
            PartyOrg.objects.filter(owner_enterprise=firms["firm1"], kind="branch").order_by("id").first()
        )
        if branch is not None:
            must["市场监督管理局"].append(Partner(PK.BRANCH, party_org=branch))
    if firms.get("firm2"):
        must["市场监督管理局"].append(Partner(PK.ENTERPRISE, enterprise=firms["firm2"]))
    return must


def _distinct(partners: list[Partner]) -> list[Partner]:
    seen, unique = set(), []
    for partner in partners:
        key = (
            partner.kind,
            getattr(partner.enterprise, "pk", None),
            getattr(partner.party_org, "pk", None),
            partner.name,
        )
        if key not in seen:
            seen.add(key)
            unique.append(partner)
    return unique


def _label(partner: Partner) -> str:
    return partner.name or str(partner.enterprise or partner.party_org)


def _pairing(zone: Zone, agency: PartyOrg, partner: Partner, fakes: Fakes) -> Pairing:
    return services.pairing_create(
        actor=None,
        zone=zone,
        agency_org=agency,
        partner_kind=partner.kind,
        partner_enterprise=partner.enterprise,
        partner_party_org=partner.party_org,
        partner_name=partner.name,
        mechanism=MECHANISMS[partner.kind],
        goals=GOALS[partner.kind].format(p=_label(partner)),
        started_on=fakes.day_between(FIRST_DAY, FIRST_DAY + timedelta(days=120)),
    )


def _promises(pairing: Pairing, fakes: Fakes) -> int:
    count = fakes.between(2, 4)
    for _ in range(count):
        kind = fakes.weighted([(k, w) for k, w in zip(PROMISES, (3, 3, 3, 2, 1), strict=True)])
        promised = fakes.day_between(pairing.started_on, pairing.started_on + timedelta(days=90))
        fate = fakes.weighted([("delivered", 70), ("overdue", 12), ("partly", 6), ("long_term", 12)])
        due = (
            fakes.day_between(*LONG_TERM)
            if fate == "long_term"
            else fakes.day_between(promised + timedelta(days=30), data.AS_OF - timedelta(days=10))
        )
        amount = Decimal(fakes.between(2, 60)) if kind == PairingPromise.Kind.FUNDS else None
        promise = services.promise_add(
            actor=None,
            pairing=pairing,
            kind=kind,
            description=fakes.pick(PROMISES[kind]),
            promised_on=promised,
            due_on=due,
            amount_wan=amount,
        )
        _deliver(promise, fate, fakes)
    return count


def _deliver(promise: PairingPromise, fate: str, fakes: Fakes) -> None:
    if fate in ("overdue", "long_term"):
        return
    late_by = timedelta(days=fakes.between(0, 20) if fakes.chance(0.2) else 0)
    day = min(fakes.day_between(promise.promised_on, promise.due_on) + late_by, data.AS_OF)
    full = promise.amount_wan
    part = (full / 2).quantize(Decimal("0.01")) if full else None
    services.promise_deliver(
        actor=None,
        promise=promise,
        delivered_on=day,
        amount_wan=full if fate == "delivered" else part,
        note="已兑现" if fate == "delivered" else "首批已到位，余下部分协调中",
        complete=fate == "delivered",
    )


def _projects(pairing: Pairing, fakes: Fakes) -> int:
    count = fakes.between(3, 5)
    titles = set()
    for _ in range(count):
        kind = fakes.pick(list(PROJECTS))
        title = fakes.pick(PROJECTS[kind])
        if title in titles:
            title = f"{title}（二期）"
        titles.add(title)
        planned = fakes.day_between(pairing.started_on, data.AS_OF - timedelta(days=20))
        project = services.project_add(
            actor=None,
            pairing=pairing,
            title=title,
            kind=kind,
            started_on=planned,
            investment_wan=Decimal(fakes.between(0, 80)),
            beneficiaries=fakes.between(30, 1200),
            beneficiary_unit=PairingProject.BeneficiaryUnit.PEOPLE,
        )
        _advance(project, fakes)
    return count


def _advance(project: PairingProject, fakes: Fakes) -> None:
    fate = fakes.weighted([("done", 42), ("in_progress", 33), ("planned", 15), ("stalled", 10)])
    if fate == "planned":
        return
    start = project.started_on or data.AS_OF
    services.project_set_status(
        actor=None, project=project, status=PairingProject.Status.IN_PROGRESS, on=start
    )
    if fate == "done":
        finished = fakes.day_between(start, data.AS_OF)
        services.project_set_status(
            actor=None,
            project=project,
            status=PairingProject.Status.DONE,
            on=finished,
            outcome=fakes.pick(OUTCOMES),
        )
    elif fate == "stalled":
        services.project_set_status(
            actor=None,
            project=project,
            status=PairingProject.Status.STALLED,
            outcome="受用地审批影响暂缓实施，正在协调。",
        )

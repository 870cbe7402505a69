"""Demo task forces (党员攻关小组 / 先锋队 / 突击队 / 服务队) and their suggestions funnel, dated in the year up to
the demo anchor (``data.AS_OF``).

About thirty teams in enterprise branches and a few service teams in department branches, three to eight party
members each, and about six hundred suggestions whose funnel runs roughly 100 % → 25 % adopted → 12 %
implemented. firm1's enterprise is the flagship, after the Qingyuan report: over a hundred suggestions, about
twenty-five adopted and a dozen implemented with their benefit. Everything is written through the services
with the system as actor, so the audit trail is real.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from redchain.accounts.models import Membership
from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.orgs.models import Enterprise, PartyMember, PartyOrg, Zone
from redchain.taskforces import services
from redchain.taskforces.models import Suggestion, TaskForce

START = data.AS_OF - timedelta(days=364)
ENTERPRISE_TEAMS = 27
FLAGSHIP = {"collected": 108, "adopted": 25, "implemented": 12, "rejected_after_adoption": 2}
# The rest of the zone: adoption and implementation shares of collected suggestions.
ADOPTION_SHARE, IMPLEMENTATION_SHARE = 0.25, 0.12
OTHER_SUGGESTIONS = 490

Kind = TaskForce.Kind
TEAM_TOPICS = {
    Kind.TACKLING: (
        "焊装工艺",
        "电池热管理",
        "良品率提升",
        "模具寿命",
        "关键零部件国产化",
        "智能产线调试",
        "能耗降低",
    ),
    Kind.VANGUARD: ("技术创新", "质量提升", "安全生产", "精益管理"),
    Kind.SHOCK: ("新产线投产", "订单交付", "设备抢修", "技改项目"),
    Kind.SERVICE: ("员工关爱", "客户服务", "志愿服务"),
}
KIND_NAMES = {
    Kind.TACKLING: "党员攻关小组",
    Kind.VANGUARD: "党员先锋队",
    Kind.SHOCK: "党员突击队",
    Kind.SERVICE: "党员服务队",
}
KIND_WEIGHTS = ((Kind.TACKLING, 5), (Kind.VANGUARD, 3), (Kind.SHOCK, 2), (Kind.SERVICE, 1))
GOALS = (
    "年内{topic}指标提升 10% 以上",
    "形成可复制推广的{topic}经验做法",
    "解决{topic}中的卡脖子问题",
    "{topic}项目按期达产",
)
RESULTS = (
    "{topic}目标全面完成，形成标准作业指导书 3 份",
    "{topic}攻关成功，相关做法在集团内推广",
    "{topic}按期完成，获评园区优秀党员攻关项目",
)

THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "工艺改进": (
        ("焊装线", "冲压工序", "注塑模具", "涂装线", "装配工位", "电芯叠片工序"),
        ("节拍优化", "工装夹具改进", "工艺参数标准化", "防错装置加装", "工序合并"),
    ),
    "降本增效": (
        ("包装材料", "物流周转箱", "备品备件", "辅料采购", "仓储布局"),
        ("循环利用", "国产化替代", "集中采购", "库存压降", "动线优化"),
    ),
    "安全生产": (
        ("叉车通道", "配电房", "危化品仓库", "高处作业", "有限空间作业"),
        ("隐患排查机制", "可视化警示", "双人确认制度", "智能监测改造", "应急演练常态化"),
    ),
    "节能降耗": (
        ("空压机", "车间照明", "冷却水系统", "烘干炉", "注塑机"),
        ("余热回收", "变频改造", "LED 灯具替换", "峰谷用电调度", "保温改造"),
    ),
    "质量提升": (
        ("来料检验", "首件检验", "焊点质量", "尺寸一致性", "客户投诉处理"),
        ("SPC 统计监控", "快速响应机制", "检具改进", "追溯码管理", "不良品分析例会"),
    ),
    "数字化": (
        ("设备点检", "生产日报", "能耗数据", "工单流转", "质量记录"),
        ("扫码化", "看板上墙", "自动采集", "移动端填报", "联网共享"),
    ),
}
SERVICE_THEME: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("企业诉求办理", "惠企政策兑现", "上门服务", "证照办理", "涉企检查"),
    ("限时办结提醒", "免申即享清单", "预约制", "帮办代办", "综合查一次"),
)
PROBLEMS = ("目前返工较多", "现有做法耗时长", "员工反映操作不便", "月度数据波动大", "同类问题反复出现")
GAINS = ("预计每年节约成本", "预计缩短工时", "可减少停机时间", "可降低不良率", "可明显改善现场秩序")
OTHER_BENEFITS = ("现场 6S 明显改善", "员工操作强度降低", "安全隐患消除", "客户满意度提升", "形成标准化做法")
REJECTIONS = (
    "投入产出比不高，暂缓实施",
    "与集团技改计划重复",
    "技术条件暂不具备",
    "涉及设备供应商保修条款，暂不调整",
)


@dataclass
class Team:
    """A task force as the builder plans its suggestions."""

    task_force: TaskForce
    roster: list[PartyMember]
    topic: str
    suggestions: int = 0
    flagship: bool = False
    last_day: date = START
    implemented_benefit: Decimal = field(default_factory=lambda: Decimal(0))


def build(*, zone: Zone, fakes: Fakes) -> str:
    """Create the demo task forces and suggestions; return one progress line."""
    members = list(PartyMember.objects.filter(zone=zone).select_related("org").order_by("id"))
    builder = _Builder(zone=zone, fakes=fakes, members=members)
    firm1, firm2 = _contact_firm(zone, "firm1"), _contact_firm(zone, "firm2")
    builder.flagship(firm1)
    builder.enterprise_teams(exclude=firm1)
    if firm2 is not None:
        builder.ensure_firm(firm2)
    builder.department_teams()
    builder.spread(OTHER_SUGGESTIONS)
    builder.close_teams()
    forces = TaskForce.objects.filter(zone=zone)
    ideas = Suggestion.objects.filter(zone=zone)
    return (
        f"{forces.count()} task forces and {ideas.count()} suggestions "
        f"({ideas.filter(adopted_on__isnull=False).count()} adopted, "
        f"{ideas.filter(status=Suggestion.Status.IMPLEMENTED).count()} implemented) created."
    )


def _contact_firm(zone: Zone, username: str) -> Enterprise | None:
    membership = (
        Membership.objects.filter(zone=zone, user__username=username).select_related("enterprise").first()
    )
    return membership.enterprise if membership else None


def _short(name: str) -> str:
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "集团"):
        name = name.removesuffix(suffix)
    return name


def _owner_label(org: PartyOrg) -> str:
    if org.owner_enterprise:
        return _short(org.owner_enterprise.name)
    return org.owner_department.short_name if org.owner_department else ""


class _Builder:
    def __init__(self, *, zone: Zone, fakes: Fakes, members: list[PartyMember]) -> None:
        self.zone, self.fakes, self.members = zone, fakes, members
        self.teams: list[Team] = []
        self.branches = list(
            PartyOrg.objects.filter(zone=zone, kind=PartyOrg.Kind.BRANCH)
            .select_related("owner_enterprise", "owner_department")
            .order_by("path")
        )

    # Teams -------------------------------------------------------------------------------------------

    def _subtree_members(self, org: PartyOrg) -> list[PartyMember]:
        return [m for m in self.members if m.org.path.startswith(org.path)]

    def _roster(self, org: PartyOrg) -> list[PartyMember]:
        """Three to eight members, mostly of the branch; one or two invited from elsewhere when it is small."""
        size = self.fakes.between(3, 8)
        own = self._subtree_members(org)
        self.fakes.rng.shuffle(own)
        roster = own[:size]
        if len(roster) < size:
            firm = org.owner_enterprise_id
            pool = [m for m in self.members if m not in roster and (m.employer_id == firm or firm is None)]
            pool = pool or [m for m in self.members if m not in roster]
            roster += self.fakes.rng.sample(pool, min(size - len(roster), len(pool)))
        return roster

    def team(self, org: PartyOrg, *, kind: TaskForce.Kind, formed_on: date) -> Team:
        topics = TEAM_TOPICS[kind]
        taken = {t.task_force.name for t in self.teams}
        owner = _owner_label(org)
        topic = self.fakes.pick(topics)
        name = f"{owner}{topic}{KIND_NAMES[kind]}"
        for candidate in topics:
            if name not in taken:
                break
            topic, name = candidate, f"{owner}{candidate}{KIND_NAMES[kind]}"
        task_force = services.task_force_create(
            actor=None,
            org=org,
            kind=kind,
            name=name,
            project=f"{topic}：{self.fakes.pick(PROBLEMS)}，由党员牵头攻坚",
            goal=self.fakes.pick(GOALS).format(topic=topic),
            formed_on=formed_on,
        )
        roster = self._roster(org)
        for index, member in enumerate(roster):
            services.task_force_add_member(
                actor=None, task_force=task_force, member=member, role="leader" if index == 0 else "member"
            )
        team = Team(task_force=task_force, roster=roster, topic=topic)
        self.teams.append(team)
        return team

    def _formed_on(self) -> date:
        return self.fakes.day_between(START, data.AS_OF - timedelta(days=90))

    def _firm_branches(self, firm: Enterprise) -> list[PartyOrg]:
        return [org for org in self.branches if org.owner_enterprise_id == firm.pk]

    def flagship(self, firm: Enterprise | None) -> None:
        """The Qingyuan-like firm: three teams and the exact funnel of the report."""
        branches = self._firm_branches(firm) if firm else []
        if not branches:
            return
        kinds = (Kind.TACKLING, Kind.VANGUARD, Kind.SHOCK)
        teams = [
            self.team(branches[i % len(branches)], kind=kind, formed_on=START) for i, kind in enumerate(kinds)
        ]
        for team in teams:
            team.flagship = True
        plan = self._flagship_plan()
        for index, outcome in enumerate(plan):
            self.suggestion(teams[index % len(teams)], outcome=outcome, earliest=START)

    def _flagship_plan(self) -> list[str]:
        f = FLAGSHIP
        outcomes = (
            ["implemented"] * f["implemented"]
            + ["adopted_rejected"] * f["rejected_after_adoption"]
            + ["adopted"] * (f["adopted"] - f["implemented"] - f["rejected_after_adoption"])
            + ["rejected"] * (f["collected"] // 3)
        )
        outcomes += ["collected"] * (f["collected"] - len(outcomes))
        self.fakes.rng.shuffle(outcomes)
        return outcomes

    def enterprise_teams(self, *, exclude: Enterprise | None) -> None:
        candidates = [o for o in self.branches if o.owner_enterprise_id and o.owner_enterprise != exclude]
        self.fakes.rng.shuffle(candidates)
        for org in candidates[:ENTERPRISE_TEAMS]:
            self.team(org, kind=self.fakes.weighted(KIND_WEIGHTS), formed_on=self._formed_on())

    def ensure_firm(self, firm: Enterprise) -> None:
        """firm2's contact should see a team of their own whenever the firm has a branch."""
        if any(t.task_force.enterprise_id == firm.pk for t in self.teams):
            return
        branches = self._firm_branches(firm)
        if branches:
            self.team(branches[0], kind=Kind.TACKLING, formed_on=self._formed_on())

    def department_teams(self) -> None:
        """Service teams of the departments the two demo handlers work in, and one more."""
        departments = [o for o in self.branches if o.owner_department_id]
        wanted = {"企业服务局", "市场监督管理局"}
        chosen = [o for o in departments if o.owner_department and o.owner_department.name in wanted]
        chosen += [o for o in departments if o not in chosen][:1]
        for org in chosen:
            self.team(org, kind=Kind.SERVICE, formed_on=self._formed_on())

    # Suggestions -------------------------------------------------------------------------------------

    def spread(self, count: int) -> None:
        """The zone's other suggestions over every team but the flagship's, with the zone's funnel shares."""
        teams = [t for t in self.teams if t.suggestions == 0]
        for index in range(count):
            roll = self.fakes.rng.random()
            if roll < IMPLEMENTATION_SHARE:
                outcome = "implemented"
            elif roll < ADOPTION_SHARE - 0.02:
                outcome = "adopted"
            elif roll < ADOPTION_SHARE:
                outcome = "adopted_rejected"
            elif roll < 0.6:
                outcome = "rejected"
            else:
                outcome = "collected"
            team = teams[index % len(teams)]
            self.suggestion(team, outcome=outcome, earliest=team.task_force.formed_on)

    def _text(self, team: Team) -> tuple[str, str]:
        service = team.task_force.kind == Kind.SERVICE and team.task_force.enterprise_id is None
        theme = "服务提效" if service else self.fakes.pick(tuple(THEMES))
        subjects, actions = SERVICE_THEME if service else THEMES[theme]
        subject, action = self.fakes.pick(subjects), self.fakes.pick(actions)
        content = (
            f"【{theme}】{subject}{self.fakes.pick(PROBLEMS)}，建议开展{action}。"
            f"{self.fakes.pick(GAINS)}，请{team.task_force.name}研究落实。"
        )
        return f"{subject}{action}", content

    def _submitter(self, team: Team) -> dict:
        if self.fakes.chance(0.12):
            return {"submitter_name": self.fakes.person()[0]}
        return {"submitter": self.fakes.pick(team.roster)}

    def suggestion(self, team: Team, *, outcome: str, earliest: date) -> None:
        title, content = self._text(team)
        # Decided suggestions need room for their later steps before the anchor date.
        latest = data.AS_OF - timedelta(days=100 if outcome != "collected" else 1)
        submitted_on = self.fakes.day_between(max(earliest, START), max(latest, earliest))
        if outcome == "collected":
            submitted_on = self.fakes.day_between(max(earliest, data.AS_OF - timedelta(days=75)), data.AS_OF)
        item = services.suggestion_submit(
            actor=None,
            task_force=team.task_force,
            title=title,
            content=content,
            submitted_on=submitted_on,
            **self._submitter(team),
        )
        team.suggestions += 1
        item = self._decide(team, item, outcome)
        steps = (item.submitted_on, item.adopted_on, item.implemented_on, item.rejected_on)
        team.last_day = max(team.last_day, *(day for day in steps if day))

    def _later(self, day: date, low: int, high: int) -> date:
        return min(day + timedelta(days=self.fakes.between(low, high)), data.AS_OF)

    def _decide(self, team: Team, item: Suggestion, outcome: str) -> Suggestion:
        """Take the suggestion to its planned outcome; returns it as it ends up."""
        if outcome == "collected":
            return item
        if outcome != "rejected":
            item = services.suggestion_adopt(
                actor=None, suggestion=item, adopted_on=self._later(item.submitted_on, 7, 30)
            )
        if outcome == "implemented":
            benefit = Decimal(self.fakes.between(5, 480)) / 10
            team.implemented_benefit += benefit
            return services.suggestion_implement(
                actor=None,
                suggestion=item,
                implemented_on=self._later(item.adopted_on or item.submitted_on, 20, 60),
                benefit_wan=benefit,
                other_benefit=self.fakes.pick(OTHER_BENEFITS),
            )
        if outcome in ("rejected", "adopted_rejected"):
            return services.suggestion_reject(
                actor=None,
                suggestion=item,
                reason=self.fakes.pick(REJECTIONS),
                rejected_on=self._later(item.adopted_on or item.submitted_on, 7, 60),
            )
        return item

    # Closing ------------------------------------------------------------------------------------------

    def close_teams(self) -> None:
        """A few older teams finished with their result and benefit; one was disbanded."""
        older = sorted(
            (
                t
                for t in self.teams
                if not t.flagship and t.task_force.formed_on < data.AS_OF - timedelta(days=200)
            ),
            key=lambda t: (t.task_force.formed_on, t.task_force.pk),
        )
        for index, team in enumerate(older[:8]):
            # A team closes after its last suggestion was decided, and not in its first five months.
            earliest = max(team.last_day, team.task_force.formed_on + timedelta(days=150))
            finished_on = self._later(earliest, 1, 20)
            if index == 5:
                services.task_force_disband(
                    actor=None,
                    task_force=team.task_force,
                    finished_on=finished_on,
                    reason="项目并入集团技改专项，小组撤销",
                )
                continue
            services.task_force_finish(
                actor=None,
                task_force=team.task_force,
                finished_on=finished_on,
                result=self.fakes.pick(RESULTS).format(topic=team.topic),
                benefit_wan=team.implemented_benefit + Decimal(self.fakes.between(10, 200)),
            )

"""The demo zone: deterministic, idempotent, realistic, and with the documented demo accounts."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from redchain.accounts.models import Membership, Role, User
from redchain.accounts.scope import scope_for
from redchain.audit.models import AuditEntry
from redchain.core import idcard, uscc
from redchain.demo import data
from redchain.demo.fakes import Fakes
from redchain.demo.firms import plan_firms
from redchain.demo.generator import load_demo
from redchain.demo.logins import ACCOUNTS
from redchain.orgs.models import (
    Alliance,
    AllianceMember,
    Department,
    Enterprise,
    EnterpriseQualification,
    IndustryChain,
    PartyMember,
    PartyOrg,
    Qualification,
    Zone,
)

pytestmark = pytest.mark.django_db

COUNTED = (
    Zone,
    Department,
    IndustryChain,
    Enterprise,
    EnterpriseQualification,
    PartyOrg,
    PartyMember,
    Alliance,
    AllianceMember,
    User,
    Membership,
    AuditEntry,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def zone(demo) -> Zone:
    return Zone.objects.get(code=demo.zone_code)


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_loading_twice_changes_nothing(demo):
    before = counts()
    again = load_demo(demand_count=0)
    assert not again.created and demo.created
    assert counts() == before
    assert {**vars(again), "created": True, "seconds": 0} == {**vars(demo), "seconds": 0}


def test_every_write_went_through_a_service_with_its_audit_row(demo, zone):
    actions = Counter(AuditEntry.objects.filter(zone=zone).values_list("action", flat=True))
    assert actions["enterprise.create"] == demo.enterprises
    assert actions["party_org.create"] == demo.party_orgs
    assert actions["party_member.create"] == demo.party_members
    assert actions["alliance.member_add"] == demo.alliance_members
    # The organisation graph is the system's own work; demand steps are played by the demo's people.
    assert (
        not AuditEntry.objects.filter(zone=zone, actor__isnull=False)
        .exclude(action__startswith="demand.")
        .exists()
    )


def test_the_zone_has_the_documented_size(demo):
    assert demo.chains == 7 and demo.alliances == 7
    assert 140 <= demo.enterprises <= 160
    assert 75 <= demo.party_orgs <= 90
    assert 600 <= demo.party_members <= 900
    assert demo.departments >= 20
    # The demo accounts, plus one handler for each department the accounts leave without one.
    assert demo.users == len(ACCOUNTS) + demo.departments - 2


def test_chains_come_in_the_documented_order(zone):
    names = list(IndustryChain.objects.filter(zone=zone).order_by("position").values_list("name", flat=True))
    assert names == [
        "新能源汽车",
        "数字科技",
        "高端装备制造",
        "新材料（绿色建材）",
        "医药",
        "食品",
        "现代物流商贸",
    ]
    assert not IndustryChain.objects.filter(zone=zone, upstream="").exists()


def test_the_plan_is_the_same_on_every_run(zone):
    first, second = plan_firms(Fakes(data.SEED)), plan_firms(Fakes(data.SEED))
    assert [p.fields for p in first] == [p.fields for p in second]
    stored = set(Enterprise.objects.filter(zone=zone).values_list("name", "uscc"))
    assert stored == {(p.fields["name"], p.fields["uscc"]) for p in first}


def test_every_credit_code_is_valid_and_unique(zone):
    codes = list(Enterprise.objects.filter(zone=zone).values_list("uscc", flat=True))
    assert all(uscc.is_valid(code) and code.startswith("91") for code in codes)
    assert len(set(codes)) == len(codes)


def test_every_member_has_a_valid_unique_id_number_and_phone(zone):
    rows = list(PartyMember.objects.filter(zone=zone).values_list("id_number", "phone", "gender"))
    assert all(idcard.is_valid(number) for number, _, _ in rows)
    # The 17th digit is odd for men and even for women.
    assert all((int(number[16]) % 2 == 1) == (gender == "male") for number, _, gender in rows)
    assert len({number for number, _, _ in rows}) == len(rows)
    assert len({phone for _, phone, _ in rows}) == len(rows)
    assert all(len(phone) == 11 and phone.startswith("1") for _, phone, _ in rows)


def test_each_chain_has_exactly_one_leader_and_the_first_is_a_vehicle_maker(zone):
    leaders = Enterprise.objects.filter(zone=zone, chain_role=Enterprise.ChainRole.LEADER)
    assert Counter(leaders.values_list("chain__code", flat=True)) == {spec.code: 1 for spec in data.CHAINS}
    first = leaders.get(chain__position=1)
    assert "整车" in first.industry and "汽车" in first.name
    assert all(leader.scale == Enterprise.Scale.ABOVE for leader in leaders)


def test_about_thirty_percent_are_above_designated_size(demo):
    assert 0.25 <= demo.above_scale / demo.enterprises <= 0.35


def test_qualifications_come_in_realistic_proportions(zone, demo):
    held = Counter(
        EnterpriseQualification.objects.filter(enterprise__zone=zone).values_list("kind", flat=True)
    )
    assert 0.15 <= held[Qualification.HIGH_TECH] / demo.enterprises <= 0.40
    assert 0.05 <= held[Qualification.SPECIALISED] / demo.enterprises <= 0.25
    assert (
        0
        < held[Qualification.NATIONAL_GIANT] + held[Qualification.PROVINCIAL_GIANT]
        < held[Qualification.SPECIALISED]
    )
    giants = EnterpriseQualification.objects.filter(
        enterprise__zone=zone, kind__in=[Qualification.NATIONAL_GIANT, Qualification.PROVINCIAL_GIANT]
    ).values("enterprise")
    # A little giant is by definition a 专精特新 firm first.
    assert (
        not Enterprise.objects.filter(pk__in=giants)
        .exclude(qualifications__kind=Qualification.SPECIALISED)
        .exists()
    )


def test_departments_carry_responsibility_keywords(zone):
    departments = Department.objects.filter(zone=zone)
    assert {"企业服务局", "市场监督管理局", "供电公司", "行政审批局"} <= set(
        departments.values_list("name", flat=True)
    )
    assert all(len(d.responsibilities.split()) >= 5 for d in departments)
    assert departments.filter(kind=Department.Kind.UTILITY).count() == 3


def test_alliances_have_member_units_of_every_kind_and_role(zone):
    core = PartyOrg.objects.get(zone=zone, kind=PartyOrg.Kind.WORKING_COMMITTEE)
    for alliance in Alliance.objects.filter(zone=zone).select_related("chain"):
        members = alliance.members.all()
        assert alliance.core == core
        assert set(members.values_list("kind", flat=True)) == set(AllianceMember.Kind.values)
        assert set(members.values_list("role", flat=True)) == set(AllianceMember.Role.values)
        lead_firm = members.get(role=AllianceMember.Role.LEAD, kind=AllianceMember.Kind.ENTERPRISE).enterprise
        assert lead_firm.chain == alliance.chain and lead_firm.chain_role == Enterprise.ChainRole.LEADER
        assert alliance.name == f"{alliance.chain.name}产业链党建联盟"


def test_the_party_tree_has_every_kind_of_organisation_and_owner(zone):
    orgs = PartyOrg.objects.filter(zone=zone)
    assert orgs.get(parent__isnull=True).kind == PartyOrg.Kind.WORKING_COMMITTEE
    assert set(orgs.values_list("kind", flat=True)) == set(PartyOrg.Kind.values)
    assert {"enterprise", "department", "village", "community", ""} <= set(
        orgs.values_list("owner_kind", flat=True)
    )
    branches = orgs.filter(kind__in=[PartyOrg.Kind.BRANCH, PartyOrg.Kind.GENERAL_BRANCH])
    assert branches.exclude(brand_name="").count() >= branches.count() // 2
    ratings = Counter(branches.values_list("rating", flat=True))
    assert ratings[PartyOrg.Rating.FORTRESS] > ratings[PartyOrg.Rating.WEAK] > 0
    assert all(
        org.path.startswith(org.parent.path) for org in orgs.exclude(parent=None).select_related("parent")
    )


def test_members_have_realistic_statuses_and_posts(zone):
    members = PartyMember.objects.filter(zone=zone)
    statuses = Counter(members.values_list("status", flat=True))
    assert statuses[PartyMember.Status.FORMAL] / members.count() >= 0.85
    assert statuses[PartyMember.Status.PROBATIONARY] > 0 and statuses[PartyMember.Status.FLOWING] > 0
    posts = set(members.values_list("position", flat=True))
    assert posts == {"书记", "副书记", "组织委员", "宣传委员", "纪检委员", "党员"}
    # Each organisation's recorded secretary is one of its members, with the post of 书记.
    for org in PartyOrg.objects.filter(zone=zone).exclude(secretary=""):
        assert org.members.filter(name=org.secretary, position="书记").exists()


@pytest.mark.parametrize(("username", "role"), [(username, role) for username, role, _ in ACCOUNTS])
def test_each_demo_account_has_exactly_its_role(zone, username, role):
    account = user(username)
    assert account.check_password(data.PASSWORD) and account.display_name
    assert list(account.memberships.values_list("zone", "role")) == [(zone.pk, role)]
    assert not account.is_superuser and not account.is_staff


def test_demo_accounts_can_sign_in(demo):
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request=request, username="handler1", password=data.PASSWORD) == user("handler1")


def test_zone_admin_administers_and_leader_only_reads(zone):
    assert scope_for(user("zone-admin")).administers(zone.pk)
    leader = scope_for(user("leader"))
    assert leader.reads_whole_zone(zone.pk) and not leader.administers(zone.pk)


def test_handlers_belong_to_different_departments(demo):
    first, second = (user(name).memberships.get() for name in ("handler1", "handler2"))
    assert first.role == second.role == Role.HANDLER
    assert (first.department.name, second.department.name) == ("企业服务局", "市场监督管理局")


def test_instructor_guides_the_first_alliance(zone):
    membership = user("instructor1").memberships.get()
    assert membership.alliance == Alliance.objects.filter(zone=zone).order_by("chain__position").first()


def test_firm_contacts_see_only_their_own_enterprise(zone):
    firm1, firm2 = user("firm1"), user("firm2")
    mine = Enterprise.objects.visible_to(firm1).get()
    theirs = Enterprise.objects.visible_to(firm2).get()
    assert mine.chain_role == Enterprise.ChainRole.LEADER and mine.chain.position == 1
    assert theirs.chain != mine.chain
    assert firm1.display_name == mine.contact_name


def test_demo_command_without_serving_prints_the_logins(demo, monkeypatch, capsys):
    served = []
    monkeypatch.setattr(
        "redchain.demo.management.commands.demo.collect_and_serve", lambda **kw: served.append(kw)
    )
    call_command("demo", "--no-serve", "--port", "8123", "--demands", "0")
    out = capsys.readouterr().out
    assert served == []
    assert "http://127.0.0.1:8123/" in out and "already loaded" in out
    for username, role, _ in ACCOUNTS:
        assert username in out and role in out
    assert data.PASSWORD in out


def test_demo_command_serves_after_loading(demo, monkeypatch):
    served = []
    monkeypatch.setattr(
        "redchain.demo.management.commands.demo.collect_and_serve", lambda **kw: served.append(kw)
    )
    call_command("demo", "--host", "::", "--port", "9000", "--demands", "0", verbosity=0)
    assert served == [{"host": "::", "port": 9000, "verbosity": 0}]


# --- the year of party work (issue 5), on the same load ---------------------------------------------------


def test_the_party_work_has_demo_records_of_every_mechanism(demo, zone):
    from django.apps import apps

    from redchain.mechanisms.models import Action, Activity, Meeting, Place

    for label in ("mechanisms", "exchange", "pairings", "visits", "taskforces", "partylife"):
        for model in apps.get_app_config(label).get_models():
            assert model.objects.exists(), f"{label}.{model.__name__}"
    assert set(Activity.objects.filter(zone=zone).values_list("action", flat=True)) == set(Action.values)
    assert set(Place.objects.filter(zone=zone).values_list("kind", flat=True)) == set(Place.Kind.values)
    assert set(Meeting.objects.filter(zone=zone).values_list("status", flat=True)) == set(
        Meeting.Status.values
    )


def test_the_compliance_page_lists_a_branch_that_missed_its_june_theme_day(demo, zone, client):
    client.force_login(user("zone-admin"))
    response = client.get("/party-life/compliance/")
    report = response.context["report"]
    assert response.status_code == 200 and f"{report.month:%Y-%m}" == "2025-06"
    missed = [
        miss.org for miss in report.misses if miss.rule.kind == "theme_day" and miss.rule.every_months == 1
    ]
    assert missed  # the lax branches of work_partylife always skip June's theme day
    body = response.content.decode()
    assert "主题党日" in body and all(org.name in body for org in missed)

"""Shared test personas, in the manner of healthchecks' Alice and Bob.

``world`` builds two zones. In zone A: a working committee; departments A1 and A2 with a branch each;
chains 1 and 2 with alliances 1 and 2; enterprises X and Y on chain 1 (X in alliance 1) and Z on chain 2;
each enterprise has a branch with a member. Zone B has its own committee, department, chain, alliance
and enterprise W: everything there is outside the scope of zone A's people.

Personas (all with password ``pw``): alice (zone admin A), leo (leader A), hannah (handler of A1),
harry (handler of A2), ivan (instructor of alliance 1), fiona (contact of X), frank (contact of Y),
nora (signed in, no membership), zara (zone admin B).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Model

from redchain.accounts.models import Role, User
from redchain.accounts.services import membership_grant, user_create
from redchain.orgs import models as m
from redchain.orgs import services as s
from redchain.orgs.tests.factories import _uscc

PASSWORD = "pw"  # noqa: S105 - test personas only


@dataclass
class World:
    zone: m.Zone
    other_zone: m.Zone
    committee: m.PartyOrg
    dept_a1: m.Department
    dept_a2: m.Department
    chain1: m.IndustryChain
    chain2: m.IndustryChain
    alliance1: m.Alliance
    alliance2: m.Alliance
    firm_x: m.Enterprise
    firm_y: m.Enterprise
    firm_z: m.Enterprise
    branch_a1: m.PartyOrg
    branch_x: m.PartyOrg
    branch_y: m.PartyOrg
    member_x: m.PartyMember
    member_y: m.PartyMember
    other_department: m.Department
    other_chain: m.IndustryChain
    other_alliance: m.Alliance
    other_firm: m.Enterprise
    other_branch: m.PartyOrg
    other_member: m.PartyMember
    alice: User
    leo: User
    hannah: User
    harry: User
    ivan: User
    fiona: User
    frank: User
    nora: User
    zara: User

    def persona(self, name: str) -> User:
        return getattr(self, name)


def _zone_skeleton(code: str, name: str):
    zone = s.zone_create(actor=None, name=name, code=code)
    committee = s.party_org_create(
        actor=None, zone=zone, name=f"{name}党工委", kind=m.PartyOrg.Kind.WORKING_COMMITTEE
    )
    return zone, committee


def _user(username: str, zone=None, role=None, **scope) -> User:
    user = user_create(actor=None, username=username, password=PASSWORD, display_name=username.title())
    if zone is not None:
        membership_grant(actor=None, user=user, zone=zone, role=role, **scope)
    return user


def build_world() -> World:
    zone, committee = _zone_skeleton("zone-a", "甲开发区")
    other_zone, other_committee = _zone_skeleton("zone-b", "乙开发区")
    dept_a1 = s.department_create(actor=None, zone=zone, name="企业服务局")
    dept_a2 = s.department_create(actor=None, zone=zone, name="市场监管局")
    chain1 = s.chain_create(actor=None, zone=zone, name="新能源汽车", code="nev", position=1)
    chain2 = s.chain_create(actor=None, zone=zone, name="数字科技", code="digital", position=2)
    firm_x = s.enterprise_create(
        actor=None,
        zone=zone,
        name="星辰汽车有限公司",
        uscc=_uscc(9001),
        chain=chain1,
        segment="downstream",
        chain_role="leader",
        scale="above",
        qualifications=["high_tech"],
    )
    firm_y = s.enterprise_create(
        actor=None, zone=zone, name="云帆电池有限公司", uscc=_uscc(9002), chain=chain1, segment="upstream"
    )
    firm_z = s.enterprise_create(
        actor=None, zone=zone, name="智算科技有限公司", uscc=_uscc(9003), chain=chain2
    )
    branch = m.PartyOrg.Kind.BRANCH
    branch_a1 = s.party_org_create(
        actor=None,
        zone=zone,
        parent=committee,
        name="企业服务局党支部",
        kind=branch,
        owner_kind="department",
        owner_department=dept_a1,
    )
    branch_x = s.party_org_create(
        actor=None,
        zone=zone,
        parent=committee,
        name="星辰汽车党支部",
        kind=branch,
        owner_kind="enterprise",
        owner_enterprise=firm_x,
    )
    branch_y = s.party_org_create(
        actor=None,
        zone=zone,
        parent=committee,
        name="云帆电池党支部",
        kind=branch,
        owner_kind="enterprise",
        owner_enterprise=firm_y,
    )
    member_x = s.party_member_create(actor=None, org=branch_x, name="张三", phone="13800001111")
    member_y = s.party_member_create(actor=None, org=branch_y, name="李四", phone="13900002222")
    alliance1 = s.alliance_create(actor=None, zone=zone, chain=chain1, name="新能源汽车党建联盟")
    alliance2 = s.alliance_create(actor=None, zone=zone, chain=chain2, name="数字科技党建联盟")
    s.alliance_member_add(actor=None, alliance=alliance1, enterprise=firm_x, role="lead")
    s.alliance_member_add(actor=None, alliance=alliance1, party_org=branch_x)
    s.alliance_member_add(actor=None, alliance=alliance1, department=dept_a1, role="instructor")
    s.alliance_member_add(actor=None, alliance=alliance2, enterprise=firm_z, role="lead")

    other_department = s.department_create(actor=None, zone=other_zone, name="企业服务局")
    other_chain = s.chain_create(actor=None, zone=other_zone, name="新能源汽车", code="nev")
    other_firm = s.enterprise_create(
        actor=None, zone=other_zone, name="远方制造有限公司", uscc=_uscc(9101), chain=other_chain
    )
    other_branch = s.party_org_create(
        actor=None,
        zone=other_zone,
        parent=other_committee,
        name="远方制造党支部",
        kind=branch,
        owner_kind="enterprise",
        owner_enterprise=other_firm,
    )
    other_member = s.party_member_create(actor=None, org=other_branch, name="王五")
    other_alliance = s.alliance_create(actor=None, zone=other_zone, chain=other_chain, name="乙区新能源联盟")

    return World(
        zone=zone,
        other_zone=other_zone,
        committee=committee,
        dept_a1=dept_a1,
        dept_a2=dept_a2,
        chain1=chain1,
        chain2=chain2,
        alliance1=alliance1,
        alliance2=alliance2,
        firm_x=firm_x,
        firm_y=firm_y,
        firm_z=firm_z,
        branch_a1=branch_a1,
        branch_x=branch_x,
        branch_y=branch_y,
        member_x=member_x,
        member_y=member_y,
        other_department=other_department,
        other_chain=other_chain,
        other_alliance=other_alliance,
        other_firm=other_firm,
        other_branch=other_branch,
        other_member=other_member,
        alice=_user("alice", zone, Role.ZONE_ADMIN),
        leo=_user("leo", zone, Role.LEADER),
        hannah=_user("hannah", zone, Role.HANDLER, department=dept_a1),
        harry=_user("harry", zone, Role.HANDLER, department=dept_a2),
        ivan=_user("ivan", zone, Role.INSTRUCTOR, alliance=alliance1),
        fiona=_user("fiona", zone, Role.ENTERPRISE_CONTACT, enterprise=firm_x),
        frank=_user("frank", zone, Role.ENTERPRISE_CONTACT, enterprise=firm_y),
        nora=_user("nora"),
        zara=_user("zara", other_zone, Role.ZONE_ADMIN),
    )


@pytest.fixture
def world(db) -> World:
    return _WORLD.get()


class _WorldSnapshot:
    """Builds the world through the services once per test process, then copies its rows back for each test.

    Building through the services (validation, audit rows, tree paths) costs about half a second; over
    fifteen hundred tests that was most of the suite's time. The first test of a process builds it for real and
    records the rows it added; later tests insert those same rows (same primary keys, saved raw, so nothing
    is recomputed) inside their own transaction and fetch fresh instances, so no test sees another's changes.
    Foreign keys are deferred until commit on both SQLite and PostgreSQL, so the order of the rows is free.
    """

    def __init__(self) -> None:
        self.rows: list[tuple[type[Model], list[dict]]] | None = None
        self.keys: dict[str, tuple[type[Model], object]] = {}

    def get(self) -> World:
        if self.rows is None:
            return self._build()
        with transaction.atomic():
            for model, rows in self.rows:
                for row in rows:
                    model(**row).save_base(raw=True, force_insert=True)
        fresh: dict[str, Any] = {
            name: model._base_manager.get(pk=pk) for name, (model, pk) in self.keys.items()
        }
        return World(**fresh)

    def _build(self) -> World:
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        ]
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        world = build_world()
        self.rows = []
        for model in models:
            added = [
                row
                for row in model._base_manager.values()
                if row[model._meta.pk.attname] not in before[model]
            ]
            if added:
                self.rows.append((model, added))
        self.keys = {name: (type(obj), obj.pk) for name, obj in vars(world).items()}
        return world


_WORLD = _WorldSnapshot()


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as that persona and returns the client."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rows roll back between tests and their ids are reused, so a value
    cached by one test (a zone's reply statistics, say) must not reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield

"""Load the demo zone (锦城经济技术开发区, code ``demo``): one call, deterministic, idempotent.

:func:`load_demo` builds the zone, its departments and chains, about 150 enterprises, the party tree with
its members, the seven alliances and the demo accounts, all through the services of ``orgs`` and
``accounts`` (with the system as actor), in one transaction. A second call finds the zone by its code and
writes nothing, so counts and audit rows stay exactly as they were.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction

from redchain.accounts.models import Membership, User
from redchain.demo import data
from redchain.demo.alliances import build_alliances
from redchain.demo.demands import timed_build
from redchain.demo.fakes import Fakes
from redchain.demo.firms import build_enterprises
from redchain.demo.logins import USERNAMES, build_accounts
from redchain.demo.members import build_members
from redchain.demo.party import build_party_tree
from redchain.orgs.models import (
    Alliance,
    AllianceMember,
    Department,
    Enterprise,
    IndustryChain,
    PartyMember,
    PartyOrg,
    Zone,
)
from redchain.orgs.services import chain_create, department_create, zone_create


class Writer(Protocol):
    """Where progress lines go: a text stream or a management command's ``self.stdout``."""

    def write(self, text: str, /) -> object: ...


class DemoConflict(RuntimeError):
    """The demo zone is missing but some of its account names are taken; loading would hijack them."""


@dataclass(frozen=True)
class Summary:
    """What the demo zone holds after a load, and whether this call created it."""

    created: bool
    zone_code: str
    zone_name: str
    chains: int
    alliances: int
    alliance_members: int
    enterprises: int
    above_scale: int
    departments: int
    party_orgs: int
    party_members: int
    users: int  # users with a membership in the zone: the demo accounts, plus any added since
    seconds: float


def load_demo(
    *, stdout: Writer | None = None, demand_count: int | None = None, party_work: bool = True
) -> Summary:
    """Create the demo zone unless it exists; return what it holds. ``stdout`` receives progress lines.

    ``demand_count`` overrides how many demands are played through the loop (tests use few or none: playing
    the full year takes most of the load time). ``party_work=False`` leaves out the year of party-building
    work (meetings, visits, party life …), which the browser journeys that do not look at it skip.
    """
    started = time.perf_counter()
    zone = Zone.objects.filter(code=data.ZONE["code"]).first()
    if zone is not None:
        _say(stdout, f"Demo zone {zone.code!r} already exists; nothing to load.")
        return summarise(zone, created=False, started=started)
    taken = sorted(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    if taken:
        raise DemoConflict(f"the demo zone is missing but these usernames are taken: {', '.join(taken)}")
    with transaction.atomic():
        zone = _build(stdout, demand_count, party_work=party_work)
    return summarise(zone, created=True, started=started)


def _count(demand_count: int | None) -> dict[str, int]:
    return {} if demand_count is None else {"count": demand_count}


def _build(stdout: Writer | None, demand_count: int | None, *, party_work: bool = True) -> Zone:
    fakes = Fakes(data.SEED)
    zone = zone_create(actor=None, **data.ZONE)
    departments = _departments(zone, fakes)
    chains = _chains(zone)
    _say(stdout, f"Zone, {len(departments)} departments and {len(chains)} chains created.")
    firms_by_chain = build_enterprises(zone=zone, chains=chains, fakes=fakes)
    _say(stdout, f"{sum(len(firms) for firms in firms_by_chain.values())} enterprises created.")
    tree = build_party_tree(zone=zone, departments=departments, firms_by_chain=firms_by_chain, fakes=fakes)
    members = build_members(tree=tree, fakes=fakes)
    _say(stdout, f"{len(tree.staffing)} party organisations and {members} party members created.")
    alliances = build_alliances(
        zone=zone,
        chains=chains,
        firms_by_chain=firms_by_chain,
        departments=departments,
        tree=tree,
        fakes=fakes,
    )
    build_accounts(
        zone=zone, departments=departments, alliances=alliances, firms_by_chain=firms_by_chain, fakes=fakes
    )
    _say(stdout, f"{len(alliances)} alliances and {len(USERNAMES)} demo accounts created.")
    _say(
        stdout,
        "{} demands played through the loop in {}s.".format(
            *timed_build(zone=zone, departments=departments, fakes=fakes, **_count(demand_count))
        ),
    )
    _train_routers(zone, stdout)
    if party_work:
        _party_work(zone, stdout)
    return zone


def _party_work(zone: Zone, stdout: Writer | None) -> None:
    """Issue 5's mechanisms, each from its own module; they read the zone built above from the database."""
    from redchain.demo import (
        work_exchange,
        work_mechanisms,
        work_pairings,
        work_partylife,
        work_taskforces,
        work_visits,
    )

    for module in (
        work_mechanisms,
        work_exchange,
        work_pairings,
        work_visits,
        work_taskforces,
        work_partylife,
    ):
        started = time.perf_counter()
        line = module.build(zone=zone, fakes=Fakes(data.SEED).stage(module.__name__))
        if line:
            _say(stdout, f"{line} ({time.perf_counter() - started:.1f}s)")


def _train_routers(zone: Zone, stdout: Writer | None) -> None:
    """Learn routing from the year's closed demands, so dispatchers see suggestions from the first click."""
    from django.core.exceptions import ValidationError

    from redchain.routing.models import RouterModel
    from redchain.routing.services import router_train

    for target in RouterModel.Target.values:
        try:
            router = router_train(zone=zone, target=target)
        except ValidationError:  # too few closed demands (tests load few or none): keyword rules serve
            continue
        _say(
            stdout,
            f"Router for {target} trained: macro-F1 {router.metrics.get('macro_f1', 0):.2f} on hold-out.",
        )


def _departments(zone: Zone, fakes: Fakes) -> dict[str, Department]:
    fakes.stage("departments")
    return {
        name: department_create(
            actor=None,
            zone=zone,
            name=name,
            short_name=short_name,
            kind=kind,
            # One keyword per line: the routing matcher and a person editing the list both read it easily.
            responsibilities="\n".join(keywords),
            phone=fakes.landline(data.DEPARTMENT_PHONE_PREFIX),
        )
        for name, short_name, kind, keywords in data.DEPARTMENTS
    }


def _chains(zone: Zone) -> dict[str, IndustryChain]:
    return {
        spec.code: chain_create(
            actor=None,
            zone=zone,
            name=spec.name,
            code=spec.code,
            description=spec.description,
            upstream=spec.upstream,
            midstream=spec.midstream,
            downstream=spec.downstream,
            position=position,
        )
        for position, spec in enumerate(data.CHAINS, start=1)
    }


def summarise(zone: Zone, *, created: bool, started: float) -> Summary:
    """Count what the zone holds (the same numbers whether this call loaded it or found it)."""
    enterprises = Enterprise.objects.filter(zone=zone)
    return Summary(
        created=created,
        zone_code=zone.code,
        zone_name=zone.name,
        chains=IndustryChain.objects.filter(zone=zone).count(),
        alliances=Alliance.objects.filter(zone=zone).count(),
        alliance_members=AllianceMember.objects.filter(alliance__zone=zone).count(),
        enterprises=enterprises.count(),
        above_scale=enterprises.filter(scale=Enterprise.Scale.ABOVE).count(),
        departments=Department.objects.filter(zone=zone).count(),
        party_orgs=PartyOrg.objects.filter(zone=zone).count(),
        party_members=PartyMember.objects.filter(zone=zone).count(),
        users=Membership.objects.filter(zone=zone).values("user").distinct().count(),
        seconds=round(time.perf_counter() - started, 2),
    )


def _say(stdout: Writer | None, line: str) -> None:
    if stdout is not None:
        stdout.write(line + "\n")

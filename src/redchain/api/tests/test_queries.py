"""No N+1: a list costs the same number of queries whether it returns 2 rows or 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redchain.accounts.models import Role
from redchain.accounts.services import membership_grant
from redchain.orgs import services
from redchain.orgs.models import PartyOrg
from redchain.orgs.tests.factories import _uscc

pytestmark = pytest.mark.django_db

# Queries per list request with a bearer token: token+user, memberships (scope), count, page, and for
# enterprises one prefetch of qualifications; party orgs add one for the scoped subtree roots.
BUDGET = {
    "zones": 4,
    "departments": 4,
    "chains": 4,
    "enterprises": 5,
    "alliances": 4,
    "party-orgs": 5,
}


@pytest.fixture
def crowded(world):
    """Enough rows in zone A that every list has more than a couple, with every relation filled in."""
    chains = [
        services.chain_create(actor=None, zone=world.zone, name=f"产业链{n}", code=f"c{n}", position=10 + n)
        for n in range(8)
    ]
    for n in range(40):
        chain = chains[n % len(chains)]
        firm = services.enterprise_create(
            actor=None,
            zone=world.zone,
            name=f"企业{n:02d}有限公司",
            uscc=_uscc(5000 + n),
            chain=chain,
            segment="midstream",
            qualifications=["high_tech", "specialised"],
        )
        branch = services.party_org_create(
            actor=None,
            zone=world.zone,
            parent=world.committee,
            name=f"企业{n:02d}党支部",
            kind=PartyOrg.Kind.BRANCH,
            owner_kind="enterprise",
            owner_enterprise=firm,
        )
        services.party_member_create(actor=None, org=branch, name=f"党员{n:02d}")
    for n, chain in enumerate(chains):
        alliance = services.alliance_create(actor=None, zone=world.zone, chain=chain, name=f"联盟{n}")
        services.alliance_member_add(actor=None, alliance=alliance, enterprise=chain.enterprises.first())
    for n in range(8):
        services.department_create(actor=None, zone=world.zone, name=f"部门{n}")
    for n in range(5):
        zone = services.zone_create(actor=None, name=f"丙{n}园区", code=f"park-{n}")
        membership_grant(actor=None, user=world.alice, zone=zone, role=Role.ZONE_ADMIN)
    return world


def _queries(api, user, path, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, as_user=user, **params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", list(BUDGET))
def test_list_query_count_does_not_grow_with_page_size(api, crowded, path, django_assert_max_num_queries):
    alice = crowded.alice
    api.get("me", as_user=alice)  # the first use of a token also stamps last_used_at; keep it out

    small = _queries(api, alice, path, limit=2)
    with django_assert_max_num_queries(BUDGET[path]):
        response = api.get(path, as_user=alice, limit=200)

    assert len(response.json()["items"]) > 2
    assert _queries(api, alice, path, limit=200) == small


@pytest.mark.parametrize("path", ["enterprises", "party-orgs"])
def test_scoped_personas_cost_the_same(api, crowded, path):
    for user in (crowded.hannah, crowded.ivan, crowded.fiona):
        api.get("me", as_user=user)
        assert _queries(api, user, path, limit=2) == _queries(api, user, path, limit=200)


def test_alliance_detail_reads_the_roster_in_one_query(api, crowded, django_assert_max_num_queries):
    api.get("me", as_user=crowded.alice)

    with django_assert_max_num_queries(4):
        response = api.get(f"alliances/{crowded.alliance1.pk}", as_user=crowded.alice)

    assert len(response.json()["members"]) == 3

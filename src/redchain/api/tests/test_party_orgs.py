"""GET /api/v1/party-orgs and /party-orgs/{id}: a tree, with subtree scopes for staff and firms."""

import pytest

from redchain.api.tests.helpers import names
from redchain.orgs import services
from redchain.orgs.models import PartyOrg

pytestmark = pytest.mark.django_db


def test_zone_admin_sees_the_whole_tree_in_path_order(api, world):
    items = api.get("party-orgs", as_user=world.alice).json()["items"]

    assert [item["id"] for item in items] == [
        world.committee.pk,
        world.branch_a1.pk,
        world.branch_x.pk,
        world.branch_y.pk,
    ]


def test_handler_sees_only_own_department_branch(api, world):
    assert names(api.get("party-orgs", as_user=world.hannah)) == {"企业服务局党支部"}
    assert api.get(f"party-orgs/{world.branch_a1.pk}", as_user=world.hannah).status_code == 200
    assert api.get(f"party-orgs/{world.branch_x.pk}", as_user=world.hannah).status_code == 404
    assert api.get(f"party-orgs/{world.committee.pk}", as_user=world.hannah).status_code == 404


def test_handler_of_department_without_branch_sees_none(api, world):
    assert api.get("party-orgs", as_user=world.harry).json() == {"count": 0, "items": []}


def test_enterprise_contact_sees_own_firms_branch_only(api, world):
    assert names(api.get("party-orgs", as_user=world.fiona)) == {"星辰汽车党支部"}
    assert api.get(f"party-orgs/{world.branch_y.pk}", as_user=world.fiona).status_code == 404


def test_detail_fields(api, world):
    services.party_member_create(actor=None, org=world.branch_x, name="赵六")

    body = api.get(f"party-orgs/{world.branch_x.pk}", as_user=world.fiona).json()

    assert body["path"] == f"/{world.committee.pk}/{world.branch_x.pk}/"
    assert body["depth"] == 1
    assert body["parent_id"] == world.committee.pk
    assert body["kind"] == "branch"
    assert body["owner"] == {
        "kind": "enterprise",
        "name": "星辰汽车有限公司",
        "enterprise_id": world.firm_x.pk,
        "department_id": None,
    }
    assert body["member_count"] == 2
    assert {"brand_name", "rating", "secretary", "brand_description", "zone_id"} <= set(body)


def test_committee_has_no_parent_and_no_owner(api, world):
    body = api.get(f"party-orgs/{world.committee.pk}", as_user=world.alice).json()

    assert body["parent_id"] is None
    assert body["owner"] is None
    assert body["depth"] == 0


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kind": "working_committee"}, {"甲开发区党工委"}),
        ({"kind": "branch"}, {"企业服务局党支部", "星辰汽车党支部", "云帆电池党支部"}),
        ({"q": "星辰"}, {"星辰汽车党支部"}),
    ],
)
def test_filters(api, world, params, expected):
    assert names(api.get("party-orgs", as_user=world.alice, **params)) == expected


def test_filter_by_parent_lists_direct_children(api, world):
    group = services.party_org_create(
        actor=None, zone=world.zone, parent=world.branch_x, name="一组", kind=PartyOrg.Kind.GROUP
    )

    children = api.get("party-orgs", as_user=world.alice, parent=world.committee.pk).json()
    grandchildren = api.get("party-orgs", as_user=world.alice, parent=world.branch_x.pk).json()

    assert children["count"] == 3
    assert [item["id"] for item in grandchildren["items"]] == [group.pk]


def test_filter_by_zone(api, world):
    assert api.get("party-orgs", as_user=world.alice, zone=world.other_zone.pk).json()["count"] == 0

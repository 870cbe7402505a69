"""GET /api/v1/alliances and /alliances/{id}: zone structure, with a roster public within the zone."""

import pytest

from redchain.api.tests.helpers import names

pytestmark = pytest.mark.django_db

ALLIANCES = {"新能源汽车党建联盟", "数字科技党建联盟"}


@pytest.mark.parametrize("persona", ["alice", "hannah", "ivan", "fiona"])
def test_every_member_of_the_zone_sees_its_alliances(api, world, persona):
    assert names(api.get("alliances", as_user=world.persona(persona))) == ALLIANCES


def test_list_fields_and_counts(api, world):
    items = api.get("alliances", as_user=world.alice).json()["items"]

    first = items[0]
    assert first["id"] == world.alliance1.pk
    assert first["chain"] == {"id": world.chain1.pk, "name": "新能源汽车"}
    assert first["core_id"] == world.committee.pk
    assert first["member_count"] == 3
    assert first["enterprise_member_count"] == 1


def test_detail_lists_the_roster(api, world):
    body = api.get(f"alliances/{world.alliance1.pk}", as_user=world.alice).json()

    members = {member["name"]: member for member in body["members"]}
    assert set(members) == {"星辰汽车有限公司", "星辰汽车党支部", "企业服务局"}
    assert members["星辰汽车有限公司"] == {
        "kind": "enterprise",
        "role": "lead",
        "name": "星辰汽车有限公司",
        "party_org_id": None,
        "enterprise_id": world.firm_x.pk,
        "department_id": None,
        "joined_on": None,
    }
    assert members["星辰汽车党支部"]["party_org_id"] == world.branch_x.pk
    assert members["企业服务局"]["role"] == "instructor"


def test_roster_names_members_the_reader_cannot_otherwise_see(api, world):
    # Frank (contact of firm Y) cannot open firm X or its branch, but the roster is public in the zone.
    body = api.get(f"alliances/{world.alliance1.pk}", as_user=world.frank).json()

    assert "星辰汽车有限公司" in {member["name"] for member in body["members"]}
    assert api.get(f"enterprises/{world.firm_x.pk}", as_user=world.frank).status_code == 404


def test_filters(api, world):
    assert names(api.get("alliances", as_user=world.alice, chain=world.chain2.pk)) == {"数字科技党建联盟"}
    assert api.get("alliances", as_user=world.alice, zone=world.other_zone.pk).json()["count"] == 0

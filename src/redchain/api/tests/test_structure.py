"""GET zones, departments and chains: the structure every member of a zone may read."""

import pytest

from redchain.api.tests.helpers import names

pytestmark = pytest.mark.django_db


def test_member_of_a_zone_sees_only_that_zone(api, world):
    assert names(api.get("zones", as_user=world.fiona)) == {"甲开发区"}
    assert names(api.get("zones", as_user=world.zara)) == {"乙开发区"}


def test_zone_detail_fields(api, world):
    body = api.get(f"zones/{world.zone.pk}", as_user=world.hannah).json()

    assert body == {
        "id": world.zone.pk,
        "name": "甲开发区",
        "code": "zone-a",
        "kind": "development_zone",
        "division_code": "",
        "description": "",
    }


def test_superuser_sees_every_zone(api, world):
    world.nora.is_superuser = True
    world.nora.save(update_fields=["is_superuser"])

    assert names(api.get("zones", as_user=world.nora)) == {"甲开发区", "乙开发区"}


@pytest.mark.parametrize("persona", ["hannah", "ivan", "fiona"])
def test_every_member_of_the_zone_sees_its_departments(api, world, persona):
    assert names(api.get("departments", as_user=world.persona(persona))) == {"企业服务局", "市场监管局"}


def test_departments_filters(api, world):
    assert names(api.get("departments", as_user=world.alice, q="市场")) == {"市场监管局"}
    assert api.get("departments", as_user=world.alice, zone=world.other_zone.pk).json()["count"] == 0


def test_department_of_other_zone_is_404(api, world):
    assert api.get(f"departments/{world.other_department.pk}", as_user=world.alice).status_code == 404


def test_chains_in_display_order_with_counts(api, world):
    items = api.get("chains", as_user=world.fiona).json()["items"]

    counts = [(item["name"], item["enterprise_count"]) for item in items]
    assert counts == [("新能源汽车", 2), ("数字科技", 1)]


def test_chain_detail_has_segments(api, world):
    body = api.get(f"chains/{world.chain1.pk}", as_user=world.alice).json()

    assert body["enterprise_count"] == 2
    assert {"upstream", "midstream", "downstream", "code", "zone_id"} <= set(body)


def test_chain_filter_by_zone(api, world):
    assert api.get("chains", as_user=world.alice, zone=world.zone.pk).json()["count"] == 2
    assert api.get("chains", as_user=world.alice, zone=world.other_zone.pk).json()["count"] == 0

"""``limit`` (default 50, at most 200) and ``offset`` on every collection, answered as {count, items}."""

import pytest

from redchain.orgs.models import Department
from redchain.orgs.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_enterprises(world):
    """60 more enterprises in zone A, 63 in all."""
    return EnterpriseFactory.create_batch(60, zone=world.zone)


def test_default_page_is_50_rows_with_the_full_count(api, world, many_enterprises):
    body = api.get("enterprises", as_user=world.alice).json()

    assert body["count"] == 63
    assert len(body["items"]) == 50


def test_limit_and_offset_walk_the_list_without_overlap(api, world, many_enterprises):
    pages = [
        api.get("enterprises", as_user=world.alice, limit=25, offset=offset).json() for offset in (0, 25, 50)
    ]

    ids = [item["id"] for page in pages for item in page["items"]]
    assert [len(page["items"]) for page in pages] == [25, 25, 13]
    assert len(set(ids)) == 63
    assert all(page["count"] == 63 for page in pages)


def test_offset_past_the_end_is_an_empty_page(api, world):
    assert api.get("zones", as_user=world.alice, offset=10).json() == {"count": 1, "items": []}


def test_limit_above_maximum_is_lowered_to_200(api, world):
    Department.objects.bulk_create(
        Department(zone=world.zone, name=f"部门{n:03d}", sort_name=f"bu men {n:03d}") for n in range(210)
    )

    body = api.get("departments", as_user=world.alice, limit=1000).json()

    assert body["count"] == 212
    assert len(body["items"]) == 200


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": -1}, {"offset": -1}, {"limit": "many"}])
def test_bad_pagination_parameters_are_422(api, world, params):
    assert api.get("enterprises", as_user=world.alice, **params).status_code == 422

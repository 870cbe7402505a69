"""Every collection and detail endpoint, four ways: anonymous, without permission, with permission,
and on an object outside the user's scope."""

import pytest

from redchain.api import errors

pytestmark = pytest.mark.django_db

# (collection path, attribute of the world holding one zone-A object of that collection)
ENDPOINTS = [
    ("zones", "zone"),
    ("departments", "dept_a1"),
    ("chains", "chain1"),
    ("enterprises", "firm_x"),
    ("alliances", "alliance1"),
    ("party-orgs", "committee"),
]
# The zone-B object of the same collection, which zone A's admin must not see.
OTHER_ZONE = {
    "zones": "other_zone",
    "departments": "other_department",
    "chains": "other_chain",
    "enterprises": "other_firm",
    "alliances": "other_alliance",
    "party-orgs": "other_branch",
}

collections = pytest.mark.parametrize("path, attr", ENDPOINTS, ids=[path for path, _ in ENDPOINTS])


@collections
def test_anonymous_gets_401_on_list_and_detail(api, world, path, attr):
    obj = getattr(world, attr)

    for url in (path, f"{path}/{obj.pk}"):
        response = api.get(url)
        assert response.status_code == 401
        assert response.json() == {"detail": errors.NOT_AUTHENTICATED}


@collections
def test_user_without_membership_gets_empty_list_and_404(api, world, path, attr):
    obj = getattr(world, attr)

    listing = api.get(path, as_user=world.nora)
    detail = api.get(f"{path}/{obj.pk}", as_user=world.nora)

    assert listing.status_code == 200
    assert listing.json() == {"count": 0, "items": []}
    assert detail.status_code == 404
    assert detail.json() == {"detail": errors.NOT_FOUND}


@collections
def test_zone_admin_sees_own_zone_rows_and_detail(api, world, path, attr):
    obj = getattr(world, attr)

    listing = api.get(path, as_user=world.alice).json()
    detail = api.get(f"{path}/{obj.pk}", as_user=world.alice)

    ids = {item["id"] for item in listing["items"]}
    assert obj.pk in ids
    assert getattr(world, OTHER_ZONE[path]).pk not in ids
    assert listing["count"] == len(ids)
    assert detail.status_code == 200
    assert detail.json()["id"] == obj.pk


@collections
def test_admin_of_other_zone_gets_404_for_zone_a_objects(api, world, path, attr):
    obj = getattr(world, attr)

    detail = api.get(f"{path}/{obj.pk}", as_user=world.zara)
    listing = api.get(path, as_user=world.zara).json()

    assert detail.status_code == 404
    assert detail.json() == {"detail": errors.NOT_FOUND}
    assert obj.pk not in {item["id"] for item in listing["items"]}
    assert getattr(world, OTHER_ZONE[path]).pk in {item["id"] for item in listing["items"]}


@collections
def test_unknown_id_is_404_and_malformed_id_is_422(api, world, path, attr):
    assert api.get(f"{path}/999999", as_user=world.alice).status_code == 404
    assert api.get(f"{path}/abc", as_user=world.alice).status_code == 422


@collections
def test_browser_session_reads_the_same_rows_as_a_token(api, login, world, path, attr):
    by_token = api.get(path, as_user=world.fiona).json()

    by_session = login(world.fiona).get(f"/api/v1/{path}").json()

    assert by_session == by_token

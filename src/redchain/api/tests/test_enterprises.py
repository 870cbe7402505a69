"""GET /api/v1/enterprises and /enterprises/{id}: scope, filters, fields and masking."""

import pytest

from redchain.api.tests.helpers import names
from redchain.orgs import services

pytestmark = pytest.mark.django_db

X, Y, Z = "星辰汽车有限公司", "云帆电池有限公司", "智算科技有限公司"


def test_zone_admin_sees_every_enterprise_of_the_zone(api, world):
    response = api.get("enterprises", as_user=world.alice)

    assert names(response) == {X, Y, Z}
    assert response.json()["count"] == 3


def test_enterprise_contact_sees_only_own_firm(api, world):
    assert names(api.get("enterprises", as_user=world.fiona)) == {X}
    assert api.get(f"enterprises/{world.firm_x.pk}", as_user=world.fiona).status_code == 200


def test_enterprise_contact_gets_404_for_another_firm_of_the_same_zone(api, world):
    response = api.get(f"enterprises/{world.firm_y.pk}", as_user=world.fiona)

    assert response.status_code == 404


def test_handler_sees_all_enterprises_and_instructor_sees_chain(api, world):
    assert names(api.get("enterprises", as_user=world.hannah)) == {X, Y, Z}
    assert names(api.get("enterprises", as_user=world.ivan)) == {X, Y}
    assert api.get(f"enterprises/{world.firm_z.pk}", as_user=world.ivan).status_code == 404


def test_list_is_sorted_by_pinyin(api, world):
    items = api.get("enterprises", as_user=world.alice).json()["items"]

    # xing chen, yun fan, zhi suan
    assert [item["name"] for item in items] == [X, Y, Z]


def test_detail_has_the_documented_fields_and_masks_the_phone(api, world):
    services.enterprise_update(
        actor=world.alice,
        enterprise=world.firm_x,
        contact_name="陈经理",
        contact_phone="13812345678",
        land_area_mu="120.50",
        employees=800,
        address="甲开发区创新路1号",
    )

    body = api.get(f"enterprises/{world.firm_x.pk}", as_user=world.alice).json()

    assert body["contact_phone"] == "138****5678"
    assert "13812345678" not in str(body)
    assert body["chain"] == {"id": world.chain1.pk, "name": "新能源汽车"}
    assert body["qualifications"] == ["high_tech"]
    assert body["alliances"] == [{"id": world.alliance1.pk, "name": "新能源汽车党建联盟"}]
    assert {key: body[key] for key in ("zone_id", "scale", "segment", "chain_role", "employees")} == {
        "zone_id": world.zone.pk,
        "scale": "above",
        "segment": "downstream",
        "chain_role": "leader",
        "employees": 800,
    }
    assert body["land_area_mu"] == "120.50"
    assert body["uscc"] == world.firm_x.uscc
    assert set(body) >= {"established_on", "address", "contact_name", "name", "id"}


def test_list_masks_the_phone_too(api, world):
    services.enterprise_update(actor=world.alice, enterprise=world.firm_x, contact_phone="13812345678")

    items = api.get("enterprises", as_user=world.alice).json()["items"]

    assert {item["contact_phone"] for item in items} == {"138****5678", ""}


def test_enterprise_without_chain_has_null_chain(api, world):
    services.enterprise_update(actor=world.alice, enterprise=world.firm_z, chain=None)

    assert api.get(f"enterprises/{world.firm_z.pk}", as_user=world.alice).json()["chain"] is None


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"chain": "chain1"}, {X, Y}),
        ({"chain": "chain2"}, {Z}),
        ({"scale": "above"}, {X}),
        ({"scale": "below"}, {Y, Z}),
        ({"segment": "upstream"}, {Y}),
        ({"qualification": "high_tech"}, {X}),
        ({"q": "云帆"}, {Y}),
        ({"q": "xc"}, {X}),  # pinyin initials of 星辰
        ({"q": "YUNFAN"}, {Y}),  # full pinyin, any case
        ({"q": "有限公司"}, {X, Y, Z}),
        ({"q": "不存在"}, set()),
        ({"chain": "chain1", "scale": "below"}, {Y}),
    ],
)
def test_filters(api, world, params, expected):
    params = {key: getattr(world, value).pk if key == "chain" else value for key, value in params.items()}

    assert names(api.get("enterprises", as_user=world.alice, **params)) == expected


def test_filter_by_uscc_prefix(api, world):
    response = api.get("enterprises", as_user=world.alice, q=world.firm_y.uscc[:17].lower())

    assert names(response) == {Y}


def test_filter_by_zone_of_another_zone_gives_nothing(api, world):
    assert api.get("enterprises", as_user=world.alice, zone=world.other_zone.pk).json()["count"] == 0
    assert api.get("enterprises", as_user=world.alice, zone=world.zone.pk).json()["count"] == 3


def test_filters_do_not_widen_scope(api, world):
    assert names(api.get("enterprises", as_user=world.fiona, chain=world.chain1.pk)) == {X}


def test_unknown_choice_in_filter_is_422(api, world):
    assert api.get("enterprises", as_user=world.alice, scale="huge").status_code == 422

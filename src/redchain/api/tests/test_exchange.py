"""/api/v1/ needs, resources, matches, alliance-projects and alliance-feedback: scoping four ways and the
workflow steps."""

import pytest

from redchain.api import errors
from redchain.exchange.models import Match, Need, Resource
from redchain.exchange.tests import factories as fx

pytestmark = pytest.mark.django_db


def bearer(api, user) -> dict:
    return {"Authorization": f"Bearer {api.token(user)}"}


def post(api, path, payload, user):
    return api.post(path, payload, **bearer(api, user))


@pytest.mark.parametrize("path", ["needs", "resources", "matches", "alliance-projects"])
def test_anonymous_gets_401_and_nora_an_empty_list(api, world, path):
    assert api.get(path).status_code == 401
    assert api.get(path, as_user=world.nora).json() == {"count": 0, "items": []}


@pytest.mark.parametrize(
    "persona,count", [("alice", 1), ("hannah", 1), ("ivan", 1), ("fiona", 1), ("harry", 0), ("zara", 0)]
)
def test_needs_are_scoped(api, world, persona, count):
    fx.need(world)
    assert api.get("needs", as_user=world.persona(persona)).json()["count"] == count


def test_detail_outside_scope_is_404(api, world):
    need = fx.zone_b_need(world)
    response = api.get(f"needs/{need.pk}", as_user=world.alice)
    assert response.status_code == 404 and response.json() == {"detail": errors.NOT_FOUND}
    assert api.get(f"needs/{need.pk}", as_user=world.zara).status_code == 200


def test_phone_is_masked_for_another_firm(api, world):
    need = fx.need(world)
    assert api.get(f"needs/{need.pk}", as_user=world.frank).json()["contact_phone"] == "138****2222"
    assert api.get(f"needs/{need.pk}", as_user=world.fiona).json()["contact_phone"] == "13811112222"


def test_contact_posts_a_need_for_their_own_firm(api, world):
    response = post(
        api,
        "needs",
        {
            "kind": "procurement",
            "title": "联合采购钢材",
            "description": "采购。",
            "valid_until": "2099-01-01",
            "alliance": world.alliance1.pk,
        },
        world.fiona,
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner_enterprise_id"] == world.firm_x.pk


def test_bad_input_is_422_and_writes_nothing(api, world):
    response = post(
        api,
        "needs",
        {
            "kind": "procurement",
            "title": "x",
            "description": "y",
            "valid_until": "2000-01-01",
            "alliance": world.alliance1.pk,
        },
        world.fiona,
    )
    assert response.status_code == 422 and "有效期" in response.json()["detail"]
    assert post(api, "resources", {"kind": "nope"}, world.fiona).status_code == 422
    assert not Need.objects.exists()


def test_an_institution_without_an_alliance_is_422_not_a_crash(api, world):
    payload = {"kind": "financing", "title": "授信", "description": "贷款", "valid_until": "2099-01-01"}
    response = post(api, "resources", {**payload, "institution": "晋中银行"}, world.alice)
    assert response.status_code == 422 and "联盟" in response.json()["detail"]
    assert not Resource.objects.exists()


def test_contact_cannot_post_for_another_firm(api, world):
    response = post(
        api,
        "needs",
        {
            "kind": "procurement",
            "title": "x",
            "description": "y",
            "valid_until": "2099-01-01",
            "enterprise": world.firm_x.pk,
            "alliance": world.alliance1.pk,
        },
        world.frank,
    )
    assert response.status_code == 422  # firm X is outside frank's scope
    assert not Need.objects.exists()


def test_propose_accept_close_through_the_api(api, world):
    fx.resource(world)
    need = fx.need(world)
    proposals = post(api, f"needs/{need.pk}/propose", {}, world.fiona)
    assert proposals.status_code == 200 and len(proposals.json()) == 1
    match_id = proposals.json()[0]["id"]

    assert post(api, f"matches/{match_id}/accept", {}, world.fiona).json()["status"] == "proposed"
    assert post(api, f"matches/{match_id}/accept", {}, world.frank).json()["status"] == "accepted"
    closed = post(
        api, f"matches/{match_id}/close", {"result": "联合采购节约35万元", "saved_wan": 35}, world.fiona
    )
    assert (
        closed.status_code == 200
        and closed.json()["status"] == "closed"
        and closed.json()["saved_wan"] == "35.00"
    )
    assert post(api, f"matches/{match_id}/close", {"result": "again"}, world.fiona).status_code == 409


def test_match_steps_outside_scope_are_404(api, world):
    match = fx.proposed(world)
    assert post(api, f"matches/{match.pk}/accept", {}, world.harry).status_code == 404
    assert post(api, f"matches/{match.pk}/accept", {}, world.zara).status_code == 404
    # Alice sees the match but may not accept for a firm: 404, nothing confirmed.
    assert post(api, f"matches/{match.pk}/accept", {}, world.alice).status_code == 404
    assert post(api, f"matches/{match.pk}/decline", {"reason": ""}, world.frank).status_code == 422
    assert Match.objects.get().status == "proposed"


def test_matches_list_shows_a_firm_only_its_own(api, world):
    fx.proposed(world)
    assert api.get("matches", as_user=world.frank).json()["count"] == 1
    assert api.get("matches", as_user=world.ivan).json()["count"] == 1
    assert api.get("matches", as_user=world.harry).json()["count"] == 0


def test_projects_create_and_scope(api, world):
    unit = world.alliance1.members.get(enterprise=world.firm_x)
    payload = {
        "alliance": world.alliance1.pk,
        "title": "共性技术研发中心",
        "units": [unit.pk],
        "status": "planned",
    }
    assert post(api, "alliance-projects", payload, world.fiona).status_code == 404
    created = post(api, "alliance-projects", payload, world.ivan)
    assert created.status_code == 201 and created.json()["units"][0]["id"] == unit.pk
    assert api.get("alliance-projects", as_user=world.hannah).json()["count"] == 1
    assert api.get("alliance-projects", as_user=world.harry).json()["count"] == 0
    assert (
        post(
            api, "alliance-projects", {**payload, "alliance": world.other_alliance.pk}, world.alice
        ).status_code
        == 404
    )


def test_alliance_feedback_creates_a_demand(api, world):
    response = post(
        api,
        "alliance-feedback",
        {"alliance": world.alliance1.pk, "title": "物流拥堵", "body": "请协调。"},
        world.fiona,
    )
    assert response.status_code == 201 and response.json()["tracking_code"]
    # Firm X is not a member of alliance 2: refused with a reason, and no demand is written.
    refused = post(
        api, "alliance-feedback", {"alliance": world.alliance2.pk, "title": "x", "body": "y"}, world.fiona
    )
    assert refused.status_code == 422 and "联盟成员" in refused.json()["detail"]
    assert (
        post(
            api,
            "alliance-feedback",
            {"alliance": world.other_alliance.pk, "title": "x", "body": "y"},
            world.fiona,
        ).status_code
        == 404
    )
    from redchain.demands.models import Demand

    assert Demand.objects.count() == 1


def test_withdrawing_a_need_declines_its_open_proposals(api, world):
    match = fx.proposed(world)
    path = f"needs/{match.need_id}/withdraw"
    assert post(api, path, {"reason": "x"}, world.frank).status_code == 404  # not frank's need
    response = post(api, path, {"reason": "已自行解决"}, world.fiona)
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    match.refresh_from_db()
    assert (match.status, match.decline_reason) == ("declined", "已自行解决")
    assert post(api, path, {}, world.fiona).status_code == 409

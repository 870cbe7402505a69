"""POST/GET /api/v1/demands: submitting, the scoped list with its filters, and one demand's detail.

The loop's steps are in ``test_demands_steps.py``, concurrent steps in ``test_demands_race.py``.
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from redchain.accounts.models import Role
from redchain.accounts.services import membership_grant
from redchain.api import errors
from redchain.demands import services as s
from redchain.demands.models import Assignment, Category, Demand

pytestmark = pytest.mark.django_db

TITLE = "新厂房用电增容"
BODY = "新厂房需要增容 800 千伏安，请协调供电公司。"


# --- helpers shared with the other demand test modules -----------------------------------------------


def bearer(api, user) -> dict:
    return {"Authorization": f"Bearer {api.token(user)}"}


def post(api, path: str, payload: dict | None = None, *, as_user=None, **headers):
    """POST JSON as a persona (bearer token) or anonymously."""
    auth = bearer(api, as_user) if as_user is not None else {}
    return api.post(path, payload if payload is not None else {}, **auth, **headers)


def submitted(world, **kwargs) -> Demand:
    defaults = {"title": TITLE, "body": BODY, "enterprise": world.firm_x, "contact_phone": "13812345678"}
    return s.demand_submit(actor=world.fiona, zone=world.zone, **{**defaults, **kwargs})


def accepted(world, **kwargs) -> Demand:
    demand = submitted(world, **kwargs)
    return s.demand_accept(actor=world.alice, demand=demand)


def handling(world, *, disposition: str = "immediate", department=None, **kwargs) -> Demand:
    demand = accepted(world, **kwargs)
    return s.demand_dispatch(
        actor=world.alice, demand=demand, department=department or world.dept_a1, disposition=disposition
    )


def replied(world, **kwargs) -> Demand:
    demand = handling(world, **kwargs)
    return s.demand_reply(actor=world.hannah, demand=demand, text="已协调供电公司，下周完成增容。")


# --- submitting --------------------------------------------------------------------------------------


def test_enterprise_contact_submits_for_own_enterprise_through_the_portal(api, world):
    response = post(api, "demands", {"title": TITLE, "body": BODY}, as_user=world.fiona)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "tracking_code", "status"} and body["status"] == "submitted"
    demand = Demand.objects.get(pk=body["id"])
    assert (demand.enterprise, demand.zone, demand.channel) == (world.firm_x, world.zone, "portal")
    assert demand.tracking_code == body["tracking_code"] and demand.contact_name == "Fiona"


def test_staff_submit_through_the_api_channel_naming_the_enterprise(api, world):
    payload = {
        "title": TITLE,
        "body": BODY,
        "enterprise_uscc": world.firm_y.uscc,
        "contact_phone": "13900001111",
    }

    response = post(api, "demands", payload, as_user=world.hannah)

    assert response.status_code == 201
    demand = Demand.objects.get(pk=response.json()["id"])
    assert (demand.enterprise, demand.channel, demand.contact_phone) == (world.firm_y, "api", "13900001111")


def test_channel_and_category_by_code_or_id(api, world):
    category = Category.objects.create(zone=world.zone, name="用电用能", code="power")
    by_code = post(
        api,
        "demands",
        {"title": TITLE, "body": BODY, "channel": "hotline", "category": "power"},
        as_user=world.alice,
    )
    by_id = post(api, "demands", {"title": TITLE, "body": BODY, "category": category.pk}, as_user=world.alice)

    assert by_code.status_code == by_id.status_code == 201
    first, second = Demand.objects.get(pk=by_code.json()["id"]), Demand.objects.get(pk=by_id.json()["id"])
    assert (first.channel, first.category, first.enterprise) == ("hotline", category, None)
    assert second.category == category and second.channel == "api"


def test_contact_cannot_submit_for_another_firm(api, world):
    response = post(
        api,
        "demands",
        {"title": TITLE, "body": BODY, "enterprise_uscc": world.firm_y.uscc},
        as_user=world.fiona,
    )

    assert response.status_code == 422
    assert "统一社会信用代码" in response.json()["errors"]["enterprise_uscc"][0]
    assert not Demand.objects.exists()


def test_zone_admin_cannot_submit_for_an_enterprise_of_another_zone(api, world):
    response = post(
        api,
        "demands",
        {"title": TITLE, "body": BODY, "enterprise_uscc": world.firm_x.uscc},
        as_user=world.zara,
    )

    assert response.status_code == 422
    assert not Demand.objects.exists()


def test_caller_in_several_zones_must_name_the_zone(api, world):
    membership_grant(actor=None, user=world.alice, zone=world.other_zone, role=Role.ZONE_ADMIN)
    payload = {"title": TITLE, "body": BODY}

    refused = post(api, "demands", payload, as_user=world.alice)
    named = post(api, "demands", {**payload, "zone": world.other_zone.pk}, as_user=world.alice)

    assert refused.status_code == 422 and "zone" in refused.json()["errors"]
    assert named.status_code == 201
    assert Demand.objects.get().zone == world.other_zone


def test_zone_of_which_the_caller_is_no_member_is_refused(api, world):
    response = post(api, "demands", {"title": TITLE, "body": BODY, "zone": world.zone.pk}, as_user=world.zara)

    assert response.status_code == 422 and "zone" in response.json()["errors"]


def test_submit_four_ways(api, world):
    payload = {"title": TITLE, "body": BODY}

    assert post(api, "demands", payload).status_code == 401
    assert post(api, "demands", payload, as_user=world.nora).status_code == 404
    assert post(api, "demands", payload, as_user=world.fiona).status_code == 201
    assert (
        post(
            api, "demands", {**payload, "enterprise_uscc": world.firm_x.uscc}, as_user=world.zara
        ).status_code
        == 422
    )
    assert Demand.objects.count() == 1


def test_same_idempotency_key_twice_creates_one_demand(api, world):
    payload = {"title": TITLE, "body": BODY}

    first = post(api, "demands", payload, as_user=world.fiona, **{"Idempotency-Key": "retry-1"})
    again = post(api, "demands", payload, as_user=world.fiona, **{"Idempotency-Key": "retry-1"})
    other = post(api, "demands", payload, as_user=world.fiona, **{"Idempotency-Key": "retry-2"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert first.json() == again.json()
    assert other.json()["id"] != first.json()["id"]
    assert Demand.objects.count() == 2


def test_idempotency_keys_belong_to_one_user(api, world):
    post(api, "demands", {"title": TITLE, "body": BODY}, as_user=world.fiona, **{"Idempotency-Key": "k"})
    response = post(
        api, "demands", {"title": TITLE, "body": BODY}, as_user=world.alice, **{"Idempotency-Key": "k"}
    )

    assert response.status_code == 201 and Demand.objects.count() == 2


@pytest.mark.parametrize(
    "payload, field, message",
    [
        ({"body": BODY}, "title", "必填"),
        ({"title": "", "body": BODY}, "title", "不能为空"),
        ({"title": TITLE, "body": BODY, "channel": "fax"}, "channel", "不是可选的值"),
        ({"title": TITLE, "body": BODY, "category": "nope"}, "category", "没有此诉求分类"),
        ({"title": "   ", "body": BODY}, "title", "不能为空"),
    ],
)
def test_invalid_submission_is_422_in_chinese(api, world, payload, field, message):
    response = post(api, "demands", payload, as_user=world.fiona)

    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert any(message in text for text in body["errors"][field]), body
    assert not Demand.objects.exists()


# --- the list ----------------------------------------------------------------------------------------


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["tracking_code"] for item in response.json()["items"]}


def test_list_four_ways(api, world):
    demand = handling(world)
    other = s.demand_submit(actor=world.zara, zone=world.other_zone, title="乙区诉求", body="b")

    assert api.get("demands").status_code == 401
    assert api.get("demands", as_user=world.nora).json() == {"count": 0, "items": []}
    assert codes(api.get("demands", as_user=world.hannah)) == {demand.tracking_code}
    assert codes(api.get("demands", as_user=world.zara)) == {other.tracking_code}


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("alice", True),
        ("leo", True),
        ("hannah", True),
        ("fiona", True),
        ("ivan", True),
        ("harry", False),
        ("frank", False),
        ("nora", False),
        ("zara", False),
    ],
)
def test_who_sees_a_demand_dispatched_to_a1(api, world, persona, sees):
    demand = handling(world)

    assert codes(api.get("demands", as_user=world.persona(persona))) == (
        {demand.tracking_code} if sees else set()
    )


def test_filters_status_department_and_disposition(api, world):
    first = handling(world)
    second = handling(world, department=world.dept_a2, disposition="guided")
    third = submitted(world)

    assert codes(api.get("demands", as_user=world.alice, status="submitted")) == {third.tracking_code}
    assert codes(api.get("demands", as_user=world.alice, department=world.dept_a2.pk)) == {
        second.tracking_code
    }
    assert codes(api.get("demands", as_user=world.alice, disposition="immediate")) == {first.tracking_code}
    assert codes(api.get("demands", as_user=world.alice, enterprise=world.firm_x.pk)) == {
        first.tracking_code,
        second.tracking_code,
        third.tracking_code,
    }
    assert api.get("demands", as_user=world.alice, status="lost").status_code == 422


def test_filter_overdue(api, world):
    late, on_time = handling(world), handling(world)
    Assignment.objects.filter(demand=late).update(close_due=timezone.now() - dt.timedelta(hours=1))

    assert codes(api.get("demands", as_user=world.alice, overdue="true")) == {late.tracking_code}
    assert codes(api.get("demands", as_user=world.alice, overdue="false")) == {on_time.tracking_code}


def test_filter_q_in_chinese_and_by_tracking_code(api, world):
    power = submitted(world)
    land = submitted(world, title="用地指标咨询", body="想了解工业用地的供地计划。")

    assert codes(api.get("demands", as_user=world.alice, q="用地")) == {land.tracking_code}
    assert codes(api.get("demands", as_user=world.alice, q="增容")) == {power.tracking_code}
    assert codes(api.get("demands", as_user=world.alice, q=power.tracking_code.lower())) == {
        power.tracking_code
    }
    assert codes(api.get("demands", as_user=world.alice, q="星辰汽车")) == {
        power.tracking_code,
        land.tracking_code,
    }


def test_list_item_fields(api, world):
    handling(world)

    item = api.get("demands", as_user=world.alice).json()["items"][0]

    assert {
        "id",
        "tracking_code",
        "title",
        "status",
        "disposition",
        "category",
        "enterprise",
        "channel",
        "created_at",
        "next_due",
        "is_solved",
        "satisfaction",
        "redo_count",
    } <= set(item)
    assert item["enterprise"] == {"id": world.firm_x.pk, "name": "星辰汽车有限公司"}
    assert item["next_due"] is not None
    assert "contact_phone" not in item


# Token + user, memberships (scope), count, page; constant in the number of rows.
LIST_QUERY_BUDGET = 5


@pytest.mark.parametrize("persona", ["alice", "hannah", "fiona", "ivan"])
def test_list_runs_a_constant_number_of_queries(api, world, persona, django_assert_max_num_queries):
    category = Category.objects.create(zone=world.zone, name="用电用能", code="power")
    for n in range(25):
        demand = handling(world, title=f"诉求{n}", category=category)
        s.assignment_interim_reply(actor=world.hannah, demand=demand, text="办理中")
    user = world.persona(persona)
    api.token(user)

    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        response = api.get("demands", as_user=user, limit=100)

    assert response.json()["count"] == 25


# Token, its last use, memberships, the demand, then one prefetch each for work orders, their extensions,
# events, instructions and their leaders, ratings, attachments and supervisions: the same however long the
# timeline grows.
DETAIL_QUERY_BUDGET = 12


def test_detail_runs_a_constant_number_of_queries(api, world, django_assert_max_num_queries):
    demand = handling(world, disposition="reported")
    for n in range(15):
        s.assignment_interim_reply(actor=world.hannah, demand=demand, text=f"进度{n}")
        s.demand_instruct(actor=world.leo, demand=demand, text=f"批示{n}")
    api.token(world.hannah)

    with django_assert_max_num_queries(DETAIL_QUERY_BUDGET):
        response = api.get(f"demands/{demand.pk}", as_user=world.hannah)

    assert len(response.json()["timeline"]) == 33


# --- one demand --------------------------------------------------------------------------------------


def test_detail_four_ways(api, world):
    demand = handling(world)

    assert api.get(f"demands/{demand.pk}").status_code == 401
    assert api.get(f"demands/{demand.pk}", as_user=world.nora).status_code == 404
    assert api.get(f"demands/{demand.pk}", as_user=world.hannah).status_code == 200
    response = api.get(f"demands/{demand.pk}", as_user=world.zara)
    assert response.status_code == 404 and response.json() == {"detail": errors.NOT_FOUND}


def test_detail_shape(api, world):
    demand = handling(world)
    s.assignment_contact(actor=world.hannah, demand=demand)

    body = api.get(f"demands/{demand.pk}", as_user=world.alice).json()

    assert {
        "id",
        "tracking_code",
        "title",
        "body",
        "status",
        "disposition",
        "category",
        "enterprise",
        "assignments",
        "timeline",
        "is_solved",
        "satisfaction",
        "redo_count",
        "channel",
        "created_at",
        "instructions",
        "ratings",
    } <= set(body)
    (assignment,) = body["assignments"]
    assert assignment["department"] == {"id": world.dept_a1.pk, "name": "企业服务局"}
    assert assignment["role"] == "lead" and assignment["status"] == "in_progress"
    assert set(assignment["deadlines"]) == {"contact_due", "interim_due", "close_due"}
    assert assignment["contacted_at"] and assignment["replied_at"] is None
    assert [e["kind"] for e in body["timeline"]] == ["submitted", "accepted", "dispatched", "contacted"]
    assert {"kind", "at", "actor", "from_status", "to_status", "text"} <= set(body["timeline"][0])
    assert body["timeline"][2]["actor"] == "Alice"


@pytest.mark.parametrize(
    "persona, full", [("alice", True), ("hannah", True), ("leo", False), ("fiona", False), ("ivan", False)]
)
def test_contact_phone_is_masked_unless_the_caller_administers_or_handles(api, world, persona, full):
    demand = handling(world)

    phone = api.get(f"demands/{demand.pk}", as_user=world.persona(persona)).json()["contact_phone"]

    assert phone == ("13812345678" if full else "138****5678")


def test_enterprise_sees_public_steps_not_internal_notes(api, world):
    demand = handling(world, disposition="reported")
    s.demand_instruct(actor=world.leo, demand=demand, text="请企业服务局本周内办结")
    s.assignment_request_extension(
        actor=world.hannah, demand=demand, until=timezone.now() + dt.timedelta(days=30), reason="需要上级审批"
    )

    staff = api.get(f"demands/{demand.pk}", as_user=world.hannah).json()
    firm = api.get(f"demands/{demand.pk}", as_user=world.fiona).json()

    assert "instructed" in [e["kind"] for e in staff["timeline"]] and staff["instructions"]
    assert staff["instructions"][0]["text"] == "请企业服务局本周内办结"
    assert {"instructed", "extension_requested"}.isdisjoint(e["kind"] for e in firm["timeline"])
    assert firm["instructions"] == []


def test_malformed_id_is_422_and_unknown_is_404(api, world):
    assert api.get("demands/abc", as_user=world.alice).status_code == 422
    assert api.get("demands/999999", as_user=world.alice).status_code == 404


# --- CSRF --------------------------------------------------------------------------------------------


def test_session_step_without_csrf_token_is_refused(world):
    demand = submitted(world)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.alice, backend="django.contrib.auth.backends.ModelBackend")

    response = strict.post(f"/api/v1/demands/{demand.pk}/accept", {}, content_type="application/json")

    assert response.status_code == 403
    demand.refresh_from_db()
    assert demand.status == "submitted"


def test_session_step_with_csrf_token_and_token_step_without_it_pass(api, world):
    first, second = submitted(world), submitted(world)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.alice, backend="django.contrib.auth.backends.ModelBackend")
    secret = "a" * 32  # a well-formed CSRF secret, as the cookie a page would have set
    strict.cookies["csrftoken"] = secret

    response = strict.post(
        f"/api/v1/demands/{first.pk}/accept",
        {},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )

    assert response.status_code == 200
    bare = Client(enforce_csrf_checks=True)
    response = bare.post(
        f"/api/v1/demands/{second.pk}/accept",
        {},
        content_type="application/json",
        headers=bearer(api, world.alice),
    )
    assert response.status_code == 200


# --- the schema --------------------------------------------------------------------------------------

DEMAND_PATHS = [
    "/api/v1/demands",
    "/api/v1/demands/{id}",
    *[
        f"/api/v1/demands/{{id}}/{step}"
        for step in [
            "accept",
            "reject",
            "dispatch",
            "contact",
            "interim-reply",
            "reply",
            "return",
            "extend",
            "approve-extension",
            "instruct",
            "supervise",
            "rate",
            "merge",
            "close",
            "pause",
            "resume",
        ]
    ],
    "/api/v1/track/{tracking_code}",
]


def test_schema_lists_every_demand_path_with_its_answers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(DEMAND_PATHS) <= set(paths)
    assert {"201", "200", "401", "404", "422"} <= set(paths["/api/v1/demands"]["post"]["responses"])
    assert {"200", "401", "404", "409", "422"} <= set(
        paths["/api/v1/demands/{id}/reply"]["post"]["responses"]
    )
    params = {p["name"] for p in paths["/api/v1/demands"]["get"]["parameters"]}
    assert {"status", "department", "category", "disposition", "overdue", "q", "limit", "offset"} <= params
    assert "Idempotency-Key" in {p["name"] for p in paths["/api/v1/demands"]["post"]["parameters"]}

"""Every /api/v1/ endpoint of the exchange, four ways: anonymous (401), signed in without a membership (an
empty list, 404 on anything else), with permission, and outside the caller's scope (404; a step the caller
may not take is a 404 too). ``test_the_table_names_every_endpoint`` fails on an endpoint missing here."""

from __future__ import annotations

from itertools import count

import pytest

from redchain.api.endpoints import exchange
from redchain.api.tests.access import (
    Endpoint,
    assert_anonymous_401,
    assert_outsider_sees_nothing,
    call,
    served,
)
from redchain.exchange import services
from redchain.exchange.models import Match
from redchain.exchange.tests import factories as fx

pytestmark = pytest.mark.django_db

_serial = count(1)


@pytest.fixture
def records(world) -> dict:
    fx.resource(world)
    need = fx.need(world)
    (proposed,) = services.need_propose(actor=None, need=need)
    return {
        "need": need,
        "proposed": proposed,
        "project": services.project_create(actor=None, alliance=world.alliance1, title="人才实训基地"),
        "zone_b_need": fx.zone_b_need(world),
    }


def proposed_match(w) -> int:
    n = next(_serial)
    need = fx.need(w, title=f"采购钢材{n}", description="采购钢材。")
    resource = fx.resource(w, title=f"钢材供应{n}", description="供应钢材。")
    return services.match_propose(actor=None, need=need, resource=resource).pk


def accepted_match(w) -> int:
    pk = proposed_match(w)
    match = services.match_accept(actor=w.fiona, match=Match.objects.get(pk=pk))
    return services.match_accept(actor=w.frank, match=match).pk


def listing(w, r) -> dict:
    return {
        "kind": "procurement",
        "title": "联合采购钢材",
        "description": "采购钢材。",
        "valid_until": "2099-01-01",
        "alliance": w.alliance1.pk,
    }


LISTS = [Endpoint(p) for p in ("/needs", "/resources", "/matches", "/alliance-projects")]
DETAILS = [
    Endpoint("/needs/{id}", lambda w, r: r["need"].pk),
    Endpoint("/resources/{id}", lambda w, r: r["proposed"].resource_id),
    Endpoint("/matches/{id}", lambda w, r: r["proposed"].pk),
]
CREATES = [
    Endpoint("/needs", body=listing, ok=201, writer="fiona"),
    Endpoint("/resources", body=listing, ok=201, writer="fiona"),
    Endpoint(
        "/alliance-projects",
        body=lambda w, r: {"alliance": w.alliance1.pk, "title": "共性技术研发中心"},
        ok=201,
        writer="ivan",
    ),
    Endpoint(
        "/alliance-feedback",
        body=lambda w, r: {"alliance": w.alliance1.pk, "title": "物流拥堵", "body": "请协调。"},
        ok=201,
        writer="fiona",
    ),
]
STEPS = [
    Endpoint(
        "/needs/{id}/propose",
        lambda w, r: fx.need(w, title=f"需求{next(_serial)}").pk,
        lambda w, r: {},
        writer="fiona",
    ),
    Endpoint(
        "/needs/{id}/withdraw",
        lambda w, r: fx.need(w, title=f"需求{next(_serial)}").pk,
        lambda w, r: {"reason": "已自行解决"},
        writer="fiona",
    ),
    Endpoint(
        "/resources/{id}/withdraw",
        lambda w, r: fx.resource(w, title=f"资源{next(_serial)}").pk,
        lambda w, r: {},
        writer="frank",
    ),
    Endpoint("/matches/{id}/accept", lambda w, r: proposed_match(w), lambda w, r: {}, writer="fiona"),
    Endpoint(
        "/matches/{id}/decline",
        lambda w, r: proposed_match(w),
        lambda w, r: {"reason": "价格不合适"},
        writer="fiona",
    ),
    Endpoint(
        "/matches/{id}/close",
        lambda w, r: accepted_match(w),
        lambda w, r: {"result": "联合采购节约35万元", "saved_wan": 35},
        writer="fiona",
    ),
]
ALL = LISTS + DETAILS + CREATES + STEPS


def test_the_table_names_every_endpoint():
    assert served(exchange.router) == {(e.method, e.path) for e in ALL}


def test_anonymous_calls_are_401(api, world, records):
    assert_anonymous_401(api, ALL, world, records)


def test_callers_without_membership_see_nothing(api, world, records):
    assert_outsider_sees_nothing(api, ALL, LISTS, world, records, world.nora)


def test_members_read_and_permitted_callers_write(api, world, records):
    for endpoint in LISTS + DETAILS:
        response, _ = call(api, endpoint, world, records, world.fiona)
        assert response.status_code == 200, endpoint.path
        if endpoint in LISTS:
            assert response.json()["count"] >= 1, endpoint.path
    for endpoint in CREATES + STEPS:
        user = world.persona(endpoint.writer)
        response, written = call(api, endpoint, world, records, user)
        assert response.status_code == endpoint.ok, (endpoint.path, response.content)
        assert written >= 1, endpoint.path


@pytest.mark.parametrize(("persona", "zone_a", "zone_b"), [("fiona", 1, 0), ("harry", 0, 0), ("zara", 0, 1)])
def test_lists_hold_only_what_the_caller_may_see(api, world, records, persona, zone_a, zone_b):
    for endpoint in LISTS:
        items = call(api, endpoint, world, records, world.persona(persona))[0].json()["items"]
        zones = [item["zone_id"] for item in items]
        assert (world.zone.pk in zones) == bool(zone_a), (persona, endpoint.path)
        if endpoint.path == "/needs":
            assert (world.other_zone.pk in zones) == bool(zone_b), persona


def test_records_outside_scope_are_404_and_untouched(api, world, records):
    for persona in ("harry", "zara"):
        for endpoint in DETAILS + STEPS:
            response, written = call(api, endpoint, world, records, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)
    # A zone B alliance is not there for zone A's admin.
    for endpoint in CREATES:
        body = {**endpoint.body(world, records), "alliance": world.other_alliance.pk}
        response, written = call(api, endpoint, world, records, world.alice, body)
        assert response.status_code in (404, 422) and written == 0, endpoint.path


def test_members_who_may_not_act_are_refused(api, world, records):
    # hannah's department is a member of alliance 1: she reads its lists but answers for no firm.
    for endpoint in STEPS:
        response, written = call(api, endpoint, world, records, world.hannah)
        assert (response.status_code, written) == (404, 0), endpoint.path
    project = CREATES[2]
    response, written = call(api, project, world, records, world.fiona)
    assert (response.status_code, written) == (404, 0)
    feedback = CREATES[3]
    response, written = call(api, feedback, world, records, world.frank)  # firm Y is no member
    assert response.status_code in (404, 422) and written == 0

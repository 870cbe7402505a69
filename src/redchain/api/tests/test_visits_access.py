"""Every /api/v1/ endpoint of the walking office, four ways: anonymous (401), signed in without a membership
(an empty list, 404 on anything else), with permission (hannah, who made the visit), and outside the caller's
scope (404; those who see the visit but did not make it get 404 on a change too)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from redchain.api.endpoints import visits as endpoints
from redchain.api.tests.access import Endpoint, assert_anonymous_401, call, served
from redchain.visits.tests.factories import build_scene, make_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    return build_scene(world)


def fresh_finding(w, s) -> int:
    return make_finding(s.a1_x, title="招工难").pk


LISTS = [Endpoint("/visits")]
DETAILS = [Endpoint("/visits/{id}", lambda w, s: s.a1_x.pk)]
WRITES = [
    Endpoint(
        "/visits",
        body=lambda w, s: {
            "enterprise": w.firm_x.pk,
            "visited_on": timezone.localdate().isoformat(),
            "summary": "企业生产经营正常。",
            "findings": [{"title": "用地指标紧张"}],
        },
        ok=201,
    ),
    Endpoint("/visits/{id}/findings", lambda w, s: s.a1_x.pk, lambda w, s: {"title": "停车位不足"}, ok=201),
    Endpoint("/visit-findings/{id}/demand", fresh_finding, lambda w, s: {}, ok=201),
    Endpoint("/visit-findings/{id}/resolve", fresh_finding, lambda w, s: {"note": "现场讲解政策。"}),
]
ALL = LISTS + DETAILS + WRITES


def test_the_table_names_every_endpoint():
    assert served(endpoints.router) == {(e.method, e.path) for e in ALL}


def test_anonymous_calls_are_401(api, world, scene):
    assert_anonymous_401(api, ALL, world, scene)


def test_callers_without_membership_see_nothing(api, world, scene):
    for endpoint in ALL:
        response, written = call(api, endpoint, world, scene, world.nora)
        if endpoint in LISTS:
            assert response.json() == {"count": 0, "items": []}, endpoint.path
        elif endpoint.path in ("/visits", "/task-forces", "/suggestions"):
            # The ids in the body are looked up among what the caller sees: none is there, a 422.
            assert (response.status_code, written) == (422, 0), endpoint.path
        else:
            assert (response.status_code, written) == (404, 0), endpoint.path


def test_permitted_callers_read_and_write(api, world, scene):
    for endpoint in LISTS + DETAILS:
        assert call(api, endpoint, world, scene, world.fiona)[0].status_code == 200, endpoint.path
    for endpoint in WRITES:
        response, written = call(api, endpoint, world, scene, world.hannah)
        assert response.status_code == endpoint.ok, (endpoint.path, response.content)
        assert written >= 1, endpoint.path


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("fiona", {"a1_x"}), ("harry", {"a2_y", "a2_z"}), ("frank", {"a2_y"}), ("zara", {"other"})],
)
def test_the_list_holds_only_visits_in_scope(api, world, scene, persona, shown):
    items = call(api, LISTS[0], world, scene, world.persona(persona))[0].json()["items"]
    assert {item["id"] for item in items} == {getattr(scene, name).pk for name in shown}


def test_visits_outside_scope_are_404_and_untouched(api, world, scene):
    for persona in ("frank", "harry", "zara"):
        for endpoint in DETAILS + WRITES[1:]:
            response, written = call(api, endpoint, world, scene, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)


def test_those_who_see_a_visit_but_did_not_make_it_may_not_change_it(api, world, scene):
    for persona in ("fiona", "ivan", "leo"):
        for endpoint in WRITES[1:]:
            response, written = call(api, endpoint, world, scene, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)
    # Enterprise contacts never log visits.
    response, written = call(api, WRITES[0], world, scene, world.fiona)
    assert (response.status_code, written) == (404, 0)

"""Every /api/v1/ endpoint of the pairings, four ways: anonymous (401), signed in without a membership (an
empty list, 404 on anything else), with permission (hannah, whose department's branch is the agency), and
outside the caller's scope (404; readers of a pairing who may not change it get 404 too)."""

from __future__ import annotations

from itertools import count

import pytest

from redchain.api.endpoints import pairings as endpoints
from redchain.api.tests.access import (
    Endpoint,
    assert_anonymous_401,
    assert_outsider_sees_nothing,
    call,
    served,
)
from redchain.pairings import services
from redchain.pairings.tests.factories import pairing, pairing_set

pytestmark = pytest.mark.django_db

_serial = count(1)


@pytest.fixture
def records(world):
    return pairing_set(world)


def fresh_pairing(w, p) -> int:
    return pairing(w, partner_name=f"新村{next(_serial)}").pk


def fresh_project(w, p) -> int:
    return services.project_add(actor=None, pairing=p.with_x, title=f"项目{next(_serial)}", kind="other").pk


LISTS = [Endpoint("/pairings")]
DETAILS = [Endpoint("/pairings/{id}", lambda w, p: p.with_x.pk)]
WRITES = [
    Endpoint(
        "/pairings",
        body=lambda w, p: {
            "agency_org": w.branch_a1.pk,
            "partner_kind": "enterprise",
            "partner_enterprise": w.firm_z.pk,
            "started_on": "2025-02-01",
        },
        ok=201,
    ),
    Endpoint("/pairings/{id}/end", fresh_pairing, lambda w, p: {"ended_on": "2025-06-01", "note": "期满"}),
    Endpoint(
        "/pairings/{id}/promises",
        lambda w, p: p.with_x.pk,
        lambda w, p: {
            "kind": "policy",
            "description": "政策辅导",
            "promised_on": "2025-02-01",
            "due_on": "2025-03-01",
        },
        ok=201,
    ),
    Endpoint(
        "/pairing-promises/{id}/deliver",
        lambda w, p: p.promise.pk,
        lambda w, p: {"delivered_on": "2025-03-01", "amount_wan": "1"},
    ),
    Endpoint(
        "/pairings/{id}/projects",
        lambda w, p: p.with_x.pk,
        lambda w, p: {"title": "四点半课堂二期", "kind": "other"},
        ok=201,
    ),
    Endpoint(
        "/pairing-projects/{id}/status",
        fresh_project,
        lambda w, p: {"status": "in_progress", "on": "2025-03-01"},
    ),
]
ALL = LISTS + DETAILS + WRITES


def test_the_table_names_every_endpoint():
    assert served(endpoints.router) == {(e.method, e.path) for e in ALL}


def test_anonymous_calls_are_401(api, world, records):
    assert_anonymous_401(api, ALL, world, records)


def test_callers_without_membership_see_nothing(api, world, records):
    assert_outsider_sees_nothing(api, ALL, LISTS, world, records, world.nora)


def test_permitted_callers_read_and_write(api, world, records):
    for endpoint in LISTS + DETAILS:
        assert call(api, endpoint, world, records, world.fiona)[0].status_code == 200, endpoint.path
    for endpoint in WRITES:
        response, written = call(api, endpoint, world, records, world.hannah)
        assert response.status_code == endpoint.ok, (endpoint.path, response.content)
        assert written >= 1, endpoint.path


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("fiona", {"with_x"}),
        ("harry", {"a2_with_community"}),
        ("zara", {"other_zone"}),
        ("frank", {"with_branch_y"}),
    ],
)
def test_the_list_holds_only_pairings_in_scope(api, world, records, persona, shown):
    items = call(api, LISTS[0], world, records, world.persona(persona))[0].json()["items"]
    assert {item["id"] for item in items} == {getattr(records, name).pk for name in shown}


def test_pairings_outside_scope_are_404_and_untouched(api, world, records):
    for persona in ("frank", "harry", "zara"):
        for endpoint in DETAILS + WRITES[1:]:
            response, written = call(api, endpoint, world, records, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)


def test_readers_of_a_pairing_may_not_change_it(api, world, records):
    for persona in ("fiona", "ivan"):
        for endpoint in WRITES:
            response, written = call(api, endpoint, world, records, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)

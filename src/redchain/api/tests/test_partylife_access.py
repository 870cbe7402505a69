"""Every /api/v1/ endpoint of party life, four ways: anonymous (401), signed in without a membership (an
empty list, 404 on anything else), with permission (fiona records for branch X), and outside the caller's
scope (404; readers such as ivan get 404 on a write too)."""

from __future__ import annotations

from datetime import date

import pytest

from redchain.api.endpoints import partylife as endpoints
from redchain.api.tests.access import Endpoint, assert_anonymous_401, call, served
from redchain.partylife.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world) -> dict:
    for zone in (world.zone, world.other_zone):
        factories.monthly_theme_day_rule(zone)
    out = {}
    for name in ("branch_x", "other_branch"):
        org = getattr(world, name)
        out[name] = factories.activity(org, attendance={m.pk: "present" for m in org.members.all()})
        factories.brand(org, name=f"{org.name}品牌")
        factories.rating(org)
    factories.activity(world.branch_y, held_on=date(2025, 7, 2))
    return out


# Compliance for July 2025: only branch Y held a theme day, so every other branch the caller sees is listed.
LISTS = [
    Endpoint("/party-activities"),
    Endpoint("/compliance", query="?month=2025-07"),
    Endpoint("/branch-brands"),
    Endpoint("/branch-ratings"),
]
DETAILS = [Endpoint("/party-activities/{id}", lambda w, r: r["branch_x"].pk)]
WRITE = Endpoint(
    "/party-activities",
    body=lambda w, r: {
        "org_id": w.branch_x.pk,
        "kind": "committee_meeting",
        "title": "6月支部委员会",
        "held_on": "2025-06-20",
        "attendance": [{"member_id": w.member_x.pk, "status": "present"}],
    },
    ok=201,
)
ALL = LISTS + DETAILS + [WRITE]


def test_the_table_names_every_endpoint():
    assert served(endpoints.router) == {(e.method, e.path) for e in ALL}


def test_anonymous_calls_are_401(api, world, records):
    assert_anonymous_401(api, ALL, world, records)


def test_callers_without_membership_see_nothing(api, world, records):
    for endpoint in ALL:
        response, written = call(api, endpoint, world, records, world.nora)
        if endpoint in LISTS:
            assert (response.json()["count"], response.json()["items"]) == (0, []), endpoint.path
        else:
            assert (response.status_code, written) == (404, 0), endpoint.path


def test_permitted_callers_read_and_write(api, world, records):
    for endpoint in LISTS + DETAILS:
        response, _ = call(api, endpoint, world, records, world.fiona)
        assert response.status_code == 200 and response.json().get("count", 1) >= 1, endpoint.path
    response, written = call(api, WRITE, world, records, world.fiona)
    assert response.status_code == 201 and written == 1


@pytest.mark.parametrize(
    ("persona", "sees_x", "sees_b"),
    [("fiona", True, False), ("ivan", True, False), ("frank", False, False), ("zara", False, True)],
)
def test_collections_hold_only_what_the_caller_may_see(api, world, records, persona, sees_x, sees_b):
    for endpoint in LISTS:
        response = call(api, endpoint, world, records, world.persona(persona))[0]
        orgs = {item["org"]["name"] for item in response.json()["items"]}
        assert ("星辰汽车党支部" in orgs, "远方制造党支部" in orgs) == (sees_x, sees_b), (
            persona,
            endpoint.path,
        )


def test_activities_outside_scope_are_404_and_untouched(api, world, records):
    for persona in ("frank", "hannah", "zara"):
        response, written = call(api, DETAILS[0], world, records, world.persona(persona))
        assert (response.status_code, written) == (404, 0), persona
        response, written = call(api, WRITE, world, records, world.persona(persona))
        assert (response.status_code, written) == (404, 0), persona


def test_readers_may_not_record(api, world, records):
    for persona in ("ivan", "leo"):
        response, written = call(api, WRITE, world, records, world.persona(persona))
        assert (response.status_code, written) == (404, 0), persona

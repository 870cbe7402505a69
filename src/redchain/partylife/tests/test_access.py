"""Every party-life page, four ways: anonymous, signed in without permission, with permission, and on a record
outside the user's scope.

The tables name every route of ``partylife.urls`` (``test_the_tables_name_every_route`` fails on one that is
missing). fiona records branch X's activities and brands; alice (zone admin) keeps the cadence rules and the
ratings and names brands; ivan and leo read branch X and get 403 on a write; frank, hannah and zara do not see
branch X (404). A refused request leaves the audit trail untouched; a permitted write adds a row by its actor.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
from openpyxl import load_workbook

from redchain.core.tests import page_access
from redchain.core.tests.page_access import call
from redchain.orgs import services as org_services
from redchain.orgs.models import PartyOrg
from redchain.partylife import urls
from redchain.partylife.tests import factories

pytestmark = pytest.mark.django_db

_serial = count(1)


@pytest.fixture
def records(world) -> dict:
    """Branch X's June theme day, brand and 2024 rating, zone A's monthly theme-day rule, and zone B's same."""
    rule = factories.monthly_theme_day_rule(world.zone)
    factories.monthly_theme_day_rule(world.other_zone)
    out: dict[str, Any] = {"rule": rule}
    for name in ("branch_x", "other_branch"):
        org = getattr(world, name)
        out[name] = {
            "activity": factories.activity(org, attendance={m.pk: "present" for m in org.members.all()}),
            "brand": factories.brand(org, name=f"{org.name}品牌"),
            "rating": factories.rating(org),
        }
    return out


@dataclass(frozen=True)
class Route(page_access.Route):
    """A request to a party-life page; ``writer`` is the user who posts its body."""

    namespace = "partylife"
    writer: str = "fiona"


def new_branch_of_x(w) -> PartyOrg:
    return org_services.party_org_create(
        actor=None,
        zone=w.zone,
        parent=w.committee,
        name=f"星辰汽车第{next(_serial)}党支部",
        kind=PartyOrg.Kind.BRANCH,
        owner_kind="enterprise",
        owner_enterprise=w.firm_x,
    )


def fresh_brand(w, r) -> list:
    return [factories.brand(new_branch_of_x(w), name=f"品牌{next(_serial)}").pk]


def x(kind: str) -> Callable[[Any, Any], list]:
    return lambda w, r: [r["branch_x"][kind].pk]


def activity_body(w, r) -> dict:
    return {
        "kind": "committee_meeting",
        "title": "6月支部委员会",
        "held_on": "2025-06-20",
        f"member_{w.member_x.pk}": "present",
    }


BRAND = {"name": "链上红心", "slogan": "支部建在产业链上", "established_year": "2022"}
RATING = {"score": "81.5", "rated_on": "2025-01-10", "note": ""}
CADENCE = {"every_months": "3", "org_kinds": ["branch"], "is_active": "on"}

LISTS = [Route(n) for n in ("index", "compliance", "cadence", "brand_list", "rating_list")]
EXPORTS = [Route(n) for n in ("activity_export", "compliance_export", "brand_export", "rating_export")]
DETAILS = [Route("activity_detail", x("activity"))]
# fiona's writes for branch X (and a new branch of firm X): ivan and leo read them, 403.
RECORD_WRITES = [
    Route("activity_create"),
    Route("activity_create", body=activity_body, query=lambda w, r: f"?org={w.branch_x.pk}"),
    Route("activity_edit", x("activity")),
    Route("activity_edit", x("activity"), activity_body),
    Route("brand_create"),
    Route("brand_create", body=lambda w, r: {**BRAND, "org": new_branch_of_x(w).pk}),
    Route("brand_edit", x("brand")),
    Route("brand_edit", x("brand"), lambda w, r: {**BRAND, "name": "红色引擎2.0"}),
    Route("brand_retire", fresh_brand, lambda w, r: {}),
]
# The working committee's: alice only; every other member of the zone gets 403.
ADMIN_WRITES = [
    Route("cadence_create", writer="alice"),
    Route("cadence_create", body=lambda w, r: {**CADENCE, "kind": "lecture"}, writer="alice"),
    Route("cadence_edit", lambda w, r: [r["rule"].pk], writer="alice"),
    Route(
        "cadence_edit",
        lambda w, r: [r["rule"].pk],
        lambda w, r: {**CADENCE, "kind": "theme_day"},
        writer="alice",
    ),
    Route("cadence_defaults", body=lambda w, r: {}, writer="alice"),
    Route("brand_name", fresh_brand, lambda w, r: {"named_on": "2024-06-01"}, "alice"),
    Route("rating_create", writer="alice"),
    Route(
        "rating_create", body=lambda w, r: {**RATING, "org": w.branch_y.pk, "year": "2023"}, writer="alice"
    ),
    Route("rating_edit", x("rating"), writer="alice"),
    Route("rating_edit", x("rating"), lambda w, r: RATING, "alice"),
]
ALL = LISTS + EXPORTS + DETAILS + RECORD_WRITES + ADMIN_WRITES


def test_the_tables_name_every_route():
    assert {pattern.name for pattern in urls.urlpatterns} == {route.name for route in ALL}


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, records):
    page_access.assert_anonymous_sent_to_login(client, ALL, world, records)


def test_users_without_membership_get_403_and_write_nothing(login, world, records):
    page_access.assert_refused_without_writing(login(world.nora), ALL, world, records)


def test_permitted_users_read_and_write(login, world, records):
    fiona = login(world.fiona)
    page_access.assert_reads(fiona, LISTS + DETAILS, EXPORTS, world, records)
    for route in RECORD_WRITES + ADMIN_WRITES:
        user = world.persona(route.writer)
        page_access.assert_writes_audited(login(user), user, [route], world, records)


def _orgs(response, name: str) -> set[str]:
    """The organisations behind the rows of a page or an export."""
    if name.endswith("export"):
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
        return {str(cell) for row in rows for cell in row if cell is not None}
    if name == "compliance":
        return {miss.org.name for miss in response.context["report"].misses}
    if name == "cadence":
        return {rule.zone.name for rule in response.context["rules"]}
    return {row.org.name for row in response.context["page"]}


@pytest.mark.parametrize(
    ("persona", "sees_x", "sees_b"),
    [("fiona", True, False), ("ivan", True, False), ("frank", False, False), ("zara", False, True)],
)
def test_lists_and_exports_hold_only_what_the_reader_may_see(login, world, records, persona, sees_x, sees_b):
    client = login(world.persona(persona))
    for route in LISTS + EXPORTS:
        # July 2025: nobody held a theme day, so the compliance list names every branch the reader sees.
        url = route.url(world, records) + ("?month=2025-07" if "compliance" in route.name else "")
        shown = _orgs(client.get(url), route.name)
        x, b = ("甲开发区", "乙开发区") if route.name == "cadence" else ("星辰汽车党支部", "远方制造党支部")
        if route.name == "cadence":  # the zone's rules are public to its members
            assert (x in shown, b in shown) == (persona != "zara", persona == "zara"), (persona, route.name)
        else:
            assert (x in shown, b in shown) == (sees_x, sees_b), (persona, route.name)


def test_records_outside_scope_are_404_and_write_nothing(login, world, records):
    for persona in ("frank", "hannah", "zara"):
        client = login(world.persona(persona))
        for route in DETAILS + [
            route for route in RECORD_WRITES if route.name.startswith(("activity_e", "brand_e"))
        ]:
            response, written = call(client, route, world, records)
            assert (response.status_code, written) == (404, 0), (persona, route.name)
    # zara administers zone B: zone A's rule and rating are not found, not forbidden.
    client = login(world.zara)
    for route in [route for route in ADMIN_WRITES if route.name.endswith("_edit")]:
        response, written = call(client, route, world, records)
        assert (response.status_code, written) == (404, 0), route.name
    brand = records["branch_x"]["brand"].pk
    response, written = call(
        client,
        Route("brand_name", lambda w, r: [brand], lambda w, r: {"named_on": "2024-06-01"}),
        world,
        records,
    )
    assert (response.status_code, written) == (404, 0)


def test_readers_get_403_on_every_write(login, world, records):
    for persona in ("ivan", "leo"):
        client = login(world.persona(persona))
        for route in RECORD_WRITES + ADMIN_WRITES:
            response, written = call(client, route, world, records)
            assert (response.status_code, written) == (403, 0), (persona, route.name)
    fiona = login(world.fiona)
    for route in ADMIN_WRITES:
        response, written = call(fiona, route, world, records)
        assert (response.status_code, written) == (403, 0), ("fiona", route.name)


def test_recording_for_an_organisation_outside_scope_writes_nothing(login, world, records):
    for persona, org in (("fiona", "branch_y"), ("zara", "branch_x")):
        client = login(world.persona(persona))
        pk = getattr(world, org).pk
        activity = Route("activity_create", body=activity_body, query=lambda w, r, pk=pk: f"?org={pk}")
        response, written = call(client, activity, world, records)
        # Back to choosing one of the user's own organisations.
        assert (response.status_code, written) == (200, 0), persona
        assert "partylife/activity_pick.html" in [t.name for t in response.templates], persona
        brand = Route("brand_create", body=lambda w, r, pk=pk: {**BRAND, "org": pk})
        response, written = call(client, brand, world, records)
        assert (response.status_code, written) == (200, 0) and "org" in response.context["form"].errors, (
            persona
        )

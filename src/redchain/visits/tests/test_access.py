"""Every page of the walking office, four ways: anonymous, signed in without permission, with permission, and
on a visit outside the user's scope.

The tables name every route of ``visits.urls`` (``test_the_tables_name_every_route`` fails on one that is
missing). hannah (department A1) visited firm X; fiona (firm X) and ivan (firm X's alliance) see that visit but
may not change it, which is a 404 like anything outside scope; harry (department A2), frank and zara do not
see it. A refused request leaves the audit trail untouched; a permitted write adds a row by its actor.
"""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from redchain.core.tests import page_access
from redchain.core.tests.page_access import call
from redchain.visits import urls
from redchain.visits.tests.factories import make_finding

pytestmark = pytest.mark.django_db


class Route(page_access.Route):
    """A request to a visits page: arguments may create the finding they need; writes are hannah's."""

    namespace = "visits"


def visit_x(w, s) -> list:
    return [s.a1_x.pk]


def fresh_finding(w, s) -> list:
    return [make_finding(s.a1_x, title="招工难").pk]


def log_body(w, s) -> dict:
    return {
        "enterprise": w.firm_x.pk,
        "visited_on": timezone.localdate().isoformat(),
        "purpose": "routine",
        "summary": "企业生产经营正常。",
    }


LISTS = [Route("index"), Route("enterprise_options", query="?q=有限公司")]
EXPORTS = [Route("export")]
DETAILS = [Route("detail", visit_x)]
CREATES = [Route("create"), Route("create", body=log_body)]
RECORD_WRITES = [
    Route("edit", visit_x),
    Route(
        "edit",
        visit_x,
        lambda w, s: {
            "visited_on": s.a1_x.visited_on.isoformat(),
            "purpose": "research",
            "summary": "补充情况。",
        },
    ),
    Route("finding_add", visit_x, lambda w, s: {"title": "停车位不足", "urgency": "normal"}),
    Route("finding_demand", fresh_finding, lambda w, s: {}),
    Route("finding_resolve", fresh_finding, lambda w, s: {"note": "现场讲解政策。"}),
]
ALL = LISTS + EXPORTS + DETAILS + CREATES + RECORD_WRITES


def test_the_tables_name_every_route():
    assert {pattern.name for pattern in urls.urlpatterns} == {route.name for route in ALL}


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, scene):
    page_access.assert_anonymous_sent_to_login(client, ALL, world, scene)


def test_users_without_membership_get_403_and_write_nothing(login, world, scene):
    page_access.assert_refused_without_writing(login(world.nora), ALL, world, scene)


def test_permitted_users_read_and_write(login, world, scene):
    fiona = login(world.fiona)
    for route in [Route("index"), *DETAILS]:
        assert call(fiona, route, world, scene)[0].status_code == 200, route.name
    response, _ = call(fiona, EXPORTS[0], world, scene)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    hannah = login(world.hannah)
    assert "星辰汽车有限公司" in call(hannah, LISTS[1], world, scene)[0].content.decode()
    page_access.assert_writes_audited(hannah, world.hannah, CREATES + RECORD_WRITES, world, scene)


def _firms(response, name: str) -> set[str]:
    """The enterprises of the visits a list or an export shows."""
    if name == "export":
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
        return {row[2] for row in rows}
    return {visit.enterprise.name for visit in response.context["page"]}


@pytest.mark.parametrize(
    ("persona", "firms"),
    [
        ("fiona", {"星辰汽车有限公司"}),
        ("harry", {"云帆电池有限公司", "智算科技有限公司"}),
        ("frank", {"云帆电池有限公司"}),  # the visit to his own firm
        ("zara", {"远方制造有限公司"}),
    ],
)
def test_lists_and_exports_hold_only_visits_in_scope(login, world, scene, persona, firms):
    client = login(world.persona(persona))
    for route in [Route("index"), *EXPORTS]:
        assert _firms(call(client, route, world, scene)[0], route.name) == firms, (persona, route.name)


def test_the_enterprise_search_offers_only_firms_the_user_may_visit(login, world, scene):
    options = LISTS[1]
    assert "星辰汽车有限公司" not in call(login(world.zara), options, world, scene)[0].content.decode()
    body = call(login(world.ivan), options, world, scene)[0].content.decode()
    assert "星辰汽车有限公司" in body and "云帆电池有限公司" not in body  # only the alliance's member firms


def test_visits_outside_scope_are_404_and_write_nothing(login, world, scene):
    for persona in ("harry", "frank", "zara"):
        client = login(world.persona(persona))
        for route in DETAILS + RECORD_WRITES:
            response, written = call(client, route, world, scene)
            assert (response.status_code, written) == (404, 0), (persona, route.name)


def test_those_who_see_a_visit_but_did_not_make_it_may_not_change_it(login, world, scene):
    for persona in ("fiona", "ivan", "leo"):
        client = login(world.persona(persona))
        for route in RECORD_WRITES:
            response, written = call(client, route, world, scene)
            assert (response.status_code, written) == (404, 0), (persona, route.name)
    # Enterprise contacts never log visits.
    for persona in ("fiona", "frank"):
        response, written = call(login(world.persona(persona)), CREATES[1], world, scene)
        assert (response.status_code, written) == (403, 0), persona


def test_logging_a_visit_to_a_firm_outside_scope_is_refused(login, world, scene):
    for persona, firm in (("ivan", "firm_y"), ("zara", "firm_x"), ("hannah", "other_firm")):
        body = {**log_body(world, scene), "enterprise": getattr(world, firm).pk}
        response, written = call(login(world.persona(persona)), CREATES[1], world, scene, body)
        assert (response.status_code, written) == (400, 0), persona

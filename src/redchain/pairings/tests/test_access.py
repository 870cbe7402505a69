"""Every pairing page, four ways: anonymous, signed in without permission, with permission, and on a pairing
outside the user's scope.

The tables name every route of ``pairings.urls`` (``test_the_tables_name_every_route`` fails on one that is
missing). hannah's department branch (A1) is the agency of the pairing with firm X; fiona (firm X) and ivan
(firm X's alliance) read it without changing it, which is a 404 like anything outside scope; frank, harry and
zara do not see it. A refused request leaves the audit trail untouched; a permitted write adds a row.
"""

from __future__ import annotations

import io
from itertools import count

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from redchain.core.tests import page_access
from redchain.core.tests.page_access import call
from redchain.pairings import services, urls
from redchain.pairings.tests.factories import pairing

pytestmark = pytest.mark.django_db

_serial = count(1)


class Route(page_access.Route):
    """A request to a pairings page: arguments may create the pairing they need; writes are hannah's."""

    namespace = "pairings"


def fresh_pairing(w, p) -> list:
    return [pairing(w, partner_name=f"新村{next(_serial)}").pk]


def fresh_project(w, p) -> list:
    return [services.project_add(actor=None, pairing=p.with_x, title=f"项目{next(_serial)}", kind="other").pk]


def with_x(w, p) -> list:
    return [p.with_x.pk]


CREATE_BODY = {
    "partner_kind": "enterprise",
    "mechanism": "double_link",
    "started_on": "2025-03-01",
}

LISTS = [Route(n) for n in ("index", "project_list")]
EXPORTS = [Route(n) for n in ("export", "project_export")]
DETAILS = [Route("detail", with_x)]
CREATES = [
    Route("create"),
    Route(
        "create",
        body=lambda w, p: {**CREATE_BODY, "agency_org": w.branch_a1.pk, "partner_enterprise": w.firm_y.pk},
    ),
]
RECORD_WRITES = [
    Route("edit", with_x),
    Route(
        "edit",
        fresh_pairing,
        lambda w, p: {
            "name": "龙泉村村企结对",
            "mechanism": "village_enterprise",
            "started_on": "2025-01-06",
        },
    ),
    Route("end", fresh_pairing, lambda w, p: {"ended_on": "2025-06-01", "note": "期满"}),
    Route(
        "promise_add",
        with_x,
        lambda w, p: {
            "kind": "materials",
            "description": "捐赠办公电脑",
            "promised_on": "2025-02-01",
            "due_on": "2025-04-01",
        },
    ),
    Route(
        "promise_deliver",
        lambda w, p: [p.promise.pk],
        lambda w, p: {"delivered_on": "2025-03-01", "amount_wan": "5"},
    ),
    Route(
        "project_add",
        with_x,
        lambda w, p: {"title": "长者饭堂", "kind": "public_service", "beneficiary_unit": "people"},
    ),
    Route("project_status", fresh_project, lambda w, p: {"status": "in_progress", "on": "2025-02-10"}),
]
ALL = LISTS + EXPORTS + DETAILS + CREATES + RECORD_WRITES


def test_the_tables_name_every_route():
    assert {pattern.name for pattern in urls.urlpatterns} == {route.name for route in ALL}


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, pairings):
    page_access.assert_anonymous_sent_to_login(client, ALL, world, pairings)


def test_users_without_membership_get_403_and_write_nothing(login, world, pairings):
    page_access.assert_refused_without_writing(login(world.nora), ALL, world, pairings)


def test_permitted_users_read_and_write(login, world, pairings):
    fiona = login(world.fiona)
    page_access.assert_reads(fiona, LISTS + DETAILS, EXPORTS, world, pairings)
    hannah = login(world.hannah)
    page_access.assert_writes_audited(hannah, world.hannah, CREATES + RECORD_WRITES, world, pairings)


def _text(response, name: str) -> str:
    if name.endswith("export"):
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        return " ".join(str(cell) for row in rows for cell in row if cell is not None)
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("fiona", ["星辰汽车有限公司"], ["锦绣社区", "乙区企业服务局党支部"]),
        ("harry", ["锦绣社区"], ["四点半课堂", "乙区企业服务局党支部"]),
        ("zara", ["乙区企业服务局党支部"], ["锦绣社区", "四点半课堂"]),
    ],
)
def test_lists_and_exports_hold_only_pairings_in_scope(login, world, pairings, persona, shown, hidden):
    client = login(world.persona(persona))
    for route in LISTS + EXPORTS:
        text = _text(call(client, route, world, pairings)[0], route.name)
        assert not [marker for marker in hidden if marker in text], (persona, route.name)
        if route.name in ("index", "export"):
            assert all(marker in text for marker in shown), (persona, route.name)
    # The project list of the partner firm shows the pairing's project, in Chinese, in the export too.
    if persona == "fiona":
        assert "四点半课堂" in _text(client.get(reverse("pairings:project_export")), "project_export")


def test_pairings_outside_scope_are_404_and_write_nothing(login, world, pairings):
    for persona in ("frank", "harry", "zara"):
        client = login(world.persona(persona))
        for route in DETAILS + RECORD_WRITES:
            response, written = call(client, route, world, pairings)
            assert (response.status_code, written) == (404, 0), (persona, route.name)


def test_readers_of_a_pairing_may_not_change_it(login, world, pairings):
    for persona in ("fiona", "ivan", "leo"):
        client = login(world.persona(persona))
        for route in RECORD_WRITES:
            response, written = call(client, route, world, pairings)
            expected = (
                404 if persona != "leo" else (302 if route.body else 200)
            )  # leaders write all (the brief)
            assert response.status_code == expected, (persona, route.name)
            assert (written == 0) == (persona != "leo" or not route.body), (persona, route.name)


def test_creating_for_another_departments_branch_is_refused(login, world, pairings):
    body = {**CREATE_BODY, "agency_org": world.branch_a1.pk, "partner_enterprise": world.firm_y.pk}
    for persona, status in (("fiona", 403), ("ivan", 403), ("harry", 400), ("zara", 400)):
        response, written = call(login(world.persona(persona)), CREATES[1], world, pairings, body)
        assert (response.status_code, written) == (status, 0), persona

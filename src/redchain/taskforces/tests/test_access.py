"""Every task-force and suggestion page, four ways: anonymous, signed in without permission, with permission,
and on a record outside the user's scope.

The tables name every route of ``taskforces.urls`` (``test_the_tables_name_every_route`` fails on one that is
missing). fiona runs firm X's teams and suggestions; ivan (firm X's alliance) and leo (leader) read them and
get 403 on a write; frank, hannah, harry and zara do not see them (404). A refused request leaves the audit
trail untouched; a permitted write adds a row by its actor.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from openpyxl import load_workbook

from redchain.core.tests import page_access
from redchain.core.tests.page_access import call
from redchain.orgs import services as org_services
from redchain.taskforces import urls
from redchain.taskforces.tests.factories import adopted, suggestion, task_force

pytestmark = pytest.mark.django_db

_serial = count(1)


class Route(page_access.Route):
    """A request to a task-force page: arguments may create the record they need; writes are fiona's."""

    namespace = "taskforces"


def team_step(action: str) -> Callable[[Any, Any], list]:
    """A fresh active team of branch X, and the step to take on it."""
    return lambda w, k: [task_force(w.branch_x, name=f"攻关小组{next(_serial)}").pk, action]


def fresh_idea(w, k, make=suggestion) -> list:
    """A fresh suggestion of branch X (collected, or as ``make`` leaves it)."""
    return [make(w.branch_x, title=f"合理化建议{next(_serial)}").pk]


def idea_step(action: str, *, make=suggestion) -> Callable[[Any, Any], list]:
    return lambda w, k: [*fresh_idea(w, k, make), action]


def new_member(w, k) -> dict:
    member = org_services.party_member_create(actor=None, org=w.branch_x, name=f"党员{next(_serial)}")
    return {"member": member.pk, "role": "member"}


TEAM = {
    "kind": "vanguard",
    "name": "涂装节能先锋队",
    "project": "涂装线天然气单耗偏高",
    "formed_on": "2025-04-01",
}
IDEA = {
    "title": "上门服务预约制",
    "content": "按预约时间上门。",
    "submitted_on": "2025-05-06",
    "submitter_name": "李工",
}

LISTS = [Route(n) for n in ("index", "suggestion_list", "funnel")]
EXPORTS = [Route(n) for n in ("export", "suggestion_export", "funnel_export")]
DETAILS = [
    Route("detail", lambda w, k: [k.team_x.pk]),
    Route("suggestion_detail", lambda w, k: [k.idea_x.pk]),
]
CREATES = [
    Route("create"),
    Route("create", body=lambda w, k: {**TEAM, "org": w.branch_x.pk}),
    Route("suggestion_create"),
    Route("suggestion_create", body=lambda w, k: {**IDEA, "org": w.branch_x.pk}),
]
RECORD_WRITES = [
    Route("edit", lambda w, k: [k.team_x.pk]),
    Route(
        "edit",
        lambda w, k: [k.team_x.pk],
        lambda w, k: {**TEAM, "name": "星辰焊装突击队", "formed_on": "2025-03-01"},
    ),
    Route("action", lambda w, k: [k.team_x.pk, "members"], new_member),
    Route(
        "action", team_step("finish"), lambda w, k: {"finished_on": "2025-06-01", "result": "节拍降至54秒"}
    ),
    Route("action", team_step("disband"), lambda w, k: {"finished_on": "2025-06-01", "reason": "项目取消"}),
    Route("suggestion_edit", lambda w, k: [k.idea_x.pk]),
    Route(
        "suggestion_edit",
        fresh_idea,
        lambda w, k: {"title": "修订后的建议", "content": "改用快换定位销。", "submitted_on": "2025-03-11"},
    ),
    Route("suggestion_action", idea_step("adopt"), lambda w, k: {"adopted_on": "2025-04-01"}),
    Route(
        "suggestion_action",
        idea_step("implement", make=adopted),
        lambda w, k: {"implemented_on": "2025-05-01", "benefit_wan": "8.8"},
    ),
    Route(
        "suggestion_action",
        idea_step("reject"),
        lambda w, k: {"rejected_on": "2025-04-01", "reason": "成本过高"},
    ),
]
ALL = LISTS + EXPORTS + DETAILS + CREATES + RECORD_WRITES


def test_the_tables_name_every_route():
    assert {pattern.name for pattern in urls.urlpatterns} == {route.name for route in ALL}


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, work):
    page_access.assert_anonymous_sent_to_login(client, ALL, world, work)


def test_users_without_membership_get_403_and_write_nothing(login, world, work):
    page_access.assert_refused_without_writing(login(world.nora), ALL, world, work)


def test_permitted_users_read_and_write(login, world, work):
    fiona = login(world.fiona)
    page_access.assert_reads(fiona, LISTS + DETAILS, EXPORTS, world, work)
    page_access.assert_writes_audited(fiona, world.fiona, CREATES + RECORD_WRITES, world, work)


def _names(response, name: str) -> set[str]:
    """The teams, suggestions or funnel rows a page or an export shows."""
    if name.endswith("export"):
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
        return {str(cell) for row in rows for cell in row if cell is not None}
    if name == "funnel":
        return {row.name for row in response.context["rows"]}
    return {getattr(row, "name", None) or row.title for row in response.context["page"]}


MARKERS = {  # firm X's and zone B's record in each list
    "index": ("星辰焊装攻关小组", "远方制造先锋队"),
    "export": ("星辰焊装攻关小组", "远方制造先锋队"),
    "suggestion_list": ("焊装夹具快换改造", "远方降本增效"),
    "suggestion_export": ("焊装夹具快换改造", "远方降本增效"),
    "funnel": ("星辰汽车党支部", "远方制造党支部"),
    "funnel_export": ("星辰汽车党支部", "远方制造党支部"),
}


@pytest.mark.parametrize(
    ("persona", "sees_x", "sees_b"),
    [("fiona", True, False), ("ivan", True, False), ("frank", False, False), ("zara", False, True)],
)
def test_lists_and_exports_hold_only_what_the_reader_may_see(login, world, work, persona, sees_x, sees_b):
    client = login(world.persona(persona))
    for route in LISTS + EXPORTS:
        shown = _names(call(client, route, world, work)[0], route.name)
        x, b = MARKERS[route.name]
        assert (x in shown, b in shown) == (sees_x, sees_b), (persona, route.name)


def test_records_outside_scope_are_404_and_write_nothing(login, world, work):
    for persona in ("frank", "hannah", "harry", "zara"):
        client = login(world.persona(persona))
        for route in DETAILS + RECORD_WRITES:
            response, written = call(client, route, world, work)
            assert (response.status_code, written) == (404, 0), (persona, route.name)


def test_readers_get_403_on_every_write(login, world, work):
    for persona in ("ivan", "leo"):
        client = login(world.persona(persona))
        for route in CREATES + RECORD_WRITES:
            response, written = call(client, route, world, work)
            assert (response.status_code, written) == (403, 0), (persona, route.name)


def test_creating_in_an_organisation_outside_scope_is_refused(login, world, work):
    for persona, org in (("fiona", "branch_y"), ("zara", "branch_x")):
        for route in (CREATES[1], CREATES[3]):
            body = {**route.body(world, work), "org": getattr(world, org).pk}
            response, written = call(login(world.persona(persona)), route, world, work, body)
            assert (response.status_code, written) == (400, 0), (persona, route.name)

"""Every page of the alliance mechanisms, four ways: anonymous, signed in without permission, with permission,
and on a record outside the user's scope.

The tables below name every route of ``mechanisms.urls``; ``test_the_tables_name_every_route`` fails when a
page is added without being put here. A refused request must leave the audit trail untouched, so nothing
was written; a permitted write must leave an audit row by its actor.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from redchain.core.tests import page_access
from redchain.core.tests.page_access import call
from redchain.mechanisms import urls
from redchain.mechanisms.tests import factories as fx

pytestmark = pytest.mark.django_db


class Route(page_access.Route):
    """A request to a mechanisms page (see ``page_access.Route``)."""

    namespace = "mechanisms"


def consultation(w, r) -> list:
    """A fresh planned consultation meeting of alliance 1 (no slot, so any number may exist)."""
    return [
        fx.planned(w.alliance1, on=dt.date(fx.LAST_YEAR, 7, 1), kind="consultation", title="民主协商会").pk
    ]


def held_body(w, r) -> dict:
    x = fx.unit(w.alliance1, enterprise=w.firm_x)
    return {"held_on": fx.PAST.isoformat(), "minutes": "通报工作", f"present_{x.pk}": "on"}


def item_body(w, r) -> dict:
    owner = fx.unit(w.alliance1, department=w.dept_a1)
    return {
        "decision": "组织融资对接会",
        "owner": owner.pk,
        "due_on": (fx.PAST + dt.timedelta(days=20)).isoformat(),
    }


def commitment_body(w, r) -> dict:
    branch = fx.unit(w.alliance1, party_org=w.branch_x)
    return {
        "member": branch.pk,
        "content": "开放党员活动室",
        "due_on": (fx.PAST + dt.timedelta(days=60)).isoformat(),
    }


DONE = {"done_on": (fx.PAST + dt.timedelta(days=5)).isoformat(), "result": "已完成对接"}
FULFILLED = {"fulfilled": "yes", "assessed_on": fx.PAST.isoformat(), "evidence": "签到表"}


def meeting_body(w, r) -> dict:
    return {
        "alliance": w.alliance1.pk,
        "kind": "consultation",
        "planned_on": fx.PAST.isoformat(),
        "title": "协商会",
    }


def pact_body(w, r) -> dict:
    return {
        "alliance": w.alliance1.pk,
        "title": "新公约",
        "signed_on": fx.PAST.isoformat(),
        "valid_until": "2099-01-01",
        "text": "共建共享",
    }


def activity_body(w, r) -> dict:
    return {
        "alliance": w.alliance1.pk,
        "action": "pioneers",
        "title": "党员先锋岗共育",
        "held_on": fx.PAST.isoformat(),
        "participant_count": 20,
        "summary": "联合培训",
    }


def place_body(w, r) -> dict:
    return {"name": "联盟指导站", "kind": "guidance_station", "alliance": w.alliance1.pk}


def schedule_body(w, r) -> dict:
    return {"alliance": w.alliance1.pk, "year": 2031}


# Lists and exports: every signed-in member opens them; what they hold is the reader's scope.
LISTS = [
    Route(n)
    for n in ("index", "meeting_list", "action_item_list", "pact_list", "activity_list", "place_list")
]
EXPORTS = [
    Route(n)
    for n in ("meeting_export", "action_item_export", "pact_export", "activity_export", "place_export")
]
# Records of alliance 1: fiona (firm X, a member) reads them; frank (firm Y) and zara (zone B) get 404.
DETAILS = [
    Route("meeting_detail", lambda w, r: [r.meeting1.pk]),
    Route("pact_detail", lambda w, r: [r.pact1.pk]),
    Route("activity_detail", lambda w, r: [r.activity1.pk]),
    Route("cadence", lambda w, r: [w.alliance1.pk]),
]
# Writes with the persona allowed to make them; hannah (department A1, a member unit) only reads: 403.
CREATE_FORMS = [Route(n) for n in ("meeting_create", "pact_create", "activity_create", "place_create")]
CREATES = [
    Route("meeting_create", body=meeting_body),
    Route("meeting_schedule", body=schedule_body),
    Route("pact_create", body=pact_body),
    Route("activity_create", body=activity_body),
    Route("place_create", body=place_body),
]
RECORD_WRITES: list[tuple[Route, str]] = [
    (Route("meeting_held", consultation, held_body), "ivan"),
    (Route("meeting_missed", consultation, lambda w, r: {"reason": "防汛任务冲突"}), "ivan"),
    (Route("action_item_add", lambda w, r: [r.meeting1.pk], item_body), "ivan"),
    (Route("commitment_add", lambda w, r: [r.pact1.pk], commitment_body), "ivan"),
    (Route("action_item_complete", lambda w, r: [r.item_x.pk]), "fiona"),
    (Route("action_item_complete", lambda w, r: [r.item_x.pk], lambda w, r: DONE), "fiona"),
    (Route("commitment_fulfil", lambda w, r: [r.commitment_x.pk]), "fiona"),
    (Route("commitment_fulfil", lambda w, r: [r.commitment_x.pk], lambda w, r: FULFILLED), "fiona"),
]
ALL = LISTS + EXPORTS + DETAILS + CREATE_FORMS + CREATES + [route for route, _ in RECORD_WRITES]


@pytest.fixture
def records(world):
    return fx.build_records(world)


def refused(client, route: Route, w, r, status: int, who: str) -> None:
    """The request is answered with ``status`` and nothing is written."""
    response, written = call(client, route, w, r)
    assert (response.status_code, written) == (status, 0), (who, route.name, response.status_code)


def test_the_tables_name_every_route():
    assert {pattern.name for pattern in urls.urlpatterns} == {route.name for route in ALL}


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, records):
    page_access.assert_anonymous_sent_to_login(client, ALL, world, records)


def test_users_without_membership_get_403_and_write_nothing(login, world, records):
    page_access.assert_refused_without_writing(login(world.nora), ALL, world, records)


def test_members_open_the_lists_details_and_exports(login, world, records):
    client = login(world.fiona)
    for route in LISTS + DETAILS:
        assert call(client, route, world, records)[0].status_code == 200, route.name
    for route in EXPORTS:
        response, _ = call(client, route, world, records)
        assert response.status_code == 200, route.name
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), route.name
        # The Chinese file name travels UTF-8 encoded beside an ASCII fallback.
        disposition = unquote(response["Content-Disposition"])
        assert "filename*=UTF-8''" in disposition and any("\u4e00" <= ch <= "\u9fff" for ch in disposition)


def _alliances_in(response, name: str) -> set:
    """The alliances behind the rows of a list page or an export; zone-wide places have none."""
    if name.endswith("_export"):
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
        column = 2 if name == "place_export" else 0
        return {row[column] for row in rows} - {"全园区"}
    if name == "index":
        return {line.alliance.name for line in response.context["lines"]}
    return {row.alliance.name for row in response.context["page"] if row.alliance}


@pytest.mark.parametrize(
    ("persona", "alliances"),
    [
        ("fiona", {"alliance1"}),
        ("frank", set()),
        ("zara", {"other_alliance"}),
        ("alice", {"alliance1", "alliance2"}),
    ],
)
def test_lists_and_exports_hold_only_the_readers_alliances(login, world, records, persona, alliances):
    client = login(world.persona(persona))
    expected = {getattr(world, name).name for name in alliances}
    for route in LISTS + EXPORTS:
        response, _ = call(client, route, world, records)
        assert _alliances_in(response, route.name) == expected, (persona, route.name)


def test_exports_keep_chinese_headers_and_text(login, world, records):
    sheet = load_workbook(io.BytesIO(login(world.fiona).get(reverse("mechanisms:activity_export")).content))
    header, row = list(sheet.active.iter_rows(max_row=2, values_only=True))
    assert header[:3] == ("党建联盟", "行动", "标题") and row[2] == "链上企业观摩交流活动"


def test_records_outside_scope_are_404_and_write_nothing(login, world, records):
    for persona in ("frank", "zara", "harry"):
        client = login(world.persona(persona))
        for route in DETAILS + [route for route, _ in RECORD_WRITES]:
            refused(client, route, world, records, 404, persona)


def test_members_who_only_read_get_403_on_writes(login, world, records):
    client = login(world.hannah)
    for route in CREATE_FORMS + CREATES + [route for route, _ in RECORD_WRITES]:
        refused(client, route, world, records, 403, "hannah")
    # Firm X's contact may complete X's own action items, not the department's.
    fiona = login(world.fiona)
    for route in (
        Route("action_item_complete", lambda w, r: [r.item_dept.pk], lambda w, r: DONE),
        Route("commitment_fulfil", lambda w, r: [r.commitment_dept.pk], lambda w, r: FULFILLED),
    ):
        refused(fiona, route, world, records, 403, "fiona")


def test_permitted_users_open_the_forms_and_their_writes_are_recorded(login, world, records):
    ivan = login(world.ivan)
    for route in CREATE_FORMS:
        assert call(ivan, route, world, records)[0].status_code == 200, route.name
    for route, persona in [(route, "ivan") for route in CREATES] + RECORD_WRITES:
        user = world.persona(persona)
        page_access.assert_writes_audited(login(user), user, [route], world, records)


def test_creations_in_an_alliance_outside_scope_are_refused(login, world, records):
    for persona, alliance in (("ivan", "alliance2"), ("zara", "alliance1")):
        client = login(world.persona(persona))
        for route in CREATES:
            assert route.body is not None
            body = {**route.body(world, records), "alliance": getattr(world, alliance).pk}
            response, written = call(client, route, world, records, body)
            assert (response.status_code, written) == (400, 0), (persona, route.name, response.status_code)

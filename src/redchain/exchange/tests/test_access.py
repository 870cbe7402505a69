"""Every page of the exchange, four ways: anonymous, signed in without permission, with permission, and on a
record outside the user's scope.

The tables name every route of ``exchange.urls`` (``test_the_tables_name_every_route`` fails on a page that
is missing). A refused request leaves the audit trail untouched; a permitted write adds a row by its actor.
Alliance 1's records: firm X (fiona) needs battery cells that firm Y (frank) offers; ivan instructs the
alliance; hannah's department is a member that only reads; harry's department and zone B (zara) are outside.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from redchain.core.tests import page_access
from redchain.core.tests.page_access import call
from redchain.exchange import services, urls
from redchain.exchange.tests import factories as fx

pytestmark = pytest.mark.django_db

_serial = count(1)


@dataclass
class Records:
    need: Any
    resource: Any
    proposed: Any
    accepted: Any
    project: Any
    zone_b_need: Any


@pytest.fixture
def records(world) -> Records:
    resource = fx.resource(world)
    need = fx.need(world)
    (proposed,) = services.need_propose(actor=None, need=need)
    project = services.project_create(actor=None, alliance=world.alliance1, title="人才实训基地")
    return Records(need, resource, proposed, accepted_match(world), project, fx.zone_b_need(world))


def fresh_pair(world):
    """A new need of firm X and resource of firm Y in alliance 1, not yet paired."""
    n = next(_serial)
    need = fx.need(world, title=f"采购钢材{n}", description="采购钢材。")
    resource = fx.resource(world, title=f"钢材供应{n}", description="供应钢材。")
    return need, resource


def proposed_match(world):
    need, resource = fresh_pair(world)
    return services.match_propose(actor=None, need=need, resource=resource)


def accepted_match(world):
    match = proposed_match(world)
    services.match_accept(actor=world.fiona, match=match)
    return services.match_accept(actor=world.frank, match=match)


def listing_body(w, r) -> dict:
    return {
        "owner": f"e:{w.firm_x.pk}",
        "alliance": w.alliance1.pk,
        "kind": "procurement",
        "title": "联合采购钢材",
        "description": "采购钢材两千吨。",
        "valid_until": "2099-01-01",
    }


def edit_body(w, r) -> dict:
    return {
        "kind": "procurement",
        "title": "修改后的标题",
        "description": "修改。",
        "valid_until": "2099-01-01",
    }


def project_body(w, r) -> dict:
    return {"title": "共性技术研发中心", "status": "planned", "investment_wan": "120"}


def feedback_body(w, r) -> dict:
    return {
        "alliance": w.alliance1.pk,
        "enterprise": w.firm_x.pk,
        "title": "物流通道拥堵",
        "body": "请协调。",
    }


def manual_body(w, r) -> dict:
    offer = fx.resource(
        w, owner={"department": w.dept_a1}, kind="financing", title=f"政策贷款{next(_serial)}"
    )
    return {"resource": offer.pk}


@dataclass(frozen=True)
class Route(page_access.Route):
    """A request to an exchange page; ``writer`` is the user who posts its body, ``refusals`` are (persona,
    status) of those who may not."""

    namespace = "exchange"
    writer: str = "fiona"
    refusals: tuple[tuple[str, int], ...] = field(default=())


def need(w, r) -> list:
    return [r.need.pk]


def resource(w, r) -> list:
    return [r.resource.pk]


def fresh_need(w, r) -> list:
    return [fx.need(w, title=f"需求{next(_serial)}").pk]


def fresh_resource(w, r) -> list:
    return [fx.resource(w, title=f"资源{next(_serial)}").pk]


LISTS = [Route(n) for n in ("index", "need_list", "resource_list", "match_list", "project_list")]
EXPORTS = [Route(n) for n in ("need_export", "resource_export", "match_export", "project_export")]
DETAILS = [
    Route("need_detail", need),
    Route("resource_detail", resource),
    Route("match_detail", lambda w, r: [r.proposed.pk]),
    Route("project_detail", lambda w, r: [r.project.pk]),
]
# Creation pages: who has nothing to post for (leo, the leader) or no alliance to raise feedback in (frank,
# whose firm is no member) gets 403.
CREATES = [
    Route("need_create", refusals=(("leo", 403),)),
    Route("need_create", body=listing_body, refusals=(("leo", 403),)),
    Route("resource_create", refusals=(("leo", 403),)),
    Route("resource_create", body=listing_body, refusals=(("leo", 403),)),
    Route("feedback_create", refusals=(("frank", 403),)),
    Route("feedback_create", body=feedback_body, refusals=(("frank", 403),)),
]
# Writes on alliance 1's records: readers who may not act get 404 (the exchange confirms nothing).
RECORD_WRITES = [
    Route("need_edit", need, refusals=(("hannah", 404), ("frank", 404))),
    Route("need_edit", fresh_need, edit_body, refusals=(("hannah", 404), ("frank", 404))),
    Route("resource_edit", resource, writer="frank", refusals=(("hannah", 404), ("fiona", 404))),
    Route("resource_edit", fresh_resource, edit_body, "frank", (("hannah", 404), ("fiona", 404))),
    Route("need_withdraw", fresh_need, lambda w, r: {"reason": "已自行解决"}, refusals=(("hannah", 404),)),
    Route("resource_withdraw", fresh_resource, lambda w, r: {"reason": ""}, "frank", (("hannah", 404),)),
    Route("need_propose", fresh_need, lambda w, r: {}, refusals=(("hannah", 404), ("frank", 404))),
    Route("need_propose_manual", need, manual_body, "ivan", (("fiona", 404), ("hannah", 404))),
    Route("match_accept", lambda w, r: [proposed_match(w).pk], lambda w, r: {}, refusals=(("hannah", 404),)),
    Route(
        "match_decline",
        lambda w, r: [proposed_match(w).pk],
        lambda w, r: {"reason": "价格不合适"},
        refusals=(("hannah", 404),),
    ),
    Route(
        "match_close",
        lambda w, r: [accepted_match(w).pk],
        lambda w, r: {"result": "联合采购节约35万元", "saved_wan": "35", "deal_value_wan": "420"},
        refusals=(("hannah", 404),),
    ),
    Route("project_create", lambda w, r: [w.alliance1.pk], writer="ivan", refusals=(("fiona", 404),)),
    Route("project_create", lambda w, r: [w.alliance1.pk], project_body, "ivan", (("fiona", 404),)),
    Route("project_edit", lambda w, r: [r.project.pk], writer="ivan", refusals=(("fiona", 404),)),
    Route("project_edit", lambda w, r: [r.project.pk], project_body, "ivan", (("fiona", 404),)),
]
ALL = LISTS + EXPORTS + DETAILS + CREATES + RECORD_WRITES


def test_the_tables_name_every_route():
    assert {pattern.name for pattern in urls.urlpatterns} == {route.name for route in ALL}


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, records):
    page_access.assert_anonymous_sent_to_login(client, ALL, world, records)


def test_users_without_membership_get_403_and_write_nothing(login, world, records):
    page_access.assert_refused_without_writing(login(world.nora), ALL, world, records)


def test_members_open_the_lists_details_and_exports(login, world, records):
    client = login(world.fiona)
    page_access.assert_reads(client, LISTS + DETAILS, EXPORTS, world, records)


def _text(response, name: str) -> str:
    """Everything a list page or an export shows, as one string."""
    if name.endswith("_export"):
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        return " ".join(str(cell) for row in rows for cell in row if cell is not None)
    return response.content.decode()


MARKERS = {  # what each list shows of alliance 1's records, and of zone B's
    "index": ("联合采购动力电池电芯", "寻找配套订单"),
    "need_list": ("联合采购动力电池电芯", "寻找配套订单"),
    "need_export": ("联合采购动力电池电芯", "寻找配套订单"),
    "resource_list": ("动力电池电芯批量供应", None),
    "resource_export": ("动力电池电芯批量供应", None),
    "match_list": ("联合采购动力电池电芯", None),
    "match_export": ("联合采购动力电池电芯", None),
    "project_list": ("人才实训基地", None),
    "project_export": ("人才实训基地", None),
}


@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"), [("fiona", True, False), ("harry", False, False), ("zara", False, True)]
)
def test_lists_and_exports_hold_only_what_the_reader_may_see(login, world, records, persona, sees_a, sees_b):
    client = login(world.persona(persona))
    for route in LISTS + EXPORTS:
        text = _text(call(client, route, world, records)[0], route.name)
        zone_a, zone_b = MARKERS[route.name]
        assert (zone_a in text) == sees_a, (persona, route.name)
        if zone_b:
            assert (zone_b in text) == sees_b, (persona, route.name)


def test_exports_keep_chinese_headers_and_text(login, world, records):
    response = login(world.fiona).get(reverse("exchange:need_export"))
    header, row = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=2, values_only=True)
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("标题", "类型") and "联合采购动力电池电芯" in {row[0] for row in rows[1:]}


def test_records_outside_scope_are_404_and_write_nothing(login, world, records):
    for persona in ("harry", "zara"):
        client = login(world.persona(persona))
        for route in DETAILS + RECORD_WRITES:
            response, written = call(client, route, world, records)
            assert (response.status_code, written) == (404, 0), (persona, route.name)


def test_members_who_may_not_act_are_refused_and_write_nothing(login, world, records):
    for route in CREATES + RECORD_WRITES:
        for persona, status in route.refusals:
            response, written = call(login(world.persona(persona)), route, world, records)
            assert (response.status_code, written) == (status, 0), (persona, route.name)


def test_permitted_users_open_the_forms_and_their_writes_are_recorded(login, world, records):
    for route in CREATES + RECORD_WRITES:
        user = world.persona(route.writer)
        page_access.assert_writes_audited(login(user), user, [route], world, records)


def test_posting_outside_scope_is_refused(login, world, records):
    create = Route("need_create", body=listing_body)
    for persona, body in (
        ("frank", listing_body(world, records)),  # firm X is not frank's to post for
        ("alice", {**listing_body(world, records), "owner": f"e:{world.other_firm.pk}"}),  # a zone B firm
        ("fiona", {**feedback_body(world, records), "alliance": world.alliance2.pk}),
    ):
        route = create if "owner" in body else Route("feedback_create", body=feedback_body)
        response, written = call(login(world.persona(persona)), route, world, records, body)
        assert (response.status_code, written) == (400, 0), (persona, route.name)

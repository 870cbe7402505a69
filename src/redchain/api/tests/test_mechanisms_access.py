"""Every /api/v1/ endpoint of the alliance mechanisms, four ways: anonymous (401), signed in without a
membership (an empty list, 404 on anything else), with permission, and outside the caller's scope (404; a
reader's write is a 404 too, so nothing is confirmed). ``test_the_table_names_every_endpoint`` fails when an
endpoint is added to ``api/endpoints/mechanisms.py`` without being put here."""

from __future__ import annotations

import datetime as dt

import pytest

from redchain.api.endpoints import mechanisms
from redchain.api.tests.access import (
    Endpoint,
    assert_anonymous_401,
    assert_outsider_sees_nothing,
    call,
    served,
)
from redchain.audit.models import AuditEntry
from redchain.mechanisms.tests import factories as fx

pytestmark = pytest.mark.django_db


def consultation(w, r) -> int:
    return fx.planned(w.alliance1, on=dt.date(fx.LAST_YEAR, 7, 1), kind="consultation", title="民主协商会").pk


def held(w, r) -> dict:
    x = fx.unit(w.alliance1, enterprise=w.firm_x)
    return {
        "held_on": fx.PAST.isoformat(),
        "minutes": "通报工作",
        "attendance": [{"member": x.pk, "present": True}],
    }


LISTS = [Endpoint(p) for p in ("/meetings", "/pacts", "/alliance-activities", "/places")]
DETAILS = [
    Endpoint("/meetings/{id}", lambda w, r: r.meeting1.pk),
    Endpoint("/pacts/{id}", lambda w, r: r.pact1.pk),
]
CREATES = [
    Endpoint(
        "/meetings",
        body=lambda w, r: {
            "alliance": w.alliance1.pk,
            "kind": "consultation",
            "planned_on": fx.PAST.isoformat(),
            "title": "协商会",
        },
        ok=201,
    ),
    Endpoint(
        "/pacts",
        body=lambda w, r: {
            "alliance": w.alliance1.pk,
            "title": "结盟公约",
            "signed_on": fx.PAST.isoformat(),
            "valid_until": "2099-01-01",
            "text": "共建",
        },
        ok=201,
    ),
    Endpoint(
        "/alliance-activities",
        body=lambda w, r: {
            "alliance": w.alliance1.pk,
            "action": "exchange",
            "title": "观摩交流",
            "held_on": fx.PAST.isoformat(),
            "participant_count": 30,
            "summary": "走进链主企业",
        },
        ok=201,
    ),
]
# Steps on records of alliance 1, kept by ivan (its instructor); the owning firm's contact fiona answers for
# firm X's own action items and commitments. hannah (department A1, a member unit) only reads.
STEPS: list[tuple[Endpoint, str]] = [
    (Endpoint("/meetings/{id}/held", consultation, held), "ivan"),
    (Endpoint("/meetings/{id}/missed", consultation, lambda w, r: {"reason": "防汛"}), "ivan"),
    (
        Endpoint(
            "/meetings/{id}/action-items",
            lambda w, r: r.meeting1.pk,
            lambda w, r: {
                "decision": "组织供需对接",
                "owner": fx.unit(w.alliance1, enterprise=w.firm_x).pk,
                "due_on": (fx.PAST + dt.timedelta(days=30)).isoformat(),
            },
            201,
        ),
        "ivan",
    ),
    (
        Endpoint(
            "/pacts/{id}/commitments",
            lambda w, r: r.pact1.pk,
            lambda w, r: {
                "member": fx.unit(w.alliance1, party_org=w.branch_x).pk,
                "content": "开放阵地",
                "due_on": (fx.PAST + dt.timedelta(days=60)).isoformat(),
            },
            201,
        ),
        "ivan",
    ),
    (
        Endpoint(
            "/pact-commitments/{id}/fulfil",
            lambda w, r: r.commitment_x.pk,
            lambda w, r: {"fulfilled": True, "assessed_on": fx.PAST.isoformat(), "evidence": "照片"},
        ),
        "fiona",
    ),
    (
        Endpoint(
            "/action-items/{id}/done",
            lambda w, r: r.item_x.pk,
            lambda w, r: {
                "done_on": (fx.PAST + dt.timedelta(days=5)).isoformat(),
                "result": "已对接三家企业",
            },
        ),
        "fiona",
    ),
]
WRITES = [(e, "ivan") for e in CREATES] + STEPS
ALL = LISTS + DETAILS + [e for e, _ in WRITES]


@pytest.fixture
def records(world):
    return fx.build_records(world)


def test_the_table_names_every_endpoint():
    assert served(mechanisms.router) == {(e.method, e.path) for e in ALL}


def test_anonymous_calls_are_401(api, world, records):
    assert_anonymous_401(api, ALL, world, records)


def test_callers_without_membership_see_nothing(api, world, records):
    assert_outsider_sees_nothing(api, ALL, LISTS, world, records, world.nora)


def test_members_read_and_permitted_callers_write(api, world, records):
    for endpoint in LISTS + DETAILS:
        response, _ = call(api, endpoint, world, records, world.fiona)
        assert response.status_code == 200, endpoint.path
    for endpoint, persona in WRITES:
        response, written = call(api, endpoint, world, records, world.persona(persona))
        assert response.status_code == endpoint.ok, (endpoint.path, response.content)
        assert AuditEntry.objects.order_by("-pk").first().actor == world.persona(persona)
        assert written >= 1, endpoint.path


@pytest.mark.parametrize(
    ("persona", "alliances"),
    [
        ("fiona", {"alliance1"}),
        ("frank", set()),
        ("zara", {"other_alliance"}),
        ("alice", {"alliance1", "alliance2"}),
    ],
)
def test_lists_hold_only_the_callers_alliances(api, world, records, persona, alliances):
    expected = {getattr(world, name).pk for name in alliances}
    for endpoint in LISTS:
        response, _ = call(api, endpoint, world, records, world.persona(persona))
        seen = {item["alliance_id"] for item in response.json()["items"]} - {None}
        assert seen == expected, (persona, endpoint.path)


def test_records_outside_scope_are_404_and_untouched(api, world, records):
    for persona in ("frank", "harry", "zara"):
        for endpoint in DETAILS + [e for e, _ in STEPS]:
            response, written = call(api, endpoint, world, records, world.persona(persona))
            assert (response.status_code, written) == (404, 0), (persona, endpoint.path)


def test_readers_writes_are_404_and_write_nothing(api, world, records):
    for endpoint, _ in WRITES:
        response, written = call(api, endpoint, world, records, world.hannah)
        assert (response.status_code, written) == (404, 0), endpoint.path


def test_an_enterprise_contact_completes_only_their_own_firms_items(api, world, records):
    done = Endpoint(
        "/action-items/{id}/done",
        lambda w, r: r.item_dept.pk,
        lambda w, r: {"done_on": fx.PAST.isoformat(), "result": "x"},
    )
    response, written = call(api, done, world, records, world.fiona)
    assert (response.status_code, written) == (404, 0)
    mine = Endpoint(
        "/action-items/{id}/done",
        lambda w, r: r.item_x.pk,
        lambda w, r: {"done_on": (fx.PAST + dt.timedelta(days=3)).isoformat(), "result": "已完成"},
    )
    response, _ = call(api, mine, world, records, world.fiona)
    assert response.json()["status"] == "done" and response.json()["result"] == "已完成"
    again, written = call(api, mine, world, records, world.fiona)
    assert (again.status_code, written) == (409, 0)
    future = Endpoint(
        "/action-items/{id}/done",
        lambda w, r: r.item2.pk,
        lambda w, r: {"done_on": "2999-01-01", "result": "x"},
    )
    response, written = call(api, future, world, records, world.alice)
    assert (response.status_code, written) == (422, 0) and "done_on" in response.json()["errors"]

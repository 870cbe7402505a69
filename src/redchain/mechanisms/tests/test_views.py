"""The alliance-work pages, four ways each: anonymous, no membership, in scope, and outside scope."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from redchain.mechanisms.models import ActionItem, Activity, Commitment, Meeting, Pact, Place
from redchain.mechanisms.tests import factories as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    return fx.build_records(world)


LISTS = ["index", "meeting_list", "action_item_list", "pact_list", "activity_list", "place_list"]
EXPORTS = ["meeting_export", "action_item_export", "pact_export", "activity_export"]
FORMS = ["meeting_create", "pact_create", "activity_create", "place_create"]


def details(records) -> list[tuple[str, int]]:
    return [
        ("meeting_detail", records.meeting1.pk),
        ("pact_detail", records.pact1.pk),
        ("activity_detail", records.activity1.pk),
        ("cadence", records.meeting1.alliance_id),
    ]


def url(name: str, *args) -> str:
    return reverse(f"mechanisms:{name}", args=args)


# --- anonymous, no membership ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, records):
    for name, pk in [(n, None) for n in LISTS + EXPORTS + FORMS] + details(records):
        response = client.get(url(name, *([pk] if pk else [])))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_signed_in_user_without_membership_gets_403(login, world, records):
    client = login(world.nora)
    for name, pk in [(n, None) for n in LISTS + EXPORTS + FORMS] + details(records):
        assert client.get(url(name, *([pk] if pk else []))).status_code == 403, name


# --- in scope -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "leo", "hannah", "ivan", "fiona"])
def test_readers_of_alliance_1_open_every_page(login, world, records, persona):
    client = login(world.persona(persona))
    for name in LISTS:
        assert client.get(url(name)).status_code == 200, name
    for name, pk in details(records):
        assert client.get(url(name, pk)).status_code == 200, name


def test_lists_show_only_the_readers_alliances(login, world, records):
    for persona, expected, hidden in [
        ("ivan", records.meeting1, records.meeting2),
        ("hannah", records.meeting1, records.meeting2),
        ("fiona", records.meeting1, records.meeting2),
        ("zara", records.other_meeting, records.meeting1),
    ]:
        body = login(world.persona(persona)).get(url("meeting_list")).content.decode()
        assert url("meeting_detail", expected.pk) in body and url("meeting_detail", hidden.pk) not in body, (
            persona
        )


def test_harry_and_frank_see_empty_lists(login, world, records):
    for persona in ("harry", "frank"):
        client = login(world.persona(persona))
        assert records.meeting1.title not in client.get(url("meeting_list")).content.decode()
        assert records.pact1.title not in client.get(url("pact_list")).content.decode()
        assert "链上企业观摩交流活动" not in client.get(url("activity_list")).content.decode()


def test_list_filters_and_htmx_partial(login, world, records):
    client = login(world.alice)
    response = client.get(url("meeting_list"), {"alliance": world.alliance2.pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and url("meeting_detail", records.meeting2.pk) in body
    assert url("meeting_detail", records.meeting1.pk) not in body
    overdue = client.get(url("action_item_list"), {"overdue": "yes"}).content.decode()
    assert records.item_x.decision in overdue


def test_index_counts_per_alliance_and_six_action_heatmap(login, world, records):
    response = login(world.alice).get(url("index"), {"year": fx.LAST_YEAR})
    lines = {line.alliance.pk: line for line in response.context["lines"]}
    assert set(lines) == {world.alliance1.pk, world.alliance2.pk}
    assert lines[world.alliance1.pk].held == 1 and lines[world.alliance1.pk].overdue_items == 2
    assert response.context["totals"] == [0, 0, 1, 0, 0, 1]
    assert 'id="action-heatmap"' in response.content.decode()


def test_cadence_shows_each_slot(login, world, records):
    fx.planned(world.alliance1, on=dt.date(fx.LAST_YEAR, 5, 5))
    response = login(world.ivan).get(url("cadence", world.alliance1.pk), {"year": fx.LAST_YEAR})
    states = [slot.state for slot in response.context["slots"]]
    assert states == ["none", "held", "overdue", "none", "none", "none"]


# --- outside scope --------------------------------------------------------------------------------------


def test_records_outside_scope_are_404(login, world, records):
    outsiders = {
        "zara": details(records),
        "harry": details(records)[:3],
        "frank": details(records)[:3],
        "ivan": [
            ("meeting_detail", records.meeting2.pk),
            ("pact_detail", records.pact2.pk),
            ("cadence", world.alliance2.pk),
        ],
    }
    for persona, pages in outsiders.items():
        client = login(world.persona(persona))
        for name, pk in pages:
            assert client.get(url(name, pk)).status_code == 404, (persona, name)


# --- writes ---------------------------------------------------------------------------------------------


def test_only_keepers_open_the_create_forms(login, world, records):
    for persona, status in [("alice", 200), ("ivan", 200), ("hannah", 403), ("fiona", 403), ("leo", 403)]:
        client = login(world.persona(persona))
        for name in FORMS:
            assert client.get(url(name)).status_code == status, (persona, name)


def test_instructor_plans_a_meeting_and_records_it_held(login, world, records):
    client = login(world.ivan)
    response = client.post(
        url("meeting_create"),
        {
            "alliance": world.alliance1.pk,
            "kind": "consultation",
            "planned_on": fx.PAST.isoformat(),
            "title": "民主协商会",
        },
    )
    meeting = Meeting.objects.get(title="民主协商会")
    assert response.status_code == 302 and meeting.kind == "consultation"
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    response = client.post(
        url("meeting_held", meeting.pk),
        {
            "held_on": fx.PAST.isoformat(),
            "minutes": "协商确定联盟年度计划",
            f"present_{x.pk}": "on",
            f"rep_{x.pk}": "王总",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.attendance.get(member=x).representative == "王总"
    # Units not ticked are recorded as absent, so the attendance covers the whole roster.
    assert meeting.attendance.filter(present=False).count() == world.alliance1.members.count() - 1


def test_bad_input_shows_a_chinese_error_and_writes_nothing(login, world, records):
    meeting = fx.planned(world.alliance1, on=dt.date(fx.LAST_YEAR, 7, 1))
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()  # noqa: DTZ011
    x = fx.unit(world.alliance1, enterprise=world.firm_x)
    response = login(world.ivan).post(
        url("meeting_held", meeting.pk), {"held_on": future, "minutes": "纪要", f"present_{x.pk}": "on"}
    )
    assert response.status_code == 400
    assert "held_on" in response.context["held_form"].errors
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_readers_cannot_post_writes(login, world, records):
    overdue = fx.planned(world.alliance1, on=dt.date(fx.LAST_YEAR, 9, 1))
    for persona in ("hannah", "fiona"):
        client = login(world.persona(persona))
        assert client.post(url("meeting_missed", overdue.pk), {"reason": "x"}).status_code == 403
        assert client.post(url("commitment_add", records.pact1.pk), {}).status_code == 403
    assert login(world.harry).post(url("meeting_missed", overdue.pk), {"reason": "x"}).status_code == 404
    assert Meeting.objects.get(pk=overdue.pk).status == "planned"


def test_instructor_marks_an_overdue_meeting_missed_and_adds_a_decision(login, world, records):
    client = login(world.ivan)
    overdue = fx.planned(world.alliance1, on=dt.date(fx.LAST_YEAR, 9, 1))
    assert client.post(url("meeting_missed", overdue.pk), {"reason": "防汛任务冲突"}).status_code == 302
    dept = fx.unit(world.alliance1, department=world.dept_a1)
    response = client.post(
        url("action_item_add", records.meeting1.pk),
        {
            "decision": "协调融资对接会",
            "owner": dept.pk,
            "due_on": (fx.PAST + dt.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302 and ActionItem.objects.filter(decision="协调融资对接会").exists()


def test_enterprise_contact_marks_own_item_done_but_not_the_departments(login, world, records):
    client = login(world.fiona)
    done_on = (fx.PAST + dt.timedelta(days=5)).isoformat()
    assert client.get(url("action_item_complete", records.item_x.pk)).status_code == 200
    assert (
        client.post(
            url("action_item_complete", records.item_x.pk), {"done_on": done_on, "result": "已完成"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("action_item_complete", records.item_dept.pk), {"done_on": done_on, "result": "x"}
        ).status_code
        == 403
    )
    assert login(world.frank).get(url("action_item_complete", records.item_dept.pk)).status_code == 404
    assert ActionItem.objects.get(pk=records.item_x.pk).status == "done"
    assert ActionItem.objects.get(pk=records.item_dept.pk).status == "open"


def test_enterprise_contact_records_fulfilment_of_own_commitment(login, world, records):
    client = login(world.fiona)
    payload = {"fulfilled": "yes", "assessed_on": fx.PAST.isoformat(), "evidence": "签到表"}
    assert client.post(url("commitment_fulfil", records.commitment_x.pk), payload).status_code == 302
    assert client.post(url("commitment_fulfil", records.commitment_dept.pk), payload).status_code == 403
    assert (
        login(world.zara).post(url("commitment_fulfil", records.commitment_x.pk), payload).status_code == 404
    )
    assert Commitment.objects.get(pk=records.commitment_x.pk).status == "fulfilled"


def test_keeper_records_pact_activity_and_place(login, world, records):
    client = login(world.ivan)
    pact = {
        "alliance": world.alliance1.pk,
        "title": "新公约",
        "signed_on": fx.PAST.isoformat(),
        "valid_until": "2099-01-01",
        "text": "共建共享",
    }
    assert client.post(url("pact_create"), pact).status_code == 302
    activity = {
        "alliance": world.alliance1.pk,
        "action": "pioneers",
        "title": "党员先锋岗共育",
        "held_on": fx.PAST.isoformat(),
        "participant_count": 20,
        "summary": "联合培训",
    }
    assert client.post(url("activity_create"), activity).status_code == 302
    place = {"name": "联盟指导站", "kind": "guidance_station", "alliance": world.alliance1.pk}
    assert client.post(url("place_create"), place).status_code == 302
    assert (
        Pact.objects.filter(title="新公约").exists() and Activity.objects.filter(action="pioneers").exists()
    )
    assert Place.objects.get(name="联盟指导站").alliance == world.alliance1
    # The instructor cannot choose another alliance: it is not among the form's choices.
    assert (
        client.post(url("pact_create"), {**pact, "alliance": world.alliance2.pk, "title": "越权"}).status_code
        == 400
    )
    assert not Pact.objects.filter(title="越权").exists()


def test_schedule_year_from_the_cadence_page(login, world, records):
    response = login(world.ivan).post(url("meeting_schedule"), {"alliance": world.alliance1.pk, "year": 2031})
    assert response.status_code == 302
    assert Meeting.objects.filter(alliance=world.alliance1, year=2031).count() == 6
    assert (
        login(world.hannah)
        .post(url("meeting_schedule"), {"alliance": world.alliance1.pk, "year": 2032})
        .status_code
        == 403
    )


# --- exports, panel, queries ----------------------------------------------------------------------------


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_exports_hold_what_the_list_shows(login, world, records):
    client = login(world.ivan)
    meetings = sheet_rows(client.get(url("meeting_export")))
    assert [row[0] for row in meetings[1:]] == [world.alliance1.name]
    items = sheet_rows(client.get(url("action_item_export"), {"overdue": "yes"}))
    assert len(items) == 3 and items[1][5] == "已超时"
    pacts = sheet_rows(client.get(url("pact_export")))
    assert {row[4] for row in pacts[1:]} == {world.firm_x.name, world.dept_a1.name}
    activities = sheet_rows(login(world.alice).get(url("activity_export"), {"action": "relief"}))
    assert [row[0] for row in activities[1:]] == [world.alliance2.name]


def test_alliance_page_shows_the_mechanisms_panel_within_scope(login, world, records):
    body = (
        login(world.hannah).get(reverse("orgs:alliance_detail", args=[world.alliance1.pk])).content.decode()
    )
    assert 'id="alliance-mechanisms"' in body and records.meeting1.title in body
    body = login(world.harry).get(reverse("orgs:alliance_detail", args=[world.alliance1.pk])).content.decode()
    assert 'id="alliance-mechanisms"' not in body


def test_meeting_list_queries_do_not_grow_with_rows(login, world, records, django_assert_max_num_queries):
    client = login(world.alice)
    client.get(url("meeting_list"))
    for month in range(1, 13, 2):
        fx.held(world.alliance1, on=dt.date(fx.LAST_YEAR - 1, month, 3))
    with django_assert_max_num_queries(12):
        response = client.get(url("meeting_list"))
    assert response.context["page"].paginator.count == 8

"""The loop's steps over the API: the whole loop for the personas, then every step allowed and refused.

Each step is tried four ways (anonymous 401, nora 404, the permitted persona 200, zara outside the zone 404),
in the wrong state (409) and by a persona who sees the demand but may not take the step (404); a refused
step changes nothing.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from redchain.api.tests.test_demands import BODY, TITLE, accepted, handling, post, replied, submitted
from redchain.demands import services as s
from redchain.demands.models import Demand, DemandEvent, Extension

pytestmark = pytest.mark.django_db


def test_the_whole_loop_through_the_api(api, world):
    created = post(api, "demands", {"title": TITLE, "body": BODY}, as_user=world.fiona)
    pk = created.json()["id"]

    assert post(api, f"demands/{pk}/accept", as_user=world.alice).json()["status"] == "accepted"
    dispatch = {"department": world.dept_a1.pk, "disposition": "immediate"}
    assert post(api, f"demands/{pk}/dispatch", dispatch, as_user=world.alice).json()["status"] == "handling"
    assert post(api, f"demands/{pk}/contact", as_user=world.hannah).status_code == 200
    assert (
        post(api, f"demands/{pk}/interim-reply", {"text": "已联系供电公司"}, as_user=world.hannah).status_code
        == 200
    )
    reply = post(api, f"demands/{pk}/reply", {"text": "下周完成增容"}, as_user=world.hannah).json()
    assert reply["status"] == "replied" and reply["assignments"][0]["replied_at"]
    rated = post(api, f"demands/{pk}/rate", {"level": "satisfied", "comment": "很快"}, as_user=world.fiona)

    body = rated.json()
    assert rated.status_code == 200
    assert (body["status"], body["is_solved"], body["satisfaction"]) == ("closed", True, "satisfied")
    assert [e["kind"] for e in body["timeline"]] == [
        "submitted",
        "accepted",
        "dispatched",
        "contacted",
        "interim_reply",
        "replied",
        "rated",
    ]
    assert body["ratings"][0]["level"] == "satisfied"


def test_leader_instructs_on_a_reported_demand_and_the_handler_sees_it(api, world):
    demand = accepted(world)
    dispatch = {"department": world.dept_a1.pk, "disposition": "reported"}
    post(api, f"demands/{demand.pk}/dispatch", dispatch, as_user=world.alice)

    response = post(api, f"demands/{demand.pk}/instruct", {"text": "请本周内办结"}, as_user=world.leo)

    assert response.status_code == 200
    assert response.json()["in_leader_queue"] is True
    seen = api.get(f"demands/{demand.pk}", as_user=world.hannah).json()
    assert [(i["leader"], i["text"]) for i in seen["instructions"]] == [("Leo", "请本周内办结")]


def test_handler_of_another_department_gets_404_on_detail_and_steps(api, world):
    demand = handling(world)

    assert api.get(f"demands/{demand.pk}", as_user=world.harry).status_code == 404
    for step, payload in [
        ("contact", {}),
        ("interim-reply", {"text": "x"}),
        ("reply", {"text": "x"}),
        ("return", {"reason": "x"}),
        ("pause", {"reason": "x"}),
    ]:
        response = post(api, f"demands/{demand.pk}/{step}", payload, as_user=world.harry)
        assert response.status_code == 404, step
        assert response.json() == {"detail": "未找到 / Not found"}
    assert list(demand.events.values_list("kind", flat=True)) == ["submitted", "accepted", "dispatched"]


def test_coordinated_dispatch_lists_the_lead_first_and_co_handlers_act(api, world):
    demand = accepted(world)
    payload = {
        "department": world.dept_a1.pk,
        "disposition": "coordinated",
        "co_departments": [world.dept_a2.pk],
    }

    body = post(api, f"demands/{demand.pk}/dispatch", payload, as_user=world.alice).json()

    assert [(a["department_id"], a["role"]) for a in body["assignments"]] == [
        (world.dept_a1.pk, "lead"),
        (world.dept_a2.pk, "co"),
    ]
    # The co-handler now sees the demand, but only the lead gives the final reply.
    assert post(api, f"demands/{demand.pk}/reply", {"text": "x"}, as_user=world.harry).status_code == 404
    assert (
        post(api, f"demands/{demand.pk}/interim-reply", {"text": "x"}, as_user=world.harry).status_code == 200
    )


def test_dispatch_to_a_department_of_another_zone_is_422(api, world):
    demand = accepted(world)
    payload = {"department": world.other_department.pk, "disposition": "immediate"}

    response = post(api, f"demands/{demand.pk}/dispatch", payload, as_user=world.alice)

    assert response.status_code == 422
    assert "部门" in response.json()["errors"]["department"][0]


def test_dispatch_with_unknown_disposition_is_422(api, world):
    demand = accepted(world)

    response = post(
        api,
        f"demands/{demand.pk}/dispatch",
        {"department": world.dept_a1.pk, "disposition": "soon"},
        as_user=world.alice,
    )

    assert response.status_code == 422 and "disposition" in response.json()["errors"]


def test_refusing_an_extension(api, world):
    demand = handling(world)
    until = (timezone.now() + dt.timedelta(days=30)).isoformat()
    post(api, f"demands/{demand.pk}/extend", {"until": until, "reason": "等待规划审批"}, as_user=world.hannah)

    body = post(
        api,
        f"demands/{demand.pk}/approve-extension",
        {"approve": False, "note": "不同意"},
        as_user=world.alice,
    ).json()

    assert body["assignments"][0]["extensions"][0]["status"] == "refused"
    assert Extension.objects.get().status == Extension.Status.REFUSED


def test_extension_without_offset_is_read_in_shanghai_time(api, world):
    demand = handling(world)
    naive = (timezone.localtime() + dt.timedelta(days=30)).replace(tzinfo=None, microsecond=0)

    post(
        api,
        f"demands/{demand.pk}/extend",
        {"until": naive.isoformat(), "reason": "等待"},
        as_user=world.hannah,
    )

    assert timezone.localtime(Extension.objects.get().until).replace(tzinfo=None) == naive


def test_unsatisfied_rating_sends_it_back_to_redo(api, world):
    demand = replied(world)

    body = post(api, f"demands/{demand.pk}/rate", {"level": "unsatisfied"}, as_user=world.fiona).json()

    assert (body["status"], body["redo_count"], body["satisfaction"]) == ("handling", 1, "unsatisfied")


def test_close_unsolved_after_arbitration(api, world):
    demand = handling(world)
    post(api, f"demands/{demand.pk}/return", {"reason": "不属于本部门职责"}, as_user=world.hannah)

    body = post(
        api, f"demands/{demand.pk}/close", {"solved": False, "reason": "企业撤回"}, as_user=world.alice
    ).json()

    assert (body["status"], body["is_solved"]) == ("closed", False)


def test_validation_error_from_a_service_is_422_with_field_errors(api, world):
    demand = submitted(world)

    response = post(api, f"demands/{demand.pk}/reject", {"reason": "   "}, as_user=world.alice)

    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"reason": ["请说明不予受理的理由 / A reason is required"]}
    assert "请说明不予受理的理由" in body["detail"]


def test_refused_step_says_why_in_both_languages(api, world):
    demand = accepted(world)

    response = post(api, f"demands/{demand.pk}/accept", as_user=world.alice)

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "不能执行此操作" in detail and "This step is not allowed" in detail


def test_step_refused_for_a_user_who_sees_the_demand_is_404_with_a_reason(api, world):
    demand = submitted(world)

    response = post(api, f"demands/{demand.pk}/accept", as_user=world.leo)

    assert response.status_code == 404
    assert response.json() == {"detail": "您无权执行此操作 / You may not take this step"}


# --- every step, allowed and refused ----------------------------------------------------------------


def paused(world) -> Demand:
    demand = handling(world)
    s.assignment_pause(actor=world.hannah, demand=demand, reason="等待企业补充材料")
    return demand


def extension_pending(world) -> Demand:
    demand = handling(world)
    s.assignment_request_extension(
        actor=world.hannah, demand=demand, until=timezone.now() + dt.timedelta(days=30), reason="等待审批"
    )
    return demand


def reported(world) -> Demand:
    return handling(world, disposition="reported")


def closed(world) -> Demand:
    demand = replied(world)
    return s.demand_rate(actor=world.fiona, demand=demand, level="satisfied")


def _later(world) -> str:
    return (timezone.now() + dt.timedelta(days=30)).isoformat()


def _merge_target(world) -> dict:
    return {"into": submitted(world, title="同一诉求").pk}


@dataclass(frozen=True)
class Step:
    """One step: where it is allowed, who takes it, and a state and a visible persona that are refused."""

    name: str
    allowed: Callable
    actor: str
    wrong_state: Callable
    wrong_user: str
    payload: Callable = lambda world: {}
    after: str = ""  # the status after the step, when it changes


STEPS = [
    Step("accept", submitted, "alice", accepted, "leo", after="accepted"),
    Step("reject", submitted, "alice", accepted, "leo", lambda w: {"reason": "不属于受理范围"}, "rejected"),
    Step(
        "dispatch",
        accepted,
        "alice",
        submitted,
        "leo",
        lambda w: {"department": w.dept_a1.pk, "disposition": "immediate"},
        "handling",
    ),
    Step("contact", handling, "hannah", replied, "alice"),
    Step("interim-reply", handling, "hannah", replied, "alice", lambda w: {"text": "正在协调"}),
    Step("reply", handling, "hannah", replied, "alice", lambda w: {"text": "已办结"}, "replied"),
    Step(
        "return", handling, "hannah", replied, "alice", lambda w: {"reason": "不属于本部门职责"}, "returned"
    ),
    Step("pause", handling, "hannah", replied, "alice", lambda w: {"reason": "等待补充材料"}),
    Step("resume", paused, "hannah", handling, "alice"),
    Step("extend", handling, "hannah", replied, "alice", lambda w: {"until": _later(w), "reason": "需审批"}),
    Step("approve-extension", extension_pending, "alice", handling, "leo"),
    Step("instruct", reported, "leo", closed, "alice", lambda w: {"text": "请尽快办结"}),
    Step("supervise", handling, "alice", submitted, "hannah", lambda w: {"level": 2, "note": "已超期"}),
    Step("rate", replied, "fiona", handling, "hannah", lambda w: {"level": "satisfied"}, "closed"),
    Step("merge", submitted, "alice", closed, "leo", _merge_target, "merged"),
    Step(
        "close",
        replied,
        "alice",
        handling,
        "leo",
        lambda w: {"solved": True, "reason": "电话回访无人接听"},
        "closed",
    ),
]


def snapshot(demand: Demand) -> tuple:
    demand.refresh_from_db()
    return demand.status, DemandEvent.objects.filter(demand=demand).count(), demand.assignments.count()


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_step_by_the_permitted_persona(api, world, step):
    demand = step.allowed(world)
    events = demand.events.count()

    response = post(
        api, f"demands/{demand.pk}/{step.name}", step.payload(world), as_user=world.persona(step.actor)
    )

    assert response.status_code == 200, response.content
    assert response.json()["id"] == demand.pk
    assert demand.events.count() > events
    if step.after:
        assert response.json()["status"] == step.after


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_step_in_the_wrong_state_is_409_and_changes_nothing(api, world, step):
    demand = step.wrong_state(world)
    payload = step.payload(world)
    before = snapshot(demand)

    response = post(api, f"demands/{demand.pk}/{step.name}", payload, as_user=world.persona(step.actor))

    assert response.status_code == 409, response.content
    assert " / " in response.json()["detail"]
    assert snapshot(demand) == before


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_step_by_a_persona_without_the_right_is_404_and_changes_nothing(api, world, step):
    demand = step.allowed(world)
    payload = step.payload(world)
    before = snapshot(demand)
    user = world.persona(step.wrong_user)
    assert api.get(f"demands/{demand.pk}", as_user=user).status_code == 200  # sees it, may not act

    response = post(api, f"demands/{demand.pk}/{step.name}", payload, as_user=user)

    assert response.status_code == 404, response.content
    assert snapshot(demand) == before


@pytest.mark.parametrize("persona, status", [(None, 401), ("nora", 404), ("zara", 404), ("harry", 404)])
@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_step_by_outsiders(api, world, step, persona, status):
    demand = step.allowed(world)
    payload = step.payload(world)
    before = snapshot(demand)
    user = world.persona(persona) if persona else None

    response = post(api, f"demands/{demand.pk}/{step.name}", payload, as_user=user)

    assert response.status_code == status, response.content
    assert snapshot(demand) == before

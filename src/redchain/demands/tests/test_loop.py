"""The closed loop through the services: every transition allowed and refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from redchain.audit.models import AuditEntry
from redchain.demands import services as s
from redchain.demands.models import Assignment, Demand, DemandEvent, Notification, Supervision
from redchain.demands.permissions import NotPermitted, TransitionNotAllowed

pytestmark = pytest.mark.django_db
S = Demand.Status


def submit(world, **kwargs):
    defaults = {"title": "用电增容申请", "body": "新厂房需要增容 800 千伏安。", "enterprise": world.firm_x}
    return s.demand_submit(actor=world.fiona, zone=world.zone, **{**defaults, **kwargs})


def handling(world, disposition="immediate", **kwargs):
    demand = submit(world)
    s.demand_accept(actor=world.alice, demand=demand)
    return s.demand_dispatch(
        actor=world.alice, demand=demand, department=world.dept_a1, disposition=disposition, **kwargs
    )


def replied(world):
    demand = handling(world)
    return s.demand_reply(actor=world.hannah, demand=demand, text="已协调供电公司，下周完成增容。")


def test_the_whole_loop_closes_as_solved_and_leaves_a_timeline(world):
    demand = replied(world)
    s.demand_rate(actor=world.fiona, demand=demand, level="satisfied", comment="很快")
    demand.refresh_from_db()
    assert demand.status == S.CLOSED and demand.is_solved is True and demand.satisfaction == "satisfied"
    kinds = list(demand.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "accepted", "dispatched", "replied", "rated"]
    assert AuditEntry.objects.filter(object_type="demands.demand", object_id=str(demand.pk)).count() == 5


def test_tracking_codes_are_unguessable_and_unique(world):
    codes = {submit(world, title=f"诉求{i}").tracking_code for i in range(20)}
    assert len(codes) == 20 and all(len(code) == 12 for code in codes)


def test_enterprise_contact_submits_only_for_own_enterprise(world):
    with pytest.raises(NotPermitted):
        s.demand_submit(actor=world.fiona, zone=world.zone, title="t", body="b", enterprise=world.firm_y)
    assert not Demand.objects.exists()


def test_idempotency_key_returns_the_first_demand_and_says_it_is_not_new(world):
    fields = {"zone": world.zone, "title": "用电增容申请", "body": "增容", "enterprise": world.firm_x}
    first, created = s.demand_submit_once(actor=world.fiona, idempotency_key="abc", **fields)
    again, created_again = s.demand_submit_once(actor=world.fiona, idempotency_key="abc", **fields)
    assert (first.pk, created, created_again) == (again.pk, True, False)
    assert Demand.objects.count() == 1


def test_only_the_zone_accepts_and_only_once(world):
    demand = submit(world)
    with pytest.raises(NotPermitted):
        s.demand_accept(actor=world.hannah, demand=demand)
    s.demand_accept(actor=world.alice, demand=demand)
    with pytest.raises(TransitionNotAllowed):
        s.demand_accept(actor=world.alice, demand=demand)


def test_reject_needs_a_reason_and_closes_the_intake(world):
    demand = submit(world)
    with pytest.raises(ValidationError):
        s.demand_reject(actor=world.alice, demand=demand, reason=" ")
    s.demand_reject(actor=world.alice, demand=demand, reason="属于司法程序，不予受理")
    demand.refresh_from_db()
    assert demand.status == S.REJECTED and demand.is_solved is None
    with pytest.raises(TransitionNotAllowed):
        s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")


def test_dispatch_needs_acceptance_first(world):
    demand = submit(world)
    with pytest.raises(TransitionNotAllowed):
        s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")


def test_coordinated_dispatch_creates_lead_and_co_handlers_with_deadlines(world):
    demand = handling(world, disposition="coordinated", co_departments=[world.dept_a2])
    roles = dict(demand.assignments.values_list("department_id", "role"))
    assert roles == {world.dept_a1.pk: "lead", world.dept_a2.pk: "co"}
    assert all(a.contact_due and a.interim_due and a.close_due for a in demand.assignments.all())


def test_co_handlers_only_with_coordinated_handling(world):
    demand = submit(world)
    s.demand_accept(actor=world.alice, demand=demand)
    with pytest.raises(ValidationError):
        s.demand_dispatch(
            actor=world.alice,
            demand=demand,
            department=world.dept_a1,
            disposition="immediate",
            co_departments=[world.dept_a2],
        )


def test_handler_of_another_department_cannot_act(world):
    demand = handling(world)
    with pytest.raises(NotPermitted):
        s.assignment_contact(actor=world.harry, demand=demand)
    with pytest.raises(NotPermitted):
        s.demand_reply(actor=world.harry, demand=demand, text="x")


def test_contact_is_recorded_once(world):
    demand = handling(world)
    s.assignment_contact(actor=world.hannah, demand=demand)
    with pytest.raises(TransitionNotAllowed):
        s.assignment_contact(actor=world.hannah, demand=demand)


def test_interim_replies_follow_through_and_count_as_contact(world):
    demand = handling(world)
    s.assignment_interim_reply(actor=world.hannah, demand=demand, text="已联系供电公司")
    s.assignment_interim_reply(actor=world.hannah, demand=demand, text="方案已报审")
    lead = demand.assignments.get()
    assert lead.contacted_at is not None and lead.first_interim_at is not None
    assert demand.events.filter(kind="interim_reply").count() == 2


def test_only_the_lead_gives_the_final_reply(world):
    demand = handling(world, disposition="coordinated", co_departments=[world.dept_a2])
    with pytest.raises(NotPermitted):
        s.demand_reply(actor=world.harry, demand=demand, text="协办意见")
    s.assignment_interim_reply(actor=world.harry, demand=demand, text="协办意见已提交")
    s.demand_reply(actor=world.hannah, demand=demand, text="已办结")


def test_lead_return_goes_to_arbitration_and_redispatch_keeps_history(world):
    demand = handling(world)
    s.assignment_return(actor=world.hannah, demand=demand, reason="不属于本部门职责")
    demand.refresh_from_db()
    assert demand.status == S.RETURNED
    s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a2, disposition="immediate")
    statuses = dict(demand.assignments.values_list("department_id", "status"))
    assert statuses == {world.dept_a1.pk: "returned", world.dept_a2.pk: "pending"}


def test_extension_is_approved_by_the_zone_and_moves_the_deadline(world):
    demand = handling(world)
    lead = demand.assignments.get()
    until = lead.close_due + dt.timedelta(days=10)
    s.assignment_request_extension(actor=world.hannah, demand=demand, until=until, reason="需省厅审批")
    with pytest.raises(TransitionNotAllowed):
        s.assignment_request_extension(actor=world.hannah, demand=demand, until=until, reason="再次申请")
    with pytest.raises(NotPermitted):
        s.extension_decide(actor=world.hannah, demand=demand, approve=True)
    s.extension_decide(actor=world.alice, demand=demand, approve=True)
    lead.refresh_from_db()
    assert lead.close_due == until


def test_refused_extension_keeps_the_deadline(world):
    demand = handling(world)
    lead = demand.assignments.get()
    before = lead.close_due
    s.assignment_request_extension(
        actor=world.hannah, demand=demand, until=before + dt.timedelta(days=3), reason="r"
    )
    s.extension_decide(actor=world.alice, demand=demand, approve=False)
    lead.refresh_from_db()
    assert lead.close_due == before


def test_reported_disposition_goes_to_leaders_who_instruct(world, django_capture_on_commit_callbacks):
    demand = submit(world)
    s.demand_accept(actor=world.alice, demand=demand)
    s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="reported")
    demand.refresh_from_db()
    assert demand.in_leader_queue
    with pytest.raises(NotPermitted):
        s.demand_instruct(actor=world.hannah, demand=demand, text="x")
    with django_capture_on_commit_callbacks(execute=True):
        s.demand_instruct(actor=world.leo, demand=demand, text="请企业服务局三日内协调解决")
    assert demand.instructions.get().text.startswith("请企业服务局")
    # The handlers of the lead department hear of it after commit; the leader does not notify himself.
    assert Notification.objects.filter(user=world.hannah, event__kind="instructed").exists()
    assert not Notification.objects.filter(user=world.leo).exists()


def test_supervised_disposition_raises_a_supervision_order(world):
    demand = submit(world)
    s.demand_accept(actor=world.alice, demand=demand)
    s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="supervised")
    assert Supervision.objects.filter(demand=demand, source="disposition").count() == 1


def test_unsatisfied_sends_it_back_to_redo_then_to_the_zone(world, settings):
    settings.REDCHAIN_MAX_REDO = 1
    demand = replied(world)
    s.demand_rate(actor=world.fiona, demand=demand, level="unsatisfied", comment="没解决")
    demand.refresh_from_db()
    assert demand.status == S.HANDLING and demand.redo_count == 1 and demand.is_solved is None
    s.demand_reply(actor=world.hannah, demand=demand, text="重新协调后已解决")
    s.demand_rate(actor=world.fiona, demand=demand, level="unsatisfied", comment="仍未解决")
    demand.refresh_from_db()
    assert demand.status == S.RETURNED
    assert demand.events.filter(kind="escalated").exists()
    s.demand_close(actor=world.alice, demand=demand, solved=False, reason="超出园区权限，已报市里")
    demand.refresh_from_db()
    assert demand.status == S.CLOSED and demand.is_solved is False


def test_staff_rate_on_behalf_after_a_call_but_other_firms_cannot(world):
    demand = replied(world)
    with pytest.raises(NotPermitted):
        s.demand_rate(actor=world.frank, demand=demand, level="satisfied")
    with pytest.raises(NotPermitted):
        s.demand_rate(actor=world.hannah, demand=demand, level="satisfied")
    s.demand_rate(actor=world.alice, demand=demand, level="basically_satisfied", comment="电话回访")
    assert demand.ratings.get().on_behalf is True


def test_rating_before_the_reply_is_refused(world):
    demand = handling(world)
    with pytest.raises(TransitionNotAllowed):
        s.demand_rate(actor=world.fiona, demand=demand, level="satisfied")


def test_merge_makes_the_duplicate_follow_the_main_demand(world):
    main, duplicate = handling(world), submit(world, title="重复：用电增容")
    s.demand_merge(actor=world.alice, demand=duplicate, into=main)
    duplicate.refresh_from_db()
    assert duplicate.status == S.MERGED and duplicate.merged_into == main
    with pytest.raises(TransitionNotAllowed):
        s.demand_merge(actor=world.alice, demand=main, into=main)


def test_a_refused_step_changes_nothing(world):
    demand = handling(world)
    events, audits = DemandEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(TransitionNotAllowed):
        s.demand_accept(actor=world.alice, demand=demand)
    with pytest.raises(ValidationError):
        s.demand_reply(actor=world.hannah, demand=demand, text="")
    assert (DemandEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)
    assert Assignment.objects.get(demand=demand).status == "pending"


def test_an_approved_extension_lets_the_sweep_warn_again_for_the_new_deadline(world):
    demand = handling(world)
    lead = demand.assignments.get()
    Assignment.objects.filter(pk=lead.pk).update(warned_at=lead.started_at, overdue_at=lead.started_at)
    s.assignment_request_extension(
        actor=world.hannah, demand=demand, until=lead.close_due + dt.timedelta(days=5), reason="r"
    )
    s.extension_decide(actor=world.alice, demand=demand, approve=True)
    lead.refresh_from_db()
    assert lead.warned_at is None and lead.overdue_at is None


def test_staff_who_entered_a_demand_can_follow_it_before_dispatch(world):
    from redchain.demands.models import Demand as D

    demand = s.demand_submit(
        actor=world.harry, zone=world.zone, title="热线来电", body="企业反映道路破损。", channel="hotline"
    )
    assert D.objects.visible_to(world.harry).filter(pk=demand.pk).exists()
    assert not D.objects.visible_to(world.hannah).filter(pk=demand.pk).exists()


def test_closing_finishes_the_co_handlers_work_orders(world):
    demand = handling(world, disposition="coordinated", co_departments=[world.dept_a2])
    s.demand_reply(actor=world.hannah, demand=demand, text="已协同解决")
    s.demand_rate(actor=world.fiona, demand=demand, level="satisfied")
    statuses = dict(demand.assignments.values_list("department_id", "status"))
    assert statuses == {world.dept_a1.pk: "replied", world.dept_a2.pk: "done"}


def test_a_repeated_external_work_order_number_is_a_clear_error(world):
    s.demand_submit(
        actor=world.alice,
        zone=world.zone,
        title="路灯不亮",
        body="园区北路路灯损坏。",
        channel="12345",
        external_id="GD-1",
    )
    with pytest.raises(ValidationError) as excinfo:
        s.demand_submit(
            actor=world.alice,
            zone=world.zone,
            title="路灯不亮",
            body="重复工单。",
            channel="12345",
            external_id="GD-1",
        )
    assert "external_id" in excinfo.value.message_dict
    assert Demand.objects.filter(external_id="GD-1").count() == 1

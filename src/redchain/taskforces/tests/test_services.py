"""The writes: forward-only transitions, validated dates, permissions and one audit row per change."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from redchain.audit.models import AuditEntry
from redchain.core.errors import ActionRefused, Forbidden
from redchain.orgs import services as org_services
from redchain.taskforces import services
from redchain.taskforces.models import Suggestion, TaskForce, TaskForceMember
from redchain.taskforces.tests.factories import FORMED, adopted, suggestion, task_force, tomorrow

pytestmark = pytest.mark.django_db


def audit_actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- task forces ------------------------------------------------------------------------------------


def test_enterprise_contact_forms_a_task_force_for_own_branch(world):
    team = task_force(world.branch_x, actor=world.fiona)

    assert (team.zone, team.enterprise, team.status) == (world.zone, world.firm_x, "active")
    assert audit_actions(team) == ["task_force.create"]
    assert AuditEntry.objects.get(action="task_force.create").zone_id == world.zone.pk


@pytest.mark.parametrize(
    ("persona", "branch"),
    [
        ("fiona", "branch_y"),
        ("frank", "branch_x"),
        ("ivan", "branch_x"),
        ("leo", "branch_x"),
        ("hannah", "branch_x"),
    ],
)
def test_users_cannot_form_task_forces_outside_what_they_manage(world, persona, branch):
    with pytest.raises(Forbidden):
        task_force(getattr(world, branch), actor=world.persona(persona))
    assert not TaskForce.objects.exists()


def test_department_staff_manage_their_department_branch_and_zone_admin_any(world):
    task_force(world.branch_a1, actor=world.hannah, name="政策服务队", kind="service")
    task_force(world.branch_y, actor=world.alice)
    with pytest.raises(Forbidden):
        task_force(world.branch_a1, actor=world.harry, name="另一队")
    with pytest.raises(Forbidden):
        task_force(world.other_branch, actor=world.alice)
    assert TaskForce.objects.count() == 2


def test_formed_on_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as caught:
        task_force(world.branch_x, formed_on=tomorrow())
    assert "formed_on" in caught.value.message_dict
    assert not TaskForce.objects.exists()


def test_name_is_unique_per_organisation(world):
    task_force(world.branch_x)
    with pytest.raises(ValidationError):
        task_force(world.branch_x)
    task_force(world.branch_y)  # the same name elsewhere is fine
    assert TaskForce.objects.count() == 2


def test_enterprise_of_another_zone_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        task_force(world.branch_x, enterprise=world.other_firm)
    assert "enterprise" in caught.value.message_dict


def test_members_one_leader_each_member_once_and_only_of_the_zone(world):
    team = task_force(world.branch_x)
    services.task_force_add_member(actor=world.fiona, task_force=team, member=world.member_x, role="leader")
    invited = services.task_force_add_member(actor=None, task_force=team, member=world.member_y)

    assert invited.joined_on == FORMED and invited.is_invited
    assert not TaskForceMember.objects.get(member=world.member_x).is_invited
    with pytest.raises(ValidationError, match="已是本攻关小组成员"):
        services.task_force_add_member(actor=None, task_force=team, member=world.member_x)
    with pytest.raises(ValidationError) as caught:
        services.task_force_add_member(actor=None, task_force=team, member=world.other_member)
    assert "member" in caught.value.message_dict
    extra = org_services.party_member_create(actor=None, org=world.branch_x, name="赵六")
    with pytest.raises(ValidationError) as caught:
        services.task_force_add_member(actor=None, task_force=team, member=extra, role="leader")
    assert "role" in caught.value.message_dict
    assert team.members.count() == 2
    assert audit_actions(team).count("task_force.member_add") == 2


def test_member_cannot_join_before_the_team_formed(world):
    team = task_force(world.branch_x)
    with pytest.raises(ValidationError) as caught:
        services.task_force_add_member(
            actor=None, task_force=team, member=world.member_x, joined_on=FORMED - timedelta(days=1)
        )
    assert "joined_on" in caught.value.message_dict


def test_finish_records_result_and_benefit_then_nothing_changes(world):
    team = task_force(world.branch_x)
    done = services.task_force_finish(
        actor=world.fiona,
        task_force=team,
        finished_on=date(2025, 6, 1),
        result="节拍降至 54 秒",
        benefit_wan="86.5",
    )

    assert (done.status, done.finished_on, done.benefit_wan) == ("done", date(2025, 6, 1), Decimal("86.50"))
    assert audit_actions(team) == ["task_force.create", "task_force.finish"]
    with pytest.raises(ActionRefused):
        services.task_force_add_member(actor=None, task_force=team, member=world.member_x)
    with pytest.raises(ActionRefused):
        services.task_force_disband(actor=None, task_force=team, finished_on=date(2025, 6, 2), reason="重复")
    with pytest.raises(ActionRefused):
        services.task_force_update(actor=None, task_force=team, name="新名字")


@pytest.mark.parametrize(
    ("finished_on", "result"), [(FORMED - timedelta(days=1), "完成"), (None, "完成"), (FORMED, "  ")]
)
def test_finish_refuses_bad_dates_and_empty_results(world, finished_on, result):
    team = task_force(world.branch_x)
    with pytest.raises(ValidationError):
        services.task_force_finish(
            actor=None, task_force=team, finished_on=finished_on or tomorrow(), result=result
        )
    team.refresh_from_db()
    assert team.status == "active" and team.finished_on is None


def test_disband_needs_a_reason_and_instructor_cannot_disband(world):
    team = task_force(world.branch_x)
    with pytest.raises(Forbidden):
        services.task_force_disband(actor=world.ivan, task_force=team, finished_on=FORMED, reason="项目取消")
    with pytest.raises(ValidationError):
        services.task_force_disband(actor=world.fiona, task_force=team, finished_on=FORMED, reason="")
    services.task_force_disband(actor=world.fiona, task_force=team, finished_on=FORMED, reason="项目取消")
    team.refresh_from_db()
    assert (team.status, team.result) == ("disbanded", "项目取消")


def test_update_changes_description_with_an_audited_diff(world):
    team = task_force(world.branch_x)
    services.task_force_update(actor=world.fiona, task_force=team, goal="节拍降至 50 秒", kind="shock")
    entry = AuditEntry.objects.get(action="task_force.update")
    assert entry.changes["goal"] == ["节拍由 62 秒降至 55 秒", "节拍降至 50 秒"]
    assert TaskForce.objects.get(pk=team.pk).kind == "shock"


# --- suggestions ------------------------------------------------------------------------------------


def test_suggestion_to_a_task_force_belongs_to_its_branch_and_enterprise(world):
    team = task_force(world.branch_x)
    item = suggestion(task_force=team, actor=world.fiona, submitter=world.member_x)

    assert (item.org, item.enterprise, item.status, item.submitted_by) == (
        world.branch_x,
        world.firm_x,
        "collected",
        "张三",
    )
    assert item.submitter_name == ""
    assert audit_actions(item) == ["suggestion.submit"]


def test_suggestion_needs_a_target_and_a_submitter(world):
    with pytest.raises(ValidationError) as caught:
        suggestion(None)
    assert "org" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        suggestion(world.branch_x, submitter_name="")
    assert "submitter_name" in caught.value.message_dict
    team = task_force(world.branch_x)
    with pytest.raises(ValidationError) as caught:
        suggestion(world.branch_y, task_force=team)
    assert "task_force" in caught.value.message_dict
    assert not Suggestion.objects.exists()


def test_suggestion_moves_forward_collected_adopted_implemented(world):
    item = suggestion(world.branch_x)
    services.suggestion_adopt(actor=world.fiona, suggestion=item, adopted_on=date(2025, 3, 20))
    done = services.suggestion_implement(
        actor=world.fiona,
        suggestion=item,
        implemented_on=date(2025, 4, 30),
        benefit_wan=Decimal("12.5"),
        other_benefit="返工率下降 40%",
    )

    assert (done.status, done.adopted_on, done.implemented_on, done.benefit_wan) == (
        "implemented",
        date(2025, 3, 20),
        date(2025, 4, 30),
        Decimal("12.50"),
    )
    assert audit_actions(item) == ["suggestion.submit", "suggestion.adopt", "suggestion.implement"]
    assert AuditEntry.objects.get(action="suggestion.adopt").changes["status"] == ["collected", "adopted"]
    for step in (
        lambda: services.suggestion_adopt(actor=None, suggestion=item, adopted_on=date(2025, 5, 1)),
        lambda: services.suggestion_reject(
            actor=None, suggestion=item, reason="不行", rejected_on=date(2025, 5, 1)
        ),
        lambda: services.suggestion_update(actor=None, suggestion=item, title="改"),
    ):
        with pytest.raises(ActionRefused):
            step()


def test_implementing_needs_adoption_first(world):
    item = suggestion(world.branch_x)
    with pytest.raises(ActionRefused):
        services.suggestion_implement(actor=None, suggestion=item, implemented_on=date(2025, 4, 1))
    assert Suggestion.objects.get(pk=item.pk).status == "collected"


@pytest.mark.parametrize(
    ("step", "field"),
    [
        (
            lambda item: services.suggestion_adopt(actor=None, suggestion=item, adopted_on=date(2025, 3, 1)),
            "adopted_on",
        ),
        (
            lambda item: services.suggestion_adopt(actor=None, suggestion=item, adopted_on=tomorrow()),
            "adopted_on",
        ),
        (
            lambda item: services.suggestion_reject(
                actor=None, suggestion=item, reason="x", rejected_on=date(2025, 3, 2)
            ),
            "rejected_on",
        ),
        (
            lambda item: services.suggestion_reject(
                actor=None, suggestion=item, reason=" ", rejected_on=date(2025, 4, 1)
            ),
            "reason",
        ),
    ],
)
def test_steps_refuse_dates_before_the_previous_step_or_in_the_future(world, step, field):
    item = suggestion(world.branch_x)  # submitted 2025-03-11
    with pytest.raises(ValidationError) as caught:
        step(item)
    assert field in caught.value.message_dict
    assert Suggestion.objects.get(pk=item.pk).status == "collected"
    assert audit_actions(item) == ["suggestion.submit"]


def test_implementation_date_cannot_precede_adoption(world):
    item = adopted(world.branch_x)
    with pytest.raises(ValidationError) as caught:
        services.suggestion_implement(
            actor=None, suggestion=item, implemented_on=item.adopted_on - timedelta(days=1)
        )
    assert "implemented_on" in caught.value.message_dict


def test_rejection_at_either_step_keeps_the_adoption_date(world):
    first = suggestion(world.branch_x)
    services.suggestion_reject(
        actor=world.fiona, suggestion=first, reason="成本过高", rejected_on=date(2025, 4, 1)
    )
    second = adopted(world.branch_x, title="改进工装夹具")
    services.suggestion_reject(
        actor=world.fiona, suggestion=second, reason="产线改造推迟", rejected_on=date(2025, 5, 1)
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.adopted_on, first.rejection_reason) == ("rejected", None, "成本过高")
    assert (second.status, second.adopted_on) == ("rejected", date(2025, 3, 16))
    assert AuditEntry.objects.filter(action="suggestion.reject").count() == 2


def test_instructor_and_other_firm_cannot_decide_suggestions(world):
    item = suggestion(world.branch_x)
    for persona in ("ivan", "frank", "harry", "zara"):
        with pytest.raises(Forbidden):
            services.suggestion_adopt(
                actor=world.persona(persona), suggestion=item, adopted_on=date(2025, 4, 1)
            )
    assert Suggestion.objects.get(pk=item.pk).status == "collected"


def test_benefit_cannot_be_negative(world):
    item = adopted(world.branch_x)
    with pytest.raises(ValidationError):
        services.suggestion_implement(
            actor=None, suggestion=item, implemented_on=date(2025, 5, 1), benefit_wan=Decimal("-1")
        )
    assert Suggestion.objects.get(pk=item.pk).status == "adopted"

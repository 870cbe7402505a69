"""The pairing services: permission, validation, state changes and the audit trail."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from redchain.audit.models import AuditEntry
from redchain.core.errors import ActionRefused, Forbidden
from redchain.pairings import services
from redchain.pairings.models import Pairing, PairingProject, PairingPromise
from redchain.pairings.tests.factories import START, pairing

pytestmark = pytest.mark.django_db


def test_handler_pairs_own_department_org_and_the_change_is_audited(world):
    created = services.pairing_create(
        actor=world.hannah,
        zone=world.zone,
        agency_org=world.branch_a1,
        partner_kind="enterprise",
        partner_enterprise=world.firm_z,
        started_on=START,
    )
    assert created.name == "企业服务局党支部—智算科技有限公司"
    assert created.status == Pairing.Status.ACTIVE
    entry = AuditEntry.objects.get(action="pairing.create")
    assert (entry.actor, entry.zone_id, entry.object_id) == (world.hannah, world.zone.pk, str(created.pk))


@pytest.mark.parametrize("persona", ["harry", "fiona", "ivan", "zara", "nora"])
def test_others_cannot_pair_a_departments_org(world, persona):
    with pytest.raises(Forbidden):
        services.pairing_create(
            actor=world.persona(persona),
            zone=world.zone,
            agency_org=world.branch_a1,
            partner_kind="village",
            partner_name="龙泉村",
            started_on=START,
        )
    assert not Pairing.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"partner_kind": "enterprise", "partner_name": ""}, "partner_enterprise"),
        ({"partner_kind": "branch", "partner_name": ""}, "partner_party_org"),
        ({"partner_kind": "village", "partner_name": " "}, "partner_name"),
        ({"started_on": date.today() + timedelta(days=2)}, "started_on"),  # noqa: DTZ011
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(world, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        pairing(world, **kwargs)
    assert field in caught.value.message_dict
    assert not Pairing.objects.exists()
    assert not AuditEntry.objects.filter(action="pairing.create").exists()


def test_an_enterprise_org_cannot_be_the_agency_and_zones_do_not_mix(world):
    with pytest.raises(ValidationError):
        pairing(world, agency=world.branch_x)
    with pytest.raises(ValidationError):
        pairing(world, partner_kind="enterprise", partner_name="", partner_enterprise=world.other_firm)


def test_a_second_active_pairing_with_the_same_partner_is_refused(world):
    pairing(world)
    with pytest.raises(ValidationError):
        pairing(world)


def test_funds_are_delivered_in_full_only_when_the_whole_amount_arrived(world, pairings):
    promise = services.promise_deliver(
        actor=world.hannah, promise=pairings.promise, delivered_on=date(2025, 2, 20), amount_wan=Decimal("8")
    )
    assert promise.status == PairingPromise.Status.PARTLY_DELIVERED
    promise = services.promise_deliver(
        actor=world.hannah,
        promise=promise,
        delivered_on=date(2025, 3, 5),
        amount_wan=Decimal("12"),
        note="到位",
    )
    assert (promise.status, promise.delivered_amount_wan) == (PairingPromise.Status.DELIVERED, Decimal("20"))
    assert AuditEntry.objects.filter(action="pairing.promise_deliver", object_id=str(promise.pk)).count() == 2
    with pytest.raises(ActionRefused):
        services.promise_deliver(
            actor=world.hannah, promise=promise, delivered_on=date(2025, 3, 6), amount_wan=1
        )


def test_an_undelivered_promise_past_its_due_date_is_overdue(world, pairings):
    assert pairings.promise.is_overdue
    later = services.promise_add(
        actor=world.alice,
        pairing=pairings.with_x,
        kind="policy",
        description="宣讲惠企政策",
        promised_on=timezone.localdate(),
        due_on=timezone.localdate() + timedelta(days=30),
    )
    assert not later.is_overdue


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "funds", "amount_wan": None}, "amount_wan"),
        ({"due_on": date(2025, 1, 10)}, "due_on"),
        ({"promised_on": date(2024, 12, 1), "due_on": date(2025, 1, 30)}, "promised_on"),
    ],
)
def test_promise_dates_and_amounts_are_checked(world, pairings, kwargs, field):
    values = {
        "kind": "policy",
        "description": "政策",
        "promised_on": date(2025, 2, 1),
        "due_on": date(2025, 3, 1),
    }
    with pytest.raises(ValidationError) as caught:
        services.promise_add(actor=world.hannah, pairing=pairings.with_x, **{**values, **kwargs})
    assert field in caught.value.message_dict
    assert pairings.with_x.promises.count() == 1


def test_a_delivery_cannot_predate_the_promise_or_lie_ahead(world, pairings):
    for day in (date(2025, 1, 31), timezone.localdate() + timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.promise_deliver(
                actor=world.hannah, promise=pairings.promise, delivered_on=day, amount_wan=Decimal("1")
            )
    pairings.promise.refresh_from_db()
    assert pairings.promise.status == PairingPromise.Status.PROMISED


def test_project_moves_from_planned_to_done_with_dates_and_outcome(world, pairings):
    project = services.project_set_status(
        actor=world.hannah, project=pairings.project, status="in_progress", on=date(2025, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.project_set_status(actor=world.hannah, project=project, status="done", on=date(2025, 4, 1))
    project = services.project_set_status(
        actor=world.hannah, project=project, status="done", on=date(2025, 4, 1), outcome="惠及 120 名学生"
    )
    assert (project.status, project.started_on, project.completed_on) == (
        "done",
        date(2025, 3, 1),
        date(2025, 4, 1),
    )
    assert AuditEntry.objects.filter(action="pairing.project_status").count() == 2


def test_a_done_project_cannot_move_and_planned_cannot_jump_to_done(world, pairings):
    with pytest.raises(ActionRefused):
        services.project_set_status(
            actor=world.hannah, project=pairings.project, status="done", on=date(2025, 4, 1), outcome="x"
        )
    assert PairingProject.objects.get(pk=pairings.project.pk).status == "planned"


def test_readers_cannot_change_a_pairing(world, pairings):
    for persona in ("fiona", "ivan", "harry"):
        with pytest.raises(Forbidden):
            services.project_set_status(
                actor=world.persona(persona), project=pairings.project, status="in_progress", on=START
            )
        with pytest.raises(Forbidden):
            services.pairing_end(actor=world.persona(persona), pairing=pairings.with_x, ended_on=START)


def test_an_ended_pairing_takes_no_new_promises_or_projects(world, pairings):
    with pytest.raises(ValidationError):
        services.pairing_end(actor=world.alice, pairing=pairings.with_x, ended_on=date(2024, 12, 1))
    ended = services.pairing_end(
        actor=world.leo, pairing=pairings.with_x, ended_on=date(2025, 5, 1), note="期满"
    )
    assert (ended.status, ended.ended_on) == ("ended", date(2025, 5, 1))
    with pytest.raises(ActionRefused):
        services.project_add(actor=world.alice, pairing=ended, title="新项目", kind="other")
    with pytest.raises(ActionRefused):
        services.pairing_end(actor=world.alice, pairing=ended, ended_on=date(2025, 5, 2))


def test_pairing_update_changes_only_editable_fields_and_audits_the_diff(world, pairings):
    updated = services.pairing_update(actor=world.hannah, pairing=pairings.with_village, goals="发展集体经济")
    assert updated.goals == "发展集体经济"
    entry = AuditEntry.objects.get(action="pairing.update")
    assert entry.changes == {"goals": ["", "发展集体经济"]}

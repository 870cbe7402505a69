"""The walking office's writes: who may log and change visits, the date rules, findings turned into demands
(once only) or resolved on the spot, and an audit row for every change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from redchain.audit.models import AuditEntry
from redchain.core.errors import ActionRefused, Forbidden
from redchain.demands.models import Channel, Demand
from redchain.demands.services import demand_submit
from redchain.visits import services
from redchain.visits.models import Visit, VisitFinding
from redchain.visits.tests.factories import make_finding, make_visit

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def log(actor, enterprise, **fields) -> Visit:
    fields.setdefault("visited_on", days_ago(0))
    fields.setdefault("summary", "了解企业用工情况。")
    return services.visit_create(actor=actor, enterprise=enterprise, **fields)


# --- logging a visit ------------------------------------------------------------------------------------


def test_handler_logs_a_visit_for_their_department_with_the_firms_address_by_default(world):
    visit = log(world.hannah, world.firm_x, purpose="onsite_office")

    assert visit.visitor == world.hannah
    assert visit.department == world.dept_a1
    assert visit.zone == world.zone
    assert visit.place == world.firm_x.address
    entry = AuditEntry.objects.get(action="visit.create", object_id=str(visit.pk))
    assert entry.actor == world.hannah
    assert entry.zone_id == world.zone.pk


def test_explicit_place_wins_over_the_address(world):
    assert log(world.hannah, world.firm_x, place="三号车间").place == "三号车间"


def test_instructor_logs_visits_only_to_member_firms_of_the_alliance(world):
    assert log(world.ivan, world.firm_x).department is None
    with pytest.raises(Forbidden):
        log(world.ivan, world.firm_y)  # on the alliance's chain, but not a member


@pytest.mark.parametrize("persona", ["fiona", "frank", "nora", "zara"])
def test_enterprise_contacts_outsiders_and_other_zones_cannot_log(world, persona):
    with pytest.raises(Forbidden):
        log(world.persona(persona), world.firm_x)
    assert not Visit.objects.exists()


def test_a_visit_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world.alice, world.firm_x, visited_on=days_ago(-1))
    assert "visited_on" in excinfo.value.message_dict
    assert not Visit.objects.exists()
    assert not AuditEntry.objects.filter(action="visit.create").exists()


def test_only_a_zone_admin_may_log_a_visit_older_than_90_days(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world.hannah, world.firm_x, visited_on=days_ago(91))
    assert "visited_on" in excinfo.value.message_dict

    assert log(world.hannah, world.firm_x, visited_on=days_ago(90)).pk
    assert log(world.alice, world.firm_x, visited_on=days_ago(200)).pk


def test_handler_cannot_log_for_another_department(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world.hannah, world.firm_x, department=world.dept_a2)
    assert "department" in excinfo.value.message_dict


def test_zone_admin_may_log_for_any_department_of_the_zone_but_not_another_zones(world):
    assert log(world.alice, world.firm_x, department=world.dept_a2).department == world.dept_a2
    with pytest.raises(ValidationError):
        log(world.alice, world.firm_x, department=world.other_department)


def test_empty_summary_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world.hannah, world.firm_x, summary="   ")
    assert "summary" in excinfo.value.message_dict
    assert not Visit.objects.exists()


def test_unknown_purpose_is_refused(world):
    with pytest.raises(ValidationError):
        log(world.hannah, world.firm_x, purpose="picnic")


# --- editing ----------------------------------------------------------------------------------------------


def test_visitor_corrects_the_visit_and_the_change_is_audited(world):
    visit = log(world.hannah, world.firm_x)

    services.visit_update(actor=world.hannah, visit=visit, summary="企业计划扩产，需要新增用地。")

    visit.refresh_from_db()
    assert visit.summary == "企业计划扩产，需要新增用地。"
    entry = AuditEntry.objects.get(action="visit.update")
    assert entry.changes["summary"][1] == "企业计划扩产，需要新增用地。"


@pytest.mark.parametrize("persona", ["harry", "leo", "ivan", "fiona"])
def test_only_the_visitor_department_managers_and_admins_change_a_visit(world, persona):
    visit = log(world.hannah, world.firm_x)
    with pytest.raises(Forbidden):
        services.visit_update(actor=world.persona(persona), visit=visit, summary="改")
    assert services.visit_update(actor=world.alice, visit=visit, summary="改").summary == "改"


def test_enterprise_of_a_visit_cannot_change(world):
    visit = log(world.hannah, world.firm_x)
    with pytest.raises(ValidationError):
        services.visit_update(actor=world.alice, visit=visit, enterprise=world.firm_y)


def test_editing_the_date_into_the_future_is_refused(world):
    visit = log(world.hannah, world.firm_x)
    with pytest.raises(ValidationError):
        services.visit_update(actor=world.hannah, visit=visit, visited_on=days_ago(-2))
    visit.refresh_from_db()
    assert visit.visited_on == days_ago(0)


# --- findings ---------------------------------------------------------------------------------------------


def test_visitor_adds_a_finding(world):
    visit = log(world.hannah, world.firm_x)
    finding = services.finding_create(actor=world.hannah, visit=visit, title="缺少技术工人", urgency="urgent")
    assert finding.status == VisitFinding.Status.OPEN
    assert finding.zone_id == world.zone.pk
    assert AuditEntry.objects.filter(action="visit_finding.create", object_id=str(finding.pk)).exists()


def test_others_cannot_add_findings(world):
    visit = log(world.hannah, world.firm_x)
    with pytest.raises(Forbidden):
        services.finding_create(actor=world.fiona, visit=visit, title="我的问题")
    assert not VisitFinding.objects.exists()


def test_finding_needs_a_title(world):
    visit = log(world.hannah, world.firm_x)
    with pytest.raises(ValidationError):
        services.finding_create(actor=world.hannah, visit=visit, title=" ")


def test_turning_a_finding_into_a_demand_submits_it_on_the_visit_channel(world):
    visit = log(world.hannah, world.firm_x)
    finding = make_finding(visit, detail="新厂房投产需要增容 800 千伏安。")

    demand, created = services.finding_refer(actor=world.hannah, finding=finding)

    assert created
    assert demand.channel == Channel.VISIT
    assert demand.enterprise == world.firm_x
    assert demand.title == "新厂房用电增容"
    assert "新厂房投产需要增容" in demand.body
    assert demand.submitted_by == world.hannah
    assert demand.contact_name == world.firm_x.contact_name
    finding.refresh_from_db()
    assert finding.status == VisitFinding.Status.REFERRED
    assert finding.demand == demand
    assert finding.handled_by == world.hannah
    assert AuditEntry.objects.filter(action="visit_finding.refer", object_id=str(finding.pk)).exists()


def test_a_second_click_returns_the_same_demand(world):
    finding = make_finding(log(world.hannah, world.firm_x))
    first, created_first = services.finding_refer(actor=world.hannah, finding=finding)
    # The stale object still says "open": the service re-reads the row under its lock.
    second, created_second = services.finding_refer(actor=world.hannah, finding=finding)

    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Demand.objects.count() == 1


def test_a_finding_resolved_on_the_spot_cannot_become_a_demand(world):
    finding = make_finding(log(world.hannah, world.firm_x))
    services.finding_resolve(actor=world.hannah, finding=finding, note="现场协调供电所，当天解决。")

    with pytest.raises(ActionRefused) as excinfo:
        services.finding_refer(actor=world.hannah, finding=finding)
    assert excinfo.value.status_code == 409
    assert not Demand.objects.exists()


def test_resolving_needs_a_note_and_an_open_finding(world):
    finding = make_finding(log(world.hannah, world.firm_x))
    with pytest.raises(ValidationError):
        services.finding_resolve(actor=world.hannah, finding=finding, note="  ")
    finding.refresh_from_db()
    assert finding.status == VisitFinding.Status.OPEN

    services.finding_refer(actor=world.hannah, finding=finding)
    with pytest.raises(ActionRefused):
        services.finding_resolve(actor=world.hannah, finding=finding, note="已解决")


def test_resolve_records_note_and_audit(world):
    finding = make_finding(log(world.hannah, world.firm_x))
    services.finding_resolve(actor=world.hannah, finding=finding, note="现场讲解政策，企业已明白。")
    finding.refresh_from_db()
    assert finding.status == VisitFinding.Status.RESOLVED
    assert finding.resolution_note == "现场讲解政策，企业已明白。"
    assert AuditEntry.objects.filter(action="visit_finding.resolve").exists()


@pytest.mark.parametrize("persona", ["harry", "ivan", "fiona", "zara"])
def test_others_cannot_turn_or_resolve_findings(world, persona):
    finding = make_finding(log(world.hannah, world.firm_x))
    with pytest.raises(Forbidden):
        services.finding_refer(actor=world.persona(persona), finding=finding)
    with pytest.raises(Forbidden):
        services.finding_resolve(actor=world.persona(persona), finding=finding, note="x")
    assert not Demand.objects.exists()


def test_linking_an_entered_demand_checks_enterprise_and_channel(world):
    finding = make_finding(log(world.hannah, world.firm_x))
    wrong_firm = demand_submit(
        actor=None, zone=world.zone, title="t", body="b", channel=Channel.VISIT, enterprise=world.firm_y
    )
    wrong_channel = demand_submit(actor=None, zone=world.zone, title="t", body="b", enterprise=world.firm_x)
    right = demand_submit(
        actor=None, zone=world.zone, title="t", body="b", channel=Channel.VISIT, enterprise=world.firm_x
    )
    for demand in (wrong_firm, wrong_channel):
        with pytest.raises(ValidationError):
            services.finding_link_demand(actor=None, finding=finding, demand=demand)
    with pytest.raises(Forbidden):
        services.finding_link_demand(actor=world.hannah, finding=finding, demand=right)

    services.finding_link_demand(actor=world.alice, finding=finding, demand=right)
    finding.refresh_from_db()
    assert finding.demand == right

    another = make_finding(finding.visit, title="另一个问题")
    with pytest.raises(ValidationError):
        services.finding_link_demand(actor=None, finding=another, demand=right)


def test_system_must_name_a_visitor(world):
    with pytest.raises(ValidationError):
        services.visit_create(actor=None, enterprise=world.firm_x, visited_on=days_ago(1), summary="x")


def test_factory_visit_takes_the_visitors_department(world):
    assert make_visit(visitor=world.harry, enterprise=world.firm_y).department == world.dept_a2

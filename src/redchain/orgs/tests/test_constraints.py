"""Database invariants of the organisation graph hold even when the services are bypassed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from redchain.audit.models import AuditEntry
from redchain.orgs import services
from redchain.orgs.models import Alliance, Enterprise, PartyOrg
from redchain.orgs.tests.factories import _uscc

pytestmark = pytest.mark.django_db(transaction=False)


def test_paths_follow_the_tree(world):
    assert world.committee.path == f"/{world.committee.pk}/" and world.committee.depth == 0
    assert world.branch_x.path == f"{world.committee.path}{world.branch_x.pk}/" and world.branch_x.depth == 1


def test_move_rewrites_the_whole_subtree_and_is_audited(world):
    group = services.party_org_create(
        actor=world.alice, zone=world.zone, parent=world.branch_x, name="一组", kind="group"
    )
    services.party_org_move(actor=world.alice, org=world.branch_x, new_parent=world.branch_y, reason="合并")
    group.refresh_from_db()
    assert group.path == f"/{world.committee.pk}/{world.branch_y.pk}/{world.branch_x.pk}/{group.pk}/"
    assert group.depth == 3
    entry = AuditEntry.objects.get(action="party_org.move")
    assert entry.actor == world.alice and entry.reason == "合并"


def test_service_refuses_moving_an_org_under_its_own_descendant(world):
    child = services.party_org_create(
        actor=None, zone=world.zone, parent=world.branch_x, name="一组", kind="group"
    )
    with pytest.raises(ValidationError):
        services.party_org_move(actor=None, org=world.branch_x, new_parent=child)


def test_database_refuses_a_cycle_made_behind_the_services_back(world):
    child = services.party_org_create(
        actor=None, zone=world.zone, parent=world.branch_x, name="一组", kind="group"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrg.objects.filter(pk=world.branch_x.pk).update(parent=child)


def test_database_refuses_an_org_as_its_own_parent(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrg.objects.filter(pk=world.branch_x.pk).update(parent=world.branch_x.pk)


def test_only_one_working_committee_per_zone(world):
    with pytest.raises(ValidationError):
        services.party_org_create(actor=None, zone=world.zone, name="第二党工委", kind="working_committee")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrg.objects.create(zone=world.zone, name="第二党工委", kind="working_committee", path="/x/")


def test_a_branch_needs_a_parent(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrg.objects.create(zone=world.zone, name="孤儿支部", kind="branch")


def test_uscc_is_unique_per_zone_but_not_across_zones(world):
    with pytest.raises(ValidationError):
        services.enterprise_create(actor=None, zone=world.zone, name="重复", uscc=world.firm_x.uscc)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(zone=world.zone, name="重复", uscc=world.firm_x.uscc)
    services.enterprise_create(actor=None, zone=world.other_zone, name="同码异区", uscc=world.firm_x.uscc)


def test_enterprise_with_a_bad_uscc_is_refused_and_nothing_is_written(world):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.enterprise_create(actor=None, zone=world.zone, name="坏码", uscc=_uscc(1)[:-1] + "0")
    assert "uscc" in excinfo.value.message_dict
    assert AuditEntry.objects.count() == before


def test_one_alliance_per_chain_per_zone(world):
    with pytest.raises(ValidationError):
        services.alliance_create(actor=None, zone=world.zone, chain=world.chain1, name="另一个联盟")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alliance.objects.create(zone=world.zone, chain=world.chain1, core=world.committee, name="另一个联盟")


def test_alliance_member_must_match_its_kind(world):
    with pytest.raises(ValidationError):
        services.alliance_member_add(actor=None, alliance=world.alliance2, kind="finance", external_name="")
    member = services.alliance_member_add(
        actor=None, alliance=world.alliance2, kind="finance", external_name="锦城银行"
    )
    assert member.display_name == "锦城银行"


def test_alliance_member_from_another_zone_is_refused(world):
    with pytest.raises(ValidationError):
        services.alliance_member_add(actor=None, alliance=world.alliance1, enterprise=world.other_firm)


def test_enterprise_update_records_what_changed(world):
    services.enterprise_update(
        actor=world.alice, enterprise=world.firm_y, scale="above", qualifications=["specialised"]
    )
    entry = AuditEntry.objects.filter(action="enterprise.update").get()
    assert entry.changes["scale"] == ["below", "above"]
    assert entry.changes["qualifications"] == [[], ["specialised"]]


def test_membership_scope_must_match_role(world):
    from redchain.accounts.models import Membership

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.nora, zone=world.zone, role="handler")  # no department


def test_audit_refuses_to_write_outside_a_transaction(transactional_db):
    from redchain.audit.services import audit_record
    from redchain.orgs.models import Zone

    zone = Zone.objects.create(name="无事务区", code="no-tx")
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", obj=zone)
    assert not AuditEntry.objects.exists()

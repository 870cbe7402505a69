"""visible_to(user) for pairings, promises and projects, for every persona."""

import pytest
from django.contrib.auth.models import AnonymousUser

from redchain.pairings.models import Pairing, PairingProject, PairingPromise

pytestmark = pytest.mark.django_db


def names(user):
    return set(Pairing.objects.visible_to(user).values_list("name", flat=True))


def test_anonymous_and_members_of_nothing_see_no_pairing(world, pairings):
    for user in (AnonymousUser(), world.nora):
        for model in (Pairing, PairingPromise, PairingProject):
            assert not model.objects.visible_to(user).exists()


@pytest.mark.parametrize("persona", ["alice", "leo"])
def test_zone_wide_roles_see_every_pairing_of_their_zone_only(world, pairings, persona):
    seen = set(Pairing.objects.visible_to(world.persona(persona)))
    assert seen == {
        pairings.with_x,
        pairings.with_branch_y,
        pairings.with_village,
        pairings.a2_with_community,
    }


def test_zone_b_admin_sees_only_zone_b(world, pairings):
    assert set(Pairing.objects.visible_to(world.zara)) == {pairings.other_zone}


def test_department_staff_see_their_own_agencys_pairings(world, pairings):
    assert set(Pairing.objects.visible_to(world.hannah)) == {
        pairings.with_x,
        pairings.with_branch_y,
        pairings.with_village,
    }
    assert set(Pairing.objects.visible_to(world.harry)) == {pairings.a2_with_community}


def test_enterprise_contact_sees_pairings_with_their_firm_or_its_branch(world, pairings):
    assert set(Pairing.objects.visible_to(world.fiona)) == {pairings.with_x}
    assert set(Pairing.objects.visible_to(world.frank)) == {pairings.with_branch_y}


def test_instructor_sees_pairings_with_alliance_member_firms(world, pairings):
    # Firm X is a member of alliance 1; firm Y (only on the chain) is not.
    assert set(Pairing.objects.visible_to(world.ivan)) == {pairings.with_x}


def test_promises_and_projects_follow_their_pairing(world, pairings):
    assert list(PairingPromise.objects.visible_to(world.fiona)) == [pairings.promise]
    assert list(PairingProject.objects.visible_to(world.ivan)) == [pairings.project]
    assert not PairingPromise.objects.visible_to(world.harry).exists()
    assert not PairingProject.objects.visible_to(world.frank).exists()
    assert not PairingProject.objects.visible_to(world.zara).exists()

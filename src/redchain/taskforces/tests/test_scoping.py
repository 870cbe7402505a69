"""visible_to(user) for task forces, members and suggestions: scope follows the party organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser

from redchain.orgs import services as org_services
from redchain.taskforces.models import Suggestion, TaskForce, TaskForceMember
from redchain.taskforces.permissions import manageable_orgs, may_manage

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def titles(qs):
    return set(qs.values_list("title", flat=True))


def test_nobody_outside_a_zone_sees_anything(world, work):
    for user in (AnonymousUser(), world.nora):
        for model in (TaskForce, TaskForceMember, Suggestion):
            assert not model.objects.visible_to(user).exists()


@pytest.mark.parametrize("persona", ["alice", "leo"])
def test_zone_wide_roles_see_their_zone_only(world, work, persona):
    user = world.persona(persona)
    assert names(TaskForce.objects.visible_to(user)) == {
        "星辰焊装攻关小组",
        "云帆电芯突击队",
        "惠企政策服务队",
    }
    assert Suggestion.objects.visible_to(user).count() == 5
    assert work.idea_b not in Suggestion.objects.visible_to(user)


def test_department_staff_see_their_department_branch_only(world, work):
    assert names(TaskForce.objects.visible_to(world.hannah)) == {"惠企政策服务队"}
    assert titles(Suggestion.objects.visible_to(world.hannah)) == {"企业诉求清单化"}
    assert not TaskForce.objects.visible_to(world.harry).exists()
    assert not Suggestion.objects.visible_to(world.harry).exists()


def test_instructor_sees_alliance_member_branches(world, work):
    assert names(TaskForce.objects.visible_to(world.ivan)) == {"星辰焊装攻关小组"}
    assert titles(Suggestion.objects.visible_to(world.ivan)) == {
        "焊装夹具快换改造",
        "余热回收利用",
        "优化仓储动线",
    }
    assert TaskForceMember.objects.visible_to(world.ivan).count() == 1


def test_enterprise_contacts_see_their_own_firm_only(world, work):
    assert names(TaskForce.objects.visible_to(world.fiona)) == {"星辰焊装攻关小组"}
    assert names(TaskForce.objects.visible_to(world.frank)) == {"云帆电芯突击队"}
    assert titles(Suggestion.objects.visible_to(world.frank)) == {"电芯分容节能"}
    assert not TaskForceMember.objects.visible_to(world.frank).exists()


def test_zone_b_admin_sees_only_zone_b(world, work):
    assert names(TaskForce.objects.visible_to(world.zara)) == {"远方制造先锋队"}
    assert titles(Suggestion.objects.visible_to(world.zara)) == {"远方降本增效"}


def test_who_may_manage_which_organisation(world):
    assert set(manageable_orgs(world.fiona)) == {world.branch_x}
    assert set(manageable_orgs(world.hannah)) == {world.branch_a1}
    assert not manageable_orgs(world.ivan).exists()
    assert not manageable_orgs(world.leo).exists()
    assert world.other_branch not in manageable_orgs(world.alice)
    assert may_manage(world.alice, world.branch_y) and not may_manage(world.alice, world.other_branch)
    assert may_manage(world.fiona, world.branch_x) and not may_manage(world.fiona, world.branch_y)
    assert not may_manage(world.ivan, world.branch_x)


def test_organisations_below_an_owned_one_are_managed_too(world):
    group = org_services.party_org_create(
        actor=None, zone=world.zone, parent=world.branch_x, name="焊装车间党小组", kind="group"
    )
    assert may_manage(world.fiona, group)
    assert group in manageable_orgs(world.fiona)
    assert not may_manage(world.frank, group)

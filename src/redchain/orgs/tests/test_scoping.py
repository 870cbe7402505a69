"""visible_to(user) for every org-graph model, for every persona."""

import pytest
from django.contrib.auth.models import AnonymousUser

from redchain.orgs.models import Alliance, Department, Enterprise, IndustryChain, PartyMember, PartyOrg, Zone

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_anonymous_sees_nothing(world):
    anon = AnonymousUser()
    for model in (Zone, Department, IndustryChain, Alliance, Enterprise, PartyOrg, PartyMember):
        assert not model.objects.visible_to(anon).exists()


def test_user_without_membership_sees_nothing(world):
    for model in (Zone, Department, IndustryChain, Alliance, Enterprise, PartyOrg, PartyMember):
        assert not model.objects.visible_to(world.nora).exists()


@pytest.mark.parametrize("persona", ["alice", "leo"])
def test_zone_wide_roles_see_their_whole_zone_and_nothing_of_another(world, persona):
    user = world.persona(persona)
    assert names(Enterprise.objects.visible_to(user)) == {
        "星辰汽车有限公司",
        "云帆电池有限公司",
        "智算科技有限公司",
    }
    assert PartyOrg.objects.visible_to(user).count() == 4
    assert names(PartyMember.objects.visible_to(user)) == {"张三", "李四"}
    assert world.other_firm not in Enterprise.objects.visible_to(user)


def test_handler_sees_all_enterprises_but_only_own_department_party_orgs(world):
    assert Enterprise.objects.visible_to(world.hannah).count() == 3
    assert names(PartyOrg.objects.visible_to(world.hannah)) == {"企业服务局党支部"}
    assert names(PartyOrg.objects.visible_to(world.harry)) == set()
    assert not PartyMember.objects.visible_to(world.hannah).exists()


def test_enterprise_contact_sees_only_own_enterprise(world):
    assert names(Enterprise.objects.visible_to(world.fiona)) == {"星辰汽车有限公司"}
    assert names(Enterprise.objects.visible_to(world.frank)) == {"云帆电池有限公司"}
    assert names(PartyOrg.objects.visible_to(world.fiona)) == {"星辰汽车党支部"}
    assert names(PartyMember.objects.visible_to(world.frank)) == {"李四"}


def test_instructor_sees_alliance_members_and_chain_enterprises(world):
    assert names(Enterprise.objects.visible_to(world.ivan)) == {"星辰汽车有限公司", "云帆电池有限公司"}
    assert names(PartyOrg.objects.visible_to(world.ivan)) == {"星辰汽车党支部"}


def test_zone_structure_is_visible_to_every_member_of_the_zone_only(world):
    for persona in ("alice", "hannah", "ivan", "fiona"):
        user = world.persona(persona)
        assert names(Alliance.objects.visible_to(user)) == {"新能源汽车党建联盟", "数字科技党建联盟"}
        assert Department.objects.visible_to(user).count() == 2
        assert IndustryChain.objects.visible_to(user).count() == 2
    assert names(Alliance.objects.visible_to(world.zara)) == {"乙区新能源联盟"}

"""Who sees which visit: ``Visit.objects.visible_to(user)`` and the findings that follow their visit."""

import pytest

from redchain.visits.models import Visit, VisitFinding
from redchain.visits.permissions import sees_internal_note
from redchain.visits.tests.factories import make_visit

pytestmark = pytest.mark.django_db

EXPECTED = {
    "alice": {"a1_x", "a2_y", "a2_z"},
    "leo": {"a1_x", "a2_y", "a2_z"},
    "hannah": {"a1_x"},
    "harry": {"a2_y", "a2_z"},
    "ivan": {"a1_x"},  # firm X is the alliance's member; Y is only on its chain
    "fiona": {"a1_x"},
    "frank": {"a2_y"},
    "nora": set(),
    "zara": {"other"},
}


def visible(scene, user) -> set[str]:
    names = {getattr(scene, name).pk: name for name in ("a1_x", "a2_y", "a2_z", "other")}
    return {names[pk] for pk in Visit.objects.visible_to(user).values_list("pk", flat=True)}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_sees_exactly_their_visits(world, scene, persona):
    assert visible(scene, world.persona(persona)) == EXPECTED[persona]


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_findings_follow_their_visit(world, scene, persona):
    user = world.persona(persona)
    visits = set(Visit.objects.visible_to(user).values_list("pk", flat=True))
    findings = VisitFinding.objects.visible_to(user)
    assert {f.visit_id for f in findings} <= visits
    assert findings.count() == VisitFinding.objects.filter(visit_id__in=visits).count()


def test_a_visitor_always_sees_their_own_visits(world):
    # Ivan has no department: the visit is visible to him because he logged it, not to other departments.
    visit = make_visit(visitor=world.ivan, enterprise=world.firm_x)
    assert Visit.objects.visible_to(world.ivan).filter(pk=visit.pk).exists()
    assert not Visit.objects.visible_to(world.harry).filter(pk=visit.pk).exists()


def test_anonymous_sees_nothing(world, scene):
    from django.contrib.auth.models import AnonymousUser

    assert not Visit.objects.visible_to(AnonymousUser()).exists()


def test_internal_note_is_hidden_from_the_enterprise_contact_only(world, scene):
    visit = scene.a1_x
    assert not sees_internal_note(world.fiona, visit)
    for persona in ("alice", "leo", "hannah", "ivan"):
        assert sees_internal_note(world.persona(persona), visit), persona

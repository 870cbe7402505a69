"""Who sees which alliance's records: one ``visible_to`` per model, read by pages, exports and the API."""

import pytest

from redchain.mechanisms import selectors
from redchain.mechanisms.models import ActionItem, Activity, Attendance, Commitment, Meeting, Pact, Place
from redchain.mechanisms.tests.factories import build_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    return build_records(world)


def alliances_seen(model, user) -> set[int]:
    field = {"Commitment": "pact__alliance_id", "Attendance": "meeting__alliance_id"}.get(
        model.__name__, "alliance_id"
    )
    return set(model.objects.visible_to(user).values_list(field, flat=True))


MODELS = (Meeting, Attendance, ActionItem, Pact, Commitment, Activity)


def test_zone_admin_and_leader_see_every_alliance_of_their_zone_only(world, records):
    for persona in (world.alice, world.leo):
        for model in MODELS:
            assert alliances_seen(model, persona) == {world.alliance1.pk, world.alliance2.pk}, model


def test_instructor_sees_only_their_alliance(world, records):
    for model in MODELS:
        assert alliances_seen(model, world.ivan) == {world.alliance1.pk}, model


def test_department_staff_see_alliances_their_department_is_a_member_of(world, records):
    for model in MODELS:
        assert alliances_seen(model, world.hannah) == {world.alliance1.pk}, model
        assert alliances_seen(model, world.harry) == set(), model


def test_enterprise_contact_sees_alliances_their_enterprise_is_a_member_of(world, records):
    for model in MODELS:
        assert alliances_seen(model, world.fiona) == {world.alliance1.pk}, model
        assert alliances_seen(model, world.frank) == set(), model


def test_zone_b_admin_sees_only_zone_b_and_nora_nothing(world, records):
    for model in MODELS:
        assert alliances_seen(model, world.zara) == {world.other_alliance.pk}, model
        assert alliances_seen(model, world.nora) == set(), model


def test_zone_wide_places_are_public_in_the_zone_alliance_places_follow_the_alliance(world, records):
    def seen(user):
        return set(Place.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(world.alice) == {records.place1.pk, records.zone_place.pk, records.place2.pk}
    assert seen(world.frank) == {records.zone_place.pk}
    assert seen(world.fiona) == {records.place1.pk, records.zone_place.pk}
    assert seen(world.zara) == {records.other_place.pk}
    assert seen(world.nora) == set()


def test_detail_getters_raise_outside_scope(world, records):
    with pytest.raises(Meeting.DoesNotExist):
        selectors.meeting_get(user=world.ivan, pk=records.meeting2.pk)
    with pytest.raises(Pact.DoesNotExist):
        selectors.pact_get(user=world.alice, pk=records.other_pact.pk)
    with pytest.raises(Commitment.DoesNotExist):
        selectors.commitment_get(user=world.frank, pk=records.commitment_x.pk)
    with pytest.raises(ActionItem.DoesNotExist):
        selectors.action_item_get(user=world.harry, pk=records.item_x.pk)


def test_overview_counts_only_what_the_reader_sees(world, records):
    lines = selectors.overview(user=world.fiona, zone_id=world.zone.pk, year=records.meeting1.year)

    assert [line.alliance for line in lines] == [world.alliance1]
    line = lines[0]
    assert (line.held, line.missed, line.open_items, line.overdue_items) == (1, 0, 2, 2)
    assert (line.commitments, line.fulfilled, line.activity_total) == (2, 0, 1)


def test_managed_alliances(world, records):
    assert set(selectors.managed_alliances(user=world.alice, zone_id=world.zone.pk)) == {
        world.alliance1,
        world.alliance2,
    }
    assert list(selectors.managed_alliances(user=world.ivan, zone_id=world.zone.pk)) == [world.alliance1]
    assert not selectors.managed_alliances(user=world.hannah, zone_id=world.zone.pk).exists()

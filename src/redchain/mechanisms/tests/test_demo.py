"""The demo's alliance mechanisms: built through the services, dated before the anchor, seen by every account."""

import pytest

from redchain.accounts.models import User
from redchain.demo import data, generator, work_mechanisms
from redchain.demo.fakes import Fakes
from redchain.demo.generator import load_demo
from redchain.mechanisms import selectors
from redchain.mechanisms.models import ActionItem, Activity, Commitment, Meeting, Pact, Place
from redchain.orgs.models import Alliance, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(db, monkeypatch) -> Zone:
    """The demo zone without the other issue-5 apps' records, then this app's build on top of it."""
    monkeypatch.setattr(generator, "_party_work", lambda zone, stdout: None)
    load_demo(demand_count=0)
    zone = Zone.objects.get(code=data.ZONE["code"])
    line = work_mechanisms.build(zone=zone, fakes=Fakes(data.SEED).stage(work_mechanisms.__name__))
    assert "alliance meetings" in line
    return zone


def test_demo_builds_a_year_of_alliance_work_visible_to_every_account(zone):
    alliances = list(Alliance.objects.filter(zone=zone).order_by("chain__position", "id"))
    assert len(alliances) == 7
    for alliance in alliances:
        held = Meeting.objects.filter(alliance=alliance, kind="bimonthly", status="held").count()
        assert 4 <= held <= 6, alliance
        assert Pact.objects.filter(alliance=alliance).count() == 1
    assert 1 <= Meeting.objects.filter(zone=zone, status="missed").count() <= 7
    assert 60 <= Activity.objects.filter(zone=zone).count() <= 120
    assert 13 <= Place.objects.filter(zone=zone).count() <= 17
    items = ActionItem.objects.filter(zone=zone)
    assert (
        items.filter(status="done").exists() and items.filter(status="open", due_on__lt=data.AS_OF).exists()
    )
    commitments = Commitment.objects.filter(zone=zone)
    assert commitments.filter(status="fulfilled").count() > commitments.exclude(status="fulfilled").count()
    latest = max(
        *Meeting.objects.filter(zone=zone, held_on__isnull=False).values_list("held_on", flat=True),
        *Activity.objects.filter(zone=zone).values_list("held_on", flat=True),
    )
    assert latest <= data.AS_OF
    first = alliances[0]
    assert Activity.objects.filter(alliance=first).count() >= 15
    for username in ("zone-admin", "leader", "handler1", "handler2", "instructor1", "firm1", "firm2"):
        user = User.objects.get(username=username)
        assert selectors.meeting_list(user=user).filter(status="held").exists(), username
        assert selectors.pact_list(user=user).exists(), username
    assert set(selectors.alliances(user=User.objects.get(username="instructor1"))) == {first}

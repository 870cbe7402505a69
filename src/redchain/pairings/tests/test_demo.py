"""The demo pairings: built through the services, deterministic in shape, and seen by every demo account.

Only this app's demo module runs after the base zone (the other apps' modules are patched out), so the test
depends on nothing but the organisation graph and the demo accounts.
"""

import pytest
from django.db import transaction

from redchain.accounts.models import User
from redchain.audit.models import AuditEntry
from redchain.demo import generator, work_pairings
from redchain.demo.data import AS_OF
from redchain.demo.fakes import Fakes
from redchain.pairings.models import Pairing, PairingProject, PairingPromise


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    lines: list[str] = []

    def only_pairings(zone, stdout):
        lines.append(work_pairings.build(zone=zone, fakes=Fakes(20261123).stage(work_pairings.__name__)))

    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock(), transaction.atomic():
        patch.setattr(generator, "_party_work", only_pairings)
        patch.setattr(generator, "_train_routers", lambda zone, stdout: None)
        generator.load_demo(demand_count=0)
        yield lines
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_builds_pairings_in_the_documented_ranges(demo):
    assert "pairings" in demo[0]
    assert 40 <= Pairing.objects.count() <= 60
    assert 100 <= PairingPromise.objects.count() <= 200
    assert 150 <= PairingProject.objects.count() <= 250
    statuses = set(PairingProject.objects.values_list("status", flat=True))
    assert statuses == {"planned", "in_progress", "done", "stalled"}
    delivered = PairingPromise.objects.filter(status="delivered").count()
    assert delivered > PairingPromise.objects.count() / 2
    assert PairingPromise.objects.filter(status="promised", due_on__lt=AS_OF).exists()  # overdue ones
    assert not Pairing.objects.filter(started_on__gt=AS_OF).exists()
    assert AuditEntry.objects.filter(action="pairing.create").count() == Pairing.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["zone-admin", "leader", "handler1", "handler2", "instructor1", "firm1", "firm2"]
)
def test_every_demo_account_sees_some_pairings(demo, username):
    seen = Pairing.objects.visible_to(User.objects.get(username=username)).count()
    assert seen >= (3 if username == "handler1" else 1)

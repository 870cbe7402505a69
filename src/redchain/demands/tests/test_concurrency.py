"""Two people acting on the same demand at the same moment: exactly one wins, nothing is lost."""

import threading

import pytest
from django.db import connection

from redchain.accounts.models import Role
from redchain.accounts.services import membership_grant, user_create
from redchain.demands import services as s
from redchain.demands.models import Demand, DemandEvent
from redchain.demands.permissions import LoopError

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls in threads released together; return each one's result or the LoopError it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except LoopError as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_handlers_replying_at_once_exactly_one_wins(world):
    helen = user_create(actor=None, username="helen", password="pw")
    membership_grant(actor=None, user=helen, zone=world.zone, role=Role.HANDLER, department=world.dept_a1)
    demand = s.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="排水管网接驳",
        body="厂区雨污水需接入市政管网。",
        enterprise=world.firm_x,
    )
    s.demand_accept(actor=world.alice, demand=demand)
    s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")

    results = race(
        lambda: s.demand_reply(actor=world.hannah, demand=demand, text="答复甲"),
        lambda: s.demand_reply(actor=helen, demand=demand, text="答复乙"),
    )

    winners = [r for r in results if isinstance(r, Demand)]
    losers = [r for r in results if isinstance(r, LoopError)]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].status_code == 409
    replies = DemandEvent.objects.filter(demand=demand, kind="replied")
    assert replies.count() == 1 and replies.get().text in {"答复甲", "答复乙"}
    assert Demand.objects.get(pk=demand.pk).status == "replied"


def test_two_dispatchers_accepting_at_once_accept_once(world):
    demand = s.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="招工难",
        body="急需熟练焊工 30 名。",
        enterprise=world.firm_x,
    )
    results = race(
        lambda: s.demand_accept(actor=world.alice, demand=demand),
        lambda: s.demand_accept(actor=world.alice, demand=demand),
    )
    assert sorted(type(r).__name__ for r in results) == ["Demand", "TransitionNotAllowed"]
    assert DemandEvent.objects.filter(demand=demand, kind="accepted").count() == 1

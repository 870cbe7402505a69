"""Two handlers of the same department reply at the same moment: exactly one wins, nothing is lost.

Real concurrency needs real transactions and row locks, so this runs on PostgreSQL only; SQLite serialises
writers with IMMEDIATE transactions and its in-memory test database is not shared safely between threads.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from redchain.accounts.models import Role
from redchain.accounts.services import api_token_issue, membership_grant, user_create
from redchain.api.tests.test_demands import handling
from redchain.demands import services as s
from redchain.demands.models import Demand, DemandEvent
from redchain.demands.permissions import TransitionNotAllowed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.fixture
def henry(world):
    """A second handler of department A1, next to hannah."""
    user = user_create(actor=None, username="henry", password="pw", display_name="Henry")  # noqa: S106
    membership_grant(actor=None, user=user, zone=world.zone, role=Role.HANDLER, department=world.dept_a1)
    return user


def run_together(*calls):
    """Start every call at the same moment on its own thread and connection; return what each gave back."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_handlers_replying_through_the_api_one_wins(world, henry):
    demand = handling(world)
    tokens = [api_token_issue(user=user)[0] for user in (world.hannah, henry)]

    def reply(token, text):
        return lambda: (
            Client()
            .post(
                f"/api/v1/demands/{demand.pk}/reply",
                {"text": text},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            .status_code
        )

    codes = run_together(reply(tokens[0], "汉娜的答复"), reply(tokens[1], "亨利的答复"))

    assert sorted(codes) == [200, 409], codes
    demand.refresh_from_db()
    assert demand.status == Demand.Status.REPLIED
    replies = DemandEvent.objects.filter(demand=demand, kind="replied")
    assert replies.count() == 1
    assert replies.get().text in {"汉娜的答复", "亨利的答复"}
    assert demand.assignments.get().status == "replied"


def test_two_handlers_replying_through_the_service_one_wins(world, henry):
    demand = handling(world)

    def reply(user):
        return lambda: s.demand_reply(
            actor=user, demand=Demand.objects.get(pk=demand.pk), text=f"{user}的答复"
        )

    results = run_together(reply(world.hannah), reply(henry))

    assert sum(isinstance(r, Demand) for r in results) == 1, results
    assert sum(isinstance(r, TransitionNotAllowed) for r in results) == 1, results
    assert DemandEvent.objects.filter(demand=demand, kind="replied").count() == 1


def test_an_interim_reply_racing_the_final_reply_is_not_lost(world, henry):
    demand = handling(world)

    results = run_together(
        lambda: s.assignment_interim_reply(actor=world.hannah, demand=demand, text="进度：已勘察"),
        lambda: s.demand_reply(actor=henry, demand=demand, text="已办结"),
    )

    kinds = list(DemandEvent.objects.filter(demand=demand).values_list("kind", flat=True))
    assert "replied" in kinds
    # Either the interim reply came first and is kept, or it came second and was refused: never half-written.
    refused = isinstance(results[0], TransitionNotAllowed)
    assert ("interim_reply" in kinds) != refused


def test_same_idempotency_key_sent_twice_at_once_creates_one_demand(world):
    token = api_token_issue(user=world.fiona)[0]

    def submit():
        response = Client().post(
            "/api/v1/demands",
            {"title": "用电增容", "body": "需要增容"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "once"},
        )
        return response.status_code, response.json().get("id")

    results = run_together(submit, submit)

    assert sorted(code for code, _ in results) == [200, 201], results
    assert len({pk for _, pk in results}) == 1
    assert Demand.objects.count() == 1

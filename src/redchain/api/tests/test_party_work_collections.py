"""The collections issue 5 promises under /api/v1/ (meetings, pacts, needs, resources, matches, pairings,
visits, task-forces, suggestions, party-activities and compliance): each is served, documented with
``limit``/``offset``, answers ``{count, items}`` and pages like every other collection. Scoping is tested per
app in ``test_<app>_access.py``."""

from __future__ import annotations

from datetime import date

import pytest

from redchain.exchange import services as exchange
from redchain.exchange.tests import factories as exchange_fx
from redchain.mechanisms.tests.factories import build_records
from redchain.pairings.tests.factories import pairing_set
from redchain.partylife.tests import factories as partylife_fx
from redchain.taskforces.tests.factories import suggestion, task_force
from redchain.visits.tests.factories import build_scene

pytestmark = pytest.mark.django_db

COLLECTIONS = [
    "meetings",
    "pacts",
    "needs",
    "resources",
    "matches",
    "pairings",
    "visits",
    "task-forces",
    "suggestions",
    "party-activities",
    "compliance",
]


@pytest.fixture
def two_of_each(world):
    """At least two rows of every collection that zone A's admin sees."""
    build_records(world)
    for n in (1, 2):
        need = exchange_fx.need(world, title=f"采购{n}")
        resource = exchange_fx.resource(world, title=f"供应{n}")
        exchange.match_propose(actor=None, need=need, resource=resource)
        task_force(world.branch_x, name=f"攻关小组{n}")
        suggestion(world.branch_x, title=f"建议{n}")
        partylife_fx.activity(world.branch_x, held_on=date(2025, 5, n))
    pairing_set(world)
    build_scene(world)
    partylife_fx.monthly_theme_day_rule(world.zone)


def test_every_collection_is_in_the_schema_with_limit_and_offset(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for name in COLLECTIONS:
        operation = paths[f"/api/v1/{name}"]["get"]
        params = {param["name"] for param in operation["parameters"]}
        assert {"limit", "offset"} <= params, name
        assert operation["security"], name


def test_every_collection_pages_its_rows(api, world, two_of_each):
    for name in COLLECTIONS:
        params = {"month": "2025-06"} if name == "compliance" else {}
        first = api.get(name, as_user=world.alice, limit=1, **params).json()
        second = api.get(name, as_user=world.alice, limit=1, offset=1, **params).json()
        assert first["count"] >= 2 and len(first["items"]) == len(second["items"]) == 1, name
        assert first["items"] != second["items"], name
        assert api.get(name, as_user=world.alice, limit=0).status_code == 422, name

"""Routing services: training versions, cold-start and model suggestions, outcomes, keyword editing."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from redchain.audit.models import AuditEntry
from redchain.demands import services as demand_services
from redchain.demands.defaults import ensure_defaults
from redchain.demands.models import Assignment, Demand
from redchain.routing import services
from redchain.routing.models import RouterModel, Suggestion

pytestmark = pytest.mark.django_db
T = RouterModel.Target


class FakeRouter:
    """The ``routing.classifier.TextRouter`` interface with a character-overlap model, for tests only."""

    def __init__(self, vocab: dict[str, list[str]] | None = None):
        self.vocab = vocab or {}
        self.classes_ = sorted(self.vocab)

    def fit(self, texts, labels):
        counts: dict[str, Counter] = {}
        for text, label in zip(texts, labels, strict=True):
            counts.setdefault(label, Counter()).update(set(text))
        self.vocab = {
            label: sorted(c for c, n in counter.items() if n > 1) for label, counter in counts.items()
        }
        self.classes_ = sorted(self.vocab)
        return self

    def predict_top(self, texts, k=3):
        result = []
        for text in texts:
            scores = {label: len(set(text) & set(chars)) + 0.01 for label, chars in self.vocab.items()}
            total = sum(scores.values())
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
            result.append([(label, score / total) for label, score in ranked])
        return result

    def dumps(self) -> bytes:
        return json.dumps(self.vocab).encode()

    @classmethod
    def loads(cls, data: bytes):
        return cls(json.loads(data))


@pytest.fixture(autouse=True)
def fake_router(monkeypatch):
    monkeypatch.setattr(services, "router_class", lambda: FakeRouter)
    services._LOADED.clear()


LOANS = ("企业贷款申请", "银行授信额度不足，希望协调贷款。")
MARKET = ("营业执照变更", "食品经营许可与营业执照地址变更。")


def closed_demands(world, n_each=20, *, zone=None, departments=None):
    """``n_each`` closed demands about loans (led by A1) and as many about licences (led by A2)."""
    zone = zone or world.zone
    categories = ensure_defaults(zone=zone)
    departments = departments or (world.dept_a1, world.dept_a2)
    now = timezone.now()
    specs = [
        (LOANS, departments[0], categories["loans"]),
        (MARKET, departments[1], categories["market-regulation"]),
    ]
    for i in range(n_each):
        for (title, body), department, category in specs:
            demand = Demand.objects.create(
                zone=zone,
                title=f"{title}{i}",
                body=body,
                status=Demand.Status.CLOSED,
                category=category,
                is_solved=True,
                closed_at=now,
            )
            Assignment.objects.create(
                demand=demand, department=department, role="lead", status="replied", started_at=now
            )
    return categories


def accepted(world, title="企业贷款申请", body="希望协调银行贷款。"):
    demand = demand_services.demand_submit(
        actor=world.fiona, zone=world.zone, title=title, body=body, enterprise=world.firm_x
    )
    return demand_services.demand_accept(actor=world.alice, demand=demand)


# ---------------------------------------------------------------------------------------------- training


def test_training_from_closed_demands_creates_versions_with_metrics_and_one_active(world):
    closed_demands(world)
    first = services.router_train(zone=world.zone, target=T.DEPARTMENT, actor=world.alice)
    second = services.router_train(zone=world.zone, target=T.DEPARTMENT, actor=world.alice)
    assert (first.version, second.version) == (1, 2)
    assert list(RouterModel.objects.filter(zone=world.zone, target=T.DEPARTMENT, is_active=True)) == [second]
    assert second.trained_on == 40
    assert set(second.metrics) >= {"macro_f1", "accuracy", "per_class", "n"}
    assert second.metrics["per_class"] == {str(world.dept_a1.pk): 20, str(world.dept_a2.pk): 20}
    assert second.metrics["n_test"] == 8  # 20 % of each class held out
    assert second.metrics["accuracy"] == 1.0
    assert AuditEntry.objects.filter(action="router_model.train", object_id=str(second.pk)).exists()


def test_category_router_learns_top_level_categories(world):
    categories = closed_demands(world)
    router = services.router_train(zone=world.zone, target=T.CATEGORY)
    assert set(router.metrics["per_class"]) == {
        str(categories["financing"].pk),  # the 贷款 leaf counts for its parent 融资
        str(categories["market-regulation"].pk),
    }


def test_training_with_too_few_examples_is_refused_clearly(world):
    closed_demands(world, n_each=5)
    with pytest.raises(ValidationError, match="Not enough examples"):
        services.router_train(zone=world.zone, target=T.DEPARTMENT)
    assert not RouterModel.objects.exists()


def test_training_with_a_single_class_is_refused(world):
    with pytest.raises(ValidationError, match="at least 2 classes"):
        services.router_train(zone=world.zone, target=T.CATEGORY, texts=["甲"] * 40, labels=["1"] * 40)


def test_explicit_texts_and_labels_train_without_demands(world):
    router = services.router_train(
        zone=world.zone,
        target=T.CATEGORY,
        texts=["贷款融资"] * 20 + ["营业执照"] * 20,
        labels=["1"] * 20 + ["2"] * 20,
    )
    assert router.is_active and router.metrics["n"] == 40


def test_stratified_split_holds_out_a_fifth_of_each_class():
    train, held = services.stratified_split(["a"] * 10 + ["b"] * 5 + ["c"])
    labels = ["a"] * 10 + ["b"] * 5 + ["c"]
    assert Counter(labels[i] for i in held) == {"a": 2, "b": 1}
    assert sorted(train + held) == list(range(16))


@override_settings(REDCHAIN_ROUTING_RETRAIN_MIN_NEW=10)
def test_scheduled_retraining_trains_only_when_enough_new_closed_demands(world):
    closed_demands(world)
    assert {r.target for r in services.retrain_due()} == {T.CATEGORY, T.DEPARTMENT}
    assert services.retrain_due() == []  # nothing new since
    closed_demands(world, n_each=5)
    assert {(r.target, r.version) for r in services.retrain_due()} == {(T.CATEGORY, 2), (T.DEPARTMENT, 2)}


def test_retrain_task_runs_the_service(world):
    from redchain.routing.tasks import retrain

    closed_demands(world)
    assert len(retrain()["trained"]) == 2


# ---------------------------------------------------------------------------------------------- suggestions


def test_cold_start_keywords_pick_the_department_whose_responsibilities_match(world):
    services.department_update_responsibilities(
        actor=world.alice, department=world.dept_a1, text="贷款\n融资"
    )
    services.department_update_responsibilities(actor=world.alice, department=world.dept_a2, text="营业执照")
    ensure_defaults(zone=world.zone)
    result = services.suggest(demand=accepted(world))
    department = result[T.DEPARTMENT]
    assert department.predicted == str(world.dept_a1.pk)
    assert department.source == "keywords" and department.router is None
    assert department.confidence == pytest.approx(0.5)
    assert department.alternatives[0] == {"value": str(world.dept_a1.pk), "confidence": 0.5}
    assert result[T.CATEGORY].predicted  # 贷款 is a leaf of 融资


def test_suggestion_from_the_active_model_is_stored_once_per_target(world):
    closed_demands(world)
    router = services.router_train(zone=world.zone, target=T.DEPARTMENT)
    demand = accepted(world, title="营业执照变更", body="食品经营许可证办理")
    services.suggest(demand=demand)
    services.suggest(demand=demand)
    stored = Suggestion.objects.get(demand=demand, target=T.DEPARTMENT)
    assert stored.router == router and stored.source == "model"
    assert stored.predicted == str(world.dept_a2.pk)
    assert len(stored.alternatives) == 2
    assert Suggestion.objects.filter(demand=demand).count() == 2  # category from the keywords


def test_suggestions_are_fresh_until_a_new_router_is_trained(world):
    ensure_defaults(zone=world.zone)
    services.department_update_responsibilities(actor=world.alice, department=world.dept_a1, text="贷款")
    demand = accepted(world)
    services.suggest(demand=demand)
    assert services.suggestions_are_fresh(demand=demand)
    closed_demands(world)
    services.router_train(zone=world.zone, target=T.DEPARTMENT)
    assert not services.suggestions_are_fresh(demand=demand)


def test_text_without_any_keyword_gets_no_suggestion(world):
    assert services.suggest(demand=accepted(world, title="你好", body="咨询")) == {}


def test_outcome_is_accepted_when_the_top_suggestion_is_chosen_and_corrected_otherwise(world):
    services.department_update_responsibilities(actor=world.alice, department=world.dept_a1, text="贷款")
    first, second = accepted(world), accepted(world)
    services.suggest(demand=first)
    services.suggest(demand=second)
    ok = services.record_outcome(
        demand=first, target=T.DEPARTMENT, chosen=str(world.dept_a1.pk), actor=world.alice
    )
    no = services.record_outcome(
        demand=second, target=T.DEPARTMENT, chosen=str(world.dept_a2.pk), actor=world.alice
    )
    assert (ok.outcome, no.outcome) == (Suggestion.Outcome.ACCEPTED, Suggestion.Outcome.CORRECTED)
    assert no.chosen == str(world.dept_a2.pk) and no.decided_at is not None
    # Decided once: a later call changes nothing, and a new suggestion run keeps the decision.
    assert services.record_outcome(demand=first, target=T.DEPARTMENT, chosen="0", actor=world.alice) is None
    assert services.suggest(demand=first)[T.DEPARTMENT].outcome == Suggestion.Outcome.ACCEPTED


# ---------------------------------------------------------------------------------------------- keywords


def test_responsibility_keywords_are_normalised_and_audited(world):
    department = services.department_update_responsibilities(
        actor=world.alice, department=world.dept_a1, text=" 贷款 \n\n融资，贷款"
    )
    assert department.responsibilities == "贷款\n融资"
    entry = AuditEntry.objects.get(action="department.update_responsibilities")
    assert entry.zone_id == world.zone.pk and entry.changes["responsibilities"] == ["", "贷款\n融资"]


def test_saving_unchanged_keywords_writes_no_audit_row(world):
    services.department_update_responsibilities(actor=world.alice, department=world.dept_a1, text="贷款")
    services.department_update_responsibilities(actor=world.alice, department=world.dept_a1, text="贷款\n")
    assert AuditEntry.objects.filter(action="department.update_responsibilities").count() == 1

"""Writes of the routing app: training routers, storing suggestions and what dispatchers did with them.

Labels. The category router predicts the **top-level** category id: sub-categories are few per zone and
often unused, so a leaf label would split thin classes further; the 三率 statistics group by the top-level
category too, and a dispatcher's leaf choice counts as accepted when its parent is the suggestion. The
department router predicts the id of the department that led the demand to its close (its latest lead work
order).

Training runs outside any transaction (it may take seconds); only saving the new version and switching the
active one happen in one short transaction that locks the zone row, so two trainings of the same zone never
get the same version number.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from redchain.audit.services import audit_record, diff
from redchain.demands.models import Assignment, Category, Demand
from redchain.orgs.models import Department, Zone
from redchain.routing import keywords
from redchain.routing.models import RouterModel, Suggestion

T = RouterModel.Target
HOLDOUT_SHARE = 0.2
SEED = 20250101  # a fixed split, so retraining on the same data reports the same metrics


def threshold() -> float:
    """Below this confidence a demand belongs to the manual triage queue."""
    return float(getattr(settings, "REDCHAIN_ROUTING_THRESHOLD", 0.6))


def min_examples() -> int:
    return int(getattr(settings, "REDCHAIN_ROUTING_MIN_EXAMPLES", 30))


def router_class():
    """The classifier class; a function so that tests can put a small fake in its place."""
    from redchain.routing.classifier import TextRouter

    return TextRouter


def demand_text(demand: Demand) -> str:
    return f"{demand.title}\n{demand.body}"


# ---------------------------------------------------------------------------------------------- training


def training_demands(*, zone_id: int, target: str) -> QuerySet:
    """The zone's closed demands with their label for ``target`` as ``label`` (None when unknown)."""
    qs = Demand.objects.filter(zone_id=zone_id, status=Demand.Status.CLOSED)
    if target == T.CATEGORY:
        qs = qs.annotate(label=Coalesce(F("category__parent_id"), F("category_id")))
    else:
        lead = Assignment.objects.filter(demand=OuterRef("pk"), role=Assignment.Role.LEAD).order_by("-id")
        qs = qs.annotate(label=Subquery(lead.values("department_id")[:1]))
    return qs.filter(label__isnull=False).order_by("id")


def training_examples(*, zone_id: int, target: str) -> tuple[list[str], list[str]]:
    rows = training_demands(zone_id=zone_id, target=target).values_list("title", "body", "label")
    return [f"{title}\n{body}" for title, body, _label in rows], [str(label) for *_text, label in rows]


def _check_examples(texts: list[str], labels: list[str]) -> None:
    if len(texts) != len(labels):
        raise ValidationError("训练文本与标签数量不一致 / texts and labels differ in length")
    needed = min_examples()
    if len(labels) < needed or len(set(labels)) < 2:
        raise ValidationError(
            f"训练样本不足：需要至少 {needed} 条已办结诉求且至少 2 个类别，现有 {len(labels)} 条、"
            f"{len(set(labels))} 个类别 / Not enough examples: at least {needed} closed demands in at least "
            f"2 classes are needed, there are {len(labels)} in {len(set(labels))}"
        )


def stratified_split(labels: list[str], *, share: float = HOLDOUT_SHARE) -> tuple[list[int], list[int]]:
    """Indices for training and holding out: ``share`` of each class held out, at least one of each class
    with two or more examples, none of a class seen once (it could then never be predicted right)."""
    by_class: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_class[label].append(index)
    rng = random.Random(SEED)  # noqa: S311 - a reproducible split, not a secret
    train, held = [], []
    for label in sorted(by_class):
        indices = by_class[label]
        rng.shuffle(indices)
        n_held = max(1, round(len(indices) * share)) if len(indices) >= 2 else 0
        held.extend(indices[:n_held])
        train.extend(indices[n_held:])
    return sorted(train), sorted(held)


def evaluate(texts: list[str], labels: list[str]) -> dict[str, Any]:
    """Metrics of a router trained on 80 % and tested on the stratified 20 % held out."""
    from sklearn.metrics import accuracy_score, f1_score

    train, held = stratified_split(labels)
    router = router_class()().fit([texts[i] for i in train], [labels[i] for i in train])
    truth = [labels[i] for i in held]
    predicted = [top[0][0] if top else "" for top in router.predict_top([texts[i] for i in held], k=1)]
    return {
        "n": len(labels),
        "n_train": len(train),
        "n_test": len(held),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "per_class": dict(sorted(Counter(labels).items())),
    }


def router_train(
    *, zone: Zone, target: str, actor=None, texts: list[str] | None = None, labels: list[str] | None = None
) -> RouterModel:
    """Train a new version for ``zone`` and ``target`` and put it in use; the previous one stays as history.

    Without ``texts``/``labels`` the examples are the zone's closed demands (title and body → label, see the
    module docstring). The stored metrics come from a stratified 20 % hold-out; the stored router is then
    refit on all examples, so it is at least as good as the metrics say.
    """
    if target not in T.values:
        raise ValidationError(f"未知的预测目标 / Unknown target: {target}")
    if texts is None or labels is None:
        texts, labels = training_examples(zone_id=zone.pk, target=target)
    labels = [str(label) for label in labels]
    _check_examples(texts, labels)
    metrics = evaluate(texts, labels)
    blob = router_class()().fit(texts, labels).dumps()
    return _save_version(zone=zone, target=target, actor=actor, metrics=metrics, blob=blob, n=len(labels))


@transaction.atomic
def _save_version(*, zone: Zone, target: str, actor, metrics: dict, blob: bytes, n: int) -> RouterModel:
    Zone.objects.select_for_update().filter(pk=zone.pk).first()
    versions = RouterModel.objects.filter(zone=zone, target=target)
    latest = versions.order_by("-version").values_list("version", flat=True).first() or 0
    versions.filter(is_active=True).update(is_active=False)
    router = RouterModel.objects.create(
        zone=zone,
        target=target,
        version=latest + 1,
        is_active=True,
        trained_on=n,
        metrics=metrics,
        blob=blob,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="router_model.train",
        obj=router,
        changes={"version": [latest or None, router.version], "macro_f1": [None, metrics["macro_f1"]]},
    )
    return router


def retrain_due(*, min_new: int | None = None) -> list[RouterModel]:
    """Retrain every zone's routers that have ``min_new`` closed demands since their active version (or
    none yet and enough examples). A zone that still lacks examples is skipped, not an error."""
    min_new = (
        min_new if min_new is not None else int(getattr(settings, "REDCHAIN_ROUTING_RETRAIN_MIN_NEW", 20))
    )
    trained = []
    for zone in Zone.objects.order_by("id"):
        for target in T.values:
            active = RouterModel.objects.filter(zone=zone, target=target, is_active=True).first()
            examples = training_demands(zone_id=zone.pk, target=target)
            if active is not None and examples.filter(closed_at__gt=active.created_at).count() < min_new:
                continue
            try:
                trained.append(router_train(zone=zone, target=target))
            except ValidationError:
                continue
    return trained


# ---------------------------------------------------------------------------------------------- suggestions

_LOADED: dict[int, Any] = {}  # router id → loaded classifier; a version never changes once saved


def _load(router: RouterModel):
    if router.pk not in _LOADED:
        if len(_LOADED) > 32:
            _LOADED.clear()
        _LOADED[router.pk] = router_class().loads(bytes(router.blob))
    return _LOADED[router.pk]


def _valid_labels(zone_id: int, target: str) -> set[str]:
    if target == T.CATEGORY:
        return {
            str(pk)
            for pk in Category.objects.filter(zone_id=zone_id, parent__isnull=True).values_list(
                "id", flat=True
            )
        }
    return {
        str(pk)
        for pk in Department.objects.filter(zone_id=zone_id, is_active=True).values_list("id", flat=True)
    }


def _predict(demand: Demand, target: str, router: RouterModel | None, k: int) -> list[tuple[str, float]]:
    """Top ``k`` (label, confidence) from the router or the keyword rules, limited to labels that still
    exist in the zone (a department may have been deactivated since training)."""
    text = demand_text(demand)
    if router is None:
        words = (keywords.category_keywords if target == T.CATEGORY else keywords.department_keywords)(
            demand.zone_id
        )
        return keywords.score(text, words, k=k)
    valid = _valid_labels(demand.zone_id, target)
    top = _load(router).predict_top([text], k=k + 2)[0]
    return [(str(label), round(float(p), 4)) for label, p in top if str(label) in valid][:k]


def active_routers(zone_id: int) -> dict[str, RouterModel]:
    return {r.target: r for r in RouterModel.objects.filter(zone_id=zone_id, is_active=True).defer("blob")}


def suggestions_are_fresh(*, demand: Demand, routers: dict[str, RouterModel] | None = None) -> bool:
    """Both targets have a suggestion from the router in use now (or from the keywords while none is)."""
    routers = active_routers(demand.zone_id) if routers is None else routers
    have = dict(demand.suggestions.values_list("target", "router_id"))
    return all(
        target in have and have[target] == getattr(routers.get(target), "pk", None) for target in T.values
    )


def suggest(*, demand: Demand, k: int = 3) -> dict[str, Suggestion]:
    """Compute and store one suggestion per target; decided suggestions are kept as they were decided."""
    routers = active_routers(demand.zone_id)
    stored = {s.target: s for s in demand.suggestions.all()}
    result: dict[str, Suggestion] = {}
    for target in T.values:
        existing = stored.get(target)
        if existing is not None and existing.outcome != Suggestion.Outcome.PENDING:
            result[target] = existing
            continue
        router = routers.get(target)  # its blob is deferred and read only when not loaded yet
        top = _predict(demand, target, router, k)
        if not top:
            Suggestion.objects.filter(
                demand=demand, target=target, outcome=Suggestion.Outcome.PENDING
            ).delete()
            continue
        result[target], _created = Suggestion.objects.update_or_create(
            demand=demand,
            target=target,
            defaults={
                "router": router,
                "source": "model" if router is not None else "keywords",
                "predicted": top[0][0],
                "confidence": top[0][1],
                "alternatives": [{"value": label, "confidence": p} for label, p in top],
            },
        )
    return result


def suggest_if_stale(*, demand: Demand, k: int = 3) -> None:
    """What a dispatcher's page calls: compute only when the stored suggestions are missing or outdated."""
    if demand.status in (Demand.Status.SUBMITTED, Demand.Status.ACCEPTED, Demand.Status.RETURNED):
        if not suggestions_are_fresh(demand=demand):
            suggest(demand=demand, k=k)


@transaction.atomic
def record_outcome(*, demand: Demand, target: str, chosen: str, actor) -> Suggestion | None:
    """Mark the pending suggestion accepted (the dispatcher chose the top suggestion) or corrected.

    Telemetry, not a change of the demand: the dispatch itself carries the audit row, so none is written.
    """
    suggestion = (
        Suggestion.objects.select_for_update()
        .filter(demand=demand, target=target, outcome=Suggestion.Outcome.PENDING)
        .first()
    )
    if suggestion is None or not chosen:
        return None
    accepted = str(chosen) == suggestion.predicted
    suggestion.outcome = Suggestion.Outcome.ACCEPTED if accepted else Suggestion.Outcome.CORRECTED
    suggestion.chosen = str(chosen)
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["outcome", "chosen", "decided_at"])
    return suggestion


def record_dispatch(*, demand: Demand, department, actor) -> None:
    """After a dispatch: the lead department and the demand's (top-level) category as chosen values."""
    record_outcome(demand=demand, target=T.DEPARTMENT, chosen=str(department.pk), actor=actor)
    category = demand.category
    if category is not None:
        top = category.parent_id or category.pk
        record_outcome(demand=demand, target=T.CATEGORY, chosen=str(top), actor=actor)


# ---------------------------------------------------------------------------------------------- keywords


@transaction.atomic
def department_update_responsibilities(*, actor, department: Department, text: str) -> Department:
    """Replace a department's responsibility keywords (职责清单), one a line, duplicates and blanks dropped."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    cleaned = "\n".join(keywords.split_keywords(text))
    changes = diff(department, {"responsibilities": cleaned})
    if not changes:
        return department
    department.responsibilities = cleaned
    department.full_clean()
    department.save(update_fields=["responsibilities", "updated_at"])
    audit_record(actor=actor, action="department.update_responsibilities", obj=department, changes=changes)
    return department

"""Task forces and suggestions for tests, made through the services (with the system as actor by default)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from redchain.taskforces import services
from redchain.taskforces.models import Suggestion, TaskForce

FORMED = date(2025, 3, 1)


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def task_force(org, *, actor=None, name: str = "焊装工艺攻关小组", **fields) -> TaskForce:
    values = {
        "kind": TaskForce.Kind.TACKLING,
        "project": "焊装线节拍提升",
        "goal": "节拍由 62 秒降至 55 秒",
        "formed_on": FORMED,
        **fields,
    }
    return services.task_force_create(actor=actor, org=org, name=name, **values)


def suggestion(
    org=None, *, actor=None, task_force=None, title: str = "优化焊接参数减少返工", **fields
) -> Suggestion:
    values = {
        "content": "调整焊接电流与送丝速度，减少虚焊返工。",
        "submitted_on": FORMED + timedelta(days=10),
        "submitter_name": "王工",
        **fields,
    }
    return services.suggestion_submit(actor=actor, org=org, task_force=task_force, title=title, **values)


def adopted(org=None, **fields) -> Suggestion:
    item = suggestion(org, **fields)
    return services.suggestion_adopt(
        actor=None, suggestion=item, adopted_on=item.submitted_on + timedelta(days=5)
    )


def implemented(org=None, *, benefit_wan=None, **fields) -> Suggestion:
    item = adopted(org, **fields)
    return services.suggestion_implement(
        actor=None,
        suggestion=item,
        implemented_on=item.adopted_on + timedelta(days=20),
        benefit_wan=benefit_wan,
    )

"""Writing audit rows. Call :func:`audit_record` inside the service's transaction, never after it."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from redchain.audit.models import AuditEntry


def audit_record(
    *, actor, action: str, obj: models.Model, changes: dict[str, Any] | None = None, reason: str = ""
) -> AuditEntry:
    if not transaction.get_connection().in_atomic_block:
        # A row written outside the change's transaction could survive a rolled-back change, or vanish
        # while the change stays: both would make the trail lie.
        raise RuntimeError("audit_record must be called inside the transaction of the change it records")
    zone_id = getattr(obj, "zone_id", None)
    if zone_id is None and obj.__class__.__name__ == "Zone":
        zone_id = obj.pk
    return AuditEntry.objects.create(
        zone_id=zone_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        reason=reason,
    )


def diff(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value would change, as {field: [old, new]} rendered as JSON-safe strings."""
    changed = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changed[name] = [_plain(old), _plain(new)]
    return changed


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)

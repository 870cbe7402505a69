"""Reading the audit trail within the reader's scope."""

from django.db.models import QuerySet

from redchain.accounts.scope import scope_for
from redchain.audit.models import AuditEntry


def audit_entries_for(*, user, obj) -> QuerySet[AuditEntry]:
    """The trail of one object; callers have already checked that ``user`` may see ``obj``."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Zone-wide trails are for zone admins only."""
    scope = scope_for(user)
    if scope.is_superuser:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(zone_id__in=scope.admin_zone_ids).select_related("actor")

"""Abstract bases shared by domain models. core has no tables of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from redchain.core import text


class TimeStamped(models.Model):
    """Creation and update times, in UTC."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class NameSorted(models.Model):
    """A stored pinyin key of ``name``, so Chinese names sort the same on SQLite and PostgreSQL.

    The key follows the name on every save, including ``save(update_fields=[..., "name"])``.
    """

    sort_name = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sort_name = text.sort_key(self.name)  # type: ignore[attr-defined]
        kwargs["update_fields"] = _with_derived(kwargs.get("update_fields"), "sort_name")
        super().save(*args, **kwargs)


def _with_derived(update_fields, *derived: str):
    """Add derived fields to ``update_fields`` when the name is among them; None means all fields."""
    if update_fields is None or "name" not in update_fields:
        return update_fields
    return {*update_fields, *derived}

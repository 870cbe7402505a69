"""Rollup cells of the 三率 dashboards: counts kept up to date by the loop's steps, so a dashboard reads a few
hundred rows instead of aggregating millions of demands.

A cell is one (zone, dimension, key, month, department) with the counts behind every rate. The services of
``demands.services`` apply each step's change to the cells in the step's own transaction
(``demands.rollups``), and ``redchain rollups rebuild`` recomputes them from the raw tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["COUNTERS", "RateCell"]

# The order matters: ``demands.rollups`` builds its upsert statement and its tuples from it.
COUNTERS = (
    "contacted",
    "contacted_on_time",
    "waiting",
    "closed",
    "solved",
    "closed_on_time",
    "rated",
    "satisfied",
    "submitted",
    "dispatched",
)


class RateCell(models.Model):
    """The counts of one zone, dimension value, month and department.

    ``dimension`` says what ``key`` is: ``all`` (key ""), ``category`` (top-level category id), ``channel``
    (the channel's code), ``alliance`` (an alliance id; a demand counts for every alliance its enterprise
    belongs to) or ``chain`` (the enterprise's industry chain id); key "" means none (uncategorised, no
    alliance, no chain). ``department_id`` is a plain number, 0 for no department, so the unique constraint
    needs no NULL handling, which SQLite and PostgreSQL treat differently in ``ON CONFLICT``.

    Each counter is counted in the month of its own moment (Asia/Shanghai): contact counts in the month of the
    work order's contact deadline, closures in the month closed, ratings in the month given, submissions in
    the month submitted, dispatches in the month the work order started. ``waiting`` counts work orders not
    contacted and not cancelled; those whose deadline has not passed yet leave the response-rate denominator
    at read time (``demands.stats``).
    """

    class Dimension(models.TextChoices):
        ALL = "all", _("whole zone")
        CATEGORY = "category", _("category")
        CHANNEL = "channel", _("channel")
        ALLIANCE = "alliance", _("alliance")
        CHAIN = "chain", _("industry chain")

    zone = models.ForeignKey("orgs.Zone", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(max_length=24, blank=True)
    month = models.DateField()
    department_id = models.IntegerField(default=0)
    contacted = models.IntegerField(default=0)
    contacted_on_time = models.IntegerField(default=0)
    waiting = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("rollup cell")
        verbose_name_plural = _("rollup cells")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "dimension", "month", "key", "department_id"], name="rate_cell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.dimension}={self.key} {self.month:%Y-%m} dept {self.department_id}"

"""The search terms of each demand (全文检索): its title and body as character bigrams, indexed per database.

PostgreSQL indexes ``to_tsvector('simple', terms)`` with GIN; SQLite keeps an FTS5 table in step by triggers
(migration ``0005_search``). ``demands.search`` makes the terms and answers queries.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DemandSearch"]


class DemandSearch(models.Model):
    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    terms = models.TextField(_("search terms"))

    class Meta:
        verbose_name = _("demand search terms")
        verbose_name_plural = _("demand search terms")

    def __str__(self) -> str:
        return f"{self.demand_id}"

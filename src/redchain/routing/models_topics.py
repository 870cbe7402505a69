"""Duplicate fingerprints and hot topics (每月一题 / 未诉先办).

A :class:`DemandFingerprint` is written once per demand at intake: a 64-bit SimHash of its text split into four
16-bit bands, each in its own indexed column, so likely duplicates are found by equality on any band (LSH)
instead of a scan. A :class:`Topic` is one cluster of a month's demands, ranked by heat; a leader may adopt
one per zone and month as the month's theme and assign it to a department.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["DemandFingerprint", "Topic"]


class DemandFingerprint(models.Model):
    """The text fingerprint of one demand, denormalised (zone, enterprise, place, time) for fast look-ups."""

    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    zone = models.ForeignKey("orgs.Zone", on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("place"), max_length=60, blank=True)
    simhash = models.BigIntegerField(_("SimHash"))  # 64 bits stored signed
    band0 = models.PositiveIntegerField()
    band1 = models.PositiveIntegerField()
    band2 = models.PositiveIntegerField()
    band3 = models.PositiveIntegerField()
    # The distinct words, space-separated, for the Jaccard check without re-reading the demand; a second line
    # holds the title's words (duplicates.stored_tokens).
    tokens = models.TextField(_("tokens"), blank=True)
    created_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("demand fingerprint")
        verbose_name_plural = _("demand fingerprints")
        indexes = [
            models.Index(fields=["zone", "band0", "created_at"], name="fp_zone_band0"),
            models.Index(fields=["zone", "band1", "created_at"], name="fp_zone_band1"),
            models.Index(fields=["zone", "band2", "created_at"], name="fp_zone_band2"),
            models.Index(fields=["zone", "band3", "created_at"], name="fp_zone_band3"),
            models.Index(fields=["enterprise", "created_at"], name="fp_enterprise_time"),
            models.Index(fields=["zone", "place", "created_at"], name="fp_zone_place"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(band0__lt=65536, band1__lt=65536, band2__lt=65536, band3__lt=65536),
                name="fp_bands_16_bits",
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.simhash & 0xFFFFFFFFFFFFFFFF:016x}"


class Topic(models.Model):
    """One cluster of a zone's demands in one month, with its label, places, times and heat score."""

    zone = models.ForeignKey("orgs.Zone", on_delete=models.CASCADE, related_name="topics")
    month = models.DateField(_("month"))  # the first day of the month
    rank = models.PositiveSmallIntegerField(_("rank"))
    label = models.CharField(_("topic"), max_length=120)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    places = models.JSONField(_("places"), default=list, blank=True)
    times = models.JSONField(_("times mentioned"), default=list, blank=True)
    volume = models.PositiveIntegerField(_("demands"), default=0)
    previous_volume = models.PositiveIntegerField(_("similar demands the month before"), default=0)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    enterprises = models.PositiveIntegerField(_("distinct enterprises"), default=0)
    heat = models.FloatField(_("heat"), default=0.0)
    demands = models.ManyToManyField("demands.Demand", related_name="topics", blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("assigned department"),
    )
    created_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hot topic")
        verbose_name_plural = _("hot topics")
        ordering = ["zone", "-month", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "month", "rank"], name="topic_unique_rank"),
            # 每月一题: at most one adopted theme per zone and month.
            models.UniqueConstraint(
                fields=["zone", "month"],
                condition=Q(adopted_at__isnull=False),
                name="topic_one_theme_a_month",
            ),
            models.CheckConstraint(
                condition=Q(adopted_at__isnull=True) | Q(department__isnull=False),
                name="topic_adopted_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.rank} {self.label}"

    @property
    def is_adopted(self) -> bool:
        return self.adopted_at is not None

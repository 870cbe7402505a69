"""Routing intelligence: trained routers (versioned, with their metrics) and what dispatchers did with their
suggestions, so accuracy in production is measured rather than assumed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RouterModel(models.Model):
    """One trained router for a zone and a target (category or department), kept with its metrics."""

    class Target(models.TextChoices):
        CATEGORY = "category", _("category")
        DEPARTMENT = "department", _("department")

    zone = models.ForeignKey("orgs.Zone", on_delete=models.CASCADE, related_name="router_models")
    target = models.CharField(_("predicts"), max_length=12, choices=Target.choices)
    version = models.PositiveIntegerField(_("version"))
    is_active = models.BooleanField(_("in use"), default=False)
    trained_on = models.PositiveIntegerField(_("training examples"), default=0)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    blob = models.BinaryField(_("serialised model"))
    created_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("router model")
        verbose_name_plural = _("router models")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "target", "version"], name="router_model_unique_version"),
            models.UniqueConstraint(
                fields=["zone", "target"], condition=Q(is_active=True), name="router_model_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.target} v{self.version}"


class Suggestion(models.Model):
    """What the router proposed for a demand and what the dispatcher did: accepted, corrected or pending."""

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("routing suggestion", "pending")
        ACCEPTED = "accepted", pgettext_lazy("routing suggestion", "accepted")
        CORRECTED = "corrected", pgettext_lazy("routing suggestion", "corrected")

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="suggestions")
    target = models.CharField(_("predicts"), max_length=12, choices=RouterModel.Target.choices)
    router = models.ForeignKey(
        RouterModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    source = models.CharField(
        _("source"), max_length=12, default="model"
    )  # "model" or "keywords" (cold start)
    predicted = models.CharField(_("suggested value"), max_length=40)  # a category or department id, as text
    confidence = models.FloatField(_("confidence"))
    alternatives = models.JSONField(_("other suggestions"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    chosen = models.CharField(_("chosen value"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("routing suggestion")
        verbose_name_plural = _("routing suggestions")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["demand", "target"], name="suggestion_one_per_target")]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.target}={self.predicted} ({self.confidence:.2f})"


from redchain.routing.models_topics import *  # noqa: E402,F401,F403

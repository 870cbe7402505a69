"""Abstract bases shared by domain models. core has no tables of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    """Creation and update times, in UTC."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

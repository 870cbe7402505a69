"""The outbox of messages that leave the system (email, webhook), written after a step commits and sent later.

A row is written by ``notifications.deliver`` once the step's transaction has committed, and sent by
``delivery.send_due`` from a background job, so no user request ever waits for a mail server or a webhook.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["OutgoingMessage"]


class OutgoingMessage(models.Model):
    """One message to send on one channel, retried with exponential backoff until sent or given up.

    ``next_attempt_at`` is when a sender may next try; it is cleared once the message is sent or given up,
    so "due" is simply ``sent_at IS NULL AND next_attempt_at <= now``.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        WEBHOOK = "webhook", _("webhook")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # One row per event × channel × recipient, so running delivery twice for an event sends nothing twice.
    key = models.CharField(_("deduplication key"), max_length=100, unique=True)
    event = models.ForeignKey(
        "demands.DemandEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(_("payload"), default=dict)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True, default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["next_attempt_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["email", "webhook"]), name="outgoing_message_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(next_attempt_at__isnull=True),
                name="outgoing_message_sent_is_final",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outgoing_message_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.key}"

    @property
    def gave_up(self) -> bool:
        return self.sent_at is None and self.next_attempt_at is None

"""Email and webhook delivery through the outbox (:class:`~redchain.demands.models_delivery.OutgoingMessage`).

``enqueue_for_event`` writes the rows after a step has committed; ``send_due`` sends what is due from a
background job (the ``redchain sweep`` loop or Celery beat). Each row is claimed with a conditional update
before it is sent, so two senders never send the same row twice, and a failure is retried with exponential
backoff up to ``REDCHAIN_DELIVERY_MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from redchain.demands.models_delivery import OutgoingMessage

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Redchain-Signature"
# A claimed row is not due again until the lease ends; it must outlast one send (webhook timeout included),
# and it is what lets a row claimed by a sender that crashed be picked up again.
LEASE = dt.timedelta(minutes=5)


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return _setting("REDCHAIN_DELIVERY_MAX_ATTEMPTS", 6)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after ``attempts`` failures: 1, 2, 4, 8, 16 … minutes with the default base."""
    base = _setting("REDCHAIN_DELIVERY_BACKOFF_SECONDS", 60)
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


# ---------------------------------------------------------------------------------------------- enqueue


def enqueue_for_event(*, event, user_ids: set[int]) -> int:
    """Write the outbox rows of one event: an email to each recipient with an address, and the webhook.

    Runs after the step's commit (from ``notifications.deliver``); safe to run twice for the same event.
    """
    rows = [*_email_rows(event=event, user_ids=user_ids), *_webhook_rows(event=event)]
    # A savepoint when called inside a transaction, so a failure here cannot poison the caller's.
    with transaction.atomic():
        OutgoingMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _email_rows(*, event, user_ids: set[int]) -> list[OutgoingMessage]:
    from redchain.accounts.models import User

    users = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")
    if not users:
        return []
    subject, body = _email_text(event)
    return [
        OutgoingMessage(
            channel=OutgoingMessage.Channel.EMAIL,
            key=f"email:{event.pk}:{user.pk}",
            event=event,
            payload={"to": [user.email], "subject": subject, "body": body},
        )
        for user in users
    ]


def _email_text(event) -> tuple[str, str]:
    """Subject and body in the deployment's language (zh-hans by default), whatever the caller's language."""
    demand = event.demand
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "code": demand.tracking_code,
            "event": str(event.get_kind_display()),
            "title": demand.title,
            "status": str(demand.get_status_display()),
            "link": demand_link(demand.pk),
        }
        subject = gettext("[Redchain] %(code)s: %(event)s") % values
        lines = [
            gettext("Demand %(code)s “%(title)s”: %(event)s.") % values,
            gettext("Status: %(status)s") % values,
        ]
        if event.text:
            lines.append(event.text)
        lines += ["", gettext("Open the demand: %(link)s") % values]
    return subject, "\n".join(lines)


def demand_link(demand_id: int) -> str:
    """The demand's page: a path, made absolute when ``REDCHAIN_SITE_URL`` is set."""
    try:
        path = reverse("demands:detail", kwargs={"pk": demand_id})
    except NoReverseMatch:  # the pages may not be mounted (e.g. an API-only deployment)
        path = f"/demands/{demand_id}/"
    return _setting("REDCHAIN_SITE_URL", "").rstrip("/") + path


def _webhook_rows(*, event) -> list[OutgoingMessage]:
    url = _setting("REDCHAIN_WEBHOOK_URL", "")
    if not url:
        return []
    demand = event.demand
    body = {
        "event": event.kind,
        "demand": {
            "id": demand.pk,
            "tracking_code": demand.tracking_code,
            "title": demand.title,
            "status": demand.status,
        },
        "text": event.text,
        "at": event.created_at.isoformat(),
    }
    return [
        OutgoingMessage(
            channel=OutgoingMessage.Channel.WEBHOOK,
            key=f"webhook:{event.pk}",
            event=event,
            payload={"url": url, "body": body},
        )
    ]


# ---------------------------------------------------------------------------------------------- send


@dataclass
class DeliveryResult:
    """What one ``send_due`` pass did (message ids)."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    gave_up: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.sent)} sent, {len(self.failed)} to retry, {len(self.gave_up)} given up, "
            f"{len(self.skipped)} claimed elsewhere"
        )


def send_due(*, now: dt.datetime | None = None, limit: int = 200) -> DeliveryResult:
    """Send every message that is due, each claimed first so a concurrent sender skips it."""
    now = now or timezone.now()
    result = DeliveryResult()
    due = OutgoingMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    for message in due[:limit]:
        if not claim(message=message, now=now):
            result.skipped.append(message.pk)
            continue
        _attempt(message=message, now=now, result=result)
    return result


def claim(*, message: OutgoingMessage, now: dt.datetime) -> bool:
    """Take the row for one attempt: count the attempt and push ``next_attempt_at`` past the lease.

    The update only matches while the row is as we read it, so exactly one of two senders gets it.
    """
    taken = OutgoingMessage.objects.filter(
        pk=message.pk,
        sent_at__isnull=True,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
    ).update(attempts=message.attempts + 1, next_attempt_at=now + LEASE)
    if taken == 1:
        message.attempts += 1
    return taken == 1


def _attempt(*, message: OutgoingMessage, now: dt.datetime, result: DeliveryResult) -> None:
    try:
        SENDERS[message.channel](message.payload)
    except Exception as exc:  # any failure of the far side is recorded and retried, never raised
        logger.warning("Outgoing message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
        _record_failure(message=message, now=now, error=_describe(exc), result=result)
        return
    OutgoingMessage.objects.filter(pk=message.pk).update(sent_at=now, next_attempt_at=None, last_error="")
    result.sent.append(message.pk)


def _record_failure(
    *, message: OutgoingMessage, now: dt.datetime, error: str, result: DeliveryResult
) -> None:
    final = message.attempts >= max_attempts()
    next_at = None if final else now + backoff(message.attempts)
    OutgoingMessage.objects.filter(pk=message.pk).update(next_attempt_at=next_at, last_error=error[:2000])
    (result.gave_up if final else result.failed).append(message.pk)
    if final:
        logger.error(
            "Gave up on outgoing message %s after %s attempts: %s", message.pk, message.attempts, error
        )


def _describe(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    return f"{type(exc).__name__}: {exc}"


def _send_email(payload: dict) -> None:
    send_mail(
        payload["subject"],
        payload["body"],
        None,  # DEFAULT_FROM_EMAIL
        payload["to"],
        fail_silently=False,
    )


def sign(body: bytes, *, secret: str) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact request body with the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _send_webhook(payload: dict) -> None:
    url = payload["url"]
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"webhook URL must be http(s): {url!r}")
    body = json.dumps(payload["body"], ensure_ascii=False, sort_keys=True).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "redchain-webhook/1"}
    secret = _setting("REDCHAIN_WEBHOOK_SECRET", "")
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret=secret)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked
    timeout = _setting("REDCHAIN_WEBHOOK_TIMEOUT", 10)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
        # urlopen raises HTTPError for 4xx/5xx; anything else that is not 2xx is a failure too.
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, response.reason, response.headers, None)


# Keyed by the plain value: an enum member does not hash like its string.
SENDERS = {
    OutgoingMessage.Channel.EMAIL.value: _send_email,
    OutgoingMessage.Channel.WEBHOOK.value: _send_webhook,
}

"""Notifications: in-app at once, email and webhook through the outbox, sent later with retries."""

import datetime as dt
import hashlib
import hmac
import json
import smtplib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from redchain.demands import delivery
from redchain.demands import services as s
from redchain.demands.models import Demand, DemandEvent, Notification
from redchain.demands.models_delivery import OutgoingMessage
from redchain.demands.notifications import deliver

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2025, 11, 3, 1, 0, tzinfo=dt.UTC)
SECRET = "shared-secret-for-tests"


@pytest.fixture
def emails(world):
    """Hannah (handler of A1) and Alice (zone admin) have addresses; the others do not."""
    for user, address in [(world.hannah, "hannah@a1.example.cn"), (world.alice, "alice@zone-a.example.cn")]:
        user.email = address
        user.save(update_fields=["email"])


def dispatch(world, run) -> Demand:
    """Submit, accept and dispatch to A1, running the after-commit callbacks as a real request would."""
    with run(execute=True):
        demand = s.demand_submit(
            actor=world.fiona,
            zone=world.zone,
            title="用电增容",
            body="需要增容 800 千伏安。",
            enterprise=world.firm_x,
        )
        s.demand_accept(actor=world.alice, demand=demand)
        s.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")
    return demand


def emails_of(kind: str) -> list[OutgoingMessage]:
    return list(OutgoingMessage.objects.filter(channel="email", event__kind=kind).order_by("key"))


# ---------------------------------------------------------------------------------------------- the outbox


def test_outbox_rows_are_written_only_after_the_step_commits(
    world, emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        s.demand_submit(actor=world.fiona, zone=world.zone, title="t", body="b", enterprise=world.firm_x)
    assert not OutgoingMessage.objects.exists() and not Notification.objects.exists()
    for callback in callbacks:
        callback()
    [row] = emails_of("submitted")
    assert row.payload["to"] == ["alice@zone-a.example.cn"] and row.sent_at is None


def test_email_goes_to_recipients_with_an_address_and_not_to_the_actor(
    world, emails, django_capture_on_commit_callbacks
):
    dispatch(world, django_capture_on_commit_callbacks)
    # Dispatch tells department A1 (Hannah has an address); Alice dispatched it, so she is not told.
    assert [row.payload["to"] for row in emails_of("dispatched")] == [["hannah@a1.example.cn"]]
    assert Notification.objects.filter(user=world.hannah, event__kind="dispatched").exists()


def test_delivering_an_event_twice_queues_nothing_twice(world, emails, django_capture_on_commit_callbacks):
    demand = dispatch(world, django_capture_on_commit_callbacks)
    event = DemandEvent.objects.get(demand=demand, kind="dispatched")
    before = OutgoingMessage.objects.count()
    deliver(event.pk)
    assert OutgoingMessage.objects.count() == before


def test_no_webhook_rows_while_the_webhook_is_off(world, django_capture_on_commit_callbacks):
    dispatch(world, django_capture_on_commit_callbacks)
    assert not OutgoingMessage.objects.filter(channel="webhook").exists()


# ---------------------------------------------------------------------------------------------- email


def test_send_due_sends_the_email_in_chinese_with_the_tracking_code_and_link(
    world, emails, mailoutbox, django_capture_on_commit_callbacks
):
    demand = dispatch(world, django_capture_on_commit_callbacks)
    OutgoingMessage.objects.exclude(event__kind="dispatched").delete()
    result = delivery.send_due(now=timezone.now() + dt.timedelta(seconds=1))
    assert len(result.sent) == 1 and len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["hannah@a1.example.cn"]
    assert demand.tracking_code in message.subject and demand.tracking_code in message.body
    assert f"/demands/{demand.pk}/" in message.body
    assert "用电增容" in message.body
    row = OutgoingMessage.objects.get(pk=result.sent[0])
    assert row.sent_at is not None and row.next_attempt_at is None and row.attempts == 1
    assert delivery.send_due(now=timezone.now() + dt.timedelta(hours=1)).sent == []
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_is_retried_with_backoff(
    world, emails, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    dispatch(world, django_capture_on_commit_callbacks)
    OutgoingMessage.objects.exclude(event__kind="dispatched").delete()
    OutgoingMessage.objects.update(next_attempt_at=T0)
    real_send = delivery.send_mail
    failures = iter([smtplib.SMTPServerDisconnected("connection lost")])

    def flaky_send(*args, **kwargs):
        for exc in failures:
            raise exc
        return real_send(*args, **kwargs)

    monkeypatch.setattr(delivery, "send_mail", flaky_send)
    assert len(delivery.send_due(now=T0).failed) == 1
    row = OutgoingMessage.objects.get()
    assert row.next_attempt_at == T0 + dt.timedelta(seconds=60) and "SMTPServerDisconnected" in row.last_error
    assert delivery.send_due(now=T0 + dt.timedelta(seconds=30)).sent == []  # not due yet
    assert len(delivery.send_due(now=T0 + dt.timedelta(seconds=61)).sent) == 1
    assert len(mailoutbox) == 1


# ---------------------------------------------------------------------------------------------- webhook


class Receiver(BaseHTTPRequestHandler):
    """Answers with the next queued status (200 when none is left) and records each request."""

    statuses: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(self.statuses.pop(0) if self.statuses else 200)
        self.end_headers()

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def receiver():
    Receiver.statuses, Receiver.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def webhook(settings, receiver):
    settings.REDCHAIN_WEBHOOK_URL = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    settings.REDCHAIN_WEBHOOK_SECRET = SECRET
    return receiver


def test_the_webhook_fails_once_then_succeeds_on_retry_with_a_signed_payload(
    world, webhook, django_capture_on_commit_callbacks
):
    demand = dispatch(world, django_capture_on_commit_callbacks)
    OutgoingMessage.objects.exclude(channel="webhook", event__kind="dispatched").delete()
    OutgoingMessage.objects.update(next_attempt_at=T0)
    Receiver.statuses = [500]

    first = delivery.send_due(now=T0)
    row = OutgoingMessage.objects.get()
    assert len(first.failed) == 1 and row.attempts == 1 and "HTTP 500" in row.last_error
    assert row.next_attempt_at == T0 + dt.timedelta(minutes=1)
    second = delivery.send_due(now=T0 + dt.timedelta(minutes=1))
    assert len(second.sent) == 1

    assert len(Receiver.received) == 2
    headers, body = Receiver.received[-1]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Redchain-Signature"], expected)
    payload = json.loads(body)
    assert payload["event"] == "dispatched"
    assert payload["demand"] == {
        "id": demand.pk,
        "tracking_code": demand.tracking_code,
        "title": "用电增容",
        "status": "handling",
    }
    assert set(payload) == {"event", "demand", "text", "at"}
    assert dt.datetime.fromisoformat(payload["at"]).tzinfo is not None


def test_an_unreachable_webhook_is_given_up_after_the_last_attempt(
    world, settings, django_capture_on_commit_callbacks
):
    settings.REDCHAIN_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens-here"
    settings.REDCHAIN_DELIVERY_MAX_ATTEMPTS = 3
    settings.REDCHAIN_WEBHOOK_TIMEOUT = 2
    dispatch(world, django_capture_on_commit_callbacks)
    OutgoingMessage.objects.exclude(channel="webhook", event__kind="dispatched").delete()
    OutgoingMessage.objects.update(next_attempt_at=T0)
    now, waits = T0, []
    for _ in range(3):
        row = OutgoingMessage.objects.get()
        if row.next_attempt_at is None:
            break
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at
        delivery.send_due(now=now)
    row = OutgoingMessage.objects.get()
    assert row.gave_up and row.attempts == 3 and row.sent_at is None
    assert waits == [dt.timedelta(0), dt.timedelta(minutes=1), dt.timedelta(minutes=2)]
    assert delivery.send_due(now=now + dt.timedelta(days=1)).sent == []


def test_a_row_is_claimed_by_one_sender_only(world, emails, django_capture_on_commit_callbacks):
    dispatch(world, django_capture_on_commit_callbacks)
    row = OutgoingMessage.objects.first()
    stale_copy = OutgoingMessage.objects.get(pk=row.pk)
    now = timezone.now() + dt.timedelta(seconds=1)
    assert delivery.claim(message=row, now=now) is True
    # A second sender that read the row before the claim finds it changed and leaves it.
    assert delivery.claim(message=stale_copy, now=now) is False
    row.refresh_from_db()
    assert row.attempts == 1 and row.next_attempt_at == now + delivery.LEASE


def test_a_claimed_row_whose_sender_died_is_due_again_after_the_lease(
    world, emails, mailoutbox, django_capture_on_commit_callbacks
):
    dispatch(world, django_capture_on_commit_callbacks)
    OutgoingMessage.objects.exclude(event__kind="dispatched").delete()
    row = OutgoingMessage.objects.get()
    now = timezone.now() + dt.timedelta(seconds=1)
    delivery.claim(message=row, now=now)  # …and the sender crashes before sending
    assert delivery.send_due(now=now + dt.timedelta(minutes=1)).sent == []
    assert len(delivery.send_due(now=now + delivery.LEASE).sent) == 1
    assert OutgoingMessage.objects.get().attempts == 2 and len(mailoutbox) == 1


def test_a_broken_outbox_never_breaks_the_step_or_the_in_app_notification(
    world, emails, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(delivery, "enqueue_for_event", broken)
    demand = dispatch(world, django_capture_on_commit_callbacks)
    demand.refresh_from_db()
    assert demand.status == "handling"
    assert Notification.objects.filter(user=world.hannah, event__kind="dispatched").exists()
    assert not OutgoingMessage.objects.exists()

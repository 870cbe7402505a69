"""GET /api/v1/track/{code}: the public tracking page's data, without personal data, rate-limited."""

import pytest
from django.core.cache import cache

from redchain.api.endpoints import track
from redchain.api.tests.test_demands import handling
from redchain.demands import services as s

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    """The rate-limit counters live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def get(client, code: str, address: str = "203.0.113.7"):
    return client.get(f"/api/v1/track/{code}", REMOTE_ADDR=address)


@pytest.fixture
def demand(world):
    demand = handling(world, contact_name="张三丰", contact_phone="13812345678")
    s.assignment_interim_reply(actor=world.hannah, demand=demand, text="已联系供电公司现场勘察")
    s.demand_instruct(actor=world.leo, demand=demand, text="请加快办理")
    return demand


def test_anyone_with_the_code_sees_the_status_and_public_steps(client, demand):
    response = get(client, demand.tracking_code)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "handling" and body["status_label"]
    assert [event["kind"] for event in body["timeline"]] == [
        "submitted",
        "accepted",
        "dispatched",
        "interim_reply",
    ]
    assert all(set(event) == {"kind", "label", "at"} for event in body["timeline"])


def test_tracking_shows_no_personal_data(client, world, demand):
    text = get(client, demand.tracking_code).content.decode()

    for secret in [
        "张三丰",
        "13812345678",
        "5678",
        "星辰汽车",
        "已联系供电公司",
        "请加快办理",
        "企业服务局",
        "Hannah",
        "Fiona",
        "Alice",
        "Leo",
        demand.title,
        demand.body,
    ]:
        assert secret not in text, secret


def test_code_is_read_case_insensitively_and_unknown_is_404(client, demand):
    assert get(client, demand.tracking_code.lower()).status_code == 200
    response = get(client, "NOSUCHCODE23")
    assert response.status_code == 404 and response.json() == {"detail": "未找到 / Not found"}


def test_tracking_needs_no_sign_in_and_says_so_in_the_schema(client, demand):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/track/{tracking_code}"]["get"]

    assert "security" not in operation


def test_too_many_requests_from_one_address_are_429(client, demand, monkeypatch):
    monkeypatch.setattr(track, "_clock", lambda: 1_000_040.0)  # 20 s into a window: 40 s left
    for _ in range(track.TRACK_RATE):
        assert get(client, demand.tracking_code).status_code == 200

    refused = get(client, demand.tracking_code)

    assert refused.status_code == 429
    assert "查询过于频繁" in refused.json()["detail"] and "Too many requests" in refused.json()["detail"]
    assert refused["Retry-After"] == "40"
    assert get(client, demand.tracking_code, address="198.51.100.9").status_code == 200


def test_unknown_codes_count_too_so_codes_cannot_be_guessed(client, demand, monkeypatch):
    monkeypatch.setattr(track, "_clock", lambda: 1_000_000.0)
    for n in range(track.TRACK_RATE):
        assert get(client, f"GUESS{n:07d}").status_code == 404

    assert get(client, demand.tracking_code).status_code == 429


def test_the_limit_resets_in_the_next_window(client, demand, monkeypatch):
    monkeypatch.setattr(track, "_clock", lambda: 1_000_000.0)
    for _ in range(track.TRACK_RATE + 1):
        get(client, demand.tracking_code)

    monkeypatch.setattr(track, "_clock", lambda: 1_000_000.0 + track.TRACK_WINDOW)

    assert get(client, demand.tracking_code).status_code == 200

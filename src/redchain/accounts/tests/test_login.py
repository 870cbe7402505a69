"""Signing in through the page: success, failure, throttling, and the working zone."""

import pytest
from django.conf import settings
from django.urls import reverse

from redchain.accounts.models import Role
from redchain.accounts.services import membership_grant

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_alice_signs_in_and_lands_on_the_overview(client, world):
    response = sign_in(client, "alice", "pw")
    assert response.status_code == 302 and response["Location"] == reverse("dashboards:overview")
    assert client.get(reverse("dashboards:overview")).context["zone"] == world.zone


def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = sign_in(client, "alice", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong")
    response = sign_in(client, "alice", "pw")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_user_does_not_lock_another(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "leo", "pw").status_code == 302


def test_a_user_in_two_zones_can_switch_between_them(login, world):
    membership_grant(actor=world.alice, user=world.leo, zone=world.other_zone, role=Role.LEADER)
    client = login(world.leo)
    assert client.get(reverse("dashboards:overview")).context["zone"] == world.zone
    client.post(reverse("accounts:zone_switch"), {"zone": world.other_zone.pk, "next": "/"})
    assert client.get(reverse("dashboards:overview")).context["zone"] == world.other_zone


def test_zone_switch_ignores_an_offsite_next(login, world):
    response = login(world.alice).post(
        reverse("accounts:zone_switch"), {"zone": world.zone.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_sign_out_ends_the_session(login, world):
    client = login(world.alice)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("dashboards:overview")).status_code == 302

"""Token login (throttled by django-axes), bearer and session authentication, and /me."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from redchain.accounts.models import ApiToken, hash_token
from redchain.api import errors

pytestmark = pytest.mark.django_db

PASSWORD = "pw"


def test_token_login_with_right_password_issues_a_working_token(api, world):
    response = api.post("auth/token", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(key_hash=hash_token(body["token"]))
    assert token.user == world.alice
    assert body["expires_at"]
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["username"] == "alice"


def test_token_is_stored_only_as_a_hash(api, world):
    raw = api.post("auth/token", {"username": "alice", "password": PASSWORD}).json()["token"]

    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert ApiToken.objects.filter(key_hash=hash_token(raw)).exists()


@pytest.mark.parametrize("username, password", [("alice", "wrong"), ("nobody", PASSWORD), ("alice", "")])
def test_token_login_with_bad_credentials_is_401_in_both_languages(api, world, username, password):
    response = api.post("auth/token", {"username": username, "password": password})

    if password:
        assert response.status_code == 401
        assert response.json() == {"detail": errors.BAD_CREDENTIALS}
        assert "用户名或密码错误" in response.json()["detail"]
        assert "Invalid username or password" in response.json()["detail"]
    else:
        assert response.status_code == 422  # an empty password is a malformed request


def test_inactive_user_cannot_get_a_token(api, world):
    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])

    response = api.post("auth/token", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 401


def test_failed_token_logins_are_counted_by_axes(api, world):
    api.post("auth/token", {"username": "alice", "password": "wrong"})

    assert AccessAttempt.objects.get(username="alice").failures_since_start == 1


def test_after_failure_limit_even_the_right_password_is_refused(api, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = api.post("auth/token", {"username": "alice", "password": "wrong"})
        assert response.status_code in (401, 429)

    response = api.post("auth/token", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": errors.LOCKED_OUT}
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME * 3600)
    assert not ApiToken.objects.filter(user=world.alice).exists()


def test_lockout_of_one_user_does_not_lock_out_another(api, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("auth/token", {"username": "alice", "password": "wrong"})

    response = api.post("auth/token", {"username": "leo", "password": PASSWORD})

    assert response.status_code == 200


def test_token_login_sets_no_session_cookie_and_stamps_last_login(api, world):
    response = api.post("auth/token", {"username": "alice", "password": PASSWORD})

    assert settings.SESSION_COOKIE_NAME not in response.cookies
    world.alice.refresh_from_db()
    assert world.alice.last_login is not None


def test_successful_login_resets_the_failure_count(api, world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api.post("auth/token", {"username": "alice", "password": "wrong"})
    assert api.post("auth/token", {"username": "alice", "password": PASSWORD}).status_code == 200

    response = api.post("auth/token", {"username": "alice", "password": "wrong"})

    assert response.status_code == 401


def test_token_login_needs_no_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/auth/token", {"username": "alice", "password": PASSWORD}, content_type="application/json"
    )

    assert response.status_code == 200


def test_anonymous_request_is_401_with_a_clear_message(api, world):
    response = api.get("me")

    assert response.status_code == 401
    assert response.json() == {"detail": errors.NOT_AUTHENTICATED}
    assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_token_is_401(api, world):
    response = api.client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 401
    assert response.json() == {"detail": errors.INVALID_TOKEN}


def test_expired_token_is_401(api, world):
    token = api.token(world.alice)
    past = timezone.now() - timedelta(seconds=1)
    ApiToken.objects.filter(key_hash=hash_token(token)).update(expires_at=past)

    response = api.get("me", as_user=world.alice)

    assert response.status_code == 401
    assert response.json() == {"detail": errors.INVALID_TOKEN}


def test_token_of_deactivated_user_is_401(api, world):
    token = api.token(world.alice)
    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])

    response = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_invalid_token_is_refused_even_with_a_session(api, login, world):
    login(world.alice)

    response = api.client.get("/api/v1/me", headers={"Authorization": "Bearer stale"})

    assert response.status_code == 401


def test_session_of_signed_in_browser_is_accepted(login, world):
    client = login(world.hannah)

    response = client.get("/api/v1/enterprises")

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_session_get_passes_csrf_enforcement(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.alice, backend="django.contrib.auth.backends.ModelBackend")

    assert strict.get("/api/v1/zones").status_code == 200


def test_using_a_token_records_when_it_was_last_used(api, world):
    api.get("me", as_user=world.alice)

    assert ApiToken.objects.get(user=world.alice).last_used_at is not None


# --- /me ----------------------------------------------------------------------------------------------


def test_me_for_zone_admin(api, world):
    body = api.get("me", as_user=world.alice).json()

    assert body == {
        "username": "alice",
        "display_name": "Alice",
        "roles": [
            {
                "role": "zone_admin",
                "zone_id": world.zone.pk,
                "department_id": None,
                "alliance_id": None,
                "enterprise_id": None,
            }
        ],
        "zone_ids": [world.zone.pk],
        "department_ids": [],
        "enterprise_ids": [],
        "alliance_ids": [],
    }


def test_me_for_department_handler(api, world):
    body = api.get("me", as_user=world.hannah).json()

    assert [role["role"] for role in body["roles"]] == ["handler"]
    assert body["roles"][0]["department_id"] == world.dept_a1.pk
    assert body["department_ids"] == [world.dept_a1.pk]
    assert body["zone_ids"] == [world.zone.pk]


def test_me_for_instructor_and_enterprise_contact(api, world):
    assert api.get("me", as_user=world.ivan).json()["alliance_ids"] == [world.alliance1.pk]
    fiona = api.get("me", as_user=world.fiona).json()
    assert fiona["enterprise_ids"] == [world.firm_x.pk]
    assert fiona["roles"][0]["role"] == "enterprise_contact"


def test_me_for_user_without_membership_has_no_roles(api, world):
    body = api.get("me", as_user=world.nora).json()

    assert body["roles"] == []
    assert body["zone_ids"] == body["department_ids"] == body["enterprise_ids"] == body["alliance_ids"] == []


def test_me_for_admin_of_other_zone(api, world):
    assert api.get("me", as_user=world.zara).json()["zone_ids"] == [world.other_zone.pk]

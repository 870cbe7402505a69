"""``redchain createadmin``, ``redchain serve``, and the loader's refusal to take over existing accounts."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from redchain.accounts.models import Role, User
from redchain.accounts.scope import scope_for
from redchain.accounts.services import user_create
from redchain.audit.models import AuditEntry
from redchain.core.management import serving
from redchain.demo.generator import DemoConflict, load_demo
from redchain.orgs.models import Zone
from redchain.orgs.services import zone_create

pytestmark = pytest.mark.django_db

STRONG = "Hong-lian-2026!"


@pytest.fixture
def zone() -> Zone:
    return zone_create(actor=None, name="甲开发区", code="zone-a")


def test_createadmin_creates_a_working_zone_admin(zone, capsys):
    call_command("createadmin", "--username", "alice", "--zone", "zone-a", "--password", STRONG)
    alice = User.objects.get(username="alice")
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request=request, username="alice", password=STRONG) == alice
    assert list(alice.memberships.values_list("zone", "role")) == [(zone.pk, Role.ZONE_ADMIN)]
    assert scope_for(alice).administers(zone.pk)
    assert not alice.is_superuser
    assert set(
        AuditEntry.objects.filter(object_type="accounts.user", object_id=str(alice.pk)).values_list(
            "action", flat=True
        )
    ) == {
        "user.create",
        "membership.grant",
    }
    assert "alice" in capsys.readouterr().out


def test_createadmin_superuser_flag_grants_admin_site_access(zone):
    call_command("createadmin", "--username", "root", "--zone", "zone-a", "--password", STRONG, "--superuser")
    root = User.objects.get(username="root")
    assert root.is_superuser and root.is_staff


def test_createadmin_names_the_existing_zones_when_the_code_is_wrong(zone):
    with pytest.raises(CommandError, match="No zone with code 'nowhere'.*zone-a"):
        call_command("createadmin", "--username", "alice", "--zone", "nowhere", "--password", STRONG)
    assert not User.objects.exists()


def test_createadmin_refuses_an_existing_username(zone):
    user_create(actor=None, username="alice", password=STRONG)
    with pytest.raises(CommandError, match="already exists"):
        call_command("createadmin", "--username", "alice", "--zone", "zone-a", "--password", STRONG)


def test_createadmin_refuses_a_weak_password(zone):
    with pytest.raises(CommandError):
        call_command("createadmin", "--username", "alice", "--zone", "zone-a", "--password", "123")
    assert not User.objects.exists()


def test_createadmin_needs_a_password_option_without_a_terminal(zone, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password"):
        call_command("createadmin", "--username", "alice", "--zone", "zone-a")


def test_createadmin_prompts_for_the_password_at_a_terminal(zone, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: STRONG)
    call_command("createadmin", "--username", "alice", "--zone", "zone-a")
    assert User.objects.get(username="alice").check_password(STRONG)


def test_createadmin_refuses_two_different_passwords(zone, monkeypatch):
    answers = iter([STRONG, STRONG + "x"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("createadmin", "--username", "alice", "--zone", "zone-a")


def test_serve_collects_static_files_then_runs_the_server_without_reloader(monkeypatch):
    calls = []
    monkeypatch.setattr(serving, "call_command", lambda *args, **kwargs: calls.append((args, kwargs)))
    call_command("serve", "--port", "8123", verbosity=0)
    assert [args for args, _ in calls] == [("collectstatic",), ("runserver", "127.0.0.1:8123")]
    assert calls[0][1]["interactive"] is False
    assert calls[1][1]["use_reloader"] is False


def test_serve_rejects_a_port_out_of_range():
    with pytest.raises(CommandError):
        call_command("serve", "--port", "70000")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),  # noqa: S104
        ("::1", "http://[::1]:8000/"),
    ],
)
def test_url_shows_an_address_a_browser_can_open(host, expected):
    assert serving.url(host=host, port=8000) == expected


def test_loader_refuses_to_take_over_existing_demo_usernames():
    user_create(actor=None, username="leader", password=STRONG)
    with pytest.raises(DemoConflict, match="leader"):
        load_demo()
    assert not Zone.objects.exists()
    assert User.objects.get(username="leader").check_password(STRONG)

"""Users, their memberships (a role with a scope) and API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships, never from the user row."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    ZONE_ADMIN = "zone_admin", _("zone administrator")
    LEADER = "leader", _("leader")
    DEPARTMENT_MANAGER = "department_manager", _("department manager")
    HANDLER = "handler", _("department handler")
    INSTRUCTOR = "instructor", _("alliance instructor")
    ENTERPRISE_CONTACT = "enterprise_contact", _("enterprise contact")


# Which scope field each role needs; every other scope field must be empty.
ROLE_SCOPE_FIELD: dict[str, str | None] = {
    Role.ZONE_ADMIN: None,
    Role.LEADER: None,
    Role.DEPARTMENT_MANAGER: "department",
    Role.HANDLER: "department",
    Role.INSTRUCTOR: "alliance",
    Role.ENTERPRISE_CONTACT: "enterprise",
}


def _scope_condition() -> Q:
    fields = ("department", "alliance", "enterprise")
    condition = Q()
    for role, needed in ROLE_SCOPE_FIELD.items():
        clause = Q(role=role)
        for field in fields:
            clause &= Q(**{f"{field}__isnull": field != needed})
        condition |= clause
    return condition


class Membership(models.Model):
    """A user's role in a zone, with the department, alliance or enterprise that role is scoped to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    zone = models.ForeignKey(
        "orgs.Zone", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("zone")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    alliance = models.ForeignKey(
        "orgs.Alliance", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=_scope_condition(), name="membership_scope_matches_role"),
            models.UniqueConstraint(
                fields=["user", "zone", "role", "department", "alliance", "enterprise"],
                name="membership_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        target = self.department or self.alliance or self.enterprise or self.zone
        return f"{self.user} · {self.get_role_display()} · {target}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored, so a database leak does not leak tokens."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

"""Writes of party life. Each function is one transaction, checks the actor's permission, validates with
``full_clean()`` and writes its audit row; views, the API and the demo loader call these and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redchain.audit.services import audit_record, diff
from redchain.core.errors import ActionRefused, require
from redchain.orgs.models import PartyMember, PartyOrg, Zone
from redchain.partylife.models import (
    ActivityKind,
    Attendance,
    BranchBrand,
    BranchRating,
    CadenceRule,
    PartyActivity,
)
from redchain.partylife.permissions import administers, may_record

ACTIVITY_FIELDS = ("kind", "title", "held_on", "place", "topic", "host", "content")


def _today() -> date:
    return timezone.localdate()


def _not_in_future(day: date | None, field_name: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field_name: _("The date cannot be in the future.")})


# --- activities -------------------------------------------------------------------------------------


def _clean_attendance(org: PartyOrg, attendance: Mapping[int, str]) -> dict[int, str]:
    """The roll call as {member id: status}; every member must belong to the organisation."""
    statuses = set(Attendance.Status.values)
    if any(status not in statuses for status in attendance.values()):
        raise ValidationError({"attendance": _("Attendance must be present, absent or excused.")})
    own = set(PartyMember.objects.filter(org=org, pk__in=list(attendance)).values_list("pk", flat=True))
    if own != set(attendance):
        raise ValidationError({"attendance": _("Only members of this organisation can be on its roll call.")})
    return dict(attendance)


def _write_attendance(activity: PartyActivity, attendance: Mapping[int, str]) -> None:
    Attendance.objects.bulk_create(
        Attendance(zone_id=activity.zone_id, activity=activity, member_id=member_id, status=status)
        for member_id, status in attendance.items()
    )


def _attendance_summary(attendance: Mapping[int, str]) -> dict[str, int]:
    return {status: sum(1 for s in attendance.values() if s == status) for status in Attendance.Status.values}


@transaction.atomic
def activity_record(
    *,
    actor,
    org: PartyOrg,
    kind: str,
    title: str,
    held_on: date,
    attendance: Mapping[int, str] | None = None,
    **fields: Any,
) -> PartyActivity:
    """Record one activity of ``org`` with its roll call ({member id: present/absent/excused})."""
    require(may_record(actor, org))
    activity = PartyActivity(
        zone_id=org.zone_id, org=org, kind=kind, title=title, held_on=held_on, recorded_by=actor, **fields
    )
    activity.full_clean()
    _not_in_future(activity.held_on, "held_on")
    roll = _clean_attendance(org, attendance or {})
    activity.save()
    _write_attendance(activity, roll)
    audit_record(
        actor=actor,
        action="party_activity.record",
        obj=activity,
        changes={"attendance": _attendance_summary(roll)},
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor, activity: PartyActivity, attendance: Mapping[int, str] | None = None, **fields: Any
) -> PartyActivity:
    """Correct an activity; a given roll call replaces the old one."""
    activity = PartyActivity.objects.select_for_update().select_related("org").get(pk=activity.pk)
    require(may_record(actor, activity.org))
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    changes = diff(activity, fields)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    _not_in_future(activity.held_on, "held_on")
    if attendance is not None:
        roll = _clean_attendance(activity.org, attendance)
        before = dict(activity.attendance.values_list("member_id", "status"))
        if before != roll:
            changes["attendance"] = [_attendance_summary(before), _attendance_summary(roll)]
            activity.attendance.all().delete()
            _write_attendance(activity, roll)
    if changes:
        activity.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="party_activity.update", obj=activity, changes=changes)
    return activity


@dataclass
class ActivityDraft:
    """One activity for :func:`activity_import`."""

    kind: str
    title: str
    held_on: date
    place: str = ""
    topic: str = ""
    host: str = ""
    content: str = ""
    attendance: dict[int, str] = field(default_factory=dict)


@transaction.atomic
def activity_import(*, actor, org: PartyOrg, drafts: Iterable[ActivityDraft]) -> int:
    """Record many activities of one organisation at once (the demo's year, a ledger import).

    The bulk path validates every draft like :func:`activity_record` but inserts in bulk and writes one audit
    row for the batch (with the number and dates recorded) rather than one per activity.
    """
    require(may_record(actor, org))
    drafts = list(drafts)
    members = set(PartyMember.objects.filter(org=org).values_list("pk", flat=True))
    activities = []
    for draft in drafts:
        activity = PartyActivity(
            zone_id=org.zone_id,
            org=org,
            recorded_by=actor,
            **{name: getattr(draft, name) for name in ACTIVITY_FIELDS},
        )
        # The organisation is checked once above; per-row foreign-key lookups would cost a query each.
        activity.full_clean(exclude=["zone", "org", "recorded_by"], validate_constraints=False)
        _not_in_future(activity.held_on, "held_on")
        if not set(draft.attendance) <= members or not set(draft.attendance.values()) <= set(
            Attendance.Status.values
        ):
            raise ValidationError(
                {"attendance": _("Only members of this organisation can be on its roll call.")}
            )
        activities.append(activity)
    PartyActivity.objects.bulk_create(activities)
    Attendance.objects.bulk_create(
        [
            Attendance(zone_id=org.zone_id, activity=activity, member_id=member_id, status=status)
            for activity, draft in zip(activities, drafts, strict=True)
            for member_id, status in draft.attendance.items()
        ],
        batch_size=500,
    )
    if activities:
        dates = sorted(a.held_on for a in activities)
        audit_record(
            actor=actor,
            action="party_activity.import",
            obj=org,
            changes={"activities": [None, len(activities)], "held_on": [str(dates[0]), str(dates[-1])]},
        )
    return len(activities)


# --- cadence rules ----------------------------------------------------------------------------------

BRANCHES = ["general_branch", "branch"]
DEFAULT_RULES: tuple[tuple[str, int, list[str]], ...] = (
    (ActivityKind.THEME_DAY, 1, BRANCHES),
    (ActivityKind.COMMITTEE_MEETING, 1, BRANCHES),
    (ActivityKind.GROUP_MEETING, 1, ["group"]),
    (ActivityKind.GENERAL_MEETING, 3, BRANCHES),
    (ActivityKind.LECTURE, 3, BRANCHES),
    (ActivityKind.LIFE_MEETING, 12, BRANCHES),
    (ActivityKind.APPRAISAL, 12, BRANCHES),
)


@transaction.atomic
def cadence_rule_save(
    *, actor, zone: Zone, kind: str, every_months: int, org_kinds: list[str], is_active: bool = True
) -> CadenceRule:
    """Create the zone's rule for ``kind`` or change it."""
    require(administers(actor, zone.pk))
    rule = CadenceRule.objects.select_for_update().filter(zone=zone, kind=kind).first()
    values = {"every_months": every_months, "org_kinds": list(org_kinds), "is_active": is_active}
    if rule is None:
        rule = CadenceRule(zone=zone, kind=kind, **values)
        rule.full_clean()
        rule.save()
        audit_record(actor=actor, action="cadence_rule.create", obj=rule)
        return rule
    changes = diff(rule, values)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.full_clean()
    if changes:
        rule.save(update_fields=[*values, "updated_at"])
        audit_record(actor=actor, action="cadence_rule.update", obj=rule, changes=changes)
    return rule


def cadence_defaults_create(*, actor, zone: Zone) -> list[CadenceRule]:
    """The usual cadence (monthly theme day and committee meeting, quarterly general meeting and lecture,
    yearly appraisal and life meeting) for every kind the zone has no rule for yet."""
    require(administers(actor, zone.pk))
    existing = set(CadenceRule.objects.filter(zone=zone).values_list("kind", flat=True))
    return [
        cadence_rule_save(actor=actor, zone=zone, kind=kind, every_months=every, org_kinds=org_kinds)
        for kind, every, org_kinds in DEFAULT_RULES
        if kind not in existing
    ]


# --- branch brands ----------------------------------------------------------------------------------

BRAND_FIELDS = ("name", "slogan", "description", "established_year")


def _brand_org(org: PartyOrg) -> None:
    if org.kind not in (PartyOrg.Kind.BRANCH, PartyOrg.Kind.GENERAL_BRANCH):
        raise ValidationError({"org": _("Brands and ratings are for branches and general branches.")})


@transaction.atomic
def brand_create(*, actor, org: PartyOrg, name: str, established_year: int, **fields: Any) -> BranchBrand:
    """Start cultivating a brand for a branch that has no active one."""
    require(may_record(actor, org))
    _brand_org(org)
    PartyOrg.objects.select_for_update().filter(pk=org.pk).first()  # serialise brands of one branch
    if BranchBrand.objects.filter(org=org, status__in=BranchBrand.ACTIVE).exists():
        raise ActionRefused("该支部已有品牌，请先撤销原品牌", "This branch already has an active brand")
    brand = BranchBrand(zone_id=org.zone_id, org=org, name=name, established_year=established_year, **fields)
    brand.full_clean()
    if brand.established_year > _today().year:
        raise ValidationError({"established_year": _("The year cannot be in the future.")})
    brand.save()
    audit_record(actor=actor, action="branch_brand.create", obj=brand)
    return brand


def _locked_brand(brand: BranchBrand) -> BranchBrand:
    return BranchBrand.objects.select_for_update().select_related("org").get(pk=brand.pk)


@transaction.atomic
def brand_update(*, actor, brand: BranchBrand, **fields: Any) -> BranchBrand:
    brand = _locked_brand(brand)
    require(may_record(actor, brand.org))
    if set(fields) - set(BRAND_FIELDS):
        raise ValidationError(_("Only the name, slogan, description and year can be edited."))
    if brand.status == BranchBrand.Status.RETIRED:
        raise ActionRefused("已撤销的品牌不能修改", "A retired brand cannot be edited")
    changes = diff(brand, fields)
    for name, value in fields.items():
        setattr(brand, name, value)
    brand.full_clean()
    if changes:
        brand.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="branch_brand.update", obj=brand, changes=changes)
    return brand


@transaction.atomic
def brand_name(*, actor, brand: BranchBrand, named_on: date) -> BranchBrand:
    """The working committee names a cultivated brand (培育 → 命名)."""
    brand = _locked_brand(brand)
    require(administers(actor, brand.zone_id))
    if brand.status != BranchBrand.Status.CULTIVATING:
        raise ActionRefused("只有培育中的品牌可以命名", "Only a brand being cultivated can be named")
    _not_in_future(named_on, "named_on")
    if named_on.year < brand.established_year:
        raise ValidationError({"named_on": _("A brand cannot be named before it was established.")})
    brand.status, brand.named_on = BranchBrand.Status.NAMED, named_on
    brand.full_clean()
    brand.save(update_fields=["status", "named_on", "updated_at"])
    audit_record(
        actor=actor, action="branch_brand.name", obj=brand, changes={"status": ["cultivating", "named"]}
    )
    return brand


@transaction.atomic
def brand_retire(*, actor, brand: BranchBrand, reason: str = "") -> BranchBrand:
    """Retire a brand, so the branch may start another."""
    brand = _locked_brand(brand)
    require(may_record(actor, brand.org))
    if brand.status == BranchBrand.Status.RETIRED:
        raise ActionRefused("该品牌已撤销", "The brand is already retired")
    old = brand.status
    brand.status = BranchBrand.Status.RETIRED
    brand.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="branch_brand.retire",
        obj=brand,
        changes={"status": [old, "retired"]},
        reason=reason,
    )
    return brand


# --- ratings ----------------------------------------------------------------------------------------

RATING_FIELDS = ("score", "rated_on", "note")


def _check_rating(rating: BranchRating) -> None:
    rating.level = BranchRating.level_for(Decimal(rating.score))
    rating.full_clean()
    _not_in_future(rating.rated_on, "rated_on")
    if rating.rated_on.year < rating.year:
        raise ValidationError({"rated_on": _("A year is rated after it has begun, not before.")})


@transaction.atomic
def rating_create(
    *, actor, org: PartyOrg, year: int, score: Decimal, rated_on: date, note: str = ""
) -> BranchRating:
    """Rate a branch for a year; the level follows from the score. One rating per branch per year."""
    require(administers(actor, org.zone_id))
    _brand_org(org)
    rating = BranchRating(zone_id=org.zone_id, org=org, year=year, score=score, rated_on=rated_on, note=note)
    _check_rating(rating)
    rating.save()
    audit_record(
        actor=actor, action="branch_rating.create", obj=rating, changes={"level": [None, rating.level]}
    )
    return rating


@transaction.atomic
def rating_update(*, actor, rating: BranchRating, **fields: Any) -> BranchRating:
    rating = BranchRating.objects.select_for_update().select_related("org").get(pk=rating.pk)
    require(administers(actor, rating.zone_id))
    if set(fields) - set(RATING_FIELDS):
        raise ValidationError(_("Only the score, date and note of a rating can be changed."))
    changes = diff(rating, fields)
    for name, value in fields.items():
        setattr(rating, name, value)
    old_level = rating.level
    _check_rating(rating)
    if rating.level != old_level:
        changes["level"] = [old_level, rating.level]
    if changes:
        rating.save(update_fields=[*fields, "level", "updated_at"])
        audit_record(actor=actor, action="branch_rating.update", obj=rating, changes=changes)
    return rating

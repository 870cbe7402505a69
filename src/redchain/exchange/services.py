"""Every write of the exchange: posting needs and resources, the matcher's proposals, a match's answers and
result, the alliances' projects, and alliance feedback into the demand loop (反馈沟通制).

Each function is one transaction that checks permission, locks the row whose state it changes, validates
with ``full_clean()`` and writes its audit row. Refusals are :class:`ActionRefused` (a wrong state, 409) or
:class:`Forbidden` (not this actor's to do, 404); bad values are ``ValidationError`` ("中文 / English").
``actor=None`` is the system (the demo loader).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from redchain.audit.services import audit_record, diff
from redchain.core.errors import ActionRefused, Forbidden
from redchain.exchange import matcher
from redchain.exchange import permissions as perms
from redchain.exchange.models import Listing, ListingStatus, Match, Need, Project, Resource
from redchain.orgs.models import Alliance, AllianceMember, Department, Enterprise, Zone

MS = Match.Status
EDITABLE_LISTING_FIELDS = (
    "kind",
    "title",
    "description",
    "amount_wan",
    "quantity",
    "valid_until",
    "contact_name",
    "contact_phone",
)
EDITABLE_PROJECT_FIELDS = (
    "title",
    "description",
    "status",
    "investment_wan",
    "started_on",
    "finished_on",
    "outcome",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden("您无权执行此操作", "You may not do this")


def _today() -> date:
    return timezone.localdate()


def _not_future(value: date, field: str) -> date:
    if value > _today():
        raise ValidationError({field: "日期不能晚于今天 / The date cannot be in the future"})
    return value


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# ---------------------------------------------------------------------------------------------- listings


def _owner_checks(*, zone: Zone, alliance, enterprise, department, institution: str) -> None:
    """The owner belongs to the zone and, when the posting is in an alliance, to its roster."""
    for unit in (alliance, enterprise, department):
        if unit is not None and unit.zone_id != zone.pk:
            raise ValidationError("所选单位不属于该园区 / A unit belongs to another zone")
    if alliance is None:
        if enterprise is None or enterprise.chain_id is None:
            raise ValidationError(
                {
                    "alliance": "请选择联盟；只有产业链上的企业可面向整条产业链发布 / "
                    "Choose an alliance; only a firm on a chain may post to the whole chain"
                }
            )
        return
    roster = AllianceMember.objects.filter(alliance=alliance)
    if enterprise is not None:
        member = roster.filter(enterprise=enterprise).exists() or enterprise.chain_id == alliance.chain_id
    elif department is not None:
        member = roster.filter(department=department).exists()
    else:
        member = roster.filter(external_name=institution).exists()
    if not member:
        raise ValidationError(
            {"alliance": "发布单位不是该联盟的成员单位 / The owner is not a member of the alliance"}
        )


def _chain_id(alliance: Alliance | None, enterprise: Enterprise | None) -> int:
    """The chain a posting belongs to: its alliance's, or for a chain-wide posting its firm's."""
    chain_id = alliance.chain_id if alliance is not None else getattr(enterprise, "chain_id", None)
    if chain_id is None:  # _owner_checks refuses this first; kept so a new caller cannot skip it
        raise ValidationError({"alliance": "请选择联盟 / Choose an alliance"})
    return chain_id


def _post(
    model: type[Listing],
    *,
    actor,
    zone: Zone,
    kind: str,
    title: str,
    description: str,
    valid_until: date,
    alliance: Alliance | None = None,
    enterprise: Enterprise | None = None,
    department: Department | None = None,
    institution: str = "",
    posted_on: date | None = None,
    **fields: Any,
) -> Listing:
    _require(
        perms.may_post(
            actor,
            zone_id=zone.pk,
            alliance_id=getattr(alliance, "pk", None),
            enterprise_id=getattr(enterprise, "pk", None),
            department_id=getattr(department, "pk", None),
        )
    )
    _owner_checks(
        zone=zone, alliance=alliance, enterprise=enterprise, department=department, institution=institution
    )
    posted_on = _not_future(posted_on or _today(), "posted_on")
    if valid_until < posted_on:
        raise ValidationError(
            {"valid_until": "有效期不能早于发布日期 / Valid until cannot be before the posting date"}
        )
    listing = model(
        zone=zone,
        alliance=alliance,
        chain_id=_chain_id(alliance, enterprise),
        owner_enterprise=enterprise,
        owner_department=department,
        owner_institution=institution.strip(),
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        valid_until=valid_until,
        posted_on=posted_on,
        posted_by=_user(actor),
        **fields,
    )
    listing.full_clean()
    listing.save()
    audit_record(actor=actor, action=f"{model._meta.model_name}.post", obj=listing)
    return listing


def need_post(**kwargs: Any) -> Need:
    """Post a need (需求清单). See :func:`_post` for the arguments."""
    with transaction.atomic():
        return _post(Need, **kwargs)  # type: ignore[return-value]


def resource_post(**kwargs: Any) -> Resource:
    """Post a resource (资源清单)."""
    with transaction.atomic():
        return _post(Resource, **kwargs)  # type: ignore[return-value]


def _lock_listing(listing: Listing) -> Listing:
    return type(listing)._default_manager.select_for_update().get(pk=listing.pk)


def _expect_open(listing: Listing) -> None:
    if listing.status != ListingStatus.OPEN:
        raise ActionRefused(
            f"当前状态为「{listing.get_status_display()}」，不能执行此操作",  # type: ignore[attr-defined]
            f"Not allowed while the listing is {listing.status}",
        )


@transaction.atomic
def listing_update(*, actor, listing: Listing, **fields: Any) -> Listing:
    """Change an open need or resource; only the fields people type in, never the owner or the state."""
    listing = _lock_listing(listing)
    _require(perms.may_manage_listing(actor, listing))
    _expect_open(listing)
    unknown = set(fields) - set(EDITABLE_LISTING_FIELDS)
    if unknown:
        raise ValidationError(
            f"不能修改这些字段 / These fields cannot be changed: {', '.join(sorted(unknown))}"
        )
    changes = diff(listing, fields)
    for name, value in fields.items():
        setattr(listing, name, value)
    listing.full_clean()
    if changes:
        listing.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action=f"{listing._meta.model_name}.update", obj=listing, changes=changes)
    return listing


@transaction.atomic
def listing_withdraw(*, actor, listing: Listing, reason: str = "") -> Listing:
    """The owner takes an open posting back; its open proposals are declined with the same reason."""
    listing = _lock_listing(listing)
    _require(perms.may_manage_listing(actor, listing))
    _expect_open(listing)
    listing.status = ListingStatus.WITHDRAWN
    listing.save(update_fields=["status", "updated_at"])
    why = reason.strip() or "发布方已撤回 / Withdrawn by its owner"
    side = "need" if isinstance(listing, Need) else "resource"
    Match.objects.filter(**{side: listing}, status=MS.PROPOSED).update(status=MS.DECLINED, decline_reason=why)
    audit_record(
        actor=actor,
        action=f"{listing._meta.model_name}.withdraw",
        obj=listing,
        changes={"status": [ListingStatus.OPEN, ListingStatus.WITHDRAWN]},
        reason=reason.strip(),
    )
    return listing


# ---------------------------------------------------------------------------------------------- matches


def _alliance_of(need: Need, resource: Resource) -> int | None:
    """Where the match's totals count: the need's alliance, else the resource's, else its chain's alliance."""
    return (
        need.alliance_id
        or resource.alliance_id
        or Alliance.objects.filter(zone_id=need.zone_id, chain_id=need.chain_id)
        .values_list("id", flat=True)
        .first()
    )


def _create_match(*, actor, need: Need, resource: Resource, candidate, source: str, on: date) -> Match:
    match = Match(
        zone_id=need.zone_id,
        alliance_id=_alliance_of(need, resource),
        chain_id=need.chain_id,
        need=need,
        resource=resource,
        source=source,
        score=candidate.score,
        reasons=candidate.reasons,
        proposed_on=on,
        proposed_by=_user(actor),
    )
    match.full_clean(validate_constraints=False)
    match.save()
    audit_record(actor=actor, action="match.propose", obj=match, changes={"score": [None, match.score]})
    return match


@transaction.atomic
def need_propose(*, actor, need: Need, on: date | None = None, top: int = matcher.TOP) -> list[Match]:
    """Run the matcher for an open need and record its best candidates as proposals."""
    need = _lock_listing(need)  # type: ignore[assignment]
    _require(perms.may_manage_listing(actor, need))
    _expect_open(need)
    on = _not_future(on or _today(), "on")
    return [
        _create_match(
            actor=actor, need=need, resource=c.resource, candidate=c, source=Match.Source.SYSTEM, on=on
        )
        for c in matcher.candidates(need, on=on, top=top)
    ]


@transaction.atomic
def match_propose(*, actor, need: Need, resource: Resource, on: date | None = None) -> Match:
    """An instructor or the zone admin pairs a need with a resource by hand."""
    need = _lock_listing(need)  # type: ignore[assignment]
    _require(perms.may_propose_by_hand(actor, need))
    _expect_open(need)
    if resource.zone_id != need.zone_id or resource.status != ListingStatus.OPEN:
        raise ValidationError({"resource": "该资源不可匹配 / This resource cannot be matched"})
    if need.matches.filter(resource=resource).exists():
        raise ActionRefused("这对需求和资源已经匹配过", "This need and resource were already paired")
    candidate = matcher.score(need, resource)
    on = _not_future(on or _today(), "on")
    return _create_match(
        actor=actor, need=need, resource=resource, candidate=candidate, source=Match.Source.MANUAL, on=on
    )


def _lock_match(match: Match) -> Match:
    return Match.objects.select_for_update().select_related("need", "resource").get(pk=match.pk)


def _expect(match: Match, *statuses: str) -> None:
    if match.status not in statuses:
        raise ActionRefused(
            f"匹配当前状态为「{match.get_status_display()}」，不能执行此操作",
            f"Not allowed while the match is {match.status}",
        )


def _day(on: date | None, match: Match, field: str) -> date:
    day = _not_future(on or _today(), field)
    if day < match.proposed_on:
        raise ValidationError({field: "日期不能早于提出匹配的日期 / The date cannot be before the proposal"})
    return day


@transaction.atomic
def match_accept(*, actor, match: Match, on: date | None = None) -> Match:
    """Accept for the sides the actor answers for; once both sides have, the listings become matched."""
    match = _lock_match(match)
    sides = perms.sides_answered_by(actor, match)
    _require(bool(sides))
    _expect(match, MS.PROPOSED)
    day = _day(on, match, "on")
    fields = [f"{side}_accepted_on" for side in sides if getattr(match, f"{side}_accepted_on") is None]
    if not fields:
        raise ActionRefused("您已经接受了此匹配", "You have accepted this match already")
    for name in fields:
        setattr(match, name, day)
    changes: dict[str, list] = {name: [None, str(day)] for name in fields}
    if match.both_accepted:
        match.status = MS.ACCEPTED
        changes["status"] = [MS.PROPOSED, MS.ACCEPTED]
        _set_listing_status(match, ListingStatus.MATCHED, from_status=ListingStatus.OPEN)
    match.save(update_fields=[*fields, "status", "updated_at"])
    audit_record(actor=actor, action="match.accept", obj=match, changes=changes)
    return match


def _set_listing_status(match: Match, status: str, *, from_status: str) -> None:
    for listing in (match.need, match.resource):
        locked = _lock_listing(listing)
        if locked.status == from_status:
            locked.status = status
            locked.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=None,
                action=f"{locked._meta.model_name}.{status}",
                obj=locked,
                changes={"status": [from_status, status], "match": [None, match.pk]},
            )


@transaction.atomic
def match_decline(*, actor, match: Match, reason: str) -> Match:
    """Either side (or the instructor or admin who proposed it) declines a proposal, saying why."""
    match = _lock_match(match)
    _require(perms.may_close_match(actor, match))
    _expect(match, MS.PROPOSED)
    if not reason.strip():
        raise ValidationError({"reason": "请说明拒绝的理由 / A reason is required"})
    match.status, match.decline_reason = MS.DECLINED, reason.strip()
    match.save(update_fields=["status", "decline_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="match.decline",
        obj=match,
        changes={"status": [MS.PROPOSED, MS.DECLINED]},
        reason=reason,
    )
    return match


def _figure(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    if number < 0:
        raise ValidationError({field: "金额不能为负数 / The figure cannot be negative"})
    return number


@transaction.atomic
def match_close(
    *, actor, match: Match, result: str, saved_wan=None, deal_value_wan=None, on: date | None = None
) -> Match:
    """Record what an accepted match achieved; the need and the resource are closed with it."""
    match = _lock_match(match)
    _require(perms.may_close_match(actor, match))
    _expect(match, MS.ACCEPTED)
    if not result.strip():
        raise ValidationError({"result": "请填写对接成效 / Describe the result"})
    day = _day(on, match, "closed_on")
    accepted_on = [d for d in (match.need_accepted_on, match.resource_accepted_on) if d is not None]
    if accepted_on and day < max(accepted_on):
        raise ValidationError({"closed_on": "办结日期不能早于接受日期 / Cannot close before it was accepted"})
    match.status, match.closed_on, match.result = MS.CLOSED, day, result.strip()
    match.saved_wan = _figure(saved_wan, "saved_wan")
    match.deal_value_wan = _figure(deal_value_wan, "deal_value_wan")
    match.full_clean(validate_constraints=False)
    match.save(update_fields=["status", "closed_on", "result", "saved_wan", "deal_value_wan", "updated_at"])
    _set_listing_status(match, ListingStatus.CLOSED, from_status=ListingStatus.MATCHED)
    audit_record(
        actor=actor,
        action="match.close",
        obj=match,
        changes={
            "status": [MS.ACCEPTED, MS.CLOSED],
            "saved_wan": [None, str(match.saved_wan or "")],
            "deal_value_wan": [None, str(match.deal_value_wan or "")],
        },
        reason=match.result,
    )
    return match


# ---------------------------------------------------------------------------------------------- projects


def _units(alliance: Alliance, units) -> list[AllianceMember]:
    units = list(units or [])
    if any(unit.alliance_id != alliance.pk for unit in units):
        raise ValidationError(
            {"units": "参与单位须是该联盟的成员单位 / Units must be members of the alliance"}
        )
    return units


def _project_dates(project: Project) -> None:
    for field in ("started_on", "finished_on"):
        value = getattr(project, field)
        if value is not None and field == "finished_on":
            _not_future(value, field)
    if project.status == Project.Status.DONE and project.finished_on is None:
        raise ValidationError(
            {"finished_on": "已完成的项目须填写完成日期 / A done project needs its finish date"}
        )
    if project.finished_on and (project.started_on is None or project.finished_on < project.started_on):
        raise ValidationError({"finished_on": "完成日期不能早于开始日期 / Finished before it started"})


@transaction.atomic
def project_create(*, actor, alliance: Alliance, title: str, units=(), **fields: Any) -> Project:
    """Add a co-building project to an alliance's projects list (instructor or zone admin)."""
    _require(perms.may_manage_projects(actor, alliance))
    members = _units(alliance, units)
    project = Project(zone_id=alliance.zone_id, alliance=alliance, title=title.strip(), **fields)
    _project_dates(project)
    project.full_clean()
    project.save()
    project.units.set(members)
    audit_record(actor=actor, action="project.create", obj=project, changes={"units": [None, len(members)]})
    return project


@transaction.atomic
def project_update(*, actor, project: Project, units=None, **fields: Any) -> Project:
    project = Project.objects.select_for_update().select_related("alliance").get(pk=project.pk)
    _require(perms.may_manage_projects(actor, project.alliance))
    unknown = set(fields) - set(EDITABLE_PROJECT_FIELDS)
    if unknown:
        raise ValidationError(
            f"不能修改这些字段 / These fields cannot be changed: {', '.join(sorted(unknown))}"
        )
    changes = diff(project, fields)
    for name, value in fields.items():
        setattr(project, name, value)
    _project_dates(project)
    project.full_clean()
    project.save()
    if units is not None:
        members = _units(project.alliance, units)
        before = sorted(project.units.values_list("id", flat=True))
        if before != sorted(m.pk for m in members):
            changes["units"] = [before, sorted(m.pk for m in members)]
            project.units.set(members)
    if changes:
        audit_record(actor=actor, action="project.update", obj=project, changes=changes)
    return project


# ---------------------------------------------------------------------------------------------- feedback


@transaction.atomic
def feedback_submit(
    *, actor, alliance: Alliance, title: str, body: str, enterprise: Enterprise | None = None, **contact: str
):
    """A member's feedback raised in the alliance (反馈沟通制) enters the demand loop as an alliance demand.

    The demand service checks who may submit and writes the demand's own audit row and timeline.
    """
    from redchain.demands.models import Channel
    from redchain.demands.services import demand_submit

    _require(perms.may_raise_feedback(actor, alliance, getattr(enterprise, "pk", None)))
    if (
        enterprise is not None
        and not AllianceMember.objects.filter(alliance=alliance, enterprise=enterprise).exists()
    ):
        raise ValidationError(
            {"enterprise": "该企业不是联盟成员单位 / The enterprise is not a member of the alliance"}
        )
    return demand_submit(
        actor=actor,
        zone=alliance.zone,
        title=title,
        body=body,
        channel=Channel.ALLIANCE,
        enterprise=enterprise,
        alliance=alliance,
        contact_name=contact.get("contact_name", ""),
        contact_phone=contact.get("contact_phone", ""),
    )

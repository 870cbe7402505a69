"""Needs, resources and matches over the shared ``world`` (src/redchain/conftest.py), made through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from redchain.exchange import services


def today() -> date:
    return timezone.localdate()


def need(world, *, owner=None, alliance="default", **fields):
    """A procurement need of firm X in alliance 1, posted by its contact fiona, unless told otherwise."""
    values = {
        "kind": "procurement",
        "title": "联合采购动力电池电芯",
        "description": "下半年采购动力电池电芯两万套，希望联合采购降低成本。",
        "valid_until": today() + timedelta(days=90),
        "amount_wan": 500,
        "contact_name": "陈经理",
        "contact_phone": "13811112222",
    }
    values.update(fields)
    actor = values.pop("actor", None)
    return services.need_post(
        actor=actor,
        zone=world.zone,
        alliance=world.alliance1 if alliance == "default" else alliance,
        **(owner or {"enterprise": world.firm_x}),
        **values,
    )


def resource(world, *, owner=None, alliance="default", **fields):
    """Firm Y's (upstream, on chain 1) battery cells offered in alliance 1."""
    values = {
        "kind": "procurement",
        "title": "动力电池电芯批量供应",
        "description": "可稳定供应动力电池电芯，联盟成员联合采购给予价格优惠。",
        "valid_until": today() + timedelta(days=180),
        "contact_name": "李经理",
        "contact_phone": "13933334444",
    }
    values.update(fields)
    actor = values.pop("actor", None)
    return services.resource_post(
        actor=actor,
        zone=world.zone,
        alliance=world.alliance1 if alliance == "default" else alliance,
        **(owner or {"enterprise": world.firm_y}),
        **values,
    )


def proposed(world, **need_fields):
    """Firm X's need matched by the system with firm Y's resource."""
    r = resource(world)
    n = need(world, **need_fields)
    (match,) = services.need_propose(actor=None, need=n)
    assert match.resource_id == r.pk
    return match


def accepted(world):
    match = proposed(world)
    services.match_accept(actor=world.fiona, match=match)
    return services.match_accept(actor=world.frank, match=match)


def zone_b_need(world):
    return services.need_post(
        actor=None,
        zone=world.other_zone,
        alliance=world.other_alliance,
        enterprise=world.other_firm,
        kind="orders",
        title="寻找配套订单",
        description="产能富余，承接配套订单。",
        valid_until=today() + timedelta(days=30),
    )

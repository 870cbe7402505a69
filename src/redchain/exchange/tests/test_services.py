"""The exchange's writes: posting, the matcher, a match's answers and result, projects, feedback."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from redchain.audit.models import AuditEntry
from redchain.core.errors import ActionRefused, Forbidden
from redchain.demands.models import Demand
from redchain.exchange import matcher, services
from redchain.exchange.models import Match, Need
from redchain.exchange.tests import factories as fx

pytestmark = pytest.mark.django_db


def test_contact_posts_a_need_for_their_firm_with_an_audit_row(world):
    need = fx.need(world, actor=world.fiona)

    assert need.status == "open" and need.chain_id == world.chain1.pk and need.posted_by == world.fiona
    assert AuditEntry.objects.filter(action="need.post", object_id=str(need.pk), zone=world.zone).exists()


def test_contact_cannot_post_for_another_firm(world):
    with pytest.raises(Forbidden):
        fx.need(world, actor=world.frank)
    assert not Need.objects.exists()


def test_department_staff_post_their_departments_resource_but_not_for_others(world):
    resource = fx.resource(world, actor=world.hannah, owner={"department": world.dept_a1}, kind="financing")
    assert resource.owner_department == world.dept_a1
    with pytest.raises(Forbidden):
        fx.resource(world, actor=world.harry, owner={"department": world.dept_a1})


def test_a_department_outside_the_alliance_cannot_post_in_it(world):
    with pytest.raises(ValidationError):
        fx.resource(world, actor=world.harry, owner={"department": world.dept_a2})


def test_a_firm_may_post_to_its_whole_chain_but_a_department_may_not(world):
    need = fx.need(world, alliance=None)
    assert need.alliance_id is None and need.chain_id == world.chain1.pk
    with pytest.raises(ValidationError):
        fx.resource(world, alliance=None, owner={"department": world.dept_a1})


def test_valid_until_before_posting_and_future_posting_dates_are_refused(world):
    with pytest.raises(ValidationError):
        fx.need(world, valid_until=fx.today() - timedelta(days=1))
    with pytest.raises(ValidationError):
        fx.need(world, posted_on=fx.today() + timedelta(days=1))
    assert not Need.objects.exists()


def test_matcher_prefers_same_kind_in_the_alliance_and_upstream_suppliers(world):
    match = fx.proposed(world)

    assert match.status == "proposed" and match.source == "system"
    assert match.reasons["kind"] == 40 and match.reasons["place"] == 25
    assert match.reasons["segment"] == 15  # firm Y is upstream of firm X
    assert match.reasons["text"] > 0
    assert match.score == sum(match.reasons.values())
    assert match.alliance_id == world.alliance1.pk


def test_matcher_proposes_a_supplier_elsewhere_on_the_chain_and_none_from_another_chain(world):
    """Across the chain: firm Y (upstream on chain 1, no alliance member) offers to the whole chain; firm Z
    offers the same on chain 2, which is not the need's chain."""
    offer = fx.resource(world, alliance=None)
    fx.resource(world, alliance=None, owner={"enterprise": world.firm_z})
    (match,) = services.need_propose(actor=None, need=fx.need(world))

    assert match.resource == offer and match.chain_id == world.chain1.pk
    assert (match.reasons["place"], match.reasons["segment"]) == (10, 15)  # on the chain; supplier upstream


def test_matcher_ignores_other_kinds_below_the_threshold_and_other_zones(world):
    fx.resource(world, kind="talent", title="人才输送", description="输送毕业生。")
    fx.need(world)
    assert matcher.candidates(Need.objects.get(), on=fx.today()) == []


def test_text_similarity_is_a_dice_coefficient_of_bigrams():
    assert matcher.similarity("动力电池", "动力电池") == 1.0
    assert matcher.similarity("动力电池", "钢材") == 0.0
    assert 0 < matcher.similarity("动力电池电芯", "电池电芯供应") < 1


def test_both_sides_accept_then_the_listings_are_matched(world):
    match = fx.proposed(world)

    match = services.match_accept(actor=world.fiona, match=match)
    assert match.status == "proposed" and match.need_accepted_on and match.resource_accepted_on is None
    with pytest.raises(ActionRefused):
        services.match_accept(actor=world.fiona, match=match)

    match = services.match_accept(actor=world.frank, match=match)
    assert match.status == "accepted"
    assert {match.need.__class__.objects.get().status, match.resource.__class__.objects.get().status} == {
        "matched"
    }


def test_an_outsider_cannot_accept_and_an_admin_cannot_accept_for_a_firm(world):
    match = fx.proposed(world)
    for outsider in (world.harry, world.alice, world.zara):
        with pytest.raises(Forbidden):
            services.match_accept(actor=outsider, match=match)
    assert Match.objects.get().need_accepted_on is None


def test_the_instructor_accepts_for_a_department_resource(world):
    fx.resource(world, owner={"department": world.dept_a1})
    need = fx.need(world)
    (match,) = services.need_propose(actor=world.ivan, need=need)
    match = services.match_accept(actor=world.ivan, match=match)
    assert match.resource_accepted_on is not None and match.need_accepted_on is None


def test_decline_needs_a_reason(world):
    match = fx.proposed(world)
    with pytest.raises(ValidationError):
        services.match_decline(actor=world.frank, match=match, reason="  ")
    match = services.match_decline(actor=world.frank, match=match, reason="产能已排满")
    assert match.status == "declined" and match.decline_reason == "产能已排满"


def test_close_records_the_result_and_closes_both_listings(world):
    match = fx.accepted(world)
    match = services.match_close(
        actor=world.fiona,
        match=match,
        result="联合采购动力电池节约35万元",
        saved_wan=35,
        deal_value_wan="420.5",
    )

    assert (
        match.status == "closed"
        and match.saved_wan == Decimal(35)
        and match.deal_value_wan == Decimal("420.5")
    )
    assert match.need.__class__.objects.get().status == "closed"
    assert AuditEntry.objects.filter(action="match.close", object_id=str(match.pk)).exists()


def test_close_refuses_a_proposal_a_missing_result_negative_figures_and_future_dates(world):
    with pytest.raises(ActionRefused):
        services.match_close(actor=world.fiona, match=fx.proposed(world), result="完成")
    match = Match.objects.get()
    services.match_accept(actor=world.fiona, match=match)
    services.match_accept(actor=world.frank, match=match)
    for bad in (
        {"result": ""},
        {"result": "完成", "saved_wan": -1},
        {"result": "完成", "on": fx.today() + timedelta(days=2)},
    ):
        with pytest.raises(ValidationError):
            services.match_close(actor=world.fiona, match=match, **bad)
    assert Match.objects.get().status == "accepted"


def test_withdraw_declines_the_open_proposals(world):
    match = fx.proposed(world)
    services.listing_withdraw(actor=world.fiona, listing=match.need, reason="已自行解决")
    assert Match.objects.get().status == "declined"
    with pytest.raises(ActionRefused):
        services.listing_withdraw(actor=world.fiona, listing=match.need)


def test_only_the_owner_instructor_or_admin_edits_a_listing(world):
    need = fx.need(world)
    services.listing_update(actor=world.ivan, listing=need, title="联合采购电芯")
    assert Need.objects.get().title == "联合采购电芯"
    with pytest.raises(Forbidden):
        services.listing_update(actor=world.frank, listing=need, title="x")
    with pytest.raises(ValidationError):
        services.listing_update(actor=world.alice, listing=need, status="closed")


def test_instructor_adds_a_project_and_a_contact_may_not(world):
    unit = world.alliance1.members.get(enterprise=world.firm_x)
    project = services.project_create(
        actor=world.ivan,
        alliance=world.alliance1,
        title="共性技术研发中心",
        units=[unit],
        status="in_progress",
        started_on=fx.today() - timedelta(days=30),
        investment_wan=200,
    )
    assert list(project.units.all()) == [unit]
    with pytest.raises(Forbidden):
        services.project_create(actor=world.fiona, alliance=world.alliance1, title="x")
    with pytest.raises(ValidationError):
        services.project_create(actor=world.ivan, alliance=world.alliance1, title="x", status="done")


def test_feedback_becomes_an_alliance_demand(world):
    demand = services.feedback_submit(
        actor=world.fiona,
        alliance=world.alliance1,
        enterprise=world.firm_x,
        title="园区道路破损",
        body="请尽快修复。",
    )
    assert demand.channel == "alliance" and demand.alliance == world.alliance1 and demand.tracking_code
    with pytest.raises(ValidationError):
        services.feedback_submit(
            actor=world.frank, alliance=world.alliance1, enterprise=world.firm_y, title="x", body="y"
        )
    with pytest.raises(Forbidden):
        services.feedback_submit(actor=world.fiona, alliance=world.alliance2, title="x", body="y")
    assert Demand.objects.count() == 1

"""Demand pages, each tested four ways: anonymous, no permission, permission, outside scope."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from redchain.demands import services as s
from redchain.demands.models import Attachment, Demand, DemandEvent, Notification

pytestmark = pytest.mark.django_db
S = Demand.Status


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    """Attachments go to a temporary folder instead of VAR_DIR/private."""
    field = Attachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


def submitted(world, **kwargs):
    defaults = {"title": "用电增容申请", "body": "新厂房需要增容 800 千伏安。", "enterprise": world.firm_x}
    return s.demand_submit(actor=world.fiona, zone=world.zone, **{**defaults, **kwargs})


def handling(world, department=None, **kwargs):
    demand = submitted(world, **kwargs)
    s.demand_accept(actor=world.alice, demand=demand)
    return s.demand_dispatch(
        actor=world.alice, demand=demand, department=department or world.dept_a1, disposition="immediate"
    )


def replied(world):
    demand = handling(world)
    return s.demand_reply(actor=world.hannah, demand=demand, text="已协调供电公司，下周完成增容。")


def action_url(demand, name):
    return reverse("demands:action", args=[demand.pk, name])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------------------------------------- four ways

PAGES = ["demands:list", "demands:submit", "demands:notifications"]


@pytest.mark.parametrize("name", [*PAGES, "demands:inbox", "demands:leaders"])
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [*PAGES, "demands:inbox", "demands:leaders"])
def test_user_without_membership_gets_403(login, world, name):
    assert login(world.nora).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["alice", "leo", "hannah", "ivan", "fiona"])
def test_zone_members_open_the_list_pages(login, world, name, persona):
    assert login(world.persona(persona)).get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"), [("hannah", 200), ("harry", 200), ("alice", 403), ("fiona", 403)]
)
def test_only_department_staff_have_an_inbox(login, world, persona, status):
    assert login(world.persona(persona)).get(reverse("demands:inbox")).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [("leo", 200), ("alice", 200), ("hannah", 403), ("fiona", 403)]
)
def test_only_leaders_and_admins_open_the_leaders_queue(login, world, persona, status):
    assert login(world.persona(persona)).get(reverse("demands:leaders")).status_code == status


def test_detail_page_four_ways(client, login, world):
    url = reverse("demands:detail", args=[submitted(world).pk])
    assert client.get(url).status_code == 302
    assert login(world.nora).get(url).status_code == 403
    assert login(world.alice).get(url).status_code == 200
    assert login(world.fiona).get(url).status_code == 200
    assert login(world.zara).get(url).status_code == 404
    assert login(world.frank).get(url).status_code == 404


def test_action_four_ways(client, login, world):
    demand = submitted(world)
    url = action_url(demand, "accept")
    assert client.post(url).status_code == 302 and "login" in client.post(url)["Location"]
    assert login(world.nora).post(url).status_code == 403
    assert login(world.zara).post(url).status_code == 404
    assert login(world.frank).post(url).status_code == 404
    assert login(world.alice).post(url).status_code == 302
    demand.refresh_from_db()
    assert demand.status == S.ACCEPTED


def test_unknown_action_is_404_and_get_is_not_allowed(login, world):
    demand = submitted(world)
    client = login(world.alice)
    assert client.post(action_url(demand, "explode")).status_code == 404
    assert client.get(action_url(demand, "accept")).status_code == 405


def test_handler_of_another_department_cannot_see_the_demand(login, world):
    demand = handling(world)
    url = reverse("demands:detail", args=[demand.pk])
    assert login(world.hannah).get(url).status_code == 200
    assert login(world.harry).get(url).status_code == 404
    assert login(world.harry).post(action_url(demand, "contact")).status_code == 404
    assert demand.assignments.get().contacted_at is None


def test_enterprise_contact_sees_only_own_enterprises_demands(login, world):
    mine = submitted(world, title="星辰的诉求")
    s.demand_submit(actor=world.frank, zone=world.zone, title="云帆的诉求", body="b", enterprise=world.firm_y)
    response = login(world.fiona).get(reverse("demands:list"))
    assert [d.pk for d in response.context["page"]] == [mine.pk]
    assert "云帆的诉求" not in response.content.decode()


def test_zone_b_admin_sees_nothing_of_zone_a(login, world):
    submitted(world)
    response = login(world.zara).get(reverse("demands:list"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 0


# ---------------------------------------------------------------------------------------------- list and inbox


def test_list_filters_by_status_channel_and_chinese_text(login, world):
    first = submitted(world, title="用电增容申请")
    second = handling(world, title="招工难题")
    client = login(world.alice)
    url = reverse("demands:list")

    def pks(**params):
        return [d.pk for d in client.get(url, params).context["page"]]

    assert pks(q="用电") == [first.pk]
    assert pks(q=second.tracking_code) == [second.pk]
    assert pks(status="handling") == [second.pk]
    assert pks(disposition="immediate") == [second.pk]
    assert pks(channel="hotline") == []
    assert set(pks(overdue="no")) == {first.pk, second.pk}


def test_list_htmx_returns_only_the_table(login, world):
    submitted(world)
    response = login(world.alice).get(reverse("demands:list"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="demand-table"' in body and "<html" not in body


def test_list_shows_overdue_deadline_in_red(login, world):
    demand = handling(world)
    demand.assignments.update(close_due="2020-01-01T00:00:00Z")
    body = login(world.alice).get(reverse("demands:list")).content.decode()
    assert 'class="overdue"' in body


def test_list_page_query_count_does_not_grow(login, world, django_assert_max_num_queries):
    for i in range(12):
        handling(world, title=f"诉求{i}")
    client = login(world.alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("demands:list"))
    assert response.context["page"].paginator.count == 12


def test_inbox_lists_own_department_work_orders_most_urgent_first(login, world):
    later = handling(world, title="later")
    sooner = handling(world, title="sooner")
    other = handling(world, department=world.dept_a2, title="other department")
    sooner.assignments.update(close_due="2020-01-01T00:00:00Z")
    response = login(world.hannah).get(reverse("demands:inbox"))
    rows = [a.demand_id for a in response.context["page"]]
    assert rows == [sooner.pk, later.pk] and other.pk not in rows
    body = response.content.decode()
    assert "overdue" in body and "awaiting contact" in body or "待联系" in body


def test_inbox_query_count_does_not_grow(login, world, django_assert_max_num_queries):
    for i in range(12):
        handling(world, title=f"诉求{i}")
    client = login(world.hannah)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("demands:inbox"))
    assert response.context["page"].paginator.count == 12


def test_detail_query_count_is_bounded(login, world, django_assert_max_num_queries):
    demand = replied(world)
    client = login(world.alice)
    # 14 for the page itself, 4 for the duplicates panel that plugs in for dispatchers (routing.hooks).
    with django_assert_max_num_queries(18):
        client.get(reverse("demands:detail", args=[demand.pk]))


def test_the_list_shows_a_deadline_only_while_the_demand_is_being_handled(login, world):
    working, answered = handling(world, title="在办"), replied(world)
    closed = s.demand_rate(actor=world.fiona, demand=replied(world), level="satisfied")
    page = login(world.alice).get(reverse("demands:list")).context["page"]
    due = {d.pk: d.next_due for d in page}
    assert due[working.pk] is not None  # the closure deadline of the work order in hand
    assert due[answered.pk] is None and due[closed.pk] is None  # replied: the clock has stopped


def test_leaders_queue_holds_the_direct_line(login, world):
    direct = submitted(world, channel="leader_line", title="直通车诉求")
    submitted(world, title="普通诉求")
    response = login(world.leo).get(reverse("demands:leaders"))
    assert [d.pk for d in response.context["page"]] == [direct.pk]


# ---------------------------------------------------------------------------------------------- submit


def test_enterprise_contact_submits_for_own_enterprise_on_the_portal(login, world):
    client = login(world.fiona)
    response = client.post(
        reverse("demands:submit"),
        {"title": "融资需求", "body": "需要流动资金贷款 500 万元。", "contact_phone": "13800001111"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("demands:submitted")
    demand = Demand.objects.get()
    assert (
        demand.enterprise == world.firm_x
        and demand.channel == "portal"
        and demand.submitted_by == world.fiona
    )
    page = client.get(reverse("demands:submitted")).content.decode()
    assert demand.tracking_code in page and reverse("track:status", args=[demand.tracking_code]) in page


def test_the_portal_form_starts_with_the_contacts_own_name_and_phone(login, world):
    world.fiona.display_name, world.fiona.phone = "方芳", "13900002222"
    world.fiona.save()
    form = login(world.fiona).get(reverse("demands:submit")).context["form"]
    assert form["contact_name"].value() == "方芳" and form["contact_phone"].value() == "13900002222"
    staff_form = login(world.alice).get(reverse("demands:submit")).context["form"]
    assert not staff_form["contact_name"].value()  # staff type the caller's details, never their own


def test_staff_enter_a_hotline_demand_and_find_the_enterprise_by_name_or_code(login, world):
    client = login(world.alice)
    data = {"channel": "hotline", "enterprise": "云帆", "title": "用工需求", "body": "招聘 50 名技工。"}
    assert client.post(reverse("demands:submit"), data).status_code == 302
    demand = Demand.objects.get()
    assert demand.enterprise == world.firm_y and demand.channel == "hotline"
    data["enterprise"] = world.firm_z.uscc
    client.post(reverse("demands:submit"), data)
    assert Demand.objects.filter(enterprise=world.firm_z).exists()


def test_staff_submit_refuses_an_ambiguous_or_unknown_enterprise(login, world):
    client = login(world.alice)
    data = {"channel": "visit", "enterprise": "有限公司", "title": "t", "body": "b"}
    response = client.post(reverse("demands:submit"), data)
    assert response.status_code == 400 and "星辰汽车有限公司" in response.content.decode()
    data["enterprise"] = "远方制造"  # zone B
    assert client.post(reverse("demands:submit"), data).status_code == 400
    assert not Demand.objects.exists()


def test_enterprise_options_search_by_pinyin(login, world):
    response = login(world.alice).get(reverse("demands:enterprise_options"), {"enterprise": "xc"})
    assert "星辰汽车有限公司" in response.content.decode()


def test_leader_line_submission_goes_to_the_leaders_queue(login, world):
    data = {"channel": "leader_line", "enterprise": "星辰", "title": "直通车", "body": "b"}
    login(world.leo).post(reverse("demands:submit"), data)
    assert Demand.objects.get().in_leader_queue


def test_nora_cannot_submit(login, world):
    assert login(world.nora).post(reverse("demands:submit"), {"title": "t", "body": "b"}).status_code == 403


# ---------------------------------------------------------------------------------------------- the loop


def test_the_whole_loop_through_the_pages(login, world):
    fiona = login(world.fiona)
    fiona.post(reverse("demands:submit"), {"title": "用电增容申请", "body": "新厂房需要增容 800 千伏安。"})
    demand = Demand.objects.get()

    alice = login(world.alice)
    assert "accept" in [
        a["name"] for a in alice.get(reverse("demands:detail", args=[demand.pk])).context["actions"]
    ]
    assert alice.post(action_url(demand, "accept")).status_code == 302
    response = alice.post(
        action_url(demand, "dispatch"), {"department": world.dept_a1.pk, "disposition": "immediate"}
    )
    assert response.status_code == 302

    hannah = login(world.hannah)
    assert hannah.post(action_url(demand, "contact")).status_code == 302
    assert hannah.post(action_url(demand, "interim"), {"text": "已联系供电公司。"}).status_code == 302
    # A terse reply is reviewed first: warnings once, and nothing is sent until the handler sends it again.
    first = hannah.post(action_url(demand, "reply"), {"text": "下周完成增容。"})
    assert first.status_code == 200 and 'id="reply-warnings"' in first.content.decode()
    demand.refresh_from_db()
    assert demand.status == S.HANDLING
    assert (
        hannah.post(action_url(demand, "reply"), {"text": "下周完成增容。", "reviewed": "1"}).status_code
        == 302
    )

    fiona = login(world.fiona)
    page = fiona.get(reverse("demands:detail", args=[demand.pk]))
    assert [a["name"] for a in page.context["actions"]] == ["rate"]
    assert (
        fiona.post(action_url(demand, "rate"), {"level": "satisfied", "comment": "很快"}).status_code == 302
    )

    demand.refresh_from_db()
    assert demand.status == S.CLOSED and demand.is_solved and demand.satisfaction == "satisfied"
    kinds = [e.kind for e in fiona.get(reverse("demands:detail", args=[demand.pk])).context["events"]]
    assert kinds == ["submitted", "accepted", "dispatched", "contacted", "interim_reply", "replied", "rated"]


def test_a_refused_action_shows_the_message_and_changes_nothing(login, world):
    demand = handling(world)
    client = login(world.alice)
    response = client.post(action_url(demand, "accept"))
    assert response.status_code == 409
    assert any("不能执行此操作" in m for m in [response.content.decode()])
    demand.refresh_from_db()
    assert demand.status == S.HANDLING
    assert demand.events.count() == 3


def test_a_step_the_user_may_not_take_is_refused_with_its_status(login, world):
    demand = submitted(world)
    response = login(world.hannah).post(action_url(demand, "accept"))
    assert response.status_code == 404  # hannah cannot even see an undispatched demand
    demand = handling(world)
    response = login(world.fiona).post(action_url(demand, "reply"), {"text": "自己答复"})
    assert response.status_code == 404 and "您的部门没有此诉求的在办工单" in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == S.HANDLING


def test_an_invalid_form_is_shown_again_with_the_error(login, world):
    demand = submitted(world)
    response = login(world.alice).post(action_url(demand, "reject"), {"reason": ""})
    assert response.status_code == 400 and response.context["open_action"] == "reject"
    assert response.context["actions"][1]["form"].errors
    demand.refresh_from_db()
    assert demand.status == S.SUBMITTED


def test_a_service_validation_error_lands_on_the_form(login, world):
    demand = submitted(world)
    client = login(world.alice)
    client.post(action_url(demand, "accept"))
    response = client.post(
        action_url(demand, "dispatch"),
        {"department": world.dept_a1.pk, "disposition": "immediate", "co_departments": [world.dept_a2.pk]},
    )
    assert response.status_code == 400 and response.context["open_action"] == "dispatch"
    demand.refresh_from_db()
    assert demand.status == S.ACCEPTED


def test_coordinated_dispatch_creates_co_handling_work_orders(login, world):
    demand = submitted(world)
    client = login(world.alice)
    client.post(action_url(demand, "accept"))
    client.post(
        action_url(demand, "dispatch"),
        {"department": world.dept_a1.pk, "disposition": "coordinated", "co_departments": [world.dept_a2.pk]},
    )
    roles = dict(demand.assignments.values_list("department_id", "role"))
    assert roles == {world.dept_a1.pk: "lead", world.dept_a2.pk: "co"}


def test_reject_with_a_reason(login, world):
    demand = submitted(world)
    login(world.alice).post(action_url(demand, "reject"), {"reason": "属于司法程序"})
    demand.refresh_from_db()
    assert demand.status == S.REJECTED


def test_pause_resume_extension_and_return(login, world):
    demand = handling(world)
    hannah = login(world.hannah)
    assert hannah.post(action_url(demand, "pause"), {"reason": "等待企业补充材料"}).status_code == 302
    assert demand.assignments.get().status == "paused"
    detail = hannah.get(reverse("demands:detail", args=[demand.pk]))
    names = [a["name"] for a in detail.context["actions"]]
    assert "resume" in names and "reply" not in names and "pause" not in names
    assert hannah.post(action_url(demand, "resume")).status_code == 302
    until = demand.assignments.get().close_due.replace(year=demand.assignments.get().close_due.year + 1)
    response = hannah.post(
        action_url(demand, "extend"),
        {"until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "需要协调上级部门"},
    )
    assert response.status_code == 302
    alice = login(world.alice)
    assert alice.post(action_url(demand, "decide_extension"), {"approve": "yes"}).status_code == 302
    assert demand.assignments.get().extended_until is not None
    hannah = login(world.hannah)
    assert hannah.post(action_url(demand, "return"), {"reason": "不属于本部门职责"}).status_code == 302
    demand.refresh_from_db()
    assert demand.status == S.RETURNED


def test_leader_instructs_and_admin_supervises(login, world):
    demand = handling(world)
    assert login(world.leo).post(action_url(demand, "instruct"), {"text": "请尽快办理"}).status_code == 302
    assert (
        login(world.alice).post(action_url(demand, "supervise"), {"level": 2, "note": "加快"}).status_code
        == 302
    )
    body = login(world.hannah).get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert "请尽快办理" in body and 'id="supervisions"' in body
    assert "instruct" not in [
        a["name"]
        for a in login(world.alice).get(reverse("demands:detail", args=[demand.pk])).context["actions"]
    ]


def test_staff_rate_on_behalf_and_close_unsolved(login, world):
    demand = replied(world)
    alice = login(world.alice)
    alice.post(action_url(demand, "rate"), {"level": "unsatisfied", "comment": "电话回访不满意"})
    demand.refresh_from_db()
    assert demand.status == S.HANDLING and demand.ratings.get().on_behalf
    other = replied(world)
    alice.post(action_url(other, "close"), {"solved": "no", "reason": "企业联系不上"})
    other.refresh_from_db()
    assert other.status == S.CLOSED and other.is_solved is False


def test_merge_into_a_tracking_code(login, world):
    main, duplicate = submitted(world), submitted(world, title="重复")
    client = login(world.alice)
    assert (
        client.post(action_url(duplicate, "merge"), {"into": main.tracking_code.lower()}).status_code == 302
    )
    duplicate.refresh_from_db()
    assert duplicate.status == S.MERGED and duplicate.merged_into == main
    response = client.post(action_url(main, "merge"), {"into": "NOSUCHCODE"})
    assert response.status_code == 400


def test_actions_are_offered_only_when_allowed(login, world):
    demand = submitted(world)
    url = reverse("demands:detail", args=[demand.pk])

    def names(user):
        return [a["name"] for a in login(user).get(url).context["actions"]]

    assert names(world.alice) == ["accept", "reject", "merge"]
    assert names(world.fiona) == []
    assert names(world.leo) == ["instruct"]


# ---------------------------------------------------------------------------------------------- notifications


def test_notifications_page_and_bell(login, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = handling(world)
    client = login(world.hannah)
    assert Notification.objects.filter(user=world.hannah).count() == 1
    bell = client.get(reverse("demands:bell")).content.decode()
    assert 'id="unread-count"' in bell and ">1</mark>" in bell
    body = client.get(reverse("demands:notifications")).content.decode()
    assert demand.tracking_code in body
    note = Notification.objects.get(user=world.hannah)
    response = client.get(reverse("demands:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("demands:detail", args=[demand.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    assert "unread-count" not in client.get(reverse("demands:bell")).content.decode()


def test_notifications_of_others_are_404_and_mark_all_read(login, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        handling(world)
    note = Notification.objects.get(user=world.hannah)
    assert login(world.harry).get(reverse("demands:notification_open", args=[note.pk])).status_code == 404
    client = login(world.hannah)
    client.post(reverse("demands:notifications"))
    assert not Notification.objects.filter(read_at__isnull=True, user=world.hannah).exists()


def test_bell_for_anonymous_is_empty(client, world):
    assert client.get(reverse("demands:bell")).content == b""


def test_nav_links_follow_roles(login, world):
    hannah = login(world.hannah).get(reverse("demands:list")).content.decode()
    assert 'id="nav-inbox"' in hannah and 'id="nav-leaders"' not in hannah
    leo = login(world.leo).get(reverse("demands:list")).content.decode()
    assert 'id="nav-leaders"' in leo and 'id="nav-inbox"' not in leo


# ---------------------------------------------------------------------------------------------- tracking page


def test_tracking_page_is_public_and_has_no_personal_data(client, world):
    demand = replied(world)
    s.demand_instruct(actor=world.leo, demand=demand, text="内部批示")
    body = client.get(reverse("track:status", args=[demand.tracking_code])).content.decode()
    assert demand.tracking_code in body
    for secret in [
        demand.title,
        demand.body,
        "星辰",
        "已协调供电公司",
        "内部批示",
        "Fiona",
        "Hannah",
        "企业服务局",
        "1380",
    ]:
        assert secret not in body
    assert body.count("<li><time") == len(DemandEvent.objects.filter(demand=demand, public=True))


def test_tracking_page_unknown_code_is_404_and_lowercase_works(client, world):
    demand = submitted(world)
    assert client.get(reverse("track:status", args=["NOTACODE2345"])).status_code == 404
    assert client.get(reverse("track:status", args=[demand.tracking_code.lower()])).status_code == 200


def test_tracking_form_redirects_to_the_code(client, world):
    assert client.get(reverse("track:form")).status_code == 200
    response = client.get(reverse("track:form"), {"code": " abc "})
    assert response["Location"] == reverse("track:status", args=["ABC"])


def test_tracking_page_is_rate_limited_per_address(client, world, settings):
    from django.core.cache import cache

    cache.clear()
    demand = submitted(world)
    url = reverse("track:status", args=[demand.tracking_code])
    statuses = [client.get(url, REMOTE_ADDR="10.0.0.7").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    assert client.get(url, REMOTE_ADDR="10.0.0.8").status_code == 200
    cache.clear()


def test_enterprise_contact_sees_public_steps_but_no_internal_notes(world, login):
    from redchain.demands import services as svc

    demand = svc.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="用地指标",
        body="扩建需新增用地 20 亩。",
        enterprise=world.firm_x,
    )
    svc.demand_accept(actor=world.alice, demand=demand)
    svc.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="reported")
    svc.demand_instruct(actor=world.leo, demand=demand, text="内部批示：请自然资源局研究")
    svc.assignment_return(actor=world.hannah, demand=demand, reason="内部：不属于本局职责")
    url = f"/demands/{demand.pk}/"
    firm_page = login(world.fiona).get(url).content.decode()
    assert "内部批示" not in firm_page and "内部：不属于本局职责" not in firm_page
    staff_page = login(world.alice).get(url).content.decode()
    assert "内部批示" in staff_page and "内部：不属于本局职责" in staff_page

"""Reply review: what a handler is warned about before a final reply goes out (no shared data needed)."""

from django.utils import translation

from redchain.routing.replies import corpus_stats_from, review_demand_reply, review_reply

TITLE = "园区东门路灯损坏，夜间企业员工出行不便"
BODY = "红旗产业园东门外道路的路灯已经损坏一个多月，晚上一片漆黑，我们企业员工下夜班出行很不安全，请尽快维修路灯。"
GOOD = (
    "您好！经核实，红旗产业园东门外道路共有路灯12盏，其中5盏因线路老化损坏。根据《城市道路照明设施管理规定》，"
    "该路段路灯由区城管局负责维护。我局已于6月3日派员现场检查，安排维修单位更换线路和灯具，"
    "将在10个工作日内完成维修，恢复夜间照明。"
)
STOCK = "您好！您的来信已收悉。我们高度重视，感谢您对我们工作的支持和理解。如有疑问，请致电咨询。特此回复。"
OFF_TOPIC = (
    "根据《义务教育法》和本年度招生政策，区教育局已划定各小学的招生片区，新生报名将于7月15日前在网上完成，"
    "请家长按照通知准备户籍和房产证明材料。"
)


def _review(reply, **kwargs):
    return review_reply(demand_title=TITLE, demand_body=BODY, reply=reply, **kwargs)


def test_relevant_complete_reply_scores_high_without_warnings():
    review = _review(GOOD)
    assert review.has_basis and review.has_measures and review.has_time
    assert review.relevance > 0.5
    assert review.boilerplate < 0.2
    assert review.score >= 75
    assert review.warnings == []


def test_stock_phrase_reply_gets_boilerplate_and_completeness_warnings():
    with translation.override("en"):
        review = _review(STOCK)
    assert review.boilerplate > 0.8
    assert not (review.has_basis or review.has_measures)
    assert review.score < 30
    text = " ".join(review.warnings)
    assert "stock phrases" in text
    assert "basis" in text
    assert "what was done" in text


def test_each_warning_has_a_stable_code_in_the_same_order():
    with translation.override("en"):
        review = _review(STOCK)
    assert review.warning_codes == ["too_short", "low_relevance", "boilerplate", "no_basis", "no_measures"]
    assert len(review.warnings) == len(review.warning_codes)
    assert review.warnings[2].startswith("The reply is mostly stock phrases")


def test_a_demand_is_reviewed_on_its_title_and_body():
    class Demand:
        title, body = TITLE, BODY

    assert review_demand_reply(demand=Demand(), text=GOOD) == _review(GOOD)
    assert review_demand_reply(demand=Demand(), text=OFF_TOPIC).warning_codes == [
        "low_relevance",
        "no_measures",
    ]


def test_off_topic_reply_gets_the_relevance_warning():
    with translation.override("en"):
        review = _review(OFF_TOPIC)
    assert review.relevance < 0.15
    assert any("little to do with the demand" in w for w in review.warnings)
    assert review.score < _review(GOOD).score


def test_reply_that_only_passes_the_demand_on_is_flagged():
    review = _review("网友您好，您反映的问题已转交区城管局调查处理。2019年5月16日")
    assert review.referral_only
    assert not review.has_time  # the signature date is not a time frame
    assert review.score < 30


def test_signature_date_is_boilerplate_not_a_time_frame():
    review = _review("经查，东门路灯线路老化，已安排维修。2019年5月16日")
    assert review.has_measures
    assert not review.has_time


def test_review_is_deterministic():
    first = _review(GOOD)
    assert all(_review(GOOD) == first for _ in range(3))


def test_recurring_sentences_of_past_replies_count_as_boilerplate():
    closing = "我区将持续优化营商环境，打造一流服务园区。"
    past = [f"关于第{i}号诉求，经核实已安排处理完毕。{closing}" for i in range(20)]
    reply = "经核实，东门路灯已安排维修。" + closing
    without = _review(reply)
    with_stats = _review(reply, corpus_stats=corpus_stats_from(past))
    assert with_stats.boilerplate > without.boilerplate + 0.3


def test_empty_reply_is_all_boilerplate():
    review = _review("")
    assert review.boilerplate == 1.0
    assert review.relevance == 0.0
    assert review.warnings


def test_a_complete_reply_goes_out_at_the_first_send(world, login):
    from redchain.demands import services as svc
    from redchain.demands.models import Demand

    demand = svc.demand_submit(
        actor=world.fiona,
        zone=world.zone,
        title="新厂房用电增容",
        body="新厂房投产需要增容800千伏安，请协调供电公司尽快接入。",
        enterprise=world.firm_x,
    )
    svc.demand_accept(actor=world.alice, demand=demand)
    svc.demand_dispatch(actor=world.alice, demand=demand, department=world.dept_a1, disposition="immediate")
    text = (
        "您好，关于贵公司新厂房用电增容800千伏安的诉求，我局已根据《供电营业规则》协调供电公司现场勘查，"
        "已安排专人对接增容方案，将于2025年7月15日前完成线路改造和送电，届时请贵公司配合验收。"
    )
    response = login(world.hannah).post(f"/demands/{demand.pk}/reply/", {"text": text})
    assert response.status_code == 302
    assert Demand.objects.get(pk=demand.pk).status == "replied"

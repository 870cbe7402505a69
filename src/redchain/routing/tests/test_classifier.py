"""The text router on a small synthetic Chinese dataset (six classes built from templates)."""

from __future__ import annotations

import math
import random

import pytest

from redchain.routing.classifier import TextRouter, baseline_pipeline, normalise, tokenize

TOPICS = {
    "交通运输": ["公交车", "出租车", "高速公路", "地铁站", "红绿灯"],
    "教育文体": ["学校", "老师", "幼儿园", "学生", "体育馆"],
    "卫生计生": ["医院", "医生", "疫苗", "药店", "计生"],
    "环境保护": ["噪音", "污水", "垃圾焚烧", "油烟", "排污"],
    "劳动和社会保障": ["工资", "社保", "公积金", "退休金", "养老保险"],
    "商贸旅游": ["景区", "商场", "门票", "酒店", "超市"],
}
PLACES = ["A市", "B区", "K8县", "城南街道", "东湖社区", "西山镇"]
TEMPLATES = [
    "{place}{word}问题\n我们{place}的{word}问题很严重，希望有关部门尽快处理{word}的事情。",
    "关于{word}的投诉\n{place}附近{word}一直没有人管，请领导关注{word}。",
    "反映{place}{word}情况\n最近{word}越来越差，居民意见很大。",
    "{word}需要整改\n{place}的{word}存在隐患，{word}问题拖了很久。",
]


def synthetic(seed: int = 0, per_class: int = 20) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for label, words in TOPICS.items():
        for _ in range(per_class):
            word = rng.choice(words)
            texts.append(rng.choice(TEMPLATES).format(place=rng.choice(PLACES), word=word))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def trained() -> TextRouter:
    return TextRouter().fit(*synthetic(seed=0))


def test_router_learns_synthetic_topics(trained):
    texts, labels = synthetic(seed=1, per_class=10)
    predicted = trained.predict(texts)
    accuracy = sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(labels)
    assert accuracy >= 0.9  # chance is 1/6
    assert sorted(trained.classes_) == sorted(TOPICS)


def test_predict_top_returns_k_sorted_probabilities(trained):
    [top] = trained.predict_top(["医院的医生态度很差\n看病排队太久"], k=3)
    assert len(top) == 3
    probabilities = [p for _, p in top]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probabilities) and sum(probabilities) <= 1.0 + 1e-9
    assert top[0][0] == "卫生计生"
    assert len({label for label, _ in top}) == 3


def test_predict_top_with_k_larger_than_classes_returns_all(trained):
    [top] = trained.predict_top(["工资拖欠"], k=50)
    assert len(top) == len(TOPICS)
    assert sum(p for _, p in top) == pytest.approx(1.0)


def test_dumps_and_loads_round_trip_identical_predictions(trained):
    texts, _ = synthetic(seed=2, per_class=3)
    copy = TextRouter.loads(trained.dumps())
    assert copy.classes_ == trained.classes_
    assert copy.predict_top(texts, k=3) == trained.predict_top(texts, k=3)


def test_training_twice_gives_identical_results():
    texts, labels = synthetic(seed=0)
    probe, _ = synthetic(seed=3, per_class=2)
    first = TextRouter().fit(texts, labels).predict_top(probe)
    second = TextRouter().fit(texts, labels).predict_top(probe)
    assert first == second


def test_untrained_router_refuses_to_predict():
    with pytest.raises(RuntimeError):
        TextRouter().predict_top(["垃圾"])


def test_fit_rejects_a_class_with_one_example():
    with pytest.raises(ValueError, match="two examples"):
        TextRouter().fit(["工资", "工资拖欠", "医院"], ["劳动", "劳动", "卫生"])


def test_unknown_parameter_is_an_error():
    with pytest.raises(TypeError, match="colour"):
        TextRouter(colour="red")


def test_normalise_strips_codes_and_punctuation_and_repeats_the_title():
    assert normalise("A市K8县公交车！\n车站，太远。", title_repeat=2) == "市 县公交车 市 县公交车 车站 太远"


def test_tokenize_splits_chinese_words():
    words = tokenize("公交车站太远了")
    assert "太远" in words and "".join(words) == "公交车站太远了"


def test_baseline_pipeline_learns_synthetic_topics():
    texts, labels = synthetic(seed=0)
    test_texts, test_labels = synthetic(seed=1, per_class=5)
    predicted = baseline_pipeline().fit(texts, labels).predict(test_texts)
    assert sum(p == t for p, t in zip(predicted, test_labels, strict=True)) / len(test_labels) >= 0.8


def test_relevance_weighting_lifts_a_word_of_one_class_over_a_word_of_all():
    from scipy.sparse import csr_matrix

    from redchain.routing.classifier import RelevanceWeighting

    # Column 0 occurs in every document, column 1 only in class "a", column 2 nowhere.
    X = csr_matrix([[1, 1, 0], [1, 1, 0], [1, 0, 0], [1, 0, 0]], dtype=float)
    weighting = RelevanceWeighting().fit(X, ["a", "a", "b", "b"])
    spread, typical, absent = weighting.weights_
    assert spread == pytest.approx(math.log2(3)) and absent == pytest.approx(1.0)
    assert typical == pytest.approx(math.log2(6))  # in all of a's documents, and in a floor share of b's
    rows = weighting.transform(X).toarray()
    assert rows[0] @ rows[0] == pytest.approx(1.0)  # rows stay unit length


def test_platt_fit_turns_larger_margins_into_higher_probabilities():
    import numpy as np

    from redchain.routing.classifier import platt_fit

    margins = np.array([-2.0, -1.5, -1.0, -0.2, 0.3, 1.0, 1.5, 2.0])
    a, b = platt_fit(margins, margins > 0)
    probability = 1 / (1 + np.exp(a * margins + b))
    assert a < 0 and list(probability) == sorted(probability)
    assert probability[0] < 0.2 and probability[-1] > 0.8


def test_temperature_sharpens_an_underconfident_mixture_and_keeps_the_ranking():
    import numpy as np

    from redchain.routing.classifier import fit_temperature, sharpen

    # Right 90 % of the time while saying 60 %: the fitted exponent must raise the confidence.
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 500)
    guess = np.where(rng.random(500) < 0.9, truth, 1 - truth)
    probabilities = np.where(guess[:, None] == np.arange(2)[None, :], 0.6, 0.4)
    temperature = fit_temperature(probabilities, truth)
    sharpened = sharpen(probabilities, temperature)
    assert temperature > 1.5
    assert 0.85 < sharpened.max(axis=1).mean() < 0.95
    assert (sharpened.argmax(axis=1) == probabilities.argmax(axis=1)).all()


def test_the_title_view_falls_back_to_the_start_of_the_details():
    from redchain.routing.classifier import title_only

    assert title_only("K8县公交车太少！\n每天等很久") == "县公交车太少"
    assert title_only("\n小区门口噪音很大，晚上睡不着") == "小区门口噪音很大 晚上睡不着"


def test_a_view_with_weight_zero_is_not_trained():
    router = TextRouter(words_view_weight=0, title_view_weight=0).fit(*synthetic(seed=0))
    assert [name for name, _, _ in router._views] == ["whole"]
    assert router.predict(["医院的医生态度很差"]) == ["卫生计生"]


def test_a_router_stored_before_the_views_still_loads_and_predicts():
    import io

    import joblib
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    texts, labels = synthetic(seed=0)
    params = {"title_repeat": 2, "calibration_ensemble": False}  # a key this version no longer has
    model = Pipeline(
        [("tfidf", TfidfVectorizer(analyzer="char")), ("svm", CalibratedClassifierCV(LinearSVC(), cv=3))]
    ).fit([normalise(text, title_repeat=2) for text in texts], labels)
    buffer = io.BytesIO()
    joblib.dump({"params": params, "classes": sorted(set(labels)), "model": model}, buffer)
    router = TextRouter.loads(buffer.getvalue())
    assert router.predict(["工资拖欠三个月\n老板不给工资"]) == ["劳动和社会保障"]

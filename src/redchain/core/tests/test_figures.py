from django.template import Context, Template
from django.utils import translation

from redchain.core.templatetags.figures import figure


def test_counts_read_in_wan_and_yi_in_chinese_and_with_commas_in_english():
    with translation.override("zh-hans"):
        assert [figure(n) for n in (7, 2150, 99_999, 100_000, 2_150_000, 21_430_000, 240_000_000)] == [
            "7",
            "2,150",
            "99,999",
            "10万",
            "215万",
            "2143万",
            "2.4亿",
        ]
        assert figure(123_456) == "12.3万" and figure(-250_000) == "-25万"
    with translation.override("en"):
        assert figure(21_430_000) == "21,430,000" and figure(2150) == "2,150"
        assert figure(1234.5) == "1,234.5"


def test_what_is_not_a_number_passes_through():
    assert figure(None) is None and figure("–") == "–" and figure("") == ""


def test_the_filter_loads_in_templates():
    with translation.override("zh-hans"):
        assert Template("{% load figures %}{{ n|figure }}").render(Context({"n": 3_650_000})) == "365万"

from redchain.core import idcard, text


def test_id_number_checksum():
    assert idcard.is_valid("11010519491231002X")
    assert not idcard.is_valid("110105194912310021")
    assert not idcard.is_valid("1101051949123100")


def test_masking_keeps_only_the_ends():
    assert idcard.mask_id_number("11010519491231002X") == "1101**********002X"
    assert idcard.mask_phone("13812345678") == "138****5678"
    assert idcard.mask_phone("") == ""


def test_pinyin_keys_sort_and_search_chinese():
    names = ["智算科技", "星辰汽车", "阿里巴巴", "云帆电池"]
    assert sorted(names, key=text.sort_key) == ["阿里巴巴", "星辰汽车", "云帆电池", "智算科技"]
    assert "xcqc" in text.search_key("星辰汽车")
    assert "xingchenqiche" in text.search_key("星辰汽车")


def test_sort_and_search_keys_follow_a_renamed_name(world):
    from redchain.orgs.models import Enterprise

    firm = world.firm_z
    firm.name = "阿尔法科技有限公司"
    firm.save(update_fields=["name"])
    stored = Enterprise.objects.values("sort_name", "search_text").get(pk=firm.pk)
    assert stored["sort_name"].startswith("a er fa")
    assert "aefkjyxgs" in stored["search_text"]

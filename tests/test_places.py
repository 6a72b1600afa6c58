import pytest

from assess.places import Place, resolve_place


@pytest.mark.parametrize("text, province, city, county, label", [
    ("广西南宁市青秀区", "广西壮族自治区", "南宁市", "青秀区", "广西壮族自治区南宁市青秀区"),
    ("乐东黎族自治县志仲镇", "海南省", None, "乐东黎族自治县", "海南省乐东黎族自治县"),
    ("东莞市石龙镇", "广东省", "东莞市", None, "广东省东莞市"),
    ("直辖县神农架林区", "湖北省", None, "神农架林区", "湖北省神农架林区"),
    ("平凉市华亭县", "甘肃省", "平凉市", "华亭县", "甘肃省平凉市华亭县"),
    ("北京市朝阳区", "北京市", None, "朝阳区", "北京市朝阳区"),
    ("上海市浦东新区", "上海市", None, "浦东新区", "上海市浦东新区"),
    ("深圳市南山区", "广东省", "深圳市", "南山区", "广东省深圳市南山区"),
    ("汕头市", "广东省", "汕头市", None, "广东省汕头市"),
    ("湖北省武汉市", "湖北省", "武汉市", None, "湖北省武汉市"),
    ("重庆市渝中区", "重庆市", None, "渝中区", "重庆市渝中区"),
])
def test_places(text, province, city, county, label):
    p = resolve_place(text)
    assert isinstance(p, Place)
    assert (p.province, p.city, p.county) == (province, city, county)
    assert p.label() == label
    assert p.text == text
    assert p.province_code and p.province_code.endswith("0000")
    if city is None:
        assert p.city_code is None
    if county:
        assert p.county_code and len(p.county_code) == 6


def test_old_county_name_has_note():
    p = resolve_place("平凉市华亭县")
    assert p.county == "华亭县"
    assert p.note and "华亭市" in p.note


def test_current_names_have_no_note():
    assert resolve_place("深圳市南山区").note is None


def test_codes():
    p = resolve_place("深圳市南山区")
    assert (p.province_code, p.city_code, p.county_code) == ("440000", "440300", "440305")


@pytest.mark.parametrize("text", ["火星市", "", "   "])
def test_unresolvable(text):
    with pytest.raises(ValueError) as info:
        resolve_place(text)
    assert "省+市+区/县" in str(info.value)


def test_the_disk_cache_gives_the_same_place_and_survives_corruption(tmp_path, monkeypatch):
    from assess import places

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ASSESS_NO_PLACE_CACHE", raising=False)
    fresh = places._resolve("平凉市华亭县")
    places._remember(fresh.text, fresh.to_dict())
    [cache] = (tmp_path / "assess").glob("places-*.json")
    assert places._cached("平凉市华亭县") == fresh and fresh.note
    cache.write_text("{not json", encoding="utf-8")
    assert places._cached("平凉市华亭县") is None          # ignored, resolved again
    places._remember(fresh.text, fresh.to_dict())
    assert places._cached("平凉市华亭县") == fresh


def test_a_refused_place_is_refused_again_without_a_second_lookup(monkeypatch, tmp_path):
    # a text no division matches costs seconds (cnloc tries the older division data too): the
    # refusal is kept in the process and on disk like a resolution
    import assess.places as places

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ASSESS_NO_PLACE_CACHE", raising=False)
    monkeypatch.setattr(places, "_REFUSED", {})
    calls = []
    real = places._resolve
    monkeypatch.setattr(places, "_resolve", lambda text: calls.append(text) or real(text))
    for _ in range(2):
        with pytest.raises(ValueError, match="火星镇"):
            places.resolve_place("火星镇")
    assert calls == ["火星镇"]
    monkeypatch.setattr(places, "_REFUSED", {})          # a new process: the disk remembers
    with pytest.raises(ValueError, match="火星镇"):
        places.resolve_place("火星镇")
    assert calls == ["火星镇"]

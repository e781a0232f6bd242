"""Agency names as users type them resolve to the right stored agency, or to a question, never a guess."""

from __future__ import annotations

import pytest
from parsed_reports import parsed_report

from core.storage.agencies import find_agencies_in_text, match_key, resolve_agency, same_agency
from core.storage.ingest import sha256_of, store_report

AGENCIES = [
    ("舟山市定海区人民政府", "定海区", "浙江省舟山市定海区"),
    ("舟山市定海区财政局", "定海区财政局", "舟山市定海区"),
    ("舟山市定海区城市管理局", "定海区城市管理局", "舟山市定海区"),
    ("宁波市鄞州区人民政府白鹤街道办事处", "白鹤街道", "宁波市鄞州区"),
    ("宁波市海曙区人民政府白鹤街道办事处", "白鹤街道", "宁波市海曙区"),
    ("瞻岐镇人民政府", "瞻岐镇", "宁波市鄞州区"),
    ("宁海县政务服务办公室", "宁海县政务服务办公室", "宁波市宁海县"),
    ("椒江区人民政府行政服务中心", "椒江区行政服务中心", "台州市椒江区"),
]


@pytest.fixture
async def agencies_sf(sf):
    for i, (name, short, region) in enumerate(AGENCIES):
        report = parsed_report(name, short_name=short, region=region, seed=i)
        result = await store_report(sf, report, sha256=sha256_of(name.encode()), filename=f"{i}.txt")
        assert result.status == "stored"
    return sf


# The database is built once per test (fixture ``db_url``); cases are looped to keep that affordable.
EXACT = [
    ("定海区", "舟山市定海区人民政府"),  # short name
    ("舟山市定海区人民政府", "舟山市定海区人民政府"),  # full name
    ("定海", "舟山市定海区人民政府"),  # 区 left out
    ("定海区政府", "舟山市定海区人民政府"),
    ("定海区人民政府", "舟山市定海区人民政府"),
    ("舟山市定海区", "舟山市定海区人民政府"),  # with its city
    ("舟山定海区", "舟山市定海区人民政府"),  # city without 市
    ("浙江省舟山市定海区人民政府", "舟山市定海区人民政府"),
    ("定海區", "舟山市定海区人民政府"),  # 繁体
    (" 定 海 区 ", "舟山市定海区人民政府"),  # spaces
    ("２０２０年定海区的报告", "舟山市定海区人民政府"),  # full-width year and words around the name
    ("定海区财政局", "舟山市定海区财政局"),
    ("财政局", "舟山市定海区财政局"),
    ("定海区城市管理局", "舟山市定海区城市管理局"),
    ("鄞州区白鹤街道", "宁波市鄞州区人民政府白鹤街道办事处"),
    ("海曙白鹤", "宁波市海曙区人民政府白鹤街道办事处"),
    ("鄞州区白鹤街道办事处", "宁波市鄞州区人民政府白鹤街道办事处"),
    ("瞻岐", "瞻岐镇人民政府"),  # 镇 left out
    ("瞻岐镇政府", "瞻岐镇人民政府"),
    ("鄞州区瞻岐镇", "瞻岐镇人民政府"),  # region known only from the report
    ("宁海县政务服务办公室", "宁海县政务服务办公室"),
    ("椒江区行政服务中心", "椒江区人民政府行政服务中心"),
]
FUZZY = [
    ("定海去", "舟山市定海区人民政府"),  # pinyin typo (qu)
    ("瞻歧镇", "瞻岐镇人民政府"),  # 歧/岐
    ("占岐镇", "瞻岐镇人民政府"),
    ("宁海县政务服务办", "宁海县政务服务办公室"),  # cut short
    ("Dinghai District", "舟山市定海区人民政府"),
]


async def test_exact_forms_and_typos(agencies_sf):
    for query, expected in EXACT:
        match = await resolve_agency(agencies_sf, query)
        assert (query, match.kind, match.agency and match.agency.name) == (query, "exact", expected)
    for query, expected in FUZZY:  # a typo resolves, but says it was a guess of the spelling
        match = await resolve_agency(agencies_sf, query)
        assert (query, match.kind, match.agency and match.agency.name) == (query, "fuzzy", expected)


async def test_ambiguous_and_unknown_names_are_questions_not_guesses(agencies_sf):
    match = await resolve_agency(agencies_sf, "白鹤街道")
    assert match.kind == "ambiguous" and match.agency is None
    assert {a.name for a in match.candidates} == {
        "宁波市鄞州区人民政府白鹤街道办事处",
        "宁波市海曙区人民政府白鹤街道办事处",
    }
    region = await resolve_agency(agencies_sf, "鄞州区")  # a region: the agencies stored in it
    assert region.kind == "ambiguous"
    assert {a.short_name for a in region.candidates} == {"白鹤街道", "瞻岐镇"}
    for query in ("临海区", "北京市", "公安局", ""):
        unknown = await resolve_agency(agencies_sf, query)
        assert unknown.agency is None and unknown.kind in ("none", "ambiguous"), query
    match = await resolve_agency(agencies_sf, "临海区")
    assert match.kind == "none"
    assert "舟山市定海区人民政府" in [a.name for a in match.candidates]


async def test_agencies_found_inside_a_question(agencies_sf):
    text = "比较鄞州区白鹤街道和瞻岐镇的申请数"
    mentions = await find_agencies_in_text(agencies_sf, text)
    assert [m.text for m in mentions] == ["鄞州区白鹤街道", "瞻岐镇"]
    assert [m.agency.name for m in mentions] == ["宁波市鄞州区人民政府白鹤街道办事处", "瞻岐镇人民政府"]
    for m in mentions:
        assert text[m.span[0] : m.span[1]] == m.text

    mentions = await find_agencies_in_text(agencies_sf, "2020年舟山市定海區人民政府收到多少申请")
    assert [(m.text, m.agency.name) for m in mentions] == [("舟山市定海區人民政府", "舟山市定海区人民政府")]

    ambiguous = await find_agencies_in_text(agencies_sf, "白鹤街道收到多少申请")
    assert ambiguous[0].agency is None and len(ambiguous[0].match.candidates) == 2
    assert await find_agencies_in_text(agencies_sf, "哪个单位收到的申请最多") == []


async def test_new_agency_is_seen_by_the_cached_index(agencies_sf):
    assert (await resolve_agency(agencies_sf, "普陀区")).agency is None
    report = parsed_report("舟山市普陀区人民政府", short_name="普陀区", region="舟山市普陀区")
    await store_report(agencies_sf, report, sha256="9" * 64, filename="p.txt")
    assert (await resolve_agency(agencies_sf, "普陀")).agency.name == "舟山市普陀区人民政府"


def test_same_agency_rules():
    assert match_key("舟山市定海区人民政府") == match_key("定海区人民政府") == "定海区"
    assert match_key("宁波市鄞州区人民政府白鹤街道办事处") == "白鹤街道"
    assert same_agency("舟山市定海区人民政府", None, "定海区人民政府", "舟山市定海区")
    assert same_agency("白鹤街道办事处", None, "宁波市鄞州区人民政府白鹤街道办事处", None)
    assert not same_agency("宁海县政务服务办公室", None, "象山县政务服务办公室", None)
    assert not same_agency("政务服务办公室", None, "宁海县政务服务办公室", None)  # any county's
    assert not same_agency("舟山市定海区人民政府", None, "舟山市定海区财政局", None)

"""Agency names as users type them resolve to the right stored agency, or to a question, never a guess."""

from __future__ import annotations

import pytest
from parsed_reports import parsed_report
from sqlalchemy import select

from core.storage.agencies import (
    find_agencies_in_text,
    match_key,
    resolve_agency,
    same_agency,
    warm_agency_index,
)
from core.storage.ingest import sha256_of, store_report
from core.storage.models import Agency, utcnow

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
    for query in ("临海区", "北京市", "公安局", "", "定海区盐仓街道", "象山县政务服务办公室"):
        unknown = await resolve_agency(agencies_sf, query)
        assert (unknown.kind, unknown.agency) == ("none", None), query


async def test_a_region_is_not_an_agency(agencies_sf):
    """A division names the agencies stored in it, however many: kind "region", never "ambiguous"."""
    region = await resolve_agency(agencies_sf, "鄞州区")
    assert (region.kind, region.agency) == ("region", None)
    assert {a.short_name for a in region.candidates} == {"白鹤街道", "瞻岐镇"}
    single = await resolve_agency(agencies_sf, "宁海县")  # one agency stored there: still a region
    assert single.kind == "region" and [a.name for a in single.candidates] == ["宁海县政务服务办公室"]
    city = await resolve_agency(agencies_sf, "浙江省舟山市")
    assert city.kind == "region" and {a.short_name for a in city.candidates} == {
        "定海区",
        "定海区财政局",
        "定海区城市管理局",
    }
    # A region's government is an agency, and a region named in a question is reported as such.
    assert (await resolve_agency(agencies_sf, "定海区")).kind == "exact"
    (mention,) = await find_agencies_in_text(agencies_sf, "鄞州区收到多少申请")
    assert (mention.text, mention.match.kind, len(mention.match.candidates)) == ("鄞州区", "region", 2)


async def test_a_longer_unknown_name_is_not_the_known_name_inside_it(agencies_sf):
    """定海区盐仓街道 is an unknown agency in 定海区, not 定海区: none, with 定海区's agencies to suggest."""
    in_dinghai = ["舟山市定海区人民政府", "舟山市定海区财政局", "舟山市定海区城市管理局"]
    for typed in ("定海区盐仓街道", "舟山市定海区盐仓街道", "定海区公安局"):
        match = await resolve_agency(agencies_sf, typed)
        assert (match.kind, match.agency) == ("none", None), typed
        assert sorted(a.name for a in match.candidates) == sorted(in_dinghai), typed
    for text, typed in (
        ("定海区盐仓街道收到多少申请", "定海区盐仓街道"),
        ("2020年定海区的盐仓街道办事处办结了几件", "定海区的盐仓街道办事处"),
        ("比较定海区公安局和瞻岐镇", "定海区公安局"),
    ):
        mentions = await find_agencies_in_text(agencies_sf, text)
        assert mentions[0].text == typed and mentions[0].agency is None, text
        assert mentions[0].match.kind == "none" and mentions[0].match.candidates, text
    # Question words after a district are not a name.
    for text in (
        "定海区收到多少申请",
        "定海区行政复议被纠正几件",
        "定海区不予公开的原因分布",
        "定海区和白鹤街道",
    ):
        mention = (await find_agencies_in_text(agencies_sf, text))[0]
        assert (mention.text, mention.agency.name) == ("定海区", "舟山市定海区人民政府"), text


async def test_a_division_typed_before_a_name_must_be_the_agencys_own(agencies_sf):
    """象山县政务服务办公室 is not 宁海县政务服务办公室: a suggestion, never a match."""
    for typed in ("象山县政务服务办公室", "宁波市象山县政务服务办公室", "舟山市宁海县政务服务办公室"):
        match = await resolve_agency(agencies_sf, typed)
        assert match.kind == "none" and [a.name for a in match.candidates] == ["宁海县政务服务办公室"], typed
    (mention,) = await find_agencies_in_text(agencies_sf, "象山县的政务服务办公室收到几件申请")
    assert (mention.text, mention.match.query, mention.match.kind) == (
        "象山县的政务服务办公室",
        "象山县政务服务办公室",
        "none",
    )
    elsewhere = await resolve_agency(agencies_sf, "海曙区瞻岐镇")  # 瞻岐镇 is in 鄞州区
    assert elsewhere.kind == "none" and [a.name for a in elsewhere.candidates] == ["瞻岐镇人民政府"]
    # The agency's own divisions, in any completeness, still name it.
    for typed in ("宁波市宁海县政务服务办公室", "宁波市瞻岐镇", "宁波市海曙区白鹤街道"):
        assert (await resolve_agency(agencies_sf, typed)).kind == "exact", typed
    (mention,) = await find_agencies_in_text(agencies_sf, "宁海县的政务服务办公室收到几件申请")
    assert (mention.match.kind, mention.agency.name) == ("exact", "宁海县政务服务办公室")
    # A division that cannot be checked (the province is not stored) or another suffix: said, not exact.
    for typed, expected in (
        ("浙江省宁海县政务服务办公室", "宁海县政务服务办公室"),
        ("定海县", "舟山市定海区人民政府"),
        ("定海县财政局", "舟山市定海区财政局"),
    ):
        match = await resolve_agency(agencies_sf, typed)
        assert (match.kind, match.agency and match.agency.name) == ("fuzzy", expected), typed


async def test_a_department_is_named_with_its_own_division(agencies_sf):
    """舟山市财政局 is the city's bureau, not 舟山市定海区财政局: the division right above a department may not
    be skipped (a town or street may be named under its city: 宁波市瞻岐镇)."""
    for typed in ("舟山市财政局", "舟山财政局"):
        match = await resolve_agency(agencies_sf, typed)
        assert match.agency is None and "舟山市定海区财政局" in [a.name for a in match.candidates], typed
    for typed in ("舟山市定海区财政局", "定海区财政局", "定海财政局", "舟山定海区财政局"):
        match = await resolve_agency(agencies_sf, typed)
        assert match.agency is not None and match.agency.name == "舟山市定海区财政局", typed


async def test_a_name_typed_without_its_suffix_and_with_another_is_not_it(agencies_sf):
    """瞻岐 + 街道 is no 瞻岐镇; 瞻岐 alone, or 瞻岐镇, is."""
    (mention,) = await find_agencies_in_text(agencies_sf, "瞻岐街道收到多少申请")
    assert mention.agency is None and [a.name for a in mention.match.candidates] == ["瞻岐镇人民政府"]
    for text in ("瞻岐收到多少申请", "瞻岐镇收到多少申请"):
        (mention,) = await find_agencies_in_text(agencies_sf, text)
        assert mention.agency is not None and mention.agency.name == "瞻岐镇人民政府", text


async def test_unknown_names_get_the_closest_names(agencies_sf):
    match = await resolve_agency(agencies_sf, "公安局")  # no name is close, one shares a word
    assert match.kind == "none" and [a.name for a in match.candidates] == ["舟山市定海区财政局"]
    match = await resolve_agency(agencies_sf, "临海区")
    assert match.kind == "none" and match.candidates[0].name == "舟山市定海区人民政府"
    match = await resolve_agency(agencies_sf, "盐仓街道")
    assert match.kind == "none" and {a.short_name for a in match.candidates} == {"白鹤街道"}
    assert (await resolve_agency(agencies_sf, "北京市")).candidates == []  # nothing at all in common


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
    assert await warm_agency_index(agencies_sf) == len(AGENCIES)
    assert (await resolve_agency(agencies_sf, "普陀区")).agency is None
    report = parsed_report("舟山市普陀区人民政府", short_name="普陀区", region="舟山市普陀区")
    await store_report(agencies_sf, report, sha256="9" * 64, filename="p.txt")
    assert (await resolve_agency(agencies_sf, "普陀")).agency.name == "舟山市普陀区人民政府"
    assert (await resolve_agency(agencies_sf, "舟山市")).kind == "region"  # its divisions too
    mentions = await find_agencies_in_text(agencies_sf, "比较普陀区和定海区")
    assert [m.agency.short_name for m in mentions] == ["普陀区", "定海区"]
    # A changed agency (a new printing of its name) is seen as well.
    async with agencies_sf() as session:
        agency = (await session.execute(select(Agency).where(Agency.short_name == "瞻岐镇"))).scalar_one()
        agency.aliases = ["宁波市鄞州区瞻岐中心镇人民政府"]
        agency.updated_at = utcnow()
        await session.commit()
    assert (await resolve_agency(agencies_sf, "瞻岐中心镇")).agency.short_name == "瞻岐镇"


async def test_resolving_inside_a_session_leaves_its_objects_alone(agencies_sf):
    async with agencies_sf() as session:
        mine = (await session.execute(select(Agency).where(Agency.short_name == "定海区"))).scalar_one()
        report = parsed_report("舟山市普陀区人民政府", short_name="普陀区", region="舟山市普陀区")
        await store_report(agencies_sf, report, sha256="8" * 64, filename="p.txt")  # the index is rebuilt
        match = await resolve_agency(session, "定海区")
        assert match.agency.id == mine.id and mine in session


def test_same_agency_rules():
    assert match_key("舟山市定海区人民政府") == match_key("定海区人民政府") == "定海区"
    assert match_key("宁波市鄞州区人民政府白鹤街道办事处") == "白鹤街道"
    assert same_agency("舟山市定海区人民政府", None, "定海区人民政府", "舟山市定海区")
    assert same_agency("白鹤街道办事处", None, "宁波市鄞州区人民政府白鹤街道办事处", None)
    assert not same_agency("宁海县政务服务办公室", None, "象山县政务服务办公室", None)
    assert not same_agency("政务服务办公室", None, "宁海县政务服务办公室", None)  # any county's
    assert not same_agency("舟山市定海区人民政府", None, "舟山市定海区财政局", None)

"""The agencies a question names: known names found in the text (core.storage.agencies), then words nothing
else explains, resolved as names — typos, pinyin and English ("Lucheng District", "the Wenzhou Finance
Bureau"), abbreviations (卫健局 for 卫生健康局).

A name is never guessed: a single agency, or candidates to ask about (core.qa.reply.Named).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import pinyin
from core.qa.parse import Chunk
from core.qa.queries import AgencyRow
from core.qa.reply import Named
from core.qa.scope import says_government
from core.storage.agencies import AgencyMatch, AgencyMention, canon, resolve_agency, split_units
from core.storage.models import Agency
from core.textnorm import squash

# English words of agency names, as the pinyin the name index holds (Ninghai County → ninghaixian).
_ENGLISH_PARTS: tuple[tuple[str, str], ...] = (
    ("government service office", "zhengwufuwubangongshi"),
    ("market supervision", "shichangjianduguanli"),
    ("market regulation", "shichangjianduguanli"),
    ("administration for market regulation", "shichangjianduguanliju"),
    ("health commission", "weishengjiankangju"),
    ("health bureau", "weishengjiankangju"),
    ("transport bureau", "jiaotongyunshuju"),
    ("transportation bureau", "jiaotongyunshuju"),
    ("finance bureau", "caizhengju"),
    ("justice bureau", "sifaju"),
    ("education bureau", "jiaoyuju"),
    ("public security bureau", "gonganju"),
    ("administrative service centre", "xingzhengfuwuzhongxin"),
    ("administrative service center", "xingzhengfuwuzhongxin"),
    ("service centre", "fuwuzhongxin"),
    ("service center", "fuwuzhongxin"),
    ("people's government", ""),
    ("people government", ""),
    ("municipal government", ""),
    ("government", ""),
    ("govt", ""),
    ("gov't", ""),
    ("gov", ""),
    ("municipal", ""),
    ("subdistrict office", "jiedao"),
    ("subdistrict", "jiedao"),
    ("sub-district", "jiedao"),
    ("street", "jiedao"),
    ("township", "xiang"),
    ("town", "zhen"),
    ("district", "qu"),
    ("county", "xian"),
    ("city", "shi"),
    ("bureau", "ju"),
    ("office", "bangongshi"),
    ("the", ""),
    ("of", ""),
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_POSSESSIVE = re.compile(r"['’]s\b")


def _english_name(text: str) -> str:
    """ "the wenzhou finance bureau" → "wenzhou caizhengju" (what resolve_agency compares with pinyin)."""
    out = " " + _POSSESSIVE.sub("", text.lower()) + " "
    for words, spelled in _ENGLISH_PARTS:
        out = re.sub(rf"(?<=\s){re.escape(words)}(?=\s)", f" {spelled} " if spelled else " ", out)
    return " ".join(out.split())


def _row(agency: Agency) -> AgencyRow:
    assert agency.id is not None
    return AgencyRow(agency.id, agency.name, agency.short_name, agency.region)


def named(typed: str, span: tuple[int, int], match: AgencyMatch) -> Named:
    if match.agency is not None:
        return Named(typed, span, _row(match.agency), fuzzy=match.kind == "fuzzy")
    return Named(typed, span, candidates=[_row(a) for a in match.candidates], kind=match.kind)


_DIVISION_END = re.compile(r"(?:市|区|县)$")
_SUFFIX_OF = re.compile(r"(?:局|委|办|中心|所|站|院|队|处|室|街道|镇|乡|馆|会)$")


def _abbreviation(typed: str, candidates: Sequence[Agency]) -> Agency | None:
    """The one candidate whose name holds every character typed, in order, with the same divisions and
    the same kind of name (鄞州区卫健局 → 宁波市鄞州区卫生健康局); None when none or several do. A word
    that is no name (教育) is never read as an abbreviation."""
    units, rest = split_units(squash(typed))
    if units and units[-1][-1] in "市区县" and len(rest) < 3:
        units, rest = [*units[:-1], units[-1][:-1]], units[-1][-1] + rest  # 柯桥市监局: 柯桥 + 市监局
    suffix = _SUFFIX_OF.search(rest)
    if len(rest) < 3 or suffix is None:
        return None
    fits = []
    for agency in candidates:
        name = squash(agency.name)
        if not all(u in name for u in units) or rest[-1] not in name[-3:]:
            continue
        own = split_units(name)[0]
        if units and own and _DIVISION_END.sub("", units[-1]) != _DIVISION_END.sub("", own[-1]):
            continue  # 温州市教育局 is not 温州市鹿城区教育局: the division right above is the agency's own
        it = iter(name)
        if all(ch in it for ch in rest):
            fits.append(agency)
    return fits[0] if len(fits) == 1 else None


_SUFFIX = re.compile(r"(?:省|市|区|县|旗|自治州|州|盟|地区)$")
_ENDS = re.compile(r"局|委|办|中心|所|站|院|队|处|室|街道|镇|乡|馆|会")
_LONGEST_TAIL = 12
_NOT_IN_NAME = frozenset("的和与及、跟是有在")


async def longer_names(
    session: AsyncSession, text: str, spans: Sequence[tuple[int, int]], said: Sequence[tuple[int, int]] = ()
) -> list[Named]:
    """Names the name index does not hold as typed (椒江 + 行政服务中心, 柯桥市 + 监局 for 柯桥区市场监督管理局,
    椒江服务中心): from a name or a word nothing explains, on to a name's ending, read as one stored agency.
    The words inside (行政, 中) are then no part of the question. Only the new, longer names are returned.
    ``said`` are the spans of words that mean something (不予处理, 多少): a name does not run over them, and
    的 after a name is no part of one (财政局的局长)."""
    out = []
    for start, end in spans:
        tail = text[end : end + _LONGEST_TAIL]
        if not tail or tail[0] in _NOT_IN_NAME:
            continue
        for m in sorted(_ENDS.finditer(tail), key=lambda m: m.end(), reverse=True):
            stop = end + m.end()
            if any(not _CJK.match(ch) for ch in tail[: m.end()]) or any(
                a < stop and end < b for a, b in said
            ):
                continue
            span = (start, end + m.end())
            found = await resolve_chunk(session, Chunk(text[span[0] : span[1]], span, True))
            # the typed ending is the agency's own (中心 of 行政服务中心; 鹿城区 + 办 of 办结 is no name)
            if found is not None and found.row is not None and squash(found.row.name).endswith(m.group()):
                out.append(found)
                break
    return out


_REGIONS: dict[str, tuple[int, dict[str, str]]] = {}  # database → (agencies, pinyin → region unit)


async def _english_region(session: AsyncSession, query: str) -> str | None:
    """A region typed in pinyin or English ("Wenzhou", "wenzhou city") → its stored Chinese name."""
    key = str(session.bind.url) if session.bind is not None else ""
    count = (await session.execute(select(func.count(Agency.id)))).scalar_one()
    cached = _REGIONS.get(key)
    if cached is None or cached[0] != count:
        regions = (await session.execute(select(Agency.region).distinct())).scalars()
        table: dict[str, str] = {}
        for region in regions:
            for unit in split_units(canon(region or ""))[0]:
                bare = _SUFFIX.sub("", unit)
                for form in {unit, bare}:
                    if len(form) >= 2:
                        table.setdefault(pinyin.spell(form), unit)
        cached = _REGIONS[key] = (count, table)
    return cached[1].get(query.replace(" ", ""))


async def resolve_chunk(session: AsyncSession, chunk: Chunk) -> Named | None:
    """A chunk of words nothing else explains, as an agency (resolved or to ask about); None when it is not
    a name at all."""
    text = chunk.text
    query = text if _CJK.search(text) else _english_name(text)
    if not query:
        return None
    match = await resolve_agency(session, query)
    if match.kind in ("none", "ambiguous") and match.candidates and _CJK.search(text):
        found = _abbreviation(text, match.candidates)
        if found is not None:
            return Named(text, chunk.span, _row(found), fuzzy=True)
    # A close Chinese word is only a name when it looks like one (教育 is no 教育局); pinyin is compared whole.
    fuzzy_ok = chunk.name_like or not _CJK.search(text)
    if match.kind in ("exact", "ambiguous", "region") or (match.kind == "fuzzy" and fuzzy_ok):
        return named(text, chunk.span, match)
    if not _CJK.search(text) and (region := await _english_region(session, query)):
        inside = await resolve_agency(session, region)
        if inside.kind == "region":
            said = region + "政府" if says_government(text) else region  # its government, not the region
            return Named(said, chunk.span, candidates=[_row(a) for a in inside.candidates], kind="region")
    if chunk.name_like and (len(text) >= 3 or not _CJK.search(text)):
        return named(text, chunk.span, match)
    return None


async def mentions_to_named(session: AsyncSession, mentions: Sequence[AgencyMention]) -> list[Named]:
    out = []
    for m in mentions:
        n = named(m.match.query, m.span, m.match)
        if n.row is None and m.match.kind in ("none", "ambiguous") and m.match.candidates:
            found = _abbreviation(m.match.query, m.match.candidates)
            if found is not None:
                n = Named(m.match.query, m.span, _row(found), fuzzy=True)
        out.append(n)
    return out

"""Which stored agency a user means: "定海", "定海区政府", "舟山市定海區", "定海去" all name 定海区.

Every agency gets a set of name variants (full name, short name, without its city or province, without
区/县/街道/镇/乡, with 政府/人民政府/办事处 dropped), looked up exactly first, then by pinyin (typos made with a
pinyin keyboard are homophones), then fuzzily. A winner is returned only when no other agency comes close;
otherwise the caller gets candidates to ask about. The index is built once per process and database and
rebuilt when the agency table changes (row count or newest ``updated_at``).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.storage.models import Agency
from core.textnorm import squash, to_simplified

# ---------------------------------------------------------------- name normalisation

# One administrative division at the start of a name: 浙江省, 宁波市, 鄞州区, 宁海县, 内蒙古自治区 …
_UNIT = re.compile(
    r"(?!城市|社区|小区|园区|景区|辖区|市区|都市)[\u4e00-\u9fff]{1,8}?(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州(?![市区县])|盟|地区|区|县|旗)"
)
_UNIT_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|区|县|旗)$")
# Suffixes users leave out: "定海" for 定海区, "白鹤" for 白鹤街道.
_DROPPABLE = re.compile(r"(?:街道|镇|乡|区|县|市)$")
_TOWNSHIP = re.compile(r"(?:街道|镇|乡)$")
# Words around a name in what users type: "2020年定海区的报告", "定海区政府信息公开工作年度报告".
_QUERY_NOISE = re.compile(
    r"^(?:\d{4}年度?)|(?:的)?(?:\d{4}年度?)?(?:政府信息公开工作年度报告|信息公开工作年度报告|信息公开年报|年度报告|年报|报告)$"
)
# Government words that sit between or after name parts and carry no identity.
_SURFACE_TAILS = ("人民政府", "政府", "办事处")


def canon(text: str) -> str:
    """Simplified, no spaces, 人民政府→政府, 街道办事处→街道, a trailing 政府 dropped (定海区政府 → 定海区)."""
    s = squash(text).replace("人民政府", "政府").replace("街道办事处", "街道")
    s = re.sub(r"政府(?=[\u4e00-\u9fff]{1,12}(?:街道|镇|乡)$)", "", s)  # 鄞州区政府白鹤街道 → 鄞州区白鹤街道
    if s.endswith("政府") and len(s) > 2:
        s = s[:-2]
    return s


def split_units(name: str) -> tuple[list[str], str]:
    """Leading administrative divisions and the rest: 宁波市鄞州区白鹤街道 → ([宁波市, 鄞州区], 白鹤街道)."""
    units: list[str] = []
    rest = name
    while m := _UNIT.match(rest):
        units.append(m.group())
        rest = rest[m.end() :]
    return units, rest


def _stem(name: str) -> str | None:
    stem = _DROPPABLE.sub("", name)
    return stem if stem != name and len(stem) >= 2 else None


def _parts(name: str, region: str | None) -> tuple[list[str], str]:
    """The most complete division chain known for an agency, and its own name below it.

    An agency that is a region's government (舟山市定海区人民政府) has no name below its region: the body
    is its last division (定海区), which is removed from the chain.
    """
    units, body = split_units(canon(name))
    region_units, rest = split_units(canon(region or ""))
    if (
        not rest
        and len(region_units) > len(units)
        and region_units[len(region_units) - len(units) :] == units
    ):
        units = region_units
    if not body and units:
        body = units.pop()
    return units, body


def match_key(name: str, region: str | None = None) -> str:
    """What two printings of one agency's name share: its name below the region (定海区, 白鹤街道)."""
    return _parts(name, region)[1]


def same_agency(name_a: str, region_a: str | None, name_b: str, region_b: str | None) -> bool:
    """Two printed names of one agency: same name below the region, and one region chain ends the other.

    Names with no region at all only match when they are townships (街道/镇/乡 names are locally unique);
    "政务服务办公室" alone could be any county's.
    """
    units_a, body_a = _parts(name_a, region_a)
    units_b, body_b = _parts(name_b, region_b)
    if body_a != body_b:
        return False
    short, long_ = sorted((units_a, units_b), key=len)
    if long_[len(long_) - len(short) :] != short:
        return False
    return bool(short) or bool(_TOWNSHIP.search(body_a)) or units_a == units_b


def _unit_forms(unit: str) -> list[str]:
    bare = _UNIT_SUFFIX.sub("", unit)
    return [unit, bare] if bare != unit and len(bare) >= 2 else [unit]


def name_variants(name: str, short_name: str | None, region: str | None) -> dict[str, int]:
    """Canonical forms users may type for an agency → rank (0: its own full or short name, 1: derived)."""
    units, body = _parts(name, region)
    cores = [body, *filter(None, [_stem(body)])]
    variants: dict[str, int] = {}
    for start in range(len(units) + 1):
        for prefix in itertools.product(*(_unit_forms(u) for u in units[start:])):
            for core in cores:
                variants.setdefault("".join(prefix) + core, 1)
    for own in filter(None, (canon(name), canon(short_name or ""))):
        variants[own] = 0
        if stem := _stem(own):
            variants.setdefault(stem, 1)
    variants.pop("", None)
    return variants


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text))


_EN_WORDS = {"subdistrict": "jiedao", "district": "qu", "county": "xian", "town": "zhen", "city": "shi"}


def _ascii_pinyin(text: str) -> str:
    """ "Dinghai District" → "dinghaiqu", to meet the pinyin index."""
    words = re.findall(r"[a-z]+", text.lower())
    return "".join(_EN_WORDS.get(w, w) for w in words)


# ---------------------------------------------------------------- the index


@dataclass
class AgencyMatch:
    """``exact`` and ``fuzzy`` carry ``agency`` (fuzzy: a typo or abbreviation; say which agency was
    understood); ``ambiguous`` carries ``candidates`` to ask about; ``none`` carries the closest names."""

    kind: Literal["exact", "fuzzy", "ambiguous", "none"]
    query: str
    agency: Agency | None = None
    candidates: list[Agency] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.agency is not None


@dataclass
class AgencyMention:
    """An agency name found inside a longer text; ``span`` indexes the original text."""

    span: tuple[int, int]
    text: str
    match: AgencyMatch

    @property
    def agency(self) -> Agency | None:
        return self.match.agency


_WINNER = 90.0  # fuzzy score a winner needs
_MARGIN = 8.0  # and by how much it must beat every other agency
_CANDIDATE = 75.0  # worth asking about
_SUGGEST = 40.0  # worth suggesting when nothing matches
_MAX_CHOICES = 8


class NameIndex:
    def __init__(self, agencies: list[Agency]) -> None:
        self.agencies = {a.id: a for a in agencies if a.id is not None}
        self.exact: dict[str, dict[int, int]] = defaultdict(dict)  # variant → agency id → rank
        self.surface: dict[str, set[int]] = defaultdict(set)  # printed forms, for scanning text
        self.regions: dict[str, set[int]] = defaultdict(set)  # 鄞州区, 鄞州 → agencies in it
        fuzzy_choices: dict[str, set[int]] = defaultdict(set)
        for agency in agencies:
            assert agency.id is not None
            for name in (agency.name, *(agency.aliases or [])):
                variants = name_variants(name, agency.short_name, agency.region)
                for variant, rank in variants.items():
                    ranks = self.exact[variant]
                    ranks[agency.id] = min(rank, ranks.get(agency.id, rank))
                    self.surface[variant].add(agency.id)
                    for tail in _SURFACE_TAILS:
                        self.surface[variant + tail].add(agency.id)
                self.surface[squash(name)].add(agency.id)
                units, body = _parts(name, agency.region)
                for unit in units:
                    for form in _unit_forms(unit):
                        self.regions[form].add(agency.id)
                for core in {canon(name), canon(agency.short_name), body, _stem(body)}:
                    if core:
                        fuzzy_choices[core].add(agency.id)
        self.fuzzy_names = list(fuzzy_choices)
        self.fuzzy_ids = [fuzzy_choices[n] for n in self.fuzzy_names]
        self.max_surface = max((len(s) for s in self.surface), default=0)

    @cached_property
    def pinyin(self) -> dict[str, set[int]]:
        """Pinyin of the names → agencies; built on the first lookup that needs it (it is the slow part)."""
        index: dict[str, set[int]] = defaultdict(set)
        for name, ids in zip(self.fuzzy_names, self.fuzzy_ids, strict=True):
            index[_pinyin(name)] |= ids
        return index

    def _agencies(self, ids: list[int] | set[int]) -> list[Agency]:
        return sorted((self.agencies[i] for i in ids), key=lambda a: (a.short_name, a.name))

    def resolve(self, text: str) -> AgencyMatch:
        query = _clean_query(text)
        if not query:
            return AgencyMatch("none", text)
        forms = [query]
        units, rest = split_units(query)
        if units and rest:
            forms.append(rest)  # a division we do not know as a prefix ("浙江省宁海县…")
        for form in forms:
            if ranks := self.exact.get(form):
                best = min(ranks.values())
                ids = [i for i, r in ranks.items() if r == best]
                if len(ids) == 1:
                    return AgencyMatch("exact", text, self.agencies[ids[0]])
                return AgencyMatch("ambiguous", text, candidates=self._agencies(ids))
            if ids := self.regions.get(form):  # a region, not an agency: offer what is stored there
                return AgencyMatch("ambiguous", text, candidates=self._agencies(ids)[:_MAX_CHOICES])
        return self._fuzzy(text, forms)

    def _fuzzy(self, text: str, forms: list[str]) -> AgencyMatch:
        scores: dict[int, float] = defaultdict(float)
        cjk = re.search(r"[\u4e00-\u9fff]", text) is not None
        for key in {_pinyin(f) for f in forms} if cjk else {_ascii_pinyin(text)}:
            for agency_id in self.pinyin.get(key, ()):
                scores[agency_id] = 100.0
        for form in forms:
            for _name, score, i in process.extract(form, self.fuzzy_names, scorer=fuzz.ratio, limit=20):
                for agency_id in self.fuzzy_ids[i]:
                    scores[agency_id] = max(scores[agency_id], score)
            if len(form) >= 3:  # an abbreviation: the start of one name only
                for name, ids in zip(self.fuzzy_names, self.fuzzy_ids, strict=True):
                    if name.startswith(form):
                        for agency_id in ids:
                            scores[agency_id] = max(scores[agency_id], _WINNER)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked:
            return AgencyMatch("none", text)
        best_id, best = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best >= _WINNER and runner_up < best - _MARGIN:
            return AgencyMatch("fuzzy", text, self.agencies[best_id])
        close = [i for i, s in ranked if s >= max(_CANDIDATE, best - 15)][:_MAX_CHOICES]
        if close:
            return AgencyMatch("ambiguous", text, candidates=[self.agencies[i] for i in close])
        return AgencyMatch(
            "none", text, candidates=[self.agencies[i] for i, s in ranked[:5] if s >= _SUGGEST]
        )

    def scan(self, text: str) -> list[AgencyMention]:
        """Known names in ``text``, longest first, not overlapping, in text order.

        Longest first, so that "和西永街道" finds 西永街道 rather than a shorter name that starts earlier.
        """
        chars: list[str] = []
        offsets: list[int] = []
        for i, ch in enumerate(text):
            norm = squash(ch)
            if norm:
                chars.append(to_simplified(norm))
                offsets.append(i)
        flat = "".join(chars)
        candidates: list[tuple[int, int]] = []
        for i in range(len(flat)):
            for j in range(min(len(flat), i + self.max_surface), i + 1, -1):
                if flat[i:j] in self.surface:
                    candidates.append((i, j))
                    break
        taken: list[tuple[int, int]] = []
        for i, j in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if all(j <= a or i >= b for a, b in taken):
                taken.append((i, j))
        found: list[AgencyMention] = []
        for i, j in sorted(taken):
            ids = self.surface[flat[i:j]]
            while tail := next((t for t in _SURFACE_TAILS if flat.startswith(t, j)), None):
                j += len(tail)
            match = self.resolve(flat[i:j])
            if match.kind != "exact":  # the same words name several agencies
                match = AgencyMatch("ambiguous", flat[i:j], candidates=self._agencies(ids))
            start, end = offsets[i], offsets[j - 1] + 1
            found.append(AgencyMention((start, end), text[start:end], match))
        return found


def _clean_query(text: str) -> str:
    query = canon(text)
    while (stripped := _QUERY_NOISE.sub("", query)) != query:
        query = stripped
    return canon(query) if query else ""


# ---------------------------------------------------------------- access

Sessionish = AsyncSession | async_sessionmaker[AsyncSession]
_CACHE: dict[str, tuple[tuple[int, object], NameIndex]] = {}


async def _index(session: AsyncSession) -> NameIndex:
    stamp_row = (await session.execute(select(func.count(Agency.id), func.max(Agency.updated_at)))).one()
    stamp = (int(stamp_row[0]), stamp_row[1])
    key = str(session.bind.url) if session.bind is not None else ""
    cached = _CACHE.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    agencies = list((await session.execute(select(Agency))).scalars())
    for agency in agencies:
        session.expunge(agency)  # the index outlives this session
    index = NameIndex(agencies)
    _CACHE[key] = (stamp, index)
    return index


async def _with_index(session_or_sf: Sessionish) -> NameIndex:
    if isinstance(session_or_sf, AsyncSession):
        return await _index(session_or_sf)
    async with session_or_sf() as session:
        return await _index(session)


async def resolve_agency(session_or_sf: Sessionish, text: str) -> AgencyMatch:
    """The stored agency ``text`` names. Never a guess: a single winner or candidates to choose from."""
    return (await _with_index(session_or_sf)).resolve(text)


async def find_agencies_in_text(session_or_sf: Sessionish, text: str) -> list[AgencyMention]:
    """Agency names inside a question ("比较白鹤街道和瞻岐镇"), with their spans in ``text``."""
    return (await _with_index(session_or_sf)).scan(text)

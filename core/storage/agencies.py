"""Which stored agency a user means: "定海", "定海区政府", "舟山市定海區", "定海去" all name 定海区.

Every agency gets a set of name variants (full name, short name, without its city or province, without
区/县/街道/镇/乡, with 政府/人民政府/办事处 dropped), looked up exactly first, then by pinyin (typos made with a
pinyin keyboard are homophones), then fuzzily. Divisions typed before a name must be the agency's own:
象山县政务服务办公室 is not 宁海县政务服务办公室, however close the words. A winner is returned only when no
other agency comes close; otherwise the caller gets candidates to ask about, or the closest names.

The index is built once per process and database (``warm_agency_index`` at startup), extended when agencies
are added and rebuilt when one changes (highest id and newest ``updated_at``: agencies are never deleted, and
both are read from an index, where counting the rows read all of them before every question).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, Protocol

from rapidfuzz import fuzz, process
from sqlalchemy import Select, String, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import make_transient_to_detached

from core import pinyin
from core.storage.models import Agency
from core.textnorm import squash, to_simplified

# ---------------------------------------------------------------- name normalisation

# One administrative division at the start of a name: 浙江省, 宁波市, 鄞州区, 宁海县, 内蒙古自治区 …
_UNIT = re.compile(
    r"(?!城市|社区|小区|园区|景区|辖区|市区|都市)[\u4e00-\u9fff]{1,8}?(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州(?![市区县])|盟|地区|区|县|旗)"
)
_UNIT_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|区|县|旗)$")
_PROVINCE = re.compile(r"(?:省|自治区|特别行政区)$")
_CITY = re.compile(r"(?:市|州|盟|地区)$")
# Suffixes users leave out: "定海" for 定海区, "白鹤" for 白鹤街道.
_DROPPABLE = re.compile(r"(?:街道|镇|乡|区|县|市)$")
_TOWNSHIP = re.compile(r"(?:街道|镇|乡)$")
_OTHER_SUFFIX = re.compile(r"街道|镇|乡|区|县")
_DEPARTMENT = re.compile(r"(?:局|委|委员会|办|办公室|中心|院|所|站|队|处)$")
# Words around a name in what users type: "2020年定海区的报告", "定海区政府信息公开工作年度报告".
_QUERY_NOISE = re.compile(
    r"^(?:\d{4}年度?)|(?:的)?(?:\d{4}年度?)?(?:政府信息公开工作年度报告|信息公开工作年度报告|信息公开年报|年度报告|年报|报告)$"
)
# Government words that sit between or after name parts and carry no identity.
_SURFACE_TAILS = ("人民政府", "政府", "办事处")


def canon(text: str) -> str:
    """Simplified, no spaces, 人民政府→政府, 街道办事处→街道, a trailing 政府 dropped (定海区政府 → 定海区)."""
    return _canon_squashed(squash(text))


def _canon_squashed(s: str) -> str:
    s = s.replace("人民政府", "政府").replace("街道办事处", "街道")
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
    return _canon_parts(canon(name), region)


def _canon_parts(name: str, region: str | None) -> tuple[list[str], str]:
    """``_parts`` of a name already through ``canon``."""
    units, body = split_units(name)
    region_units, rest = _region_units(region or "")
    if (
        not rest
        and len(region_units) > len(units)
        and region_units[len(region_units) - len(units) :] == tuple(units)
    ):
        units = list(region_units)
    if not body and units:
        body = units.pop()
    return units, body


@lru_cache(maxsize=4096)
def _region_units(region: str) -> tuple[tuple[str, ...], str]:
    """``split_units(canon(region))``; a province's agencies share a few hundred regions."""
    units, rest = split_units(canon(region))
    return tuple(units), rest


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


def _bare(unit: str) -> str:
    return _UNIT_SUFFIX.sub("", unit)


def _unit_forms(unit: str) -> list[str]:
    bare = _bare(unit)
    return [unit, bare] if bare != unit and len(bare) >= 2 else [unit]


def _is_division(name: str) -> bool:
    """A name that is only divisions (鄞州区, 宁波市鄞州区): a region, or a region's government."""
    if not _UNIT_SUFFIX.search(name):
        return False
    units, rest = split_units(name)
    return bool(units) and not rest


def _level(unit: str) -> int:
    """0 province, 1 city, 2 county: a division typed above a stored chain must be of a higher level."""
    return 0 if _PROVINCE.search(unit) else 1 if _CITY.search(unit) else 2


@lru_cache(maxsize=1024)
def _prefixes(units: tuple[str, ...]) -> tuple[str, ...]:
    """The ways to write a division chain before a name: 宁波市鄞州区, 宁波鄞州区, 鄞州, … and nothing."""
    return tuple(
        "".join(prefix)
        for start in range(len(units) + 1)
        for prefix in itertools.product(*(_unit_forms(u) for u in units[start:]))
    )


def name_variants(name: str, short_name: str | None, region: str | None) -> dict[str, int]:
    """Canonical forms users may type for an agency → rank (0: its own full or short name, 1: derived)."""
    own = canon(name)
    return _variants(own, canon(short_name or ""), *_canon_parts(own, region))


def _variants(name: str, short_name: str, units: list[str], body: str) -> dict[str, int]:
    cores = [body, *filter(None, [_stem(body)])]
    variants = dict.fromkeys((prefix + core for prefix in _prefixes(tuple(units)) for core in cores), 1)
    for own in filter(None, (name, short_name)):
        variants[own] = 0
        if stem := _stem(own):
            variants.setdefault(stem, 1)
    variants.pop("", None)
    return variants


Fit = Literal["exact", "loose", "no"]


def _fit_named(typed: Sequence[str], rest: str, chain: Sequence[str]) -> Fit:
    """:func:`_fit`, and a department is named with its own division (the one right above it), which may
    not be skipped: 温州市教育局 is the city's bureau, not 温州市鹿城区教育局."""
    if typed and chain and _DEPARTMENT.search(rest) and _unit_fit(typed[-1], chain[-1:]) == "no":
        return "no"
    return _fit(typed, chain)


def _unit_fit(unit: str, chain: Sequence[str]) -> Fit:
    if unit in chain:
        return "exact"
    if any(unit.endswith(u) and unit[: -len(u)] in _unit_forms(v) for u in chain for v in chain):
        return "exact"  # 舟山定海区: a city written without 市, run into the county
    bare = _bare(unit)
    return "loose" if len(bare) >= 2 and any(bare == _bare(u) for u in chain) else "no"


def _fit(typed: Sequence[str], chain: Sequence[str]) -> Fit:
    """Whether divisions typed before a name (象山县 in 象山县政务服务办公室) allow an agency under ``chain``.

    Each typed division must be in the chain (exact), or be a chain division with another suffix (安平县 for
    安平区: loose), or lie above the whole chain and before every matched division (a province the stored
    region leaves out: loose, it cannot be checked). Anything else, such as another county, rules it out.
    """
    if not typed:
        return "exact"
    if not chain:
        return "loose"
    fit: Fit = "exact"
    matched = False
    for unit in typed:
        how = _unit_fit(unit, chain)
        if how == "no":
            if matched or _level(unit) >= _level(chain[0]):
                return "no"
            fit = "loose"
        else:
            matched = True
            if how == "loose":
                fit = "loose"
    return fit


@lru_cache(maxsize=8192)
def _pinyin_part(text: str) -> str:
    return pinyin.spell(text)


_SEGMENT_END = re.compile(r"(?<=[省市州区县旗镇乡局])")


def _pinyin(text: str) -> str:
    """Pinyin of a name, part by part (宁波市|鄞州区|财政局): the parts of a province's names repeat."""
    return "".join(map(_pinyin_part, _SEGMENT_END.split(text)))


_EN_WORDS = {"subdistrict": "jiedao", "district": "qu", "county": "xian", "town": "zhen", "city": "shi"}


def _ascii_pinyin(text: str) -> str:
    """ "Dinghai District" → "dinghaiqu", to meet the pinyin index."""
    words = re.findall(r"[a-z]+", text.lower())
    return "".join(_EN_WORDS.get(w, w) for w in words)


# ---------------------------------------------------------------- what a lookup returns

MatchKind = Literal["exact", "fuzzy", "ambiguous", "region", "none"]


@dataclass
class AgencyMatch:
    """What a name resolves to. ``agency`` is set for exactly the first two kinds:

    - ``exact``: one agency carries this name (its full or short name, or a variant of it).
    - ``fuzzy``: a typo, an abbreviation, a division with another suffix (安平县 for 安平区) or one that
      cannot be checked (a province the stored region leaves out); one agency is clearly meant
      (say which one was understood).
    - ``ambiguous``: several agencies carry the name or are equally close; ``candidates`` to ask about.
    - ``region``: the name is a division (鄞州区, 宁波市), not an agency; ``candidates`` are agencies stored
      in it, one or more, to pick from.
    - ``none``: no stored agency has this name; ``candidates`` are the closest names (the same name under
      another division first, then agencies in a division the name gives, then the most similar names).
      They are empty only when no stored name is even remotely similar (``_SUGGEST``).

    Candidates are at most 8 (suggestions 5), in a stable order.
    """

    kind: MatchKind
    query: str
    agency: Agency | None = None
    candidates: list[Agency] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.agency is not None


@dataclass
class AgencyMention:
    """An agency (or region) name found inside a longer text; ``span`` indexes the original text.

    ``text`` is the span as typed; ``match.query`` is the name looked up (simplified, without spaces, and
    without the 的 of "象山县的政务服务办公室").
    """

    span: tuple[int, int]
    text: str
    match: AgencyMatch

    @property
    def agency(self) -> Agency | None:
        return self.match.agency


_WINNER = 90.0  # fuzzy score a winner needs
_MARGIN = 8.0  # and by how much it must beat every other agency
_CANDIDATE = 75.0  # worth asking about
_SUGGEST = 30.0  # worth suggesting when nothing matches (one character of 3 shared, 公安局 → 财政局)
_POOL = 50  # closest names scored per lookup
_MAX_CHOICES = 8
_MAX_SUGGESTIONS = 5

# Scanning a question: a division and an agency name written together, possibly with 的, are one name
# (鄞州区的白鹤街道); an unknown division before a known name (象山县 + 政务服务办公室) or an unknown name
# after a known division (定海区 + 盐仓街道) makes the whole an unknown agency, never the known part.
_NOT_NAME = "的和与及跟同或比较多少几哪么吗呢是有在各年度请问查看全本该我你他这那"
_PLAIN = rf"(?:(?![{_NOT_NAME}])[\u4e00-\u9fff])"
_UNKNOWN_UNIT = re.compile(rf"({_PLAIN}{{2}}(?:县|区|市|旗))的?$")
_AGENCY_SUFFIX = r"(?:街道|镇|乡(?![镇村建规居])|委员会|委(?![托员])|局|办公室|中心)"
_UNKNOWN_TAIL = re.compile(
    rf"的?((?![和与及跟同或比])(?:(?![的多少几哪么吗呢是有在各年请问全每所属辖内个些])[\u4e00-\u9fff]){{0,8}}?{_AGENCY_SUFFIX})"
)


# ---------------------------------------------------------------- the index


class AgencyData(Protocol):
    """What the index reads of an agency: an Agency, or a row of the agency table."""

    id: int | None
    name: str
    short_name: str
    region: str | None
    aliases: list[str] | None


class NameIndex:
    """Every stored agency's name variants, divisions and pinyin, for ``resolve`` and ``scan``."""

    def __init__(self, agencies: Iterable[AgencyData] = ()) -> None:
        self.rows: dict[int, AgencyData] = {}  # made Agency objects when returned (``agency``)
        self.exact: dict[str, dict[int, int]] = defaultdict(dict)  # variant → agency id → rank
        self.printed: dict[str, set[int]] = defaultdict(set)  # names as printed, for scanning text
        self.regions: dict[str, set[int]] = defaultdict(set)  # 鄞州区, 鄞州 → agencies in it
        self.region_names: set[str] = set()  # 鄞州区 (full forms only, for scanning text)
        self.chains: dict[int, tuple[str, ...]] = {}  # divisions above the agency, and itself if one
        self.fuzzy: dict[str, set[int]] = defaultdict(set)  # names compared fuzzily → agencies
        self.fuzzy_names: list[str] = []  # self.fuzzy's keys, in insertion order (process.extract)
        self.sorted_names: list[str] = []  # the same, sorted (abbreviations: prefix search)
        self.fuzzy_pinyin: dict[str, str] = {}  # fuzzy name → its pinyin
        self.pinyin: dict[str, set[int]] = defaultdict(set)  # pinyin of the fuzzy names → agencies
        self.max_len = 0
        self.add(agencies)

    def add(self, agencies: Iterable[AgencyData]) -> None:
        new_names: list[str] = []
        new_forms: set[str] = set()
        for agency in agencies:
            assert agency.id is not None
            self.rows[agency.id] = agency
            short = canon(agency.short_name)
            chain: tuple[str, ...] = ()
            for name in (agency.name, *(agency.aliases or ())):
                printed = squash(name)
                own = _canon_squashed(printed)
                units, body = _canon_parts(own, agency.region)
                variants = _variants(own, short, units, body)
                new_forms.update(variants)
                new_forms.add(printed)
                self.printed[printed].add(agency.id)
                for variant, rank in variants.items():
                    ranks = self.exact[variant]
                    ranks[agency.id] = min(rank, ranks.get(agency.id, rank))
                division = (*units, body) if _is_division(body) else tuple(units)
                chain = max(chain, division, key=len)
                for unit in division:
                    self.region_names.add(unit)
                    for form in _unit_forms(unit):
                        self.regions[form].add(agency.id)
                for core in {own, short, body, _stem(body)}:
                    if not core:
                        continue
                    if core not in self.fuzzy:
                        new_names.append(core)
                        self.fuzzy_pinyin[core] = _pinyin(core)
                    self.fuzzy[core].add(agency.id)
                    self.pinyin[self.fuzzy_pinyin[core]].add(agency.id)
            self.chains[agency.id] = chain
        self.fuzzy_names.extend(new_names)
        if len(new_names) > 64:
            self.sorted_names = sorted(self.fuzzy_names)
        else:
            for name in new_names:
                bisect.insort(self.sorted_names, name)
        self.max_len = max(self.max_len, max(map(len, new_forms), default=0))

    def _agencies(self, ids: Iterable[int], limit: int = _MAX_CHOICES) -> list[Agency]:
        ordered = sorted(ids, key=lambda i: (self.rows[i].short_name, self.rows[i].name))
        return [self.agency(i) for i in ordered[:limit]]

    def agency(self, agency_id: int) -> Agency:
        """The stored agency, as an Agency detached from any session (made on first use: most are never
        returned, and loading rows as objects is the slow part of building the index)."""
        row = self.rows[agency_id]
        if not isinstance(row, Agency):
            row = Agency(**{**row._mapping, "aliases": row.aliases or []})
            make_transient_to_detached(row)
            self.rows[agency_id] = row
        return row

    # ------------------------------------------------------------ one name

    def resolve(self, text: str) -> AgencyMatch:
        query = _clean_query(text)
        if not query:
            return AgencyMatch("none", text)
        if ranks := self.exact.get(query):
            return self._by_rank(text, ranks)
        typed, rest = split_units(query)
        if typed and not rest:  # divisions only: the last one is the name (浙江省定海区, 宁波市鄞州区)
            rest = typed.pop()
        fits = self._carrying(typed, rest)
        for wanted, kind in (("exact", "exact"), ("loose", "fuzzy")):
            if found := [i for i, f in fits.items() if f == wanted]:
                if len(found) == 1:
                    return AgencyMatch(kind, text, self.agency(found[0]))
                return AgencyMatch("ambiguous", text, candidates=self._agencies(found))
        for region in dict.fromkeys([rest, _bare(rest)]):
            inside = [i for i in self.regions.get(region, ()) if _fit(typed, self.chains[i]) != "no"]
            if inside:
                return AgencyMatch("region", text, candidates=self._region_choices(region, inside))
        # The same name under another division: a suggestion, never an answer.
        near = [i for i, f in fits.items() if f == "no"]
        return self._fuzzy(text, query, typed, rest, near)

    def _carrying(self, typed: list[str], rest: str) -> dict[int, Fit]:
        """Agencies named ``rest`` below the divisions typed, with how those divisions fit each; for a
        division name, also those named the same with another suffix (安平县 for 安平区: loose)."""
        fits = {i: _fit_named(typed, rest, self.chains[i]) for i in self.exact.get(rest, ())} if typed else {}
        bare = _bare(rest)
        if bare != rest and len(bare) >= 2 and _is_division(rest):
            for i in self.exact.get(bare, ()):
                fits.setdefault(i, "no" if _fit(typed, self.chains[i]) == "no" else "loose")
        return fits

    def _by_rank(self, text: str, ranks: dict[int, int]) -> AgencyMatch:
        best = min(ranks.values())
        ids = [i for i, r in ranks.items() if r == best]
        if len(ids) == 1:
            return AgencyMatch("exact", text, self.agency(ids[0]))
        return AgencyMatch("ambiguous", text, candidates=self._agencies(ids))

    def _region_choices(self, region: str, ids: list[int]) -> list[Agency]:
        """Agencies in a region, those directly under it (and its own government) first."""

        def depth(i: int) -> int:
            chain = self.chains[i]
            return len(chain) - next((k for k, u in enumerate(chain) if region in _unit_forms(u)), len(chain))

        ordered = sorted(ids, key=lambda i: (depth(i), self.rows[i].short_name, self.rows[i].name))
        return [self.agency(i) for i in ordered[:_MAX_CHOICES]]

    def _scores(self, text: str, forms: list[str]) -> dict[int, float]:
        """Agency → best similarity (0–100) of any of its names to any form typed, for the closest names."""
        scores: dict[int, float] = defaultdict(float)
        cjk = re.search(r"[\u4e00-\u9fff]", text) is not None
        keys = {_pinyin(f) for f in forms} if cjk else {_ascii_pinyin(text)}
        for key in keys:
            for agency_id in self.pinyin.get(key, ()):
                scores[agency_id] = 100.0
        choices = self.fuzzy_names if cjk else list(self.pinyin)
        for form in forms if cjk else keys:
            for name, score, _ in process.extract(
                form, choices, scorer=fuzz.ratio, limit=_POOL, score_cutoff=_SUGGEST
            ):
                for agency_id in self.fuzzy[name] if cjk else self.pinyin[name]:
                    scores[agency_id] = max(scores[agency_id], score)
            if len(form) >= 3 and cjk:  # an abbreviation: the start of one name only
                start = bisect.bisect_left(self.sorted_names, form)
                end = bisect.bisect_left(self.sorted_names, form + "\U0010ffff")
                for name in self.sorted_names[start:end]:
                    for agency_id in self.fuzzy[name]:
                        scores[agency_id] = max(scores[agency_id], _WINNER)
        return scores

    def _fuzzy(self, text: str, query: str, typed: list[str], rest: str, near: list[int]) -> AgencyMatch:
        scores = self._scores(text, [query, rest] if typed and rest else [query])
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        eligible = [(i, s) for i, s in ranked if _fit_named(typed, rest, self.chains[i]) != "no"]
        if eligible:
            best_id, best = eligible[0]
            runner_up = eligible[1][1] if len(eligible) > 1 else 0.0
            if best >= _WINNER and runner_up < best - _MARGIN:
                return AgencyMatch("fuzzy", text, self.agency(best_id))
            close = [i for i, s in eligible if s >= max(_CANDIDATE, best - 15)]
            if len(close) > 1:
                return AgencyMatch(
                    "ambiguous", text, candidates=[self.agency(i) for i in close[:_MAX_CHOICES]]
                )
        return AgencyMatch("none", text, candidates=self._suggestions(typed, near, scores, ranked))

    def _suggestions(
        self, typed: list[str], near: list[int], scores: dict[int, float], ranked: list[tuple[int, float]]
    ) -> list[Agency]:
        if near:
            return self._agencies(near, _MAX_SUGGESTIONS)
        inside = {i for unit in typed for form in _unit_forms(unit) for i in self.regions.get(form, ())}
        if inside:
            best = sorted(inside, key=lambda i: (-scores.get(i, 0.0), self.rows[i].short_name))
            return [self.agency(i) for i in best[:_MAX_SUGGESTIONS]]
        return [self.agency(i) for i, _ in ranked[:_MAX_SUGGESTIONS]]

    # ------------------------------------------------------------ names inside a text

    def scan(self, text: str) -> list[AgencyMention]:
        """Agency and region names in ``text``, in text order, not overlapping.

        Longest names first, so that "和西永街道" finds 西永街道 rather than a shorter name that starts
        earlier. A division and a name written together are looked up as one name (see ``_UNKNOWN_UNIT``).
        """
        flat, offsets = _flatten(text)
        pieces = self._pieces(flat)
        found: list[AgencyMention] = []
        end_of_last = 0  # in ``flat``
        k = 0
        while k < len(pieces):
            i, j = pieces[k]
            parts = [flat[i:j]]
            if not _is_division(canon(parts[0])) and (m := _UNKNOWN_UNIT.search(flat, end_of_last, i)):
                i = m.start()
                parts.insert(0, m.group(1))
            while _is_division(canon(parts[-1])):
                following = pieces[k + 1] if k + 1 < len(pieces) else None
                if following and flat[j : following[0]] in ("", "的"):
                    k += 1
                    parts.append(flat[following[0] : following[1]])
                    j = following[1]
                    continue
                limit = following[0] if following else len(flat)
                if (m := _UNKNOWN_TAIL.match(flat, j, limit)) and len(m.group(1)) >= 3:
                    parts.append(m.group(1))
                    j = _past_tails(flat, m.end())
                break
            start, end = offsets[i], offsets[j - 1] + 1
            match = self.resolve("".join(parts))
            if match.agency is not None and (other := _OTHER_SUFFIX.match(flat, j)):
                # 文新 + 镇 names 文新镇, not the stored 文新街道: the name was typed without its suffix and
                # another follows
                own = canon(match.agency.name)
                if (
                    (m := _DROPPABLE.search(own))
                    and not "".join(parts).endswith(m.group())
                    and other.group() != m.group()
                ):
                    match = AgencyMatch("none", match.query, candidates=[match.agency])
            found.append(AgencyMention((start, end), text[start:end], match))
            end_of_last = j
            k += 1
        return found

    def _known(self, piece: str) -> bool:
        """A stored name, a division agencies are stored under, or one written with another suffix
        (安平县 for 安平区: looked up as a whole with the name after it)."""
        if piece in self.exact or piece in self.printed or piece in self.region_names:
            return True
        return len(piece) >= 3 and _UNIT_SUFFIX.search(piece) is not None and _bare(piece) in self.regions

    def _pieces(self, flat: str) -> list[tuple[int, int]]:
        """Known names in ``flat``: at each position the longest agency name (else region name), with the
        government words after it; then the longest of those that do not overlap."""
        candidates: list[tuple[int, int]] = []
        for i in range(len(flat)):
            for j in range(min(len(flat), i + self.max_len), i + 1, -1):
                if self._known(flat[i:j]):
                    candidates.append((i, _past_tails(flat, j)))
                    break
        taken: list[tuple[int, int]] = []
        for i, j in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if all(j <= a or i >= b for a, b in taken):
                taken.append((i, j))
        return sorted(taken)


def _past_tails(flat: str, j: int) -> int:
    """Where a name ending at ``j`` ends with the government words after it (定海区人民政府)."""
    while tail := next((t for t in _SURFACE_TAILS if flat.startswith(t, j)), None):
        j += len(tail)
    return j


def _flatten(text: str) -> tuple[str, list[int]]:
    """``text`` simplified and without spaces, with each character's offset in ``text``."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        norm = squash(ch)
        if norm:
            chars.append(to_simplified(norm))
            offsets.append(i)
    return "".join(chars), offsets


def _clean_query(text: str) -> str:
    query = canon(text)
    while (stripped := _QUERY_NOISE.sub("", query)) != query:
        query = stripped
    return canon(query) if query else ""


# ---------------------------------------------------------------- access

Sessionish = AsyncSession | async_sessionmaker[AsyncSession]


@dataclass
class _Cached:
    last_id: int | None
    newest: object
    index: NameIndex


_CACHE: dict[str, _Cached] = {}


_COLUMNS = Agency.__table__.columns  # type: ignore[attr-defined]
# Most agencies have no aliases: skip decoding their "[]" (a third of the time to read 20,000 rows).
_ROWS = select(
    *(c for c in _COLUMNS if c.name != "aliases"),
    case((cast(_COLUMNS.aliases, String) == "[]", None), else_=_COLUMNS.aliases).label("aliases"),
)


def _stamp() -> Select[tuple[int, Any]]:
    # Two scalar subqueries: SQLite reads a lone max() from the end of an index, but scans the table for a
    # query with two aggregates.
    return select(
        select(func.max(Agency.id)).scalar_subquery(), select(func.max(Agency.updated_at)).scalar_subquery()
    )


async def _index(session: AsyncSession) -> NameIndex:
    last_id, newest = (await session.execute(_stamp())).one()
    key = str(session.bind.url) if session.bind is not None else ""
    cached = _CACHE.get(key)
    if cached and (cached.last_id, cached.newest) == (last_id, newest):
        return cached.index
    # Read in a session of our own: the index outlives it, the caller's session keeps its objects, and
    # what the caller has not committed yet is not indexed (its stamp differs until it commits).
    async with AsyncSession(session.bind, expire_on_commit=False) as own:
        last_id, newest = (await own.execute(_stamp())).one()
        if cached and cached.newest is not None and cached.last_id is not None:
            changed = (await own.execute(_ROWS.where(Agency.updated_at > cached.newest))).all()
            # Only new agencies since the index was built: add them. A changed one (a new alias) rebuilds.
            if all(a.id > cached.last_id for a in changed):
                cached.index.add(changed)
                cached.last_id, cached.newest = last_id, newest
                return cached.index
        index = NameIndex((await own.execute(_ROWS)).all())
    _CACHE[key] = _Cached(last_id, newest, index)
    return index


async def _with_index(session_or_sf: Sessionish) -> NameIndex:
    if isinstance(session_or_sf, AsyncSession):
        return await _index(session_or_sf)
    async with session_or_sf() as session:
        return await _index(session)


# ---------------------------------------------------------------- exact names, without the index

_NAME_ENDS = frozenset("区县市旗镇乡局委办室心处所站院队会厅道府司")
_LONGEST_NAME = 30


async def find_named_agencies(session: AsyncSession, text: str) -> list[AgencyMention] | None:
    """Agencies named in ``text`` by their full printed name or their short name, looked up through the
    agency table's own indexes (no name index to build: a fresh process answers its first question at once).

    Conservative: None whenever the full scan (``find_agencies_in_text``) could read the text otherwise —
    nothing found, a name shared by several agencies, a division or an unknown name written against the
    found one (象山县 + 政务服务办公室, 定海区 + 盐仓街道). Names it does not know are left to the caller.
    """
    flat, offsets = _flatten(text)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i in range(len(flat)):
        for j in range(i + 2, min(len(flat), i + _LONGEST_NAME) + 1):
            if flat[j - 1] in _NAME_ENDS:
                spans[flat[i:j]].append((i, j))
    if not spans:
        return None
    # A printed name that canon() shortens (X人民政府 → X) is found by its printed forms as well.
    asked = {*spans, *(f"{s}{tail}" for s in spans for tail in ("人民政府", "政府"))}
    rows = (
        await session.execute(
            select(Agency.id, Agency.name, Agency.short_name, Agency.region).where(
                or_(Agency.name.in_(asked), Agency.short_name.in_(asked))
            )
        )
    ).all()
    owners: dict[str, set[int]] = defaultdict(set)
    agencies = {}
    for row in rows:
        agencies[row.id] = row
        for printed in (row.name, row.short_name):
            owners[canon(printed)].add(row.id)
    found = [(i, j, s) for s, places in spans.items() if canon(s) in owners for i, j in places]
    if not found:
        return None
    chosen: list[tuple[int, int, str]] = []
    for i, j, s in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(j <= a or i >= b for a, b, _ in chosen):
            chosen.append((i, j, s))
    mentions = []
    for i, j, s in sorted(chosen):
        ids = owners[canon(s)]
        before = flat[i - 1] if i else ""
        unknown_tail = _UNKNOWN_TAIL.match(flat, j, len(flat))
        if (
            len(ids) != 1
            or (before and re.match(_PLAIN, before))
            or (unknown_tail and len(unknown_tail.group(1)) >= 3)
        ):
            return None
        row = agencies[next(iter(ids))]
        agency = Agency(id=row.id, name=row.name, short_name=row.short_name, region=row.region)
        end = _past_tails(flat, j)
        start, stop = offsets[i], offsets[end - 1] + 1
        mentions.append(AgencyMention((start, stop), text[start:stop], AgencyMatch("exact", s, agency)))
    return mentions


async def warm_agency_index(session_or_sf: Sessionish) -> int:
    """Build the name index now (at startup), so that the first question does not wait for it; returns
    the number of agencies indexed."""
    return len((await _with_index(session_or_sf)).rows)


async def resolve_agency(session_or_sf: Sessionish, text: str) -> AgencyMatch:
    """The stored agency ``text`` names. Never a guess: a single winner, or candidates (see AgencyMatch)."""
    return (await _with_index(session_or_sf)).resolve(text)


async def find_agencies_in_text(session_or_sf: Sessionish, text: str) -> list[AgencyMention]:
    """Agency names inside a question ("比较白鹤街道和瞻岐镇"), with their spans in ``text``."""
    return (await _with_index(session_or_sf)).scan(text)

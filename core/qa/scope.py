"""Which agencies a question is about when it names none: a region (温州市, 鄞州区) and kinds of agency
(街道, 乡镇, 部门/局, 区县/市政府 本级, core.tiers); and a region named as if it were an agency (宁海县 →
its only stored agency; 普陀区 → 普陀区人民政府, the others offered)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from core.qa import queries
from core.qa.queries import AgencyRow
from core.qa.reply import Answer, Context, Named
from core.storage.agencies import canon, split_units
from core.textnorm import squash
from core.tiers import classify

_BARE = re.compile(r"[\u4e00-\u9fff]+")
# Kinds as name patterns (SQL LIKE): include any of, exclude all of.
_PATTERNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "street": (("%街道%",), ()),
    "town": (("%镇%", "%乡", "%乡人民政府", "%乡政府"), ("%街道%",)),
    "township": (("%街道%", "%镇%", "%乡", "%乡人民政府", "%乡政府"), ()),
}
# Kinds that are tiers (core.tiers), tested on each agency's name.
_TIERS = {"dept": "department", "gov": "government"}
KIND_NAMES = {
    "street": ("街道", "subdistricts"),
    "town": ("乡镇", "towns"),
    "township": ("乡镇街道", "towns and subdistricts"),
    "dept": ("部门", "departments"),
    "gov": ("区县市政府（本级）", "district/county/city governments"),
}


@lru_cache(maxsize=65536)
def tier_of(name: str) -> str:
    return classify(name)


@dataclass
class Scope:
    region: str | None = None
    kinds: set[str] = field(default_factory=set)
    problem: Answer | None = None

    def said(self, ctx: Context) -> str:
        kinds = "、".join(KIND_NAMES[k][0] for k in sorted(self.kinds))
        kinds_en = ", ".join(KIND_NAMES[k][1] for k in sorted(self.kinds))
        if self.region:
            return ctx.tr(
                f"{self.region}{'的' + kinds if kinds else '的单位'}",
                f"{kinds_en or 'agencies'} in {self.region}",
            )
        return ctx.tr(kinds or "所有单位", kinds_en or "all agencies")

    async def ids(self, ctx: Context) -> queries.Agencies:
        """The agencies in scope: None for all, else a query or a list of ids."""
        if not self.region and not self.kinds:
            return None
        place = ""
        if self.region:
            units, rest = split_units(canon(self.region))
            place = units[-1] if units and not rest else (rest or canon(self.region))
        patterns = [k for k in self.kinds if k in _PATTERNS]
        tiers = [_TIERS[k] for k in self.kinds if k in _TIERS]
        if not tiers:
            include = tuple(p for k in patterns for p in _PATTERNS[k][0])
            exclude = tuple(p for k in patterns for p in _PATTERNS[k][1]) if len(patterns) == 1 else ()
            return queries.agencies_in(place, include, exclude)
        rows = await queries.agency_rows(ctx.session, queries.agencies_in(place))
        return [a.id for a in rows if tier_of(a.name) in tiers]


def division(typed: str) -> bool:
    """A name that is only divisions, or a division without its suffix (鹿城区, 宁波市鄞州区, 普陀)."""
    units, rest = split_units(canon(typed))
    return (bool(units) and not rest) or (
        not units and 2 <= len(rest) <= 3 and _BARE.fullmatch(rest) is not None
    )


_GOVERNMENT = re.compile(r"\bgov", re.IGNORECASE)


def says_government(typed: str) -> bool:
    """A region named as its government (黄岩区政府, 温州市人民政府, Wenzhou government): that agency itself,
    never another one stored there nor the region's agencies together."""
    return squash(typed).endswith("政府") or bool(_GOVERNMENT.search(typed))


def _english_division(n: Named) -> str | None:
    """A division's name typed in English or pinyin (Yinzhou), read as its government: the division."""
    row = n.row
    if (
        row is None
        or not n.typed.isascii()
        or _GOVERNMENT.search(n.typed)
        or tier_of(row.name) != "government"
    ):
        return None
    return row.short_name if division(row.short_name) else None


async def scope_of(ctx: Context, regions: list[Named]) -> tuple[Scope, list[Named]]:
    """The scope of a question across agencies; the agencies left named (a region is not one)."""
    scope = Scope(kinds=set(ctx.reading.kinds()))
    agencies = [n for n in ctx.agencies if n.row is not None]
    if regions and says_government(regions[0].typed) and not scope.kinds:
        own = _own_government(regions[0].typed, regions[0].candidates)
        if own is None:
            scope.problem = ctx.refuse([_no_government(ctx, regions[0].typed)])
            return scope, agencies
        regions[0].row = own
        agencies = [regions[0]]
    elif regions:
        scope.region = regions[0].typed
    elif len(agencies) == 1 and division(agencies[0].typed) and agencies[0].row.id not in ctx.choice.agencies:
        scope.region = agencies[0].typed  # 鹿城区哪个单位最多: the district, not its government
        agencies = []
    elif len(agencies) == 1 and (region := _english_division(agencies[0])):
        scope.region = region  # which agencies in Yinzhou: the district, as 鄞州区 is
        agencies = []
    if scope.region or scope.kinds:
        ids = await scope.ids(ctx)
        found = (
            len(ids)
            if isinstance(ids, list)
            else await queries.count_of(ctx.session, ids)
            if ids is not None
            else 1
        )
        if not found:
            scope.problem = ctx.refuse(
                [ctx.tr(f"没有已存的{scope.said(ctx)}的报告。", f"No stored {scope.said(ctx)}.")]
            )
    return scope, agencies


def _own_government(region: str, candidates: list[AgencyRow]) -> AgencyRow | None:
    """The region's 本级政府 among the agencies stored in it (普陀区 → 舟山市普陀区人民政府)."""
    bare = canon(region)
    for a in candidates:
        if tier_of(a.name) == "government" and canon(a.name).endswith(bare):
            return a
    return None


def _no_government(ctx: Context, typed: str) -> str:
    return ctx.tr(f"没有已存的“{typed}”（本级政府）的报告。", f"No report of '{typed}' itself is stored.")


async def region_agency(ctx: Context, n: Named) -> bool:
    """Resolve a region named as an agency; False when it has to be asked about."""
    if says_government(n.typed):
        own = _own_government(n.typed, n.candidates)
        if own is not None:
            n.row = own
        return own is not None
    if len(n.candidates) == 1:
        n.row = n.candidates[0]
        n.note = ctx.tr(
            f"（“{n.typed}”只存有一个单位的报告，按“{n.row.name}”回答）",
            f"('{n.typed}' has one stored agency; answered for {n.row.name})",
        )
        return True
    own = _own_government(n.typed, n.candidates)
    if own is None:
        return False
    n.row = own
    n.others = [a for a in n.candidates if a.id != own.id]
    n.note = ctx.tr(
        f"（“{n.typed}”按本级政府“{own.name}”回答；该地区还存有其他单位，可点选）",
        f"('{n.typed}' read as its own government, {own.name}; other agencies there can be chosen)",
    )
    return True

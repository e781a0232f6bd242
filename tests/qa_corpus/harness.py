"""The question corpus: load the world, compute each item's expected answer, judge what ``answer`` said.

Expected values never come from the Q&A code: the expectation of a line names cells, agencies, rates by
their formula (written here by hand) or a constant, and is computed straight from the stored cells, the
stored findings and the world's declarations (tests/qa_corpus/world.py).

An item is **right** when the answer gives the expected value (and, for one agency, from that agency's
report; for rankings and lists, the expected agencies). It is a **wrong number** when the answer gives a
value (number, yes/no, date) that is not the expected one — including any value for a question that must be
refused or asked back. An honest refusal or pick-list where a value was expected is neither.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from qa_support import load_seeds, store
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from world import AGENCIES, BY_HANDLE, DEADLINE_MONTH_DAY, NOW, PROSE, Agency, specs

from core.storage.db import open_db

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- corpus lines


@dataclass(frozen=True)
class Item:
    id: str
    category: str
    question: str
    expected: str

    @property
    def op(self) -> str:
        return self.expected.split()[0]


def load(split: str) -> list[Item]:
    """The items of ``dev``, ``test``, ``fresh`` or ``probes`` (tests/qa_corpus/<split>.tsv)."""
    items = []
    for line in (HERE / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        ident, category, question, expected = line.split("\t")
        items.append(Item(ident, category, question, expected))
    return items


# ---------------------------------------------------------------- the world in the database


async def build_world(url: str) -> None:
    await load_seeds(url)
    async with open_db(url) as sf:
        await store(sf, specs())


@dataclass
class Report:
    agency: Agency
    year: int
    cells: dict[str, float | None]  # key → value (None: printed blank)
    tables: tuple[str, ...]
    published: date | None
    errors: int
    warnings: int
    table_errors: int


@dataclass
class World:
    reports: dict[tuple[str, int], Report] = field(default_factory=dict)  # (handle, year)

    def report(self, handle: str, year: int) -> Report | None:
        return self.reports.get((handle, year))


async def read_world(sf: async_sessionmaker[AsyncSession]) -> World:
    """Every current report's cells, tables, date and finding counts, by plain SQL."""
    by_name = {a.name: a for a in AGENCIES}
    world = World()
    async with sf() as s:
        rows = await s.execute(
            text(
                "SELECT r.id, a.name, r.year, r.tables_found, r.published_on FROM report r "
                "JOIN agency a ON a.id = r.agency_id WHERE r.is_current"
            )
        )
        ids: dict[int, Report] = {}
        for rid, name, year, tables, published in rows:
            if isinstance(tables, str):
                import json

                tables = json.loads(tables)
            if isinstance(published, str):
                published = date.fromisoformat(published)
            agency = by_name[name]
            report = Report(agency, year, {}, tuple(tables or ()), published, 0, 0, 0)
            world.reports[(agency.handle, year)] = report
            ids[rid] = report
        for rid, key, value in await s.execute(text("SELECT report_id, key, value FROM cell")):
            if rid in ids:
                ids[rid].cells[key] = value
        for rid, code, severity in await s.execute(text("SELECT report_id, code, severity FROM finding")):
            if rid not in ids:
                continue
            if severity == "error":
                ids[rid].errors += 1
                ids[rid].table_errors += code.startswith(("table2.", "table3.", "table4."))
            elif severity == "warning":
                ids[rid].warnings += 1
    return world


# ---------------------------------------------------------------- figures, by hand

_WITHHELD = tuple(
    f"apply.withheld.{r}.total"
    for r in ("state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
              "process_info", "enforcement_file", "inquiry")
)  # fmt: skip
_UNAVAILABLE = tuple(f"apply.unavailable.{r}.total" for r in ("not_held", "needs_creation", "unclear"))
_NOT_PROCESSED = tuple(
    f"apply.not_processed.{r}.total"
    for r in ("petition", "duplicate", "publication", "mass_repeat", "confirm_existing")
)
_LIT = ("litigation.direct.total", "litigation.after_review.total")


def keys_of(spec: str, year: int) -> tuple[str, ...]:
    out: list[str] = []
    for part in spec.split("+"):
        if part == "@withheld":
            out += _WITHHELD
        elif part == "@unavail":
            out += _UNAVAILABLE
        elif part == "@notproc":
            out += _NOT_PROCESSED
        elif part == "@lit":
            out += _LIT
        elif part == "@other":
            out += (
                ["apply.other.total"]
                if year < 2021
                else [f"apply.other.{p}.total" for p in ("no_correction", "unpaid_fee", "other")]
            )
        else:
            out.append(part)
    return tuple(out)


# Rates by their published definitions: (numerator, denominator, subtracted from the denominator).
RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "@subst": (("apply.disclosed.total", "apply.partial.total"), ("apply.total.total",), ()),
    "@disc": (("apply.disclosed.total",), ("apply.total.total",), ()),
    "@withrate": (_WITHHELD, ("apply.total.total",), ()),
    "@done": (("apply.total.total",), ("apply.new.total", "apply.carried_over.total"), ()),
    "@revcorr": (("review.corrected",), ("review.total",), ("review.pending",)),
    "@litcorr": (
        ("litigation.direct.corrected", "litigation.after_review.corrected"),
        _LIT,
        ("litigation.direct.pending", "litigation.after_review.pending"),
    ),
}

_PROSE_KEYS = {("apply.new.total",): "apply.new.total", ("review.total",): "review.total", _LIT: "litigation"}


def figure(world: World, handle: str, year: int, spec: str) -> float | None:
    """The sum of the cells (a blank cell counts 0); None when the report or its table is missing (unless
    the prose states the figure)."""
    report = world.report(handle, year)
    if report is None:
        return None
    keys = keys_of(spec, year)
    present = [k for k in keys if k in report.cells]
    if not present:
        prose = PROSE.get((handle, year), {})
        name = _PROSE_KEYS.get(keys)
        return prose.get(name) if name else None
    return float(sum(report.cells[k] or 0 for k in present))


def rate(world: World, handle: str, year: int, which: str) -> float | None:
    report = world.report(handle, year)
    if report is None:
        return None
    num, den, less = RATES[which]
    if any(k not in report.cells for k in (*num, *den, *less)):
        return None

    def total(keys: Sequence[str]) -> float:
        return float(sum(report.cells[k] or 0 for k in keys))

    d = total(den) - total(less)
    return None if d <= 0 else round(100 * total(num) / d, 1)


def measure(world: World, handle: str, year: int, spec: str) -> float | None:
    return rate(world, handle, year, spec) if spec in RATES else figure(world, handle, year, spec)


def deadline(agency: Agency, year: int) -> date | None:
    md = DEADLINE_MONTH_DAY.get(agency.kind)
    return date(year + 1, *md) if md else None


def _in(agency: Agency, flt: str) -> bool:
    if flt == "all":
        return True
    for part in flt.split(","):
        what, _, value = part.partition("=")
        if what == "region" and value not in (agency.region or "") and value not in agency.name:
            return False
        if what == "kind" and agency.kind != value:
            return False
    return True


def scope(world: World, year: str, flt: str) -> list[Report]:
    return [
        r for (h, y), r in world.reports.items() if (year == "any" or y == int(year)) and _in(r.agency, flt)
    ]


_OPS: dict[str, Callable[[float, float], bool]] = {
    "=": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def _fact(report: Report, fact: str) -> bool:
    if fact in ("late", "ontime"):
        due = deadline(report.agency, report.year)
        if due is None or report.published is None:
            return False
        return (report.published > due) == (fact == "late")
    if fact == "errors":
        return report.errors > 0
    if fact == "tables":
        return report.table_errors > 0
    if fact.startswith("missing:"):
        return fact.split(":")[1] not in report.tables
    raise ValueError(fact)


# ---------------------------------------------------------------- expectations


@dataclass
class Expected:
    kind: str  # "value" (a number, yes/no or date), "list", "breakdown", "none", "clarify"
    value: Any = None
    agency: str | None = None  # the one agency an answer must come from
    names: set[str] | None = None  # rankings (the winners) and lists (every item)
    allowed: set[str] | None = None  # top-N with ties: names allowed besides ``names``
    figures: list[float | None] | None = None  # a breakdown's items, in order


def expected(world: World, item: Item) -> Expected:
    t = item.expected.split()
    op = t[0]
    if op in ("none", "clarify"):
        return Expected(op)
    if op == "n":
        return Expected("value", float(t[1]))
    if op == "b":
        return Expected("value", t[1] == "true")
    if op in ("v", "r"):
        agency = BY_HANDLE[t[1]]
        return Expected("value", measure(world, t[1], int(t[2]), t[3]), agency.name)
    if op in ("d", "ontime", "islate", "late", "deadline", "errors", "warnings", "problems", "missing"):
        return _report_fact(world, op, BY_HANDLE[t[1]], int(t[2]))
    if op in ("yoy", "yoyr"):
        a, b = measure(world, t[1], int(t[2]), t[4]), measure(world, t[1], int(t[3]), t[4])
        if a is None or b is None:
            return Expected("value", None, BY_HANDLE[t[1]].name)
        if len(t) > 5 and t[5] == "pct":
            return Expected("value", None if a == 0 else round((b - a) / a * 100, 1), BY_HANDLE[t[1]].name)
        return Expected("value", round(b - a, 6), BY_HANDLE[t[1]].name)
    if op == "trend":
        years = sorted(y for h, y in world.reports if h == t[1])
        a, b = measure(world, t[1], years[0], t[2]), measure(world, t[1], years[-1], t[2])
        value = None if a is None or b is None or len(years) < 2 else round(b - a, 6)
        return Expected("value", value, BY_HANDLE[t[1]].name)
    if op in ("cmp", "cmpr"):
        a, b = measure(world, t[1], int(t[3]), t[4]), measure(world, t[2], int(t[3]), t[4])
        return Expected("value", None if a is None or b is None else round(a - b, 6))
    if op in ("max", "min", "maxr", "minr"):
        values = _values(world, t[1], t[2], t[3])
        if not values:
            return Expected("value", None)
        best = (max if op.startswith("max") else min)(values.values())
        return Expected("value", best, names={n for n, v in values.items() if v == best})
    if op == "top":
        n = int(t[1])
        values = _values(world, t[2], t[3], t[4])
        ranked = sorted(values.values(), reverse=True)
        if not ranked:
            return Expected("list", 0, names=set())
        cut = ranked[min(n, len(ranked)) - 1]
        sure = {a for a, v in values.items() if v > cut}
        tied = {a for a, v in values.items() if v == cut}
        return Expected("list", float(min(n, len(ranked))), names=sure, allowed=tied)
    if op in ("sum", "avg"):
        values = list(_values(world, t[1], t[2], t[3]).values())
        if not values:
            return Expected("value", None)
        return Expected("value", sum(values) if op == "sum" else round(sum(values) / len(values), 1))
    if op in ("count", "list"):
        values = _values(world, t[1], t[2], t[3])
        names = {a for a, v in values.items() if _OPS[t[4]](v, float(t[5]))}
        return Expected("value" if op == "count" else "list", float(len(names)), names=names)
    if op == "each":
        names = set(_values(world, t[1], t[2], t[3]))
        return Expected("list", float(len(names)), names=names)
    if op in ("cfact", "lfact"):
        found = [r for r in scope(world, t[1], t[2]) if _fact(r, t[3])]
        names = {r.agency.name for r in found}
        return Expected("value" if op == "cfact" else "list", float(len(found)), names=names)
    if op == "agencies":
        names = {r.agency.name for r in scope(world, t[1], t[2])}
        return Expected("list", float(len(names)), names=names)
    if op == "bd":
        year = int(t[2])
        figures = [figure(world, t[1], year, k) for k in t[3:]]
        return Expected("breakdown", None, BY_HANDLE[t[1]].name, figures=figures)
    raise ValueError(item.expected)


def _values(world: World, year: str, flt: str, spec: str) -> dict[str, float]:
    """Agency name → figure (or rate) for the reports of ``year`` in ``flt`` that have one."""
    out = {}
    for r in scope(world, year, flt):
        v = measure(world, r.agency.handle, r.year, spec)
        if v is not None:
            out[r.agency.name] = v
    return out


def _report_fact(world: World, op: str, agency: Agency, year: int) -> Expected:
    report = world.report(agency.handle, year)
    if report is None:
        return Expected("value", None, agency.name)
    due = deadline(agency, year)
    published = report.published
    value: Any
    if op == "d":
        value = published.isoformat() if published else None
    elif op == "deadline":
        value = due.isoformat() if due else None
    elif op in ("ontime", "islate", "late"):
        if due is None or published is None:
            value = None
        elif op == "late":
            value = float(max(0, (published - due).days))
        else:
            value = (published <= due) == (op == "ontime")
    elif op == "errors":
        value = float(report.errors)
    elif op == "warnings":
        value = float(report.warnings)
    elif op == "problems":
        value = report.errors + report.warnings > 0
    else:  # missing
        return Expected("list", float(len({"二", "三", "四"} - set(report.tables))), agency.name)
    return Expected("value", value, agency.name)


# ---------------------------------------------------------------- judging


@dataclass(frozen=True)
class Verdict:
    right: bool
    wrong_number: bool
    why: str = ""


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, str) or isinstance(got, str):
        return got == want
    if got is None or want is None:
        return got is want
    return math.isclose(float(got), float(want), abs_tol=0.051 if not float(want).is_integer() else 1e-6)


def _named(items: Iterable[dict[str, Any]]) -> list[str]:
    return [i.get("agency_name") or i.get("name") or "" for i in items]


def judge(reply: dict[str, Any], want: Expected) -> Verdict:
    """``reply`` is ``Answer.to_json()``."""
    value, kind = reply.get("value"), reply.get("kind")
    if want.kind in ("none", "clarify") or (want.kind in ("value", "list") and want.value is None):
        refused = value is None and kind in ("none", "clarify")
        if want.kind == "clarify":
            return Verdict(
                kind == "clarify" and value is None, value is not None, f"want clarify, got {kind}"
            )
        return Verdict(refused, value is not None, f"want no value, got {kind} {value!r}")
    if want.kind == "breakdown":
        got = [i.get("value") for i in reply.get("items") or []]
        expected = [0 if f is None else f for f in want.figures or []]
        if not got:
            return Verdict(False, value is not None, f"want a breakdown, got {kind} {value!r}")
        right = len(got) == len(expected) and all(_same(g, e) for g, e in zip(got, expected, strict=True))
        return Verdict(right and _from(reply, want.agency), not right, f"items {got} ≠ {expected}")
    if value is None:
        return Verdict(False, False, f"no value ({kind})")
    if not _same(value, want.value):
        return Verdict(False, True, f"value {value!r} ≠ {want.value!r}")
    if want.agency and not _from(reply, want.agency):
        return Verdict(False, True, "right value, wrong agency")
    if want.names is not None:
        names = set(_named(reply.get("items") or []))
        if want.kind == "list":
            allowed = want.names | (want.allowed or set())
            ok = want.names <= names <= allowed
        else:  # a ranking's winner, or a count whose agencies are listed
            first = _named(reply.get("items") or [])[:1]
            ok = (bool(first) and first[0] in want.names) if kind == "rank" else names <= want.names
        if not ok:
            return Verdict(False, True, f"agencies {sorted(names)} ≠ {sorted(want.names)}")
    return Verdict(True, False)


def _from(reply: dict[str, Any], agency: str | None) -> bool:
    """Every cited figure comes from ``agency`` (an answer with no cell sources passes)."""
    if agency is None:
        return True
    cited = {s.get("agency_name") for s in reply.get("sources") or [] if s.get("agency_name")}
    return not cited or cited == {agency}


# ---------------------------------------------------------------- running


@dataclass
class Outcome:
    item: Item
    reply: dict[str, Any]
    want: Expected
    verdict: Verdict


@dataclass
class Score:
    outcomes: list[Outcome]

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def right(self) -> int:
        return sum(o.verdict.right for o in self.outcomes)

    @property
    def wrong_numbers(self) -> int:
        return sum(o.verdict.wrong_number for o in self.outcomes)

    @property
    def accuracy(self) -> float:
        return 100 * self.right / self.total if self.total else 0.0


async def run(sf: async_sessionmaker[AsyncSession], items: Sequence[Item]) -> Score:
    from core.qa.answer import answer

    world = await read_world(sf)
    outcomes = []
    for item in items:
        reply = (await answer(sf, item.question, now=NOW)).to_json()
        want = expected(world, item)
        outcomes.append(Outcome(item, reply, want, judge(reply, want)))
    return Score(outcomes)

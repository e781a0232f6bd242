"""The independent held-back question set (tests/qa_corpus/fresh.tsv): every line is well-formed and its
expected answer computes from the stored cells of the corpus world.

The set was written from the issue, the report format and tests/qa_corpus/world.py only — not from the
Q&A code, its word lists or the dev/test corpus — so that it measures questions nobody tuned on. This test
never calls the question answering; only ``make bench`` answers the set, and prints nothing but its totals
(qa_fresh_accuracy, qa_fresh_wrong_number).
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "qa_corpus"))

from harness import RATES, Item, World, build_world, expected, load, read_world  # noqa: E402
from world import AGENCIES, BY_HANDLE  # noqa: E402

from core.storage.db import open_db  # noqa: E402
from core.templates import TEMPLATES  # noqa: E402

CATEGORIES = {
    "figure", "rate", "yoy", "across", "count", "publish", "template", "tables", "findings", "refuse", "clarify",
}  # fmt: skip
GROUPS = {"@withheld", "@unavail", "@notproc", "@lit", "@other"}
KINDS = {"gov", "dept", "street", "town"}
FACTS = {"late", "ontime", "errors", "tables", "missing:二", "missing:三", "missing:四"}
CELL_KEYS = {c.key for t in TEMPLATES.values() for c in t.cells()}

# The arguments each op takes after its name: h agency handle, y year, s figure spec, f filter, c fact,
# o comparison, x number, k cell key (any number of them), p the optional "pct".
SHAPES = {
    "v": "hys", "r": "hys", "d": "hy", "ontime": "hy", "islate": "hy", "late": "hy", "deadline": "hy",
    "errors": "hy", "warnings": "hy", "problems": "hy", "missing": "hy", "yoy": "hyysp", "yoyr": "hyys",
    "trend": "hs", "cmp": "hhys", "cmpr": "hhys", "max": "yfs", "min": "yfs", "maxr": "yfs", "minr": "yfs",
    "top": "xyfs", "sum": "yfs", "avg": "yfs", "count": "yfsox", "list": "yfsox", "each": "yfs",
    "cfact": "yfc", "lfact": "yfc", "agencies": "yf", "bd": "hyk", "n": "x", "b": "t", "none": "", "clarify": "",
}  # fmt: skip


def _spec_ok(spec: str) -> bool:
    return spec in RATES or all(part in GROUPS or part in CELL_KEYS for part in spec.split("+"))


def _filter_ok(flt: str) -> bool:
    if flt == "all":
        return True
    for part in flt.split(","):
        what, _, value = part.partition("=")
        if what == "kind" and value not in KINDS:
            return False
        if what == "region" and not any(value in (a.region or "") or value in a.name for a in AGENCIES):
            return False
        if what not in ("kind", "region"):
            return False
    return True


def _arg_ok(shape: str, token: str) -> bool:
    checks = {
        "h": lambda t: t in BY_HANDLE,
        "y": lambda t: t == "any" or (t.isdigit() and 2018 <= int(t) <= 2023),
        "s": _spec_ok,
        "f": _filter_ok,
        "c": lambda t: t in FACTS,
        "o": lambda t: t in ("=", ">", ">=", "<", "<="),
        "x": lambda t: re.fullmatch(r"\d+(\.\d+)?", t) is not None,
        "k": lambda t: t in CELL_KEYS,
        "p": lambda t: t == "pct",
        "t": lambda t: t in ("true", "false"),
    }
    return checks[shape](token)


def malformed(item: Item) -> str | None:
    """Why the expectation of ``item`` cannot be what its writer meant (None when it is well-formed)."""
    op, *args = item.expected.split()
    shape = SHAPES.get(op)
    if shape is None:
        return f"unknown op {op}"
    if shape.endswith("k"):  # a breakdown: one agency, one year, then its cells
        shape = shape[:-1] + "k" * max(1, len(args) - 2)
    if shape.endswith("p") and len(args) == len(shape) - 1:
        shape = shape[:-1]
    if len(args) != len(shape):
        return f"{op} takes {len(shape)} arguments"
    bad = [t for s, t in zip(shape, args, strict=True) if not _arg_ok(s, t)]
    return f"bad argument(s) {bad}" if bad else None


@pytest.fixture(scope="module")
def fresh() -> list[Item]:
    return load("fresh")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fresh') / 'world.db'}"

    async def build() -> World:
        await build_world(url)
        async with open_db(url) as sf:
            return await read_world(sf)

    yield asyncio.run(build())


def test_the_set_is_large_spread_and_separate(fresh: list[Item]) -> None:
    ids = [int(i.id) for i in fresh]
    assert len(fresh) >= 320 and min(ids) >= 5001 and len(set(ids)) == len(ids)
    assert len({i.question for i in fresh}) == len(fresh), "a question is repeated"
    categories = Counter(i.category for i in fresh)
    assert set(categories) == CATEGORIES and min(categories.values()) >= 8, categories
    ops = Counter(i.op for i in fresh)
    assert ops["none"] >= 50 and ops["clarify"] >= 5, ops
    english = sum(len(re.findall(r"[A-Za-z]{2,}", i.question)) >= 3 for i in fresh)
    assert english >= len(fresh) // 5, english
    # Nothing shared with the development or test corpus: neither an id nor a question.
    tuned = load("dev") + load("test")
    assert not {i.id for i in fresh} & {i.id for i in tuned}
    copied = {i.question for i in tuned}
    assert not [i.id for i in fresh if i.question in copied]


def test_every_expectation_is_well_formed(fresh: list[Item]) -> None:
    problems = [f"{i.id} {i.expected}: {why}" for i in fresh if (why := malformed(i))]
    assert not problems, "\n".join(problems)


def test_every_expectation_computes_from_the_stored_reports(fresh: list[Item], world: World) -> None:
    wants = {i.id: expected(world, i) for i in fresh}
    for item in fresh:
        want = wants[item.id]
        if item.op in ("none", "clarify"):
            assert want.kind == item.op
        elif item.op == "bd":
            assert want.figures and len(want.figures) == len(item.expected.split()) - 3
        else:
            assert want.kind in ("value", "list"), item.id
    # Lines whose honest answer is "not in the report" on purpose (a missing table, a zero denominator, a
    # year not stored) are few: a typo in a line would show up here as one more null.
    nulls = [i.id for i in fresh if i.op not in ("none", "clarify", "bd") and wants[i.id].value is None]
    assert len(nulls) <= 30, nulls
    # Rankings and lists name agencies of the world.
    names = {a.name for a in AGENCIES}
    assert all(w.names is None or w.names <= names for w in wants.values())

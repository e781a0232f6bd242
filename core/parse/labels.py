"""Label normalisation and matching against the template's labels.

Printed labels drift: enumerators come and go (（一）予以公开 / 予以公开), notes are appended in brackets
(本年增/减（减用负值表示）), quotes change (危及“三安全一稳定”), words wrap over lines. Everything here
compares a *core* form: simplified, no spaces, no enumerator, no trailing bracketed note, no quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Generic, Literal, TypeVar

from rapidfuzz import fuzz

from core.templates import TEMPLATES, BlockDef, ColumnDef, RowDef, TableDef, TemplateDef
from core.textnorm import squash

T = TypeVar("T")

_ENUM = re.compile(
    r"^(?:第?[一二三四五六七八九十]+(?:部分)?[、.．，,]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．)）,，]|[①-⑳])"
)
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_QUOTES = re.compile(r"[“”\"'‘’「」『』《》〈〉:：;；。]")

# Scores: exact text, same core, one core contains the other, fuzzy near-miss.
EXACT, CORE, CONTAINS, FUZZY = 100, 90, 70, 50
_MIN_CONTAINED = 3  # "其他" must not be found inside "法人或其他组织"
_FUZZY_RATIO = 80.0


def core(norm: str) -> str:
    """The comparable heart of a squashed label."""
    text = norm
    while True:
        stripped = _ENUM.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    while True:
        stripped = _TRAILING_NOTE.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    text = _QUOTES.sub("", text)
    return text or norm


@dataclass(frozen=True)
class Label:
    norm: str
    core: str

    @classmethod
    def of(cls, text: str) -> Label:
        return _label(text)


@lru_cache(maxsize=65536)
def _label(text: str) -> Label:
    n = squash(text)
    return Label(n, core(n))


def labels_of(texts: Iterable[str]) -> tuple[Label, ...]:
    return tuple(Label.of(t) for t in texts if t)


def score(text: Label, label: Label, fuzzy: bool = True) -> int:
    if not text.norm:
        return 0
    if text.norm == label.norm:
        return EXACT
    if text.core == label.core:
        return CORE
    a, b = text.core, label.core
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= _MIN_CONTAINED and short in long_:
        return CONTAINS + (10 * len(short)) // len(long_) - 1
    if fuzzy and min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= _FUZZY_RATIO:
        return FUZZY
    return 0


@dataclass(frozen=True)
class Named(Generic[T]):
    target: T
    labels: tuple[Label, ...]


_MEMO: dict[tuple[int, str, int, bool], tuple[object, list]] = {}


def best(text: Label, candidates: Sequence[Named[T]], minimum: int = CONTAINS, fuzzy: bool = True) -> list[T]:
    """The candidates scoring highest for ``text`` (several on a tie), or [] below ``minimum``.

    Template label sets are long-lived tuples, so their answers are memoised (the entry keeps the
    tuple alive, which keeps its id from being reused).
    """
    if type(candidates) is not tuple:
        return _best(text, candidates, minimum, fuzzy)
    key = (id(candidates), text.norm, minimum, fuzzy)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is candidates:
        return list(hit[1])
    if len(_MEMO) > 100_000:
        _MEMO.clear()
    found = _best(text, candidates, minimum, fuzzy)
    _MEMO[key] = (candidates, found)
    return list(found)


def _best(text: Label, candidates: Sequence[Named[T]], minimum: int, fuzzy: bool) -> list[T]:
    top, found = 0, []
    for cand in candidates:
        s = max((score(text, lab, fuzzy) for lab in cand.labels), default=0)
        if s > top:
            top, found = s, [cand.target]
        elif s == top and s and cand.target not in found:
            found.append(cand.target)
    return found if top >= minimum else []


# ---------------------------------------------------------------- template label sets

Kind = Literal["block", "row", "group", "column", "alias"]


@dataclass
class BlockLabels:
    block: BlockDef
    rows: tuple[Named[RowDef], ...]
    columns: tuple[Named[ColumnDef], ...]
    labels: tuple[Label, ...]
    groups: tuple[Label, ...]


@dataclass
class TableLabels:
    table: TableDef
    blocks: tuple[BlockLabels, ...]
    named_blocks: tuple[Named[BlockLabels], ...]
    # every block's columns as one pseudo block: for reading a header before a row names its block
    all_columns: BlockLabels
    # exact and core forms of every label of the table → what it labels, for O(1) lookups
    lookup: dict[str, set[Kind]] = field(default_factory=dict)

    def kinds(self, label: Label) -> set[Kind]:
        return self.lookup.get(label.norm, set()) | self.lookup.get(label.core, set())

    def printed_kinds(self, label: Label) -> set[Kind]:
        """What the label is as printed, before falling back to its core: （七）总计 is a row, 总计 both."""
        return self.lookup.get(label.norm) or self.lookup.get(label.core, set())


@dataclass
class TemplateLabels:
    template: TemplateDef
    tables: tuple[TableLabels, ...]

    def table(self, table_id: str) -> TableLabels:
        return next(t for t in self.tables if t.table.id == table_id)


def _block_labels(block: BlockDef) -> BlockLabels:
    groups = labels_of(dict.fromkeys(r.group for r in block.rows if r.group))
    return BlockLabels(
        block=block,
        rows=tuple(Named(r, labels_of(r.labels)) for r in block.rows),
        columns=tuple(Named(c, labels_of(c.labels)) for c in block.columns),
        labels=labels_of(block.labels),
        groups=groups,
    )


def _table_labels(table: TableDef) -> TableLabels:
    blocks = tuple(_block_labels(b) for b in table.blocks)
    lookup: dict[str, set[Kind]] = {}

    def add(labels: Iterable[Label], kind: Kind) -> None:
        for lab in labels:
            for key in {lab.norm, lab.core}:
                lookup.setdefault(key, set()).add(kind)

    for b in blocks:
        add(b.labels[:1], "block")
        add(b.labels[1:], "alias")
        add(b.groups, "group")
        for r in b.rows:
            add(r.labels, "row")
        for c in b.columns:
            add(c.labels, "column")
    named = tuple(Named(b, b.labels[:1]) for b in blocks)
    columns = tuple(dict.fromkeys(c for b in blocks for c in b.columns))
    every = BlockLabels(blocks[0].block, blocks[0].rows, columns, blocks[0].labels, blocks[0].groups)
    return TableLabels(table=table, blocks=blocks, named_blocks=named, all_columns=every, lookup=lookup)


@cache
def template_labels(version: str) -> TemplateLabels:
    template = TEMPLATES[version]
    return TemplateLabels(template, tuple(_table_labels(t) for t in template.tables))


@cache
def vocabulary() -> dict[str, set[Kind]]:
    """Every table label of every template (exact and core forms) → its kinds."""
    merged: dict[str, set[Kind]] = {}
    for version in TEMPLATES:
        for table in template_labels(version).tables:
            for key, kinds in table.lookup.items():
                merged.setdefault(key, set()).update(kinds)
    return merged


@cache
def block_titles() -> tuple[Label, ...]:
    """Block labels of every template (第二十条第（一）项 …), to recognise unknown siblings by likeness."""
    return tuple(
        dict.fromkeys(
            lab
            for version in TEMPLATES
            for table in template_labels(version).tables
            if len(table.blocks) > 1
            for b in table.blocks
            for lab in b.labels[:1]
        )
    )


def looks_like_block_title(label: Label) -> bool:
    return any(label.norm == t.norm or fuzz.ratio(label.core, t.core) >= 85 for t in block_titles())

"""The question catalogue: everything a report can answer, as data, built from the template definitions.

Every cell of both formats (row × column), the row groups (不予公开合计, 无法提供合计, 不予处理合计,
行政诉讼 = 直接起诉 + 复议后起诉), the derived rates of core/templates/rates.py, report facts (publication
date, on time or days late, deadline, template version, tables present or missing, errors, warnings) and
breakdowns (申请人构成, 不予公开的原因 …). Each :class:`Entry` names the *concepts* a question must mention
to mean it (``needs``, alternatives) and the ones it explains (``accepts``); the words of each concept —
labels as printed, short forms, descriptions people use, English names — come from the template
definitions and core/templates/catalogue_words.py (:func:`concept_words`).

The question answering (core.qa), the exports and the charts all read names and units from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from core.build_cache import cached
from core.templates import catalogue_words as words
from core.templates.national import TEMPLATES
from core.templates.rates import RATES, RateDef
from core.templates.schema import BlockDef, CellDef, ColumnDef, RowDef

EntryKind = Literal["cell", "group", "rate", "fact", "breakdown"]
Lang = Literal["zh", "en"]

UNIT_TEXT: dict[str, str] = {"count": "件", "delta": "件", "yuan": "元", "wan": "万元", "text": ""}

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])")
_PAREN = re.compile(r"（[^）]*）$")


def strip_numbering(label: str) -> str:
    """（二）部分公开（区分处理的…） → 部分公开; 1.属于国家秘密 → 属于国家秘密."""
    return _PAREN.sub("", _NUMBERING.sub("", label)) or label


# ---------------------------------------------------------------- defaults (data)

# The column a row means when none is named, per block (a block of one column needs none listed).
DEFAULT_COLUMN: dict[str, str] = {
    "apply": "total",
    "review": "total",
    "item5": "decisions",
    "item6": "decisions",
}
# The row a column means when no row is named: only where one reading is natural (企业申请 = 本年新收).
DEFAULT_ROW: dict[str, str] = {
    **{
        c: "apply.new"
        for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")
    },
    "count": "active.procurement",
    "amount_yuan": "active.procurement",
    "amount_wan": "active.fees",
}
# Columns of one format that answer the same question in the other (the answer says which was used).
# 对外公开总数量 (2019) and 现行有效件数 (2021) are not such a pair: a document repealed long ago is still
# counted as published, so the one is never given for the other.
EQUIVALENT_COLUMNS: dict[str, str] = {"new_made": "issued", "issued": "new_made"}
# The figures of a report people ask about first: its summary, and the choices offered when a question
# names no figure (2021年哪家最多).
KEY_FIGURES = ("apply.new.total", "apply.total.total", "review.total", "litigation.total", "active.penalty.decisions",
               "active.licensing.decisions")  # fmt: skip
# Words of a row's label that people say apart from the rest (复议完了又去起诉: 复议 is of 复议后起诉).
ALSO_EXPLAINS: dict[str, frozenset[str]] = {"litigation.after_review": frozenset({"row:review"})}
# Row labels that say too little once their numbering is gone.
ROW_NAMES: dict[str, tuple[str, str]] = {"apply.total": ("办理结果总计", "total processed")}
# Each rate's figures named next to a ratio word ("予以公开的比例") — its numerator's concepts.
RATE_NEEDS: dict[str, tuple[str, ...]] = {
    "substantive_disclosure": ("row:apply.disclosed", "row:apply.partial"),
    "disclosure": ("row:apply.disclosed",),
    "withholding": ("row:apply.withheld",),
    "completion": ("row:apply.total",),
    "review_correction": ("row:review", "col:corrected"),
    "litigation_correction": ("row:litigation", "col:corrected"),
}
_CORRECTION_ROW = {"review_correction": "row:review", "litigation_correction": "row:litigation"}

# ---------------------------------------------------------------- entries


@dataclass(frozen=True)
class Need:
    concepts: frozenset[str]
    defaults: int = 0  # how many defaults this reading uses (a row or column not named)


@dataclass(frozen=True)
class Part:
    """One figure of a breakdown: cells summed (per format version)."""

    zh: str
    en: str
    keys: dict[str, tuple[str, ...]]  # version → cell keys

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Entry:
    id: str
    kind: EntryKind
    zh: str
    en: str
    unit: str | None  # 件, 元, 万元, % ; None for dates, yes/no and lists
    needs: tuple[Need, ...]
    accepts: frozenset[str]
    table: str | None = None
    row: str | None = None  # row id, e.g. "apply.new", "apply.withheld", "litigation"
    column: str | None = None
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # version → cells summed (cell, group)
    parts: tuple[Part, ...] = ()  # breakdowns
    rate: RateDef | None = None
    versions: tuple[str, ...] = ("2019", "2021")
    parts_named: frozenset[str] = frozenset()  # a group's parts, explained only when all are named
    total: str | None = None  # a breakdown's sum, the entry asked for with 一共 (不予公开的原因加起来)

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def concepts(self) -> frozenset[str]:
        return frozenset(c for n in self.needs for c in n.concepts)

    def keys_for(self, version: str) -> tuple[tuple[str, ...], str | None]:
        """The cells that hold this figure in a report of ``version``, and the column used instead of the
        one asked for when that format lacks it (EQUIVALENT_COLUMNS); ``()`` when the format has neither."""
        if version in self.keys:
            return self.keys[version], None
        alt = EQUIVALENT_COLUMNS.get(self.column or "")
        if alt and self.row:
            other = by_id().get(f"{self.row}.{alt}")
            if other is not None and version in other.keys:
                return other.keys[version], other.id
        return (), None


def _row_id(block: BlockDef, row: RowDef) -> str:
    return block.prefix + row.key


def _group_of(row_id: str) -> str | None:
    for group in words.GROUPS:
        parts = words.GROUP_PARTS.get(group)
        if (parts and row_id in parts) or (not parts and row_id.startswith(group + ".")):
            return group
    return None


def _row_name(block: BlockDef, row: RowDef) -> tuple[str, str]:
    row_id = _row_id(block, row)
    if row_id in ROW_NAMES:
        return ROW_NAMES[row_id]
    zh = strip_numbering(row.label)
    if row.group and row.group.startswith("（"):  # a sub-row of （三）不予公开 etc.
        zh = f"{strip_numbering(row.group)}·{zh}"
    return zh, row.en


def _cell_name(block: BlockDef, row: RowDef, column: ColumnDef) -> tuple[str, str]:
    zh, en = _row_name(block, row)
    if column.key == "total":
        return zh, en
    return f"{zh}·{strip_numbering(column.label)}", f"{en} ({column.en})"


def _table_of(template_version: str, block: BlockDef) -> str:
    return next(t.id for t in TEMPLATES[template_version].tables if block in t.blocks)


# What each table is about; 表四 in a question names its topic as well as the table.
TABLE_TOPIC = {"二": "topic:active", "三": "topic:apply", "四": "topic:review"}


def _printed(block: BlockDef, row: RowDef, column: ColumnDef) -> tuple[str, ...]:
    """A row the template defines as a sum (2021 （六）其他处理) is read from its printed parts."""
    if row.sum_of:
        return tuple(f"{block.prefix}{part}.{column.key}" for part in row.sum_of)
    return (block.key_for(row, column),)


# Columns that name people or firms: without their row they mean requests only next to a word of requests
# (企业申请了多少), never on their own (五马街道有多少居民).
_NEEDS_TOPIC = {"natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org"}


def _cell_needs(row_concept: str, column: str, block: BlockDef) -> tuple[Need, ...]:
    rows = [Need(frozenset({row_concept}))]
    if DEFAULT_ROW.get(column) == row_concept.removeprefix("row:"):
        rows.append(Need(frozenset({"topic:apply"} if column in _NEEDS_TOPIC else set()), 1))
    default_col = DEFAULT_COLUMN.get(block.key) or (block.columns[0].key if len(block.columns) == 1 else None)
    cols = [Need(frozenset({f"col:{column}"}))]
    if column == default_col:
        cols.append(Need(frozenset(), 1))
    needs = {
        r.concepts | c.concepts: Need(r.concepts | c.concepts, r.defaults + c.defaults)
        for r in rows
        for c in cols
    }
    return tuple(n for n in needs.values() if n.concepts)


# Table 三's rows of results (办理结果): each is a way a request was answered.
RESULT_ROWS = ("apply.disclosed", "apply.partial", "apply.withheld", "apply.unavailable", "apply.not_processed",
               "apply.other")  # fmt: skip


def _cells() -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    keys: dict[str, dict[str, tuple[str, ...]]] = {}
    for version, template in TEMPLATES.items():
        for table in template.tables:
            for block in table.blocks:
                for row in block.rows:
                    for column in block.columns:
                        key = block.key_for(row, column)
                        keys.setdefault(key, {})[version] = _printed(block, row, column)
                        row_id = _row_id(block, row)
                        group = _group_of(row_id)
                        zh, en = _cell_name(block, row, column)
                        accepts = {f"row:{row_id}", f"col:{column.key}", TABLE_TOPIC[table.id]}
                        if group:
                            accepts.update({f"row:{group}", "detail"})  # 不予公开的原因中属于过程性信息
                        parent = row_id.rsplit(".", 1)[0]
                        if any(_row_id(block, r) == parent for r in block.rows):
                            accepts.add(f"row:{parent}")  # 其他处理's sub-rows: 不再处理 explained
                        if table.id == "四" and column.key != "total":
                            accepts.add("detail")  # 结果纠正, 结果维持: 结果 is part of the label
                        if table.id == "四":
                            accepts.add("row:apply.new")  # 收到几件行政复议: received, as requests are
                        if row_id.startswith(RESULT_ROWS):
                            accepts.add("row:apply.total")  # 答复本机关不掌握的: every result is an answer
                        accepts |= ALSO_EXPLAINS.get(row_id, frozenset())
                        found[key] = Entry(
                            key, "cell", zh, en, UNIT_TEXT[column.unit],
                            _cell_needs(f"row:{row_id}", column.key, block), frozenset(accepts),
                            table=table.id, row=row_id, column=column.key,
                        )  # fmt: skip
    return {k: Entry(**{**e.__dict__, "keys": keys[k], "versions": tuple(keys[k])}) for k, e in found.items()}


def _groups() -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for group in words.GROUPS:
        keys: dict[str, dict[str, tuple[str, ...]]] = {}
        names: dict[str, tuple[str, str]] = {}
        block_of: dict[str, BlockDef] = {}
        table_id = ""
        for version, template in TEMPLATES.items():
            for table in template.tables:
                for block in table.blocks:
                    members = [r for r in block.rows if _group_of(_row_id(block, r)) == group]
                    if not members:
                        continue
                    table_id = table.id
                    for column in block.columns:
                        cells = tuple(k for r in members for k in _printed(block, r, column))
                        keys.setdefault(column.key, {})[version] = cells
                        block_of[column.key] = block
                        names[column.key] = (strip_numbering(column.label), column.en)
        label = words.GROUPS[group].short[0]
        for column, by_version in keys.items():
            zh = f"{label}合计" if column == "total" else f"{label}·{names[column][0]}"
            en_head = {"apply.withheld": "withheld", "apply.unavailable": "unavailable",
                       "apply.not_processed": "not processed", "litigation": "lawsuits"}[group]  # fmt: skip
            en = f"{en_head} in all" if column == "total" else f"{en_head} ({names[column][1]})"
            needs = _cell_needs(f"row:{group}", column, block_of[column])
            accepts = {f"row:{group}", f"col:{column}", TABLE_TOPIC[table_id]}
            if table_id == "四" and column != "total":
                accepts.add("detail")
            if table_id == "四":
                accepts.add("row:apply.new")
            if group.startswith(RESULT_ROWS):
                accepts.add("row:apply.total")
            if group in words.GROUP_PARTS:
                parts = words.GROUP_PARTS[group]
                named = {f"row:{p}" for p in parts} | ({f"col:{column}"} if column != "total" else set())
                needs = (*needs, Need(frozenset(named)))
                accepts |= named  # 直接起诉和复议后起诉: the parts together name the group
            ident = f"{group}.{column}"
            out[ident] = Entry(
                ident, "group", zh, en, "件", needs, frozenset(accepts), table=table_id, row=group,
                column=column, keys=by_version, versions=tuple(by_version),
                parts_named=frozenset(f"row:{p}" for p in words.GROUP_PARTS.get(group, ())),
            )  # fmt: skip
    return out


def _column_groups(cells: dict[str, Entry]) -> dict[str, Entry]:
    """A row of table 三 under a heading over several columns (本年新收 × 法人或其他组织)."""
    out: dict[str, Entry] = {}
    for group, (group_words, columns) in words.COLUMN_GROUPS.items():
        rows = {e.row: e for e in cells.values() if e.table == "三" and e.column == "total"}
        for row, total in rows.items():
            parts = [cells[f"{row}.{c}"] for c in columns]
            keys = {v: tuple(k for p in parts for k in p.keys[v]) for v in total.versions}
            needs = [Need(frozenset({f"row:{row}", f"col:{group}"}))]
            if DEFAULT_ROW.get(columns[0]) == row:
                needs.append(Need(frozenset({f"col:{group}", "topic:apply"}), 1))
            accepts = {a for a in total.accepts if not a.startswith("col:")} | {f"col:{group}"}
            ident = f"{row}.{group}"
            out[ident] = Entry(
                ident, "group", f"{total.zh}·{group_words.short[0]}", f"{total.en} (legal persons and other organisations)",
                "件", tuple(needs), frozenset(accepts), table="三", row=row, column=group, keys=keys,
                versions=total.versions,
            )  # fmt: skip
    return out


def _rate_concepts(rate: RateDef, cells: dict[str, Entry]) -> set[str]:
    found: set[str] = set()
    for key in (*rate.numerator, *rate.denominator, *rate.less):
        entry = cells[key]
        found.update(entry.accepts)
    return found


def _rates(cells: dict[str, Entry]) -> dict[str, Entry]:
    out = {}
    for rate in RATES:
        needs = [Need(frozenset({f"rate:{rate.id}"})), Need(frozenset({"ratio", *RATE_NEEDS[rate.id]}))]
        accepts = {f"rate:{rate.id}", "ratio", *RATE_NEEDS[rate.id], *_rate_concepts(rate, cells)}
        if rate.id in _CORRECTION_ROW:
            needs.append(Need(frozenset({"rate:correction", _CORRECTION_ROW[rate.id]})))
            accepts.add("rate:correction")
        rows = {cells[k].row for k in (*rate.numerator, *rate.denominator, *rate.less)}
        # 行政诉讼纠错率 adds 直接起诉 and 复议后起诉: one of them named alone asks for another rate
        parts = {f"row:{p}" for ps in words.GROUP_PARTS.values() if set(ps) <= rows for p in ps}
        ident = f"rate.{rate.id}"
        out[ident] = Entry(
            ident, "rate", rate.zh, rate.en, "%", tuple(needs), frozenset(accepts),
            table="三" if rate.numerator[0].startswith("apply.") else "四", rate=rate,
            parts_named=frozenset(parts),
        )  # fmt: skip
    return out


def _fact(
    ident: str, zh: str, en: str, unit: str | None, needs: Iterable[Iterable[str]], accepts: Iterable[str]
) -> Entry:
    need = tuple(Need(frozenset(n)) for n in needs)
    return Entry(
        ident, "fact", zh, en, unit, need, frozenset({*accepts, *(c for n in need for c in n.concepts)})
    )


_PUBLISHED = ("fact:published", "fact:date", "fact:deadline")
FACT_ENTRIES: tuple[Entry, ...] = (
    _fact("fact.published_on", "发布日期", "publication date", None, [["fact:date"]], ("fact:published", "fact:date")),
    _fact("fact.on_time", "是否按时发布", "published on time", None, [["fact:on_time"]], (*_PUBLISHED, "fact:late")),
    _fact("fact.late", "是否逾期发布", "published late", None, [["fact:late"]], _PUBLISHED),
    _fact("fact.days_late", "逾期天数", "days late", "天", [["fact:late", "fact:days"]], (*_PUBLISHED, "fact:on_time")),
    _fact("fact.days_early", "提前天数", "days early", "天", [["fact:early", "fact:days"], ["fact:early"]],
          (*_PUBLISHED, "fact:on_time")),
    _fact("fact.deadline", "截止日期", "deadline", None, [["fact:deadline"]], _PUBLISHED),
    _fact("fact.on_deadline", "是否在截止日当天发布", "published on the deadline day", None,
          [["fact:deadline", "fact:same_day"], ["fact:published", "fact:same_day"]], (*_PUBLISHED, "fact:on_time")),
    _fact("fact.template", "所用模板版本", "template version", None, [["fact:template"]], ("fact:table",)),
    _fact("fact.tables", "表格", "tables", None, [["fact:table"], ["fact:complete"]], ("fact:missing", "fact:complete")),
    _fact("fact.errors", "错误", "errors", "个", [["fact:errors"]], ("fact:problems",)),
    _fact("fact.warnings", "警告", "warnings", "个", [["fact:warnings"]], ("fact:problems",)),
    _fact("fact.problems", "错误和警告", "errors and warnings", "个", [["fact:problems"]], ("fact:errors", "fact:warnings")),
    _fact(
        "fact.inconsistent_tables", "表格不一致（勾稽关系错误）", "inconsistent tables", "个",
        [["fact:inconsistent_tables"], ["fact:table", "fact:problems"]], ("fact:errors",),
    ),
)  # fmt: skip


def _part(cells: dict[str, Entry], groups: dict[str, Entry], ident: str) -> Part:
    entry = cells.get(ident) or groups[ident]
    return Part(entry.zh, entry.en, entry.keys)


def _breakdowns(cells: dict[str, Entry], groups: dict[str, Entry]) -> dict[str, Entry]:
    def rows_of(prefix: str) -> list[str]:
        return [k for k, e in cells.items() if e.row and e.row.startswith(prefix + ".") and e.column == "total"
                and e.row.count(".") == prefix.count(".") + 1]  # fmt: skip

    applicant_cols = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")
    outcome_cols = ("upheld", "corrected", "other", "pending", "total")
    apply_rows = {f"row:{e.row}" for e in cells.values() if e.table == "三"}
    specs: list[tuple[str, str, str, list[list[str]], set[str], list[str]]] = [
        ("applicants", "申请人构成", "applicant breakdown",
         [["bd:applicants"], ["detail", "row:apply.new"]], {*apply_rows, "topic:apply", "detail"},
         [f"apply.new.{c}" for c in applicant_cols]),
        ("withheld", "不予公开的原因", "reasons for withholding", [["row:apply.withheld", "detail"]],
         {"topic:apply"}, rows_of("apply.withheld")),
        ("unavailable", "无法提供的原因", "reasons information was unavailable",
         [["row:apply.unavailable", "detail"]], {"topic:apply"}, rows_of("apply.unavailable")),
        ("not_processed", "不予处理的原因", "reasons requests were not processed",
         [["row:apply.not_processed", "detail"]], {"topic:apply"}, rows_of("apply.not_processed")),
        ("results", "办理结果", "how requests were handled", [["bd:results"]], {"detail", "topic:apply", *apply_rows},
         ["apply.disclosed.total", "apply.partial.total", "apply.withheld.total", "apply.unavailable.total",
          "apply.not_processed.total", "apply.other.total", "apply.total.total"]),
        ("review_outcomes", "行政复议结果", "reconsideration outcomes", [["row:review", "detail"]],
         {"topic:review", *(f"col:{c}" for c in outcome_cols)}, [f"review.{c}" for c in outcome_cols]),
        ("litigation_outcomes", "行政诉讼结果", "lawsuit outcomes", [["row:litigation", "detail"]],
         {"topic:review", *(f"col:{c}" for c in outcome_cols)}, [f"litigation.{c}" for c in outcome_cols]),
        ("overview", "主要数据", "key figures", [["bd:overview"]], {"detail"}, list(KEY_FIGURES)),
    ]  # fmt: skip
    totals = {"withheld": "apply.withheld.total", "unavailable": "apply.unavailable.total",
              "not_processed": "apply.not_processed.total", "results": "apply.total.total",
              "review_outcomes": "review.total", "litigation_outcomes": "litigation.total"}  # fmt: skip
    out = {}
    for ident, zh, en, needs, accepts, parts in specs:
        need = tuple(Need(frozenset(n)) for n in needs)
        out[f"breakdown.{ident}"] = Entry(
            f"breakdown.{ident}", "breakdown", zh, en, None, need,
            frozenset({*accepts, *(c for n in need for c in n.concepts)}),
            parts=tuple(_part(cells, groups, p) for p in parts), total=totals.get(ident),
        )  # fmt: skip
    # A row of table 二 named without a column, in a format where its block has no default: all its columns.
    for version, template in TEMPLATES.items():
        for block in template.table("二").blocks:
            if block.key in DEFAULT_COLUMN or len(block.columns) == 1:
                continue
            for row in block.rows:
                row_id = _row_id(block, row)
                ident = f"row.{row_id}"
                parts = tuple(_part(cells, groups, block.key_for(row, c)) for c in block.columns)
                previous = out.get(ident)
                versions = (*(previous.versions if previous else ()), version)
                merged = (*(previous.parts if previous else ()), *parts)
                zh, en = _row_name(block, row)
                out[ident] = Entry(
                    ident, "breakdown", zh, en, None, (Need(frozenset({f"row:{row_id}"}), 1),),
                    frozenset({f"row:{row_id}", "topic:active", "detail"}),
                    table="二", row=row_id, parts=merged, versions=versions,
                )  # fmt: skip
    return out


def _with_equivalents(cells: dict[str, Entry]) -> dict[str, Entry]:
    """A column one format lacks is answered from its equivalent in the other (本年新制作 ↔ 本年制发)."""
    out = dict(cells)
    for key, e in cells.items():
        alt = cells.get(f"{e.row}.{EQUIVALENT_COLUMNS.get(e.column or '', '')}")
        if alt is not None:
            out[key] = Entry(**{**e.__dict__, "versions": tuple(dict.fromkeys((*e.versions, *alt.versions)))})
    return out


@cache
def entries() -> tuple[Entry, ...]:
    """The whole catalogue, built once per version of the templates (core.build_cache)."""
    return cached("catalogue-entries", Path(__file__).parent.glob("*.py"), _entries)


def _entries() -> tuple[Entry, ...]:
    cells = _with_equivalents(_cells())
    groups = {**_groups(), **_column_groups(cells)}
    return (*cells.values(), *groups.values(), *_rates(cells).values(), *FACT_ENTRIES,
            *_breakdowns(cells, groups).values())  # fmt: skip


@cache
def by_id() -> dict[str, Entry]:
    return {e.id: e for e in entries()}


def entry(ident: str) -> Entry | None:
    return by_id().get(ident)


def cell(key: str) -> Entry | None:
    """The catalogue entry of one canonical cell key (None for extra cells a report printed)."""
    found = by_id().get(key)
    return found if found is not None and found.kind == "cell" else None


def cell_name(key: str, lang: Lang = "zh") -> str:
    found = cell(key)
    return found.name(lang) if found else key


def cell_defs() -> list[CellDef]:
    """Both formats' cells (2021 definitions where both have a key)."""
    return list({c.key: c for t in TEMPLATES.values() for c in t.cells()}.values())


# ---------------------------------------------------------------- words


@dataclass(frozen=True)
class ConceptWords:
    concept: str
    labels: tuple[str, ...]  # as printed (numbering dropped)
    short: tuple[str, ...]
    described: tuple[str, ...]
    english: tuple[str, ...]
    soft: tuple[str, ...] = ()
    hint: tuple[str, ...] = ()


def _printed_labels(items: Iterable[RowDef | ColumnDef]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    labels: list[str] = []
    english: list[str] = []
    for item in items:
        for label in item.labels:
            labels += [label, strip_numbering(label)]
        english.append(item.en)
    return tuple(dict.fromkeys(labels)), tuple(dict.fromkeys(english))


def _with(concept: str, printed: Iterable[RowDef | ColumnDef], extra: words.Words) -> ConceptWords:
    labels, english = _printed_labels(printed)
    # A word listed as generic (soft) is only that, even where the template's own names print it.
    # "new requests this year": this year is the report's own, said by the label, not a word of the figure —
    # typed in a question it names a year (how do the new requests this year compare with last year)
    english = tuple(dict.fromkeys(w.removesuffix(" this year") for w in english))
    english = tuple(w for w in english if w not in extra.soft and w not in extra.hint)
    return ConceptWords(
        concept, labels, extra.short, extra.described, (*english, *extra.english), extra.soft, extra.hint
    )


@cache
def concept_words() -> tuple[ConceptWords, ...]:
    """Every concept with its words: the template's labels and aliases plus catalogue_words."""
    rows: dict[str, list[RowDef]] = {}
    columns: dict[str, list[ColumnDef]] = {}
    for template in TEMPLATES.values():
        for table in template.tables:
            for block in table.blocks:
                for row in block.rows:
                    rows.setdefault(_row_id(block, row), []).append(row)
                for column in block.columns:
                    columns.setdefault(column.key, []).append(column)
    out = [_with(f"row:{r}", defs, words.ROWS.get(r, words.Words())) for r, defs in rows.items()]
    # "总计", "合计", "其他" label many rows and columns: they are read as sums or asked back, not matched here.
    out = [_drop_generic(c) for c in out]
    out += [
        _drop_generic(_with(f"col:{c}", defs, words.COLUMNS.get(c, words.Words())))
        for c, defs in columns.items()
    ]
    out += [_with(f"row:{g}", (), w) for g, w in words.GROUPS.items()]
    out += [_with(f"col:{g}", (), w) for g, (w, _) in words.COLUMN_GROUPS.items()]
    out += [ConceptWords(f"rate:{r.id}", (r.zh,), w.short, w.described, (r.en, *w.english))
            for r in RATES for w in [words.RATES[r.id]]]  # fmt: skip
    out += [_with("rate:correction", (), words.CORRECTION_RATE), _with("ratio", (), words.RATIO)]
    out += [_with(f"fact:{f}", (), w) for f, w in words.FACTS.items()]
    out += [_with(f"bd:{b}", (), w) for b, w in words.BREAKDOWNS.items()]
    out += [_with(f"topic:{t}", (), w) for t, w in words.TOPICS.items()]
    out.append(_with("detail", (), words.DETAIL))
    return tuple(out)


_GENERIC = frozenset({"总计", "合计", "其他", "其它", "total", "other", "其他组织"})


def _drop_generic(c: ConceptWords) -> ConceptWords:
    def keep(ws: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(w for w in ws if w not in _GENERIC or c.concept == "col:other_org" and w == "其他组织")

    return ConceptWords(
        c.concept, keep(c.labels), keep(c.short), c.described, keep(c.english), c.soft, c.hint
    )


# The bare 其他 could be any of these: a question that says only 其他 is asked back.
AMBIGUOUS_WORDS: dict[str, tuple[str, ...]] = {
    "其他": ("row:apply.other", "col:other_org", "col:other"),
    "其它": ("row:apply.other", "col:other_org", "col:other"),
    "结转": ("row:apply.carried_over", "row:apply.carried_forward"),
    "carried over": ("row:apply.carried_over", "row:apply.carried_forward"),
    "carry over": ("row:apply.carried_over", "row:apply.carried_forward"),
    "carryover": ("row:apply.carried_over", "row:apply.carried_forward"),
    "carry-over": ("row:apply.carried_over", "row:apply.carried_forward"),
    # pending: a case not yet decided, or (of requests) one carried into next year
    "pending": ("col:pending", "row:apply.carried_forward"),
    "still pending": ("col:pending", "row:apply.carried_forward"),
    # complete: the tables all there, or (of requests) processed
    "complete": ("fact:complete", "row:apply.total"),
}

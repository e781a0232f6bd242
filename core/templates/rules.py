"""Consistency rules as data, generated from the template definitions.

Nothing here branches on the template year: every rule comes from the arithmetic a block declares
(``total_column``, ``total_row``, ``balance``, ``at_most``, ``RowDef.sum_of``), from column units, or from
relations written once over canonical row/column keys (year-to-year carries, prose topics). A new template
year that declares the same data gets its rules without any change to the parser or the checks.
Sources: ../shared/docs/report-format.md §4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from core.model import Severity
from core.templates.national import TEMPLATES
from core.templates.schema import BlockDef, RowDef, TableDef, TableId, TemplateDef

TABLE_AREA: dict[TableId, str] = {"二": "table2", "三": "table3", "四": "table4"}


@dataclass(frozen=True)
class Identity:
    """Σ lhs = Σ rhs over cells of one table (blank cells count as 0)."""

    code: str
    severity: Severity
    table: TableId
    rule: str  # the rule in Chinese, e.g. "第一项加第二项之和等于第三项加第四项之和"
    scope: str  # where it applies, e.g. "「总计」列"
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


@dataclass(frozen=True)
class Bound:
    """Σ lhs ≤ Σ rhs: a doubtful figure when broken, not an impossible one."""

    code: str
    severity: Severity
    table: TableId
    rule: str
    scope: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


@dataclass(frozen=True)
class CellRule:
    """A per-cell requirement over the cells of one table.

    kinds: ``non_negative`` (counts and money), ``integer`` (counts and changes), ``wan`` / ``yuan``
    (money cells whose printed unit or size must fit the template unit), ``count_unit`` (count cells that
    must not carry a money unit), ``regulations`` (规章 figures, only for agencies that can make 规章).
    """

    code: str
    severity: Severity
    table: TableId
    kind: Literal["non_negative", "integer", "wan", "yuan", "count_unit", "regulations"]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    key: str
    previous: bool = False  # read from the previous year's report
    sign: int = 1


@dataclass(frozen=True)
class CrossYear:
    """Σ lhs = Σ rhs where terms come from this report or last year's (same agency)."""

    code: str
    severity: Severity
    table: TableId
    rule: str
    scope: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]


@dataclass(frozen=True)
class ProseLink:
    """A number stated in the prose (topic recognised by core.prose) and the table readings it may equal.

    ``key`` is the canonical key the stated number answers; ``litigation.total`` is the one composite
    key (direct + after-review lawsuits), as the prose never splits them.
    """

    code: str
    topic: str
    label: str
    table: TableId
    key: str
    readings: tuple[tuple[str, ...], ...]


Rule = Identity | Bound | CellRule | CrossYear | ProseLink

# ---------------------------------------------------------------- within one table


# A long parenthetical note printed inside a label, e.g. （区分处理的，只计这一情形，不计其他情形）.
_NOTE = re.compile(r"（[^）]{6,}）$")


def tidy_label(label: str) -> str:
    """A printed label for messages: one line, without a long trailing note."""
    return _NOTE.sub("", " ".join(label.split()))


def row_name(block: BlockDef, row: RowDef, printed: str | None = None) -> str:
    """A row's label, prefixed with its merged parent (（三）不予公开·1.属于国家秘密) where the label alone
    is ambiguous; ``printed`` is the label as the report printed it, when known."""
    label = tidy_label(printed or row.label)
    results = next((r.group for r in block.rows if r.key == block.total_row), None)
    if row.group and row.group != results and row.group not in label:
        return f"{row.group}·{label}"
    return label


def _label(block: BlockDef, row_key: str) -> str:
    return tidy_label(next(r.label for r in block.rows if r.key == row_key))


def _col_label(block: BlockDef, col_key: str) -> str:
    return next(c.label for c in block.columns if c.key == col_key)


def _total_column(table: TableDef, block: BlockDef) -> list[Rule]:
    if not block.total_column:
        return []
    total = next(c for c in block.columns if c.key == block.total_column)
    parts = [c for c in block.columns if c.key != total.key]
    return [
        Identity(
            f"{TABLE_AREA[table.id]}.row_total",
            "error",
            table.id,
            f"「{total.label}」等于{'、'.join(c.label for c in parts)}之和",
            # 表四 prints one row; its "rows" are column groups (行政复议, 未经复议直接起诉, 复议后起诉)
            f"「{row_name(block, row)}」{'行' if table.id == '三' else ''}",
            (block.key_for(row, total),),
            tuple(block.key_for(row, c) for c in parts),
        )
        for row in block.rows
        if not row.sum_of  # a derived row is checked against its sub-rows instead
    ]


def _total_row(table: TableDef, block: BlockDef) -> list[Rule]:
    if not block.total_row:
        return []
    total = next(r for r in block.rows if r.key == block.total_row)
    results = [r for r in block.rows if r.group and r.key != total.key and not r.sum_of]
    return [
        Identity(
            f"{TABLE_AREA[table.id]}.results_total",
            "error",
            table.id,
            f"「{tidy_label(total.label)}」等于各项办理结果之和",
            f"「{col.label}」列",
            (block.key_for(total, col),),
            tuple(block.key_for(r, col) for r in results),
        )
        for col in block.columns
    ]


def _balance(table: TableDef, block: BlockDef) -> list[Rule]:
    left, right = block.balance
    if not (left and right):
        return []
    text = (
        f"{'加'.join('「' + _label(block, k) + '」' for k in left)}之和等于"
        f"{'加'.join('「' + _label(block, k) + '」' for k in right)}之和（表头勾稽说明）"
    )
    return [
        Identity(
            f"{TABLE_AREA[table.id]}.balance",
            "error",
            table.id,
            text,
            f"「{col.label}」列",
            tuple(f"{block.prefix}{k}.{col.key}" for k in left),
            tuple(f"{block.prefix}{k}.{col.key}" for k in right),
        )
        for col in block.columns
    ]


def _derived_rows(table: TableDef, block: BlockDef) -> list[Rule]:
    return [
        Identity(
            f"{TABLE_AREA[table.id]}.derived_row",
            "error",
            table.id,
            f"「{tidy_label(row.label)}」等于其{len(row.sum_of)}个细项之和",
            f"「{col.label}」列",
            (block.key_for(row, col),),
            tuple(f"{block.prefix}{k}.{col.key}" for k in row.sum_of),
        )
        for row in block.rows
        if row.sum_of
        for col in block.columns
    ]


def _bounds(table: TableDef, block: BlockDef) -> list[Rule]:
    return [
        Bound(
            f"{TABLE_AREA[table.id]}.exceeds",
            "warning",
            table.id,
            f"「{_col_label(block, a)}」不应大于「{_col_label(block, b)}」",
            f"「{row_name(block, row)}」行",
            (f"{block.prefix}{row.key}.{a}",),
            (f"{block.prefix}{row.key}.{b}",),
        )
        for a, b in block.at_most
        for row in block.rows
    ]


_BLOCK_RULES = (_total_column, _total_row, _balance, _derived_rows, _bounds)


def _cell_rules(table: TableDef) -> list[Rule]:
    area = TABLE_AREA[table.id]
    cells = [c for c in table.cells() if not c.derived]

    def keys(*units: str) -> tuple[str, ...]:
        return tuple(c.key for c in cells if c.unit in units)

    rules: list[Rule] = [
        CellRule(f"{area}.negative", "error", table.id, "non_negative", keys("count", "yuan", "wan")),
        CellRule(f"{area}.not_integer", "error", table.id, "integer", keys("count", "delta")),
        CellRule(f"{area}.money_in_count", "warning", table.id, "count_unit", keys("count", "delta")),
    ]
    money: tuple[Literal["wan", "yuan"], ...] = ("wan", "yuan")
    for unit in money:
        if keys(unit):
            rules.append(CellRule(f"{area}.money_unit", "warning", table.id, unit, keys(unit)))
    regulations = tuple(c.key for c in cells if c.row.key == "regulations")
    if regulations:
        rules.append(CellRule(f"{area}.regulations", "warning", table.id, "regulations", regulations))
    return [r for r in rules if not isinstance(r, CellRule) or r.keys]


# ---------------------------------------------------------------- across years

# (code, severity, axis, target, sources, rule): the target row/column of this year equals the signed sum of
# the sources, each read from last year's report (True) or this one (False). report-format.md §4.3 X1–X3.
_CARRIES: tuple[tuple[str, Severity, Literal["row", "column"], str, tuple[tuple[str, bool, int], ...], str], ...] = (
    (
        "crossyear.carried_over",
        "error",
        "row",
        "carried_over",
        (("carried_forward", True, 1),),
        "本年「上年结转」应等于上一年度报告的「结转下年度继续办理」",
    ),
    (
        "crossyear.prior_items",
        "error",
        "column",
        "prior_items",
        (("prior_items", True, 1), ("change", True, 1)),
        "本年「上一年项目数量」应等于上一年度报告的「上一年项目数量」加「本年增/减」",
    ),
    (
        "crossyear.in_force",
        "warning",
        "column",
        "in_force",
        (("in_force", True, 1), ("issued", False, 1), ("repealed", False, -1)),
        "本年「现行有效件数」通常等于上一年度的「现行有效件数」加本年制发、减本年废止",
    ),
)


def _cross_year(table: TableDef, block: BlockDef) -> list[Rule]:
    rules: list[Rule] = []
    row_keys = {r.key for r in block.rows}
    col_keys = {c.key for c in block.columns}
    for code, severity, axis, target, sources, text in _CARRIES:
        names = row_keys if axis == "row" else col_keys
        if target not in names or any(s not in names for s, _, _ in sources):
            continue
        if axis == "row":
            for col in block.columns:
                rules.append(
                    CrossYear(
                        code,
                        severity,
                        table.id,
                        text,
                        f"「{col.label}」列",
                        (Term(f"{block.prefix}{target}.{col.key}"),),
                        tuple(Term(f"{block.prefix}{s}.{col.key}", prev, sign) for s, prev, sign in sources),
                    )
                )
        else:
            for row in block.rows:
                rules.append(
                    CrossYear(
                        code,
                        severity,
                        table.id,
                        text,
                        f"「{row_name(block, row)}」行",
                        (Term(f"{block.prefix}{row.key}.{target}"),),
                        tuple(Term(f"{block.prefix}{row.key}.{s}", prev, sign) for s, prev, sign in sources),
                    )
                )
    return rules


# ---------------------------------------------------------------- prose


def _prose_links(template: TemplateDef) -> list[Rule]:
    def have(*keys: str) -> bool:
        return all(template.cell(k) for k in keys)

    links: list[Rule] = []
    if have("apply.new.total", "apply.carried_over.total"):
        # "共受理申请N件" is new requests in some reports and new + carried over in others.
        links.append(
            ProseLink(
                "prose.apply_new",
                "apply_new",
                "收到申请数",
                "三",
                "apply.new.total",
                (("apply.new.total",), ("apply.new.total", "apply.carried_over.total")),
            )
        )
        links.append(
            ProseLink(
                "prose.apply_carried_over", "apply_carried_over", "上年结转申请数", "三", "apply.carried_over.total",
                (("apply.carried_over.total",),),
            )
        )
    if have("apply.total.total"):
        links.append(
            ProseLink("prose.apply_done", "apply_done", "办结/答复申请数", "三", "apply.total.total", (("apply.total.total",),))
        )
    if have("apply.carried_forward.total"):
        links.append(
            ProseLink(
                "prose.apply_carried_forward", "apply_carried_forward", "结转下年度申请数", "三",
                "apply.carried_forward.total", (("apply.carried_forward.total",),),
            )
        )
    if have("review.total"):
        links.append(ProseLink("prose.review", "review", "行政复议案件数", "四", "review.total", (("review.total",),)))
    if have("litigation.direct.total", "litigation.after_review.total"):
        links.append(
            ProseLink(
                "prose.litigation", "litigation", "行政诉讼案件数", "四", "litigation.total",
                (("litigation.direct.total", "litigation.after_review.total"),),
            )
        )
    normative = [c.key for c in template.table("二").cells() if c.row.key == "normative_docs"]
    if normative:
        # Prose says "规范性文件N件" for this year's, the published or the in-force count alike; the first
        # column of the row is this year's figure in both formats.
        links.append(
            ProseLink(
                "prose.normative_docs", "normative_docs", "规范性文件件数", "二", normative[0],
                tuple((k,) for k in normative),
            )
        )
    return links


# ---------------------------------------------------------------- entry points


@cache
def _rules(version: str) -> tuple[Rule, ...]:
    template = TEMPLATES[version]
    rules: list[Rule] = []
    for table in template.tables:
        for block in table.blocks:
            for make in _BLOCK_RULES:
                rules += make(table, block)
            rules += _cross_year(table, block)
        rules += _cell_rules(table)
    rules += _prose_links(template)
    return tuple(rules)


def rules_for(template_version: str) -> list[Rule]:
    """Every rule of a template version ("2019", "2021"); KeyError for an unknown version."""
    return list(_rules(template_version))


def prose_links(template_version: str) -> dict[str, ProseLink]:
    """Prose topic → its link, for the template version."""
    return {r.topic: r for r in _rules(template_version) if isinstance(r, ProseLink)}


def rule_keys(rule: Rule) -> tuple[str, ...]:
    """Every canonical key a rule reads (this year's and last year's)."""
    if isinstance(rule, Identity | Bound):
        return (*rule.lhs, *rule.rhs)
    if isinstance(rule, CrossYear):
        return tuple(t.key for t in (*rule.lhs, *rule.rhs))
    if isinstance(rule, ProseLink):
        return tuple(dict.fromkeys(k for reading in rule.readings for k in reading))
    return rule.keys

"""The metric dictionary: what people call each figure (Chinese, English, colloquial) → canonical cell keys.

One place, as data, shared by question answering, export and rendering. Names and most terms come from the
template definitions (labels, aliases, ``en``); the synonyms below add the ways people actually ask.

Terms attach to *concepts*: a template row (``apply.new``), a column (``natural_person``) or a *family* (a
named breakdown such as 申请人构成). :func:`resolve` turns the concepts found in a question into a
:class:`Measure` for one template version, so a question about 规范性文件 reads new_made/new_published/
total_published in a 2019-format report and issued/repealed/in_force in a 2021-format one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from core.templates import TEMPLATES, BlockDef, ColumnDef, RowDef, TemplateDef
from core.templates.national import APPLICANT_COLUMNS, APPLY_2019
from core.templates.schema import Unit

Lang = Literal["zh", "en"]
Combine = Literal["single", "sum", "breakdown"]

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])")
_PAREN = re.compile(r"（[^）]*）$")


def _strip_numbering(label: str) -> str:
    """（二）部分公开（区分处理的…） → 部分公开; 1.属于国家秘密 → 属于国家秘密."""
    return _PAREN.sub("", _NUMBERING.sub("", label)) or label


# ---------------------------------------------------------------- synonyms (data)

# Extra terms per template row; the row's own label, aliases and ``en`` are added automatically.
# fmt: off
ROW_TERMS: dict[str, tuple[str, ...]] = {
    "apply.new": (
        "收到", "收到申请", "新收", "本年新收", "受理", "接到", "接收", "新申请", "申请", "申请数", "申请量", "申请件数", "申请数量", "申请总数",
        "received", "receive", "receives", "recieve", "recieved", "requests", "request", "applications",
        "new requests", "requests received",
    ),
    "apply.carried_over": (
        "上年结转", "去年结转", "上年度结转", "结转自上年", "carried over", "carried over from last year", "brought forward",
        "carry-over", "carryover",
    ),
    "apply.total": (
        "办结", "办理", "办理总数", "处理总数", "处理", "答复", "已办结", "办完", "总计", "processed", "handled", "answered",
        "closed", "completed", "dealt with", "total processed",
    ),
    "apply.carried_forward": (
        "结转下年度", "结转下年", "结转到下一年", "结转至下年度", "转入下年度", "未办结", "尚未办结", "carried into next year",
        "carried forward", "carried over to next year", "carried to next year",
    ),
    "apply.disclosed": (
        "予以公开", "全部公开", "同意公开", "fully disclosed", "disclosed in full", "granted",
    ),
    "apply.partial": ("部分公开", "partly disclosed", "partially disclosed", "partial disclosure"),
    "apply.other": ("其他处理", "other handling"),
    "review": (
        "行政复议", "复议", "复议案件", "reconsideration", "reconsiderations", "administrative reconsideration",
        "administrative review", "appeals",
    ),
    "litigation.direct": ("直接起诉", "未经复议直接起诉", "直接诉讼", "direct lawsuits", "sued directly"),
    "litigation.after_review": ("复议后起诉", "复议后诉讼", "lawsuits after reconsideration"),
    "active.regulations": ("规章", "rules", "regulations"),
    "active.normative_docs": (
        "规范性文件", "行政规范性文件", "normative documents", "normative docs", "policy documents",
    ),
    "active.licensing": (
        "行政许可", "许可", "licensing", "licences", "licenses", "licence", "license", "permits",
    ),
    "active.other_services": ("其他对外管理服务事项", "对外管理服务", "other public services"),
    "active.penalty": ("行政处罚", "处罚", "罚款", "penalty", "penalties", "fines", "sanctions"),
    "active.coercion": ("行政强制", "强制", "coercive measures", "coercion", "enforcement measures"),
    "active.fees": ("行政事业性收费", "事业性收费", "收费", "fees", "fee", "charges"),
    "active.procurement": ("政府集中采购", "集中采购", "采购", "procurement", "purchasing", "purchases"),
}

# Extra terms per column key (column keys mean the same thing in every block that has them).
COLUMN_TERMS: dict[str, tuple[str, ...]] = {
    "natural_person": (
        "自然人", "公民", "个人", "群众", "natural persons", "natural person", "individuals", "citizens",
        "private persons",
    ),
    "commercial": ("商业企业", "企业", "公司", "businesses", "business", "companies", "enterprises", "firms"),
    "research": ("科研机构", "科研", "研究机构", "research institutions", "research institutes"),
    "nonprofit": (
        "社会公益组织", "公益组织", "社会组织", "ngo", "ngos", "non-profit", "nonprofit", "charities",
    ),
    "legal_service": ("法律服务机构", "律师事务所", "律所", "律师", "law firms", "lawyers", "legal services"),
    "other_org": ("其他组织", "其他法人", "other organisations", "other organizations"),
    "total": ("总计", "合计", "总数"),
    "upheld": ("结果维持", "维持", "被维持", "upheld", "affirmed", "maintained"),
    "corrected": ("结果纠正", "纠正", "被纠正", "被撤销", "corrected", "overturned", "reversed"),
    "other": ("其他结果", "other outcome", "other outcomes"),
    "pending": ("尚未审结", "未审结", "pending", "undecided"),
    "new_made": ("本年新制作", "新制作", "制作", "newly made", "made"),
    "new_published": ("本年新公开", "新公开", "newly published"),
    "total_published": ("对外公开总数量", "对外公开总数", "公开总数", "对外公开", "total published"),
    "prior_items": ("上一年项目数量", "上年项目数", "原有项目", "items last year"),
    "change": ("本年增/减", "增减", "增/减", "增减变化"),
    "decisions": ("处理决定数量", "处理决定", "决定数", "决定", "decisions", "decision"),
    "count": ("采购项目数量", "采购项目", "项目数", "项目数量", "项目", "projects", "number of purchases"),
    "amount_yuan": (
        "采购总金额", "采购金额", "金额", "总金额", "多少钱", "amount", "spending", "spent", "money",
    ),
    "issued": ("本年制发", "制发", "新制发", "issued"),
    "repealed": ("本年废止", "废止", "repealed", "abolished"),
    "in_force": ("现行有效", "有效", "in force", "valid"),
    "amount_wan": ("本年收费金额", "收费金额", "金额", "amount", "money"),
}

# fmt: on
# Words that name requests in general: they mean 本年新收 only when no other row of table 三 is named
# ("定海区办结了多少申请" asks for 办结, not for 新收 and 办结).
GENERIC_TERMS = frozenset(
    {"申请", "申请数", "申请量", "申请件数", "申请数量", "申请总数", "requests", "request", "applications"}
)

# Labels too generic to be a term on their own (其他 is a row, a column and a word).
_GENERIC = frozenset({"其他", "其它", "other", "total"})

# Where a row is asked for without a column, or a column without a row.
DEFAULT_COLUMN: dict[str, str] = {
    "apply": "total",
    "review": "total",
    "item5": "decisions",
    "item6": "decisions",
}
DEFAULT_ROW: dict[str, str] = {"apply": "apply.new", "review": "review"}

# Columns of one template that answer the same question in the other template (named in the answer).
EQUIVALENT_COLUMNS: dict[str, str] = {
    "new_made": "issued",
    "issued": "new_made",
    "total_published": "in_force",
    "in_force": "total_published",
}


@dataclass(frozen=True)
class FamilyItem:
    zh: str
    en: str
    rows: tuple[str, ...]  # row ids summed into this item
    column: str


@dataclass(frozen=True)
class Family:
    """A named group of figures: a breakdown (申请人构成) or a sum over rows (行政诉讼)."""

    id: str
    zh: str
    en: str
    terms: tuple[str, ...]
    items: tuple[FamilyItem, ...]
    combine: Combine = "breakdown"
    # "rows": items differ by row, a column named in the question replaces their column;
    # "columns": items differ by column, a row named in the question replaces their row.
    axis: Literal["rows", "columns"] = "rows"
    # A weak family (a whole table) is only used when nothing more specific was named.
    weak: bool = False


def _applicant_items() -> tuple[FamilyItem, ...]:
    return tuple(
        FamilyItem(c.label, c.en, ("apply.new",), c.key) for c in APPLICANT_COLUMNS if c.key != "total"
    )


def _group_items(group: str) -> tuple[FamilyItem, ...]:
    return tuple(
        FamilyItem(_strip_numbering(r.label), r.en, (f"apply.{r.key}",), "total")
        for r in APPLY_2019.rows
        if r.key.startswith(group + ".")
    )


def _group_rows(group: str) -> tuple[str, ...]:
    return tuple(r for i in _group_items(group) for r in i.rows)


_LITIGATION = ("litigation.direct", "litigation.after_review")

# fmt: off
FAMILIES: tuple[Family, ...] = (
    Family(
        "applicants", "申请人构成", "applicant breakdown",
        (
            "申请人构成", "申请人情况", "申请人类型", "申请人分布", "申请人结构", "申请主体", "申请者构成", "谁申请", "applicant breakdown",
            "applicants", "applicant types", "who applied", "by applicant",
        ),
        _applicant_items(),
        axis="columns",
    ),
    Family(
        "withheld", "不予公开的原因分布", "reasons for withholding",
        (
            "不予公开", "不公开", "拒绝公开", "不予公开原因", "不予公开的原因", "withheld", "withholding", "refused", "refusals",
            "reasons for withholding", "not disclosed",
        ),
        _group_items("withheld"),
        combine="breakdown",
    ),
    Family(
        "unavailable", "无法提供的原因分布", "reasons information was unavailable",
        ("无法提供", "不能提供", "unavailable", "could not be provided", "cannot provide"),
        _group_items("unavailable"),
    ),
    Family(
        "not_processed", "不予处理的原因分布", "reasons requests were not processed",
        ("不予处理", "not processed"),
        _group_items("not_processed"),
    ),
    Family(
        "results", "办理结果", "how requests were handled",
        (
            "办理结果", "处理结果", "答复结果", "办理情况", "处理情况", "结果分布", "outcomes", "results", "handling results",
        ),
        (
            FamilyItem("予以公开", "fully disclosed", ("apply.disclosed",), "total"),
            FamilyItem("部分公开", "partly disclosed", ("apply.partial",), "total"),
            FamilyItem("不予公开", "withheld", _group_rows("withheld"), "total"),
            FamilyItem("无法提供", "unavailable", _group_rows("unavailable"), "total"),
            FamilyItem("不予处理", "not processed", _group_rows("not_processed"), "total"),
            FamilyItem("其他处理", "other handling", ("apply.other",), "total"),
            FamilyItem("总计", "total processed", ("apply.total",), "total"),
        ),
    ),
    Family(
        "review_outcomes", "行政复议结果", "reconsideration outcomes",
        ("复议结果", "复议情况", "reconsideration outcomes", "reconsideration results"),
        tuple(
            FamilyItem(zh, en, ("review",), col)
            for col, zh, en in (
                ("upheld", "结果维持", "upheld"),
                ("corrected", "结果纠正", "corrected"),
                ("other", "其他结果", "other outcome"),
                ("pending", "尚未审结", "pending"),
                ("total", "总计", "total"),
            )
        ),
        axis="columns",
    ),
    Family(
        "litigation", "行政诉讼", "lawsuits",
        (
            "行政诉讼", "诉讼", "起诉", "被起诉", "被告", "lawsuits", "lawsuit", "litigation", "sued", "court cases",
        ),
        (
            FamilyItem("未经复议直接起诉", "lawsuits filed directly", ("litigation.direct",), "total"),
            FamilyItem("复议后起诉", "lawsuits after reconsideration", ("litigation.after_review",), "total"),
        ),
        combine="sum",
    ),
    Family(
        "review_summary", "行政复议、行政诉讼情况", "reconsideration and litigation",
        ("行政复议、行政诉讼", "复议诉讼", "复议和诉讼", "复议、诉讼", "reconsideration and litigation"),
        (
            FamilyItem("行政复议", "reconsideration", ("review",), "total"),
            FamilyItem("未经复议直接起诉", "lawsuits filed directly", ("litigation.direct",), "total"),
            FamilyItem("复议后起诉", "lawsuits after reconsideration", ("litigation.after_review",), "total"),
        ),
    ),
    Family(
        "apply_summary", "依申请公开情况", "disclosure requests",
        ("依申请公开", "依申请", "申请情况", "政府信息公开申请", "disclosure requests", "requests overview"),
        (
            FamilyItem("本年新收", "new requests", ("apply.new",), "total"),
            FamilyItem("上年结转", "carried over from last year", ("apply.carried_over",), "total"),
            FamilyItem("办理结果总计", "total processed", ("apply.total",), "total"),
            FamilyItem("结转下年度", "carried into next year", ("apply.carried_forward",), "total"),
        ),
        weak=True,
    ),
    Family(
        "active_summary", "主动公开情况", "proactive disclosure",
        ("主动公开", "proactive disclosure", "proactively disclosed"),
        (
            FamilyItem("行政许可（处理决定）", "licensing decisions", ("active.licensing",), "decisions"),
            FamilyItem("行政处罚（处理决定）", "penalty decisions", ("active.penalty",), "decisions"),
            FamilyItem("行政强制（处理决定）", "coercive measures", ("active.coercion",), "decisions"),
        ),
        weak=True,
    ),
    Family(
        "overview", "主要数据", "key figures",
        ("主要数据", "关键数据", "主要指标", "概况", "总体情况", "key figures", "summary", "overview"),
        (
            FamilyItem("本年新收申请", "new requests", ("apply.new",), "total"),
            FamilyItem("申请办理总计", "requests processed", ("apply.total",), "total"),
            FamilyItem("行政复议", "reconsiderations", ("review",), "total"),
            FamilyItem("行政诉讼", "lawsuits", _LITIGATION, "total"),
            FamilyItem("行政处罚决定", "penalty decisions", ("active.penalty",), "decisions"),
            FamilyItem("行政许可决定", "licensing decisions", ("active.licensing",), "decisions"),
        ),
        weak=True,
    ),
)
# fmt: on
FAMILY_BY_ID: dict[str, Family] = {f.id: f for f in FAMILIES}

# Words that turn a single row into a breakdown over the applicant columns ("收到的申请构成").
BREAKDOWN_WORDS: tuple[str, ...] = ("构成", "组成", "分布", "明细", "breakdown", "by type", "split")

# ---------------------------------------------------------------- metrics per cell key


@dataclass(frozen=True)
class Metric:
    """One canonical cell key with its display names."""

    key: str
    table: str
    block: str
    row: str  # row id: prefix + row key, e.g. "apply.new", "review"
    column: str
    zh: str
    en: str
    unit: Unit
    versions: tuple[str, ...]


# Row labels that say too little once their numbering is gone.
ROW_NAMES: dict[str, str] = {"apply.total": "办理结果总计"}


def _metric_names(block: BlockDef, row: RowDef, column: ColumnDef) -> tuple[str, str]:
    row_zh = ROW_NAMES.get(block.prefix + row.key) or _strip_numbering(row.label)
    if row.group and row.group.startswith(
        "（"
    ):  # a sub-row of （三）不予公开 etc., not of 三、本年度办理结果
        row_zh = f"{_strip_numbering(row.group)}：{row_zh}"
    return f"{row_zh}（{_strip_numbering(column.label)}）", f"{row.en} ({column.en})"


@cache
def metrics() -> dict[str, Metric]:
    """Every canonical cell key of both templates → its :class:`Metric` (2021 names win where both differ)."""
    found: dict[str, Metric] = {}
    for version, template in TEMPLATES.items():
        for table in template.tables:
            for block in table.blocks:
                for row in block.rows:
                    for column in block.columns:
                        key = block.key_for(row, column)
                        zh, en = _metric_names(block, row, column)
                        versions = (*found[key].versions, version) if key in found else (version,)
                        found[key] = Metric(
                            key,
                            table.id,
                            block.key,
                            block.prefix + row.key,
                            column.key,
                            zh,
                            en,
                            column.unit,
                            versions,
                        )
    return found


def metric_name(key: str, lang: Lang = "zh") -> str:
    """Display name of a canonical key (the key itself for extra cells)."""
    m = metrics().get(key)
    if m is None:
        return key
    return m.zh if lang == "zh" else m.en


# ---------------------------------------------------------------- terms → concepts

ConceptKind = Literal["row", "column", "family"]


@dataclass(frozen=True)
class Concept:
    kind: ConceptKind
    id: str  # row id, column key or family id


def normalize_term(term: str) -> str:
    from core.textnorm import clean

    return clean(term).lower()


@cache
def term_index() -> dict[str, frozenset[Concept]]:
    """Normalised term → the concepts it can mean. Built once from templates and the synonym data."""
    index: dict[str, set[Concept]] = {}

    def add(term: str, concept: Concept) -> None:
        t = normalize_term(term)
        if t and t not in _GENERIC:
            index.setdefault(t, set()).add(concept)

    for template in TEMPLATES.values():
        for table in template.tables:
            for block in table.blocks:
                for row in block.rows:
                    concept = Concept("row", block.prefix + row.key)
                    for label in (*row.labels, row.en):
                        add(label, concept)
                        add(_strip_numbering(label), concept)
                for column in block.columns:
                    concept = Concept("column", column.key)
                    for label in (*column.labels, column.en):
                        add(label, concept)
                        add(_strip_numbering(label), concept)
    for row_id, terms in ROW_TERMS.items():
        for term in terms:
            add(term, Concept("row", row_id))
    for col, terms in COLUMN_TERMS.items():
        for term in terms:
            add(term, Concept("column", col))
    for family in FAMILIES:
        for term in family.terms:
            add(term, Concept("family", family.id))
    return {t: frozenset(c) for t, c in index.items()}


# ---------------------------------------------------------------- concepts + template → measure


@dataclass(frozen=True)
class Item:
    zh: str
    en: str
    keys: tuple[str, ...]  # cells summed into this item (one key for a plain figure)

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Measure:
    zh: str
    en: str
    items: tuple[Item, ...]
    combine: Combine
    unit: Unit = "count"
    # Said in the answer: a default that was applied, a column taken from the other template …
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    family: str | None = None

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def notes(self, lang: Lang) -> tuple[str, ...]:
        return self.notes_zh if lang == "zh" else self.notes_en

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for i in self.items for k in i.keys)


@dataclass(frozen=True)
class MetricQuery:
    """The metric concepts named in a question, in order of appearance (template-independent)."""

    rows: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    breakdown: bool = False  # a breakdown word (构成, 分布 …) was used
    terms: tuple[str, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return not (self.rows or self.columns or self.families)


@cache
def _rows_of(version: str) -> dict[str, tuple[BlockDef, RowDef]]:
    template: TemplateDef = TEMPLATES[version]
    return {b.prefix + r.key: (b, r) for t in template.tables for b in t.blocks for r in b.rows}


def _printed_rows(version: str, row_id: str) -> tuple[str, ...]:
    """A row the template defines as a sum (2021 （六）其他处理) is read from its printed parts."""
    found = _rows_of(version).get(row_id)
    if found is None:
        return ()
    block, row = found
    if row.sum_of:
        return tuple(block.prefix + part for part in row.sum_of)
    return (row_id,)


def _column(version: str, row_id: str, col: str) -> ColumnDef | None:
    found = _rows_of(version).get(row_id)
    if found is None:
        return None
    return next((c for c in found[0].columns if c.key == col), None)


def _item(version: str, zh: str, en: str, rows: tuple[str, ...], col: str) -> Item | None:
    keys = tuple(
        f"{r}.{col}" for row in rows for r in _printed_rows(version, row) if _column(version, r, col)
    )
    return Item(zh, en, keys) if keys else None


def _unit(version: str, keys: tuple[str, ...]) -> Unit:
    m = metrics().get(keys[0]) if keys else None
    return m.unit if m else "count"


def _family_measure(version: str, family: Family, query: MetricQuery) -> Measure | None:
    items: list[Item] = []
    for fi in family.items:
        rows, col = fi.rows, fi.column
        if family.axis == "rows" and query.columns:
            col = next((c for c in query.columns if _column(version, rows[0], c)), col)
        if family.axis == "columns" and query.rows:
            rows = (query.rows[0],) if _column(version, query.rows[0], col) else rows
        item = _item(version, fi.zh, fi.en, rows, col)
        if item:
            items.append(item)
    if not items:
        return None
    zh, en = family.zh, family.en
    if family.axis == "columns" and query.rows and query.rows[0] != family.items[0].rows[0]:
        m = metrics().get(items[0].keys[0])
        if m:
            zh, en = (
                f"{family.zh}（{_strip_numbering(_rows_of(version)[m.row][1].label)}）",
                f"{family.en} ({m.en})",
            )
    if family.axis == "rows" and query.columns and items[0].keys:
        m = metrics().get(items[0].keys[0])
        col_def = _column(version, m.row, m.column) if m else None
        if col_def and col_def.key != family.items[0].column:
            zh, en = f"{zh}（{_strip_numbering(col_def.label)}）", f"{en} ({col_def.en})"
    return Measure(zh, en, tuple(items), family.combine, _unit(version, items[0].keys), family=family.id)


def _row_block(version: str, row_id: str) -> BlockDef | None:
    found = _rows_of(version).get(row_id)
    return found[0] if found else None


def _cell_measure(
    version: str, row_id: str, col: str, notes: tuple[tuple[str, str], ...] = ()
) -> Measure | None:
    item = _item(version, "", "", (row_id,), col)
    if item is None:
        return None
    m = metrics()[item.keys[0]] if len(item.keys) == 1 else None
    if m is not None:
        zh, en = m.zh, m.en
    else:  # a row read from its printed parts
        block, row = _rows_of(version)[row_id]
        column = _column(version, row_id, col)
        assert column is not None
        zh, en = _metric_names(block, row, column)
    item = Item(zh, en, item.keys)
    return Measure(
        zh,
        en,
        (item,),
        "single" if len(item.keys) == 1 else "sum",
        _unit(version, item.keys),
        notes_zh=tuple(n[0] for n in notes),
        notes_en=tuple(n[1] for n in notes),
    )


def _columns_measure(version: str, row_id: str) -> Measure | None:
    block, row = _rows_of(version)[row_id]
    items = tuple(
        Item(_strip_numbering(c.label), c.en, (block.key_for(row, c),))
        for c in block.columns
        if c.unit != "text"
    )
    return Measure(_strip_numbering(row.label), row.en, items, "breakdown", _unit(version, items[0].keys))


def _pick_column(
    version: str, row_id: str, columns: tuple[str, ...]
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The first named column this row has, else an equivalent from the other template (with a note)."""
    for col in columns:
        if _column(version, row_id, col):
            return col, ()
    for col in columns:
        alt = EQUIVALENT_COLUMNS.get(col)
        if alt and _column(version, row_id, alt):
            other = next(v for v in TEMPLATES if v != version)
            asked, used = _column(other, row_id, col), _column(version, row_id, alt)
            assert asked is not None and used is not None
            return alt, (
                (
                    f"{version}年版格式没有“{_strip_numbering(asked.label)}”，按“{_strip_numbering(used.label)}”回答",
                    f"the {version} format has no '{asked.en}'; answered with '{used.en}'",
                ),
            )
    return None, ()


def resolve(query: MetricQuery, version: str) -> Measure | None:
    """The measure a question asks for, in a report of template ``version``; None if it has no such figure."""
    fams = [FAMILY_BY_ID[f] for f in query.families]
    # A row of the family named as well is more specific (不予公开 + 属于四类过程性信息 → that row).
    strong = [
        f
        for f in fams
        if not f.weak and not (f.axis == "rows" and any(r in query.rows for i in f.items for r in i.rows))
    ]
    if strong:
        return _family_measure(version, strong[0], query)
    rows = [r for r in query.rows if r in _rows_of(version)]
    if rows and len(rows) > 1 and not query.breakdown:
        measures = [resolve(MetricQuery(rows=(r,), columns=query.columns), version) for r in rows]
        items = tuple(i for m in measures if m for i in m.items)
        if items:
            return Measure(
                "、".join(i.zh for i in items),
                ", ".join(i.en for i in items),
                items,
                "breakdown",
                _unit(version, items[0].keys),
            )
    if rows:
        row_id = rows[0]
        block = _row_block(version, row_id)
        assert block is not None
        if query.breakdown and not query.columns and block.key == "apply":
            return _family_measure(version, FAMILY_BY_ID["applicants"], MetricQuery(rows=(row_id,)))
        # A column this row lacks was a word used otherwise ("change", 决定): fall back to the default.
        col, notes = _pick_column(version, row_id, query.columns)
        if col is None:
            col = DEFAULT_COLUMN.get(block.key) or (block.columns[0].key if len(block.columns) == 1 else None)
        if col is None:
            return _columns_measure(version, row_id)
        return _cell_measure(version, row_id, col, notes)
    if query.rows and not rows:
        return None  # e.g. 政府集中采购 in a 2021-format report
    if query.columns:
        for col in query.columns:
            blocks = {b.key: b for b, _ in _rows_of(version).values() if any(c.key == col for c in b.columns)}
            for block_key, row_id in DEFAULT_ROW.items():
                if block_key in blocks:
                    return _cell_measure(version, row_id, col)
            single = [b for b in blocks.values() if len(b.rows) == 1]
            if single:
                return _cell_measure(version, single[0].prefix + single[0].rows[0].key, col)
        return None
    if fams:
        return _family_measure(version, fams[0], query)
    return None

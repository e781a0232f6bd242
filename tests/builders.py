"""Test fixtures built from figures: consistent values, and real .docx / .pdf reports that print them.

Typical use::

    values = consistent_values("2021", seed=3)        # every canonical key, all identities hold
    data = build_docx(values, "2021")                 # python-docx, merged cells as Word writes them
    data = fill_template_2021(values)                 # the real national 2021 Word template, filled in
    data = build_pdf(values, "2019", split_across_pages=True)

``values`` maps canonical keys to numbers or to raw strings ("增284", "266万元", "/"), which are printed
verbatim; a key missing from ``values`` is printed as a blank cell. Derived keys (2021 ``apply.other.*``)
have no printed row and are never written.

The table shapes come from :func:`table_layouts`, which both builders render; its :class:`Layout` objects
also say where each key was printed (:meth:`Layout.positions`), for provenance assertions.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

import docx
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from core.templates import national
from core.templates.national import SECTIONS, TEMPLATES
from core.templates.schema import BlockDef, RowDef, TemplateDef
from core.textnorm import squash

TEMPLATE_2021_DOCX = Path(__file__).resolve().parent / "data" / "template-2021.docx"
DEFAULT_AGENCY = "舟山市定海区人民政府办公室"
TABLE3_HEADER_ROWS = 3  # the 勾稽 note / 申请人情况 / applicant-type rows above table 三's figures
MergeStyle = Literal["word", "none", "repeat"]
Value = int | float | str
_Wrap = Callable[[str], str]

# ---------------------------------------------------------------- consistent figures

# Typical upper bounds per result row, and how often each applicant type asks (natural persons most).
_RESULT_MAX = {"disclosed": 30, "partial": 8, "unavailable.not_held": 10}
_APPLICANT_SCALE = {
    "natural_person": 1.0,
    "commercial": 0.5,
    "research": 0.1,
    "nonprofit": 0.1,
    "legal_service": 0.3,
    "other_org": 0.3,
}


def consistent_values(template: str, seed: int = 0, *, zero: bool = False) -> dict[str, int | float]:
    """Random figures for every canonical key of ``TEMPLATES[template]`` that satisfy all its identities.

    Table 三: per column 新收 + 上年结转 = 总计 + 结转下年度, 总计 = the sum of the result rows (2021:
    ``apply.other.*`` = the sum of its three sub-rows, included as derived keys), and per row 总计 = the sum
    of the six applicant columns. Table 四: each 总计 = 维持 + 纠正 + 其他 + 尚未审结. Counts are
    non-negative except ``*.change``; 规章 figures are 0 (the default agency cannot make 规章); money is
    in 元 (2019 采购) or in 万元 with two decimals (2021 收费). ``zero=True`` gives every key 0.
    """
    tpl = TEMPLATES[template]
    rng = random.Random(seed)
    if zero:
        return {cell.key: 0 for cell in tpl.cells()}
    values: dict[str, int | float] = {}
    values.update(_table2_values(template, rng))
    values.update(_table3_values(tpl, rng))
    for row in national.REVIEW.rows:
        hi = 4 if row.key == "review" else 2
        parts = {c.key: rng.randint(0, hi) for c in national.OUTCOME_COLUMNS if c.key != "total"}
        for col, v in parts.items():
            values[f"{row.key}.{col}"] = v
        values[f"{row.key}.total"] = sum(parts.values())
    return values


def _table2_values(template: str, rng: random.Random) -> dict[str, int | float]:
    v: dict[str, int | float] = {}
    if template == "2019":
        v.update({"active.regulations.new_made": 0, "active.regulations.new_published": 0})
        v["active.regulations.total_published"] = 0
        made = rng.randint(0, 20)
        v["active.normative_docs.new_made"] = made
        v["active.normative_docs.new_published"] = published = rng.randint(0, made)
        v["active.normative_docs.total_published"] = published + rng.randint(0, 150)
        for row, prior_hi, decisions_hi in (
            ("licensing", 600, 30000),
            ("other_services", 200, 5000),
            ("penalty", 300, 3000),
            ("coercion", 50, 200),
        ):
            prior = rng.randint(0, prior_hi)
            v[f"active.{row}.prior_items"] = prior
            v[f"active.{row}.change"] = rng.randint(-min(prior, 40), 40)
            v[f"active.{row}.decisions"] = rng.randint(0, decisions_hi)
        fees = rng.randint(0, 15)
        v["active.fees.prior_items"] = fees
        v["active.fees.change"] = rng.randint(-min(fees, 3), 3)
        count = rng.randint(0, 40)
        v["active.procurement.count"] = count
        v["active.procurement.amount_yuan"] = rng.randint(1, 80_000) * 100 if count else 0
    else:
        v.update({f"active.regulations.{c}": 0 for c in ("issued", "repealed", "in_force")})
        issued = rng.randint(0, 15)
        v["active.normative_docs.issued"] = issued
        v["active.normative_docs.repealed"] = rng.randint(0, 6)
        v["active.normative_docs.in_force"] = issued + rng.randint(0, 200)
        v["active.licensing.decisions"] = rng.randint(0, 30000)
        v["active.penalty.decisions"] = rng.randint(0, 3000)
        v["active.coercion.decisions"] = rng.randint(0, 200)
        v["active.fees.amount_wan"] = round(rng.randint(0, 90_000) / 100 + 0.01, 2)
    return v


def _table3_values(tpl: TemplateDef, rng: random.Random) -> dict[str, int]:
    block = tpl.table("三").blocks[0]
    rows = {r.key: r for r in block.rows}
    results = [r for r in block.rows if r.group and r.key != "total" and not r.sum_of]
    v: dict[str, int] = {}
    for col, scale in _APPLICANT_SCALE.items():
        for row in results:
            v[f"apply.{row.key}.{col}"] = rng.randint(0, int(_RESULT_MAX.get(row.key, 3) * scale))
        for row in block.rows:
            if row.sum_of:
                v[f"apply.{row.key}.{col}"] = sum(v[f"apply.{k}.{col}"] for k in row.sum_of)
        total = sum(v[f"apply.{r.key}.{col}"] for r in results)
        forward = rng.randint(0, int(4 * scale))
        over = rng.randint(0, min(total + forward, int(3 * scale)))
        v[f"apply.total.{col}"] = total
        v[f"apply.carried_forward.{col}"] = forward
        v[f"apply.carried_over.{col}"] = over
        v[f"apply.new.{col}"] = total + forward - over
    for key in rows:
        v[f"apply.{key}.total"] = sum(v[f"apply.{key}.{col}"] for col in _APPLICANT_SCALE)
    return v


# ---------------------------------------------------------------- table layouts


@dataclass
class Spot:
    """One printed cell: its top-left grid position, spans, text, and the canonical key it prints."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None


@dataclass
class Layout:
    """A table as the national format prints it: a grid of ``n_rows`` × ``n_cols`` with merged spots."""

    name: str
    n_rows: int
    n_cols: int
    widths: list[float]  # relative column widths, for the pdf
    spots: list[Spot] = field(default_factory=list)

    def add(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1, key: str | None = None) -> None:
        self.spots.append(Spot(row, col, text, rowspan, colspan, key))

    def positions(self, merge_style: MergeStyle = "word") -> dict[str, tuple[int, int]]:
        """Key → (row, physical cell index in that row) in the .docx that :func:`build_docx` writes.

        With Word merges a row holds one ``w:tc`` per spot starting in it or continuing a vertical merge
        from above; without merges every grid column is its own cell.
        """
        out: dict[str, tuple[int, int]] = {}
        for spot in self.spots:
            if spot.key is None:
                continue
            if merge_style != "word":
                out[spot.key] = (spot.row, spot.col)
                continue
            before = [
                s
                for s in self.spots
                if s.row <= spot.row < s.row + s.rowspan and s.col < spot.col
            ]
            out[spot.key] = (spot.row, len(before))
        return out


def fmt(value: Value | None) -> str:
    """Cell text for a value: strings verbatim, numbers without a trailing ``.0``, None blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(int(value))


def _wrap(label: str) -> str:
    """Break a label over two lines the way narrow Word columns are typed: 本年新制作数量 → 本年新\\n制作数量."""
    if len(label) < 4:
        return label
    cut = 8 if len(label) >= 16 else len(label) // 2
    return label[:cut] + "\n" + label[cut:]


def table_layouts(
    values: Mapping[str, Value],
    template: str,
    *,
    split_table2: bool = False,
    subtotal_column: bool = False,
    extra_rows: Mapping[str, Mapping[str, Sequence[Value]]] | None = None,
    wrap_headers: bool = False,
    column_labels: Mapping[str, str] | None = None,
) -> list[Layout]:
    """The report's tables in print order: table 二 (one layout, or one per block), table 三, table 四.

    ``extra_rows`` maps a table 二 block key ("item1" …) to extra rows printed after the block's own,
    e.g. ``{"item1": {"其他主动公开文件": [3, 3, 120]}}``. ``column_labels`` prints a table 二 column's
    header as given, e.g. ``{"amount_wan": "本年收费金额（单位：万\n元）"}``.
    """
    tpl = TEMPLATES[template]
    plain_wrap = _wrap if wrap_headers else (lambda s: s)
    relabel = {
        c.label: (column_labels or {})[c.key]
        for b in tpl.table("二").blocks
        for c in b.columns
        if c.key in (column_labels or {})
    }

    def wrap(label: str) -> str:
        return relabel.get(label) or plain_wrap(label)

    return [
        *_table2_layouts(tpl, values, split_table2, extra_rows or {}, wrap),
        _table3_layout(tpl, values, subtotal_column, wrap),
        _table4_layout(values, wrap),
    ]


def _table2_layouts(
    tpl: TemplateDef,
    values: Mapping[str, Value],
    split: bool,
    extra_rows: Mapping[str, Mapping[str, Sequence[Value]]],
    wrap: _Wrap,
) -> list[Layout]:
    blocks = tpl.table("二").blocks
    heights = [2 + len(b.rows) + len(extra_rows.get(b.key, {})) for b in blocks]
    widths = [3.0, 2.0, 2.0, 2.0]
    if split:
        parts = [(Layout(f"二{b.label}", h, 4, widths), [b]) for b, h in zip(blocks, heights, strict=True)]
    else:
        parts = [(Layout("二", sum(heights), 4, widths), list(blocks))]
    for layout, part in parts:
        r = 0
        for block in part:
            r = _table2_block(layout, r, block, values, extra_rows.get(block.key, {}), wrap)
    return [layout for layout, _ in parts]


def _table2_block(
    layout: Layout,
    r: int,
    block: BlockDef,
    values: Mapping[str, Value],
    extra: Mapping[str, Sequence[Value]],
    wrap: _Wrap,
) -> int:
    """Print one 第二十条 block from row ``r``: heading row, column header row, data rows. Returns the next row."""
    layout.add(r, 0, block.label, colspan=4)
    layout.add(r + 1, 0, "信息内容")
    spans = _spread(len(block.columns), 3)
    c = 1
    for column, span in zip(block.columns, spans, strict=True):
        layout.add(r + 1, c, wrap(column.label), colspan=span)
        c += span
    r += 2
    for row in block.rows:
        layout.add(r, 0, row.label)
        c = 1
        for column, span in zip(block.columns, spans, strict=True):
            key = block.key_for(row, column)
            layout.add(r, c, fmt(values.get(key)), colspan=span, key=key)
            c += span
        r += 1
    for label, cells in extra.items():
        layout.add(r, 0, label)
        c = 1
        for value, span in zip(cells, spans, strict=False):
            layout.add(r, c, fmt(value), colspan=span)
            c += span
        r += 1
    return r


def _spread(n: int, width: int) -> list[int]:
    """Column spans for ``n`` columns over ``width`` grid columns: the last one takes what is left."""
    return [1] * (n - 1) + [width - (n - 1)]


def _table3_layout(tpl: TemplateDef, values: Mapping[str, Value], subtotal: bool, wrap: _Wrap) -> Layout:
    block = tpl.table("三").blocks[0]
    orgs = [c for c in block.columns if c.key not in ("natural_person", "total")]
    n_values = len(block.columns) + (1 if subtotal else 0)
    printed = [r for r in block.rows if not r.sum_of]
    layout = Layout("三", 3 + len(printed), 3 + n_values, [1.2, 1.4, 3.2] + [1.0] * n_values)
    note = next(a for a in block.aliases if "勾稽" in a)  # the header cell the template prints its rule in
    layout.add(0, 0, note, rowspan=3, colspan=3)
    layout.add(0, 3, block.label, colspan=n_values)
    layout.add(1, 3, block.columns[0].label, rowspan=2)
    layout.add(1, 4, "法人或其他组织", colspan=len(orgs) + (1 if subtotal else 0))
    layout.add(1, 3 + n_values - 1, block.columns[-1].label, rowspan=2)
    for i, column in enumerate(orgs):
        layout.add(2, 4 + i, wrap(column.label))
    if subtotal:
        layout.add(2, 4 + len(orgs), "小计")

    first = 3
    results = [i for i, row in enumerate(printed) if row.group]
    group_runs: dict[str, list[int]] = {}
    for i in results:
        group_runs.setdefault(printed[i].group or "", []).append(i)
    results_label = printed[results[0]].group or ""
    layout.add(first + results[0], 0, results_label, rowspan=len(results))
    for group, run in group_runs.items():
        if group != results_label:
            layout.add(first + run[0], 1, group, rowspan=len(run))
    for i, row in enumerate(printed):
        r = first + i
        if not row.group:
            layout.add(r, 0, wrap(row.label) if len(row.label) >= 8 else row.label, colspan=3)
        elif row.group == results_label:
            layout.add(r, 1, row.label, colspan=2)
        else:
            layout.add(r, 2, row.label)
        c = 3
        for column in block.columns:
            if subtotal and column.key == "total":
                layout.add(r, c, fmt(_subtotal(values, row, [o.key for o in orgs])))
                c += 1
            key = block.key_for(row, column)
            layout.add(r, c, fmt(values.get(key)), key=key)
            c += 1
    return layout


def _subtotal(values: Mapping[str, Value], row: RowDef, orgs: list[str]) -> int | None:
    """The 法人或其他组织 小计 some agencies print: the five org columns added up (blank if any is not a number)."""
    parts = [values.get(f"apply.{row.key}.{col}") for col in orgs]
    if all(isinstance(p, int) for p in parts):
        return sum(parts)  # type: ignore[arg-type]
    return None


def _table4_layout(values: Mapping[str, Value], wrap: _Wrap) -> Layout:
    cols = national.OUTCOME_COLUMNS
    review, direct, after = national.REVIEW.rows
    layout = Layout("四", 4, 15, [1.0] * 15)
    layout.add(0, 0, review.label, colspan=5)
    layout.add(0, 5, "行政诉讼", colspan=10)
    layout.add(1, 5, direct.label, colspan=5)
    layout.add(1, 10, after.label, colspan=5)
    for i, column in enumerate(cols):
        layout.add(1, i, wrap(column.label), rowspan=2)
        layout.add(2, 5 + i, wrap(column.label))
        layout.add(2, 10 + i, wrap(column.label))
    for g, row in enumerate((review, direct, after)):
        for i, column in enumerate(cols):
            key = national.REVIEW.key_for(row, column)
            layout.add(3, 5 * g + i, fmt(values.get(key)), key=key)
    return layout


# ---------------------------------------------------------------- prose


def _prose(values: Mapping[str, Value], agency: str, year: int, prose: Mapping[str, str] | None) -> dict[str, str]:
    """Section texts; the default 总体情况 states the request and review figures the tables print."""

    def num(key: str) -> int | None:
        v = values.get(key)
        return v if isinstance(v, int) else None

    overview = f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"
    new, done, forward = num("apply.new.total"), num("apply.total.total"), num("apply.carried_forward.total")
    if None not in (new, done, forward):
        overview += f"全年共收到政府信息公开申请{new}件，办结{done}件，结转下年度继续办理{forward}件。"
    review = num("review.total")
    if review is not None:
        overview += f"因政府信息公开被申请行政复议{review}件。"
    texts = {
        "一": overview,
        "二": "主动公开政府信息情况见下表。",
        "三": "收到和处理政府信息公开申请情况见下表。",
        "四": "政府信息公开行政复议、行政诉讼情况见下表。",
        "五": "存在的主要问题是公开内容的规范性有待提高。下一步将加强培训，完善审核机制。",
        "六": "本年度未收取信息处理费。无其他需要报告的事项。",
    }
    texts.update(prose or {})
    return texts


def _default_year(template: str) -> int:
    """A report year the template covers: 2020 for the 2019 format, 2021 for the 2021 format."""
    return TEMPLATES[template].last_year or TEMPLATES[template].first_year


def _title(agency: str, year: int, title: str | None) -> str:
    return title or f"{agency}{year}年政府信息公开工作年度报告"


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- docx


def _set_text(cell: _Cell, text: str) -> None:
    """Replace a cell's text, one paragraph per line, keeping the first paragraph's formatting."""
    paragraphs = cell.paragraphs
    first = paragraphs[0]
    for run in list(first._p.r_lst):
        first._p.remove(run)
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    lines = text.split("\n")
    first.add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)


def _docx_table(document: docx.document.Document, layout: Layout, merge_style: MergeStyle) -> None:
    table = document.add_table(rows=layout.n_rows, cols=layout.n_cols)
    table.style = "Table Grid"
    # Cells are taken once from the unmerged grid (table.cell() rescans the whole table on every call);
    # spots never overlap, so every corner used by a merge is still in the tree when it is merged.
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    merges = []
    for spot in layout.spots:
        _set_text(cells[spot.row][spot.col], spot.text)
        rows = range(spot.row, spot.row + spot.rowspan)
        cols = range(spot.col, spot.col + spot.colspan)
        if len(rows) * len(cols) == 1:
            continue
        if merge_style == "word":
            merges.append((cells[spot.row][spot.col], cells[rows[-1]][cols[-1]]))
        elif merge_style == "repeat":
            for r in rows:
                for c in cols:
                    if (r, c) != (spot.row, spot.col):
                        _set_text(cells[r][c], spot.text)
    for first, last in merges:
        first.merge(last)


def build_docx(
    values: Mapping[str, Value],
    template: str = "2019",
    *,
    agency: str = DEFAULT_AGENCY,
    title: str | None = None,
    year: int | None = None,
    published_on: date | None = None,
    prose: Mapping[str, str] | None = None,
    split_table2: bool = False,
    subtotal_column: bool = False,
    extra_rows: Mapping[str, Mapping[str, Sequence[Value]]] | None = None,
    wrap_headers: bool = False,
    merge_style: MergeStyle = "word",
    column_labels: Mapping[str, str] | None = None,
) -> bytes:
    """A Word report written with python-docx: title, the six sections, and tables 二 三 四.

    ``merge_style="word"`` merges cells with ``cell.merge`` (w:gridSpan / w:vMerge, as Word writes them);
    ``"none"`` leaves merged areas as separate blank cells; ``"repeat"`` prints the merged label in every
    covered cell (as some converters do). Other options: see :func:`table_layouts`.
    """
    year = year or _default_year(template)
    document = docx.Document()
    document.add_heading(_title(agency, year, title), level=1)
    texts = _prose(values, agency, year, prose)
    layouts = iter(
        table_layouts(
            values,
            template,
            split_table2=split_table2,
            subtotal_column=subtotal_column,
            extra_rows=extra_rows,
            wrap_headers=wrap_headers,
            column_labels=column_labels,
        )
    )
    n_table2 = len(TEMPLATES[template].table("二").blocks) if split_table2 else 1
    for section in SECTIONS:
        document.add_paragraph(f"{section.id}、{section.title}")
        document.add_paragraph(texts[section.id])
        count = {"二": n_table2, "三": 1, "四": 1}.get(section.id, 0)
        for _ in range(count):
            _docx_table(document, next(layouts), merge_style)
            document.add_paragraph("")
    _docx_signature(document, agency, published_on)
    return _docx_bytes(document)


def _docx_signature(document: docx.document.Document, agency: str, published_on: date | None) -> None:
    document.add_paragraph(agency)
    if published_on is not None:
        document.add_paragraph(_date_text(published_on))


def _docx_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def fill_template_2021(
    values: Mapping[str, Value],
    *,
    agency: str = DEFAULT_AGENCY,
    title: str | None = None,
    year: int = 2021,
    published_on: date | None = None,
    prose: Mapping[str, str] | None = None,
    base: bytes | None = None,
) -> bytes:
    """The national 2021 Word template (tests/data/template-2021.docx) with its cells filled in; ``base``:
    another document in that format instead (a drafted report), whose title is kept.

    Cells are found by their printed labels, as a clerk fills the form; everything else (Word's merges,
    the full-width spaces in cells left empty) stays as the template has it.
    """
    document = docx.Document(io.BytesIO(base) if base else str(TEMPLATE_2021_DOCX))
    texts = _prose(values, agency, year, prose)
    paragraphs = document.paragraphs
    placeholders = [p for p in paragraphs if p.text.startswith("（文字描述")]
    for p, section in zip(placeholders, ("一", "五", "六"), strict=True):
        _set_paragraph(p, texts[section])
    if base is None:
        heading = next(p for p in paragraphs if "年度报告格式模板" in p.text)
        _set_paragraph(heading, _title(agency, year, title))
    active, apply, review = document.tables
    tpl = TEMPLATES["2021"]
    by_label = {squash(row.label): (block, row) for block in tpl.table("二").blocks for row in block.rows}
    for tr in active._tbl.tr_lst:
        tcs = tr.tc_lst
        found = by_label.get(squash(_Cell(tcs[0], active).text))
        if found:
            block, row = found
            for tc, column in zip(tcs[1:], block.columns, strict=True):
                _set_text(_Cell(tc, active), fmt(values.get(block.key_for(row, column))))
    apply_block = tpl.table("三").blocks[0]
    apply_rows = {squash(row.label): row for row in apply_block.rows}
    for tr in apply._tbl.tr_lst:
        tcs = tr.tc_lst
        if len(tcs) < 8:
            continue
        row = apply_rows.get(squash(_Cell(tcs[-8], apply).text))
        if row:
            for tc, column in zip(tcs[-7:], apply_block.columns, strict=True):
                _set_text(_Cell(tc, apply), fmt(values.get(apply_block.key_for(row, column))))
    data_row = review._tbl.tr_lst[3].tc_lst
    keys = [national.REVIEW.key_for(r, c) for r in national.REVIEW.rows for c in national.OUTCOME_COLUMNS]
    for tc, key in zip(data_row, keys, strict=True):
        _set_text(_Cell(tc, review), fmt(values.get(key)))
    _docx_signature(document, agency, published_on)
    return _docx_bytes(document)


def _set_paragraph(p: DocxParagraph, text: str) -> None:
    for run in list(p._p.r_lst):
        p._p.remove(run)
    p.add_run(text)


# ---------------------------------------------------------------- pdf

_PDF_FONT = "STSong-Light"  # a CID font reportlab ships: no font file needed, and pdfplumber reads it back


def _pdf_styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    body = ParagraphStyle("body", fontName=_PDF_FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=TA_CENTER, spaceAfter=8)
    cell = ParagraphStyle("cell", fontName=_PDF_FONT, fontSize=7.5, leading=9.5, wordWrap="CJK", alignment=TA_CENTER)
    return title, body, cell


def _pdf_table(layout: Layout, rows: Sequence[int], width: float, style: ParagraphStyle) -> PdfTable:
    """The layout rows ``rows`` (ascending) as a ruled reportlab table. A merged spot cut by a page break
    keeps its text in the part where it starts and is blank in the other, as Word leaves it."""
    data: list[list[object]] = [["" for _ in range(layout.n_cols)] for _ in rows]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for spot in layout.spots:
        covered = [i for i, r in enumerate(rows) if spot.row <= r < spot.row + spot.rowspan]
        if not covered:
            continue
        top, bottom = covered[0], covered[-1]
        text = spot.text if rows[top] == spot.row else ""
        data[top][spot.col] = PdfParagraph(escape(text).replace("\n", "<br/>"), style)
        if bottom > top or spot.colspan > 1:
            commands.append(("SPAN", (spot.col, top), (spot.col + spot.colspan - 1, bottom)))
    total = sum(layout.widths)
    return PdfTable(data, colWidths=[width * w / total for w in layout.widths], style=TableStyle(commands))


def build_pdf(
    values: Mapping[str, Value],
    template: str = "2019",
    *,
    agency: str = DEFAULT_AGENCY,
    title: str | None = None,
    year: int | None = None,
    published_on: date | None = None,
    prose: Mapping[str, str] | None = None,
    split_table2: bool = False,
    subtotal_column: bool = False,
    extra_rows: Mapping[str, Mapping[str, Sequence[Value]]] | None = None,
    wrap_headers: bool = False,
    column_labels: Mapping[str, str] | None = None,
    split_across_pages: bool = False,
    split_before_row: str = "unavailable.needs_creation",
    repeat_header: bool = False,
) -> bytes:
    """A PDF report with a text layer (reportlab): the same content as :func:`build_docx`, ruled tables
    with merged (SPAN) cells like the national format, and a page number in each footer.

    Each table is kept on one page, except that ``split_across_pages=True`` breaks table 三 onto a new
    page before the row ``split_before_row`` (a table 三 row key), so that by default the merged label
    （四）无法提供 is cut in two; ``repeat_header=True`` prints table 三's three header rows again at the
    top of the second part (Word's 重复标题行).
    """
    year = year or _default_year(template)
    title_style, body, cell = _pdf_styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=60, bottomMargin=60)
    texts = _prose(values, agency, year, prose)
    layouts = iter(
        table_layouts(
            values,
            template,
            split_table2=split_table2,
            subtotal_column=subtotal_column,
            extra_rows=extra_rows,
            wrap_headers=wrap_headers,
            column_labels=column_labels,
        )
    )
    n_table2 = len(TEMPLATES[template].table("二").blocks) if split_table2 else 1
    story: list[object] = [PdfParagraph(escape(_title(agency, year, title)), title_style)]
    for section in SECTIONS:
        heading = PdfParagraph(f"{section.id}、{escape(section.title)}", body)
        text = PdfParagraph(escape(texts[section.id]), body)
        count = {"二": n_table2, "三": 1, "四": 1}.get(section.id, 0)
        if not count:
            story += [heading, text]
            continue
        group: list[object] = [heading, text]
        for _ in range(count):
            layout = next(layouts)
            if layout.name == "三" and split_across_pages:
                cut = TABLE3_HEADER_ROWS + _printed_row_index(template, split_before_row)
                group.append(_pdf_table(layout, range(cut), doc.width, cell))
                story += [KeepTogether(group), PageBreak()]
                header = list(range(TABLE3_HEADER_ROWS)) if repeat_header else []
                group = [_pdf_table(layout, header + list(range(cut, layout.n_rows)), doc.width, cell)]
            else:
                group.append(_pdf_table(layout, range(layout.n_rows), doc.width, cell))
            group.append(Spacer(1, 8))
            story.append(KeepTogether(group))
            group = []
    story.append(PdfParagraph(escape(agency), body))
    if published_on is not None:
        story.append(PdfParagraph(_date_text(published_on), body))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _printed_row_index(template: str, key: str) -> int:
    printed = [r.key for r in TEMPLATES[template].table("三").blocks[0].rows if not r.sum_of]
    return printed.index(key)


def _footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.setFont(_PDF_FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")

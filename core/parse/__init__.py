"""Document → ParsedReport: the template's tables read by their labels, the prose read for metadata.

Everything template-specific comes from :mod:`core.templates`; this package only knows how tables are
printed (headers over values, labels left of them) and how real reports deviate from that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.model import Cell, Document, Finding, ParsedReport, ReportError
from core.parse import findings as F
from core.parse.labels import template_labels
from core.parse.mapping import derive_sums, read_table
from core.parse.meta import Meta, read_meta
from core.parse.tables import Source, gather, prepare
from core.parse.template import detect
from core.templates import TEMPLATES, TemplateDef, template_for_year
from core.textnorm import fold_width, to_simplified

__all__ = ["parse_document"]

_ORDER = ("二", "三", "四")


@dataclass
class _Reading:
    template: TemplateDef
    cells: dict[str, Cell] = field(default_factory=dict)
    extra: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    found: list[str] = field(default_factory=list)

    @property
    def mapped(self) -> int:
        return sum(1 for c in self.cells.values() if c.loc.kind != "derived")


def _read_tables(sources: list[Source], template: TemplateDef) -> _Reading:
    labels = template_labels(template.version)
    groups, notes = gather(sources, labels)
    reading = _Reading(template, findings=notes)
    for table_id in _ORDER:
        group = groups.get(table_id)
        if group is None:
            continue
        reader = read_table(group)
        derive_sums(reader.cells, table_id, list(group.labels.blocks))
        if reader.cells:
            reading.found.append(table_id)
        reading.cells.update(reader.cells)
        reading.extra.extend(reader.extra)
        reading.findings.extend(reader.findings)
    return reading


def _choose(sources: list[Source], year: int | None) -> _Reading:
    texts = [c.text for s in sources for r in s.rows for c in r.cells if not c.valuelike]
    detected = detect(texts)
    if detected is not None:
        return _read_tables(sources, detected)
    first = template_for_year(year) if year else TEMPLATES["2021"]
    readings = [_read_tables(sources, first)]
    if sources:
        readings += [_read_tables(sources, t) for t in TEMPLATES.values() if t is not first]
    return max(readings, key=lambda r: r.mapped)  # max keeps the first on a tie: the year's template


def _completeness(reading: _Reading, meta: Meta) -> list[Finding]:
    out = []
    template = reading.template
    for table in template.tables:
        name = f"表{table.id}（{table.title}）"
        keys = [c.key for c in table.cells() if not c.derived]
        if table.id not in reading.found:
            if table.required:
                out.append(
                    F.finding(F.MISSING_TABLE, f"报告缺少{name}，无法读取该表数据。", keys, table=table.id)
                )
            continue
        missing = [k for k in keys if k not in reading.cells]
        if missing:
            labels = []
            for key in missing:
                cell = template.cell(key)
                labels.append(f"{cell.row.label}/{cell.column.label}" if cell else key)
            out.append(
                F.finding(
                    F.MISSING_CELLS,
                    f"{name}缺少{len(missing)}个模板单元格：{F.listing(labels)}。",
                    missing,
                    table=table.id,
                )
            )
    missing_sections = [s for s in template.sections if s.id not in meta.sections]
    if missing_sections:
        out.append(
            F.finding(
                F.MISSING_SECTION,
                "报告缺少以下部分（或标题无法识别）："
                + "；".join(f"{s.id}、{s.title}" for s in missing_sections)
                + "。",
                sections=[s.id for s in missing_sections],
            )
        )
    if meta.year is not None and not template.covers(meta.year):
        expected = template_for_year(meta.year)
        out.append(
            F.finding(
                F.TEMPLATE_MISMATCH,
                f"{meta.year}年度报告应使用{expected.notice}规定的格式，但表格使用的是{template.notice}的格式。",
                year=meta.year,
                template=template.version,
            )
        )
    absent = [name for name, value in (("发布机关", meta.agency), ("报告年度", meta.year)) if value is None]
    if absent:
        out.append(F.finding(F.MISSING_META, f"未能从报告中识别{'和'.join(absent)}。", fields=absent))
    return out


def _looks_like_report(doc_paras: list[str], meta: Meta, reading: _Reading) -> bool:
    if reading.found:
        return True
    if len(meta.sections) >= 2:
        return True
    return any(len(p) <= 80 and "信息公开" in p and ("报告" in p or "年报" in p) for p in doc_paras[:15])


def parse_document(doc: Document) -> ParsedReport:
    """Raises :class:`ReportError` when the document is not an annual report at all."""
    paras = [fold_width(to_simplified(p.text.strip())) for p in doc.paragraphs if p.text.strip()]
    sources = prepare(doc)
    if not paras and not any(s.rows for s in sources):
        raise ReportError("文件内容不像政府信息公开工作年度报告：没有任何文字。")
    sections = TEMPLATES["2021"].sections
    meta = read_meta(paras, sections, doc.title)
    reading = _choose(sources, meta.year)
    if reading.template.sections is not sections:
        meta = read_meta(paras, reading.template.sections, doc.title)
    if not _looks_like_report(paras, meta, reading):
        head = (paras[0] if paras else "")[:20]
        raise ReportError(
            f"文件内容不像政府信息公开工作年度报告：没有年报表格，也没有“政府信息公开”标题（开头是“{head}”）。"
        )
    findings = [*doc.findings, *reading.findings, *_completeness(reading, meta)]
    return ParsedReport(
        agency=meta.agency,
        short_name=meta.short_name,
        region=meta.region,
        year=meta.year,
        template=reading.template.version,
        published_on=meta.published_on,
        title=meta.title,
        source_kind=doc.kind,
        sections=meta.sections,
        cells=reading.cells,
        extra_cells=reading.extra,
        findings=findings,
        tables_found=reading.found,
        text="\n".join(paras),
    )

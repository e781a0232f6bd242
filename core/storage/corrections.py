"""A user corrects a stored figure by hand ("表三 予以公开 总计 = 23"): the cell changes, the correction is
recorded with who made it and what the figure was, and the report's checks run again.

Meant for figures read from a scan or a photo (the ``ocr.low_confidence`` finding lists the doubtful
ones), but any stored figure can be corrected; the record keeps the earlier reading either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.checks.evidence import table_of
from core.extract.ocr.review import CORRECTED, LOW_CONFIDENCE, low_confidence
from core.model import ParsedReport
from core.parse.labels import CONTAINS, Label, best, template_labels
from core.storage.db import write_session
from core.storage.models import CellRecord, CorrectionRecord, FindingRecord, Report
from core.storage.rechecks import recheck, recheck_related
from core.storage.reports import load_parsed
from core.templates import TEMPLATES
from core.values import parse_value

# 表三 予以公开 总计 = 23 · 表四 行政复议 结果维持：2 · 表二 行政许可 = 5
_REQUEST = re.compile(r"^\s*表\s*([二三四2-4])\s*(.+?)\s*[=＝:：]\s*(\S+)\s*$")
_DIGIT_TABLE = {"2": "二", "3": "三", "4": "四"}


class CorrectionError(ValueError):
    """The request cannot be applied; the message is one line of Chinese for the user."""


@dataclass
class Correction:
    report_id: int
    key: str
    name: str  # 表三「（一）予以公开」行「总计」列
    old_raw: str
    new_raw: str
    report: ParsedReport  # with its findings after the checks ran again


async def latest_upload(sf: async_sessionmaker[AsyncSession], chat_id: int) -> int | None:
    """The report most recently uploaded in a chat: what a correction that replies to nothing means."""
    async with sf() as session:
        return await session.scalar(
            select(Report.id).where(Report.chat_id == chat_id).order_by(Report.uploaded_at.desc(), Report.id.desc()).limit(1)
        )


def resolve(text: str, template_version: str) -> tuple[str, str]:
    """``(canonical key, new text)`` for a request such as "表三 予以公开 总计 = 23"."""
    m = _REQUEST.match(text)
    if not m:
        raise CorrectionError("更正格式：表三 予以公开 总计 = 23（表名、行、列、等号、数字）。")
    table_id = _DIGIT_TABLE.get(m[1], m[1])
    words = m[2].split()
    labels = next(t for t in template_labels(template_version).tables if t.table.id == table_id)
    for block in labels.blocks:
        cols = block.block.columns
        if len(cols) == 1 and len(words) >= 1:
            row_words, col = words, cols[0]
        elif len(words) >= 2:
            found = best(Label.of(words[-1]), block.columns, minimum=CONTAINS)
            if not found:
                continue
            row_words, col = words[:-1], found[0]
        else:
            continue
        rows = best(Label.of("".join(row_words)), block.rows, minimum=CONTAINS)
        if len(rows) == 1 or (rows and len({r.key for r in rows}) == 1):
            return block.block.key_for(rows[0], col), m[3]
    raise CorrectionError(f"表{table_id}中找不到“{m[2]}”对应的单元格，请写明行名和列名，例如：表三 予以公开 总计 = 23。")


async def correct_cell(
    sf: async_sessionmaker[AsyncSession],
    report_id: int,
    request: str,
    *,
    user_id: int | None,
    chat_id: int | None = None,
) -> Correction:
    """Apply ``request`` ("表三 予以公开 总计 = 23") to stored report ``report_id`` and re-run its checks
    (and those of the reports that compare themselves with it)."""
    async with write_session(sf) as session:
        row = await session.get(Report, report_id, with_for_update=True)
        if row is None or row.template not in TEMPLATES:
            raise CorrectionError(f"没有编号为 {report_id} 的报告。")
        key, raw = resolve(request, row.template)
        template = TEMPLATES[row.template]
        cdef = template.cell(key)
        assert cdef is not None
        table_id = table_of(template, key) or ""
        parsed = parse_value(raw, cdef.unit)
        if parsed.kind == "invalid":
            raise CorrectionError(f"“{raw}”不是有效的数字，请写数字（如 23），或“/”表示无。")
        cell = await session.scalar(select(CellRecord).where(CellRecord.report_id == report_id, CellRecord.key == key))
        old_raw, old_value = (cell.raw, cell.value) if cell else ("", None)
        if cell is None:
            cell = CellRecord(
                report_id=report_id, key=key, table_id=table_id, row_label=cdef.row.label, col_label=cdef.column.label
            )
            session.add(cell)
        cell.raw, cell.value, cell.unit = raw, parsed.value, parsed.unit
        session.add(
            CorrectionRecord(
                report_id=report_id,
                key=key,
                old_raw=old_raw,
                old_value=old_value,
                new_raw=raw,
                new_value=parsed.value,
                corrected_by=user_id,
                chat_id=chat_id,
            )
        )
        await session.flush()
        await _settle_ocr_findings(session, row, key)
        await recheck(session, row)
        await recheck_related(session, [row], {report_id})
        report = await load_parsed(session, row)
    name = f"表{table_id}「{cdef.row.label}」行「{cdef.column.label}」列"
    return Correction(report_id, key, name, old_raw, raw, report)


async def _settle_ocr_findings(session: AsyncSession, row: Report, key: str) -> None:
    """The user has decided this figure: it is no longer doubtful, nor corrected by the identities."""
    assert row.id is not None
    records = list(
        await session.scalars(
            select(FindingRecord).where(FindingRecord.report_id == row.id, FindingRecord.code.in_((CORRECTED, LOW_CONFIDENCE)))
        )
    )
    stale = [f for f in records if key in (f.cells or [])]
    if not stale:
        return
    await session.execute(delete(FindingRecord).where(FindingRecord.id.in_([f.id for f in stale])))
    doubtful = [k for f in stale if f.code == LOW_CONFIDENCE for k in f.cells if k != key]
    if doubtful:
        report = await load_parsed(session, row)
        finding = low_confidence(report, [report.cells[k] for k in doubtful if k in report.cells])
        session.add(
            FindingRecord(
                report_id=row.id,
                code=finding.code,
                severity=finding.severity,
                message=finding.message,
                cells=finding.cells,
                details=finding.details,
            )
        )
    await session.flush()

"""Stored reports as a spreadsheet: one row per report, one column per canonical key.

The key columns are the union of both templates' keys in template order (a 2021-only key sits next to the
2019 keys of the same table), so reports of both formats share one sheet; a key a report's template does
not have stays empty. CSV is written as UTF-8 with a BOM, which Excel needs to read Chinese.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from functools import cache
from typing import Any, Literal

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.storage.models import Agency, CellRecord, Report
from core.templates.catalogue import cell
from core.templates.national import TEMPLATE_2019, TEMPLATE_2021

Format = Literal["csv", "xlsx", "json"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json")
META_COLUMNS = (
    "report_id",
    "agency",
    "short_name",
    "region",
    "year",
    "template",
    "published_on",
    "is_current",
)
_CHUNK = 500  # reports per cell query


def _merge(old: list[str], new: list[str]) -> list[str]:
    """``old`` with the keys only ``new`` has, each placed before the next key both have (or at the end)."""
    merged = list(old)
    for i, key in enumerate(new):
        if key not in merged:
            following = next((k for k in new[i + 1 :] if k in merged), None)
            merged.insert(merged.index(following) if following else len(merged), key)
    return merged


@cache
def value_keys() -> tuple[str, ...]:
    """Both templates' canonical keys, block by block in template order; a 2021-only row sits where the
    2021 table prints it (（六）其他处理's sub-rows before （六）), a 2021-only column after its block's."""
    keys: list[str] = []
    for old_table, new_table in zip(TEMPLATE_2019.tables, TEMPLATE_2021.tables, strict=True):
        new_blocks = {b.key: b for b in new_table.blocks}
        for block in old_table.blocks:
            new = new_blocks.pop(block.key, None)
            keys += _merge([c.key for c in block.cells()], [c.key for c in new.cells()] if new else [])
        keys += [c.key for b in new_blocks.values() for c in b.cells()]
    return tuple(dict.fromkeys(keys))


def columns() -> tuple[str, ...]:
    return META_COLUMNS + value_keys()


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


async def export_rows(
    sf: async_sessionmaker[AsyncSession], *, current_only: bool = False, year: int | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Each stored report as a dict over :func:`columns` (newest year first, then by agency)."""
    query = (
        select(Report, Agency)
        .join(Agency, Agency.id == Report.agency_id)
        .order_by(Report.year.desc(), Agency.short_name, Report.id)
    )
    if current_only:
        query = query.where(Report.is_current)
    if year is not None:
        query = query.where(Report.year == year)
    keys = set(value_keys())
    async with sf() as session:
        rows = (await session.execute(query)).all()
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            values: dict[int, dict[str, int | float | None]] = {r.id: {} for r, _ in chunk}
            cells = await session.execute(
                select(CellRecord.report_id, CellRecord.key, CellRecord.value).where(
                    CellRecord.report_id.in_(list(values)), CellRecord.extra.is_(False)
                )
            )
            for report_id, key, value in cells:
                if key in keys:
                    values[report_id][key] = _number(value)
            for report, agency in chunk:
                meta = {
                    "report_id": report.id,
                    "agency": agency.name,
                    "short_name": agency.short_name,
                    "region": agency.region,
                    "year": report.year,
                    "template": report.template,
                    "published_on": report.published_on.isoformat() if report.published_on else None,
                    "is_current": report.is_current,
                }
                yield meta | {k: values[report.id].get(k) for k in value_keys()}


async def export_reports(
    sf: async_sessionmaker[AsyncSession],
    fmt: Format = "csv",
    *,
    current_only: bool = False,
    year: int | None = None,
) -> bytes:
    """The export file's bytes in ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"不支持的导出格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    rows = [row async for row in export_rows(sf, current_only=current_only, year=year)]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")
    return _xlsx(rows)


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("reports")
    sheet.append(list(columns()))
    for row in rows:
        sheet.append([row[c] for c in columns()])
    legend = book.create_sheet("keys")  # what each column means, from the question catalogue
    legend.append(["key", "表", "名称", "name", "单位", "格式"])
    for key in value_keys():
        entry = cell(key)
        assert entry is not None
        legend.append([key, entry.table, entry.zh, entry.en, entry.unit, "、".join(entry.versions)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

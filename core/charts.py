"""A figure's bar chart from the stored reports, for ``/chart``.

:func:`metric_chart` reads "收到申请" (a ranking of agencies, latest year or the year named) or
"定海区 收到申请" (one agency across its years), finds the figure in the question catalogue with the Q&A's
matcher (core.qa.match), queries it and draws the bars (core.render.charts).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.qa import queries
from core.qa.figures import template_of
from core.qa.match import match
from core.qa.parse import Lang, normalize, read
from core.qa.wording import tr
from core.render.charts import bar_chart, png
from core.storage.agencies import AgencyMatch, find_agencies_in_text
from core.storage.models import Agency
from core.templates.catalogue import Entry
from core.templates.national import template_for_year

# ---------------------------------------------------------------- a metric's chart from the database

MAX_BARS = 25


class ChartError(ValueError):
    """Why no chart can be drawn; one line for the user, in their language."""


@dataclass
class Chart:
    title: str
    labels: list[str]
    values: list[float]
    png: bytes


async def metric_chart(sf: async_sessionmaker[AsyncSession], text: str, lang: Lang = "zh") -> Chart:
    """The chart ``text`` asks for: a metric, optionally an agency and a year."""
    text = normalize(text)
    async with sf() as session:
        mentions = await find_agencies_in_text(session, text)
        unclear = next((m.match for m in mentions if m.agency is None), None)
        if unclear is not None:
            raise ChartError(unclear_agency(unclear, lang))
        reading = read(text, [m.span for m in mentions])
        found = match([t for t in reading.tokens if t.has("concept")], kinds=("cell", "group", "breakdown"))
        if found.entry is None or found.entry.id == "breakdown.overview":
            raise ChartError(
                tr(
                    lang,
                    "没有识别出指标。例如：/chart 收到申请，/chart 定海区 办结，/chart 2020 行政复议",
                    "No metric recognised. For example: /chart requests, /chart 定海区 processed",
                )
            )
        year = next((y.year for y in reading.years if y.year is not None), None)
        agency = next((m.agency for m in mentions if m.agency is not None), None)
        if agency is not None:
            return await _agency_chart(session, agency, found.entry, lang)
        return await _across_chart(session, found.entry, year, lang)


def unclear_agency(match: AgencyMatch, lang: Lang) -> str:
    """Why a name did not resolve to one agency (ambiguous, a region, unknown), with the candidates."""
    name, names = match.query, "、".join(a.short_name for a in match.candidates[:8])
    if match.kind == "ambiguous":
        return tr(
            lang,
            f"“{name}”对应多个单位：{names}，请写得更具体。",
            f"'{name}' matches several agencies: {names}; please be more specific.",
        )
    if match.kind == "region":
        return tr(
            lang,
            f"“{name}”是地区，不是单位。该地区已存的单位：{names}，请写具体单位。",
            f"'{name}' is a region, not an agency. Agencies stored there: {names}; please name one.",
        )
    similar = tr(lang, f"相近的单位：{names}。", f" Close names: {names}.") if names else ""
    return tr(lang, f"没有找到“{name}”。", f"No agency named '{name}' is stored.") + similar


def _parts(entry: Entry, version: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(zh, en, cell keys) of each bar in a report of ``version``: a breakdown's parts, or the one figure."""
    if entry.kind == "breakdown":
        return [(p.zh, p.en, p.keys[version]) for p in entry.parts if p.keys.get(version)]
    keys = entry.keys_for(version)[0]
    return [(entry.zh, entry.en, keys)] if keys else []


async def _agency_chart(session: AsyncSession, agency: Agency, entry: Entry, lang: Lang) -> Chart:
    """One agency: its years side by side, or, for a breakdown, the parts of its latest report."""
    assert agency.id is not None
    reports = await queries.agency_reports(session, agency.id)
    if not reports:
        raise ChartError(
            tr(lang, f"{agency.short_name} 没有已存的报告。", f"No report of {agency.name} is stored.")
        )
    latest = reports[-1]
    if entry.kind == "breakdown":
        parts = _parts(entry, template_of(latest))
        found = await queries.cells(session, [latest.id], [k for *_, keys in parts for k in keys])
        values = [
            sum(found[(latest.id, k)].value or 0 for k in keys if (latest.id, k) in found)
            for *_, keys in parts
        ]
        title = f"{agency.short_name} {latest.year}{tr(lang, '年 ', ' ')}{entry.name(lang)}"
        return await _chart(title, [zh if lang == "zh" else en for zh, en, _ in parts], values, entry)
    labels, values = [], []
    for report in reports:
        parts = _parts(entry, template_of(report))
        if not parts:
            continue
        keys = parts[0][2]
        found = await queries.cells(session, [report.id], keys)
        figures = [found[(report.id, k)].value for k in keys if (report.id, k) in found]
        if any(v is not None for v in figures):
            labels.append(f"{report.year}")
            values.append(sum(v for v in figures if v is not None))
    if not values:
        raise ChartError(
            tr(
                lang,
                f"{agency.short_name} 的报告里没有这个数字。",
                f"{agency.name}'s reports do not give this figure.",
            )
        )
    return await _chart(f"{agency.short_name} {entry.name(lang)}", labels, values, entry)


async def _across_chart(session: AsyncSession, entry: Entry, year: int | None, lang: Lang) -> Chart:
    """One bar per agency for a year (the one named, else the latest stored), largest first."""
    year = year or await queries.latest_year(session)
    if year is None:
        raise ChartError(tr(lang, "数据库里还没有报告。", "No reports are stored yet."))
    if entry.kind == "breakdown":
        raise ChartError(
            tr(
                lang,
                "这是一个分类明细，请指定一个单位（如 /chart 定海区 申请人构成）或一个单项指标。",
                "That is a breakdown: name one agency (e.g. /chart 定海区 applicants) or a single figure.",
            )
        )
    parts = _parts(entry, template_for_year(year).version)
    if not parts:
        raise ChartError(
            tr(
                lang,
                f"{year} 年度的报告格式中没有这个指标。",
                f"The {year} report format has no such figure.",
            )
        )
    ranked = await queries.ranked(session, parts[0][2], year, limit=MAX_BARS)
    if not ranked:
        raise ChartError(
            tr(lang, f"{year} 年度没有报告给出这个数字。", f"No {year} report gives this figure.")
        )
    names = await queries.agencies(session, [r.agency_id for r in ranked])
    labels = [names[r.agency_id].short_name for r in ranked]
    title = f"{year}{tr(lang, '年 ', ' ')}{entry.name(lang)}"
    return await _chart(title, labels, [r.value for r in ranked], entry)


def _draw(title: str, labels: list[str], values: list[float], unit: str) -> bytes:
    return png(bar_chart(labels, values, title=title, xlabel=unit))


async def _chart(title: str, labels: list[str], values: list[float], entry: Entry) -> Chart:
    # Drawing takes a few hundred milliseconds of CPU: off the event loop (separate Figures, no pyplot).
    data = await asyncio.to_thread(_draw, title, labels, values, entry.unit or "")
    return Chart(title, labels, values, data)

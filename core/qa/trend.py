"""Comparisons: one agency across years (year-over-year, 历年), and two or more agencies side by side.

``value`` is the signed difference, later minus earlier (or first agency minus second); the percent change
when a percentage is asked (上年为 0: said, not divided); for rates, the difference in percentage points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.qa import queries, when
from core.qa.figures import ReportReader, template_of
from core.qa.match import Match
from core.qa.queries import AgencyRow, ReportRef
from core.qa.reply import Answer, Context
from core.qa.single import (
    SINGLE_INTENTS,
    blank_note,
    breakdown_parts,
    figure_match,
    not_recorded,
    not_understood,
    rate_of,
    read_entry,
)
from core.qa.understand import (
    against_agency,
    compares_years,
    concept_tokens,
    defined_aside,
    names_figure,
    restate,
    stray,
)
from core.qa.when import CARRY, stored_years
from core.qa.wording import amount, number, percent_text, plain
from core.templates.catalogue import Entry
from core.templates.catalogue import entry as by_id

COMPARE_INTENTS = SINGLE_INTENTS | {
    "change",
    "compare",
    "pct",
    "every_year",
    "yoy",
    "rank",
    "rank_asc",
    "which",
}


def wants_years(ctx: Context) -> bool:
    """One agency, several years: 2020年和2021年, 同比, 比去年, 历年, 增长了多少."""
    flags = ctx.reading.flags()
    if "every_year" in flags or "yoy" in flags:
        return True
    named = [y for y in when.years(ctx) if y.year is not None]
    tentative = figure_match(ctx, ("2019", "2021"))
    entry = ctx.entry or tentative.entry
    if entry is not None and entry.kind == "fact":
        return False
    if len(named) >= 2:
        return not (entry is not None and entry.row in CARRY)
    if "compare" in flags and not against_agency(ctx) and not defined_aside(ctx) and compares_years(ctx):
        return True
    if "change" in flags:
        # 增加了几项 of a 2019 table 二 row is its 本年增/减 column, not a change across years.
        return not (tentative.status == "answer" and entry is not None and "col:change" in entry.accepts)
    return False


@dataclass
class Point:
    agency: AgencyRow
    report: ReportRef
    value: float | None
    sources: list[dict[str, Any]]
    blank: int = 0
    missing: str | None = None  # why there is no value


def _percent_wanted(ctx: Context) -> bool:
    flags = ctx.reading.flags()
    return "pct" in flags or any(t.text in ("%", "percent", "percentage") for t in ctx.reading.tokens)


async def _point(ctx: Context, agency: AgencyRow, report: ReportRef, entry: Entry) -> Point:
    reader = ReportReader(ctx.session, agency, report)
    if entry.kind == "rate":
        result, sources = await rate_of(reader, entry)
        why = (
            None
            if result.percent is not None
            else ctx.tr("分母为 0 或表格缺失", "zero denominator or missing table")
        )
        return Point(agency, report, result.percent, sources, len(result.blank), why)
    figure, _ = await read_entry(ctx, reader, entry)
    if figure is None:
        why = ctx.tr(
            f"{template_of(report)} 年版格式没有这一项",
            f"the {template_of(report)} format has no such figure",
        )
        return Point(agency, report, None, [], missing=why)
    why = None if figure.value is not None else ctx.tr(f"缺少表{entry.table}", f"table {entry.table} missing")
    return Point(agency, report, figure.value, figure.sources, figure.blank, why)


def _entry(ctx: Context, versions: tuple[str, ...]) -> tuple[Entry | None, Match]:
    if ctx.entry is not None:
        return ctx.entry, Match("answer")
    from core.qa.match import match

    found = match(concept_tokens(ctx, COMPARE_INTENTS), versions=versions, kinds=("cell", "group", "rate"))
    return found.entry, found


def _unit(entry: Entry, lang: str) -> str | None:
    if entry.kind == "rate":
        return "个百分点" if lang == "zh" else "percentage points"
    return entry.unit


def _change(
    ctx: Context, entry: Entry, a: Point, b: Point, label_a: str, label_b: str
) -> tuple[float | None, str]:
    """b − a (or the percent change) and the sentence saying it."""
    assert a.value is not None and b.value is not None
    diff = plain(b.value - a.value)
    unit = entry.unit if entry.kind != "rate" else None
    if _percent_wanted(ctx) and entry.kind != "rate":
        if not a.value:
            return None, ctx.tr(
                f"{label_a}为 0，无法计算增长百分比。", f"{label_a} is 0: no percentage change."
            )
        pct = round((b.value - a.value) / a.value * 100, 1)
        return pct, ctx.tr(
            f"{label_b}比{label_a}{'增长' if pct >= 0 else '下降'} {percent_text(abs(pct))}（{number(a.value)} → {number(b.value)}，差值 {number(diff)}）。",
            f"{label_b} vs {label_a}: {pct:+.1f}% ({number(a.value)} → {number(b.value)}, difference {number(diff)}).",
        )
    if entry.kind == "rate":
        return diff, ctx.tr(
            f"{label_b}比{label_a}{'高' if diff >= 0 else '低'} {number(abs(diff))} 个百分点（{percent_text(a.value)} → {percent_text(b.value)}）。",
            f"{label_b} vs {label_a}: {diff:+.1f} percentage points ({percent_text(a.value)} → {percent_text(b.value)}).",
        )
    pct_text = f"，{(b.value - a.value) / a.value * 100:+.1f}%" if a.value else ""
    word = "多" if diff > 0 else "少" if diff < 0 else ""
    if not word:
        return diff, ctx.tr(
            f"两者相同（{amount(a.value, unit, 'zh')}）。",
            f"Both are the same ({amount(a.value, unit, 'en')}).",
        )
    return diff, ctx.tr(
        f"{label_b}比{label_a}{word} {amount(abs(diff), unit, 'zh')}（差值 {number(diff)}{pct_text}）。",
        f"{label_b} has {amount(abs(diff), unit, 'en')} {'more' if diff > 0 else 'fewer'} than {label_a} "
        f"(difference {number(diff)}{pct_text.replace('，', ', ')}).",
    )


def _shown(ctx: Context, entry: Entry, p: Point) -> str:
    if p.value is None:
        return ctx.tr(f"无（{p.missing}）", f"none ({p.missing})")
    return percent_text(p.value) if entry.kind == "rate" else amount(p.value, entry.unit, ctx.lang)


def _items(points: list[Point]) -> list[dict[str, Any]]:
    return [
        {"agency": p.agency.short_name, "agency_name": p.agency.name, "year": p.report.year, "value": p.value}
        for p in points
    ]


async def years(ctx: Context) -> Answer:
    if ctx.entry is None and (odd := stray(ctx, COMPARE_INTENTS)):
        return await not_recorded(ctx, odd)
    named = next(n for n in ctx.agencies if n.row is not None)
    agency = named.row
    assert agency is not None
    ctx.understood[:0] = ctx.agency_notes()
    reports = await queries.agency_reports(ctx.session, agency.id)
    by_year = {r.year: r for r in reports}
    named = [y for y in when.years(ctx) if y.year is not None]
    asked = [y.year for y in named if y.year is not None]
    if "every_year" in ctx.reading.flags() and len(asked) < 2:
        chosen = [r.year for r in reports]
    elif len(named) == 1 and named[0].relation == "base" and reports and reports[-1].year > asked[0]:
        chosen = [asked[0], reports[-1].year]  # 比前年多了多少: the latest report against the year named
        ctx.understood.append(
            ctx.tr(
                f"（按已存最新的 {chosen[1]} 年度与 {chosen[0]} 年度对比）",
                f"({chosen[1]}, the latest stored, against {chosen[0]})",
            )
        )
    elif len(asked) >= 2:
        chosen = [min(asked), max(asked)]
    else:
        last = asked[0] if asked else (reports[-1].year if reports else None)
        chosen = [last - 1, last] if last is not None else []
        if not asked and last is not None:
            ctx.understood.append(
                ctx.tr(
                    f"（未指定年度，按已存最新的 {last} 年度与上一年对比）",
                    f"(no year given: {last} against the year before)",
                )
            )
    missing = [y for y in chosen if y not in by_year]
    if missing and (ask := when.not_out_yet(ctx, max(chosen), reports[-1].year if reports else None)):
        return ask
    if missing or len(chosen) < 2:
        return ctx.refuse(
            [
                ctx.tr(
                    f"{agency.short_name} 没有 {'、'.join(map(str, missing))} 年度的报告，无法对比（已存：{stored_years(reports) or '无'} 年度）。"
                    if missing else f"{agency.short_name} 只有 {stored_years(reports)} 年度的报告，无法按年份对比。",
                    f"No {', '.join(map(str, missing))} report of {agency.name} is stored (stored: {stored_years(reports) or 'none'})."
                    if missing else f"Only {stored_years(reports)} of {agency.name} is stored; nothing to compare across years.",
                )
            ]
        )  # fmt: skip
    chosen_reports = [by_year[y] for y in chosen]
    versions = tuple({template_of(r) for r in chosen_reports})
    entry, found = _entry(ctx, versions)
    if entry is None:
        return not_understood(ctx, found)
    restate(ctx, entry)
    points = [await _point(ctx, agency, r, entry) for r in chosen_reports]
    lines = [f"{agency.short_name} {ctx.quote(entry.name(ctx.lang))}" + ctx.tr("历年对比：", " by year:")]
    lines += [f"· {p.report.year}{ctx.colon}{_shown(ctx, entry, p)}" for p in points]
    sources = [s for p in points for s in p.sources]
    if (over := _over_years(ctx, entry, lines, points, sources)) is not None:
        return over
    first, last = points[0], points[-1]
    if first.value is None or last.value is None:
        return ctx.refuse(
            [*lines, ctx.tr("缺少数字，无法计算变化。", "A figure is missing: no change can be computed.")]
        )
    value, said = _change(ctx, entry, first, last, str(first.report.year), str(last.report.year))
    lines.append(said)
    lines += blank_note(ctx, [])
    if not _CHANGE_WANTED & ctx.reading.flags() and not _ARROW.search(ctx.reading.text):
        # 20年和21年各收到多少: the figures of the years named, no change asked (it is said, not the value)
        return ctx.reply(
            lines, kind="list", value=None, unit=_unit(entry, ctx.lang), sources=sources, items=_items(points)
        )
    if value is None:
        return ctx.refuse(lines)
    unit = "%" if _percent_wanted(ctx) and entry.kind != "rate" else _unit(entry, ctx.lang)
    return ctx.reply(lines, kind="compare", value=value, unit=unit, sources=sources, items=_items(points))


def _over_years(
    ctx: Context, entry: Entry, lines: list[str], points: list[Point], sources: list[dict[str, Any]]
) -> Answer | None:
    """Every year at once: 历年加起来一共 (the sum), 哪年最多 / highest yearly number (the best year), in every
    year? (yes or no); None for a change between years."""
    flags = ctx.reading.flags()
    values = [p.value for p in points]
    if "every_year" not in flags or len(points) < 2 or entry.kind == "rate" and "sum" in flags:
        return None
    if None in values:
        if flags & {"sum", "rank", "rank_asc"} or ctx.reading.yes_no:
            return ctx.refuse([*lines, ctx.tr("有年度缺少这个数字。", "A year lacks the figure.")])
        return None
    unit = _unit(entry, ctx.lang)
    known = [v for v in values if v is not None]
    if "sum" in flags:
        total = sum(known)
        lines.append(
            ctx.tr(
                f"历年合计：{amount(total, unit, ctx.lang)}",
                f"All years together: {amount(total, unit, ctx.lang)}",
            )
        )
        return ctx.reply(lines, kind="sum", value=total, unit=unit, sources=sources, items=_items(points))
    if flags & {"rank", "rank_asc"}:
        best = (min if "rank_asc" in flags else max)(known)
        years = "、".join(str(p.report.year) for p in points if p.value == best)
        lines.append(ctx.tr(f"{'最少' if 'rank_asc' in flags else '最多'}的是 {years} 年：{amount(best, unit, ctx.lang)}",
                            f"{'Lowest' if 'rank_asc' in flags else 'Highest'}: {years}, {amount(best, unit, ctx.lang)}"))  # fmt: skip
        return ctx.reply(lines, kind="rank", value=best, unit=unit, sources=sources, items=_items(points))
    if ctx.reading.yes_no:
        every = all(v > 0 for v in known)  # 每年都被起诉过吗
        lines.append(
            ctx.tr(
                "每年都有。" if every else "不是每年都有。",
                "Yes, every year." if every else "Not every year.",
            )
        )
        return ctx.reply(lines, kind="bool", value=every, sources=sources, items=_items(points))
    return None


# Words that ask for a change between years (a trend over all years is one too).
_CHANGE_WANTED = frozenset({"change", "compare", "yoy", "pct", "every_year", "rank", "rank_asc"})
_ARROW = re.compile(r"→|->|➡|⇒|=>")  # 2020 → 2021


def _years_of(ctx: Context) -> list[int | None]:
    return [y.year for y in when.years(ctx)]


async def agencies(ctx: Context) -> Answer:
    """Two or more agencies, one figure: each agency's report of the year named, else its latest."""
    if ctx.entry is None and (odd := stray(ctx, COMPARE_INTENTS)):
        return await not_recorded(ctx, odd)
    rows = [n.row for n in ctx.agencies if n.row is not None]
    ctx.understood[:0] = ctx.agency_notes()
    asked = [y for y in _years_of(ctx) if y is not None]
    picked: list[ReportRef] = []
    for agency in rows:
        reports = await queries.agency_reports(ctx.session, agency.id)
        if asked:
            match = [r for r in reports if r.year == asked[-1]]
            if not match:
                return ctx.refuse(
                    [ctx.tr(f"{agency.short_name} 没有 {asked[-1]} 年度的报告（已存：{stored_years(reports) or '无'}）。",
                            f"No {asked[-1]} report of {agency.name} is stored (stored: {stored_years(reports) or 'none'}).")]
                )  # fmt: skip
            picked.append(match[0])
        elif reports:
            picked.append(reports[-1])
        else:
            return ctx.refuse(
                [ctx.tr(f"{agency.short_name} 没有已存的报告。", f"No report of {agency.name} is stored.")]
            )
    if not asked:
        ctx.understood.append(
            ctx.tr("（未指定年度，各按已存最新的报告）", "(no year given: each agency's latest report)")
        )
    entry, found = _entry(ctx, tuple({template_of(r) for r in picked}))
    if entry is None and not names_figure(concept_tokens(ctx, COMPARE_INTENTS)):
        entry = by_id("breakdown.overview")  # 比较白鹤街道和瞻岐镇: their key figures side by side
    if entry is None:
        return not_understood(ctx, found)
    if entry.kind == "breakdown":
        return await _side_by_side(ctx, entry, rows, picked)
    restate(ctx, entry)
    points = [await _point(ctx, a, r, entry) for a, r in zip(rows, picked, strict=True)]
    lines = [ctx.tr("对比", "Comparison of ") + ctx.quote(entry.name(ctx.lang)) + ctx.colon]
    lines += [f"· {p.agency.short_name}（{p.report.year}）{ctx.colon}{_shown(ctx, entry, p)}" for p in points]
    sources = [s for p in points for s in p.sources]
    if len(points) != 2 or points[0].value is None or points[1].value is None:
        if any(p.value is None for p in points):
            return ctx.refuse(
                [*lines, ctx.tr("缺少数字，无法比较。", "A figure is missing: nothing to compare.")]
            )
        return ctx.reply(lines, kind="compare", value=None, sources=sources, items=_items(points))
    a, b = points
    flags = ctx.reading.flags()
    if "sum" in flags and not flags & {"compare", "change"} and entry.kind != "rate":
        # 鹿城区和瓯海区一共, combined: the two figures added, not compared
        total, unit = a.value + b.value, _unit(entry, ctx.lang)
        lines[0] = ctx.tr("合计", "Total of ") + ctx.quote(entry.name(ctx.lang)) + ctx.colon
        lines.append(
            ctx.tr(f"合计：{amount(total, unit, ctx.lang)}", f"Together: {amount(total, unit, ctx.lang)}")
        )
        return ctx.reply(lines, kind="sum", value=total, unit=unit, sources=sources, items=_items(points))
    value, said = _change(ctx, entry, b, a, b.agency.short_name, a.agency.short_name)
    lines.append(said)
    if value is None:
        return ctx.refuse(lines)
    unit = "%" if _percent_wanted(ctx) and entry.kind != "rate" else _unit(entry, ctx.lang)
    return ctx.reply(lines, kind="compare", value=value, unit=unit, sources=sources, items=_items(points))


async def _side_by_side(ctx: Context, entry: Entry, rows: list[AgencyRow], picked: list[ReportRef]) -> Answer:
    """A breakdown (the key figures) of several agencies, part by part."""
    lines = [ctx.tr("对比", "Comparison of ") + ctx.quote(entry.name(ctx.lang)) + ctx.colon]
    columns = []
    for agency, report in zip(rows, picked, strict=True):
        reader = ReportReader(ctx.session, agency, report)
        parts = breakdown_parts(ctx, entry, reader.version)
        columns.append((agency, report, [await reader.figure(keys, zh, en) for zh, en, keys in parts]))
    items: list[dict[str, Any]] = []
    for i, part in enumerate(columns[0][2]):
        cells = []
        for agency, report, figures in columns:
            f = figures[i] if i < len(figures) else None
            shown = amount(f.value, f.unit, ctx.lang) if f is not None and f.value is not None else "—"
            if f is not None and f.origin == "prose":
                shown += ctx.tr("（取自正文）", " (from the text)")
            cells.append(f"{agency.short_name} {shown}")
            items.append({"agency": agency.short_name, "agency_name": agency.name, "year": report.year,
                          "label": part.name(ctx.lang), "value": f.value if f is not None else None})  # fmt: skip
        lines.append(f"· {part.name(ctx.lang)}{ctx.colon}" + " ｜ ".join(cells))
    sources = [s for _, _, figures in columns for f in figures for s in f.sources]
    return ctx.reply(lines, kind="compare", value=None, sources=sources, items=items)

"""Answers across agencies: rankings, sums, averages, counts, filtered lists, and which agencies are stored.

One year at a time (the year asked, else the latest stored year, said in the answer). Reports without the
measure's table contribute the figure their prose states, marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.qa import queries
from core.qa.figures import ReportReader, cell_source, table_of, unit_of
from core.qa.metrics import Item, Measure
from core.qa.parse import Condition
from core.qa.queries import AgencyRow, ReportRef
from core.qa.reply import Answer, Context, measure_for
from core.qa.wording import MAX_LIST_LINES, amount, number, plain
from core.storage.agencies import split_units
from core.templates.national import template_for_year
from core.textnorm import squash
from core.tiers import classify as classify_tier

SOURCE_LIMIT = 50


@dataclass
class Entry:
    agency_id: int
    report_id: int
    value: float
    prose: dict[str, Any] | None = None  # the prose source when the figure comes from the text


# Kinds of agency as name patterns (SQL LIKE): include any of, exclude all of.
KIND_PATTERNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "街道": (("%街道%",), ()),
    "镇": (("%镇%",), ("%街道%",)),
    "乡": (("%乡", "%乡人民政府", "%乡政府"), ("%街道%",)),
    "乡镇": (("%镇%", "%乡", "%乡人民政府", "%乡政府"), ("%街道%",)),
}


async def _scope(ctx: Context) -> tuple[queries.Agencies, str, Answer | None]:
    """The agencies the question is limited to (None: all) and how to say it."""
    region = ctx.q.region
    if region is None:
        return None, ctx.tr("所有单位", "all agencies"), None
    units, rest = split_units(squash(region.text))
    place = units[-1] if units else rest
    include, exclude = KIND_PATTERNS.get(region.kind, ((), ()))
    scope: queries.Agencies = queries.agencies_in(place, include, exclude)
    if region.kind == "部门":  # a tier, not a name pattern (core.tiers)
        rows = await queries.agency_rows(ctx.session, queries.agencies_in(place))
        scope = [a.id for a in rows if classify_tier(a.name) == "department"]
    said = f"{region.text}{ctx.tr('各', ' ')}{region.kind}".strip()
    found = len(scope) if isinstance(scope, list) else await queries.count_of(ctx.session, scope)
    if not found:
        return (
            None,
            said,
            ctx.reply(
                [
                    ctx.tr(
                        f"没有找到{region.text}的{region.kind}的报告。",
                        f"No stored {region.kind} in {region.text}.",
                    )
                ]
            ),
        )
    return scope, said, None


async def _year(ctx: Context, ids: queries.Agencies) -> tuple[int | None, list[str]]:
    if ctx.q.years:
        return ctx.q.years[0], []
    latest = await queries.latest_year(ctx.session, ids)
    if latest is None:
        return None, []
    year = latest + ctx.q.year_offset
    if ctx.q.year_word:
        return year, [
            ctx.tr(
                f"“{ctx.q.year_word}”按已存报告的 {year} 年度理解。", f"'{ctx.q.year_word}' read as {year}."
            )
        ]
    return year, [
        ctx.tr(
            f"未指定年度，按已存最新的 {year} 年度报告统计。",
            f"No year given: the latest stored year, {year}.",
        )
    ]


def _one_item(ctx: Context, measure: Measure) -> tuple[Item, list[str]]:
    """Rankings and sums need one figure per report: a breakdown is ranked by its first item (said)."""
    if measure.combine == "single":
        return measure.items[0], []
    if measure.combine == "sum":
        return Item(measure.zh, measure.en, measure.keys), []
    item = measure.items[0]
    note = ctx.tr(
        f"「{measure.zh}」是一组数字，这里按其中「{item.zh}」计算。",
        f"'{measure.en}' is a breakdown; computed on its first item, '{item.en}'.",
    )
    return Item(f"{measure.zh}（{item.zh}）", f"{measure.en} ({item.en})", item.keys), [note]


def _passes(value: float, condition: Condition | None) -> bool:
    if condition is None:
        return True
    n = condition.value
    return {"=": value == n, ">": value > n, ">=": value >= n, "<": value < n, "<=": value <= n}[condition.op]


async def _prose_entries(
    ctx: Context, item: Item, year: int, ids: queries.Agencies, condition: Condition | None
) -> list[Entry]:
    """Figures stated in the text of reports that lack the measure's table (seed 002: no table 三)."""
    table = table_of(item.keys)
    if table is None:
        return []
    missing = await queries.reports_missing_table(ctx.session, table, year, ids)
    names = await queries.agencies(ctx.session, [r.agency_id for r in missing])
    entries = []
    measure = Measure(item.zh, item.en, (item,), "single")
    for report in missing:
        figures = await ReportReader(ctx.session, names[report.agency_id], report).read(measure)
        f = figures[0]
        if f.origin == "prose" and f.value is not None and _passes(float(f.value), condition):
            entries.append(Entry(report.agency_id, report.id, float(f.value), f.sources[0]))
    return entries


def _merge(sql: list[queries.Ranked], prose: list[Entry], ascending: bool) -> list[Entry]:
    entries = [Entry(r.agency_id, r.report_id, r.value) for r in sql]
    for extra in prose:
        at = next(
            (
                i
                for i, e in enumerate(entries)
                if (extra.value < e.value if ascending else extra.value > e.value)
            ),
            len(entries),
        )
        entries.insert(at, extra)
    return entries


async def _sources(
    ctx: Context, entries: list[Entry], item: Item, year: int
) -> tuple[list[dict[str, Any]], dict[int, AgencyRow]]:
    names = await queries.agencies(ctx.session, [e.agency_id for e in entries])
    report_ids = [e.report_id for e in entries if e.prose is None]
    found = await queries.cells(ctx.session, report_ids, item.keys)
    open_findings = await queries.findings(ctx.session, report_ids)
    sources: list[dict[str, Any]] = []
    for e in entries:
        if e.prose is not None:
            sources.append(e.prose)
            continue
        report = ReportRef(e.report_id, e.agency_id, year, None, ())
        for key in item.keys:
            cell = found.get((e.report_id, key))
            if cell is not None:
                sources.append(
                    cell_source(names[e.agency_id], report, cell, open_findings.get(e.report_id, []))
                )
    return sources, names


def _entry_line(ctx: Context, rank: int | None, name: str, e: Entry, unit: str) -> str:
    origin = ctx.tr("（取自正文）", " (from the text)") if e.prose else ""
    head = f"{rank}. " if rank is not None else "· "
    return f"{head}{name}{ctx.colon}{amount(plain(e.value), unit, ctx.lang)}{origin}"


def _prose_note(ctx: Context, entries: list[Entry]) -> list[str]:
    if not any(e.prose for e in entries):
        return []
    return [
        ctx.tr(
            "说明：标注“取自正文”的单位报告缺少相应表格，数字取自报告正文。",
            "Note: figures marked 'from the text' come from reports whose table is missing.",
        )
    ]


async def _prepare(ctx: Context) -> tuple[Item, int, queries.Agencies, str, list[str], str] | Answer:
    """Scope, year and the one figure per report an aggregate needs."""
    ids, scope, problem = await _scope(ctx)
    if problem:
        return problem
    year, notes = await _year(ctx, ids)
    if year is None:
        return ctx.reply([ctx.tr("数据库里还没有报告。", "No reports are stored yet.")])
    measure = measure_for(ctx.q, template_for_year(year).version, default="apply_summary")
    if measure is None:
        asked = "、".join(ctx.q.metric.terms)
        return ctx.reply(
            [
                ctx.tr(
                    f"{year} 年的报告格式没有“{asked}”这一项。", f"The {year} report format has no '{asked}'."
                )
            ]
        )
    item, item_notes = _one_item(ctx, measure)
    return item, year, ids, scope, [*notes, *measure.notes(ctx.lang), *item_notes], unit_of(item.keys)


async def rank(ctx: Context) -> Answer:
    if ctx.q.metric.empty:
        return ctx.reply(
            [
                ctx.tr("请说明按哪一项排名，例如：", "Rank by which figure? For example:"),
                ctx.tr("· 哪个单位收到的申请最多", "· top 3 by 行政处罚"),
            ]
        )
    prepared = await _prepare(ctx)
    if isinstance(prepared, Answer):
        return prepared
    item, year, ids, scope, notes, unit = prepared
    limit = ctx.q.limit or (1 if ctx.q.superlative else 10)
    asc = ctx.q.ascending
    sql = await queries.ranked(ctx.session, item.keys, year, ids, ascending=asc, limit=limit + 5)
    entries = _merge(sql, await _prose_entries(ctx, item, year, ids, None), asc)
    if not entries:
        return ctx.reply(
            [ctx.tr(f"{year} 年没有单位填报「{item.zh}」。", f"No agency reports '{item.en}' for {year}.")]
        )
    top = entries[:limit]
    tied = [e for e in entries[limit:] if e.value == top[-1].value]
    sources, names = await _sources(ctx, top + tied, item, year)
    best = top[0]
    name = item.name(ctx.lang)
    if limit == 1:
        word = ctx.tr("最少" if asc else "最多", "fewest" if asc else "most")
        lines = [
            ctx.tr(
                f"{year} 年{scope}中「{name}」{word}的是 {names[best.agency_id].short_name}：{amount(plain(best.value), unit, ctx.lang)}"
                + ("（取自正文）" if best.prose else "")
                + "。",
                f"In {year}, {names[best.agency_id].short_name} has the {word} '{name}' among {scope}: "
                f"{amount(plain(best.value), unit, ctx.lang)}"
                + (" (from the text)" if best.prose else "")
                + ".",
            )
        ]
    else:
        order = ctx.tr("后" if asc else "前", "Bottom" if asc else "Top")
        lines = [
            ctx.tr(
                f"{year} 年{scope}「{name}」{order} {len(top)} 名：",
                f"{order} {len(top)} by '{name}' in {year} ({scope}):",
            )
        ]
        lines += [_entry_line(ctx, i + 1, names[e.agency_id].short_name, e, unit) for i, e in enumerate(top)]
    if tied:
        lines.append(ctx.tr("并列：", "Tied: ") + "、".join(names[e.agency_id].short_name for e in tied))
    return ctx.reply(
        [*lines, *notes, *_prose_note(ctx, top)], value=plain(best.value), unit=unit, sources=sources
    )


async def total(ctx: Context) -> Answer:
    """Sum or average over the scope."""
    prepared = await _prepare(ctx)
    if isinstance(prepared, Answer):
        return prepared
    item, year, ids, scope, notes, unit = prepared
    sums = await queries.totals(ctx.session, item.keys, year, ids)
    prose = await _prose_entries(ctx, item, year, ids, None)
    grand = sums.total + sum(e.value for e in prose)
    count = sums.count + len(prose)
    listed = _merge(await queries.ranked(ctx.session, item.keys, year, ids, limit=SOURCE_LIMIT), prose, False)
    sources, _ = await _sources(ctx, listed, item, year)
    name = item.name(ctx.lang)
    if count == 0:
        return ctx.reply(
            [ctx.tr(f"{year} 年{scope}没有填报「{name}」。", f"No agency reports '{name}' for {year}.")]
        )
    if ctx.kind == "average":
        mean = plain(round(grand / count, 2))
        lines = [
            ctx.tr(
                f"{year} 年{scope}「{name}」平均每个单位 {amount(mean, unit, ctx.lang)}（{count} 个单位，合计 {number(grand)}）。",
                f"In {year}, the average '{name}' per agency ({scope}) is {amount(mean, unit, ctx.lang)} "
                f"({count} agencies, {number(grand)} in all).",
            )
        ]
        result = mean
    else:
        result = plain(grand)
        lines = [
            ctx.tr(
                f"{year} 年{scope}「{name}」合计 {amount(result, unit, ctx.lang)}（{count} 个单位有数据）。",
                f"In {year}, '{name}' adds up to {amount(result, unit, ctx.lang)} over {scope} ({count} agencies with a figure).",
            )
        ]
    return ctx.reply(
        [*lines, *notes, *_prose_note(ctx, prose)],
        value=result,
        unit=unit,
        sources=sources,
        total_sources=count,
    )


def _condition_text(ctx: Context, condition: Condition) -> str:
    n = number(condition.value)
    zh = {"=": f"为 {n}", ">": f"超过 {n}", ">=": f"不少于 {n}", "<": f"少于 {n}", "<=": f"不超过 {n}"}
    en = {
        "=": f"equal to {n}",
        ">": f"over {n}",
        ">=": f"at least {n}",
        "<": f"under {n}",
        "<=": f"at most {n}",
    }
    return ctx.tr(zh[condition.op], en[condition.op])


async def count(ctx: Context) -> Answer:
    if ctx.q.metric.empty and ctx.q.condition is None:
        return await agencies(ctx)
    condition = ctx.q.condition or Condition(">", 0)  # 有几个单位收到申请: a figure above zero
    prepared = await _prepare(ctx)
    if isinstance(prepared, Answer):
        return prepared
    item, year, ids, scope, notes, unit = prepared
    matching = await queries.totals(ctx.session, item.keys, year, ids, condition)
    prose = await _prose_entries(ctx, item, year, ids, condition)
    n = matching.count + len(prose)
    listed = _merge(
        await queries.ranked(ctx.session, item.keys, year, ids, limit=SOURCE_LIMIT, condition=condition),
        prose,
        False,
    )
    sources, names = await _sources(ctx, listed, item, year)
    said = _condition_text(ctx, condition)
    name = item.name(ctx.lang)
    shown = [
        names[e.agency_id].short_name + (ctx.tr("（取自正文）", " (from the text)") if e.prose else "")
        for e in listed
    ]
    head = ctx.tr(
        f"{year} 年{scope}中「{name}」{said} 的单位共 {n} 个",
        f"In {year}, {n} agencies ({scope}) have '{name}' {said}",
    )
    lines = [
        head + (ctx.tr("：", ": ") + "、".join(shown[:MAX_LIST_LINES]) if shown else "") + ctx.tr("。", ".")
    ]
    if n > MAX_LIST_LINES:
        lines.append(ctx.tr(f"（仅列出前 {MAX_LIST_LINES} 个）", f"(first {MAX_LIST_LINES} listed)"))
    return ctx.reply(
        [*lines, *notes, *_prose_note(ctx, prose)],
        value=n,
        unit="个",
        sources=sources,
        total_sources=n,
    )


async def listing(ctx: Context) -> Answer:
    """Each agency's figure within a region or above a threshold ("鄞州区各街道的申请数")."""
    if ctx.q.metric.empty and ctx.q.condition is None:
        return await agencies(ctx)
    prepared = await _prepare(ctx)
    if isinstance(prepared, Answer):
        return prepared
    item, year, ids, scope, notes, unit = prepared
    condition = ctx.q.condition
    sums = await queries.totals(ctx.session, item.keys, year, ids, condition)
    prose = await _prose_entries(ctx, item, year, ids, condition)
    listed = _merge(
        await queries.ranked(ctx.session, item.keys, year, ids, limit=SOURCE_LIMIT, condition=condition),
        prose,
        False,
    )
    sources, names = await _sources(ctx, listed, item, year)
    name = item.name(ctx.lang)
    n = sums.count + len(prose)
    result = plain(sums.total + sum(e.value for e in prose))
    said = f"（{_condition_text(ctx, condition)}）" if condition else ""
    lines = [ctx.tr(f"{year} 年{scope}「{name}」{said}：", f"'{name}' in {year}, {scope}{said}:")]
    lines += [_entry_line(ctx, None, names[e.agency_id].short_name, e, unit) for e in listed[:MAX_LIST_LINES]]
    if n > MAX_LIST_LINES:
        lines.append(
            ctx.tr(
                f"……共 {n} 个单位，仅列出前 {MAX_LIST_LINES} 个",
                f"… {n} agencies, first {MAX_LIST_LINES} listed",
            )
        )
    lines.append(
        ctx.tr(
            f"合计 {amount(result, unit, ctx.lang)}（{n} 个单位）。",
            f"Total {amount(result, unit, ctx.lang)} ({n} agencies).",
        )
    )
    return ctx.reply(
        [*lines, *notes, *_prose_note(ctx, prose)], value=result, unit=unit, sources=sources, total_sources=n
    )


async def agencies(ctx: Context) -> Answer:
    """Which agencies have stored reports (in a year, in a region)."""
    ctx.kind = "agencies"  # also when reached as a list or count without a figure ("鄞州区有哪些单位")
    ids, scope, problem = await _scope(ctx)
    if problem:
        return problem
    year = ctx.q.years[0] if ctx.q.years else None
    rows, n = await queries.stored_agencies(ctx.session, year, ids)
    when = ctx.tr(f"{year} 年", f" for {year}") if year else ""
    if not rows:
        return ctx.reply(
            [ctx.tr(f"没有已存的{when}报告。", f"No reports stored{when}.")],
            value=0,
            unit="个",
        )
    lines = [
        ctx.tr(
            f"已存{when}报告的单位共 {n} 个（{scope}）：",
            f"{n} agencies have stored reports{when} ({scope}):",
        )
    ]
    for agency, years in rows[:MAX_LIST_LINES]:
        listed = "、".join(map(str, years))
        lines.append(f"· {agency.short_name}（{agency.name}）{ctx.colon}{listed}")
    if n > MAX_LIST_LINES:
        lines.append(ctx.tr(f"……仅列出前 {MAX_LIST_LINES} 个", f"… first {MAX_LIST_LINES} listed"))
    sources = [
        {"kind": "agency", "agency": a.short_name, "agency_name": a.name, "agency_id": a.id, "years": years}
        for a, years in rows
    ]
    return ctx.reply(lines, value=n, unit="个", sources=sources)

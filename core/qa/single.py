"""Answers about named agencies: one figure or breakdown, and comparisons (two agencies, or across years)."""

from __future__ import annotations

from core.qa import queries
from core.qa.figures import Figure, ReportReader
from core.qa.metrics import Measure
from core.qa.queries import AgencyRow, ReportRef
from core.qa.reply import Answer, Context, measure_for, pick_report, template_of
from core.qa.wording import amount, number, percent, plain

_NEW = "apply.new."


def _figure_text(ctx: Context, f: Figure) -> str:
    text = amount(f.value, f.unit, ctx.lang)
    if f.origin == "prose":
        return text + ctx.tr("（取自正文）", " (from the text)")
    if f.origin == "missing":
        return ctx.tr("报告中没有这一项", "not in the report")
    return text


def _origin_notes(ctx: Context, figures: list[Figure]) -> list[str]:
    notes = []
    for f in figures:
        for s in f.sources:
            if s["kind"] == "prose":
                notes.append(
                    ctx.tr(
                        f"说明：{s['agency']} {s['year']} 年报告缺少表{s['missing_table']}，数字取自正文：“{s['raw']}”。",
                        f"Note: the {s['year']} report of {s['agency']} has no table {s['missing_table']}; "
                        f'the figure comes from its text: "{s["raw"]}".',
                    )
                )
    if any(f.origin == "blank" for f in figures):
        notes.append(
            ctx.tr(
                "说明：表中该格为空（未填写），不等于 0。", "Note: the cell is blank in the table (not 0)."
            )
        )
    if any(f.origin == "missing" for f in figures):
        notes.append(
            ctx.tr(
                "说明：报告中没有找到这一项（表格缺失或未填写），正文也没有说明。",
                "Note: the report has no such figure (table missing), and its text does not state it.",
            )
        )
    return list(dict.fromkeys(notes))


async def _received_note(
    ctx: Context, reader: ReportReader, measure: Measure, new: float | int | None
) -> list[str]:
    """收到申请 means 本年新收: say so, and mention 上年结转 when it is not zero."""
    keys = measure.keys
    if measure.combine != "single" or not keys[0].startswith(_NEW):
        return []
    carried_key = "apply.carried_over." + keys[0][len(_NEW) :]
    carried = (await queries.cells(ctx.session, [reader.report.id], [carried_key])).get(
        (reader.report.id, carried_key)
    )
    note = ctx.tr(
        "说明：“收到申请”按表三“本年新收”统计",
        "Note: 'requests received' counts new requests this year (table 三)",
    )
    if carried is not None and carried.value:
        both = number((new or 0) + carried.value)
        note += ctx.tr(
            f"；另有上年结转 {number(carried.value)} 件，未计入（两项合计 {both} 件）",
            f"; another {number(carried.value)} were carried over from last year and are not included ({both} in all)",
        )
    return [note + ctx.tr("。", ".")]


async def value(ctx: Context) -> Answer:
    named = ctx.agencies[0]
    agency = named.row
    assert agency is not None
    report, year_notes, problem = await pick_report(ctx, agency)
    if problem:
        return problem
    assert report is not None
    measure = measure_for(ctx.q, template_of(report))
    if measure is None:
        return _not_in_template(ctx, agency, report)
    reader = ReportReader(ctx.session, agency, report)
    figures = await reader.read(measure)
    head = f"{agency.short_name} {report.year}" + ctx.tr(" 年", " ")
    sources = [s for f in figures for s in f.sources]
    unit = figures[0].unit
    result: int | float | None
    if measure.combine == "single":
        f = figures[0]
        result = f.value
        lines = [
            f"{head}{ctx.quote(measure.name(ctx.lang))}{ctx.colon}{_figure_text(ctx, f)}" + ctx.tr("。", ".")
        ]
    elif measure.combine == "sum":
        known = [f.value for f in figures if f.value is not None]
        result = plain(sum(known)) if known else None
        parts = ctx.tr(" + ", " + ").join(f"{f.item.name(ctx.lang)} {_figure_text(ctx, f)}" for f in figures)
        total_text = amount(result, unit, ctx.lang)
        lines = [
            f"{head}{ctx.quote(measure.name(ctx.lang))}"
            + ctx.tr(f"共 {total_text}（{parts}）。", f": {total_text} ({parts}).")
        ]
    else:
        result = None
        lines = [f"{head}{ctx.quote(measure.name(ctx.lang))}{ctx.colon}"]
        lines += [f"· {f.item.name(ctx.lang)}{ctx.colon}{_figure_text(ctx, f)}" for f in figures]
    received = await _received_note(ctx, reader, measure, result)
    notes = [*ctx.notes(), *year_notes, *measure.notes(ctx.lang), *received, *_origin_notes(ctx, figures)]
    return ctx.reply([*lines, *notes], value=result, unit=unit, sources=sources)


def _not_in_template(ctx: Context, agency: AgencyRow, report: ReportRef) -> Answer:
    asked = "、".join(ctx.q.metric.terms) or ctx.tr("这一项", "this figure")
    version = template_of(report)
    return ctx.reply(
        [
            ctx.tr(
                f"{agency.short_name} {report.year} 年报告采用 {version} 年版格式，没有“{asked}”这一项。",
                f"The {report.year} report of {agency.name} uses the {version} format, which has no '{asked}'.",
            )
        ]
    )


async def _read_for(
    ctx: Context, agency: AgencyRow, report: ReportRef
) -> tuple[Measure | None, list[Figure]]:
    measure = measure_for(ctx.q, template_of(report))
    if measure is None:
        return None, []
    return measure, await ReportReader(ctx.session, agency, report).read(measure)


def _total(measure: Measure, figures: list[Figure]) -> float | int | None:
    """The one number a figure list stands for (None for a breakdown)."""
    if measure.combine == "breakdown":
        return None
    known = [f.value for f in figures if f.value is not None]
    return plain(sum(known)) if known else None


def _difference_line(ctx: Context, a_name: str, b_name: str, a: float, b: float, unit: str | None) -> str:
    diff = a - b
    pct = percent(diff, b)
    if diff == 0:
        return ctx.tr(
            f"两者相同（{amount(a, unit, ctx.lang)}）。", f"Both are the same ({amount(a, unit, ctx.lang)})."
        )
    more = diff > 0
    pct_text = f"，{pct}" if pct else ""
    return ctx.tr(
        f"{a_name}比{b_name}{'多' if more else '少'} {amount(abs(diff), unit, ctx.lang)}（差值 {number(diff)}{pct_text}）。",
        f"{a_name} has {amount(abs(diff), unit, ctx.lang)} {'more' if more else 'fewer'} than {b_name} "
        f"(difference {number(diff)}{', ' + pct if pct else ''}).",
    )


async def compare(ctx: Context) -> Answer:
    if len(ctx.agencies) >= 2:
        return await _compare_agencies(ctx)
    return await _compare_years(ctx)


async def _compare_agencies(ctx: Context) -> Answer:
    rows: list[tuple[AgencyRow, ReportRef, Measure, list[Figure]]] = []
    notes: list[str] = []
    for named in ctx.agencies:
        agency = named.row
        assert agency is not None
        report, year_notes, problem = await pick_report(ctx, agency)
        if problem:
            return problem
        assert report is not None
        notes += year_notes
        measure, figures = await _read_for(ctx, agency, report)
        if measure is None:
            return _not_in_template(ctx, agency, report)
        rows.append((agency, report, measure, figures))
    measure = rows[0][2]
    sources = [s for *_, figures in rows for s in figures for s in s.sources]
    lines = [ctx.tr("对比", "Comparison of ") + ctx.quote(measure.name(ctx.lang)) + ctx.colon]
    result: int | float | None = None
    unit = rows[0][3][0].unit if rows[0][3] else None
    if measure.combine == "breakdown":
        for i, item in enumerate(measure.items):
            cells = [
                f"{agency.short_name} {_figure_text(ctx, figures[i])}"
                if i < len(figures)
                else agency.short_name
                for agency, _, _, figures in rows
            ]
            lines.append(f"· {item.name(ctx.lang)}{ctx.colon}" + " ｜ ".join(cells))
    else:
        totals = [_total(m, figures) for _, _, m, figures in rows]
        for (agency, report, _, figures), total in zip(rows, totals, strict=True):
            shown = (
                amount(total, unit, ctx.lang)
                if figures[0].origin != "missing"
                else _figure_text(ctx, figures[0])
            )
            origin = (
                ctx.tr("（取自正文）", " (from the text)")
                if any(f.origin == "prose" for f in figures)
                else ""
            )
            lines.append(f"· {agency.short_name}（{report.year}）{ctx.colon}{shown}{origin}")
        if len(rows) == 2 and totals[0] is not None and totals[1] is not None:
            result = plain(totals[0] - totals[1])
            lines.append(
                _difference_line(
                    ctx, rows[0][0].short_name, rows[1][0].short_name, totals[0], totals[1], unit
                )
            )
    all_figures = [f for *_, figures in rows for f in figures]
    notes = [*ctx.notes(), *dict.fromkeys(notes), *measure.notes(ctx.lang), *_origin_notes(ctx, all_figures)]
    return ctx.reply([*lines, *notes], value=result, unit=unit, sources=sources)


async def _compare_years(ctx: Context) -> Answer:
    named = ctx.agencies[0]
    agency = named.row
    assert agency is not None
    reports = await queries.agency_reports(ctx.session, agency.id)
    q = ctx.q
    if q.years and len(q.years) >= 2:
        chosen = [r for r in reports if r.year in q.years]
        missing = [y for y in q.years if y not in {r.year for r in chosen}]
        if missing:
            stored = "、".join(str(r.year) for r in reports) or ctx.tr("无", "none")
            return ctx.reply(
                [
                    ctx.tr(
                        f"{agency.short_name} 没有 {'、'.join(map(str, missing))} 年度的报告（已存：{stored}）。",
                        f"No {', '.join(map(str, missing))} report of {agency.name} is stored (stored: {stored}).",
                    )
                ]
            )
    elif q.every_year:
        chosen = reports
    else:
        chosen = reports[-2:]
    if len(chosen) < 2:
        stored = "、".join(str(r.year) for r in reports) or ctx.tr("无", "none")
        return ctx.reply(
            [
                ctx.tr(
                    f"{agency.short_name} 只有 {stored} 年度的报告，无法按年份对比。",
                    f"Only {stored} of {agency.name} is stored; there is nothing to compare across years.",
                )
            ]
        )
    series: list[tuple[ReportRef, Measure, list[Figure]]] = []
    for report in chosen:
        measure, figures = await _read_for(ctx, agency, report)
        if measure is None:
            return _not_in_template(ctx, agency, report)
        series.append((report, measure, figures))
    measure = series[-1][1]
    unit = series[-1][2][0].unit
    lines = [f"{agency.short_name} {ctx.quote(measure.name(ctx.lang))}" + ctx.tr("历年对比：", " by year:")]
    result: int | float | None = None
    if measure.combine == "breakdown":
        for i, item in enumerate(measure.items):
            cells = [f"{r.year} {_figure_text(ctx, figs[i])}" for r, _, figs in series if i < len(figs)]
            lines.append(f"· {item.name(ctx.lang)}{ctx.colon}" + " ｜ ".join(cells))
    else:
        totals = [_total(m, figs) for _, m, figs in series]
        for (report, _, figs), total in zip(series, totals, strict=True):
            origin = (
                ctx.tr("（取自正文）", " (from the text)") if any(f.origin == "prose" for f in figs) else ""
            )
            lines.append(f"· {report.year}{ctx.colon}{amount(total, unit, ctx.lang)}{origin}")
        first, last = totals[0], totals[-1]
        if first is not None and last is not None:
            result = plain(last - first)
            lines.append(
                _difference_line(ctx, str(series[-1][0].year), str(series[0][0].year), last, first, unit)
            )
    sources = [s for _, _, figs in series for f in figs for s in f.sources]
    all_figures = [f for _, _, figs in series for f in figs]
    notes = [*ctx.notes(), *measure.notes(ctx.lang), *_origin_notes(ctx, all_figures)]
    return ctx.reply([*lines, *notes], value=result, unit=unit, sources=sources)

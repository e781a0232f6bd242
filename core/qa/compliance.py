"""Compliance answers from the stored findings: one report's problems, inconsistent tables, missing tables."""

from __future__ import annotations

from typing import Any

from core.qa import queries
from core.qa.queries import MISSING_TABLE_CODE, AgencyRow, FindingRow, ReportRef
from core.qa.reply import Answer, Context, pick_report
from core.qa.wording import MAX_LIST_LINES

TABLE_AREAS = ("table2.", "table3.", "table4.")
_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _finding_source(agency: AgencyRow, report: ReportRef, f: FindingRow) -> dict[str, Any]:
    return {
        "kind": "finding",
        "agency": agency.short_name,
        "agency_name": agency.name,
        "agency_id": agency.id,
        "year": report.year,
        "report_id": report.id,
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "cells": list(f.cells),
    }


def _about_table(f: FindingRow, table: str) -> bool:
    """A missing-table finding about ``table`` (its details name the table; older ones only say it)."""
    if f.code != MISSING_TABLE_CODE:
        return False
    named = f.details.get("table")
    return named == table if named else f"表{table}" in f.message


async def answer(ctx: Context) -> Answer:
    scope = ctx.q.compliance
    if scope == "missing_table":
        return await _missing_table(ctx)
    if scope == "tables":
        return await _reports_with(ctx, TABLE_AREAS)
    if ctx.agencies:
        return await _one_report(ctx)
    return await _reports_with(ctx, ())


async def _one_report(ctx: Context) -> Answer:
    agency = ctx.agencies[0].row
    assert agency is not None
    report, notes, problem = await pick_report(ctx, agency)
    if problem:
        return problem
    assert report is not None
    found = (await queries.findings(ctx.session, [report.id])).get(report.id, [])
    by = {s: [f for f in found if f.severity == s] for s in ("error", "warning", "info")}
    serious = by["error"] + by["warning"]
    head = f"{agency.short_name} {report.year}" + ctx.tr(" 年报告", " report")
    if not serious:
        lines = [ctx.tr(f"{head}没有发现错误或警告", f"{head}: no errors or warnings")]
        if by["info"]:
            lines[0] += ctx.tr(f"（另有 {len(by['info'])} 条提示）", f" ({len(by['info'])} notes)")
        lines[0] += ctx.tr("。", ".")
    else:
        lines = [
            ctx.tr(
                f"{head}发现 {len(by['error'])} 个错误、{len(by['warning'])} 个警告、{len(by['info'])} 条提示：",
                f"{head}: {len(by['error'])} errors, {len(by['warning'])} warnings, {len(by['info'])} notes:",
            )
        ]
        for f in serious[:MAX_LIST_LINES]:
            label = _SEVERITY_ZH[f.severity] if ctx.lang == "zh" else f.severity
            lines.append(f"· [{label}] {f.code}{ctx.colon}{f.message}")
    sources = [_finding_source(agency, report, f) for f in found]
    return ctx.reply([*lines, *ctx.notes(), *notes], value=len(serious), unit="个", sources=sources)


async def _reports_with(ctx: Context, prefixes: tuple[str, ...]) -> Answer:
    """Reports with errors (in the tables' identities when ``prefixes`` name the table areas)."""
    year = ctx.q.years[0] if ctx.q.years else None
    reports, n = await queries.reports_with_findings(ctx.session, prefixes=prefixes, year=year)
    names = await queries.agencies(ctx.session, [r.agency_id for r in reports])
    found = await queries.findings(ctx.session, [r.id for r in reports])
    what = (
        ctx.tr("表格数字不一致（勾稽关系错误）", "inconsistent tables")
        if prefixes
        else ctx.tr("错误", "errors")
    )
    when = ctx.tr(f"{year} 年", f" for {year}") if year else ""
    if not n:
        return ctx.reply(
            [ctx.tr(f"已存{when}报告中没有发现{what}。", f"No stored report{when} has {what}.")],
            value=0,
            unit="份",
        )
    lines = [ctx.tr(f"已存{when}报告中有 {n} 份存在{what}：", f"{n} stored reports{when} have {what}:")]
    sources = []
    for report in reports:
        agency = names[report.agency_id]
        relevant = [
            f
            for f in found.get(report.id, [])
            if f.severity == "error" and (not prefixes or f.code.startswith(prefixes))
        ]
        sources += [_finding_source(agency, report, f) for f in relevant]
        if len(lines) <= MAX_LIST_LINES:
            first = relevant[0] if relevant else None
            more = (
                ctx.tr(f"（共 {len(relevant)} 处）", f" ({len(relevant)} in all)")
                if len(relevant) > 1
                else ""
            )
            detail = f"[{first.code}] {first.message}" if first else ""
            lines.append(f"· {agency.short_name} {report.year}{ctx.colon}{detail}{more}")
    if n > MAX_LIST_LINES:
        lines.append(ctx.tr(f"……仅列出前 {MAX_LIST_LINES} 份", f"… first {MAX_LIST_LINES} listed"))
    return ctx.reply(lines, value=n, unit="份", sources=sources)


async def _missing_table(ctx: Context) -> Answer:
    table = ctx.q.table
    assert table is not None
    if ctx.agencies:
        agency = ctx.agencies[0].row
        assert agency is not None
        report, notes, problem = await pick_report(ctx, agency)
        if problem:
            return problem
        assert report is not None
        missing = table not in report.tables_found
        head = f"{agency.short_name} {report.year}" + ctx.tr(" 年报告", " report")
        text = (
            ctx.tr(f"{head}缺少表{table}。", f"The {head} has no table {table}.")
            if missing
            else ctx.tr(f"{head}有表{table}。", f"The {head} has table {table}.")
        )
        found = (await queries.findings(ctx.session, [report.id])).get(report.id, [])
        sources = [_finding_source(agency, report, f) for f in found if _about_table(f, table)]
        return ctx.reply([text, *ctx.notes(), *notes], value=int(missing), unit="份", sources=sources)
    year = ctx.q.years[0] if ctx.q.years else None
    reports = await queries.reports_missing_table(ctx.session, table, year)
    when = ctx.tr(f"{year} 年", f" for {year}") if year else ""
    if not reports:
        return ctx.reply(
            [ctx.tr(f"已存{when}报告都有表{table}。", f"Every stored report{when} has table {table}.")],
            value=0,
            unit="份",
        )
    names = await queries.agencies(ctx.session, [r.agency_id for r in reports])
    found = await queries.findings(ctx.session, [r.id for r in reports])
    lines = [
        ctx.tr(
            f"缺少表{table}的{when}报告共 {len(reports)} 份：",
            f"{len(reports)} stored reports{when} have no table {table}:",
        )
    ]
    lines += [f"· {names[r.agency_id].short_name} {r.year}" for r in reports[:MAX_LIST_LINES]]
    sources = [
        _finding_source(names[r.agency_id], r, f)
        for r in reports
        for f in found.get(r.id, [])
        if _about_table(f, table)
    ]
    return ctx.reply(lines, value=len(reports), unit="份", sources=sources)

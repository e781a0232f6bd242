"""nianbao parse / ingest / show / check / export / reports / delete / tier."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache, partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated

import typer

from core.cli.common import DbOption, JsonOption, db_url, fail, open_cli_db, print_json, run
from core.model import SEVERITIES, Finding, ParsedReport, ReportError

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from core.storage.ingest import DeleteResult
    from core.storage.models import Agency
    from core.storage.reports import ReportRow

log = logging.getLogger(__name__)

SUFFIXES = (".docx", ".doc", ".wps", ".pdf", ".xlsx", ".txt", ".html", ".htm", ".mht", ".mhtml")
YearOption = Annotated[int | None, typer.Option("--year", help="Report year (default: the latest stored).")]


@cache
def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _is_url(text: str) -> bool:
    from core.fetch import is_url

    return is_url(text)


def register(app: typer.Typer) -> None:
    app.command("parse")(parse_cmd)
    app.command("ingest")(ingest_cmd)
    app.command("show")(show_cmd)
    app.command("check")(check_cmd)
    app.command("export")(export_cmd)
    app.command("reports")(reports_cmd)
    app.command("delete")(delete_cmd)
    app.command("tier")(tier_cmd)


# ---------------------------------------------------------------- helpers


def _read(source: str) -> ParsedReport:
    """Parse a file or a report's web address (in a worker process, within the parse time and memory
    limits); any failure ends the command with one line on stderr."""
    from core.fetch import fetch_report
    from core.limits import read_report_limited

    if _is_url(source):
        try:
            fetched = run(fetch_report(source.strip(), progress=_fetching))
        except ReportError as exc:
            raise fail(f"{source}：{exc}") from None
        data, name = fetched.data, fetched.filename
    else:
        path = Path(source)
        if not path.is_file():
            raise fail(f"文件不存在：{path}")
        data, name = path.read_bytes(), path.name
    try:
        return read_report_limited(data, name)
    except ReportError as exc:
        raise fail(f"{name}：{exc}") from None
    except Exception as exc:  # a parser bug must still end in one line, not a traceback
        log.debug("parse failed", exc_info=True)
        raise fail(f"{name}：解析时出现内部错误（{type(exc).__name__}: {exc}）") from None


async def _fetching(url: str) -> None:
    _console(stderr=True).print(f"页面附有报告文件，正在下载：{url}", markup=False)


def _describe(report: ParsedReport) -> list[str]:
    from core.render.summary import KEY_FIGURES, TEMPLATE_NAMES, format_number

    name = report.agency or "（未识别单位）"
    if report.short_name and report.short_name != report.agency:
        name += f"（{report.short_name}）"
    lines = [
        f"单位：{name}",
        f"年度：{report.year if report.year is not None else '未识别'}",
        f"格式：{TEMPLATE_NAMES.get(report.template or '', ('未识别',))[0]}",
        f"落款日期：{report.published_on.isoformat() if report.published_on else '未印'}",
    ]
    if report.region:
        lines.insert(1, f"地区：{report.region}")
    found = "、".join(f"表{t}" for t in report.tables_found) or "无"
    lines.append(
        f"表格：{found}（{len(report.cells)} 个单元格"
        + (f"，另有 {len(report.extra_cells)} 个模板外单元格）" if report.extra_cells else "）")
    )
    figures = [
        f"{zh} {format_number(report.value(key))}" for key, zh, _en in KEY_FIGURES if key in report.cells
    ]
    if figures:
        lines.append("主要数字：" + "，".join(figures))
    return lines


def _local(moment: datetime) -> str:
    """A stored UTC time in the configured timezone, to the minute."""
    from core.settings import get_settings

    return moment.astimezone(get_settings().tz).strftime("%Y-%m-%d %H:%M")


def _counts(findings: Sequence[Finding]) -> dict[str, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}


async def _agency_or_fail(sf: async_sessionmaker[AsyncSession], text: str) -> Agency:
    """The agency ``text`` names; ambiguous or unknown names end the command with the choices."""
    from core.storage.agencies import resolve_agency

    match = await resolve_agency(sf, text)
    if match.agency is not None:
        if match.kind == "fuzzy":
            _console(stderr=True).print(f"按「{match.agency.name}」理解「{text}」。", markup=False)
        return match.agency
    names = "；".join(f"{a.short_name}（{a.name}）" for a in match.candidates)
    if match.kind == "ambiguous":
        raise fail(f"「{text}」对应多个单位，请写得更具体：{names}")
    if match.kind == "region":
        raise fail(f"「{text}」是地区，不是单位。该地区已存的单位：{names}")
    raise fail(
        f"没有找到单位「{text}」。"
        + (f"相近的有：{names}" if names else "可用 nianbao reports 查看已入库的报告。")
    )


# ---------------------------------------------------------------- parse


def parse_cmd(
    file: Annotated[str, typer.Argument(help="Report file (.docx .doc .wps .pdf .xlsx .txt .html .mht) or web address")],
    as_json: JsonOption = False,
) -> None:
    """Read one report file and print what was extracted, with the findings of the checks."""
    from core.checks import summarize

    report = _read(file)
    if as_json:
        print_json(report.to_json())
        return
    typer.echo("\n".join(_describe(report)))
    typer.echo("\n" + summarize(report.findings))


# ---------------------------------------------------------------- ingest


def _collect(sources: Sequence[str]) -> list[Path | str]:
    """Files and web addresses, folders searched for report files."""
    files: list[Path | str] = []
    for source in sources:
        if _is_url(source):
            files.append(source.strip())
            continue
        path = Path(source)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)  # named explicitly: a missing file or wrong type is reported, not skipped
    return list(dict.fromkeys(files))


def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (searched recursively) or web addresses.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store report files and folders; every file is tried, failures are listed (exit 1 if any)."""
    files = _collect(paths)
    if not files:
        raise fail("没有找到可入库的文件（支持 " + " ".join(SUFFIXES) + "）。")
    results = run(_ingest_all(db_url(db), files, quiet=as_json))
    failed = [r for r in results if r["status"] == "failed"]
    if as_json:
        print_json(results)
    else:
        stored = sum(r["status"] == "stored" for r in results)
        duplicates = sum(r["status"] == "duplicate" for r in results)
        typer.echo(f"\n共 {len(results)} 个文件：入库 {stored}，重复 {duplicates}，失败 {len(failed)}。")
        for r in failed:
            typer.echo(f"  失败 {r['file']}：{r['error']}")
    if failed:
        raise typer.Exit(1)


async def _ingest_all(url: str, files: list[Path | str], *, quiet: bool) -> list[dict[str, object]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from core.storage.bulk import ingest_many

    fetched = {f: await _fetch_for_ingest(f, quiet) for f in files if isinstance(f, str)}

    results: list[dict[str, object]] = []
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_console(),
        transient=True,
        disable=len(files) < 3 or not _console().is_terminal,
    )
    async with open_cli_db(url) as sf:
        with progress:
            task = progress.add_task("入库", total=len(files))
            paths = iter(files)  # ingest_many answers in order
            loads = (
                (path.name, partial(_load, path)) if isinstance(path, Path) else fetched[path] for path in files
            )
            async for result in ingest_many(sf, loads, expected=len(files)):
                entry: dict[str, object] = {
                    "file": str(next(paths)),
                    "status": result.status,
                    "report_id": result.report_id,
                    "agency": result.agency,
                    "year": result.year,
                    "error": result.error,
                }
                if result.status == "duplicate" and result.uploaded_at:
                    entry["uploaded_at"] = _local(result.uploaded_at)
                if result.report is not None:
                    entry["findings"] = _counts(result.report.findings)
                results.append(entry)
                if not quiet:
                    progress.console.print(_ingest_line(entry), markup=False, soft_wrap=True)
                progress.advance(task)
    return results


async def _fetch_for_ingest(url: str, quiet: bool) -> tuple[str, Callable[[], bytes]]:
    """A web address as (name, loader): the fetched report, or a loader raising why it could not be."""
    from core.fetch import fetch_report

    if not quiet:
        _console(stderr=True).print(f"正在下载 {url}", markup=False)
    try:
        got = await fetch_report(url, progress=None if quiet else _fetching)
    except ReportError as exc:
        return PurePosixPath(url).name or url, partial(_raise, exc)
    return got.filename, partial(bytes, got.data)


def _raise(exc: Exception) -> bytes:
    raise exc


def _load(path: Path) -> bytes:
    if not path.is_file():  # named on the command line but absent: reported like any failed file
        raise ReportError("文件不存在")
    return path.read_bytes()


def _ingest_line(entry: dict[str, object]) -> str:
    name = Path(str(entry["file"])).name
    if entry["status"] == "failed":
        return f"✗ {name}：{entry['error']}"
    what = f"{entry['agency']} {entry['year']}年度"
    if entry["status"] == "duplicate":
        return f"= {name}：已存在（{what}，{entry.get('uploaded_at', '')} 上传，编号 {entry['report_id']}）"
    counts = entry.get("findings") or {}
    assert isinstance(counts, dict)
    return f"✓ {name}：{what}，编号 {entry['report_id']}，错误 {counts.get('error', 0)}，警告 {counts.get('warning', 0)}"


# ---------------------------------------------------------------- show


def show_cmd(
    agency: Annotated[str, typer.Argument(help="Agency name as you would say it: 定海区, 白鹤街道 …")],
    year: YearOption = None,
    db: DbOption = None,
    compact: Annotated[bool, typer.Option("--compact", help="Short labels, narrow columns.")] = False,
) -> None:
    """Print an agency's stored tables (二, 三, 四) as printed in its report."""
    typer.echo(run(_show(db_url(db), agency, year, compact)))


async def _show(url: str, text: str, year: int | None, compact: bool) -> str:
    from core.render import render_tables
    from core.storage.reports import current_report, load_parsed, report_years

    async with open_cli_db(url) as sf:
        agency = await _agency_or_fail(sf, text)
        assert agency.id is not None
        async with sf() as session:
            row = await current_report(session, agency.id, year)
            years = await report_years(session, agency.id)
            if row is None:
                stored = "、".join(map(str, years)) or "无"
                raise fail(f"{agency.name} 没有 {year} 年度的报告（已入库年度：{stored}）。")
            report = await load_parsed(session, row, agency)
    head = _describe(report)
    head.append(f"文件：{row.filename}（编号 {row.id}，上传于 {_local(row.uploaded_at)}）")
    others = [y for y in years if y != row.year]
    if others:
        head.append(f"其他年度：{'、'.join(map(str, others))}（--year 查看）")
    return "\n".join(head) + "\n\n" + render_tables(report, compact=compact)


# ---------------------------------------------------------------- check


def check_cmd(
    target: Annotated[str, typer.Argument(help="A report file or web address, or the name of a stored agency.")],
    year: YearOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a report file without storing it (compared with the agency's stored report of the year
    before), or re-check an agency's stored report (with its previous year and peers)."""
    from core.checks import summarize
    from core.storage.db import has_database

    if _is_url(target) or Path(target).is_file():
        report = _read(target)
        if has_database(db_url(db)):  # nothing to compare with otherwise, and no database is made for it
            report = run(_check_file(db_url(db), report))
        findings, report_id = report.findings, None
    else:
        report, findings, report_id = run(_check_stored(db_url(db), target, year))
    if as_json:
        print_json(
            {
                "agency": report.agency,
                "short_name": report.short_name,
                "year": report.year,
                "report_id": report_id,
                "counts": _counts(findings),
                "findings": [f.to_json() for f in findings],
            }
        )
        return
    typer.echo(f"{report.agency or '（未识别单位）'} {report.year or ''}年度报告")
    typer.echo(summarize(findings))


async def _check_file(url: str, report: ParsedReport) -> ParsedReport:
    from core.precheck import precheck
    from core.settings import get_settings

    async with open_cli_db(url) as sf:
        return (await precheck(sf, report, get_settings().now().date())).report


async def _check_stored(url: str, text: str, year: int | None) -> tuple[ParsedReport, list[Finding], int]:
    from core.storage.db import write_session
    from core.storage.rechecks import recheck
    from core.storage.reports import current_report, load_parsed

    async with open_cli_db(url) as sf:
        agency = await _agency_or_fail(sf, text)
        assert agency.id is not None
        async with write_session(sf) as session:
            row = await current_report(session, agency.id, year)
            if row is None:
                raise fail(f"{agency.name} 没有{f' {year} 年度的' if year else '已入库的'}报告。")
            findings = await recheck(session, row)
            report = await load_parsed(session, row, agency)
    assert row.id is not None
    return report, findings, row.id


# ---------------------------------------------------------------- export


def export_cmd(
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, xlsx or json (default: from --output, else csv).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write; '-' for stdout (default: nianbao-export.FORMAT)."
        ),
    ] = None,
    year: YearOption = None,
    current_only: Annotated[
        bool, typer.Option("--current-only", help="Only the current version of each report.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Write one row per stored report, one column per canonical key."""
    from core.export import FORMATS, export_reports

    chosen = fmt or (output.suffix.lstrip(".").lower() if output and output.suffix else "csv")
    if chosen not in FORMATS:
        raise fail(f"不支持的格式：{chosen}（可选：{'、'.join(FORMATS)}）")
    if chosen == "xlsx" and output == Path("-"):
        raise fail("xlsx 不能写到标准输出，请用 --output 指定文件。")

    async def go() -> bytes:
        async with open_cli_db(db_url(db)) as sf:
            return await export_reports(sf, chosen, current_only=current_only, year=year)

    data = run(go())
    if output == Path("-"):
        typer.echo(data.decode("utf-8-sig"), nl=False)
        return
    target = output or Path(f"nianbao-export.{chosen}")
    target.write_bytes(data)
    typer.echo(f"已导出到 {target}", err=True)


# ---------------------------------------------------------------- reports, delete, tier


def reports_cmd(
    year: YearOption = None,
    page: Annotated[int, typer.Option("--page", min=1, help="Page number.")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", min=1, max=1000)] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List stored reports, newest year first."""
    from core.render import text_table
    from core.storage.reports import list_reports

    async def go() -> tuple[list[ReportRow], int]:
        async with open_cli_db(db_url(db)) as sf:
            return await list_reports(sf, (page - 1) * per_page, per_page, year)

    rows, total = run(go())
    if as_json:
        print_json({"total": total, "page": page, "reports": [r.__dict__ for r in rows]})
        return
    if not rows:
        typer.echo("没有已入库的报告。" if total == 0 else f"第 {page} 页没有内容（共 {total} 份）。")
        return
    table = [
        [
            str(r.id),
            str(r.year or ""),
            r.short_name,
            r.template or "",
            str(r.errors),
            str(r.warnings),
            "是" if r.is_current else "否",
        ]
        for r in rows
    ]
    typer.echo(text_table(table, ["编号", "年度", "单位", "格式", "错误", "警告", "当前版本"]))
    pages = (total + per_page - 1) // per_page
    typer.echo(f"\n共 {total} 份，第 {page}/{pages} 页。")


def delete_cmd(
    report_id: Annotated[int, typer.Argument(help="Report number (see nianbao reports).")],
    db: DbOption = None,
) -> None:
    """Delete a stored report; the previous version of that agency and year becomes current."""
    from core.storage.ingest import delete_report

    async def go() -> DeleteResult | None:
        async with open_cli_db(db_url(db)) as sf:
            return await delete_report(sf, report_id)

    result = run(go())
    if result is None:
        raise fail(f"没有编号为 {report_id} 的报告。")
    typer.echo(f"已删除 {result.agency} {result.year}年度报告（编号 {report_id}）。")
    if result.restored_id:
        typer.echo(f"编号 {result.restored_id} 的较早版本恢复为当前版本。")


def tier_cmd(
    agency: Annotated[str, typer.Argument(help="Agency name.")],
    tier: Annotated[str, typer.Argument(help="department, government, township, or auto.")],
    db: DbOption = None,
) -> None:
    """Set an agency's deadline tier by hand (auto: from its name again) and re-check its reports."""
    from core.storage.ingest import set_tier_override
    from core.tiers import TIER_NAMES, TIERS

    if tier != "auto" and tier not in TIERS:
        raise fail(f"未知的层级：{tier}（可选：{'、'.join(TIERS)}、auto）")

    async def go() -> Agency:
        async with open_cli_db(db_url(db)) as sf:
            found = await _agency_or_fail(sf, agency)
            assert found.id is not None
            return await set_tier_override(sf, found.id, chosen)

    chosen = None if tier == "auto" else tier
    updated = run(go())
    what = TIER_NAMES[chosen] if chosen else "自动判断"
    typer.echo(f"{updated.name} 的层级已设为：{what}，已重新检查其报告。")

"""nianbao draft / compare: the prefilled Word draft and the year-on-year comparison as files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from core.cli.common import DbOption, db_url, fail, open_cli_db, run
from core.cli.reports import _agency_or_fail

OutputOption = Annotated[
    Path, typer.Option("--output", "-o", help="File to write (.docx; compare also .xlsx).")
]


def register(app: typer.Typer) -> None:
    app.command("draft")(draft_cmd)
    app.command("compare")(compare_cmd)


def draft_cmd(
    agency: Annotated[str, typer.Argument(help="Agency name: 定海区, 白鹤街道 …")],
    output: OutputOption,
    year: Annotated[
        int | None, typer.Option("--year", help="Report year (default: the one due this year).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a prefilled draft of an agency's annual report in the national format (.docx)."""
    if output.suffix.lower() != ".docx":
        raise fail("草稿是 Word 文件，请用 .docx 作为文件名后缀。")
    from core.documents.draft import build_draft, draft_docx
    from core.settings import get_settings

    chosen = year or get_settings().now().year - 1

    async def go() -> tuple[bytes, str]:
        async with open_cli_db(db_url(db)) as sf:
            found = await _agency_or_fail(sf, agency)
            async with sf() as session:
                draft = await build_draft(session, found, chosen)
        filled = (
            f"已按 {chosen - 1} 年度报告填入 {len(draft.carried)} 格"
            if draft.previous
            else f"没有已存的 {chosen - 1} 年度报告，表格全部留空"
        )
        return draft_docx(draft), f"{draft.title}（{draft.template.notice}格式）：{filled}。"

    data, summary = run(go())
    output.write_bytes(data)
    typer.echo(f"{summary}\n已写入 {output}")


def compare_cmd(
    agency: Annotated[str, typer.Argument(help="Agency name.")],
    first: Annotated[int, typer.Argument(help="One report year, e.g. 2020.")],
    second: Annotated[int, typer.Argument(help="The other report year, e.g. 2021.")],
    output: OutputOption,
    db: DbOption = None,
) -> None:
    """Compare an agency's reports of two years: tables side by side, rates, findings, repeated sentences."""
    kind = output.suffix.lower()
    if kind not in (".docx", ".xlsx"):
        raise fail("请用 .docx（Word）或 .xlsx（Excel）作为文件名后缀。")
    from core.documents.compare_excel import comparison_xlsx
    from core.documents.compare_word import comparison_docx
    from core.documents.comparison import ComparisonError, build_comparison

    async def go() -> bytes:
        async with open_cli_db(db_url(db)) as sf:
            found = await _agency_or_fail(sf, agency)
            async with sf() as session:
                try:
                    comparison = await build_comparison(session, found, first, second)
                except ComparisonError as exc:
                    raise fail(str(exc)) from None
        return comparison_xlsx(comparison) if kind == ".xlsx" else comparison_docx(comparison)

    output.write_bytes(run(go()))
    typer.echo(f"已写入 {output}")

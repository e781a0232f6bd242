"""The year-on-year comparison: the figures both formats share equal the two stored reports' cells, in
the Word and Excel files too; one-format figures, rates, findings and repeated sentences."""

from __future__ import annotations

import io

import docx
import openpyxl
from builders import build_docx, consistent_values
from documents_support import AGENCY, OTHER_2020, PROBLEMS_2020, store_2020
from typer.testing import CliRunner

from core.cli import app
from core.documents.compare_excel import comparison_xlsx
from core.documents.compare_word import comparison_docx
from core.documents.comparison import ComparisonError, build_comparison
from core.render.summary import format_number
from core.storage.agencies import resolve_agency
from core.storage.ingest import ingest_bytes
from core.storage.reports import current_report, load_parsed
from core.templates.rates import RATES, compute

PROBLEMS_2021 = "本年度存在的问题是依申请公开答复的规范性有待加强。" + PROBLEMS_2020.split("。")[1] + "。"


async def _two_years(sf):
    await store_2020(sf)
    values = consistent_values("2021", seed=6)
    data = build_docx(values, "2021", agency=AGENCY, year=2021, prose={"五": PROBLEMS_2021, "六": OTHER_2020.replace("本年度", "2021年度")})
    assert (await ingest_bytes(sf, data, "2021.docx")).status == "stored"
    agency = (await resolve_agency(sf, AGENCY)).agency
    async with sf() as session:
        stored = [await load_parsed(session, await current_report(session, agency.id, y), agency) for y in (2020, 2021)]
        comparison = await build_comparison(session, agency, 2021, 2020)  # either order
    return comparison, stored


async def test_figures_equal_the_stored_cells_across_the_format_change(sf):
    comparison, (old, new) = await _two_years(sf)
    assert comparison.years == (2020, 2021)
    rows = [r for rows in comparison.figures.values() for r in rows]
    assert rows and {r.table for r in rows} == {"二", "三", "四"}
    for r in rows:
        assert (r.first, r.second) == (old.value(r.key), new.value(r.key)), r.key
        if r.first is not None and r.second is not None:
            assert r.difference == r.second - r.first
    keys = {r.key for r in rows}
    assert {"apply.new.total", "review.corrected", "active.licensing.decisions"} <= keys
    only = {o.year: {r.key for r in o.rows} for o in comparison.one_format_only}
    assert "active.regulations.new_made" in only[2020] and "active.procurement.amount_yuan" in only[2020]
    assert "active.regulations.in_force" in only[2021] and "apply.other.no_correction.total" in only[2021]
    assert not keys & (only[2020] | only[2021])
    for row in comparison.rates:
        assert row.first == compute(row.rate, old.values) and row.second == compute(row.rate, new.values)
    assert [r.rate.id for r in comparison.rates] == [r.id for r in RATES]
    assert comparison.findings == (old.findings, new.findings)


async def test_same_sentences_of_sections_five_and_six(sf):
    comparison, _ = await _two_years(sf)
    same = {(s.section, s.numbers_differ): s.text for s in comparison.same_sentences}
    assert same[("五", False)].startswith("二是部分栏目信息更新不够及时")
    assert ("六", False) in same or ("六", True) in same
    assert not any("依申请公开答复的规范性" in s.text for s in comparison.same_sentences)


async def test_word_and_excel_files_carry_the_same_figures_and_a_chart(sf):
    comparison, (old, new) = await _two_years(sf)
    document = docx.Document(io.BytesIO(comparison_docx(comparison)))
    assert len(document.inline_shapes) == 1  # the key-figure chart
    shown = {}
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:4] == ["项目", "栏目", "2020年", "2021年"]:
            for row in table.rows[1:]:
                cells = [c.text for c in row.cells]
                shown[(cells[0], cells[1])] = (cells[2], cells[3])
    rows = [r for rows in comparison.figures.values() for r in rows]
    assert len(shown) == len(rows)
    for r in rows:
        assert shown[(r.row, r.column)] == (format_number(old.value(r.key)), format_number(new.value(r.key)))

    book = openpyxl.load_workbook(io.BytesIO(comparison_xlsx(comparison)))
    assert book.sheetnames[0] == "图" and len(book["图"]._images) == 1
    sheet = book["数字对比"]
    by_key = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(by_key) == len(rows)
    for r in rows:
        assert by_key[r.key][4:6] == (old.value(r.key), new.value(r.key))
    assert {row[0] for row in book["比率"].iter_rows(min_row=2, values_only=True)} == {r.zh for r in RATES}


async def test_missing_year_is_said(sf):
    await store_2020(sf)
    agency = (await resolve_agency(sf, AGENCY)).agency
    async with sf() as session:
        for years, said in (((2020, 2021), "没有 2021 年度的报告"), ((None, None), "只有 1 个年度"), ((2020, 2020), "两个不同的年度")):
            try:
                await build_comparison(session, agency, *years)
            except ComparisonError as exc:
                assert said in str(exc)
            else:
                raise AssertionError(years)


def test_cli_compare_writes_word_and_excel(tmp_path, db_url):
    cli = CliRunner()
    for year, template, seed in ((2020, "2019", 1), (2021, "2021", 2)):
        path = tmp_path / f"{year}.docx"
        path.write_bytes(build_docx(consistent_values(template, seed=seed), template, agency=AGENCY, year=year))
        assert cli.invoke(app, ["ingest", str(path), "--db", db_url]).exit_code == 0
    for suffix in ("docx", "xlsx"):
        out = tmp_path / f"c.{suffix}"
        result = cli.invoke(app, ["compare", "定海区卫生健康局", "2020", "2021", "-o", str(out), "--db", db_url])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 10_000
    bad = cli.invoke(app, ["compare", "定海区卫生健康局", "2019", "2021", "-o", str(tmp_path / "c.docx"), "--db", db_url])
    assert bad.exit_code == 1 and "没有 2019 年度的报告" in bad.output

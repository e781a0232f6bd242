"""The prefilled draft: the official 2021 template's tables, merges, labels and column order; the carried
figures and nothing else when read back by the project's own parser; notes with last year's figures."""

from __future__ import annotations

import io

import docx
from builders import build_docx, consistent_values
from conftest import TEMPLATE_2021_DOCX
from documents_support import AGENCY, PROBLEMS_2020, store_2020
from typer.testing import CliRunner

from core.cli import app
from core.documents.draft import NOTE_MARK, build_draft, draft_docx
from core.pipeline import read_report
from core.storage.agencies import resolve_agency
from core.storage.ingest import ingest_bytes
from core.textnorm import squash


def table_shapes(source) -> list[list[list[tuple[str, int, str | None]]]]:
    """Every table as rows of (text, gridSpan, vMerge) per cell, as Word stores them."""
    document = docx.Document(source)
    shapes = []
    for table in document.tables:
        rows = []
        for tr in table._tbl.tr_lst:
            cells = []
            for tc in tr.tc_lst:
                pr = tc.tcPr
                span = pr.gridSpan.val if pr is not None and pr.gridSpan is not None else 1
                merge = pr.vMerge.val if pr is not None and pr.vMerge is not None else None
                text = squash("".join(t.text or "" for t in tc.iter() if t.tag.endswith("}t")))
                cells.append((text, span, merge))
            rows.append(cells)
        shapes.append(rows)
    return shapes


async def _draft(sf, year: int = 2021):
    agency = (await resolve_agency(sf, AGENCY)).agency
    async with sf() as session:
        return await build_draft(session, agency, year)


async def test_draft_has_the_official_tables_and_reads_back_with_only_the_carried_cells(sf):
    previous = await store_2020(sf)
    draft = await _draft(sf)
    data = draft_docx(draft)

    # Same tables, rows, merges and labels as the official template; only the 上年结转 figures differ.
    official, ours = table_shapes(str(TEMPLATE_2021_DOCX)), table_shapes(io.BytesIO(data))
    assert [len(t) for t in ours] == [len(t) for t in official] == [14, 28, 4]
    carried_row = 4  # table 三: three header rows, 一、本年新收, then 二、上年结转
    for t, (a, b) in enumerate(zip(official, ours, strict=True)):
        for r, (row_a, row_b) in enumerate(zip(a, b, strict=True)):
            if (t, r) == (1, carried_row):
                assert [c[1:] for c in row_a] == [c[1:] for c in row_b] and row_a[0] == row_b[0]
            else:
                assert row_a == row_b, (t, r)

    report = read_report(data, "draft.docx")
    assert (report.template, report.year, report.agency) == ("2021", 2021, AGENCY)
    assert report.tables_found == ["二", "三", "四"]
    filled = {k: c.value for k, c in report.cells.items() if c.raw.strip()}
    expected = {f"apply.carried_over.{col}": previous[f"apply.carried_forward.{col}"] for col in
                ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")}  # fmt: skip
    assert filled == expected
    assert len(report.cells) == 207 and not report.extra_cells  # every figure cell of the 2021 template
    assert list(report.sections) == ["一", "二", "三", "四", "五", "六"]


async def test_section_five_quotes_last_years_problems_and_table_two_notes_in_force(sf):
    await store_2020(sf)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(draft_docx(await _draft(sf)))).paragraphs)
    assert "上一年度报告所列问题的改进情况" in text
    assert "一是政务公开工作人员业务水平有待提高" in text and PROBLEMS_2020[:20] in text
    # 2020 used the 2019 format, which has no 现行有效件数: the note says so instead of a figure.
    assert "「规章」的「现行有效件数」：2020年度报告的格式没有这一栏" in text
    assert "须于2021年1月31日前公布" not in text and "须于2022年1月31日前公布" in text  # a 局: 1月31日


async def test_draft_after_a_2021_report_starts_in_force_from_last_years_figure(sf):
    values = consistent_values("2021", seed=4)
    values["active.normative_docs.in_force"] = 57
    data = build_docx(values, "2021", agency=AGENCY, year=2021, prose={"五": "存在的问题：培训不足。"})
    assert (await ingest_bytes(sf, data, "2021.docx")).status == "stored"
    draft = await _draft(sf, 2022)
    assert [p.previous for p in draft.starting_points if p.key == "active.normative_docs.in_force"] == [57]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(draft_docx(draft))).paragraphs)
    assert "「行政规范性文件」的「现行有效件数」：2021年度报告为 57，以此为起点" in text
    report = read_report(draft_docx(draft), "d.docx")
    assert report.value("active.normative_docs.in_force") is None  # noted, never filled in
    assert report.value("apply.carried_over.total") == values["apply.carried_forward.total"]


async def test_without_last_years_report_every_figure_is_empty(sf):
    await store_2020(sf)
    draft = await _draft(sf, 2023)  # nothing stored for 2022
    assert draft.previous is None and not draft.carried
    data = draft_docx(draft)
    report = read_report(data, "d.docx")
    assert report.year == 2023 and not [c for c in report.cells.values() if c.raw.strip()]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert f"{NOTE_MARK}未找到本单位已入库的2022年度报告" in text


def test_cli_writes_the_draft(db_url, tmp_path):
    cli = CliRunner()
    source = tmp_path / "2020.docx"
    source.write_bytes(build_docx(consistent_values("2019", seed=1), "2019", agency=AGENCY, year=2020))
    assert cli.invoke(app, ["ingest", str(source), "--db", db_url]).exit_code == 0
    out = tmp_path / "d.docx"
    result = cli.invoke(app, ["draft", "定海区卫生健康局", "--year", "2021", "-o", str(out), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "已按 2020 年度报告填入 7 格" in result.stdout
    assert read_report(out.read_bytes(), "d.docx").value("apply.carried_over.total") is not None
    bad = cli.invoke(app, ["draft", "定海区卫生健康局", "-o", str(tmp_path / "d.pdf"), "--db", db_url])
    assert bad.exit_code == 1 and ".docx" in bad.output


def test_a_2020_draft_uses_the_2019_format_and_reads_back_empty():
    from core.documents.draft import Draft
    from core.templates.national import TEMPLATE_2019

    draft = Draft(AGENCY, 2020, TEMPLATE_2019, f"{AGENCY}2020年政府信息公开工作年度报告")
    report = read_report(draft_docx(draft), "d.docx")
    assert (report.template, report.year, report.tables_found) == ("2019", 2020, ["二", "三", "四"])
    assert len(report.cells) == len([c for c in TEMPLATE_2019.cells() if not c.derived])
    assert not [c for c in report.cells.values() if c.raw.strip()]

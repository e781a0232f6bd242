"""The check before publishing: a drafted report filled in, checked against the stored year before,
findings for what would go wrong at publication, and nothing stored."""

from __future__ import annotations

from datetime import date

import pytest
from documents_support import AGENCY, PROBLEMS_2020, fill_draft, store_2020, values_2021
from typer.testing import CliRunner

from core.cli import app
from core.documents.draft import build_draft, draft_docx
from core.model import ReportError
from core.pipeline import read_report
from core.precheck import check_file, precheck
from core.storage.agencies import resolve_agency
from core.storage.reports import list_reports

ON_TIME = date(2022, 1, 10)


async def _filled(sf, *, keep_notes: bool = False, **changes) -> bytes:
    previous = await store_2020(sf)
    agency = (await resolve_agency(sf, AGENCY)).agency
    async with sf() as session:
        draft = draft_docx(await build_draft(session, agency, 2021))
    values = values_2021(previous) | changes.pop("values", {})
    return fill_draft(draft, values, keep_notes=keep_notes, **changes)


def codes(result) -> set[str]:
    return {f.code for f in result.report.findings}


async def test_a_clean_filled_draft_passes_and_nothing_is_stored(sf):
    data = await _filled(sf, published_on=date(2022, 1, 8))
    before = await list_reports(sf)
    result = await check_file(sf, data, "2021.docx", ON_TIME)
    assert result.previous is not None and result.previous.year == 2020
    assert not [f for f in result.report.findings if f.severity == "error"], result.report.findings
    assert "precheck.deadline" in codes(result) and "还有 21 天" in next(
        f.message for f in result.report.findings if f.code == "precheck.deadline"
    )
    assert not codes(result) & {"precheck.draft_notes", "precheck.problems_copied", "crossyear.carried_over"}
    assert await list_reports(sf) == before  # checked, not stored


async def test_a_careless_draft_gets_every_comparison_finding(sf):
    data = await _filled(
        sf,
        values={"apply.carried_over.natural_person": 99, "apply.new.natural_person": 0},
        prose={"五": PROBLEMS_2020},
    )
    result = await check_file(sf, data, "2021.docx", date(2022, 2, 3))
    found = {f.code: f for f in result.report.findings}
    assert "crossyear.carried_over" in found  # 上年结转 no longer what 2020 carried forward
    assert "99" in found["crossyear.carried_over"].message
    assert "precheck.problems_copied" in found and "内容雷同" in found["precheck.problems_copied"].message
    assert "precheck.late" in found and "逾期 3 天" in found["precheck.late"].message
    assert (await list_reports(sf))[1] == 1  # only 2020's


async def test_another_tier_than_last_year_is_flagged(sf):
    # A 局 report titled like the district government's own report: 3月31日 instead of 1月31日.
    report = read_report(await _filled(sf, keep_notes=True), "2021.docx")
    # Titled like the district government's own report (3月31日), printed by the 局 (1月31日) as last year.
    report.title = "2021年定海区政府信息公开工作年度报告"
    result = await precheck(sf, report, ON_TIME)
    tier = next(f for f in result.report.findings if f.code == "precheck.tier")
    assert "本级政府" in tier.message and "县级以上人民政府部门" in tier.message
    notes = next(f for f in result.report.findings if f.code == "precheck.draft_notes")
    assert "请删除" in notes.message and notes.details["count"] >= 5


async def test_an_agency_not_stored_yet_is_checked_alone(sf):
    from builders import build_docx, consistent_values

    data = build_docx(consistent_values("2021", seed=5), "2021", agency="舟山市普陀区教育局", year=2021)
    result = await check_file(sf, data, "2021.docx", ON_TIME)
    assert result.agency is None and result.previous is None
    assert "precheck.no_previous" in codes(result)
    with pytest.raises(ReportError):
        await check_file(sf, b"PK\x03\x04 not a zip", "x.docx", ON_TIME)


def test_cli_check_file_compares_with_the_stored_year(tmp_path, db_url):
    from builders import build_docx, consistent_values

    cli = CliRunner()
    source = tmp_path / "2020.docx"
    values = consistent_values("2019", seed=1)
    source.write_bytes(build_docx(values, "2019", agency=AGENCY, year=2020))
    assert cli.invoke(app, ["ingest", str(source), "--db", db_url]).exit_code == 0
    this = consistent_values("2021", seed=2)
    this["apply.carried_over.total"] = int(values["apply.carried_forward.total"]) + 5
    draft = tmp_path / "2021.docx"
    draft.write_bytes(build_docx(this, "2021", agency=AGENCY, year=2021))
    result = cli.invoke(app, ["check", str(draft), "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "crossyear.carried_over" in result.stdout and "precheck." in result.stdout
    listed = cli.invoke(app, ["reports", "--db", db_url, "--json"])
    assert '"total": 1' in listed.stdout  # the checked file was not stored

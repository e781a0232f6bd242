"""Re-checks around a stored report: both neighbouring years at once, peers of a replaced version, and the
checks reading other reports' figures without their findings."""

from __future__ import annotations

from parsed_reports import parsed_report

from core.model import Finding
from core.storage.ingest import sha256_of, store_report
from core.storage.reports import load_report


async def _store(sf, report, name):
    result = await store_report(sf, report, sha256=sha256_of(name.encode()), filename=name)
    assert result.status == "stored", result.error
    return result


def _crossyear(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.code.startswith("crossyear.")]


async def test_a_middle_year_is_checked_against_the_year_before_and_rechecks_the_year_after(sf):
    reports = {year: parsed_report(year=year, seed=year) for year in (2019, 2020, 2021)}
    older = await _store(sf, reports[2019], "2019.txt")
    newer = await _store(sf, reports[2021], "2021.txt")
    assert not _crossyear(newer.report.findings)  # no 2020 yet to compare with

    middle = await _store(sf, reports[2020], "2020.txt")
    # Random figures do not carry over: the new report disagrees with 2019, and 2021 with it.
    assert {f.details["previous_year"] for f in _crossyear(middle.report.findings)} == {2019}
    assert middle.rechecked == [newer.report_id]
    rechecked = await load_report(sf, newer.report_id)
    assert {f.details["previous_year"] for f in _crossyear(rechecked.findings)} == {2020}
    assert not _crossyear((await load_report(sf, older.report_id)).findings)


async def test_replacing_a_copied_version_clears_the_copy_finding_of_the_peer(sf):
    copied = parsed_report(seed=31).values
    a = await _store(sf, parsed_report("甲县财政局", region="甲县", values=copied), "a1.txt")
    b = await _store(sf, parsed_report("乙县财政局", region="乙县", values=copied), "b.txt")
    assert "copy.tables_peer" in {f.code for f in b.report.findings}

    fixed = await _store(sf, parsed_report("甲县财政局", region="甲县", seed=32), "a2.txt")
    assert fixed.superseded == [a.report_id] and b.report_id in fixed.rechecked
    assert "copy.tables_peer" not in {f.code for f in fixed.report.findings}
    assert "copy.tables_peer" not in {f.code for f in (await load_report(sf, b.report_id)).findings}


async def test_a_recheck_keeps_the_parser_findings_and_the_cell_locations(sf):
    parser_finding = Finding("structure.extra_cells", "warning", "表二有模板外的单元格", [], {"n": 1})
    first = await _store(sf, parsed_report(year=2021, seed=41, findings=[parser_finding]), "2021.txt")
    await _store(sf, parsed_report(year=2020, seed=42), "2020.txt")  # rechecks 2021

    back = await load_report(sf, first.report_id)
    assert back.findings[0] == parser_finding and _crossyear(back.findings)
    stored = parsed_report(year=2021, seed=41)
    assert {k: c.loc for k, c in back.cells.items()} == {k: c.loc for k, c in stored.cells.items()}

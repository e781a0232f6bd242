"""Re-checks around a stored report: both neighbouring years at once, peers of a replaced version, the
checks reading other reports' figures without their findings, and a fresh parse stored with the same
findings a full recheck gives."""

from __future__ import annotations

from datetime import date

from builders import consistent_values
from parsed_reports import parsed_report
from sqlalchemy import text
from text_builders import build_text

from core.model import Finding
from core.storage.db import open_db, write_session
from core.storage.ingest import ingest_bytes, set_tier_override, sha256_of, store_report
from core.storage.models import Report
from core.storage.rechecks import _peers, recheck
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


def _comparable(findings: list[Finding]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return sorted((f.code, f.severity, f.message, tuple(f.cells)) for f in findings)


async def test_a_parsed_file_is_stored_with_the_findings_a_full_recheck_gives(sf):
    # Storing a fresh parse reuses its single-report findings and runs only the checks that need other
    # reports; a recheck runs everything from the stored cells. Both must agree, finding for finding.
    ids = []
    for year in (2020, 2021, 2022):
        template = "2019" if year < 2021 else "2021"
        values = consistent_values(template, seed=year)  # independent years: cross-year findings
        values["apply.total.total"] = int(values["apply.total.total"]) + 1  # a table 三 error
        text = build_text(values, template, agency="甲县财政局", year=year, published_on=date(year + 1, 3, 5))
        result = await ingest_bytes(sf, text.encode(), f"{year}.txt")
        assert result.status == "stored", result.error
        ids.append(result.report_id)
    stored = {i: (await load_report(sf, i)).findings for i in ids}
    codes = {f.code.split(".")[0] for findings in stored.values() for f in findings}
    assert {"crossyear", "table3", "date"} <= codes

    async with write_session(sf) as session:
        for report_id in ids:
            row = await session.get(Report, report_id)
            assert _comparable(await recheck(session, row)) == _comparable(stored[report_id])


async def test_a_new_version_is_checked_with_the_agencys_tier_override(sf):
    values = consistent_values("2021", seed=5)
    late = build_text(values, "2021", agency="甲县财政局", year=2021, published_on=date(2022, 3, 5))
    first = await ingest_bytes(sf, late.encode(), "v1.txt")
    assert "date.late" in {f.code for f in first.report.findings}  # a department: due 1月31日
    await set_tier_override(sf, first.agency_id, "government")  # its own 本级政府 report: 3月31日

    again = late.replace("政府信息公开", "政府信息公开 ", 1)  # the same report, another file
    second = await ingest_bytes(sf, again.encode(), "v2.txt")
    assert second.status == "stored" and second.superseded == [first.report_id]
    assert "date.late" not in {f.code for f in second.report.findings}
    assert "date.late" not in {f.code for f in (await load_report(sf, second.report_id)).findings}


async def test_peers_are_looked_up_through_the_fingerprint_indexes(tmp_path):
    # Storing a report looks for same-year reports sharing a table fingerprint. SQLite has no statistics
    # and preferred the year's index, reading every report of the year: the plan must use the digests.
    async with open_db(f"sqlite:///{tmp_path / 'plan.db'}") as sf:
        stored = [await _store(sf, parsed_report(seed=n, agency=f"第{n}县财政局"), f"{n}.txt") for n in range(3)]
        async with sf() as session:
            row = await session.get(Report, stored[0].report_id)
            statement = _peers(row)
            assert statement is not None
            compiled = statement.compile(session.bind, compile_kwargs={"literal_binds": True})
            plan = [r[-1] for r in await session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert any("digest" in step for step in plan), plan
    assert not any("ix_report_year" in step or "SCAN report" in step for step in plan), plan

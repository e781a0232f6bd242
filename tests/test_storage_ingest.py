"""Storing reports: round trip, duplicates, versions, atomicity, deletion, cross-report rechecks."""

from __future__ import annotations

import asyncio
from contextlib import aclosing, asynccontextmanager
from datetime import date

import pytest
from builders import consistent_values
from conftest import seed
from parsed_reports import parsed_report
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import DropIndex
from text_builders import build_text

import core.storage.bulk as bulk_module
import core.storage.deferred_index as deferred_index
import core.storage.ingest as ingest_module
from core.model import Cell, Finding, Location, ReportError
from core.pipeline import read_report
from core.storage.bulk import ingest_many
from core.storage.db import open_db
from core.storage.deferred_index import VALUE_INDEX
from core.storage.ingest import (
    delete_report,
    ingest_bytes,
    preload_samples,
    set_tier_override,
    sha256_of,
    store_report,
)
from core.storage.models import Agency, CellRecord, FindingRecord, Report
from core.storage.reports import current_report, list_reports, load_report


async def _store(sf, report, name="r.txt"):
    result = await store_report(sf, report, sha256=sha256_of(name.encode()), filename=name)
    assert result.status == "stored", result.error
    return result


async def _count(sf, model) -> int:
    async with sf() as session:
        return await session.scalar(select(func.count()).select_from(model))


def _codes(findings) -> set[str]:
    return {f.code for f in findings}


async def test_round_trip_keeps_raw_value_and_provenance(sf):
    values = {
        "apply.new.total": 7,
        "apply.new.natural_person": "",  # blank
        "apply.new.commercial": "0",
        "apply.new.research": "/",
        "active.penalty.change": "减30",
        "active.procurement.amount_yuan": "266万元",
    }
    extra = [Cell("extra.二.1", "12", 12, "件", "二", "获取", "（七）", Location("text", line=99))]
    parser_finding = Finding(
        "structure.extra_cells", "warning", "表二有模板外的单元格", ["extra.二.1"], {"n": 1}
    )
    report = parsed_report(
        values=values, extra=extra, findings=[parser_finding], published_on=date(2021, 1, 5)
    )
    result = await _store(sf, report)

    back = await load_report(sf, result.report_id)
    assert back.values == report.values
    blank, zero, slash = (back.cells[f"apply.new.{c}"] for c in ("natural_person", "commercial", "research"))
    assert (blank.raw, blank.value) == ("", None)
    assert (zero.raw, zero.value) == ("0", 0) and isinstance(zero.value, int)
    assert (slash.raw, slash.value) == ("/", None)
    assert back.cells["active.penalty.change"].value == -30
    money = back.cells["active.procurement.amount_yuan"]
    assert (money.raw, money.value, money.unit) == ("266万元", 2660000, "元")
    for key, cell in report.cells.items():
        assert back.cells[key] == cell
    assert back.extra_cells == extra
    assert back.findings[0] == parser_finding
    assert (back.agency, back.year, back.template, back.published_on) == (
        report.agency,
        2020,
        "2019",
        date(2021, 1, 5),
    )
    assert back.sections == report.sections and back.tables_found == report.tables_found
    async with sf() as session:
        extra_rows = await session.scalar(select(func.count()).where(CellRecord.extra))
    assert extra_rows == 1


async def test_json_columns_keep_chinese_odd_keys_and_huge_integers(sf):
    # A hostile file can put any number into a finding's details: past 64 bits orjson refuses it and
    # core.storage.db.json_text falls back to the json module.
    details = {"raw": {"apply.new.total": "１２３件"}, "values": [2**70, -5, 1e308], 3: "第三行"}
    finding = Finding("structure.odd", "warning", "表三第3行的数字无法识别", ["apply.new.total"], details)
    result = await _store(sf, parsed_report(findings=[finding]))

    back = await load_report(sf, result.report_id)
    stored = next(f for f in back.findings if f.code == "structure.odd")
    assert stored.details == {"raw": {"apply.new.total": "１２３件"}, "values": [2**70, -5, 1e308], "3": "第三行"}
    assert stored.message == finding.message


async def test_same_file_twice_is_a_duplicate(sf, monkeypatch):
    report = parsed_report()
    calls = []

    async def fake_read(data: bytes, filename: str, **_: object):
        calls.append(filename)
        return report

    monkeypatch.setattr(ingest_module, "read_report_bounded", fake_read)
    first = await ingest_bytes(sf, b"report bytes", "a.txt", uploaded_by=42, chat_id=-1001234567890)
    second = await ingest_bytes(sf, b"report bytes", "copy-of-a.txt")
    assert (first.status, second.status) == ("stored", "duplicate")
    assert second.report_id == first.report_id
    assert second.uploaded_at == first.uploaded_at
    assert second.report is not None and second.report.values == report.values
    assert calls == ["a.txt"]  # the duplicate was recognised before parsing
    assert await _count(sf, Report) == 1
    async with sf() as session:
        row = await session.get(Report, first.report_id)
    assert (row.uploaded_by, row.chat_id) == (42, -1001234567890)


async def test_duplicate_found_at_insert_time(sf):
    # Two processes parsed the same file at once: the second insert meets the unique sha256.
    first = await _store(sf, parsed_report(), "same.txt")
    second = await store_report(sf, parsed_report(seed=5), sha256=sha256_of(b"same.txt"), filename="same.txt")
    assert second.status == "duplicate" and second.report_id == first.report_id
    assert await _count(sf, Report) == 1


def _files(*items: tuple[str, bytes | Exception]):
    """(name, loader) pairs for ingest_many; an exception is raised by that file's loader."""

    def loader(content: bytes | Exception):
        def load() -> bytes:
            if isinstance(content, Exception):
                raise content
            return content

        return load

    return [(name, loader(content)) for name, content in items]


async def test_ingest_many_answers_every_file_in_order(sf):
    years = {year: build_text(consistent_values("2021", seed=year), "2021", year=year) for year in (2021, 2022)}
    files = _files(
        ("2021.txt", years[2021].encode()),
        ("empty.txt", b""),
        ("gone.txt", FileNotFoundError(2, "No such file or directory")),
        ("named.txt", ReportError("文件不存在")),
        ("2022.txt", years[2022].encode()),
        ("again.txt", years[2021].encode()),  # the first file once more, within the same run
    )
    results = [r async for r in ingest_many(sf, files)]
    assert [(r.filename, r.status) for r in results] == [
        ("2021.txt", "stored"),
        ("empty.txt", "failed"),
        ("gone.txt", "failed"),
        ("named.txt", "failed"),
        ("2022.txt", "stored"),
        ("again.txt", "duplicate"),
    ]
    assert "No such file" in results[2].error and results[3].error == "文件不存在"
    assert results[5].report_id == results[0].report_id  # recognised within one group as well
    # Each stored report was checked against those stored before it, as one by one.
    assert results[4].year == 2022 and "crossyear" in {f.code.split(".")[0] for f in results[4].report.findings}
    assert await _count(sf, Report) == 2


def _texts(count: int) -> list[bytes]:
    """``count`` reports of different agencies."""
    values = [consistent_values("2019", seed=n) for n in range(count)]
    return [build_text(v, "2019", agency=f"第{n}县财政局").encode() for n, v in enumerate(values)]


async def _parsed_together(monkeypatch, count: int) -> None:
    """Make ingest_many see every file parsed before it stores any: one group of ``count``."""
    real_read = ingest_module.read_report_bounded
    arrived = 0
    everyone = asyncio.Event()

    async def read(data: bytes, filename: str, **_: object):
        nonlocal arrived
        report = await real_read(data, filename)
        arrived += 1
        if arrived == count:
            everyone.set()
        await everyone.wait()
        return report

    monkeypatch.setattr(ingest_module, "read_report_bounded", read)


async def test_ingest_many_keeps_a_group_when_one_report_fails_midway(sf, monkeypatch):
    await _parsed_together(monkeypatch, 3)
    real_store_findings = ingest_module.store_findings
    calls = 0

    async def store_findings(session, report_id, findings):
        nonlocal calls
        calls += 1
        if calls == 2:  # the second report of the group, after its agency, report row and cells
            raise RuntimeError("a bug")
        await real_store_findings(session, report_id, findings)

    monkeypatch.setattr(ingest_module, "store_findings", store_findings)
    files = _files(*((f"{n}.txt", text) for n, text in enumerate(_texts(3))))
    results = [r async for r in ingest_many(sf, files)]
    assert [r.status for r in results] == ["stored", "failed", "stored"]
    assert "内部错误" in results[1].error and "RuntimeError" in results[1].error
    # Nothing of the failed report remains; the others are whole.
    assert await _count(sf, Report) == 2 and await _count(sf, Agency) == 2
    async with sf() as session:
        stored = set(await session.scalars(select(CellRecord.report_id).distinct()))
    assert stored == {results[0].report_id, results[2].report_id}


async def test_ingest_many_stores_one_by_one_when_a_group_cannot_commit(sf, monkeypatch):
    await _parsed_together(monkeypatch, 3)
    real_write_session = bulk_module.write_session
    opened = 0

    @asynccontextmanager
    async def write_session(sf):
        nonlocal opened
        opened += 1
        async with real_write_session(sf) as session:
            yield session
            if opened == 1:  # the group's transaction: its commit fails, everything is rolled back
                raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(bulk_module, "write_session", write_session)
    files = _files(*((f"{n}.txt", text) for n, text in enumerate(_texts(3))))
    results = [r async for r in ingest_many(sf, files)]
    assert [r.status for r in results] == ["stored"] * 3 and opened == 1  # then store_report, one each
    assert await _count(sf, Report) == 3
    assert len({r.report_id for r in results}) == 3


async def test_ingest_many_answers_only_what_it_committed(sf, monkeypatch):
    release = asyncio.Event()
    real_read = ingest_module.read_report_bounded

    async def read(data: bytes, filename: str, **_: object):
        if filename != "0.txt":
            await release.wait()  # the other files are still being parsed
        return await real_read(data, filename)

    monkeypatch.setattr(ingest_module, "read_report_bounded", read)
    stream = ingest_many(sf, _files(*((f"{n}.txt", text) for n, text in enumerate(_texts(5)))))
    first = await anext(stream)
    assert first.status == "stored" and await _count(sf, Report) == 1  # committed before answered
    await stream.aclose()  # the files still being parsed are dropped, not stored
    release.set()
    await asyncio.sleep(0)
    assert await _count(sf, Report) == 1


async def test_ingest_many_interrupted_while_storing_reports_that_group_before_it_stops(sf, monkeypatch):
    await _parsed_together(monkeypatch, 3)  # one group of three
    real_store = bulk_module.store_in_session
    storing, gate = asyncio.Event(), asyncio.Event()

    async def store(session, report, *args):
        if storing.is_set():  # the second report of the group: held until the run is interrupted
            await gate.wait()
        storing.set()
        return await real_store(session, report, *args)

    monkeypatch.setattr(bulk_module, "store_in_session", store)
    answered = []

    async def run() -> None:
        async for result in ingest_many(sf, _files(*((f"{n}.txt", t) for n, t in enumerate(_texts(3))))):
            answered.append(result)

    task = asyncio.create_task(run())
    await storing.wait()
    await asyncio.sleep(0.05)
    task.cancel()  # as Ctrl-C does to the CLI's main task
    await asyncio.sleep(0.05)
    gate.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [(r.filename, r.status) for r in answered] == [("0.txt", "stored"), ("1.txt", "stored"), ("2.txt", "stored")]
    assert await _count(sf, Report) == 3


@pytest.mark.parametrize("lookup_fails", [False, True])
async def test_ingest_many_recognises_stored_files_before_parsing_them(sf, monkeypatch, lookup_fails):
    old, new = _texts(2)
    assert (await ingest_bytes(sf, old, "old.txt")).status == "stored"
    parsed = []
    real_read = ingest_module.read_report_bounded

    async def read(data: bytes, filename: str, **_: object):
        parsed.append(filename)
        return await real_read(data, filename)

    async def broken_lookup(sf, digests):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(ingest_module, "read_report_bounded", read)
    if lookup_fails:  # then the stored file is parsed, and recognised when it is stored
        monkeypatch.setattr(bulk_module, "stored_digests", broken_lookup)
    results = [r async for r in ingest_many(sf, _files(("again.txt", old), ("new.txt", new)))]
    assert [r.status for r in results] == ["duplicate", "stored"]
    assert parsed == (["again.txt", "new.txt"] if lookup_fails else ["new.txt"])
    assert await _count(sf, Report) == 2


async def test_unreadable_file_fails_and_stores_nothing(sf):
    garbage = b"PK\x03\x04 not really a zip"
    with pytest.raises(ReportError) as direct:
        read_report(garbage, "x.docx")
    result = await ingest_bytes(sf, garbage, "x.docx")  # parsed in a worker process: the same message
    assert (result.status, result.error) == ("failed", str(direct.value))
    assert "Word 文件已损坏" in result.error
    nameless = await store_report(sf, parsed_report(agency=" "), sha256="0" * 64, filename="n.txt")
    assert nameless.status == "failed" and "机关" in nameless.error
    assert await _count(sf, Report) == 0 and await _count(sf, Agency) == 0


async def test_failure_mid_ingest_leaves_nothing(sf, monkeypatch):
    async def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # Cells are already inserted when findings are stored; the failure must roll everything back.
    monkeypatch.setattr(ingest_module, "store_findings", explode)
    with pytest.raises(RuntimeError):
        await store_report(sf, parsed_report(), sha256="1" * 64, filename="a.txt")
    for model in (Agency, Report, CellRecord, FindingRecord):
        assert await _count(sf, model) == 0


async def test_new_version_becomes_current_and_delete_restores_the_old(sf):
    old = await _store(sf, parsed_report(seed=1), "v1.txt")
    new = await _store(sf, parsed_report(seed=2), "v2.txt")
    assert new.superseded == [old.report_id]
    assert new.agency_id == old.agency_id
    async with sf() as session:
        current = await current_report(session, new.agency_id, 2020)
        assert current.id == new.report_id
        assert not (await session.get(Report, old.report_id)).is_current

    deleted = await delete_report(sf, new.report_id)
    assert deleted.restored_id == old.report_id
    async with sf() as session:
        current = await current_report(session, new.agency_id)
        assert current.id == old.report_id
        leftover = await session.scalar(select(func.count()).where(CellRecord.report_id == new.report_id))
    assert leftover == 0
    assert await delete_report(sf, new.report_id) is None


async def test_deleting_an_old_version_keeps_the_current_one(sf):
    old = await _store(sf, parsed_report(seed=1), "v1.txt")
    new = await _store(sf, parsed_report(seed=2), "v2.txt")
    deleted = await delete_report(sf, old.report_id)
    assert deleted.restored_id is None
    async with sf() as session:
        assert (await current_report(session, new.agency_id)).id == new.report_id


async def test_last_years_report_arriving_later_updates_cross_year_findings(sf):
    this_year = parsed_report(year=2021, seed=11)
    last_year = parsed_report(year=2020, seed=12)
    # The 2021 table 三 carries over a different number than 2020 carried forward.
    assert this_year.value("apply.carried_over.total") != last_year.value("apply.carried_forward.total")

    first = await _store(sf, this_year, "2021.txt")
    assert not any(f.code.startswith("crossyear.") for f in first.report.findings)
    second = await _store(sf, last_year, "2020.txt")
    assert second.rechecked == [first.report_id]

    rechecked = await load_report(sf, first.report_id)
    cross = [f for f in rechecked.findings if f.code.startswith("crossyear.")]
    assert cross and any("apply.carried_over.total" in f.cells for f in cross)
    async with sf() as session:
        scopes = set(
            await session.scalars(select(FindingRecord.scope).where(FindingRecord.code.like("crossyear.%")))
        )
    assert scopes == {"cross"}

    # Withdrawing last year's report withdraws the comparison again.
    await delete_report(sf, second.report_id)
    again = await load_report(sf, first.report_id)
    assert not any(f.code.startswith("crossyear.") for f in again.findings)


async def test_identical_tables_of_two_agencies_are_flagged_on_both(sf):
    values = parsed_report(seed=21).values
    a = await _store(
        sf, parsed_report("宁波市鄞州区人民政府白鹤街道办事处", year=2020, values=values), "a.txt"
    )
    other = await _store(sf, parsed_report("宁波市鄞州区人民政府下应街道办事处", year=2020, seed=22), "o.txt")
    b = await _store(sf, parsed_report("宁波市鄞州区人民政府瞻岐镇办事处", year=2020, values=values), "b.txt")
    assert "copy.tables_peer" in _codes(b.report.findings)
    assert a.report_id in b.rechecked and other.report_id not in b.rechecked
    assert "copy.tables_peer" in _codes((await load_report(sf, a.report_id)).findings)
    assert "copy.tables_peer" not in _codes((await load_report(sf, other.report_id)).findings)


async def test_agency_printed_with_and_without_its_city_is_one_agency(sf):
    first = await _store(
        sf,
        parsed_report("舟山市定海区人民政府", short_name="定海区", region="舟山市定海区", year=2020),
        "a.txt",
    )
    second = await _store(
        sf, parsed_report("定海区人民政府", short_name="定海区", region="舟山市定海区", year=2021), "b.txt"
    )
    third = await _store(
        sf, parsed_report("普陀区人民政府", short_name="普陀区", region="舟山市普陀区"), "c.txt"
    )
    assert second.agency_id == first.agency_id != third.agency_id
    async with sf() as session:
        agency = await session.get(Agency, first.agency_id)
    assert agency.name == "舟山市定海区人民政府" and agency.aliases == ["定海区人民政府"]
    assert (await load_report(sf, second.report_id)).agency == "定海区人民政府"  # as printed


async def test_tier_override_redoes_date_findings(sf):
    # A department's report published in March is late (1月31日); as a 本级政府 report it is on time.
    result = await _store(sf, parsed_report(published_on=date(2021, 3, 15)))
    assert "date.late" in _codes(result.report.findings)
    await set_tier_override(sf, result.agency_id, "government")
    assert "date.late" not in _codes((await load_report(sf, result.report_id)).findings)
    await set_tier_override(sf, result.agency_id, None)
    assert "date.late" in _codes((await load_report(sf, result.report_id)).findings)
    with pytest.raises(ValueError):
        await set_tier_override(sf, result.agency_id, "province")


async def test_listing_pages_and_counts(sf):
    late = parsed_report("甲县财政局", year=2020, published_on=date(2021, 3, 1))
    await _store(sf, late, "1.txt")
    await _store(sf, parsed_report("乙县财政局", year=2020, seed=3), "2.txt")
    await _store(sf, parsed_report("乙县财政局", year=2020, seed=4), "3.txt")
    await _store(sf, parsed_report("甲县财政局", year=2021, seed=5), "4.txt")

    rows, total = await list_reports(sf, 0, 2)
    assert total == 4 and len(rows) == 2
    assert rows[0].year == 2021
    rest, _ = await list_reports(sf, 2, 10)
    assert len(rest) == 2 and {r.id for r in rows}.isdisjoint(r.id for r in rest)
    rows_2020, total_2020 = await list_reports(sf, 0, 10, year=2020, current_only=True)
    assert total_2020 == 2 and all(r.is_current and r.year == 2020 for r in rows_2020)
    jia = next(r for r in rows_2020 if r.short_name == "甲县财政局")
    assert jia.warnings >= 1  # date.late


async def test_seed_reports_round_trip_cell_by_cell(seeded_sf):
    rows, total = await list_reports(seeded_sf, 0, 10)
    assert total == 5
    for row in rows:
        stored = await load_report(seeded_sf, row.id)
        fresh = read_report(seed(row.filename[:3]).read_bytes(), row.filename)
        assert stored.cells == fresh.cells
        assert stored.extra_cells == fresh.extra_cells
        assert (stored.agency, stored.year, stored.published_on, stored.template) == (
            fresh.agency,
            fresh.year,
            fresh.published_on,
            fresh.template,
        )
        assert {f.code for f in fresh.findings} <= {f.code for f in stored.findings}


async def test_preload_samples_only_into_an_empty_database(sf):
    assert await preload_samples(sf) == 5
    assert await preload_samples(sf) == 0
    assert await _count(sf, Report) == 5


async def _cell_indexes(sf) -> set[str]:
    async with sf() as session:
        conn = await session.connection()
        return {ix["name"] for ix in await conn.run_sync(lambda c: inspect(c).get_indexes("cell"))}


async def test_a_large_load_builds_the_value_index_once_at_the_end(sf, monkeypatch):
    monkeypatch.setattr(deferred_index, "BULK", 3)
    texts = _texts(4)
    assert VALUE_INDEX in await _cell_indexes(sf)
    during = []
    async for result in ingest_many(sf, _files(*((f"{n}.txt", t) for n, t in enumerate(texts))), expected=4):
        assert result.status == "stored", result.error
        during.append(VALUE_INDEX in await _cell_indexes(sf))
    assert during == [False] * 4
    assert VALUE_INDEX in await _cell_indexes(sf)
    async with sf() as session:  # the rebuilt index holds every cell
        indexed = await session.scalar(
            select(func.count()).select_from(CellRecord).where(CellRecord.key == "apply.new.total")
        )
    assert indexed == 4

    # Fewer files than are stored: the index stays while storing.
    more = _files(*((f"more{n}.txt", t) for n, t in enumerate(_texts(7)[4:])))
    async for result in ingest_many(sf, more, expected=3):
        assert result.status == "stored" and VALUE_INDEX in await _cell_indexes(sf)


async def test_a_large_load_stopped_midway_or_killed_leaves_the_index_in_place(sf, db_url, db_backend, monkeypatch):
    monkeypatch.setattr(deferred_index, "BULK", 2)
    files = _files(*((f"{n}.txt", t) for n, t in enumerate(_texts(3))))
    async with aclosing(ingest_many(sf, files, expected=3)) as results:
        async for result in results:
            assert result.status == "stored"
            assert VALUE_INDEX not in await _cell_indexes(sf)
            break  # the caller stops early; closing the results builds the index
    assert VALUE_INDEX in await _cell_indexes(sf)

    # A killed load cannot build it: whoever opens the database next does.
    async with sf() as session:
        await session.execute(DropIndex(deferred_index._index()))
        await session.commit()
    assert VALUE_INDEX not in await _cell_indexes(sf)
    async with open_db(db_url, in_loop=db_backend == "sqlite-in-loop") as reopened:
        assert VALUE_INDEX in await _cell_indexes(reopened)

"""Killing the process during an upload (issue #8): the report is stored completely or not at all, and
sending the file again stores it exactly once. A folder ingest killed midway has stored exactly the files
it reported, and running it again stores the rest.

Real processes are SIGKILLed at chosen points of ``ingest_bytes`` (tests/faults_support.py): mid-way
through the transaction, just before its COMMIT, and just after it — first a bare ingest, then the bot
itself (``python -m bot`` against the Bot API emulator) while it handles an uploaded file, after which the
bot is started again on the same database and the file is sent again.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from pathlib import Path

import pytest
from bot_support import ADMIN, bot_harness
from builders import build_docx, consistent_values
from faults_support import WHEN, Dump, dump, kill_when_paused, spawn
from sqlalchemy import distinct, func, select
from text_builders import build_text

from bot.emulator import BotAPIEmulator
from core.pipeline import read_report
from core.storage.bulk import ingest_many
from core.storage.db import open_db
from core.storage.ingest import ingest_bytes
from core.storage.models import CellRecord, Report

AGENCY = "舟山市定海区人民政府办公室"


@dataclass(frozen=True)
class Files:
    older: bytes  # an earlier version of the report (same agency and year)
    report: bytes  # the upload that gets killed


@pytest.fixture(scope="module")
def files() -> Files:
    return Files(
        build_docx(consistent_values("2019", seed=1), "2019", agency=AGENCY),
        build_docx(consistent_values("2019", seed=2), "2019", agency=AGENCY),
    )


async def reference(url: str, files: Files, *, older: bool, **uploader: int) -> Dump:
    """The database an uninterrupted run leaves behind."""
    async with open_db(url) as sf:
        if older:
            assert (await ingest_bytes(sf, files.older, "older.docx")).status == "stored"
        assert (await ingest_bytes(sf, files.report, "report.docx", **uploader)).status == "stored"
        return await dump(sf, without=WHEN)


COMMITTED = "after:core.storage.ingest.store_report:1"


@pytest.mark.parametrize(
    ("hook", "older"),
    [
        ("after:core.storage.ingest._agency_for:1", False),  # a new agency row written, nothing else
        ("after:core.storage.ingest._insert_cells:1", True),  # old version demoted, report and cells in
        ("after:core.storage.ingest._store:1", True),  # everything written, COMMIT not yet sent
        (COMMITTED, True),
    ],
)
async def test_an_ingest_killed_at_any_point_leaves_all_or_nothing(
    hook: str, older: bool, db_url: str, tmp_path: Path, files: Files
):
    expected = await reference(f"sqlite:///{tmp_path / 'reference.db'}", files, older=older)
    async with open_db(db_url) as sf:
        if older:
            await ingest_bytes(sf, files.older, "older.docx")
        before = await dump(sf)
    upload = tmp_path / "report.docx"
    upload.write_bytes(files.report)
    log = tmp_path / "child.log"
    proc = await spawn(["ingest", db_url, str(upload), "report.docx", hook], {}, log)
    await kill_when_paused(proc, log)
    assert proc.returncode == -signal.SIGKILL

    async with open_db(db_url) as sf:
        if hook == COMMITTED:
            assert await dump(sf, without=WHEN) == expected  # complete
        else:
            assert await dump(sf) == before  # no trace: no agency, report, cell or finding row
        again = await ingest_bytes(sf, files.report, "report.docx")
        assert again.status == ("duplicate" if hook == COMMITTED else "stored")
        assert await dump(sf, without=WHEN) == expected  # stored exactly once, complete
        assert (await ingest_bytes(sf, files.report, "report.docx")).status == "duplicate"
        assert await dump(sf, without=WHEN) == expected


async def test_killing_the_bot_mid_upload_stores_nothing_and_the_resent_file_once(
    tmp_path: Path, files: Files
):
    expected = await reference(
        f"sqlite:///{tmp_path / 'reference.db'}", files, older=False, uploaded_by=ADMIN, chat_id=ADMIN
    )
    db_url = f"sqlite:///{tmp_path / 'bot.db'}"
    async with BotAPIEmulator() as emu:
        env = {
            "TELEGRAM_BOT_TOKEN": emu.token,
            "TELEGRAM_BASE_URL": emu.base_url,
            "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
            "DATABASE_URL": db_url,
            "ADMIN_IDS": str(ADMIN),
        }
        log = tmp_path / "bot.log"
        proc = await spawn(["bot", "after:core.storage.ingest._insert_cells:1"], env, log)
        emu.push_document(ADMIN, ADMIN, "report.docx", files.report)
        await kill_when_paused(proc, log)
        emu.release_polls()
    [ack] = emu.chat_outputs(ADMIN)
    assert ack.text.startswith("正在解析")  # the bot was mid-way through the upload

    async with open_db(db_url) as sf:
        assert all(rows == [] for rows in (await dump(sf)).values())
        async with bot_harness(sf) as bot:  # the bot restarted; the user sends the file again
            *_, summary = await bot.upload(ADMIN, "report.docx", files.report)
            assert "已入库" in summary.text
            *_, again = await bot.upload(ADMIN, "report.docx", files.report)
            assert "该报告已存在" in again.text
        assert await dump(sf, without=WHEN) == expected


async def test_a_folder_ingest_killed_midway_stored_exactly_what_it_reported(db_url: str, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(12):
        text = build_text(consistent_values("2019", seed=n), "2019", agency=f"第{n}县财政局")
        (folder / f"{n:02d}.txt").write_text(text)
    log = tmp_path / "child.log"
    # The 10th report being stored: groups hold at most 8, so at least one group is committed by then.
    proc = await spawn(["many", db_url, str(folder), "after:core.storage.ingest._store:10"], {}, log)
    printed = await kill_when_paused(proc, log)
    reported = [line.split() for line in printed.splitlines() if line.startswith("RESULT")]
    assert reported and all(status == "stored" for _, _, status in reported)

    files = [(path.name, path.read_bytes) for path in sorted(folder.iterdir())]
    async with open_db(db_url) as sf:
        async with sf() as session:
            stored = set(await session.scalars(select(Report.filename)))
        assert stored == {name for _, name, _ in reported} and len(stored) < len(files)
        again = {r.filename: r.status async for r in ingest_many(sf, files)}
        assert again == {name: "duplicate" if name in stored else "stored" for name, _ in files}
        async with sf() as session:
            cells = dict(
                (
                    await session.execute(
                        select(CellRecord.report_id, func.count()).group_by(CellRecord.report_id)
                    )
                ).all()
            )
            reports = (await session.execute(select(func.count(), func.count(distinct(Report.sha256))))).one()
    assert tuple(reports) == (12, 12)
    expected = read_report((folder / "00.txt").read_bytes(), "00.txt")
    assert set(cells.values()) == {len(expected.cells) + len(expected.extra_cells)}

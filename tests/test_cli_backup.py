"""nianbao backup (issue #17): a consistent, checked copy of the SQLite database, also while it is written."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading

from conftest import SAMPLES

from core.storage.backup import backup_sqlite
from core.storage.db import open_db
from core.storage.ingest import ingest_bytes


def _nianbao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=120)


async def _seeded(url: str) -> None:
    async with open_db(url) as sf:
        for path in sorted(SAMPLES.glob("*.txt")):
            await ingest_bytes(sf, path.read_bytes(), path.name)


def test_backup_copies_every_report_and_the_copy_is_a_working_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    asyncio.run(_seeded(url))
    copy = tmp_path / "backups" / "copy.db"
    result = _nianbao("backup", str(copy), "--db", url)
    assert result.returncode == 0, result.stderr
    assert "5 reports, integrity ok" in result.stdout
    assert not list((tmp_path / "backups").glob("*.partial"))
    # Restoring is putting the copy in place: the bot and the CLI use it as it is.
    answer = _nianbao("ask", "定海区收到多少申请", "--db", f"sqlite:///{copy}")
    assert "34" in answer.stdout, answer.stderr


def test_backup_refuses_postgresql_the_database_itself_and_a_missing_database(tmp_path):
    pg = _nianbao("backup", str(tmp_path / "x.db"), "--db", "postgresql://u@127.0.0.1:1/db")
    assert pg.returncode == 1 and "pg_dump" in pg.stderr
    url = f"sqlite:///{tmp_path / 'live.db'}"
    asyncio.run(_seeded(url))
    itself = _nianbao("backup", str(tmp_path / "live.db"), "--db", url)
    assert itself.returncode == 1 and "database itself" in itself.stderr
    missing = _nianbao("backup", str(tmp_path / "y.db"), "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.returncode == 1 and "no database" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_a_backup_taken_while_reports_are_written_is_consistent(tmp_path):
    live = tmp_path / "live.db"
    asyncio.run(_seeded(f"sqlite:///{live}"))
    stop = threading.Event()

    def write() -> None:  # another process's writes, as the bot would make them
        with sqlite3.connect(live, timeout=30) as db:
            n = 0
            while not stop.is_set():
                db.execute("UPDATE report SET title = ? WHERE id = 1", (f"t{n}",))
                db.commit()
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        results = [backup_sqlite(live, tmp_path / f"copy{i}.db") for i in range(3)]
    finally:
        stop.set()
        writer.join()
    assert [(r.integrity, r.reports) for r in results] == [("ok", 5)] * 3

"""A consistent copy of a SQLite database while the bot keeps running (``nianbao backup FILE``).

SQLite's online backup API copies page by page and restarts when a writer changes a page already copied,
so the copy is one consistent state even under load; copying the file (and its -wal) by hand is not.
PostgreSQL has its own tool for this: ``pg_dump``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 4096  # ~16 MB with 4 KB pages: writers get the lock between steps


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    reports: int
    integrity: str  # "ok", or what PRAGMA integrity_check found


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other databases (and for an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, dest: Path) -> BackupResult:
    """Copy ``source`` to ``dest`` (replaced if it exists) and check the copy."""
    if not source.exists():
        raise FileNotFoundError(source)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    # Read-only: a backup never creates or changes the database it copies.
    with sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True) as src, sqlite3.connect(partial) as out:
        src.backup(out, pages=PAGES_PER_STEP)
    src.close()
    out.close()
    with sqlite3.connect(partial) as check:
        integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
        reports = check.execute("SELECT count(*) FROM report").fetchone()[0]
    check.close()
    partial.replace(dest)  # a failed or interrupted backup never leaves a half-written FILE
    return BackupResult(dest, dest.stat().st_size, reports, integrity)

"""nianbao backup: operating the installation (docs: README, "Operating")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from core.cli.common import DbOption, db_url, fail


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        file: Annotated[Path, typer.Argument(help="Where to write the copy (replaced if it exists).")],
        db: DbOption = None,
    ) -> None:
        """Copy the SQLite database to FILE while the bot runs (SQLite's online backup), then check the copy."""
        from core.storage.backup import backup_sqlite, sqlite_path

        url = db_url(db)
        source = sqlite_path(url)
        if source is None:
            raise fail("backup copies a SQLite database; for PostgreSQL use pg_dump (see README, Operating).")
        if not source.exists():
            raise fail(f"no database at {source}")
        if source.resolve() == file.resolve():
            raise fail("FILE is the database itself; choose another path")
        result = backup_sqlite(source, file)
        if result.integrity != "ok":
            raise fail(f"the copy failed its integrity check: {result.integrity}")
        typer.echo(f"{result.path}: {result.bytes / 1024 / 1024:.1f} MB, {result.reports} reports, integrity ok")

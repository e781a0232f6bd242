"""Alembic, driven from code: every command upgrades the schema to head on first use (no alembic.ini).

Developers add revisions with ``python -m core.storage.migrate revision "what changed"``, which
autogenerates the difference between the models and the newest revision (see migrations/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import shutil
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect
from sqlmodel import SQLModel

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Every module that defines tables. Optional ones may not exist yet while they are being written.
MODEL_MODULES = ("core.storage.models", "core.deadlines.models", "core.storage.chatstate", "core.storage.revision")
_PG_LOCK = 0x6E69616E62616F  # "nianbao": one advisory lock id for schema upgrades


def load_models() -> MetaData:
    """Import every model module and return the metadata they registered."""
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
    return SQLModel.metadata


def alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff:  # new revisions come out formatted and lint-clean
        hooks = {"format": "format REVISION_SCRIPT_FILENAME", "fix": "check --fix REVISION_SCRIPT_FILENAME"}
        cfg.set_section_option("post_write_hooks", "hooks", ", ".join(hooks))
        for name, options in hooks.items():
            cfg.set_section_option("post_write_hooks", f"{name}.type", "exec")
            cfg.set_section_option("post_write_hooks", f"{name}.executable", ruff)
            cfg.set_section_option("post_write_hooks", f"{name}.options", options)
    return cfg


def upgrade(connection: Connection) -> None:
    """Upgrade to head inside the caller's transaction (SQLite: begun IMMEDIATE, so it is serialised)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
    tables = set(inspect(connection).get_table_names())
    if "agency" in tables and "alembic_version" not in tables:
        # Made by create_all before migrations existed: upgrading would collide with its tables.
        raise RuntimeError(
            f"数据库 {connection.engine.url.render_as_string()} 的表不是由迁移创建的，无法自动升级；"
            "请换一个 DATABASE_URL 或删除该数据库后重试。"
        )
    command.upgrade(alembic_config(connection), "head")


def schema_diff(connection: Connection) -> list[object]:
    """What autogenerate would still add for the models: empty when the revisions match them."""
    context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
    return compare_metadata(context, load_models())


def _with_fresh_db(work: str) -> None:
    """Run an Alembic command against a scratch SQLite database upgraded to head."""
    from core.storage.db import make_engine

    async def go() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/scratch.db")
            try:
                async with engine.begin() as conn:
                    await conn.run_sync(upgrade)
                async with engine.begin() as conn:
                    await conn.run_sync(lambda c: _run(work, c))
            finally:
                await engine.dispose()

    asyncio.run(go())


def _run(work: str, connection: Connection) -> None:
    if work == "check":
        diff = schema_diff(connection)
        print("\n".join(map(str, diff)) or "models and migrations match")
    else:
        command.revision(alembic_config(connection), message=work, autogenerate=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m core.storage.migrate")
    sub = parser.add_subparsers(dest="cmd", required=True)
    rev = sub.add_parser("revision", help="autogenerate a revision from the model changes")
    rev.add_argument("message")
    sub.add_parser("check", help="print what the models have that the revisions lack")
    args = parser.parse_args()
    _with_fresh_db(args.message if args.cmd == "revision" else "check")


if __name__ == "__main__":
    main()

"""The schema comes from Alembic revisions, matches the models, and upgrades safely and idempotently."""

from __future__ import annotations

import asyncio
import sys

import pytest
from alembic import command
from sqlalchemy import inspect, text

from core.storage.db import ensure_schema, make_engine
from core.storage.migrate import alembic_config, load_models, schema_diff
from core.storage.schema_version import head_revision


async def test_migrations_match_models(db_url):
    engine = make_engine(db_url)
    try:
        await ensure_schema(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(schema_diff)
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert diff == []
    assert set(load_models().tables) <= tables
    assert {"agency", "report", "cell", "finding", "alembic_version"} <= tables


async def test_upgrade_is_idempotent_and_keeps_data(db_url):
    engine = make_engine(db_url)
    try:
        await ensure_schema(engine)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO agency (name, short_name, match_key, created_at, updated_at) "
                    "VALUES ('甲单位', '甲', '甲单位', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
                )
            )
        await ensure_schema(engine)
        async with engine.connect() as conn:
            names = (await conn.execute(text("SELECT name FROM agency"))).scalars().all()
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    finally:
        await engine.dispose()
    assert names == ["甲单位"]
    assert len(versions) == 1


async def test_processes_starting_at_once_all_succeed(db_url):
    # Separate engines are separate connections, each upgrading a brand-new database at the same moment.
    engines = [make_engine(db_url) for _ in range(4)]
    try:
        await asyncio.gather(*(ensure_schema(e) for e in engines))
        async with engines[0].connect() as conn:
            diff = await conn.run_sync(schema_diff)
    finally:
        for e in engines:
            await e.dispose()
    assert diff == []


async def test_a_database_made_without_migrations_is_refused_clearly(db_url):
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE agency (id INTEGER PRIMARY KEY)"))
        with pytest.raises(RuntimeError, match="不是由迁移创建"):
            await ensure_schema(engine)
    finally:
        await engine.dispose()


def test_the_head_read_from_the_files_is_alembics_head():
    from alembic.script import ScriptDirectory

    from core.storage.migrate import MIGRATIONS

    cfg = alembic_config(None)  # type: ignore[arg-type]
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_heads() == [head_revision()]


async def test_an_older_database_is_upgraded_and_one_at_head_opens_without_alembic(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        await ensure_schema(engine)
        async with engine.begin() as conn:  # a database made before the newest revision
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "-1"))
            older = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        assert older != head_revision()
        await ensure_schema(engine)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one() == head_revision()
        async with engine.connect() as conn:
            assert await conn.run_sync(schema_diff) == []
    finally:
        await engine.dispose()
    probe = (
        "import asyncio, sys\n"
        "from core.storage.db import open_db\n"
        "async def main():\n"
        f"    async with open_db({db_url!r}) as sf:\n"
        "        pass\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", probe, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    assert out.decode().strip() == "False", err.decode()

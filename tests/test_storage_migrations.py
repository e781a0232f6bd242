"""The schema comes from Alembic revisions, matches the models, and upgrades safely and idempotently."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect, text

from core.storage.db import ensure_schema, make_engine
from core.storage.migrate import load_models, schema_diff


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

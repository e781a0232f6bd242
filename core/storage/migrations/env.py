"""Alembic environment. Always called through core.storage.migrate with an open connection."""

from __future__ import annotations

from alembic import context

from core.storage.migrate import load_models

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through core.storage.migrate (python -m core.storage.migrate)")

context.configure(
    connection=connection,
    target_metadata=load_models(),
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

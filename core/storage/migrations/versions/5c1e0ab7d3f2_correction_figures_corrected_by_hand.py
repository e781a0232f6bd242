"""correction: figures corrected by hand (misread scans and photos)

Revision ID: 5c1e0ab7d3f2
Revises: 9b2dfc49ce49
Create Date: 2026-12-07 00:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5c1e0ab7d3f2"
down_revision: str | None = "9b2dfc49ce49"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_raw", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_value", sa.Float(), nullable=True),
        sa.Column("new_raw", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("new_value", sa.Float(), nullable=True),
        sa.Column("corrected_by", sa.BigInteger(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("corrected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_correction_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_correction_report_id"))
    op.drop_table("correction")

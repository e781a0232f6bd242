"""Database tables for agencies, reports, cells and findings (SQLModel; SQLite or PostgreSQL).

Blank, 0 and "/" stay distinct: ``raw`` keeps the printed text, ``value`` is NULL for blank and "/".
Timestamps are aware datetimes in UTC: SQLModel maps ``datetime`` fields to its ``UTCDateTime``, which
refuses naive values (timestamptz on PostgreSQL; SQLite stores UTC and reads it back with tzinfo=UTC).
A schema change here needs an Alembic revision (core/storage/migrations/README.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Agency(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)  # full name as first printed
    short_name: str = Field(index=True)
    region: str | None = None
    # The name without its region prefix and 人民政府/办事处 noise (core.storage.names.match_key): the
    # same agency printed with or without its city ("舟山市定海区人民政府" / "定海区人民政府") shares it.
    match_key: str = Field(default="", index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON))  # other printed full names
    tier_override: str | None = None  # "department" | "government" | "township", set by users
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class Report(SQLModel, table=True):
    __table_args__ = (
        Index("ix_report_agency_year", "agency_id", "year"),
        # Covers "current reports of a year (of these agencies)": a report row is wide (text, sections),
        # so scopes, sums and the latest year must not read the rows themselves (scripts/bench.py, 100k).
        Index("ix_report_current_year", "is_current", "year", "agency_id"),
        # Covers "an agency's current reports": without it SQLite (no statistics) chose the index above for
        # them too and walked every current report (5 ms per question at 100k instead of 0.01).
        Index("ix_report_current_agency", "is_current", "agency_id", "year"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")  # indexed by ix_report_agency_year
    agency_name: str = ""  # as printed in this report (the agency may be stored under another printing)
    year: int | None = Field(default=None, index=True)
    template: str | None = None  # "2019" | "2021"
    title: str | None = None
    published_on: date | None = None
    sha256: str = Field(unique=True, index=True)
    filename: str
    source_kind: str
    is_current: bool = True  # indexed first in ix_report_current_year and ix_report_current_agency
    uploaded_at: datetime = Field(default_factory=utcnow)
    # Telegram ids, when uploaded through the bot (chat ids exceed 32 bits).
    uploaded_by: int | None = Field(default=None, sa_type=BigInteger)
    chat_id: int | None = Field(default=None, sa_type=BigInteger)
    sections: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    tables_found: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    text: str = ""
    # Fingerprints of each table's non-zero figures (core.storage.rechecks.table_digests): reports whose
    # tables could be copies of each other are found by index instead of by comparing every report.
    table2_digest: str | None = Field(default=None, index=True)
    table3_digest: str | None = Field(default=None, index=True)
    table4_digest: str | None = Field(default=None, index=True)


class CellRecord(SQLModel, table=True):
    __tablename__ = "cell"
    __table_args__ = (
        UniqueConstraint("report_id", "key"),
        Index("ix_cell_key_value", "key", "value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique (report_id, key) index serves lookups by report; a third index on
    # the largest table only made every stored report slower.
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE")
    key: str
    raw: str = ""
    value: float | None = None
    unit: str | None = None
    table_id: str  # "二" | "三" | "四"
    row_label: str = ""
    col_label: str = ""
    extra: bool = False
    loc: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class FindingRecord(SQLModel, table=True):
    __tablename__ = "finding"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True, ondelete="CASCADE")
    code: str = Field(index=True)
    severity: str = Field(index=True)
    message: str
    cells: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    # "report": found in the report alone; "cross": needs other reports (previous year, peers) and is
    # recomputed when those change.
    scope: str = Field(default="report", index=True)


class CorrectionRecord(SQLModel, table=True):
    """A figure a user corrected by hand (a misread scan or photo, core.storage.corrections): who, when,
    and what it was before, so no stored figure changes without a trace."""

    __tablename__ = "correction"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True, ondelete="CASCADE")
    key: str
    old_raw: str = ""
    old_value: float | None = None
    new_raw: str = ""
    new_value: float | None = None
    corrected_by: int | None = Field(default=None, sa_type=BigInteger)  # Telegram user id
    chat_id: int | None = Field(default=None, sa_type=BigInteger)
    corrected_at: datetime = Field(default_factory=utcnow)

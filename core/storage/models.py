"""Database tables for agencies, reports, cells and findings (SQLModel; SQLite or PostgreSQL).

Blank, 0 and "/" stay distinct: ``raw`` keeps the printed text, ``value`` is NULL for blank and "/".
Timestamps are stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Agency(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)  # full name as printed
    short_name: str = Field(index=True)
    region: str | None = None
    tier_override: str | None = None  # "department" | "government" | "township", set by users
    created_at: datetime = Field(default_factory=utcnow)


class Report(SQLModel, table=True):
    __table_args__ = (Index("ix_report_agency_year", "agency_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    year: int | None = Field(default=None, index=True)
    template: str | None = None  # "2019" | "2021"
    title: str | None = None
    published_on: date | None = None
    sha256: str = Field(unique=True, index=True)
    filename: str
    source_kind: str
    is_current: bool = Field(default=True, index=True)
    uploaded_at: datetime = Field(default_factory=utcnow)
    uploaded_by: int | None = None  # telegram user id, when uploaded through the bot
    chat_id: int | None = None
    sections: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    tables_found: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    text: str = ""


class CellRecord(SQLModel, table=True):
    __tablename__ = "cell"
    __table_args__ = (
        UniqueConstraint("report_id", "key"),
        Index("ix_cell_key_value", "key", "value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True, ondelete="CASCADE")
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

"""Q&A test data: reports built from figures (tests/builders.py) and stored through core.storage.ingest.

A built report is what the parser would produce for a clean file: every template cell with its printed
label, the tables present, and the parser's ``structure.missing_table`` finding for a table left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from builders import consistent_values, fmt
from conftest import SAMPLES
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.model import Cell, Finding, Location, ParsedReport
from core.storage.db import open_db
from core.storage.ingest import ingest_bytes, store_report
from core.templates import TEMPLATES, template_for_year
from core.values import parse_value

Value = int | float | str
# Q&A tests run on both (issue #8): module fixtures are parametrized with these.
BACKENDS = ("sqlite", "postgresql")


@contextlib.contextmanager
def module_database(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A database URL for one test module on the backend ``request.param``, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{folder / 'qa.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"qa_{uuid.uuid4().hex[:12]}"
    server.psql(f"CREATE DATABASE {name}")
    try:
        yield server.url(name)
    finally:
        server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@dataclass
class Spec:
    """One generated report: agency, year and the figures to override in consistent random values."""

    agency: str
    short_name: str
    region: str | None
    year: int
    seed: int = 0
    values: Mapping[str, Value] = field(default_factory=dict)
    tables: Sequence[str] = ("二", "三", "四")
    text: str = ""
    findings: Sequence[Finding] = ()
    published_on: date | None = None


def build(spec: Spec) -> ParsedReport:
    template = template_for_year(spec.year)
    values: dict[str, Value] = {**consistent_values(template.version, spec.seed), **spec.values}
    cells: dict[str, Cell] = {}
    for cell in TEMPLATES[template.version].cells():
        if cell.derived or cell.key not in values or _table(cell.key, template.version) not in spec.tables:
            continue
        raw = fmt(values[cell.key])
        parsed = parse_value(raw, cell.unit)
        cells[cell.key] = Cell(
            key=cell.key,
            raw=raw,
            value=parsed.value,
            unit=parsed.unit,
            table=_table(cell.key, template.version),
            row_label=cell.row.label,
            col_label=cell.column.label,
            loc=Location("text"),
        )
    findings = list(spec.findings)
    for table in ("三", "四"):
        if table not in spec.tables:
            findings.append(
                Finding("structure.missing_table", "error", f"缺少表{table}", details={"table": table})
            )
    return ParsedReport(
        agency=spec.agency,
        short_name=spec.short_name,
        region=spec.region,
        year=spec.year,
        template=template.version,
        published_on=spec.published_on,
        title=f"{spec.year}年{spec.agency}政府信息公开工作年度报告",
        source_kind="text",
        cells=cells,
        findings=findings,
        tables_found=list(spec.tables),
        text=spec.text,
    )


def _table(key: str, version: str) -> str:
    cell = TEMPLATES[version].cell(key)
    assert cell is not None
    return next(t.id for t in TEMPLATES[version].tables if cell.block in t.blocks)


async def store(sf: async_sessionmaker[AsyncSession], specs: Sequence[Spec]) -> dict[tuple[str, int], int]:
    """Store the reports; returns report ids by (short name, year)."""
    ids = {}
    for spec in specs:
        report = build(spec)
        digest = hashlib.sha256(
            f"{spec.agency}|{spec.year}|{spec.seed}|{sorted(spec.values.items())}|{spec.tables}".encode()
        ).hexdigest()
        result = await store_report(sf, report, sha256=digest, filename=f"{spec.short_name}-{spec.year}.txt")
        assert result.status == "stored", result.error
        assert result.report_id is not None
        ids[(spec.short_name, spec.year)] = result.report_id
    return ids


async def load_seeds(url: str) -> None:
    """Ingest the five seed reports (samples/) into the database at ``url``."""
    async with open_db(url) as sf:
        for path in sorted(SAMPLES.glob("*.txt")):
            result = await ingest_bytes(sf, path.read_bytes(), path.name)
            assert result.status == "stored", (path.name, result.error)

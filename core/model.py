"""The shapes every layer passes around: an extracted document, and a parsed report.

Extractors (``core.extract``) turn a file into a :class:`Document`: paragraphs and table grids, each cell
with its location in the source. The parser (``core.parse``) maps a Document onto a template and returns a
:class:`ParsedReport` whose every figure is a :class:`Cell` that knows where it came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

SourceKind = Literal["docx", "doc", "xlsx", "pdf", "text", "html", "derived", "prose", "scan", "photo"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


class ReportError(Exception):
    """A file that cannot be read as an annual report. The message is one line, in Chinese, for users."""


# ---------------------------------------------------------------- extraction output


@dataclass
class Location:
    """Where a piece of text sits in the source file. Unused fields stay None."""

    kind: SourceKind
    table: int | None = None  # index of the table in the document (0-based)
    row: int | None = None  # row in that table (0-based)
    col: int | None = None  # physical column in that row (0-based)
    page: int | None = None  # pdf page (1-based)
    line: int | None = None  # text line (1-based)
    # Read by OCR ("scan", "photo"): the box on the page as read (pixels of the straightened page at
    # 200 dpi: x0, y0, x1, y1), the recogniser's confidence (its least certain character), and its other
    # readings of the text, most likely first.
    bbox: list[int] | None = None
    confidence: float | None = None
    readings: list[str] | None = None

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"表{self.table + 1}")
        if self.row is not None:
            parts.append(f"行{self.row + 1}")
        if self.col is not None:
            parts.append(f"列{self.col + 1}")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        return self.kind + (" " + " ".join(parts) if parts else "")


@dataclass
class GridCell:
    text: str
    loc: Location
    colspan: int = 1
    # True when this position is covered by a vertically merged cell that starts in an earlier row;
    # ``text`` then repeats that cell's text (empty when the source cannot tell, as in plain text).
    continued: bool = False


@dataclass
class Table:
    index: int
    rows: list[list[GridCell]]
    page: int | None = None


@dataclass
class Paragraph:
    text: str
    loc: Location


Block = Paragraph | Table


@dataclass
class Document:
    kind: SourceKind
    blocks: list[Block]
    # What the file names itself outside its text: a web page's <title>, a Word file's title property.
    # Least trusted of the places an agency is read from (a site name often rides along).
    title: str | None = None
    # Notes the reader has on its own reading (a text copy's guessed cell alignment), as findings.
    findings: list[Finding] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if isinstance(b, Paragraph))


# ---------------------------------------------------------------- parsed report


@dataclass
class Cell:
    key: str  # canonical key, e.g. "apply.new.total"; extra cells use "extra.<table>.<n>"
    raw: str  # text as printed, "" for a blank cell
    value: float | int | None  # None for blank, "/", "—", "无" …
    unit: str | None  # normalised unit: "件", "元", "万元", or None
    table: str  # "二" | "三" | "四"
    row_label: str
    col_label: str
    loc: Location

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["loc"] = {k: v for k, v in d["loc"].items() if v is not None}
        return d


@dataclass
class Finding:
    code: str  # dotted, area first: "table3.column_identity", "structure.missing_table" …
    severity: Severity
    message: str  # Chinese, self-contained: rule, cells, numbers, what they should be
    cells: list[str] = field(default_factory=list)  # canonical keys involved
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedReport:
    agency: str | None  # full name as printed
    short_name: str | None  # what users type: 定海区, 白鹤街道, 瞻岐镇
    region: str | None  # e.g. 宁波市鄞州区
    year: int | None
    template: Literal["2019", "2021"] | None
    published_on: date | None
    title: str | None
    source_kind: SourceKind
    sections: dict[str, str] = field(default_factory=dict)  # "一" … "六" → text
    cells: dict[str, Cell] = field(default_factory=dict)
    extra_cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tables_found: list[str] = field(default_factory=list)  # "二", "三", "四" as found
    text: str = ""  # all prose, for prose checks and copy detection
    # read_report ran core.checks.report_checks (no tier override) into findings: storing it then runs only
    # the checks that need other reports.
    checked: bool = False

    @property
    def values(self) -> dict[str, float | int | None]:
        return {k: c.value for k, c in self.cells.items()}

    def value(self, key: str) -> float | int | None:
        c = self.cells.get(key)
        return c.value if c else None

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "short_name": self.short_name,
            "region": self.region,
            "year": self.year,
            "template": self.template,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "title": self.title,
            "source_kind": self.source_kind,
            "tables_found": self.tables_found,
            "sections": self.sections,
            "values": self.values,
            "cells": {k: c.to_json() for k, c in self.cells.items()},
            "extra_cells": [c.to_json() for c in self.extra_cells],
            "findings": [f.to_json() for f in self.findings],
        }

"""Structural findings the parser records: stable ``structure.*`` codes and their severities.

Only a missing required table is an error; anything the parser could still read completely is info
(a known deviation) or a warning (a figure may be missing or read by position).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.model import Finding, Severity

MISSING_TABLE = "structure.missing_table"
MALFORMED_TABLE = "structure.malformed_table"
UNKNOWN_TABLE = "structure.unknown_table"
NONSTANDARD_LAYOUT = "structure.nonstandard_layout"
EXTRA_ROW = "structure.extra_row"
SUBTOTAL_COLUMN = "structure.subtotal_column"
WRAPPED_LABEL = "structure.wrapped_label"
SPLIT_TABLE = "structure.split_table"
SPLIT_LABEL = "structure.split_label"
EXTRA_CELLS = "structure.extra_cells"
MISSING_CELLS = "structure.missing_cells"
DUPLICATE_CELL = "structure.duplicate_cell"
TEMPLATE_MISMATCH = "structure.template_mismatch"
MISSING_SECTION = "structure.missing_section"
MISSING_META = "structure.missing_meta"
ALIGNED = "structure.aligned_by_sums"
GUESSED_ALIGNMENT = "structure.guessed_alignment"

SEVERITY: dict[str, Severity] = {
    MISSING_TABLE: "error",
    MALFORMED_TABLE: "warning",
    UNKNOWN_TABLE: "info",
    NONSTANDARD_LAYOUT: "info",
    EXTRA_ROW: "info",
    SUBTOTAL_COLUMN: "info",
    WRAPPED_LABEL: "info",
    SPLIT_TABLE: "info",
    SPLIT_LABEL: "info",
    EXTRA_CELLS: "warning",
    MISSING_CELLS: "warning",
    DUPLICATE_CELL: "warning",
    TEMPLATE_MISMATCH: "warning",
    MISSING_SECTION: "warning",
    MISSING_META: "warning",
    ALIGNED: "info",
    GUESSED_ALIGNMENT: "warning",
}


def finding(code: str, message: str, cells: Iterable[str] = (), **details: Any) -> Finding:
    return Finding(code=code, severity=SEVERITY[code], message=message, cells=list(cells), details=details)


def listing(items: Iterable[str], limit: int = 6) -> str:
    """A short Chinese enumeration for messages: "a、b、c 等N项"."""
    items = list(dict.fromkeys(items))
    shown = "、".join(items[:limit])
    return shown + (f" 等{len(items)}项" if len(items) > limit else "")

"""Text copied or saved from a web page → Document.

Layouts recognised, line by line:

- one cell per line behind a tab, rows separated by a blank line (what browsers give when a table is
  copied): a cell may wrap onto the next line without a tab (``\\t本年新`` / ``制作数量``), and a lone tab
  is a blank cell. Two blank lines, or text after a blank line, end the table.
- rows of cells separated by ``|`` (markdown-like, separator lines skipped) or by tabs within the line.
- one cell per line (or per paragraph) with no delimiter at all: the table is recovered from the
  template's labels — a run of short lines holding template labels and figures becomes a table, with a
  row starting at each row label and header labels collected until the first row.
- everything else is a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from core.extract.copies import flip_like, flip_table, looks_like_flipbook, strip_pinyin, unpipe
from core.model import Block, Document, GridCell, Location, Paragraph, Table
from core.parse.grid import analyse
from core.parse.labels import Label, looks_like_block_title, vocabulary

_ARTIFACTS = re.compile(r"\[bookmark:[^\]]*\]")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_HEADING = re.compile(
    r"^\s*(?:第?[一二三四五六七八九十]+(?:部分)?\s*[、.．]|\d{1,2}\s*[、．]\s*\S|[（(][一二三四五六七八九十]+[）)])"
)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SHORT = 24  # longest line still taken for a table cell in a layout without delimiters
_LOOKAHEAD = 40  # lines searched from a row label for its first figure (blank values in between)


@dataclass
class _Line:
    no: int  # 1-based
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _kind(line: str) -> str:
    if line.startswith("\t"):  # a lone tab is a blank cell, not a blank line
        return "tsv" if "\t" in line[1:].strip("\t") else "tab"
    if not line.strip():
        return "blank"
    if "\t" in line.strip():
        return "tsv"
    stripped = line.strip()
    if stripped.startswith("|") or " | " in stripped:
        return "pipe"
    return "text"


def _pipe_cells(line: str) -> list[str]:
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [_BR.sub("\n", c).strip().strip("*`").strip() for c in stripped.split("|")]  # **粗体**


@dataclass
class _Builder:
    blocks: list[Block] = field(default_factory=list)
    tables: int = 0

    def paragraph(self, line: _Line) -> None:
        if not line.blank:
            self.blocks.append(Paragraph(line.text.strip(), Location(kind="text", line=line.no)))

    def table(self, rows: list[list[tuple[int, str]]]) -> None:
        """``rows``: cells as (line number, text)."""
        rows = [r for r in rows if r]
        if not rows:
            return
        index = self.tables
        self.tables += 1
        grid = [
            [
                GridCell(text, Location(kind="text", table=index, row=r, col=c, line=no))
                for c, (no, text) in enumerate(row)
            ]
            for r, row in enumerate(rows)
        ]
        self.blocks.append(Table(index=index, rows=grid))


def extract_text(text: str) -> Document:
    text = _ARTIFACTS.sub("", text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    raw = unpipe(strip_pinyin(text).split("\n"))
    lines = [_Line(i + 1, t) for i, t in enumerate(raw) if t != "\x00"]
    kinds = [_kind(line.text) for line in lines]
    out = _Builder()
    i = 0
    while i < len(lines):
        kind = kinds[i]
        if kind == "tab":
            i = _tab_table(lines, kinds, i, out)
        elif kind in ("tsv", "pipe"):
            j = i
            while j < len(lines) and kinds[j] == kind:
                j += 1
            if j - i >= 2:
                _delimited_table(lines[i:j], kind, out)
            else:
                out.paragraph(lines[i])
            i = j
        else:
            j = i
            while j < len(lines) and kinds[j] in ("text", "blank"):
                j += 1
            _text_run(lines[i:j], out)
            i = max(j, i + 1)
    return Document(kind="text", blocks=out.blocks)


def _text_run(lines: list[_Line], out: _Builder) -> None:
    """Undelimited lines: flip-book tables where their lines run together, the rest read by labels."""
    i = 0
    start = 0
    while i < len(lines):
        if not flip_like(lines[i].text):
            i += 1
            continue
        j = i
        while j < len(lines) and flip_like(lines[j].text):
            j += 1
        if looks_like_flipbook([line.text for line in lines[i:j]]):
            _plain(lines[start:i], out)
            out.table(flip_table([(line.no, line.text) for line in lines[i:j]]))
            start = j
        i = j
    _plain(lines[start:], out)


# ---------------------------------------------------------------- one cell per line behind a tab


def _tab_table(lines: list[_Line], kinds: list[str], i: int, out: _Builder) -> int:
    rows: list[list[tuple[int, str]]] = [[]]
    blanks = 0
    while i < len(lines):
        kind, line = kinds[i], lines[i]
        if kind == "tab":
            if blanks and rows[-1]:
                rows.append([])
            blanks = 0
            rows[-1].append((line.no, line.text[1:]))
        elif kind == "blank":
            blanks += 1
            if blanks >= 2:
                break
        elif kind == "text" and not blanks and rows[-1] and _wraps(rows[-1][-1][1], line.text):
            no, previous = rows[-1][-1]
            rows[-1][-1] = (no, previous + "\n" + line.text)
        else:
            break
        i += 1
    out.table(rows)
    return i


def _wraps(cell: str, line: str) -> bool:
    """A label wrapped onto the next line (labels wrap, figures and section headings do not)."""
    if len(line.strip()) > 40 or _HEADING.match(line):
        return False
    return analyse(cell.strip())[1] != "number"


def _delimited_table(lines: list[_Line], kind: str, out: _Builder) -> None:
    rows = []
    for line in lines:
        if kind == "pipe":
            if _MD_SEPARATOR.match(line.text.strip()):
                continue
            cells = _pipe_cells(line.text)
        else:
            cells = [c.strip() for c in line.text.split("\t")]
        rows.append([(line.no, c) for c in cells])
    out.table(rows)


# ---------------------------------------------------------------- no delimiter: recover from labels


def _label_kind(text: str) -> str:
    """V figure/placeholder, B blank, K template label, S short unknown text, P prose or a heading."""
    stripped = text.strip()
    if not stripped:
        return "B"
    label, kind = analyse(stripped)
    if len(label.norm) <= _SHORT and kind in ("number", "placeholder"):
        return "V"
    vocab = vocabulary()
    if label.norm in vocab or label.core in vocab or looks_like_block_title(label):
        return "K"
    if len(label.norm) > _SHORT or _HEADING.match(stripped):
        return "P"
    return "S"


def _plain(lines: list[_Line], out: _Builder) -> None:
    kinds = [_label_kind(line.text) for line in lines]
    i = 0
    while i < len(lines):
        if kinds[i] == "P":
            out.paragraph(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and kinds[j] != "P":
            j += 1
        _region(lines[i:j], kinds[i:j], out)
        i = j


def _region(lines: list[_Line], kinds: list[str], out: _Builder) -> None:
    """A run of short lines: a table when template labels and figures dominate it, else paragraphs."""
    filled = [k for k in kinds if k != "B"]
    labels, figures = filled.count("K"), filled.count("V")
    if labels < 2 or not figures or (labels + figures) * 10 < len(filled) * 6:
        for line in lines:
            out.paragraph(line)
        return
    start = next(i for i, k in enumerate(kinds) if k == "K")
    for line in lines[:start]:
        out.paragraph(line)
    body = list(zip(lines[start:], kinds[start:], strict=True))
    out.table(_unseparated(list(_rows(_cells(body)))))


def _cells(body: list[tuple[_Line, str]]) -> list[tuple[_Line, str]]:
    """Lines as cells. When every cell is its own paragraph, n blank lines between cells hold (n-1)//2
    empty cells; otherwise each blank line is an empty cell."""
    filled = [i for i, (_, k) in enumerate(body) if k != "B"]
    spaced = sum(1 for i in filled[:-1] if body[i + 1][1] == "B")
    if not filled or spaced * 10 < (len(filled) - 1) * 8:
        return body
    cells: list[tuple[_Line, str]] = []
    run: list[_Line] = []
    for line, kind in body:
        if kind == "B":
            run.append(line)
            continue
        cells.extend((blank, "B") for blank in run[: (len(run) - 1) // 2])
        run = []
        cells.append((line, kind))
    return cells


def _starts_row(cells: list[tuple[_Line, str]], i: int) -> bool:
    """A row label followed, through blanks and more row labels only, by figures. A label that also
    names a column (总计) cannot start one: in a header it is the column."""
    vocab = vocabulary()
    for j, (line, kind) in enumerate(cells[i : i + _LOOKAHEAD]):
        if kind == "V":
            return True
        if kind == "B":
            continue
        label = Label.of(line.text)
        kinds = vocab.get(label.norm, set()) | vocab.get(label.core, set())
        if not kinds & {"row", "group"} or (j == 0 and "column" in kinds):
            return False
    return False


def _names_columns(row: list[tuple[int, str]]) -> bool:
    vocab = vocabulary()
    for _, text in row:
        label = Label.of(text)
        if (vocab.get(label.norm) or vocab.get(label.core, set())) & {"row", "group"}:
            return False
    return any("column" in (vocab.get(Label.of(text).norm) or set()) for _, text in row)


def _rows(cells: list[tuple[_Line, str]]) -> Iterator[list[tuple[int, str]]]:
    """Cells → rows: header labels gather until a row label (or the first figure) starts the data; a
    row runs from its labels through its figures and blanks to the next label."""
    row: list[tuple[int, str]] = []
    has_values = False
    header = True
    blanks: list[tuple[int, str]] = []  # blank lines just before the first figure may be blank values
    for i, (line, kind) in enumerate(cells):
        cell = (line.no, line.text.strip())
        if kind == "K" and looks_like_block_title(Label.of(line.text)):
            yield row
            yield [cell]
            row, has_values, header, blanks = [], False, True, []
        elif kind == "B":
            if not header and row:
                row.append(cell)  # a blank value: a label after it starts the next row
                has_values = True
            elif header:
                blanks.append(cell)
        elif kind == "V":
            if header and row and not has_values:
                yield row
                row = list(blanks)
            header, blanks = False, []
            row.append(cell)
            has_values = True
        elif has_values:
            yield row
            row, has_values = [cell], False
        elif row and (header or _names_columns(row)) and _starts_row(cells, i):
            yield row  # a header ends where a row label starts (the next block's header, too)
            row, header = [cell], False
        else:
            if header and not row and _starts_row(cells, i):
                header = False
            row.append(cell)
            blanks = []
    yield row


def _unseparated(rows: list[list[tuple[int, str]]]) -> list[list[tuple[int, str]]]:
    """Drop the blank lines that separated rows (a tab copy with its tabs lost): then nearly every row
    of figures ends with one, and a row of figures without a label starts with one."""
    figures = [r for r in rows if any(text and _label_kind(text) == "V" for _, text in r)]
    ending = sum(1 for r in figures if not r[-1][1])
    if not figures or ending * 10 < len(figures) * 8:
        return rows
    marked = {id(r) for r in figures}
    out = []
    for row in rows:
        if id(row) in marked:
            row = row[:-1] if not row[-1][1] else row
            row = row[1:] if row and not row[0][1] else row
        out.append(row)
    return out

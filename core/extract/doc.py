"""Word 97–2003 binary files (.doc) and WPS Office files (.wps, the same OLE Word format) → Document.

Read from the format itself ([MS-DOC]), with olefile for the OLE container: the FIB locates the piece
table (text is stored in pieces, 8-bit or UTF-16), and the paragraph properties (PAPX, in 512-byte FKP
pages) say which paragraph marks end table cells and rows. A row's TDefTable gives its cell boundaries
in twips, from which colspans and vertical merges are laid on the table's grid as the .docx reader does.

Nested tables are flattened into their outer cell's text; fields keep their result, not their code.
"""

from __future__ import annotations

import io
import struct
from bisect import bisect_right
from dataclasses import dataclass, field

import olefile

from core.model import Block, Document, GridCell, Location, Paragraph, ReportError, Table
from core.settings import Settings

_FIB_IDENT = 0xA5EC
_CLX_INDEX = 33  # fcClx/lcbClx in FibRgFcLcb97
_BTE_PAPX_INDEX = 13  # fcPlcfBtePapx
_CELL = "\x07"
_FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x13", "\x14", "\x15"
# Characters that stand for objects or layout, not text.
_DROP = str.maketrans({c: None for c in "\x01\x02\x03\x04\x05\x06\x08\x1f"} | {"\x1e": "-", "\x0b": "\n", "\x0c": "\n"})
_CP1252_SPECIAL = {0x82: "‚", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x96: "–", 0x97: "—"}

# sprms read from paragraph properties
_IN_TABLE = 0x2416
_TTP = 0x2417
_ITAP = 0x6649
_INNER_TTP = 0x244C
_INNER_CELL = 0x244B
_HUGE_PAPX = 0x6646
_TDEF_TABLE = 0xD608
_TDEF_TABLE_10 = 0xD606
_VERT_MERGE = 0x20  # TC80.fVertMerge
_VERT_RESTART = 0x40  # TC80.fVertRestart
_SNAP_TWIPS = 72


_DAMAGED = "Word 文件（.doc）已损坏，无法读取，请在 Word 或 WPS 中另存为 .docx 后再上传。"


def extract_doc(data: bytes, settings: Settings) -> Document:
    try:
        return _extract(data, settings)
    except (OSError, ValueError, IndexError, struct.error) as exc:  # olefile's and ours on a damaged file
        raise ReportError(_DAMAGED) from exc


def _extract(data: bytes, settings: Settings) -> Document:
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if not ole.exists("WordDocument"):
            raise ReportError("这是 Office 二进制文件，但不是 Word 文档，请另存为 .docx 或 .pdf 后再上传。")
        word = ole.openstream("WordDocument").read()
        fib = _Fib.read(word)
        table_name = "1Table" if fib.which_table else "0Table"
        if not ole.exists(table_name):
            raise ReportError("Word 文件（.doc）已损坏：缺少表格流，无法读取。")
        table = ole.openstream(table_name).read()
        data_stream = ole.openstream("Data").read() if ole.exists("Data") else b""
    text, fcs = _text(word, table, fib)
    marks = _ParagraphProps(word, table, data_stream, fib)
    return _Builder(settings).build(text, fcs, marks)


@dataclass
class _Fib:
    which_table: bool
    ccp_text: int
    fc_lcb: list[tuple[int, int]]

    @classmethod
    def read(cls, word: bytes) -> _Fib:
        if len(word) < 0x200 or struct.unpack_from("<H", word, 0)[0] != _FIB_IDENT:
            raise ReportError("Word 文件（.doc）格式无法识别（可能是 Word 6/95 或更早的格式），请另存为 .docx 后再上传。")
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        if flags & 0x0100:  # fEncrypted
            raise ReportError("Word 文件已加密（设置了打开密码），无法读取，请取消密码保护后再上传。")
        pos = 32
        csw = struct.unpack_from("<H", word, pos)[0]
        pos += 2 + csw * 2
        cslw = struct.unpack_from("<H", word, pos)[0]
        rglw = pos + 2
        ccp_text = struct.unpack_from("<i", word, rglw + 3 * 4)[0]
        pos = rglw + cslw * 4
        count = struct.unpack_from("<H", word, pos)[0]
        pairs = [struct.unpack_from("<II", word, pos + 2 + 8 * i) for i in range(min(count, 200))]
        return cls(bool(flags & 0x0200), ccp_text, pairs)

    def blob(self, index: int, stream: bytes) -> bytes:
        if index >= len(self.fc_lcb):
            return b""
        fc, lcb = self.fc_lcb[index]
        return stream[fc : fc + lcb] if lcb and fc + lcb <= len(stream) else b""


def _text(word: bytes, table: bytes, fib: _Fib) -> tuple[str, list[int]]:
    """The main document's text, and the file offset of each of its characters (for the PAPX lookup)."""
    clx = fib.blob(_CLX_INDEX, table)
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers, skipped
        pos += 3 + struct.unpack_from("<H", clx, pos + 1)[0]
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        raise ReportError(_DAMAGED)
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    parts: list[str] = []
    fcs: list[int] = []
    for i in range(n):
        start, end = cps[i], min(cps[i + 1], fib.ccp_text)
        if start >= end:
            continue
        fc_raw = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        count = end - start
        if fc_raw & 0x40000000:  # 8-bit text (cp1252) at fc / 2
            fc = (fc_raw & 0x3FFFFFFF) // 2
            raw = word[fc : fc + count]
            parts.append("".join(_CP1252_SPECIAL.get(b, chr(b)) for b in raw))
            fcs.extend(range(fc, fc + len(raw)))
        else:
            fc = fc_raw & 0x3FFFFFFF
            raw = word[fc : fc + 2 * count]
            parts.append(raw.decode("utf-16-le", errors="replace"))
            fcs.extend(range(fc, fc + len(raw) - 1, 2))
    return "".join(parts), fcs


@dataclass
class _Props:
    in_table: bool = False
    row_end: bool = False
    depth: int = 1
    bounds: list[int] = field(default_factory=list)  # cell boundaries in twips (a row end's TDefTable)
    merges: list[int] = field(default_factory=list)  # per cell: TC80 flags


class _ParagraphProps:
    """Paragraph properties by file offset of a paragraph mark, from the FKPs of the PlcBtePapx."""

    def __init__(self, word: bytes, table: bytes, data: bytes, fib: _Fib) -> None:
        self.word, self.data = word, data
        plc = fib.blob(_BTE_PAPX_INDEX, table)
        n = (len(plc) - 4) // 8
        self.pages = [struct.unpack_from("<I", plc, 4 * (n + 1) + 4 * i)[0] & 0x3FFFFF for i in range(n)]
        self.starts = list(struct.unpack_from(f"<{n + 1}I", plc, 0)) if n else []
        self.cache: dict[int, tuple[list[int], list[bytes]]] = {}

    def at(self, fc: int) -> _Props:
        i = bisect_right(self.starts, fc) - 1
        if i < 0 or i >= len(self.pages):
            return _Props()
        rgfc, grpprls = self._page(self.pages[i])
        j = bisect_right(rgfc, fc) - 1
        if j < 0 or j >= len(grpprls):
            return _Props()
        return self._props(grpprls[j])

    def _page(self, pn: int) -> tuple[list[int], list[bytes]]:
        if pn not in self.cache:
            page = self.word[pn * 512 : pn * 512 + 512]
            if len(page) < 512:
                self.cache[pn] = ([], [])
                return self.cache[pn]
            crun = page[511]
            rgfc = list(struct.unpack_from(f"<{crun + 1}I", page, 0))
            grpprls = []
            for k in range(crun):
                offset = page[4 * (crun + 1) + 13 * k] * 2
                if not offset:
                    grpprls.append(b"")
                    continue
                cb = page[offset]
                if cb:
                    body = page[offset + 1 : offset + 1 + 2 * cb - 1]
                else:
                    body = page[offset + 2 : offset + 2 + 2 * page[offset + 1]]
                grpprls.append(body[2:])  # after the style index
            self.cache[pn] = (rgfc, grpprls)
        return self.cache[pn]

    def _props(self, grpprl: bytes) -> _Props:
        props = _Props()
        for sprm, operand in _sprms(grpprl):
            if sprm == _HUGE_PAPX and len(operand) == 4:
                at = struct.unpack("<I", operand)[0]
                if at + 2 <= len(self.data):
                    size = struct.unpack_from("<H", self.data, at)[0]
                    huge = self._props(self.data[at + 2 : at + 2 + size])
                    return huge
            elif sprm == _IN_TABLE:
                props.in_table = bool(operand[:1] and operand[0])
            elif sprm == _TTP:
                props.row_end = bool(operand[:1] and operand[0])
            elif sprm == _ITAP and len(operand) == 4:
                props.depth = struct.unpack("<i", operand)[0]
            elif sprm == _INNER_TTP and operand[:1] == b"\x01":
                props.row_end = True
            elif sprm in (_TDEF_TABLE, _TDEF_TABLE_10):
                props.bounds, props.merges = _tdef(operand)
        return props


def _sprms(grpprl: bytes) -> list[tuple[int, bytes]]:
    out = []
    pos = 0
    while pos + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, pos)[0]
        pos += 2
        spra = sprm >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif sprm in (_TDEF_TABLE, _TDEF_TABLE_10):  # a 2-byte size, counting itself
            if pos + 2 > len(grpprl):
                break
            size = struct.unpack_from("<H", grpprl, pos)[0] - 1
            pos += 2
        else:
            if pos >= len(grpprl):
                break
            size = grpprl[pos]
            pos += 1
        out.append((sprm, grpprl[pos : pos + size]))
        pos += size
    return out


def _tdef(operand: bytes) -> tuple[list[int], list[int]]:
    """TDefTable: cell count, the cells' boundaries (twips), then a 20-byte TC80 per cell."""
    if not operand:
        return [], []
    count = operand[0]
    if len(operand) < 1 + 2 * (count + 1):
        return [], []
    bounds = list(struct.unpack_from(f"<{count + 1}h", operand, 1))
    tcs = operand[1 + 2 * (count + 1) :]
    merges = [struct.unpack_from("<H", tcs, 20 * i)[0] if 20 * i + 2 <= len(tcs) else 0 for i in range(count)]
    return bounds, merges


def _fields(text: str) -> str:
    """Field results kept, field codes dropped: {HYPERLINK "…"}text → text."""
    if _FIELD_BEGIN not in text:
        return text
    out: list[str] = []
    stack: list[bool] = []  # per open field: still in its code part
    for ch in text:
        if ch == _FIELD_BEGIN:
            stack.append(True)
        elif ch == _FIELD_SEP and stack:
            stack[-1] = False
        elif ch == _FIELD_END and stack:
            stack.pop()
        elif not any(stack):
            out.append(ch)
    return "".join(out)


@dataclass
class _Row:
    cells: list[str]
    props: _Props


class _Builder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.blocks: list[Block] = []
        self.rows: list[_Row] = []
        self.cells = 0
        self.paragraphs = 0

    def build(self, text: str, fcs: list[int], marks: _ParagraphProps) -> Document:
        cell: list[str] = []  # paragraphs of the current cell
        row: list[str] = []
        start = 0
        for i, ch in enumerate(text):
            if ch not in "\r" + _CELL:
                continue
            piece = _fields(text[start:i]).translate(_DROP)
            start = i + 1
            props = marks.at(fcs[i]) if i < len(fcs) else _Props()
            if not props.in_table and ch == "\r":
                self._flush_table()
                self._paragraph(piece)
                continue
            if props.depth > 1 and not (props.row_end and ch == _CELL):  # a nested table: its text joins the outer cell
                cell.append(piece)
                continue
            if props.row_end and ch == _CELL and props.depth <= 1:
                self.rows.append(_Row(row, props))
                row, cell = [], []
                continue
            cell.append(piece)
            if ch == _CELL:
                row.append("\n".join(p.strip() for p in cell if p.strip()))
                cell = []
        self._flush_table()
        if cell:
            self._paragraph("\n".join(cell))
        return Document(kind="doc", blocks=self.blocks)

    def _paragraph(self, text: str) -> None:
        text = " ".join(text.replace("\n", " ").split())
        if text:
            self.paragraphs += 1
            self.blocks.append(Paragraph(text, Location(kind="doc", line=self.paragraphs)))

    def _flush_table(self) -> None:
        if not self.rows:
            return
        index = sum(1 for b in self.blocks if isinstance(b, Table))
        self.cells += sum(len(r.cells) for r in self.rows)
        if self.cells > self.settings.max_cells:
            raise ReportError(f"表格单元格过多（超过 {self.settings.max_cells} 个），超过上限。")
        self.blocks.append(Table(index=index, rows=_grid(self.rows, index)))
        self.rows = []


def _snap(edges: list[int]) -> list[int]:
    """Boundaries closer than a twentieth of an inch are one grid line (rows drawn by hand differ slightly)."""
    out: list[int] = []
    for e in edges:
        if not out or e - out[-1] > _SNAP_TWIPS:
            out.append(e)
    return out


def _grid(rows: list[_Row], index: int) -> list[list[GridCell]]:
    """Rows of cells on the table's grid: the distinct cell boundaries of all rows are its columns; a cell
    covering several is a colspan, a vertically merged one repeats the text above, ``continued``."""
    edges = _snap(sorted({b for r in rows for b in r.props.bounds}))
    out: list[list[GridCell]] = []
    above: dict[int, str] = {}  # grid column → text of the merge that starts above
    for r, row in enumerate(rows):
        bounds, merges = row.props.bounds, row.props.merges
        geometric = len(bounds) == len(row.cells) + 1
        cells: list[GridCell] = []
        for c, text in enumerate(row.cells):
            loc = Location(kind="doc", table=index, row=r, col=c)
            if not geometric:
                cells.append(GridCell(text, loc))
                continue
            first = bisect_right(edges, bounds[c] + _SNAP_TWIPS) - 1
            span = max(bisect_right(edges, bounds[c + 1] + _SNAP_TWIPS) - 1 - first, 1)
            flags = merges[c] if c < len(merges) else 0
            if flags & _VERT_MERGE and not flags & _VERT_RESTART and first in above:
                cells.append(GridCell(above[first], loc, colspan=span, continued=True))
                continue
            if flags & _VERT_RESTART:
                above[first] = text
            else:
                above.pop(first, None)
            cells.append(GridCell(text, loc, colspan=span))
        out.append(cells)
    return out

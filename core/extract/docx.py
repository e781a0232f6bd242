"""Word (.docx) → Document, read from the WordprocessingML itself in document order.

Paragraphs and tables come out interleaved as they appear in the body (content controls and custom XML
wrappers are looked through). Each ``w:tc`` becomes one GridCell: ``w:gridSpan`` gives its colspan, and a
``w:vMerge`` continuation repeats the text of the merge's top cell with ``continued=True``.

The main part is parsed with a locked-down lxml parser (no DTD, no entity expansion, no network), and a
part that declares a DOCTYPE or ENTITY is refused outright: Word never writes one.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

from core.extract import one_line, read_member
from core.model import Block, Document, GridCell, Location, Paragraph, ReportError, Table
from core.settings import Settings

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DEFAULT_MAIN = "word/document.xml"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )


def _parse_part(archive: zipfile.ZipFile, name: str) -> etree._Element:
    xml = read_member(archive, name)
    if _declares_dtd(xml):
        raise ReportError("Word 文件包含不允许的 XML 声明（DOCTYPE/ENTITY），可能被篡改，拒绝读取。")
    try:
        return etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        raise ReportError(f"Word 文件已损坏：{one_line(name)} 不是有效的 XML。") from exc


def _declares_dtd(xml: bytes) -> bool:
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 parts: search the decoded text
        xml = xml.decode("utf-16", errors="replace").encode()
    return b"<!DOCTYPE" in xml or b"<!ENTITY" in xml


def _main_part_name(archive: zipfile.ZipFile) -> str:
    """The officeDocument target named by the package relationships (almost always word/document.xml)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        for rel in _parse_part(archive, "_rels/.rels").iter(f"{{{_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if target in names:
                    return target
    if _DEFAULT_MAIN in names:
        return _DEFAULT_MAIN
    raise ReportError("Word 文件已损坏：压缩包里没有文档正文（word/document.xml）。")


def _part_targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → package part name, for the internal relationships of ``part``."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return {}
    targets = {}
    for rel in _parse_part(archive, rels).iter(f"{{{_REL}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[rel.get("Id", "")] = posixpath.normpath(path)
    return targets


def extract_docx(archive: zipfile.ZipFile, settings: Settings) -> Document:
    """Read an opened .docx package (already checked against zip bombs by the caller)."""
    main = _main_part_name(archive)
    root = _parse_part(archive, main)
    ns = etree.QName(root).namespace or ""
    body = root.find(f"{{{ns}}}body")
    if body is None:
        raise ReportError("Word 文件已损坏：文档正文为空（缺少 w:body）。")
    reader = _Reader(ns, settings, archive, main)
    reader.count_cells(sum(1 for _ in body.iter(reader.tc)))  # before reading any of them
    reader.walk(body)
    return Document(kind="docx", blocks=reader.blocks)


class _AltChunks:
    """Content a document imports with w:altChunk: HTML-to-Word exporters put the whole report in one."""

    def __init__(self, archive: zipfile.ZipFile, main: str, max_cells: int) -> None:
        self.archive = archive
        self.targets = _part_targets(archive, main)
        self.max_cells = max_cells

    def document(self, rel_id: str) -> Document | None:
        from core.extract import extract_decoded, read_text

        part = self.targets.get(rel_id)
        if part is None or part not in self.archive.namelist():
            return None
        text = read_text(read_member(self.archive, part))
        return extract_decoded(text, posixpath.splitext(part)[1].lower(), self.max_cells) if text else None


class _Reader:
    def __init__(self, ns: str, settings: Settings, archive: zipfile.ZipFile, main: str) -> None:
        w = f"{{{ns}}}"
        self.p, self.r, self.t, self.tab, self.br, self.cr = (w + n for n in ("p", "r", "t", "tab", "br", "cr"))
        self.tbl, self.tr, self.tc, self.sdt, self.sdt_content = (w + n for n in ("tbl", "tr", "tc", "sdt", "sdtContent"))
        self.custom_xml, self.alt_chunk = w + "customXml", w + "altChunk"
        self.archive, self.main = archive, main
        self._chunks: _AltChunks | None = None  # read the part relationships only if a chunk occurs
        self.tc_pr, self.tr_pr, self.grid_span, self.v_merge, self.h_merge = (
            w + n for n in ("tcPr", "trPr", "gridSpan", "vMerge", "hMerge")
        )
        self.grid_before, self.val = w + "gridBefore", w + "val"
        self.no_break_hyphen = w + "noBreakHyphen"
        self.max_chars = settings.max_text_chars
        self.max_cells = settings.max_cells
        self.cells = 0
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.chars = 0

    # ------------------------------------------------------------ block level

    def walk(self, container: etree._Element) -> None:
        for child in self._block_children(container):
            if child.tag == self.p:
                self.paragraphs += 1
                text = self.paragraph_text(child)
                if text.strip():
                    self._count(text)
                    self.blocks.append(Paragraph(text, Location(kind="docx", line=self.paragraphs)))
            elif child.tag == self.tbl:
                self.table(child)
            elif child.tag == self.alt_chunk:
                self.alt_chunk_blocks(child)

    def alt_chunk_blocks(self, chunk: etree._Element) -> None:
        """Splice an imported HTML/text chunk in place, renumbering its tables into this document's."""
        if self._chunks is None:
            self._chunks = _AltChunks(self.archive, self.main, self.max_cells)
        rel_id = next((v for k, v in chunk.attrib.items() if etree.QName(k).localname == "id"), "")
        doc = self._chunks.document(rel_id)
        for block in doc.blocks if doc else []:
            if isinstance(block, Table):
                block.index = self.tables
                self.tables += 1
                for row in block.rows:
                    self.count_cells(len(row))
                    for cell in row:
                        cell.loc.table = block.index
                        self._count(cell.text)
            else:
                self._count(block.text)
            self.blocks.append(block)

    def _block_children(self, container: etree._Element) -> Iterator[etree._Element]:
        """Children of a body or cell, looking through content controls and custom XML wrappers."""
        for child in container:
            if child.tag == self.sdt:
                content = child.find(self.sdt_content)
                if content is not None:
                    yield from self._block_children(content)
            elif child.tag == self.custom_xml:
                yield from self._block_children(child)
            else:
                yield child

    def count_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > self.max_cells:
            raise ReportError(f"表格单元格过多（超过 {self.max_cells} 个），超过上限。")

    def _count(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > self.max_chars:
            raise ReportError(f"文字过多（超过 {self.max_chars} 字），超过上限。")

    # ------------------------------------------------------------ text

    def paragraph_text(self, p: etree._Element) -> str:
        if p.find(f".//{{{_MC}}}Fallback") is not None:
            # Text boxes are written twice (DrawingML choice + VML fallback); read the choice only.
            p = etree.fromstring(etree.tostring(p), _parser())
            for fallback in p.findall(f".//{{{_MC}}}Fallback"):
                fallback.getparent().remove(fallback)
        out: list[str] = []
        for el in p.iter(self.t, self.tab, self.br, self.cr, self.p, self.no_break_hyphen):
            tag = el.tag
            if tag == self.t:
                out.append(el.text or "")
            elif tag == self.p:
                if el is not p:  # a paragraph inside a text box starts a new line
                    out.append("\n")
            elif el.getparent().tag != self.r:  # tab stops in w:pPr/w:tabs are not text
                continue
            elif tag == self.tab:
                out.append("\t")
            elif tag == self.no_break_hyphen:
                out.append("-")
            else:
                out.append("\n")
        return "".join(out)

    def cell_text(self, tc: etree._Element) -> str:
        parts: list[str] = []
        for child in self._block_children(tc):
            if child.tag == self.p:
                parts.append(self.paragraph_text(child))
            elif child.tag == self.tbl:
                parts.append(self.flat_table_text(child))
        return "\n".join(parts).strip("\r\n")

    def flat_table_text(self, tbl: etree._Element) -> str:
        """A table nested in a cell: its rows as lines, cells separated by spaces."""
        lines = [" ".join(t for tc in self._cells(tr) if (t := self.cell_text(tc))) for tr in self._rows(tbl)]
        return "\n".join(line for line in lines if line)

    # ------------------------------------------------------------ tables

    def _rows(self, tbl: etree._Element) -> Iterator[etree._Element]:
        for child in self._block_children(tbl):
            if child.tag == self.tr:
                yield child

    def _cells(self, tr: etree._Element) -> Iterator[etree._Element]:
        for child in self._block_children(tr):
            if child.tag == self.tc:
                yield child

    def _is_wrapper(self, rows: list[etree._Element]) -> bool:
        """A layout table of single-cell rows holding the real tables (HTML conversions write these)."""
        return all(sum(1 for _ in self._cells(tr)) == 1 for tr in rows) and any(
            tr.find(f".//{self.tbl}") is not None for tr in rows
        )

    def _int_prop(self, props: etree._Element | None, tag: str, default: int) -> int:
        """An integer property such as w:gridSpan, clamped so a hostile value cannot blow up the grid."""
        el = props.find(tag) if props is not None else None
        if el is None:
            return default
        try:
            return max(0, min(int(el.get(self.val, default)), 1000))
        except ValueError:
            return default

    def table(self, tbl: etree._Element) -> None:
        rows_el = list(self._rows(tbl))
        if self._is_wrapper(rows_el):
            for tr in rows_el:
                for tc in self._cells(tr):
                    self.walk(tc)
            return
        index = self.tables
        self.tables += 1
        top_text: dict[int, str] = {}  # grid column → text of the cell that starts the merge there
        rows: list[list[GridCell]] = []
        for r, tr in enumerate(rows_el):
            cells: list[GridCell] = []
            grid = self._int_prop(tr.find(self.tr_pr), self.grid_before, 0)
            if grid:  # keep later cells on their grid columns
                cells.append(GridCell("", Location(kind="docx", table=index, row=r, col=0), colspan=grid))
            for tc in self._cells(tr):
                props = tc.find(self.tc_pr)
                span = max(1, self._int_prop(props, self.grid_span, 1))
                h_merge = props.find(self.h_merge) if props is not None else None
                if h_merge is not None and h_merge.get(self.val) != "restart" and cells:
                    cells[-1].colspan += span  # legacy horizontal merge: widen the cell it continues
                    grid += span
                    continue
                v_merge = props.find(self.v_merge) if props is not None else None
                loc = Location(kind="docx", table=index, row=r, col=len(cells))
                if v_merge is not None and v_merge.get(self.val) != "restart" and grid in top_text:
                    cells.append(GridCell(top_text[grid], loc, colspan=span, continued=True))
                else:
                    text = self.cell_text(tc)
                    self._count(text)
                    top_text[grid] = text
                    cells.append(GridCell(text, loc, colspan=span))
                grid += span
            rows.append(cells)
        self.blocks.append(Table(index=index, rows=rows))

"""Files that are not readable reports: each gets a specific one-line ReportError, and nothing else escapes."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable

import pytest
from builders import build_docx, build_pdf, consistent_values
from hostile_support import pdf_of
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

import core.extract
import core.extract.pdf
from core.extract import decode_text, extract
from core.model import Document, ReportError
from core.settings import Settings

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole(*streams: str) -> bytes:
    """An OLE2 compound file header followed by directory entries naming ``streams`` (UTF-16LE)."""
    return OLE + b"\x00" * 504 + b"".join(s.encode("utf-16-le").ljust(64, b"\x00") for s in streams)


def fails(data: bytes, filename: str) -> str:
    with pytest.raises(ReportError) as info:
        extract(data, filename)
    message = str(info.value)
    assert message and "\n" not in message
    return message


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return build_docx(consistent_values("2019", seed=1), "2019")


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return build_pdf(consistent_values("2021", seed=1), "2021")


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    def set_limits(**values: float) -> None:
        monkeypatch.setattr(core.extract, "get_settings", lambda: Settings(**values))

    return set_limits


def canvas_pdf(draw: Callable[[Canvas], None], encrypt: StandardEncryption | None = None, pages: int = 1) -> bytes:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, encrypt=encrypt)
    for _ in range(pages):
        canvas.setFont("STSong-Light", 12)
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def with_member(data: bytes, name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info))
        dst.writestr(name, body)
    return out.getvalue()


# ---------------------------------------------------------------- not a report file at all


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  \n"])
def test_empty_file(data: bytes) -> None:
    assert "空" in fails(data, "report.txt")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "图片文件（upload.bin）已损坏"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "图片文件（upload.bin）已损坏"),
        (b"GIF89a" + bytes(100), "图片文件（upload.bin）已损坏"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(100), "图片文件（upload.bin）已损坏"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(100), "RAR"),
        (b"{\\rtf1\\ansi report}", "RTF"),
        (b"MZ\x90\x00" + bytes(100), "可执行程序"),
    ],
)
def test_unsupported_types_are_named(data: bytes, expected: str) -> None:
    assert expected in fails(data, "upload.bin")


def test_random_binary_is_not_text() -> None:
    data = random.Random(0).randbytes(4000)
    assert "无法识别文件内容" in fails(data, "report")
    assert "不支持的文件类型（.jpg）" in fails(data, "scan.jpg")
    assert "不是有效的 PDF" in fails(data, "report.pdf")


def test_nul_heavy_or_control_heavy_bytes_are_binary() -> None:
    assert decode_text("报告".encode() + b"\x00" * 50 + b"x" * 100) is None
    assert decode_text(bytes(range(1, 32)) * 20 + "报告".encode()) is None
    assert decode_text("年度报告\r\n".encode("gb18030")) == "年度报告\r\n"
    assert decode_text("\ufeff年度报告".encode()) == "年度报告"
    assert decode_text("年度报告".encode("utf-16")) == "年度报告"


@pytest.mark.parametrize(
    ("streams", "expected"),
    [
        (("Root Entry", "WordDocument", "1Table"), "Word 文件（.doc）已损坏"),
        (("Root Entry", "Workbook"), "旧版 Excel 表格（.xls）"),
        (("Root Entry", "PowerPoint Document"), "旧版 Office 二进制文件"),
        (("Root Entry", "EncryptionInfo", "EncryptedPackage"), "文件已加密"),
    ],
)
def test_ole_files(streams: tuple[str, ...], expected: str) -> None:
    message = fails(ole(*streams), "report.docx")
    assert expected in message
    assert ".docx" in message


def test_other_zip_packages(docx_bytes: bytes) -> None:
    def package(*names: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name in names:
                z.writestr(name, "<x/>" if name != "mimetype" else "application/vnd.oasis.opendocument.text")
        return out.getvalue()

    assert "Excel" in fails(package("[Content_Types].xml", "xl/workbook.xml"), "a.xlsx")
    assert "PowerPoint" in fails(package("ppt/presentation.xml"), "a.pptx")
    assert "OFD" in fails(package("OFD.xml", "Doc_0/Document.xml"), "a.ofd")
    assert "OpenDocument" in fails(package("mimetype", "content.xml"), "a.odt")
    assert "ZIP 压缩包" in fails(package("报告.docx"), "reports.zip")
    assert "没有文档正文" in fails(package("docProps/core.xml"), "a.docx")


# ---------------------------------------------------------------- broken or hostile Word files


def test_truncated_docx(docx_bytes: bytes) -> None:
    assert "Word 文件已损坏" in fails(docx_bytes[: len(docx_bytes) // 2], "report.docx")


def test_docx_with_corrupted_compressed_data(docx_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        info = z.getinfo("word/document.xml")
    broken = bytearray(docx_bytes)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 60):
        broken[i] ^= 0x5A
    assert "Word 文件已损坏" in fails(bytes(broken), "report.docx")


def test_docx_whose_body_is_not_xml(docx_bytes: bytes) -> None:
    assert "不是有效的 XML" in fails(with_member(docx_bytes, "word/document.xml", b"<w:document"), "r.docx")


def test_entity_expansion_is_refused(docx_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        xml = z.read("word/document.xml").decode()
    laughs = '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    head, rest = xml.split("?>", 1)
    hostile = f"{head}?>{laughs}{rest}".replace("舟山市定海区", "&b;", 1)
    assert "DOCTYPE/ENTITY" in fails(with_member(docx_bytes, "word/document.xml", hostile.encode()), "r.docx")
    utf16 = hostile.replace("encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16")
    assert "DOCTYPE/ENTITY" in fails(with_member(docx_bytes, "word/document.xml", utf16), "r.docx")


def test_zip_bomb_by_compression_ratio(docx_bytes: bytes) -> None:
    bomb = with_member(docx_bytes, "word/media/image1.bin", bytes(8 * 1024 * 1024))
    assert len(bomb) < 200_000
    assert "疑似压缩炸弹" in fails(bomb, "r.docx")


def test_zip_bomb_by_declared_size(docx_bytes: bytes) -> None:
    """A member claiming 2 GB in the central directory is refused before anything is inflated."""
    data = bytearray(docx_bytes)
    name = b"word/document.xml"
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == name:
            struct.pack_into("<I", data, at + 24, 0x7FFF_FFFF)
        at = data.find(b"PK\x01\x02", at + 4)
    assert "疑似压缩炸弹" in fails(bytes(data), "r.docx")


def test_docx_limits(docx_bytes: bytes, limits) -> None:
    limits(max_cells=50)
    assert "单元格过多" in fails(docx_bytes, "r.docx")
    limits(max_text_chars=200)
    assert "文字过多" in fails(docx_bytes, "r.docx")
    limits(max_file_mb=0.001)
    assert "文件过大" in fails(docx_bytes, "r.docx")


# ---------------------------------------------------------------- PDFs


def test_encrypted_pdf_needs_a_password() -> None:
    data = canvas_pdf(lambda c: c.drawString(60, 700, "年度报告"), StandardEncryption("secret", ownerPassword="owner"))
    assert "PDF 文件已加密" in fails(data, "r.pdf")


def test_pdf_restricted_only_by_an_owner_password_is_read() -> None:
    def draw(c: Canvas) -> None:
        # pdfminer leaves strings inside encrypted font dictionaries undecrypted, so reportlab's CID font
        # (whose CMap is named by such strings) cannot be decoded here; a standard font can.
        c.setFont("Helvetica", 12)
        c.drawString(60, 700, "Annual report 2020")

    data = canvas_pdf(draw, StandardEncryption("", ownerPassword="owner", canCopy=0))
    assert [p.text for p in extract(data, "r.pdf").paragraphs] == ["Annual report 2020"]


def test_pdf_restricted_by_an_owner_password_is_read() -> None:
    data = canvas_pdf(lambda c: c.drawString(60, 700, "年度报告"), StandardEncryption("", ownerPassword="owner"))
    assert [p.text for p in extract(data, "r.pdf").paragraphs] == ["年度报告"]


def cid_pdf() -> bytes:
    """Text in a CID font with no ToUnicode map and no embedded font: only glyph numbers, no characters."""
    content = b"BT /F1 12 Tf 72 700 Td <0041004200430044004500460047> Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        5: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
        6: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unknown "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    }
    return pdf_of(objects)


def test_pdf_text_that_decodes_to_glyph_numbers_only_is_refused() -> None:
    assert "文字无法解码" in fails(cid_pdf(), "r.pdf")


def test_scanned_pdf_has_no_text_layer() -> None:
    image = Image.new("RGB", (200, 100), "white")

    def draw(c: Canvas) -> None:
        c.drawInlineImage(image, 50, 600, 200, 100)
        c.rect(40, 590, 220, 120)

    assert "没有文字层" in fails(canvas_pdf(draw), "scan.pdf")


def test_corrupt_pdf() -> None:
    assert "PDF 文件已损坏" in fails(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF\n", "r.pdf")


def test_pdf_limits(pdf_bytes: bytes, limits) -> None:
    limits(max_pages=1)
    assert "页数过多" in fails(pdf_bytes, "r.pdf")
    limits(max_cells=30)
    assert "单元格过多" in fails(pdf_bytes, "r.pdf")
    limits(max_text_chars=100)
    assert "文字过多" in fails(pdf_bytes, "r.pdf")


def test_text_limit(limits) -> None:
    limits(max_text_chars=10)
    assert "文字过多" in fails("一、总体情况\n本年度收到申请3件。".encode(), "r.txt")


# ---------------------------------------------------------------- nothing else escapes


def test_unexpected_library_failure_becomes_a_report_error(monkeypatch, pdf_bytes: bytes) -> None:
    def explode(data: bytes, settings: Settings) -> Document:
        raise RuntimeError("boom\nat line 2")

    monkeypatch.setattr(core.extract.pdf, "extract_pdf", explode)
    assert fails(pdf_bytes, "r.pdf") == "无法读取文件：RuntimeError: boom at line 2"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_damaged_files_never_raise_anything_else(kind: str, docx_bytes: bytes, pdf_bytes: bytes) -> None:
    original = docx_bytes if kind == "docx" else pdf_bytes
    rng = random.Random(kind)
    for _ in range(25):
        data = bytearray(original)
        start = rng.randrange(len(data))
        for i in range(start, min(len(data), start + rng.randint(1, 64))):
            data[i] = rng.randrange(256)
        try:
            doc = extract(bytes(data), f"report.{kind}")
        except ReportError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            assert isinstance(doc, Document)

"""Any uploaded file → :class:`core.model.Document`, or a one-line Chinese :class:`ReportError`.

The type is sniffed from the bytes first and the file name second: agencies rename files freely (an
HTML page saved as ``报告.doc`` is common), so the extension only decides when the content cannot.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import unicodedata
import zipfile
import zlib
from pathlib import PurePath

from core.model import Document, ReportError, Table
from core.settings import Settings, get_settings

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Scans and photos (core.extract.ocr reads them); WebP is RIFF....WEBP.
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_OTHER_BINARIES = (
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"BZh", "bzip2 压缩包"),
    (b"\xfd7zXZ\x00", "xz 压缩包"),
    (b"{\\rtf", "RTF 文档"),
    (b"%!PS", "PostScript 文件"),
    (b"MZ", "可执行程序"),
    (b"\x7fELF", "可执行程序"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HTML_HEAD = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<meta[\s>]", re.IGNORECASE)
_HTML_TABLE = re.compile(r"<table[\s>]", re.IGNORECASE)
_TEXT_EXTENSIONS = {".txt", ".text", ".csv", ".md", ".htm", ".html", ".xhtml", ".shtml", ".doc", ".wps", ".xml", ".mht", ".mhtml"}
_HTML_EXTENSIONS = {".htm", ".html", ".xhtml", ".shtml"}
# Decompression-bomb limits: a real .docx inflates its XML 5–30×; images barely compress.
_MIN_UNZIPPED = 100 * 1024 * 1024
_UNZIPPED_FACTOR = 10
_MAX_RATIO = 200
_RATIO_FLOOR = 5 * 1024 * 1024
_MAX_MEMBERS = 10_000
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
SUPPORTED = "请上传 .docx、.doc、.wps、.pdf、.xlsx、.txt、.html 格式的报告，或报告表格的照片（.jpg/.png）"


def extract(data: bytes, filename: str) -> Document:
    """Read ``data`` (named ``filename``) into paragraphs and table grids.

    Raises :class:`ReportError` with a one-line Chinese message for anything that is not a readable
    report file; no other exception escapes.
    """
    try:
        return _storable(_extract(data, filename, get_settings()))
    except (ReportError, MemoryError):  # MemoryError: the worker's memory cap (core.limits) reports it
        raise
    except Exception as exc:  # a library failing on a malformed file must not crash the caller
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise ReportError(f"无法读取文件：{detail}") from exc


def _storable(doc: Document) -> Document:
    """Drop NULs and lone surrogates: no database column takes them, and they are never report text."""
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    cell.text = _UNSTORABLE.sub("", cell.text)
        else:
            block.text = _UNSTORABLE.sub("", block.text)
    return doc


def _extract(data: bytes, filename: str, settings: Settings) -> Document:
    ext = PurePath(filename or "").suffix.lower()
    if not data or not data.strip():
        raise ReportError("文件是空的，没有任何内容，请检查后重新上传。")
    limit = settings.max_file_mb * 1024 * 1024
    if len(data) > limit:
        raise ReportError(f"文件过大（{len(data) / 1024 / 1024:.1f} MB），超过上限 {settings.max_file_mb:g} MB。")

    if data.startswith(_OLE):
        if _has_stream(data, "WordDocument") and not _has_stream(data, "EncryptedPackage"):
            from core.extract.doc import extract_doc

            return extract_doc(data, settings)
        raise ReportError(_ole_message(data))
    if data.startswith(b"PK"):
        return _extract_zip(data, ext, settings)
    if b"%PDF-" in data[:1024]:  # the PDF spec allows junk before the header
        from core.extract.pdf import extract_pdf

        return extract_pdf(data, settings)
    if data.startswith(_IMAGES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        from core.extract.ocr.pages import read_image_file  # a scan or a phone photo of the tables

        return read_image_file(data, PurePath(filename or "图片").name, settings)
    for magic, name in _OTHER_BINARIES:
        if data.startswith(magic):
            raise ReportError(f"不支持的文件类型（{name}），{SUPPORTED}。")

    text = read_text(data)
    if text is None:
        if ext == ".docx":
            raise ReportError("文件扩展名是 .docx，但内容不是有效的 Word 文档，文件可能已损坏。")
        if ext == ".pdf":
            raise ReportError("文件扩展名是 .pdf，但内容不是有效的 PDF，文件可能已损坏。")
        if ext and ext not in _TEXT_EXTENSIONS:
            raise ReportError(f"不支持的文件类型（{ext}），{SUPPORTED}。")
        raise ReportError(f"无法识别文件内容：不是 Word、PDF，也不是可识别编码（UTF-8/GBK）的文本，{SUPPORTED}。")
    if len(text) > settings.max_text_chars:
        raise ReportError(f"文字过多（{len(text)} 字），超过上限 {settings.max_text_chars} 字。")
    doc = extract_decoded(text, ext, settings.max_cells)
    cells = sum(len(row) for table in doc.tables for row in table.rows)
    if cells > settings.max_cells:  # the other readers stop at the limit; plain text is read whole first
        raise ReportError(f"表格单元格过多（{cells} 个），超过上限 {settings.max_cells} 个。")
    return doc


def extract_decoded(text: str, ext: str, max_cells: int) -> Document:
    """Decoded text: a web page (by its markup, or a .htm/.html name) or a plain-text copy."""
    text = text.replace("\x00", "")  # an HTML parser would make "1\x002" the unreadable "1\ufffd2", not 12
    if _looks_like_html(text, ext):
        from core.extract.html import extract_html

        return extract_html(text, max_cells)
    from core.extract.text import extract_text

    return extract_text(text)


def read_text(data: bytes) -> str | None:
    """The text of a plain-text, HTML or single-file web page (.mht) upload; None for binary content."""
    return _mhtml_page(data) or decode_text(data)


def decode_text(data: bytes) -> str | None:
    """Text from bytes by BOM, then UTF-8, then GB18030; None for binary content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], (encoding,))
    if data.count(b"\x00") > len(data) // 1000:
        return None
    return _decode(data, ("utf-8", "gb18030"))


def _decode(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """The first encoding that decodes ``data`` cleanly; failing that, text that is merely damaged (cut
    off mid-character, a flipped byte): the encoding needing fewest replacements, if they are rare."""
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if _is_garbage(text) else text
    text = min((data.decode(e, errors="replace") for e in encodings), key=lambda t: t.count("\ufffd"))
    if text.count("\ufffd") > len(text) // 1000 + 1 or _is_garbage(text):
        return None
    return text


def _mhtml_page(data: bytes) -> str | None:
    """The HTML of a web page saved as one file (.mht/.mhtml: MIME multipart/related), decoded."""
    head = data[:4096].lower()
    if b"mime-version:" not in head or b"multipart/related" not in head:
        return None
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                return None
            charset = (part.get_content_charset() or "").lower()
            if charset in ("gb2312", "gbk", "x-gbk", "gb18030"):
                charset = "gb18030"  # pages labelled gb2312 routinely use GBK characters
            try:
                return payload.decode(charset) if charset else decode_text(payload)
            except (LookupError, UnicodeDecodeError):
                return decode_text(payload)
    return None


def _is_garbage(text: str) -> bool:
    """Control or private-use characters in more than 1% of the text: binary that happened to decode."""
    sample = text[:200_000]
    bad = sum(
        1 for ch in sample if ch not in "\t\n\r\f\v\x1a" and unicodedata.category(ch) in ("Cc", "Co", "Cs")
    )
    return bad > len(sample) // 100


def _looks_like_html(text: str, ext: str) -> bool:
    return bool(_HTML_HEAD.search(text[:4096]) or _HTML_TABLE.search(text)) or ext in _HTML_EXTENSIONS


def _has_stream(data: bytes, name: str) -> bool:
    return name.encode("utf-16-le") in data  # directory entries store names in UTF-16LE


def _ole_message(data: bytes) -> str:
    """OLE2 compound files other than Word's: legacy Office binaries, or an OOXML file encrypted with a password."""

    def has_stream(name: str) -> bool:
        return _has_stream(data, name)

    if has_stream("EncryptedPackage"):
        return "文件已加密（设置了打开密码），无法读取，请取消密码保护后另存为 .docx 再上传。"
    if has_stream("Workbook") or has_stream("Book"):
        return "这是旧版 Excel 表格（.xls），不是年度报告文档，请将报告另存为 .docx 或 .pdf 后再上传。"
    return "这是旧版 Office 二进制文件（.xls/.ppt 等），无法直接读取，请另存为 .docx 或 .pdf 后再上传。"


def _extract_zip(data: bytes, ext: str, settings: Settings) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        kind = "Word 文件" if ext == ".docx" else "压缩文件"
        raise ReportError(f"{kind}已损坏（不是完整的 ZIP 压缩包），无法读取。") from exc
    with archive:
        _guard_zip(archive, settings)
        if any(n.startswith("word/") for n in names):
            from core.extract.docx import extract_docx

            try:
                return extract_docx(archive, settings)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise ReportError("Word 文件已损坏（压缩数据校验失败），无法读取。") from exc
        if any(n.startswith("xl/") for n in names):
            from core.extract.xlsx import extract_xlsx

            return extract_xlsx(data, settings)
        if any(n.startswith("ppt/") for n in names):
            raise ReportError(f"这是 PowerPoint 演示文稿（.pptx），不是年度报告文档，{SUPPORTED}。")
        if "OFD.xml" in names:
            raise ReportError("这是 OFD 版式文件，暂不支持，请转换为 PDF 或 .docx 后再上传。")
        if "mimetype" in names and b"opendocument" in read_member(archive, "mimetype")[:100]:
            raise ReportError("这是 OpenDocument 文件（.odt 等），请另存为 .docx 或 .pdf 后再上传。")
        if ext == ".docx":
            raise ReportError("Word 文件已损坏：压缩包里没有文档正文（word/document.xml）。")
        raise ReportError(f"这是 ZIP 压缩包，不是年度报告文档，请解压后上传其中的报告（{SUPPORTED[3:]}）。")


def one_line(name: str) -> str:
    """A name taken from inside an upload (a zip member, a part), fit for a one-line message."""
    return " ".join(name.split())[:100]


def unpacked_limit(settings: Settings) -> int:
    """Bytes one file may decompress to, in all (a .docx's parts, a PDF's streams)."""
    return max(_MIN_UNZIPPED, int(settings.max_file_mb * 1024 * 1024 * _UNZIPPED_FACTOR))


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, inflating no more than its declared size (which ``_guard_zip`` bounds).

    ``ZipFile.read`` inflates all of a member's compressed data before cutting it to the declared size,
    so a member that lies about its size can still take gigabytes; reading a bounded amount stops the
    inflating there, and the CRC check then fails on the cut data.
    """
    info = archive.getinfo(name)
    with archive.open(info) as member:
        return member.read(info.file_size)


def _guard_zip(archive: zipfile.ZipFile, settings: Settings) -> None:
    """Refuse zip bombs from the sizes the archive declares, before anything is decompressed;
    :func:`read_member` keeps every read within them."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    limit = unpacked_limit(settings)
    if len(infos) > _MAX_MEMBERS:
        raise ReportError(f"压缩包内的文件过多（{len(infos)} 个），超过上限 {_MAX_MEMBERS} 个，疑似压缩炸弹，拒绝读取。")
    if total > limit:
        raise ReportError(
            f"文件解压后过大（{total / 1024 / 1024:.0f} MB），超过上限 {limit / 1024 / 1024:.0f} MB，疑似压缩炸弹，拒绝读取。"
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
            raise ReportError(f"文件中的 {one_line(info.filename)} 压缩比异常（超过 {_MAX_RATIO} 倍），疑似压缩炸弹，拒绝读取。")

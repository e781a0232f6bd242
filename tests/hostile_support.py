"""For the hostile-file and fuzz tests: what every outcome of ``read_report`` must look like, and builders
for raw .docx packages and hand-made PDFs (shapes python-docx and reportlab refuse to write).

Every input must end in either a one-line Chinese :class:`ReportError`, or a report that a database can
store (no NUL, no lone surrogate, no NaN or infinity) and whose findings say which required tables it
lacks. Any other exception fails the test.
"""

from __future__ import annotations

import io
import json
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from builders import build_docx, build_pdf, consistent_values
from text_builders import build_html

from core.model import SEVERITIES, ParsedReport, ReportError
from core.pipeline import read_report
from core.templates import TEMPLATES

MAX_MESSAGE = 400
_HAN = re.compile(r"[\u4e00-\u9fff]")
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@lru_cache(maxsize=1)
def sample_files() -> dict[str, bytes]:
    """One good report per format: generated .docx (2021), .pdf (2019) and web page, and a seed text."""
    values = consistent_values("2021", seed=5)
    return {
        "docx": build_docx(values, "2021"),
        "pdf": build_pdf(consistent_values("2019", seed=5), "2019"),
        "txt": sorted(SAMPLES.glob("*.txt"))[0].read_bytes(),
        "html": build_html(values, "2021").encode(),
    }


def outcome(data: bytes, filename: str) -> ParsedReport | str:
    """``read_report``'s report, or its error message; both checked."""
    try:
        report = read_report(data, filename)
    except ReportError as exc:
        assert_message(str(exc))
        return str(exc)
    assert_report(report)
    return report


def assert_message(message: str) -> None:
    assert message and message == message.strip(), repr(message)
    assert "\n" not in message and "\r" not in message, repr(message)
    assert "Traceback" not in message and len(message) <= MAX_MESSAGE, message
    assert _HAN.search(message), message


def assert_report(report: ParsedReport) -> None:
    assert isinstance(report, ParsedReport)
    text = json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False, default=str)
    text.encode("utf-8")  # a lone surrogate fails here
    assert "\\u0000" not in text
    for cell in [*report.cells.values(), *report.extra_cells]:
        value = cell.value
        assert value is None or (type(value) in (int, float) and math.isfinite(value)), (cell.key, value)
    for finding in report.findings:
        assert finding.message and finding.severity in SEVERITIES, finding
    if report.template is not None:
        required = {t.id for t in TEMPLATES[report.template].tables if t.required}
        if required - set(report.tables_found):
            assert any(f.code == "structure.missing_table" for f in report.findings), report.findings


# ---------------------------------------------------------------- .docx packages

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def w_document(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def w_p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def w_table(rows: list[list[str]]) -> str:
    return (
        "<w:tbl>"
        + "".join("<w:tr>" + "".join(f"<w:tc>{w_p(c)}</w:tc>" for c in r) + "</w:tr>" for r in rows)
        + "</w:tbl>"
    )


def docx_package(document_xml: str | bytes, parts: Mapping[str, str | bytes] | None = None) -> bytes:
    """A minimal Word package around ``document_xml``, with any ``parts`` added or replaced."""
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PACKAGE_RELS,
        "word/document.xml": document_xml,
        **(parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def repack(data: bytes, changes: Mapping[str, str | bytes]) -> bytes:
    """The zip ``data`` with the members in ``changes`` replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in changes:
                dst.writestr(info.filename, src.read(info))
        for name, body in changes.items():
            dst.writestr(name, body)
    return out.getvalue()


def member(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def declare_sizes(data: bytes, sizes: Mapping[str, int], *, local: bool = False) -> bytes:
    """Overwrite the uncompressed size the central directory (and, with ``local``, the local header)
    declares for the named members: the lies a zip bomb tells."""
    out = bytearray(data)
    for signature, size_at, name_len_at, name_at in (
        (b"PK\x01\x02", 24, 28, 46),
        (b"PK\x03\x04", 22, 26, 30),
    ):
        if signature == b"PK\x03\x04" and not local:
            continue
        at = out.find(signature)
        while at != -1:
            name_len = struct.unpack_from("<H", out, at + name_len_at)[0]
            name = bytes(out[at + name_at : at + name_at + name_len]).decode()
            if name in sizes:
                struct.pack_into("<I", out, at + size_at, sizes[name])
            at = out.find(signature, at + 4)
    return bytes(out)


# ---------------------------------------------------------------- hand-made PDFs

HELLO = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"


def crafted_pdf(pages: int = 1, content: bytes = HELLO, filters: str = "", count: int | None = None) -> bytes:
    """A PDF whose ``pages`` pages all draw one content stream, stored with ``filters`` (e.g.
    "/FlateDecode") as given; ``count`` overrides the page count the page tree declares."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (5 + i) for i in range(pages)), pages if count is None else count),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Length %d %s>>\nstream\n%s\nendstream"
        % (len(content), (f"/Filter [{filters}] " if filters else "").encode(), content),
    }
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
    objects.update({5 + i: page for i in range(pages)})
    return pdf_of(objects)


def pdf_of(objects: dict[int, bytes]) -> bytes:
    """A PDF file of numbered objects (1 the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number in sorted(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deflated(size: int, head: bytes = HELLO + b"\n", fill: bytes = b" ") -> bytes:
    """``head`` then ``fill`` up to ``size`` bytes, deflated without ever holding the whole in memory."""
    encoder = zlib.compressobj(9)
    chunk = fill * (1024 * 1024 // len(fill))
    parts = [encoder.compress(head)]
    left = size - len(head)
    while left > 0:
        parts.append(encoder.compress(chunk[:left]))
        left -= len(chunk)
    parts.append(encoder.flush())
    return b"".join(parts)

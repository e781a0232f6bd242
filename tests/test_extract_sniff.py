"""Which reader a file goes to: content first, the file name only when the content cannot tell."""

from __future__ import annotations

import quopri

import pytest
from builders import build_docx, build_pdf, consistent_values

from core.extract import extract

PAGE = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>"
TEXT = "一、总体情况\n本年度共收到政府信息公开申请3件。\n"


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (PAGE.encode("gb18030"), "报告.doc", "html"),  # a web page saved with a Word extension
        (PAGE.encode("utf-8"), "report", "html"),
        ("<p>一、总体情况</p><table><tr><td>规章</td></tr></table>".encode(), "x.txt", "html"),
        ("<p>一、总体情况</p>".encode(), "x.html", "html"),
        (TEXT.encode("gb18030"), "report.txt", "text"),
        (TEXT.encode("utf-16"), "report.txt", "text"),
        (b"\xef\xbb\xbf" + TEXT.encode(), "report.docx", "text"),  # a renamed text copy
    ],
)
def test_text_and_pages_are_sniffed(data: bytes, filename: str, kind: str) -> None:
    doc = extract(data, filename)
    assert doc.kind == kind
    assert doc.paragraphs[0].text.strip() == "一、总体情况"


def test_single_file_web_page() -> None:
    body = quopri.encodestring(PAGE.replace("<body>", '<body class="article">').encode("gb18030"))
    mht = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"; type="text/html"\r\n\r\n'
        b'--b\r\nContent-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        + body
        + b"\r\n--b--\r\n"
    )
    doc = extract(mht, "年报.mht")
    assert doc.kind == "html"
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["规章", "0"]]


def test_binary_formats_win_over_the_extension() -> None:
    values = consistent_values("2019")
    assert extract(build_docx(values, "2019"), "report.pdf").kind == "docx"
    assert extract(build_pdf(values, "2019"), "report.docx").kind == "pdf"
    assert extract(b"\r\n\r\n" + build_pdf(values, "2019"), "report").kind == "pdf"  # junk before %PDF

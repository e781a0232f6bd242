"""Web pages as browsers and agencies save them: a single-file page (.mhtml/.mht), a page saved under a
.doc name, the report's tables nested inside the site's layout tables."""

from __future__ import annotations

import quopri
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from builders import consistent_values
from text_builders import build_html, printed_keys

from core.pipeline import read_report

VALUES = consistent_values("2019", seed=71)


def mhtml(html: str, charset: str = "gb2312") -> bytes:
    """What a browser's "save as single file" writes: multipart/related, the page quoted-printable."""
    message = MIMEMultipart("related", type="text/html")
    message["Subject"] = "=?utf-8?B?5LiA5Lu95oql5ZGK?="
    message["MIME-Version"] = "1.0"
    body = html.replace("<head>", f'<head><meta charset="{charset}">').encode("gb18030" if charset != "utf-8" else "utf-8")
    part = MIMEText("", "html")
    part.set_payload(quopri.encodestring(body).decode("ascii"))
    part.replace_header("Content-Type", f'text/html; charset="{charset}"')
    del part["Content-Transfer-Encoding"]
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part["Content-Location"] = "http://www.example.gov.cn/art/2021/1/20/art_1.html"
    message.attach(part)
    image = MIMEText("", "plain")
    image.replace_header("Content-Type", "image/png")
    image["Content-Location"] = "http://www.example.gov.cn/logo.png"
    message.attach(image)
    return message.as_bytes()


def assert_every_cell(report) -> None:
    assert {k: report.value(k) for k in printed_keys("2019")} == {k: VALUES[k] for k in printed_keys("2019")}
    assert report.agency == "舟山市定海区人民政府办公室"


@pytest.mark.parametrize("name", ["report.mhtml", "report.mht", "报告.doc"])
@pytest.mark.parametrize("charset", ["gb2312", "utf-8"])
def test_single_file_pages(name, charset):
    page = build_html(VALUES, "2019", layout_table=True)
    assert_every_cell(read_report(mhtml(page, charset), name))


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_page_saved_under_a_doc_name(encoding):
    page = build_html(VALUES, "2019", merged=False)
    report = read_report(page.encode(encoding), "政府信息公开年报.doc")
    assert_every_cell(report)
    assert report.source_kind == "html"


def test_report_tables_nested_two_layout_tables_deep():
    page = build_html(VALUES, "2019", layout_table=True)
    page = page.replace("<div id='main'>", "<table><tr><td>栏目</td><td><table><tr><td><div id='main'>").replace(
        "</div><script>", "</div></td></tr></table></td></tr></table><script>"
    )
    report = read_report(page.encode(), "page.html")
    assert_every_cell(report)
    assert report.tables_found == ["二", "三", "四"]

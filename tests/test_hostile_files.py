"""Hostile and degenerate uploads (#8): each ends in a one-line Chinese ReportError or in a report whose
findings explain what it lacks. Decompression, page and size limits act before the work, not after it;
``core.limits`` bounds what they cannot (time, memory) by running the parse in a killable process."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import threading
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from multiprocessing import Pipe

import pdfplumber.page
import pytest
from builders import build_docx, consistent_values
from hostile_support import (
    crafted_pdf,
    declare_sizes,
    deflated,
    docx_package,
    member,
    outcome,
    repack,
    sample_files,
    w_document,
    w_p,
    w_table,
)
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

import core.extract
import core.limits
import core.pipeline
from core.extract import extract
from core.extract.pdfdecode import budget
from core.model import ParsedReport, ReportError
from core.settings import Settings

MB = 1024 * 1024


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return sample_files()


@pytest.fixture(scope="module")
def baseline(files: dict[str, bytes]) -> dict[str, dict[str, float | int | None]]:
    """The values each intact file reads to: damage elsewhere must leave them as they are."""
    out = {}
    for kind, data in files.items():
        report = outcome(data, f"report.{kind}")
        assert isinstance(report, ParsedReport) and len(report.cells) > 150, kind
        out[kind] = report.values
    return out


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    def set_limits(**values: float) -> None:
        monkeypatch.setattr(core.extract, "get_settings", lambda: Settings(_env_file=None, **values))

    return set_limits


def refused(data: bytes, filename: str) -> str:
    result = outcome(data, filename)
    assert isinstance(result, str), f"expected a ReportError for {filename}"
    return result


def read(data: bytes, filename: str) -> ParsedReport:
    result = outcome(data, filename)
    assert isinstance(result, ParsedReport), result
    return result


def peak_mb(work: Callable[[], object]) -> float:
    """Peak Python allocation while ``work`` runs, in MB."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def in_body(docx: bytes, xml: str) -> bytes:
    """``docx`` with ``xml`` added at the end of its body."""
    document = member(docx, "word/document.xml")
    return repack(docx, {"word/document.xml": document.replace("<w:sectPr", xml + "<w:sectPr", 1)})


def in_html(page: bytes, html: str) -> bytes:
    return page.replace(b"</body>", html.encode() + b"</body>", 1)


# ---------------------------------------------------------------- truncated files

CUTS = 24


@pytest.mark.parametrize("kind", ["docx", "pdf", "txt", "html"])
def test_truncated_files_at_every_sampled_point(kind: str, files: dict[str, bytes]) -> None:
    data = files[kind]
    points = sorted({1, 2, 7, 100, *(len(data) * i // CUTS for i in range(1, CUTS)), len(data) - 1})
    results = [outcome(data[:n], f"report.{kind}") for n in points]
    if kind == "docx":  # the zip's central directory is at its end; one byte, "P", is no zip yet
        assert all(isinstance(r, str) and "Word 文件已损坏" in r for r in results[1:])
    else:  # losing the last byte loses nothing that matters
        assert isinstance(results[-1], ParsedReport)


def test_text_cut_inside_a_character_still_reads(files: dict[str, bytes], baseline) -> None:
    text = files["txt"].decode("utf-8")
    tail = "（本报告完）"
    for encoding in ("utf-8", "gb18030"):
        data = (text + tail).encode(encoding)
        assert read(data[:-1], "report.txt").values == baseline["txt"]


# ---------------------------------------------------------------- zip bombs


def test_member_inflating_past_its_declared_size_is_cut_off_there(files: dict[str, bytes]) -> None:
    """A member whose headers declare 4 KB but whose data inflates to 64 MB: reading stops at 4 KB."""
    document = member(files["docx"], "word/document.xml")
    bomb = declare_sizes(
        repack(files["docx"], {"word/document.xml": document + " " * (64 * MB)}),
        {"word/document.xml": 4096},
        local=True,
    )
    message: list[str] = []
    assert peak_mb(lambda: message.append(refused(bomb, "report.docx"))) < 16
    assert "Word 文件已损坏" in message[0]


def test_high_ratio_member_is_refused_before_decompression(files: dict[str, bytes]) -> None:
    bomb = repack(files["docx"], {"word/media/image1.png": bytes(48 * MB)})
    assert len(bomb) < 200_000
    message: list[str] = []
    assert peak_mb(lambda: message.append(refused(bomb, "report.docx"))) < 16
    assert "压缩比异常" in message[0] and "word/media/image1.png" in message[0]


def test_many_members(files: dict[str, bytes]) -> None:
    crowded = repack(files["docx"], {f"customXml/item{i}.xml": b"" for i in range(10_001)})
    message = refused(crowded, "report.docx")
    assert re.search(r"文件过多（\d+ 个），超过上限 10000 个", message)


def test_declared_total_over_the_limit(files: dict[str, bytes]) -> None:
    """Sixty members each declaring 4 MB (under the ratio check's floor) add up to 240 MB."""
    names = [f"word/media/part{i}.bin" for i in range(60)]
    padded = repack(files["docx"], {name: b"x" for name in names})
    message = refused(declare_sizes(padded, dict.fromkeys(names, 4 * MB)), "report.docx")
    assert re.search(r"文件解压后过大（24\d MB），超过上限 200 MB", message)


def test_nested_archives_are_never_opened(files: dict[str, bytes], baseline) -> None:
    """A zip bomb packed inside the package, even named as an imported chunk, stays packed."""
    inner = repack(docx_package(w_document(w_p("内层"))), {"word/media/zeros.bin": bytes(32 * MB)})
    rels_name = "word/_rels/document.xml.rels"
    rels = member(files["docx"], rels_name).replace(
        "</Relationships>",
        '<Relationship Id="rIdBomb" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'aFChunk" Target="nested.docx"/></Relationships>',
    )
    chunk = '<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdBomb"/>'
    data = repack(
        in_body(files["docx"], chunk),
        {rels_name: rels, "word/nested.docx": inner, "word/embeddings/bomb.zip": inner},
    )
    reports: list[ParsedReport] = []
    assert peak_mb(lambda: reports.append(read(data, "report.docx"))) < 32
    assert reports[0].values == baseline["docx"]


# ---------------------------------------------------------------- XML entity tricks

LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_doctype(xml: str, doctype: str, use: str | None = None) -> str:
    head, rest = xml.split("?>", 1)
    if use:
        rest = re.sub(r"(<w:t[^>]*>)", rf"\1{use}", rest, count=1)
    return f"{head}?>{doctype}{rest}"


@pytest.mark.parametrize("part", ["word/document.xml", "_rels/.rels"])
@pytest.mark.parametrize(
    ("doctype", "use"),
    [(LAUGHS, "&d;"), (XXE, "&xxe;"), ('<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">', None)],
)
def test_dtds_in_the_parts_read_are_refused(
    files: dict[str, bytes], part: str, doctype: str, use: str | None
) -> None:
    hostile = with_doctype(member(files["docx"], part), doctype, use if part == "word/document.xml" else None)
    assert "DOCTYPE/ENTITY" in refused(repack(files["docx"], {part: hostile}), "report.docx")


def test_dtds_in_parts_never_read_change_nothing(files: dict[str, bytes], baseline) -> None:
    styles = with_doctype(member(files["docx"], "word/styles.xml"), LAUGHS + XXE)
    assert read(repack(files["docx"], {"word/styles.xml": styles}), "report.docx").values == baseline["docx"]


def test_utf16_part_without_a_byte_order_mark_expands_nothing(files: dict[str, bytes]) -> None:
    xml = with_doctype(
        member(files["docx"], "word/document.xml"), LAUGHS + XXE.replace("w:document [", "["), "&d;&xxe;"
    )
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    result = outcome(repack(files["docx"], {"word/document.xml": xml.encode("utf-16-le")}), "report.docx")
    text = result if isinstance(result, str) else result.text + str(result.values)
    assert "哈哈哈哈哈哈哈哈哈哈哈" not in text and "root:" not in text


def test_entities_in_an_imported_html_chunk_expand_nothing(files: dict[str, bytes]) -> None:
    page = (
        "<!DOCTYPE html ["
        + LAUGHS[len("<!DOCTYPE w:document [") :]
        + "<html><body><p>&d;</p><script>脚本泄漏</script></body></html>"
    )
    rels_name = "word/_rels/document.xml.rels"
    rels = member(files["docx"], rels_name).replace(
        "</Relationships>",
        '<Relationship Id="rIdHtml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'aFChunk" Target="chunk.html"/></Relationships>',
    )
    chunk = '<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdHtml"/>'
    result = outcome(
        repack(in_body(files["docx"], chunk), {rels_name: rels, "word/chunk.html": page}), "report.docx"
    )
    text = result if isinstance(result, str) else result.text
    assert "哈哈哈哈哈哈哈哈哈哈哈" not in text and "脚本泄漏" not in text


# ---------------------------------------------------------------- PDFs


@pytest.fixture
def pages_built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every pdfplumber Page object created, by page number."""
    built: list[int] = []
    original = pdfplumber.page.Page.__init__

    def spy(self, pdf, page_obj, page_number, *args, **kwargs) -> None:
        built.append(page_number)
        original(self, pdf, page_obj, page_number, *args, **kwargs)

    monkeypatch.setattr(pdfplumber.page.Page, "__init__", spy)
    return built


def test_thousands_of_pages_are_refused_before_any_page_is_built(pages_built: list[int]) -> None:
    assert "PDF 页数过多（5000 页），超过上限 200 页" in refused(crafted_pdf(pages=5000), "report.pdf")
    assert pages_built == []


def test_a_page_tree_that_lies_about_its_size_is_read_as_declared(pages_built: list[int]) -> None:
    """PDFium takes the declared count: one page of the 5,000 is read, at once, and nothing is built for
    the rest (pdfplumber built a Page object per page before it could count them)."""
    assert [p.text for p in extract(crafted_pdf(pages=5000, count=1), "r.pdf").paragraphs] == ["Hello"]
    assert pages_built == []


def test_pages_up_to_the_limit_are_read(pages_built: list[int], limits) -> None:
    limits(max_pages=3)
    assert [p.text for p in extract(crafted_pdf(pages=3), "r.pdf").paragraphs] == ["Hello"] * 3
    assert pages_built == []  # read by PDFium: no pdfplumber page was needed
    assert "超过上限 3 页" in refused(crafted_pdf(pages=4), "report.pdf")


def test_pdf_without_a_text_layer() -> None:
    assert "没有文字层" in refused(crafted_pdf(content=b"0 0 m 300 300 l S 10 10 200 100 re f"), "scan.pdf")


@pytest.mark.parametrize("chained", [False, True])
def test_flate_bomb_stops_at_the_decompression_budget(limits, chained: bool) -> None:
    """max_file_mb=10 gives a 100 MB budget; the stream inflates to 256 MB (ratio ~700)."""
    limits(max_file_mb=10)
    stream = deflated(256 * MB)
    if chained:
        stream = zlib.compress(stream)
    data = crafted_pdf(content=stream, filters="/FlateDecode /FlateDecode" if chained else "/FlateDecode")
    assert len(data) < 300_000
    message: list[str] = []
    assert peak_mb(lambda: message.append(refused(data, "report.pdf"))) < 16
    assert "PDF 中的压缩数据解压后超过 100 MB 的上限" in message[0]


def test_run_length_bomb_stops_at_the_budget() -> None:
    stream = PDFStream({"Filter": LIT("RunLengthDecode")}, b"\x81 " * 80_000 + b"\x80")  # 10 MB of spaces
    errors: list[str] = []

    def decode() -> None:
        with budget(8 * MB):
            try:
                stream.get_data()
            except ReportError as exc:
                errors.append(str(exc))

    assert peak_mb(decode) < 2
    assert errors and "解压后超过 8 MB 的上限" in errors[0]


def test_flate_stream_with_a_bad_checksum_is_still_read() -> None:
    stream = zlib.compress(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET")
    data = crafted_pdf(content=stream[:-4] + b"\x00\x00\x00\x00", filters="/FlateDecode")
    assert [p.text for p in extract(data, "r.pdf").paragraphs] == ["Hello"]


# ---------------------------------------------------------------- web pages

LEAKS = [
    "脚本泄漏甲",
    "样式泄漏乙",
    "事件泄漏丙",
    "无脚本泄漏丁",
    "模板泄漏戊",
    "链接泄漏己",
    "框架泄漏庚",
    "属性泄漏辛",
]


def test_scripts_styles_and_handlers_never_reach_the_report(files: dict[str, bytes], baseline) -> None:
    page = files["html"].decode()
    page = page.replace("<td", "<td onclick=\"alert('事件泄漏丙')\"", 1)
    page = re.sub(
        r"(<td[^>]*>)",
        r"\1<script>document.write('脚本泄漏甲')</script><style>b:after{content:'样式泄漏乙'}</style>",
        page,
        count=3,
    )
    page = page.replace(
        "</body>",
        "<noscript>无脚本泄漏丁</noscript><template><p>模板泄漏戊</p></template>"
        '<a href="javascript:alert(\'链接泄漏己\')" title="属性泄漏辛"></a>'
        "<iframe srcdoc=\"<p>框架泄漏庚</p>\">框架泄漏庚</iframe><script>var s = '</table>脚本泄漏甲';</script></body>",
    )
    report = read(page.encode(), "report.html")
    assert report.values == baseline["html"]
    dump = str(report.to_json())
    assert [leak for leak in LEAKS if leak in dump] == []


def test_rowspans_cannot_multiply_cells_past_the_limit(files: dict[str, bytes]) -> None:
    """Each rowspan="1000" cell pushes the cells below it one column right: 800 short rows make a grid of
    ~800,000 cells. The limit must stop the reader while it builds them, not after."""
    row = '<tr><td rowspan="1000">5</td><td rowspan="1000">6</td></tr>'
    page = in_html(files["html"], "<table>" + row * 800 + "</table>")
    assert len(page) < 100_000
    message: list[str] = []
    assert peak_mb(lambda: message.append(refused(page, "report.html"))) < 64
    assert "单元格过多" in message[0]


# ---------------------------------------------------------------- size: text, rows


@pytest.mark.parametrize(
    ("line", "encoding"),
    [("Annual report 2021, line 123\n", "utf-8"), ("本机关认真贯彻落实条例。\n", "gb18030")],
)
def test_ten_megabytes_of_text_is_refused_by_the_character_limit(line: str, encoding: str) -> None:
    data = (line * (10 * MB // len(line.encode(encoding)) + 1)).encode(encoding)
    assert len(data) > 10 * MB
    assert re.search(r"文字过多（\d+ 字），超过上限 5000000 字", refused(data, "report.txt"))


def test_ten_megabytes_of_text_under_the_character_limit_is_read_through(
    files: dict[str, bytes], baseline
) -> None:
    """3.5 million characters of prose after a report's text: read, in bounded time, with its tables."""
    prose = "本机关认真贯彻落实政府信息公开条例，依法依规做好政府信息公开工作。\n"
    data = files["txt"] + (prose * (10 * MB // len(prose.encode()))).encode()
    assert len(data) > 9.9 * MB
    assert read(data, "report.txt").values == baseline["txt"]


def rows(n: int, width: int) -> list[list[str]]:
    return [[f"第{i}行", *(str(i * width + c) for c in range(width - 1))] for i in range(n)]


@pytest.mark.parametrize("kind", ["docx", "txt", "html"])
def test_ten_thousand_rows_over_the_cell_limit(kind: str, files: dict[str, bytes]) -> None:
    table = rows(10_000, 3)
    if kind == "docx":
        data = in_body(files["docx"], w_table(table))
    elif kind == "txt":
        data = files["txt"] + b"\n" + "\n".join("\t".join(r) for r in table).encode()
    else:
        html = (
            "<table>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in table)
            + "</table>"
        )
        data = in_html(files["html"], html)
    assert re.search(r"单元格过多（(超过 20000|\d{5}) 个）", refused(data, f"report.{kind}"))


def test_ten_thousand_rows_within_the_limit_are_read(files: dict[str, bytes], baseline) -> None:
    report = read(in_body(files["docx"], w_table(rows(10_000, 1))), "report.docx")
    assert report.values == baseline["docx"]


# ---------------------------------------------------------------- odd figures, NULs, encodings


def test_odd_figures_are_read_or_flagged() -> None:
    values: dict[str, int | float | str] = dict(consistent_values("2021", seed=2))
    odd = {
        "apply.disclosed.natural_person": "1e308",
        "apply.partial.natural_person": "--5",
        "apply.withheld.state_secret.natural_person": "１２３",
        "apply.withheld.prohibited_by_law.natural_person": "NaN",
        "apply.withheld.security_stability.natural_person": "inf",
        "apply.withheld.third_party.natural_person": "9" * 400,
        "apply.withheld.internal_affairs.natural_person": "1,000,000,000,000,000",
    }
    values.update(odd)
    report = read(build_docx(values, "2021"), "report.docx")
    assert report.value("apply.withheld.state_secret.natural_person") == 123
    assert report.value("apply.withheld.internal_affairs.natural_person") == 10**15
    unreadable = {k for k, v in odd.items() if v not in ("１２３", "1,000,000,000,000,000")}
    assert all(report.value(k) is None for k in unreadable)
    flagged = [f for f in report.findings if f.code == "blank.unreadable"]
    assert len(flagged) == 1 and set(flagged[0].cells) == unreadable
    assert "「1e308」" in flagged[0].message and "「--5」" in flagged[0].message
    blank = next((f for f in report.findings if f.code == "blank.cells"), None)
    assert blank is None or not unreadable & set(blank.cells)


def test_nul_bytes_in_text_are_dropped(files: dict[str, bytes], baseline) -> None:
    text = files["txt"].decode("utf-8")
    spiked = re.sub(r"(\d)(\d)", "\\1\x00\\2", text, count=5)
    assert spiked.count("\x00") == 5
    assert read(spiked.encode(), "report.txt").values == baseline["txt"]


def test_nul_bytes_in_web_page_cells_are_dropped(files: dict[str, bytes], baseline) -> None:
    page = re.sub(rb"(<td[^>]*>\s*\d)", b"\\1\x00", files["html"], count=5)
    assert read(page, "report.html").values == baseline["html"]


@pytest.mark.parametrize("nul", ["\x00", "&#0;"])
def test_nul_in_word_xml_is_a_damaged_file(files: dict[str, bytes], nul: str) -> None:
    document = re.sub(r"(<w:t[^>]*>)", rf"\g<1>{nul}", member(files["docx"], "word/document.xml"), count=1)
    assert "不是有效的 XML" in refused(repack(files["docx"], {"word/document.xml": document}), "report.docx")


def test_mixed_encodings(files: dict[str, bytes]) -> None:
    text = files["txt"].decode("utf-8")
    half = len(text) // 2
    assert "无法识别文件内容" in refused(text[:half].encode() + text[half:].encode("gb18030"), "report.txt")


def test_a_few_damaged_bytes_in_text_are_replaced(files: dict[str, bytes], baseline) -> None:
    damaged = bytearray(files["txt"])
    damaged[40] = 0xFF  # inside the title: the figures stay readable
    assert read(bytes(damaged), "report.txt").values == baseline["txt"]


# ---------------------------------------------------------------- degenerate and nested tables

EMPTY_TABLES = ["<w:tbl/>", "<w:tbl><w:tr/></w:tbl>", "<w:tbl><w:tr><w:tc/></w:tr><w:tr/></w:tbl>"]


def nested_docx_tables(depth: int) -> str:
    return "<w:tbl><w:tr><w:tc>" * depth + w_p("深处") + "</w:tc></w:tr></w:tbl>" * depth


def nested_html_tables(depth: int) -> str:
    return "<table><tr><td>" * depth + "深处" + "</td></tr></table>" * depth


def test_empty_and_zero_column_tables_change_nothing(files: dict[str, bytes], baseline) -> None:
    assert read(in_body(files["docx"], "".join(EMPTY_TABLES)), "report.docx").values == baseline["docx"]
    html = "<table></table><table><tr></tr></table><table><tr><td></td></tr><tr></tr></table>"
    assert read(in_html(files["html"], html), "report.html").values == baseline["html"]
    text = files["txt"] + b"\n|\n||\n| |\n\n\t\n\t\t\n"
    assert read(text, "report.txt").values == baseline["txt"]
    assert "不像" in refused(docx_package(w_document("".join(EMPTY_TABLES))), "empty.docx")


@pytest.mark.parametrize("depth", [40, 300])
def test_deeply_nested_word_tables(files: dict[str, bytes], baseline, depth: int) -> None:
    """XML deeper than 256 levels is refused by the parser's own limit; shallower nesting is read."""
    result = outcome(in_body(files["docx"], nested_docx_tables(depth)), "report.docx")
    if depth < 60:
        assert isinstance(result, ParsedReport) and result.values == baseline["docx"]
    else:
        assert isinstance(result, str) and "不是有效的 XML" in result


def test_deeply_nested_web_page_tables(files: dict[str, bytes], baseline) -> None:
    assert read(in_html(files["html"], nested_html_tables(300)), "report.html").values == baseline["html"]


def test_deeply_nested_markup_around_a_web_page_report(files: dict[str, bytes], baseline) -> None:
    """Thousands of nested elements (generated pages have them) must not cost the whole report."""
    page = in_html(files["html"], "<div>" * 3000 + "深处" + "</div>" * 3000)
    assert read(page, "report.html").values == baseline["html"]


# ---------------------------------------------------------------- core.limits: time and memory


@pytest.fixture
def fresh_workers() -> Iterator[None]:
    core.limits.shutdown()
    yield
    core.limits.shutdown()


def worker_pids() -> set[int]:
    return {w.process.pid for w in core.limits._workers if w.process.pid}


def test_bounded_read_gives_the_same_report(files: dict[str, bytes]) -> None:
    for kind in ("docx", "txt"):
        bounded = core.limits.read_report_limited(files[kind], f"report.{kind}")
        assert bounded.to_json() == core.pipeline.read_report(files[kind], f"report.{kind}").to_json()


async def test_bounded_reads_from_the_event_loop(files: dict[str, bytes], baseline) -> None:
    kinds = ["docx", "txt", "html", "docx", "txt"]
    reports = await asyncio.gather(*(core.limits.read_report_bounded(files[k], f"r.{k}") for k in kinds))
    assert [r.values for r in reports] == [baseline[k] for k in kinds]
    with pytest.raises(ReportError, match="不像"):
        await core.limits.read_report_bounded(b"hello", "r.txt")


def test_overrunning_the_deadline_kills_the_worker(
    monkeypatch: pytest.MonkeyPatch, fresh_workers: None, files: dict[str, bytes], baseline
) -> None:
    monkeypatch.setattr(core.limits, "get_settings", lambda: Settings(_env_file=None, parse_workers=1))
    core.limits.read_report_limited(files["txt"], "r.txt")
    before = worker_pids()
    with pytest.raises(ReportError, match=r"^解析超时：处理该文件超过 0.01 秒的上限"):
        core.limits.read_report_limited(files["pdf"], "r.pdf", timeout=0.01)
    killed = before - worker_pids()
    assert len(killed) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)
    assert core.limits.read_report_limited(files["txt"], "r.txt").values == baseline["txt"]


def test_a_worker_killed_while_idle_is_replaced(files: dict[str, bytes], baseline) -> None:
    core.limits.read_report_limited(files["txt"], "r.txt")
    for worker in list(core.limits._workers):
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(10)
    assert core.limits.read_report_limited(files["txt"], "r.txt").values == baseline["txt"]


def test_memory_cap(
    monkeypatch: pytest.MonkeyPatch, fresh_workers: None, files: dict[str, bytes], baseline
) -> None:
    """A 150 MB stream passes the 200 MB decompression budget but not a 64 MB memory cap."""
    monkeypatch.setattr(core.limits, "get_settings", lambda: Settings(_env_file=None, max_parse_memory_mb=64))
    bomb = crafted_pdf(content=deflated(150 * MB), filters="/FlateDecode")
    with pytest.raises(ReportError, match=r"^解析该文件所需内存超过 64 MB 的上限"):
        core.limits.read_report_limited(bomb, "r.pdf")
    assert core.limits.read_report_limited(files["txt"], "r.txt").values == baseline["txt"]


def serve_once(monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> tuple[str, object]:
    """One request through the worker loop (in a thread here) whose read_report raises ``failure``."""

    def broken(data: bytes, filename: str) -> ParsedReport:
        raise failure

    monkeypatch.setattr(core.pipeline, "read_report", broken)
    parent, child = Pipe()
    server = threading.Thread(target=core.limits._serve, args=(child, 0))
    server.start()
    parent.send(("r.txt", b"x"))
    answer = parent.recv()
    parent.close()
    server.join(5)
    assert not server.is_alive()  # after a bug or MemoryError the worker quits rather than go on
    return answer


def test_worker_reports_a_parser_bug_and_quits(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    kind, payload = serve_once(monkeypatch, RuntimeError("boom"))
    assert kind == "crash" and "RuntimeError: boom" in str(payload)
    with caplog.at_level(logging.ERROR, logger="core.limits"), pytest.raises(ReportError) as info:
        core.limits._answer(kind, payload, "r.txt", 64)
    assert str(info.value) == "解析文件时程序出错（RuntimeError），已记录，请把文件发给管理员。"
    assert "RuntimeError: boom" in caplog.text


def test_worker_reports_memory_exhaustion(monkeypatch: pytest.MonkeyPatch) -> None:
    assert serve_once(monkeypatch, MemoryError()) == ("memory", "")


def test_zip_and_pdf_guards_pass_memory_errors_through(
    monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]
) -> None:
    """Inside a worker, MemoryError is the memory cap speaking: no extractor may turn it into 'damaged'."""

    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(zipfile.ZipFile, "open", exhausted)
    with pytest.raises(MemoryError):
        extract(files["docx"], "r.docx")
    monkeypatch.setattr(zlib, "decompressobj", exhausted)
    with pytest.raises(MemoryError):
        extract(crafted_pdf(content=zlib.compress(b"BT ET"), filters="/FlateDecode"), "r.pdf")

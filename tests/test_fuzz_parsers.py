"""Property tests over random and mutated uploads (#8): whatever the bytes, ``read_report`` ends in a
one-line Chinese ReportError or a storable report whose findings explain what it lacks
(:func:`hostile_support.outcome`); the bounded stream decoders agree with pdfminer's own.

Deterministic (``derandomize``) and sized for CI: a few thousand parses in all.
"""

from __future__ import annotations

import importlib.util
import math
import zlib
from collections.abc import Callable
from types import ModuleType

import pdfminer.lzw
import pdfminer.runlength
from hostile_support import SAMPLES, member, outcome, repack, sample_files, w_p
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfminer import pdftypes

from core.extract import pdfdecode
from core.values import parse_value


def _pristine_pdftypes() -> ModuleType:
    """pdfminer.pdftypes as shipped, loaded again apart from the copy core.extract.pdfdecode rewires."""
    spec = importlib.util.spec_from_file_location("pristine_pdftypes", pdftypes.__file__)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pdftypes_decompress_corrupted = _pristine_pdftypes().decompress_corrupted
FUZZ = settings(
    derandomize=True, database=None, deadline=None, max_examples=100, suppress_health_check=list(HealthCheck)
)
SEEDS = {path.name: path.read_bytes() for path in sorted(SAMPLES.glob("*.txt"))}
NAMES = ["report.docx", "report.pdf", "report.txt", "report.html", "report.doc", "report", ""]
# Cell and line contents that have broken parsers: odd figures, markup, delimiters, labels, controls.
TOKENS = [
    "1e308", "--5", "１２３", "NaN", "inf", "-inf", "9" * 40, "1,000,000", "０．５", "增3", "减少2", "12万元",
    "/", "—", "无", "", " ", "\t", "|", "||", "\x00", "\ufffd", "\u200b", "\x1f", "\ud800",
    "总计", "自然人", "商业企业", "本年新收政府信息公开申请数量", "上年结转", "（一）予以公开", "行政复议",
    "一、总体情况", "三、收到和处理政府信息公开申请情况", "第二十条第（一）项", "政府信息公开工作年度报告",
    "2021年", "2021年1月15日", "<td>", "</table>", "&amp;", "<![CDATA[", "]]>", "＜script＞",
    "繁體字總計", "ABC", "x" * 300,
]  # fmt: skip
token = st.sampled_from(TOKENS)
text_piece = st.one_of(token, st.text(max_size=40))


def apply_edits(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    """Byte-level damage: ("flip", at, bit), ("put", at, bytes), ("cut", at, length), ("add", at, bytes)."""
    out = bytearray(data)
    for op, at, arg in edits:
        if not out:
            break
        at %= len(out)
        if op == "flip":
            out[at] ^= 1 << (arg[0] % 8)
        elif op == "put":
            out[at : at + len(arg)] = arg
        elif op == "cut":
            del out[at : at + arg[0] * 16 + 1]
        else:
            out[at:at] = arg
    return bytes(out)


position = st.integers(0, 2**31)
edit = st.tuples(st.sampled_from(["flip", "put", "cut", "add"]), position, st.binary(min_size=1, max_size=32))
edits = st.lists(edit, min_size=1, max_size=8)


# ---------------------------------------------------------------- random and damaged bytes


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(NAMES))
def test_random_bytes_under_any_name(data: bytes, name: str) -> None:
    outcome(data, name)


SIGNATURES = [
    b"PK\x03\x04",
    b"%PDF-1.7\n",
    b"<html><body><table><tr><td>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: text/html\n\n",
]


@FUZZ
@given(head=st.sampled_from(SIGNATURES), data=st.binary(max_size=4096), name=st.sampled_from(NAMES))
def test_random_bytes_behind_a_format_signature(head: bytes, data: bytes, name: str) -> None:
    outcome(head + data, name)


@FUZZ
@given(kind=st.sampled_from(["docx", "txt", "html"]), damage=edits)
def test_damaged_generated_reports(kind: str, damage: list[tuple[str, int, bytes]]) -> None:
    outcome(apply_edits(sample_files()[kind], damage), f"report.{kind}")


@settings(FUZZ, max_examples=40)
@given(damage=edits)
def test_damaged_pdf_reports(damage: list[tuple[str, int, bytes]]) -> None:
    outcome(apply_edits(sample_files()["pdf"], damage), "report.pdf")


@FUZZ
@given(name=st.sampled_from(sorted(SEEDS)), damage=edits)
def test_damaged_seed_reports(name: str, damage: list[tuple[str, int, bytes]]) -> None:
    outcome(apply_edits(SEEDS[name], damage), name)


# ---------------------------------------------------------------- structure-aware mutations

XML_TOKENS = [
    "<w:tc>", "</w:tc>", "<w:tr>", "</w:tr>", "<w:tbl>", "</w:tbl>", "<w:p>", "</w:p>",
    '<w:gridSpan w:val="99999"/>', '<w:gridSpan w:val="-3"/>', '<w:gridSpan w:val="x"/>', "<w:vMerge/>",
    '<w:vMerge w:val="restart"/>', '<w:hMerge/>', '<w:gridBefore w:val="1000"/>', "<w:tcPr>", "</w:tcPr>",
    "<w:t>１２３</w:t>", "<w:t>1e308</w:t>", "<w:t>总计</w:t>", "<w:tab/>", "<w:br/>", "&amp;", "&#12345;",
]  # fmt: skip


@FUZZ
@given(
    cuts=st.lists(st.tuples(position, st.integers(1, 400)), max_size=3),
    inserts=st.lists(st.tuples(position, st.sampled_from(XML_TOKENS)), max_size=6),
)
def test_mutated_word_xml(cuts: list[tuple[int, int]], inserts: list[tuple[int, str]]) -> None:
    """Damage inside the package (so the zip checks pass): spans cut out, stray tags let in."""
    docx = sample_files()["docx"]
    xml = member(docx, "word/document.xml")
    for at, length in cuts:
        at %= len(xml)
        xml = xml[:at] + xml[at + length :]
    for at, tag in inserts:
        at %= len(xml)
        xml = xml[:at] + tag + xml[at:]
    outcome(repack(docx, {"word/document.xml": xml}), "report.docx")


line_edit = st.tuples(
    st.sampled_from(["drop", "repeat", "swap", "replace", "insert"]),
    position,
    st.lists(text_piece, max_size=4),
)


@settings(FUZZ, max_examples=150)
@given(name=st.sampled_from(sorted(SEEDS)), changes=st.lists(line_edit, min_size=1, max_size=10))
def test_edited_seed_lines(name: str, changes: list[tuple[str, int, list[str]]]) -> None:
    """Lines dropped, repeated, swapped, or replaced by odd figures, labels, delimiters and controls."""
    lines = SEEDS[name].decode("utf-8").split("\n")
    for op, at, pieces in changes:
        at %= len(lines)
        new = "\t".join(pieces) if len(pieces) > 1 else "".join(pieces)
        if op == "drop" and len(lines) > 1:
            del lines[at]
        elif op == "repeat":
            lines[at:at] = [lines[at]] * 3
        elif op == "swap":
            lines[at], lines[-1 - at] = lines[-1 - at], lines[at]
        elif op == "replace":
            lines[at] = new
        else:
            lines.insert(at, new)
    outcome("\n".join(lines).encode("utf-8", "surrogatepass"), name)


span = st.sampled_from(["1", "2", "3", "0", "-1", "99999", "abc", "", "2.5"])
html_cell = st.tuples(st.sampled_from(["td", "th"]), span, span, text_piece)


def html_table(rows: list[list[tuple[str, str, str, str]]]) -> str:
    def cell(tag: str, rowspan: str, colspan: str, text: str) -> str:
        text = text.replace("\x00", "").replace("<", "&lt;")
        return f'<{tag} rowspan="{rowspan}" colspan="{colspan}">{text}</{tag}>'

    return "<table>" + "".join("<tr>" + "".join(cell(*c) for c in row) + "</tr>" for row in rows) + "</table>"


@FUZZ
@given(rows=st.lists(st.lists(html_cell, max_size=8), max_size=12), at=position)
def test_random_tables_in_a_web_page(rows: list[list[tuple[str, str, str, str]]], at: int) -> None:
    page = sample_files()["html"].decode()
    spots = table_spots(page, "<table", "</body>")
    where = spots[at % len(spots)]
    outcome((page[:where] + html_table(rows) + page[where:]).encode("utf-8", "surrogatepass"), "report.html")


def xml_text(text: str) -> str:
    """Text as Word stores it: XML 1.0 has no NUL, C0 controls, surrogates or U+FFFE/U+FFFF; markup escaped."""
    kept = "".join(
        c for c in text if c in "\t\n" or (c >= " " and not 0xD800 <= ord(c) <= 0xDFFF and c < "\ufffe")
    )
    return kept.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table_spots(xml: str, start: str, end: str) -> list[int]:
    """Where a table may be put: before each table, and at the end of the body."""
    return [i for i in range(len(xml)) if xml.startswith(start, i)] + [xml.index(end)]


word_cell = st.tuples(
    st.sampled_from(
        [
            "",
            '<w:gridSpan w:val="2"/>',
            '<w:gridSpan w:val="9999"/>',
            "<w:vMerge/>",
            '<w:vMerge w:val="restart"/>',
            "<w:hMerge/>",
        ]
    ),
    text_piece,
)


@FUZZ
@given(
    rows=st.lists(st.lists(word_cell, max_size=8), max_size=12),
    before=st.sampled_from(["", '<w:trPr><w:gridBefore w:val="3"/></w:trPr>']),
    at=position,
)
def test_random_tables_in_a_word_report(rows: list[list[tuple[str, str]]], before: str, at: int) -> None:
    docx = sample_files()["docx"]
    cells = [
        "".join(f"<w:tc><w:tcPr>{props}</w:tcPr>{w_p(xml_text(text))}</w:tc>" for props, text in row)
        for row in rows
    ]
    table = "<w:tbl>" + "".join(f"<w:tr>{before}{row}</w:tr>" for row in cells) + "</w:tbl>"
    xml = member(docx, "word/document.xml")
    spots = table_spots(xml, "<w:tbl>", "<w:sectPr")
    where = spots[at % len(spots)]
    outcome(repack(docx, {"word/document.xml": xml[:where] + table + xml[where:]}), "report.docx")


# ---------------------------------------------------------------- figures


@settings(FUZZ, max_examples=300)
@given(
    raw=st.one_of(st.text(max_size=30), st.lists(token, max_size=3).map("".join)),
    unit=st.sampled_from(["count", "yuan", "wan"]),
)
def test_any_cell_text_parses_to_a_finite_figure_or_none(raw: str, unit: str) -> None:
    parsed = parse_value(raw, unit)  # type: ignore[arg-type]
    if parsed.kind == "number":
        assert type(parsed.value) in (int, float) and math.isfinite(parsed.value)
    else:
        assert parsed.value is None


def full_width(text: str) -> str:
    return "".join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else c for c in text)


@FUZZ
@given(number=st.one_of(st.integers(-(10**15), 10**15), st.decimals(0, 10**9, places=2).map(str)))
def test_full_width_digits_read_as_ascii(number: int | str) -> None:
    text = str(number)
    assert parse_value(full_width(text)) == parse_value(text)


# ---------------------------------------------------------------- the bounded decoders agree with pdfminer's


def result(decode: Callable[[bytes], bytes], data: bytes) -> bytes | type[Exception]:
    try:
        return decode(data)
    except Exception as exc:
        return type(exc)


run = st.one_of(
    st.binary(min_size=1, max_size=128).map(lambda b: bytes([len(b) - 1]) + b),
    st.tuples(st.integers(129, 255), st.binary(min_size=1, max_size=1)).map(lambda t: bytes([t[0]]) + t[1]),
)


@FUZZ
@given(runs=st.lists(run, max_size=20))
def test_run_length_matches_pdfminer(runs: list[bytes]) -> None:
    data = b"".join(runs) + b"\x80"
    assert pdfdecode.run_length(data) == pdfminer.runlength.rldecode(data)


@FUZZ
@given(data=st.binary(max_size=512).map(lambda b: b"\x80" + b))  # 0x80: the stream starts with a clear code
def test_lzw_matches_pdfminer(data: bytes) -> None:
    assert result(pdfdecode.lzw, data) == result(pdfminer.lzw.lzwdecode, data)


@FUZZ
@given(payload=st.binary(max_size=2048), damage=st.lists(edit, max_size=2), raw=st.booleans())
def test_inflate_matches_zlib(payload: bytes, damage: list[tuple[str, int, bytes]], raw: bool) -> None:
    data = (
        payload if raw else apply_edits(zlib.compress(payload), damage) if damage else zlib.compress(payload)
    )
    assert result(pdfdecode.inflate, data) == result(zlib.decompress, data)


@FUZZ
@given(payload=st.binary(max_size=2048), checksum=st.binary(min_size=4, max_size=4))
def test_salvage_and_budget_match_pdfminer(payload: bytes, checksum: bytes) -> None:
    data = zlib.compress(payload)[:-4] + checksum
    assert pdfdecode.salvage(data) == pdftypes_decompress_corrupted(data) == payload
    with pdfdecode.budget(len(payload)):
        assert pdfdecode.inflate(zlib.compress(payload)) == payload

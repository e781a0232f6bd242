"""Scans and photos built from generated reports are read into the same cells as the .docx/.pdf readers
give, for both templates; the identities correct a misread figure; hostile images end in a clear error.

A handful of pages only (OCR takes 2–4 s a page here): the larger held-back sets are in ``make bench``.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

import numpy as np
import pytest
from builders import build_pdf, consistent_values
from hostile_support import assert_message, assert_report
from ocr_corpus import photo_case
from PIL import Image
from scan_builders import (
    Print,
    Shot,
    add_seal,
    image_bytes,
    photo,
    print_pages,
    scan,
    scanned_pdf,
    shoot,
    table_only_page,
)

from core.extract.ocr.review import CORRECTED, LOW_CONFIDENCE, review
from core.model import Cell, Location, ParsedReport, ReportError
from core.pipeline import read_report
from core.templates import TEMPLATES


def _wrong(report: ParsedReport, values: dict, keys=None) -> list:
    keys = keys if keys is not None else list(values)
    return [(k, report.cells[k].raw if k in report.cells else None, values[k]) for k in keys if report.value(k) != values[k]]


@cache
def _scanned(template: str) -> tuple[dict, ParsedReport]:
    values = consistent_values(template, seed=31)
    pages = print_pages(values, template)
    pages[-1] = add_seal(pages[-1], seed=3)
    data = scanned_pdf([scan(p, seed=40 + i) for i, p in enumerate(pages)])
    return values, read_report(data, "扫描件.pdf")


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_scanned_pdf_reads_every_cell_with_provenance(template):
    values, report = _scanned(template)
    assert report.source_kind == "scan"
    assert report.agency == "舟山市定海区人民政府办公室"
    assert report.year == (2020 if template == "2019" else 2021)
    assert report.template == template
    assert report.tables_found == ["二", "三", "四"]
    assert _wrong(report, values) == []
    cell = report.cells["apply.new.total"]
    assert cell.loc.kind == "scan" and cell.loc.page is not None
    x0, y0, x1, y1 = cell.loc.bbox
    assert 0 <= x0 < x1 and 0 <= y0 < y1
    assert 0 < cell.loc.confidence <= 1
    assert not [f for f in report.findings if f.severity == "error"], report.findings


def test_photo_album_of_two_pages_is_one_report():
    """Page 2 (table 三 starts there) and page 3 photographed at an angle, sent together."""
    values = consistent_values("2021", seed=32)
    pages = print_pages(values, "2021")
    from core.storage.photos import bundle

    data = bundle([image_bytes(photo(p, seed=50 + i)) for i, p in enumerate(pages[1:])])
    report = read_report(data, "照片2张.pdf")
    assert {"三", "四"} <= set(report.tables_found)
    keys = [c.key for t in TEMPLATES["2021"].tables if t.id in ("三", "四") for c in t.cells() if not c.derived]
    wrong = _wrong(report, values, keys)
    assert len(wrong) <= 2, wrong  # the photo target is 98 %: ≤ 2 of 135 figures


def test_photo_of_a_later_page_starts_mid_table():
    """Table 三 broken over two pages without its header repeated: the second page's cells are placed by
    their row labels and the template's column order."""
    values = consistent_values("2019", seed=33)
    pages = print_pages(values, "2019", break_table3_at=14)
    assert len(pages) == 2  # table 三 breaks onto page 2
    report = read_report(image_bytes(photo(pages[1], seed=61)), "later.jpg")
    assert "三" in report.tables_found
    tail = ["unavailable.needs_creation", "not_processed.petition", "total", "carried_forward"]
    keys = [f"apply.{row}.{col}" for row in tail for col in ("natural_person", "commercial", "total")]
    present = [k for k in keys if k in report.cells]
    assert len(present) == len(keys), [k for k in keys if k not in report.cells]
    assert _wrong(report, values, keys) == []
    assert any(f.code == "structure.missing_table" for f in report.findings)


def test_photo_of_one_table_is_a_partial_report():
    values = consistent_values("2021", seed=34)
    report = read_report(image_bytes(photo(table_only_page(values, "2021", "四"), seed=7)), "t4.jpg")
    assert report.tables_found == ["四"]
    keys = [c.key for c in TEMPLATES["2021"].table("四").cells()]
    assert _wrong(report, values, keys) == []
    missing = {f.details.get("table") for f in report.findings if f.code == "structure.missing_table"}
    assert missing == {"二", "三"}
    assert not any(f.code.startswith("table4.") for f in report.findings)  # its own table adds up


def test_lone_slash_is_not_read_as_one():
    values = dict(consistent_values("2021", seed=35))
    values["review.corrected"], values["review.total"] = "/", values["review.total"] - values["review.corrected"]
    report = read_report(image_bytes(scan(table_only_page(values, "2021", "四"), seed=2)), "t4.png")
    assert report.cells["review.corrected"].raw == "/"
    assert report.value("review.corrected") is None


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_unruled_tables_are_read_from_text_alignment(template):
    """The whole report printed without ruling: table 二's blocks (2021: four, three of one column each),
    table 三 with its labels wrapped beside their figures, table 四 with its headers wrapped over two lines
    and its two header levels over five columns each — placed from how the text lines up."""
    values = consistent_values(template, seed=36)
    pages = print_pages(values, template, style=Print(ruled=False, cell_pt=7.0))
    report = read_report(scanned_pdf([scan(p, seed=3 + i) for i, p in enumerate(pages)]), "unruled.pdf")
    assert report.tables_found == ["二", "三", "四"]
    assert _wrong(report, values) == []


# ---------------------------------------------------------------- photos as phones take them


def test_a_photo_held_sideways_or_upside_down_is_turned_upright():
    values = consistent_values("2021", seed=46)
    page = table_only_page(values, "2021", "四")
    keys = [c.key for c in TEMPLATES["2021"].table("四").cells()]
    for quarter in (1, 2, 3):
        shot = Shot(seed=quarter, fill=0.9, tilt=0.03, turn=4.0, quarter=quarter)
        report = read_report(image_bytes(shoot(page, shot, page.info["tables"][0].box)), f"turned{quarter}.jpg")
        assert report.tables_found == ["四"], quarter
        assert _wrong(report, values, keys) == [], quarter


def test_minus_signs_are_read():
    """本年增/减 (2019 table 二) prints −1; in a photo of a whole 6.4 pt page the dash is a 2-px speck the
    recogniser alone drops (seed 108 of the tuning corpus, an album, as the bot bundles it)."""
    case = photo_case(108, "2019")
    report = read_report(case.data, "album.pdf")
    keys = [k for k in case.values if k.endswith(".change")]
    assert [case.values[k] for k in keys if case.values[k] < 0]  # the album prints negative figures
    assert _wrong(report, case.values, keys) == []


def test_a_table_photographed_in_two_overlapping_parts_is_read_once():
    """Table 三 in two close photos (seed 102 of the tuning corpus: 6.4 pt, the print seen at ~300 dpi,
    the sheet's edges out of the frame): the second starts mid-table and shows the last rows of the
    first again, one of them cut by the frame's edge. Every figure is read once, and right."""
    case = photo_case(102, "2019")
    assert len(case.images) == 4  # table 二, table 三 in two parts, table 四
    report = read_report(case.data, "album.pdf")
    keys = [c.key for c in TEMPLATES["2019"].table("三").cells() if not c.derived]
    assert _wrong(report, case.values, keys) == []
    assert not [f for f in report.findings if f.code == "structure.extra_row"]


# ---------------------------------------------------------------- the identities as a second reader


def _ocr_report(values: dict, misread: dict[str, tuple[str, list[str]]]) -> ParsedReport:
    """Table 三 as OCR would give it, with ``misread`` key → (raw read, the recogniser's other readings)."""
    tpl = TEMPLATES["2021"]
    cells = {}
    for c in tpl.table("三").cells():
        raw, readings = misread.get(c.key, (str(values[c.key]), []))
        value = int(raw) if raw.lstrip("-").isdigit() else None
        loc = Location("photo", page=1, bbox=[0, 0, 1, 1], confidence=0.6 if readings else 0.99, readings=readings or None)
        cells[c.key] = Cell(c.key, raw, value, "件", "三", c.row.label, c.column.label, loc)
    return ParsedReport("甲单位", "甲", None, 2021, "2021", None, None, "photo", cells=cells, tables_found=["三"])


def test_a_misread_figure_is_corrected_by_its_identities_and_reported():
    values = consistent_values("2021", seed=37)
    key = "apply.disclosed.natural_person"
    true = str(values[key])
    report = _ocr_report(values, {key: (true + "7", ["7" + true, true])})
    review(report)
    assert report.cells[key].raw == true and report.value(key) == values[key]
    found = [f for f in report.findings if f.code == CORRECTED]
    assert len(found) == 1 and found[0].severity == "info" and found[0].cells == [key]
    assert found[0].details["read"] == true + "7" and found[0].details["corrected"] == true
    assert true + "7" in found[0].message and true in found[0].message


def test_a_figure_the_readings_cannot_explain_is_left_alone():
    """The agency printed a wrong figure: no reading of the recogniser satisfies the identities."""
    values = consistent_values("2021", seed=38)
    key = "apply.disclosed.commercial"
    wrong = str(values[key] + 5)
    report = _ocr_report(values, {key: (wrong, [str(values[key] + 6)])})
    review(report)
    assert report.cells[key].raw == wrong
    assert not any(f.code == CORRECTED for f in report.findings)
    low = next(f for f in report.findings if f.code == LOW_CONFIDENCE)
    assert low.cells == [key] and low.severity == "warning"


# ---------------------------------------------------------------- hostile images


def _png(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` with (almost) no data: a decompression bomb's header."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b"")


def _message(data: bytes, name: str) -> str:
    with pytest.raises(ReportError) as caught:
        read_report(data, name)
    assert_message(str(caught.value))
    return str(caught.value)


def test_hostile_images_get_a_clear_error():
    assert "尺寸过大" in _message(_png(100_000, 100_000), "bomb.png")
    full = image_bytes(Image.fromarray(np.full((400, 300, 3), 255, np.uint8)))
    assert "不完整" in _message(full[: len(full) // 2], "cut.jpg")
    assert "损坏" in _message(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "broken.png")
    assert "空的" in _message(b"", "empty.jpg")
    assert "没有可识别的文字" in _message(image_bytes(Image.new("RGB", (800, 600), "white")), "blank.jpg")


def test_pdf_of_many_blank_image_pages_is_refused_by_its_page_count():
    blank = Image.new("L", (200, 280), 255)
    buf = io.BytesIO()
    blank.save(buf, "PDF", save_all=True, append_images=[blank] * 499)
    assert "页数过多" in _message(buf.getvalue(), "blank.pdf")


def test_mixed_pdf_reads_text_pages_and_scanned_pages():
    """Page 1 with a text layer (title, table 二), pages 2–3 scanned (tables 三 and 四)."""
    import pypdfium2 as pdfium

    values = consistent_values("2021", seed=39)
    text = pdfium.PdfDocument(build_pdf(values, "2021"))
    scans = pdfium.PdfDocument(scanned_pdf([scan(p, seed=70 + i) for i, p in enumerate(print_pages(values, "2021"))]))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text, [0])
    mixed.import_pages(scans, [1, 2])
    out = io.BytesIO()
    mixed.save(out)
    report = read_report(out.getvalue(), "mixed.pdf")
    assert report.source_kind == "pdf" and _wrong(report, values) == []
    assert report.cells["active.licensing.decisions"].loc.kind == "pdf"
    assert report.cells["apply.new.total"].loc.kind == "scan"
    assert_report(report)

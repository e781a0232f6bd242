"""PDF extraction at the Document level: ruled tables with merged cells, pages, reading order."""

from __future__ import annotations

import io
from datetime import date

import pytest
from builders import build_pdf, consistent_values, fmt, table_layouts
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from core.extract import extract
from core.model import Document, Paragraph, Table
from core.templates import TEMPLATES


@pytest.fixture(scope="module")
def split19() -> tuple[dict[str, int | float], Document]:
    values = consistent_values("2019", seed=4)
    data = build_pdf(values, "2019", split_across_pages=True, published_on=date(2021, 1, 28))
    return values, extract(data, "report.pdf")


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_every_value_lands_where_the_layout_printed_it(template: str) -> None:
    values = consistent_values(template, seed=9)
    options = {"subtotal_column": template == "2021", "wrap_headers": template == "2021"}
    doc = extract(build_pdf(values, template, **options), "r.pdf")
    layouts = table_layouts(values, template, **options)
    assert doc.kind == "pdf" and len(doc.tables) == len(layouts)
    for table, layout in zip(doc.tables, layouts, strict=True):
        assert len(table.rows) == layout.n_rows
        assert table.page is not None
        for key, (r, c) in layout.positions().items():
            cell = table.rows[r][c]
            assert cell.text == fmt(values[key]), key
            assert cell.loc == cell.loc.__class__(kind="pdf", table=table.index, row=r, col=c, page=table.page)
    assert sum(len(layout.positions()) for layout in layouts) == sum(
        1 for key in values if not TEMPLATES[template].cell(key).derived
    )


def test_merged_cells_become_colspans_and_continued_cells() -> None:
    doc = extract(build_pdf(consistent_values("2021", seed=1), "2021"), "r.pdf")
    t2, t3, t4 = doc.tables
    assert [(c.text, c.colspan) for c in t2.rows[0]] == [("第二十条第（一）项", 4)]
    assert [c.colspan for c in t2.rows[6]] == [1, 3]  # 行政许可 | one value over three columns
    note = t3.rows[0][0]
    assert (note.colspan, note.continued) == (3, False) and note.text.startswith("（本列数据的勾稽关系为")
    assert [(c.colspan, c.continued) for c in t3.rows[1]] == [(3, True), (1, False), (5, False), (1, False)]
    assert t3.rows[1][0].text == note.text
    results = [row for row in t3.rows if row[0].text.replace("\n", "") == "三、本年度办理结果"]
    assert len(results) == 22 and [r[0].continued for r in results] == [False] + [True] * 21
    unavailable = [row for row in t3.rows if row[1].text.replace("\n", "") == "（四）无法提供"]
    assert [r[1].continued for r in unavailable] == [False, True, True]
    assert [c.colspan for c in t4.rows[0]] == [5, 10]
    assert [c.continued for c in t4.rows[2]] == [True] * 5 + [False] * 10


def test_table_cut_by_a_page_break_stays_two_tables(split19) -> None:
    values, doc = split19
    layout = table_layouts(values, "2019")[1]
    first, second = doc.tables[1], doc.tables[2]
    assert second.page == first.page + 1
    assert len(first.rows) + len(second.rows) == layout.n_rows
    # The merged labels 三、本年度办理结果 and （四）无法提供 are cut: blank cells start the second part.
    assert first.rows[-1][1].text.replace("\n", "") == "（四）无法提供"
    assert [(c.text, c.continued) for c in second.rows[0][:2]] == [("", False), ("", False)]
    assert second.rows[0][2].text.startswith("2.没有现成信息")
    assert [c.continued for c in second.rows[1][:2]] == [True, True]
    assert all(c.loc.page == second.page for row in second.rows for c in row)
    positions = layout.positions()
    for key, (r, c) in positions.items():
        part, row = (first, r) if r < len(first.rows) else (second, r - len(first.rows))
        assert part.rows[row][c].text == fmt(values[key]), key


def test_repeated_header_rows_start_the_second_part() -> None:
    values = consistent_values("2021", seed=6)
    doc = extract(build_pdf(values, "2021", split_across_pages=True, repeat_header=True), "r.pdf")
    first, second = doc.tables[1], doc.tables[2]
    assert [c.text for c in second.rows[0]] == [c.text for c in first.rows[0]]
    assert [c.text for c in second.rows[2]] == [c.text for c in first.rows[2]]
    assert second.rows[3][2].text.startswith("2.没有现成信息") and not second.rows[3][0].continued
    assert len(first.rows) + len(second.rows) == table_layouts(values, "2021")[1].n_rows + 3


def test_blocks_follow_reading_order_across_pages(split19) -> None:
    _, doc = split19
    order = []
    for block in doc.blocks:
        if isinstance(block, Table):
            order.append((block.page, f"T{block.index}"))
        elif block.text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、"):
            order.append((block.loc.page, block.text[0]))
    assert [name for _, name in order] == ["一", "二", "T0", "三", "T1", "T2", "四", "T3", "五", "六"]
    assert [page for page, _ in order] == sorted(page for page, _ in order)
    lines = [(b.loc.page, b.loc.line) for b in doc.blocks if isinstance(b, Paragraph)]
    assert len(set(lines)) == len(lines)
    assert doc.paragraphs[-1].text == "2021年1月28日"
    assert not any(p.text.startswith("—") for p in doc.paragraphs)  # page-number footers are dropped
    # Text inside tables is not repeated as paragraphs.
    assert not any("本年新收政府信息" in p.text for p in doc.paragraphs)


def _canvas_pdf(draw: object) -> bytes:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setFont("STSong-Light", 12)
    draw(canvas)  # type: ignore[operator]
    canvas.save()
    return out.getvalue()


def test_a_frame_around_text_is_not_a_table() -> None:
    def draw(c: Canvas) -> None:
        c.rect(50, 600, 400, 100)
        c.drawString(60, 650, "框内的说明文字")
        c.drawString(60, 550, "框外的正文")

    doc = extract(_canvas_pdf(draw), "frame.pdf")
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs] == ["框内的说明文字", "框外的正文"]


def test_missing_ruling_leaves_a_cell_in_place() -> None:
    """A grid whose top-right box lacks its right edge: the hole stays a cell (with its text) in place."""

    def draw(c: Canvas) -> None:
        xs, ys = [50, 150, 250, 350], [700, 680, 660]
        for x in xs:
            c.line(x, ys[-1], x, ys[1] if x == xs[-1] else ys[0])
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for r, row in enumerate([["甲", "乙", "丙"], ["1", "2", "3"]]):
            for i, text in enumerate(row):
                c.drawString(xs[i] + 5, ys[r] - 15, text)

    table = extract(_canvas_pdf(draw), "grid.pdf").tables[0]
    assert [[c.text for c in row] for row in table.rows] == [["甲", "乙", "丙"], ["1", "2", "3"]]


def test_page_numbers_in_the_margins_are_dropped() -> None:
    def draw(c: Canvas) -> None:
        c.drawString(250, 810, "第1页 共2页")
        c.drawString(60, 700, "正文")
        c.drawString(60, 400, "12")  # a bare number in the body is content
        c.drawString(280, 30, "— 1 —")
        c.drawString(60, 15, "舟山市定海区人民政府办公室")  # footer text that is not a page number stays

    assert [p.text for p in extract(_canvas_pdf(draw), "p.pdf").paragraphs] == ["正文", "12", "舟山市定海区人民政府办公室"]


def test_fake_bold_reads_once() -> None:
    def draw(c: Canvas) -> None:
        for dx in (0, 0.3):  # bold simulated by drawing the text twice
            c.drawString(60 + dx, 700, "一、总体情况")

    assert [p.text for p in extract(_canvas_pdf(draw), "b.pdf").paragraphs] == ["一、总体情况"]


def test_borders_drawn_as_thin_filled_rectangles() -> None:
    """Word's PDF export paints each border as a thin filled rectangle rather than a stroked line."""
    xs, ys = [60, 160, 260, 360], [760, 730, 700, 670]  # ys from the top row down, in PDF coordinates

    def hline(c: Canvas, y: float, x0: float, x1: float) -> None:
        c.rect(x0, y - 0.25, x1 - x0, 0.5, stroke=0, fill=1)

    def vline(c: Canvas, x: float, y0: float, y1: float) -> None:
        c.rect(x - 0.25, y1, 0.5, y0 - y1, stroke=0, fill=1)

    def draw(c: Canvas) -> None:
        hline(c, ys[0], xs[0], xs[3])
        hline(c, ys[1], xs[1], xs[3])  # not across the vertically merged first cell
        hline(c, ys[2], xs[0], xs[3])
        hline(c, ys[3], xs[0], xs[3])
        vline(c, xs[0], ys[0], ys[3])
        vline(c, xs[1], ys[0], ys[3])
        vline(c, xs[2], ys[1], ys[3])  # not through the horizontally merged header
        vline(c, xs[3], ys[0], ys[3])
        for x, y, text in [(70, 735, "行政复议"), (200, 750, "行政诉讼"), (170, 720, "维持"), (270, 720, "纠正")]:
            c.drawString(x, y, text)
        for x, text in [(70, "合计"), (170, "1"), (270, "2")]:
            c.drawString(x, 690, text)

    table = extract(_canvas_pdf(draw), "word.pdf").tables[0]
    assert [[(c.text, c.colspan, c.continued) for c in row] for row in table.rows] == [
        [("行政复议", 1, False), ("行政诉讼", 2, False)],
        [("行政复议", 1, True), ("维持", 1, False), ("纠正", 1, False)],
        [("合计", 1, False), ("1", 1, False), ("2", 1, False)],
    ]


# ---------------------------------------------------------------- PDFium and its pdfplumber fallback


def _dump(doc: Document) -> list[object]:
    return [
        [[(c.text, c.colspan, c.continued) for c in row] for row in b.rows] if isinstance(b, Table) else b.text
        for b in doc.blocks
    ]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_one_character_line_wrapped_in_a_cell_is_not_lost(template: str) -> None:
    """商业企 / 业: reportlab's CJK font is not embedded; PDFium must measure the lone 业 to keep it."""
    doc = extract(build_pdf(consistent_values(template, seed=91), template), "r.pdf")
    header = [c.text for t in doc.tables for row in t.rows for c in row]
    assert "商业企\n业" in header and "科研机\n构" in header


def test_the_pdfplumber_path_reads_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page PDFium cannot read whole goes to pdfplumber; both paths give the same blocks and cells."""
    import core.extract.pdf as pdf

    data = build_pdf(consistent_values("2019", seed=92), "2019", split_across_pages=True, wrap_headers=True)
    fast = extract(data, "r.pdf")
    monkeypatch.setattr(pdf, "_loses_text", lambda page: True)
    slow = extract(data, "r.pdf")
    assert _dump(fast) == _dump(slow)
    assert [c.loc for t in fast.tables for row in t.rows for c in row] == [
        c.loc for t in slow.tables for row in t.rows for c in row
    ]


def test_pdfium_measures_every_text_object_of_a_generated_report() -> None:
    """With matplotlib's fonts PDFium sees every line (no page needs the slower pdfplumber path)."""
    import pypdfium2

    import core.extract.pdf as pdf

    document = pypdfium2.PdfDocument(build_pdf(consistent_values("2021", seed=93), "2021", wrap_headers=True))
    try:
        assert not any(pdf._loses_text(document[i]) for i in range(len(document)))
    finally:
        document.close()

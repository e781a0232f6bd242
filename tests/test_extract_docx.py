"""Word extraction at the Document level: merges, colspans, continued cells, locations, block order."""

from __future__ import annotations

import io
import quopri
import re
import zipfile
from collections.abc import Callable

import docx
import pytest
from builders import TEMPLATE_2021_DOCX, build_docx, consistent_values, fill_template_2021, fmt, table_layouts

from core.extract import extract
from core.model import Document, Location, Paragraph, Table
from core.templates import TEMPLATES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rewrite(data: bytes, name: str, change: Callable[[str], str]) -> bytes:
    """The same .docx with one part's XML text changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == name:
                body = change(body.decode("utf-8")).encode("utf-8")
            dst.writestr(info.filename, body)
    return out.getvalue()


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


@pytest.fixture(scope="module")
def values21() -> dict[str, int | float]:
    return consistent_values("2021", seed=7)


@pytest.fixture(scope="module")
def doc21(values21) -> Document:
    return extract(build_docx(values21, "2021"), "report.docx")


def test_blocks_keep_document_order(doc21: Document) -> None:
    kinds = []
    for block in doc21.blocks:
        if isinstance(block, Table):
            kinds.append(f"T{block.index}")
        elif re.match(r"^[一二三四五六]、", block.text):
            kinds.append(block.text[0])
    assert kinds == ["一", "二", "T0", "三", "T1", "四", "T2", "五", "六"]
    assert doc21.kind == "docx"
    lines = [p.loc.line for p in doc21.paragraphs]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    assert all(p.loc.kind == "docx" and p.loc.table is None for p in doc21.paragraphs)


def test_table3_header_merges_as_word_writes_them(doc21: Document) -> None:
    t3 = doc21.tables[1]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    first, second, third = t3.rows[:3]
    assert (first[0].text, first[0].colspan, first[0].continued) == (note, 3, False)
    assert (first[1].text, first[1].colspan) == ("申请人情况", 7)
    assert [(c.text, c.colspan, c.continued) for c in second] == [
        (note, 3, True),
        ("自然人", 1, False),
        ("法人或其他组织", 5, False),
        ("总计", 1, False),
    ]
    assert [c.text for c in third] == [note, "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert [c.continued for c in third] == [True, True, False, False, False, False, False, True]


def test_table3_vertical_labels_continue_with_top_text(doc21: Document) -> None:
    rows = doc21.tables[1].rows
    results = [r for r in rows if r[0].text == "三、本年度办理结果"]
    assert len(results) == 22  # the 2021 format's 22 result rows
    assert not results[0][0].continued and all(r[0].continued for r in results[1:])
    withheld = [r for r in rows if len(r) > 1 and r[1].text == "（三）不予公开"]
    assert len(withheld) == 8
    assert [r[1].continued for r in withheld] == [False] + [True] * 7
    assert [r[2].text for r in withheld][:2] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]
    other = [r for r in rows if len(r) > 1 and r[1].text == "（六）其他处理"]
    assert len(other) == 3 and other[2][2].text == "3.其他"
    total = next(r for r in rows if len(r) > 1 and r[1].text == "（七）总计")
    assert (total[1].colspan, len(total)) == (2, 9)


@pytest.mark.parametrize("merge_style", ["word", "none", "repeat"])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_every_value_lands_where_the_layout_printed_it(template: str, merge_style: str) -> None:
    values = consistent_values(template, seed=11)
    options = {"split_table2": template == "2019", "subtotal_column": True, "wrap_headers": True}
    doc = extract(build_docx(values, template, merge_style=merge_style, **options), "r.docx")
    layouts = table_layouts(values, template, **options)
    assert len(doc.tables) == len(layouts)
    written = 0
    for table, layout in zip(doc.tables, layouts, strict=True):
        assert len(table.rows) == layout.n_rows
        for key, (r, c) in layout.positions(merge_style).items():
            cell = table.rows[r][c]
            assert cell.text == fmt(values[key]), key
            assert (cell.loc.kind, cell.loc.table, cell.loc.row, cell.loc.col) == ("docx", table.index, r, c)
            written += 1
    assert written == sum(1 for key in values if not TEMPLATES[template].cell(key).derived)


def test_merge_styles_differ_only_in_merged_areas() -> None:
    values = consistent_values("2019", seed=3)
    word = extract(build_docx(values, "2019", merge_style="word"), "a.docx").tables[1]
    none = extract(build_docx(values, "2019", merge_style="none"), "a.docx").tables[1]
    repeat = extract(build_docx(values, "2019", merge_style="repeat"), "a.docx").tables[1]
    assert all(len(row) == 10 for row in none.rows + repeat.rows)
    assert not any(c.continued or c.colspan > 1 for row in none.rows + repeat.rows for c in row)
    row = 8  # 2.其他法律行政法规禁止公开: inside both the 三、 and the （三） vertical merges
    assert [c.text for c in none.rows[row][:2]] == ["", ""]
    assert [c.text for c in repeat.rows[row][:2]] == ["三、本年度办理结果", "（三）不予公开"]
    assert [c.text for c in word.rows[row][:2]] == ["三、本年度办理结果", "（三）不予公开"]
    assert [c.text for c in word.rows[row][2:]] == [c.text for c in none.rows[row][2:]]


def test_wrapped_headers_keep_their_line_breaks() -> None:
    doc = extract(build_docx(consistent_values("2019"), "2019", wrap_headers=True), "a.docx")
    header = [c.text for c in doc.tables[0].rows[1]]
    assert header == ["信息内容", "本年新\n制作数量", "本年新\n公开数量", "对外公\n开总数量"]


def test_raw_strings_and_missing_keys_are_printed_verbatim() -> None:
    values: dict[str, int | float | str] = dict(consistent_values("2019"))
    values["active.licensing.change"] = "增284"
    values["active.procurement.amount_yuan"] = "266万元"
    values["apply.new.research"] = "/"
    del values["review.total"]
    doc = extract(build_docx(values, "2019"), "a.docx")
    t2, t3, t4 = doc.tables
    assert [c.text for c in t2.rows[6]] == ["行政许可", str(values["active.licensing.prior_items"]), "增284", str(values["active.licensing.decisions"])]
    assert t2.rows[-1][-1].text == "266万元" and t2.rows[-1][-1].colspan == 2
    assert t3.rows[3][3].text == "/"
    assert t4.rows[3][4].text == ""


def test_real_2021_template_keeps_word_merges_and_fullwidth_spaces() -> None:
    doc = extract(TEMPLATE_2021_DOCX.read_bytes(), "template-2021.docx")
    t2, t3, t4 = doc.tables
    assert [c.text for c in t2.rows[2]] == ["规章", "\u3000\u3000", "\u3000", ""]
    assert [(c.text, c.colspan) for c in t2.rows[12]] == [("信息内容", 1), ("本年收费金额（单位：万元）", 3)]
    assert [c.text for c in t3.rows[2][2:4]] == ["商业\n企业", "科研\n机构"]
    assert len(t3.rows) == 28
    assert [c.colspan for c in t4.rows[0]] == [5, 10]
    assert len(t4.rows[3]) == 15


def test_filled_template_reads_back_cell_by_cell() -> None:
    values = consistent_values("2021", seed=5)
    doc = extract(fill_template_2021(values), "filled.docx")
    t2, t3, t4 = doc.tables
    assert [c.text for c in t2.rows[3]] == [
        "行政规范性文件",
        *(str(values[f"active.normative_docs.{k}"]) for k in ("issued", "repealed", "in_force")),
    ]
    assert t2.rows[13][1].text == str(values["active.fees.amount_wan"])
    unpaid = next(r for r in t3.rows if len(r) > 3 and r[2].text.startswith("2.申请人逾期未按收费通知"))
    assert unpaid[1].continued and unpaid[1].text == "（六）其他处理"
    assert [c.text for c in unpaid[3:]] == [
        str(values[f"apply.other.unpaid_fee.{c}"])
        for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
    ]
    assert t4.rows[3][14].text == str(values["litigation.after_review.total"])
    assert any(p.text.endswith("2021年政府信息公开工作年度报告") for p in doc.paragraphs)


# ---------------------------------------------------------------- structures other tools write


def _simple_docx(build: Callable[[docx.document.Document], None]) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _grid(document: docx.document.Document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def test_tables_inside_content_controls_and_custom_xml() -> None:
    data = _simple_docx(lambda d: (d.add_paragraph("前言"), _grid(d, [["a", "b"], ["1", "2"]]), d.add_paragraph("后记")))

    def wrap(xml: str) -> str:
        xml = xml.replace("<w:tbl>", "<w:sdt><w:sdtPr/><w:sdtContent><w:customXml w:element='x'><w:tbl>", 1)
        return xml.replace("</w:tbl>", "</w:tbl></w:customXml></w:sdtContent></w:sdt>", 1)

    doc = extract(rewrite(data, "word/document.xml", wrap), "x.docx")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert texts(doc.tables[0]) == [["a", "b"], ["1", "2"]]


def test_nested_table_is_flattened_into_its_cell() -> None:
    def build(d: docx.document.Document) -> None:
        table = d.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "外层"
        inner = table.cell(0, 1).add_table(rows=2, cols=2)
        for r, row in enumerate([["甲", "乙"], ["1", "2"]]):
            for c, text in enumerate(row):
                inner.cell(r, c).text = text

    doc = extract(_simple_docx(build), "x.docx")
    assert len(doc.tables) == 1
    assert texts(doc.tables[0]) == [["外层", "甲 乙\n1 2"]]


def test_single_cell_layout_table_is_unwrapped() -> None:
    def build(d: docx.document.Document) -> None:
        frame = d.add_table(rows=1, cols=1).cell(0, 0)
        frame.paragraphs[0].text = "框内标题"
        inner = frame.add_table(rows=2, cols=2)
        for r, row in enumerate([["信息内容", "本年制发件数"], ["规章", "0"]]):
            for c, text in enumerate(row):
                inner.cell(r, c).text = text

    doc = extract(_simple_docx(build), "x.docx")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table"]
    assert texts(doc.tables[0]) == [["信息内容", "本年制发件数"], ["规章", "0"]]
    assert doc.tables[0].index == 0


def test_grid_before_and_legacy_hmerge_keep_columns_aligned() -> None:
    data = _simple_docx(lambda d: _grid(d, [["a", "b", "c"], ["x", "y", "z"]]))

    def edit(xml: str) -> str:
        rows = xml.split("<w:tr")
        # row 1: one skipped grid column before its cells; row 2: second cell continues the first.
        rows[1] = rows[1].replace(">", "><w:trPr><w:gridBefore w:val='1'/></w:trPr>", 1)
        cells = rows[2].split("<w:tc>")
        cells[2] = "<w:tcPr><w:hMerge/></w:tcPr>" + cells[2].split("<w:tcPr>", 1)[-1].split("</w:tcPr>", 1)[-1]
        rows[2] = "<w:tc>".join(cells)
        return "<w:tr".join(rows)

    table = extract(rewrite(data, "word/document.xml", edit), "x.docx").tables[0]
    assert [(c.text, c.colspan) for c in table.rows[0]] == [("", 1), ("a", 1), ("b", 1), ("c", 1)]
    assert [(c.text, c.colspan) for c in table.rows[1]] == [("x", 2), ("z", 1)]


def test_run_text_details() -> None:
    """Tabs and breaks are text; tab stops, deleted text, field codes and VML fallbacks are not."""
    data = _simple_docx(lambda d: d.add_paragraph("占位"))
    paragraph = (
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
        "<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r>"
        "<w:del w:id='1' w:author='x'><w:r><w:delText>删</w:delText></w:r></w:del>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r>"
        "<w:r><mc:AlternateContent xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'>"
        "<mc:Choice Requires='wps'><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Choice>"
        "<mc:Fallback><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    edited = rewrite(data, "word/document.xml", lambda xml: re.sub(r"<w:p>.*?占位.*?</w:p>", paragraph, xml))
    assert [p.text for p in extract(edited, "x.docx").paragraphs] == ["甲\t乙\n丙\n框"]


def test_strict_ooxml_namespace_reads_the_same() -> None:
    values = consistent_values("2019", seed=2)
    data = build_docx(values, "2019")
    strict = rewrite(data, "word/document.xml", lambda xml: xml.replace(W, "http://purl.oclc.org/ooxml/wordprocessingml/main"))
    assert [texts(t) for t in extract(strict, "s.docx").tables] == [texts(t) for t in extract(data, "s.docx").tables]


def test_main_part_found_through_package_relationships() -> None:
    data = _simple_docx(lambda d: d.add_paragraph("正文在别处"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            name = "word/main.xml" if info.filename == "word/document.xml" else info.filename
            if info.filename in ("_rels/.rels", "[Content_Types].xml"):
                body = body.replace(b"/word/document.xml", b"/word/main.xml").replace(b"word/document.xml", b"word/main.xml")
            if info.filename == "word/_rels/document.xml.rels":
                name = "word/_rels/main.xml.rels"
            dst.writestr(name, body)
    assert [p.text for p in extract(out.getvalue(), "x.docx").paragraphs] == ["正文在别处"]


def test_html_imported_with_alt_chunk_is_read_in_place() -> None:
    """HTML-to-Word exporters (html-docx-js and the like) put the page in an MHT part via w:altChunk."""
    html = (
        "<html><head><meta charset='gb2312'></head><body><p>一、总体情况</p><table border=1>"
        "<tr><td rowspan=2>（三）不予公开</td><td>1.属于国家秘密</td><td>3</td></tr>"
        "<tr><td>2.其他法律行政法规禁止公开</td><td>0</td></tr></table></body></html>"
    )
    mht = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; boundary="=part"\r\n\r\n'
        b'--=part\r\nContent-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: quoted-printable\r\n'
        b"Content-Location: file:///C:/report.htm\r\n\r\n" + quopri.encodestring(html.encode("gb18030")) + b"\r\n--=part--\r\n"
    )
    data = _simple_docx(lambda d: (d.add_paragraph("封面"), d.add_paragraph("CHUNK"), _grid(d, [["尾表", "1"]])))
    data = rewrite(data, "word/document.xml", lambda xml: re.sub(r"<w:p>(?:(?!<w:p>).)*?CHUNK.*?</w:p>", '<w:altChunk r:id="htmlChunk"/>', xml))
    data = rewrite(
        data,
        "word/_rels/document.xml.rels",
        lambda xml: xml.replace(
            "</Relationships>",
            '<Relationship Id="htmlChunk" Target="/word/afchunk.mht" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"/></Relationships>',
        ),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/afchunk.mht", mht)
    doc = extract(out.getvalue(), "export.docx")
    assert [b.text if isinstance(b, Paragraph) else f"T{b.index}" for b in doc.blocks] == ["封面", "一、总体情况", "T0", "T1"]
    chunk, native = doc.tables
    assert [[(c.text, c.continued) for c in row] for row in chunk.rows] == [
        [("（三）不予公开", False), ("1.属于国家秘密", False), ("3", False)],
        [("（三）不予公开", True), ("2.其他法律行政法规禁止公开", False), ("0", False)],
    ]
    assert chunk.rows[1][2].loc.table == 0 and native.rows[0][0].loc == Location(kind="docx", table=1, row=0, col=0)

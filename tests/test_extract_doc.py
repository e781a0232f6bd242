"""Word 97 binary (.doc) and WPS (.wps) reports written by a real word processor (LibreOffice, see
tests/data/make_doc_fixtures.py), read without it: text, paragraphs, table cells, merges."""

from __future__ import annotations

import olefile
import pytest
from builders import consistent_values
from office_builders import DATA
from text_builders import printed_keys

from core.extract import extract
from core.model import ReportError, Table
from core.pipeline import read_report

FIXTURES = [("report-2019.doc", "2019", 31), ("report-2021-template.doc", "2021", 32), ("report-2021-split.wps", "2021", 33)]


@pytest.mark.parametrize(("name", "template", "seed"), FIXTURES)
def test_word97_reports_read_every_cell(name, template, seed):
    values = consistent_values(template, seed=seed)
    report = read_report((DATA / name).read_bytes(), name)
    assert report.source_kind == "doc" and report.template == template
    assert {k: report.value(k) for k in printed_keys(template)} == {k: values[k] for k in printed_keys(template)}
    assert report.agency == "舟山市定海区人民政府办公室"
    assert report.year == (2020 if template == "2019" else 2021)
    assert set(report.sections) == set("一二三四五六")
    assert not [f for f in report.findings if f.severity == "error"]
    cell = report.cells["apply.new.total"]
    assert cell.loc.kind == "doc" and cell.loc.table is not None and cell.loc.row is not None


def test_merged_cells_keep_their_geometry():
    doc = extract((DATA / "report-2019.doc").read_bytes(), "r.doc")
    table3 = doc.tables[1]
    note = table3.rows[0][0]
    assert note.text.startswith("（本列数据的勾稽关系为") and note.colspan == 3
    assert table3.rows[1][0].continued and table3.rows[1][0].text == note.text
    widths = {sum(c.colspan for c in row) for row in table3.rows}
    assert widths == {10}  # every row spans the grid: 3 label columns and 7 figures


def test_prose_is_read_as_paragraphs_without_field_codes_or_marks():
    doc = extract((DATA / "report-2021-template.doc").read_bytes(), "r.doc")
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("2021年，舟山市定海区人民政府办公室认真贯彻落实") for t in texts)
    assert not any(ch in t for t in texts for ch in "\x07\x13\x14\x15\r")
    assert sum(isinstance(b, Table) for b in doc.blocks) == 3


def test_a_damaged_word_file_is_a_one_line_error():
    data = bytearray((DATA / "report-2019.doc").read_bytes())
    assert olefile.isOleFile(bytes(data))
    with pytest.raises(ReportError) as info:
        extract(bytes(data[:30000]), "r.doc")  # cut: the directory at the end is gone
    assert "\n" not in str(info.value)
    data[512:0x5000] = bytes(0x5000 - 512)  # the FIB and text wiped, the container intact
    with pytest.raises(ReportError, match="Word 文件"):
        extract(bytes(data), "r.doc")

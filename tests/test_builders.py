"""The fixture builders themselves: consistent figures really are consistent, documents really are shaped
as the national format prints them (checked with python-docx and pdfplumber, not with our extractor)."""

from __future__ import annotations

import io

import docx
import pdfplumber
import pytest
from builders import (
    build_docx,
    build_pdf,
    consistent_values,
    fill_template_2021,
    fmt,
    table_layouts,
)
from docx.oxml.ns import qn

from core.templates import TEMPLATES

APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")
COLUMNS = (*APPLICANTS, "total")
OUTCOMES = ("upheld", "corrected", "other", "pending")
SEEDS = range(12)


def text(element: object) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))  # type: ignore[attr-defined]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", SEEDS)
def test_values_satisfy_every_identity(template: str, seed: int) -> None:
    v = consistent_values(template, seed)
    assert set(v) == {c.key for c in TEMPLATES[template].cells()}
    block = TEMPLATES[template].table("三").blocks[0]
    results = [r.key for r in block.rows if r.group and r.key != "total" and not r.sum_of]
    for col in COLUMNS:
        assert v[f"apply.new.{col}"] + v[f"apply.carried_over.{col}"] == v[f"apply.total.{col}"] + v[
            f"apply.carried_forward.{col}"
        ]
        assert v[f"apply.total.{col}"] == sum(v[f"apply.{row}.{col}"] for row in results)
        if template == "2021":
            parts = ("no_correction", "unpaid_fee", "other")
            assert v[f"apply.other.{col}"] == sum(v[f"apply.other.{p}.{col}"] for p in parts)
    for row in block.rows:
        assert v[f"apply.{row.key}.total"] == sum(v[f"apply.{row.key}.{col}"] for col in APPLICANTS)
    for group in ("review", "litigation.direct", "litigation.after_review"):
        assert v[f"{group}.total"] == sum(v[f"{group}.{o}"] for o in OUTCOMES)
    for key, value in v.items():
        if key == "active.fees.amount_wan":
            assert isinstance(value, float) and value >= 0 and round(value, 2) == value
        else:
            assert isinstance(value, int), key
            assert value >= 0 or key.endswith(".change"), key
    if template == "2019":
        assert v["active.normative_docs.new_published"] <= v["active.normative_docs.total_published"]
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            assert v[f"active.{row}.prior_items"] + v[f"active.{row}.change"] >= 0
    else:
        assert v["active.normative_docs.issued"] <= v["active.normative_docs.in_force"]


def test_values_vary_with_the_seed_and_repeat_for_the_same_seed() -> None:
    assert consistent_values("2021", 3) == consistent_values("2021", 3)
    assert consistent_values("2021", 3) != consistent_values("2021", 4)
    assert len({consistent_values("2019", s)["apply.new.total"] for s in SEEDS}) > 3


def test_zero_values() -> None:
    v = consistent_values("2021", zero=True)
    assert set(v) == {c.key for c in TEMPLATES["2021"].cells()} and set(v.values()) == {0}


def test_fmt() -> None:
    assert [fmt(x) for x in (None, 0, 12, 3.0, 12.5, 0.07, "增284")] == ["", "0", "12", "3", "12.5", "0.07", "增284"]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_layout_prints_every_stored_key_once(template: str) -> None:
    values = consistent_values(template)
    layouts = table_layouts(values, template, split_table2=True, subtotal_column=True, wrap_headers=True)
    keys = [s.key for layout in layouts for s in layout.spots if s.key]
    assert sorted(keys) == sorted(c.key for c in TEMPLATES[template].cells() if not c.derived)
    for layout in layouts:
        covered = [
            (r, c)
            for s in layout.spots
            for r in range(s.row, s.row + s.rowspan)
            for c in range(s.col, s.col + s.colspan)
        ]
        assert sorted(covered) == [(r, c) for r in range(layout.n_rows) for c in range(layout.n_cols)], layout.name


def test_docx_uses_word_merges() -> None:
    document = docx.Document(io.BytesIO(build_docx(consistent_values("2021"), "2021")))
    t3 = document.tables[1]._tbl
    first = t3.tr_lst[0].tc_lst[0]
    assert first.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    assert first.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    continued = t3.tr_lst[1].tc_lst[0].tcPr.find(qn("w:vMerge"))
    assert continued is not None and continued.get(qn("w:val")) in (None, "continue")
    # 三、本年度办理结果 restarts once and continues over the other 21 result rows.
    merges = [tr.tc_lst[0].tcPr.find(qn("w:vMerge")) for tr in t3.tr_lst[5:27]]
    assert merges[0].get(qn("w:val")) == "restart"
    assert all(m is not None and m.get(qn("w:val")) != "restart" for m in merges[1:])


def test_filled_template_has_every_number_in_its_cell() -> None:
    values = consistent_values("2021", seed=2)
    document = docx.Document(io.BytesIO(fill_template_2021(values)))
    t3 = document.tables[1]._tbl
    total_row = next(tr for tr in t3.tr_lst if "（七）总计" in text(tr))
    cells = [text(tc) for tc in total_row.tc_lst[-7:]]
    assert cells == [fmt(values[f"apply.total.{c}"]) for c in COLUMNS]
    row = document.tables[0]._tbl.tr_lst[13]
    assert text(row.tc_lst[1]) == fmt(values["active.fees.amount_wan"])
    assert document.paragraphs[1].text.endswith("2021年政府信息公开工作年度报告")


def test_pdf_split_cuts_the_unavailable_label_across_pages() -> None:
    data = build_pdf(consistent_values("2019"), "2019", split_across_pages=True)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text().replace("\n", "") for page in pdf.pages]
    label = next(i for i, t in enumerate(texts) if "（四）无法" in t)
    assert "1.本机关不掌握相关政府信息" in texts[label]
    assert "2.没有现成信息需要另行制作" in texts[label + 1]
    assert "2.没有现成信息需要另行制作" not in texts[label]

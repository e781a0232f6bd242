"""Figures in the prose (core.prose) and their comparison with the tables (core.checks.prose)."""

from __future__ import annotations

import pytest
from builders import consistent_values
from checks_helpers import report_from_values

from core.checks import run_checks
from core.prose import extract_prose_facts


def facts(text: str, template: str = "2021") -> set[tuple[str, float]]:
    return {(f.key, f.value) for f in extract_prose_facts(text, template)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # seed 003
        (
            "2020年，通过区府办、相关职能部门的共同协作，共受理依申请公开34件，除1件结转下年度继续办理外，均在规定时间内予以答复。",
            {("apply.new.total", 34), ("apply.carried_forward.total", 1)},
        ),
        (
            "因政府信息公开引起的行政复议件3件（其中1件为2019年收案，2020年结案），无因政府信息公开引起的行政诉讼。",
            {("review.total", 3), ("litigation.total", 0)},
        ),
        # seed 000, 004
        ("2020年，我办共收到依申请公开件1件。", {("apply.new.total", 1)}),
        ("2020年，共收到政府信息公开申请0件，予以公开0件。", {("apply.new.total", 0)}),
        # seed 002, 001: "none received" means 0
        ("2020年度瞻岐镇未接到群众主动要求公开政府信息的申请。", {("apply.new.total", 0)}),
        (
            "瞻岐镇2020年度未发生针对政府信息公开事务的行政复议议案、行政诉讼案和有关的申诉案。",
            {("review.total", 0), ("litigation.total", 0)},
        ),
        ("未接到有关政府信息公开方面的复议、诉讼和申诉。", {("review.total", 0), ("litigation.total", 0)}),
        ("本年度无依申请公开事项，政府信息公开工作正常。", {("apply.new.total", 0)}),
        # the R19 wording: answered figure with carried-over and carried-forward inside brackets
        (
            "全年受理政府信息公开申请859件；答复805件（含上年度结转申请18件，另有72件申请顺延到下年度答复）。",
            {
                ("apply.new.total", 859),
                ("apply.total.total", 805),
                ("apply.carried_over.total", 18),
                ("apply.carried_forward.total", 72),
            },
        ),
        ("全年共收到政府信息公开申请十二件，办结十一件。", {("apply.new.total", 12), ("apply.total.total", 11)}),
        ("行政复议和行政诉讼各1件，均涉及政府信息公开。", {("review.total", 1), ("litigation.total", 1)}),
        ("本年度制发行政规范性文件5件，均已公开。", {("active.normative_docs.issued", 5)}),
    ],
)
def test_extracts_stated_figures(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共受理群众诉求13863件，按期答复率100%。", set()),  # not 信息公开 requests
        ("受理行政许可申请16065件，办结率100%，均已公开。", set()),
        ("按时答复32件，逾期答复1件，均为政府信息公开申请。", set()),  # parts of the answered requests
        ("未发生因政府信息公开申请引起的行政复议。", {("review.total", 0)}),  # not "no requests"
        ("全年共办理行政复议案件120件。", set()),  # general caseload, not about 信息公开
        ("开展行政规范性文件有效性检查清理，共计废止（失效）文件56件，继续有效166件。", set()),
        ("全年共开展政策解读44 件，所有规范性文件均解读到位。", set()),
        ("行政复议决定维持2件，纠正1件，涉及政府信息公开。", set()),
        ("行政复议和行政诉讼共3件，涉及政府信息公开。", set()),  # a sum that cannot be split
        ("无一例政府信息公开行政复议被纠正。", set()),
    ],
)
def test_ambiguous_or_unrelated_numbers_give_no_false_fact(text, expected):
    assert facts(text) == expected


def test_normative_key_follows_the_template():
    assert facts("其中规范性文件44件。", "2019") == {("active.normative_docs.new_made", 44)}
    assert facts("其中规范性文件44件。", "2021") == {("active.normative_docs.issued", 44)}


def test_fact_snippet_and_offset_point_at_the_text():
    text = "一、总体情况\n本年度共收到政府信息公开申请7件，办结7件。"
    got = extract_prose_facts(text)
    new = next(f for f in got if f.key == "apply.new.total")
    assert new.snippet == "本年度共收到政府信息公开申请7件"
    assert text[new.start : new.start + len(new.snippet)] == new.snippet


def test_traditional_characters_read_the_same():
    assert facts("本年度共收到政府資訊公開申請7件。") == facts("本年度共收到政府资讯公开申请7件。") == {("apply.new.total", 7)}


# ---------------------------------------------------------------- text vs tables


def prose_findings(report) -> list:
    return [f for f in run_checks(report) if f.code.startswith("prose.")]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_prose_matching_tables_gives_no_finding(template):
    v = consistent_values(template, 8)
    first = "active.normative_docs.new_made" if template == "2019" else "active.normative_docs.issued"
    text = (
        f"全年共收到政府信息公开申请{v['apply.new.total']}件，办结{v['apply.total.total']}件，"
        f"结转下年度继续办理{v['apply.carried_forward.total']}件。因政府信息公开被申请行政复议{v['review.total']}件。"
        f"本年度其中规范性文件{v[first]}件。"
    )
    assert prose_findings(report_from_values(v, template, text=text)) == []


def test_new_plus_carried_over_reading_is_accepted():
    v = consistent_values("2021", 8)
    both = v["apply.new.total"] + v["apply.carried_over.total"]
    assert v["apply.carried_over.total"] > 0
    report = report_from_values(v, "2021", text=f"本年度共受理政府信息公开申请{both}件（含上年结转{v['apply.carried_over.total']}件）。")
    assert prose_findings(report) == []


@pytest.mark.parametrize(
    ("sentence", "code", "key"),
    [
        ("全年共收到政府信息公开申请{x}件。", "prose.apply_new", "apply.new.total"),
        ("全年共办结政府信息公开申请{x}件。", "prose.apply_done", "apply.total.total"),
        ("政府信息公开申请中有{x}件结转下年度办理。", "prose.apply_carried_forward", "apply.carried_forward.total"),
        ("因政府信息公开被申请行政复议{x}件。", "prose.review", "review.total"),
        ("因政府信息公开被提起行政诉讼{x}件。", "prose.litigation", "litigation.direct.total"),
        ("本年度其中规范性文件{x}件。", "prose.normative_docs", "active.normative_docs.issued"),
    ],
)
def test_prose_mismatch_is_an_error_with_both_numbers(sentence, code, key):
    v = consistent_values("2021", 9)
    x = 987
    report = report_from_values(v, "2021", text=sentence.format(x=x), sections={"一": sentence.format(x=x)})
    found = prose_findings(report)
    assert [f.code for f in found] == [code]
    f = found[0]
    assert f.severity == "error"
    assert key in f.cells
    assert "987" in f.message and sentence.format(x=x).rstrip("。") in f.message
    assert "正文第一部分" in f.message and "表" in f.message
    assert f.details["prose"]["value"] == x


def test_prose_not_compared_when_table_is_missing():
    v = consistent_values("2021", 9)
    report = report_from_values(v, "2021", tables=("二",), text="全年共收到政府信息公开申请987件。")
    assert prose_findings(report) == []


def test_prose_zero_against_nonzero_table():
    v = consistent_values("2019", 9)
    assert v["apply.new.total"] > 0
    report = report_from_values(v, "2019", text="本年度未收到政府信息公开申请。")
    found = prose_findings(report)
    assert [f.code for f in found] == ["prose.apply_new"]
    assert "未收到政府信息公开申请" in found[0].message

"""Every rule through real files: a generated .docx and a text copy, each read by core.pipeline.read_report
(extract → parse → checks). One report satisfies the rule, one violates it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from builders import DEFAULT_AGENCY, build_docx, consistent_values
from text_builders import build_text
from text_builders import prose as default_prose

from core.checks import run_checks
from core.pipeline import read_report
from core.templates.national import TEMPLATES

Values = dict[str, int | float | str]


@dataclass
class Case:
    code: str
    key: str | None  # a cell the finding must name
    template: str
    break_it: Callable[[Values], None]
    options: dict = field(default_factory=dict)  # build options for the violating report only


def _add(key: str, n: int) -> Callable[[Values], None]:
    def change(v: Values) -> None:
        v[key] = v[key] + n  # type: ignore[operator]

    return change


def _set(key: str, raw: int | float | str) -> Callable[[Values], None]:
    def change(v: Values) -> None:
        v[key] = raw

    return change


def _both(*changes: Callable[[Values], None]) -> Callable[[Values], None]:
    def change(v: Values) -> None:
        for c in changes:
            c(v)

    return change


def _nothing(v: Values) -> None:
    return None


CASES = [
    Case(
        "table3.balance",
        "apply.carried_over.legal_service",
        "2019",
        _both(_add("apply.carried_over.legal_service", 1), _add("apply.carried_over.total", 1)),
    ),
    Case(
        "table3.results_total",
        "apply.withheld.third_party.total",
        "2021",
        _both(_add("apply.withheld.third_party.total", 2), _add("apply.withheld.third_party.natural_person", 2)),
    ),
    Case("table3.row_total", "apply.not_processed.duplicate.total", "2021", _add("apply.not_processed.duplicate.total", 1)),
    Case("table4.row_total", "litigation.after_review.corrected", "2019", _add("litigation.after_review.corrected", 1)),
    Case("table2.exceeds", "active.normative_docs.new_published", "2019", _set("active.normative_docs.new_published", 999)),
    Case("table2.negative", "active.coercion.decisions", "2021", _set("active.coercion.decisions", -3)),
    Case("table2.money_unit", "active.fees.amount_wan", "2021", _set("active.fees.amount_wan", "251000元")),
    Case(
        "table2.regulations",
        "active.regulations.new_made",
        "2019",
        _both(*(_set(f"active.regulations.{c}", 3) for c in ("new_made", "new_published", "total_published"))),
        {"agency": "宁波市鄞州区瞻岐镇人民政府"},
    ),
    Case(
        "prose.apply_new",
        "apply.new.total",
        "2021",
        _nothing,
        {"prose": {"一": "本年度共收到政府信息公开申请9999件，均已按时答复。"}},
    ),
    Case("date.early", None, "2019", _nothing, {"published_on": date(2020, 12, 30)}),
    Case("date.late", None, "2021", _nothing, {"published_on": date(2022, 2, 15)}),
    Case("blank.cells", "review.pending", "2021", _set("review.pending", "")),
]
ON_TIME = {"2019": date(2021, 1, 20), "2021": date(2022, 1, 20)}


def read(kind: str, values: Values, template: str, **options):
    options.setdefault("published_on", ON_TIME[template])
    if kind == "docx":
        return read_report(build_docx(values, template, **options), "report.docx")
    prose = options.pop("prose", {})
    text = build_text(values, template, **options)
    if "一" in prose:
        year = options.get("year") or TEMPLATES[template].last_year or TEMPLATES[template].first_year
        text = text.replace(default_prose(values, options.get("agency", DEFAULT_AGENCY), year)["一"], prose["一"])
    return read_report(text.encode("utf-8"), "report.txt")


@pytest.mark.parametrize("kind", ["docx", "text"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.code)
def test_rule_satisfied_and_violated_in_files(kind, case):
    values = consistent_values(case.template, 21)
    good = read(kind, values, case.template)
    assert good.tables_found == ["二", "三", "四"]
    assert not [f for f in good.findings if f.code == case.code], [f.message for f in good.findings]
    assert not [f for f in good.findings if f.severity == "error"]
    case.break_it(values)
    bad = read(kind, values, case.template, **case.options)
    found = [f for f in bad.findings if f.code == case.code]
    assert found, [f.code for f in bad.findings]
    if case.key:
        assert any(case.key in f.cells for f in found)


def test_cross_year_and_copy_checks_on_files():
    prev_values = consistent_values("2019", 30)
    prev = read("docx", prev_values, "2019", year=2020)
    this_values = consistent_values("2021", 31)
    this_values["apply.carried_over.total"] = prev_values["apply.carried_forward.total"] + 1
    this = read("docx", this_values, "2021", year=2021)
    found = [f for f in run_checks(this, previous=prev) if f.code == "crossyear.carried_over"]
    assert any(f.cells == ["apply.carried_over.total"] for f in found)
    # the same tables under another agency's name
    twin = read("docx", this_values, "2021", year=2021, agency="舟山市普陀区人民政府办公室")
    assert [f for f in run_checks(this, peers=[twin]) if f.code == "copy.tables_peer"]


@pytest.mark.parametrize(("template", "delta"), [("2019", -1), ("2021", 1)])
def test_every_single_cell_change_is_flagged_through_the_parser(template, delta):
    """The mutation test end to end: each printed cell of 表三 and 表四 changed in a text copy, read back."""
    base = consistent_values(template, 12)
    keys = [c.key for t in ("三", "四") for c in TEMPLATES[template].table(t).cells() if not c.derived]
    missed = []
    for key in keys:
        values = dict(base)
        values[key] = values[key] + delta  # type: ignore[operator]
        report = read("text", values, template)
        if not any(f.severity == "error" and key in f.cells for f in report.findings):
            missed.append(key)
    assert missed == []

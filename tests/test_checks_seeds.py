"""The five seed reports (real text copies) through read_report: what the checks must and must not say."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import seed

from core.model import ParsedReport
from core.pipeline import read_report
from core.prose import extract_prose_facts


@cache
def report(prefix: str) -> ParsedReport:
    path = seed(prefix)
    return read_report(path.read_bytes(), path.name)


def codes(prefix: str, severity: str | None = None) -> list[str]:
    return [f.code for f in report(prefix).findings if severity is None or f.severity == severity]


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
def test_clean_seeds_have_no_error(prefix):
    errors = [f.message for f in report(prefix).findings if f.severity == "error"]
    assert errors == []


def test_seed_003_prose_matches_its_tables():
    r = report("003")
    stated = {(f.key, f.value) for f in extract_prose_facts(r.text, r.template or "2019")}
    assert ("apply.new.total", 34) in stated
    assert ("apply.carried_forward.total", 1) in stated
    assert ("review.total", 3) in stated
    assert ("active.normative_docs.new_made", 44) in stated
    assert not [c for c in codes("003") if c.startswith("prose.")]


def test_seed_003_is_on_time_for_the_government_tier():
    assert not [c for c in codes("003") if c.startswith("date.")]


def test_seed_001_only_warns_about_its_malformed_table():
    r = report("001")
    assert [f.message for f in r.findings if f.severity == "error"] == []
    assert any(f.code.startswith("structure.") and f.severity == "warning" for f in r.findings)
    # dated 2020-12-31: the last day of the period, not early
    assert not [c for c in codes("001") if c.startswith("date.")]
    # nothing false: its checks of table 三 and 四 all hold, and its prose says 0 requests as the table does
    assert not [c for c in codes("001") if c.startswith(("table3.", "table4.", "prose."))]


def test_seed_002_missing_tables_early_date_and_regulations():
    r = report("002")
    assert "三" not in r.tables_found and "四" not in r.tables_found
    missing = [f for f in r.findings if f.code.startswith("structure.") and f.severity == "error"]
    assert missing, codes("002")
    early = [f for f in r.findings if f.code == "date.early"]
    assert len(early) == 1 and "2020年12月30日" in early[0].message
    regs = [f for f in r.findings if f.code == "table2.regulations"]
    assert len(regs) == 1 and regs[0].severity == "warning"
    assert "active.regulations.new_made" in regs[0].cells and "瞻岐镇" in regs[0].message
    # no table 三/四: nothing to compare the prose with, and no identity is run on them
    assert not [c for c in codes("002") if c.startswith(("table3.", "table4.", "prose."))]


def test_seed_002_prose_answers_for_the_missing_tables():
    r = report("002")
    stated = {(f.key, f.value) for f in extract_prose_facts(r.text, r.template or "2019")}
    assert {("apply.new.total", 0), ("review.total", 0), ("litigation.total", 0)} <= stated

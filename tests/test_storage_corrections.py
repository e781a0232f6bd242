"""Correcting a stored figure by hand, and partial uploads completed by the next one."""

from __future__ import annotations

import pytest
from builders import consistent_values
from parsed_reports import parsed_report
from sqlalchemy import select

from core.model import Finding
from core.parse import findings as F
from core.storage.corrections import CorrectionError, correct_cell, resolve
from core.storage.ingest import sha256_of, store_report
from core.storage.models import CorrectionRecord
from core.storage.partial import MERGED
from core.storage.photos import apply_caption
from core.storage.reports import load_report
from core.templates import TEMPLATES


@pytest.mark.parametrize(
    ("request_text", "key"),
    [
        ("表三 予以公开 总计 = 23", "apply.disclosed.total"),
        ("表三 本年新收 自然人=5", "apply.new.natural_person"),
        ("表3 （三）不予公开 国家秘密 商业企业：0", "apply.withheld.state_secret.commercial"),
        ("表四 行政复议 结果维持 ＝ 2", "review.upheld"),
        ("表四 复议后起诉 总计 = 2", "litigation.after_review.total"),
        ("表二 行政许可 = 5", "active.licensing.decisions"),
    ],
)
def test_requests_resolve_to_template_cells(request_text, key):
    assert resolve(request_text, "2021")[0] == key


def test_an_unknown_cell_is_refused_with_the_format():
    with pytest.raises(CorrectionError, match="表三 予以公开 总计 = 23"):
        resolve("表三 不存在的行 总计 = 1", "2021")


async def test_a_correction_changes_the_figure_reruns_the_checks_and_is_recorded(sf):
    values = dict(consistent_values("2019", seed=3))
    true = values["apply.disclosed.total"]
    values["apply.disclosed.total"] = true + 7  # misread: breaks its row and its column
    stored = await store_report(sf, parsed_report(values=values), sha256=sha256_of(b"x"), filename="photo.jpg")
    broken = [f for f in stored.report.findings if f.code.startswith("table3.")]
    assert broken and all("apply.disclosed.total" in f.cells for f in broken)

    done = await correct_cell(sf, stored.report_id, f"表三 予以公开 总计 = {true}", user_id=42, chat_id=-100)
    assert (done.key, done.old_raw, done.new_raw) == ("apply.disclosed.total", str(true + 7), str(true))
    report = await load_report(sf, stored.report_id)
    assert report.value("apply.disclosed.total") == true
    assert not [f for f in report.findings if f.code.startswith("table3.")]
    async with sf() as session:
        record = (await session.scalars(select(CorrectionRecord))).one()
    assert (record.report_id, record.key, record.corrected_by, record.chat_id) == (stored.report_id, done.key, 42, -100)
    assert (record.old_value, record.new_value) == (true + 7, true)


async def test_an_invalid_figure_is_refused_and_nothing_changes(sf):
    stored = await store_report(sf, parsed_report(), sha256=sha256_of(b"y"), filename="a.txt")
    with pytest.raises(CorrectionError, match="不是有效的数字"):
        await correct_cell(sf, stored.report_id, "表三 予以公开 总计 = 二十", user_id=1)
    async with sf() as session:
        assert (await session.scalars(select(CorrectionRecord))).all() == []


def _only(year: int, tables: set[str], seed: int):
    """A stored-ready report printing only ``tables``, with the parser's missing-table findings."""
    values = {k: v for k, v in consistent_values("2019", seed=seed).items() if _table(k) in tables}
    report = parsed_report(values=values, year=year, seed=seed)
    report.tables_found = [t for t in ("二", "三", "四") if t in tables]
    report.findings = [
        Finding(F.MISSING_TABLE, "error", f"报告缺少表{t}", [], {"table": t}) for t in ("二", "三", "四") if t not in tables
    ]
    report.checked = False
    return report, values


def _table(key: str) -> str:
    template = TEMPLATES["2019"]
    return next(t.id for t in template.tables if any(c.key == key for c in t.cells()))


async def test_a_second_partial_upload_completes_the_first(sf):
    first, v3 = _only(2020, {"三"}, seed=5)
    a = await store_report(sf, first, sha256=sha256_of(b"p1"), filename="表三.jpg")
    assert {f.details["table"] for f in a.report.findings if f.code == F.MISSING_TABLE} == {"二", "四"}

    second, v4 = _only(2020, {"四"}, seed=5)
    b = await store_report(sf, second, sha256=sha256_of(b"p2"), filename="表四.jpg")
    assert b.superseded == [a.report_id]
    report = await load_report(sf, b.report_id)
    assert set(report.tables_found) == {"三", "四"}
    assert report.value("apply.new.total") == v3["apply.new.total"]
    assert report.value("review.total") == v4["review.total"]
    assert {f.details["table"] for f in report.findings if f.code == F.MISSING_TABLE} == {"二"}
    assert any(f.code == MERGED for f in report.findings)


def test_a_caption_names_the_agency_and_year_a_photo_lacks():
    report = parsed_report()
    report.agency = report.short_name = None
    report.year = None
    apply_caption(report, "定海区 2023年 年报")
    assert (report.agency, report.year) == ("定海区", 2023)


def test_a_caption_overrides_what_an_untitled_photo_was_guessed_to_be():
    """A photo of a later page prints no title: its agency was guessed from an organisation-like line and
    its year from a date; the caption the user wrote wins. A printed title would win over the caption."""
    report = parsed_report()
    report.title = None
    report.agency = report.short_name = "行政服务中心"
    report.year = 2021
    apply_caption(report, "白鹤街道 2023年")
    assert (report.agency, report.short_name, report.year) == ("白鹤街道", "白鹤街道", 2023)

    titled = parsed_report()
    printed = (titled.agency, titled.year)
    assert titled.title
    apply_caption(titled, "白鹤街道 2023年")
    assert (titled.agency, titled.year) == printed

    briefer = parsed_report("舟山市定海区财政局")
    briefer.title = None
    apply_caption(briefer, "定海区财政局 2020年")
    full = "舟山市定海区财政局"
    assert briefer.agency == full  # the caption names the same agency: the fuller printed name stays

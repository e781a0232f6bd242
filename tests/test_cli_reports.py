"""The nianbao command: parse, ingest, reports, show, check, export, delete, tier."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, seed
from typer.testing import CliRunner

from core.cli import app

runner = CliRunner()


def nianbao(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def seeded_db(db_url: str) -> str:
    result = nianbao("ingest", SAMPLES, "--db", db_url)
    assert result.exit_code == 0, result.stdout + result.stderr
    return db_url


def test_parse_json_has_the_public_fields():
    result = nianbao("parse", seed("003"), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {
        "agency",
        "short_name",
        "region",
        "year",
        "template",
        "published_on",
        "values",
        "cells",
        "findings",
    } <= set(data)
    assert (data["short_name"], data["year"], data["template"], data["published_on"]) == (
        "定海区",
        2020,
        "2019",
        "2021-02-03",
    )
    assert data["values"]["apply.new.total"] == 34
    cell = data["cells"]["apply.new.total"]
    assert cell["raw"] == "34" and cell["table"] == "三" and cell["loc"]["kind"] == "text"
    assert "新收" in cell["row_label"]
    for finding in data["findings"]:
        assert {"code", "severity", "message", "cells"} <= set(finding)
        assert finding["severity"] in ("error", "warning", "info")


def test_parse_text_summary_and_findings():
    result = nianbao("parse", seed("002"))
    assert result.exit_code == 0  # findings do not make the file unreadable
    assert "瞻岐镇" in result.stdout and "2020" in result.stdout
    assert "structure.missing_table" in result.stdout


def test_parse_unreadable_file_fails_with_one_line(tmp_path: Path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = nianbao("parse", bad, "--json")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "broken.docx" in result.stderr
    missing = nianbao("parse", tmp_path / "nope.txt")
    assert missing.exit_code != 0 and "不存在" in missing.stderr


def test_ingest_processes_every_file_and_reports_failures(db_url: str, tmp_path: Path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("000", "003"):
        (folder / "sub" / seed(name).name).write_bytes(seed(name).read_bytes())
    (folder / "empty.txt").write_text("")
    (folder / "notes.md").write_text("ignored: not a report type")

    result = nianbao("ingest", folder, tmp_path / "missing.txt", "--db", db_url, "--json")
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    by_name = {Path(e["file"]).name: e for e in entries}
    assert list(by_name) == ["empty.txt", *sorted([seed("000").name, seed("003").name]), "missing.txt"]
    assert by_name["empty.txt"]["status"] == "failed" and by_name["empty.txt"]["error"]
    assert by_name["missing.txt"]["status"] == "failed" and by_name["missing.txt"]["error"] == "文件不存在"
    assert by_name[seed("003").name]["status"] == "stored"

    again = nianbao("ingest", folder / "sub", "--db", db_url)
    assert again.exit_code == 0
    assert "重复 2" in again.stdout and "入库 0" in again.stdout


def test_stored_reports_listing_show_check_and_delete(seeded_db: str):
    listing = nianbao("reports", "--db", seeded_db, "--json")
    data = json.loads(listing.stdout)
    assert data["total"] == 5
    ids = {r["short_name"]: r["id"] for r in data["reports"]}

    shown = nianbao("show", "定海", "--db", seeded_db)
    assert shown.exit_code == 0, shown.stderr
    out = shown.stdout
    assert "舟山市定海区人民政府" in out and "表三" in out and "表四" in out
    assert "减95" in out and "增284" in out  # raw text as printed
    assert "（三）不予公开" in out and "1.属于国家秘密" in out

    narrow = nianbao("show", "定海区", "--db", seeded_db, "--compact").stdout
    assert max(len(line) for line in narrow.splitlines()) < max(len(line) for line in out.splitlines())
    assert "表二" in nianbao("show", "瞻岐镇", "--db", seeded_db).stdout
    assert "没有此表" in nianbao("show", "瞻岐镇", "--db", seeded_db).stdout

    missing_year = nianbao("show", "定海区", "--year", "2019", "--db", seeded_db)
    assert missing_year.exit_code == 1 and "2020" in missing_year.stderr
    unknown = nianbao("show", "北京市海淀区", "--db", seeded_db)
    assert unknown.exit_code == 1 and "没有找到" in unknown.stderr
    region = nianbao("show", "鄞州区", "--db", seeded_db)  # a region, not one of the agencies in it
    assert region.exit_code == 1 and "是地区" in region.stderr and "瞻岐镇" in region.stderr
    elsewhere = nianbao("show", "象山县政务服务办公室", "--db", seeded_db)
    assert elsewhere.exit_code == 1 and "相近的有：宁海县政务服务办公室" in elsewhere.stderr

    checked = nianbao("check", "瞻岐", "--db", seeded_db, "--json")
    assert checked.exit_code == 0, checked.stderr
    result = json.loads(checked.stdout)
    assert result["report_id"] == ids["瞻岐镇"]
    codes = {f["code"] for f in result["findings"]}
    assert "structure.missing_table" in codes and "date.early" in codes
    assert result["counts"]["error"] >= 2
    text = nianbao("check", "瞻岐镇", "--db", seeded_db).stdout
    assert "【错误】" in text and "瞻岐镇人民政府" in text

    deleted = nianbao("delete", str(ids["白鹤街道"]), "--db", seeded_db)
    assert deleted.exit_code == 0 and "已删除" in deleted.stdout
    assert json.loads(nianbao("reports", "--db", seeded_db, "--json").stdout)["total"] == 4
    assert nianbao("delete", str(ids["白鹤街道"]), "--db", seeded_db).exit_code == 1


def test_check_a_file_without_a_database(tmp_path: Path):
    result = nianbao("check", seed("001"), "--json", "--db", f"sqlite:///{tmp_path / 'unused.db'}")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["report_id"] is None
    assert "structure.malformed_table" in {f["code"] for f in data["findings"]}
    assert not (tmp_path / "unused.db").exists()


def test_tier_override_from_the_command_line(seeded_db: str):
    # 宁海县政务服务办公室 is a department; call it a township and back.
    result = nianbao("tier", "宁海县政务服务办公室", "township", "--db", seeded_db)
    assert result.exit_code == 0 and "乡镇" in result.stdout
    assert nianbao("tier", "宁海县政务服务办公室", "auto", "--db", seeded_db).exit_code == 0
    assert nianbao("tier", "宁海县政务服务办公室", "province", "--db", seeded_db).exit_code == 1


def test_export_formats(seeded_db: str, tmp_path: Path):
    csv_path = tmp_path / "out.csv"
    result = nianbao("export", "--output", csv_path, "--db", seeded_db)
    assert result.exit_code == 0, result.stderr
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    dinghai = next(r for r in rows if r["short_name"] == "定海区")
    assert dinghai["apply.new.total"] == "34" and dinghai["year"] == "2020" and dinghai["template"] == "2019"
    assert dinghai["apply.carried_over.total"] == ""  # blank stays blank
    assert dinghai["active.fees.amount_wan"] == ""  # a 2021-only key

    xlsx_path = tmp_path / "out.xlsx"
    assert nianbao("export", "-o", xlsx_path, "--db", seeded_db).exit_code == 0
    book = openpyxl.load_workbook(xlsx_path, read_only=True)
    sheet = list(book["reports"].iter_rows(values_only=True))
    header, body = sheet[0], sheet[1:]
    assert len(body) == 5 and header[:2] == ("report_id", "agency")
    row = next(r for r in body if r[header.index("short_name")] == "宁海县政务服务办公室")
    assert row[header.index("active.procurement.amount_yuan")] == 2660000
    legend = {r[0]: r for r in book["keys"].iter_rows(values_only=True)}
    assert set(header[8:]) <= set(legend)
    assert legend["apply.new.total"][1] == "三" and "新收" in legend["apply.new.total"][2]

    printed = nianbao("export", "--format", "json", "--output", "-", "--year", "2020", "--db", seeded_db)
    data = json.loads(printed.stdout)
    assert len(data) == 5 and all(r["is_current"] for r in data)
    assert nianbao("export", "--format", "pdf", "--db", seeded_db).exit_code == 1

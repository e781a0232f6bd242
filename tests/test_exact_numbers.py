"""Figures stored and answered exactly as printed: decimal money, 万元 with decimals under a unit header
wrapped inside the unit, thousands separators and full-width digits."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from builders import build_docx, build_pdf, consistent_values
from text_builders import build_html, build_text
from typer.testing import CliRunner

from core.cli import app
from core.pipeline import read_report

runner = CliRunner()
WRAPPED_UNIT = ("本年收费金额（单位：万\n元）", "本年收费金额（单位：万 元）", "本年收费金额\n（单位：万元）")


@pytest.mark.parametrize("label", WRAPPED_UNIT)
@pytest.mark.parametrize("kind", ["pdf", "docx", "html", "txt"])
def test_a_unit_wrapped_inside_the_fee_header_does_not_rescale_the_fee(kind, label):
    values = consistent_values("2021", seed=5) | {"active.fees.amount_wan": 555.06}
    options = {"column_labels": {"amount_wan": label}}
    data = {
        "pdf": lambda: build_pdf(values, "2021", **options),
        "docx": lambda: build_docx(values, "2021", **options),
        "html": lambda: build_html(values, "2021", **options).encode(),
        "txt": lambda: build_text(values, "2021", style="tab", **options).encode(),
    }[kind]()
    report = read_report(data, f"report.{kind}")
    cell = report.cells["active.fees.amount_wan"]
    assert (cell.value, cell.unit, cell.raw) == (555.06, "万元", "555.06")
    assert not [f for f in report.findings if f.code.endswith("money_unit")]


@pytest.mark.parametrize(
    ("printed", "value"),
    [("424944.46", 424944.46), ("424,944.46", 424944.46), ("４２４９４４．４６", 424944.46), ("424944.46元", 424944.46),
     ("42.494446万元", 424944.46), ("1,234,567.8", 1234567.8), ("424，944.46", 424944.46)],
)
def test_printed_money_is_read_exactly(printed, value):
    values = consistent_values("2019", seed=6) | {"active.procurement.amount_yuan": printed}
    report = read_report(build_docx(values, "2019"), "r.docx")
    cell = report.cells["active.procurement.amount_yuan"]
    assert (cell.value, cell.unit, cell.raw) == (value, "元", printed)


def test_decimal_money_round_trips_through_parse_storage_export_and_answer(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'n.db'}"
    money = consistent_values("2019", seed=7) | {"active.procurement.amount_yuan": "424,944.46"}
    fees = consistent_values("2021", seed=7) | {"active.fees.amount_wan": 555.06}
    first = tmp_path / "2020.pdf"
    first.write_bytes(build_pdf(money, "2019", year=2020))
    second = tmp_path / "2021.txt"
    second.write_text(
        build_text(fees, "2021", style="pipe", year=2021, column_labels={"amount_wan": "本年收费金额（单位：万\n元）"}),
        encoding="utf-8",
    )
    parsed = json.loads(runner.invoke(app, ["parse", str(first), "--json"]).output)
    assert parsed["values"]["active.procurement.amount_yuan"] == 424944.46
    result = runner.invoke(app, ["ingest", str(first), str(second), "--db", db])
    assert result.exit_code == 0, result.output

    rows = {}
    for year in ("2020", "2021"):
        out = runner.invoke(app, ["export", "--format", "csv", "-o", "-", "--year", year, "--db", db]).output
        (rows[year],) = csv.DictReader(io.StringIO(out))
    assert rows["2020"]["active.procurement.amount_yuan"] == "424944.46"
    assert rows["2021"]["active.fees.amount_wan"] == "555.06"

    answer = json.loads(
        runner.invoke(app, ["ask", "定海区人民政府办公室2020年政府集中采购金额", "--json", "--db", db]).output
    )
    assert answer["value"] == 424944.46 and answer["unit"] == "元"
    assert answer["sources"][0]["raw"] == "424,944.46"
    assert "424944.46 元" in answer["answer"]
    answer = json.loads(runner.invoke(app, ["ask", "定海区人民政府办公室2021年行政事业性收费金额", "--json", "--db", db]).output)
    assert (answer["value"], answer["unit"]) == (555.06, "万元")
    assert "555.06" in answer["answer"]

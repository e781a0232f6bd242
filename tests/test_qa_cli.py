"""`nianbao ask` over the seed reports: text and JSON output, clarification choices, exit codes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from qa_support import BACKENDS, load_seeds, module_database
from typer.testing import CliRunner

from core.cli import app

runner = CliRunner()


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with module_database(request, tmp_path_factory.mktemp("qa-cli")) as url:
        asyncio.run(load_seeds(url))
        yield url


def ask(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ask", *args, "--db", db])
    return result.exit_code, result.output


def test_json_answer_with_value_unit_and_sources(db: str) -> None:
    code, out = ask(db, "定海区收到多少申请", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"answer", "value", "unit", "sources", "clarify", "kind", "items"}
    assert (
        data["value"] == 34 and data["unit"] == "件" and data["clarify"] is None and data["kind"] == "value"
    )
    (source,) = data["sources"]
    assert source["key"] == "apply.new.total" and source["raw"] == "34" and source["table"] == "三"
    assert source["agency"] == "定海区" and source["year"] == 2020
    assert "本年新收" in data["answer"]


def test_text_answer(db: str) -> None:
    code, out = ask(db, "宁海县政务服务办公室的政府集中采购金额")
    assert code == 0
    assert "2660000 元（266 万元）" in out and "来源" in out


def test_ranking_json_value_is_the_winners_figure_or_the_number_listed(db: str) -> None:
    code, out = ask(db, "哪个单位行政处罚最多", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "rank" and data["value"] == 31552 and "定海区" in data["answer"]
    assert data["items"][0]["agency"] == "定海区"
    code, out = ask(db, "top 3 by 行政处罚", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "rank" and data["value"] == 3
    assert [i["value"] for i in data["items"][:2]] == [31552, 285]


def test_count_json_value_is_the_count(db: str) -> None:
    code, out = ask(db, "有几个单位没有收到申请", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] == 3 and data["unit"] == "个" and data["kind"] == "count"
    assert {i["agency"] for i in data["items"]} == {"白鹤街道", "椒江区行政服务中心", "瞻岐镇"}


def test_clarification_then_choice(db: str) -> None:
    code, out = ask(db, "江北区收到多少申请", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] is None
    option = next(o for o in data["clarify"] if o["label"] == "舟山市定海区人民政府")
    code, out = ask(db, "江北区收到多少申请", "--json", "--choice", option["choice"])
    assert code == 0 and json.loads(out)["value"] == 34
    code, out = ask(db, "江北区收到多少申请")
    assert code == 0 and f"--choice {option['choice']}" in out


def test_unanswerable_question_still_replies(db: str) -> None:
    code, out = ask(db, "今天天气怎么样", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] is None and data["kind"] == "none" and data["sources"] == []
    assert "没有记录" in data["answer"] and "定海区收到多少申请" in data["answer"]


def test_lang_option(db: str) -> None:
    code, out = ask(db, "定海区收到多少申请", "--lang", "en")
    assert code == 0 and "no year given" in out

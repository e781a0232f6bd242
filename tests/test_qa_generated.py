"""Questions over generated reports: several years (2019 and 2021 formats), regions, namesakes, findings.

Reports are built from consistent figures (tests/builders.py) and stored through core.storage.ingest. Each
expected value is read back from the database with plain SQL (the oracle), never from the answer code.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from qa_support import BACKENDS, Spec, module_database, store
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.qa.answer import Answer, answer
from core.storage.db import open_db
from core.templates import template_for_year

XIHU = "杭州市西湖区人民政府"
XIHU_EDU = "杭州市西湖区教育局"
SHANGCHENG = "杭州市上城区人民政府"
GONGSHU = "杭州市拱墅区人民政府"
GULOU_NJ = "南京市鼓楼区人民政府"
GULOU_FZ = "福州市鼓楼区人民政府"
STREETS = ("东胜", "福明", "明楼", "百丈", "潘火")
TOWNS = ("瞻岐", "咸祥")


def _no_requests(year: int) -> dict[str, int]:
    """A table 三 of zeros (every identity still holds)."""
    return {c.key: 0 for c in template_for_year(year).table("三").cells()}


def _street(name: str) -> str:
    return f"宁波市鄞州区人民政府{name}街道办事处"


def _town(name: str) -> str:
    return f"宁波市鄞州区{name}镇人民政府"


def _specs() -> list[Spec]:
    specs = [
        Spec(XIHU, "西湖区", "杭州市西湖区", 2019, seed=11),
        Spec(XIHU, "西湖区", "杭州市西湖区", 2020, seed=12),
        Spec(XIHU, "西湖区", "杭州市西湖区", 2021, seed=13),
        Spec(XIHU_EDU, "西湖区教育局", "杭州市西湖区", 2021, seed=14),
        Spec(SHANGCHENG, "上城区", "杭州市上城区", 2021, seed=15),
        # One inconsistent figure: 本年新收 total 5 more than its columns add up to.
        Spec(GONGSHU, "拱墅区", "杭州市拱墅区", 2021, seed=16),
        Spec(GULOU_NJ, "鼓楼区", "南京市鼓楼区", 2021, seed=17),
        Spec(GULOU_FZ, "鼓楼区", "福州市鼓楼区", 2021, seed=18),
    ]
    for i, name in enumerate(STREETS):
        for year in (2020, 2021):
            zero = _no_requests(year) if i >= 3 else {}  # two streets received no requests
            specs.append(
                Spec(
                    _street(name),
                    f"{name}街道",
                    "宁波市鄞州区",
                    year,
                    seed=20 + i * 2 + year % 2,
                    values=zero,
                )
            )
    for i, name in enumerate(TOWNS):
        specs.append(Spec(_town(name), f"{name}镇", "宁波市鄞州区", 2021, seed=40 + i))
    return specs


def _break_gongshu(specs: list[Spec]) -> list[Spec]:
    from builders import consistent_values

    out = []
    for spec in specs:
        if spec.agency == GONGSHU:
            total = consistent_values("2021", spec.seed)["apply.new.total"] + 5
            spec = Spec(
                spec.agency, spec.short_name, spec.region, spec.year, spec.seed, {"apply.new.total": total}
            )
        out.append(spec)
    return out


async def _load(url: str) -> None:
    async with open_db(url) as sf:
        await store(sf, _break_gongshu(_specs()))


@pytest.fixture(scope="module", params=BACKENDS)
def gen_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with module_database(request, tmp_path_factory.mktemp("qa")) as url:
        asyncio.run(_load(url))
        yield url


@pytest.fixture
async def qa(gen_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with open_db(gen_url) as sf:
        yield sf


# ---------------------------------------------------------------- the oracle: plain SQL


async def stored(sf: async_sessionmaker[AsyncSession], agency: str, year: int, key: str) -> float | None:
    async with sf() as s:
        row = (
            await s.execute(
                text(
                    "SELECT c.value FROM cell c JOIN report r ON r.id = c.report_id JOIN agency a ON a.id = r.agency_id "
                    "WHERE a.name = :agency AND r.year = :year AND c.key = :key AND r.is_current"
                ),
                {"agency": agency, "year": year, "key": key},
            )
        ).first()
    return row[0] if row else None


async def stored_all(
    sf: async_sessionmaker[AsyncSession], year: int, key: str, like: str = "%"
) -> dict[str, float]:
    """agency name → value, for current reports of ``year`` whose agency name is LIKE ``like``."""
    async with sf() as s:
        rows = await s.execute(
            text(
                "SELECT a.name, c.value FROM cell c JOIN report r ON r.id = c.report_id JOIN agency a ON a.id = r.agency_id "
                "WHERE r.year = :year AND c.key = :key AND r.is_current AND c.value IS NOT NULL AND a.name LIKE :like"
            ),
            {"year": year, "key": key, "like": like},
        )
        return {name: value for name, value in rows}


def has_source(a: Answer, agency: str, year: int, key: str) -> bool:
    return any(
        s.get("agency_name") == agency and s["year"] == year and s.get("key") == key for s in a.sources
    )


# ---------------------------------------------------------------- one agency, one figure


@dataclass(frozen=True)
class One:
    question: str
    agency: str
    year: int
    key: str
    says: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.question


ONE = [
    One("东胜街道2021年收到多少申请", _street("东胜"), 2021, "apply.new.total"),
    One("东胜街道2020年收到多少申请", _street("东胜"), 2020, "apply.new.total"),
    One("东胜街道收到多少申请", _street("东胜"), 2021, "apply.new.total", ("未指定年度", "2021")),
    One("how many requests did 东胜街道 receive in 2020", _street("东胜"), 2020, "apply.new.total"),
    One("福明街道2020年办结了多少申请", _street("福明"), 2020, "apply.total.total"),
    One("明楼2021年予以公开多少件", _street("明楼"), 2021, "apply.disclosed.total"),
    One("西湖区2019年行政处罚", XIHU, 2019, "active.penalty.decisions"),
    One("西湖区2021年行政处罚决定", XIHU, 2021, "active.penalty.decisions"),
    One("西湖区2021年规范性文件现行有效件数", XIHU, 2021, "active.normative_docs.in_force"),
    One("西湖区2021年制发了多少规范性文件", XIHU, 2021, "active.normative_docs.issued"),
    One("西湖区2021年废止规范性文件多少件", XIHU, 2021, "active.normative_docs.repealed"),
    One("西湖区2020年本年新制作的规范性文件", XIHU, 2020, "active.normative_docs.new_made"),
    One("西湖区2021年本年新制作规范性文件", XIHU, 2021, "active.normative_docs.issued", ("本年制发件数",)),
    # labels copied from the table with their numbering, and the table they are in
    One("西湖区2021年三、本年度办理结果（七）总计", XIHU, 2021, "apply.total.total"),
    One("西湖区2021年（三）不予公开 1.属于国家秘密", XIHU, 2021, "apply.withheld.state_secret.total"),
    One("西湖区2020年二、上年结转政府信息公开申请数量", XIHU, 2020, "apply.carried_over.total"),
    One("西湖区2021年表四行政复议总计", XIHU, 2021, "review.total"),
    # short years in numerals and before 年报, a homophone of a question word, descriptions
    One("西湖区21年报里的行政处罚决定", XIHU, 2021, "active.penalty.decisions"),
    One("西湖区一九年行政处罚", XIHU, 2019, "active.penalty.decisions"),
    One("西湖区2021年办理结果合记", XIHU, 2021, "apply.total.total"),
    One("西湖区2019年复议完了不服又去起诉的有几件", XIHU, 2019, "litigation.after_review.total"),
    One("西湖区2021年查无此信息的有多少", XIHU, 2021, "apply.unavailable.not_held.total"),
    One("西湖区 2020 requests carried over into 2021", XIHU, 2020, "apply.carried_forward.total"),
    # the official English terms of the reports
    One(
        "In 西湖区's 2021 report, how many applications were carried forward to the next year",
        XIHU,
        2021,
        "apply.carried_forward.total",
    ),
    One("西湖区 2021 administrative reconsideration cases not yet concluded", XIHU, 2021, "review.pending"),
    One("西湖区 2021 results of handling, grand total", XIHU, 2021, "apply.total.total"),
    One("西湖区2021年全部给了的申请有多少件", XIHU, 2021, "apply.disclosed.total"),
    # what table 二 counts was published; cases brought against an agency are reconsiderations as well
    One(
        "how many admin licensing decisions has 西湖区 published for 2021",
        XIHU,
        2021,
        "active.licensing.decisions",
    ),
    One(
        "how many administrative reconsideration cases were brought against 西湖区 in 2021",
        XIHU,
        2021,
        "review.total",
    ),
    One("table 4 of 西湖区 2021: reconsideration upheld", XIHU, 2021, "review.upheld"),
    One("西湖区2021年行政事业性收费金额", XIHU, 2021, "active.fees.amount_wan", ("万元",)),
    One("西湖区2021年的收费", XIHU, 2021, "active.fees.amount_wan"),
    One("西湖区2021年申请人逾期未按收费通知要求缴纳费用", XIHU, 2021, "apply.other.unpaid_fee.total"),
    One("西湖区2019年直接起诉", XIHU, 2019, "litigation.direct.total"),
    One("西湖区2020年复议后起诉多少件", XIHU, 2020, "litigation.after_review.total"),
    One("西湖区2020年行政复议被维持几件", XIHU, 2020, "review.upheld"),
    One("西湖区2021年复议尚未审结", XIHU, 2021, "review.pending"),
    One("西湖區2020年收到多少申請", XIHU, 2020, "apply.new.total"),
    One("西湖2020年收到多少申请", XIHU, 2020, "apply.new.total"),
    One("杭州市西湖区2020年收到多少申请", XIHU, 2020, "apply.new.total"),
    One("西湖区政府2019年上年结转多少件", XIHU, 2019, "apply.carried_over.total"),
    One("西湖区2019年结转下年度", XIHU, 2019, "apply.carried_forward.total"),
    One("西湖区教育局收到多少申请", XIHU_EDU, 2021, "apply.new.total"),
    One("西湖区教育局的律师事务所申请", XIHU_EDU, 2021, "apply.new.legal_service"),
    One("上城区2021年科研机构申请数", SHANGCHENG, 2021, "apply.new.research"),
    One("上城区的社会公益组织申请", SHANGCHENG, 2021, "apply.new.nonprofit"),
    One("how many requests did 上城区 get from law firms", SHANGCHENG, 2021, "apply.new.legal_service"),
    One("上城区行政许可决定", SHANGCHENG, 2021, "active.licensing.decisions"),
    One("咸祥镇行政强制", _town("咸祥"), 2021, "active.coercion.decisions"),
    One("咸祥镇重复申请", _town("咸祥"), 2021, "apply.not_processed.duplicate.total"),
    One("瞻岐镇2021年不予公开（属于国家秘密）", _town("瞻岐"), 2021, "apply.withheld.state_secret.total"),
    One(
        "百丈街道2021年没有现成信息需要另行制作的有几件",
        _street("百丈"),
        2021,
        "apply.unavailable.needs_creation.total",
    ),
]


@pytest.mark.parametrize("case", ONE, ids=str)
async def test_single_figure(qa: async_sessionmaker[AsyncSession], case: One) -> None:
    a = await answer(qa, case.question)
    expected = await stored(qa, case.agency, case.year, case.key)
    assert expected is not None
    assert a.value == pytest.approx(expected), a.text
    assert has_source(a, case.agency, case.year, case.key), a.sources
    for phrase in case.says:
        assert phrase in a.text, a.text


async def test_derived_row_is_read_from_its_printed_parts(qa: async_sessionmaker[AsyncSession]) -> None:
    """2021 （六）其他处理 has three printed sub-rows and no printed total: the answer adds them up."""
    a = await answer(qa, "西湖区2021年其他处理多少件")
    parts = [f"apply.other.{p}.total" for p in ("no_correction", "unpaid_fee", "other")]
    values = [await stored(qa, XIHU, 2021, k) for k in parts]
    assert a.value == sum(v or 0 for v in values)
    assert all(has_source(a, XIHU, 2021, k) for k in parts)


async def test_lawsuits_add_both_kinds(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "西湖区2020年行政诉讼多少件")
    direct = await stored(qa, XIHU, 2020, "litigation.direct.total")
    after = await stored(qa, XIHU, 2020, "litigation.after_review.total")
    assert a.value == (direct or 0) + (after or 0)
    assert has_source(a, XIHU, 2020, "litigation.direct.total")
    assert has_source(a, XIHU, 2020, "litigation.after_review.total")


async def test_a_figure_the_format_does_not_have(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "西湖区2021年政府集中采购金额")
    assert a.value is None and not a.sources
    assert "2021 年版格式" in a.text and "没有" in a.text


async def test_a_figure_asked_in_another_table_is_not_answered(qa: async_sessionmaker[AsyncSession]) -> None:
    # 行政复议 is in table 四: asked of table 三 the question contradicts itself
    a = await answer(qa, "西湖区2021年表三行政复议总计")
    assert a.value is None and not a.sources


async def test_a_breakdown_asked_as_a_sum_is_its_total(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "西湖区2021年不予公开的一共多少 各种理由加一起")
    async with qa() as s:
        withheld = (
            await s.execute(
                text(
                    "SELECT SUM(c.value) FROM cell c JOIN report r ON r.id = c.report_id JOIN agency a ON a.id = r.agency_id "
                    "WHERE a.name = :agency AND r.year = 2021 AND c.key LIKE 'apply.withheld.%.total'"
                ),
                {"agency": XIHU},
            )
        ).scalar_one()
    assert a.kind == "value" and a.value == withheld, a.text
    each = await answer(qa, "西湖区2021年不予公开的原因各多少")
    assert each.kind == "list" and each.value is None


async def test_a_question_ending_in_mei_asks_yes_or_no(qa: async_sessionmaker[AsyncSession]) -> None:
    received = await stored(qa, XIHU, 2021, "apply.new.total")
    reviews = await stored(qa, XIHU, 2021, "review.total")
    a = await answer(qa, "西湖区2021年收到过申请没")
    assert a.kind == "bool" and a.value is bool(received), a.text
    a = await answer(qa, "西湖区2021年有行政复议没有")
    assert a.kind == "bool" and a.value is bool(reviews), a.text
    # 一件都没有 is a condition (none at all), not a question
    towns = await answer(qa, "2021年哪些乡镇一件申请都没有")
    assert towns.kind == "list", towns.text


async def test_two_years_asked_without_a_change_give_both_figures(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    before = await stored(qa, XIHU, 2020, "apply.new.total")
    after = await stored(qa, XIHU, 2021, "apply.new.total")
    assert before is not None and after is not None
    a = await answer(qa, "西湖区2020年和2021年分别收到多少申请")
    assert a.kind == "list" and a.value is None, a.text
    assert [(i["year"], i["value"]) for i in a.items or []] == [(2020, before), (2021, after)]
    for question in ("西湖区2021年收到的申请比2020年多了多少", "西湖区 requests: 2020 → 2021"):
        a = await answer(qa, question)
        assert a.kind == "compare" and a.value == after - before, question
    a = await answer(qa, "西湖区申请 2021 vs 2020 增长百分比")
    assert a.value == pytest.approx(round((after - before) / before * 100, 1)) and a.unit == "%", a.text


async def test_a_ranking_that_names_no_figure_asks_which(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "2021年哪家最多")
    assert a.kind == "clarify" and a.value is None and a.clarify, a.text
    picked = await answer(qa, "2021年哪家最多", choice=a.clarify[0].choice)
    values = await stored_all(qa, 2021, "apply.new.total")
    assert picked.kind == "rank" and picked.value == max(values.values()), picked.text


async def test_a_number_of_agencies_is_a_top_n_only_with_a_ranking_word(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    towns = await stored_all(qa, 2021, "apply.new.total", "%镇%")
    a = await answer(qa, "2021年那两个镇平均收了多少申请")
    assert a.kind == "average" and a.value == pytest.approx(round(sum(towns.values()) / len(towns), 1)), (
        a.text
    )
    streets = await stored_all(qa, 2021, "apply.new.total", "%街道%")
    a = await answer(qa, "2021年收到申请最多的两个街道")
    assert a.kind == "rank" and a.value == 2, a.text
    assert a.items is not None and len(a.items) == 2
    assert {i["value"] for i in a.items} <= set(sorted(streets.values())[-2:])


async def test_a_typo_that_sounds_like_two_words_is_not_guessed(qa: async_sessionmaker[AsyncSession]) -> None:
    # 接道 sounds like 街道 (a kind of agency) and 接到 (received): neither is guessed
    a = await answer(qa, "2021年哪个接道收到申请最多")
    assert a.value is None and a.kind == "none" and "接道" in a.text
    # 予以工开 sounds like one term only
    a = await answer(qa, "西湖区2021年予以工开多少件")
    assert a.value == await stored(qa, XIHU, 2021, "apply.disclosed.total")


async def test_an_ambiguous_word_alone_offers_each_reading(qa: async_sessionmaker[AsyncSession]) -> None:
    """其他 alone is 其他处理, the applicants' 其他 or the outcome 其他结果: asked, not read as the first."""
    a = await answer(qa, "西湖区2021年其他有多少")
    assert a.kind == "clarify" and a.value is None and a.clarify is not None
    assert [o.label for o in a.clarify] == [
        "其他处理",
        "本年新收政府信息公开申请数量·其他",
        "行政复议·其他结果",
    ]
    picked = await answer(qa, "西湖区2021年其他有多少", choice=a.clarify[2].choice)
    assert picked.value == await stored(qa, XIHU, 2021, "review.other")
    # with a word that says which, it is answered
    a = await answer(qa, "西湖区2021年其他处理多少件")
    assert a.kind == "value"
    a = await answer(qa, "how many requests were still pending at the end of 2021 for 西湖区")
    assert a.value == await stored(qa, XIHU, 2021, "apply.carried_forward.total"), a.text


async def test_carry_over_without_a_direction_asks_which(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "How many requests did 西湖区 carry over in 2020?")
    assert a.kind == "clarify" and a.value is None and a.clarify is not None
    assert {o.label for o in a.clarify} == {"carried into next year", "carried over from last year"}


async def _reports_2021(sf: async_sessionmaker[AsyncSession], with_errors: bool) -> int:
    async with sf() as s:
        inner = "SELECT f.report_id FROM finding f WHERE f.severity = 'error'"
        where = "IN" if with_errors else "NOT IN"
        return int(
            (
                await s.execute(
                    text(
                        f"SELECT COUNT(*) FROM report r WHERE r.year = 2021 AND r.is_current AND r.id {where} ({inner})"
                    )
                )
            ).scalar_one()
        )


async def test_facts_across_reports_negated_and_asked_yes_or_no(qa: async_sessionmaker[AsyncSession]) -> None:
    with_errors, without = await _reports_2021(qa, True), await _reports_2021(qa, False)
    assert with_errors and without  # 拱墅区's broken total is an error; the others have none
    a = await answer(qa, "2021年一个错误都没有的报告有几份")
    assert a.kind == "count" and a.value == without, a.text
    a = await answer(qa, "2021年有错误的报告有几份")
    assert a.kind == "count" and a.value == with_errors, a.text
    a = await answer(qa, "2021年的报告有没有错误")
    assert a.kind == "bool" and a.value is True, a.text
    # tables: 没有表三 lacks it, 没有缺表三 has it
    a = await answer(qa, "2021年有几份年报没有表三")
    assert a.kind == "count" and a.value == 0, a.text
    a = await answer(qa, "2021年有几份年报没有缺表三")
    assert a.kind == "count" and a.value == with_errors + without, a.text


async def test_the_format_asked_yes_or_no(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "西湖区2020年报用的是2019版格式吗")
    assert a.kind == "bool" and a.value is True, a.text
    a = await answer(qa, "西湖区2021年报是二〇一九年版的吗")
    assert a.kind == "bool" and a.value is False, a.text


async def test_counting_agencies_of_a_kind_with_a_figure(qa: async_sessionmaker[AsyncSession]) -> None:
    direct = await stored_all(qa, 2021, "litigation.direct.total", "%街道%")
    a = await answer(qa, "2021年有直接起诉案件的街道有几个")
    assert a.kind == "count" and a.value == sum(v > 0 for v in direct.values()), a.text
    lawsuits = await stored_all(qa, 2021, "review.total")
    a = await answer(qa, "How many agencies faced at least one reconsideration in 2021?")
    assert a.kind == "count" and a.value == sum(v >= 1 for v in lawsuits.values()), a.text


async def test_at_most_and_gov_t(qa: async_sessionmaker[AsyncSession]) -> None:
    reviews = await stored_all(qa, 2021, "review.total", "%街道%")
    a = await answer(qa, "2021年行政复议至多3件的街道有几个")
    assert a.kind == "count" and a.value == sum(v <= 3 for v in reviews.values()), a.text
    governments = {
        k: v
        for k, v in (await stored_all(qa, 2021, "apply.new.total")).items()
        if k.endswith("人民政府") and "镇" not in k
    }
    a = await answer(qa, "Which district gov't received the most requests in 2021?")
    assert a.kind == "rank" and a.value == max(governments.values()), a.text


async def test_the_one_at_the_bottom_of_a_ranking(qa: async_sessionmaker[AsyncSession]) -> None:
    streets = await stored_all(qa, 2021, "apply.new.total", "%街道%")
    for question in ("Rank the subdistricts by requests received in 2021 - who's at the bottom?",
                     "2021年街道收到申请排名最后的是哪个"):  # fmt: skip
        a = await answer(qa, question)
        assert a.kind == "rank" and a.value == min(streets.values()), question


async def test_vs_between_the_figures_of_a_rate_is_no_comparison_of_years(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    a = await answer(qa, "西湖区 2021 completion rate: results of handling vs (received + carried over)")
    assert a.kind != "compare" and a.value is None, a.text  # refused: never 2021 against 2020
    a = await answer(qa, "西湖区 2021 vs 2020 requests")
    assert a.kind == "compare"


async def test_vs_an_agency_is_against_it(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "lawsuits vs 西湖区 in 2020 that came after an admin reconsideration?")
    assert a.kind == "value" and a.value == await stored(qa, XIHU, 2020, "litigation.after_review.total"), (
        a.text
    )


async def test_a_rate_over_both_kinds_of_lawsuit_is_not_given_for_one(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    kinds = ("litigation.direct", "litigation.after_review")
    cells = {
        f"{k}.{c}": await stored(qa, XIHU, 2021, f"{k}.{c}") or 0
        for k in kinds
        for c in ("corrected", "total", "pending")
    }
    both = sum(cells[f"{k}.corrected"] for k in kinds)
    out_of = sum(cells[f"{k}.total"] - cells[f"{k}.pending"] for k in kinds)
    assert out_of > 0
    a = await answer(qa, "西湖区2021年行政诉讼纠错率（直接诉讼和复议后诉讼一起算）")
    assert a.kind == "rate" and a.value == pytest.approx(round(100 * both / out_of, 1)), a.text
    a = await answer(qa, "西湖区2021年未经复议直接起诉的案子里被法院纠正的比例")
    assert a.value is None and a.kind == "none", a.text


async def test_a_correction_rate_with_pending_cases_counted_in_is_not_answered(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    a = await answer(
        qa,
        "For 西湖区 in 2021, corrected reconsideration cases as a share of all cases, pending ones included?",
    )
    assert a.value is None and "pending" in a.text, a.text
    a = await answer(qa, "西湖区2021年复议纠错率")
    assert a.kind == "rate" and a.value is not None


async def test_that_one_of_a_kind_asks_which(qa: async_sessionmaker[AsyncSession]) -> None:
    """鄞州区那个镇: one town, not named: ask which, and the choice answers for it."""
    a = await answer(qa, "鄞州区那个镇2021年收到多少申请")
    assert a.kind == "clarify" and a.value is None and a.clarify is not None
    assert {o.label for o in a.clarify} == {_town(n) for n in TOWNS}
    picked = await answer(qa, "鄞州区那个镇2021年收到多少申请", choice=a.clarify[0].choice)
    assert picked.kind == "value" and picked.value == await stored(
        qa, a.clarify[0].label, 2021, "apply.new.total"
    )


async def test_questions_in_several_parts(qa: async_sessionmaker[AsyncSession]) -> None:
    """Two agencies combined are added; parts named inside a breakdown are added; a part said only as 申请 is
    still a part; a figure asked of the agency a ranking finds is a second question."""
    xihu = await stored(qa, XIHU, 2021, "apply.new.total")
    shangcheng = await stored(qa, SHANGCHENG, 2021, "apply.new.total")
    assert xihu is not None and shangcheng is not None
    a = await answer(qa, "西湖区和上城区2021年一共收到多少申请")
    assert a.kind == "sum" and a.value == xihu + shangcheng, a.text
    disclosed = await stored(qa, XIHU, 2021, "apply.disclosed.total")
    partial = await stored(qa, XIHU, 2021, "apply.partial.total")
    assert disclosed is not None and partial is not None
    a = await answer(qa, "西湖区2021年办理结果里，予以公开加上部分公开一共多少件")
    assert a.kind == "sum" and a.value == disclosed + partial, a.text
    a = await answer(qa, "西湖区2021年申请和复议各几件")
    assert a.kind == "list" and a.value is None and a.items is not None
    assert [i["entry"] for i in a.items] == ["apply.new.total", "review.total"]
    for question in ("2021年收到申请最多的那个单位，行政复议有几件", "2021年复议最多的单位，那年收到了多少申请",
                     "which agency got the most requests in 2021, and how many reconsiderations did it have"):  # fmt: skip
        a = await answer(qa, question)
        assert a.value is None and a.kind == "none", question
    a = await answer(qa, "2021年收到申请最多的那个单位是谁")
    assert a.kind == "rank" and a.value == max((await stored_all(qa, 2021, "apply.new.total")).values())


async def test_a_figure_set_aside(qa: async_sessionmaker[AsyncSession]) -> None:
    """不是全部公开那种, 复议后起诉的不算: a figure outside the one asked is read and said; one inside it (除了个人
    以外, 除掉还没审完的) asks for a figure the reports do not print, and is refused."""
    partial = await stored(qa, XIHU, 2021, "apply.partial.total")
    a = await answer(qa, "西湖区2021年部分公开的几件 不是全部公开那种")
    assert a.kind == "value" and a.value == partial and "不在所问的数字之内" in a.text, a.text
    direct = await stored(qa, XIHU, 2021, "litigation.direct.total")
    a = await answer(qa, "西湖区2021年直接起诉几件（复议后起诉的不算）")
    assert a.kind == "value" and a.value == direct, a.text
    for question in (
        "西湖区2021年除了个人以外的申请一共多少件",
        "西湖区2021年行政复议，除掉还没审完的，一共几件",
    ):
        a = await answer(qa, question)
        assert a.value is None and a.kind == "none", question


async def test_an_amount_asked_in_another_unit(qa: async_sessionmaker[AsyncSession]) -> None:
    """采购金额 is printed in 元 (2019 format), 收费金额 in 万元 (2021): asked in the other unit, the value is
    given in the unit asked."""
    yuan = await stored(qa, XIHU, 2019, "active.procurement.amount_yuan")
    assert yuan is not None
    a = await answer(qa, "西湖区2019年政府集中采购花了多少万元")
    assert a.unit == "万元" and a.value == pytest.approx(yuan / 10_000), a.text
    a = await answer(qa, "西湖区2019年政府集中采购金额")
    assert a.unit == "元" and a.value == yuan
    wan = await stored(qa, XIHU, 2021, "active.fees.amount_wan")
    assert wan is not None
    a = await answer(qa, "西湖区2021年行政事业性收费多少元")
    assert a.unit == "元" and a.value == pytest.approx(wan * 10_000), a.text


async def test_in_force_is_not_answered_from_total_published(qa: async_sessionmaker[AsyncSession]) -> None:
    # 现行有效 (2021) and 对外公开总数量 (2019) are different counts: a repealed document stays published
    for question, year in (
        ("西湖区2020年规范性文件现行有效", "2019"),
        ("西湖区2021年规范性文件对外公开总数量", "2021"),
    ):
        a = await answer(qa, question)
        assert a.value is None and not a.sources, question
        assert f"{year} 年版格式" in a.text and "没有" in a.text, question


async def test_an_answer_mentions_the_finding_on_its_cell(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "拱墅区收到多少申请")
    assert a.value == await stored(qa, GONGSHU, 2021, "apply.new.total")
    (source,) = a.sources
    codes = {f["code"] for f in source["findings"]}
    assert "table3.row_total" in codes
    assert "⚠" in a.text and "table3.row_total" in a.text


# ---------------------------------------------------------------- namesakes: ask, then answer the choice


async def test_namesakes_get_a_pick_list_and_the_choice_answers(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "鼓楼区收到多少申请")
    assert a.value is None and a.kind == "clarify"
    assert a.clarify is not None and {o.label for o in a.clarify} == {GULOU_NJ, GULOU_FZ}
    assert all(len(o.choice.encode()) < 60 for o in a.clarify)
    for option in a.clarify:
        picked = await answer(qa, "鼓楼区收到多少申请", choice=option.choice)
        assert picked.clarify is None
        assert picked.value == await stored(qa, option.label, 2021, "apply.new.total")
        assert has_source(picked, option.label, 2021, "apply.new.total")


async def test_a_comparison_with_a_namesake_asks_then_compares(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "比较鼓楼区和上城区收到的申请")
    assert a.clarify is not None
    nanjing = next(o for o in a.clarify if o.label == GULOU_NJ)
    picked = await answer(qa, "比较鼓楼区和上城区收到的申请", choice=nanjing.choice)
    gulou = await stored(qa, GULOU_NJ, 2021, "apply.new.total")
    shangcheng = await stored(qa, SHANGCHENG, 2021, "apply.new.total")
    assert gulou is not None and shangcheng is not None
    assert picked.value == gulou - shangcheng
    assert has_source(picked, GULOU_NJ, 2021, "apply.new.total") and has_source(
        picked, SHANGCHENG, 2021, "apply.new.total"
    )


async def test_english_namesake_question(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "how many requests did 鼓楼区 receive")
    assert a.clarify is not None and "several agencies" in a.text


# ---------------------------------------------------------------- comparisons across years


@pytest.mark.parametrize(
    ("question", "key", "first", "last"),
    [
        ("西湖区历年收到的申请", "apply.new.total", 2019, 2021),
        ("西湖区2019年和2021年行政处罚对比", "active.penalty.decisions", 2019, 2021),
        ("西湖区2020年和2021年收到的申请比较", "apply.new.total", 2020, 2021),
        ("compare 西湖区 requests 2019 vs 2020", "apply.new.total", 2019, 2020),
        ("西湖区收到的申请和去年比有什么变化", "apply.new.total", 2020, 2021),
        ("西湖区行政复议的变化趋势", "review.total", 2019, 2021),
    ],
)
async def test_one_agency_across_years(
    qa: async_sessionmaker[AsyncSession], question: str, key: str, first: int, last: int
) -> None:
    a = await answer(qa, question, now=datetime(2022, 6, 1, tzinfo=UTC))  # 去年 = 2021
    early, late = await stored(qa, XIHU, first, key), await stored(qa, XIHU, last, key)
    assert early is not None and late is not None
    assert a.kind == "compare"
    assert a.value == late - early, a.text
    assert has_source(a, XIHU, first, key) and has_source(a, XIHU, last, key)


async def test_two_agencies_difference_and_percentage(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "西湖区和上城区2021年行政处罚对比")
    xihu = await stored(qa, XIHU, 2021, "active.penalty.decisions")
    shangcheng = await stored(qa, SHANGCHENG, 2021, "active.penalty.decisions")
    assert xihu is not None and shangcheng is not None
    assert a.value == xihu - shangcheng
    assert f"{(xihu - shangcheng) / shangcheng * 100:+.1f}%" in a.text


# ---------------------------------------------------------------- across agencies


def _streets(values: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in values.items() if "街道" in k}


def _towns(values: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in values.items() if k.endswith("镇人民政府")}


async def test_region_ranking(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "鄞州区哪个街道收到的申请最多")
    values = _streets(await stored_all(qa, 2021, "apply.new.total", "%鄞州区%"))
    best = max(values.values())
    assert a.kind == "rank" and a.value == best
    top = [name for name, v in values.items() if v == best]
    assert any(has_source(a, name, 2021, "apply.new.total") for name in top)


async def test_kind_of_agency_without_a_region(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "2021年哪个镇行政处罚最多")
    values = _towns(await stored_all(qa, 2021, "active.penalty.decisions"))
    assert a.kind == "rank" and a.value == max(values.values()) and len(values) == len(TOWNS)


async def test_region_list_and_sum(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "2020年鄞州区各街道的申请数")
    values = _streets(await stored_all(qa, 2020, "apply.new.total", "%鄞州区%"))
    assert a.kind == "list" and a.value == len(values) == len(STREETS)
    assert a.items is not None and {i["agency_name"]: i["value"] for i in a.items} == values
    assert all(has_source(a, name, 2020, "apply.new.total") for name in values)
    assert f"合计 {int(sum(values.values()))} 件" in a.text


async def test_region_towns_sum(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "鄞州区各镇行政处罚合计")
    values = _towns(await stored_all(qa, 2021, "active.penalty.decisions", "%鄞州区%"))
    assert a.kind == "sum" and a.value == sum(values.values()) and len(values) == len(TOWNS)


async def test_region_count_of_zero(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "鄞州区有几个街道没有收到申请")
    values = _streets(await stored_all(qa, 2021, "apply.new.total", "%鄞州区%"))
    assert a.kind == "count" and a.value == sum(1 for v in values.values() if v == 0) == 2


@pytest.mark.parametrize(
    ("question", "kind", "key", "year", "how"),
    [
        ("2021年行政处罚最多的单位", "rank", "active.penalty.decisions", 2021, "max"),
        (
            "which agency had the most licensing decisions in 2021",
            "rank",
            "active.licensing.decisions",
            2021,
            "max",
        ),
        ("2021年行政处罚前3名", "rank", "active.penalty.decisions", 2021, "top3"),
        ("top 3 by 行政许可 in 2021", "rank", "active.licensing.decisions", 2021, "top3"),
        ("2020年行政复议最少的单位", "rank", "review.total", 2020, "min"),
        ("所有单位2021年一共收到多少申请", "sum", "apply.new.total", 2021, "sum"),
        ("total penalties in 2020", "sum", "active.penalty.decisions", 2020, "sum"),
        ("2021年平均每个单位的行政处罚", "average", "active.penalty.decisions", 2021, "mean"),
        ("有几个单位2021年没有收到申请", "count", "apply.new.total", 2021, "zeros"),
        ("2021年收到申请超过20件的单位有几个", "count", "apply.new.total", 2021, "over20"),
    ],
)
async def test_across_all_agencies(
    qa: async_sessionmaker[AsyncSession], question: str, kind: str, key: str, year: int, how: str
) -> None:
    a = await answer(qa, question)
    values = list((await stored_all(qa, year, key)).values())
    expected = {
        "max": max(values),
        "min": min(values),
        "sum": sum(values),
        "mean": round(sum(values) / len(values), 1),
        "top3": 3,
        "zeros": sum(1 for v in values if v == 0),
        "over20": sum(1 for v in values if v > 20),
    }[how]
    assert a.kind == kind, a.text
    assert a.value == pytest.approx(expected), a.text
    assert all(s["year"] == year and s["key"] == key for s in a.sources)
    if how == "top3":
        assert [i["value"] for i in (a.items or [])][:3] == sorted(values, reverse=True)[:3]


# ---------------------------------------------------------------- discovery and compliance


@pytest.mark.parametrize(
    ("question", "expected", "kind"),
    [
        ("有哪些单位", 13, "list"),
        ("list agencies in 2019", 1, "list"),
        ("2020年有哪些单位", 6, "list"),
        ("有几个单位", 13, "count"),
        ("鄞州区有哪些单位", 7, "list"),
    ],
)
async def test_discovery(
    qa: async_sessionmaker[AsyncSession], question: str, expected: int, kind: str
) -> None:
    a = await answer(qa, question)
    async with qa() as s:
        names = {
            n
            for (n,) in await s.execute(
                text(
                    "SELECT DISTINCT a.name FROM agency a JOIN report r ON r.agency_id = a.id WHERE r.is_current"
                )
            )
        }
    assert len(names) == 13
    assert a.kind == kind and a.value == expected, a.text


async def test_inconsistent_tables_names_the_report(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await answer(qa, "哪些报告的表格不一致")
    assert a.value == 1 and "拱墅区" in a.text
    assert {s["code"] for s in a.sources} >= {"table3.row_total"}


async def test_agency_report_problems(qa: async_sessionmaker[AsyncSession]) -> None:
    yes = await answer(qa, "拱墅区的报告有问题吗")
    assert yes.kind == "bool" and yes.value is True
    a = await answer(qa, "拱墅区的报告有几个问题")
    async with qa() as s:
        serious = (
            await s.execute(
                text(
                    "SELECT count(*) FROM finding f JOIN report r ON r.id = f.report_id JOIN agency a ON a.id = r.agency_id "
                    "WHERE a.name = :name AND f.severity IN ('error', 'warning')"
                ),
                {"name": GONGSHU},
            )
        ).scalar_one()
    assert serious >= 1 and a.value == serious


def _keys(a: Answer) -> Sequence[str]:
    return [s["key"] for s in a.sources if "key" in s]


async def test_breakdowns_follow_the_template(qa: async_sessionmaker[AsyncSession]) -> None:
    """规范性文件 reads 本年新制作/新公开/对外公开 in 2020 and 制发/废止/现行有效 in 2021."""
    old = await answer(qa, "西湖区2020年规范性文件")
    new = await answer(qa, "西湖区2021年规范性文件")
    assert _keys(old) == [
        f"active.normative_docs.{c}" for c in ("new_made", "new_published", "total_published")
    ]
    assert _keys(new) == [f"active.normative_docs.{c}" for c in ("issued", "repealed", "in_force")]
    applicants = await answer(qa, "西湖区2021年的申请人构成")
    assert len(_keys(applicants)) == 6 and all(k.startswith("apply.new.") for k in _keys(applicants))

"""Questions about the five seed reports (samples/), ingested once into a temporary database.

Every case asserts the exact value and where it came from (agency, year, table, canonical key, raw text),
as read from the real seed text: 定海区 received 34 new requests and processed 33, 宁海县政务服务办公室
spent 266万元 on procurement, 瞻岐镇 has no table 三 and says in its prose that it received none.
The clock is 2021-06-01 (今年 = 2021, 去年 = 2020). A blank cell answers 0 and says it is blank.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from qa_support import BACKENDS, load_seeds, module_database
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.qa.answer import Answer, answer
from core.storage.db import open_db

NOW = datetime(2021, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def ask(sf: async_sessionmaker[AsyncSession], question: str, **kwargs: str) -> Answer:
    return await answer(sf, question, now=NOW, **kwargs)


@pytest.fixture(scope="module", params=BACKENDS)
def seeds_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with module_database(request, tmp_path_factory.mktemp("qa")) as url:
        asyncio.run(load_seeds(url))
        yield url


@pytest.fixture
async def qa(seeds_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with open_db(seeds_url) as sf:
        yield sf


@dataclass(frozen=True)
class Case:
    question: str
    value: float | int | None
    key: str | None = None  # a source must carry this key …
    agency: str | None = None  # … for this agency (short name) …
    table: str | None = None  # … from this table (None: any; "prose" for the text)
    raw: str | None = None  # … with this raw text
    text: tuple[str, ...] = ()  # the answer says these
    kind: str | None = None
    year: int = 2020

    def __str__(self) -> str:
        return self.question


def check(a: Answer, case: Case) -> None:
    if isinstance(case.value, float):
        assert a.value == pytest.approx(case.value), a.text
    else:
        assert a.value == case.value, a.text
    assert a.clarify is None or case.kind in ("clarify", "none"), a.text
    if case.kind:
        assert a.kind == case.kind, a.text
    if case.key:
        matching = [
            s
            for s in a.sources
            if s.get("key") == case.key
            and (case.agency is None or s["agency"] == case.agency)
            and s["year"] == case.year
            and (case.table is None or (s["table"] or "prose") == case.table)
            and (case.raw is None or s["raw"] == case.raw)
        ]
        assert matching, (a.text, a.sources)
    for phrase in case.text:
        assert phrase in a.text, (phrase, a.text)


DH = "定海区"
NH = "宁海县政务服务办公室"
BH = "白鹤街道"
ZQ = "瞻岐镇"
JJ = "椒江区行政服务中心"

SINGLE = [
    # 定海区: table 三
    Case("定海区收到多少申请", 34, "apply.new.total", DH, "三", "34", ("本年新收", "未指定年度", "2020")),
    Case(
        "how many requests did 定海区 receive in 2020",
        34,
        "apply.new.total",
        DH,
        "三",
        "34",
        ("new requests",),
    ),
    Case("2020年定海区依申请公开办结了多少件", 33, "apply.total.total", DH, "三", "33"),
    Case("定海區收到多少申請", 34, "apply.new.total", DH, "三"),
    Case("定海收到多少申请", 34, "apply.new.total", DH, "三"),
    Case("定海区政府收到多少申请", 34, "apply.new.total", DH, "三"),
    Case("舟山市定海区收到多少申请", 34, "apply.new.total", DH, "三"),
    Case("舟山市定海区人民政府2020年收到的政府信息公开申请数量", 34, "apply.new.total", DH, "三"),
    Case("定海区2020年新收申请多少件", 34, "apply.new.total", DH, "三"),
    Case("请问定海区一共收到了几件申请？", 34, "apply.new.total", DH, "三"),
    Case("定海区的申请数", 34, "apply.new.total", DH, "三"),
    Case("Dinghai District requests received", 34, "apply.new.total", DH, "三"),
    Case("定海区自然人申请多少", 34, "apply.new.natural_person", DH, "三", "34"),
    Case("定海区公民提出了多少申请", 34, "apply.new.natural_person", DH, "三"),
    Case("定海区个人申请数", 34, "apply.new.natural_person", DH, "三"),
    Case("定海区企业申请了多少", 0, "apply.new.commercial", DH, "三", "", ("空白",)),
    Case("requests from businesses to 定海区", 0, "apply.new.commercial", DH, "三", "", ("blank",)),
    Case("定海区办结多少件", 33, "apply.total.total", DH, "三"),
    Case("定海区办结了多少申请", 33, "apply.total.total", DH, "三"),
    Case("定海区处理总数", 33, "apply.total.total", DH, "三"),
    Case("how many requests were processed by 定海区", 33, "apply.total.total", DH, "三"),
    Case("定海区上年结转多少", 0, "apply.carried_over.total", DH, "三", ""),
    Case("定海区结转下年度多少件", 1, "apply.carried_forward.total", DH, "三", "1"),
    Case("requests carried forward by 定海区", 1, "apply.carried_forward.total", DH, "三"),
    Case("定海区予以公开多少件", 18, "apply.disclosed.total", DH, "三", "18"),
    Case("定海区全部公开了几件", 18, "apply.disclosed.total", DH, "三"),
    Case("how many requests were fully disclosed by 定海区", 18, "apply.disclosed.total", DH, "三"),
    Case("定海区部分公开多少", 1, "apply.partial.total", DH, "三"),
    Case("定海区其他处理多少件", 2, "apply.other.total", DH, "三"),
    Case("定海区属于四类过程性信息的不予公开多少", 2, "apply.withheld.process_info.total", DH, "三", "2"),
    Case("定海区行政执法案卷不予公开几件", 5, "apply.withheld.enforcement_file.total", DH, "三", "5"),
    Case("定海区本机关不掌握相关政府信息多少件", 4, "apply.unavailable.not_held.total", DH, "三"),
    Case("定海区信访举报投诉类申请", 1, "apply.not_processed.petition.total", DH, "三"),
    # 定海区: table 四
    Case("定海区行政复议被纠正几件", 1, "review.corrected", DH, "四", "1"),
    Case("定海区行政复议多少件", 3, "review.total", DH, "四", "3"),
    Case("定海区复议维持了几件", 2, "review.upheld", DH, "四", "2"),
    Case("how many reconsiderations did 定海区 have", 3, "review.total", DH, "四"),
    Case("定海区的复议案件总数", 3, "review.total", DH, "四"),
    Case("定海区行政复议结果纠正", 1, "review.corrected", DH, "四"),
    Case("定海区行政诉讼多少件", 0, "litigation.direct.total", DH, "四", "", ("空白",)),
    # 定海区: table 二 (2019 format)
    Case("定海区本年新制作规范性文件多少件", 44, "active.normative_docs.new_made", DH, "二", "44"),
    Case("定海区规范性文件对外公开总数", 142, "active.normative_docs.total_published", DH, "二", "142"),
    Case(
        "定海区2020年制发了多少规范性文件",
        44,
        "active.normative_docs.new_made",
        DH,
        "二",
        "44",
        ("本年新制作数量",),
    ),
    Case("定海区行政处罚", 31552, "active.penalty.decisions", DH, "二", "31552"),
    Case("定海区行政处罚决定数量", 31552, "active.penalty.decisions", DH, "二"),
    Case("penalties of 定海区", 31552, "active.penalty.decisions", DH, "二"),
    Case("定海区行政许可处理决定", 16065, "active.licensing.decisions", DH, "二", "16065"),
    Case("定海区许可多少", 16065, "active.licensing.decisions", DH, "二"),
    Case("licensing decisions of 定海区", 16065, "active.licensing.decisions", DH, "二"),
    Case("定海区行政许可上一年项目数量", 940, "active.licensing.prior_items", DH, "二", "940"),
    Case("定海区行政许可本年增减", -95, "active.licensing.change", DH, "二", "减95"),
    Case("定海区行政强制", 15, "active.coercion.decisions", DH, "二", "15"),
    Case("定海区其他对外管理服务事项处理决定", 81964, "active.other_services.decisions", DH, "二", "81964"),
    Case(
        "定海区政府集中采购金额",
        89188339.32,
        "active.procurement.amount_yuan",
        DH,
        "二",
        "89188339.32",
        ("元",),
    ),
    Case("定海区采购项目数量", 1418, "active.procurement.count", DH, "二", "1418"),
    Case("procurement amount of 定海区", 89188339.32, "active.procurement.amount_yuan", DH, "二"),
    # 宁海县政务服务办公室
    Case(
        "宁海县政务服务办公室的政府集中采购金额",
        2660000,
        "active.procurement.amount_yuan",
        NH,
        "二",
        "266万元",
        ("266 万元",),
    ),
    Case("宁海县政务服务办公室收到多少申请", 1, "apply.new.total", NH, "三", "1"),
    Case("宁海县政务服务办公室采购了多少项目", 3, "active.procurement.count", NH, "二", "3"),
    Case("宁海政务服务办公室的采购金额", 2660000, "active.procurement.amount_yuan", NH, "二"),
    Case("procurement amount of 宁海县政务服务办公室", 2660000, "active.procurement.amount_yuan", NH, "二"),
    Case("宁海县政务服务办公室行政复议", 0, "review.total", NH, "四", "0"),
    Case("宁海县政务服务办公室予以公开", 1, "apply.disclosed.total", NH, "三"),
    Case("宁海县政务服务办公室2020年办结申请数", 1, "apply.total.total", NH, "三"),
    # 白鹤街道
    Case("白鹤街道收到多少申请", 0, "apply.new.total", BH, "三", "0"),
    Case("白鹤街道行政处罚", 285, "active.penalty.decisions", BH, "二", "285"),
    Case("白鹤街道行政处罚本年增减", -30, "active.penalty.change", BH, "二", "-30"),
    Case("白鹤街道的采购金额", 290583.88, "active.procurement.amount_yuan", BH, "二", "29.058388万元"),
    Case("白鹤收到多少申请", 0, "apply.new.total", BH, "三"),
    Case("鄞州区白鹤街道收到多少申请", 0, "apply.new.total", BH, "三"),
    Case("白鹤街道办事处行政复议", 0, "review.total", BH, "四"),
    Case("白鹤街道行政处罚上一年项目数量", 315, "active.penalty.prior_items", BH, "二", "315"),
    # 瞻岐镇: no table 三 or 四; the prose says there were none
    Case("瞻岐镇收到多少申请", 0, "apply.new.total", ZQ, "prose", None, ("缺少表三", "未接到")),
    Case("how many requests did 瞻岐镇 receive", 0, "apply.new.total", ZQ, "prose", None, ("no table 三",)),
    Case("瞻岐镇行政复议多少件", 0, "review.total", ZQ, "prose", None, ("缺少表四",)),
    Case("瞻岐镇行政诉讼", 0, "litigation.total", ZQ, "prose", None, ("缺少表四",)),
    Case("瞻岐镇办结了多少申请", None, None, ZQ, None, None, ("正文也没有说明",)),
    Case("瞻岐镇的采购金额", 3006000, "active.procurement.amount_yuan", ZQ, "二", "300.6万"),
    Case("瞻岐镇行政许可本年增减", 1, "active.licensing.change", ZQ, "二", "新增1条"),
    Case("瞻岐镇其他对外管理服务事项决定数", 78500, "active.other_services.decisions", ZQ, "二", "78500"),
    Case("瞻岐镇采购项目", 26, "active.procurement.count", ZQ, "二", "26"),
    # 椒江区行政服务中心 (older table 二 headers)
    Case("椒江区行政服务中心收到多少申请", 0, "apply.new.total", JJ, "三", "0"),
    Case("椒江区行政服务中心的采购金额", 6323013, "active.procurement.amount_yuan", JJ, "二", "6323013元"),
    Case("椒江区行政服务中心采购项目数量", 8, "active.procurement.count", JJ, "二", "8批次"),
    Case("宁海县的政务服务办公室收到几件申请", 1, "apply.new.total", NH, "三", "1"),
    Case("<b>定海区</b>收到多少申请", 34, "apply.new.total", DH, "三", "34"),
    # year words
    Case("定海区去年收到多少申请", 34, "apply.new.total", DH, "三", None, ("去年", "2020")),
    Case("定海区最新一年的行政复议", 3, "review.total", DH, "四", None, ("最新",)),
]

BREAKDOWNS = [
    Case(
        "定海区的申请人构成", None, "apply.new.natural_person", DH, "三", "34", ("自然人：34 件", "商业企业")
    ),
    Case("定海区的申请人类型", None, "apply.new.commercial", DH, "三", "", ("社会公益组织",)),
    Case("applicant breakdown of 定海区", None, "apply.new.legal_service", DH, "三"),
    Case("定海区收到的申请构成", None, "apply.new.research", DH, "三", None, ("申请人构成",)),
    Case(
        "定海区不予公开的原因分布",
        None,
        "apply.withheld.process_info.total",
        DH,
        "三",
        "2",
        ("属于行政执法案卷：5 件",),
    ),
    Case("reasons for withholding at 定海区", None, "apply.withheld.enforcement_file.total", DH, "三", "5"),
    Case(
        "定海区的办理结果",
        None,
        "apply.disclosed.total",
        DH,
        "三",
        "18",
        ("予以公开：18 件", "无法提供合计：4 件"),
    ),
    Case("定海区复议结果", None, "review.upheld", DH, "四", "2", ("结果维持：2 件", "结果纠正：1 件")),
    Case(
        "定海区规范性文件",
        None,
        "active.normative_docs.total_published",
        DH,
        "二",
        "142",
        ("本年新制作数量：44 件",),
    ),
    Case("定海区行政事业性收费", None, "active.fees.prior_items", DH, "二", "39", ("本年增/减：-1 件",)),
    Case(
        "定海区的情况",
        None,
        "apply.new.total",
        DH,
        "三",
        "34",
        ("本年新收政府信息公开申请数量：34 件", "行政处罚·本年处理决定数量：31552 件"),
    ),
    Case("瞻岐镇规章", None, "active.regulations.new_made", ZQ, "二", "3"),
    Case("定海区无法提供的原因", None, "apply.unavailable.not_held.total", DH, "三", "4"),
    Case("定海区收到和办结的申请", None, "apply.total.total", DH, "三", "33", ("34 件", "33 件")),
]

ACROSS = [
    Case("哪个单位收到的申请最多", 34, "apply.new.total", DH, "三", "34", ("定海区", "最多"), kind="rank"),
    Case(
        "which agency received the most requests",
        34,
        "apply.new.total",
        DH,
        "三",
        None,
        ("定海区",),
        kind="rank",
    ),
    Case("收到申请最少的单位", 0, "apply.new.total", None, None, None, ("最少",), kind="rank"),
    Case(
        "top 3 by 行政处罚",
        3,
        "active.penalty.decisions",
        DH,
        "二",
        None,
        ("1. 定海区", "2. 白鹤街道"),
        kind="rank",
    ),
    Case("行政处罚排名前2", 2, "active.penalty.decisions", BH, "二", "285", ("前 2 名",), kind="rank"),
    Case("哪个单位采购金额最高", 89188339.32, "active.procurement.amount_yuan", DH, "二", kind="rank"),
    Case(
        "所有单位一共收到多少申请",
        35,
        "apply.new.total",
        ZQ,
        "prose",
        None,
        ("合计 35 件", "5 个单位"),
        kind="sum",
    ),
    Case("2020年各单位收到的申请总共多少", 35, "apply.new.total", NH, "三", kind="sum"),
    Case("平均每个单位收到多少申请", 7, "apply.new.total", DH, "三", None, ("平均",), kind="average"),
    Case("average requests per agency", 7, "apply.new.total", DH, "三", kind="average"),
    Case(
        "有几个单位没有收到申请",
        3,
        "apply.new.total",
        ZQ,
        "prose",
        None,
        ("白鹤街道", "椒江区行政服务中心", "瞻岐镇"),
        kind="count",
    ),
    Case("how many agencies received no requests", 3, "apply.new.total", BH, "三", "0", kind="count"),
    Case("有几个单位收到了申请", 2, "apply.new.total", NH, "三", "1", ("定海区",), kind="count"),
    Case("行政复议超过1件的单位有几个", 1, "review.total", DH, "四", "3", kind="count"),
    Case("哪些单位没有收到申请", 3, "apply.new.total", JJ, "三", "0", ("瞻岐镇",), kind="list"),
    Case("收到申请超过10件的单位有哪些", 1, "apply.new.total", DH, "三", None, ("超过 10",), kind="list"),
    Case(
        "鄞州区各街道的申请数", 1, "apply.new.total", BH, "三", "0", ("鄞州区的街道", "白鹤街道"), kind="list"
    ),
    Case("鄞州区各镇收到的申请", 1, "apply.new.total", ZQ, "prose", None, ("瞻岐镇",), kind="list"),
    Case("哪个街道行政处罚最多", 285, "active.penalty.decisions", BH, "二", "285", ("街道中",), kind="rank"),
    Case("各镇的采购金额", 1, "active.procurement.amount_yuan", ZQ, "二", "300.6万", kind="list"),
    Case("行政复议一共多少件", 3, "review.total", DH, "四", kind="sum"),
    Case("所有单位的行政处罚合计", 31837, "active.penalty.decisions", BH, "二", kind="sum"),
    Case(
        "采购金额总共多少", 101467936.2, "active.procurement.amount_yuan", JJ, "二", "6323013元", kind="sum"
    ),
]

LISTINGS = [
    Case("有哪些单位", 5, None, None, None, None, ("定海区", "瞻岐镇", "椒江区行政服务中心"), kind="list"),
    Case("list agencies in 2020", 5, None, None, None, None, ("宁海县政务服务办公室",), kind="list"),
    Case("list agencies in 2019", 0, kind="list"),
    Case("鄞州区有哪些单位", 2, None, None, None, None, ("白鹤街道", "瞻岐镇"), kind="list"),
    Case("which reports are missing table 三", 1, None, None, None, None, ("瞻岐镇",), kind="list"),
    Case("哪些报告缺少表四", 1, None, None, None, None, ("瞻岐镇",), kind="list"),
    Case("哪些报告的表格不一致", 0, None, None, None, None, ("共 0 份",), kind="list"),
    Case("瞻岐镇有表三吗", False, None, None, None, None, ("缺少表三",), kind="bool"),
    Case("瞻岐镇缺少表三吗", True, None, None, None, None, ("缺少表三",), kind="bool"),
    Case("定海区有表三吗", True, None, None, None, None, ("有表三",), kind="bool"),
    Case("定海区的报告有问题吗", False, None, None, None, None, ("0 个错误或警告",), kind="bool"),
    Case("瞻岐镇的报告有几个问题", 4, None, None, None, None, ("structure.missing_table",), kind="value"),
    Case("瞻岐镇的报告有问题吗", True, None, None, None, None, ("4 个错误或警告",), kind="bool"),
    Case("哪些报告有错误", 1, None, None, None, None, ("瞻岐镇",), kind="list"),
    Case("哪些报告有问题", 3, None, None, None, None, ("瞻岐镇", "白鹤街道"), kind="list"),
]

COMPARISONS = [
    Case(
        "比较定海区和宁海县政务服务办公室收到的申请",
        33,
        "apply.new.total",
        NH,
        "三",
        "1",
        ("定海区比宁海县政务服务办公室多 33 件",),
        kind="compare",
    ),
    Case(
        "定海区和白鹤街道的行政处罚对比", 31267, "active.penalty.decisions", BH, "二", "285", kind="compare"
    ),
    Case(
        "宁海县政务服务办公室和定海区哪个采购金额多",
        -86528339.32,
        "active.procurement.amount_yuan",
        DH,
        "二",
        kind="compare",
    ),
    Case(
        "compare 白鹤街道 and 瞻岐镇",
        None,
        "apply.new.total",
        ZQ,
        "prose",
        None,
        ("白鹤街道 0", "瞻岐镇 0 (from the text)"),
        kind="compare",
    ),
    Case(
        "白鹤街道和瞻岐镇收到的申请比较", 0, "apply.new.total", BH, "三", "0", ("两者相同",), kind="compare"
    ),
    Case("compare requests received by 定海区 and 白鹤街道", 34, "apply.new.total", DH, "三", kind="compare"),
]

OTHER = [
    Case("你能回答什么", None, text=("例如",), kind="none"),
    Case("help", None, text=("For example",), kind="none"),
    Case("今天天气怎么样", None, text=("没有记录", "天气"), kind="none"),
    Case("定海区的局长是谁", None, text=("没有记录",), kind="none"),
    # applicants are counted by type, never named; nor are the people or cases behind a total counted
    Case("定海区2020年复议的申请人是谁", None, text=("没有记录", "申请人是谁"), kind="none"),
    Case("定海区2020年申请最多的申请人是谁", None, text=("没有记录",), kind="none"),
    Case("定海区2020年有几个申请人起诉了两次以上", None, text=("没有记录其中两次以上的有几个",), kind="none"),
    # the report that came out in a year is the one for the year before
    Case("定海区今年发布的年报里收到多少申请", 34, "apply.new.total", DH, "三", "34", ("按 2020 年度理解",), kind="value"),
    Case("定海区2020年的年报是2021年几月几号发布的", "2021-02-03", text=("2021 年 2 月 3 日",), kind="date"),
    Case("定海区2020年收费的申请人有几个", None, text=("没有记录",), kind="none"),  # the processing fee
    # who: a person; how to apply, how well: no figure
    Case("定海区2020年被起诉的案件里被告是谁", None, text=("没有记录", "谁"), kind="none"),
    Case("how do I file an FOI request with 定海区", None, text=("does not record",), kind="none"),
    Case("定海区2020年依申请公开工作做得怎么样", None, text=("没有记录",), kind="none"),
    Case("定海区2020年报是2021年几月发的", "2021-02-03", text=("2021 年 2 月 3 日",), kind="date"),
    # what a report says in words is no figure (not its count of errors)
    Case("what did 定海区 say about its problems in 2020", None, text=("does not record",), kind="none"),
    Case("定海区2020年报里对存在的问题说了什么", None, text=("没有记录",), kind="none"),
    Case("定海区收到的申请都是关于什么的", None, text=("没有记录",), kind="none"),  # subjects are not counted
    Case("2019年定海区收到多少申请", None, text=("没有 2019 年度的报告", "2020"), kind="none"),
    Case("定海区历年收到的申请", None, text=("无法按年份对比",), kind="none"),
    Case("定海区今年收到多少申请", None, text=("2021 年度的报告要到 2022 年才发布", "按它回答吗"), kind="clarify"),
]

# A figure asked against a number is a yes or no against that number; two figures asked together
# are both given, with their total when a total is asked.
CHECKS = [
    Case("定海区2020年收到的申请超过100件了吗", False, "apply.new.total", DH, "三", "34", ("是否超过 100：否",), kind="bool"),
    Case("Did 定海区 receive more than 30 requests in 2020?", True, "apply.new.total", DH, "三", "34",
         ("Over 30: yes",), kind="bool"),
    Case("定海区2020年予以公开和部分公开一共多少", 19, "apply.partial.total", DH, "三", text=("合计：19 件",), kind="sum"),
]  # fmt: skip

# Words of other kinds: 办了 said of a table 二 row is its decisions, 年底 adds nothing to 还没办完, 各多少
# lists each figure named, and 截止日当天 asks whether the report came out on the deadline day.
WORDS = [
    Case("定海区2020年行政许可办了多少", 16065, "active.licensing.decisions", DH, "二", "16065", kind="value"),
    Case("定海区去年行政处罚处理了多少", 31552, "active.penalty.decisions", DH, "二", "31552", kind="value"),
    Case("定海区2020年办了几件", 33, "apply.total.total", DH, "三", "33", kind="value"),
    Case("定海区2020年年底还没办完的", 1, "apply.carried_forward.total", DH, "三", "1", kind="value"),
    Case("定海区2020年复议维持和纠正的各多少", None, "review.corrected", DH, "四", "1",
         ("结果维持：2 件", "结果纠正：1 件"), kind="list"),
    Case("定海区2020年报是截止日当天发布的吗", False, text=("2021 年 2 月 3 日", "不是截止日当天发布"), kind="bool"),
]  # fmt: skip

ALL = SINGLE + BREAKDOWNS + ACROSS + LISTINGS + COMPARISONS + OTHER + CHECKS + WORDS


@pytest.mark.parametrize("case", ALL, ids=str)
async def test_seed_question(qa: async_sessionmaker[AsyncSession], case: Case) -> None:
    check(await ask(qa, case.question), case)


async def test_unknown_agency_says_so_and_offers_the_closest_names(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    a = await ask(qa, "江北区收到多少申请")
    assert a.value is None and a.kind == "clarify"
    assert "没有找到“江北区”。相近的单位" in a.text
    assert a.clarify and a.clarify[0].label == "舟山市定海区人民政府"  # the other 区 first
    assert "瞻岐镇人民政府" not in {o.label for o in a.clarify}  # nothing in common
    # Picking one answers the original question about that agency.
    picked = await ask(qa, "江北区收到多少申请", choice=a.clarify[0].choice)
    assert picked.value == 34 and picked.sources[0]["agency"] == "定海区"
    # Nothing stored is even remotely similar: say so, and list what is stored.
    a = await ask(qa, "北京市收到多少申请")
    assert a.value is None and a.kind == "none" and "也没有相近的名称" in a.text
    assert a.clarify and {o.label for o in a.clarify} >= {"舟山市定海区人民政府", "瞻岐镇人民政府"}


async def test_a_longer_unknown_name_is_not_read_as_the_stored_one(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    """定海区盐仓街道 is not 定海区: never answer about the wrong agency silently."""
    a = await ask(qa, "定海区盐仓街道收到多少申请")
    assert a.value is None and a.kind in ("clarify", "none")
    assert "定海区盐仓街道" in a.text


async def test_a_name_under_another_county_is_not_the_stored_one(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    """象山县政务服务办公室 is not 宁海县政务服务办公室: say it is not stored and offer the close name."""
    a = await ask(qa, "象山县的政务服务办公室收到几件申请")
    assert a.value is None and "没有找到“象山县政务服务办公室”" in a.text
    assert a.clarify is not None and [o.label for o in a.clarify] == ["宁海县政务服务办公室"]


async def test_a_region_with_one_stored_agency_is_answered_for_it(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    """宁海县 holds one stored agency, its 政务服务办公室: answered for it, and the answer names it."""
    a = await ask(qa, "宁海县收到多少申请")
    assert a.value == 1 and a.kind == "value" and a.sources[0]["agency"] == NH
    assert "“宁海县”只存有一个单位的报告，按“宁海县政务服务办公室”回答" in a.text
    # 鄞州区 holds two, and neither is the district's own government: ask.
    a = await ask(qa, "how many requests did 鄞州区 receive")
    assert a.kind == "clarify" and "is a region" in a.text
    assert a.clarify is not None and {o.label for o in a.clarify} == {
        "宁波市鄞州区人民政府白鹤街道办事处",
        "瞻岐镇人民政府",
    }
    picked = await ask(qa, "how many requests did 鄞州区 receive", choice=a.clarify[0].choice)
    assert picked.kind == "value" and picked.value == 0


async def test_a_government_named_is_not_another_agency_of_its_region(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    """宁海县政府 is the county's own government, which is not stored: not its 政务服务办公室 (the one agency
    stored there), which is offered instead."""
    for question in (
        "宁海县政府收到多少申请",
        "宁海縣人民政府2020年新收申请几件",
        "how many requests did the Ninghai county government receive",
    ):
        a = await ask(qa, question)
        assert a.value is None and not a.sources, question
        assert "本级政府" in a.text or "itself" in a.text, question
        assert a.clarify is not None and [o.label for o in a.clarify] == [NH], question
    # across agencies: 鄞州区政府一共 is that government, not the district's stored street and town summed
    a = await ask(qa, "鄞州区政府一共收到多少申请")
    assert a.value is None and a.kind == "none" and "本级政府" in a.text


async def test_this_year_whose_report_is_not_out_asks_for_the_latest(
    qa: async_sessionmaker[AsyncSession],
) -> None:
    """In June 2021 今年 is 2021, whose reports come out in 2022: offer the latest stored year, and the
    choice answers for it, with 去年 moving along (2019, not stored)."""
    a = await ask(qa, "定海区今年收到多少申请")
    assert a.kind == "clarify" and a.value is None
    assert a.clarify is not None and [o.label for o in a.clarify] == ["按 2020 年度回答"]
    picked = await ask(qa, "定海区今年收到多少申请", choice=a.clarify[0].choice)
    assert picked.kind == "value" and picked.value == 34 and picked.sources[0]["year"] == 2020
    assert "“今年”按 2020 年度理解" in picked.text
    trend = await ask(qa, "定海区今年比去年多收了多少申请")
    assert trend.kind == "clarify" and trend.clarify is not None
    compared = await ask(qa, "定海区今年比去年多收了多少申请", choice=trend.clarify[0].choice)
    assert compared.value is None and "2019" in compared.text
    total = await ask(qa, "今年所有单位一共收到多少申请")
    assert total.kind == "clarify" and total.clarify is not None
    summed = await ask(qa, "今年所有单位一共收到多少申请", choice=total.clarify[0].choice)
    assert summed.kind == "sum" and summed.value == 35
    a = await ask(qa, "2021年收到多少申请", lang="zh")  # a year written out is not 今年: no offer
    assert "按它回答吗" not in a.text


async def test_english_questions_get_english_answers(qa: async_sessionmaker[AsyncSession]) -> None:
    a = await ask(qa, "how many requests did 定海区 receive in 2020")
    assert a.text.startswith("定海区 2020 'new requests this year': 34.")
    forced = await ask(qa, "定海区收到多少申请", lang="en")
    assert "no year given" in forced.text


async def test_blank_as_a_condition_means_the_cell_is_blank(qa: async_sessionmaker[AsyncSession]) -> None:
    """空白, 没填: the cell printed empty, not a figure 0; asked of one agency, yes or no."""
    a = await ask(qa, "定海区企业申请是空白吗")
    assert a.kind == "bool" and a.value is True
    a = await ask(qa, "定海区收到的申请没填吗")
    assert a.kind == "bool" and a.value is False
    a = await ask(qa, "2020年企业申请空白的单位有哪些")
    assert a.kind == "list" and a.items and "定海区" in a.text
    a = await ask(qa, "2020年实质公开率空白的单位")  # a rate is computed, never printed blank
    assert a.kind == "none" and a.value is None

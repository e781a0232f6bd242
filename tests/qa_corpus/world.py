"""The reports the question corpus is asked about: the five seeds (2020) and generated reports of agencies
the project has never seen — 街道, 乡镇, 局, 区/县/市政府 本级 — in several regions and years.

Everything the harness needs to compute an expected answer by itself is declared here by hand: each
agency's kind (not core.tiers), its statutory deadline tier, the printed publication dates, the figures
the seeds' prose states where a table is missing. Generated figures are random but consistent
(tests/builders.consistent_values); the harness reads them back from the stored cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qa_support import Spec

# The clock every corpus question is asked at: 今年 = 2022 (no report yet), 去年 = 2021, 前年 = 2020.
NOW = datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

Kind = str  # "gov" (区/县/市政府 本级), "dept" (部门/局), "street" (街道), "town" (乡镇)
DEADLINE_MONTH_DAY = {"gov": (3, 31), "dept": (1, 31)}  # streets and towns: none in the 条例


@dataclass(frozen=True)
class Agency:
    handle: str  # how corpus lines name it
    name: str
    short: str
    region: str | None
    kind: Kind
    # year → published date (None: no date printed); the years are the stored reports
    years: dict[int, date | None] = field(default_factory=dict)
    seed: bool = False  # one of the five seed reports (2020)


def _d(text: str) -> date:
    return date.fromisoformat(text)


AGENCIES: tuple[Agency, ...] = (
    # seeds (samples/), stored through the real parser
    Agency("宁海办", "宁海县政务服务办公室", "宁海县政务服务办公室", "宁海县", "dept", {2020: None}, seed=True),
    Agency("白鹤街道", "宁波市鄞州区人民政府白鹤街道办事处", "白鹤街道", "宁波市鄞州区", "street",
           {2020: _d("2020-12-31")}, seed=True),
    Agency("瞻岐镇", "瞻岐镇人民政府", "瞻岐镇", "宁波市鄞州区", "town", {2020: _d("2020-12-30")}, seed=True),
    Agency("定海区", "舟山市定海区人民政府", "定海区", "舟山市定海区", "gov",
           {2020: _d("2021-02-03"), 2021: _d("2022-03-28")}, seed=True),
    Agency("椒江中心", "椒江区人民政府行政服务中心", "椒江区行政服务中心", "椒江区", "dept", {2020: None}, seed=True),
    # generated
    Agency("鹿城区", "温州市鹿城区人民政府", "鹿城区", "温州市鹿城区", "gov",
           {2019: _d("2020-03-20"), 2020: _d("2021-03-25"), 2021: _d("2022-04-08")}),
    Agency("鹿城区教育局", "温州市鹿城区教育局", "鹿城区教育局", "温州市鹿城区", "dept",
           {2020: _d("2021-01-28"), 2021: _d("2022-02-10")}),
    Agency("五马街道", "温州市鹿城区五马街道办事处", "五马街道", "温州市鹿城区", "street",
           {2020: _d("2021-02-15"), 2021: _d("2022-03-01")}),
    Agency("南汇街道", "温州市鹿城区南汇街道办事处", "南汇街道", "温州市鹿城区", "street", {2021: None}),
    Agency("瓯海区", "温州市瓯海区人民政府", "瓯海区", "温州市瓯海区", "gov", {2021: _d("2022-03-30")}),
    Agency("泽雅镇", "温州市瓯海区泽雅镇人民政府", "泽雅镇", "温州市瓯海区", "town", {2021: _d("2022-01-20")}),
    Agency("温州市财政局", "温州市财政局", "温州市财政局", "温州市", "dept", {2021: _d("2022-01-30")}),
    Agency("吴兴区", "湖州市吴兴区人民政府", "吴兴区", "湖州市吴兴区", "gov",
           {2019: _d("2020-03-31"), 2020: _d("2021-04-02"), 2021: _d("2022-03-15")}),
    Agency("月河街道", "湖州市吴兴区月河街道办事处", "月河街道", "湖州市吴兴区", "street", {2021: _d("2022-02-20")}),
    Agency("织里镇", "湖州市吴兴区织里镇人民政府", "织里镇", "湖州市吴兴区", "town",
           {2020: _d("2021-01-25"), 2021: _d("2022-01-18")}),
    Agency("鄞州区", "宁波市鄞州区人民政府", "鄞州区", "宁波市鄞州区", "gov",
           {2020: _d("2021-03-29"), 2021: _d("2022-03-31")}),
    Agency("首南街道", "宁波市鄞州区首南街道办事处", "首南街道", "宁波市鄞州区", "street",
           {2020: _d("2021-02-01"), 2021: _d("2022-02-08")}),
    Agency("姜山镇", "宁波市鄞州区姜山镇人民政府", "姜山镇", "宁波市鄞州区", "town", {2021: _d("2022-01-12")}),
    Agency("鄞州区卫健局", "宁波市鄞州区卫生健康局", "鄞州区卫生健康局", "宁波市鄞州区", "dept",
           {2021: _d("2022-01-31")}),
    Agency("普陀区", "舟山市普陀区人民政府", "普陀区", "舟山市普陀区", "gov",
           {2020: _d("2021-03-18"), 2021: _d("2022-05-06")}),
    Agency("普陀区交通局", "舟山市普陀区交通运输局", "普陀区交通运输局", "舟山市普陀区", "dept",
           {2021: _d("2022-02-03")}),
    Agency("黄岩区司法局", "台州市黄岩区司法局", "黄岩区司法局", "台州市黄岩区", "dept", {2021: _d("2022-01-21")}),
    Agency("西湖区", "杭州市西湖区人民政府", "西湖区", "杭州市西湖区", "gov",
           {2019: _d("2020-03-10"), 2020: _d("2021-03-30"), 2021: _d("2022-03-31")}),
    Agency("文新街道", "杭州市西湖区文新街道办事处", "文新街道", "杭州市西湖区", "street", {2021: _d("2022-01-29")}),
    Agency("拱墅区", "杭州市拱墅区人民政府", "拱墅区", "杭州市拱墅区", "gov", {2021: _d("2022-04-15")}),
    Agency("南京鼓楼区", "南京市鼓楼区人民政府", "鼓楼区", "南京市鼓楼区", "gov", {2021: _d("2022-03-21")}),
    Agency("福州鼓楼区", "福州市鼓楼区人民政府", "鼓楼区", "福州市鼓楼区", "gov", {2021: _d("2022-03-25")}),
    Agency("柯桥区市监局", "绍兴市柯桥区市场监督管理局", "柯桥区市场监督管理局", "绍兴市柯桥区", "dept",
           {2021: _d("2022-03-02")}),
    Agency("义乌市", "金华市义乌市人民政府", "义乌市", "金华市义乌市", "gov", {2021: _d("2022-03-31")}),
    Agency("紫金街道", "丽水市莲都区紫金街道办事处", "紫金街道", "丽水市莲都区", "street", {2021: _d("2022-02-14")}),
    Agency("柯城区", "衢州市柯城区人民政府", "柯城区", "衢州市柯城区", "gov", {2021: _d("2022-06-01")}),
)  # fmt: skip
BY_HANDLE = {a.handle: a for a in AGENCIES}

# The tables a generated report has (default 二, 三, 四; the missing ones get the parser's finding, qa_support.build).
TABLES: dict[tuple[str, int], tuple[str, ...]] = {
    ("泽雅镇", 2021): ("二", "三"),
    ("普陀区交通局", 2021): ("二", "四"),
}
_REVIEW_ZERO = {f"{row}.{col}": 0 for row in ("review", "litigation.direct", "litigation.after_review")
                for col in ("upheld", "corrected", "other", "pending", "total")}  # fmt: skip
_REVIEW_BLANK = {k: "" for k in _REVIEW_ZERO}
# Figures set by hand on top of the random consistent ones.
OVERRIDES: dict[tuple[str, int], dict[str, int | float | str]] = {
    ("织里镇", 2021): _REVIEW_ZERO,
    ("姜山镇", 2021): _REVIEW_ZERO,
    ("文新街道", 2021): _REVIEW_ZERO,
    ("黄岩区司法局", 2021): _REVIEW_ZERO,
    ("月河街道", 2021): {**_REVIEW_BLANK, "apply.new.research": ""},
    ("五马街道", 2021): {"apply.carried_forward.total": ""},
}
# A table 三 of zeros: 紫金街道 received no requests in 2021.
ZERO_TABLE3 = {("紫金街道", 2021)}
# 拱墅区 2021 prints a 本年新收 总计 5 more than its columns add up to (a table error).
BROKEN = {("拱墅区", 2021): ("apply.new.total", 5)}

# What the seeds' prose states where their table is missing (瞻岐镇 has only table 二).
PROSE: dict[tuple[str, int], dict[str, float]] = {
    ("瞻岐镇", 2020): {"apply.new.total": 0, "review.total": 0, "litigation": 0},
}
# Stored reports with errors (severity "error"), by hand: 拱墅区's broken total, the missing tables.
WITH_ERRORS = {("拱墅区", 2021), ("瞻岐镇", 2020), ("泽雅镇", 2021), ("普陀区交通局", 2021)}


def seed_of(handle: str, year: int) -> int:
    return sum(map(ord, handle)) * 10 + year % 100


def specs() -> list[Spec]:
    """The generated reports (seeds are ingested from samples/)."""
    from builders import consistent_values

    from core.templates import template_for_year

    out = []
    for agency in AGENCIES:
        if agency.seed and agency.handle != "定海区":
            continue
        for year, published in agency.years.items():
            if agency.seed and year == 2020:
                continue
            template = template_for_year(year)
            seed = seed_of(agency.handle, year)
            values: dict[str, int | float | str] = {}
            if (agency.handle, year) in ZERO_TABLE3:
                values.update({c.key: 0 for c in template.table("三").cells()})
            values.update(OVERRIDES.get((agency.handle, year), {}))
            if (agency.handle, year) in BROKEN:
                key, extra = BROKEN[(agency.handle, year)]
                values[key] = consistent_values(template.version, seed)[key] + extra
            out.append(
                Spec(
                    agency.name,
                    agency.short,
                    agency.region,
                    year,
                    seed=seed,
                    values=values,
                    tables=TABLES.get((agency.handle, year), ("二", "三", "四")),
                    published_on=published,
                )
            )
    return out

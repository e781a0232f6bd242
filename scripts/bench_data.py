"""Generated agencies and reports for the benchmark: many distinct, plausible agencies, each reporting
every year with its own figures, printed the way the parser meets them (a text copy of a web page).

Names are built from a fixed list of cities, synthetic county names and the departments a county has,
so they read like real agencies (宁波市安平县财政局, 舟山市清和区东湖街道办事处) and the parser, the agency
index and the Q&A treat them as such. Everything is deterministic: the same index gives the same agency.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

import bench_paths  # noqa: F401  (sys.path first)
from builders import consistent_values
from text_builders import build_text

from core.parse.meta import read_meta
from core.templates import TEMPLATES, template_for_year

YEARS = (2019, 2020, 2021, 2022, 2023)  # both templates: 2019 format for 2019–2020, 2021 format after
CITIES = ("宁波市", "舟山市", "台州市", "绍兴市", "嘉兴市", "湖州市", "金华市", "衢州市", "丽水市", "温州市")
# Characters for synthetic county names: none of them is a division or agency suffix (区, 县, 市, 镇 …).
_COUNTY_CHARS = "安平宁永清东西南北长德临富桐乐瑞文泰丰和华嘉定元宝青龙云江春秋明光新兴远福康"
_TOWN_CHARS = "湖桥塘溪岭沙浦港泉林峰岙石田园坪"
DEPARTMENTS = (
    "人民政府办公室", "发展和改革局", "经济和信息化局", "教育局", "科学技术局", "公安分局", "民政局", "司法局",
    "财政局", "人力资源和社会保障局", "自然资源和规划分局", "生态环境分局", "住房和城乡建设局", "交通运输局",
    "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "综合行政执法局", "政务服务办公室", "信访局", "档案馆",
    "人民防空办公室", "机关事务管理中心", "行政服务中心",
)  # fmt: skip
TOWNS_PER_COUNTY = 4  # two 街道, two 镇
AGENCIES_PER_COUNTY = 1 + len(DEPARTMENTS) + TOWNS_PER_COUNTY


def _counties() -> Iterator[str]:
    """Distinct county names: 安平县, 安宁区, …; the city cycles so neighbours sit in different cities."""
    pairs = (a + b for a, b in itertools.permutations(_COUNTY_CHARS, 2))
    for i, pair in enumerate(pairs):
        yield CITIES[i % len(CITIES)] + pair + ("县" if i % 3 else "区")


def _towns(county_index: int) -> list[str]:
    rng = random.Random(county_index)
    first, second = rng.sample(_COUNTY_CHARS, 2), rng.sample(_TOWN_CHARS, 2)
    return [first[0] + second[0] + "街道办事处", first[1] + second[1] + "街道办事处",
            second[0] + first[1] + "镇人民政府", second[1] + first[0] + "镇人民政府"]  # fmt: skip


def agency_names(count: int) -> list[str]:
    """``count`` distinct full agency names: per county its government, departments and towns."""
    names: list[str] = []
    for index, county in enumerate(_counties()):
        names.append(county + "人民政府")
        names += [county + dept for dept in DEPARTMENTS]
        names += [county + town for town in _towns(index)]
        if len(names) >= count:
            return names[:count]
    raise ValueError(f"at most {len(names)} agencies can be generated")


@dataclass(frozen=True)
class AgencyMeta:
    name: str
    short_name: str
    region: str | None


@cache
def agency_meta(name: str) -> AgencyMeta:
    """Short name and region as the parser reads them from a report's title and signature."""
    meta = read_meta([f"{name}2022年政府信息公开工作年度报告", name], template_for_year(2022).sections)
    assert meta.agency == name and meta.short_name, name
    return AgencyMeta(name, meta.short_name, meta.region)


def template_of(year: int) -> str:
    return template_for_year(year).version


def report_values(agency_index: int, year: int) -> dict[str, int | float]:
    """Figures for one agency and year: every 勾稽 identity holds (tests/builders.consistent_values), and
    so do the cross-year ones (core/templates/rules.py ``_CARRIES``), as in real reports, else every report
    would carry cross-year errors. Recomputed from the first year on, not cached: a cache of every
    agency's figures would dominate the benchmark's memory."""
    values = consistent_values(template_of(YEARS[0]), seed=agency_index * 100 + YEARS[0])
    for later in range(YEARS[0] + 1, year + 1):
        values = _carry_over(values, consistent_values(template_of(later), seed=agency_index * 100 + later))
    return values


Figures = dict[str, int | float]


def _carry_over(previous: Figures, values: Figures) -> Figures:
    """``values`` continuing ``previous``: 上年结转, 上一年项目数量 and 现行有效件数 follow from last year."""
    _carry_requests(previous, values)
    for key in [k for k in values if k.endswith(".prior_items") and k in previous]:
        row = key.removesuffix(".prior_items")
        values[key] = previous[key] + previous[f"{row}.change"]
        values[f"{row}.change"] = max(values[f"{row}.change"], -values[key])  # never below zero items
    for key in [k for k in values if k.endswith(".in_force") and k in previous]:
        row = key.removesuffix(".in_force")
        values[f"{row}.repealed"] = min(values[f"{row}.repealed"], previous[key] + values[f"{row}.issued"])
        values[key] = previous[key] + values[f"{row}.issued"] - values[f"{row}.repealed"]
    return values


def _carry_requests(previous: Figures, values: Figures) -> None:
    """上年结转 = last year's 结转下年度, keeping 新收 + 上年结转 = 总计 + 结转下年度 in every column."""
    columns = [c.key for c in TEMPLATES["2021"].table("三").blocks[0].columns if c.key != "total"]
    for col in columns:
        over = int(previous[f"apply.carried_forward.{col}"])
        forward = int(values[f"apply.carried_forward.{col}"])
        new = int(values[f"apply.total.{col}"]) + forward - over
        # When more came over than this year's figures leave room for, more is carried forward.
        forward -= min(new, 0)
        values[f"apply.carried_over.{col}"] = over
        values[f"apply.new.{col}"] = max(new, 0)
        values[f"apply.carried_forward.{col}"] = forward
    for row in ("carried_over", "new", "carried_forward"):
        values[f"apply.{row}.total"] = sum(values[f"apply.{row}.{col}"] for col in columns)


def report_text(name: str, agency_index: int, year: int, *, typo: bool = False) -> bytes:
    """A report as copied from a web page (tab layout, like the seeds), published in the next January.
    ``typo``: one table 三 figure off by one, so that its 勾稽 checks fail as in a carelessly filled form."""
    values = report_values(agency_index, year)
    if typo:
        values["apply.disclosed.natural_person"] += 1
    published = date(year + 1, 1, 10 + agency_index % 20)
    return build_text(values, template_of(year), agency=name, year=year, published_on=published).encode()


def reports(agency_count: int, years: tuple[int, ...] = YEARS) -> Iterator[tuple[str, bytes]]:
    """(filename, content) for every agency and year, year by year, as a province's reports arrive."""
    names = agency_names(agency_count)
    for year in years:
        for index, name in enumerate(names):
            yield f"{index:05d}-{year}.txt", report_text(name, index, year)

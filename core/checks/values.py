"""Single-cell checks: counts are non-negative integers, money has a sensible unit, 规章 only where made.

Only 本年增/减 (unit "delta") may be negative. 2021 收费 is in 万元: a cell printed in 元, or a figure
too large to be 万元 for the agency's level, is a warning. 规章 are made by 省级 and 设区的市 governments
(立法法 第八十二条) and 国务院部门: figures at a 乡镇/街道 or at a county-level agency are doubtful
(report-format.md §4.2 R9).
"""

from __future__ import annotations

import re

from core.checks.evidence import cell_name, fmt, shown
from core.model import Finding, ParsedReport
from core.templates.rules import CellRule, Rule
from core.templates.schema import TemplateDef
from core.textnorm import squash
from core.tiers import TIER_NAMES, Tier, classify

# 万元 figures from which a 收费 total is more likely written in 元, by level: a township collecting
# 1000万元 or a county-level agency 1亿元 of 行政事业性收费 in one year is implausible; above that only
# 10亿元 (provincial scale) is.
_FEE_DOUBT_WAN = {"township": 1_000, "county": 10_000, "higher": 100_000}
# A 采购总金额 (元) this small, printed without a unit, was almost surely meant in 万元.
_PROCUREMENT_DOUBT_YUAN = 1_000
_MONEY_UNITS = ("元", "万元", "亿元")
_REGION_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|自治旗|省|市|州|盟|地区|区|县|旗))+")
_COUNTY_UNITS = ("区", "县", "旗")


def agency_level(report: ParsedReport, tier_override: Tier | None = None) -> str:
    """Level for 规章/收费 plausibility: township, county (区/县/旗 and their departments) or higher."""
    if classify(report.agency, report.title, tier_override) == "township":
        return "township"
    for name in (report.agency, report.region):
        m = _REGION_PREFIX.match(squash(name or ""))
        if m:
            return "county" if m.group(0).endswith(_COUNTY_UNITS) else "higher"
    return "higher"


def _area_name(report: ParsedReport, level: str, tier: Tier) -> str:
    who = report.agency or report.short_name or "本机关"
    if level == "township":
        return f"{who}（乡镇/街道）"
    return f"{who}（县级{'人民政府' if tier == 'government' else '部门'}）"


def _cell_findings(report: ParsedReport, template: TemplateDef, rule: CellRule, level: str) -> list[Finding]:
    findings = []
    for key in rule.keys:
        cell = report.cells.get(key)
        if cell is None or cell.value is None:
            continue
        value = cell.value
        details: dict[str, object] = {"value": value, "raw": cell.raw}
        # The message after the cell's name, which is built only for a finding: naming every cell cost
        # more than checking it.
        message = None
        if rule.kind == "non_negative" and value < 0:
            message = f"为 {fmt(value)}：数量和金额不能为负数（只有「本年增/减」可以为负）。"
        elif rule.kind == "integer" and not float(value).is_integer():
            message = f"为 {fmt(value)}：件数、项目数应为整数。"
        elif rule.kind == "count_unit" and cell.unit in _MONEY_UNITS:
            message = f"填写为「{cell.raw}」：这是数量栏，却带有金额单位“{cell.unit}”，请核对是否填错栏目。"
        elif rule.kind == "wan":
            raw = squash(cell.raw)
            if "元" in raw and "万" not in raw:
                message = (
                    f"填写为「{cell.raw}」：该栏单位为万元，却以元填报"
                    f"（已折算为 {fmt(value)} 万元，请按万元填写）。"
                )
            elif value >= _FEE_DOUBT_WAN[level] and not re.search(r"[万元]", raw):
                message = (
                    f"为 {fmt(value)} 万元（即 {fmt(value / 10_000)} 亿元），对此级机关偏大，"
                    f"疑似按元填报；该栏单位为万元。"
                )
                details["threshold_wan"] = _FEE_DOUBT_WAN[level]
        elif rule.kind == "yuan" and 0 < value < _PROCUREMENT_DOUBT_YUAN and not re.search(r"[元万亿]", cell.raw):
            message = f"为 {fmt(value)}（未注明单位，按元计）：金额过小，疑似以万元填报而未注明单位。"
        if message:
            where = f"表{rule.table}{cell_name(report, template, key)}"
            findings.append(Finding(rule.code, rule.severity, where + message, [key], details))
    return findings


def _regulations(
    report: ParsedReport, template: TemplateDef, rule: CellRule, level: str, tier: Tier
) -> list[Finding]:
    if level == "higher":
        return []
    nonzero = [k for k in rule.keys if report.value(k)]
    if not nonzero:
        return []
    figures = "，".join(f"{cell_name(report, template, k)} {shown(report, k)}" for k in nonzero)
    message = (
        f"表{rule.table}填报了规章数字（{figures}），但{_area_name(report, level, tier)}没有规章制定权"
        "（规章由国务院部门和省、自治区、直辖市及设区的市、自治州人民政府制定），请核对是否应填 0 或误将规范性文件计入。"
    )
    return [
        Finding(
            rule.code, rule.severity, message, nonzero,
            {"values": {k: report.value(k) for k in nonzero}, "level": level, "tier": tier, "tier_name": TIER_NAMES[tier]},
        )
    ]  # fmt: skip


def check(report: ParsedReport, template: TemplateDef, rules: list[Rule], tier_override: Tier | None = None) -> list[Finding]:
    tier = classify(report.agency, report.title, tier_override)
    level = agency_level(report, tier_override)
    findings: list[Finding] = []
    for rule in rules:
        if not isinstance(rule, CellRule) or rule.table not in report.tables_found:
            continue
        if rule.kind == "regulations":
            findings += _regulations(report, template, rule, level, tier)
        else:
            findings += _cell_findings(report, template, rule, level)
    return findings

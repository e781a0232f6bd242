"""Publication date vs the statistics period and the statutory deadline (条例 第四十九条).

The statistics period is the calendar year (四川 DB51/T 2660 2.1; reports say "统计期限…1月1日至12月31日"),
so a report dated before 12月31日 of its year was written before its figures could be complete.
"""

from __future__ import annotations

from datetime import date

from core.model import Finding, ParsedReport
from core.tiers import TIER_NAMES, Tier, classify, statutory_deadline


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check(report: ParsedReport, tier_override: Tier | None = None) -> list[Finding]:
    if report.year is None:
        return []
    published = report.published_on
    if published is None:
        return [
            Finding(
                "date.missing",
                "info",
                f"报告未印有落款日期，无法核对是否在法定期限内公布（{report.year}年度报告）。",
                details={"year": report.year},
            )
        ]
    findings = []
    period_end = date(report.year, 12, 31)
    if published < period_end:
        findings.append(
            Finding(
                "date.early",
                "warning",
                f"报告落款日期为{_cn(published)}，早于统计期限的最后一天（{_cn(period_end)}）："
                f"{report.year}年度的数字在该日期尚未统计完整，请核对日期或数据口径。",
                details={"published_on": published.isoformat(), "period_end": period_end.isoformat()},
            )
        )
    tier = classify(report.agency, report.title, tier_override)
    deadline = statutory_deadline(tier, report.year)
    if deadline and published > deadline:
        how = "已按设置的层级" if tier_override else "按机关名称和标题判断为"
        findings.append(
            Finding(
                "date.late",
                "warning",
                f"报告落款日期为{_cn(published)}，晚于{TIER_NAMES[tier]}的法定公布期限{_cn(deadline)}"
                f"（《政府信息公开条例》第四十九条），逾期 {(published - deadline).days} 天。"
                f"（{how}「{TIER_NAMES[tier]}」；如层级有误，可为该机关设置层级后重新检查。）",
                details={
                    "published_on": published.isoformat(),
                    "deadline": deadline.isoformat(),
                    "tier": tier,
                    "days_late": (published - deadline).days,
                },
            )
        )
    return findings

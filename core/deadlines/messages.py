"""The Chinese wording of reminders and escalation summaries (plain text; the bot escapes it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.deadlines.models import OVERDUE
from core.deadlines.rules import Rule
from core.deadlines.schedule import Kind, working_days_left
from core.tiers import TIER_NAMES

REPORT = "政府信息公开工作年度报告"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def offset_name(offset: int, working_days: bool) -> str:
    if offset == 0:
        return "截止当天"
    if offset == OVERDUE:
        return "逾期通知"
    return f"{offset}个工作日前" if working_days else f"{offset}天前"


def offsets_text(offsets: Sequence[int], working_days: bool) -> str:
    """When a subscription reminds, e.g. 提前30、14、7、3、1天及当天."""
    before = [o for o in offsets if o > 0]
    unit = "个工作日" if working_days else "天"
    parts = [f"提前{'、'.join(map(str, before))}{unit}"] if before else []
    if 0 in offsets:
        parts.append("截止当天")
    return "及".join(parts)


def basis(rule: Rule, tier: str) -> str:
    if rule.statutory:
        return f"《政府信息公开条例》第四十九条，{TIER_NAMES.get(tier, tier)}"  # type: ignore[call-overload]
    return (
        f"本地规则#{rule.id}"
        + (f"：{rule.label}" if rule.label else "")
        + (f"（{rule.region}）" if rule.region else "")
    )


@dataclass(frozen=True)
class Overdue:
    """One agency in an escalation summary."""

    agency_id: int
    agency: str
    tier: str
    deadline: date
    days: int

    def line(self) -> str:
        return f"• {self.agency}（{TIER_NAMES.get(self.tier, self.tier)}，截止{cn_date(self.deadline)}）：已逾期{self.days}天"  # type: ignore[call-overload]


def reminder_text(
    *,
    agency: str,
    report_year: int,
    deadline: date,
    today: date,
    kind: Kind,
    rule: Rule,
    tier: str,
    working_days: bool = False,
    missed: Sequence[int] = (),
    snoozed: bool = False,
) -> str:
    subject = f"{agency}的{report_year}年度{REPORT}"
    days = (deadline - today).days
    if kind == "overdue":
        lines = [
            f"⚠️ 逾期提醒：{subject}应于{cn_date(deadline)}前公布，已逾期{-days}天，尚未收到该报告。",
            "请尽快公布并上传该报告。",
        ]
    elif kind == "due":
        lines = [f"⏰ 今天截止：{subject}应于今天（{cn_date(deadline)}）前公布，尚未收到该报告。"]
    else:
        left = f"还有{days}天"
        if working_days:
            left += f"（其中{working_days_left(today, deadline)}个工作日）"
        lines = [f"⏰ 截止提醒：{subject}应于{cn_date(deadline)}前公布，{left}。"]
    lines.append(f"依据：{basis(rule, tier)}。")
    if snoozed:
        lines.insert(0, "（已推迟的提醒）")
    if missed:
        names = "、".join(offset_name(o, working_days) for o in missed)
        lines.append(f"此前{names}的提醒未能按时发出（机器人当时未运行），此条一并提醒。")
    lines.append("上传该年度报告后，提醒将自动停止。")
    return "\n".join(lines)


def escalation_text(report_year: int, overdue: Sequence[Overdue], still: Sequence[Overdue] = ()) -> str:
    lines = [
        f"📋 逾期汇总：以下单位的{report_year}年度{REPORT}已过截止日期，仍未收到报告（共{len(overdue)}个）："
    ]
    lines += [o.line() for o in overdue]
    if still:
        lines.append(f"此前已通报、仍未收到的（{len(still)}个）：")
        lines += [o.line() for o in still]
    return "\n".join(lines)

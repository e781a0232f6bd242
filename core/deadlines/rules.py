"""Deadline rules as data: the statutory ones (core.tiers) plus local ones that admins add.

A rule gives the month and day, in the year after the report year, by which a report is due. For an agency
and tier the most specific rule wins: one for that agency, then one for the smallest region containing it,
then a tier-wide local rule, then the statute; a rule for one report year beats an every-year one at the
same level, and a newer rule beats an older one.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.deadlines.models import DeadlineRule
from core.deadlines.schedule import to_db
from core.model import ReportError
from core.storage.agencies import canon, split_units
from core.storage.db import write_session
from core.storage.models import Agency
from core.textnorm import squash
from core.tiers import STATUTORY_DEADLINES, TIER_NAMES, TIERS, Tier, classify, parse_tier

RULE_TIERS = (*TIERS, "custom")


@dataclass(frozen=True)
class Rule:
    tier: str
    month: int
    day: int
    region: str | None = None
    agency_id: int | None = None
    report_year: int | None = None
    label: str = ""
    id: int | None = None  # None for a statutory rule

    @property
    def statutory(self) -> bool:
        return self.id is None

    def on(self, report_year: int) -> date:
        """The deadline for ``report_year``; 2月29日 falls back to 2月28日 in common years."""
        year = report_year + 1
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))

    def describe(self) -> str:
        scope = [TIER_NAMES.get(self.tier, "单位专用")]  # type: ignore[call-overload]
        if self.agency_id is not None:
            scope.append(f"单位#{self.agency_id}")
        if self.region:
            scope.append(self.region)
        if self.report_year:
            scope.append(f"{self.report_year}年度")
        source = "条例第四十九条" if self.statutory else f"规则#{self.id}"
        label = f"（{self.label}）" if self.label else ""
        return f"次年{self.month}月{self.day}日前 · {' · '.join(scope)} · {source}{label}"

    @classmethod
    def from_row(cls, row: DeadlineRule) -> Rule:
        return cls(
            tier=row.tier,
            month=row.month,
            day=row.day,
            region=row.region,
            agency_id=row.agency_id,
            report_year=row.report_year,
            label=row.label,
            id=row.id,
        )


def statutory_rules() -> list[Rule]:
    return [Rule(tier, *md) for tier, md in STATUTORY_DEADLINES.items() if md]


async def load_rules(session: AsyncSession) -> list[Rule]:
    rows = (await session.execute(select(DeadlineRule).order_by(DeadlineRule.id))).scalars().all()
    return statutory_rules() + [Rule.from_row(r) for r in rows]


def region_units(text: str | None) -> list[str]:
    """Administrative divisions named in ``text``: 浙江省宁波市鄞州区白鹤街道 → 浙江省, 宁波市, 鄞州区."""
    return split_units(canon(text or ""))[0]


def _region_specificity(rule_region: str, agency: Agency) -> int | None:
    """How many levels of the rule's region match the agency (None: it does not apply).

    The innermost level must be one of the agency's; an outer level may be missing (agencies often print
    only "鄞州区") but must not contradict (a rule for 南京市鼓楼区 does not apply in 福州市鼓楼区).
    """
    parts = region_units(rule_region)
    theirs = region_units(agency.region) + region_units(agency.name)
    if not parts or parts[-1] not in theirs:
        return None
    for part in parts[:-1]:
        if part not in theirs and any(u[-1] == part[-1] for u in theirs):
            return None
    return len(parts)


def is_region(text: str) -> bool:
    units, rest = split_units(canon(text))
    return bool(units) and not rest


def _specificity(rule: Rule, agency: Agency, tier: str, report_year: int) -> tuple[int, int, int] | None:
    if rule.report_year is not None and rule.report_year != report_year:
        return None
    year_bonus = int(rule.report_year is not None)
    if rule.agency_id is not None:
        return (1000, year_bonus, rule.id or 0) if rule.agency_id == agency.id else None
    if rule.tier != tier:
        return None
    if rule.region:
        levels = _region_specificity(rule.region, agency)
        return None if levels is None else (10 + levels, year_bonus, rule.id or 0)
    return (0 if rule.statutory else 1, year_bonus, rule.id or 0)


def applicable_rule(agency: Agency, tier: str, report_year: int, rules: Iterable[Rule]) -> Rule | None:
    best: tuple[tuple[int, int, int], Rule] | None = None
    for rule in rules:
        score = _specificity(rule, agency, tier, report_year)
        if score is not None and (best is None or score > best[0]):
            best = (score, rule)
    return best[1] if best else None


def deadline_for(agency: Agency, tier: str, report_year: int, rules: Sequence[Rule]) -> date | None:
    """The date (Asia/Shanghai calendar) by which ``agency``'s ``report_year`` report is due, if any."""
    rule = applicable_rule(agency, tier, report_year, rules)
    return rule.on(report_year) if rule else None


# ---------------------------------------------------------------- admin rules

_DATE = re.compile(r"^(?:次年)?(\d{1,2})(?:月|[-/.])(\d{1,2})日?$")
_YEAR = re.compile(r"^(\d{4})年?度?$")


@dataclass(frozen=True)
class RuleSpec:
    """A rule as an admin typed it, before the agency (if any) is resolved."""

    tier: str
    month: int
    day: int
    region: str | None = None
    agency: str | None = None
    report_year: int | None = None
    label: str = ""


def check_month_day(month: int, day: int) -> None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise ReportError(f"日期无效：{month}月{day}日")


def parse_rule_spec(text: str) -> RuleSpec:
    """``乡镇 2月20日 宁波市鄞州区 2021 区政府通知`` or ``custom 1-26 定海区卫健局``.

    Words in any order: a tier, a date (M月D日, M-D, M/D), optionally a region (ends in 省/市/区/县…),
    a report year and a label in quotes or as the remaining words. For ``custom`` the remaining words name
    the agency.
    """
    tier: str | None = None
    month_day: tuple[int, int] | None = None
    region: str | None = None
    year: int | None = None
    rest: list[str] = []
    for word in (squash(w) for w in text.split()):
        if tier is None and (word.lower() == "custom" or word in ("单位", "自定义")):
            tier = "custom"
        elif tier is None and parse_tier(word):
            tier = parse_tier(word)
        elif month_day is None and (m := _DATE.match(word)):
            month_day = (int(m.group(1)), int(m.group(2)))
        elif year is None and (m := _YEAR.match(word)):
            year = int(m.group(1))
        elif region is None and tier != "custom" and is_region(word):
            region = word
        else:
            rest.append(word)
    if tier is None:
        raise ReportError("请指明适用层级：部门 / 本级政府 / 乡镇 / custom（单位专用）")
    if month_day is None:
        raise ReportError("请写明截止日期，例如 2月20日 或 2-20（指报告年度的次年）")
    check_month_day(*month_day)
    label = " ".join(rest)
    if tier == "custom":
        if not label:
            raise ReportError("单位专用规则请写明单位名称，例如：custom 1-26 定海区卫生健康局")
        return RuleSpec(tier, *month_day, agency=label, report_year=year)
    return RuleSpec(tier, *month_day, region=region, report_year=year, label=label)


async def add_rule(
    sf: async_sessionmaker[AsyncSession],
    spec: RuleSpec,
    *,
    agency_id: int | None,
    created_by: int | None,
    now: datetime,
) -> Rule:
    if spec.tier not in RULE_TIERS:
        raise ReportError(f"未知层级：{spec.tier}")
    if spec.tier == "custom" and agency_id is None:
        raise ReportError("单位专用规则需要指定单位")
    check_month_day(spec.month, spec.day)
    if spec.region and not is_region(spec.region):
        raise ReportError(f"无法识别的地区：{spec.region}（例如 宁波市鄞州区）")
    row = DeadlineRule(
        tier=spec.tier,
        month=spec.month,
        day=spec.day,
        region=spec.region,
        agency_id=agency_id,
        report_year=spec.report_year,
        label=spec.label,
        created_by=created_by,
        created_at=to_db(now),
    )
    async with write_session(sf) as session:
        session.add(row)
    return Rule.from_row(row)


async def delete_rule(sf: async_sessionmaker[AsyncSession], rule_id: int) -> bool:
    async with write_session(sf) as session:
        result = await session.execute(delete(DeadlineRule).where(DeadlineRule.id == rule_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def report_deadline(
    session: AsyncSession, agency: Agency, printed_name: str | None, title: str | None, report_year: int
) -> tuple[date | None, Tier]:
    """When a report printed as ``printed_name`` with ``title`` must be published, and its tier: the
    agency's own tier if set, else the one its name and title say (core.tiers)."""
    tier = classify(printed_name or agency.name, title, agency.tier_override)  # type: ignore[arg-type]
    return deadline_for(agency, tier, report_year, await load_rules(session)), tier

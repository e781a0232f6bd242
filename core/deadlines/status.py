"""Deadline overviews: a chat's subscribed deadlines (/deadlines) and every agency's status (admins, CLI).

Status per agency and report year: ``on-time`` (published by the deadline: the printed date, else the
upload day), ``late`` (published after it), ``missing`` (deadline passed, no report), ``pending`` (not due
yet), ``no-deadline`` (no rule applies, e.g. a 乡镇 without a local rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.deadlines.messages import basis, offsets_text
from core.deadlines.models import Subscription
from core.deadlines.occurrences import Submission, load_snapshot, submissions
from core.deadlines.rules import Rule, applicable_rule, load_rules
from core.deadlines.schedule import Timing
from core.deadlines.subscriptions import agency_tiers
from core.storage.models import Agency
from core.tiers import TIER_NAMES, TIERS, statutory_deadline

Status = Literal["on-time", "late", "missing", "pending", "no-deadline"]
STATUS_NAMES: dict[str, str] = {
    "on-time": "按时",
    "late": "迟交",
    "missing": "逾期未交",
    "pending": "待提交",
    "no-deadline": "无截止日期",
}
# A season stays the current one for a quarter after its last statutory deadline, so the overview still
# shows who missed it; after that the next season's deadlines are the news.
_SEASON_TAIL = timedelta(days=91)


@dataclass(frozen=True)
class DeadlineRow:
    agency_id: int
    agency: str
    tier: str
    report_year: int
    deadline: date | None
    days_left: int | None  # negative once the deadline has passed
    status: Status
    submitted_on: date | None = None
    basis: str = ""
    chat_id: int | None = None
    subscription_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("deadline", "submitted_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    def line(self) -> str:
        tier = TIER_NAMES.get(self.tier, self.tier)  # type: ignore[call-overload]
        if self.deadline is None:
            return f"{self.agency} · {tier} · {self.report_year}年度 · 无截止日期（可由管理员添加本地规则）"
        when = f"截止{self.deadline.isoformat()}"
        if self.status == "pending":
            left = "今天截止" if self.days_left == 0 else f"还有{self.days_left}天"
        elif self.status == "missing":
            left = f"已逾期{-(self.days_left or 0)}天"
        else:
            left = f"{self.submitted_on.isoformat() if self.submitted_on else ''}公布"
        return (
            f"{self.agency} · {tier} · {self.report_year}年度 · {when} · {left} · {STATUS_NAMES[self.status]}"
        )


def status_of(deadline: date | None, submitted: Submission | None, today: date) -> Status:
    if deadline is None:
        return "no-deadline"
    if submitted is not None:
        return "on-time" if submitted.on <= deadline else "late"
    return "missing" if today > deadline else "pending"


def season_year(today: date) -> int:
    """The report year whose deadlines are current on ``today``."""
    last = max(d for t in TIERS if (d := statutory_deadline(t, today.year - 1)))
    return today.year - 1 if today <= last + _SEASON_TAIL else today.year


async def overview(
    session: AsyncSession, now: datetime, timing: Timing, report_year: int | None = None
) -> list[DeadlineRow]:
    """Every stored agency's deadline and status for one report year (default: the current season)."""
    today = timing.today(now)
    year = report_year or season_year(today)
    agencies = list((await session.execute(select(Agency).order_by(Agency.name))).scalars())
    tiers = await agency_tiers(session, agencies)
    rules = await load_rules(session)
    submitted = await submissions(session, timing)
    return _sorted(
        [_row(a, tiers[a.id], year, rules, submitted, today) for a in agencies]  # type: ignore[index]
    )


async def chat_deadlines(
    session: AsyncSession,
    now: datetime,
    timing: Timing,
    chat_id: int | None = None,
    report_year: int | None = None,
) -> list[DeadlineRow]:
    """A chat's (or every chat's) subscribed deadlines: the current season's, and the next one once the
    current one is settled (or only ``report_year``'s)."""
    today = timing.today(now)
    snapshot = await load_snapshot(session, timing, chat_id)
    rows = []
    for sub, agency in snapshot.subscriptions:
        tier = snapshot.tier_of(sub)
        years = [report_year] if report_year else [season_year(today), season_year(today) + 1]
        for year in years:
            row = _row(agency, tier, year, snapshot.rules, snapshot.submitted, today, sub)
            rows.append(row)
            if row.status not in ("on-time", "late"):
                break  # an open deadline is the news (and without a rule, next year has none either)
    return rows


def _row(
    agency: Agency,
    tier: str,
    year: int,
    rules: Sequence[Rule],
    submitted: dict[tuple[int, int], Submission],
    today: date,
    sub: Subscription | None = None,
) -> DeadlineRow:
    """The deadline and status of ``agency``'s report for ``year`` (for ``sub``'s chat, when given)."""
    rule = applicable_rule(agency, tier, year, rules)
    deadline = rule.on(year) if rule else None
    got = submitted.get((agency.id, year))  # type: ignore[arg-type]
    return DeadlineRow(
        agency_id=agency.id,  # type: ignore[arg-type]
        agency=agency.name,
        tier=tier,
        report_year=year,
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
        status=status_of(deadline, got, today),
        submitted_on=got.on if got else None,
        basis=basis(rule, tier) if rule else "",
        chat_id=sub.chat_id if sub else None,
        subscription_id=sub.id if sub else None,
    )


def _sorted(rows: list[DeadlineRow]) -> list[DeadlineRow]:
    order = {"missing": 0, "pending": 1, "late": 2, "on-time": 3, "no-deadline": 4}
    return sorted(rows, key=lambda r: (order[r.status], r.deadline or date.max, r.agency))


def summary(rows: list[DeadlineRow]) -> str:
    """Counts per status, e.g. 按时 3 · 迟交 1 · 逾期未交 2 · 待提交 5."""
    counts = {name: sum(r.status == key for r in rows) for key, name in STATUS_NAMES.items()}
    return " · ".join(f"{name} {n}" for name, n in counts.items() if n)


async def confirmation(
    session: AsyncSession, sub: Subscription, agency: str, fresh: bool, now: datetime, timing: Timing
) -> str:
    """What a chat is told after subscribing: when it will be reminded, and the deadline now tracked."""
    rows = [r for r in await chat_deadlines(session, now, timing, sub.chat_id) if r.subscription_id == sub.id]
    clock = timing.reminder_time.strftime("%H:%M")
    lines = [
        f"{'已订阅' if fresh else '已更新订阅'}：{agency}。将在截止日期{offsets_text(sub.offsets, sub.working_days)}"
        f"的 {clock} 提醒，并在逾期时通知。"
    ]
    lines += [r.line() for r in rows]
    if any(r.status == "no-deadline" for r in rows):
        lines.append(
            "条例未给乡镇/街道规定截止日期：管理员可用 /deadline add 添加本地规则，或订阅时指定层级。"
        )
    return "\n".join(lines)

"""nianbao subscribe / unsubscribe / deadlines / remind --dry-run / deadline-rule, with NIANBAO_NOW."""

from __future__ import annotations

import asyncio
import json

import pytest
from deadlines_support import add_agency, add_report, at
from icalendar import Calendar
from sqlalchemy import func, select
from typer.testing import CliRunner

from core.cli import app
from core.deadlines.models import ReminderSent, Subscription
from core.settings import get_settings
from core.storage.db import open_db

runner = CliRunner()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    """Set NIANBAO_NOW (and the admin chat) the way a user would, for every command that follows."""

    def set_now(iso: str) -> None:
        monkeypatch.setenv("NIANBAO_NOW", iso)
        get_settings.cache_clear()

    monkeypatch.setenv("ADMIN_CHAT_ID", "999")
    monkeypatch.setenv("REMINDER_TIME", "09:00")
    set_now("2020-12-01T10:00:00+08:00")
    yield set_now
    get_settings.cache_clear()


def cli(db_url: str, *args: str, ok: bool = True) -> str:
    result = runner.invoke(app, [*args, "--db", db_url])
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def seed(db_url: str) -> dict[str, int]:
    async def go() -> dict[str, int]:
        async with open_db(db_url) as sf:
            return {
                "health": await add_agency(sf, "舟山市定海区卫生健康局", "定海区卫生健康局", "舟山市定海区"),
                "gov": await add_agency(sf, "舟山市定海区人民政府", "定海区", "舟山市定海区"),
                "baihe": await add_agency(sf, "宁波市鄞州区白鹤街道办事处", "白鹤街道", "宁波市鄞州区"),
            }

    return asyncio.run(go())


def count(db_url: str, table: type) -> int:
    async def go() -> int:
        async with open_db(db_url) as sf, sf() as session:
            return (await session.execute(select(func.count()).select_from(table))).scalar_one()

    return asyncio.run(go())


def test_subscribe_then_dry_run_lists_exactly_what_a_sweep_would_send(db_url: str, clock) -> None:
    ids = seed(db_url)
    out = cli(db_url, "subscribe", "100", "定海区卫生健康局")
    assert "已订阅：舟山市定海区卫生健康局" in out and "截止2021-01-31 · 还有61天 · 待提交" in out
    cli(db_url, "subscribe", "200", "定海区", "--offsets", "14,1")
    cli(db_url, "subscribe", "300", "白鹤街道", "--tier", "部门", "--offsets", "3", "--working-days")
    cli(db_url, "subscribe", "100", "不存在的单位", ok=False)

    def dry_run(iso: str) -> list[dict]:
        return json.loads(cli(db_url, "remind", "--now", iso, "--dry-run", "--json"))

    plan = dry_run("2021-01-28T09:00:00+08:00")
    assert [(p["chat"], p["agency"], p["deadline"], p["kind"], p["offset"], p["missed"]) for p in plan] == [
        (100, "舟山市定海区卫生健康局", "2021-01-31", "upcoming", 3, [30, 14, 7]),
        (300, "宁波市鄞州区白鹤街道办事处", "2021-01-31", "upcoming", 3, []),  # 3 working days: 01-27 (Wed)
    ]
    assert dry_run("2021-01-28T09:00:00+08:00") == plan  # nothing was recorded
    assert count(db_url, ReminderSent) == 0

    plan = dry_run("2021-02-01T09:00")  # naive: Asia/Shanghai
    assert [(p["chat"], p["kind"]) for p in plan] == [(100, "overdue"), (300, "overdue"), (999, "escalation")]
    assert [a["agency"] for a in plan[2]["agencies"]] == [
        "宁波市鄞州区白鹤街道办事处",
        "舟山市定海区卫生健康局",
    ]

    asyncio.run(_upload(db_url, ids["health"]))
    plan = dry_run("2021-02-01T09:00:00+08:00")
    assert [(p["chat"], p["kind"]) for p in plan] == [(300, "overdue"), (999, "escalation")]
    assert "已逾期" in plan[0]["text"]

    cli(db_url, "remind", "--now", "2021-02-01T09:00:00+08:00", ok=False)  # sending is the bot's job


async def _upload(db_url: str, agency_id: int) -> None:
    async with open_db(db_url) as sf:
        await add_report(sf, agency_id, 2020, at(2021, 1, 30))


def test_nianbao_now_freezes_the_clock_for_subscribing(db_url: str, clock) -> None:
    ids = seed(db_url)
    clock("2021-01-29T12:00:00+08:00")
    cli(db_url, "subscribe", "100", f"#{ids['health']}")
    plan = json.loads(cli(db_url, "remind", "--now", "2021-01-30T09:00:00+08:00", "--dry-run", "--json"))
    # subscribed on 01-29 at noon: the 30…3-day reminders were before it, so none is "missed"
    assert [(p["offset"], p["missed"]) for p in plan] == [(1, [])]
    out = cli(db_url, "unsubscribe", "100", "定海区卫生健康局")
    assert "已取消订阅" in out
    cli(db_url, "unsubscribe", "100", "定海区卫生健康局", ok=False)
    assert (
        json.loads(cli(db_url, "remind", "--now", "2021-01-30T09:00:00+08:00", "--dry-run", "--json")) == []
    )
    assert count(db_url, Subscription) == 1


def test_deadlines_overview_and_local_rules(db_url: str, clock) -> None:
    seed(db_url)
    clock("2021-02-10T10:00:00+08:00")
    rows = json.loads(cli(db_url, "deadlines", "--json"))
    assert {r["agency"]: (r["status"], r["deadline"]) for r in rows} == {
        "舟山市定海区卫生健康局": ("missing", "2021-01-31"),
        "舟山市定海区人民政府": ("pending", "2021-03-31"),
        "宁波市鄞州区白鹤街道办事处": ("no-deadline", None),
    }
    out = cli(db_url, "deadline-rule", "add", "乡镇", "2月20日", "宁波市鄞州区", "区政府通知")
    assert "次年2月20日前" in out and "宁波市鄞州区" in out
    cli(db_url, "deadline-rule", "add", "乡镇", "2月30日", ok=False)
    rows = json.loads(cli(db_url, "deadlines", "--json", "--year", "2020"))
    baihe = next(r for r in rows if r["agency"] == "宁波市鄞州区白鹤街道办事处")
    assert (baihe["deadline"], baihe["days_left"], baihe["status"]) == ("2021-02-20", 10, "pending")
    listed = json.loads(cli(db_url, "deadline-rule", "list", "--json"))
    assert [(r["tier"], r["month"], r["day"], r["region"]) for r in listed] == [
        ("department", 1, 31, None),
        ("government", 3, 31, None),
        ("township", 2, 20, "宁波市鄞州区"),
    ]
    text = cli(db_url, "deadlines")
    assert "逾期未交" in text and "截止2021-02-20 · 还有10天 · 待提交" in text
    cli(db_url, "deadline-rule", "delete", str(listed[2]["id"]))
    cli(db_url, "deadline-rule", "delete", str(listed[2]["id"]), ok=False)


def test_ics_command_writes_a_calendar(db_url: str, clock, tmp_path) -> None:
    seed(db_url)
    cli(db_url, "subscribe", "100", "定海区")
    target = tmp_path / "d.ics"
    cli(db_url, "ics", "100", "--out", str(target))
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert [e["DTSTART"].dt.isoformat() for e in events] == ["2021-03-31", "2022-03-31"]
    assert all(len(e.walk("VALARM")) == 6 for e in events)

"""nianbao deadlines, subscribe, unsubscribe, remind, deadline-rule: the reminder side of the bot.

Every command reads the clock through settings.now(), so NIANBAO_NOW freezes it (subscribing included).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from core.cli.common import DbOption, JsonOption, db_url, fail, open_cli_db, print_json, run
from core.model import ReportError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from core.storage.models import Agency

YearOption = Annotated[int | None, typer.Option("--year", help="Report year (default: the current season).")]


async def _agency(sf: async_sessionmaker[AsyncSession], text: str) -> Agency:
    """The agency ``text`` names (or ``#id``), or a one-line error listing what it could mean."""
    from core.storage.agencies import resolve_agency
    from core.storage.models import Agency

    if text.lstrip("#").isdigit():
        async with sf() as session:
            agency = await session.get(Agency, int(text.lstrip("#")))
        if agency is None:
            raise ReportError(f"没有编号为 {text} 的单位")
        return agency
    match = await resolve_agency(sf, text)
    if match.agency is not None:
        return match.agency
    options = "；".join(f"#{a.id} {a.name}" for a in match.candidates)
    if match.kind in ("ambiguous", "region"):
        raise ReportError(f"“{text}”可能指：{options}（请写全称或用 #编号）")
    similar = f"相近的有：{options}（请写全称或用 #编号）" if options else "订阅前须先有该单位的报告入库"
    raise ReportError(f"找不到单位“{text}”（{similar}）")


def _now(value: str | None) -> datetime:
    from core.settings import get_settings

    settings = get_settings()
    if value is None:
        return settings.now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"时间格式应为 ISO 8601，例如 2021-01-31T09:00:00+08:00：{value}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.tz)


def register(app: typer.Typer) -> None:
    @app.command("deadlines")
    def deadlines_command(
        year: YearOption = None,
        chat: Annotated[int | None, typer.Option("--chat", help="Only this chat's subscriptions.")] = None,
        subscribed: Annotated[
            bool, typer.Option("--subscribed", help="Subscribed deadlines of every chat.")
        ] = False,
        json_out: JsonOption = False,
        db: DbOption = None,
    ) -> None:
        """Deadlines with days left and status (on-time, late, missing, pending): every agency, or subscribed."""
        from core.deadlines.schedule import Timing
        from core.deadlines.status import chat_deadlines, overview, summary
        from core.settings import get_settings

        settings = get_settings()
        timing = Timing.from_settings(settings)
        now = settings.now()

        async def go() -> list:
            async with open_cli_db(db_url(db)) as sf, sf() as session:
                if chat is not None or subscribed:
                    return await chat_deadlines(session, now, timing, chat, year)
                return await overview(session, now, timing, year)

        rows = run(go())
        if json_out:
            print_json([r.to_json() for r in rows])
            return
        if not rows:
            typer.echo("没有可显示的截止日期（尚无单位或订阅）。")
            return
        for r in rows:
            prefix = f"[chat {r.chat_id}] " if r.chat_id is not None and chat is None else ""
            typer.echo(prefix + r.line())
        typer.echo(summary(rows))

    @app.command("subscribe")
    def subscribe_command(
        chat_id: Annotated[int, typer.Argument(help="Telegram chat id to remind.")],
        agency: Annotated[str, typer.Argument(help="Agency name as users type it (fuzzy), or #id.")],
        tier: Annotated[
            str | None,
            typer.Option("--tier", help="department | government | township (default: the agency's)."),
        ] = None,
        offsets: Annotated[
            str | None, typer.Option("--offsets", help="Days before the deadline, e.g. 30,14,7,3,1,0.")
        ] = None,
        working_days: Annotated[
            bool, typer.Option("--working-days", help="Count Chinese working days.")
        ] = False,
        db: DbOption = None,
    ) -> None:
        """Remind CHAT_ID of AGENCY's report deadlines (from now on)."""
        from core.deadlines.schedule import Timing, parse_offsets
        from core.deadlines.status import confirmation
        from core.deadlines.subscriptions import check_tier, subscribe
        from core.settings import get_settings
        from core.tiers import parse_tier

        settings = get_settings()
        now = settings.now()

        async def go() -> str:
            chosen = check_tier(parse_tier(tier) or tier) if tier else None
            async with open_cli_db(db_url(db)) as sf:
                found = await _agency(sf, agency)
                sub, fresh = await subscribe(
                    sf,
                    chat_id,
                    found.id,
                    now,
                    tier=chosen,
                    offsets=parse_offsets(offsets),
                    working_days=working_days,  # type: ignore[arg-type]
                )
                async with sf() as session:
                    text = await confirmation(
                        session, sub, found.name, fresh, now, Timing.from_settings(settings)
                    )
            return f"chat {chat_id}：{text}"

        try:
            typer.echo(run(go()))
        except ReportError as exc:
            raise fail(str(exc)) from None

    @app.command("unsubscribe")
    def unsubscribe_command(
        chat_id: Annotated[int, typer.Argument(help="Telegram chat id.")],
        agency: Annotated[str, typer.Argument(help="Agency name (fuzzy), or #id.")],
        db: DbOption = None,
    ) -> None:
        """Stop reminding CHAT_ID of AGENCY's deadlines."""
        from core.deadlines.subscriptions import unsubscribe

        async def go() -> str:
            async with open_cli_db(db_url(db)) as sf:
                found = await _agency(sf, agency)
                if not await unsubscribe(sf, chat_id, found.id):  # type: ignore[arg-type]
                    raise ReportError(f"chat {chat_id} 没有订阅 {found.name}")
            return f"已取消订阅：chat {chat_id} ← {found.name}"

        try:
            typer.echo(run(go()))
        except ReportError as exc:
            raise fail(str(exc)) from None

    @app.command("remind")
    def remind_command(
        now: Annotated[
            str | None, typer.Option("--now", help="ISO date-time of the sweep (default: now).")
        ] = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="List what would be sent; send nothing.")
        ] = False,
        json_out: JsonOption = False,
        db: DbOption = None,
    ) -> None:
        """List exactly what a reminder sweep at --now would send (chat, agency, deadline, kind)."""
        from core.deadlines.sweep import SweepConfig, plan_sweep
        from core.settings import get_settings

        if not dry_run:
            raise fail(
                "提醒由运行中的机器人发送；此命令只支持 --dry-run（列出将要发送的内容，不发送也不记录）。"
            )
        moment = _now(now)
        config = SweepConfig.from_settings(get_settings())

        async def go() -> list:
            async with open_cli_db(db_url(db)) as sf, sf() as session:
                return await plan_sweep(session, moment, config)

        plan = run(go())
        if json_out:
            print_json([o.to_json() for o in plan])
            return
        if not plan:
            typer.echo(f"{moment.isoformat()}：没有要发送的提醒。")
        for o in plan:
            typer.echo(f"[{o.kind}] chat {o.chat_id} · {o.agency} · 截止 {o.deadline.isoformat()}")
            typer.echo("    " + o.text.replace("\n", "\n    "))

    @app.command("ics")
    def ics_command(
        chat_id: Annotated[int, typer.Argument(help="Telegram chat id whose subscriptions to export.")],
        out: Annotated[str, typer.Option("--out", "-o", help="Output .ics path (- for stdout).")] = "-",
        db: DbOption = None,
    ) -> None:
        """Write a chat's upcoming subscribed deadlines as an iCalendar file, with alarms."""
        from core.deadlines.ics import build_ics, chat_calendar
        from core.deadlines.schedule import Timing
        from core.settings import get_settings

        settings = get_settings()
        now = settings.now()

        async def go() -> bytes:
            async with open_cli_db(db_url(db)) as sf, sf() as session:
                entries = await chat_calendar(session, chat_id, now, Timing.from_settings(settings))
            return build_ics(entries, stamp=now)

        data = run(go())
        if out == "-":
            typer.echo(data.decode(), nl=False)
        else:
            with open(out, "wb") as fh:
                fh.write(data)

    rules = typer.Typer(help="Local deadline rules (the statutory ones are built in).", no_args_is_help=True)
    app.add_typer(rules, name="deadline-rule")

    @rules.command("add")
    def rule_add(
        spec: Annotated[
            list[str],
            typer.Argument(help="e.g. 乡镇 2月20日 宁波市鄞州区 2021 区通知; custom 1-26 定海区卫健局"),
        ],
        db: DbOption = None,
    ) -> None:
        """Add a local rule: tier, month-day (of the year after the report year), optional region and year."""
        from core.deadlines.rules import add_rule, parse_rule_spec
        from core.settings import get_settings

        now = get_settings().now()

        async def go() -> str:
            parsed = parse_rule_spec(" ".join(spec))
            async with open_cli_db(db_url(db)) as sf:
                agency_id = (await _agency(sf, parsed.agency)).id if parsed.agency else None
                rule = await add_rule(sf, parsed, agency_id=agency_id, created_by=None, now=now)
            return f"已添加：{rule.describe()}"

        try:
            typer.echo(run(go()))
        except ReportError as exc:
            raise fail(str(exc)) from None

    @rules.command("list")
    def rule_list(json_out: JsonOption = False, db: DbOption = None) -> None:
        """Every rule in force, statutory first."""
        from core.deadlines.rules import load_rules

        async def go() -> list:
            async with open_cli_db(db_url(db)) as sf, sf() as session:
                return await load_rules(session)

        found = run(go())
        if json_out:
            print_json([asdict(r) for r in found])
            return
        for r in found:
            typer.echo(r.describe())

    @rules.command("delete")
    def rule_delete(
        rule_id: Annotated[int, typer.Argument(help="Rule number (#id).")], db: DbOption = None
    ) -> None:
        """Delete a local rule."""
        from core.deadlines.rules import delete_rule

        async def go() -> bool:
            async with open_cli_db(db_url(db)) as sf:
                return await delete_rule(sf, rule_id)

        if not run(go()):
            raise fail(f"没有规则#{rule_id}（法定规则不能删除）")
        typer.echo(f"已删除规则#{rule_id}")

"""Deadline reminders in the chat: /subscribe, /unsubscribe, /deadlines, /snooze, /ics, /deadline, /status,
their buttons, and the one repeating sweep job that sends reminders (core.deadlines does the thinking).

Callback data (≤ 64 bytes) only names things; every press is re-checked against the chat it came from, so
a copied or forged button cannot act on another chat's subscription.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.auth import admin_only, ensure_admin
from bot.context import Context, session_factory, settings_of
from bot.delivery import undelivered
from bot.handlers.documents import draft_button
from bot.render import ERROR_COLUMNS, clip, esc, reply_long
from core.deadlines.ics import build_ics, chat_calendar
from core.deadlines.rules import add_rule, delete_rule, load_rules, parse_rule_spec
from core.deadlines.schedule import Timing, parse_offsets
from core.deadlines.status import DeadlineRow, chat_deadlines, confirmation, overview, summary
from core.deadlines.subscriptions import SNOOZE_DAYS, snooze, subscribe, subscriptions, unsubscribe
from core.deadlines.sweep import Outgoing, Send, SendError, SweepConfig, run_sweep
from core.model import ReportError
from core.storage.agencies import resolve_agency
from core.storage.db import parse_id
from core.storage.models import Agency
from core.tiers import Tier, parse_tier

# (session, now, timing, report year or None) → rows: what /deadlines and /status list.
LoadRows = Callable[[AsyncSession, datetime, Timing, int | None], Awaitable[list[DeadlineRow]]]

log = logging.getLogger(__name__)

PREFIX = "dl"
SWEEP_INTERVAL_S = 60
# A sweep that starts late is still right (the database says what is due), so a late run is never dropped;
# runs missed meanwhile collapse into one (coalesce) and never overlap (max_instances).
SWEEP_JOB_KWARGS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
_TIER_CODES: dict[str, Tier] = {"d": "department", "g": "government", "t": "township"}
_YEAR = re.compile(r"(?:19|20)\d\d")

USAGE = (
    "用法：/subscribe 单位名称 [层级] [提醒天数] [工作日]\n"
    "例如：/subscribe 定海区\n"
    "　　　/subscribe 白鹤街道 部门 30,7,1,0 工作日\n"
    "层级可选 部门 / 本级政府 / 乡镇（默认按单位自动判断）；提醒天数默认 30,14,7,3,1,0（0 = 截止当天）。"
)
RULE_USAGE = (
    "用法：/deadline list — 查看截止日期规则\n"
    "/deadline add 层级 月日 [地区] [年度] [说明] — 添加本地规则，例如 /deadline add 乡镇 2月20日 宁波市鄞州区\n"
    "/deadline add custom 月日 单位名称 — 某单位专用的截止日期\n"
    "/deadline del 编号 — 删除本地规则"
)


def register(application: Application) -> None:
    application.add_handlers(
        [
            CommandHandler("subscribe", subscribe_command),
            CommandHandler("unsubscribe", unsubscribe_command),
            CommandHandler("deadlines", deadlines_command),
            CommandHandler("snooze", snooze_command),
            CommandHandler("ics", ics_command),
            CommandHandler("deadline", rule_command),
            CommandHandler("status", status_command),
            CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
        ]
    )
    assert application.job_queue is not None, "python-telegram-bot[job-queue] is required"
    application.job_queue.run_repeating(
        sweep_job, interval=SWEEP_INTERVAL_S, first=1, name="deadline-sweep", job_kwargs=SWEEP_JOB_KWARGS
    )


def _timing(context: Context) -> Timing:
    return Timing.from_settings(settings_of(context))


def _args(update: Update) -> str:
    text = update.effective_message.text or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


# ---------------------------------------------------------------- subscribing


def parse_request(text: str) -> tuple[str, Tier | None, list[int] | None, bool]:
    """'白鹤街道 部门 30,7,1 工作日' → agency text, tier, offsets, working days."""
    name: list[str] = []
    tier: Tier | None = None
    offsets: list[int] | None = None
    working = False
    for word in text.split():
        if word in ("工作日", "workdays", "working-days"):
            working = True
        elif name and tier is None and parse_tier(word):
            tier = parse_tier(word)
        elif name and offsets is None and word.replace(",", "").replace("，", "").isdigit():
            offsets = parse_offsets(word)
        else:
            name.append(word)
    return " ".join(name), tier, offsets, working


def _pick_data(
    verb: str, agency_id: int, tier: Tier | None, offsets: Sequence[int] | None, working: bool
) -> str:
    code = next((c for c, t in _TIER_CODES.items() if t == tier), "-")
    days = ".".join(map(str, offsets)) if offsets else "-"
    return f"{PREFIX}:{verb}:{agency_id}:{code}:{int(working)}:{days}"[:64]


def _pick_list(
    verb: str,
    agencies: Sequence[Agency],
    tier: Tier | None = None,
    offsets: Sequence[int] | None = None,
    working: bool = False,
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(a.name, callback_data=_pick_data(verb, a.id, tier, offsets, working))]  # type: ignore[arg-type]
            for a in agencies
        ]
    )


async def subscribe_command(update: Update, context: Context) -> None:
    message = update.effective_message
    text = _args(update)
    if not text:
        await reply_long(message, esc(USAGE + "\n\n" + await _subscribed_list(context, message.chat_id)))
        return
    try:
        name, tier, offsets, working = parse_request(text)
    except ReportError as exc:
        await message.reply_text(esc(clip(str(exc), ERROR_COLUMNS)))
        return
    match = await resolve_agency(session_factory(context), name)
    name = clip(name)  # only quoted from here on
    if match.agency is None:
        if match.candidates and match.kind in ("ambiguous", "region"):
            await message.reply_text(
                f"“{esc(name)}”可能指以下单位，请选择要订阅的：",
                reply_markup=_pick_list("sub", match.candidates, tier, offsets, working),
            )
        else:
            hint = "；".join(a.name for a in match.candidates)
            await message.reply_text(
                esc(
                    f"找不到单位“{name}”。"
                    + (f"您是不是要找：{hint}？" if hint else "订阅前须先有该单位的报告入库。")
                )
            )
        return
    note = f"（按“{name}”理解为 {match.agency.name}）\n" if match.kind == "fuzzy" else ""
    reply = await _subscribe(update, context, match.agency, tier, offsets, working)
    await message.reply_text(esc(note + reply))


async def _subscribe(
    update: Update,
    context: Context,
    agency: Agency,
    tier: Tier | None,
    offsets: Sequence[int] | None,
    working: bool,
) -> str:
    sf = session_factory(context)
    now = settings_of(context).now()
    user = update.effective_user
    sub, fresh = await subscribe(
        sf,
        update.effective_chat.id,
        agency.id,
        now,
        tier=tier,
        offsets=offsets,
        working_days=working,  # type: ignore[arg-type]
        created_by=user.id if user else None,
    )
    async with sf() as session:
        return await confirmation(session, sub, agency.name, fresh, now, _timing(context))


async def _subscribed_list(context: Context, chat_id: int) -> str:
    async with session_factory(context)() as session:
        subs = await subscriptions(session, chat_id)
    if not subs:
        return "本聊天还没有订阅任何单位。"
    return "本聊天已订阅：" + "、".join(a.name for _, a in subs)


async def unsubscribe_command(update: Update, context: Context) -> None:
    message = update.effective_message
    sf = session_factory(context)
    async with sf() as session:
        subs = await subscriptions(session, message.chat_id)
    if not subs:
        await message.reply_text("本聊天没有订阅任何单位。")
        return
    name = _args(update)
    subscribed = {a.id: a for _, a in subs}
    if name:
        match = await resolve_agency(sf, name)
        # An unknown name's candidates are only similar names: never unsubscribe one of those.
        meant = [match.agency] if match.agency else [] if match.kind == "none" else match.candidates
        found = [a for a in meant if a.id in subscribed]
        if len(found) == 1:
            await unsubscribe(sf, message.chat_id, found[0].id)  # type: ignore[arg-type]
            await message.reply_text(f"已取消订阅：{esc(found[0].name)}")
            return
        if not found:
            await message.reply_text(
                f"本聊天没有订阅“{esc(clip(name))}”。请选择要取消的单位：",
                reply_markup=_pick_list("unsub", list(subscribed.values())),
            )
            return
        choices = found
    else:
        choices = list(subscribed.values())
    await message.reply_text("请选择要取消订阅的单位：", reply_markup=_pick_list("unsub", choices))


# ---------------------------------------------------------------- overviews, calendar, snooze


def _year_arg(update: Update) -> int | None:
    """The report year after a command ("2020", "2020年度"), None without one; ReportError for junk."""
    arg = _args(update).rstrip("年度")
    if not arg:
        return None
    if not _YEAR.fullmatch(arg):
        command = (update.effective_message.text or "").split(maxsplit=1)[0]
        raise ReportError(f"用法：{clip(command)} [年度]，例如 {clip(command)} 2020")
    return int(arg)


async def _rows_for_year(update: Update, context: Context, load: LoadRows) -> list[DeadlineRow] | None:
    """``load`` for the year named after the command; None once the user was told the year is junk."""
    try:
        year = _year_arg(update)
    except ReportError as exc:
        await update.effective_message.reply_text(esc(str(exc)))
        return None
    async with session_factory(context)() as session:
        return await load(session, settings_of(context).now(), _timing(context), year)


async def deadlines_command(update: Update, context: Context) -> None:
    message = update.effective_message
    rows = await _rows_for_year(
        update, context, lambda s, now, timing, year: chat_deadlines(s, now, timing, message.chat_id, year)
    )
    if rows is None:
        return
    if not rows:
        await message.reply_text("本聊天还没有订阅任何单位。用 /subscribe 单位名称 订阅截止日期提醒。")
        return
    lines = ["<b>截止日期</b>", *(esc(r.line()) for r in rows), esc(summary(rows)), "/ics 下载日历文件"]
    await reply_long(message, "\n".join(lines))


async def ics_command(update: Update, context: Context) -> None:
    message = update.effective_message
    now = settings_of(context).now()
    async with session_factory(context)() as session:
        entries = await chat_calendar(session, message.chat_id, now, _timing(context))
    if not entries:
        await message.reply_text("本聊天没有即将到来的已订阅截止日期。先用 /subscribe 单位名称 订阅。")
        return
    data = build_ics(entries, stamp=now)
    await message.reply_document(
        io.BytesIO(data),
        filename="nianbao-deadlines.ics",
        caption=f"{len(entries)} 个截止日期（含提醒），可导入手机或电脑日历。",
    )


def snooze_keyboard(subscription_id: int, report_year: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"推迟{d}天", callback_data=f"{PREFIX}:snz:{subscription_id}:{report_year}:{d}"
                )
                for d in SNOOZE_DAYS
            ]
        ]
    )


async def snooze_command(update: Update, context: Context) -> None:
    """Snoozing is done with the buttons under a reminder; this offers them for the open deadlines."""
    message = update.effective_message
    async with session_factory(context)() as session:
        rows = await chat_deadlines(session, settings_of(context).now(), _timing(context), message.chat_id)
    open_rows = [r for r in rows if r.status in ("pending", "missing") and r.subscription_id]
    if not open_rows:
        await message.reply_text("本聊天没有待提交的已订阅报告，无需推迟提醒。")
        return
    for r in open_rows:
        await message.reply_text(
            f"{esc(r.line())}\n推迟这项提醒：",
            reply_markup=snooze_keyboard(r.subscription_id, r.report_year),  # type: ignore[arg-type]
        )


# ---------------------------------------------------------------- admins


@admin_only("查看各单位的报送情况", "see every agency's status")
async def status_command(update: Update, context: Context) -> None:
    message = update.effective_message
    rows = await _rows_for_year(update, context, overview)
    if rows is None:
        return
    if not rows:
        await message.reply_text("还没有任何单位的报告入库。")
        return
    head = f"<b>{rows[0].report_year}年度报告报送情况</b>（{esc(summary(rows))}）"
    await reply_long(message, "\n".join([head, *(esc(r.line()) for r in rows)]))


async def rule_command(update: Update, context: Context) -> None:
    message = update.effective_message
    verb, _, rest = _args(update).partition(" ")
    sf = session_factory(context)
    if verb in ("", "list", "列表"):
        async with sf() as session:
            rules = await load_rules(session)
        await reply_long(
            message, esc("截止日期规则：\n" + "\n".join(r.describe() for r in rules) + "\n\n" + RULE_USAGE)
        )
        return
    if verb not in ("add", "添加", "del", "delete", "删除"):
        await message.reply_text(esc(RULE_USAGE))
        return
    if not await ensure_admin(update, context, "修改截止日期规则", "change deadline rules"):
        return
    try:
        if verb in ("add", "添加"):
            spec = parse_rule_spec(rest)
            agency_id = None
            if spec.agency:
                match = await resolve_agency(sf, spec.agency)
                if match.agency is None:
                    options = "、".join(a.name for a in match.candidates)
                    raise ReportError(
                        f"无法确定单位“{clip(spec.agency)}”" + (f"，可能是：{options}" if options else "")
                    )
                agency_id = match.agency.id
            rule = await add_rule(
                sf,
                spec,
                agency_id=agency_id,
                created_by=update.effective_user.id,
                now=settings_of(context).now(),
            )
            await reply_long(message, esc(f"已添加：{rule.describe()}"))
        else:
            rule_id = rest.strip().lstrip("#")
            number = parse_id(rule_id)
            if number is None or not await delete_rule(sf, number):
                raise ReportError(f"没有本地规则“{clip(rest.strip())}”（法定规则不能删除）")
            await message.reply_text(f"已删除规则#{rule_id}")
    except ReportError as exc:
        await message.reply_text(esc(clip(str(exc), ERROR_COLUMNS)))


# ---------------------------------------------------------------- buttons


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    parts = (query.data or "").split(":")
    chat_id = query.message.chat.id if query.message else None
    if chat_id is None or len(parts) < 3:
        await query.answer("按钮已失效。", show_alert=True)
        return
    verb = parts[1]
    try:
        if verb == "snz" and len(parts) == 5:
            await _snooze_button(update, context, chat_id, *map(_number, parts[2:]))
        elif verb == "sub" and len(parts) == 6:
            await _subscribe_button(update, context, _number(parts[2]), parts[3], parts[4] == "1", parts[5])
        elif verb == "unsub" and len(parts) >= 3:
            sf = session_factory(context)
            done = await unsubscribe(sf, chat_id, _number(parts[2]))
            await query.answer("已取消订阅。" if done else "本聊天没有这项订阅。")
            if done:
                await query.edit_message_reply_markup(None)
        else:
            await query.answer("按钮已失效。", show_alert=True)
    except (ReportError, ValueError) as exc:
        await query.answer(str(exc)[:200] or "按钮已失效。", show_alert=True)


def _number(text: str) -> int:
    """An id or year carried in a button; junk (forged data) raises, which the button handler answers."""
    number = parse_id(text)
    if number is None:
        raise ValueError("按钮已失效。")
    return number


async def _snooze_button(
    update: Update, context: Context, chat_id: int, sub_id: int, year: int, days: int
) -> None:
    now = settings_of(context).now()
    user = update.effective_user
    row = await snooze(
        session_factory(context), chat_id, sub_id, year, days, now, created_by=user.id if user else None
    )
    until = row.until.astimezone(settings_of(context).tz)
    await update.callback_query.answer(f"已推迟{days}天，将于 {until:%m月%d日 %H:%M} 再次提醒。")


async def _subscribe_button(
    update: Update, context: Context, agency_id: int, tier_code: str, working: bool, days: str
) -> None:
    query = update.callback_query
    async with session_factory(context)() as session:
        agency = await session.get(Agency, agency_id)
    if agency is None:
        raise ReportError("该单位已不存在。")
    offsets = parse_offsets(days.replace(".", ",")) if days != "-" else None
    reply = await _subscribe(update, context, agency, _TIER_CODES.get(tier_code), offsets, working)
    await query.answer("已订阅。")
    await query.edit_message_reply_markup(None)
    await query.message.reply_text(esc(reply))  # type: ignore[union-attr]


# ---------------------------------------------------------------- the sweep


def telegram_sender(context: Context) -> Send:
    """Send an Outgoing with the bot; reminders get snooze buttons. Failures become SendError, retryable
    only when Telegram certainly did not take the message (bot.delivery.undelivered: a flood limit, a 5xx
    answer, or no connection made) — the bot has already retried those a few times by then."""
    bot = context.bot

    async def send(out: Outgoing) -> int | None:
        markup = None
        if out.subscription_id is not None and out.kind in ("upcoming", "due", "overdue"):
            snoozes = snooze_keyboard(out.subscription_id, out.report_year).inline_keyboard
            draft = [[draft_button(out.agency_id, out.report_year)]] if out.agency_id is not None else []
            markup = InlineKeyboardMarkup([*snoozes, *draft])
        try:
            message = await bot.send_message(out.chat_id, esc(out.text), reply_markup=markup)
        except TelegramError as exc:
            raise SendError(str(exc), retryable=undelivered(exc)) from exc
        return message.message_id

    return send


async def sweep_job(context: Context) -> None:
    settings = settings_of(context)
    result = await run_sweep(
        session_factory(context),
        settings.now(),
        telegram_sender(context),
        SweepConfig.from_settings(settings),
    )
    if result.sent or result.failed or result.retry:
        log.info(
            "deadline sweep: %d sent, %d failed, %d to retry, %d taken by another process",
            len(result.sent),
            len(result.failed),
            len(result.retry),
            result.taken,
        )

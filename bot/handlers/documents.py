"""Documents to take away: /draft [单位] [年度] (a prefilled Word draft, also behind the button under every
reminder) and /compare 单位 [年度 年度] [xlsx] (the year-on-year comparison). core.documents makes them;
this module reads the command, picks the agency, and sends the file."""

from __future__ import annotations

import asyncio
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import Context, Lang, lang_of, session_factory, settings_of
from bot.render import ERROR_COLUMNS, clip, esc, keep_typing
from core.deadlines.subscriptions import subscriptions
from core.qa.wording import tr
from core.render.summary import KEY_FIGURES, format_number
from core.storage.agencies import resolve_agency
from core.storage.db import parse_id
from core.storage.models import Agency

DRAFT_PREFIX = "draft"
_YEAR = re.compile(r"^((?:19|20)\d{2})年?度?$")
_EXCEL = ("xlsx", "excel", "表格")


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("draft", draft_command),
        CommandHandler("compare", compare_command),
        CallbackQueryHandler(on_draft_button, pattern=rf"^{DRAFT_PREFIX}:\d+:\d+$"),
    ]


def draft_button(agency_id: int, year: int, lang: Lang = "zh") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        tr(lang, f"📝 {year}年度报告草稿", f"📝 Draft of the {year} report"),
        callback_data=f"{DRAFT_PREFIX}:{agency_id}:{year}",
    )


def _words(update: Update) -> list[str]:
    return (update.effective_message.text or "").split()[1:]


def _split(words: list[str]) -> tuple[str, list[int], list[str]]:
    """Arguments → (agency text, years, other words such as xlsx)."""
    name, years, other = [], [], []
    for word in words:
        if m := _YEAR.match(word):
            years.append(int(m.group(1)))
        elif word.lower() in _EXCEL:
            other.append("xlsx")
        else:
            name.append(word)
    return " ".join(name), years, other


# ---------------------------------------------------------------- /draft


async def draft_command(update: Update, context: Context) -> None:
    from core.charts import unclear_agency

    message = update.effective_message
    lang = lang_of(update)
    name, years, _ = _split(_words(update))
    year = years[0] if years else settings_of(context).now().year - 1  # the report due this year
    sf = session_factory(context)
    if name:
        match = await resolve_agency(sf, name)
        if match.agency is None:
            buttons = [[draft_button(a.id, year, lang)] for a in match.candidates[:8] if a.id is not None]
            text = clip(unclear_agency(match, lang), ERROR_COLUMNS)
            if buttons and match.kind in ("ambiguous", "region"):
                text = tr(
                    lang,
                    f"“{clip(name)}”可能指以下单位，请选择：",
                    f"'{clip(name)}' may mean one of these; pick one:",
                )
                await message.reply_text(esc(text), reply_markup=InlineKeyboardMarkup(buttons))
                return
            await message.reply_text(esc(text))
            return
        await _send_draft(update, context, match.agency, year)
        return
    async with sf() as session:
        subscribed = [a for _, a in await subscriptions(session, message.chat_id)]
    if len(subscribed) == 1:
        await _send_draft(update, context, subscribed[0], year)
        return
    usage = tr(
        lang,
        "用法：/draft [单位] [年度]，例如 /draft 定海区 2021。不写单位时用本聊天订阅的单位。",
        "Usage: /draft [AGENCY] [YEAR], e.g. /draft 定海区 2021. Without an agency, this chat's subscription.",
    )
    if not subscribed:
        await message.reply_text(esc(usage))
        return
    buttons = [
        [InlineKeyboardButton(a.name, callback_data=f"{DRAFT_PREFIX}:{a.id}:{year}")] for a in subscribed[:20]
    ]
    await message.reply_text(
        tr(
            lang,
            "本聊天订阅了多个单位，请选择要起草报告的单位：",
            "This chat follows several agencies; pick one:",
        ),
        reply_markup=InlineKeyboardMarkup(buttons),
    )


async def on_draft_button(update: Update, context: Context) -> None:
    query = update.callback_query
    _, agency_id, year = (query.data or "").split(":")
    number = parse_id(agency_id)
    async with session_factory(context)() as session:
        agency = await session.get(Agency, number) if number is not None else None
    if agency is None:
        await query.answer(
            tr(lang_of(update), "该单位已不存在。", "This agency no longer exists."), show_alert=True
        )
        return
    await query.answer()
    await _send_draft(update, context, agency, int(year))


async def _send_draft(update: Update, context: Context, agency: Agency, year: int) -> None:
    from core.documents.draft import build_draft, draft_docx

    chat_id = update.effective_chat.id
    lang = lang_of(update)
    async with keep_typing(context.bot, chat_id, ChatAction.UPLOAD_DOCUMENT):
        async with session_factory(context)() as session:
            draft = await build_draft(session, agency, year)
        data = await asyncio.to_thread(draft_docx, draft)
    last = draft.year - 1
    lines = [
        tr(
            lang,
            f"📝 {esc(agency.name)} {year} 年度报告草稿（{draft.template.notice}格式）",
            f"📝 Draft of {esc(agency.name)}'s {year} report",
        )
    ]
    if draft.carried:
        lines.append(
            tr(
                lang,
                f"已按 {last} 年度报告填入：上年结转等 {len(draft.carried)} 格。",
                f"Filled in from the {last} report: {len(draft.carried)} cells (carry-over).",
            )
        )
    elif draft.previous is None:
        lines.append(
            tr(
                lang,
                f"没有找到已存的 {last} 年度报告，表格全部留空。",
                f"No stored {last} report: every figure is left empty.",
            )
        )
    if draft.deadline:
        d = draft.deadline
        lines.append(tr(lang, f"公布期限：{d.year}年{d.month}月{d.day}日。", f"Due by {d.isoformat()}."))
    lines.append(
        tr(
            lang,
            "填好后把文件发给我，并在说明里写“仅检查”：检查并与上年报告比对，不入库。",
            "When filled in, send it back with the caption “check”: checked and compared with last year, not stored.",
        )
    )
    filename = f"{agency.short_name}{year}年度报告草稿.docx"
    await context.bot.send_document(chat_id, InputFile(data, filename=filename), caption="\n".join(lines))


# ---------------------------------------------------------------- /compare


async def compare_command(update: Update, context: Context) -> None:
    # The document writers load Word, Excel and matplotlib: imported when a comparison is asked for.
    from core.charts import unclear_agency
    from core.documents.compare_excel import comparison_xlsx
    from core.documents.compare_word import comparison_docx
    from core.documents.comparison import ComparisonError, build_comparison, signed

    message = update.effective_message
    lang = lang_of(update)
    name, years, other = _split(_words(update))
    if not name or len(years) not in (0, 2):
        await message.reply_text(
            tr(
                lang,
                "用法：/compare 单位 [年度 年度] [xlsx]，例如 /compare 定海区 2020 2021（默认 Word 文件，加 xlsx 得到 Excel）",
                "Usage: /compare AGENCY [YEAR YEAR] [xlsx], e.g. /compare 定海区 2020 2021 (Word; add xlsx for Excel)",
            )
        )
        return
    sf = session_factory(context)
    match = await resolve_agency(sf, name)
    if match.agency is None:
        await message.reply_text(esc(clip(unclear_agency(match, lang), ERROR_COLUMNS)))
        return
    agency = match.agency
    excel = "xlsx" in other
    async with keep_typing(context.bot, message.chat_id, ChatAction.UPLOAD_DOCUMENT):
        try:
            async with sf() as session:
                comparison = await build_comparison(session, agency, *(years or (None, None)))
        except ComparisonError as exc:
            await message.reply_text(esc(clip(str(exc), ERROR_COLUMNS)))
            return
        data = await asyncio.to_thread(comparison_xlsx if excel else comparison_docx, comparison)
    first, second = comparison.years
    figures = []
    for key, zh, en in KEY_FIGURES:
        row = next((r for rows in comparison.figures.values() for r in rows if r.key == key), None)
        if row is not None and (row.first is not None or row.second is not None):
            figures.append(
                f"{tr(lang, zh, en)} {format_number(row.first)} → {format_number(row.second)}（{signed(row.difference)}）"
            )
    caption = tr(
        lang, f"{agency.name} {first} 与 {second} 年度报告对比", f"{agency.name}: {first} vs {second}"
    )
    caption += "\n" + "\n".join(figures[:6])
    filename = f"{agency.short_name}{first}-{second}对比.{'xlsx' if excel else 'docx'}"
    await message.reply_document(InputFile(data, filename=filename), caption=esc(caption))

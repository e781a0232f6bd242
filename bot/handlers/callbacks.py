"""Inline buttons. Callback data is only a name and an id; everything is re-checked here: the report must
exist, undo is for admins only, an expired or forged button gets a polite alert, never an action."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.auth import ensure_admin
from bot.context import Context, lang_of, session_factory
from bot.handlers import ask, reports, start
from bot.render import esc, send_long
from bot.reportview import FINDINGS, TABLES, UNDO, describe_html, findings_html, tables_html
from core.model import ParsedReport
from core.qa.wording import tr
from core.storage.db import parse_id
from core.storage.ingest import delete_report
from core.storage.reports import load_report


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(on_example, pattern=rf"^{start.EXAMPLE_PREFIX}:"),
        CallbackQueryHandler(ask.on_choice, pattern=rf"^{ask.CHOICE_PREFIX}:[\w-]+:\d+$"),
        CallbackQueryHandler(on_findings, pattern=rf"^{FINDINGS}:\d+$"),
        CallbackQueryHandler(on_tables, pattern=rf"^{TABLES}:\d+$"),
        CallbackQueryHandler(on_undo, pattern=rf"^{UNDO}:\d+$"),
        CallbackQueryHandler(reports.on_page, pattern=rf"^{reports.PAGE_PREFIX}:\d+$"),
    ]


async def on_example(update: Update, context: Context) -> None:
    query = update.callback_query
    question = start.example_question(query.data or "")
    if question is None:
        await stale_button(update, context)
        return
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, f"❓ {esc(question)}")
    await ask.reply_answer(update, context, question)


def _report_id(update: Update) -> int | None:
    return parse_id((update.callback_query.data or "").split(":")[1])


async def _gone(update: Update) -> None:
    await update.callback_query.answer(
        tr(
            lang_of(update),
            "这份报告已不存在（可能已撤销）。",
            "This report no longer exists (it may have been undone).",
        ),
        show_alert=True,
    )


async def _report_or_alert(update: Update, context: Context) -> ParsedReport | None:
    report_id = _report_id(update)
    if report_id is not None:
        with contextlib.suppress(LookupError):
            return await load_report(session_factory(context), report_id)
    await _gone(update)
    return None


async def on_findings(update: Update, context: Context) -> None:
    report = await _report_or_alert(update, context)
    if report is None:
        return
    await update.callback_query.answer()
    lang = lang_of(update)
    await send_long(
        context.bot,
        update.effective_chat.id,
        f"{describe_html(report, lang)}\n\n{findings_html(report, lang)}",
    )


async def on_tables(update: Update, context: Context) -> None:
    report = await _report_or_alert(update, context)
    if report is None:
        return
    await update.callback_query.answer()
    head = f"<b>{esc(report.agency or '')}</b> {report.year or ''}"
    await send_long(context.bot, update.effective_chat.id, f"{head}\n{tables_html(report)}")


async def on_undo(update: Update, context: Context) -> None:
    if not await ensure_admin(update, context, "撤销上传", "undo uploads"):
        return
    query = update.callback_query
    lang = lang_of(update)
    report_id = _report_id(update)
    deleted = await delete_report(session_factory(context), report_id) if report_id is not None else None
    if deleted is None:
        await _gone(update)
        return
    await query.answer(tr(lang, "已撤销", "Undone"))
    if query.message and query.message.reply_markup:
        await query.edit_message_reply_markup(None)
    text = tr(
        lang,
        f"已撤销上传：{esc(deleted.agency)} {deleted.year or ''} 年度报告（编号 {deleted.report_id}）。",
        f"Upload undone: {esc(deleted.agency)} {deleted.year or ''} report (id {deleted.report_id}).",
    )
    if deleted.restored_id:
        text += tr(
            lang,
            f"\n之前上传的版本（编号 {deleted.restored_id}）重新成为当前版本。",
            f"\nThe earlier version (id {deleted.restored_id}) is current again.",
        )
    await context.bot.send_message(update.effective_chat.id, text)


async def stale_button(update: Update, context: Context) -> None:
    """Any button no handler recognises: an old keyboard, or forged data."""
    await update.callback_query.answer(
        tr(
            lang_of(update),
            "这个按钮已失效，请重新操作。",
            "This button is no longer valid; please try again.",
        ),
        show_alert=True,
    )

"""/reports (paginated), /check AGENCY [YEAR], /export [csv|xlsx], /chart METRIC."""

from __future__ import annotations

import re
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest

from bot.auth import is_admin
from bot.context import Context, Lang, lang_of, session_factory, settings_of
from bot.render import ERROR_COLUMNS, clip, esc, keep_typing, pre_table, send_long
from bot.reportview import describe_html, findings_html, local_time, report_keyboard
from core.qa.wording import tr
from core.storage.agencies import resolve_agency
from core.storage.db import parse_id
from core.storage.reports import current_report, list_reports, load_parsed, report_years

PAGE_PREFIX = "rp"
PAGE_SIZE = 10
FAR_OFFSET = 2**31  # offsets asked for beyond this (junk, or forged buttons) are past the end anyway
CAPTION_FIGURES = 700
_YEAR = re.compile(r"(?:^|\s)((?:19|20)\d{2})年?(?:度)?(?=\s|$)")


def _args(update: Update) -> str:
    parts = (update.effective_message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def _year(text: str) -> tuple[str, int | None]:
    """Split a trailing or leading year off the arguments: "定海区 2020" → ("定海区", 2020)."""
    m = _YEAR.search(text)
    if not m:
        return text, None
    return (text[: m.start()] + " " + text[m.end() :]).strip(), int(m.group(1))


# ---------------------------------------------------------------- /reports


async def _page(context: Context, offset: int, lang: Lang) -> tuple[str, InlineKeyboardMarkup | None]:
    sf = session_factory(context)
    rows, total = await list_reports(sf, min(offset, FAR_OFFSET), PAGE_SIZE)
    if total and not rows:  # past the end (/reports 99, an old button): the last page
        offset = (total - 1) // PAGE_SIZE * PAGE_SIZE
        rows, total = await list_reports(sf, offset, PAGE_SIZE)
    if total == 0:
        return tr(
            lang,
            "还没有已存的报告。管理员可以直接发送报告文件上传。",
            "No reports are stored yet. Administrators can send report files to upload them.",
        ), None
    tz = settings_of(context).tz
    table = [
        [
            str(r.id),
            r.short_name,
            str(r.year or "?"),
            f"{r.errors}/{r.warnings}",
            tr(lang, "当前", "current") if r.is_current else tr(lang, "旧版", "old"),
            local_time(r.uploaded_at, tz)[:10],
        ]
        for r in rows
    ]
    header = [tr(lang, "编号", "id"), tr(lang, "单位", "agency"), tr(lang, "年度", "year"),
              tr(lang, "错/警", "err/warn"), tr(lang, "版本", "version"), tr(lang, "上传", "uploaded")]  # fmt: skip
    head = tr(
        lang,
        f"<b>已存报告</b>：共 {total} 份，第 {offset + 1}–{offset + len(rows)} 份",
        f"<b>Stored reports</b>: {total} in all, {offset + 1}–{offset + len(rows)} shown",
    )
    hint = tr(lang, "查看某单位的问题：/check 单位名称", "Findings of an agency: /check AGENCY")
    buttons = []
    if offset > 0:
        buttons.append(
            InlineKeyboardButton(
                tr(lang, "◀ 上一页", "◀ Previous"),
                callback_data=f"{PAGE_PREFIX}:{max(offset - PAGE_SIZE, 0)}",
            )
        )
    if offset + PAGE_SIZE < total:
        buttons.append(
            InlineKeyboardButton(
                tr(lang, "下一页 ▶", "Next ▶"), callback_data=f"{PAGE_PREFIX}:{offset + PAGE_SIZE}"
            )
        )
    return f"{head}\n{pre_table(table, header)}\n{hint}", InlineKeyboardMarkup([buttons]) if buttons else None


async def list_command(update: Update, context: Context) -> None:
    lang = lang_of(update)
    arg = _args(update).lstrip("第").rstrip("页")
    page = parse_id(arg) if arg else 1
    if page is None:
        await update.effective_message.reply_text(
            tr(
                lang,
                "用法：/reports [页码]，例如 /reports 2（每页 10 份）",
                "Usage: /reports [PAGE], e.g. /reports 2 (10 reports per page)",
            )
        )
        return
    text, markup = await _page(context, (page - 1) * PAGE_SIZE, lang)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def on_page(update: Update, context: Context) -> None:
    query = update.callback_query
    offset = int((query.data or "").split(":")[1])
    text, markup = await _page(context, offset, lang_of(update))
    await query.answer()
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # pressed twice: the page is already shown
        if "not modified" not in str(exc).lower():
            raise


# ---------------------------------------------------------------- /check


async def check_command(update: Update, context: Context) -> None:
    message = update.effective_message
    lang = lang_of(update)
    name, year = _year(_args(update))
    if not name:
        await message.reply_text(
            tr(
                lang,
                "用法：/check 单位名称 [年度]，例如 /check 定海区 2020",
                "Usage: /check AGENCY [YEAR], e.g. /check 定海区 2020",
            )
        )
        return
    sf = session_factory(context)
    match = await resolve_agency(sf, name)
    name = clip(name)  # only quoted from here on
    if match.agency is None:
        names = "、".join(f"{a.short_name}（{a.name}）" for a in match.candidates[:8])
        if match.kind == "ambiguous":
            text = tr(
                lang,
                f"“{name}”对应多个单位，请写得更具体：{names}",
                f"'{name}' matches several agencies; please be more specific: {names}",
            )
        elif match.kind == "region":
            text = tr(
                lang,
                f"“{name}”是地区，不是单位。该地区已存的单位：{names}",
                f"'{name}' is a region, not an agency. Agencies stored there: {names}",
            )
        elif names:
            text = tr(
                lang,
                f"没有找到“{name}”。相近的单位：{names}",
                f"No agency named '{name}'. Close names: {names}",
            )
        else:
            text = tr(
                lang,
                f"没有找到“{name}”。发送 /reports 查看已存的报告。",
                f"No agency named '{name}'. Send /reports to see what is stored.",
            )
        await message.reply_text(esc(text))
        return
    agency = match.agency
    assert agency.id is not None
    async with sf() as session:
        row = await current_report(session, agency.id, year)
        if row is None:
            stored = "、".join(map(str, await report_years(session, agency.id))) or tr(lang, "无", "none")
            wanted = tr(lang, f"{year} 年度的", f"a {year}") if year else tr(lang, "已存的", "a stored")
            await message.reply_text(
                esc(
                    tr(
                        lang,
                        f"{agency.name} 没有{wanted}报告（已存年度：{stored}）。",
                        f"{agency.name} has no {wanted} report (stored years: {stored}).",
                    )
                )
            )
            return
        report = await load_parsed(session, row, agency)
    assert row.id is not None
    note = (
        tr(lang, f"（“{name}”按“{agency.name}”理解）\n", f"('{name}' read as {agency.name})\n")
        if match.kind == "fuzzy"
        else ""
    )
    user = update.effective_user
    keyboard = report_keyboard(row.id, lang, undo=is_admin(settings_of(context), user.id if user else None))
    await send_long(
        context.bot,
        message.chat_id,
        f"{esc(note)}{describe_html(report, lang)}\n\n{findings_html(report, lang)}",
        reply_markup=keyboard,
    )


# ---------------------------------------------------------------- /export


async def export_command(update: Update, context: Context) -> None:
    from core.export import FORMATS, export_reports  # openpyxl: loaded when an export is asked for

    message = update.effective_message
    lang = lang_of(update)
    rest, year = _year(_args(update).lower())
    fmt = rest or "csv"
    if fmt not in FORMATS:
        await message.reply_text(
            esc(
                tr(
                    lang,
                    f"不支持的格式“{clip(fmt)}”。用法：/export csv 或 /export xlsx [年度]",
                    f"Unknown format '{clip(fmt)}'. Usage: /export csv or /export xlsx [YEAR]",
                )
            )
        )
        return
    async with keep_typing(context.bot, message.chat_id, ChatAction.UPLOAD_DOCUMENT):
        data = await export_reports(session_factory(context), fmt, year=year, current_only=True)  # type: ignore[arg-type]
    stamp = datetime.now(settings_of(context).tz).strftime("%Y%m%d")
    filename = f"nianbao-{year or 'all'}-{stamp}.{fmt}"
    caption = tr(
        lang,
        "已存报告导出：每份报告一行（当前版本），每个单元格一列。",
        "Stored reports: one row per report (current versions), one column per cell.",
    )
    await message.reply_document(InputFile(data, filename=filename), caption=caption)


# ---------------------------------------------------------------- /chart


async def chart_command(update: Update, context: Context) -> None:
    from core.charts import ChartError, metric_chart  # matplotlib: loaded for the first chart

    message = update.effective_message
    lang = lang_of(update)
    text = _args(update)
    if not text:
        await message.reply_text(
            tr(
                lang,
                "用法：/chart 指标 [单位] [年度]，例如 /chart 收到申请，/chart 定海区 办结",
                "Usage: /chart METRIC [AGENCY] [YEAR], e.g. /chart requests, /chart 定海区 processed",
            )
        )
        return
    async with keep_typing(context.bot, message.chat_id, ChatAction.UPLOAD_PHOTO):
        try:
            chart = await metric_chart(session_factory(context), text, lang)
        except ChartError as exc:
            await message.reply_text(esc(clip(str(exc), ERROR_COLUMNS)))
            return
    sep = tr(lang, "，", ", ")
    figures = sep.join(f"{label} {value:g}" for label, value in zip(chart.labels, chart.values, strict=True))
    if len(figures) > CAPTION_FIGURES:  # captions are limited to 1024 characters
        figures = figures[:CAPTION_FIGURES].rsplit(sep, 1)[0] + "…"
    await message.reply_photo(chart.png, caption=f"<b>{esc(chart.title)}</b>\n{esc(figures)}")

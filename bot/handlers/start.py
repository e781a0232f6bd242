"""/start, /help and unknown commands: what the bot does, with example questions to tap."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.auth import is_admin
from bot.context import Context, Lang, lang_of, settings_of
from bot.render import clip, esc
from core.qa.wording import EXAMPLES_EN, EXAMPLES_ZH

# The Q&A's own examples (core.qa.wording), so the buttons always show questions it answers.
EXAMPLES: dict[Lang, tuple[str, ...]] = {"zh": EXAMPLES_ZH[:6], "en": EXAMPLES_EN}
EXAMPLE_PREFIX = "ex"

_INTRO: dict[Lang, str] = {
    "zh": (
        "您好！我是<b>政府信息公开工作年度报告</b>助手。\n"
        "我读取各单位的年度报告（.docx、.pdf、.txt、.html），逐格核对表格的勾稽关系，"
        "并回答关于报告数据的问题，每个数字都注明出处。\n\n"
        "直接用中文或英文提问即可，例如点击下面的问题试试。"
    ),
    "en": (
        "Hello! I am an assistant for China's <b>government information disclosure annual reports</b> "
        "(政府信息公开工作年度报告).\n"
        "I read agencies' reports (.docx, .pdf, .txt, .html), check every table cell for consistency, and "
        "answer questions about the figures, always citing where each number came from.\n\n"
        "Just ask in English or Chinese — tap one of the questions below to try."
    ),
}
_COMMANDS: dict[Lang, str] = {
    "zh": (
        "<b>命令</b>\n"
        "/reports [页码] — 已存储的报告\n"
        "/check 单位 — 检查某单位报告的问题，如 /check 定海区\n"
        "/export csv 或 /export xlsx — 导出全部数据\n"
        "/chart 指标 — 指标柱状图，如 /chart 收到申请，/chart 定海区 收到申请\n"
        "/draft [单位] [年度] — 预填的年度报告草稿（Word）\n"
        "/compare 单位 2020 2021 — 两个年度的报告对比（Word，加 xlsx 得 Excel）\n"
        "发送报告文件并在说明里写“仅检查” — 检查并与上年比对，不入库\n"
        "/subscribe 单位 — 订阅报告截止日期提醒；/unsubscribe 取消\n"
        "/deadlines — 即将到期的截止日期；/ics — 日历文件"
    ),
    "en": (
        "<b>Commands</b>\n"
        "/reports [PAGE] — stored reports\n"
        "/check AGENCY — problems found in an agency's report, e.g. /check 定海区\n"
        "/export csv or /export xlsx — export all data\n"
        "/chart METRIC — bar chart of a figure, e.g. /chart requests, /chart 定海区 requests\n"
        "/draft [AGENCY] [YEAR] — prefilled report draft (Word)\n"
        "/compare AGENCY 2020 2021 — two years compared (Word; add xlsx for Excel)\n"
        "Send a report with the caption “check” — checked and compared with last year, not stored\n"
        "/subscribe AGENCY — deadline reminders; /unsubscribe to stop\n"
        "/deadlines — upcoming deadlines; /ics — calendar file"
    ),
}
_ROLE: dict[Lang, tuple[str, str]] = {  # (admin, everyone else)
    "zh": (
        "您是管理员：直接发送报告文件即可上传，我会解析、检查并存储。",
        "报告入库需要管理员权限；提问、订阅提醒和检查报告（仅检查，不入库）对所有人开放。",
    ),
    "en": (
        "You are an administrator: send a report file to upload it; I will parse, check and store it.",
        "Storing reports is for administrators; anyone can ask, subscribe to reminders and check a report (not stored).",
    ),
}


def examples_keyboard(lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(q, callback_data=f"{EXAMPLE_PREFIX}:{lang}:{i}")]
            for i, q in enumerate(EXAMPLES[lang])
        ]
    )


def example_question(data: str) -> str | None:
    """The example question behind a button's callback data, or None if the data is not one of ours."""
    _, lang, index = (data.split(":") + ["", ""])[:3]
    questions = EXAMPLES.get(lang)  # type: ignore[call-overload]
    if questions is None or not (index.isascii() and index.isdigit()) or int(index) >= len(questions):
        return None
    return questions[int(index)]


def _role_line(update: Update, context: Context, lang: Lang) -> str:
    user = update.effective_user
    admin, other = _ROLE[lang]
    return admin if is_admin(settings_of(context), user.id if user else None) else other


async def start(update: Update, context: Context) -> None:
    lang = lang_of(update)
    text = f"{_INTRO[lang]}\n\n{_role_line(update, context, lang)}\n/help"
    await update.effective_message.reply_text(text, reply_markup=examples_keyboard(lang))


async def help_command(update: Update, context: Context) -> None:
    lang = lang_of(update)
    text = f"{_INTRO[lang]}\n\n{_COMMANDS[lang]}\n\n{_role_line(update, context, lang)}"
    await update.effective_message.reply_text(text, reply_markup=examples_keyboard(lang))


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    head = (message.text or "").split(maxsplit=1)[0]
    _, _, addressee = head.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # a command for another bot in the same group
    command = esc(clip(head))
    if lang_of(update) == "en":
        await message.reply_text(f"Unknown command {command}. Send /help to see what I can do.")
    else:
        await message.reply_text(f"未知命令 {command}。发送 /help 查看可用的命令。")

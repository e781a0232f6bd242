"""Handler-level behaviour: refusals decided before any download, answer rendering, updates fed straight
into ``Application.process_update``, retries of 429s, and token redaction in logs (webhook mode: test_bot_webhook)."""

from __future__ import annotations

import logging

import pytest
from bot_support import GROUP, USER, bot_harness
from telegram import Document, Update

from bot.__main__ import RedactToken, database_label
from bot.handlers.ask import answer_html
from bot.handlers.upload import refusal
from core.qa.answer import Answer
from core.settings import Settings

MB = 1024 * 1024


def _doc(name: str, size: int | None = 1000, mime: str | None = None) -> Document:
    return Document("id", "uid", file_name=name, file_size=size, mime_type=mime)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (_doc("报告.docx"), None),
        (_doc("REPORT.PDF"), None),
        (_doc("page.htm"), None),
        (_doc("noext", mime="text/plain"), None),
        (_doc("noext", mime="image/jpeg"), "image/jpeg"),
        (_doc("a.zip"), "不支持的文件类型（.zip）"),
        (_doc("a.pdf", 21 * MB), "Telegram 只允许机器人下载 20 MB"),
        (_doc("a.pdf", 0), "文件是空的"),
        (_doc("a.pdf", None), None),  # size unknown: let the download decide
    ],
)
def test_refusal_before_download(document, expected):
    reason = refusal(document, Settings(_env_file=None), "zh")
    assert reason == expected or (expected is not None and reason is not None and expected in reason)


def test_refusal_respects_a_lower_configured_limit():
    reason = refusal(_doc("a.pdf", 6 * MB), Settings(_env_file=None, max_file_mb=5), "en")
    assert reason is not None and "up to 5 MB" in reason


def test_answer_sources_fold_into_an_expandable_quote_and_everything_is_escaped():
    result = Answer("定海区 <收到> 34 件。\n说明：a & b\n来源：\n· 表三 「本年新收」：“34”")
    html = answer_html(result)
    assert html.startswith("定海区 &lt;收到&gt; 34 件。\n说明：a &amp; b\n<blockquote expandable>来源：")
    assert html.endswith("</blockquote>")
    assert answer_html(Answer("没有看懂 <x>")) == "没有看懂 &lt;x&gt;"


def test_token_is_redacted_from_log_lines(caplog):
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", ("https://x/bot123:SECRET/getMe",), None
    )
    assert RedactToken("123:SECRET").filter(record)
    assert record.getMessage() == "POST https://x/bot<token>/getMe"
    assert database_label("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"


async def test_updates_fed_to_process_update(sf):
    async with bot_harness(sf) as bot:
        app, emu = bot.app, bot.emu
        document = {
            "update_id": 900,
            "message": {
                "message_id": 1, "date": 0, "chat": {"id": GROUP, "type": "supergroup", "title": "g"},
                "from": {"id": USER, "is_bot": False, "first_name": "u"},
                "document": {"file_id": "f", "file_unique_id": "u", "file_name": "x.pdf", "file_size": 10},
            },
        }  # fmt: skip
        await app.process_update(Update.de_json(document, app.bot))
        assert emu.chat_outputs(GROUP) == []  # a file shared in a group, not addressed to the bot
        forged = {
            "update_id": 901,
            "callback_query": {
                "id": "q1", "chat_instance": "c", "data": "tbl:not-a-number",
                "from": {"id": USER, "is_bot": False, "first_name": "u"},
                "message": {"message_id": 5, "date": 0, "chat": {"id": USER, "type": "private", "first_name": "u"}},
            },
        }  # fmt: skip
        emu.pending_callbacks.add("q1")
        await app.process_update(Update.de_json(forged, app.bot))
        assert emu.callback_answers["q1"]["show_alert"] and "失效" in emu.callback_answers["q1"]["text"]


async def test_too_many_requests_is_retried_after_retry_after(sf):
    async with bot_harness(sf) as bot:
        bot.emu.fail_next("sendMessage", "429", retry_after=1)
        (reply,) = await bot.say(USER, "/help")
    assert "/check" in reply.text
    assert [c.fault for c in bot.emu.calls_of("sendMessage")] == ["429", None]



"""Hostile chat input (issue #8): very long messages, markup injection, commands with missing or wrong
arguments. Everything runs through the production Application against the Bot API emulator, which rejects
malformed HTML and over-long messages as Telegram does: a reply that arrives is valid for Telegram, and
markup that shows up literally in what the user sees was escaped."""

from __future__ import annotations

import pytest
from bot_support import ADMIN, USER, Harness, bot_harness
from builders import build_docx, consistent_values
from conftest import seed
from qa_support import Spec, store

from bot.emulator import Output
from bot.render import units

# Text that would be markup if it were not escaped: unsupported tags (Telegram refuses the message),
# supported ones (they would silently vanish into formatting) and a bare ampersand.
EVIL_AGENCY = "舟山市定海区<b>粗</b>&amp;<script>x</script>卫生健康局"
EVIL_SHORT = "定海区<b>粗</b>&amp;<script>x</script>卫生健康局"
EVIL_PROSE = "问题</pre><pre>x<a href='https://evil.example'>点我</a> & <i>"
EVIL_CELL = "<b>12</b>&"
GENERIC_ERROR = "出错了"


@pytest.fixture
async def bot(sf):
    async with bot_harness(sf) as harness:
        yield harness


def shown(outputs: list[Output]) -> str:
    return "\n".join(o.text for o in outputs)


def assert_answered(outputs: list[Output]) -> None:
    """At least one reply, none of them the generic 'something went wrong', all within Telegram's limit."""
    assert outputs, "the bot stayed silent"
    assert GENERIC_ERROR not in shown(outputs)
    assert all(units(o.text) <= 4096 for o in outputs)


# ---------------------------------------------------------------- long messages


async def test_a_full_length_message_is_answered(seeded_sf):
    question = ("定海区收到多少申请" + "。" * 50) * 70
    question = question[:4096]
    async with bot_harness(seeded_sf) as bot:
        outputs = await bot.say(USER, question)
        assert_answered(outputs)
        assert "34" in shown(outputs)
        (reply,) = await bot.say(USER, "啊" * 4096)  # nothing to understand: a hint, not silence
    assert_answered([reply])


async def test_a_hundred_thousand_characters_neither_crash_nor_silence_the_bot(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        outputs = await bot.say(USER, "<b>" + "定海区收到多少申请 & " * 7000)
        assert_answered(outputs)
        outputs = await bot.say(USER, "/check " + "定海区" * 30_000)
        assert_answered(outputs)
        (after,) = await bot.say(USER, "/help")  # and the next update is handled as usual
    assert "/check" in after.text


async def test_a_reply_quoting_a_very_long_argument_still_fits_one_message(seeded_sf):
    long = "局" * 4080
    async with bot_harness(seeded_sf) as bot:
        await bot.say(USER, "/subscribe 定海区")
        for command in [
            "/check",
            "/subscribe",
            "/unsubscribe",
            "/export",
            "/chart",
            "/deadlines",
            "/reports",
        ]:
            outputs = await bot.say(USER, f"{command} {long}")
            assert_answered(outputs)
            assert len(outputs) == 1, command
        for command in ["/deadline add custom 2-20", "/deadline add 乡镇 2-20 2020 '", "/deadline del"]:
            outputs = await bot.say(ADMIN, f"{command} {long}")
            assert_answered(outputs)
        (reply,) = await bot.say(USER, "/x" + "x" * 4000)
        assert reply.text.startswith("未知命令 /xxx") and "…" in reply.text


# ---------------------------------------------------------------- markup injection


async def test_markup_in_questions_and_command_arguments_is_echoed_literally(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        for text, echoed in [
            ("/check <b>无此单位</b>", "<b>无此单位</b>"),
            ("/check <script>x</script> & 2020", "<script>x</script> &"),
            ("/subscribe <a href='x'>局</a>", "<a href='x'>局</a>"),
            ("/unknown<b>", "/unknown<b>"),
            ("/export <pre>", "<pre>"),
        ]:
            outputs = await bot.say(USER, text)
            assert_answered(outputs)
            assert echoed in shown(outputs), text
        for question in ["<b>定海区</b>收到多少申请", "定海区 & <pre>收到多少申请</pre>", "</pre>&lt;"]:
            assert_answered(await bot.say(USER, question))


async def test_markup_in_an_uploaded_report_is_escaped_wherever_it_is_shown(bot: Harness):
    values = consistent_values("2019", seed=3) | {"apply.new.total": EVIL_CELL}
    data = build_docx(values, "2019", agency=EVIL_AGENCY, prose={"五": EVIL_PROSE})
    ack, summary = await bot.upload(ADMIN, "<i>报告</i>&.docx", data)
    assert "<i>报告</i>&.docx" in ack.text
    assert EVIL_AGENCY in summary.text and EVIL_CELL in summary.text  # agency and the unreadable cell

    outputs, _ = await bot.press(summary, "查看全部问题")
    assert_answered(outputs)
    assert EVIL_AGENCY in shown(outputs) and EVIL_CELL in shown(outputs)
    outputs, _ = await bot.press(summary, "查看表格")
    assert_answered(outputs)
    assert EVIL_CELL in shown(outputs) and "<pre>" not in shown(outputs)

    outputs = await bot.say(USER, "/reports")
    assert_answered(outputs)
    assert "定海区<b>粗" in shown(outputs)  # the short name, cut to the table's width
    outputs = await bot.say(USER, f"/check {EVIL_SHORT}")
    assert_answered(outputs)
    assert EVIL_AGENCY in shown(outputs)
    outputs = await bot.say(USER, f"{EVIL_SHORT}收到多少申请")
    assert_answered(outputs)
    assert EVIL_SHORT in shown(outputs)
    outputs = await bot.say(USER, f"{EVIL_SHORT}的报告有问题吗")
    assert_answered(outputs)
    assert EVIL_CELL in shown(outputs)
    outputs = await bot.say(USER, "有哪些单位")
    assert_answered(outputs)
    assert EVIL_SHORT in shown(outputs)
    outputs = await bot.say(USER, f"/subscribe {EVIL_SHORT}")
    assert_answered(outputs)
    assert EVIL_AGENCY in shown(outputs)
    outputs = await bot.say(USER, "/deadlines")
    assert_answered(outputs)
    assert EVIL_AGENCY in shown(outputs)
    outputs = await bot.say(USER, "/chart 收到申请")
    assert_answered(outputs)

    (again,) = (await bot.upload(ADMIN, "<i>报告</i>&.docx", data))[1:]
    assert "已存在" in again.text and EVIL_AGENCY in again.text
    outputs, _ = await bot.press(summary, "撤销上传", user=ADMIN)
    assert_answered(outputs)
    assert EVIL_AGENCY in shown(outputs)


async def test_an_unreadable_file_with_markup_in_its_name_gets_an_escaped_error(bot: Harness):
    ack, reply = await bot.upload(ADMIN, "<b>坏</b>&.docx", b"PK\x03\x04 <b>not a zip</b>")
    assert "<b>坏</b>&.docx" in ack.text
    assert reply.text.startswith("❌ 无法读取 <b>坏</b>&.docx")
    (reply,) = await bot.upload(ADMIN, "<script>.exe", b"MZ")
    assert "<script>" not in reply.html and "不支持的文件类型" in reply.text


# ---------------------------------------------------------------- missing or wrong arguments

USAGE_CASES = [
    ("/check", "用法：/check"),
    ("/check 2020", "用法：/check"),
    ("/check 不存在的单位 1999", "没有找到"),
    ("/chart", "用法：/chart"),
    ("/chart ！！！", "没有识别出指标"),
    ("/export pdf", "不支持的格式"),
    ("/export csv xlsx", "不支持的格式"),
    ("/subscribe", "用法：/subscribe"),
    ("/subscribe 定海区 0,99999", "提醒天数须在"),
    ("/subscribe 不存在的单位", "找不到单位"),
    ("/unsubscribe 定海区", "没有订阅"),
    ("/snooze 3", "无需推迟"),
    ("/deadlines 99999", "用法：/deadlines [年度]"),
    ("/deadlines 明年", "用法：/deadlines [年度]"),
    ("/deadlines 2020年度", "本聊天还没有订阅"),
    ("/deadline", "/deadline add"),
    ("/deadline frobnicate", "/deadline add"),
    ("/reports abc", "用法：/reports"),
    ("/reports 0", "用法：/reports"),
    ("/reports -1", "用法：/reports"),
    ("/reports ²", "用法：/reports"),
    ("/deadlines ²⁰²⁰", "用法：/deadlines [年度]"),
]
ADMIN_USAGE_CASES = [
    ("/deadline add", "请指明适用层级"),
    ("/deadline add 乡镇", "请写明截止日期"),
    ("/deadline add 乡镇 2月30日", "2月"),
    ("/deadline add 乡镇 13月1日", "13"),
    ("/deadline add 乡镇 0-0", "0"),
    ("/deadline add 火星 2月1日", "请指明适用层级"),
    ("/deadline add custom 2-20", "单位名称"),
    ("/deadline add custom 2-20 不存在的单位", "无法确定单位"),
    ("/deadline del", "没有本地规则"),
    ("/deadline del abc", "没有本地规则"),
    ("/deadline del ²", "没有本地规则"),
    ("/deadline del 99999999999999999999999", "没有本地规则"),
    ("/status 99999", "用法：/status [年度]"),
    ("/status 2020年度", "2020年度报告报送情况"),
]


async def test_commands_with_missing_or_wrong_arguments_get_a_helpful_reply(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        for command, expected in USAGE_CASES:
            outputs = await bot.say(USER, command)
            assert_answered(outputs)
            assert expected in shown(outputs), (command, shown(outputs))
        for command, expected in ADMIN_USAGE_CASES:
            outputs = await bot.say(ADMIN, command)
            assert_answered(outputs)
            assert expected in shown(outputs), (command, shown(outputs))


async def test_report_pages_beyond_the_end_show_the_last_page(sf):
    await store(sf, [Spec(f"测试市第{i}局", f"第{i}局", "测试市", 2020, seed=i) for i in range(12)])
    async with bot_harness(sf) as bot:
        (page,) = await bot.say(USER, "/reports 2")
        assert "第 11–12 份" in page.text
        (page,) = await bot.say(USER, "/reports 99")
        assert "第 11–12 份" in page.text
        (first,) = await bot.say(USER, "/reports")
        (edited,), _ = await bot.callback(USER, first.message_id, "rp:999999999999999999999999")
        assert edited.kind == "edit" and "第 11–12 份" in edited.text


async def test_a_command_in_a_file_caption_is_not_obeyed(bot: Harness):
    data = seed("003").read_bytes()
    ack, summary = await bot.upload(ADMIN, seed("003").name, data, caption="/deadline del 1 <b>")
    assert ack.text.startswith("正在解析") and "已入库" in summary.text

"""End to end: the production Application over real long polling against the Bot API emulator.

Every request is PTB's own (form and multipart encoding, file downloads over HTTP); the emulator rejects
malformed HTML, over-long messages and over-long callback data as Telegram does, so these tests also
prove every reply is valid for Telegram.
"""

from __future__ import annotations

import csv
import io

import pytest
from bot_support import ADMIN, GROUP, USER, Harness, bot_harness
from builders import build_docx, consistent_values
from conftest import seed
from openpyxl import load_workbook
from qa_support import Spec, store

from bot.render import units
from core.storage.reports import list_reports
from core.templates.national import APPLY_2019


@pytest.fixture
async def bot(sf):
    async with bot_harness(sf) as harness:
        yield harness


def texts(outputs) -> str:
    return "\n".join(o.text for o in outputs)


# ---------------------------------------------------------------- start, help, commands


async def test_start_in_chinese_and_english_with_example_buttons(bot: Harness):
    (reply,) = await bot.say(USER, "/start")
    assert "年度报告" in reply.text and "报告入库需要管理员权限" in reply.text
    assert reply.buttons and all(b["callback_data"].startswith("ex:zh:") for b in reply.buttons)
    (reply,) = await bot.say(USER, "/help", language_code="en")
    assert "annual reports" in reply.text and "/check AGENCY" in reply.text
    assert "receive" in reply.buttons[0]["text"]
    (reply,) = await bot.say(ADMIN, "/help")
    assert "您是管理员" in reply.text


async def test_commands_are_registered_in_both_languages(bot: Harness):
    zh = bot.emu.commands[("default", "")]
    en = bot.emu.commands[("default", "en")]
    assert [c["command"] for c in zh] == [c["command"] for c in en]
    assert {"start", "help", "reports", "check", "export", "chart", "subscribe"} <= {c["command"] for c in zh}
    assert "单位" in next(c["description"] for c in zh if c["command"] == "check")


async def test_unknown_command_gets_a_hint(bot: Harness):
    (reply,) = await bot.say(USER, "/frobnicate <b>")
    assert "未知命令 /frobnicate" in reply.text and "/help" in reply.text


# ---------------------------------------------------------------- uploads


async def test_upload_seed_text_replies_with_summary(bot: Harness):
    outputs = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
    ack, summary = outputs
    assert ack.text.startswith("正在解析") and seed("003").name in ack.text
    assert any(c.params.get("action") == "typing" for c in bot.emu.calls_of("sendChatAction"))
    assert "已入库" in summary.text and "定海区" in summary.text
    assert "年度：2020" in summary.text and "2019年版" in summary.text
    assert "收到申请 34" in summary.text  # seed 003 received 34 requests
    assert "检查结果" in summary.text
    assert [b["text"] for b in summary.buttons] == ["查看全部问题", "查看表格", "撤销上传"]
    assert [c.method for c in bot.emu.calls if c.method in ("getFile",)] == ["getFile"]


async def test_upload_generated_docx_shows_its_figures(bot: Harness):
    values = consistent_values("2021", seed=7)
    data = build_docx(values, "2021", agency="舟山市普陀区人民政府", year=2021)
    *_, summary = await bot.upload(ADMIN, "普陀区2021.docx", data)
    assert "已入库" in summary.text and "普陀区" in summary.text and "2021年版" in summary.text
    assert f"收到申请 {values['apply.new.total']:,}" in summary.text
    assert f"办结 {values['apply.total.total']:,}" in summary.text
    assert "未发现错误" in summary.text  # consistent figures break no identity
    # 查看表格 shows the stored tables, as printed, in <pre>.
    outputs, answer = await bot.press(summary, "查看表格")
    assert answer == {"callback_query_id": answer["callback_query_id"]}  # acknowledged, no alert
    shown = texts(outputs)
    assert "表三" in shown and str(values["apply.new.natural_person"]) in shown
    assert all("<pre>" in o.html for o in outputs)


async def test_duplicate_upload_is_recognised(bot: Harness):
    data = seed("001").read_bytes()
    await bot.upload(ADMIN, "a.txt", data)
    *_, reply = await bot.upload(ADMIN, "same-again.txt", data)
    assert "该报告已存在，上传于" in reply.text and "未重复入库" in reply.text
    assert "撤销上传" not in [b["text"] for b in reply.buttons]  # undoing would delete the original
    rows, total = await list_reports(bot.app.bot_data["sf"])
    assert total == 1


async def test_too_large_file_is_refused_without_downloading(bot: Harness):
    (reply,) = await bot.upload(ADMIN, "huge.pdf", b"%PDF-1.4", file_size=25 * 1024 * 1024)
    assert "文件太大（25.0 MB）" in reply.text and "20 MB" in reply.text
    assert bot.emu.calls_of("getFile") == []


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("setup.exe", b"MZ\x90\x00", "不支持的文件类型（.exe）"),
        ("slides.ppt", b"\xd0\xcf\x11\xe0", "不支持的文件类型（.ppt）"),
        ("slides.pptx", b"PK\x03\x04", "不支持的文件类型（.pptx）"),
    ],
)
async def test_unsupported_file_types_are_refused(bot: Harness, filename, data, expected):
    (reply,) = await bot.upload(ADMIN, filename, data)
    assert expected in reply.text
    assert bot.emu.calls_of("getFile") == []


async def test_unreadable_file_gets_the_reason(bot: Harness):
    ack, reply = await bot.upload(ADMIN, "broken.docx", b"PK\x03\x04 not really a zip")
    assert ack.text.startswith("正在解析")
    assert reply.text.startswith("❌ 无法读取 broken.docx") and "损坏" in reply.text


async def test_non_admin_upload_is_not_stored_but_offered_the_check(bot: Harness):
    (reply,) = await bot.upload(USER, seed("003").name, seed("003").read_bytes())
    assert "只有管理员可以将报告入库" in reply.text and "仅检查" in reply.text
    assert [b["text"] for b in reply.buttons] == ["仅检查，不入库"]
    (reply,) = await bot.upload(USER, "x.pdf", b"%PDF", language_code="en")
    assert "Only administrators can store reports" in reply.text
    assert bot.emu.calls_of("getFile") == []  # nothing downloaded until the check is asked for
    (reply,) = await bot.upload(USER, "setup.exe", b"MZ")
    assert "不支持的文件类型（.exe）" in reply.text and not reply.buttons


async def test_undo_by_admin_and_forged_undo_refused(bot: Harness):
    *_, summary = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
    sf = bot.app.bot_data["sf"]
    (row,), _ = await list_reports(sf)
    # Another user in the chat presses the button: refused, nothing deleted.
    outputs, answer = await bot.press(summary, "撤销上传", user=USER)
    assert outputs == [] and answer["show_alert"] and "只有管理员可以撤销上传" in answer["text"]
    assert (await list_reports(sf))[1] == 1
    # Forged data naming a report that does not exist: refused.
    outputs, answer = await bot.callback(ADMIN, summary.message_id, "undo:999999")
    assert answer["show_alert"] and "不存在" in answer["text"]
    outputs, answer = await bot.callback(ADMIN, summary.message_id, "undo:abc")
    assert answer["show_alert"] and "失效" in answer["text"]
    # The admin undoes the upload.
    outputs, answer = await bot.press(summary, "撤销上传", user=ADMIN)
    assert answer["text"] == "已撤销"
    edited, done = outputs
    assert edited.kind == "edit" and edited.buttons == []
    assert "已撤销上传" in done.text and f"编号 {row.id}" in done.text
    assert (await list_reports(sf))[1] == 0
    # The buttons of the deleted report now say so.
    outputs, answer = await bot.press(summary, "查看全部问题")
    assert answer["show_alert"] and "已不存在" in answer["text"]


async def test_unexpected_failure_is_reported_not_silent(bot: Harness, monkeypatch):
    async def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bot.handlers.upload.store_or_ask", boom)
    ack, reply = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
    assert ack.text.startswith("正在解析")
    assert "出错了" in reply.text and "disk on fire" not in reply.text


# ---------------------------------------------------------------- questions


async def test_question_is_answered_with_sources(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        (reply,) = await bot.say(USER, "定海区收到多少申请")
    assert "34" in reply.text and "来源" in reply.text
    assert "<blockquote expandable>" in reply.html  # sources folded under the answer


async def test_clarification_button_answers_the_original_question(sf):
    await store(
        sf,
        [
            Spec(
                "宁波市鄞州区人民政府白鹤街道办事处",
                "白鹤街道",
                "宁波市鄞州区",
                2020,
                values={"apply.new.total": 11},
            ),
            Spec(
                "宁波市海曙区人民政府白鹤街道办事处",
                "白鹤街道",
                "宁波市海曙区",
                2020,
                seed=1,
                values={"apply.new.total": 22},
            ),
        ],
    )
    async with bot_harness(sf) as bot:
        (pick,) = await bot.say(USER, "白鹤街道收到多少申请")
        assert "请选择" in pick.text and len(pick.buttons) == 2
        assert all(len(b["callback_data"].encode()) <= 64 for b in pick.buttons)
        outputs, answer = await bot.press(pick, "海曙区")
        assert not answer.get("show_alert")
        edited, reply = outputs
        assert edited.kind == "edit" and "海曙区" in edited.text and edited.buttons == []
        assert "：22 件" in reply.text and "11 件" not in reply.text  # 海曙区's figure, not 鄞州区's
        # A forged choice id is refused politely.
        _, answer = await bot.callback(USER, pick.message_id, "q:nosuchkey:0")
        assert answer["show_alert"] and "过期" in answer["text"]


async def test_example_button_asks_the_example(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        (start,) = await bot.say(USER, "/start")
        outputs, _ = await bot.press(start, "定海区收到多少申请")
    echo, reply = outputs
    assert echo.text == "❓ 定海区收到多少申请" and "34" in reply.text


async def test_groups_answer_mentions_and_commands_only(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        assert await bot.say(GROUP, "定海区收到多少申请", user=USER) == []
        (reply,) = await bot.say(GROUP, "@nianbao_bot 定海区收到多少申请", user=USER)
        assert "34" in reply.text
        (reply,) = await bot.say(GROUP, "/help@nianbao_bot", user=USER)
        assert "/check" in reply.text
        (answer,) = await bot.say(
            GROUP, "定海区收到多少申请", user=USER, reply_to_message_id=reply.message_id
        )
        assert "34" in answer.text  # a reply to the bot is addressed to it
        assert await bot.say(GROUP, "/help@other_bot", user=USER) == []


async def test_allow_list_refuses_other_chats_politely(seeded_sf):
    async with bot_harness(seeded_sf, allowed_chat_ids=[USER]) as bot:
        (reply,) = await bot.say(USER, "定海区收到多少申请")
        assert "34" in reply.text
        (reply,) = await bot.say(4242, "定海区收到多少申请")
        assert "不在允许名单中" in reply.text and "4242" in reply.text
        (reply,) = await bot.say(ADMIN, "/reports")  # admins pass everywhere
        assert "已存报告" in reply.text


# ---------------------------------------------------------------- long replies, reports, check, export, chart


async def test_reply_longer_than_a_message_is_split_on_lines(sf):
    # Every row of table 三 miscounted in two columns: dozens of broken identities, each with its cells.
    broken = {
        f"apply.{row.key}.{col}": 999
        for row in APPLY_2019.rows
        if not row.sum_of
        for col in ("natural_person", "commercial")
    }
    await store(sf, [Spec("舟山市定海区人民政府", "定海区", "浙江省舟山市定海区", 2020, values=broken)])
    async with bot_harness(sf) as bot:
        outputs = await bot.say(USER, "/check 定海区")
    assert len(outputs) >= 2
    assert sum(units(o.text) for o in outputs) > 4096
    assert all(units(o.html) <= 4096 for o in outputs)
    # Split between lines: every message starts where a line of the full text starts.
    full = "\n".join(o.text for o in outputs)
    assert "错误" in full and full.count("单元格") >= 8
    for o in outputs[1:]:
        assert o.text.split("\n")[0] in full.split("\n")
    assert outputs[-1].buttons  # the keyboard sits under the last part


async def test_reports_are_paginated_with_buttons(sf):
    await store(sf, [Spec(f"测试市第{i}局", f"第{i}局", "测试市", 2020, seed=i) for i in range(12)])
    async with bot_harness(sf) as bot:
        (page,) = await bot.say(USER, "/reports")
        assert "共 12 份" in page.text and "第 1–10 份" in page.text
        assert [b["text"] for b in page.buttons] == ["下一页 ▶"]
        outputs, _ = await bot.press(page, "下一页")
        (edited,) = outputs
        assert edited.kind == "edit" and "第 11–12 份" in edited.text
        assert [b["text"] for b in edited.buttons] == ["◀ 上一页"]


async def test_check_agency_lists_findings_with_cells(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        (reply,) = await bot.say(USER, "/check 瞻岐镇")
        assert "瞻岐镇" in reply.text and "检查结果" in reply.text and "错误" in reply.text
        assert "撤销上传" not in [b["text"] for b in reply.buttons]
        (reply,) = await bot.say(USER, "/check 不存在的单位")
        assert "没有找到" in reply.text
        (reply,) = await bot.say(USER, "/check")
        assert "用法" in reply.text


async def test_export_sends_csv_and_xlsx(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        (doc,) = await bot.say(USER, "/export")
        assert doc.kind == "document" and doc.filename.endswith(".csv")
        rows = list(csv.DictReader(io.StringIO(doc.data.decode("utf-8-sig"))))
        assert len(rows) == 5 and {"定海区", "瞻岐镇"} <= {r["short_name"] for r in rows}
        (doc,) = await bot.say(USER, "/export xlsx")
        sheet = load_workbook(io.BytesIO(doc.data)).active
        assert sheet.max_row == 6
        (reply,) = await bot.say(USER, "/export pdf")
        assert "不支持的格式" in reply.text


async def test_chart_sends_a_png(seeded_sf):
    async with bot_harness(seeded_sf) as bot:
        (photo,) = await bot.say(USER, "/chart 收到申请")
        assert photo.kind == "photo" and photo.data.startswith(b"\x89PNG")
        assert photo.message["photo"][0]["width"] > 0
        assert "定海区 34" in photo.text
        (photo,) = await bot.say(USER, "/chart 定海区 收到申请")
        assert photo.kind == "photo" and "2020 34" in photo.text
        (reply,) = await bot.say(USER, "/chart 天气")
        assert "没有识别出指标" in reply.text

"""End to end through the Bot API emulator: reminder → draft button → Word file; a report uploaded to be
checked only → findings and nothing stored; /compare → the comparison file; /draft without an agency."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from bot_support import ADMIN, USER, Harness, bot_harness
from builders import build_docx, consistent_values
from deadlines_support import at
from documents_support import AGENCY, fill_draft, store_2020, values_2021
from openpyxl import load_workbook

from core.pipeline import read_report
from core.storage.reports import list_reports


@pytest.fixture
async def bot(sf):
    async with bot_harness(sf, nianbao_now=at(2021, 12, 1, 10)) as harness:
        yield harness


async def _sweep(bot: Harness, moment) -> None:
    bot.settings.nianbao_now = moment
    [job] = bot.app.job_queue.get_jobs_by_name("deadline-sweep")  # type: ignore[union-attr]
    await job.run(bot.app)


async def _stored(bot: Harness) -> int:
    return (await list_reports(bot.app.bot_data["sf"]))[1]


async def test_reminder_button_sends_the_prefilled_draft_which_checks_clean(bot: Harness):
    previous = await store_2020(bot.app.bot_data["sf"])
    (reply,) = await bot.say(USER, "/subscribe 定海区卫生健康局")
    assert "已订阅" in reply.text or "订阅" in reply.text
    await _sweep(bot, at(2022, 1, 1, 9))
    [reminder] = bot.emu.take(USER)
    assert "2021年度" in reminder.text and "还有30天" in reminder.text
    assert [b["text"] for b in reminder.buttons][-1] == "📝 2021年度报告草稿"

    outputs, answer = await bot.press(reminder, "报告草稿")
    assert not answer.get("show_alert")
    (document,) = [o for o in outputs if o.kind == "document"]
    assert document.filename == "定海区卫生健康局2021年度报告草稿.docx"
    assert "已按 2020 年度报告填入" in document.text and "2022年1月31日" in document.text
    report = read_report(document.data, document.filename)
    assert (report.year, report.template) == (2021, "2021")
    assert report.value("apply.carried_over.total") == previous["apply.carried_forward.total"]

    # The agency fills it in and sends it back to be checked only: findings, nothing stored.
    filled = fill_draft(document.data, values_2021(previous), published_on=date(2022, 1, 5))
    before = await _stored(bot)
    ack, result = await bot.upload(USER, "定海区卫健局2021.docx", filled, caption="仅检查")
    assert "正在检查" in ack.text and "不入库" in ack.text
    assert "仅检查，未入库" in result.text and "已与 2020 年度报告比对" in result.text
    assert "检查结果" in result.text and "未发现错误" in result.text
    assert "须于2022年1月31日前公布，还有 30 天" in result.text
    assert await _stored(bot) == before


async def test_a_non_admin_upload_is_offered_the_check_and_an_admin_caption_checks_at_once(bot: Harness):
    await store_2020(bot.app.bot_data["sf"])
    data = build_docx(consistent_values("2021", seed=3), "2021", agency=AGENCY, year=2021)
    (offer,) = await bot.upload(USER, "r.docx", data)
    assert "只有管理员可以将报告入库" in offer.text and bot.emu.calls_of("getFile") == []
    outputs, answer = await bot.press(offer, "仅检查，不入库")
    edited, ack, result = outputs
    assert edited.kind == "edit" and edited.buttons == []
    assert "仅检查，未入库" in result.text and "crossyear.carried_over" in result.html  # 上年结转 ≠ 2020's
    # The same button again: the file was taken, the button says so.
    _, answer = await bot.callback(USER, offer.message_id, offer.buttons[0]["callback_data"])
    assert answer["show_alert"] and "过期" in answer["text"]
    # An admin's file with the caption is checked, not stored.
    ack, result = await bot.upload(ADMIN, "r.docx", data, caption="check")
    assert "仅检查，未入库" in result.text and await _stored(bot) == 1


async def test_an_admins_report_due_later_is_stored_or_checked_as_the_admin_chooses(bot: Harness):
    """The clock stands before the 2021 reports' deadline: an uploaded 2021 report may be a draft."""
    await store_2020(bot.app.bot_data["sf"])
    data = build_docx(consistent_values("2021", seed=3), "2021", agency=AGENCY, year=2021)
    ack, choice = await bot.upload(ADMIN, "r.docx", data)
    assert "正在解析" in ack.text and "公布期限 2022年1月31日还没到" in choice.text
    assert [b["text"] for b in choice.buttons] == ["入库（已公开）", "仅检查，不入库"]
    assert await _stored(bot) == 1
    outputs, _ = await bot.press(choice, "仅检查")
    assert "仅检查，未入库" in outputs[-1].text and await _stored(bot) == 1
    _, answer = await bot.press(choice, "入库")  # the file was taken by the first choice
    assert answer["show_alert"] and "过期" in answer["text"] and await _stored(bot) == 1
    # Again, and this time it is the published report.
    _, choice = await bot.upload(ADMIN, "r.docx", data)
    outputs, _ = await bot.press(choice, "入库")
    assert "已入库" in outputs[-1].text and await _stored(bot) == 2
    # The caption 入库 stores a report at once; a report whose deadline has passed is stored without asking.
    other = build_docx(consistent_values("2021", seed=4), "2021", agency="舟山市定海区民政局", year=2021)
    *_, stored = await bot.upload(ADMIN, "m.docx", other, caption="入库")
    assert "已入库" in stored.text and await _stored(bot) == 3
    *_, stored = await bot.upload(ADMIN, "old.docx", build_docx(consistent_values("2019", seed=5), "2019",
                                                                 agency="舟山市定海区财政局", year=2020))
    assert "已入库" in stored.text and await _stored(bot) == 4


async def test_compare_sends_word_and_excel(bot: Harness):
    sf = bot.app.bot_data["sf"]
    await store_2020(sf)
    from core.storage.ingest import ingest_bytes

    values = consistent_values("2021", seed=2)
    await ingest_bytes(sf, build_docx(values, "2021", agency=AGENCY, year=2021), "2021.docx")
    (doc,) = await bot.say(USER, "/compare 定海区卫生健康局 2020 2021")
    assert doc.kind == "document" and doc.filename.endswith(".docx")
    assert "收到申请" in doc.text and f"→ {values['apply.new.total']}" in doc.text
    tables = docx.Document(io.BytesIO(doc.data)).tables
    assert any(t.rows[0].cells[2].text == "2020年" for t in tables)
    (doc,) = await bot.say(USER, "/compare 定海区卫生健康局 2020 2021 xlsx")
    assert doc.filename.endswith(".xlsx") and "数字对比" in load_workbook(io.BytesIO(doc.data)).sheetnames
    (reply,) = await bot.say(USER, "/compare 定海区卫生健康局 2019 2021")
    assert "没有 2019 年度的报告" in reply.text
    (reply,) = await bot.say(USER, "/compare")
    assert "用法" in reply.text


async def test_draft_command_with_and_without_an_agency(bot: Harness):
    await store_2020(bot.app.bot_data["sf"])
    (reply,) = await bot.say(USER, "/draft")
    assert "用法" in reply.text  # nothing subscribed, no agency named
    (doc,) = await bot.say(USER, "/draft 定海区卫生健康局 2021")
    assert doc.kind == "document" and read_report(doc.data, "d.docx").year == 2021
    await bot.say(USER, "/subscribe 定海区卫生健康局")
    (doc,) = await bot.say(USER, "/draft")  # the chat's one subscription, the report due this year
    assert doc.kind == "document" and "2020 年度报告草稿" in doc.text
    (reply,) = await bot.say(USER, "/draft 不存在的单位")
    assert "没有找到" in reply.text

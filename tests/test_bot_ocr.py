"""Photos and corrections through the production bot over the Bot API emulator: an album is read as one
report, with its page progress edited into the acknowledgement; a reply such as 表三 予以公开 总计 = 23
corrects a stored figure, says what changed, re-runs the checks and is recorded with who made it.
(tests/test_bot_albums.py: albums across bot processes.)"""

from __future__ import annotations

import pytest
from bot_support import ADMIN, USER, Harness, bot_harness
from builders import build_docx, consistent_values
from scan_builders import Shot, image_bytes, print_pages, shoot
from sqlalchemy import select

from core.storage.models import CorrectionRecord
from core.storage.reports import load_report

ALBUM_WAIT = 180.0  # two photos read in the parse worker on a loaded 2-core machine


@pytest.fixture
async def bot(sf):
    async with bot_harness(sf) as harness:
        yield harness


def _summary_of(outputs):
    return next(o for o in reversed(outputs) if o.kind == "message" and o.buttons)


# ---------------------------------------------------------------- an album, with progress


async def test_an_album_is_one_report_with_page_progress_in_the_acknowledgement(bot: Harness):
    values = consistent_values("2021", seed=41)
    page = next(p for p in print_pages(values, "2021") if {r.name for r in p.info["tables"]} >= {"三", "四"})
    photos = [image_bytes(shoot(page, Shot(seed=i, fill=0.9, tilt=0.02), r.box)) for i, r in enumerate(page.info["tables"])]
    for i, data in enumerate(photos):
        bot.emu.push_photo(ADMIN, ADMIN, data, caption="定海区 2021年" if i == 0 else None, media_group_id="album-1")
    ack = await bot.emu.wait_until(ADMIN, lambda o: o.kind == "message", timeout=30)
    assert ack.text == "正在识别 2 张照片…"
    summary = await bot.emu.wait_until(ADMIN, lambda o: o.kind == "message" and bool(o.buttons), timeout=ALBUM_WAIT)
    outputs = bot.emu.chat_outputs(ADMIN)
    edits = [o.text for o in outputs if o.kind == "edit" and o.message_id == ack.message_id]
    assert edits == ["正在识别第 1/2 页…", "正在识别第 2/2 页…"]  # in order, on the acknowledgement itself
    assert len([o for o in outputs if o.kind == "message"]) == 2  # one acknowledgement, one summary: one report
    assert "已入库" in summary.text and "定海区" in summary.text and "2021" in summary.text
    assert f"收到申请 {values['apply.new.total']:,}" in summary.text
    stored = await load_report(bot.app.bot_data["sf"], int(summary.buttons[0]["callback_data"].split(":")[1]))
    assert set(stored.tables_found) == {"三", "四"}
    keys = [k for k in values if k.startswith(("apply.", "review.", "litigation."))]
    assert [k for k in keys if stored.value(k) != values[k]] == []


# ---------------------------------------------------------------- corrections from the chat


async def _uploaded(bot: Harness, seed: int) -> tuple[dict, object]:
    values = consistent_values("2021", seed=seed)
    outputs = await bot.upload(ADMIN, "定海区2021.docx", build_docx(values, "2021"))
    return values, _summary_of(outputs)


async def test_a_reply_corrects_a_figure_reruns_the_checks_and_records_who(bot: Harness):
    values, summary = await _uploaded(bot, 42)
    report_id = int(summary.buttons[0]["callback_data"].split(":")[1])
    old = values["apply.disclosed.total"]
    (reply,) = await bot.say(ADMIN, f"表三 予以公开 总计 = {old + 1}", reply_to_message_id=summary.message_id)
    assert f"已更正表三「（一）予以公开」行「总计」列：{old} → {old + 1}，已重新核对。" in reply.text
    # The figure no longer adds up with its row and its column: the checks that ran again say so.
    assert "错误" in reply.text and "予以公开" in reply.text
    assert [b["text"] for b in reply.buttons]  # the report's buttons, to look at the findings and tables
    sf = bot.app.bot_data["sf"]
    stored = await load_report(sf, report_id)
    assert stored.value("apply.disclosed.total") == old + 1
    assert any("apply.disclosed.total" in f.cells and f.severity == "error" for f in stored.findings)
    async with sf() as session:
        (record,) = (await session.scalars(select(CorrectionRecord).where(CorrectionRecord.report_id == report_id))).all()
    assert (record.key, record.old_raw, record.new_raw, record.corrected_by, record.chat_id) == (
        "apply.disclosed.total", str(old), str(old + 1), ADMIN, ADMIN
    )


async def test_a_correction_replying_to_nothing_applies_to_the_chats_last_upload(bot: Harness):
    await _uploaded(bot, 43)
    values, summary = await _uploaded(bot, 44)
    report_id = int(summary.buttons[0]["callback_data"].split(":")[1])
    (reply,) = await bot.say(ADMIN, "表四 行政复议 结果维持 = 9")
    assert f"{values['review.upheld']} → 9" in reply.text
    assert (await load_report(bot.app.bot_data["sf"], report_id)).value("review.upheld") == 9


async def test_corrections_that_cannot_apply_are_explained_and_change_nothing(bot: Harness):
    values, summary = await _uploaded(bot, 45)
    report_id = int(summary.buttons[0]["callback_data"].split(":")[1])
    (reply,) = await bot.say(ADMIN, "表三 没有这一行 总计 = 5", reply_to_message_id=summary.message_id)
    assert "找不到“没有这一行 总计”对应的单元格" in reply.text
    (reply,) = await bot.say(ADMIN, "表三 予以公开 总计 = 很多", reply_to_message_id=summary.message_id)
    assert "“很多”不是有效的数字" in reply.text
    (reply,) = await bot.say(USER, "表三 予以公开 总计 = 5")
    assert "管理员" in reply.text and "已更正" not in reply.text
    stored = await load_report(bot.app.bot_data["sf"], report_id)
    assert stored.value("apply.disclosed.total") == values["apply.disclosed.total"]
    async with bot.app.bot_data["sf"]() as session:
        assert (await session.scalars(select(CorrectionRecord))).all() == []


async def test_an_admin_with_no_upload_in_the_chat_is_told_what_to_reply_to(bot: Harness):
    (reply,) = await bot.say(ADMIN, "表三 予以公开 总计 = 5")
    assert "请回复要更正的报告的识别结果消息" in reply.text

"""Questions through the bot (Bot API emulator): a figure asked ambiguously gets its candidates as buttons;
something the reports do not record gets the closest figures as buttons; pressing one answers it."""

from __future__ import annotations

import pytest
from bot_support import USER, Harness, bot_harness


@pytest.fixture
async def bot(seeded_sf):
    async with bot_harness(seeded_sf) as harness:
        yield harness


async def test_an_ambiguous_figure_is_a_pick_list_and_a_button_answers_it(bot: Harness):
    (pick,) = await bot.say(USER, "定海区2020年被纠正了几件")
    assert "请选择" in pick.text
    labels = [b["text"] for b in pick.buttons]
    assert "行政复议·结果纠正" in labels and "行政诉讼·结果纠正" in labels
    assert all(len(b["callback_data"].encode()) <= 64 for b in pick.buttons)
    outputs, answer = await bot.press(pick, "行政复议·结果纠正")
    assert not answer.get("show_alert")
    edited, reply = outputs
    assert "→ 行政复议·结果纠正" in edited.text
    assert "「行政复议·结果纠正」：1 件" in reply.text  # seed 003: one reconsideration corrected


async def test_what_the_reports_do_not_record_is_refused_with_the_closest_figures(bot: Harness):
    (refusal,) = await bot.say(USER, "定海区2020年收到多少封群众来信")
    assert "年报里没有记录这一项" in refusal.text and "来信" in refusal.text
    assert refusal.buttons, "the closest figures are offered"
    label = refusal.buttons[0]["text"]
    assert label.startswith("本年新收")  # 收到 and 群众: requests from natural persons
    outputs, _ = await bot.press(refusal, label)
    reply = outputs[-1]
    assert f"「{label}」：34 件" in reply.text  # what the report does record


async def test_a_region_with_one_stored_agency_is_answered_for_it(bot: Harness):
    """宁海县 has one stored agency: the answer names it and needs no button."""
    (reply,) = await bot.say(USER, "宁海县2020年收到多少申请")
    assert "宁海县政务服务办公室" in reply.text and "1 件" in reply.text and not reply.buttons

"""Report links and the new file types through the bot: a link is fetched and stored like an upload."""

from __future__ import annotations

import pytest
from bot_support import ADMIN, USER, bot_harness
from builders import consistent_values
from fetch_support import serve
from office_builders import DATA, build_xlsx

from core.storage.reports import list_reports


@pytest.fixture
async def site():
    async with serve() as base:
        yield base


async def test_an_admin_link_is_fetched_parsed_and_stored(sf, site):
    async with bot_harness(sf, fetch_allow_private=True) as bot:
        outputs = await bot.say(ADMIN, f"请入库这份报告：{site}/article.html 谢谢")
        texts = [o.text for o in outputs]
        assert texts[0].startswith("正在下载") and "/article.html" in texts[0]
        assert any(t.startswith("页面附有报告文件") for t in texts)
        assert any(t.startswith("正在解析") and ".pdf" in t for t in texts)
        assert "✅ 已入库" in texts[-1] and "测试县财政局" in texts[-1]
        rows, total = await list_reports(sf)
        assert total == 1


async def test_links_to_private_addresses_and_from_non_admins_are_refused(sf, site):
    async with bot_harness(sf) as bot:  # FETCH_ALLOW_PRIVATE off: the local server is out of bounds
        *_, reply = await bot.say(ADMIN, f"{site}/gb2312.html")
        assert "❌ 无法读取链接" in reply.text and "拒绝访问内网或本机地址" in reply.text
        (reply,) = await bot.say(USER, f"{site}/gb2312.html")
        assert "只有管理员" in reply.text
        assert (await list_reports(sf))[1] == 0


@pytest.mark.parametrize("name", ["report-2019.doc", "report-2021-split.wps", "report.xlsx"])
async def test_doc_wps_and_xlsx_uploads_are_stored(sf, name):
    data = build_xlsx(consistent_values("2021", seed=61)) if name.endswith(".xlsx") else (DATA / name).read_bytes()
    async with bot_harness(sf) as bot:
        *_, reply = await bot.upload(ADMIN, name, data)
        assert "✅ 已入库" in reply.text

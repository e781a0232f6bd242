"""Albums (issue #15, #17): the photos of one media_group_id are read as one report, exactly once, whichever
bot process received each of them."""

from __future__ import annotations

import asyncio

from bot_support import ADMIN, bot_harness
from builders import consistent_values
from scan_builders import image_bytes, photo, print_pages

from bot import albums
from core.storage.db import open_db
from core.storage.models import Report
from core.storage.reports import list_reports, load_parsed

QUIET = 0.3


async def test_photos_arriving_at_two_processes_make_one_album_taken_once(db_url):
    # Two engines on one database stand for two bot processes.
    async with open_db(db_url) as first, open_db(db_url) as second:
        processes = [first, second]
        waits = []
        for n in range(5):  # the photos arrive alternately, each process starting its own wait
            sf = processes[n % 2]
            await albums.add(sf, 42, "g7", albums.AlbumPhoto(100 + n, f"file{n}", "定海区 2021年" if n == 2 else None))
            waits.append(asyncio.create_task(albums.complete(sf, 42, "g7", quiet=QUIET)))
            await asyncio.sleep(QUIET / 3)  # closer together than the quiet time
        results = await asyncio.gather(*waits)
    got = [r for r in results if r is not None]
    assert len(got) == 1
    album = got[0]
    assert [p.file_id for p in album.photos] == [f"file{n}" for n in range(5)]
    assert album.first_message_id == 100 and album.caption == "定海区 2021年"


async def test_an_album_of_two_photos_is_one_report_in_the_chat(sf):
    values = consistent_values("2021", seed=32)
    pages = print_pages(values, "2021")
    shots = [image_bytes(photo(p, seed=50 + i)) for i, p in enumerate(pages[1:])]  # tables 三 and 四
    async with bot_harness(sf) as bot:
        for shot in shots:
            bot.emu.push_photo(ADMIN, ADMIN, shot, media_group_id="album-1", caption="测试区 2021年")
        await bot.emu.wait_until(ADMIN, lambda o: "已入库" in o.text, timeout=180)
        await asyncio.sleep(albums.QUIET_S + 0.5)
        later = bot.emu.take(ADMIN)
    rows, total = await list_reports(sf)
    assert total == 1  # one report from the two photos
    async with sf() as session:
        report = await load_parsed(session, await session.get(Report, rows[0].id))
    assert {"三", "四"} <= set(report.tables_found)
    assert report.value("apply.new.total") == values["apply.new.total"]
    statuses = [o for o in bot.emu.chat_outputs(ADMIN) if o.kind == "message" and "正在识别" in o.text]
    assert len(statuses) == 1 and "2 张照片" in statuses[0].text  # one acknowledgement for the album
    assert not [o for o in later if "已入库" in o.text]  # and one report

"""Drafts, comparisons and charts on the benchmark's loaded database: how long a user waits for the file
(the Word or Excel writing and the chart drawing, with the queries that feed them)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import bench_paths  # noqa: F401  (sys.path first)
from sqlalchemy import func, select

from core.documents.compare_excel import comparison_xlsx
from core.documents.compare_word import comparison_docx
from core.documents.comparison import build_comparison
from core.documents.draft import build_draft, draft_docx
from core.render.charts import bar_chart, png
from core.storage.db import open_db
from core.storage.models import Agency, Report

RUNS = 5


async def _median_ms(run: Callable[[], Awaitable[object]]) -> float:
    await run()  # warm-up: imports, fonts
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)[RUNS // 2]


async def measure(sqlite_url: str) -> dict[str, float]:
    async with open_db(sqlite_url) as sf:
        async with sf() as session:
            agency_id = await session.scalar(
                select(Report.agency_id).where(Report.is_current).group_by(Report.agency_id)
                .having(func.count() >= 2).limit(1)
            )  # fmt: skip
            agency = await session.get(Agency, agency_id)
            years = sorted(await session.scalars(select(Report.year).where(Report.agency_id == agency_id, Report.is_current)))
        assert agency is not None

        async def draft() -> bytes:
            async with sf() as session:
                return draft_docx(await build_draft(session, agency, years[-1] + 1))

        async def compare(render: Callable[..., bytes]) -> bytes:
            async with sf() as session:
                return render(await build_comparison(session, agency, years[-2], years[-1]))

        async def chart() -> bytes:
            labels = [f"单位{i}" for i in range(25)]
            return await asyncio.to_thread(lambda: png(bar_chart(labels, list(range(25)), title="收到申请")))

        return {
            "draft_docx_ms": await _median_ms(draft),
            "compare_docx_ms": await _median_ms(lambda: compare(comparison_docx)),
            "compare_xlsx_ms": await _median_ms(lambda: compare(comparison_xlsx)),
            "chart_png_25_bars_ms": await _median_ms(chart),
        }

"""Bar charts: real PNGs, Chinese labels kept when a CJK font exists, pinyin when none does."""

from __future__ import annotations

import dataclasses
import io

import pytest
from matplotlib import font_manager
from matplotlib.image import imread

from core import charts
from core.charts import ChartError, ascii_label, bar_chart_png, metric_chart


def test_ascii_label_transliterates_chinese():
    assert ascii_label("定海区") == "Ding Hai Qu"
    assert ascii_label("2020 白鹤街道") == "2020 Bai He Jie Dao"


def test_png_has_one_bar_height_per_label():
    small = imread(io.BytesIO(bar_chart_png(["a", "b"], [1, 2], title="t")))
    large = imread(io.BytesIO(bar_chart_png([f"l{i}" for i in range(30)], range(30), title="t")))
    assert small.shape[1] == large.shape[1] == 800
    assert large.shape[0] > small.shape[0]


def test_without_cjk_font_labels_fall_back_to_pinyin(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    original = charts.Figure.subplots

    def spy(self, *args, **kwargs):
        ax = original(self, *args, **kwargs)
        real = ax.set_yticks
        ax.set_yticks = lambda ticks, labels, **kw: (seen.extend(labels), real(ticks, labels, **kw))[1]
        return ax

    monkeypatch.setattr(charts.Figure, "subplots", spy)
    bar_chart_png(["定海区"], [3], title="收到申请", ascii_title="Requests")
    assert seen == ["Ding Hai Qu"]


def test_cjk_font_prefers_known_families_and_skips_placeholder_fonts(monkeypatch):
    base = font_manager.fontManager.ttflist[0]
    fonts = [
        dataclasses.replace(base, name="Last Resort High-Efficiency"),  # draws a box for everything
        dataclasses.replace(base, name="Some Other CJK"),
        dataclasses.replace(base, name="WenQuanYi Zen Hei"),
    ]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fonts)
    monkeypatch.setattr(charts, "_covers", lambda path, text: True)
    charts.cjk_font.cache_clear()
    try:
        assert charts.cjk_font() == "WenQuanYi Zen Hei"
        monkeypatch.setattr(font_manager.fontManager, "ttflist", fonts[:1])
        charts.cjk_font.cache_clear()
        assert charts.cjk_font() is None
    finally:
        charts.cjk_font.cache_clear()


async def test_metric_chart_across_agencies_and_years(seeded_sf):
    chart = await metric_chart(seeded_sf, "收到申请")
    assert chart.png.startswith(b"\x89PNG")
    assert dict(zip(chart.labels, chart.values, strict=True))["定海区"] == 34
    assert chart.values == sorted(chart.values, reverse=True)
    one = await metric_chart(seeded_sf, "定海区 收到申请")
    assert one.labels == ["2020"] and one.values == [34]
    parts = await metric_chart(seeded_sf, "定海区 申请人构成")
    assert len(parts.labels) > 2 and sum(parts.values) == 34
    with pytest.raises(ChartError, match="没有识别出指标"):
        await metric_chart(seeded_sf, "天气")

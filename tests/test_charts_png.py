"""Charts: real PNGs whose Chinese labels are drawn with the bundled CJK font, on any machine."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.image import imread
from matplotlib.text import Text

from core.charts import ChartError, metric_chart
from core.render import charts
from core.render.charts import FONT_FILE, bar_chart, drawable, grouped_bar_chart, png


def _texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text().strip()]


def _font_files(fig) -> set[Path]:
    """The font file matplotlib resolves for each visible text of the figure."""
    return {Path(font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)) for t in _texts(fig)}


def test_bundled_font_is_a_subset_with_its_licence():
    assert FONT_FILE.is_file() and FONT_FILE.stat().st_size < 2_500_000
    licence = (FONT_FILE.parent / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Noto Sans SC" in licence
    assert charts.cjk_font() == "Nianbao Noto Sans SC"


def test_every_text_of_a_chart_is_set_in_the_bundled_cjk_font():
    fig = bar_chart(["定海区", "白鹤街道", "瞻岐镇"], [34, 5, 0], title="2020年 收到申请", xlabel="件")
    shown = {t.get_text() for t in _texts(fig)}
    assert {"定海区", "白鹤街道", "瞻岐镇", "2020年 收到申请", "件", "34"} <= shown
    assert _font_files(fig) == {FONT_FILE}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for a box
        data = png(fig)
    assert data.startswith(b"\x89PNG")


def test_grouped_chart_shows_both_series_in_the_cjk_font():
    fig = grouped_bar_chart(["收到申请", "办结"], {"2020年": [34, 30], "2021年": [40, None]}, title="定海区")
    shown = [t.get_text() for t in _texts(fig)]
    assert {"2020年", "2021年", "收到申请", "办结", "34", "40", "—"} <= set(shown)
    assert _font_files(fig) == {FONT_FILE}


def test_characters_outside_the_font_are_written_in_pinyin():
    assert drawable("定海区") == "定海区"
    assert drawable("埇桥区") == "Yong桥区"  # 埇 is not in GB2312


def test_png_has_one_bar_height_per_label():
    small = imread(io.BytesIO(png(bar_chart(["a", "b"], [1, 2], title="t"))))
    large = imread(io.BytesIO(png(bar_chart([f"l{i}" for i in range(30)], range(30), title="t"))))
    assert small.shape[1] == large.shape[1] == 800
    assert large.shape[0] > small.shape[0]


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

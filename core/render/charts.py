"""Charts as PNG bytes, with Chinese labels on any machine.

matplotlib's object API renders with Agg: no display and no pyplot state, so charts can be drawn in worker
threads side by side. Every text is set in the font that ships with the package (core/render/fonts: a GB2312
subset of Noto Sans SC, SIL Open Font License), so a fresh machine without any CJK font draws Chinese, not
empty boxes. The rare character outside the subset (a place name such as 埇桥区) is written in pinyin,
character by character, so a label never loses a glyph silently.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font

from core import pinyin

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NianbaoNotoSansSC.otf"
BAR_COLOR = "#3b73b9"
SERIES_COLORS = ("#9bb7dc", "#3b73b9", "#e07b39", "#5a9e6f")  # earlier year light, later year dark


@cache
def cjk_font() -> str:
    """The family name of the bundled CJK font, registered with matplotlib on first use."""
    font_manager.fontManager.addfont(str(FONT_FILE))
    return FontProperties(fname=FONT_FILE).get_name()


@cache
def _charmap() -> frozenset[int]:
    return frozenset(FT2Font(str(FONT_FILE)).get_charmap())


def drawable(text: str) -> str:
    """``text`` with every character the font lacks written in pinyin (埇桥区 → "Yong桥区")."""
    covered = _charmap()
    out = []
    for ch in text:
        if ord(ch) in covered or ch.isspace():
            out.append(ch)
        else:
            out.append(pinyin.reading(ch).capitalize() if "\u3400" <= ch <= "\u9fff" else "?")
    return "".join(out)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _font() -> FontProperties:
    return FontProperties(family=cjk_font())


def _finish(fig: Figure) -> None:
    """Tick labels in the bundled font too; matplotlib makes ticks again when it draws, so this is set on
    the axes rather than on today's tick labels."""
    for ax in fig.axes:
        ax.tick_params(labelfontfamily=cjk_font())
    fig.tight_layout()


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str = "") -> Figure:
    """One horizontal bar per label, first label on top, each value printed at its bar's end."""
    labels = [drawable(label) for label in labels]
    fig = Figure(figsize=(8, max(2.5, 0.4 * len(labels) + 1.2)), dpi=100)
    ax = fig.subplots()
    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, color=BAR_COLOR)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[_number(v) for v in values], padding=3, fontsize=9, fontproperties=_font())
    ax.set_title(drawable(title), fontproperties=_font())
    if xlabel:
        ax.set_xlabel(drawable(xlabel), fontproperties=_font())
    ax.margins(x=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    _finish(fig)
    return fig


def grouped_bar_chart(
    labels: Sequence[str], series: Mapping[str, Sequence[float | None]], *, title: str
) -> Figure:
    """Side-by-side vertical bars, one group per label and one bar per series (e.g. two years).
    A missing value (None) leaves a gap and is printed as —."""
    labels = [drawable(label) for label in labels]
    fig = Figure(figsize=(max(6.0, 1.1 * len(labels) + 2), 4.2), dpi=100)
    ax = fig.subplots()
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        positions = [p + (i - (len(series) - 1) / 2) * width for p in range(len(labels))]
        bars = ax.bar(
            positions,
            [v or 0 for v in values],
            width,
            label=drawable(name),
            color=SERIES_COLORS[i % len(SERIES_COLORS)],
        )
        shown = ["—" if v is None else _number(v) for v in values]
        ax.bar_label(bars, labels=shown, padding=2, fontsize=8, fontproperties=_font())
    ax.set_xticks(range(len(labels)), labels)
    ax.set_title(drawable(title), fontproperties=_font())
    ax.legend(prop=_font(), frameon=False)
    ax.margins(y=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    _finish(fig)
    return fig

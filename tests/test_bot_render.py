"""Escaping, CJK-aligned tables and splitting long replies on line boundaries."""

from __future__ import annotations

import re

import pytest

from bot.emulator import html_to_text
from bot.render import esc, pre, pre_table, split_message, units
from core.render import display_width


def test_esc_escapes_markup_in_report_text():
    assert esc("<b>a & b</b>") == "&lt;b&gt;a &amp; b&lt;/b&gt;"
    assert html_to_text(esc("<script>x</script> & 1 < 2")) == "<script>x</script> & 1 < 2"


def test_pre_table_aligns_cjk_and_escapes():
    html = pre_table([["定海区", 12], ["白鹤街道", 3], ["<x>&", 1234]], header=["单位", "申请"])
    assert html.startswith("<pre>") and html.endswith("</pre>")
    assert "&lt;x&gt;&amp;" in html
    lines = html_to_text(html).splitlines()
    # Numbers end at the same display column whatever mix of CJK and ASCII precedes them.
    assert len({display_width(line) for line in lines[2:]}) == 1
    assert lines[2].endswith(" 12") and lines[3].endswith("  3")


def test_short_text_is_one_chunk():
    assert split_message("你好\n世界") == ["你好\n世界"]


def _strip_tags(chunk: str) -> str:
    return re.sub(r"</?pre>", "", chunk)


def test_long_table_is_split_on_lines_with_pre_balanced():
    rows = "\n".join(f"第{i}行  白鹤街道  {i * 7}" for i in range(1500))
    text = f"<b>标题</b>\n{pre(rows)}\n结尾 &amp; 说明"
    chunks = split_message(text)
    assert len(chunks) > 1
    for chunk in chunks:
        assert units(chunk) <= 4096
        html_to_text(chunk)  # raises if a tag is left open or an entity is cut
    # Nothing lost, nothing reordered: the lines come back in order.
    rejoined = "\n".join(_strip_tags(c) for c in chunks).splitlines()
    assert rejoined == _strip_tags(text).splitlines()
    # A table continued in the next message is still preformatted there.
    assert chunks[1].startswith("<pre>")


def test_line_longer_than_a_message_is_cut_between_entities():
    line = "甲&amp;乙" * 2000
    chunks = split_message(line, limit=1000)
    assert all(units(c) <= 1000 for c in chunks)
    assert "".join(chunks) == line
    for chunk in chunks:
        html_to_text(chunk)


def test_limit_counts_utf16_units():
    emoji_lines = "\n".join("😀" * 50 for _ in range(100))  # 100 units per line, 10,099 in all
    chunks = split_message(emoji_lines)
    assert all(units(c) <= 4096 for c in chunks)
    assert len(chunks) == 3


@pytest.mark.parametrize("limit", [50, 200, 4096])
def test_chunks_never_exceed_limit(limit):
    text = "\n".join(f"<b>{i}</b> " + "字" * (i % 37) for i in range(400))
    chunks = split_message(text, limit=limit)
    assert all(units(c) <= limit for c in chunks)
    assert "\n".join(chunks).count("字") == text.count("字")

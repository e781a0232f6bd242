"""Make core/render/fonts/NianbaoNotoSansSC.otf, the font charts are drawn with, from Noto Sans SC Regular.

Usage: python scripts/subset_font.py PATH/TO/NotoSansSC-Regular.otf

The source is Noto Sans SC 2.004 (SIL Open Font License 1.1; e.g. from Debian's fonts-noto-cjk or the
PyPI wheel pylopdf-fonts-zh-cn). The full font is 8 MB; charts need the characters of agency names and
labels, so we keep GB2312 (6,763 hanzi and its symbols), ASCII, full-width forms, CJK punctuation and every
character of this repository's source and samples: 1.7 MB. A character outside it is drawn as pinyin
(core.charts.drawable). The family is renamed, as the OFL asks of a modified version, so it can never be
mistaken for an installed Noto Sans SC.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "core" / "render" / "fonts" / "NianbaoNotoSansSC.otf"
FAMILY = "Nianbao Noto Sans SC"


def gb2312() -> set[str]:
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([lead, trail]).decode("gb2312"))
    return chars


def repository_text() -> set[str]:
    files = [*ROOT.glob("core/**/*.py"), *ROOT.glob("bot/**/*.py"), *ROOT.glob("samples/*.txt")]
    return {ch for path in files for ch in path.read_text(encoding="utf-8") if ord(ch) >= 0x80}


def characters() -> str:
    ascii_ = {chr(c) for c in range(0x20, 0x7F)}
    fullwidth = {chr(c) for c in range(0xFF01, 0xFF5F)}
    punctuation = {chr(c) for c in range(0x3000, 0x3040)}
    return "".join(
        sorted(gb2312() | repository_text() | ascii_ | fullwidth | punctuation | set("—…‘’“”·％±×÷≤≥−"))
    )


def main(source: str) -> None:
    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID in (3, 6):
            record.string = FAMILY.replace(" ", "") + "-Regular"
    if "CFF " in font:  # the CFF table carries the names too
        cff = font["CFF "].cff
        cff.fontNames = [FAMILY.replace(" ", "") + "-Regular"]
        top = cff.topDictIndex[0]
        top.FamilyName = FAMILY
        top.FullName = FAMILY
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(TARGET)
    print(f"{TARGET}: {TARGET.stat().st_size / 1e6:.2f} MB, {len(font.getBestCmap())} characters")


if __name__ == "__main__":
    main(sys.argv[1])

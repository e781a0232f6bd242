"""Cell text → number with its unit normalised.

Money is stored in 元, except cells whose template unit is 万元 (2021 收费), which stay in 万元.
A placeholder ("/", "—", "无", spaces) is not a figure: its value is None, like a blank cell.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from core.templates.schema import Unit
from core.textnorm import clean

ValueKind = Literal["blank", "placeholder", "number", "invalid"]

PLACEHOLDERS = frozenset({"/", "／", "—", "——", "-", "－", "–", "无", "/ ", "\\", "空", "暂无", "——/", "×"})
NO_CHANGE = frozenset({"无变化", "不变", "持平", "无增减", "未变化"})

_NUM = re.compile(r"^(?P<sign>[+\-]|增加?|减少?|新增|增长|下降|净增|净减)?\s*(?P<num>\d{1,15}(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|万|件|条|项|个|批次|批|次|宗|份|家|人次|%)?$")
_WIDE_THOUSANDS = re.compile(r"(?<=\d)[，、](?=\d{3}(?:\D|$))")  # 424，944.46: a full-width group separator
_NEGATIVE = ("-", "减", "减少", "下降", "净减")
_MONEY_SCALE = {"元": 1, "万元": 10_000, "万": 10_000, "亿元": 100_000_000}


@dataclass(frozen=True)
class ParsedValue:
    value: int | float | None
    unit: str | None
    kind: ValueKind


def _tidy(n: float) -> int | float:
    return int(n) if float(n).is_integer() and abs(n) < 2**53 else round(n, 6)


def parse_value(raw: str, unit: Unit = "count") -> ParsedValue:
    text = _WIDE_THOUSANDS.sub(",", clean(raw).replace(" ", ""))
    if not text:
        return ParsedValue(None, None, "blank")
    if text in PLACEHOLDERS or set(text) <= set("/／—-－–_"):
        return ParsedValue(None, None, "placeholder")
    if text in NO_CHANGE:
        return ParsedValue(0, "件", "number")
    m = _NUM.match(text)
    if not m:
        return ParsedValue(None, None, "invalid")
    number = float(m["num"].replace(",", ""))
    if not math.isfinite(number):
        return ParsedValue(None, None, "invalid")
    if m["sign"] in _NEGATIVE:
        number = -number
    printed_unit = m["unit"]
    if unit in ("yuan", "wan"):
        scale = _MONEY_SCALE.get(printed_unit or "")
        if scale is None:  # no unit printed: the template's own unit
            scale = 1 if unit == "yuan" else 10_000
        yuan = number * scale
        if unit == "yuan":
            return ParsedValue(_tidy(yuan), "元", "number")
        return ParsedValue(_tidy(yuan / 10_000), "万元", "number")
    if printed_unit in _MONEY_SCALE:  # money written into a count cell: keep the number as printed
        return ParsedValue(_tidy(number), printed_unit, "number")
    return ParsedValue(_tidy(number), "件", "number")

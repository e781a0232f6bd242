"""Which deadline tier an agency's report belongs to (条例 第四十九条). One place for checks and reminders.

- ``government``: the 本级政府 report of a 县级以上地方人民政府, published by 3月31日. A report titled for a
  region (定海区政府信息公开工作年度报告, 舟山市人民政府…年度报告) or issued by a 县级以上人民政府 itself.
- ``township``: 乡镇人民政府 and 街道办事处; the 条例 sets no deadline (local rules may).
- ``department``: every other agency, 县级以上人民政府部门, by 1月31日 — including a 人民政府办公室
  reporting on its own work.

Users can override the tier per agency; storage keeps the override and passes it back in here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from core.textnorm import squash

Tier = Literal["department", "government", "township"]
TIERS: tuple[Tier, ...] = ("department", "government", "township")
TIER_NAMES: dict[Tier, str] = {
    "department": "县级以上人民政府部门",
    "government": "本级政府",
    "township": "乡镇/街道",
}
# Statutory month and day of the deadline in the year after the report year; None where the 条例 sets none.
STATUTORY_DEADLINES: dict[Tier, tuple[int, int] | None] = {
    "department": (1, 31),
    "government": (3, 31),
    "township": None,
}

_REGION = r"(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|地区|区|县|自治县|旗|自治旗))"
_TOWNSHIP = re.compile(r"(?:街道办事处|街道|乡人民政府|镇人民政府|(?<!城)镇$|乡$|苏木)")
_GOVERNMENT_AGENCY = re.compile(rf"^{_REGION}+人民政府$")
# "2020年定海区政府信息公开工作年度报告": a region, then 政府信息公开 directly, no department between.
_GOVERNMENT_TITLE = re.compile(rf"^(?:\d{{4}}年度?)?{_REGION}+(?:人民政府)?(?:\d{{4}}年度?)?政府信息公开工作年度报告")


def classify(agency: str | None, title: str | None = None, override: Tier | None = None) -> Tier:
    if override:
        return override
    name = squash(agency or "")
    head = squash(title or "")
    if _TOWNSHIP.search(name) or (not name and _TOWNSHIP.search(head.split("政府信息公开")[0])):
        return "township"
    if _GOVERNMENT_TITLE.match(head) and not _TOWNSHIP.search(head.split("政府信息公开")[0]):
        return "government"
    if _GOVERNMENT_AGENCY.match(name):
        return "government"
    return "department"


_TIER_WORDS: dict[str, Tier] = {
    "department": "department",
    "部门": "department",
    "县级以上人民政府部门": "department",
    "government": "government",
    "政府": "government",
    "本级政府": "government",
    "人民政府": "government",
    "township": "township",
    "乡镇": "township",
    "街道": "township",
    "乡镇街道": "township",
    "乡镇/街道": "township",
}


def parse_tier(text: str) -> Tier | None:
    """A tier as users type it (English key or Chinese name), or None."""
    return _TIER_WORDS.get(squash(text).lower())


def statutory_deadline(tier: Tier, report_year: int) -> date | None:
    md = STATUTORY_DEADLINES[tier]
    return date(report_year + 1, *md) if md else None

"""The derived rates people ask for, defined once over canonical cell keys.

Every layer that shows a rate (answers, comparisons, exports, charts) reads these definitions and
:func:`compute`, so a rate's inputs and its zero-denominator rule are written in one place. Keys are the
same in both formats (table 三 and 四 have the same rows for these), so a rate needs no template branch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.templates.national import APPLY_2019


def _apply_group_totals(group: str) -> tuple[str, ...]:
    """Table 三 总计-column keys of the rows under one group, e.g. 不予公开's eight reasons."""
    return tuple(f"apply.{r.key}.total" for r in APPLY_2019.rows if r.key.startswith(group + "."))


_LITIGATION = ("litigation.direct", "litigation.after_review")


@dataclass(frozen=True)
class RateDef:
    id: str
    zh: str
    en: str
    numerator: tuple[str, ...]  # cell keys, summed
    denominator: tuple[str, ...]  # cell keys, summed
    less: tuple[str, ...] = ()  # cell keys subtracted from the denominator's sum
    formula: str = ""  # the definition as people read it, stated with every answer


APPLY_RATES = (
    RateDef(
        "substantive_disclosure",
        "实质公开率",
        "substantive disclosure rate",
        ("apply.disclosed.total", "apply.partial.total"),
        ("apply.total.total",),
        formula="（予以公开 + 部分公开）÷ 办理结果总计",
    ),
    RateDef(
        "disclosure",
        "公开率",
        "full disclosure rate",
        ("apply.disclosed.total",),
        ("apply.total.total",),
        formula="予以公开 ÷ 办理结果总计",
    ),
    RateDef(
        "withholding",
        "不予公开率",
        "withholding rate",
        _apply_group_totals("withheld"),
        ("apply.total.total",),
        formula="不予公开合计 ÷ 办理结果总计",
    ),
    RateDef(
        "completion",
        "办结率",
        "completion rate",
        ("apply.total.total",),
        ("apply.new.total", "apply.carried_over.total"),
        formula="办理结果总计 ÷（本年新收 + 上年结转）",
    ),
)

REVIEW_RATES = (
    RateDef(
        "review_correction",
        "行政复议纠错率",
        "reconsideration correction rate",
        ("review.corrected",),
        ("review.total",),
        less=("review.pending",),
        formula="结果纠正 ÷（总计 − 尚未审结）",
    ),
    RateDef(
        "litigation_correction",
        "行政诉讼纠错率",
        "litigation correction rate",
        tuple(f"{g}.corrected" for g in _LITIGATION),
        tuple(f"{g}.total" for g in _LITIGATION),
        less=tuple(f"{g}.pending" for g in _LITIGATION),
        formula="（直接起诉 + 复议后起诉）结果纠正 ÷（两者总计 − 两者尚未审结）",
    ),
)

RATES: tuple[RateDef, ...] = (*APPLY_RATES, *REVIEW_RATES)
RATE_BY_ID: dict[str, RateDef] = {r.id: r for r in RATES}


@dataclass(frozen=True)
class RateValue:
    rate: RateDef
    numerator: float
    denominator: float
    # None when the denominator is 0 (said, never divided) or a table it needs is missing.
    percent: float | None
    missing: tuple[str, ...] = ()  # input keys the report does not have at all
    blank: tuple[str, ...] = ()  # input keys printed blank, counted as 0

    @property
    def defined(self) -> bool:
        return self.percent is not None


def compute(rate: RateDef, values: Mapping[str, float | int | None]) -> RateValue:
    """``rate`` over one report's values (key → value; a blank cell is present with None).

    Blank cells of a table the report has count as 0 and are listed; a key the report lacks entirely (its
    table is missing) leaves the rate undefined rather than guessed.
    """
    inputs = (*rate.numerator, *rate.denominator, *rate.less)
    missing = tuple(k for k in inputs if k not in values)
    blank = tuple(k for k in inputs if k in values and values[k] is None)

    def total(keys: tuple[str, ...]) -> float:
        return float(sum(values.get(k) or 0 for k in keys))

    numerator = total(rate.numerator)
    denominator = total(rate.denominator) - total(rate.less)
    percent = None if missing or denominator <= 0 else round(100 * numerator / denominator, 1)
    return RateValue(rate, numerator, denominator, percent, missing, blank)

"""Identities and bounds inside one report (表三 勾稽, row and column totals, 表四 totals, 表二 bounds).

When a single wrong cell explains every broken identity it takes part in (and every identity it takes
part in is broken, by the same amount), the message names it and the value the other figures imply.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from core.checks.evidence import cell_name, fmt, number, shown, term_names
from core.model import Finding, ParsedReport
from core.templates.rules import Bound, Identity, Rule
from core.templates.schema import TemplateDef

# Beyond this many terms a side lists its non-zero terms only, with labels cut to _SHORT_LABEL characters.
_SHORT_SIDE = 4
_SHORT_LABEL = 24
_EPS = 1e-6


@dataclass
class _Outcome:
    rule: Identity | Bound
    lhs: float
    rhs: float

    @property
    def broken(self) -> bool:
        if isinstance(self.rule, Bound):
            return self.lhs > self.rhs + _EPS
        return abs(self.lhs - self.rhs) > _EPS

    def implied_error(self, key: str) -> float:
        """How much too large ``key`` would be if it alone caused this imbalance."""
        return self.lhs - self.rhs if key in self.rule.lhs else self.rhs - self.lhs


def _applicable(report: ParsedReport, template: TemplateDef, rule: Identity | Bound) -> bool:
    if rule.table not in report.tables_found:
        return False
    # A derived row (2021 （六）其他处理) is checked only when the report printed it.
    return all(k in report.cells or not (c := template.cell(k)) or not c.derived for k in (*rule.lhs, *rule.rhs))


def _suspects(outcomes: list[_Outcome]) -> dict[str, float]:
    """Cell → implied error, for cells that alone explain all their identities' imbalances."""
    by_key: dict[str, list[_Outcome]] = defaultdict(list)
    for o in outcomes:
        if isinstance(o.rule, Identity):
            for k in (*o.rule.lhs, *o.rule.rhs):
                by_key[k].append(o)
    suspects = {}
    for key, mine in by_key.items():
        errors = {round(o.implied_error(key), 6) for o in mine}
        if len(mine) >= 2 and all(o.broken for o in mine) and len(errors) == 1:
            suspects[key] = errors.pop()
    return suspects


def _cut(name: str) -> str:
    """「a very long label」 → 「a very long…」."""
    inner = name.strip("「」")
    return name if len(inner) <= _SHORT_LABEL else f"「{inner[:_SHORT_LABEL]}…」"


def _side(report: ParsedReport, names: dict[str, str], keys: tuple[str, ...], total: float) -> str:
    if len(keys) == 1:
        return f"{names[keys[0]]}为 {shown(report, keys[0])}"
    long = len(keys) > _SHORT_SIDE
    shown_keys = [k for k in keys if number(report, k)] if long else list(keys)
    terms = [f"{_cut(names[k]) if long else names[k]}{shown(report, k)}" for k in shown_keys]
    rest = len(keys) - len(shown_keys)
    if rest:
        terms.append(f"其余{rest}项为0或空白")
    return f"{' + '.join(terms)} = {fmt(total)}"


def _finding(report: ParsedReport, template: TemplateDef, o: _Outcome, suspects: dict[str, float]) -> Finding:
    rule = o.rule
    keys = (*rule.lhs, *rule.rhs)
    names = term_names(report, template, keys)
    left = _side(report, names, rule.lhs, o.lhs)
    right = _side(report, names, rule.rhs, o.rhs)
    details: dict[str, object] = {
        "rule": rule.rule,
        "scope": rule.scope,
        "lhs": {k: report.value(k) for k in rule.lhs},
        "rhs": {k: report.value(k) for k in rule.rhs},
        "actual": o.lhs,
        "expected": o.rhs,
    }
    if isinstance(rule, Bound):
        message = f"表{rule.table}{rule.scope}：{left}，大于{right}，数字存疑（规则：{rule.rule}）。"
    else:
        diff = o.lhs - o.rhs
        details["difference"] = diff
        message = f"表{rule.table}{rule.scope}：{left}，但{right}，两者应相等，相差 {fmt(abs(diff))}（规则：{rule.rule}）。"
        mine = [k for k in keys if k in suspects]
        if len(mine) == 1:
            key = mine[0]
            should = number(report, key) - suspects[key]
            details["suspect"] = {"key": key, "value": report.value(key), "expected": should}
            message += (
                f"综合各项核对，最可能填错的是{cell_name(report, template, key)}"
                f"（现为 {shown(report, key)}，按其他数字推算应为 {fmt(should)}）。"
            )
    return Finding(rule.code, rule.severity, message, list(keys), details)


def check(report: ParsedReport, template: TemplateDef, rules: list[Rule]) -> list[Finding]:
    outcomes = [
        _Outcome(r, sum(number(report, k) for k in r.lhs), sum(number(report, k) for k in r.rhs))
        for r in rules
        if isinstance(r, Identity | Bound) and _applicable(report, template, r)
    ]
    suspects = _suspects(outcomes)
    return [_finding(report, template, o, suspects) for o in outcomes if o.broken]

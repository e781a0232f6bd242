"""Rows of a text copy that lost their empty cells: which columns do their figures belong to?

A page copied as text often drops empty cells: ``二、上年结转… | 3 | 3`` is 自然人 3 and 总计 3 with the five
cells between them gone. The row's own label says which row it is; the columns are decided by the
template's 勾稽 identities (core.templates.rules): each short row's figures are placed, in order, in the
columns that make the row's total and the table's column sums and balance hold. Among placements that
satisfy the same identities the one keeping figures leftmost wins (the first applicant columns are the
ones that are rarely empty). When no placement satisfies them all, the caller says the alignment was
guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from math import comb

from core.templates import TEMPLATES, TableDef
from core.templates.rules import Identity, rules_for

_MAX_PLACEMENTS = 20_000  # per row: C(15, 7) is 6,435 (table 四's one row)
_PASSES = 6
_MAX_STATES = 50_000  # distinct identity gaps kept while placing rows; past it the local search decides
_EPSILON = 1e-6


@dataclass
class Line:
    """A data row: the canonical key of each value column (None: no template column), its figures in
    printed order (None for a blank or a placeholder), and whether it is short (lost cells)."""

    keys: Sequence[str | None]
    values: Sequence[float | None]
    short: bool
    placement: tuple[int, ...] = ()
    options: list[tuple[int, ...]] = field(default_factory=list)


@cache
def identities(table: TableDef) -> tuple[tuple[tuple[str, int], ...], ...]:
    """The table's identities over printed cells as signed terms (Σ terms = 0), from its template's
    rules (a row the template derives, never printed, cannot place anything)."""
    for version, template in TEMPLATES.items():
        if any(t is table for t in template.tables):
            rules = [r for r in rules_for(version) if isinstance(r, Identity) and r.table == table.id]
            printed = [r for r in rules if not any(_derived(template.cell(k)) for k in (*r.lhs, *r.rhs))]
            return tuple(tuple([(k, 1) for k in r.lhs] + [(k, -1) for k in r.rhs]) for r in printed)
    return ()


def _derived(cell: object) -> bool:
    return cell is None or bool(getattr(cell, "derived", False))


def align(lines: list[Line], table: TableDef) -> bool:
    """Set each line's ``placement`` (the value column of each figure). Returns False when the short
    lines' figures could not be placed so that every identity they take part in holds."""
    rules = identities(table)
    for line in lines:
        n, k = len(line.keys), len(line.values)
        if not line.short or k > n or comb(n, k) > _MAX_PLACEMENTS:
            line.placement = tuple(range(min(k, n)))
            line.short = False
            continue
        line.options = list(combinations(range(n), k))  # lexicographic: leftmost first
    short = [line for line in lines if line.short]
    if not short:
        return True
    touched = [r for r in rules if any(k in _keys(line) for line in short for k, _ in r)]
    for line in short:
        own = [r for r in touched if _only(r, line)]
        scores = [_satisfied(own, _values(line, p)) for p in line.options]
        top = max(scores)
        line.options = [p for p, s in zip(line.options, scores, strict=True) if s == top]
        line.placement = line.options[0]
    if not _exact(lines, short, touched):
        _search(lines, short, touched)
    values: dict[str, float] = {}
    for line in lines:
        values.update(_values(line, line.placement))
    return _satisfied(touched, values) == len(touched)


def _keys(line: Line) -> set[str]:
    return {k for k in line.keys if k}


def _only(rule: tuple[tuple[str, int], ...], line: Line) -> bool:
    keys = _keys(line)
    return all(k in keys for k, _ in rule)


def _values(line: Line, placement: tuple[int, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for column, value in zip(placement, line.values, strict=True):
        key = line.keys[column]
        if key is not None and value is not None:
            out[key] = value
    return out


def _satisfied(rules: Sequence[tuple[tuple[str, int], ...]], values: dict[str, float]) -> int:
    return sum(1 for r in rules if abs(_residual(r, values)) < _EPSILON)


def _residual(rule: tuple[tuple[str, int], ...], values: dict[str, float]) -> float:
    return sum(values.get(k, 0.0) * sign for k, sign in rule)


def _error(rules: Sequence[tuple[tuple[str, int], ...]], values: dict[str, float]) -> float:
    """How far the identities are from holding: unsatisfied ones first, then the size of the gaps."""
    gaps = [abs(_residual(r, values)) for r in rules]
    return sum(1 for g in gaps if g >= _EPSILON) * 1e6 + sum(gaps)


def _exact(lines: list[Line], short: list[Line], rules: list[tuple[tuple[str, int], ...]]) -> bool:
    """Every placement of the short rows at once, row by row, keeping per distinct set of identity gaps
    only the placements nearest the left; a partial placement is dropped as soon as the rows left cannot
    close a gap (their figures are known, only their columns are not). True when one closes them all."""
    fixed: dict[str, float] = {}
    for line in lines:
        if not line.short:
            fixed.update(_values(line, line.placement))
    start = tuple(_residual(r, fixed) for r in rules)
    shifts = [[tuple(_residual(r, _values(line, p)) for r in rules) for p in line.options] for line in short]
    # per rule: the least and most the rows from i on can still add
    low = [[0.0] * len(rules) for _ in range(len(short) + 1)]
    high = [[0.0] * len(rules) for _ in range(len(short) + 1)]
    for i in reversed(range(len(short))):
        for j in range(len(rules)):
            column = [shift[j] for shift in shifts[i]]
            low[i][j] = low[i + 1][j] + min(column)
            high[i][j] = high[i + 1][j] + max(column)
    states: dict[tuple[float, ...], tuple[int, tuple[int, ...]]] = {start: (0, ())}
    for i, options in enumerate(shifts):
        after: dict[tuple[float, ...], tuple[int, tuple[int, ...]]] = {}
        for gaps, (cost, chosen) in states.items():
            for o, shift in enumerate(options):
                moved = tuple(round(g + d, 6) for g, d in zip(gaps, shift, strict=True))
                if any(not low[i + 1][j] - _EPSILON <= -g <= high[i + 1][j] + _EPSILON for j, g in enumerate(moved)):
                    continue
                best = after.get(moved)
                if best is None or cost + o < best[0]:
                    after[moved] = (cost + o, (*chosen, o))
        if not after or len(after) > _MAX_STATES:
            return False
        states = after
    done = [state for gaps, state in states.items() if all(abs(g) < _EPSILON for g in gaps)]
    if not done:
        return False
    _, chosen = min(done)
    for line, o in zip(short, chosen, strict=True):
        line.placement = line.options[o]
    return True


def _search(lines: list[Line], short: list[Line], rules: list[tuple[tuple[str, int], ...]]) -> None:
    """Local search: move one row's figures, then two rows' at once, to the placements that bring the
    identities closest to holding, until nothing improves (ties keep the current, leftmost placement)."""
    values: dict[str, float] = {}
    for line in lines:
        values.update(_values(line, line.placement))
    related = {id(line): [r for r in rules if any(k in _keys(line) for k, _ in r)] for line in short}
    movable = [line for line in short if len(line.options) > 1]
    for _ in range(_PASSES):
        improved = False
        for line in movable:
            improved |= _move(line, values, related[id(line)])
        if not improved:
            improved = _move_pair(movable, values, rules)
        if not improved:
            break
    for line in movable:  # among placements as good, the leftmost
        _leftmost(line, values, related[id(line)])


def _leftmost(line: Line, values: dict[str, float], mine: list[tuple[tuple[str, int], ...]]) -> None:
    for key in _keys(line):
        values.pop(key, None)
    current = _error(mine, values | _values(line, line.placement))
    for placement in line.options:
        if placement >= line.placement:
            break
        if _error(mine, values | _values(line, placement)) <= current + _EPSILON:
            line.placement = placement
            break
    values.update(_values(line, line.placement))


def _move(line: Line, values: dict[str, float], mine: list[tuple[tuple[str, int], ...]]) -> bool:
    for key in _keys(line):
        values.pop(key, None)
    current = _error(mine, values | _values(line, line.placement))
    best, best_error = line.placement, current
    for placement in line.options:
        error = _error(mine, values | _values(line, placement))
        if error < best_error - _EPSILON:
            best, best_error = placement, error
    moved = best != line.placement
    line.placement = best
    values.update(_values(line, line.placement))
    return moved


def _move_pair(movable: list[Line], values: dict[str, float], rules: list[tuple[tuple[str, int], ...]]) -> bool:
    """Two rows whose figures must trade columns together (a column sum holds only when both move)."""
    broken = [r for r in rules if abs(_residual(r, values)) >= _EPSILON]
    if not broken:
        return False
    keys = {k for r in broken for k, _ in r}
    candidates = [line for line in movable if _keys(line) & keys][:12]
    current = _error(rules, values)
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            if len(a.options) * len(b.options) > 2_000:
                continue
            base = {k: v for k, v in values.items() if k not in _keys(a) and k not in _keys(b)}
            for pa in a.options:
                with_a = base | _values(a, pa)
                for pb in b.options:
                    if _error(rules, with_a | _values(b, pb)) < current - _EPSILON:
                        a.placement, b.placement = pa, pb
                        values.clear()
                        values.update(with_a | _values(b, pb))
                        return True
    return False

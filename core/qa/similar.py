"""Words the vocabulary does not list, read by their similarity to the catalogue's terms — or left
unexplained, so that the question is refused rather than guessed.

A chunk of the question nothing explains (and that is no agency name) is tried, with the words next to it,
against every Chinese term of the term index (core.qa.lexicon: the catalogue's labels, short forms,
descriptions, and the words of intent):

* **Affixes learnt from the catalogue's own words.** When the vocabulary holds a term made of an affix and
  another term of the same concept (申请 + 量 → 申请量, 新 + 制发 → 新制发), that affix attached to any word of
  that concept keeps the word's meaning: 新制定 is 制定; an affix that does so for several concepts (量 in
  申请量, 处理决定数量 …) does so for any word (复议量 is 复议). An affix seen only where it changes the
  concept (新公开 is not 公开, 未办结 is not 办结) explains nothing, and a character no term holds (半公开)
  is never dropped.
* **Characters.** A window of the question around the chunk, its filler words left out, that is within
  one edit in five of a term (Levenshtein), where the edits only substitute the chunk's own characters or
  add one character the user left out: 需要另外制作 → 需要另行制作, 复议以后 → 复议后. The words of the
  window that mean something must appear unchanged in the term; a window as close to terms of two
  different meanings is left alone.

What is read this way is a fuzzy token: the answer says how it was read ("按…理解").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from core.qa.lexicon import Meaning, Token, index
from core.qa.parse import Chunk

_HAN = re.compile(r"[\u3400-\u9fff]+")
MIN_SIMILARITY = 0.8  # one edit in five characters
MAX_WINDOW = 12  # characters of the question compared with a term (信访举报投诉类的申请)
MAX_CHUNK = 4  # longer unexplained chunks are something else, not a variant of a term


@dataclass(frozen=True)
class _Terms:
    meanings: dict[str, tuple[Meaning, ...]]  # Chinese term → its meanings (concepts only)
    strings: list[str]  # the terms with a concept, for rapidfuzz
    prefix: dict[str, frozenset[str]]  # affix → the concepts it leaves unchanged
    suffix: dict[str, frozenset[str]]


def _concepts(meanings: Sequence[Meaning]) -> set[str]:
    return {m.value for m in meanings if m.kind == "concept"}


@cache
def _terms() -> _Terms:
    han = {
        "".join(key): meanings
        for key, meanings in index().exact.items()
        if all(_HAN.fullmatch(k) for k in key)
    }
    concepts = {t: tuple(m for m in ms if m.kind == "concept") for t, ms in han.items()}
    with_concept = {t: ms for t, ms in concepts.items() if ms}
    prefix: dict[str, set[str]] = {}
    suffix: dict[str, set[str]] = {}
    for term, ms in with_concept.items():
        for n in (1, 2):
            if len(term) - n < 1:
                continue
            for affix, rest, table in ((term[:n], term[n:], prefix), (term[-n:], term[:-n], suffix)):
                shared = _concepts(ms) & _concepts(with_concept.get(rest, ()))
                if shared:
                    table.setdefault(affix, set()).update(shared)
    return _Terms(
        with_concept,
        [t for t in with_concept if len(t) >= 2],
        {a: _general(c) for a, c in prefix.items()},
        {a: _general(c) for a, c in suffix.items()},
    )


ANY = "*"
GENERAL = 3  # an affix that leaves this many concepts unchanged is a general one (量, 数量, 本年, 行政)


def _general(concepts: set[str]) -> frozenset[str]:
    return frozenset({ANY}) if len(concepts) >= GENERAL else frozenset(concepts)


def warm() -> None:
    _terms()


def _neighbours(tokens: Sequence[Token], chunk: Chunk) -> tuple[list[Token], list[Token]]:
    """The tokens right before and right after the chunk, nearest first, with no gap between them."""
    before: list[Token] = []
    at = chunk.span[0]
    for t in sorted((t for t in tokens if t.end <= chunk.span[0]), key=lambda t: -t.end):
        if t.end != at:
            break
        before.append(t)
        at = t.start
    after: list[Token] = []
    at = chunk.span[1]
    for t in sorted((t for t in tokens if t.start >= chunk.span[1]), key=lambda t: t.start):
        if t.start != at:
            break
        after.append(t)
        at = t.end
    return before, after


def _plain(t: Token) -> bool:
    """A word a window may take in: it names a figure, means nothing or negates (没 in 没审完); not a year,
    another intent or a kind."""
    return all(m.kind in ("concept", "stop") or (m.kind, m.value) == ("intent", "negative") for m in t.meanings)


# Characters people write for one another in these phrases (审完 = 审结, 没给 = 未予): a window whose
# unexplained characters, so replaced, is a term exactly is that term.
_SYNONYM = {"完": "结", "毕": "结", "没": "未", "无": "未", "还": "尚", "给": "予", "讼": "诉"}


def _affix(chunk: Chunk, before: list[Token], after: list[Token]) -> Token | None:
    terms = _terms()
    for side, table in ((after[:1], terms.prefix), (before[:1], terms.suffix)):
        if not side:
            continue
        t = side[0]
        keep = table.get(chunk.text, frozenset())
        meanings = tuple(m for m in t.meanings if m.kind == "concept" and (m.value in keep or ANY in keep))
        if meanings:
            start, end = min(t.start, chunk.span[0]), max(t.end, chunk.span[1])
            text = chunk.text + t.text if t.start >= chunk.span[1] else t.text + chunk.text
            return Token(start, end, text, t.term, meanings, True)
    return None


def _aligned(window: str, term: str, chunk: tuple[int, int], filler: set[int]) -> bool:
    """Every edit from ``window`` to ``term`` substitutes a character of the chunk, drops a filler
    character, or adds the one character the user left out."""
    inserts = 0
    for op in Levenshtein.editops(window, term):
        if op.tag == "replace" and not chunk[0] <= op.src_pos < chunk[1]:
            return False
        if op.tag == "delete" and op.src_pos not in filler:
            return False
        inserts += op.tag == "insert"
    return inserts <= 1


def _window(
    text: str, chunk: Chunk, before: list[Token], after: list[Token]
) -> tuple[Token, list[Token]] | None:
    """The closest term to a window around the chunk (its filler words left out), as a token, and the
    tokens it replaces."""
    terms = _terms()
    found: list[tuple[float, int, str, int, int, list[Token]]] = []
    for nb in range(len(before) + 1):
        for na in range(len(after) + 1):
            taken = [*before[:nb], *after[:na]]
            if not all(_plain(t) for t in taken):
                continue
            start = before[nb - 1].start if nb else chunk.span[0]
            end = after[na - 1].end if na else chunk.span[1]
            if end - start > MAX_WINDOW or not _HAN.fullmatch(text[start:end]):
                continue
            filler = {
                i for t in taken if all(m.kind == "stop" for m in t.meanings) for i in range(t.start, t.end)
            }
            # the window as typed (its filler may be dropped) and without its filler (需要 in 需要另外制作
            # is part of the term; 以 in 复议以后 is not)
            for kept, droppable in (
                (range(start, end), filler),
                ([i for i in range(start, end) if i not in filler], set()),
            ):
                kept = list(kept)
                window = "".join(text[i] for i in kept)
                span = (kept.index(chunk.span[0]), kept.index(chunk.span[1] - 1) + 1)
                variant = "".join(
                    _SYNONYM.get(ch, ch) if span[0] <= k < span[1] or ch == "没" else ch for k, ch in enumerate(window)
                )
                if variant != window and variant in terms.meanings:
                    found.append((1.0, -len(taken), variant, start, end, taken))
                dropped = {kept.index(i) for i in droppable}
                for term, score, _ in process.extract(
                    window, terms.strings, scorer=Levenshtein.normalized_similarity,
                    score_cutoff=MIN_SIMILARITY, limit=8,
                ):  # fmt: skip
                    if _aligned(window, term, span, dropped):
                        found.append((score, -len(taken), term, start, end, taken))
    if not found:
        return None
    found.sort(key=lambda f: (f[0], f[1]), reverse=True)
    score, size, term, start, end, taken = found[0]
    best = _concepts(terms.meanings[term])
    if any(f[0] == score and f[1] == size and _concepts(terms.meanings[f[2]]) != best for f in found[1:]):
        return None  # as close to another meaning: not read
    return Token(start, end, text[start:end], term, terms.meanings[term], True), taken


def _term(text: str) -> tuple[Meaning, ...]:
    return index().exact.get(tuple(text), ()) if _HAN.fullmatch(text) else ()


def _recut(chunk: Chunk, before: list[Token], after: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """A neighbour that took a character the chunk needs (街道办 + 结 → 街道 + 办结, 相 + 差多少 → 相差 + 多少):
    cut again where both sides are terms and everything the neighbour meant is still said. Only exact terms,
    no similarity."""
    if len(chunk.text) > 2:
        return None
    for t, side in ((before[:1], "before"), (after[:1], "after")):
        if not t or t[0].fuzzy or len(t[0].text) < 3:
            continue
        tok = t[0]
        if side == "before":
            kept, moved = tok.text[:-1], tok.text[-1] + chunk.text
            kept_span, moved_span = (tok.start, tok.end - 1), (tok.end - 1, chunk.span[1])
        else:
            kept, moved = tok.text[1:], chunk.text + tok.text[0]
            kept_span, moved_span = (tok.start + 1, tok.end), (chunk.span[0], tok.start + 1)
        kept_meanings, moved_meanings = _term(kept), _term(moved)
        if not kept_meanings or not any(m.kind in ("concept", "intent") for m in moved_meanings):
            continue
        if not set(tok.meanings) <= {*kept_meanings, *moved_meanings}:
            continue  # what the neighbour meant would be lost (差多少 → 相差 + 多少 keeps the comparison)
        return [tok], [Token(*kept_span, kept, kept, kept_meanings), Token(*moved_span, moved, moved, moved_meanings)]
    return None


def explain(text: str, tokens: list[Token], chunks: list[Chunk]) -> tuple[list[Token], list[Chunk]]:
    """The tokens with the chunks read by similarity, and the chunks still unexplained."""
    tokens = list(tokens)
    left: list[Chunk] = []
    for chunk in chunks:
        if chunk.name_like or len(chunk.text) > MAX_CHUNK or not _HAN.fullmatch(chunk.text):
            left.append(chunk)
            continue
        before, after = _neighbours(tokens, chunk)
        recut = _recut(chunk, before, after)
        if recut is not None:
            old, new = recut
            tokens = sorted([*(t for t in tokens if all(t is not o for o in old)), *new], key=lambda t: t.start)
            continue
        found = _affix(chunk, before, after)
        replaced: list[Token] = []
        if found is not None:
            replaced = [t for t in (*before[:1], *after[:1]) if found.start <= t.start and t.end <= found.end]
        else:
            window = _window(text, chunk, before, after)
            if window is not None:
                found, replaced = window
        if found is None:
            left.append(chunk)
            continue
        tokens = [t for t in tokens if all(t is not r for r in replaced)]
        tokens.append(found)
        tokens.sort(key=lambda t: t.start)
    return tokens, left

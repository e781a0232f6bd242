"""Reading the words of a question: every known term with what it can mean, found exactly, as a homophone
(a typo made with a pinyin keyboard: 予以工开 → 予以公开) or, in English, with a spelling slip.

The question is cut into *units* (a Chinese character, an English word, a number). :func:`segment` covers
the free units with terms so that longer terms win (the cover maximises the sum of squared term lengths),
and returns what is left uncovered: those are the words nothing explains (a name, or something the reports
do not record). Terms come from the question catalogue (figures) and core.qa.vocabulary (everything else);
the index is built once per process (:func:`warm`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from core import pinyin
from core.build_cache import PACKAGE, cached
from core.qa import vocabulary
from core.templates.catalogue import AMBIGUOUS_WORDS, concept_words
from core.textnorm import clean

MeaningKind = Literal["concept", "intent", "year", "kind", "stop"]
UnitKind = Literal["han", "word", "num", "sep"]


@dataclass(frozen=True)
class Meaning:
    kind: MeaningKind
    value: str  # concept id, intent name, year word, kind of agency ("" for stop)
    soft: bool = False  # a concept word that may stay unexplained (get, 申请)
    hint: bool = False  # a concept word that must be explained but names nothing alone (公开)


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    form: str  # a character, an English word (lower case, singular), a number
    kind: UnitKind


@dataclass(frozen=True)
class Token:
    start: int  # offsets in the normalised question
    end: int
    text: str
    term: str  # the term it was read as
    meanings: tuple[Meaning, ...]
    fuzzy: bool = False  # a homophone or a misspelling

    def has(self, kind: MeaningKind) -> bool:
        return any(m.kind == kind for m in self.meanings)

    def values(self, kind: MeaningKind) -> list[str]:
        return [m.value for m in self.meanings if m.kind == kind]


_INNER = frozenset("/、·-“”‘’\"'「」『』《》")  # separators inside terms (危及“三安全一稳定”: quotes too)
# A hyphen joins English words as 、 joins Chinese ones (error-correction = error correction): a separator
# inside a term, not part of a word.
_UNIT = re.compile(r"[\u3400-\u9fff]|[a-z][a-z']*|\d+(?:\.\d+)?|%|\S")
# didn't → did + not, can't → can + not: the negation is a word of its own.
_NEGATED = {"ca": "can", "wo": "will", "sha": "shall"}
_ARTICLES = frozenset({"the", "a", "an"})
# didnt, doesnt: the apostrophe left out, as people type in chat.
_NEGATED_PLAIN = {"didnt": "did", "doesnt": "does", "dont": "do", "wasnt": "was", "werent": "were", "isnt": "is",
                  "arent": "are", "hasnt": "has", "havent": "have", "hadnt": "had", "cant": "can", "wont": "will",
                  "couldnt": "could", "wouldnt": "would", "shouldnt": "should"}  # fmt: skip
# Short forms of English words people type in chat, read as the words they stand for.
_ABBREVIATED = {
    "bc": "because",
    "nr": "number",
    "admin": "administrative",
    "govt": "government",
    "gov't": "government",
    "gov": "government",
    "dept": "department",
    "req": "request",
    "app": "application",
    "info": "information",
    "yr": "year",
}
_HAN = re.compile(r"[\u3400-\u9fff]")


def _singular(word: str) -> str:
    word = word.removesuffix("'s").removesuffix("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def units(text: str) -> list[Unit]:
    out = []
    for m in _UNIT.finditer(text):
        s = m.group()
        if _HAN.match(s):
            out.append(Unit(m.start(), m.end(), s, "han"))
        elif s[0].isalpha() and s.endswith("n't") and len(s) > 3:
            head = s[:-3]
            out.append(Unit(m.start(), m.end() - 3, _NEGATED.get(head, head), "word"))
            out.append(Unit(m.end() - 3, m.end(), "not", "word"))
        elif s in _NEGATED_PLAIN:
            out.append(Unit(m.start(), m.end() - 2, _NEGATED_PLAIN[s], "word"))
            out.append(Unit(m.end() - 2, m.end(), "not", "word"))
        elif s in _ARTICLES:
            continue  # carried over to the next year = carried over to next year
        elif s[0].isalpha():
            form = _singular(s)
            out.append(Unit(m.start(), m.end(), _ABBREVIATED.get(form, form), "word"))
        elif s[0].isdigit():
            out.append(Unit(m.start(), m.end(), s, "num"))
        elif s == "%":
            out.append(Unit(m.start(), m.end(), s, "word"))
        else:
            out.append(Unit(m.start(), m.end(), s, "sep"))
    return out


def _key(term: str) -> tuple[str, ...]:
    return tuple(u.form for u in units(clean(term).lower()) if u.kind != "sep")


@dataclass
class Index:
    exact: dict[tuple[str, ...], tuple[Meaning, ...]]
    by_sound: dict[tuple[str, int], list[tuple[tuple[str, ...], tuple[str, ...]]]]  # (first syllable, len)
    english: list[str]  # every single English word of a term, for spelling slips
    longest: int
    stems: dict[tuple[str, ...], tuple[tuple[tuple[str, ...], tuple[Meaning, ...]], ...]]  # stems → terms


def _all_terms() -> Iterable[tuple[str, Meaning]]:
    for c in concept_words():
        for w in (*c.labels, *c.short, *c.described, *c.english):
            yield w, Meaning("concept", c.concept)
        for w in c.soft:
            yield w, Meaning("concept", c.concept, soft=True)
        for w in c.hint:
            yield w, Meaning("concept", c.concept, hint=True)
    for w, concepts in AMBIGUOUS_WORDS.items():
        for concept in concepts:
            yield w, Meaning("concept", concept)
    for name, ws in vocabulary.INTENT.items():
        for w in ws:
            yield w, Meaning("intent", name)
    for name, ws in vocabulary.YEAR_WORDS.items():
        for w in ws:
            yield w, Meaning("year", name)
    for name, ws in vocabulary.KINDS.items():
        for w in ws:
            yield w, Meaning("kind", name)
    for w in vocabulary.STOP:
        yield w, Meaning("stop", "")


@cache
def index() -> Index:
    """The term index, built once per package version and kept between processes (core.build_cache)."""
    sources = [*(PACKAGE / "qa").glob("*.py"), *(PACKAGE / "templates").glob("*.py"), PACKAGE / "textnorm.py"]
    stemmer = find_spec("snowballstemmer")  # found, not imported: the stems are the installed stemmer's
    assert stemmer is not None and stemmer.origin is not None
    sources += [pinyin.TABLE, Path(pinyin.__file__), Path(stemmer.origin).with_name("english_stemmer.py")]
    return cached("lexicon-index", sources, _build_index)


def _build_index() -> Index:
    exact: dict[tuple[str, ...], list[Meaning]] = {}
    for term, meaning in _all_terms():
        key = _key(term)
        if key:
            found = exact.setdefault(key, [])
            if meaning not in found:
                found.append(meaning)
    by_sound: dict[tuple[str, int], list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for key, meanings in exact.items():
        # figures, question words (合记 → 合计) and kinds of agency; not years (区年 is no 去年) nor filler
        if (
            len(key) >= 2
            and all(_HAN.match(f) for f in key)
            and any(m.kind in ("concept", "intent", "kind") for m in meanings)
        ):
            sound = pinyin.syllables("".join(key))
            by_sound.setdefault((sound[0], len(key)), []).append((key, sound))
    for word in vocabulary.FUNCTION_WORDS:  # only where the vocabulary gives the word no meaning
        exact.setdefault((_singular(word),), [Meaning("stop", "")])
    english = sorted({f for key in exact for f in key if f.isalpha() and f.isascii() and len(f) >= 4})
    stems: dict[tuple[str, ...], list[tuple[tuple[str, ...], tuple[Meaning, ...]]]] = {}
    for key, meanings in exact.items():
        if all(f.isascii() for f in key) and any(f.isalpha() for f in key):
            stems.setdefault(_stems(key), []).append((key, tuple(meanings)))
    return Index(
        {k: tuple(v) for k, v in exact.items()}, by_sound, english, max(len(k) for k in exact),
        {k: tuple(v) for k, v in stems.items()},
    )  # fmt: skip


@cache
def _stemmer() -> Any:
    from snowballstemmer.english_stemmer import EnglishStemmer

    return EnglishStemmer()


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word) if word.isalpha() and word.isascii() else word


def _stems(key: Sequence[str]) -> tuple[str, ...]:
    return tuple(_stem(f) for f in key)


def _ongoing(word: str) -> bool:
    return word.endswith("ing")


def _other_form(key: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[Meaning, ...]] | None:
    """A term whose words have the stems of ``key``'s, read with the meanings of all such terms. A word
    in -ing is the form of a term in -ing only (still processing is not processed)."""
    found = [
        (term, meanings)
        for term, meanings in index().stems.get(_stems(key), ())
        if all(_ongoing(a) == _ongoing(b) for a, b in zip(key, term, strict=True))
    ]
    if not found:
        return None
    merged: list[Meaning] = []
    for _, meanings in found:
        merged += [m for m in meanings if m not in merged]
    return found[0][0], tuple(merged)


def warm() -> None:
    """Build the term index now (at start-up), so that the first question does not wait for it."""
    index()
    readings("公")


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """The usual toneless pinyin reading of one character. Rare readings are left out: 有 also reads "wei",
    which made 有什么 a homophone of 为什么."""
    return frozenset({pinyin.reading(char)})


@lru_cache(maxsize=4096)
def _spelled(word: str) -> str | None:
    """An English word of the vocabulary that ``word`` misspells (recieved → received, proccess → process):
    one edit or transposition away, same first letter, at least six letters."""
    if len(word) < 6:
        return None
    for found, _, _ in process.extract(word, index().english, scorer=fuzz.ratio, score_cutoff=80, limit=3):
        if found[0] == word[0] and DamerauLevenshtein.distance(word, found) <= 1:
            return found
    return None


# Question words that pick agencies out of many (哪个单位, 各单位, 几个单位).
_PICKS_AGENCIES = frozenset({"which", "each", "count"})


@dataclass(frozen=True)
class _Candidate:
    end: int  # unit index after the term
    score: float
    key: tuple[str, ...]
    fuzzy: bool
    meanings: tuple[Meaning, ...] = ()


def _candidates(forms: Sequence[str], kinds: Sequence[UnitKind], i: int, stop: int) -> list[_Candidate]:
    idx = index()
    found: list[_Candidate] = []
    for length in range(1, min(idx.longest, stop - i) + 1):
        key = tuple(forms[i : i + length])
        meanings = idx.exact.get(key)
        fuzzy = False
        if not meanings and kinds[i] == "word" and (other := _other_form(key)) is not None:
            key, meanings = other  # rejections, publishing: another form of a term
            fuzzy = True
        if meanings:
            size = sum(2 if k == "word" else 1 for k in kinds[i : i + length])
            weight = 1.0 if any(m.kind != "stop" for m in meanings) else (0.5 if size >= 2 else 0.05)
            if any(m.kind == "intent" and m.value in _PICKS_AGENCIES for m in meanings):
                weight *= (
                    1.001  # on a tie the question word keeps its noun: 哪个单位|申请最多, not 哪个|单位申请
                )
            score = weight * size * size * (0.9 if fuzzy else 1)
            found.append(_Candidate(i + length, score, key, fuzzy, meanings))
    if kinds[i] == "han":
        found += _homophones(forms, kinds, i, stop)
    return found


def _homophones(forms: Sequence[str], kinds: Sequence[UnitKind], i: int, stop: int) -> list[_Candidate]:
    idx = index()
    out = []
    for first in readings(forms[i]):
        for length in range(2, min(idx.longest, stop - i) + 1):
            if kinds[i + length - 1] != "han":
                break
            typed = forms[i : i + length]
            if tuple(typed) in idx.exact:
                continue  # a word typed as it is known (完了) is no typo of another (晚了)
            found = []
            for key, sound in idx.by_sound.get((first, length), ()):
                same = sum(a == b for a, b in zip(typed, key, strict=True))
                if same == length or same * 2 < length:
                    continue
                if all(s in readings(c) for s, c in zip(sound, typed, strict=True)):
                    found.append(key)
            if len({idx.exact[key] for key in found}) == 1:  # 接道: 街道 or 接到? neither is guessed
                out += [_Candidate(i + length, 0.6 * length * length, key, True) for key in found]
    return out


def segment(
    text: str, free: Sequence[bool], through: Sequence[tuple[int, int]] = ()
) -> tuple[list[Token], list[Unit]]:
    """Cover the free characters of ``text`` with terms; the tokens read, and the units nothing covers.
    A term goes on across the spans ``through`` (the numbering in 本年度办理结果（七）总计), which are read as
    nothing."""
    skip = set().union(*(range(a, b) for a, b in through))
    all_units = [u for u in units(text) if all(free[u.start : u.end]) and u.start not in skip]
    tokens: list[Token] = []
    uncovered: list[Unit] = []
    run: list[Unit] = []
    for u in [*all_units, None]:
        if u is not None and u.kind == "sep" and u.form in _INNER:
            continue  # 本年增/减, 行政复议、行政诉讼: a term goes on across these
        if u is None or u.kind == "sep" or (run and _gap(text, run[-1], u, free)):
            t, rest = _cover(text, run)
            tokens += t
            uncovered += rest
            run = []
        if u is not None and u.kind != "sep":
            run.append(u)
    return tokens, uncovered


def _gap(text: str, a: Unit, b: Unit, free: Sequence[bool]) -> bool:
    """Units separated by something taken (a name, a year) belong to different runs."""
    return any(not free[k] for k in range(a.end, b.start))


def _cover(text: str, run: list[Unit]) -> tuple[list[Token], list[Unit]]:
    if not run:
        return [], []
    idx = index()
    forms = [u.form for u in run]
    kinds = [u.kind for u in run]
    spelled = list(forms)
    for k, u in enumerate(run):
        if u.kind == "word" and tuple([u.form]) not in idx.exact and (fix := _spelled(u.form)):
            spelled[k] = fix
    n = len(run)
    best: list[tuple[float, list[_Candidate | None]]] = [(0.0, [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        options: list[tuple[float, list[_Candidate | None]]] = [(best[i + 1][0], [None, *best[i + 1][1]])]
        for cand in _candidates(spelled, kinds, i, n):
            fuzzy = cand.fuzzy or any(spelled[k] != forms[k] for k in range(i, cand.end))
            cand = _Candidate(
                cand.end,
                cand.score * (0.8 if fuzzy and not cand.fuzzy else 1.0),
                cand.key,
                fuzzy,
                cand.meanings,
            )
            options.append((cand.score + best[cand.end][0], [cand, *best[cand.end][1]]))
        best[i] = max(options, key=lambda o: o[0])
    tokens: list[Token] = []
    uncovered: list[Unit] = []
    i = 0
    for cand in best[0][1]:
        if i >= n:
            break
        if cand is None:
            uncovered.append(run[i])
            i += 1
            continue
        start, end = run[i].start, run[cand.end - 1].end
        term = "".join(cand.key) if all(_HAN.match(k) for k in cand.key) else " ".join(cand.key)
        tokens.append(
            Token(start, end, text[start:end], term, cand.meanings or idx.exact[cand.key], cand.fuzzy)
        )
        i = cand.end
    return tokens, uncovered

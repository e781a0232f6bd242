"""Which catalogue entry a question means, scored on the concepts its words name.

A reading of entry E is *complete* when the question names one of E's ``needs`` and every word that names
something is explained by E (``accepts``). The best complete reading wins when no other comes close; equal
ones become a pick-list. When no reading is complete, readings that explain every word but miss a need
("被纠正了几件": 复议 or 诉讼?) are asked about; when some word is explained by nothing, the question is
about something the reports do not record, and the closest entries are offered instead. A default figure
is never substituted for one the question named.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

from core.qa.lexicon import Token
from core.templates.catalogue import AMBIGUOUS_WORDS, Entry, EntryKind, Need, entries
from core.templates.catalogue_words import TOPICS

Status = Literal["answer", "ambiguous", "partial", "none"]
MAX_CHOICES = 5


@dataclass(frozen=True)
class Scored:
    entry: Entry
    covered: float  # characters of the question this reading explains
    complete: bool
    unexplained: tuple[Token, ...]
    need: Need | None  # the need the question meets (None: none)
    relevance: int  # concepts named that are the entry's own (not only accepted)
    firm: bool = False  # the need is met by words that are not merely generic (收了 for 收费金额)

    @property
    def rank(self) -> tuple[float, ...]:
        defaults = self.need.defaults if self.need else 9
        return (
            self.covered,
            self.entry.kind != "breakdown",  # a figure beats a breakdown reading the same words
            self.firm,
            -defaults,
            self.relevance,
            len(self.need.concepts) if self.need else 0,
        )


@dataclass
class Match:
    status: Status
    best: list[Scored] = field(default_factory=list)  # the winner, the tied or the closest

    @property
    def entry(self) -> Entry | None:
        return self.best[0].entry if self.status == "answer" and self.best else None


def _size(token: Token) -> float:
    return float(
        len(token.text.replace(" ", "")) if not token.text.isascii() else 2 * len(token.text.split())
    )


def score(entry: Entry, tokens: Sequence[Token]) -> Scored:
    """How ``entry`` reads ``tokens``. A word is explained when one of its meanings is a concept the entry
    accepts, or one of the need the question meets (直接起诉和复议后起诉 → 行政诉讼). Generic words (soft:
    申请, 收了) may stay unexplained, and count for nothing either way."""
    named = _named(tokens)
    hinted = {m.value for t in tokens for m in t.meanings if m.kind == "concept"}
    met = [n for n in entry.needs if n.concepts <= named and _each_said(n.concepts, tokens)]
    need = max(met, key=lambda n: (len(n.concepts), -n.defaults)) if met else None
    extra = need.concepts if need else frozenset()
    accepts = entry.accepts
    # one part (复议后起诉) with a word of the whole (打官司) is that part, not the group's sum; a rate
    # over both parts explains them only both named (直接诉讼和复议后诉讼一起算)
    if (
        entry.parts_named
        and not (need and entry.parts_named <= need.concepts)
        and not (entry.kind == "rate" and entry.parts_named <= named)
    ):
        accepts = accepts - entry.parts_named
    covered = 0.0
    unexplained = []
    for t in tokens:
        concepts = [m for m in t.meanings if m.kind == "concept"]
        accepted = [m for m in concepts if m.value in accepts or m.value in extra]
        if entry.table == "四" and _names_requests(t):
            # 收到几件行政复议: received, as requests are; but 收到申请最多的那个 … 行政复议 asks of requests
            accepted = [m for m in accepted if m.value != "row:apply.new"]
        if any(not m.soft for m in accepted):
            covered += _size(t)
        elif (
            not accepted and not t.has("stop") and (entry.kind == "fact" or not all(m.soft for m in concepts))
        ):
            # a word that is also filler (disclosure, ended) needs no explaining; a fact about the report
            # explains no word about requests (how many requests were answered late ≠ was the report late)
            unexplained.append(t)
    firmly = {m.value for t in tokens for m in t.meanings if m.kind == "concept" and not m.soft}
    firm = any(n.concepts <= firmly for n in met)
    relevance = len(entry.concepts & hinted)
    return Scored(
        entry, covered, need is not None and not unexplained, tuple(unexplained), need, relevance, firm
    )


@cache
def _request_words() -> tuple[str, ...]:
    return tuple(w for w in TOPICS["apply"].soft if len(w) <= 12)


def _names_requests(token: Token) -> bool:
    """Whether the word says requests themselves (收到的申请, received requests), not only a verb (收到)."""
    return any(w in token.term for w in _request_words())


def _each_said(concepts: frozenset[str], tokens: Sequence[Token]) -> bool:
    """An ambiguous word (其他: the row 其他处理 or the column 其他) names one of its meanings, never two at
    once: 申请人是其他 is the column 其他 of 申请, not the cell 其他处理 × 其他."""
    if len(concepts) < 2:
        return True
    rest = set(concepts)
    ambiguous = 0
    for t in tokens:
        said = {m.value for m in t.meanings if m.kind == "concept"} & concepts
        if t.term in AMBIGUOUS_WORDS:
            ambiguous += bool(said)
        else:
            rest -= said
    return len(rest) <= ambiguous


def _named(tokens: Sequence[Token]) -> set[str]:
    """The concepts the question names. A hint word names its concept when the question is about requests
    (公开了多少申请 → 予以公开; 公开了多少条信息 names nothing)."""
    concepts = [m for t in tokens for m in t.meanings if m.kind == "concept"]
    about_requests = any(m.value == "topic:apply" for m in concepts)
    return {m.value for m in concepts if not m.hint or about_requests}


@cache
def _by_concept() -> dict[str, tuple[Entry, ...]]:
    """Concept → the entries that explain it: only those can read a question that names it."""
    found: dict[str, list[Entry]] = {}
    for e in entries():
        for c in e.accepts:
            found.setdefault(c, []).append(e)
    return {c: tuple(es) for c, es in found.items()}


def match(
    tokens: Sequence[Token],
    *,
    versions: Collection[str] = ("2019", "2021"),
    kinds: Collection[EntryKind] = ("cell", "group", "rate", "fact", "breakdown"),
) -> Match:
    """The entry ``tokens`` (the question's concept words) ask for, among entries of ``kinds`` that exist
    in one of ``versions``."""
    return _match(tuple(tokens), tuple(sorted(versions)), tuple(sorted(kinds)))


@lru_cache(maxsize=1024)
def _match(tokens: tuple[Token, ...], versions: tuple[str, ...], kinds: tuple[EntryKind, ...]) -> Match:
    if not tokens:
        return Match("none")
    named = {m.value for t in tokens for m in t.meanings if m.kind == "concept"}  # hints find entries too
    index = _by_concept()
    pool = {
        e.id: e
        for c in sorted(named)
        for e in index.get(c, ())
        if e.kind in kinds and any(v in e.versions for v in versions)
    }
    scored = [score(e, tokens) for e in pool.values()]
    complete = sorted((s for s in scored if s.complete), key=lambda s: s.rank, reverse=True)
    if complete:
        top = complete[0].rank
        tied = [s for s in complete if s.rank == top]
        if len(tied) == 1 and (others := _other_meanings(tokens, tied[0], scored)):
            return Match("ambiguous", [tied[0], *others][:MAX_CHOICES])
        return Match("answer" if len(tied) == 1 else "ambiguous", tied[:MAX_CHOICES])
    partial = [
        s for s in scored
        if not s.unexplained and s.covered > 0 and s.relevance > 0 and _plausible(s.entry, named)
    ]  # fmt: skip
    if partial:
        partial.sort(key=lambda s: (s.relevance, s.covered), reverse=True)
        best = partial[0]
        close = [s for s in partial if (s.relevance, s.covered) == (best.relevance, best.covered)]
        return Match("partial", close[:MAX_CHOICES])
    closest = sorted(
        (s for s in scored if s.covered > 0 and s.relevance > 0), key=lambda s: s.rank, reverse=True
    )
    return Match("none", closest[:3])


def _other_meanings(tokens: Sequence[Token], best: Scored, scored: Sequence[Scored]) -> list[Scored]:
    """其他 said alone (其他有多少): the winner reads one of its meanings; the others (the column 其他, 其他结果)
    are as likely, so the closest reading of each is offered with it. Nothing when another word names a
    figure."""
    ambiguous = [t for t in tokens if t.term in AMBIGUOUS_WORDS]
    if (
        not ambiguous
        or best.need is None
        or best.entry.kind not in ("cell", "group")  # is the report complete: of the report, a fact
        or any(
            t.term not in AMBIGUOUS_WORDS and any(m.kind == "concept" and not m.soft for m in t.meanings)
            for t in tokens
        )
    ):
        return []
    out = []
    for meaning in dict.fromkeys(c for t in ambiguous for c in AMBIGUOUS_WORDS[t.term]):
        if meaning in best.need.concepts:
            continue
        with_it = [
            s for s in scored
            if s.entry.kind in ("cell", "group")
            and any(meaning in n.concepts for n in s.entry.needs)
            and all(t in ambiguous or _fits_topic(t, s.entry) for t in tokens if t.has("concept"))
        ]  # fmt: skip
        if with_it:
            # the reading the word has by default (其他 of 申请人 → 本年新收), else the plainest (行政复议·其他结果)
            out.append(
                min(
                    with_it,
                    key=lambda s: (
                        not any(meaning in n.concepts and n.defaults for n in s.entry.needs),
                        len(s.entry.id),
                    ),
                )
            )
    return out


def _fits_topic(token: Token, entry: Entry) -> bool:
    """Whether ``entry`` can read the word, by what the word is about first: still pending requests are
    requests, not reconsiderations (which accept 收到 as requests do)."""
    concepts = [m.value for m in token.meanings if m.kind == "concept"]
    topics = [c for c in concepts if c.startswith("topic:")]
    return any(c in entry.accepts for c in (topics or concepts))


def _plausible(entry: Entry, named: set[str]) -> bool:
    """A rate, fact or breakdown is offered only when the question says its kind of thing (率, 发布 …)."""
    if entry.kind in ("cell", "group"):
        return True
    marks = {c for c in named if c in ("ratio", "detail") or c.startswith(("rate:", "fact:", "bd:"))}
    return bool(entry.concepts & marks)

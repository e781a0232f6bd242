"""What an answer is, and what every kind of answer starts from (the understood question).

``Answer.kind`` is one of: value, rate, date, bool, list, rank, sum, average, count, compare (an answer),
clarify (a pick-list: choose, and the original question is answered with the choice), none (refused: the
reports do not record it, or there is nothing to answer; ``clarify`` may then hold the closest figures).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from core.qa.parse import Lang, Reading
from core.qa.queries import AgencyRow
from core.qa.wording import finding_lines, source_lines, tr
from core.storage.agencies import MatchKind
from core.templates.catalogue import Entry

AnswerKind = Literal[
    "value", "rate", "date", "bool", "list", "rank", "sum", "average", "count", "compare", "clarify", "none"
]


@dataclass(frozen=True)
class Option:
    """One entry of a pick-list; pass ``choice`` back with the original question."""

    label: str
    choice: str  # compact (< 60 bytes): agencies chosen so far, a figure, a scope


@dataclass(frozen=True)
class Choice:
    """What the options of earlier pick-lists chose: ``a:12,13;m:apply.new.total;s:all;y:2021``."""

    agencies: tuple[int, ...] = ()
    entry: str | None = None
    scope_all: bool = False
    year: int | None = None  # the report year 今年 stands for (its report is not out yet)

    @classmethod
    def parse(cls, text: str | None) -> Choice:
        agencies: tuple[int, ...] = ()
        entry = None
        scope_all = False
        year = None
        for part in (text or "").split(";"):
            head, _, rest = part.partition(":")
            if head in ("a", "agency"):
                agencies = tuple(int(x) for x in rest.split(",") if x.strip().isdigit())
            elif head == "m" and rest:
                entry = rest
            elif head == "s" and rest == "all":
                scope_all = True
            elif head == "y" and rest.isdigit():
                year = int(rest)
        return cls(agencies, entry, scope_all, year)

    def with_(
        self, *, agency: int | None = None, entry: str | None = None, scope_all: bool = False, year: int | None = None
    ) -> str:
        agencies = (*self.agencies, agency) if agency is not None else self.agencies
        parts = []
        if agencies:
            parts.append("a:" + ",".join(map(str, agencies)))
        if entry or self.entry:
            parts.append(f"m:{entry or self.entry}")
        if scope_all or self.scope_all:
            parts.append("s:all")
        if year or self.year:
            parts.append(f"y:{year or self.year}")
        return ";".join(parts)


@dataclass
class Answer:
    text: str  # plain text; callers escape it for their markup
    value: int | float | bool | str | None = None
    unit: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    clarify: list[Option] | None = None
    kind: AnswerKind = "none"
    items: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "value": self.value,
            "unit": self.unit,
            "sources": self.sources,
            "clarify": [asdict(o) for o in self.clarify] if self.clarify is not None else None,
            "kind": self.kind,
            "items": self.items,
        }


@dataclass
class Named:
    """An agency named in the question: resolved (``row``), ambiguous or unknown (``candidates``)."""

    typed: str
    span: tuple[int, int]  # in the normalised question
    row: AgencyRow | None = None
    fuzzy: bool = False
    candidates: list[AgencyRow] = field(default_factory=list)  # to choose from, or the closest names
    kind: MatchKind = "exact"  # unresolved: "ambiguous", "region" or "none" (core.storage.agencies)
    note: str | None = None  # how it was resolved, said in the answer (a region's only agency …)
    others: list[AgencyRow] = field(default_factory=list)  # offered besides the one used


@dataclass
class Context:
    session: AsyncSession
    reading: Reading
    lang: Lang
    agencies: list[Named]
    now: datetime
    choice: Choice = field(default_factory=Choice)
    entry: Entry | None = None  # the figure, once matched
    understood: list[str] = field(default_factory=list)  # how the question was read, said in the answer

    def tr(self, zh: str, en: str) -> str:
        return tr(self.lang, zh, en)

    @property
    def colon(self) -> str:
        return self.tr("：", ": ")

    def quote(self, name: str) -> str:
        return self.tr(f"「{name}」", f"'{name}'")

    def reply(
        self,
        lines: list[str],
        *,
        kind: AnswerKind,
        value: int | float | bool | str | None = None,
        unit: str | None = None,
        sources: list[dict[str, Any]] | None = None,
        total_sources: int | None = None,
        items: list[dict[str, Any]] | None = None,
        options: list[Option] | None = None,
    ) -> Answer:
        """The answer text: the lines, how the question was read, open findings on the cells used, then
        the sources."""
        sources = sources or []
        body = [
            *lines,
            *dict.fromkeys(self.understood),
            *finding_lines(sources, self.lang),
            *source_lines(sources, self.lang, total_sources),
        ]
        return Answer("\n".join(body), value, unit, sources, options, kind, items)

    def refuse(self, lines: list[str], options: list[Option] | None = None) -> Answer:
        return Answer("\n".join([*lines, *dict.fromkeys(self.understood)]), None, None, [], options, "none")

    def agency_notes(self) -> list[str]:
        """How the agencies were understood where that involved a guess (a typo, a region's agency)."""
        notes = []
        for n in self.agencies:
            if n.row is None:
                continue
            if n.note:
                notes.append(n.note)
            elif n.fuzzy:
                notes.append(
                    self.tr(f"（“{n.typed}”按“{n.row.name}”理解）", f"('{n.typed}' read as {n.row.name})")
                )
        return notes

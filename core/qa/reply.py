"""What an answer is, and what every kind of answer starts from (the understood question)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.qa import queries
from core.qa.metrics import FAMILY_BY_ID, Lang, Measure, MetricQuery, resolve
from core.qa.parse import IntentKind, Question
from core.qa.queries import AgencyRow, ReportRef
from core.qa.wording import finding_lines, source_lines, tr
from core.storage.agencies import MatchKind
from core.templates.national import template_for_year

CHOICE_PREFIX = "agency:"


@dataclass(frozen=True)
class Option:
    """One entry of a clarification pick-list; pass ``choice`` back with the original question."""

    label: str
    choice: str  # compact (< 60 bytes): it travels in Telegram callback data


@dataclass
class Answer:
    text: str  # plain text; callers escape it for their markup
    value: int | float | None = None
    unit: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    clarify: list[Option] | None = None
    kind: str = "unknown"

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "value": self.value,
            "unit": self.unit,
            "sources": self.sources,
            "clarify": [asdict(o) for o in self.clarify] if self.clarify is not None else None,
            "kind": self.kind,
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


@dataclass
class Context:
    session: AsyncSession
    q: Question
    lang: Lang
    kind: IntentKind
    agencies: list[Named]

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
        value: int | float | None = None,
        unit: str | None = None,
        sources: list[dict[str, Any]] | None = None,
        total_sources: int | None = None,
    ) -> Answer:
        """The answer text: the lines, then open findings on the cells used, then the sources."""
        sources = sources or []
        body = [*lines, *finding_lines(sources, self.lang), *source_lines(sources, self.lang, total_sources)]
        return Answer("\n".join(body), value, unit, sources, None, self.kind)

    def notes(self) -> list[str]:
        """How the question was understood, where that involved a guess (a typo in a name)."""
        return [
            self.tr(f"（“{n.typed}”按“{n.row.name}”理解）", f"('{n.typed}' read as {n.row.name})")
            for n in self.agencies
            if n.fuzzy and n.row is not None
        ]


def measure_for(q: Question, template: str, default: str = "overview") -> Measure | None:
    """The measure asked for in a report of ``template``; a question naming no metric gets the default family."""
    query = q.metric if not q.metric.empty else MetricQuery(families=(FAMILY_BY_ID[default].id,))
    return resolve(query, template)


def template_of(report: ReportRef) -> str:
    return report.template or template_for_year(report.year).version


async def pick_report(ctx: Context, agency: AgencyRow) -> tuple[ReportRef | None, list[str], Answer | None]:
    """The report a question means: the year asked, else the agency's latest (said in the answer)."""
    q = ctx.q
    reports = await queries.agency_reports(ctx.session, agency.id)
    if not reports:
        return (
            None,
            [],
            ctx.reply(
                [ctx.tr(f"{agency.short_name} 没有已存的报告。", f"No report of {agency.name} is stored.")]
            ),
        )
    stored = "、".join(str(r.year) for r in reports)
    if q.years:
        match = [r for r in reports if r.year == q.years[0]]
        if not match:
            text = ctx.tr(
                f"{agency.short_name} 没有 {q.years[0]} 年度的报告（已存：{stored} 年）。",
                f"No {q.years[0]} report of {agency.name} is stored (stored: {stored}).",
            )
            return None, [], ctx.reply([text])
        return match[0], [], None
    index = len(reports) - 1 + q.year_offset
    if index < 0:
        text = ctx.tr(
            f"{agency.short_name} 只有 {stored} 年度的报告。",
            f"Only the {stored} report of {agency.name} is stored.",
        )
        return None, [], ctx.reply([text])
    report = reports[index]
    if q.year_word:
        note = ctx.tr(
            f"“{q.year_word}”按已存报告中{'最新' if index == len(reports) - 1 else '相应'}的 {report.year} 年度理解。",
            f"'{q.year_word}' read as {report.year}, counted from the latest stored report.",
        )
    else:
        note = ctx.tr(
            f"未指定年度，按该单位已存最新的 {report.year} 年度报告回答。",
            f"No year given: answered from the latest stored report ({report.year}).",
        )
    return report, [note], None

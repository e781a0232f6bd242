"""Answer a question about the stored reports, exactly and with sources: ``await answer(sf, "定海区收到多少申请")``.

Offline and deterministic: the question is read by core.qa.parse, agencies are resolved by
core.storage.agencies, figures come from indexed SQL (core.qa.queries). An ambiguous agency is never
guessed: the answer is a pick-list (``clarify``) whose ``choice``, passed back with the original question,
answers it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.qa import across, compliance, queries, single
from core.qa.metrics import Lang
from core.qa.parse import IntentKind, Question, classify, find_region, normalize, read_question
from core.qa.queries import AgencyRow
from core.qa.reply import CHOICE_PREFIX, Answer, Context, Named, Option
from core.qa.wording import help_text, tr, unknown_text
from core.storage.agencies import AgencyMatch, find_agencies_in_text, resolve_agency
from core.storage.models import Agency

__all__ = ["Answer", "Option", "answer"]

MAX_QUESTION = 500  # characters read; a longer message is cut, not refused
MAX_OPTIONS = 8
# What an unknown name looks like, so that leftover words ("你好") are not reported as missing agencies.
_NAME_LIKE = re.compile(r"(?:区|县|市|镇|乡|街道|局|委|办|中心|政府|办公室|厅|署|院|站|所|队|会|公司|处)$")

Handler = Callable[[Context], Awaitable[Answer]]


async def _help(ctx: Context) -> Answer:
    return Answer(help_text(ctx.lang), kind="help")


async def _unknown(ctx: Context) -> Answer:
    return Answer(unknown_text(ctx.lang), kind="unknown")


HANDLERS: dict[IntentKind, Handler] = {
    "value": single.value,
    "compare": single.compare,
    "rank": across.rank,
    "sum": across.total,
    "average": across.total,
    "count": across.count,
    "list": across.listing,
    "agencies": across.agencies,
    "compliance": compliance.answer,
    "help": _help,
    "unknown": _unknown,
}


def _row(agency: Agency) -> AgencyRow:
    assert agency.id is not None
    return AgencyRow(agency.id, agency.name, agency.short_name, agency.region)


def _named(typed: str, span: tuple[int, int], match: AgencyMatch) -> Named:
    if match.agency is not None:
        return Named(typed, span, _row(match.agency), fuzzy=match.kind == "fuzzy")
    return Named(typed, span, candidates=[_row(a) for a in match.candidates], kind=match.kind)


async def _understand(session: AsyncSession, text: str) -> tuple[Question, list[Named]]:
    """The question read, and the agencies it names: known names first, then leftover words resolved
    fuzzily (typos, pinyin)."""
    region = find_region(text)
    blanked = text
    if region is not None:
        a, b = region.span
        blanked = text[:a] + " " * (b - a) + text[b:]
    mentions = await find_agencies_in_text(session, blanked)
    named = [_named(m.match.query, m.span, m.match) for m in mentions]
    q = read_question(text, [m.span for m in mentions], region)
    for chunk in q.leftovers:
        if len(chunk) <= 2 and _NAME_LIKE.fullmatch(chunk):
            continue  # a bare 街道, 区 …
        match = await resolve_agency(session, chunk)
        # A word that resolves is a name; one that does not is reported only when it looks like a name or
        # when nothing else in the question names an agency (else it is a stray word).
        # English words left over are more likely vocabulary we lack than an agency's name.
        resolved = match.kind in ("exact", "fuzzy")
        name_like = bool(_NAME_LIKE.search(chunk)) and len(chunk) >= 3
        unexplained = (
            not mentions
            and not chunk.isascii()
            and (match.kind in ("ambiguous", "region") or not q.metric.empty)
        )
        if resolved or name_like or unexplained:
            start = text.find(chunk)
            named.append(_named(chunk, (start, start + len(chunk)), match))
    named.sort(key=lambda n: n.span)
    unique: list[Named] = []
    for n in named:
        if n.row is None or all(u.row is None or u.row.id != n.row.id for u in unique):
            unique.append(n)
    return q, unique


def _chosen_ids(choice: str | None) -> list[int]:
    if not choice or not choice.startswith(CHOICE_PREFIX):
        return []
    return [int(x) for x in choice[len(CHOICE_PREFIX) :].split(",") if x.strip().isdigit()]


async def _apply_choice(session: AsyncSession, named: list[Named], choice: str | None) -> list[int]:
    """Fill the unresolved names, in order, with the agencies chosen from earlier pick-lists."""
    ids = _chosen_ids(choice)
    rows = await queries.agencies(session, ids)
    used = []
    for n, agency_id in zip([n for n in named if n.row is None], ids, strict=False):
        if agency_id in rows:
            n.row = rows[agency_id]
            used.append(agency_id)
    return used


async def _clarify(session: AsyncSession, n: Named, chosen: list[int], lang: Lang) -> Answer:
    """A pick-list for a name that is ambiguous, a region, or unknown (then the closest names, else some
    stored ones)."""

    def option(a: AgencyRow) -> Option:
        choice = CHOICE_PREFIX + ",".join(map(str, [*chosen, a.id]))
        return Option(a.name if a.short_name in a.name else f"{a.short_name}（{a.name}）", choice)

    options = [option(a) for a in n.candidates[:MAX_OPTIONS]]
    if n.kind == "ambiguous":
        text = tr(
            lang, f"“{n.typed}”对应多个单位，请选择：", f"'{n.typed}' matches several agencies; which one?"
        )
        return Answer(text, clarify=options, kind="clarify")
    if n.kind == "region":
        text = tr(
            lang,
            f"“{n.typed}”是地区，不是单位。已存该地区的单位，请选择：",
            f"'{n.typed}' is a region, not an agency. Agencies stored there; which one?",
        )
        return Answer(text, clarify=options, kind="clarify")
    if options:
        text = tr(
            lang,
            f"没有找到“{n.typed}”。相近的单位：{'、'.join(o.label for o in options)}。请选择：",
            f"No agency named '{n.typed}' is stored. Close names: {', '.join(o.label for o in options)}.",
        )
        return Answer(text, clarify=options, kind="not_found")
    stored, total = await queries.stored_agencies(session, limit=MAX_OPTIONS)
    if not stored:
        return Answer(tr(lang, "数据库里还没有报告。", "No reports are stored yet."), kind="not_found")
    options = [option(a) for a, _ in stored]
    text = tr(
        lang,
        f"没有找到“{n.typed}”，也没有相近的名称。已存的单位有（共 {total} 个）：{'、'.join(o.label for o in options)}。",
        f"No agency named '{n.typed}' is stored, nor a similar name. Stored agencies ({total}): "
        f"{', '.join(o.label for o in options)}.",
    )
    return Answer(text, clarify=options, kind="not_found")


async def answer(
    sf: async_sessionmaker[AsyncSession], question: str, *, choice: str | None = None, lang: str | None = None
) -> Answer:
    """Answer ``question``; ``choice`` is an option picked from an earlier ``clarify`` list."""
    text = normalize(question)[:MAX_QUESTION]
    async with sf() as session:
        q, named = await _understand(session, text)
        language: Lang = "en" if lang == "en" else "zh" if lang == "zh" else q.lang
        chosen = await _apply_choice(session, named, choice)
        unresolved = [n for n in named if n.row is None]
        if unresolved:
            return await _clarify(session, unresolved[0], chosen, language)
        kind = classify(q, len(named))
        ctx = Context(session, q, language, kind, named)
        return await HANDLERS[kind](ctx)

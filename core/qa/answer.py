"""Answer a question about the stored reports, exactly and with sources: ``await answer(sf, "定海区收到多少申请")``.

Offline and deterministic. The question is read word by word (core.qa.parse): agency names
(core.qa.names), years, intent, and the catalogue concepts, matched against the question catalogue
(core.qa.match). Every word must be explained by the reading; a word nothing explains is either a name or
something the reports do not record, and then the answer says so — it never falls back to a default figure.
An ambiguous agency or figure is asked about: the answer is a pick-list (``clarify``) whose ``choice``,
passed back with the original question, answers it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.qa import across, queries, similar, single, trend
from core.qa.exclude import set_aside
from core.qa.names import longer_names, mentions_to_named, resolve_chunk
from core.qa.parse import Chunk, Lang, Reading, is_yes_no, normalize, read
from core.qa.reply import Answer, Choice, Context, Named, Option
from core.qa.scope import Scope, division, region_agency, says_government, scope_of
from core.qa.wording import help_text, tr, unknown_text
from core.settings import get_settings
from core.storage.agencies import find_agencies_in_text, find_named_agencies
from core.templates.catalogue import entry as catalogue_entry

__all__ = ["Answer", "Option", "answer"]

MAX_QUESTION = 500  # characters read; a longer message is cut, not refused
MAX_OPTIONS = 8
ACROSS = {"rank", "rank_asc", "ranking", "sum", "average", "count", "which", "list", "each", "all"}
MANY = {"rank", "rank_asc", "ranking", "count", "each"}


async def _understand(
    session: AsyncSession, text: str, choice: Choice, lang: str | None, now: datetime
) -> tuple[Context, list[Chunk]]:
    # Exact names through the database's indexes first: no name index to build for most questions.
    mentions = await find_named_agencies(session, text) or await find_agencies_in_text(session, text)
    named = await mentions_to_named(session, mentions)
    reading, named, unexplained = await _names(session, text, named)
    meaningful = [
        (t.start, t.end) for t in reading.tokens if (t.has("concept") or t.has("intent")) and not t.fuzzy
    ]
    longer = await longer_names(
        session, text, [*(n.span for n in named), *(c.span for c in unexplained)], meaningful
    )
    if longer:  # 椒江 + 行政服务中心: read again, without 行政, 中
        kept = [n for n in named if not any(_overlap(n.span, m.span) for m in longer)]
        reading, named, unexplained = await _names(session, text, [*kept, *longer])
    # Words nothing listed explains, read by their similarity to the catalogue's terms (or left unexplained)
    reading.tokens, unexplained = similar.explain(text, reading.tokens, unexplained)
    unexplained, aside = set_aside(reading, unexplained)  # 部分公开的，不是全部公开那种
    reading.yes_no = is_yes_no(reading)
    language: Lang = "en" if lang == "en" else "zh" if lang == "zh" else reading.lang
    rows = await queries.agencies(session, list(choice.agencies))
    unresolved = [n for n in named if n.row is None]
    for n, agency_id in zip(unresolved, choice.agencies, strict=False):
        if agency_id in rows:
            n.row = rows[agency_id]
            n.note = tr(
                language, f"（按所选的“{n.row.name}”回答）", f"(answered for {n.row.name}, as chosen)"
            )
    ctx = Context(session, reading, language, _unique(named), now, choice)
    ctx.understood += [
        ctx.tr(
            f"（「{e.zh}」不在所问的数字之内，未计入）",
            f"('{e.en}' is no part of the figure asked; left out)",
        )
        for e in aside
    ]
    if choice.entry:
        ctx.entry = catalogue_entry(choice.entry)
    return ctx, unexplained


async def _names(
    session: AsyncSession, text: str, named: list[Named]
) -> tuple[Reading, list[Named], list[Chunk]]:
    """The reading of ``text`` around the names found, with the words nothing explains resolved as names."""
    named = list(named)
    reading = read(text, [n.span for n in named])
    unexplained: list[Chunk] = []
    for chunk in reading.leftovers:
        before = _name_before(text, named, chunk)
        if before is not None:  # 普陀 + 交通局: one name (普陀区交通运输局), not a region and a name
            joined = Chunk(text[before.span[0] : chunk.span[1]], (before.span[0], chunk.span[1]), True)
            found = await resolve_chunk(session, joined)
            if found is not None and found.row is not None:
                named.remove(before)
                named.append(found)
                continue
        found = await resolve_chunk(session, chunk)
        if found is None:
            unexplained.append(chunk)
        else:
            named.append(found)
    named.sort(key=lambda n: n.span)
    return reading, named, unexplained


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _name_before(text: str, named: list[Named], chunk: Chunk) -> Named | None:
    """A division named right before ``chunk`` (普陀 in 普陀交通局, 鹿城区的 in 鹿城区的教育局)."""
    for n in named:
        gap = text[n.span[1] : chunk.span[0]]
        if gap in ("", "的") and (n.kind == "region" or (n.row is not None and division(n.typed))):
            return n
    return None


def _unique(named: list[Named]) -> list[Named]:
    """Each agency once (a region and a name can both resolve to it)."""
    unique: list[Named] = []
    for n in named:
        if n.row is None or all(u.row is None or u.row.id != n.row.id for u in unique):
            unique.append(n)
    return unique


async def _clarify_agency(ctx: Context, n: Named) -> Answer:
    """A pick-list for a name that is ambiguous, a region, or unknown (then the closest names, else some
    stored ones)."""

    def option(a: queries.AgencyRow) -> Option:
        label = a.name if a.short_name in a.name else f"{a.short_name}（{a.name}）"
        return Option(label, ctx.choice.with_(agency=a.id))

    options = [option(a) for a in n.candidates[:MAX_OPTIONS]]
    if n.kind == "ambiguous":
        text = ctx.tr(
            f"“{n.typed}”对应多个单位，请选择：", f"'{n.typed}' matches several agencies; which one?"
        )
        return Answer(text, clarify=options, kind="clarify")
    if n.kind == "region" and says_government(n.typed):
        text = ctx.tr(
            f"没有已存的“{n.typed}”（本级政府）的报告。已存该地区的单位，可点选：",
            f"No report of '{n.typed}' itself is stored. Agencies stored there:",
        )
        return Answer(text, clarify=options, kind="none")
    if n.kind == "region":
        text = ctx.tr(
            f"“{n.typed}”是地区，不是单位。已存该地区的单位，请选择：",
            f"'{n.typed}' is a region, not an agency. Agencies stored there; which one?",
        )
        return Answer(text, clarify=options, kind="clarify")
    if options:
        text = ctx.tr(
            f"没有找到“{n.typed}”。相近的单位：{'、'.join(o.label for o in options)}。请选择：",
            f"No agency named '{n.typed}' is stored. Close names: {', '.join(o.label for o in options)}.",
        )
        return Answer(text, clarify=options, kind="clarify")
    stored, total = await queries.stored_agencies(ctx.session, limit=MAX_OPTIONS)
    if not stored:
        return Answer(ctx.tr("数据库里还没有报告。", "No reports are stored yet."), kind="none")
    options = [option(a) for a, _ in stored]
    text = ctx.tr(
        f"没有找到“{n.typed}”，也没有相近的名称。已存的单位有（共 {total} 个）：{'、'.join(o.label for o in options)}。",
        f"No agency named '{n.typed}' is stored, nor a similar name. Stored agencies ({total}): "
        f"{', '.join(o.label for o in options)}.",
    )
    return Answer(text, clarify=options, kind="none")


def _is_across(ctx: Context, flags: set[str]) -> bool:
    """About many agencies: 哪个单位, 各街道, 前三名, 一共 … With an agency named, only words that pick
    agencies out of many make it a filter (鹿城区哪个单位最多), not a sum or a count of the agency's own."""
    r = ctx.reading
    if any(t.text in ("哪年", "哪一年", "哪个年份", "which year") for t in r.tokens):
        return False
    many = bool(flags & MANY or r.kinds() or r.top or ctx.choice.scope_all)
    if any(n.row is not None for n in ctx.agencies):
        return many and not ("every_year" in flags and len(ctx.agencies) == 1)  # its highest year
    return many or bool(flags & ACROSS) or r.condition is not None or "negative" in flags


_APPLICANTS = {
    f"col:{c}"
    for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")
}

# 申请人 itself (and the types): "申请人是谁" asks for a name.
_APPLICANT_WORDS = _APPLICANTS | {"bd:applicants"}
_COPULA = frozenset({"是", "的", "都是", "分别是", "is", "was", "were", "are"})


def _which_applicant(ctx: Context) -> list[Chunk]:
    """哪家企业, 哪个律所, 申请人是谁: which applicant — the reports count applicants by type, they do not
    name them (是 or 的 between the two words changes nothing)."""
    tokens = [t for t in ctx.reading.tokens if t.text.strip() not in _COPULA]
    found = []
    for a, b in zip(tokens, tokens[1:], strict=False):
        which_first = "which" in a.values("intent") and _APPLICANTS & set(b.values("concept"))
        if which_first or ("which" in b.values("intent") and _APPLICANT_WORDS & set(a.values("concept"))):
            found.append(Chunk(ctx.reading.text[a.start : b.end], (a.start, b.end), False))
    return found


def _about_reports(ctx: Context) -> bool:
    """A fact asked with no agency (有错误的报告, 逾期发布) is about every stored report."""
    from core.qa.match import match
    from core.qa.understand import concept_tokens

    found = match(concept_tokens(ctx, across.ACROSS_INTENTS), kinds=("fact",))
    return found.entry is not None and found.entry.id in across.BOOL_FACTS


async def answer(
    sf: async_sessionmaker[AsyncSession],
    question: str,
    *,
    choice: str | None = None,
    lang: str | None = None,
    now: datetime | None = None,
) -> Answer:
    """Answer ``question``; ``choice`` is an option picked from an earlier pick-list; ``now`` is the clock
    that 今年/去年 are read against (default: settings, NIANBAO_NOW)."""
    text = normalize(question)[:MAX_QUESTION]
    async with sf() as session:
        ctx, unexplained = await _understand(
            session, text, Choice.parse(choice), lang, now or get_settings().now()
        )
        return await _route(ctx, unexplained)


async def _route(ctx: Context, unexplained: list[Chunk]) -> Answer:
    reading = ctx.reading
    flags = reading.flags()
    if "help" in flags and not reading.concepts() and not ctx.agencies:
        return Answer(help_text(ctx.lang), kind="none")
    unexplained += _which_applicant(ctx)
    if unexplained and ctx.entry is None:
        return await single.not_recorded(ctx, unexplained)
    for n in ctx.agencies:
        if n.row is None and n.kind != "region":
            return await _clarify_agency(ctx, n)
    across_wanted = _is_across(ctx, flags)
    scope = Scope()
    regions = [n for n in ctx.agencies if n.row is None and n.kind == "region"]
    if across_wanted:
        scope, ctx.agencies = await scope_of(ctx, regions)
        if scope.problem is not None:
            return scope.problem
    else:
        for n in regions:
            if not await region_agency(ctx, n):
                return await _clarify_agency(ctx, n)
    agencies = _unique([n for n in ctx.agencies if n.row is not None])
    ctx.agencies = agencies
    if len(agencies) >= 2:
        return await trend.agencies(ctx)
    if len(agencies) == 1:
        if trend.wants_years(ctx):
            return await trend.years(ctx)
        return await single.answer(ctx)
    if across_wanted or scope.region or scope.kinds or _about_reports(ctx):
        return await across.answer(ctx, scope)
    if not reading.concepts() and ctx.entry is None:
        return Answer(unknown_text(ctx.lang), kind="none")
    return await across.which_agency(ctx)

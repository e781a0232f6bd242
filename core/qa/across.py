"""Answers across agencies: rankings, sums, averages, counts and lists with conditions, each agency's figure
in a region or of a kind, and which agencies are stored.

One year at a time (the year asked, else the latest stored in scope, said in the answer). A blank cell counts
as 0 and the answer says how many were blank; a report without the figure's table contributes the figure
its prose states, marked as such, or nothing. Rates are computed per report (zero denominators left out and
counted); report facts (逾期发布, 缺少表三, 有错误) are conditions like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.qa import queries, when
from core.qa.facts import ReportFacts, report_facts
from core.qa.figures import ReportReader, cell_source, finding_source, table_of, unit_of
from core.qa.match import match
from core.qa.parse import Condition, Reading
from core.qa.queries import AgencyRow, ReportRef
from core.qa.reply import Answer, Context, Option
from core.qa.scope import Scope
from core.qa.single import not_recorded, not_understood
from core.qa.understand import concept_tokens, restate, stray
from core.qa.wording import MAX_LIST_LINES, amount, number, percent_text, plain
from core.templates.catalogue import KEY_FIGURES, Entry, by_id
from core.templates.national import template_for_year
from core.templates.rates import compute

ACROSS_INTENTS = frozenset(
    {"rank", "rank_asc", "ranking", "sum", "average", "count", "which", "list", "each", "all", "negative", "have",
     "how_many", "yes_no"}
)  # fmt: skip
MAX_ITEMS = 200  # agencies listed in ``items``
SOURCE_LIMIT = 50
BOOL_FACTS = {"fact.on_time", "fact.late", "fact.tables", "fact.errors", "fact.problems", "fact.inconsistent_tables",
               "fact.warnings"}  # fmt: skip


@dataclass
class Place:
    agency_id: int
    report_id: int
    value: float
    prose: dict[str, Any] | None = None  # the prose source when the figure comes from the text
    blank: bool = False


# ---------------------------------------------------------------- which agency? (no scope at all)


async def which_agency(ctx: Context) -> Answer:
    """A figure asked with no agency and no "all": ask which agency, or all of them."""
    stored, total = await queries.stored_agencies(ctx.session, limit=7)
    options = [Option(a.name, ctx.choice.with_(agency=a.id)) for a, _ in stored]
    options.append(Option(ctx.tr("所有单位合计", "all agencies together"), ctx.choice.with_(scope_all=True)))
    text = ctx.tr(
        f"请问是哪个单位？（已存 {total} 个单位的报告）", f"Which agency? ({total} agencies stored)"
    )
    return Answer(text, clarify=options, kind="clarify")


# ---------------------------------------------------------------- the router


async def answer(ctx: Context, scope: Scope) -> Answer:
    reply = await _answer(ctx, scope)
    if ctx.reading.yes_no and reply.kind in ("list", "count") and isinstance(reply.value, int | float):
        # 有没有逾期的, any agency with none: whether any report or agency is found, not how many
        found = reply.value > 0
        reply.kind, reply.value, reply.unit = "bool", found, None
        reply.text = ctx.tr("有。" if found else "没有。", "Yes. " if found else "No. ") + reply.text
    return reply


# 收到申请最多的那个，行政复议有几件: who is first by one figure, then another figure of that agency
_THEN_OF_IT = re.compile(
    r"(?:最多|最少|最高|最低|第一|倒数第一|most|fewest|highest|lowest)[^。;；?？]{0,60}?"
    r"(?:那个|那家|那一个|那年|它|其(?!他)|该单位|此单位|\bits?\b|\bthat (?:agency|one|year)\b|\bthey\b)"
)


_NEXT_CLAUSE = re.compile(r"[，,;；]|\band\b")


def _then_of_it(ctx: Context) -> bool:
    """A figure asked after the agency is referred back to (那个…行政复议有几件), or in a clause after the
    ranking word (…, and how many reconsiderations did it have)."""
    text = ctx.reading.text
    m = _THEN_OF_IT.search(text)
    if m is None:
        return False
    clause = _NEXT_CLAUSE.search(text, m.start(), m.end())
    after = clause.start() if clause else m.end()
    return any(
        t.start >= after and any(c.kind == "concept" and not c.soft for c in t.meanings)
        for t in ctx.reading.tokens
    )


async def _answer(ctx: Context, scope: Scope) -> Answer:
    if _then_of_it(ctx):
        return ctx.refuse(
            [
                ctx.tr(
                    "这是两个问题：先按一项数字找出单位，再问它的另一项数字。请分开问（先问“…最多的是哪个”，再问该单位）。",
                    "That is two questions: first which agency leads by one figure, then another figure of it. "
                    "Please ask them one at a time.",
                )
            ]
        )
    picks = {"rank", "rank_asc", "ranking", "which", "sum", "average", "count", "each", "plural", "all"}
    if ctx.reading.that_one and not ctx.reading.flags() & picks and not ctx.reading.top:
        return await _which_one(ctx, scope)  # 鹿城区那个街道收到多少: which street?
    if ctx.entry is None and (odd := stray(ctx, ACROSS_INTENTS | {"plural"})):
        return await not_recorded(ctx, odd)
    tokens = concept_tokens(ctx, ACROSS_INTENTS)
    if not tokens and ctx.entry is None:
        if ctx.reading.flags() & {"rank", "rank_asc", "ranking", "average"} or ctx.reading.top:
            return _which_figure(ctx)  # 哪家最多: most of what?
        return await agencies(ctx, scope)
    year_refs = when.years(ctx)
    ids = await scope.ids(ctx)
    found = match(tokens, kinds=("cell", "group", "rate", "fact")) if ctx.entry is None else None
    entry = ctx.entry or (found.entry if found else None)
    if entry is None:
        assert found is not None
        return not_understood(ctx, found)
    if entry.kind == "fact":
        return await _facts(ctx, scope, ids, entry, year_refs)
    year, problem = await _year(ctx, ids, year_refs)
    if problem:
        return problem
    assert year is not None
    version = template_for_year(year).version
    if entry.kind != "rate" and not entry.keys_for(version)[0]:
        return ctx.refuse(
            [
                ctx.tr(
                    f"{year} 年度的报告格式没有「{entry.zh}」这一项。",
                    f"The {year} report format has no '{entry.en}'.",
                )
            ]
        )
    restate(ctx, entry)
    flags = ctx.reading.flags() | ({"count"} if counts_kind(ctx.reading) else set())
    condition = _condition(ctx, flags)
    if entry.kind == "rate":
        return await _rates(ctx, scope, ids, entry, year, condition)
    keys = entry.keys_for(version)[0]
    if flags & {"rank", "rank_asc", "ranking"} or ctx.reading.top:
        return await rank(ctx, scope, ids, entry, keys, year)
    if condition is not None:
        return await conditioned(ctx, scope, ids, entry, keys, year, condition)
    if "average" in flags:
        return await total(ctx, scope, ids, entry, keys, year, average=True)
    if "sum" in flags or ctx.choice.scope_all:
        return await total(ctx, scope, ids, entry, keys, year)
    if "count" in flags:
        return await conditioned(ctx, scope, ids, entry, keys, year, Condition(">", 0))
    return await each(ctx, scope, ids, entry, keys, year)


async def _which_one(ctx: Context, scope: Scope) -> Answer:
    rows, n = await queries.stored_agencies(ctx.session, None, await scope.ids(ctx), limit=8)
    options = [Option(a.name, ctx.choice.with_(agency=a.id)) for a, _ in rows]
    text = ctx.tr(f"请问是哪一个？（{scope.said(ctx)}共 {n} 个）", f"Which one? ({n} {scope.said(ctx)})")
    return Answer(text, clarify=options, kind="clarify")


def _which_figure(ctx: Context) -> Answer:
    options = [Option(by_id()[k].name(ctx.lang), ctx.choice.with_(entry=k)) for k in KEY_FIGURES]
    text = ctx.tr("请问按哪一项数字？可点选：", "Which figure do you mean? Choose one:")
    return Answer(text, clarify=options, kind="clarify")


def counts_kind(reading: Reading) -> bool:
    """有几个街道被纠正过, how many towns: 几/多少 said of a kind of agency counts agencies (as 几个单位 does)."""
    tokens = [t for t in reading.tokens if t.text.strip() not in ("个", "家")]
    if any(
        "how_many" in a.values("intent") and b.has("kind") for a, b in zip(tokens, tokens[1:], strict=False)
    ):
        return True
    # …的部门有几个, 街道有几家: the kind, then 几 and its measure word, with no figure after them
    every = reading.tokens
    return any(
        a.has("kind") and "how_many" in b.values("intent") and c.text.strip() in ("个", "家")
        and not any(t.has("concept") for t in every[i + 3 :])
        for i, (a, b, c) in enumerate(zip(every, every[1:], every[2:], strict=False))
    )  # fmt: skip


def _condition(ctx: Context, flags: set[str]) -> Condition | None:
    if ctx.reading.condition is not None:
        return ctx.reading.condition
    if "negative" in flags:
        return Condition("=", 0)
    if "have" in flags and flags & {"count", "which", "list", "each"} and not flags & {"sum", "average"}:
        return Condition(">", 0)  # 有哪些单位被复议; not 全部单位被复议的总数
    return None


async def _year(
    ctx: Context, ids: queries.Agencies, refs: list[when.Year]
) -> tuple[int | None, Answer | None]:
    named = [y for y in refs if y.year is not None]
    if named:
        y = named[-1]
        if y.year == ctx.now.year and (
            ask := when.not_out_yet(ctx, y.year, await queries.latest_year(ctx.session, ids))
        ):
            return None, ask
        if y.word:
            ctx.understood.append(
                ctx.tr(f"（“{y.word}”按 {y.year} 年度理解）", f"('{y.word}' read as {y.year})")
            )
        return y.year, None
    latest = await queries.latest_year(ctx.session, ids)
    if latest is None:
        return None, ctx.refuse([ctx.tr("数据库里还没有报告。", "No reports are stored yet.")])
    ctx.understood.append(
        ctx.tr(
            f"（未指定年度，按已存最新的 {latest} 年度报告统计）",
            f"(no year given: the latest stored year, {latest})",
        )
    )
    return latest, None


# ---------------------------------------------------------------- figures


async def _prose_entries(
    ctx: Context, keys: tuple[str, ...], year: int, ids: queries.Agencies
) -> list[Place]:
    """Figures stated in the text of reports that lack the figure's table (seed 002: no table 三)."""
    table = table_of(keys)
    if table is None:
        return []
    missing = await queries.reports_missing_table(ctx.session, table, year, ids)
    names = await queries.agencies(ctx.session, [r.agency_id for r in missing])
    out = []
    for report in missing:
        figure = await ReportReader(ctx.session, names[report.agency_id], report).figure(keys)
        if figure.origin == "prose" and figure.value is not None:
            out.append(Place(report.agency_id, report.id, float(figure.value), figure.sources[0]))
    return out


async def _values(
    ctx: Context,
    keys: tuple[str, ...],
    year: int,
    ids: queries.Agencies,
    condition: Condition | None,
    *,
    ascending: bool = False,
    limit: int | None = None,
) -> tuple[list[Place], int]:
    """Reports in scope with their figure (blank = 0, prose where the table is missing), best first, that
    meet ``condition``; and how many of them print the figure blank."""
    ranked = await queries.ranked(
        ctx.session, keys, year, ids, ascending=ascending, limit=limit, condition=condition
    )
    out = [Place(r.agency_id, r.report_id, r.value) for r in ranked]
    blanks = await queries.blank_reports(ctx.session, keys, year, ids)
    zero_ok = condition is None or condition.op == "blank" or condition.holds(0)
    blank_entries = [Place(a, r, 0.0, blank=True) for r, a in blanks.items()] if zero_ok else []
    prose = [
        e for e in await _prose_entries(ctx, keys, year, ids) if condition is None or condition.holds(e.value)
    ]
    merged = sorted([*out, *blank_entries, *prose], key=lambda e: e.value, reverse=not ascending)
    if limit is not None:
        merged = merged[:limit]
    return merged, len(blanks)


async def _sources(
    ctx: Context, entries: list[Place], keys: tuple[str, ...], year: int
) -> tuple[list[dict[str, Any]], dict[int, AgencyRow]]:
    names = await queries.agencies(ctx.session, [e.agency_id for e in entries])
    report_ids = [e.report_id for e in entries[:SOURCE_LIMIT] if e.prose is None]
    found = await queries.cells(ctx.session, report_ids, keys)
    open_findings = await queries.findings(ctx.session, report_ids)
    sources: list[dict[str, Any]] = []
    for e in entries[:SOURCE_LIMIT]:
        if e.prose is not None:
            sources.append(e.prose)
            continue
        report = ReportRef(e.report_id, e.agency_id, year, None, ())
        for key in keys:
            cell = found.get((e.report_id, key))
            if cell is not None:
                sources.append(
                    cell_source(names[e.agency_id], report, cell, open_findings.get(e.report_id, []))
                )
    return sources, names


def _items(entries: list[Place], names: dict[int, AgencyRow], year: int) -> list[dict[str, Any]]:
    return [
        {"agency": names[e.agency_id].short_name, "agency_name": names[e.agency_id].name, "agency_id": e.agency_id,
         "year": year, "value": plain(e.value), **({"blank": True} if e.blank else {}),
         **({"from_text": True} if e.prose else {})}
        for e in entries[:MAX_ITEMS]
    ]  # fmt: skip


def _line(ctx: Context, rank: int | None, name: str, e: Place, unit: str) -> str:
    origin = (
        ctx.tr("（取自正文）", " (from the text)")
        if e.prose
        else ctx.tr("（空白，按 0 计）", " (blank, as 0)")
        if e.blank
        else ""
    )
    head = f"{rank}. " if rank is not None else "· "
    return f"{head}{name}{ctx.colon}{amount(plain(e.value), unit, ctx.lang)}{origin}"


def _notes(ctx: Context, entries: list[Place], blanks: int) -> list[str]:
    notes = []
    if blanks:
        notes.append(
            ctx.tr(
                f"说明：{blanks} 份报告该项为空白，按 0 计。",
                f"Note: {blanks} reports leave it blank, counted as 0.",
            )
        )
    if any(e.prose for e in entries):
        notes.append(
            ctx.tr(
                "说明：标注“取自正文”的单位报告缺少相应表格，数字取自报告正文。",
                "Note: figures marked 'from the text' come from reports whose table is missing.",
            )
        )
    return notes


def _superlative(flags: set[str], top: int | None) -> bool:
    """The one agency (最多, 排名第一, 倒数第一; rank them, who is at the bottom?), not a list of them
    (排名, 前三名, 哪些)."""
    one = "ranking" not in flags or ("which" in flags and bool(flags & {"rank", "rank_asc"}))
    return "plural" not in flags and (top == 1 or (one and not top))


async def rank(
    ctx: Context, scope: Scope, ids: queries.Agencies, entry: Entry, keys: tuple[str, ...], year: int
) -> Answer:
    asc = "rank_asc" in ctx.reading.flags()
    superlative = _superlative(ctx.reading.flags(), ctx.reading.top)
    limit = ctx.reading.top or (1 if superlative else 10)
    entries, blanks = await _values(ctx, keys, year, ids, None, ascending=asc, limit=limit + 20)
    name = entry.name(ctx.lang)
    said = scope.said(ctx)
    if not entries:
        return ctx.refuse(
            [
                ctx.tr(
                    f"{year} 年{said}没有填报「{name}」。", f"No agency ({said}) reports '{name}' for {year}."
                )
            ]
        )
    top = entries[:limit]
    tied = [e for e in entries[limit:] if e.value == top[-1].value]
    sources, names = await _sources(ctx, top + tied, keys, year)
    unit = unit_of(keys)
    best = top[0]
    if superlative:
        word = ctx.tr("最少" if asc else "最多", "fewest" if asc else "most")
        lines = [
            ctx.tr(
                f"{year} 年{said}中「{name}」{word}的是 {names[best.agency_id].short_name}：{amount(plain(best.value), unit, 'zh')}。",
                f"In {year}, {names[best.agency_id].short_name} has the {word} '{name}' among {said}: "
                f"{amount(plain(best.value), unit, 'en')}.",
            )
        ]
        value: float | int | None = plain(best.value)
    else:
        order = ctx.tr("后" if asc else "前", "Bottom" if asc else "Top")
        lines = [
            ctx.tr(
                f"{year} 年{said}「{name}」{order} {len(top)} 名：",
                f"{order} {len(top)} by '{name}' in {year} ({said}):",
            )
        ]
        lines += [_line(ctx, i + 1, names[e.agency_id].short_name, e, unit) for i, e in enumerate(top)]
        value = len(top)
    if tied:
        lines.append(ctx.tr("并列：", "Tied: ") + "、".join(names[e.agency_id].short_name for e in tied))
    return ctx.reply(
        [*lines, *_notes(ctx, top + tied, blanks)], kind="rank", value=value, unit=unit if superlative else "个",
        sources=sources, items=_items(top + tied, names, year),
    )  # fmt: skip


async def total(
    ctx: Context,
    scope: Scope,
    ids: queries.Agencies,
    entry: Entry,
    keys: tuple[str, ...],
    year: int,
    *,
    average: bool = False,
) -> Answer:
    sums = await queries.totals(ctx.session, keys, year, ids)
    blanks = await queries.blank_reports(ctx.session, keys, year, ids)
    prose = await _prose_entries(ctx, keys, year, ids)
    grand = sums.total + sum(e.value for e in prose)
    count = sums.count + len(blanks) + len(prose)
    listed, _ = await _values(ctx, keys, year, ids, None, limit=SOURCE_LIMIT)
    sources, _names = await _sources(ctx, listed, keys, year)
    name = entry.name(ctx.lang)
    said = scope.said(ctx)
    unit = unit_of(keys)
    if count == 0:
        return ctx.refuse(
            [
                ctx.tr(
                    f"{year} 年{said}没有填报「{name}」。", f"No agency ({said}) reports '{name}' for {year}."
                )
            ]
        )
    if average:
        mean = round(grand / count, 1)
        lines = [
            ctx.tr(
                f"{year} 年{said}「{name}」平均每个单位 {amount(mean, unit, 'zh')}（{count} 个单位，合计 {number(grand)}）。",
                f"In {year}, the average '{name}' per agency ({said}) is {amount(mean, unit, 'en')} ({count} agencies, {number(grand)} in all).",
            )
        ]
        return ctx.reply([*lines, *_notes(ctx, prose, len(blanks))], kind="average", value=plain(mean), unit=unit,
                         sources=sources, total_sources=count)  # fmt: skip
    lines = [
        ctx.tr(
            f"{year} 年{said}「{name}」合计 {amount(plain(grand), unit, 'zh')}（{count} 个单位）。",
            f"In {year}, '{name}' adds up to {amount(plain(grand), unit, 'en')} over {said} ({count} agencies).",
        )
    ]
    return ctx.reply([*lines, *_notes(ctx, prose, len(blanks))], kind="sum", value=plain(grand), unit=unit,
                     sources=sources, total_sources=count)  # fmt: skip


def condition_text(ctx: Context, condition: Condition) -> str:
    n = number(condition.value) + ("%" if condition.percent else "")
    if condition.op == "blank":
        return ctx.tr("为空白", "blank")
    zh = {"=": f"为 {n}", ">": f"超过 {n}", ">=": f"不少于 {n}", "<": f"少于 {n}", "<=": f"不超过 {n}"}
    en = {
        "=": f"equal to {n}",
        ">": f"over {n}",
        ">=": f"at least {n}",
        "<": f"under {n}",
        "<=": f"at most {n}",
    }
    return ctx.tr(zh[condition.op], en[condition.op])


async def conditioned(
    ctx: Context,
    scope: Scope,
    ids: queries.Agencies,
    entry: Entry,
    keys: tuple[str, ...],
    year: int,
    condition: Condition,
) -> Answer:
    """The agencies whose figure meets ``condition``: how many (几个) or which (哪些)."""
    entries, blanks = await _values(ctx, keys, year, ids, condition)
    sources, names = await _sources(ctx, entries, keys, year)
    name, said = entry.name(ctx.lang), scope.said(ctx)
    n = len(entries)
    shown = "、".join(names[e.agency_id].short_name for e in entries[:MAX_LIST_LINES])
    head = ctx.tr(
        f"{year} 年{said}中「{name}」{condition_text(ctx, condition)}的单位共 {n} 个"
        + (f"：{shown}" if shown else "")
        + "。",
        f"In {year}, {n} agencies ({said}) have '{name}' {condition_text(ctx, condition)}"
        + (f": {shown}" if shown else "")
        + ".",
    )
    lines = [head]
    if n > MAX_LIST_LINES:
        lines.append(ctx.tr(f"（仅列出前 {MAX_LIST_LINES} 个）", f"(first {MAX_LIST_LINES} listed)"))
    counting = bool({"count", "how_many"} & ctx.reading.flags())
    return ctx.reply(
        [*lines, *_notes(ctx, entries, blanks)], kind="count" if counting else "list", value=n, unit="个",
        sources=sources, total_sources=n, items=_items(entries, names, year),
    )  # fmt: skip


async def each(
    ctx: Context, scope: Scope, ids: queries.Agencies, entry: Entry, keys: tuple[str, ...], year: int
) -> Answer:
    """Each agency's figure in the scope ("鄞州区各街道的申请数"), and their total."""
    entries, blanks = await _values(ctx, keys, year, ids, None)
    sources, names = await _sources(ctx, entries, keys, year)
    name, said, unit = entry.name(ctx.lang), scope.said(ctx), unit_of(keys)
    lines = [ctx.tr(f"{year} 年{said}「{name}」：", f"'{name}' in {year}, {said}:")]
    lines += [_line(ctx, None, names[e.agency_id].short_name, e, unit) for e in entries[:MAX_LIST_LINES]]
    if len(entries) > MAX_LIST_LINES:
        lines.append(
            ctx.tr(
                f"……共 {len(entries)} 个单位，仅列出前 {MAX_LIST_LINES} 个",
                f"… {len(entries)} agencies, first {MAX_LIST_LINES} listed",
            )
        )
    grand = sum(e.value for e in entries)
    lines.append(
        ctx.tr(
            f"共 {len(entries)} 个单位，合计 {amount(plain(grand), unit, 'zh')}。",
            f"{len(entries)} agencies, {amount(plain(grand), unit, 'en')} in all.",
        )
    )
    return ctx.reply(
        [*lines, *_notes(ctx, entries, blanks)], kind="list", value=len(entries), unit="个", sources=sources,
        total_sources=len(entries), items=_items(entries, names, year),
    )  # fmt: skip


# ---------------------------------------------------------------- rates


async def _rates(
    ctx: Context, scope: Scope, ids: queries.Agencies, entry: Entry, year: int, condition: Condition | None
) -> Answer:
    """A rate per report, computed from its cells; rankings, counts and lists of it, or the rate of the
    totals (所有单位的实质公开率)."""
    rate = entry.rate
    assert rate is not None
    if condition is not None and condition.op == "blank":  # a rate is computed, never printed blank
        return ctx.refuse(
            [
                ctx.tr(
                    f"「{entry.name(ctx.lang)}」是按单元格计算的，报告里不填写，无所谓空白。",
                    f"'{entry.name(ctx.lang)}' is computed from the cells, not printed, so it is never blank.",
                )
            ]
        )
    keys = (*rate.numerator, *rate.denominator, *rate.less)
    found = await queries.scope_cells(ctx.session, keys, year, ids)
    results = {rid: (aid, compute(rate, values)) for rid, (aid, values) in found.items()}
    defined = [Place(aid, rid, r.percent) for rid, (aid, r) in results.items() if r.percent is not None]
    undefined = len(results) - len(defined)
    flags = ctx.reading.flags()
    name, said = entry.name(ctx.lang), scope.said(ctx)
    note = [ctx.tr(f"说明：{undefined} 个单位分母为 0 或缺少表格，未计算比率。", f"Note: {undefined} agencies have a zero denominator or a missing table and are left out.")] if undefined else []  # fmt: skip
    definition = ctx.tr(f"（{rate.formula}）", f" ({rate.formula})")
    ranking = bool(flags & {"rank", "rank_asc", "ranking"} or ctx.reading.top)
    if ranking:
        condition = None
    if ranking or condition is not None:
        asc = "rank_asc" in flags
        chosen = sorted(defined, key=lambda e: e.value, reverse=not asc)
        if condition is not None:
            chosen = [e for e in chosen if condition.holds(e.value)]
        names = await queries.agencies(ctx.session, [e.agency_id for e in chosen])
        if condition is not None:
            counting = bool({"count", "how_many"} & flags)
            shown = "、".join(names[e.agency_id].short_name for e in chosen[:MAX_LIST_LINES])
            lines = [ctx.tr(f"{year} 年{said}中「{name}」{condition_text(ctx, condition)}的单位共 {len(chosen)} 个" + (f"：{shown}" if shown else "") + "。",
                            f"In {year}, {len(chosen)} agencies ({said}) have '{name}' {condition_text(ctx, condition)}" + (f": {shown}" if shown else "") + ".")]  # fmt: skip
            return ctx.reply([*lines, definition, *note], kind="count" if counting else "list", value=len(chosen), unit="个",
                             items=_items(chosen, names, year))  # fmt: skip
        if not chosen:
            return ctx.refuse(
                [
                    ctx.tr(
                        f"{year} 年{said}没有可计算「{name}」的报告。",
                        f"No report ({said}) allows '{name}' in {year}.",
                    )
                ]
                + note
            )
        superlative = _superlative(flags, ctx.reading.top)
        limit = 1 if superlative else ctx.reading.top or 10
        top = chosen[:limit]
        tied = [e for e in chosen[limit:] if e.value == top[-1].value]
        if superlative:
            best = top[0]
            word = ctx.tr("最低" if asc else "最高", "lowest" if asc else "highest")
            lines = [ctx.tr(f"{year} 年{said}中「{name}」{word}的是 {names[best.agency_id].short_name}：{percent_text(best.value)}。",
                            f"In {year}, {names[best.agency_id].short_name} has the {word} '{name}' among {said}: {percent_text(best.value)}.")]  # fmt: skip
            value: float | int = best.value
        else:
            lines = [
                ctx.tr(
                    f"{year} 年{said}「{name}」前 {len(top)} 名：",
                    f"Top {len(top)} by '{name}' in {year} ({said}):",
                )
            ]
            lines += [
                f"{i + 1}. {names[e.agency_id].short_name}{ctx.colon}{percent_text(e.value)}"
                for i, e in enumerate(top)
            ]
            value = len(top)
        if tied:
            lines.append(ctx.tr("并列：", "Tied: ") + "、".join(names[e.agency_id].short_name for e in tied))
        return ctx.reply([*lines, definition, *note], kind="rank", value=value, unit="%" if superlative else "个",
                         items=_items(top + tied, names, year))  # fmt: skip
    if "average" in flags:
        if not defined:
            return ctx.refuse(
                [
                    ctx.tr(
                        f"{year} 年{said}没有可计算「{name}」的报告。",
                        f"No report ({said}) allows '{name}' in {year}.",
                    )
                ]
                + note
            )
        mean = round(sum(e.value for e in defined) / len(defined), 1)
        lines = [ctx.tr(f"{year} 年{said}「{name}」的平均值（各单位比率的平均）：{percent_text(mean)}（{len(defined)} 个单位）。",
                        f"In {year}, the mean '{name}' over {said}: {percent_text(mean)} ({len(defined)} agencies).")]  # fmt: skip
        return ctx.reply([*lines, definition, *note], kind="average", value=mean, unit="%")
    if "each" in flags and not flags & {"all", "sum"}:
        return await _each_rate(ctx, defined, year, entry, said, [definition, *note])
    # The rate of the totals (所有单位的实质公开率): the inputs added over the scope first.
    totals: dict[str, float | None] = {}
    for _, values in found.values():
        for k, v in values.items():
            totals[k] = (totals.get(k) or 0) + (v or 0)
    pooled = compute(rate, totals)
    if pooled.percent is None:
        return ctx.refuse(
            [
                ctx.tr(
                    f"{year} 年{said}「{name}」无法计算：分母为 0。",
                    f"'{name}' over {said} in {year} cannot be computed: zero denominator.",
                )
            ]
        )
    lines = [ctx.tr(f"{year} 年{said}合计的「{name}」：{percent_text(pooled.percent)}（{number(pooled.numerator)} ÷ {number(pooled.denominator)}，{len(found)} 份报告）。",
                    f"In {year}, '{name}' over the totals of {said}: {percent_text(pooled.percent)} ({number(pooled.numerator)} / {number(pooled.denominator)}, {len(found)} reports).")]  # fmt: skip
    return ctx.reply([*lines, definition], kind="rate", value=pooled.percent, unit="%")


async def _each_rate(
    ctx: Context, defined: list[Place], year: int, entry: Entry, said: str, notes: list[str]
) -> Answer:
    """各单位的实质公开率: each agency's rate, highest first."""
    chosen = sorted(defined, key=lambda e: e.value, reverse=True)
    names = await queries.agencies(ctx.session, [e.agency_id for e in chosen])
    name = entry.name(ctx.lang)
    lines = [ctx.tr(f"{year} 年{said}「{name}」（从高到低）：", f"'{name}' of each agency in {year}, {said} (highest first):")]  # fmt: skip
    lines += [
        f"· {names[e.agency_id].short_name}{ctx.colon}{percent_text(e.value)}"
        for e in chosen[:MAX_LIST_LINES]
    ]
    if len(chosen) > MAX_LIST_LINES:
        lines.append(ctx.tr(f"……共 {len(chosen)} 个单位，仅列出前 {MAX_LIST_LINES} 个", f"… {len(chosen)} agencies, first {MAX_LIST_LINES} listed"))  # fmt: skip
    return ctx.reply(
        [*lines, *notes], kind="list", value=len(chosen), unit="个", items=_items(chosen, names, year)
    )


# ---------------------------------------------------------------- facts as conditions


_TABLE_AREAS = ("table2.", "table3.", "table4.")


async def _facts(
    ctx: Context, scope: Scope, ids: queries.Agencies, entry: Entry, refs: list[when.Year]
) -> Answer:
    """Reports meeting a fact: 有错误, 表格不一致, 缺少表三 (a year, or every year) through the indexed
    findings; 逾期发布, 按时发布 (one year: the one asked, else the latest) from the dates and deadlines."""
    if entry.id not in BOOL_FACTS:
        return ctx.refuse(
            [
                ctx.tr(
                    f"跨单位的问题无法回答「{entry.zh}」，请指明单位。",
                    f"Name an agency to ask about '{entry.en}'.",
                )
            ]
        )
    named = [y.year for y in refs if y.year is not None]
    year = named[-1] if named else None
    flags = ctx.reading.flags()
    table = ctx.reading.table
    details: dict[int, str] = {}
    unknown = 0
    if entry.id in ("fact.on_time", "fact.late"):
        if year is None:
            year, problem = await _year(ctx, ids, refs)
            if problem:
                return problem
        negative = "negative" in flags
        reports = await queries.scope_reports(ctx.session, year, ids)
        facts = await report_facts(ctx.session, reports)
        verdicts = {r.id: _on_time(entry, facts[r.id], negative) for r in reports}
        holding = [r for r in reports if verdicts[r.id]]
        unknown = sum(v is None for v in verdicts.values())
        total = len(holding)
        details = {r.id: _fact_detail(ctx, facts[r.id]) for r in holding}
        what = _fact_words(ctx, entry, table, negative)
    elif entry.id == "fact.tables" and table:
        # from the tables each report was found to have: 缺表三的 and 没有表三的 lack it, 有表三的 and
        # 没有缺表三的 have it
        having = ("negative" in flags) == ("fact:missing" in ctx.reading.concepts())
        reports = await queries.scope_reports(ctx.session, year, ids)
        holding = [r for r in reports if (table in r.tables_found) == having]
        total = len(holding)
        what = _fact_words(ctx, entry, table, having)
    else:
        negative = "negative" in flags  # 一个错误都没有的: the reports without such findings
        severities, prefixes, codes = _finding_query(entry, table)
        holding, total = await queries.reports_with_findings(
            ctx.session, prefixes=prefixes, severities=severities, year=year, agency_ids=ids, codes=codes,
            limit=MAX_ITEMS, without=negative,
        )  # fmt: skip
        what = _fact_words(ctx, entry, table, negative)
    names = await queries.agencies(ctx.session, [r.agency_id for r in holding])
    when_said = ctx.tr(f"{year} 年度", f"{year} ") if year else ""
    said = scope.said(ctx)
    lines = [ctx.tr(f"{said}{when_said}报告中{what}的共 {total} 份" + ("：" if holding else "。"),
                    f"{total} {when_said}reports ({said}) {what}" + (":" if holding else "."))]  # fmt: skip
    lines += [
        f"· {names[r.agency_id].short_name} {r.year}{details.get(r.id, '')}" for r in holding[:MAX_LIST_LINES]
    ]
    if total > MAX_LIST_LINES:
        lines.append(ctx.tr(f"……仅列出前 {MAX_LIST_LINES} 份", f"… first {MAX_LIST_LINES} listed"))
    if unknown:
        lines.append(ctx.tr(f"另有 {unknown} 份报告无截止日期（乡镇/街道）或未印发布日期，无法判断。",
                            f"{unknown} more reports have no deadline (towns, subdistricts) or no printed date."))  # fmt: skip
    items = [{"agency": names[r.agency_id].short_name, "agency_name": names[r.agency_id].name,
              "agency_id": r.agency_id, "year": r.year} for r in holding[:MAX_ITEMS]]  # fmt: skip
    counting = bool({"count", "how_many"} & flags)
    sources = await _finding_sources(ctx, entry, holding[:SOURCE_LIMIT], names)
    return ctx.reply(
        lines, kind="count" if counting else "list", value=total, unit="份", items=items, sources=sources
    )


def _finding_query(
    entry: Entry, table: str | None
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(severities, code prefixes, codes) of the findings that make a report meet ``entry``."""
    if entry.id == "fact.tables":
        return ("error", "warning", "info"), (), (queries.MISSING_TABLE_CODE,)
    if entry.id == "fact.inconsistent_tables":
        return ("error",), _TABLE_AREAS, ()
    return _FINDING_KINDS.get(entry.id, ("error",)), (), ()


def _on_time(entry: Entry, facts: ReportFacts, negative: bool) -> bool | None:
    on_time = facts.on_time
    if on_time is None:
        return None
    return (on_time if entry.id == "fact.on_time" else not on_time) != negative


def _fact_words(ctx: Context, entry: Entry, table: str | None, negative: bool) -> str:
    if entry.id in ("fact.on_time", "fact.late"):
        late = (entry.id == "fact.late") != negative
        return ctx.tr(
            "逾期发布" if late else "按时发布", "were published late" if late else "were published on time"
        )
    if entry.id == "fact.tables":
        if negative:
            return ctx.tr(
                f"有表{table}" if table else "表格齐全", f"have table {table}" if table else "have all tables"
            )
        return ctx.tr(
            f"缺少表{table}" if table else "缺少表格", f"lack table {table}" if table else "lack a table"
        )
    zh, en = {
        "fact.inconsistent_tables": ("表格不一致（勾稽关系错误）", "inconsistent tables"),
        "fact.warnings": ("警告", "warnings"),
        "fact.problems": ("错误或警告", "errors or warnings"),
    }.get(entry.id, ("错误", "errors"))
    if entry.id == "fact.inconsistent_tables":
        return ctx.tr(f"没有{zh}" if negative else zh, f"have no {en}" if negative else f"have {en}")
    return ctx.tr(f"没有{zh}" if negative else f"有{zh}", f"have no {en}" if negative else f"have {en}")


def _fact_detail(ctx: Context, facts: ReportFacts) -> str:
    if not (facts.published and facts.deadline):
        return ""
    late = f"，逾期 {facts.days_late} 天" if facts.days_late else ""
    return ctx.tr(
        f"（发布 {facts.published.isoformat()}，截止 {facts.deadline.isoformat()}{late}）",
        f" (published {facts.published.isoformat()}, due {facts.deadline.isoformat()})",
    )


_FINDING_KINDS = {
    "fact.errors": ("error",),
    "fact.problems": ("error", "warning"),
    "fact.warnings": ("warning",),
    "fact.inconsistent_tables": ("error",),
    "fact.tables": ("error", "warning", "info"),
}


async def _finding_sources(
    ctx: Context, entry: Entry, reports: list[ReportRef], names: dict[int, AgencyRow]
) -> list[dict[str, Any]]:
    """The findings behind a list of reports with errors, inconsistent tables or a missing table."""
    severities = _FINDING_KINDS.get(entry.id)
    if not severities:
        return []
    found = await queries.findings(ctx.session, [r.id for r in reports])
    out = []
    for r in reports:
        for f in found.get(r.id, []):
            if f.severity not in severities:
                continue
            if entry.id == "fact.inconsistent_tables" and not f.code.startswith(_TABLE_AREAS):
                continue
            if entry.id == "fact.tables" and f.code != queries.MISSING_TABLE_CODE:
                continue
            out.append(finding_source(names[r.agency_id], r, f))
    return out


# ---------------------------------------------------------------- stored agencies


async def agencies(ctx: Context, scope: Scope) -> Answer:
    """Which agencies have stored reports (in a year, in a region, of a kind)."""
    ids = await scope.ids(ctx)
    named = [y.year for y in when.years(ctx) if y.year is not None]
    year = named[-1] if named else None
    rows, n = await queries.stored_agencies(ctx.session, year, ids)
    when_said = ctx.tr(f"{year} 年度", f" for {year}") if year else ""
    counting = bool({"count", "how_many"} & ctx.reading.flags())
    kind = "count" if counting else "list"
    if not rows:
        return ctx.reply([ctx.tr(f"没有已存的{when_said}报告（{scope.said(ctx)}）。", f"No reports stored{when_said} ({scope.said(ctx)}).")],
                         kind=kind, value=0, unit="个", items=[])  # fmt: skip
    lines = [
        ctx.tr(
            f"已存{when_said}报告的单位共 {n} 个（{scope.said(ctx)}）：",
            f"{n} agencies have stored reports{when_said} ({scope.said(ctx)}):",
        )
    ]
    for agency, years in rows[:MAX_LIST_LINES]:
        lines.append(f"· {agency.short_name}（{agency.name}）{ctx.colon}{'、'.join(map(str, years))}")
    if n > MAX_LIST_LINES:
        lines.append(ctx.tr(f"……仅列出前 {MAX_LIST_LINES} 个", f"… first {MAX_LIST_LINES} listed"))
    items = [
        {"agency": a.short_name, "agency_name": a.name, "agency_id": a.id, "years": years}
        for a, years in rows
    ]
    return ctx.reply(lines, kind=kind, value=n, unit="个", items=items)

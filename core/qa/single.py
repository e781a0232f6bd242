"""Answers about one agency's report: a figure, a rate with its inputs, a report fact, a breakdown — and
the honest refusals: what the reports do not record, what a format lacks, a table the report does not have."""

from __future__ import annotations

import re
from typing import Any

from core.qa import queries
from core.qa.facts import ReportFacts, report_facts
from core.qa.figures import Figure, ReportReader, finding_source, report_source, template_of
from core.qa.match import Match, match
from core.qa.parse import Chunk, Reading
from core.qa.queries import AgencyRow, ReportRef
from core.qa.reply import Answer, Context, Option
from core.qa.scope import division, tier_of
from core.qa.understand import (
    against_agency,
    concept_tokens,
    defined_aside,
    entry_options,
    joins_parts,
    names_figure,
    restate,
    split_and,
    stray,
)
from core.qa.when import pick_report
from core.qa.wording import amount, examples, number, percent_text, plain
from core.templates.catalogue import Entry
from core.templates.catalogue import entry as by_id
from core.templates.rates import compute

SINGLE_INTENTS = frozenset({"how_many", "yes_no", "have", "sum", "which", "all", "list"})


def _head(ctx: Context, agency: AgencyRow, report: ReportRef) -> str:
    return f"{agency.short_name} {report.year}" + ctx.tr(" 年", " ")


async def not_recorded(ctx: Context, chunks: list[Chunk]) -> Answer:
    """Words nothing explains: the reports do not record that. The closest figures are offered."""
    words = "、".join(f"“{c.text}”" for c in chunks)
    tokens = concept_tokens(ctx, SINGLE_INTENTS)
    m = match(tokens)
    options = entry_options(ctx, m.best[:3]) if tokens else []
    lines = [
        ctx.tr(
            f"年报里没有记录这一项（没有读懂{words}）。",
            f"The annual report does not record that (not understood: {', '.join(c.text for c in chunks)}).",
        )
    ]
    return ctx.refuse([*lines, *closest(ctx, options)], options or None)


def closest(ctx: Context, options: list[Option]) -> list[str]:
    """What a refusal offers: the closest figures (as buttons), else example questions."""
    if options:
        return [
            ctx.tr(
                "最接近的数字：" + "、".join(o.label for o in options),
                "Closest figures: " + "; ".join(o.label for o in options),
            )
        ]
    return [ctx.tr("可以这样问：", "Try for example:"), *examples(ctx.lang)[:4]]


def figure_match(ctx: Context, versions: tuple[str, ...], intents: frozenset[str] = SINGLE_INTENTS) -> Match:
    """The figure asked for (a choice from an earlier pick-list wins)."""
    if ctx.entry is not None:
        return Match("answer", [])
    return match(concept_tokens(ctx, intents), versions=versions)


async def answer(ctx: Context) -> Answer:
    # 没有…吗 asks a yes/no question; a "not" anywhere else is no figure the report has (not processed ≠ processed)
    allowed = (
        SINGLE_INTENTS
        | {"which", "list", "plural", "count"}
        | ({"negative"} if ctx.reading.yes_no else set())
        # lawsuits vs 首南街道 (against it), 比截止日晚了几天, (answered vs new + carried over) (a definition)
        | (
            {"compare"}
            if against_agency(ctx) or "fact:deadline" in ctx.reading.concepts() or defined_aside(ctx)
            else set()
        )
    )
    if ctx.entry is None and (odd := stray(ctx, allowed) or _who(ctx)):
        return await not_recorded(ctx, odd)
    named = next(n for n in ctx.agencies if n.row is not None)
    agency = named.row
    assert agency is not None
    forced = ctx.entry
    tokens = concept_tokens(ctx, SINGLE_INTENTS)
    tentative = match(tokens) if forced is None else Match("none")
    if forced is None:
        ctx.entry = tentative.entry
    report, problem = await pick_report(ctx, agency)
    if problem:
        return problem
    assert report is not None
    version = template_of(report)
    options = await _others(ctx, named)
    ctx.understood[:0] = ctx.agency_notes()
    found = match(tokens, versions=(version,)) if forced is None else tentative
    # 收到的申请和复议: two figures asked together, even when one reading could take every word — unless
    # that reading is made of both parts (直接起诉和复议后起诉 → 行政诉讼)
    if (
        forced is None
        and tokens
        and not joins_parts(ctx, found)
        and (several := split_and(ctx, SINGLE_INTENTS, version))
    ):
        return await _several(ctx, ReportReader(ctx.session, agency, report), several)
    if forced is None:
        ctx.entry = found.entry
        if (
            ctx.entry is None
            and tentative.entry is not None
            and tentative.entry.kind in ("cell", "group", "breakdown")
        ):
            return _not_in_format(ctx, agency, report, tentative.entry)
    if ctx.entry is None:
        if names_figure(tokens):
            return not_understood(ctx, found if found.best else tentative)
        ctx.entry = by_id("breakdown.overview")  # 定海区的情况: nothing but the agency named
    if (
        forced is None
        and ctx.entry.total
        and "sum" in ctx.reading.flags()
        and "respectively" not in ctx.reading.flags()
    ):
        ctx.entry = by_id(ctx.entry.total)  # 不予公开的一共多少, 办理结果合计: the breakdown's sum
    entry = ctx.entry
    assert entry is not None
    restate(ctx, entry)
    reader = ReportReader(ctx.session, agency, report)
    if entry.kind in ("cell", "group"):
        reply = await _figure(ctx, reader, entry)
    elif entry.kind == "rate":
        reply = await _rate(ctx, reader, entry)
    elif entry.kind == "fact":
        reply = await _fact(ctx, reader, entry)
    else:
        reply = await _breakdown(ctx, reader, entry)
    if options and reply.clarify is None:
        reply.clarify = options
    return reply


_WHO = frozenset({"谁", "who", "whom"})


def _who(ctx: Context) -> list[Chunk]:
    """谁 asked of one agency's report (被告是谁, 谁写的): a person, which no report records. Among agencies
    (谁收到的申请最多) 谁 is the agency, and that question is not answered here."""
    return [Chunk(t.text, (t.start, t.end), False) for t in ctx.reading.tokens if t.text.strip() in _WHO]


async def _others(ctx: Context, named: Any) -> list[Option]:
    """Other agencies of a region named as its government (普陀区 → 普陀区人民政府; the others offered)."""
    agency = named.row
    others = list(named.others)
    if ctx.choice.agencies:
        return []  # chosen from a pick-list already
    if not others and division(named.typed) and tier_of(agency.name) == "government":
        rows = await queries.agency_rows(ctx.session, queries.agencies_in(agency.region or named.typed))
        others = [a for a in rows if a.id != agency.id]
        if others:
            ctx.understood.append(
                ctx.tr(
                    f"（“{named.typed}”按本级政府“{agency.name}”回答；该地区还存有其他单位，可点选）",
                    f"('{named.typed}' read as its own government, {agency.name}; other agencies there can be chosen)",
                )
            )
    return [Option(a.name, f"a:{a.id}" + (f";m:{ctx.entry.id}" if ctx.entry else "")) for a in others[:7]]


def _not_in_format(ctx: Context, agency: AgencyRow, report: ReportRef, entry: Entry) -> Answer:
    version = template_of(report)
    return ctx.refuse(
        [
            ctx.tr(
                f"{agency.short_name} {report.year} 年报告采用 {version} 年版格式，该格式没有「{entry.zh}」这一项。",
                f"The {report.year} report of {agency.name} uses the {version} format, which has no '{entry.en}'.",
            )
        ]
    )


def not_understood(ctx: Context, m: Match) -> Answer:
    """Two or more figures fit equally (ask), or none fits (say so, offer the closest)."""
    options = entry_options(ctx, m.best)
    if m.status in ("ambiguous", "partial") and len(options) >= 2:
        text = ctx.tr("这个问题可以指以下几项，请选择：", "That could mean any of these; which one?")
        return Answer(text, clarify=options, kind="clarify")
    if m.status in ("ambiguous", "partial") and len(options) == 1:
        text = ctx.tr(
            f"是指「{m.best[0].entry.zh}」吗？请点选确认：",
            f"Do you mean '{m.best[0].entry.en}'? Tap to confirm:",
        )
        return Answer(text, clarify=options, kind="clarify")
    lines = [ctx.tr("年报里没有记录这一项。", "The annual report does not record that.")]
    return ctx.refuse([*lines, *closest(ctx, options)], options or None)


# ---------------------------------------------------------------- figures


def blank_note(ctx: Context, figures: list[Figure]) -> list[str]:
    notes = []
    blank = sum(f.blank for f in figures)
    if blank:
        notes.append(
            ctx.tr(
                f"说明：报告中 {blank} 个相关单元格为空白（未填写），按 0 计。",
                f"Note: {blank} of the cells are blank in the report, counted as 0.",
            )
        )
    for f in figures:
        for s in f.sources:
            if s["kind"] == "prose":
                notes.append(
                    ctx.tr(
                        f"说明：{s['agency']} {s['year']} 年报告缺少表{s['missing_table']}，数字取自正文：“{s['raw']}”。",
                        f"Note: the {s['year']} report of {s['agency']} has no table {s['missing_table']}; "
                        f'the figure comes from its text: "{s["raw"]}".',
                    )
                )
    return list(dict.fromkeys(notes))


def missing_text(ctx: Context, report: ReportRef, entry: Entry) -> str:
    table = entry.table
    if table and table not in report.tables_found:
        return ctx.tr(
            f"报告缺少表{table}，没有「{entry.zh}」这一项，正文也没有说明。",
            f"The report has no table {table}, so no '{entry.en}', and its text does not state it.",
        )
    return ctx.tr(f"报告中没有「{entry.zh}」这一项。", f"The report does not give '{entry.en}'.")


async def read_entry(ctx: Context, reader: ReportReader, entry: Entry) -> tuple[Figure | None, str | None]:
    """The entry's figure in one report, and the note when another format's column answers it."""
    keys, instead = entry.keys_for(reader.version)
    if not keys:
        return None, None
    figure = await reader.figure(keys, entry.zh, entry.en)
    note = None
    if instead:
        used = by_id(instead)
        assert used is not None
        note = ctx.tr(
            f"（{reader.version} 年版格式没有「{entry.zh}」，按「{used.zh}」回答）",
            f"(the {reader.version} format has no '{entry.en}'; answered with '{used.en}')",
        )
    return figure, note


async def _carried_over(
    ctx: Context, reader: ReportReader, entry: Entry, new: float | int | None
) -> list[str]:
    """收到申请 means 本年新收: mention 上年结转 when it is not zero."""
    if entry.row != "apply.new" or new is None:
        return []
    key = f"apply.carried_over.{entry.column}"
    found = (await reader.cells([key])).get(key)
    if found is None or not found.value:
        return []
    both = number(new + found.value)
    return [
        ctx.tr(
            f"说明：另有上年结转 {number(found.value)} 件，未计入（两项合计 {both} 件）。",
            f"Note: another {number(found.value)} were carried over from last year and are not included ({both} in all).",
        )
    ]


async def _figure(ctx: Context, reader: ReportReader, entry: Entry) -> Answer:
    figure, note = await read_entry(ctx, reader, entry)
    head = _head(ctx, reader.agency, reader.report)
    if figure is None or figure.value is None:
        return ctx.refuse([f"{head}{ctx.colon}" + missing_text(ctx, reader.report, entry)])
    if note:
        ctx.understood.append(note)
    text = amount(figure.value, figure.unit, ctx.lang)
    if figure.origin == "blank":
        text += ctx.tr("（报告中该格为空白，按 0 计）", " (blank in the report, counted as 0)")
    lines = [f"{head}{ctx.quote(entry.name(ctx.lang))}{ctx.colon}{text}" + ctx.tr("。", ".")]
    lines += [n for n in blank_note(ctx, [figure]) if figure.origin != "blank" or "prose" in n]
    lines += await _carried_over(ctx, reader, entry, figure.value)
    if ctx.reading.condition is not None and ctx.reading.condition.op == "blank":  # 是空白吗, left blank?
        blank = figure.origin == "blank"
        lines.append(
            ctx.tr(f"是否为空白：{'是' if blank else '否'}。", f"Blank: {'yes' if blank else 'no'}.")
        )
        return ctx.reply(lines, kind="bool", value=blank, sources=figure.sources)
    if (checked := _checked(ctx, lines, figure.value, figure.sources, percent=False)) is not None:
        return checked
    if ctx.reading.yes_no:  # 有没有被起诉: yes when the figure is not 0 (没有…吗: yes when it is)
        negative = "negative" in ctx.reading.flags()
        return ctx.reply(
            lines,
            kind="bool",
            value=(figure.value == 0) if negative else figure.value != 0,
            sources=figure.sources,
        )
    value, unit = _in_unit_asked(ctx, figure.value, figure.unit)
    return ctx.reply(lines, kind="value", value=value, unit=unit, sources=figure.sources)


# 采购花了多少万元: an amount asked in another unit than the cell's is given in the unit asked (the answer's
# text says both)
_YUAN_PER = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
_UNIT_ASKED = re.compile(r"亿元|万元|(?<![万亿])元|\b(?:10k|ten thousand) yuan|\b100m yuan|\byuan\b")
_UNIT_SAID = {"10k yuan": "万元", "ten thousand yuan": "万元", "100m yuan": "亿元", "yuan": "元"}


def _in_unit_asked(ctx: Context, value: float, unit: str | None) -> tuple[float, str | None]:
    said = [_UNIT_SAID.get(m.group(), m.group()) for m in _UNIT_ASKED.finditer(ctx.reading.text)]
    if unit not in _YUAN_PER or len(set(said)) != 1 or said[0] == unit:
        return value, unit
    return round(value * _YUAN_PER[unit] / _YUAN_PER[said[0]], 8), said[0]


# ---------------------------------------------------------------- rates


async def rate_of(reader: ReportReader, entry: Entry) -> tuple[Any, list[dict[str, Any]]]:
    """The rate in one report (core.templates.rates.compute) and the cells it was computed from."""
    rate = entry.rate
    assert rate is not None
    keys = (*rate.numerator, *rate.denominator, *rate.less)
    cells = await reader.cells(keys)
    values = {k: c.value for k, c in cells.items()}
    findings = await reader.findings()
    from core.qa.figures import cell_source

    sources = [cell_source(reader.agency, reader.report, c, findings) for c in cells.values()]
    return compute(rate, values), sources


def rate_inputs(ctx: Context, result: Any) -> str:
    """The rate's definition and its inputs, said with every rate."""
    text = f"{number(result.numerator)} ÷ {number(result.denominator)}"
    return ctx.tr(f"（{result.rate.formula}：{text}）", f" ({result.rate.formula}: {text})")


# 纠错率 with the pending cases counted in, "pending ones included": not the rate as defined (its
# denominator leaves them out), so not answered as if it were.
_PENDING_IN = re.compile(
    r"(?<![不未])(?:包括|包含|含|算上|算进|计入|加上)[^，。,;；]{0,8}(?:未审结|尚未审结|未结|没审完|没结)"
    r"|(?:未审结|尚未审结|没审完|没结)[^，。,;；]{0,6}(?:也算|都算|也计入|算进去)"
    r"|\b(?:including|incl\.?|inclusive of|counting)\s+(?:the\s+)?pending|pending\s+(?:\w+\s+){0,2}(?:included|counted)"
)


async def _rate(ctx: Context, reader: ReportReader, entry: Entry) -> Answer:
    result, sources = await rate_of(reader, entry)
    head = _head(ctx, reader.agency, reader.report)
    name = ctx.quote(entry.name(ctx.lang))
    if result.missing:
        return ctx.refuse([f"{head}{name}{ctx.colon}" + missing_text(ctx, reader.report, entry)])
    if result.rate.less and _PENDING_IN.search(ctx.reading.text):
        return ctx.refuse(
            [
                ctx.tr(
                    f"{name}按定义不计尚未审结的案件（{result.rate.formula}）；把它们算进分母的比例不是这个率，不作答。",
                    f"{name} leaves pending cases out by definition ({result.rate.formula}); a share with them "
                    "counted in is another figure, not answered.",
                )
            ]
        )
    if result.percent is None:
        return ctx.refuse(
            [
                ctx.tr(
                    f"{head}{name}无法计算：分母为 0（{entry.rate.formula}，分母 = {number(result.denominator)}），不做除法。",
                    f"{head} {name} cannot be computed: its denominator is 0 ({entry.rate.formula}).",
                )
            ]
        )
    lines = [
        f"{head}{name}{ctx.colon}{percent_text(result.percent)}"
        + rate_inputs(ctx, result)
        + ctx.tr("。", ".")
    ]
    if result.blank:
        lines.append(
            ctx.tr(
                f"说明：其中 {len(result.blank)} 个单元格为空白，按 0 计。",
                f"Note: {len(result.blank)} of its cells are blank, counted as 0.",
            )
        )
    if (checked := _checked(ctx, lines, result.percent, sources, percent=True)) is not None:
        return checked
    return ctx.reply(lines, kind="rate", value=result.percent, unit="%", sources=sources)


def counts_within(reading: Reading) -> bool:
    """A "how many" question that is not a yes/no question (几个…两次以上 counts things, 超过100件了吗 asks)."""
    return "how_many" in reading.flags() and not reading.yes_no and "yes_no" not in reading.flags()


def _checked(
    ctx: Context, lines: list[str], value: float, sources: list[Any], *, percent: bool
) -> Answer | None:
    """超过100件了吗, more than 100 requests?: the figure against the number asked about, yes or no."""
    condition = ctx.reading.condition
    if condition is None or (condition.percent and not percent) or condition.op == "blank":
        return None  # blank said of one figure: its answer says whether the cell is blank
    from core.qa.across import condition_text

    said = condition_text(ctx, condition)
    if counts_within(ctx.reading):
        # 有几个申请人起诉了两次以上: how many people or cases inside one report meet a threshold; a report
        # holds one total per figure, so only "is the figure over it?" can be answered
        typed = ctx.reading.text[slice(*condition.span)] if condition.span else said
        return ctx.refuse(
            [
                ctx.tr(
                    f"年报只有每项的总数，没有记录其中{typed}的有几个。",
                    f"The annual report records one total per figure, not how many of them are {typed}.",
                ),
                *lines,
            ]
        )
    holds = condition.holds(value)
    lines = [
        *lines,
        ctx.tr(
            f"是否{said}：{'是' if holds else '否'}。", f"{said.capitalize()}: {'yes' if holds else 'no'}."
        ),
    ]
    return ctx.reply(lines, kind="bool", value=holds, sources=sources)


# ---------------------------------------------------------------- facts


def _date(ctx: Context, value: Any) -> str:
    return ctx.tr(f"{value.year} 年 {value.month} 月 {value.day} 日", value.isoformat())


async def _fact(ctx: Context, reader: ReportReader, entry: Entry) -> Answer:
    facts = (await report_facts(ctx.session, [reader.report]))[reader.report.id]
    head = _head(ctx, reader.agency, reader.report).rstrip()
    source = [report_source(reader.agency, reader.report)]
    fact = entry.id.removeprefix("fact.")
    if fact in ("published_on", "on_time", "late", "days_late", "days_early", "deadline", "on_deadline"):
        return _publication(ctx, fact, facts, head, source)
    if fact == "template":
        version = facts.template
        if ctx.reading.yes_no and ctx.reading.versions:  # 用的是2019版吗: yes or no
            said = version in ctx.reading.versions
            return ctx.reply(
                [ctx.tr(f"{'是' if said else '不是'}。{head}报告采用 {version} 年版格式（{_notice(version)}）。",
                        f"{'Yes' if said else 'No'}. The {head} report uses the {version} format.")],
                kind="bool", value=said, sources=source,
            )  # fmt: skip
        return ctx.reply(
            [ctx.tr(f"{head}报告采用 {version} 年版格式（{_notice(version)}）。", f"The {head} report uses the {version} format.")],
            kind="value", value=version, sources=source,
        )  # fmt: skip
    if fact == "tables":
        return _tables(ctx, facts, head, source)
    return await _findings(ctx, reader, fact, facts, head)


def _notice(version: int) -> str:
    from core.templates.national import TEMPLATES

    return TEMPLATES[str(version)].notice


def _publication(
    ctx: Context, fact: str, facts: ReportFacts, head: str, source: list[dict[str, Any]]
) -> Answer:
    published, due = facts.published, facts.deadline
    tier = facts.tier_name(ctx.lang)
    if fact == "deadline" or (fact != "published_on" and due is None):
        if due is None:
            return ctx.refuse(
                [
                    ctx.tr(
                        f"{head}报告没有适用的截止日期：条例未规定{tier}的年报截止日期（管理员可添加本地规则）。",
                        f"No deadline applies to the {head} report: the regulations set none for {tier} (admins can add a local rule).",
                    )
                ]
            )
        if fact == "deadline":
            return ctx.reply(
                [ctx.tr(f"{head}报告的截止日期：{_date(ctx, due)}（{tier}）。", f"Deadline of the {head} report: {due.isoformat()} ({tier}).")],
                kind="date", value=due.isoformat(), sources=source,
            )  # fmt: skip
    if published is None:
        return ctx.refuse(
            [
                ctx.tr(
                    f"{head}报告上没有印发布日期，无法判断。",
                    f"The {head} report prints no publication date; it cannot be told.",
                )
            ]
        )
    if fact == "published_on":
        return ctx.reply(
            [ctx.tr(f"{head}报告的发布日期（报告所印）：{_date(ctx, published)}。", f"The {head} report is dated {published.isoformat()}.")],
            kind="date", value=published.isoformat(), sources=source,
        )  # fmt: skip
    assert due is not None
    late = published > due
    days = (published - due).days
    said = ctx.tr(
        f"{head}报告发布于 {_date(ctx, published)}，截止日期 {_date(ctx, due)}（{tier}）："
        + (f"逾期 {days} 天。" if late else "按时发布。"),
        f"The {head} report is dated {published.isoformat()}, deadline {due.isoformat()} ({tier}): "
        + (f"{days} days late." if late else "on time."),
    )
    if fact == "days_late":
        return ctx.reply([said], kind="value", value=max(0, days), unit="天", sources=source)
    if fact == "days_early":
        early = ctx.tr(
            f"提前 {-days} 天。" if days < 0 else "没有提前。",
            f" {-days} days early." if days < 0 else " Not early.",
        )
        if ctx.reading.yes_no:  # 提前发布了吗
            return ctx.reply([said + early], kind="bool", value=days < 0, sources=source)
        return ctx.reply([said + early], kind="value", value=max(0, -days), unit="天", sources=source)
    if fact == "on_deadline":  # 截止日当天发布的吗
        same = published == due
        said += ctx.tr(
            "是截止日当天发布。" if same else "不是截止日当天发布。",
            " Published on the deadline day." if same else " Not published on the deadline day.",
        )
        return ctx.reply([said], kind="bool", value=same, sources=source)
    value = (not late) if fact == "on_time" else late
    return ctx.reply([said], kind="bool", value=value, sources=source)


def _tables(ctx: Context, facts: ReportFacts, head: str, source: list[dict[str, Any]]) -> Answer:
    asked = ctx.reading.table
    wants_missing = "fact:missing" in ctx.reading.concepts()
    present = facts.report.tables_found
    if not asked and ("fact:complete" in ctx.reading.concepts() or ctx.reading.yes_no):
        missing = facts.missing_tables
        text = ctx.tr(
            f"{head}报告缺少：{'、'.join('表' + t for t in missing)}。"
            if missing
            else f"{head}报告三张表齐全。",
            f"The {head} report lacks tables {', '.join(missing)}."
            if missing
            else f"The {head} report has all three tables.",
        )
        return ctx.reply(
            [text], kind="bool", value=bool(missing) if wants_missing else not missing, sources=source
        )
    if asked:
        has = asked in present
        text = ctx.tr(
            f"{head}报告{'有' if has else '缺少'}表{asked}。",
            f"The {head} report {'has' if has else 'lacks'} table {asked}.",
        )
        return ctx.reply([text], kind="bool", value=(not has) if wants_missing else has, sources=source)
    missing = facts.missing_tables
    shown = missing if wants_missing else tuple(t for t in ("二", "三", "四") if t in present)
    items = [{"label": f"表{t}", "table": t} for t in shown]
    if wants_missing:
        text = ctx.tr(
            f"{head}报告缺少：{'、'.join('表' + t for t in missing)}。"
            if missing
            else f"{head}报告三张表齐全。",
            f"The {head} report lacks tables {', '.join(missing)}."
            if missing
            else f"The {head} report has all three tables.",
        )
    else:
        text = ctx.tr(
            f"{head}报告有：{'、'.join('表' + t for t in shown)}。",
            f"The {head} report has tables {', '.join(shown)}.",
        )
    return ctx.reply([text], kind="list", value=len(items), sources=source, items=items)


async def _findings(ctx: Context, reader: ReportReader, fact: str, facts: ReportFacts, head: str) -> Answer:
    found = await reader.findings()
    severities = {"errors": ("error",), "warnings": ("warning",), "problems": ("error", "warning")}.get(
        fact, ("error",)
    )
    chosen = [f for f in found if f.severity in severities]
    if fact == "inconsistent_tables":
        chosen = [f for f in chosen if f.code.startswith(("table2.", "table3.", "table4."))]
    what = {"errors": ("错误", "errors"), "warnings": ("警告", "warnings"), "problems": ("错误或警告", "errors or warnings"),
            "inconsistent_tables": ("表格不一致", "inconsistent tables")}[fact]  # fmt: skip
    sources = [finding_source(reader.agency, reader.report, f) for f in chosen]
    lines = [
        ctx.tr(
            f"{head}报告有 {len(chosen)} 个{what[0]}" + ("：" if chosen else "。"),
            f"The {head} report has {len(chosen)} {what[1]}" + (":" if chosen else "."),
        )
    ]
    lines += [f"· [{f.code}] {f.message}" for f in chosen[:20]]
    wants_list = bool({"which", "list"} & ctx.reading.flags()) or any(
        t.text in ("什么", "what") for t in ctx.reading.tokens
    )
    if ctx.reading.yes_no and not wants_list:
        return ctx.reply(lines, kind="bool", value=bool(chosen), sources=sources)
    if wants_list:
        items = [{"label": f.message, "code": f.code, "severity": f.severity} for f in chosen]
        return ctx.reply(lines, kind="list", value=len(items), sources=sources, items=items)
    return ctx.reply(lines, kind="value", value=len(chosen), unit="个", sources=sources)


# ---------------------------------------------------------------- breakdowns


def breakdown_parts(ctx: Context, entry: Entry, version: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(zh, en, keys) of each part in a report of ``version``; the applicant breakdown follows the row named
    (办结的申请人构成 → the 办理结果总计 row)."""
    named = (
        m.value for t in ctx.reading.tokens for m in t.meanings if m.kind == "concept"
    )  # in question order
    row = next(
        (c.removeprefix("row:") for c in named if c.startswith("row:apply.") and c != "row:apply.new"), None
    ) if entry.id == "breakdown.applicants" else None  # fmt: skip
    out = []
    for part in entry.parts:
        keys = part.keys.get(version)
        if not keys:
            continue
        if row:
            keys = tuple(k.replace("apply.new.", f"{row}.") for k in keys)
        out.append((part.zh, part.en, keys))
    return out


async def _breakdown(ctx: Context, reader: ReportReader, entry: Entry) -> Answer:
    head = _head(ctx, reader.agency, reader.report)
    figures = [
        await reader.figure(keys, zh, en) for zh, en, keys in breakdown_parts(ctx, entry, reader.version)
    ]
    if not figures or all(f.origin == "missing" for f in figures):
        return ctx.refuse([f"{head}{ctx.colon}" + missing_text(ctx, reader.report, entry)])
    lines = [f"{head}{ctx.quote(entry.name(ctx.lang))}{ctx.colon}"]
    items = []
    for f in figures:
        shown = (
            amount(f.value, f.unit, ctx.lang)
            if f.origin != "missing"
            else ctx.tr("（表格缺失）", "(table missing)")
        )
        if f.origin == "blank":
            shown += ctx.tr("（空白）", " (blank)")
        lines.append(f"· {f.name(ctx.lang)}{ctx.colon}{shown}")
        items.append({"label": f.name(ctx.lang), "value": plain(f.value), "unit": f.unit,
                      "keys": [s.get("key") for s in f.sources]})  # fmt: skip
    lines += blank_note(ctx, figures)
    sources = [s for f in figures for s in f.sources]
    return ctx.reply(lines, kind="list", value=None, sources=sources, items=items)


async def _several(ctx: Context, reader: ReportReader, entries: list[Entry]) -> Answer:
    """Figures asked together (收到和办结): each on its line."""
    head = _head(ctx, reader.agency, reader.report)
    lines = [head.rstrip() + ctx.colon]
    items, sources, figures = [], [], []
    for entry in entries:
        if entry.kind == "rate":
            result, cells = await rate_of(reader, entry)
            shown = (
                percent_text(result.percent)
                if result.percent is not None
                else ctx.tr("无法计算", "cannot be computed")
            )
            items.append(
                {"label": entry.name(ctx.lang), "value": result.percent, "unit": "%", "entry": entry.id}
            )
            sources += cells
        else:
            figure, _ = await read_entry(ctx, reader, entry)
            if figure is None:
                continue
            figures.append(figure)
            shown = (
                amount(figure.value, figure.unit, ctx.lang)
                if figure.origin != "missing"
                else missing_text(ctx, reader.report, entry)
            )
            items.append(
                {
                    "label": entry.name(ctx.lang),
                    "value": plain(figure.value),
                    "unit": figure.unit,
                    "entry": entry.id,
                }
            )
            sources += figure.sources
        lines.append(f"· {entry.name(ctx.lang)}{ctx.colon}{shown}")
    units = {i["unit"] for i in items}
    values = [i["value"] for i in items]
    if "sum" in ctx.reading.flags() and len(units) == 1 and "%" not in units and None not in values:
        total = sum(values)  # 予以公开和部分公开一共多少
        unit = units.pop()
        lines.append(ctx.tr(f"合计：{amount(total, unit, 'zh')}", f"In all: {amount(total, unit, 'en')}"))
        return ctx.reply(
            [*lines, *blank_note(ctx, figures)],
            kind="sum",
            value=total,
            unit=unit,
            sources=sources,
            items=items,
        )
    return ctx.reply(
        [*lines, *blank_note(ctx, figures)], kind="list", value=None, sources=sources, items=items
    )

"""Which report years a question means: years as written (2020年, 二〇二〇年, 20年), and 今年/去年/前年/
上一年 read against the clock (``Context.now``, NIANBAO_NOW); 最新 and no year at all mean the latest
stored report, and the answer says so."""

from __future__ import annotations

from dataclasses import dataclass

from core.qa import queries
from core.qa.queries import AgencyRow, ReportRef
from core.qa.reply import Answer, Context, Option

CARRY = {"apply.carried_over": "later", "apply.carried_forward": "earlier"}


@dataclass(frozen=True)
class Year:
    year: int | None  # None: the latest stored
    word: str | None  # as typed, when not a number
    relation: str | None = None  # "into" / "from" (see core.qa.parse.YearRef)


def years(ctx: Context) -> list[Year]:
    """The years named, in the order written, without repeats. 今年 is the clock's year, or the report year
    chosen for it (``Choice.year``: its report is not out yet); 去年 and 前年 move with it."""
    out: list[Year] = []
    explicit: int | None = None
    text = ctx.reading.text
    this_year = ctx.choice.year or ctx.now.year
    refs = ctx.reading.years
    if any(r.relation != "published" for r in refs):
        # 2020年的年报是2021年几月发布的: the year it came out restates the report's year
        refs = [r for r in refs if r.relation != "published"]
    for i, ref in enumerate(refs):
        previous = refs[i - 1] if i else None
        if (
            ref.kind == "last"
            and previous is not None
            and previous.year is not None
            and text[previous.span[1] : ref.span[0]] in ("", "的")
        ):
            out[-1] = Year(previous.year - 1, f"{text[previous.span[0] : ref.span[1]]}")  # 2021年的上一年
            continue
        if ref.year is not None:
            explicit = ref.year
            found = Year(ref.year, None, ref.relation)
        elif ref.kind == "this":
            found = Year(this_year, ref.word, ref.relation)
        elif ref.kind == "last":
            found = Year((explicit if explicit is not None else this_year) - 1, ref.word, ref.relation)
        elif ref.kind == "back":
            # 2021年比两年前: counted back from the year named (before or after it), else from the clock
            base = explicit if explicit is not None else next((r.year for r in refs if r.year), this_year)
            found = Year(base - ref.back, ref.word, ref.relation)
        elif ref.kind == "before_last":
            found = Year(this_year - 2, ref.word, ref.relation)
        else:
            found = Year(None, ref.word)
        if ref.relation == "published" and found.year is not None:
            # the report that came out in 2022 is the 2021 report
            typed = text[ref.span[0] : ref.span[1]]
            found = Year(found.year - 1, ctx.tr(f"{typed}发布的", f"published in {typed}"))
        if all(f.year != found.year for f in out):
            out.append(found)
    return out


def year_note(ctx: Context, y: Year, report: ReportRef) -> list[str]:
    if y.word and y.year is not None:
        return [ctx.tr(f"（“{y.word}”按 {y.year} 年度理解）", f"('{y.word}' read as {y.year})")]
    if y.word:
        return [
            ctx.tr(
                f"（“{y.word}”按已存最新的 {report.year} 年度理解）",
                f"('{y.word}' read as {report.year}, the latest stored)",
            )
        ]
    return []


def not_out_yet(ctx: Context, asked: int | None, latest: int | None) -> Answer | None:
    """今年 read against the clock names a year whose report comes out next year: ask whether the latest
    report (published this year) is meant, rather than refuse or silently answer another year."""
    this = [r for r in ctx.reading.years if r.kind == "this"]
    if not this or ctx.choice.year or asked != ctx.now.year or latest is None or latest >= asked:
        return None
    word = this[0].word
    text = ctx.tr(
        f"“{word}”是 {asked} 年；{asked} 年度的报告要到 {asked + 1} 年才发布，还没有。"
        f"已存最新的是 {latest} 年度的报告（{latest + 1} 年发布），按它回答吗？",
        f"'{word}' is {asked}; the {asked} reports come out in {asked + 1}. The latest stored is {latest} "
        f"(published in {latest + 1}). Answer for {latest}?",
    )
    option = Option(ctx.tr(f"按 {latest} 年度回答", f"answer for {latest}"), ctx.choice.with_(year=latest))
    return Answer(text, clarify=[option], kind="clarify")


def stored_years(reports: list[ReportRef]) -> str:
    return "、".join(str(r.year) for r in reports)


async def pick_report(ctx: Context, agency: AgencyRow) -> tuple[ReportRef | None, Answer | None]:
    """The report a question about one agency means: the year named, else the agency's latest (said)."""
    reports = await queries.agency_reports(ctx.session, agency.id)
    if not reports:
        return None, ctx.refuse(
            [ctx.tr(f"{agency.short_name} 没有已存的报告。", f"No report of {agency.name} is stored.")]
        )
    named = years(ctx)
    carry = CARRY.get(ctx.entry.row or "") if ctx.entry is not None else None
    if carry and len(named) == 2:
        # 2020年从2019年转过来的: the report year is the later one (carried over), or the earlier (forward).
        ordered = sorted(y.year or 0 for y in named)
        named = [Year(ordered[-1] if carry == "later" else ordered[0], None)]
    elif carry and len(named) == 1 and named[0].year is not None and named[0].relation:
        # carried into 2022 → the 2021 report; carried over from 2020 → the 2021 report
        shift = {("earlier", "into"): -1, ("later", "from"): 1}.get((carry, named[0].relation), 0)
        named = [Year(named[0].year + shift, None)]
    y = named[-1] if named else Year(None, None)
    if y.year is None:
        report = reports[-1]
        if not y.word:
            ctx.understood.append(
                ctx.tr(
                    f"（未指定年度，按该单位已存最新的 {report.year} 年度报告回答）",
                    f"(no year given: the latest stored report, {report.year})",
                )
            )
        ctx.understood += year_note(ctx, y, report)
        return report, None
    match = [r for r in reports if r.year == y.year]
    if not match and (ask := not_out_yet(ctx, y.year, reports[-1].year)):
        return None, ask
    if not match:
        return None, ctx.refuse(
            [
                ctx.tr(
                    f"{agency.short_name} 没有 {y.year} 年度的报告（已存：{stored_years(reports)} 年度）。",
                    f"No {y.year} report of {agency.name} is stored (stored: {stored_years(reports)}).",
                ),
                *year_note(ctx, y, reports[-1]),
            ]
        )
    ctx.understood += year_note(ctx, y, match[0])
    return match[0], None

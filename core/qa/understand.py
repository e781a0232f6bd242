"""From a reading to what is asked: the words that must be explained by a figure, the pick-list options
for figures, and the line that says how the question was understood ("按「结转下年度继续办理」回答")."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from core.qa.lexicon import Token
from core.qa.match import Match, Scored
from core.qa.parse import Chunk
from core.qa.reply import Context, Option
from core.templates.catalogue import Entry


def concept_tokens(ctx: Context, intents: Collection[str]) -> list[Token]:
    """The words that name figures. A word that is also an intent this kind of question uses (增加 in
    "比去年增加了多少", 比例 in a year-over-year change) is read as the intent."""
    out = []
    for t in ctx.reading.tokens:
        if not t.has("concept"):
            continue
        if any(v in intents for v in t.values("intent")):
            continue
        out.append(t)
    return out


# Intent words any kind of question may carry (吗, 多少, 一共, 你好 …).
GENERAL_INTENTS = frozenset({"help", "yes_no", "how_many", "have", "sum", "all", "respectively"})


def stray(ctx: Context, intents: Collection[str]) -> list[Chunk]:
    """Intent words this kind of question does not use: 增长率 asked of one year, 平均 of one agency. They are
    not dropped: the question is about something else than what would be answered."""
    allowed = GENERAL_INTENTS | set(intents)
    return [
        Chunk(t.text, (t.start, t.end), False)
        for t in ctx.reading.tokens
        if t.has("intent")
        and not (t.has("concept") or t.has("stop") or t.has("year") or t.has("kind"))
        and not set(t.values("intent")) & allowed
    ]


def _compare_words(ctx: Context) -> list[Token]:
    return [t for t in ctx.reading.tokens if "compare" in t.values("intent")]


def against_agency(ctx: Context) -> bool:
    """lawsuits vs 首南街道: the compare word is said of the agency right after it (against it), with no other
    agency or year to compare with."""
    said = _compare_words(ctx)
    starts = {n.span[0] for n in ctx.agencies}
    return bool(said) and all(any(0 <= s - t.end <= 1 for s in starts) for t in said)


def compares_years(ctx: Context) -> bool:
    """A compare word said next to a year (比去年, 2021 vs 2020, compared with last year), not between the
    figures a rate is made of (completion rate: results of handling vs (received + carried over))."""
    said = _compare_words(ctx)
    spans = [y.span for y in ctx.reading.years]
    return any(abs(a - t.end) <= 8 or abs(t.start - b) <= 8 for t in said for a, b in spans)


def defined_aside(ctx: Context) -> bool:
    """completion rate (requests answered vs new + carried over): the compare word is inside a definition in
    brackets, no comparison of years."""
    text = ctx.reading.text
    said = _compare_words(ctx)
    return bool(said) and all(text.rfind("(", 0, t.start) > text.rfind(")", 0, t.start) for t in said)


def names_figure(tokens: Sequence[Token]) -> bool:
    """Whether the words name a figure at all (情况, 明细 alone ask for the agency's key figures)."""
    return any(m.kind == "concept" and m.value != "detail" for t in tokens for m in t.meanings)


def entry_options(ctx: Context, scored: Sequence[Scored]) -> list[Option]:
    return [Option(s.entry.name(ctx.lang), ctx.choice.with_(entry=s.entry.id)) for s in scored]


def restate(ctx: Context, entry: Entry) -> None:
    """Say what the figure was understood as, and which words were read as typos."""
    for t in ctx.reading.tokens:
        if t.fuzzy and t.has("concept"):
            ctx.understood.append(
                ctx.tr(f"（“{t.text}”按“{t.term}”理解）", f"('{t.text}' read as '{t.term}')")
            )
    if entry.kind in ("cell", "group", "rate"):
        ctx.understood.append(ctx.tr(f"（按「{entry.zh}」回答）", f"(answered as '{entry.en}')"))


_AND = frozenset({"和", "与", "及", "以及", "跟", "还有", "加", "加上", "plus", "and", "、"})


def joins_parts(ctx: Context, found: Match) -> bool:
    """Whether the reading found takes what it needs from both sides of a 和 (直接起诉和复议后起诉 → 行政诉讼)."""
    if found.entry is None or not found.best or found.best[0].need is None:
        return False
    need = found.best[0].need.concepts
    sides: list[set[str]] = [set()]
    for t in ctx.reading.tokens:
        if t.text.strip() in _AND:
            sides.append(set())
        else:
            sides[-1].update(m.value for m in t.meanings if m.kind == "concept")
    return sum(bool(side & need) for side in sides) >= 2


def split_and(ctx: Context, intents: Collection[str], version: str) -> list[Entry] | None:
    """收到和办结的申请: two figures asked together, each reading complete on its own; None otherwise.
    Words that name no figure by themselves (申请) go with every part."""
    from core.qa.match import match

    tokens = ctx.reading.tokens
    cuts = [i for i, t in enumerate(tokens) if t.text.strip() in _AND]
    if not cuts:
        return None
    wanted = {id(t) for t in concept_tokens(ctx, intents)}
    # 办理结果里，予以公开加上部分公开: the breakdown named around the parts says where they are, no part of them
    wanted -= {
        id(t) for t in tokens if t.has("concept") and all(v.startswith("bd:") for v in t.values("concept"))
    }
    shared = [t for t in tokens if id(t) in wanted and all(m.soft for m in t.meanings if m.kind == "concept")]
    groups: list[list[Token]] = [[]]
    for i, t in enumerate(tokens):
        if i in cuts:
            groups.append([])
        elif id(t) in wanted and t not in shared:
            groups[-1].append(t)
    found: list[Entry] = []
    for i, group in enumerate(groups):
        if not group and shared:
            group = list(shared)  # 申请和复议各几件: 申请 alone is its own part
        if not group:
            return None
        # 行政复议和行政诉讼被纠正了几件, 复议维持和纠正: a word of another part that names what this part
        # lacks (a column, a row) is said of both
        own = {d for g in group for d in _dimensions(g)}
        if (
            "col" not in own
            and (said := [t for t in groups[-1][1:] if _dimensions(t) == {"col"}])
            and i < len(groups) - 1
        ):
            group = [*group, *said]  # trailing: 被纠正 after the last part
        m = match([*group, *shared], versions=(version,), kinds=("cell", "group", "rate"))
        if m.entry is None:
            lacking = [
                t for j, other in enumerate(groups) if j != i for t in other
                if _dimensions(t) and not _dimensions(t) & {d for g in group for d in _dimensions(g)}
            ]  # fmt: skip
            m = match([*group, *shared, *lacking], versions=(version,), kinds=("cell", "group", "rate"))
        if m.entry is None:
            return None
        found.append(m.entry)
    return found if len({e.id for e in found}) >= 2 else None


def _dimensions(t: Token) -> set[str]:
    """What a word names: a row, a column (or both, for words that can be either)."""
    return {
        m.value.split(":")[0]
        for m in t.meanings
        if m.kind == "concept" and m.value.startswith(("row:", "col:"))
    }

"""A question as typed → what its words say: years, thresholds, tables, intent, kinds of agency, and the
catalogue concepts it names — and the words nothing explains.

Pure text work, no database: agency names are found by the caller (core.qa.names) and their spans passed
in. Nothing is dropped silently: every unit of the question ends up in a span the reading explains (a name,
a year, a term of core.qa.lexicon) or in ``leftovers``, which the caller resolves as a name or treats as
something the reports do not record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from core.qa.lexicon import Meaning, Token, Unit, readings, segment
from core.templates.catalogue import TABLE_TOPIC
from core.textnorm import clean, cn_number

Lang = Literal["zh", "en"]
Op = Literal["=", ">", ">=", "<", "<=", "blank"]  # blank: the cell is printed empty


@dataclass(frozen=True)
class Condition:
    op: Op
    value: float
    percent: bool = False
    # where the question says it (None: implied by other words); not part of what the condition is
    span: tuple[int, int] | None = field(default=None, compare=False)

    def holds(self, value: float) -> bool:
        n = self.value
        if self.op == "blank":
            return False  # a figure printed is not blank
        return {"=": value == n, ">": value > n, ">=": value >= n, "<": value < n, "<=": value <= n}[self.op]


@dataclass(frozen=True)
class Chunk:
    """Words nothing in the vocabulary explains: a name, or something the reports do not record."""

    text: str
    span: tuple[int, int]
    name_like: bool  # ends like an agency or a division (局, 街道, district …)


@dataclass(frozen=True)
class YearRef:
    year: int | None  # an explicit year
    word: str | None  # 今年/去年/前年/上一年/最新 as typed
    kind: str | None  # this | last | before_last | latest
    span: tuple[int, int]
    # "into" (结转到2022年, carried into 2022), "from" (从2019年转过来), "base" (比前年) or "published"
    # (2022年发布的年报, published in 2022: the year a report came out, not the year it covers)
    relation: str | None = None
    back: int = 0  # kind "back": so many years before the year named (2021年比两年前), else the clock's


@dataclass
class Reading:
    text: str
    lang: Lang
    tokens: list[Token] = field(default_factory=list)
    leftovers: list[Chunk] = field(default_factory=list)
    years: list[YearRef] = field(default_factory=list)
    condition: Condition | None = None
    top: int | None = None
    table: str | None = None  # 二 / 三 / 四 when one table is named
    yes_no: bool = False
    versions: list[int] = field(default_factory=list)  # the formats named: 2019版 → 2019
    that_one: bool = False  # 鹿城区那个街道: one agency of a kind, not named

    def flags(self) -> set[str]:
        return {v for t in self.tokens for v in t.values("intent")}

    def kinds(self) -> set[str]:
        return {v for t in self.tokens for v in t.values("kind")}

    def concept_tokens(self) -> list[Token]:
        return [t for t in self.tokens if t.has("concept")]

    def concepts(self) -> set[str]:
        return {v for t in self.tokens for v in t.values("concept")}


def normalize(text: str) -> str:
    """Simplified, half-width, lower case, single spaces (offsets of every later step refer to this)."""
    # no. of: the number of (no alone is a negation); as long as what it replaces, so offsets stay put
    return _NUMBER_OF.sub("nr ", clean(text).lower().replace("’", "'"))


_NUMBER_OF = re.compile(r"\bno\.(?=\s*of\b)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]")


def detect_lang(text: str) -> Lang:
    """English when the Latin letters outnumber the Chinese characters ("top 3 by 行政处罚" is English)."""
    return "en" if len(_LATIN.findall(text)) >= max(1, len(_HAN.findall(text))) else "zh"


# ---------------------------------------------------------------- numbers, years, tables

_CN_NUM = "零〇一二两三四五六七八九十百千万"
_YEAR = re.compile(
    r"(?<![\d.])(?P<y>20\d{2})(?!\d)(?!\s*(?:件|个|条|元|万|项|家|次|%|版|多|余|\.\d))(?:\s*年度(?!报告)|\s*年(?!报(?!告)|度报告))?"
    r"|(?P<cn>[〇零一二三四五六七八九]{4})\s*(?:年度(?!报告)|年(?!报(?!告)|度报告))"
    # 一九年, 二一年: years said short in numerals (二三年 may be "two or three years": not read)
    r"|(?<![〇零一二三四五六七八九十])(?P<cn2>一[五六七八九]|二[〇零一二])\s*(?:年度(?!报告)|年(?!报(?!告)|度报告))"
    r"|(?<![\d.])(?P<short>[12]\d)\s*(?:年(?!度?内|报(?!告)|度报告)|(?=年报))"  # 21年报: the 2021 report
)
# Short years in a list or pair, made years by the 年 after the last (20、21两年, 20和21年, 19至21年) or by a
# full year before them (2020和21); '20 and '21 in English.
_YEAR_SEP = r"(?:、|,|，|/|和|与|及|跟|或|至|到|-|–|~|～|\s+and\s+|\s*&\s*|\s+to\s+|\s+or\s+)"
_UNIT_AFTER = r"(?!\s*(?:件|个|条|元|万|项|家|次|%|版|多|余|名|位|\.\d))"
_SHORT_YEARS = re.compile(
    rf"(?<![\d.])[12]\d(?:\s*{_YEAR_SEP}\s*[12]\d)+\s*(?:两年|二年|三年|几年|年度?)(?!度?内|报(?!告)|度报告)"
    rf"|(?<![\d.])20\d{{2}}\s*(?:年度?)?(?:\s*{_YEAR_SEP}\s*[12]\d)+"
    rf"(?:\s*(?:两年|二年|三年|几年|年度?)(?!度?内|报(?!告)|度报告)|(?![\d.]){_UNIT_AFTER})"
    r"|(?<![\w'’])['’](?P<apos>[12]\d)(?![\d%])"
)
_SHORT_YEAR_DIGITS = re.compile(r"\d{4}|\d{2}")
# Counted back: 两年前, 三年以前, two years earlier (from the year named, else the clock); 前两年 only with a
# year named (2021年比前两年: 2019), alone it may be the two years before.
_BACK = re.compile(
    r"(?<![\d〇零一二两三四五六七八九十])(?P<n>[一二两三四五1-5])\s*年(?:以)?前(?![\d年])"
    r"|(?<![\d〇零一二两三四五六七八九十])前\s*(?P<m>[一二两三四五1-5])\s*年(?![度报内])"
    r"|\b(?P<e>one|two|three|four|five|[1-5])\s+years?\s+(?:earlier|before|prior)\b"
)
_NUMBER = rf"(?P<n>\d+(?:\.\d+)?|[{_CN_NUM}]+|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
_THRESHOLD = re.compile(
    r"(?P<op>超过|大于|多于|高于|不少于|不低于|至少|少于|小于|低于|不到|不足|不超过|不高于|最多|至多|顶多|more than|over|above|"
    r"greater than|at least|less than|fewer than|under|below|at most|exceeding|exceeded)\s*"
    + _NUMBER
    + r"\s*(?P<pct>%|percent|个百分点)?(?:件|个|次|起|家|份)?"
    r"|"
    + _NUMBER.replace("<n>", "<n2>")
    + r"\s*(?P<pct2>%)?\s*(?:件|个|次|起|家|份)?\s*(?P<op2>及以上|以上|以下|及以下|or more|or fewer|or less|and above)"
)
# "3件以上" counts 3 (以上/以下 include the number, as regulations read them).
_GE = ("不少于", "不低于", "至少", "at least", "及以上", "以上", "or more", "and above")
_GT = ("超过", "大于", "多于", "高于", "more than", "over", "above", "greater than", "exceeding", "exceeded")
_LE = ("不超过", "不高于", "最多", "至多", "顶多", "at most", "及以下", "以下", "or fewer", "or less")
_TOP = re.compile(
    r"(?:排名|排行)?前\s*(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})(?![\d一二两三四五六七八九十]|\s*年)\s*(?:名|位|个|家)?"
    r"|top[\s-]*(?P<e>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"|(?P<c>\d{1,2}|[一二两三四五六七八九十]{1,2})\s*[个家](?=单位|街道|部门|区|县|镇|乡|局)"
    r"|(?<=排名|排行|倒数)\s*第\s*(?P<f>[一1])\s*(?:名|位)?|第\s*(?P<g>[一1])\s*名"  # 倒数第一: the one
    r"|\b(?:the|which|what)\s+(?P<t>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+(?=agencies|subdistricts|towns|"
    r"departments|districts|governments|reports|units|bureaus)"
)
_EN_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
}
_TABLE_ID = r"[二三四234]|two|three|four|ii|iii|iv|2|3|4"
_TABLE = re.compile(
    rf"表格?\s*(?P<t>[二三四234])|第\s*(?P<t2>[二三四234])\s*(?:张表|个表|表|部分)|table\s*(?P<e>{_TABLE_ID})\b"
)
_TABLE_NAMES = {"2": "二", "3": "三", "4": "四", "two": "二", "three": "三", "four": "四", "ii": "二", "iii": "三",
                "iv": "四", "二": "二", "三": "三", "四": "四"}  # fmt: skip
_INTO = re.compile(r"(?:到|至|转入|转到|into|to)\s*$")
_FROM = re.compile(r"(?:从|自|from)\s*$")
_BASE = re.compile(r"(?:比|than|compared (?:with|to)|versus|vs\.?)\s*$")
_PUBLISHED_AFTER = re.compile(
    r"\s*的?\s*(?:几月几[号日]|几月份?|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|[一二三四五六七八九十]{1,2}月|哪天|哪一天|"
    r"什么时候|初|底|年初|年底)?\s*(?:发布|公布|发出|印发|发的|出的)"
)
_WHEN = re.compile(r"几|哪|什么时候")
_REPORT = re.compile(r"年报|报告|report")  # published said of the report, not of a figure (公布的处罚决定)
_PUBLISHED_BEFORE = re.compile(r"(?:published|released|发布于|公布于)\s*(?:in|on|during)?\s*$")
_VERSION = re.compile(r"(?:20\d{2}|[〇零一二三四五六七八九]{4})\s*年?\s*版")
# The numbering of a label copied from the table (三、本年度办理结果, （七）总计, 1.属于国家秘密) says nothing
# the label does not: 表二、三 and 前3、 are lists, not numbering.
_NUMBERING = re.compile(
    r"[（(][一二三四五六七八九十]{1,2}[）)]"
    r"|(?<![表第前\d一二三四五六七八九十])[一二三四五六七八九十]{1,2}、(?=[\u4e00-\u9fff])"
    r"|(?<![\d.])\d{1,2}[.．、](?=\s?[\u4e00-\u9fff])"
)
# 发了没, 收到过申请没, 有复议没有: a 没 that ends the question asks yes or no (一件都没有 is a count of none).
_THAT_ONE = re.compile(r"那(?:个|家|一个|一家)(?=街道|乡镇|镇|乡|局|部门|区政府|县政府|区|县)")
# 有没有 asks yes or no; read before the terms, or 有没有逾期 would be 有 + 没有逾期 (按时).
_HAVE_OR_NOT = re.compile(r"有没有|有无")
_ASKED_NOT = re.compile(r"(?<![都也均并还])(?:[了过]没有?|没有?)(?=[\s?？。!！~～…]*$)")
_MARKUP = re.compile(r"</?[a-z][a-z0-9]{0,10}(?:\s[^<>]{0,40})?>|&(?:[a-z]{2,6}|#\d{1,5});")
_YES_NO_EN = re.compile(r"^(?:is|was|were|are|did|does|do|has|have|had|can|could)\b")
_COUNT_EN = re.compile(r"\bhow (?:many|much|late)\b")


def _number(word: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if word in _EN_NUMBERS:
        return float(_EN_NUMBERS[word])
    n = cn_number(word)
    return float(n) if n is not None else None


class _Mask:
    """Characters of the question already explained (offsets never change)."""

    def __init__(self, text: str, taken: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.free = [True] * len(text)
        for a, b in taken:
            self.take(a, b)

    def take(self, a: int, b: int) -> None:
        for i in range(a, b):
            self.free[i] = False

    def view(self) -> str:
        return "".join(ch if ok else "\x00" for ch, ok in zip(self.text, self.free, strict=True))

    def finditer(self, regex: re.Pattern[str]) -> list[re.Match[str]]:
        found = list(regex.finditer(self.view()))
        for m in found:
            self.take(*m.span())
        return found


# 鹿城 21 复议, 西湖 21 vs 20, 五马街道 二〇二一: a report year typed bare, as terse queries do — a number of
# its own that no 年, unit or ranking word follows (超过21件, 前21名 and 表3 are read before this)
_BARE_YEAR = re.compile(
    r"(?<![\d.第前\w])(?P<n>19|20|21|22)(?![\d.%]|\s*(?:件|个|次|起|家|名|位|天|日|号|月|万|元|条|项|份|年|%|percent))"
    r"(?!\s*(?:和|、|,|，|至|到|~|～|-|与|及)\s*\d+\s*(?:件|个|次|起|家|名|位|天|万|元|条|项|份))"  # 20和21件
    r"|(?P<cn>二[〇零][一二][〇零一二三四五六七八九])(?!\s*年)"
)


def _years(mask: _Mask) -> list[YearRef]:
    found = []
    for m in mask.finditer(_SHORT_YEARS):
        for d in _SHORT_YEAR_DIGITS.finditer(m.group()):
            span = (m.start() + d.start(), m.start() + d.end())
            year = _year_of(d.group())
            found.append(YearRef(year, None, None, span, _relation(mask.text, span)))
    for m in mask.finditer(_YEAR):
        if m.group("y"):
            year = int(m.group("y"))
        elif m.group("cn") or m.group("cn2"):
            year = _year_of(m.group("cn") or m.group("cn2"))
        else:
            year = 2000 + int(m.group("short"))
        found.append(YearRef(year, None, None, m.span(), _relation(mask.text, m.span())))
    for m in mask.finditer(_BARE_YEAR):
        year = _year_of(m.group("n") or m.group("cn"))
        found.append(YearRef(year, None, None, m.span(), _relation(mask.text, m.span())))
    return found


def _back(mask: _Mask, named: bool) -> list[YearRef]:
    found = []
    for m in _BACK.finditer(mask.view()):
        if m.group("m") and not named:
            continue
        n = _number(m.group("n") or m.group("m") or m.group("e"))
        if not n:
            continue
        mask.take(*m.span())
        found.append(YearRef(None, m.group(), "back", m.span(), _relation(mask.text, m.span()), int(n)))
    return found


def _published_words(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """Where 发布的 (after the year) or published in (before it) is written."""
    if m := _PUBLISHED_AFTER.match(text, span[1]):
        return m.span()
    if m := _PUBLISHED_BEFORE.search(text[: span[0]]):
        return m.span()
    return None


def _relation(text: str, span: tuple[int, int]) -> str | None:
    """What the words around a year make of it: into (结转到2022年), from (从2019年), base (比前年),
    published (2022年发布的, 去年几月发布的, published in 2022)."""
    before = text[: span[0]]
    if _REPORT.search(text) and _published_words(text, span):
        return "published"
    if _INTO.search(before):
        return "into"
    if _FROM.search(before):
        return "from"
    if _BASE.search(before):
        return "base"
    return None


# 不为零, non-zero: more than 0 (read before 零 and zero can be read as "none").
_NONZERO = re.compile(r"不[为是等]于?\s*(?:零|0)(?![\d.])|非\s*(?:零|0)(?![\d.])|non-?zero|not zero")


# 空白, 没填, left blank: the cell is printed empty; with 零 or zero as well (空白或为零), = 0, which
# counts the blank cells as 0 anyway.
_BLANK = re.compile(
    r"(?:为|是)?空白|空着|留空|为空|是空的|没有?填写?|未填写?|没有?写|未写|不填|"
    r"\b(?:left |is |are |was |were )?(?:blank|empty|not filled(?: in)?|unfilled)\b"
    r"|\bleft\b(?=[^.?]*\b(?:blank|empty)\b)"
)
_ZERO = re.compile(
    r"(?<![\d.])0(?![\d.%])|(?<![〇零一二三四五六七八九])零(?![〇零一二三四五六七八九])|\bzero\b"
)


def _condition(mask: _Mask) -> Condition | None:
    if found := mask.finditer(_BLANK):
        if _ZERO.search(mask.view()):
            return Condition("=", 0, span=found[0].span())
        return Condition("blank", 0, span=found[0].span())
    if found := mask.finditer(_NONZERO):
        return Condition(">", 0, span=found[0].span())
    for m in mask.finditer(_THRESHOLD):
        word = m.group("op") or m.group("op2")
        n = _number(m.group("n") or m.group("n2"))
        if n is None:
            continue
        percent = bool(m.group("pct") or m.group("pct2"))
        op: Op = ">=" if word in _GE else ">" if word in _GT else "<=" if word in _LE else "<"
        return Condition(op, n, percent, m.span())
    return None


def _year_of(said: str) -> int:
    """A year said in digits or numerals, in full or short: 2019, 二〇二一, 一九, 21 (the digits of 2019版 too)."""
    n = int(
        "".join(ch if ch.isdigit() else str(cn_number(ch)) for ch in said if ch.isdigit() or ch in _CN_NUM)
    )
    return n if n > 999 else 2000 + n


def _asked_not(mask: _Mask) -> list[tuple[int, int]]:
    """The span of a 没 that asks yes or no; a bare 没有 only after a 有 (有复议没有)."""
    m = _ASKED_NOT.search(mask.view())
    if m is None or (m.group() == "没有" and "有" not in mask.text[: m.start()]):
        return []
    mask.take(*m.span())
    return [m.span()]


def _top(mask: _Mask) -> tuple[int | None, bool]:
    """The N of a top-N, and whether it was said only as a number of agencies (三个区), which is a top-N
    only next to a word of ranking (最多的三个区, not 那三个区平均)."""
    for m in mask.finditer(_TOP):
        n = _number(
            m.group("n") or m.group("e") or m.group("c") or m.group("t") or m.group("f") or m.group("g")
        )
        if n:
            return int(n), bool(m.group("c") or m.group("t"))
    return None, False


def _table(mask: _Mask) -> tuple[str | None, tuple[int, int] | None]:
    for m in mask.finditer(_TABLE):
        return _TABLE_NAMES[m.group("t") or m.group("t2") or m.group("e")], m.span()
    return None, None


# ---------------------------------------------------------------- reading

# Suffixes of agency and division names: words before them that nothing explains are a name.
_NAME_END = re.compile(
    r"(?:区|县|市|旗|镇|乡|街道|街道办|办事处|局|委|办|中心|政府|办公室|厅|署|院|站|所|队|公司|处|"
    r"district|county|city|town|township|subdistrict|bureau|office|government|govt|centre|center|commission)$"
)
_POSSESSIVE = re.compile(r"['’]s?$")  # Putuo District's report
# Characters a typo puts where a name's suffix should be (定海去 → 定海区): their sounds.
_SUFFIX_SOUNDS = {"qu", "xian", "shi", "zhen", "xiang", "ju"}


_REPORT_YEAR = frozenset({"本年度", "本年", "this year"})


def read(text: str, taken: Sequence[tuple[int, int]] = ()) -> Reading:
    """Read a normalised question; ``taken`` are spans already explained (agency names)."""
    mask = _Mask(text, taken)
    mask.finditer(_MARKUP)  # <b>定海区</b>: markup pasted with a question says nothing
    numbering = [m.span() for m in mask.finditer(_NUMBERING)]
    table, table_span = _table(mask)
    top, counted = _top(mask)
    condition = _condition(mask)
    versions = mask.finditer(_VERSION)  # 2019版: a template, not a report year
    asked_not = [m.span() for m in mask.finditer(_HAVE_OR_NOT)] + _asked_not(mask)
    years = _years(mask)
    years += _back(mask, bool(years))
    free = list(mask.free)
    for a, b in numbering:
        free[a:b] = [True] * (b - a)
    tokens, uncovered = segment(text, free, numbering)
    tokens += [Token(*m.span(), m.group(), "版", (Meaning("concept", "fact:template"),)) for m in versions]
    tokens += [Token(a, b, text[a:b], "吗", (Meaning("intent", "yes_no"),)) for a, b in asked_not]
    if table_span is not None and table is not None:
        # 表三 names a table: the concept of tables, besides which one; and what the table is about, so that
        # a cell asked with its table (表四行政复议总计) is explained by it, and one of another table is not
        meanings = (Meaning("concept", "fact:table"), Meaning("concept", TABLE_TOPIC[table]))
        tokens.append(Token(*table_span, text[slice(*table_span)], "表", meanings))
    tokens.sort(key=lambda t: t.start)
    reading = Reading(text, detect_lang(text), tokens, [], years, condition, top, table)
    reading.versions = [_year_of(m.group()) for m in versions]
    reading.that_one = bool(_THAT_ONE.search(text))
    if counted and not reading.flags() & {"rank", "rank_asc", "ranking"}:
        reading.top = None
    for t in tokens:
        for kind in t.values("year"):
            reading.years.append(
                YearRef(None, t.text, kind, (t.start, t.end), _relation(text, (t.start, t.end)))
            )
    if any(y.year is not None for y in reading.years):
        # 2021年本年度办理结果: 本年度 is the report's own year, as the labels use it, not the clock's
        reading.years = [y for y in reading.years if not (y.kind == "this" and y.word in _REPORT_YEAR)]
    reading.years.sort(key=lambda y: y.span)
    if reading.years and all(y.relation == "published" for y in reading.years):
        # 2022年发布的年报 names the 2021 report: 发布 is said of the year, not asked
        said = [
            p
            for y in reading.years
            if (p := _published_words(text, y.span)) and not _WHEN.search(text[slice(*p)])
        ]  # 去年什么时候发布的: the date is what is asked
        tokens = [t for t in tokens if not any(a <= t.start and t.end <= b for a, b in said)]
    reading.leftovers, glued = _chunks(text, uncovered, tokens, taken)
    reading.tokens = [t for t in tokens if t not in glued]
    reading.yes_no = is_yes_no(reading)
    return reading


def is_yes_no(reading: Reading) -> bool:
    flags = reading.flags()
    counting = bool({"how_many", "count"} & flags) or bool(_COUNT_EN.search(reading.text))
    if reading.lang == "en":
        return bool(_YES_NO_EN.match(reading.text)) and not counting
    return "yes_no" in flags and not counting


def _chunks(
    text: str, uncovered: list[Unit], tokens: list[Token], taken: Sequence[tuple[int, int]]
) -> tuple[list[Chunk], list[Token]]:
    """Uncovered units, merged into runs; a run takes the name suffixes read as kinds of agency right after
    it (公安 + 局, ouhai + district + government), and a lone character after a name that sounds like its
    suffix (定海 + 去) is a typo. Returns the chunks and the tokens they took."""
    runs: list[list[int]] = []
    for u in uncovered:
        if runs and _adjacent(text, runs[-1][1], u.start):
            runs[-1][1] = u.end
        else:
            runs.append([u.start, u.end])
    spans: list[list[int]] = []
    glued: list[Token] = []
    for start, end in runs:
        piece = text[start:end].strip()
        after_name = any(a <= start <= b for a, b in taken)
        if len(piece) == 1 and _HAN.match(piece) and after_name and readings(piece) & _SUFFIX_SOUNDS:
            continue  # 定海去: the name's suffix, mistyped
        if spans and _adjacent(text, spans[-1][1], start):
            spans[-1][1] = end  # huangyan district + justice bureau: one name
        else:
            spans.append([start, end])
        for t in tokens:
            if (
                t.start >= spans[-1][1]
                and _adjacent(text, spans[-1][1], t.start)
                and t.has("kind")
                and _NAME_END.search(_POSSESSIVE.sub("", t.text))
            ):
                spans[-1][1] = t.end
                glued.append(t)
    out = []
    for start, end in spans:
        piece = text[start:end].strip()
        out.append(Chunk(piece, (start, end), bool(_NAME_END.search(_POSSESSIVE.sub("", piece)))))
    return out, glued


def _adjacent(text: str, end: int, start: int) -> bool:
    return not text[end:start].strip() or text[end:start] == " "

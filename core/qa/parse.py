"""A question as typed → what it asks: the metric, agencies, years, region and the kind of answer wanted.

Pure text work, no database: agency names are found by the caller (core.storage.agencies) and their spans
passed in, so that names containing metric words (政府采购中心) are not read as metrics. Everything else is
read by consuming the text piece by piece (years, intent words and metric terms, filler), so whatever is
left over is a candidate agency name that the caller resolves fuzzily ("定海去" → 定海区).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from core.qa.metrics import (
    BREAKDOWN_WORDS,
    GENERIC_TERMS,
    Concept,
    Lang,
    MetricQuery,
    normalize_term,
    term_index,
)
from core.textnorm import clean

IntentKind = Literal[
    "value", "rank", "sum", "average", "count", "list", "compare", "compliance", "help", "agencies", "unknown"
]
ComplianceScope = Literal["agency", "tables", "missing_table"]

# ---------------------------------------------------------------- intent words (data)

# flag → words. Matched together with the metric terms, longest first; the words are consumed.
# fmt: off
INTENT_WORDS: dict[str, tuple[str, ...]] = {
    "help": (
        "你能回答什么", "能回答什么", "可以回答什么", "你能做什么", "能做什么", "可以问什么", "能问什么", "怎么用", "如何使用", "帮助", "使用说明", "示例",
        "举例", "例子", "help", "what can you", "what can i ask", "how do i use", "how to use", "examples",
        "usage",
    ),
    "agencies": (
        "有哪些单位", "哪些单位", "什么单位", "单位列表", "单位名单", "哪些机关", "有哪些报告", "哪些报告", "报告列表", "存了哪些", "存了什么",
        "list agencies", "list the agencies", "which agencies", "what agencies", "list reports",
        "which reports", "what reports", "agencies", "reports",
    ),
    "compliance": (
        "有没有问题", "有问题", "什么问题", "问题", "错误", "有错", "出错", "错了", "不一致", "勾稽", "不平衡", "对不上", "合规", "规范吗", "是否规范",
        "异常", "核查", "检查", "审查", "findings", "issues", "issue", "problems", "problem", "errors", "error",
        "inconsistent", "inconsistency", "inconsistencies", "wrong", "mistakes", "mistake", "compliance",
        "compliant", "check",
    ),
    "zero": (
        "没有收到", "没收到", "未收到", "未接到", "没接到", "没有接到", "零申请", "为0", "为零", "是0", "是零", "等于0", "no requests",
        "received no", "receive no", "zero", "none",
    ),
    "count": (
        "几个", "多少个", "几家", "多少家", "多少单位", "how many agencies", "how many reports", "number of agencies",
        "number of reports",
    ),
    "rank_asc": ("最少", "最低", "最小", "倒数", "least", "fewest", "lowest", "smallest", "bottom"),
    "rank": ("最多", "最高", "最大", "highest", "most", "largest", "biggest"),
    "ranking": ("排名", "排行", "排序", "top", "rank", "ranking", "ranked"),
    "sum": (
        "总共", "一共", "共计", "合计", "总计", "total", "加起来", "总和", "总量", "累计", "合起来", "in total", "altogether", "combined", "sum",
    ),
    "average": ("平均", "均值", "average", "mean", "avg"),
    "list": (
        "各单位", "每个单位", "各个单位", "每家", "各家", "所有单位", "全部单位", "各地", "分别", "each agency", "every agency",
        "all agencies", "per agency", "by agency", "each", "every",
    ),
    "compare": (
        "比较", "对比", "相比", "比一比", "对照", "哪个多", "谁多", "哪个少", "谁少", "差多少", "差距", "差异", "区别", "变化", "增长", "增加了多少",
        "减少了多少", "同比", "环比", "vs", "versus", "compare", "comparison", "difference", "differ", "changed",
        "change", "grow", "growth",
    ),
    "every_year": (
        "历年", "每年", "各年", "逐年", "历史", "趋势", "所有年份", "各年度", "over the years", "each year", "every year",
        "all years", "trend", "history", "by year",
    ),
    "latest": ("今年", "本年度", "去年", "最新", "最近", "latest", "most recent", "last year", "this year"),
    "year_before": ("前年", "the year before last"),
    "breakdown": BREAKDOWN_WORDS,
}

# Words that carry no meaning here; consumed so that what remains is a name. Multi-character words and
# English words are removed anywhere; single characters only at the edges of a chunk, since names contain
# them (行政服务中心, 有色金属局).
FILLER: tuple[str, ...] = (
    "请问", "帮我", "帮忙", "查一下", "查询", "看看", "看一下", "告诉我", "我想知道", "想知道", "一下", "共有", "多少", "以及", "还是", "哪个",
    "哪些", "哪家", "什么", "怎么样", "如何", "情况", "数据", "数量", "数字", "年度", "报告", "年报", "所有", "全部", "单位", "机关", "万元",
    "金额", "分别是", "how", "many", "much", "did", "does", "do", "the", "a", "an", "in", "of", "for", "to", "by",
    "what", "which", "is", "are", "was", "were", "and", "or", "with", "from", "me", "show", "tell", "give",
    "please", "number", "get", "got", "have", "has", "had", "there", "its", "their", "it", "on", "at", "year",
    "years", "agency", "report", "than", "more", "less", "who", "whose", "between", "list", "all", "any", "s",
)
# fmt: on
EDGE_FILLER = "请查几的了吗呢吧啊呀么件个家次项条有是在和与跟同及或谁年里中给被把对为从到共多少各名第都还又元"

_PLACE_KIND = r"(?P<kind>街道|乡镇|镇|乡|部门|单位|机关)"
_REGION_ZH = re.compile(
    r"(?P<region>[\u4e00-\u9fff]{2,12}?(?:省|市|区|县|旗))(?:的|内|下属|所属|辖区内?|范围内)?(?:有)?"
    r"(?P<which>各个|各|所有|全部|哪个|哪些|哪家|几个|多少个|每个)?" + _PLACE_KIND
)
# "哪个街道…最多", "各镇的申请数": a kind of agency with no region.
_KIND_ONLY = re.compile(
    r"(?P<which>各个|各|所有|全部|哪个|哪些|哪家|几个|多少个|每个)(?P<kind>街道|乡镇|镇|乡|部门)"
)
_REGION_EN = re.compile(
    r"(?P<kind>subdistricts|streets|towns|townships|departments|agencies)\s+(?:in|of|under)\s+"
    r"(?P<region>[\u4e00-\u9fff]{2,12}(?:省|市|区|县|旗))"
)
_EN_KIND = {"subdistricts": "街道", "streets": "街道", "towns": "镇", "townships": "乡镇", "departments": "部门",
            "agencies": "单位"}  # fmt: skip
_REGION_NOISE = re.compile(r"^(?:请问|查询|查一下|看看|列出|统计)?(?:年度?)?(?:的)?")

_YEAR = re.compile(r"(?<![\d.])(20[0-9]{2})(?!\d)(?!\s*(?:件|个|条|元|万|项|家|次|%|\.\d))\s*(?:年度|年)?")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_TOP = re.compile(
    r"(?:前|top\s*)(\d{1,3}|[一二两三四五六七八九十]{1,2}|one|two|three|four|five|ten)\s*(?:名|位|个|家)?"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "两": 2}
_THRESHOLD = re.compile(
    r"(?P<op>超过|大于|多于|高于|不少于|至少|more than|over|above|greater than|at least|少于|小于|低于|不超过|"
    r"less than|fewer than|under|below)\s*(?P<n>\d+(?:\.\d+)?)|(?P<n2>\d+(?:\.\d+)?)\s*件?(?P<op2>以上|以下)"
)
_GE = ("不少于", "至少", "at least", "以上")
_GT = ("超过", "大于", "多于", "高于", "more than", "over", "above", "greater than")
_LE = ("不超过", "以下")
_TABLE_ID = r"[二三四234]|two|three|four|iii|ii|iv"
# "缺少表三", "表三缺失", "有表三吗", "which reports are missing table 三", "does 定海区 have table 四"
_MISSING_TABLE = re.compile(
    rf"(?:缺少|缺失|缺了|缺|没有|有没有|有无|是否有|有|无|missing|lacks?|lacking|without|no|has|have|contains?)"
    rf"\s*(?:表格?|table|第)\s*(?P<t>{_TABLE_ID})"
    rf"|(?:表格?|table)\s*(?P<t2>{_TABLE_ID})\s*(?:缺失|缺少|missing|不全|没有)"
)
_TABLE_NAMES = {"2": "二", "3": "三", "4": "四", "two": "二", "three": "三", "four": "四", "ii": "二", "iii": "三",
                "iv": "四", "二": "二", "三": "三", "四": "四"}  # fmt: skip
_TABLES_BAD = re.compile(
    r"(?:表格|表|tables?).{0,8}(?:不一致|勾稽|对不上|不平|inconsistent|don'?t add up|mismatch)|勾稽|inconsistent tables"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]")
_CHUNK_SPLIT = re.compile(r"[\x00\s\d?？!！,，。.、;；:：\"'“”‘’()（）《》<>\-—/]+")


@dataclass(frozen=True)
class Region:
    text: str  # as typed, e.g. 宁波市鄞州区; "" for a kind of agency anywhere ("哪个街道")
    kind: str  # 街道 | 乡镇 | 镇 | 乡 | 部门 | 单位 | 机关
    span: tuple[int, int]
    counting: bool = False  # "鄞州区有几个街道…": a count


@dataclass(frozen=True)
class Condition:
    op: Literal["=", ">", ">=", "<", "<="]
    value: float


@dataclass
class Question:
    """What the words of a question say, before agencies are looked up."""

    text: str  # normalised
    lang: Lang
    metric: MetricQuery
    years: tuple[int, ...] = ()
    year_word: str | None = None  # 去年/今年/最新 …: read as the latest stored year, said in the answer
    year_offset: int = 0  # -1 for 前年
    every_year: bool = False
    region: Region | None = None
    flags: frozenset[str] = frozenset()
    limit: int | None = None
    condition: Condition | None = None
    compliance: ComplianceScope | None = None
    table: str | None = None
    leftovers: tuple[str, ...] = field(default=())  # unexplained chunks: candidate agency names

    @property
    def ascending(self) -> bool:
        return "rank_asc" in self.flags

    @property
    def superlative(self) -> bool:
        """最多/最少 asks for one agency; 排名/top asks for a list."""
        return bool({"rank", "rank_asc"} & self.flags) and "ranking" not in self.flags


def normalize(text: str) -> str:
    """Simplified, half-width, lower case, single spaces (offsets of every later step refer to this)."""
    return clean(text).lower()


def detect_lang(text: str) -> Lang:
    """English when the Latin letters outnumber the Chinese characters ("top 3 by 行政处罚" is English)."""
    return "en" if len(_LATIN.findall(text)) >= max(1, len(_HAN.findall(text))) else "zh"


def find_region(text: str) -> Region | None:
    """ "鄞州区各街道", "宁波市的所有单位", "subdistricts in 鄞州区": a region filter and the kind of agency."""
    for m in _REGION_ZH.finditer(text):
        region = _REGION_NOISE.sub("", m.group("region"))
        if len(region) >= 2:
            return Region(region, m.group("kind"), m.span(), m.group("which") in ("几个", "多少个"))
    m = _REGION_EN.search(text)
    if m:
        return Region(m.group("region"), _EN_KIND[m.group("kind")], m.span())
    m = _KIND_ONLY.search(text)
    if m:
        return Region("", m.group("kind"), m.span(), m.group("which") in ("几个", "多少个"))
    return None


def _pattern(term: str) -> str:
    escaped = re.escape(term).replace(r"\ ", r"\s*")
    return rf"(?<![a-z]){escaped}(?![a-z])" if _LATIN.search(term) else escaped


def _alternation(terms: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(terms), key=lambda t: (-len(t), t))
    return re.compile("|".join(_pattern(t) for t in ordered))


@cache
def _vocabulary() -> tuple[re.Pattern[str], dict[str, str]]:
    """Intent words and metric terms in one alternation, so the longest reading wins either way:
    没有收到 is the zero condition (not the metric 收到), 申请人构成 is a metric family (not 构成 + 申请)."""
    owner = {normalize_term(w): flag for flag, words in INTENT_WORDS.items() for w in words}
    return _alternation([*owner, *term_index()]), owner


@cache
def _filler_regex() -> re.Pattern[str]:
    return _alternation([normalize_term(w) for w in FILLER])


class _Text:
    """The question with a mask of consumed characters (offsets never change)."""

    def __init__(self, text: str, spans: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.free = [True] * len(text)
        for a, b in spans:
            self.take(a, b)

    def take(self, a: int, b: int) -> None:
        for i in range(a, b):
            self.free[i] = False

    def view(self) -> str:
        return "".join(ch if ok else "\x00" for ch, ok in zip(self.text, self.free, strict=True))

    def search(self, regex: re.Pattern[str]) -> re.Match[str] | None:
        m = regex.search(self.view())
        if m:
            self.take(*m.span())
        return m

    def finditer(self, regex: re.Pattern[str]) -> list[re.Match[str]]:
        found = list(regex.finditer(self.view()))
        for m in found:
            self.take(*m.span())
        return found


def _number(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    digits = [10 if c == "十" else "一二三四五六七八九".index(c) + 1 for c in word]
    if len(digits) == 2 and digits[1] == 10:  # 二十
        return digits[0] * 10
    return sum(digits)  # 三, 十, 十五


def _read_years(t: _Text) -> tuple[int, ...]:
    years = [int("".join(_CN_DIGIT[c] for c in m.group(1))) for m in t.finditer(_CN_YEAR)]
    years += [int(m.group(1)) for m in t.finditer(_YEAR)]
    return tuple(dict.fromkeys(years))


def _read_condition(t: _Text, flags: set[str]) -> Condition | None:
    m = t.search(_THRESHOLD)
    if m:
        op_word = m.group("op") or m.group("op2")
        n = float(m.group("n") or m.group("n2"))
        if op_word in _GE:
            return Condition(">=", n)
        if op_word in _GT:
            return Condition(">", n)
        if op_word in _LE:
            return Condition("<=", n)
        return Condition("<", n)
    if "zero" in flags:
        return Condition("=", 0)
    return None


def _metric(found: list[tuple[str, frozenset[Concept]]], breakdown: bool) -> MetricQuery:
    rows: list[str] = []
    cols: list[str] = []
    fams: list[str] = []
    specific = [(t, cs) for t, cs in found if t not in GENERIC_TERMS]
    if any(c.kind == "row" and c.id.startswith("apply.") for _, cs in specific for c in cs):
        found = specific  # 申请 next to 办结, 予以公开 … only says which table
    # A term that is both a row and a column (总计) is a column when another row is named.
    has_row = any(all(c.kind == "row" for c in cs) or any(c.kind == "family" for c in cs) for _, cs in found)
    for _, cs in found:
        kinds = {c.kind for c in cs}
        if "family" in kinds:
            fams.extend(sorted(c.id for c in cs if c.kind == "family"))
            continue
        if "row" in kinds and "column" in kinds:
            kind = "column" if has_row else "row"
            (cols if kind == "column" else rows).extend(sorted(c.id for c in cs if c.kind == kind))
            continue
        (rows if "row" in kinds else cols).extend(sorted(c.id for c in cs))
    return MetricQuery(
        rows=tuple(dict.fromkeys(rows)),
        columns=tuple(dict.fromkeys(cols)),
        families=tuple(dict.fromkeys(fams)),
        breakdown=breakdown,
        terms=tuple(term for term, _ in found),
    )


def _leftovers(t: _Text) -> tuple[str, ...]:
    t.finditer(_filler_regex())
    merged: list[str] = []
    for raw in _CHUNK_SPLIT.split(t.view()):
        chunk = raw.strip(EDGE_FILLER)
        if not (
            (_HAN.search(chunk) and len(chunk) >= 2)
            or (len(chunk) >= 3 and chunk.isascii() and chunk.isalpha())
        ):
            continue
        if merged and chunk.isascii() and merged[-1].isascii():  # "dinghai district" is one name
            merged[-1] += " " + chunk
        else:
            merged.append(chunk)
    return tuple(merged)


def read_question(text: str, taken: Sequence[tuple[int, int]] = (), region: Region | None = None) -> Question:
    """Read a normalised question; ``taken`` are spans already explained (agency names)."""
    t = _Text(text, [*taken, *([region.span] if region else [])])
    missing = t.search(_MISSING_TABLE)
    tables_bad = t.search(_TABLES_BAD)
    top = t.search(_TOP)
    years = _read_years(t)
    regex, owner = _vocabulary()
    index = term_index()
    flags: set[str] = {"ranking"} if top else set()
    if region is not None and region.counting:
        flags.add("count")
    year_word = None
    terms: list[tuple[str, frozenset[Concept]]] = []
    for m in t.finditer(regex):
        word = re.sub(r"\s+", " ", m.group(0))
        flag = owner.get(word)
        if flag:
            flags.add(flag)
            if flag in ("latest", "year_before"):
                year_word = m.group(0)
        if word in index:
            terms.append((word, index[word]))
    compliance: ComplianceScope | None = None
    if missing:
        compliance = "missing_table"
    elif tables_bad:
        compliance = "tables"
    elif "compliance" in flags:
        compliance = "agency"
    return Question(
        text=text,
        lang=detect_lang(text),
        metric=_metric(terms, "breakdown" in flags),
        years=years,
        year_word=year_word,
        year_offset=-1 if "year_before" in flags else 0,
        every_year="every_year" in flags,
        region=region,
        flags=frozenset(flags),
        limit=_number(top.group(1)) if top else None,
        condition=_read_condition(t, flags),
        compliance=compliance,
        table=_TABLE_NAMES[missing.group("t") or missing.group("t2")] if missing else None,
        leftovers=_leftovers(t),
    )


def classify(q: Question, agencies: int) -> IntentKind:
    """The kind of answer wanted, given how many agencies the question names."""
    f = q.flags
    if q.compliance:
        return "compliance"
    if "help" in f and q.metric.empty and not agencies:
        return "help"
    if "agencies" in f and q.metric.empty and q.condition is None and not agencies:
        return "agencies"
    if agencies >= 2:
        return "compare"
    if agencies == 1:
        if "compare" in f or q.every_year or len(q.years) >= 2:
            return "compare"
        return "value"
    if q.condition is not None:
        return "count" if "count" in f else "list"
    if "rank" in f or "ranking" in f or q.ascending:
        return "rank"
    if "average" in f:
        return "average"
    if "sum" in f:
        return "sum"
    if "count" in f:
        return "count"
    if "list" in f or q.region is not None:
        return "list"
    if not q.metric.empty:
        return "sum"
    if "agencies" in f:
        return "agencies"
    if "help" in f:
        return "help"
    return "unknown"

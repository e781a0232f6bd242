"""Figures stated in a report's prose: 收到申请N件, 办结N件, 结转N件, 行政复议N件, 规范性文件N件 …

Used to check the text against the tables (core.checks.prose) and to answer from the text when a table is
missing (seed 002 says "未接到…申请" and has no table 三). Reading is deliberately conservative: a sentence
must be about 政府信息公开 and the words between the keyword and the number must not turn it into another
figure (按时答复, 维持, 清理…); anything ambiguous yields no fact rather than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.templates.rules import prose_links
from core.textnorm import cn_number, fold_width, to_simplified

_NUM = r"(?P<n>\d+|[零〇一二两三四五六七八九十百]{1,5})"
_UNIT = r"\s*(?:件|起|宗|个|份|条|次)"
_GAP = r"[^，,。；;：:！？!?\d]"
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_CLAUSE_ENDS = "，,；;"
_CLAUSE = re.compile(rf"[^{_CLAUSE_ENDS}]+")
# Cheap tests that rule a sentence out before the patterns run (most of a long text states no figure):
_NUMERAL = re.compile(r"[\d零〇一二两三四五六七八九十百]")  # every pattern in _PATTERNS reads a _NUM
_NEGATIONS = ("未", "无", "没有")  # every pattern in _ZERO_PATTERNS starts with one (_NEG)


@dataclass(frozen=True)
class ProseFact:
    key: str  # canonical key (``litigation.total`` = direct + after-review lawsuits)
    value: int | float
    snippet: str  # the clause as written
    start: int  # offset of the snippet in the simplified, width-folded text (same length as the input)
    topic: str  # prose topic, see core.templates.rules.ProseLink


@dataclass(frozen=True)
class _Pattern:
    topics: tuple[str, ...]
    regex: re.Pattern[str]
    # The sentence must contain all of these (what the sentence is about).
    about: tuple[str, ...]
    # Words that must not appear between the keyword and the number (they make it another figure).
    forbid: tuple[str, ...] = ()
    # A number that may be shared by several topics only when each gets it ("各3件") or it is 0.
    shared: bool = False


_APPLY = ("申请", "公开")
_DISCLOSURE = ("公开",)
_NOT_APPLY = ("复议", "诉讼", "许可", "审批", "投诉", "举报", "信访", "咨询", "诉求", "建议", "提案", "结转", "办结", "答复")
_NOT_CASE_COUNT = ("维持", "纠正", "撤销", "其中", "审结", "结案", "收案", "败诉", "胜诉", "决定")
_NOT_NORMATIVE = (
    "审核", "审查", "清理", "备案", "解读", "征求", "修订", "修改", "废止", "失效", "有效性", "合法性", "意见",
    "草案", "起草", "计划", "报送", "目录",
)  # fmt: skip

_PATTERNS: tuple[_Pattern, ...] = (
    # 共受理依申请公开34件 / 共收到政府信息公开申请0件 / 收到依申请公开件1件
    _Pattern(
        ("apply_new",),
        re.compile(rf"(?:收到|受理|接到|接收|新收)(?P<gap>{_GAP}{{0,25}}?){_NUM}{_UNIT}(?P<tail>{_GAP}{{0,10}})"),
        _APPLY,
        _NOT_APPLY,
    ),
    # 共办结33件 / 答复…805件; not 按时答复32件
    _Pattern(
        ("apply_done",),
        re.compile(rf"(?<!按时)(?<!逾期)(?<!延期)(?<!超期)(?:办结|答复|办理完毕|处理完毕)(?P<gap>{_GAP}{{0,8}}?){_NUM}\s*件"),
        _APPLY,
        ("率", "按时", "逾期", "延期", "超期", "复议", "诉讼", "咨询", "诉求", "投诉", "建议", "提案", "结转"),
    ),
    # 除1件结转下年度继续办理外 / 另有72件申请…顺延到下年度答复
    _Pattern(
        ("apply_carried_forward",),
        re.compile(rf"{_NUM}\s*件(?P<gap>{_GAP}{{0,12}}?)(?:结转|顺延|转入)(?:至|到)?下一?年"),
        _APPLY,
        ("复议", "诉讼"),
    ),
    _Pattern(
        ("apply_carried_forward",),
        re.compile(rf"结转(?:至|到)?下一?年度?(?P<gap>{_GAP}{{0,10}}?){_NUM}\s*件"),
        _APPLY,
        ("复议", "诉讼"),
    ),
    # 含上年度结转申请18件
    _Pattern(
        ("apply_carried_over",),
        re.compile(rf"上一?年度?结转(?P<gap>{_GAP}{{0,8}}?){_NUM}\s*件"),
        _APPLY,
        ("复议", "诉讼", "下年"),
    ),
    # 行政复议和行政诉讼各1件 / 行政复议、行政诉讼均为0件
    _Pattern(
        ("review", "litigation"),
        re.compile(rf"行政复议(?:和|、|及|与|或)行政诉讼(?:案件)?(?P<gap>{_GAP}{{0,8}}?){_NUM}{_UNIT}"),
        _DISCLOSURE,
        _NOT_CASE_COUNT,
        shared=True,
    ),
    # 因政府信息公开引起的行政复议件3件
    _Pattern(
        ("review",),
        re.compile(rf"行政复议(?P<gap>{_GAP}{{0,10}}?){_NUM}{_UNIT}"),
        _DISCLOSURE,
        (*_NOT_CASE_COUNT, "诉讼"),
    ),
    _Pattern(
        ("litigation",),
        re.compile(rf"行政诉讼(?P<gap>{_GAP}{{0,10}}?){_NUM}{_UNIT}"),
        _DISCLOSURE,
        (*_NOT_CASE_COUNT, "复议"),
    ),
    # 其中规范性文件44件 / 发布…行政规范性文件共计44件 / 制发5件规范性文件
    _Pattern(
        ("normative_docs",),
        re.compile(rf"规范性文件(?P<gap>{_GAP}{{0,10}}?){_NUM}\s*(?:件|个|份|部)"),
        ("规范性文件",),
        _NOT_NORMATIVE,
    ),
    _Pattern(
        ("normative_docs",),
        re.compile(rf"{_NUM}\s*(?:件|个|份|部)(?P<gap>{_GAP}{{0,4}}?)(?:行政)?规范性文件"),
        ("规范性文件",),
        _NOT_NORMATIVE,
    ),
)

# "None received / none happened": a zero for the topic, read only from a clause that states no count.
_NEG = r"(?:未曾|未|没有|无)(?!论|法|需|须|正当|其他|其它)"
_COUNT = re.compile(rf"{_NUM}{_UNIT}")
_ZERO_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    # 未接到群众主动要求公开政府信息的申请 / 未收到任何形式的申请公开信息要求 / 无依申请公开
    (
        "apply_new",
        re.compile(
            rf"(?:{_NEG}(?:接到|收到|受理|发生|接收)(?P<gap>{_GAP}{{0,25}}?)申请|无(?:依申请公开|政府信息公开申请))"
            rf"(?P<tail>{_GAP}{{0,8}})"
        ),
        ("复议", "诉讼", "许可", "引起"),
    ),
    # 未发生…行政复议 / 未接到有关政府信息公开方面的复议、诉讼 / 无因政府信息公开引起的行政诉讼
    ("review", re.compile(rf"{_NEG}{_GAP}{{0,25}}?复议"), _NOT_CASE_COUNT),
    ("litigation", re.compile(rf"{_NEG}{_GAP}{{0,25}}?诉讼"), _NOT_CASE_COUNT),
)


def _normalise(text: str) -> str:
    # Line by line, which changes nothing: the converter splits its input at whitespace and punctuation
    # and converts each piece on its own. But one character that may be traditional (覆, common in
    # simplified text too) no longer sends a whole 10 MB text through the slow converter: only its line
    # goes, and repeated lines, or lines the parser has just converted, come from to_simplified's cache.
    return fold_width("\n".join(map(to_simplified, text.split("\n"))))


def _clause(sentence: str, start: int, end: int) -> tuple[str, int]:
    """The clause of ``sentence`` around [start, end), for quoting, and its offset in the sentence."""
    left = max(sentence.rfind(p, 0, start) for p in _CLAUSE_ENDS) + 1
    rights = [i for i in (sentence.find(p, end) for p in _CLAUSE_ENDS) if i >= 0]
    clause = sentence[left : min(rights) if rights else len(sentence)]
    return clause.strip(), left + len(clause) - len(clause.lstrip())


def _zero_facts(sentence: str) -> list[tuple[str, int, int]]:
    """(topic, start, end) of "none received / none happened" statements, clause by clause."""
    found = []
    for cm in _CLAUSE.finditer(sentence):
        clause = cm.group(0)
        if _COUNT.search(clause):
            continue
        for topic, regex, forbid in _ZERO_PATTERNS:
            m = regex.search(clause)
            if not m:
                continue
            if topic == "apply_new":
                # "未发生因政府信息公开申请引起的行政复议" is about reviews, not requests
                words = (m.group("gap") or "") + m.group("tail")
                if "公开" not in clause or any(w in words for w in forbid):
                    continue
            elif any(w in clause for w in forbid):  # "无一例…被纠正" is about outcomes, not counts
                continue
            found.append((topic, cm.start() + m.start(), cm.start() + m.end()))
    return found


def _topic_facts(text: str) -> list[tuple[str, int, str, int]]:
    """(topic, value, snippet, start) for every figure the patterns read, in text order."""
    facts: list[tuple[str, int, str, int]] = []
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        if _NUMERAL.search(sentence):
            facts.extend(_figures(sentence, sm.start()))
        if "公开" in sentence and any(w in sentence for w in _NEGATIONS):
            for topic, start, end in _zero_facts(sentence):
                snippet, at = _clause(sentence, start, end)
                facts.append((topic, 0, snippet, sm.start() + at))
    return facts


def _figures(sentence: str, offset: int) -> list[tuple[str, int, str, int]]:
    """(topic, value, snippet, start) for every figure the patterns read in ``sentence`` (at ``offset``)."""
    facts: list[tuple[str, int, str, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        if not all(w in sentence for w in pattern.about):
            continue
        for m in pattern.regex.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # the words already served a more specific pattern
            gap = m.group("gap") or ""
            if any(w in gap for w in pattern.forbid):
                continue
            if "apply_new" in pattern.topics and not ("申请" in m.group(0) and "公开" in m.group(0)):
                continue
            value = cn_number(m.group("n"))
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            if pattern.shared and value != 0 and "各" not in gap:
                continue  # "复议和诉讼共3件": no figure for either
            snippet, at = _clause(sentence, m.start(), m.end())
            facts.extend((topic, value, snippet, offset + at) for topic in pattern.topics)
    return facts


def extract_prose_facts(text: str, template: str = "2021") -> list[ProseFact]:
    """Figures stated in ``text``, keyed by the canonical keys of ``template`` ("2019" or "2021").

    Only the 规范性文件 figure depends on the template (本年新制作数量 in 2019, 本年制发件数 in 2021).
    """
    links = prose_links(template)
    return [
        ProseFact(links[topic].key, value, snippet, start, topic)
        for topic, value, snippet, start in _topic_facts(_normalise(text))
        if topic in links
    ]

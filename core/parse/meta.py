"""What the prose says about the report: title, agency, region, year, publication date, the six sections."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from rapidfuzz import fuzz

from core.parse.labels import Label, score
from core.templates import SectionDef
from core.textnorm import clean, fold_width, to_simplified

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "Ｏ": 0, "o": 0}
_DATE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(?<!\d)(\d{4})([-./])(\d{1,2})\5(\d{1,2})(?!\d)"
)
_CN_DATE = re.compile(
    r"([〇零○OＯo一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_YEAR_PREFIX = re.compile(r"^(?:(\d{4})\s*年\s*度?)")
_REPORT_SUFFIX = re.compile(r"(?:(\d{4})\s*年\s*度?)?(?:政府|政务)?信息公开.*(?:报告|年报).*$")
_META_LINE = re.compile(r"^[\u4e00-\u9fff\s]{2,8}[:：]")
_META_AGENCY = re.compile(r"^(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]\s*(?P<name>\S+)")
_META_DATE = re.compile(
    r"(?:发布日期|成文日期|生成日期|发布时间|公开日期)\s*[:：]\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
)
_PERIOD = re.compile(r"统计(?:期限|时限|时间|期间|区间|时段)[^。\d]{0,8}(\d{4})\s*年\s*1\s*月\s*1\s*日")
_YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年\s*度?")
# 鄞州区 is a district, not 鄞州 + 区: a 州 directly followed by 区/县/市 is part of the name.
_REGION_TOKEN = re.compile(
    r"[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区|自治州|地区|盟|市|州(?![区县市])|自治县|县|自治旗|旗|区)"
)
_REGION_NAME = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|自治州|地区|盟|市|州|自治县|县|旗|区|新区|镇|乡|街道))+$"
)
_ORG_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|办事处|委员会|管委会|局|厅|委|中心|院|所|站|队|处|署|街道|镇|乡|公司|馆|会)$"
)
_TOWNSHIP_NAME = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡))(?:办事处|人民政府|政府)?")
_PROSE_REGION = re.compile(r"([\u4e00-\u9fff]{2,4}市[\u4e00-\u9fff]{1,4}(?:区|县))")
_HEADING = re.compile(
    r"^(?:第?(?P<cn>[一二三四五六七八九十]{1,2})(?:部分)?\s*[、.．，,:：]|(?P<ar>[1-9])\s*[、.．]|(?P<ar2>[1-9])\s)\s*(?P<title>.+)$"
)
_RUN_ON = re.compile(r"[。：:；;]")
# A sentence of the body, never a title: it has clause punctuation or opens like one.
_SENTENCE = re.compile(r"[，。；！？]|^(?:根据|按照|依据|依照|本报告|现将|为了?|特此|以下)")
# What a site appends to a page's <title>: 测试市2025年…报告 - 测试市人民政府门户网站.
_TITLE_PARTS = re.compile(r"\s*(?:[-_|｜—–]+|\s{2,})\s*")
_SECTION_FUZZY = 60  # a numbered heading whose number is the section's own needs only this likeness


@dataclass
class Meta:
    title: str | None = None
    agency: str | None = None
    short_name: str | None = None
    region: str | None = None
    year: int | None = None
    published_on: date | None = None
    sections: dict[str, str] = field(default_factory=dict)


def _cn_number(text: str) -> int:
    if len(text) == 1:
        return 10 if text == "十" else _CN_DIGITS[text]
    if text[0] == "十":
        return 10 + _CN_DIGITS[text[1]]
    if text[-1] == "十":
        return _CN_DIGITS[text[0]] * 10
    return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[-1]]


def find_date(text: str) -> date | None:
    m = _DATE.search(text)
    try:
        if m:
            y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[4], m[6], m[7])
            return date(int(y), int(mo), int(d))
        m = _CN_DATE.search(text)
        if m:
            year = int("".join(str(_CN_DIGITS[c]) for c in m[1]))
            return date(year, _cn_number(m[2]), _cn_number(m[3]))
    except (ValueError, KeyError):
        return None
    return None


def _strip_date(text: str) -> str:
    return _CN_DATE.sub("", _DATE.sub("", text)).strip()


def _is_date_line(text: str) -> bool:
    rest = _strip_date(text)
    return rest != text and (not rest or (len(rest) <= 30 and bool(_ORG_SUFFIX.search(rest))))


def _is_org_line(text: str) -> bool:
    return (
        4 <= len(text) <= 30
        and bool(_ORG_SUFFIX.search(text))
        and "报告" not in text
        and not any(p in text for p in "，：:")
    )


# ---------------------------------------------------------------- title, agency, region


def _title(paras: list[str]) -> tuple[str | None, int]:
    """The title (possibly over two lines) and how many leading paragraphs it takes. A web page may
    print its metadata (索引号：…, 发布机构：…) above it."""
    for i, text in enumerate(paras[:12]):
        if len(text) > 60:
            break
        if _META_LINE.match(text) or _SENTENCE.search(text) or _HEADING.match(text):
            continue
        if "报告" in text or "年报" in text:
            head = paras[i - 1] if i else ""
            # A title over two lines: "2020年椒江区人民政府行政服务中心" / "政府信息公开工作年度报告".
            two_lines = head and len(head) <= 30 and (_is_org_line(head) or _YEAR_PREFIX.match(head))
            if two_lines and not _is_date_line(head) and "报告" not in head:
                return head + text, i + 1
            return text, i + 1
    return None, 0


def _subject(title: str | None) -> str:
    """What the title is about: 2020年定海区政府信息公开工作年度报告 → 定海区."""
    if not title:
        return ""
    subject = _YEAR_PREFIX.sub("", title.replace(" ", "").removeprefix("关于"))
    subject = _REPORT_SUFFIX.sub("", subject)
    return subject.strip('《》“”"')


def _page_metadata(paras: list[str]) -> tuple[str | None, date | None]:
    """The publisher and date a government web page prints above an article (发布机构：…, 发布日期：…)."""
    agency = published = None
    for text in paras[:15]:
        m = _META_AGENCY.match(text)
        if m and agency is None and _is_org_line(m["name"]):
            agency = m["name"]
        m = _META_DATE.search(text)
        if m and published is None:
            try:
                published = date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
    return agency, published


def regions(name: str) -> list[str]:
    """The administrative divisions a name starts with: 宁波市鄞州区人民政府白鹤街道办事处 → [宁波市, 鄞州区]."""
    out, pos = [], 0
    while True:
        m = _REGION_TOKEN.match(name, pos)
        if not m or m.end() - pos < 2 or name.startswith("人民政府", pos):
            break
        out.append(m.group())
        pos = m.end()
    return out


def _is_region(subject: str) -> bool:
    bare = subject.removesuffix("人民政府").removesuffix("政府")
    return bool(bare) and bool(_REGION_NAME.match(bare))


def _government(subject: str, signatures: list[str]) -> str:
    """The full name of the government a region-titled report is about, as printed where possible."""
    bare = subject.removesuffix("人民政府").removesuffix("政府")
    for sig in signatures:
        at = sig.find(bare)
        if at >= 0:
            return sig[: at + len(bare)] + ("办事处" if bare.endswith("街道") else "人民政府")
    return bare + ("办事处" if bare.endswith("街道") else "人民政府")


def short_name(agency: str, government: bool) -> str:
    """The name users type: 定海区, 白鹤街道, 瞻岐镇, 宁海县政务服务办公室, 椒江区行政服务中心."""
    name = agency.replace(" ", "")
    parts = regions(name)
    rest = name[sum(len(p) for p in parts) :]
    township = _TOWNSHIP_NAME.fullmatch(rest.removeprefix("人民政府"))
    if township:
        return township.group(1)
    if government or rest in ("人民政府", "政府", ""):
        return parts[-1] if parts else name
    if rest.startswith("人民政府") and not rest.startswith(("人民政府办公室", "人民政府办公厅")):
        rest = rest[len("人民政府") :]
    return (parts[-1] if parts else "") + rest


def _region(agency: str | None, prose: str) -> str | None:
    parts = regions(agency or "")
    if parts:
        return "".join(parts)
    found = Counter(_PROSE_REGION.findall(prose[:3000]))
    return found.most_common(1)[0][0] if found else None


def _org_lines(texts: list[str]) -> list[str]:
    names = (_strip_date(text) for text in texts)
    return list(dict.fromkeys(n for n in names if _is_org_line(n)))


def _page_title(title: str | None) -> str | None:
    """The report's title in a web page's <title>, without the site's name around it."""
    if not title:
        return None
    parts = [p for p in _TITLE_PARTS.split(fold_width(to_simplified(title))) if p]
    found = [p for p in parts if ("报告" in p or "年报" in p) and not _SENTENCE.search(p)]
    return found[0] if found else None


def _agency(subject: str, names: list[str]) -> tuple[str | None, bool]:
    """The agency a title's subject names, as printed in full among ``names`` (headings, 落款) where it
    is; and whether it is a government (a region-titled report)."""
    if not subject or _SENTENCE.search(subject) or "《" in subject:
        return None, False
    if _is_region(subject):
        return _government(subject, names), True
    return next((n for n in names if n.endswith(subject) or subject in n), subject), False


def _published(paras: list[str], skip: int) -> date | None:
    for text in reversed(paras[-6:]):
        if len(text) <= 40 and _is_date_line(text):
            return find_date(text)
    for text in paras[skip : skip + 4]:
        if len(text) <= 40 and _is_date_line(text):
            return find_date(text)
    return None


def _year(title: str | None, prose: str, published: date | None) -> int | None:
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m and 1990 < int(m[1]) < 2100:
            return int(m[1])
    m = _PERIOD.search(prose)
    if m:
        return int(m[1])
    m = re.search(r"(\d{4})\s*年\s*度?\s*(?:政府|政务)?信息公开(?:工作)?年度?报告", prose[:3000])
    if m:
        return int(m[1])
    if published:
        return published.year - 1 if published.month <= 6 else published.year
    years = Counter(int(y) for y in re.findall(r"(20\d{2})\s*年", prose[:5000]))
    return years.most_common(1)[0][0] if years else None


# ---------------------------------------------------------------- sections


@cache
def _section_labels(sections: tuple[SectionDef, ...]) -> tuple[tuple[SectionDef, Label], ...]:
    return tuple((sec, Label.of(text)) for sec in sections for text in (sec.title, *sec.aliases))


def _section_of(title: str, sections: tuple[SectionDef, ...], number: int | None = None) -> SectionDef | None:
    """The section a heading names; a heading numbered as the section's own (五、存在问题及改进情况) needs
    only a likeness to one of its names, as agencies word headings freely."""
    label = Label.of(title)
    best_def, best_score = None, 0
    for sec, alias in _section_labels(sections):
        s = score(label, alias, fuzzy=False)
        if s > best_score:
            best_def, best_score = sec, s
    if best_def is None and number is not None and 0 < number <= len(sections):
        own = sections[number - 1]
        likeness = max(fuzz.partial_ratio(label.core, alias.core) for sec, alias in _section_labels(sections) if sec is own)
        if likeness >= _SECTION_FUZZY:
            return own
    return best_def if best_score else None


def _heading(text: str, sections: tuple[SectionDef, ...], after: int) -> tuple[SectionDef, bool] | None:
    """A section heading (一、总体情况 / 1、 总体情况) after section number ``after``; True when text runs on."""
    m = _HEADING.match(text)
    if not m:
        return None
    body = m["title"].strip()
    cut = _RUN_ON.search(body)
    head = body[: cut.start()] if cut else body
    if not head or len(head) > 40:
        return None
    arabic = m["ar"] or m["ar2"]
    number = int(arabic) if arabic else _cn_number(m["cn"]) if m["cn"] else None
    sec = _section_of(head, sections, number)
    if sec is None:
        return None
    index = [s.id for s in sections].index(sec.id) + 1
    if index <= after or (arabic and int(arabic) != index):
        return None
    return sec, bool(cut and body[cut.end() :].strip())


def split_sections(paras: list[str], sections: tuple[SectionDef, ...]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    current: str | None = None
    after = 0
    for text in paras:
        head = _heading(clean(text[:80]), sections, after)
        if head is not None:
            sec, runs_on = head
            current = sec.id
            after = [s.id for s in sections].index(sec.id) + 1
            cut = _RUN_ON.search(text) if runs_on else None
            found[current] = [text[cut.end() :].strip()] if cut else []
            continue
        if current is not None:
            found[current].append(text)
    return {k: "\n".join(lines) for k, lines in found.items()}


def read_meta(paras: list[str], sections: tuple[SectionDef, ...], page_title: str | None = None) -> Meta:
    """``paras``: the document's non-empty paragraphs, simplified; ``page_title``: a web page's <title>.

    The agency is read, in this order of trust, from the title, a heading (an organisation's name on its
    own line around the title), the 落款 (the name signed at the end) and the page's <title> — never
    from a sentence of the body.
    """
    meta = Meta()
    title, skip = _title(paras)
    from_page = _page_title(page_title)
    meta.title = title or from_page
    prose = "\n".join(paras)
    around = [*paras[max(skip - 3, 0) : max(skip - 1, 0)], *paras[skip : skip + 3]]
    headings = [n for n in _org_lines(around) if not title or n not in title]
    closing = _org_lines(list(reversed(paras[-5:])))
    signatures = list(dict.fromkeys([*headings, *closing]))
    meta.agency, government = _agency(_subject(title), signatures)
    if meta.agency is None and signatures:
        meta.agency = signatures[0]
    if meta.agency is None:
        meta.agency, government = _agency(_subject(from_page), signatures)
    page_agency, page_date = _page_metadata(paras)
    meta.agency = meta.agency or page_agency
    if meta.agency:
        meta.short_name = short_name(meta.agency, government)
    meta.region = _region(meta.agency, prose)
    meta.published_on = _published(paras, skip) or page_date
    meta.year = _year(meta.title, prose, meta.published_on)
    body = paras[skip:]
    while body and (_is_date_line(body[-1]) or _strip_date(body[-1]) in signatures):
        body.pop()  # the signature and date under the last section
    meta.sections = split_sections(body, sections)
    return meta

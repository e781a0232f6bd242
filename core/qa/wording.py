"""How answers read: numbers with units, source lines, and the fixed texts (help, examples) in both languages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

Lang = Literal["zh", "en"]
_EN_UNITS = {"件": "", "元": " yuan", "万元": " × 10,000 yuan", "个": "", "%": "%", "天": " days"}
MAX_SOURCE_LINES = 8
MAX_LIST_LINES = 30


def tr(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def number(value: float | int | None) -> str:
    """34.0 → "34", 29.058388 → "29.058388", 89188339.32 → "89188339.32"."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def plain(value: float | int | None) -> float | int | None:
    """A JSON-friendly number: whole floats become ints."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 6)


def amount(value: float | int | None, unit: str | None, lang: Lang) -> str:
    """ "34 件", "2660000 元（266 万元）", "34" (English counts carry no unit word)."""
    if value is None:
        return tr(lang, "（空白）", "(blank)")
    text = number(value)
    unit = unit or ""
    if lang == "en":
        return text + _EN_UNITS.get(unit, f" {unit}" if unit else "")
    if unit == "元" and abs(value) >= 10_000:
        return f"{text} 元（{number(round(value / 10_000, 6))} 万元）"
    return f"{text} {unit}".rstrip()


def percent_text(value: float) -> str:
    """A rate as answers print it: one decimal (33.3%)."""
    return f"{value:.1f}%"


def cell_place(source: dict[str, Any], lang: Lang) -> str:
    """ "定海区 2020年 表三「一、本年新收…」×「总计」"."""
    where = f"{source['agency']} {source['year']}" + tr(lang, "年", "")
    if source.get("kind") == "prose":
        return where + tr(lang, " 正文", " text")
    labels = " × ".join(f"「{x}」" for x in (source.get("row_label"), source.get("col_label")) if x)
    return f"{where} {tr(lang, '表', 'table ')}{source.get('table') or ''} {labels}".rstrip()


def source_lines(sources: Sequence[dict[str, Any]], lang: Lang, total: int | None = None) -> list[str]:
    """The sources block appended to every answer that has sources."""
    sources = [s for s in sources if s.get("kind") not in ("agency", "report")]  # shown in the answer itself
    if not sources:
        return []
    lines = [tr(lang, "来源：", "Sources:")]
    for s in sources[:MAX_SOURCE_LINES]:
        if "code" in s and "key" not in s:  # a finding, for compliance answers
            lines.append(f"· {s['agency']} {s['year']}{tr(lang, '年', '')} [{s['code']}] {s['message']}")
            continue
        lines.append(
            f"· {cell_place(s, lang)}：“{s.get('raw', '')}”"
            if lang == "zh"
            else f'· {cell_place(s, lang)}: "{s.get("raw", "")}"'
        )
    shown = min(len(sources), MAX_SOURCE_LINES)
    count = total if total is not None else len(sources)
    if count > shown:
        lines.append(
            tr(
                lang,
                f"……共 {count} 处来源，仅列出前 {shown} 处",
                f"… {count} sources in all, first {shown} shown",
            )
        )
    return lines


def finding_lines(sources: Sequence[dict[str, Any]], lang: Lang) -> list[str]:
    """Open findings on the cells an answer used: said, never hidden."""
    seen: dict[str, str] = {}
    for s in sources:
        for f in s.get("findings", ()):
            if f["severity"] != "info":  # notes (blank cells, wrapped labels) stay in the sources
                seen.setdefault(f["code"] + f["message"], f"[{f['code']}] {f['message']}")
    if not seen:
        return []
    head = tr(lang, "⚠ 注意：所用单元格有未解决的问题：", "⚠ Note: the cells used have open findings:")
    return [head, *(f"· {m}" for m in list(seen.values())[:5])]


EXAMPLES_ZH = (
    "定海区收到多少申请",
    "定海区的实质公开率",
    "定海区2020年报是哪天发布的",
    "哪个街道收到的申请最多",
    "吴兴区去年比前年多收了多少申请",
    "有几个单位没有发生行政复议",
    "比较白鹤街道和瞻岐镇",
    "定海区的报告有问题吗",
    "有哪些单位",
)
EXAMPLES_EN = (
    "how many requests did 定海区 receive in 2020",
    "What share of requests did 定海区 fully disclose?",
    "top 3 by 行政处罚",
    "which reports are missing table 三",
    "list agencies in 2020",
)


def examples(lang: Lang) -> list[str]:
    return [f"· {e}" for e in (EXAMPLES_ZH if lang == "zh" else EXAMPLES_EN)]


def help_text(lang: Lang) -> str:
    if lang == "zh":
        return "\n".join(
            [
                "我可以根据已存的政府信息公开工作年度报告回答问题，每个数字都注明出处：",
                "· 单个数字：某单位某年收到/办结的申请、行政复议、行政处罚、采购金额……",
                "· 比率：实质公开率、公开率、不予公开率、办结率、复议/诉讼纠错率（注明计算方法）",
                "· 发布情况：发布日期、是否按时、逾期几天、所用模板、缺少哪张表",
                "· 分类明细：申请人构成、不予公开的原因分布、办理结果",
                "· 跨单位：排名、合计、平均、按地区筛选、计数",
                "· 对比：两个单位之间，或同一单位不同年份",
                "· 合规：报告有什么问题、哪些报告表格不一致、哪些报告缺少表三",
                "· 查询已存单位：有哪些单位",
                "例如：",
                *examples("zh"),
            ]
        )
    return "\n".join(
        [
            "I answer questions from the stored annual reports on government information disclosure, with the "
            "source of every figure:",
            "· single figures (requests received or processed, reconsiderations, penalties, procurement …)",
            "· rates (substantive disclosure, disclosure, withholding, completion, correction rates), with inputs",
            "· publication: date, on time or days late, template version, missing tables",
            "· breakdowns (applicants, reasons for withholding, outcomes)",
            "· across agencies: rankings, sums, averages, filters by region, counts",
            "· comparisons between two agencies or across years",
            "· compliance: findings of a report, inconsistent tables, missing tables",
            "· which agencies are stored",
            "For example:",
            *examples("en"),
        ]
    )


def unknown_text(lang: Lang) -> str:
    return "\n".join(
        [
            tr(
                lang,
                "抱歉，没有看懂这个问题。可以这样问：",
                "Sorry, I did not understand the question. Try for example:",
            ),
            *examples(lang)[:5],
        ]
    )

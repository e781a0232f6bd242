"""The year-on-year comparison (core.documents.comparison) as an Excel workbook: one sheet per part, the
figures as numbers (not text) so they can be filtered and summed, and the key-figure chart on the first."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.drawing.image import Image

from core.checks.render import SEVERITY_NAMES
from core.documents.comparison import Comparison, key_figures_chart


def comparison_xlsx(comparison: Comparison) -> bytes:
    first, second = comparison.years
    a, b = f"{first}年", f"{second}年"
    book = Workbook()
    sheet = book.active
    sheet.title = "数字对比"
    sheet.append(["表", "key", "项目", "栏目", a, b, "增减", "变化%"])
    for rows in comparison.figures.values():
        for r in rows:
            sheet.append([r.table, r.key, r.row, r.column, r.first, r.second, r.difference, r.change_percent])
    only = book.create_sheet("仅一种格式")
    only.append(["年度", "格式", "表", "key", "项目", "栏目", "数值"])
    for part in comparison.one_format_only:
        for r in part.rows:
            value = r.first if part.year == first else r.second
            only.append([part.year, part.version, r.table, r.key, r.row, r.column, value])
    rates = book.create_sheet("比率")
    rates.append(["指标", "计算方法", f"{a}%", f"{b}%", "变化（百分点）"])
    for r in comparison.rates:
        rates.append([r.rate.zh, r.rate.formula, r.first.percent, r.second.percent, r.points])
    findings = book.create_sheet("问题")
    findings.append(["年度", "级别", "代码", "说明"])
    for report, found in zip((comparison.first, comparison.second), comparison.findings, strict=True):
        for f in found:
            findings.append([report.year, SEVERITY_NAMES[f.severity], f.code, f.message])
    same = book.create_sheet("相同句子")
    same.append(["部分", "仅数字不同", "句子"])
    for s in comparison.same_sentences:
        same.append([s.section, "是" if s.numbers_differ else "否", s.text])
    chart = book.create_sheet("图", 0)
    chart.append([f"{comparison.agency.name} {first}年与{second}年主要数字"])
    chart.add_image(Image(io.BytesIO(key_figures_chart(comparison))), "A3")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

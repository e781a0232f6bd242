"""The year-on-year comparison (core.documents.comparison) as a Word document an evaluator can hand on."""

from __future__ import annotations

import io

from docx.shared import Cm

from core.checks.render import SEVERITY_NAMES
from core.documents import word
from core.documents.comparison import Comparison, key_figures_chart, percent, rate_text, signed
from core.render.summary import TEMPLATE_NAMES, format_number

_FIGURE_WIDTHS = (3300, 1500, 1000, 1000, 1000, 1100)
_TITLES = {
    "二": "表二 主动公开政府信息情况",
    "三": "表三 收到和处理政府信息公开申请情况",
    "四": "表四 行政复议、行政诉讼情况",
}


def comparison_docx(comparison: Comparison) -> bytes:
    first, second = comparison.years
    a, b = f"{first}年", f"{second}年"
    document = word.new_document()
    word.title(document, f"{comparison.agency.name}\n{first}年与{second}年政府信息公开工作年度报告对比")
    word.heading(document, "一、两份报告")
    for report in (comparison.first, comparison.second):
        fmt_name = TEMPLATE_NAMES.get(report.template or "", ("格式未识别",))[0]
        dated = f"，落款日期 {report.published_on.isoformat()}" if report.published_on else "，未印落款日期"
        word.paragraph(document, f"{report.year}年度：{report.title or '（无标题）'}；{fmt_name}{dated}。")
    versions = {r.template for r in (comparison.first, comparison.second)}
    if len(versions) > 1:
        word.paragraph(
            document,
            "两份报告的格式不同：下表只比较两种格式都有的数字，只有一种格式才有的数字单独列出（第三部分）。",
        )
    document.add_picture(io.BytesIO(key_figures_chart(comparison)), width=Cm(15))

    word.heading(document, "二、表格数字对比")
    word.paragraph(document, "空白或未填的单元格记为“—”；变化为相对上一年度的百分比。")
    for table, rows in comparison.figures.items():
        word.paragraph(document, _TITLES.get(table, f"表{table}"))
        body = [
            [
                r.row,
                r.column,
                format_number(r.first),
                format_number(r.second),
                signed(r.difference),
                percent(r.change_percent),
            ]
            for r in rows
        ]
        word.simple_table(document, ["项目", "栏目", a, b, "增减", "变化"], body, _FIGURE_WIDTHS)
        word.paragraph(document, "")

    word.heading(document, "三、只有一种格式才有的数字")
    if not comparison.one_format_only:
        word.paragraph(document, "两份报告格式相同，没有只有一种格式才有的数字。")
    for only in comparison.one_format_only:
        word.paragraph(document, f"只有{TEMPLATE_NAMES[only.version][0]}才有（{only.year}年度报告的数字）：")
        body = [
            [r.row, r.column, format_number(r.first if only.year == first else r.second)] for r in only.rows
        ]
        word.simple_table(document, ["项目", "栏目", f"{only.year}年"], body, (3600, 2500, 1500))
        word.paragraph(document, "")

    word.heading(document, "四、比率")
    body = [
        [r.rate.zh, r.rate.formula, rate_text(r.first), rate_text(r.second), percent(r.points, "个百分点")]
        for r in comparison.rates
    ]
    word.simple_table(document, ["指标", "计算方法", a, b, "变化"], body, (1600, 3300, 1100, 1100, 1500))
    word.paragraph(document, "分母为 0 或缺少所需表格时记为“—”，不作计算。")

    word.heading(document, "五、检查发现的问题")
    for report, findings in zip((comparison.first, comparison.second), comparison.findings, strict=True):
        word.paragraph(
            document,
            f"{report.year}年度报告：" + ("未发现问题。" if not findings else f"共 {len(findings)} 条。"),
        )
        for i, f in enumerate(
            sorted(findings, key=lambda f: ("error", "warning", "info").index(f.severity)), 1
        ):
            word.paragraph(document, f"{i}. 【{SEVERITY_NAMES[f.severity]}】{f.message}")

    word.heading(document, "六、第五、六部分两年相同的句子")
    if not comparison.same_sentences:
        word.paragraph(document, "没有两年相同的句子。")
    for s in comparison.same_sentences:
        note = "（仅数字或年份不同）" if s.numbers_differ else ""
        word.paragraph(document, f"第{s.section}部分{note}：{s.text}")
    return word.docx_bytes(document)

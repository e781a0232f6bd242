"""Findings as Chinese text, grouped by severity; shared by the CLI and the bot."""

from __future__ import annotations

from collections.abc import Sequence

from core.model import SEVERITIES, Finding

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def headline(findings: Sequence[Finding]) -> str:
    """One line: "未发现错误" when there is no error, otherwise how many errors; then the other counts."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    head = "未发现错误" if not counts["error"] else f"发现 {counts['error']} 处错误"
    rest = [f"{SEVERITY_NAMES[s]} {counts[s]} 条" for s in ("warning", "info") if counts[s]]
    return head + ("；" + "，".join(rest) if rest else "") + "。"


def summarize(findings: Sequence[Finding], codes: bool = True) -> str:
    """The headline, then each severity's findings numbered, errors first."""
    lines = [headline(findings)]
    for severity in SEVERITIES:
        mine = [f for f in findings if f.severity == severity]
        if not mine:
            continue
        lines.append(f"\n【{SEVERITY_NAMES[severity]}】")
        for i, f in enumerate(mine, 1):
            lines.append(f"{i}. {f.message}" + (f" [{f.code}]" if codes else ""))
    return "\n".join(lines)

"""What a one-screen summary of a report shows, shared by the CLI and the bot."""

from __future__ import annotations

# Figures worth a line in a summary: (key, Chinese, English). The full set is in `parse --json` and `show`.
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("apply.new.total", "收到申请", "requests received"),
    ("apply.carried_over.total", "上年结转", "carried over"),
    ("apply.total.total", "办结", "processed"),
    ("apply.carried_forward.total", "结转下年度", "carried forward"),
    ("review.total", "行政复议", "reconsiderations"),
    ("litigation.direct.total", "直接起诉", "lawsuits"),
    ("litigation.after_review.total", "复议后起诉", "lawsuits after reconsideration"),
)
TEMPLATE_NAMES: dict[str, tuple[str, str]] = {
    "2019": ("2019年版（国办公开办函〔2019〕60号）", "2019 format (国办公开办函〔2019〕60号)"),
    "2021": ("2021年版（国办公开办函〔2021〕30号）", "2021 format (国办公开办函〔2021〕30号)"),
}


def format_number(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

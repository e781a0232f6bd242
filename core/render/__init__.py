"""Plain-text rendering of stored and parsed reports (terminal and Telegram <pre> blocks)."""

from core.render.tables import display_width, pad, render_table, render_tables, text_table, truncate

__all__ = ["display_width", "pad", "render_table", "render_tables", "text_table", "truncate"]

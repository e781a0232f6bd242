"""Telegram handlers, one module per area; ``bot.app.register_handlers`` wires them all."""

"""What handlers share through ``context.bot_data``: the session factory and the settings.

The application builder puts them there once; handlers (ours and the reminder module's) read them with
these accessors instead of importing globals, so tests can run several applications side by side.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import ContextTypes

from core.settings import Settings

SF_KEY = "sf"
SETTINGS_KEY = "settings"

Lang = Literal["zh", "en"]
Context = ContextTypes.DEFAULT_TYPE


def session_factory(context: Context) -> async_sessionmaker[AsyncSession]:
    return context.bot_data[SF_KEY]


def settings_of(context: Context) -> Settings:
    return context.bot_data[SETTINGS_KEY]


def lang_of(update: Update | None) -> Lang:
    """English for users whose Telegram client is set to English; Chinese for everyone else."""
    user = update.effective_user if update else None
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else "zh"

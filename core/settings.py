"""Settings from the environment or ``.env``. Secrets come only from here."""

from __future__ import annotations

from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "nianbao.db"


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return [int(v) for v in value.replace(";", ",").split(",") if v.strip()]
    if isinstance(value, int):
        return [value]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None  # set to run in webhook mode instead of long polling
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    # Checked on every webhook POST; every process behind one address needs the same (default: from the token).
    webhook_secret: SecretStr | None = None

    database_url: str = f"sqlite:///{DEFAULT_DB}"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    allowed_chat_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_chat_id: int | None = None  # where escalation summaries go; defaults to the admins' private chats
    timezone: str = "Asia/Shanghai"
    reminder_time: time = time(9, 0)
    nianbao_now: datetime | None = None  # freezes the clock for demos and end-to-end tests

    # Limits on uploads (core.extract checks them; core.limits enforces the time and memory ones).
    max_file_mb: float = Field(20.0, gt=0)
    max_pages: int = Field(200, gt=0)
    max_cells: int = Field(20_000, gt=0)
    max_text_chars: int = Field(5_000_000, gt=0)
    parse_timeout_s: float = Field(60.0, gt=0)
    max_parse_memory_mb: int = Field(1024, ge=0)  # on top of the loaded libraries; 0: no cap
    parse_workers: int = Field(2, gt=0)  # files parsed at once, each in its own worker process
    # Report links (core.fetch): the time one fetch may take, and whether loopback/private addresses
    # may be fetched (only for tests and closed networks: it lets a link reach the bot's own host).
    fetch_timeout_s: float = Field(30.0, gt=0)
    fetch_allow_private: bool = False

    @field_validator("admin_ids", "allowed_chat_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        return _split_ids(value)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        """Aware 'now' in the configured timezone, frozen when NIANBAO_NOW is set."""
        if self.nianbao_now is not None:
            frozen = self.nianbao_now
            return frozen if frozen.tzinfo else frozen.replace(tzinfo=self.tz)
        return datetime.now(self.tz)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

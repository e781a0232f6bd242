"""The Telegram adapter: python-telegram-bot handlers over ``core``."""

import os

# python-telegram-bot 22 is moving time periods (RetryAfter.retry_after and others) from int seconds to
# timedelta, and warns on every 429 until a program opts in. Nothing here reads them as int, so take the
# future behaviour now rather than a deprecation warning per flood-limit answer.
os.environ.setdefault("PTB_TIMEDELTA", "true")

"""Imported first by the benchmark modules: puts the project and its tests' helpers (report builders,
the PostgreSQL server, the bot harness) on ``sys.path``; the benchmark runs as a script from a checkout."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "tests", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

"""The newest schema revision, read from the revision files without importing Alembic.

Opening a database that is already at the newest revision — every command and every bot start after the
first — then costs one query instead of Alembic's import and environment (a fifth of a one-shot
``nianbao ask``). Anything else still goes through :func:`core.storage.migrate.upgrade`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r'^revision: str = "(\w+)"$', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: str \| None = (?:"(\w+)"|None)$', re.MULTILINE)


@cache
def head_revision() -> str:
    """The revision no other revision builds on (the chain is linear: tests check there is one head)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN.search(text)
        if revision is None or down is None:
            raise RuntimeError(f"{path.name}: revision identifiers not in the generated form")
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the schema revisions have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()

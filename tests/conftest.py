from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"
TEMPLATE_2021_DOCX = DATA / "template-2021.docx"


def seed(prefix: str) -> Path:
    """A seed report by its number, e.g. seed("003")."""
    return next(SAMPLES.glob(f"{prefix}_*.txt"))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
async def sf(db_url: str):
    """Session factory on ``db_url`` with the schema upgraded to the newest migration."""
    from core.storage.db import open_db

    async with open_db(db_url) as factory:
        yield factory


@pytest.fixture
async def seeded_sf(sf):
    """``sf`` with the five seed reports ingested."""
    from core.storage.ingest import ingest_bytes

    for path in sorted(SAMPLES.glob("*.txt")):
        result = await ingest_bytes(sf, path.read_bytes(), path.name)
        assert result.status == "stored", (path.name, result.error)
    return sf

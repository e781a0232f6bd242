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

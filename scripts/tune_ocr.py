"""The OCR tuning set: scans and photos drawn like the held-back set of ``make bench`` (tests/ocr_corpus.py)
but from other seeds, printed item by item with what was misread. Tune on this; never on the bench.

    .venv/bin/python scripts/tune_ocr.py [--kind scan|photo] [--items N] [--first SEED] [--show-wrong]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "tests")]

from ocr_corpus import photo_case, scan_case  # noqa: E402

from core.model import ReportError  # noqa: E402
from core.pipeline import read_report  # noqa: E402

TUNING_FIRST = 100  # seeds 100, 101, …; the bench's held-back seeds start at 9101


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=("scan", "photo", "both"), default="both")
    parser.add_argument("--items", type=int, default=16)
    parser.add_argument("--first", type=int, default=TUNING_FIRST)
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args()
    kinds = ("scan", "photo") if args.kind == "both" else (args.kind,)
    for kind in kinds:
        right = total = 0
        seconds = cpu = 0.0
        pages = 0
        for seed in range(args.first, args.first + args.items):
            template = ("2019", "2021")[seed % 2]
            case = (scan_case if kind == "scan" else photo_case)(seed, template)
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                got = read_report(case.data, "scan.pdf" if kind == "scan" else "album.pdf").cells
            except ReportError as exc:
                print(f"    refused: {exc}", flush=True)
                got = {}
            seconds += time.perf_counter() - start
            cpu += time.process_time() - start_cpu
            pages += case.pages
            wrong = [(k, got[k].raw if k in got else None, v) for k, v in case.values.items() if k not in got or got[k].value != v]
            right += len(case.values) - len(wrong)
            total += len(case.values)
            print(f"{kind} {seed} {template} {case.conditions}: {len(wrong)} of {len(case.values)} wrong", flush=True)
            if args.show_wrong and wrong:
                print("    " + "; ".join(f"{k}={raw!r}≠{v}" for k, raw, v in wrong[:40]), flush=True)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"== {kind}: {100 * right / total:.2f}% ({total - right} of {total} wrong); "
            f"{seconds / pages:.2f} s/page wall, {cpu / pages:.2f} s/page CPU; load {load}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

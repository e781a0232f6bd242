"""``make bench``: runs the benchmark in bench_suite.py (``--quick`` for a smoke run, ``--help`` for sizes).

The suite is imported only under the ``__main__`` guard. Ingest parses in worker processes (core.limits)
that re-run the main module when they start; importing the whole benchmark there (the bot, the report
builders) would take over a second per worker and be counted as ingest time.
"""

import sys

if __name__ == "__main__":
    import bench_suite

    sys.exit(bench_suite.main())

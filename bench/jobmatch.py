"""Benchmark of the job-title matcher (``relmap.input.jobmatch``): speed and share matched correctly.

``bench/job_titles.csv`` holds real job titles (English and French, as they
appear in HR exports and job boards: gender marks, ``H/F``, slashes) with the
O*NET-SOC code(s) a consultant would accept (``|``-separated when several are
defensible). The titles were written for this benchmark, not copied from the
matcher's alias table, although common titles naturally appear in both.

Reported: the time to match 200 titles in a fresh index (the first call reads
the catalogue), the share whose chosen code is acceptable, the share left
unmatched (below the threshold: archetype prior and a ``# check:`` in the
draft), and the share matched to a wrong code (the costly error).

Usage:
    .venv/bin/python bench/jobmatch.py            # summary
    .venv/bin/python bench/jobmatch.py --misses   # and every title not matched correctly
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the titles not matched correctly")
    args = parser.parse_args()
    rows = list(csv.DictReader((HERE / "job_titles.csv").open(encoding="utf-8")))
    titles = [r["title"] for r in rows]
    batch = (titles * (200 // len(titles) + 1))[:200]
    start = time.perf_counter()
    from relmap.input.jobmatch import match_titles

    match_titles(batch)
    elapsed = time.perf_counter() - start
    right = wrong = none = 0
    misses = []
    for row, match in zip(rows, match_titles(titles), strict=True):
        accepted = set(row["expected"].split("|"))
        best = match.best
        if best is None:
            none += 1
            top = match.candidates[0] if match.candidates else None
            misses.append(f"  none   {row['title']!r} (expected {row['expected']}; best "
                          f"{f'{top.code} {top.score}' if top else '-'})")
        elif best.code in accepted:
            right += 1
        else:
            wrong += 1
            misses.append(f"  wrong  {row['title']!r} -> {best.code} {best.title} ({best.score}); "
                          f"expected {row['expected']}")
    n = len(rows)
    print(f"matched 200 titles in {elapsed:.3f} s (index built in the same run)")
    print(f"{n} titles: {right} right ({right / n:.0%}), {none} unmatched ({none / n:.0%}), "
          f"{wrong} wrong code ({wrong / n:.0%})")
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

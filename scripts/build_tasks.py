"""Build ``relmap/seeds/onet_tasks.csv.gz`` from the GPTs-are-GPTs task label set.

Usage::

    python scripts/build_tasks.py ../shared/data/gpts-are-gpts/full_labelset.tsv
    python scripts/build_tasks.py SRC.tsv -o out.csv.gz

``SRC.tsv`` is ``data/full_labelset.tsv`` of openai/GPTs-are-GPTs (MIT licence;
task statements are O*NET content, USDOL/ETA, CC BY 4.0). Each output row is
``task_id,code,type,gpt4,human,automation,statement``:

- ``task_id``: the O*NET task id (an integer; the source writes ``8823.0``);
- ``code``: the O*NET-SOC code of the occupation;
- ``type``: ``core``, ``supplemental`` or empty (O*NET gives no type);
- ``gpt4`` / ``human``: the exposure label of the GPT-4 rater
  (``gpt4_exposure``) and of the human annotators (``human_exposure_agg``):
  ``E0`` (not exposed), ``E1`` (an LLM alone halves the time), ``E2``
  (LLM-powered software would);
- ``automation``: the GPT-4 automation level ``T0``–``T4`` (``gpt4_automation``);
- ``statement``: the O*NET task statement.

Rows are sorted by code, then task id; the file is gzip-compressed with
``mtime = 0`` and no file name in the header, so the same source gives the
same bytes (deterministic builds).

Why a script here and not in the package: the runtime only reads the table;
rebuilding it needs the 4 MB source, which is not shipped.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections.abc import Sequence
from pathlib import Path

HEADER: tuple[str, ...] = ("task_id", "code", "type", "gpt4", "human", "automation", "statement")
LABELS = frozenset({"E0", "E1", "E2"})
LEVELS = frozenset({"T0", "T1", "T2", "T3", "T4"})
TYPES = {"Core": "core", "Supplemental": "supplemental", "": ""}
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "relmap" / "seeds" / "onet_tasks.csv.gz"
Row = tuple[str, ...]


def build_rows(source_text: str) -> list[Row]:
    """Turn the text of ``full_labelset.tsv`` into sorted output rows.

    Raises:
        ValueError: a column is missing, a task id repeats, or a label is not E0/E1/E2 (T0–T4).
    """
    reader = csv.DictReader(io.StringIO(source_text.lstrip("\ufeff")), delimiter="\t")
    needed = ("O*NET-SOC Code", "Task ID", "Task", "Task Type", "gpt4_exposure", "human_exposure_agg",
              "gpt4_automation")
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"source TSV lacks column(s): {', '.join(missing)}")
    rows: dict[int, Row] = {}
    for record in reader:
        task_id = int(float(record["Task ID"]))
        gpt4, human, level = record["gpt4_exposure"], record["human_exposure_agg"], record["gpt4_automation"]
        if gpt4 not in LABELS or human not in LABELS or level not in LEVELS:
            raise ValueError(f"task {task_id}: unexpected labels {gpt4!r}, {human!r}, {level!r}")
        if task_id in rows:
            raise ValueError(f"duplicate task id {task_id}")
        statement = " ".join(record["Task"].split())
        rows[task_id] = (str(task_id), record["O*NET-SOC Code"].strip(), TYPES[record["Task Type"].strip()],
                         gpt4, human, level, statement)
    return sorted(rows.values(), key=lambda r: (r[1], int(r[0])))


def render_gzip(rows: Sequence[Row]) -> bytes:
    """CSV text (header + rows, ``\\n`` line ends) compressed with gzip, mtime 0, no file name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    return raw.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description="Build relmap/seeds/onet_tasks.csv.gz from full_labelset.tsv.")
    parser.add_argument("source", type=Path, help="path to full_labelset.tsv")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help="output file (default: the shipped relmap/seeds/onet_tasks.csv.gz)")
    args = parser.parse_args(argv)
    try:
        rows = build_rows(args.source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.output.write_bytes(render_gzip(rows))
    print(f"wrote {args.output} ({len(rows)} tasks)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

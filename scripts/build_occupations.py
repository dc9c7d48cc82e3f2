"""Regenerate ``occupations.csv`` from the GPTs-are-GPTs occupation file.

Usage::

    python scripts/build_occupations.py SRC.csv            # rewrite the shipped CSV
    python scripts/build_occupations.py SRC.csv -o -       # print to stdout
    python scripts/build_occupations.py SRC.csv -o out.csv

``SRC.csv`` is ``data/occ_level.csv`` of Eloundou et al. (MIT licence), e.g.
``../shared/data/gpts-are-gpts/occ_level.csv``. Each output row is
``code,title,gpt4_alpha,gpt4_beta,gpt4_gamma,human_alpha,human_beta,human_gamma``
with, for each rater (GPT-4 and the human annotators):

- ``alpha = *_rating_alpha`` (E1: tasks an LLM alone could halve),
- ``beta  = *_rating_beta``  (E1 + 0.5·E2),
- ``gamma = *_rating_gamma`` (E1 + E2: including LLM-powered software),

written with 4 decimals, rows sorted by O*NET-SOC code, ``\\n`` line ends.

Why: these are *exposure* shares (a task is exposed when an LLM could cut its
time by half at equal quality), not automation; relmap uses them only as a
prior for ``automatability`` and says so wherever it shows them.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path

RATERS: dict[str, str] = {"gpt4": "dv", "human": "human"}
LEVELS: tuple[str, ...] = ("alpha", "beta", "gamma")
NUMBER_COLUMNS: tuple[str, ...] = tuple(f"{r}_{lv}" for r in RATERS for lv in LEVELS)
HEADER: tuple[str, ...] = ("code", "title", *NUMBER_COLUMNS)
SOURCE_COLUMNS: dict[str, str] = {
    "code": "O*NET-SOC Code",
    "title": "Title",
    **{f"{r}_{lv}": f"{src}_rating_{lv}" for r, src in RATERS.items() for lv in LEVELS},
}
Row = tuple[str, ...]
DEFAULT_OUTPUT: Path = Path(__file__).resolve().parent.parent / "relmap" / "seeds" / "occupations.csv"


def build_rows(source_text: str) -> list[Row]:
    """Turn the text of ``occ_level.csv`` into sorted output rows.

    Args:
        source_text: the whole source file, decoded (a leading BOM is ignored).

    Returns:
        One ``(code, title, gpt4 α β γ, human α β γ)`` tuple per occupation,
        numbers formatted with 4 decimals, sorted by code.

    Raises:
        ValueError: a column is missing, a code repeats, or α ≤ β ≤ γ does not
            hold for a rater.
    """
    reader = csv.DictReader(io.StringIO(source_text.lstrip("\ufeff")))
    missing = [col for col in SOURCE_COLUMNS.values() if col not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"source CSV lacks column(s): {', '.join(missing)}")
    rows: dict[str, Row] = {}
    for record in reader:
        code = record[SOURCE_COLUMNS["code"]].strip()
        numbers: list[str] = []
        for rater in RATERS:
            low, mode, high = (float(record[SOURCE_COLUMNS[f"{rater}_{lv}"]]) for lv in LEVELS)
            if not 0.0 <= low <= mode <= high <= 1.0:
                raise ValueError(f"{code} ({rater}): expected 0 <= alpha <= beta <= gamma <= 1, "
                                 f"got {low}, {mode}, {high}")
            numbers += [f"{low:.4f}", f"{mode:.4f}", f"{high:.4f}"]
        if code in rows:
            raise ValueError(f"duplicate occupation code {code}")
        title = record[SOURCE_COLUMNS["title"]].strip()
        rows[code] = (code, title, *numbers)
    return [rows[code] for code in sorted(rows)]


def render_csv(rows: Sequence[Row]) -> str:
    """Write rows (with the header) as CSV text with ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def build_csv(source: Path) -> str:
    """Read ``source`` (UTF-8) and return the text of ``occupations.csv``."""
    return render_csv(build_rows(source.read_text(encoding="utf-8")))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python scripts/build_occupations.py",
        description="Regenerate relmap/seeds/occupations.csv from GPTs-are-GPTs occ_level.csv.",
    )
    parser.add_argument("source", type=Path, help="path to occ_level.csv")
    parser.add_argument(
        "-o",
        "--output",
        default=str(DEFAULT_OUTPUT),
        help="output file, or - for stdout (default: the shipped occupations.csv)",
    )
    args = parser.parse_args(argv)
    try:
        text = build_csv(args.source)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {args.output} ({text.count(chr(10)) - 1} occupations)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

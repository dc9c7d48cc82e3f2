"""Many companies at once: a pool of workers, one output folder per company, and the portfolio summary.

:func:`analyze_many` is what ``relmap analyze a.yaml b.yaml … -o DIR`` runs.
"""

from .pool import analyze_many

__all__ = ["analyze_many"]

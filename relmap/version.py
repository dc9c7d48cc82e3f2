"""The version of relmap, written into every ``analysis.json`` (its own module, so the analysis needs no
import of the package face)."""

__version__ = "0.1.0"

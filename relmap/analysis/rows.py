"""Result rows built from computed numbers, without pydantic's per-call work.

:func:`trusted` does what ``Model.model_construct(**values)`` does for a row
whose every field is given by its name: the instance's ``__dict__`` is the
values in field order (the order pydantic serialises them in), every field
counts as set, no extra and no private values. Why: ``model_construct`` walks
every field's aliases and defaults on each call, ~25 µs a row; a
10,000-activity chain builds about 100,000 rows (activity × scenario rows,
allocations, role rows), so 2–3 s went there.

Only for values relmap computed (no user input to check); a missing field is a
``KeyError``, never a silent default.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["trusted"]

M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__


def trusted(cls: type[M], **values: Any) -> M:
    """``cls.model_construct(**values)`` when ``values`` names every field of ``cls`` (by name, not alias)."""
    fields = cls.__pydantic_fields__
    if len(values) != len(fields):
        missing = sorted(set(fields) - set(values)) or sorted(set(values) - set(fields))
        raise KeyError(f"{cls.__name__}: fields {missing}")
    row = cls.__new__(cls)
    _set(row, "__dict__", {name: values[name] for name in fields})
    _set(row, "__pydantic_fields_set__", set(fields))
    _set(row, "__pydantic_extra__", None)
    _set(row, "__pydantic_private__", None)
    return row

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
_new = object.__new__
#: each row class's field names in order (its ``__pydantic_fields__``, read once)
_NAMES: dict[type[BaseModel], tuple[str, ...]] = {}


def trusted(cls: type[M], **values: Any) -> M:
    """``cls.model_construct(**values)`` when ``values`` names every field of ``cls`` (by name, not alias).

    When the values come in field order (every caller in relmap gives them so), the call's own keyword
    dictionary becomes the row's ``__dict__``; otherwise it is rebuilt in field order. Either way each
    row has its own dictionary and its own set of fields.
    """
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(cls.__pydantic_fields__)
    if tuple(values) != names:
        if len(values) != len(names) or set(values) != set(names):
            missing = sorted(set(names) - set(values)) or sorted(set(values) - set(names))
            raise KeyError(f"{cls.__name__}: fields {missing}")
        values = {name: values[name] for name in names}
    row = _new(cls)
    _set(row, "__dict__", values)
    _set(row, "__pydantic_fields_set__", set(names))
    _set(row, "__pydantic_extra__", None)
    _set(row, "__pydantic_private__", None)
    return row

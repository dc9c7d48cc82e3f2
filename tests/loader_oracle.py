"""The loader's event loop as it was before it was made faster (relmap 2026-12-02, eeb76c9): the oracle
:func:`relmap.input.loader.build` is checked against (same data, same problems, same order)."""

from __future__ import annotations

from typing import Any

import yaml

from relmap.errors import InputError, Problem
from relmap.i18n import _, format_number
from relmap.input import loader as _loader
from relmap.input.loader import (
    _FORBIDDEN_CHARS,
    _SCALAR_EVENT,
    MAX_DEPTH,
    _Frame,
    _libyaml_too_deep,
    _mark,
    _refused,
    _syntax_problem,
    _too_deep,
    max_activities,
    resolve_scalar,
)


def old_build(text: str, name: str, *, max_depth: int = MAX_DEPTH, limit: int | None = None) -> tuple[Any, bool]:
    """One pass over libyaml's event stream: refuse what is dangerous, build plain data.

    Refused at once, before anything large is built: aliases and anchors (an
    alias bomb expands only when data is built), tags, a second document and
    nesting deeper than ``max_depth`` (the C composer segfaults on ~30,000
    nested brackets; events are flat). More top-level ``activities`` than
    ``limit`` are counted but not kept, then refused once the file has parsed
    (a syntax error is reported first). Collected, then raised
    together: duplicate keys (naming both lines), keys that are lists or
    mappings, and control characters produced by escapes. Scalars follow
    :func:`resolve_scalar` (YAML 1.2).

    Returns:
        ``(data, has_document)``; ``has_document`` is false for a stream with no document.
    """
    limit = limit or max_activities()
    problems: list[Problem] = []
    discarded: list[Problem] = []
    stack: list[_Frame] = []
    result: Any = None
    documents = 0
    too_many: Problem | None = None

    def target() -> list[Problem]:
        """Where a problem found now goes: nowhere when inside a discarded value."""
        if not stack:
            return problems
        frame = stack[-1]
        return discarded if frame.key_event is not None and frame.skip else frame.problems

    def add(value: Any, event: Any) -> None:
        nonlocal result
        if not stack:
            result = value
            return
        frame = stack[-1]
        container = frame.container
        if type(container) is list:
            frame.count += 1
            if not frame.limit or frame.count <= frame.limit:
                container.append(value)
            return
        if frame.key_event is None:  # a key
            frame.key, frame.key_event, frame.skip = value, event, False
            line, col = _mark(event)
            if isinstance(value, (dict, list)):
                frame.problems.append(Problem(name, line, col,
                                              _("a key must be a plain name, not a list or mapping")))
                frame.skip = True
            elif value in frame.seen:
                frame.problems.append(Problem(
                    name, line, col,
                    _("duplicate key '{key}' (first defined on line {first})").format(
                        key=value, first=frame.seen[value]),
                    _("keep only one of the two; YAML would silently keep the last one")))
                frame.skip = True
            else:
                frame.seen[value] = line
            return
        if not frame.skip:
            container[frame.key] = value
        frame.key_event = None

    def scalar(event: Any) -> Any:
        value = resolve_scalar(event)
        if isinstance(value, str):
            match = _FORBIDDEN_CHARS.search(value)
            if match:
                line, col = _mark(event)
                target().append(Problem(
                    name, line, col,
                    _("text contains the control character U+{code:04X}").format(code=ord(match.group())),
                    _("remove the escape sequence that produces it")))
        return value

    scalar_event, mapping_start = _SCALAR_EVENT, yaml.MappingStartEvent
    try:
        event: Any
        for event in yaml.parse(text, Loader=_loader._Loader):
            kind = type(event)
            if kind is scalar_event and event.anchor is None and event.tag in (None, "!"):
                add(scalar(event), event)  # the common case, checked first
                continue
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:  # never refused: no anchor, no tag
                frame = stack.pop()
                if frame.limit and frame.count > frame.limit:  # raised once the whole file has parsed
                    line, col = _mark(frame.limit_event)
                    too_many = Problem(
                        name, line, col,
                        _("too many activities: {n}, the limit is {limit}").format(
                            n=format_number(frame.count), limit=format_number(frame.limit)),
                        _("raise the limit with the environment variable RELMAP_MAX_ACTIVITIES=N if the file is "
                          "genuine, or group activities"))
                add(frame.container, frame.start)
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
            refused = _refused(name, event, documents)
            if refused is not None:
                raise refused
            if kind is mapping_start or kind is yaml.SequenceStartEvent:
                if len(stack) >= max_depth:
                    raise _too_deep(name, *_mark(event), max_depth)
                container: dict[Any, Any] | list[Any] = {} if kind is mapping_start else []
                frame = _Frame(container, event, target())
                if (len(stack) == 1 and not stack[0].skip and stack[0].key == "activities"
                        and type(container) is list and stack[0].key_event is not None):
                    frame.limit, frame.limit_event = limit, stack[0].key_event
                stack.append(frame)
    except yaml.YAMLError as exc:
        raise (_libyaml_too_deep(text, name, exc, max_depth, limit)
               or InputError([_syntax_problem(name, exc)])) from None
    if too_many is not None:
        raise InputError([too_many])
    if problems:
        raise InputError(problems)
    return result, documents > 0



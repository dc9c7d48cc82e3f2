"""Bytes → YAML nodes with positions → plain data, safely.

The loader is the first line of defence against careless and hostile files
(see ``shared/RELIABILITY.md``). In order:

1. size limit (a clear message and how to raise it);
2. UTF-8 decoding (BOM accepted), errors located by line and column;
3. one pass over the libyaml *event stream* (:func:`build`) that refuses
   anchors and aliases (alias bombs), explicit tags (``!!python/...``), more
   than one document and nesting deeper than :data:`MAX_DEPTH` — events are
   flat, whereas the C composer crashes on very deep nesting — and builds the
   plain data in the same pass:
4. our own YAML 1.2 core-schema scalar resolution (``yes`` stays a string,
   ``010`` is 10, ``1:30`` a string, ``1e3`` a number), duplicate-key
   detection naming both lines, and rejection of control characters and
   lone surrogates produced by escapes.

The result is a :class:`Document`: the plain data and the text. When a later
error (a pydantic ``loc``) must be mapped back to ``line:column``, the node
tree is composed from the text with the C-accelerated ``CSafeLoader`` — once,
and only then, so a valid file is parsed once.
"""

from __future__ import annotations

import gc
import math
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem
from ..i18n import _, format_number

#: Default maximum input size in bytes (raise with ``--max-bytes``).
MAX_BYTES = 20 * 1024 * 1024
#: Maximum nesting depth of collections; a value chain needs fewer than 10.
MAX_DEPTH = 32
#: Default maximum number of activities (raise with the environment variable ``RELMAP_MAX_ACTIVITIES``).
MAX_ACTIVITIES = 50_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
#: First characters of every plain scalar that is not text (null, bool, int, float, inf, nan).
_SPECIAL_START = frozenset("0123456789+-.~nNtTfF")
_SCALAR_EVENT = yaml.ScalarEvent
#: a plain scalar not resolved yet (:func:`build`)
_MISSING = object()
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Document:
    """A loaded YAML file: plain data, and the node tree it came from when positions are needed.

    Attributes:
        path: the file name as given by the user (used in messages).
        data: plain Python data (dict, list, str, int, float, bool, None).
        text: the decoded text.
        root: the composed YAML node tree, for locating errors. Composed on first
            use: a valid file never needs it, so the happy path parses once.
    """

    path: str
    data: Any
    text: str = field(repr=False, default="")
    _root: yaml.Node | None = field(repr=False, default=None, compare=False)

    @property
    def root(self) -> yaml.Node | None:
        """The node tree (composed from :attr:`text` the first time it is asked for)."""
        if self._root is None and self.text:
            with paused_gc():
                self._root = yaml.compose(self.text, Loader=_Loader)
        return self._root


def read_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a regular file, refusing one larger than ``max_bytes`` (:func:`relmap.fsutil.read_regular`)."""
    from ..fsutil import read_regular

    return read_regular(path, max_bytes, hint=_("raise the limit with --max-bytes N if the file is genuine"))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset, the column counted in characters."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", errors="replace")) + 1
    return line, column


def decode(data: bytes, name: str) -> str:
    """UTF-8 bytes (optional BOM) → text, or a located error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) >= 4 and b"\0\0" in (data[0:4:2], data[1:4:2])):
        raise InputError([Problem(name, 0, 0, _("the file is UTF-16, not UTF-8"),
                                  _("save the file as UTF-8 in your editor (in Excel: \"CSV UTF-8\"; "
                                    "not \"Unicode text\")"))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise InputError([Problem(
            name, line, col,
            _("the file is not valid UTF-8 (byte 0x{byte:02x})").format(byte=data[exc.start]),
            _("save the file as UTF-8 in your editor (it looks like Latin-1 or Windows-1252)"))]) from None
    return text


def check_characters(text: str, name: str) -> None:
    """Refuse raw control characters (other than tab and line breaks), with their position."""
    match = _FORBIDDEN_CHARS.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        raise InputError([Problem(
            name, line, col,
            _("control character U+{code:04X} is not allowed").format(code=ord(match.group())),
            _("delete it; only tabs and line breaks may appear in a YAML file"))])


def _mark(node_or_event: Any) -> tuple[int, int]:
    mark = node_or_event.start_mark
    return mark.line + 1, mark.column + 1


def _syntax_problem(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    from .yaml_problems import translate_problem

    what = translate_problem(getattr(exc, "problem", None) or str(exc))
    context = getattr(exc, "context", None)
    message = _("YAML syntax error: {problem}").format(problem=what)
    if context:
        message += f" ({translate_problem(context)})"
    start = getattr(exc, "context_mark", None)
    if start is not None and mark is not None and start.line != mark.line:
        message += " " + _("[it started on line {line}]").format(line=start.line + 1)
    hint = _("check indentation (spaces, not tabs), colons after keys, and quotes around text "
             "containing ': ' or starting with a special character")
    return Problem(name, line, col, message, hint)


def resolve_scalar(node: yaml.ScalarNode | yaml.ScalarEvent) -> Any:
    """YAML 1.2 core schema: plain scalars may be null, bool, int or float; quoted ones are text.

    Why: PyYAML follows YAML 1.1, where ``yes``/``no``/``on`` are booleans,
    ``010`` is octal, ``1:30`` is 90 and ``1e3`` a *string*. We never
    reinterpret what a consultant typed.
    """
    value: str = node.value
    if node.style:  # quoted, literal or folded: always text
        return unicodedata.normalize("NFC", value)
    if value and value[0] not in _SPECIAL_START:  # cannot be null, bool or a number: text
        return unicodedata.normalize("NFC", value)
    if _NULL.match(value):
        return None
    if _BOOL_TRUE.match(value):
        return True
    if _BOOL_FALSE.match(value):
        return False
    if _INT.match(value):
        return int(value, 10)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return unicodedata.normalize("NFC", value)


def load_document(path: str | Path, *, max_bytes: int = MAX_BYTES, name: str | None = None) -> Document:
    """Read and parse a YAML file safely; raise :class:`InputError` with positions."""
    shown = name or str(path)
    data = read_bytes(path, max_bytes)
    return parse_text(decode(data, shown), shown)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic trees.

    Why: composing a 10,000-activity file creates millions of node objects and
    triggers full collections that find nothing; with them paused, composition
    is about 3× faster (reference counting still frees everything).

    When the pause ends, the objects it made are moved to the oldest generation
    (``gc.freeze()`` then ``gc.unfreeze()``: two list splices, no traversal):
    left in the youngest, the first allocation after the pause would start a
    collection that walks every one of them (millions at 10,000 activities, for
    nothing: trees hold no cycles), and later collections would walk them again
    as they are promoted. Cyclic garbage among them is still freed, by the next
    full collection. Not when the caller keeps objects frozen itself
    (``gc.freeze()`` before a fork, say): ``gc.unfreeze()`` would release them too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def max_activities() -> int:
    """The activity limit: ``$RELMAP_MAX_ACTIVITIES`` when it is a positive integer, else :data:`MAX_ACTIVITIES`."""
    raw = os.environ.get("RELMAP_MAX_ACTIVITIES", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else MAX_ACTIVITIES


def _too_deep(name: str, line: int, col: int, max_depth: int) -> InputError:
    return InputError([Problem(name, line, col,
                               _("nesting is too deep (more than {n} levels)").format(n=max_depth),
                               _("a company file needs only a few levels; check brackets"))])


def _libyaml_too_deep(text: str, name: str, exc: yaml.YAMLError, max_depth: int, limit: int) -> InputError | None:
    """Our own error for libyaml's refusal of deep nesting, or None when ``exc`` is another error.

    Why: libyaml 0.2.6 (PyYAML 6.0.4 and later) refuses more than 1,000 nested
    levels itself, and its scanner reads ahead, so on ``[[[[…`` it may refuse
    before the event that opens level ``max_depth + 1`` has reached
    :func:`build`. The message would then depend on the PyYAML version. The
    text before the refused bracket holds more than ``max_depth`` levels (1,000
    > 32) and no nesting libyaml refuses, so parsing it again yields the
    error an older libyaml gave: normally our "too deep" at the bracket that
    opens level ``max_depth + 1``, or a problem met before it. Only an error
    at the cut itself (the truncated end) is not kept: then "too deep" is
    placed where libyaml refused.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is None or "nesting depth" not in str(getattr(exc, "problem", "") or ""):
        return None
    line, col = mark.line + 1, mark.column + 1
    try:
        build(text[:mark.index], name, max_depth=max_depth, limit=limit)
    except InputError as error:
        first = error.problems[0]
        if first.line > 0 and (first.line, first.column) < (line, col):
            return error
    return _too_deep(name, line, col, max_depth)


def _refused(name: str, event: Any, documents: int) -> InputError | None:
    """The error for an event the loader refuses (alias, anchor, tag, second document), or None."""
    problem: tuple[str, str] | None = None
    tag = getattr(event, "tag", None)
    if isinstance(event, yaml.AliasEvent):
        problem = (_("YAML aliases (*name) are not supported"),
                   _("write the value out in full instead of referring to an anchor"))
    elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
        problem = (_("YAML anchors (&name) are not supported"),
                   _("remove '&{anchor}' and write each value out in full").format(anchor=event.anchor))
    elif tag is not None and tag != "!":
        problem = (_("YAML tags such as '{tag}' are not allowed").format(tag=tag),
                   _("remove the tag; write plain values"))
    elif isinstance(event, yaml.DocumentStartEvent) and documents > 1:
        problem = (_("the file holds more than one YAML document"),
                   _("keep one company per file; remove the '---' separator"))
    if problem is None:
        return None
    line, col = _mark(event)
    return InputError([Problem(name, line, col, *problem)])


class _Frame:
    """An open mapping or sequence while events are read (see :func:`build`)."""

    __slots__ = ("container", "count", "key", "key_event", "limit", "limit_event", "problems", "seen", "skip",
                 "start")

    def __init__(self, container: dict[Any, Any] | list[Any], start: Any, problems: list[Problem]) -> None:
        self.container = container
        self.start = start  # the event that opened it (its position, when the collection is itself a key)
        self.problems = problems  # where problems found inside go (a throwaway list inside a discarded value)
        self.key: Any = None
        self.key_event: Any = None  # the key waiting for its value; None while a key is expected
        self.seen: dict[Any, int] = {}  # key → line of its first definition
        self.skip = False  # the pending value is discarded (duplicate or unusable key)
        self.limit = 0  # the top-level activities list: most items kept (0: no limit)
        self.limit_event: Any = None  # … and the position of its key
        self.count = 0  # … and how many items it had


def build(text: str, name: str, *, max_depth: int = MAX_DEPTH, limit: int | None = None) -> tuple[Any, bool]:
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

    Speed (this loop runs once per scalar: 330,000 times at 10,000 activities):
    scalars are handled inline; a plain scalar's text is resolved once per
    distinct text (keys and repeated values are looked up); a key's line is read
    only when the key turns out to be a duplicate; and when ``text`` holds no
    character :data:`_FORBIDDEN_CHARS` refuses, only double-quoted scalars
    (whose escapes may produce one) are searched for them.

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
    # only escapes (double-quoted scalars) can produce a refused character that the text does not hold
    text_clean = _FORBIDDEN_CHARS.search(text) is None
    plain: dict[str, Any] = {}  # plain scalar text → its value (resolve_scalar: NaN is always math.nan)

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
            if isinstance(value, (dict, list)):
                line, col = _mark(event)
                frame.problems.append(Problem(name, line, col,
                                              _("a key must be a plain name, not a list or mapping")))
                frame.skip = True
            elif value in frame.seen:
                line, col = _mark(event)
                frame.problems.append(Problem(
                    name, line, col,
                    _("duplicate key '{key}' (first defined on line {first})").format(
                        key=value, first=_mark(frame.seen[value])[0]),
                    _("keep only one of the two; YAML would silently keep the last one")))
                frame.skip = True
            else:
                frame.seen[value] = event
            return
        if not frame.skip:
            container[frame.key] = value
        frame.key_event = None

    def refused_character(value: str, event: Any) -> None:
        match = _FORBIDDEN_CHARS.search(value)
        if match:
            line, col = _mark(event)
            target().append(Problem(
                name, line, col,
                _("text contains the control character U+{code:04X}").format(code=ord(match.group())),
                _("remove the escape sequence that produces it")))

    scalar_event, mapping_start, missing = _SCALAR_EVENT, yaml.MappingStartEvent, _MISSING
    normalize, search = unicodedata.normalize, _FORBIDDEN_CHARS.search
    loader = _Loader(text)
    next_event = loader.get_event
    try:
        event: Any
        while (event := next_event()) is not None:
            kind = type(event)
            if kind is scalar_event and event.anchor is None and event.tag in (None, "!"):  # the common case
                style = event.style
                if style:  # quoted, literal or folded: always text (resolve_scalar)
                    value = normalize("NFC", event.value)
                    if (style == '"' or not text_clean) and search(value):
                        refused_character(value, event)
                else:
                    value = plain.get(event.value, missing)
                    if value is missing:
                        value = plain[event.value] = resolve_scalar(event)
                    if not text_clean and type(value) is str and search(value):
                        refused_character(value, event)
                if not stack:
                    result = value
                    continue
                frame = stack[-1]
                container = frame.container
                if type(container) is list:
                    frame.count += 1
                    if not frame.limit or frame.count <= frame.limit:
                        container.append(value)
                elif frame.key_event is not None:  # a value
                    if not frame.skip:
                        container[frame.key] = value
                    frame.key_event = None
                elif value in frame.seen:  # a key seen before
                    add(value, event)
                else:  # a new key
                    frame.key, frame.key_event, frame.skip = value, event, False
                    frame.seen[value] = event
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
                container = {} if kind is mapping_start else []
                frame = _Frame(container, event, target())
                if (len(stack) == 1 and not stack[0].skip and stack[0].key == "activities"
                        and type(container) is list and stack[0].key_event is not None):
                    frame.limit, frame.limit_event = limit, stack[0].key_event
                stack.append(frame)
    except yaml.YAMLError as exc:
        raise (_libyaml_too_deep(text, name, exc, max_depth, limit)
               or InputError([_syntax_problem(name, exc)])) from None
    finally:
        loader.dispose()
    if too_many is not None:
        raise InputError([too_many])
    if problems:
        raise InputError(problems)
    return result, documents > 0


def parse_text(text: str, name: str = "<string>") -> Document:
    """Parse YAML text safely (see the module docstring for every guard)."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise _empty(name)
    check_characters(text, name)
    with paused_gc():
        data, has_document = build(text, name)
    if not has_document:  # e.g. only "..." : no document at all
        raise _empty(name)
    return Document(name, data, text)


def _empty(name: str) -> InputError:
    return InputError([Problem(name, 1, 1, _("the file is empty"),
                               _("start from a template: relmap init company.yaml"))])


def locate(root: yaml.Node | None, loc: tuple[int | str, ...], *, key: bool = False) -> tuple[int, int]:
    """Map a pydantic error ``loc`` to a 1-based (line, column) in the file.

    Mapping → the value of the key (or the key itself when ``key`` is true, as
    for an unknown field); sequence → the item; a missing field → the start of
    the mapping that lacks it. Parts of ``loc`` that name no node (union tags
    such as ``'rubric'``) are skipped.
    """
    if root is None:
        return 1, 1
    node: yaml.Node = root
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, yaml.MappingNode) and isinstance(part, str | int) and not isinstance(part, bool):
            for key_node, value_node in node.value:  # an integer key (12: …) is the scalar "12" in the node tree
                if isinstance(key_node, yaml.ScalarNode) and (key_node.value == part or (
                        isinstance(part, int) and key_node.value == str(part) and not key_node.style)):
                    node = key_node if (last and key) else value_node
                    break
            else:
                continue
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
            else:
                continue
    return _mark(node)

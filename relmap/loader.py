"""Bytes → YAML nodes with positions → plain data, safely.

The loader is the first line of defence against careless and hostile files
(see ``shared/RELIABILITY.md``). In order:

1. size limit (a clear message and how to raise it);
2. UTF-8 decoding (BOM accepted), errors located by line and column;
3. a pre-scan of the libyaml *event stream* that refuses anchors and aliases
   (alias bombs), explicit tags (``!!python/...``), more than one document and
   nesting deeper than :data:`MAX_DEPTH` — before any tree is built, because
   the C composer crashes on very deep nesting;
4. composition of the node tree with the C-accelerated ``CSafeLoader``;
5. our own YAML 1.2 core-schema scalar resolution (``yes`` stays a string,
   ``010`` is 10, ``1:30`` a string, ``1e3`` a number), duplicate-key
   detection naming both lines, and rejection of control characters and
   lone surrogates produced by escapes.

The result is a :class:`Document`: the plain data plus the node tree, so that
any later error (pydantic ``loc``) can be mapped back to ``line:column``.
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

from .errors import InputError, Problem
from .i18n import _

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
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Document:
    """A loaded YAML file: plain data and the node tree it came from.

    Attributes:
        path: the file name as given by the user (used in messages).
        data: plain Python data (dict, list, str, int, float, bool, None).
        root: the composed YAML node tree, for locating errors.
        text: the decoded text.
    """

    path: str
    data: Any
    root: yaml.Node | None
    text: str = field(repr=False, default="")


def read_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file, refusing one larger than ``max_bytes``."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError([Problem(name, 0, 0, _("file not found"),
                                  _("check the path; run 'relmap init FILE' to start a new one"))]) from None
    except OSError as exc:
        raise InputError([Problem(name, 0, 0, _("cannot read the file: {error}").format(
            error=exc.strerror or exc))]) from None
    if p.is_dir():
        raise InputError([Problem(name, 0, 0, _("this is a folder, not a YAML file"))])
    if size > max_bytes:
        raise InputError([Problem(name, 0, 0,
                                  _("file is too large: {size:,} bytes, the limit is {limit:,}").format(
                                      size=size, limit=max_bytes),
                                  _("raise the limit with --max-bytes N if the file is genuine"))])
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, 0, 0, _("cannot read the file: {error}").format(
            error=exc.strerror or exc))]) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset, the column counted in characters."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", errors="replace")) + 1
    return line, column


def decode(data: bytes, name: str) -> str:
    """UTF-8 bytes (optional BOM) → text, or a located error."""
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
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = _("YAML syntax error: {problem}").format(problem=what)
    if context:
        message += f" ({context})"
    start = getattr(exc, "context_mark", None)
    if start is not None and mark is not None and start.line != mark.line:
        message += " " + _("[it started on line {line}]").format(line=start.line + 1)
    hint = _("check indentation (spaces, not tabs), colons after keys, and quotes around text "
             "containing ': ' or starting with a special character")
    return Problem(name, line, col, message, hint)


def prescan(text: str, name: str, max_depth: int = MAX_DEPTH) -> None:
    """Walk the event stream; refuse aliases, anchors, tags, deep nesting, extra documents.

    Why: an alias bomb expands to gigabytes only when data is built, and the C
    composer segfaults on ~30,000 nested brackets; events are flat and cheap.
    """
    depth = 0
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if type(event) is _SCALAR_EVENT and event.anchor is None and event.tag in (None, "!"):
                continue  # the common case, checked first: a plain scalar needs nothing else
            if isinstance(event, yaml.AliasEvent):
                line, col = _mark(event)
                raise InputError([Problem(name, line, col,
                                          _("YAML aliases (*name) are not supported"),
                                          _("write the value out in full instead of referring to an anchor"))])
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                line, col = _mark(event)
                raise InputError([Problem(name, line, col,
                                          _("YAML anchors (&name) are not supported"),
                                          _("remove '&{anchor}' and write each value out in full").format(
                                              anchor=event.anchor))])
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                line, col = _mark(event)
                raise InputError([Problem(name, line, col,
                                          _("YAML tags such as '{tag}' are not allowed").format(tag=tag),
                                          _("remove the tag; write plain values"))])
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, col = _mark(event)
                    raise InputError([Problem(name, line, col,
                                              _("the file holds more than one YAML document"),
                                              _("keep one company per file; remove the '---' separator"))])
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    line, col = _mark(event)
                    raise InputError([Problem(name, line, col,
                                              _("nesting is too deep (more than {n} levels)").format(n=max_depth),
                                              _("a company file needs only a few levels; check brackets"))])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise InputError([_syntax_problem(name, exc)]) from None


def resolve_scalar(node: yaml.ScalarNode) -> Any:
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


def to_data(node: yaml.Node, name: str, problems: list[Problem]) -> Any:
    """Node tree → plain data; duplicate keys and bad characters go to ``problems``."""
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = to_data(key_node, name, problems)
            if isinstance(key, (dict, list)):
                line, col = _mark(key_node)
                problems.append(Problem(name, line, col, _("a key must be a plain name, not a list or mapping")))
                continue
            if key in seen:
                line, col = _mark(key_node)
                first_line, _col = _mark(seen[key])
                problems.append(Problem(
                    name, line, col,
                    _("duplicate key '{key}' (first defined on line {first})").format(key=key, first=first_line),
                    _("keep only one of the two; YAML would silently keep the last one")))
                continue
            seen[key] = key_node
            result[key] = to_data(value_node, name, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [to_data(item, name, problems) for item in node.value]
    value = resolve_scalar(node)  # type: ignore[arg-type]  # the only other node kind
    if isinstance(value, str):
        match = _FORBIDDEN_CHARS.search(value)
        if match:
            line, col = _mark(node)
            problems.append(Problem(
                name, line, col,
                _("text contains the control character U+{code:04X}").format(code=ord(match.group())),
                _("remove the escape sequence that produces it")))
    return value


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
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def max_activities() -> int:
    """The activity limit: ``$RELMAP_MAX_ACTIVITIES`` when it is a positive integer, else :data:`MAX_ACTIVITIES`."""
    raw = os.environ.get("RELMAP_MAX_ACTIVITIES", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else MAX_ACTIVITIES


def check_size(root: yaml.Node, name: str, limit: int | None = None) -> None:
    """Refuse more activities than the limit, before any data is built (a clear message, how to raise it)."""
    limit = limit or max_activities()
    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        if (isinstance(key_node, yaml.ScalarNode) and key_node.value == "activities"
                and isinstance(value_node, yaml.SequenceNode) and len(value_node.value) > limit):
            line, col = _mark(key_node)
            raise InputError([Problem(
                name, line, col,
                _("too many activities: {n:,}, the limit is {limit:,}").format(n=len(value_node.value), limit=limit),
                _("raise the limit with the environment variable RELMAP_MAX_ACTIVITIES=N if the file is genuine, "
                  "or group activities"))])


def parse_text(text: str, name: str = "<string>") -> Document:
    """Parse YAML text safely (see the module docstring for every guard)."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise InputError([Problem(name, 1, 1, _("the file is empty"),
                                  _("start from a template: relmap init company.yaml"))])
    check_characters(text, name)
    with paused_gc():
        prescan(text, name)
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as exc:  # pragma: no cover - the prescan sees syntax errors first
            raise InputError([_syntax_problem(name, exc)]) from None
        if root is None:
            raise InputError([Problem(name, 1, 1, _("the file is empty"),
                                      _("start from a template: relmap init company.yaml"))])
        check_size(root, name)
        problems: list[Problem] = []
        data = to_data(root, name, problems)
    if problems:
        raise InputError(problems)
    return Document(name, data, root, text)


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
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
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

"""The loader's event loop (:func:`relmap.input.loader.build`) gives what its earlier, slower form gave.

The oracle is the loop as it was before its speed work (``tests/loader_oracle.py``): the same data
(compared through ``repr``, so ``1`` and ``True`` and ``1.0`` stay apart and NaN compares), the same
``has_document``, or the same problems in the same order, on every bundled file, on hand-picked
hostile texts and on random YAML-like texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loader_oracle import old_build
from strategies import examples

from relmap.errors import InputError
from relmap.input.loader import build

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("examples/*/*.yaml"), *ROOT.glob("tests/cases/**/*.yaml")])


def outcome(fn: object, text: str, limit: int | None = None) -> tuple[str, ...]:
    """What a build gives: the data and whether there was a document, or every problem formatted."""
    assert callable(fn)
    try:
        data, has_document = fn(text, "f.yaml", limit=limit)
    except InputError as exc:
        return ("error", *(p.format() for p in exc.problems))
    return ("data", repr(data), repr(has_document))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_files_build_as_before(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert outcome(build, text) == outcome(old_build, text)


HOSTILE = [
    "a: 1\nb: 2\na: 3\n",                               # duplicate key, both lines named
    "a: 1\n1: x\ntrue: y\n1.0: z\n",                     # 1, True and 1.0 are one dict key
    ".nan: 1\n.nan: 2\n",                                # NaN keys: math.nan both times
    "a: [.nan, .nan, .inf, -.inf, 0x1f, 0o17, 010, 1e3, +5, -.5, 1:30, yes, ~, null, '', \"\"]\n",
    'a: "x\\ay"\nb: \'x\\ay\'\nc: |\n  x\\a\n',          # only the double-quoted escape is a character
    'a: "\\ud800"\n',                                    # a lone surrogate from an escape
    "a: b\x07c\n",                                      # a raw control character (the text is not clean)
    "a: b\x07c\nd: \"\\a\"\ne: f\x01g\n",
    "? [1, 2]\n: x\n? {a: 1}\n: y\nz: 1\n",              # keys that are collections
    "a: {b: 1, b: 2}\na: {c: \"\\a\"}\n",                # a problem inside a discarded value is dropped
    "activities: [1, 2, 3, 4]\n",                        # more activities than the limit (3)
    "x: [1, 2, 3, 4]\nactivities: [{a: 1}, {a: 2}]\n",
    "a: &x 1\nb: *x\n",                                  # anchors and aliases
    "a: !!str 1\n",
    "--- 1\n--- 2\n",
    "...\n",
    "a: [1, 2\n",                                        # a syntax error
    "plain\n",
    "\"quoted \\t text\"\n",
    "a: é\nb: e\u0301\n\"e\u0301\": 1\n",                # NFC: the two spellings are one key
    "{a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_texts_build_as_before(text: str) -> None:
    assert outcome(build, text, limit=3) == outcome(old_build, text, limit=3)


PIECES = [*"abc01:-[]{},'\"\\\n ", "\\a", "\\x00", "\\ud800", "\x07", ": ", "\n- ", "\n  ", "? ", ".nan", "true",
          "1.0", "0x1", "~", "é", "e\u0301", "&a ", "*a", "!!str ", "---\n", "activities: ", "|\n  ", ">\n  "]


@settings(max_examples=examples(300), derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_random_texts_build_as_before(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert outcome(build, text, limit=2) == outcome(old_build, text, limit=2)


def test_paused_gc_leaves_its_objects_in_the_oldest_generation() -> None:
    """Objects made while the collector is paused are in the oldest generation once it ends (not in the youngest,
    whose next collection would walk them all), the collector is enabled again, and a cycle made during the pause
    is still collected."""
    import gc
    import weakref

    from relmap.input.loader import paused_gc

    class Node:
        pass

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        made = [[k] for k in range(1000)]
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        gone = weakref.ref(a)
        with paused_gc():  # nested: the outer pause decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(m) in oldest for m in made)
    del a, b
    gc.collect()
    assert gone() is None
    # objects the caller froze stay frozen (the caller's unfreeze is its own)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with paused_gc():
            more = [[k] for k in range(100)]
        assert gc.get_freeze_count() == frozen and len(more) == 100
    finally:
        gc.unfreeze()

"""Fuzzing the loader: random bytes, random text and mutated examples give a clean result or located errors.

Whatever the input, :func:`relmap.load` / :func:`relmap.loads` either return a
valid chain or raise :class:`relmap.errors.InputError` whose every problem has
a line ≥ 0, a column ≥ 0 and a message — never another exception, never a hang
(each example runs under a hard alarm as well as hypothesis' deadline).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import examples

import relmap
from relmap.errors import InputError
from relmap.input.model import ValueChain

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/company.yaml"))
EXAMPLE_LINES = {p.parent.name: p.read_text(encoding="utf-8").splitlines(keepends=True) for p in EXAMPLES}
#: Characters that mean something to YAML, plus hostile ones (controls, bidi, surrogate escapes, BOM).
SPECIAL = [*":-[]{}#&*!|>'\"%@`,?\t\n\r ", "\\", "\x00", "\x07", "\u202e", "\ufeff", "\\ud800", "é", "…",
           "0x", ".nan", "1e309", "yes", "~", "---", "...", "<<"]
HARD_LIMIT = 10  # seconds: an example taking this long is a hang

FUZZ = settings(max_examples=examples(80), deadline=timedelta(seconds=2), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def no_hang(seconds: int = HARD_LIMIT) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging when the body runs longer than ``seconds``."""

    def boom(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"the loader ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_outcome(fn: object, *args: object) -> ValueChain | None:
    """Call the loader; accept a chain or a well-formed InputError, nothing else."""
    assert callable(fn)
    with no_hang():
        try:
            chain = fn(*args)
        except InputError as exc:
            assert exc.problems, "an InputError must carry at least one problem"
            for problem in exc.problems:
                assert problem.line >= 0 and problem.column >= 0
                assert problem.message.strip()
                assert "Traceback" not in problem.format()
            assert exc.format()
            return None
    assert isinstance(chain, ValueChain)
    return chain


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "company.yaml"
    path.write_bytes(data)
    check_outcome(relmap.load, path)


@FUZZ
@given(st.lists(st.one_of(st.characters(), st.sampled_from(SPECIAL)), max_size=600).map("".join))
def test_random_text(text: str) -> None:
    check_outcome(relmap.loads, text)


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    """An example file with 1–4 mutations: delete, duplicate or swap lines, insert or flip characters, truncate."""
    lines = list(EXAMPLE_LINES[draw(st.sampled_from(sorted(EXAMPLE_LINES)))])
    for _step in range(draw(st.integers(1, 4))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "insert", "truncate", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op in ("flip", "insert"):
            line = lines[i]
            k = draw(st.integers(0, max(0, len(line) - 1)))
            char = draw(st.one_of(st.sampled_from(SPECIAL), st.characters()))
            lines[i] = line[:k] + char + line[k + (op == "flip"):]
        elif op == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t", "    "])) + lines[i]
        else:
            text = "".join(lines)
            cut = draw(st.integers(0, len(text)))
            lines = [text[:cut]]
    return "".join(lines)


@settings(FUZZ, max_examples=examples(120))
@given(mutated_example())
def test_mutated_examples(text: str) -> None:
    check_outcome(relmap.loads, text, "company.yaml")


HOSTILE_VALUES: list[object] = [
    None, True, False, 0, -1, 10**30, 1e308, -0.0, 0.5, 1.5, "", " ", "x" * 600, "yes", "NO", "010", "1:30",
    ".inf", "<script>", "a\u202eb", [], [0.9, 0.1], [0.1], {}, {"low": 0.9, "high": 0.1}, {"low": 0.1},
    {"identity": 9}, "very_high", "base", "front_desk", "43-4051.00", "processing_data",
]


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data[:6]):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def substituted_example(draw: st.DrawFn) -> str:
    """An example's data with 1–3 values (anywhere) replaced by hostile ones, dumped back to YAML."""
    import copy

    import yaml

    name = draw(st.sampled_from(sorted(EXAMPLE_LINES)))
    data = copy.deepcopy(_example_data(name))
    for _step in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)[1:]))
        parent: object = data
        for part in path[:-1]:
            parent = parent[part]  # type: ignore[index]
        if draw(st.booleans()) and isinstance(parent, dict) and len(parent) > 1:
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(st.sampled_from(HOSTILE_VALUES))  # type: ignore[index]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False))


_DATA: dict[str, object] = {}


def _example_data(name: str) -> object:
    if name not in _DATA:
        from relmap.input.loader import parse_text

        _DATA[name] = parse_text("".join(EXAMPLE_LINES[name]), name).data
    return _DATA[name]


@settings(FUZZ, max_examples=examples(60))
@given(substituted_example())
def test_substituted_values(text: str) -> None:
    """Wrong types, ranges, references and missing keys anywhere: located errors, never a crash."""
    check_outcome(relmap.loads, text, "company.yaml")


@pytest.mark.parametrize("text", [
    "[" * 40_000,
    "a: &x [1]\nb: *x\n",
    "\n".join(f"k{i}: &a{i} [*a{i - 1}, *a{i - 1}]" if i else "k0: &a0 [x]" for i in range(30)),
    "relmap: !!python/object/apply:os.system ['true']\n",
    "relmap: 1\n---\nrelmap: 1\n",
    "relmap: 1\ncompany: {name: X}\nactivities:\n" + "  - {id: a, name: A, hours: 1e309, automatability: 1, "
                                                    "relational: 1}\n",
    "\ufeff" + "relmap: 1\n" * 3,
    "\x00",
    "key: \"\\ud800\"\n",
])
def test_known_hostile_inputs_are_clean_errors(text: str) -> None:
    """Bombs, deep nesting, tags, several documents, inf, duplicates, NUL, lone surrogates: located errors."""
    assert check_outcome(relmap.loads, text) is None


def test_activity_limit_names_the_limit_and_how_to_raise_it(monkeypatch: pytest.MonkeyPatch) -> None:
    acts = "".join(f"  - {{id: a{i}, name: A, hours: 1, automatability: 0.5, relational: low}}\n" for i in range(6))
    text = "relmap: 1\ncompany: {name: X}\nactivities:\n" + acts
    assert len(relmap.loads(text).activities) == 6
    monkeypatch.setenv("RELMAP_MAX_ACTIVITIES", "5")
    with pytest.raises(InputError) as info:
        relmap.loads(text, "big.yaml")
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (3, 1)
    assert "6" in problem.message and "5" in problem.message
    assert "RELMAP_MAX_ACTIVITIES" in problem.hint
    with pytest.raises(InputError) as info:  # a syntax error further down is what the user meets first
        relmap.loads(text + "scenarios: [oops\n", "big.yaml")
    assert len(info.value.problems) == 1 and "syntax" in info.value.problems[0].message
    with pytest.raises(InputError) as info:  # the limit comes before duplicates (the items past it are not kept)
        relmap.loads(text + "relmap: 2\n", "big.yaml")
    assert [p.message for p in info.value.problems] == [problem.message]


def test_size_limit_names_the_flag(tmp_path: Path) -> None:
    path = tmp_path / "company.yaml"
    path.write_text("relmap: 1\n" + "# padding\n" * 200, encoding="utf-8")
    with pytest.raises(InputError) as info:
        relmap.load(path, max_bytes=100)
    assert "--max-bytes" in info.value.problems[0].hint

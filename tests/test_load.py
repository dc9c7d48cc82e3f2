"""The safe loader: YAML 1.2 scalars, hostile inputs refused fast, positions exact."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from relmap.errors import InputError
from relmap.input.loader import MAX_DEPTH, load_document, locate, parse_text


def _problem(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_text(text, "f.yaml")
    return info.value.problems[0].format()


def test_yaml_12_scalars() -> None:
    doc = parse_text("a: yes\nb: NO\nc: 010\nd: 1:30\ne: 1e3\nf: true\ng: ~\nh: '12'\ni: 0x1F\nj: -2.5\n")
    assert doc.data == {"a": "yes", "b": "NO", "c": 10, "d": "1:30", "e": 1000.0, "f": True, "g": None,
                        "h": "12", "i": 31, "j": -2.5}


def test_inf_nan_are_floats_for_the_validator_to_refuse() -> None:
    doc = parse_text("a: .inf\nb: .nan\nc: 1e309\n")
    assert math.isinf(doc.data["a"]) and math.isnan(doc.data["b"]) and math.isinf(doc.data["c"])


def test_alias_bomb_refused_fast() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    start = time.perf_counter()
    assert "anchors" in _problem(bomb)
    assert time.perf_counter() - start < 1.0


def test_deep_nesting_refused_without_crash() -> None:
    """Level 1 is the mapping, so the 32nd bracket (column 3 + 32) opens level 33, whatever libyaml refuses itself."""
    text = "a: " + "[" * 30000 + "]" * 30000 + "\n"
    assert _problem(text) == (f"f.yaml:1:35: nesting is too deep (more than {MAX_DEPTH} levels)\n"
                              "  hint: a company file needs only a few levels; check brackets")


@pytest.mark.parametrize(("text", "expected"), [
    # line 2: "b: " then "{a: " × 31 before the bracket that opens level 33 (level 1 is the top mapping)
    ("é: x\nb: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n", "f.yaml:2:128: nesting is too deep"),
    # block nesting: the sequence on line 33 is level 33; libyaml would refuse only at 1,000
    ("a:\n" + "".join(" " * i + "-\n" for i in range(1, 1500)), "f.yaml:33:33: nesting is too deep"),
    # problems met before level 33 come first: a tag on the 11th bracket, a syntax error at column 10
    ("a: " + "[" * 10 + "!!str " + "[" * 1100 + "\n", "f.yaml:1:14: YAML tags"),
    ("a: [1, 2,, " + "[" * 1100 + "\n", "f.yaml:1:10: YAML syntax error"),
    # a duplicate key is collected, the nesting refused at once: "{a: 1, a: 2, b: " is 16 characters + 32 brackets
    ("{a: 1, a: 2, b: " + "[" * 1100 + "\n", "f.yaml:1:48: nesting is too deep"),
    # 604 characters, then the 31st bracket opens level 33: libyaml reads ahead further than that before refusing
    ("a: [" + ", ".join(["1"] * 200) + ", " + "[" * 1100 + "\n", "f.yaml:1:635: nesting is too deep"),
])
def test_deep_nesting_reads_the_same_whatever_libyaml_refuses(text: str, expected: str) -> None:
    """libyaml 0.2.6+ (PyYAML 6.0.4+) refuses more than 1,000 levels itself; relmap's located error is shown."""
    assert _problem(text).startswith(expected)


def test_deep_nesting_same_error_as_the_pure_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python parser has no nesting limit of its own: the oracle of what relmap's check says."""
    import yaml

    from relmap.input import loader

    text = "a: " + "[" * 30000 + "]" * 30000 + "\n"
    with_libyaml = _problem(text)
    monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
    assert with_libyaml == _problem(text)


def test_tags_refused_with_position() -> None:
    assert _problem("a: !!python/object/apply:os.system [ls]\n").startswith("f.yaml:1:4: YAML tags")
    assert "YAML tags" in _problem("a: !include other.yaml\n")


def test_duplicate_key_names_both_lines() -> None:
    assert _problem("a: 1\nb: 2\na: 3\n").startswith("f.yaml:3:1: duplicate key 'a' (first defined on line 1)")


def test_control_characters() -> None:
    assert "U+0007" in _problem('a: "x\\ay"\n')
    with pytest.raises(InputError) as info:
        parse_text("a: b\x00c\n", "f.yaml")
    assert info.value.problems[0].format().startswith("f.yaml:1:5: control character U+0000")


def test_multiple_documents_refused() -> None:
    assert "more than one YAML document" in _problem("a: 1\n---\nb: 2\n")


def test_nfc_normalisation() -> None:
    assert parse_text("a: Cafe\u0301\n").data["a"] == "Caf\u00e9"


def test_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(InputError) as info:
        load_document(f, max_bytes=1000)
    msg = info.value.problems[0].format()
    assert "too large" in msg and "--max-bytes" in msg


def test_bom_accepted(tmp_path: Path) -> None:
    f = tmp_path / "bom.yaml"
    f.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_document(f).data == {"a": 1}


def test_latin1_located(tmp_path: Path) -> None:
    f = tmp_path / "latin.yaml"
    f.write_bytes("a: ok\nb: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_document(f, name="latin.yaml")
    assert info.value.problems[0].format().startswith("latin.yaml:2:7: the file is not valid UTF-8")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_document(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="folder"):
        load_document(tmp_path)


def test_locate_walks_mappings_sequences_and_skips_unknown_parts() -> None:
    doc = parse_text("a:\n  - x: 1\n    y: [1, 2]\n")
    assert locate(doc.root, ("a", 0, "y", 1)) == (3, 12)
    assert locate(doc.root, ("a", 0, "y"), key=True) == (3, 5)
    assert locate(doc.root, ("a", 0, "missing")) == (2, 5)
    assert locate(doc.root, ("a", "rubric", 0, "x")) == (2, 8)

"""``docs/format.md``: the reference of the input format, generated from the pydantic models.

Why: the models are the one source of truth; this page, the JSON Schema and
the editor's hover help all come from the same ``description`` texts. A test
fails when the committed page is stale (``make docs`` regenerates it).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from relmap.input import model as m

ORDER: tuple[type[BaseModel], ...] = (
    m.ValueChain, m.CompanyInfo, m.Stage, m.Actor, m.Activity, m.Task, m.TasksFromOccupation, m.TaskShare,
    m.Rubric, m.Triangle01,
    m.Flow, m.Scenario, m.Policy, m.Transfer, m.Thresholds, m.RubricWeights,
)


def _type_text(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return f"[{schema['$ref'].rsplit('/', 1)[-1]}](#{schema['$ref'].rsplit('/', 1)[-1].lower()})"
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = [_type_text(s) for s in schema[key] if s.get("type") != "null"]
            return " \\| ".join(parts)
    kind = schema.get("type", "")
    if kind == "array":
        item = _type_text(schema.get("items", {}))
        if schema.get("minItems") == 2 and schema.get("maxItems") == 2:
            return f"[low, high] of {item}"
        return f"list of {item}"
    bounds = []
    for key, sym in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in schema:
            bounds.append(f"{sym} {schema[key]:g}")
    if "pattern" in schema:
        bounds.append(f"pattern `{schema['pattern']}`")
    return str(kind) + (f" ({', '.join(bounds)})" if bounds else "")


def _default_text(info: Any) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        return "see description"
    value = info.default
    if isinstance(value, BaseModel):
        return "defaults"
    if value is None or value == []:
        return "—"
    return f"`{json.dumps(value)}`"


def format_reference() -> str:
    """The Markdown reference page of the input format (deterministic)."""
    lines = [
        "# relmap input format, version 1",
        "",
        "Generated from the pydantic models in `relmap/input/model.py` by `make docs`; do not edit by hand.",
        "The JSON Schema (`schemas/relmap.schema.json`) carries the same descriptions.",
        "",
    ]
    for cls in ORDER:
        schema = cls.model_json_schema(by_alias=True)
        props: dict[str, Any] = schema.get("properties", {})
        lines += [f"## {cls.__name__}", "", (cls.__doc__ or "").strip().split("\n\n")[0], "",
                  "| field | type | default | meaning |", "|---|---|---|---|"]
        for name, info in cls.model_fields.items():
            key = info.alias or name
            prop = props.get(key, {})
            desc = (info.description or prop.get("description", "")).replace("|", "\\|")
            lines.append(f"| `{key}` | {_type_text(prop)} | {_default_text(info)} | {desc} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    sys.stdout.write(format_reference())

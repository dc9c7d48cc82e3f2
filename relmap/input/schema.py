"""The JSON Schema (draft-07) of the input format, generated from the pydantic models.

Why draft-07: it is what the YAML language server in VS Code reads best; the
models stay the one source of truth and ``schemas/relmap.schema.json`` is this
function's output (a test fails when they differ).
"""

from __future__ import annotations

import json
from typing import Any

from .model import ValueChain

SCHEMA_ID = "https://raw.githubusercontent.com/relmap/relmap/main/schemas/relmap.schema.json"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
#: The editor line every company file starts with (``init`` templates, ``import``, the README): one text.
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_ID}"


def _fix(node: Any) -> Any:
    """Draft 2020-12 idioms → draft-07 (``$defs`` → ``definitions``)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = value.replace("#/$defs/", "#/definitions/")
            elif key == "$defs":
                out["definitions"] = _fix(value)
            else:
                out[key] = _fix(value)
        return out
    if isinstance(node, list):
        return [_fix(v) for v in node]
    return node


def _describe_refs(node: Any, definitions: dict[str, Any]) -> None:
    """Give every property that only points to a definition that definition's description."""
    if isinstance(node, dict):
        for prop in (node.get("properties") or {}).values():
            ref = prop.get("$ref") if isinstance(prop, dict) else None
            if isinstance(ref, str) and "description" not in prop:
                target = definitions.get(ref.rsplit("/", 1)[-1], {})
                if "description" in target:
                    prop["description"] = target["description"]
        for value in node.values():
            _describe_refs(value, definitions)
    elif isinstance(node, list):
        for value in node:
            _describe_refs(value, definitions)


def json_schema() -> dict[str, Any]:
    """The input format as a draft-07 JSON Schema dict."""
    raw = ValueChain.model_json_schema(by_alias=True, mode="validation")
    schema = _fix(raw)
    _describe_refs(schema, schema.get("definitions", {}))
    head = {"$schema": DRAFT_07, "$id": SCHEMA_ID}
    head.update(schema)
    return head


def schema_text() -> str:
    """The schema as stable, pretty JSON text (what ``relmap schema`` prints)."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False) + "\n"

"""O*NET tasks as text a consultant pastes into ``company.yaml`` (``relmap tasks --format yaml|json``).

Both forms give a ``tasks:`` list of ``{name, share, onet_task}`` entries with
equal shares (4 decimals, adding up to 1 exactly, :func:`relmap.seeds.tasks.equal_shares`):
pasted under an activity, its automatability becomes the share-weighted sum of
each task's exposure × ``assumptions.exposure_time_saving`` — with ``--core``,
exactly what ``tasks: from_occupation`` computes. Every output carries the
O*NET and Eloundou et al. attribution (:data:`relmap.seeds.tasks.TASK_NOTICE`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..i18n import _
from ..seeds.tasks import TASK_NOTICE, OnetTask, equal_shares

__all__ = ["task_label", "tasks_json", "tasks_yaml", "type_label"]


def type_label(task: OnetTask) -> str:
    """``core``, ``supplemental`` or ``-``, in the current language."""
    return {"core": _("core"), "supplemental": _("supplemental")}.get(task.type, "-")


def task_label(task: OnetTask) -> str:
    """``core · GPT-4 E2 · human E0 · T3``: the labels of one task in one line."""
    return _("{type} · GPT-4 {gpt4} · human {human} · {level}").format(
        type=type_label(task), gpt4=task.gpt4, human=task.human, level=task.automation)


def _heading_lines(tasks: Sequence[OnetTask], heading: tuple[str, str] | None) -> list[str]:
    lines = []
    if heading:
        lines.append(_("{title} ({code}): {n} O*NET tasks, equal shares").format(
            title=heading[1], code=heading[0], n=len(tasks)))
    lines.append(TASK_NOTICE)
    lines.append(_("Exposure per task: E0 → 0; E1 → 1; E2 → 0 / 0.5 / 1 (α / β / γ); automatability = share × "
                   "exposure × assumptions.exposure_time_saving."))
    return lines


def tasks_yaml(tasks: Sequence[OnetTask], heading: tuple[str, str] | None = None) -> str:
    """A commented ``tasks:`` YAML block, ready to paste under an activity (indent it by two spaces)."""
    out = [f"# {line}" for line in _heading_lines(tasks, heading)]
    out.append("tasks:")
    for task, share in zip(tasks, equal_shares(len(tasks)), strict=True):
        out.append(f"  - name: {json.dumps(task.statement, ensure_ascii=False)}")
        out.append(f"    share: {share:g}")
        out.append(f"    onet_task: {task.task_id}  # {task.code} · {task_label(task)}")
    return "\n".join(out) + "\n"


def tasks_json(tasks: Sequence[OnetTask], heading: tuple[str, str] | None = None) -> str:
    """JSON: ``tasks`` (paste-ready ``{name, share, onet_task}``), ``labels`` per task, ``notice``, ``occupation``."""
    doc: dict[str, Any] = {
        "notice": TASK_NOTICE,
        "occupation": {"code": heading[0], "title": heading[1]} if heading else None,
        "tasks": [{"name": t.statement, "share": s, "onet_task": t.task_id}
                  for t, s in zip(tasks, equal_shares(len(tasks)), strict=True)],
        "labels": [{"onet_task": t.task_id, "occupation": t.code, "type": t.type or None,
                    "gpt4": t.gpt4, "human": t.human, "automation": t.automation,
                    "exposure": {r: list(t.exposure(r)) for r in ("gpt4", "human", "both")}} for t in tasks],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"

"""One output subfolder per company file: distinct, deterministic, safe names."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

#: names the output folder keeps for the portfolio summary (a company folder never takes them)
_RESERVED = frozenset({"portfolio.md", "portfolio.json"})
#: characters replaced by "_" in a folder name
_UNSAFE = re.compile(r"[^\w.-]+")


def _safe(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip("._-") or "company"
    return cleaned[:80]


def folder_names(paths: Sequence[str | Path]) -> list[str]:
    """One distinct output subfolder name per path, deterministic, in the order of ``paths``.

    The name is the file's stem. When several files share it (compared without
    case, as on macOS and Windows), each takes the name of its parent folder
    instead (``examples/hotel-group/company.yaml`` → ``hotel-group``), then of
    more ancestors joined by ``-`` while they still clash, and a number as a
    last resort (``company-2``, in the order of the paths; also for files of
    the same folder). Unsafe characters become ``_``; ``portfolio.md`` and
    ``portfolio.json`` are never used.
    """
    parts = [Path(os.path.abspath(p)).parts[:-1] for p in paths]
    stems = [_safe(Path(p).stem) for p in paths]
    depth = [0] * len(paths)

    def name(i: int) -> str:
        return stems[i] if depth[i] == 0 else _safe("-".join(parts[i][-depth[i]:]))

    for _level in range(64):
        groups: dict[str, list[int]] = {}
        for i in range(len(paths)):
            groups.setdefault(name(i).lower(), []).append(i)
        changed = False
        for members in groups.values():
            if len(members) > 1 and len({parts[i] for i in members}) > 1:
                for i in members:
                    if depth[i] < len(parts[i]) - 1:  # never the file system root
                        depth[i] += 1
                        changed = True
        if not changed:
            break
    used: set[str] = set()
    final = []
    for i in range(len(paths)):
        base = name(i)
        candidate, count = base, 1
        while candidate.lower() in used or candidate.lower() in _RESERVED:
            count += 1
            candidate = f"{base}-{count}"
        used.add(candidate.lower())
        final.append(candidate)
    return final

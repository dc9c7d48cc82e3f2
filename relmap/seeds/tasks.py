"""O*NET task statements with their LLM exposure labels, read lazily from ``onet_tasks.csv.gz``.

The table (19,265 tasks of 923 occupations) is built by ``scripts/build_tasks.py``
from ``full_labelset.tsv`` of Eloundou et al. (2024, MIT License); the task
statements are O*NET content (O*NET Database, USDOL/ETA, CC BY 4.0): every
output that shows a statement carries :data:`TASK_NOTICE`.

**Exposure per task and rater.** Each task has one label per rater (GPT-4,
human annotators): ``E0`` (not exposed), ``E1`` (an LLM alone cuts its time by
half or more), ``E2`` (software built on an LLM would). The occupation-level
α/β/γ of ``occupations.csv`` are shares of tasks with α = E1, β = E1 + 0.5·E2,
γ = E1 + E2, so one task's exposure triangle (α, β, γ) is:

- ``E0`` → (0, 0, 0);
- ``E1`` → (1, 1, 1);
- ``E2`` → (0, 0.5, 1).

The two raters combine like :meth:`relmap.seeds.Prior.exposure`: ``both`` =
(min α, mean β, max γ). With O*NET's weights — a core task counts 2, a
supplemental or untyped task 1 — the weighted mean of the task triangles gives
back ``occupations.csv`` exactly (:func:`occupation_exposure`; checked by the tests).

Why lazy: reading the table is a noticeable part of a small command's start; commands that never show a task
(``relmap --help``, ``validate`` of a file without ``onet_task``) never open it.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from ..errors import RelmapError
from ..i18n import _

__all__ = [
    "LABEL_EXPOSURE",
    "TASK_NOTICE",
    "OnetTask",
    "UnknownOccupationError",
    "combine_raters",
    "core_tasks",
    "equal_shares",
    "label_exposure",
    "occupation_exposure",
    "occupation_tasks",
    "onet_task",
    "resolve_occupation",
    "search_tasks",
    "task_ids",
]

TriangleT = tuple[float, float, float]

#: Exposure triangle (α, β, γ) of one task by its label: E1 → 1; E2 → 0 / 0.5 / 1; E0 → 0.
LABEL_EXPOSURE: dict[str, TriangleT] = {"E0": (0.0, 0.0, 0.0), "E1": (1.0, 1.0, 1.0), "E2": (0.0, 0.5, 1.0)}

#: Attribution shown with every task statement (O*NET CC BY 4.0; labels MIT).
TASK_NOTICE = (
    "Task statements: O*NET Database, USDOL/ETA, CC BY 4.0. Exposure (E0/E1/E2) and automation (T0-T4) labels: "
    "Eloundou, Manning, Mishkin & Rock (2024), GPTs are GPTs, Science 384, MIT License."
)

_CODE = re.compile(r"^[0-9]{2}-[0-9]{4}(\.[0-9]{2})?$")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class OnetTask:
    """One O*NET task statement with its labels.

    Attributes:
        task_id: O*NET task id. code: O*NET-SOC code of its occupation.
        type: ``core``, ``supplemental`` or ``""`` (O*NET gives none).
        gpt4, human: exposure label (``E0``/``E1``/``E2``) of each rater.
        automation: GPT-4's automation level ``T0``–``T4``.
        statement: the O*NET task statement.
    """

    task_id: int
    code: str
    type: str
    gpt4: str
    human: str
    automation: str
    statement: str

    def exposure(self, rater: str = "both") -> TriangleT:
        """The task's exposure triangle for ``gpt4``, ``human`` or ``both`` (see the module docstring)."""
        return combine_raters(self.gpt4, self.human, rater)

    @property
    def weight(self) -> int:
        """O*NET's weight of the task in its occupation's exposure: 2 for a core task, else 1."""
        return 2 if self.type == "core" else 1


def label_exposure(label: str) -> TriangleT:
    """(α, β, γ) of one label: ``E0`` → (0, 0, 0), ``E1`` → (1, 1, 1), ``E2`` → (0, 0.5, 1)."""
    return LABEL_EXPOSURE[label]


def combine_raters(gpt4: str, human: str, rater: str = "both") -> TriangleT:
    """A task's exposure for a rater: that rater's triangle, or for ``both`` (min α, mean β, max γ).

    Example: GPT-4 E2 (0, 0.5, 1) and human E0 (0, 0, 0) → both = (0, 0.25, 1).
    """
    g, h = label_exposure(gpt4), label_exposure(human)
    if rater == "gpt4":
        return g
    if rater == "human":
        return h
    return (min(g[0], h[0]), (g[1] + h[1]) / 2, max(g[2], h[2]))


@functools.cache
def _table() -> tuple[dict[int, OnetTask], dict[str, tuple[OnetTask, ...]]]:
    """The whole table, read once: by task id, and by occupation code (task-id order)."""
    raw = resources.files("relmap.seeds").joinpath("onet_tasks.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    by_id: dict[int, OnetTask] = {}
    by_code: dict[str, list[OnetTask]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        task = OnetTask(int(row["task_id"]), row["code"], row["type"], row["gpt4"], row["human"],
                        row["automation"], row["statement"])
        by_id[task.task_id] = task
        by_code.setdefault(task.code, []).append(task)
    return by_id, {code: tuple(tasks) for code, tasks in by_code.items()}


def task_ids() -> frozenset[int]:
    """Every O*NET task id in the table."""
    return frozenset(_table()[0])


def onet_task(task_id: int) -> OnetTask | None:
    """The task with this O*NET id, or None."""
    return _table()[0].get(task_id)


def _full_code(code: str) -> str:
    return code if len(code) > 7 else code + ".00"


def occupation_tasks(code: str) -> list[OnetTask]:
    """Every task of an occupation (``43-4081`` or ``43-4081.00``), in task-id order; [] when unknown."""
    return list(_table()[1].get(_full_code(code.strip()), ()))


def core_tasks(code: str) -> list[OnetTask]:
    """An occupation's core tasks; all its tasks when O*NET types none of them core (51 occupations)."""
    tasks = occupation_tasks(code)
    core = [t for t in tasks if t.type == "core"]
    return core or tasks


def occupation_exposure(tasks: Sequence[OnetTask], rater: str = "both") -> TriangleT:
    """The weighted mean of the tasks' exposure triangles, weight 2 per core task and 1 otherwise.

    ``E = Σ w_i × E_i / Σ w_i``, bound by bound. Over all of an occupation's
    tasks and for one rater, this is that occupation's α/β/γ in
    ``occupations.csv`` (Eloundou et al. weigh core tasks twice).
    Example: core E1 + supplemental E2 → ((2·1 + 0)/3, (2·1 + 0.5)/3, (2·1 + 1)/3) = (0.667, 0.833, 1).
    """
    total = sum(t.weight for t in tasks)
    if not total:
        return (0.0, 0.0, 0.0)
    parts = [(t.weight, t.exposure(rater)) for t in tasks]
    low, mode, high = (sum(w * e[k] for w, e in parts) / total for k in range(3))
    return (low, mode, high)


def equal_shares(n: int, total: float = 1.0) -> list[float]:
    """``n`` shares of ``total`` with 4 decimals that add up to ``total`` exactly (largest remainder).

    Example: 3 shares of 1 → [0.3334, 0.3333, 0.3333].
    """
    if n <= 0:
        return []
    units = round(total * 10_000)
    base, extra = divmod(units, n)
    return [(base + (1 if i < extra else 0)) / 10_000 for i in range(n)]


def search_tasks(words: str, codes: Iterable[str] | None = None) -> list[OnetTask]:
    """Tasks whose statement or occupation title has a word starting with each word of ``words`` (any case).

    Args:
        words: the words to look for, in any order ("reservation hotel").
        codes: only these occupations (default: all).

    Returns:
        Matching tasks by occupation code, then task id.
    """
    from . import occupations

    needles = [re.compile(r"\b" + re.escape(w.casefold())) for w in _WORD.findall(words)]
    titles = {code: p.name_en.casefold() for code, p in occupations().items()}
    wanted = set(codes) if codes is not None else None
    out = []
    for code, tasks in sorted(_table()[1].items()):
        if wanted is not None and code not in wanted:
            continue
        title = titles.get(code, "")
        for task in tasks:
            text = task.statement.casefold() + " " + title
            if all(n.search(text) for n in needles):
                out.append(task)
    return out


class UnknownOccupationError(RelmapError):
    """An occupation that is not in the catalogue; ``candidates`` are (code, title) pairs to suggest."""

    def __init__(self, message: str, candidates: Sequence[tuple[str, str]]) -> None:
        self.candidates = list(candidates)
        lines = [message]
        if self.candidates:
            lines.append(_("did you mean:"))
            lines += [f"  {code}  {title}" for code, title in self.candidates]
        super().__init__("\n".join(lines))


def resolve_occupation(query: str) -> tuple[str, str]:
    """``(code, title)`` of the occupation ``query`` names: a code (``43-4081`` or ``43-4081.00``),
    a unique code prefix (``43-408``), or words of a title matching one occupation.

    Raises:
        UnknownOccupationError: no occupation, or several, match; its candidates are the closest codes
            and titles (a code prefix, close codes by spelling, or titles containing the words).
    """
    import difflib

    from . import occupations

    occs = {code: p.name_en for code, p in occupations().items()}
    q = " ".join(query.split())
    if _CODE.match(q) and _full_code(q) in occs:
        return _full_code(q), occs[_full_code(q)]
    if re.fullmatch(r"[0-9][0-9.\-]*", q):
        prefix = [c for c in occs if c.startswith(q)]
        if len(prefix) == 1:
            return prefix[0], occs[prefix[0]]
        close = prefix or difflib.get_close_matches(_full_code(q) if len(q) == 7 else q, list(occs), n=6,
                                                    cutoff=0.6)
        raise UnknownOccupationError(_("no O*NET-SOC occupation has the code '{code}'").format(code=q)
                                     if not prefix else
                                     _("'{code}' is the start of {n} codes").format(code=q, n=len(prefix)),
                                     [(c, occs[c]) for c in close[:12]])
    words = [w.casefold() for w in _WORD.findall(q)]
    hits = [c for c, title in occs.items() if words and all(w in title.casefold() for w in words)]
    if len(hits) == 1:
        return hits[0], occs[hits[0]]
    if not hits:
        by_title = {t.casefold(): c for c, t in occs.items()}
        hits = [by_title[t] for t in difflib.get_close_matches(q.casefold(), list(by_title), n=6, cutoff=0.5)]
    raise UnknownOccupationError(_("no single O*NET-SOC occupation matches '{query}'").format(query=q),
                                 [(c, occs[c]) for c in hits[:12]])

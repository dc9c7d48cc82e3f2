"""``relmap init --from-headcount``: a first company file from an HR headcount export.

The export (CSV or ``.xlsx``, first sheet) has one row per person or per job:
a job title, FTE (or a headcount), and optionally a department and an hourly
cost or an annual salary. Headers may be English or French (:data:`HEADERS`);
a CSV may be ``;``, ``,`` or tab separated, UTF-8 or Windows-1252, with
decimal commas — read with the helpers of ``relmap import``
(:func:`relmap.input.importing.decode_csv`, :mod:`relmap.input.cells`), and
every bad cell is reported at its reference (``hr.csv!C7``), exit 1.

The draft:

- departments become stages, in the order they first appear; a department
  whose name says support (HR, finance, IT, maintenance…) is a ``support``
  stage, the others ``primary`` (``# check:``);
- one activity per (department, job title), its FTE the sum of the rows
  (so the draft carries exactly the file's FTE), its hourly cost the
  FTE-weighted mean of the rows' costs (an annual salary ÷ ``hours_per_fte``);
  the job title goes in the activity's ``roles`` list (free text);
- the occupation: :func:`relmap.input.jobmatch.match_title` with the department and
  the sector as context; the code, its title, the score and the next two
  candidates are a ``# check:`` comment. A title below the threshold gets an
  archetype prior chosen from its words (:func:`archetype_for`) and a
  ``# check:`` comment — never a silent wrong code;
- ``relational``: a first guess from the occupation's core O*NET tasks
  (:func:`relational_guess`), marked ``# check:``.

The text is validated before it is returned, so it validates as written.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, InternalError, Problem, UsageError
from ..i18n import _, language
from ..seeds import DEFAULT_HOURS_PER_FTE
from .jobmatch import MATCH_THRESHOLD, Match, match_title, normalize_title

__all__ = ["HEADERS", "HeadcountRow", "Job", "archetype_for", "draft_from_headcount", "group_jobs",
           "read_headcount", "relational_guess"]

#: Accepted headers (normalised: lower case, no accents, words only) → column meaning.
HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("job title", "title", "job", "position", "role", "job name", "job role", "poste", "intitule du poste",
              "intitule de poste", "intitule", "emploi", "fonction", "metier", "libelle emploi", "libelle du poste",
              "libelle poste"),
    "fte": ("fte", "ftes", "etp", "equivalent temps plein", "equivalents temps plein", "full time equivalent",
            "full time equivalents"),
    "headcount": ("headcount", "head count", "heads", "employees", "effectif", "effectifs", "nombre", "nb",
                  "nombre de salaries", "count", "salaries", "number"),
    "department": ("department", "dept", "team", "division", "service", "departement", "direction", "equipe",
                   "pole", "unit", "unite"),
    "hourly_cost": ("hourly cost", "cost per hour", "hourly rate", "loaded hourly cost", "cout horaire",
                    "taux horaire", "cout horaire charge"),
    "annual_cost": ("annual salary", "salary", "annual cost", "yearly salary", "gross salary", "annual gross salary",
                    "salaire annuel", "salaire", "salaire brut annuel", "salaire annuel brut", "cout annuel",
                    "remuneration annuelle", "cout annuel charge"),
}
_BY_HEADER = {h: meaning for meaning, names in HEADERS.items() for h in names}

_SUPPORT_TEXT = (
    "administration admin administratif finance finances comptabilite accounting rh hr human humaines ressources "
    "paie payroll it informatique si juridique legal achats purchasing procurement maintenance technique technical "
    "services generaux direction management siege headquarters support qualite quality")
#: Words of a department name that make it a support stage.
SUPPORT_WORDS = frozenset(_SUPPORT_TEXT.split())
_PEOPLE = re.compile(
    r"\b(guests?|customers?|clients?|patients?|residents?|child(ren)?|students?|famil(y|ies)|visitors?|"
    r"passengers?|patrons?|members? of the public|public|callers?|diners?|travell?ers?|tenants?|people|persons?|"
    r"individuals?|consumers?|shoppers?|applicants?|borrowers?|account holders?)\b", re.IGNORECASE)
#: Control and bidi-override characters refused in titles and departments (as in the input format).
_CONTROL = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class HeadcountRow:
    """One valid row of the export: title, department, FTE and hourly cost (None when not given)."""

    title: str
    department: str | None
    fte: float
    hourly_cost: float | None
    where: str


@dataclass
class Job:
    """The rows of one (department, job title), summed: an activity of the draft."""

    title: str
    department: str | None
    fte: float = 0.0
    cost_weight: float = 0.0
    cost_sum: float = 0.0
    rows: list[str] = field(default_factory=list)

    @property
    def hourly_cost(self) -> float | None:
        """FTE-weighted mean hourly cost of the rows that give one: ``Σ fte_i × cost_i / Σ fte_i``."""
        return self.cost_sum / self.cost_weight if self.cost_weight > 0 else None


def _letter(index: int) -> str:
    """Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _raw_rows(path: Path) -> tuple[list[list[Any]], str]:
    """The cells of the export (first sheet of a workbook) and the prefix of its cell references."""
    from .importing import decode_csv

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import zipfile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise InputError([Problem(str(path), 0, 0, _("not a readable Excel workbook: {error}").format(
                error=exc), _("save it from Excel as .xlsx, or export it as CSV"))]) from exc
        try:
            ws = wb.worksheets[0]
            rows = [list(r) for _i, r in zip(range(MAX_ROWS + 2), ws.iter_rows(values_only=True), strict=False)]
            return rows, f"{ws.title}!"
        finally:
            wb.close()
    if suffix in (".csv", ".txt"):
        text = decode_csv(path.read_bytes())
        first = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first.count)
        rows = [list(r) for _i, r in zip(range(MAX_ROWS + 2), csv.reader(io.StringIO(text), delimiter=delimiter),
                                         strict=False)]
        return rows, f"{path.name}!"
    raise UsageError(_("cannot read '{suffix}' files: give a headcount export as .csv or .xlsx").format(
        suffix=suffix or path.name))


def _columns(header: Sequence[Any], prefix: str, problems: list[Problem]) -> dict[str, int]:
    """Column meaning → index, from the header row; problems for a missing title or size column."""
    from . import cells

    columns: dict[str, int] = {}
    for j, cell in enumerate(header):
        name = normalize_title(cells.text(cell) or "")
        meaning = _BY_HEADER.get(name)
        if meaning and meaning not in columns:
            columns[meaning] = j
    accepted = ", ".join(HEADERS["title"][:6])
    if "title" not in columns:
        problems.append(Problem(f"{prefix}A1", 0, 0, _("no job title column"),
                                _("name the column of job titles one of: {names}").format(names=accepted)))
    if "fte" not in columns and "headcount" not in columns:
        problems.append(Problem(f"{prefix}A1", 0, 0, _("no FTE or headcount column"),
                                _("name it 'FTE' / 'ETP' or 'Headcount' / 'Effectif'")))
    if "hourly_cost" in columns and "annual_cost" in columns:
        del columns["annual_cost"]
    return columns


def read_headcount(path: str | Path,
                   hours_per_fte: float = DEFAULT_HOURS_PER_FTE) -> tuple[list[HeadcountRow], list[str]]:
    """The valid rows of a headcount export, and notes on how it was read.

    Raises:
        InputError: every bad cell at its reference (no title, negative or missing FTE, text in a number
            column, a negative cost); a file too large or unreadable.
        UsageError: the file is missing or of an unknown type.
    """
    from . import cells

    source = Path(path)
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise UsageError(_("cannot read {path}: {error}").format(path=path, error=exc.strerror)) from exc
    if size > MAX_BYTES:
        raise InputError([Problem(str(path), 0, 0, _("file too large ({size} bytes, limit {limit})").format(
            size=size, limit=MAX_BYTES))])
    raw, prefix = _raw_rows(source)
    problems: list[Problem] = []
    if not raw:
        raise InputError([Problem(str(path), 0, 0, _("the file is empty"),
                                  _("export the headcount with a header row"))])
    columns = _columns(raw[0], prefix, problems)
    if problems:
        raise InputError(problems)
    size_col = "fte" if "fte" in columns else "headcount"
    notes = [] if size_col == "fte" else [_("no FTE column: each head counts as one full-time FTE")]
    if "annual_cost" in columns:
        notes.append(_("hourly cost = annual salary ÷ {hours} hours per FTE: add employer charges if the file "
                       "gives gross salaries").format(hours=f"{hours_per_fte:g}"))
    rows: list[HeadcountRow] = []
    for i, values in enumerate(raw[1:], start=2):
        if i > MAX_ROWS:
            problems.append(Problem(f"{prefix}A{i}", 0, 0, _("too many rows (more than {n})").format(n=MAX_ROWS)))
            break
        row = _row(values, columns, size_col, f"{prefix}", i, hours_per_fte, problems, cells)
        if row is not None:
            rows.append(row)
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError([Problem(str(path), 0, 0, _("no job in the file"), _("one row per job or per person"))])
    return rows, notes


def _row(values: Sequence[Any], columns: dict[str, int], size_col: str, prefix: str, i: int,
         hours_per_fte: float, problems: list[Problem], cells: Any) -> HeadcountRow | None:
    """One row, or None when blank or wrong (the problems recorded)."""
    def cell(meaning: str) -> tuple[Any, str]:
        j = columns.get(meaning)
        if j is None:
            return None, ""
        return (values[j] if j < len(values) else None), f"{prefix}{_letter(j)}{i}"

    if all(cells.text(v) is None for v in values):
        return None
    before = len(problems)
    title_raw, title_at = cell("title")
    title = cells.text(title_raw)
    if title is None:
        problems.append(Problem(title_at, 0, 0, _("no job title"), _("fill the title, or delete the row")))
    elif len(title) > 200:
        problems.append(Problem(title_at, 0, 0, _("job title too long (more than 200 characters)")))
    department = cells.text(cell("department")[0])
    for text, at in ((title, title_at), (department, cell("department")[1])):
        match = _CONTROL.search(text or "")
        if match:
            problems.append(Problem(at, 0, 0, _("text contains the control character U+{code}").format(
                code=f"{ord(match.group()):04X}"), _("retype the cell")))
    if department is not None and len(department) > 200:
        problems.append(Problem(cell("department")[1], 0, 0, _("department name too long (more than 200 characters)")))
    numbers: dict[str, float | None] = {}
    for meaning in (size_col, "hourly_cost", "annual_cost"):
        raw, at = cell(meaning)
        if not at:
            continue
        try:
            numbers[meaning] = cells.number(raw)
        except cells.CellError as exc:
            problems.append(Problem(at, 0, 0, str(exc)))
            continue
        value = numbers[meaning]
        if value is not None and value < 0:
            problems.append(Problem(at, 0, 0, _("'{value}' is negative").format(value=f"{value:g}"),
                                    _("FTE, headcounts and costs are 0 or more")))
    size = numbers.get(size_col)
    if size is None and size_col in numbers:
        problems.append(Problem(cell(size_col)[1], 0, 0, _("no FTE for this job"), _("write the FTE, e.g. 1 or 0,8")))
    if len(problems) > before or title is None or size is None:
        return None
    hourly = numbers.get("hourly_cost")
    annual = numbers.get("annual_cost")
    if hourly is None and annual is not None:
        hourly = annual / hours_per_fte
    return HeadcountRow(" ".join(title.split()), " ".join(department.split()) if department else None, size,
                        hourly, title_at)


def group_jobs(rows: Sequence[HeadcountRow]) -> list[Job]:
    """One :class:`Job` per (department, title) — case and spacing ignored — in order of first appearance."""
    jobs: dict[tuple[str, str], Job] = {}
    shown: dict[str, str] = {}  # a department as first written, whatever its case later
    for row in rows:
        key = ((row.department or "").casefold(), row.title.casefold())
        department = shown.setdefault(key[0], row.department) if row.department else None
        job = jobs.setdefault(key, Job(row.title, department))
        job.fte += row.fte
        if row.hourly_cost is not None:
            job.cost_weight += row.fte
            job.cost_sum += row.fte * row.hourly_cost
        job.rows.append(row.where)
    return list(jobs.values())


def relational_guess(code: str) -> tuple[float, int, int]:
    """A first guess of ``r`` from an occupation's core O*NET tasks: ``(r, tasks with people, tasks)``.

    ``f`` = share of the core tasks whose statement names the people served
    (guests, customers, clients, patients, residents, children, students,
    families, visitors, passengers, patrons, the public…); ``r = 0.15 + 0.7 × f``
    rounded to 2 decimals, and 0.49 instead of exactly 0.5 (the default
    threshold: a guess should not sit on it). Example: 11 of 19 tasks →
    0.15 + 0.7 × 11/19 = 0.555 → 0.56.
    """
    from ..seeds.tasks import core_tasks

    tasks = core_tasks(code)
    people = sum(1 for t in tasks if _PEOPLE.search(t.statement))
    f = people / len(tasks) if tasks else 0.0
    r = round(0.15 + 0.7 * f, 2)
    return (0.49 if r == 0.5 else r), people, len(tasks)


def archetype_for(title: str) -> str:
    """The archetype prior of a title no occupation matches, from its words.

    Managing words (manager, directeur, responsable, chef, head, lead, supervisor) → ``managing_others``;
    office words (clerk, assistant, admin, gestionnaire, agent administratif, secrétaire) → ``processing_data``;
    hands-on words (worker, operator, ouvrier, opérateur, agent d'entretien, technicien) →
    ``unpredictable_physical``; anything else → ``stakeholder_interactions``.
    """
    words = set(normalize_title(title).split())
    if words & {"manager", "director", "directeur", "directrice", "responsable", "chef", "head", "lead", "supervisor",
                "superviseur", "gerant", "gerante"}:
        return "managing_others"
    if words & {"clerk", "assistant", "assistante", "admin", "administrative", "administratif",
                "gestionnaire", "secretary", "secretaire", "officer"}:
        return "processing_data"
    if words & {"worker", "operator", "ouvrier", "ouvriere", "operateur", "operatrice", "technicien", "technicienne",
                "technician", "entretien", "agent"}:
        return "unpredictable_physical"
    return "stakeholder_interactions"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", normalize_title(text)).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "x_" + slug
    return slug[:48].rstrip("_")


def _unique(base: str, used: set[str]) -> str:
    ident, n = base, 2
    while ident in used:
        ident = f"{base}_{n}"
        n += 1
    used.add(ident)
    return ident


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML 1.2)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _num(value: float) -> str:
    """A number with at most 6 decimals, no trailing zeros (``2.5``, ``3``, ``0.333333``)."""
    text = f"{round(value, 6):.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _candidates_text(match: Match, skip_first: bool) -> str:
    others = match.candidates[1:] if skip_first else match.candidates
    return "; ".join(f"{c.code} {c.title} ({c.score:.2f})" for c in others) or "-"


def draft_from_headcount(path: str | Path, *, company: str | None = None, lang: str = "en",
                         sector: str | None = None, hours_per_fte: float = DEFAULT_HOURS_PER_FTE) -> str:
    """The text of a commented, valid ``company.yaml`` drafted from a headcount export.

    Args:
        path: the export (.csv or .xlsx).
        company: company name (default: the file name).
        lang: language of the comments and of ``company.language``.
        sector: words about the sector (``hotel``, ``care home``): context for the title matcher.
        hours_per_fte: worked hours per FTE per year (converts annual salaries to hourly costs).

    Raises:
        InputError: bad cells, each at its reference. UsageError: unreadable file.
    """
    with language(lang):
        rows, notes = read_headcount(path, hours_per_fte)
        return _draft(Path(path), rows, notes, company, lang, sector, hours_per_fte)


def _draft(source: Path, rows: list[HeadcountRow], notes: list[str], company: str | None, lang: str,
           sector: str | None, hours_per_fte: float) -> str:
    from ..seeds import get_prior
    from .validate import loads

    jobs = group_jobs(rows)
    total = math.fsum(r.fte for r in rows)
    costs = [(j.cost_weight, j.hourly_cost) for j in jobs if j.hourly_cost is not None]
    weight = sum(w for w, _c in costs)
    default_cost = sum(w * (c or 0.0) for w, c in costs) / weight if weight > 0 else None
    departments = list(dict.fromkeys(j.department for j in jobs if j.department))
    out = ["# yaml-language-server: $schema=relmap.schema.json",
           "# " + _("Draft written by 'relmap init --from-headcount' from {file}: {fte} FTE, {jobs} jobs, "
                    "{stages} departments.").format(file=source.name, fte=_num(total), jobs=len(jobs),
                                                    stages=len(departments)),
           "# " + _("Every '# check:' marks a guess to review: the occupation matched to each job title (score "
                    "0..1, next candidates), the relational score, stage kinds."),
           "# " + _("relational: first guess from the occupation's core O*NET tasks: r = 0.15 + 0.7 × the share "
                    "of tasks naming the people served (guests, customers, patients…); score the rubric instead."),
           "# " + _("roles: each activity's job title (free text)."),
           *(f"# {note}" for note in notes), "",
           "relmap: 1", "company:", f"  name: {_q(company or source.stem)}", f"  language: {lang}"]
    if hours_per_fte != DEFAULT_HOURS_PER_FTE:
        out.append(f"  hours_per_fte: {_num(hours_per_fte)}")
    if sector:
        out.append(f"  sector: {_q(sector)}")
    if default_cost is not None:
        out.append(f"  hourly_cost: {_num(round(default_cost, 2))}  # "
                   + _("the FTE-weighted mean of the file's costs, for jobs without one"))
    else:
        out.append("  # check: " + _("the file gives no cost: set hourly_cost (loaded cost per hour)"))
    stage_ids: dict[str, str] = {}
    used: set[str] = set()
    if departments:
        out.append("stages:")
        for dept in departments:
            stage_ids[dept] = _unique(_slug(dept), used)
            support = bool(set(normalize_title(dept).split()) & SUPPORT_WORDS)
            out += [f"  - id: {stage_ids[dept]}", f"    name: {_q(dept)}",
                    f"    kind: {'support' if support else 'primary'}  # check: "
                    + (_("a support department?") if support else _("a primary department (reaches customers)?"))]
    out.append("activities:")
    context = [sector] if sector else []
    title_count: dict[str, int] = {}
    for job in jobs:
        title_count[job.title.casefold()] = title_count.get(job.title.casefold(), 0) + 1
    used_acts: set[str] = set()
    for job in jobs:
        match = match_title(job.title, [*(c for c in context), *([job.department] if job.department else [])])
        base = _slug(job.title) if title_count[job.title.casefold()] == 1 or not job.department else \
            _slug(f"{job.department} {job.title}")
        out.append(f"  - id: {_unique(base, used_acts)}")
        out.append(f"    name: {_q(job.title)}")
        if job.department:
            out.append(f"    stage: {stage_ids[job.department]}")
        out.append(f"    roles: [{_q(job.title)}]")
        out.append(f"    fte: {_num(job.fte)}")
        if job.hourly_cost is not None:
            out.append(f"    hourly_cost: {_num(round(job.hourly_cost, 2))}")
        best = match.best
        if best is not None:
            out.append(f"    occupation: {_q(best.code)}  # check: " + _(
                "{title} (score {score:.2f}); next: {others}").format(
                title=best.title, score=best.score, others=_candidates_text(match, True)))
            r, people, n = relational_guess(best.code)
            out.append(f"    relational: {_num(r)}  # check: " + _(
                "first guess: {people} of {n} core tasks name the people served").format(people=people, n=n))
        else:
            key = archetype_for(job.title)
            prior = get_prior("archetype", key)
            name = (prior.name_fr if lang == "fr" else prior.name_en) if prior else key
            out.append(f"    archetype: {key}  # check: " + _(
                "no O*NET occupation matches well (below {threshold}; closest: {others}): prior of '{name}'; "
                "set 'occupation' (relmap tasks WORDS) or 'automatability'").format(
                threshold=f"{MATCH_THRESHOLD:g}", others=_candidates_text(match, False), name=name))
            out.append("    relational: 0.25  # check: " + _("no occupation, no task to guess from"))
    text = "\n".join(out) + "\n"
    try:
        loads(text, name=str(source))
    except InputError as exc:  # pragma: no cover - a bug in the draft writer
        raise InternalError(f"the headcount draft does not validate: {exc}") from exc
    return text

"""Turn a loaded document into a validated :class:`~relmap.input.model.ValueChain`, or located problems.

Two passes over the same document, whose problems are reported together,
sorted by line:

* the pydantic models (types, ranges, required fields, unknown keys), each
  error's ``loc`` walked down the YAML nodes to a ``line:column`` and its
  technical message rewritten into plain advice (with a "did you mean");
* cross-references on the plain data: unique ids, stages, actors, flows,
  transfers, archetypes and occupations that exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Problem, did_you_mean
from ..i18n import _
from . import model as m
from .loader import MAX_BYTES, Document, load_document, locate, parse_text, paused_gc

#: Union tags of the discriminated unions: they name no YAML node.
_TAGS = frozenset({"rubric", "number", "range", "triangle", "word", "task_list", "task_word", "task_split"})

#: Which model a (normalised) location holds, to list its fields.
_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): m.ValueChain,
    ("company",): m.CompanyInfo,
    ("stages",): m.Stage,
    ("actors",): m.Actor,
    ("roles",): m.Role,
    ("roles", "can_move_to"): m.RoleMove,
    ("activities",): m.Activity,
    ("activities", "tasks"): m.Task,
    ("activities", "tasks", "shares"): m.TaskShare,
    ("activities", "relational"): m.Rubric,
    ("activities", "automatability"): m.Triangle01,
    ("activities", "tasks", "automatability"): m.Triangle01,
    ("flows",): m.Flow,
    ("scenarios",): m.Scenario,
    ("scenarios", "adoption"): m.Triangle01,
    ("scenarios", "costs"): m.ScenarioCosts,
    ("assumptions",): m.Assumptions,
    ("assumptions", "exposure_time_saving"): m.Triangle01,
    ("policy",): m.Policy,
    ("policy", "transfers"): m.Transfer,
    ("thresholds",): m.Thresholds,
    ("thresholds", "rubric_weights"): m.RubricWeights,
}
_KIND_NAMES = {"activities": "activity", "stages": "stage", "actors": "actor", "scenarios": "scenario",
               "roles": "role"}


def _short(value: Any) -> str:
    """A safe, short rendering of a user value (never repr a large structure)."""
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "…") if isinstance(value, str) else text


def _normalise(loc: Sequence[int | str]) -> tuple[str, ...]:
    return tuple(p for p in loc if isinstance(p, str) and p not in _TAGS)


def _fields_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _where(data: Any, loc: Sequence[int | str]) -> str:
    """``"activity 'welcome'"``, ``"flow 3"``… the nearest named thing holding ``loc``."""
    node = data
    where = ""
    loc = [p for p in loc if not (isinstance(p, str) and p in _TAGS)]
    for i, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parent = loc[i - 1] if i else ""
            node = node[part]
            if parent in _KIND_NAMES and isinstance(node, dict) and isinstance(node.get("id"), str):
                where = f"{_(_KIND_NAMES[str(parent)])} '{node['id']}'"
            elif parent == "flows":
                where = _("flow {n}").format(n=part + 1)
            elif parent == "tasks":
                where += " " + _("task {n}").format(n=part + 1)
            elif parent == "transfers":
                where = _("transfer {n}").format(n=part + 1)
        else:
            break
    return where


def _model_at(loc: Sequence[int | str], norm: tuple[str, ...]) -> type[BaseModel] | None:
    """The model holding the field at ``loc``: an activity's ``tasks`` mapping is a TasksFromOccupation."""
    if "task_split" in loc and norm[:-1] == ("activities", "tasks"):
        return m.TasksFromOccupation
    return _MODELS.get(norm[:-1])


def _describe(model: type[BaseModel], field: str) -> str:
    for name, info in model.model_fields.items():
        if (info.alias or name) == field and info.description:
            return info.description
    return ""


def explain(error: dict[str, Any], data: Any) -> tuple[str, str]:
    """Rewrite one pydantic error as (message, hint) in plain words."""
    kind: str = error["type"]
    loc: tuple[int | str, ...] = tuple(error["loc"])
    ctx: dict[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    norm = _normalise(loc)
    field = norm[-1] if norm else ""
    where = _where(data, loc)
    suffix = " (" + _("in {where}").format(where=where) + ")" if where and field != "id" else ""
    if kind == "extra_forbidden":
        model = _model_at(loc, norm)
        allowed = _fields_of(model) if model else []
        hint = did_you_mean(field, allowed) or (
            _("allowed here: {names}").format(names=", ".join(allowed)) if allowed else "")
        if " " in field and not did_you_mean(field, allowed):
            hint = _("if this is part of a text, put the whole text in quotes: inside {…} a comma starts a new key")
        return _("unknown field '{field}'").format(field=field) + suffix, hint
    if kind == "invalid_key":
        return (_("a key must be a name, got the number {value}").format(value=_short(value)) + suffix,
                _("keys are field names such as 'hours'; check the indentation of this line"))
    if kind == "missing":
        model = _model_at(loc, norm)
        desc = _describe(model, field) if model else ""
        if field in m.RUBRIC_DIMENSIONS and model is m.Rubric:
            desc = _("a rubric scores all seven dimensions") + ". " + rubric_hint(field)
        return _("missing required field '{field}'").format(field=field) + suffix, desc
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        hint = _("write a plain number such as 0.6 or 1607, without quotes or units")
        if kind == "int_from_float":
            hint = _("write a whole number")
        if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
            hint = _("'{value}' is text in YAML 1.2; write a number").format(value=value)
        return _("'{field}' must be a number, got {value}").format(field=field, value=_short(value)) + suffix, hint
    if kind == "finite_number":
        return (_("'{field}' must be a finite number, got {value}").format(field=field, value=_short(value))
                + suffix, _("replace .nan/.inf or huge exponents by a real value"))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        raw_bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        bound = f"{raw_bound:g}" if isinstance(raw_bound, int | float) else str(raw_bound)
        words = {"greater_than_equal": _("at least {n}"), "less_than_equal": _("at most {n}"),
                 "greater_than": _("more than {n}"), "less_than": _("less than {n}")}[kind]
        hint = ""
        if field == "relational":
            hint = _("give a number between 0 and 1, a word (none, low, medium, high, very_high) "
                     "or a rubric of seven 0..4 scores")
        elif field in ("automatability", "adoption", "adoption_path", "reinvest", "recognition", "training",
                       "community", "relational", "share", "low", "mode", "high", "automatable") or norm[-2:-1] == (
                "automatability",):
            hint = _("shares are fractions between 0 and 1: write 0.35 for 35 %")
        elif field == "correlation":
            hint = _("a rank correlation between 0 (activities vary independently) and 1 (all move together)")
        elif field == "discount_rate":
            hint = _("a yearly rate between 0 and 1: write 0.08 for 8 %")
        elif field == "horizon_years":
            hint = _("the trajectory runs year by year from 1 to 50 years; 5 is the default")
        elif field in m.RUBRIC_DIMENSIONS and "rubric_weights" not in norm:
            hint = _("rubric scores go from 0 (absent) to 4 (essential)") + ". " + rubric_hint(field)
        elif field in ("hours", "fte", "hourly_cost", "volume", "hours_per_fte") and kind.startswith("greater"):
            hint = _("sizes and costs cannot be negative")
        elif field in ("hours", "fte", "hourly_cost", "volume", "hours_per_fte"):
            hint = _("that is more than any real company: check the unit (hours per year, FTE, cost per hour)")
        return (_("'{field}' must be {bound}, got {value}").format(
            field=field, bound=words.format(n=bound), value=_short(value)) + suffix, hint)
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",") if o.strip()]
        if field == "relmap":
            return (_("unsupported format version {value}").format(value=_short(value)),
                    _("this relmap reads format version 1: write 'relmap: 1'"))
        hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
        return (_("'{field}' must be one of {options}, got {value}").format(
            field=field, options=expected, value=_short(value)) + suffix, hint)
    if kind == "string_pattern_mismatch":
        if field == "currency":
            return (_("'{field}' must be a 3-letter ISO code, got {value}").format(field=field, value=_short(value)),
                    _("for example EUR, USD, GBP, CHF"))
        if field in ("occupation",):
            return (_("'{field}' must be an O*NET-SOC code like '43-4051.00', got {value}").format(
                field=field, value=_short(value)) + suffix, _("find codes with: relmap archetypes --search WORD"))
        slug = _slug(value) if isinstance(value, str) else ""
        hint = _("ids use lower-case letters, digits, '_' and '-', starting with a letter")
        if slug:
            hint += "; " + _("for example '{slug}'").format(slug=slug)
        return _("{value} is not a valid id").format(value=_short(value)) + suffix, hint
    if kind in ("string_type",):
        return _("'{field}' must be text, got {value}").format(field=field, value=_short(value)) + suffix, _(
            "put the text in quotes if it looks like a number or a date")
    if kind in ("string_too_long",):
        return (_("'{field}' is too long (more than {n} characters)").format(field=field, n=ctx.get("max_length"))
                + suffix, _("shorten it; put details in 'description'"))
    if kind == "bool_type":
        return (_("'{field}' must be true or false, got {value}").format(field=field, value=_short(value)) + suffix,
                _("YAML 1.2: write true or false (yes/no are text)"))
    if kind == "list_type":
        return (_("'{field}' must be a list, got {value}").format(field=field or "relmap", value=_short(value))
                + suffix, _("write one item per line, each starting with '- '"))
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (_("'{field}' must be a mapping of 'key: value' lines, got {value}").format(
            field=field or _("the file"), value=_short(value)) + suffix, "")
    if kind == "too_short":
        if field == "automatability" or (value is not None and isinstance(value, list) and len(value) < 2
                                        and field != "activities"):
            return (_("a range needs two numbers [low, high]") + suffix, _("for example [0.4, 0.7]"))
        return (_("'{field}' needs at least {n} item(s)").format(field=field, n=ctx.get("min_length", 1)) + suffix,
                "")
    if kind == "too_long":
        return (_("a range has exactly two numbers [low, high]") + suffix,
                _("use {low, mode, high} to give a most likely value"))
    message = custom_message(kind, ctx) or str(error.get("msg", kind))
    hints = {
        "scenario_shares": _("lower the shares so that they add up to 1 at most; the rest is net savings"),
        "task_shares": _("task shares are fractions of the activity's time: they add up to 1 at most"),
        "missing_size": _("for example 'fte: 2.5' or 'hours: 4000'"),
        "both_sizes": _("hours = fte × company.hours_per_fte; give only one"),
        "missing_reason": _(
            "say why the process is valued for itself, e.g. reason: \"residents expect a familiar face\""),
        "missing_automatability": _("add 'automatability: 0.4', a 'tasks' list, an 'occupation' code or an "
                                    "'archetype' (see: relmap archetypes)"),
        "range_order": _("write the smaller number first"),
        "control_character": _("delete it; line breaks and tabs are allowed only in long texts (description, "
                               "reason), e.g. 'description: |' followed by indented lines")
        if ctx.get("code") in ("000A", "0009", "000D") else _("delete it: it is invisible and breaks reports"),
        "split_needs_occupation": _("add the activity's O*NET-SOC code, e.g. occupation: \"43-4081.00\" "
                                    "(find it with: relmap tasks WORDS)"),
        "adoption_path_length": _("give one adoption value per year of horizon_years, or drop adoption_path to "
                                  "use the default S-curve"),
        "adoption_path_last": _("the path ends at the horizon: its last value is the scenario's adoption"),
        "order": _("put the numbers in order: low ≤ mode ≤ high"),
    }
    if kind in hints:
        return message, hints[kind]
    return message + suffix, ""


def _decimal(value: Any) -> str:
    """A number from an error's context in the language's style (``1.25`` → ``1,25`` in French)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    from ..i18n import format_number

    digits = next((d for d in range(4) if abs(round(number, d) - number) < 1e-9), 3)
    return format_number(number, digits)


def custom_message(kind: str, ctx: dict[str, Any]) -> str | None:
    """The message of the model's own checks (``PydanticCustomError`` in model.py) in the current language.

    Why here: the model states its rules in English once (they are also the
    schema's words); what the user reads is translated from the error's kind
    and context. None for a kind the model does not raise.
    """
    values = {k: _decimal(v) if k in ("total", "low", "mode", "high") else v for k, v in ctx.items()}
    if kind == "missing_automatability":
        if "name" in ctx:
            return _("task '{name}' needs an automatability, an occupation or an archetype").format(**values)
        return _("activity '{id}' has no automatability").format(**values)
    templates = {
        "scenario_shares": _("reinvest + recognition + training + community = {total} in scenario '{id}', "
                             "more than 1"),
        "task_shares": _("the task shares of activity '{id}' add up to {total}, more than 1"),
        "missing_size": _("activity '{id}' needs a size: give 'fte' or 'hours'"),
        "both_sizes": _("activity '{id}' gives both 'fte' and 'hours': keep one"),
        "missing_reason": _("activity '{id}' has keep_human: true but no 'reason'"),
        "order": _("must satisfy low ≤ mode ≤ high (got {low}, {mode}, {high})"),
        "range_order": _("range must be [low, high] with low ≤ high (got [{low}, {high}])"),
        "weights_zero": _("at least one rubric weight must be positive"),
        "blank_text": _("text must not be blank"),
        "control_character": _("text contains the control character U+{code}"),
    }
    template = templates.get(kind)
    if template is None:
        return None
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return None


def rubric_hint(dimension: str) -> str:
    """The rubric guide's question and anchors for one dimension, in the current language.

    Example: ``presence — Does the value need physical presence…? 0: Bank: … 4: Care: …``
    """
    from ..i18n import get_language
    from ..seeds import rubric_guide

    lang = get_language()
    entry = rubric_guide().get("dimensions", {}).get(dimension)
    if not isinstance(entry, dict):
        return dimension
    question = entry.get("question", {}).get(lang, "")
    levels = {str(k): v for k, v in entry.get("levels", {}).items()}
    anchors = " ".join(f"[{score}] {levels[score].get(lang, '')}" for score in ("0", "4") if score in levels)
    return f"{dimension} — {question} {anchors}".strip()


def _slug(value: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")
    if slug and not slug[0].isalpha():
        slug = "a_" + slug
    return slug[:64]


#: errors a model raises about one of its fields: located at that field, not at the start of the item
_FIELD_OF_ERROR: dict[str, str] = {"adoption_path_length": "adoption_path", "adoption_path_last": "adoption_path"}


def _pydantic_problems(doc: Document, exc: ValidationError, *, skip: frozenset[str] = frozenset()
                       ) -> list[Problem]:
    """Each pydantic error as a located :class:`Problem`, except those on the top-level keys in ``skip``.

    Why ``skip``: a key checked before the model (the format version) would be
    reported twice. The filter is on the error's location, never on its
    wording, which depends on the language.
    """
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if loc[:1] and loc[0] in skip:
            continue
        if error["type"] in _FIELD_OF_ERROR:
            loc = (*loc, _FIELD_OF_ERROR[error["type"]])
        locatable = tuple(p for p in loc if not (isinstance(p, str) and p in _TAGS))
        line, col = locate(doc.root, locatable, key=error["type"] in ("extra_forbidden", "invalid_key"))
        message, hint = explain(dict(error), doc.data)
        problems.append(Problem(doc.path, line, col, message, hint))
    return problems


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def reference_problems(doc: Document) -> list[Problem]:
    """Cross-reference checks on the plain data (run even when types are wrong elsewhere)."""
    data = doc.data
    out: list[Problem] = []

    def add(loc: tuple[int | str, ...], message: str, hint: str = "") -> None:
        line, col = locate(doc.root, loc)
        out.append(Problem(doc.path, line, col, message, hint))

    stage_ids: dict[str, int] = {}
    node_ids: dict[str, tuple[str, int]] = {}
    actor_ids: set[str] = set()
    activity_ids: set[str] = set()
    for section in ("stages", "actors", "activities", "scenarios", "roles"):
        seen: dict[str, int] = {}
        for i, item in _items(data, section):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                add((section, i, "id"), _("duplicate id '{id}' (first used in {section} item {n})").format(
                    id=ident, section=section, n=seen[ident] + 1), _("give each one a distinct id"))
                continue
            seen[ident] = i
            if section in ("actors", "activities"):
                if ident in node_ids:
                    other, j = node_ids[ident]
                    add((section, i, "id"), _("id '{id}' is already used by {section} item {n}").format(
                        id=ident, section=other, n=j + 1),
                        _("activities and actors share one set of ids, because flows refer to both"))
                    continue
                node_ids[ident] = (section, i)
                (actor_ids if section == "actors" else activity_ids).add(ident)
            if section == "stages":
                stage_ids[ident] = i

    def check_ref(loc: tuple[int | str, ...], ref: Any, pool: Iterable[str], what: Callable[[], str],
                  fix: Callable[[], str]) -> None:
        """An unknown reference is a problem; its words and hint are made only then (``what``, ``fix``)."""
        if isinstance(ref, str) and ref not in pool:
            hint = did_you_mean(ref, pool) or fix()
            add(loc, _("unknown {what} '{ref}'").format(what=what(), ref=ref), hint)

    for i, act in _items(data, "activities"):
        if "stage" in act:
            check_ref(("activities", i, "stage"), act["stage"], stage_ids, lambda: _("stage"),
                      lambda: _("define it under 'stages:' or use one of: {ids}").format(
                          ids=", ".join(stage_ids) or "-"))
        touches = act.get("touches")
        if isinstance(touches, list):
            for j, ref in enumerate(touches):
                pool = actor_ids
                if isinstance(ref, str) and ref in activity_ids:
                    add(("activities", i, "touches", j),
                        _("'{ref}' is an activity; 'touches' lists actors").format(ref=ref),
                        _("draw a link between activities under 'flows:'"))
                    continue
                check_ref(("activities", i, "touches", j), ref, pool, lambda: _("actor"),
                          lambda: _("define it under 'actors:'"))
        _check_priors(act, ("activities", i), add)
        tasks = act.get("tasks")
        if isinstance(tasks, list):
            for j, task in enumerate(tasks):
                if isinstance(task, dict):
                    _check_priors(task, ("activities", i, "tasks", j), add)
        _check_onet_tasks(act, ("activities", i), add)
    out.extend(role_problems(doc))
    nodes = set(node_ids)
    for i, flow in _items(data, "flows"):
        for end in ("from", "to"):
            check_ref(("flows", i, end), flow.get(end), nodes, lambda: _("activity or actor"),
                      lambda: _("flows link ids defined under 'activities:' or 'actors:'"))
        if isinstance(flow.get("from"), str) and flow.get("from") == flow.get("to"):
            add(("flows", i, "to"), _("flow from '{id}' to itself").format(id=flow["from"]),
                _("a flow links two different activities or actors"))
    leads = [i for i, sc in _items(data, "scenarios") if sc.get("lead") is True]
    for i in leads[1:]:
        add(("scenarios", i, "lead"), _("more than one scenario has 'lead: true'"),
            _("keep 'lead: true' on one scenario only: it leads the headline figures"))
    policy = data.get("policy") if isinstance(data, dict) else None
    if isinstance(policy, dict):
        for i, tr in _items(policy, "transfers"):
            for end in ("from", "to"):
                check_ref(("policy", "transfers", i, end), tr.get(end), activity_ids, lambda: _("activity"),
                          lambda: _("transfers move hours between activities"))
    return out


#: how far the staffing shares of an activity may be from 1
STAFFING_TOLERANCE = 1e-6


def role_problems(doc: Document) -> list[Problem]:
    """Roles: activities name defined roles, shares add up to 1, reskilling paths lead somewhere.

    Without top-level ``roles``, an activity's ``roles`` is free text (format 1)
    and ``staffing`` is an error (it names roles).
    """
    data = doc.data
    out: list[Problem] = []

    def add(loc: tuple[int | str, ...], message: str, hint: str = "") -> None:
        line, col = locate(doc.root, loc)
        out.append(Problem(doc.path, line, col, message, hint))

    role_ids = [r["id"] for _i, r in _items(data, "roles") if isinstance(r.get("id"), str)]
    defined = isinstance(data.get("roles"), list) and bool(data.get("roles"))
    known = set(role_ids)
    for i, act in _items(data, "activities"):
        staffing = act.get("staffing")
        roles = act.get("roles")
        if staffing is not None and not defined:
            add(("activities", i, "staffing"), _("'staffing' names roles, but the file defines no 'roles'"),
                _("define the roles under a top-level 'roles:' list, or list them as free text in 'roles'"))
            continue
        if not defined:
            continue
        if isinstance(staffing, dict) and isinstance(roles, list) and roles:
            add(("activities", i, "staffing"), _("activity gives both 'roles' and 'staffing'"),
                _("keep 'staffing' for unequal shares, or 'roles' for equal shares"))
        if isinstance(roles, list):
            for j, ref in enumerate(roles):
                if isinstance(ref, str) and ref not in known:
                    add(("activities", i, "roles", j), _("unknown role '{ref}'").format(ref=ref),
                        did_you_mean(ref, known) or _("the file defines roles: list their ids, or define "
                                                      "'{ref}' under 'roles:'").format(ref=ref))
        if isinstance(staffing, dict):
            for ref in staffing:
                if isinstance(ref, str) and ref not in known:
                    add(("activities", i, "staffing", ref), _("unknown role '{ref}'").format(ref=ref),
                        did_you_mean(ref, known) or _("define it under 'roles:'"))
            shares = [v for v in staffing.values() if isinstance(v, int | float) and not isinstance(v, bool)]
            if shares and len(shares) == len(staffing) and abs(sum(shares) - 1) > STAFFING_TOLERANCE:
                add(("activities", i, "staffing"),
                    _("the staffing shares add up to {total}, not 1").format(total=f"{sum(shares):.6g}"),
                    _("each share is the part of the activity's hours a role carries: they add up to 1"))
    for i, role in _items(data, "roles"):
        moves = role.get("can_move_to")
        if not isinstance(moves, list):
            continue
        for j, move in enumerate(moves):
            target = move.get("role") if isinstance(move, dict) else None
            if not isinstance(target, str):
                continue
            if target == role.get("id"):
                add(("roles", i, "can_move_to", j, "role"),
                    _("role '{id}' lists itself in 'can_move_to'").format(id=target),
                    _("list the other roles its people may move to"))
            elif target not in known:
                add(("roles", i, "can_move_to", j, "role"), _("unknown role '{ref}'").format(ref=target),
                    did_you_mean(target, known) or _("define it under 'roles:'"))
    return out


@functools.cache
def _prior_keys() -> tuple[frozenset[str], frozenset[str]]:
    """Archetype keys and occupation codes, read once (the seed functions return fresh copies each call)."""
    from .. import seeds

    return frozenset(seeds.archetypes()), frozenset(seeds.occupations())


def _check_priors(item: dict[str, Any], loc: tuple[int | str, ...], add: Any) -> None:
    archetype = item.get("archetype")
    occupation = item.get("occupation")
    if not isinstance(archetype, str) and not isinstance(occupation, str):
        return
    known, codes = _prior_keys()
    if isinstance(archetype, str) and archetype not in known:
        add((*loc, "archetype"), _("unknown archetype '{ref}'").format(ref=archetype),
            did_you_mean(archetype, known) or _("list them with: relmap archetypes"))
    if isinstance(occupation, str) and occupation not in codes and f"{occupation}.00" not in codes:
        add((*loc, "occupation"), _("unknown occupation code '{ref}'").format(ref=occupation),
            did_you_mean(occupation, codes) or _("find codes with: relmap archetypes --search WORD"))


def _check_onet_tasks(act: dict[str, Any], loc: tuple[int | str, ...], add: Any) -> None:
    """O*NET task ids that exist: in a task list (any occupation), in ``from_occupation`` shares (that occupation's).

    The task table is read only when the activity names an O*NET task.
    """
    tasks = act.get("tasks")
    occupation = act.get("occupation")
    code = occupation if isinstance(occupation, str) else None
    if isinstance(tasks, list):
        refs = [((*loc, "tasks", j, "onet_task"), t["onet_task"]) for j, t in enumerate(tasks)
                if isinstance(t, dict) and type(t.get("onet_task")) is int]
        pool: set[int] | None = None
    elif isinstance(tasks, dict) and isinstance(tasks.get("shares"), list) and code is not None:
        refs = [((*loc, "tasks", "shares", j, "onet_task"), t["onet_task"]) for j, t in enumerate(tasks["shares"])
                if isinstance(t, dict) and type(t.get("onet_task")) is int]
        from ..seeds.tasks import core_tasks, occupation_tasks

        chosen = core_tasks(code) if tasks.get("from_occupation") != "all" else occupation_tasks(code)
        pool = {t.task_id for t in chosen}
    else:
        return
    if not refs:
        return
    from ..seeds.tasks import occupation_tasks, onet_task

    for where, task_id in refs:
        found = onet_task(task_id)
        if found is not None and (pool is None or task_id in pool):
            continue
        near = pool if pool is not None else {t.task_id for t in occupation_tasks(code)} if code else set()
        hint = did_you_mean(str(task_id), (str(n) for n in near)) if near else ""
        if found is not None:
            add(where, _("O*NET task {id} is not among the tasks taken from occupation {code}").format(
                id=task_id, code=code), hint or _("list them with: relmap tasks {code}").format(code=code))
        else:
            add(where, _("unknown O*NET task {id}").format(id=task_id),
                hint or _("find task ids with: relmap tasks CODE, or relmap tasks --search WORDS"))


def validate_document(doc: Document) -> m.ValueChain:
    """Validate a loaded document; raise :class:`InputError` with every problem found."""
    with paused_gc():
        return _validate_document(doc)


def _validate_document(doc: Document) -> m.ValueChain:
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.path, 1, 1,
                                  _("the top level must be a mapping (key: value lines), got {value}").format(
                                      value=_short(doc.data)),
                                  _("start with 'relmap: 1', then 'company:' and 'activities:'"))])
    problems: list[Problem] = []
    version = doc.data.get("relmap")
    if "relmap" not in doc.data:
        problems.append(Problem(doc.path, 1, 1, _("missing 'relmap: 1' (the format version)"),
                                _("add the line 'relmap: 1' at the top of the file")))
    elif version != 1 or isinstance(version, bool):
        line, col = locate(doc.root, ("relmap",))
        problems.append(Problem(doc.path, line, col,
                                _("unsupported format version {value}").format(value=_short(version)),
                                _("this relmap reads format version 1: write 'relmap: 1'")))
    result: m.ValueChain | None = None
    try:
        result = m.ValueChain.model_validate(doc.data)
    except ValidationError as exc:
        # the format version was checked above, with its own message
        problems.extend(_pydantic_problems(doc, exc, skip=frozenset({"relmap"})))
    problems.extend(reference_problems(doc))
    if problems or result is None:
        raise InputError(problems)
    return result


def warning_problems(doc: Document, chain: m.ValueChain) -> list[Problem]:
    """Warnings on a valid file (exit 0): automatability or relational values given exactly on a threshold.

    A point estimate equal to its threshold (``relational: medium`` is exactly
    0.5, the default τr; a ``[0, 1]`` "don't know" range has midpoint 0.5)
    puts the activity's quadrant on the line. The analysis flags every
    activity within ``thresholds.borderline`` as ``borderline``; this says
    where, in the file, the values that sit on the line are.
    """
    out: list[Problem] = []
    t = chain.thresholds
    items = dict(_items(doc.data, "activities"))
    for i, act in enumerate(chain.activities):
        if i not in items:
            continue
        checks: list[tuple[str, Any, float, str]] = []
        if act.automatability is not None:
            checks.append(("automatability", act.automatability, t.automatable, _("automatability threshold")))
        if not isinstance(act.relational, m.Rubric):
            checks.append(("relational", act.relational, t.relational, _("relational threshold")))
        for key, value, tau, what in checks:
            point = m.RELATIONAL_WORDS[value] if isinstance(value, str) else m.as_triangle(value)[1]
            if abs(point - tau) > 1e-9:
                continue
            line, col = locate(doc.root, ("activities", i, key))
            hint = (_("score the seven dimensions of the rubric instead of 'medium' (see relmap init), "
                      "or say 'low' or 'high'") if key == "relational"
                    else _("check the estimate, or split the activity into tasks with their own shares"))
            out.append(Problem(doc.path, line, col,
                               _("warning: {key} of '{id}' is {value}, on the {what} ({tau}): its quadrant is "
                                 "a judgement call").format(key=key, id=act.id, value=f"{point:g}", what=what,
                                                           tau=f"{tau:g}"), hint))
    out.extend(_idle_roles(doc, chain))
    return sorted(out)


def _idle_roles(doc: Document, chain: m.ValueChain) -> list[Problem]:
    """Warnings: a role that staffs no activity (its figures are all 0)."""
    used = {ref for act in chain.activities for ref in (act.staffing or act.roles)}
    out: list[Problem] = []
    for i, role in enumerate(chain.roles):
        if role.id not in used:
            line, col = locate(doc.root, ("roles", i, "id"))
            out.append(Problem(doc.path, line, col,
                               _("warning: role '{id}' staffs no activity").format(id=role.id),
                               _("name it in an activity's 'roles' or 'staffing', or remove it")))
    return out


def load_with_warnings(path: str | Path, *, max_bytes: int = MAX_BYTES) -> tuple[m.ValueChain, list[Problem]]:
    """:func:`load`, plus the warnings of :func:`warning_problems` (a valid file may still have some)."""
    doc = load_document(path, max_bytes=max_bytes)
    chain = validate_document(doc)
    return chain, warning_problems(doc, chain)


def load(path: str | Path, *, max_bytes: int = MAX_BYTES) -> m.ValueChain:
    """Read, parse and validate a company file.

    Example:
        >>> chain = load("examples/hotel-group/company.yaml")  # doctest: +SKIP
        >>> len(chain.activities)  # doctest: +SKIP

    Raises:
        InputError: with every problem found, each at ``file:line:column``.
    """
    return validate_document(load_document(path, max_bytes=max_bytes))


def loads(text: str, name: str = "<string>") -> m.ValueChain:
    """Validate YAML text (same checks as :func:`load`)."""
    return validate_document(parse_text(text, name))

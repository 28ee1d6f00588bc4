"""Read and validate the knowledge-base data files.

The data directory holds five TOML files: ``roles.toml``, ``steps.toml``,
``artefacts.toml``, ``guidance.toml`` (principles, failures, tips, concepts) and
``sources.toml`` (the sections of the domain reference that quiz questions cite).
Every problem found raises :class:`sop_sim.errors.KnowledgeError` naming the file,
the entry and what is wrong, e.g.
``steps.toml: step 'demand_review': leads: unknown role 'sails'``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sop_sim.errors import KnowledgeError
from sop_sim.knowledge.base import Artefact, Entry, KnowledgeBase, Role, Step
from sop_sim.safefile import MAX_DATA_BYTES, read_toml

DATA_DIR = Path(__file__).parent / "data"
FILES = ("roles.toml", "steps.toml", "artefacts.toml", "guidance.toml", "sources.toml")
AUTHORITIES = ("prepare", "propose", "recommend", "decide")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")

# field -> (type, required) per table; unknown fields are errors (they catch typos)
_STR, _LIST, _INT, _BOOL = str, list, int, bool
_SCHEMAS: dict[str, dict[str, tuple[type, bool]]] = {
    "role": {
        "id": (_STR, True), "name": (_STR, True), "description": (_STR, True),
        "examples": (_STR, False), "mission": (_STR, True),
        "responsibilities": (_LIST, True), "conflicts": (_LIST, True),
    },
    "step": {
        "id": (_STR, True), "order": (_INT, True), "name": (_STR, True),
        "description": (_STR, True), "day": (_INT, True), "last_day": (_INT, False),
        "leads": (_LIST, True), "lead_verb": (_STR, False), "facilitator": (_STR, True),
        "named_roles": (_LIST, True), "participants": (_LIST, True), "key_output": (_STR, True),
        "outputs": (_LIST, True), "company_outputs": (_LIST, False),
        "inputs": (_LIST, True), "authority": (_STR, True),
    },
    "artefact": {
        "id": (_STR, True), "name": (_STR, True), "description": (_STR, True),
        "is_plan": (_BOOL, True), "owners": (_LIST, True), "approvers": (_LIST, False),
        "practice": (_BOOL, False),
    },
    "section": {"id": (_STR, True), "title": (_STR, True)},
    "principle": {"id": (_STR, True), "name": (_STR, True), "description": (_STR, True)},
    "failure": {"id": (_STR, True), "name": (_STR, True), "description": (_STR, True)},
    "tip": {
        "id": (_STR, True), "number": (_INT, True), "name": (_STR, True),
        "description": (_STR, True),
    },
    "concept": {"id": (_STR, True), "name": (_STR, True), "description": (_STR, True)},
}
_TABLES = {
    "roles.toml": ("role",),
    "steps.toml": ("step",),
    "artefacts.toml": ("artefact",),
    "guidance.toml": ("principle", "failure", "tip", "concept"),
    "sources.toml": ("section",),
}
_SECTION_ID = re.compile(r"^[a-z]+(\.[a-z][a-z0-9_]*)?$")


class _Problem:
    """Builds KnowledgeError messages that name the file and the entry."""

    def __init__(self, file: str, kind: str, ident: object) -> None:
        self.where = f"{file}: {kind} {ident!r}"

    def __call__(self, problem: str) -> KnowledgeError:
        return KnowledgeError(f"{self.where}: {problem}")


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise KnowledgeError(f"{path.name}: file not found in {path.parent}")
    # bounded, regular files only, deep nesting a one-line error (sop_sim.safefile)
    return read_toml(path, what="knowledge file", limit=MAX_DATA_BYTES, error=KnowledgeError)


def _check_fields(entry: Any, kind: str, file: str, index: int) -> _Problem:
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{file}: {kind} #{index + 1}: expected a table")
    problem = _Problem(file, kind, entry.get("id", f"#{index + 1}"))
    schema = _SCHEMAS[kind]
    for field, (typ, required) in schema.items():
        if field not in entry:
            if required:
                raise problem(f"missing field {field!r}")
            continue
        value = entry[field]
        if typ is _INT and isinstance(value, bool) or not isinstance(value, typ):
            raise problem(f"field {field!r} must be a {typ.__name__}, got {value!r}")
        if typ is _LIST and not all(isinstance(v, str) for v in value):
            raise problem(f"field {field!r} must be a list of strings")
        if typ is _STR and not value.strip():
            raise problem(f"field {field!r} is empty")
    extra = sorted(set(entry) - set(schema))
    if extra:
        raise problem(f"unknown field(s) {', '.join(extra)}; allowed: {', '.join(schema)}")
    if kind == "section":
        if not _SECTION_ID.match(entry["id"]):
            raise problem("a section id looks like 'role.finance' or 'summary'")
    elif not _ID.match(entry["id"]):
        raise problem("id must be lower_snake_case letters, digits and underscores")
    return problem


def _refs(problem: _Problem, field: str, values: list[str], known: dict[str, Any], what: str) -> frozenset[str]:
    for v in values:
        if v not in known:
            raise problem(f"{field}: unknown {what} {v!r}; valid: {', '.join(known)}")
    if len(set(values)) != len(values):
        raise problem(f"{field}: lists the same {what} twice")
    return frozenset(values)


def _collect(data: dict[str, Any], kind: str, file: str) -> dict[str, tuple[_Problem, dict]]:
    raw = data.get(kind)
    if not isinstance(raw, list) or not raw:
        raise KnowledgeError(f"{file}: no [[{kind}]] entries")
    out: dict[str, tuple[_Problem, dict]] = {}
    for i, entry in enumerate(raw):
        problem = _check_fields(entry, kind, file, i)
        if entry["id"] in out:
            raise problem("duplicate id")
        out[entry["id"]] = (problem, entry)
    return out


def _build(data_dir: Path) -> KnowledgeBase:
    raw = {name: _read(data_dir / name) for name in FILES}
    tables: dict[str, dict[str, tuple[_Problem, dict]]] = {}
    for file, kinds in _TABLES.items():
        for kind in kinds:
            tables[kind] = _collect(raw[file], kind, file)

    roles = {
        rid: Role(
            id=rid, name=e["name"], description=e["description"],
            examples=e.get("examples", ""), mission=e["mission"],
            responsibilities=tuple(e["responsibilities"]), conflicts=tuple(e["conflicts"]),
        )
        for rid, (_, e) in tables["role"].items()
    }
    for rid, (problem, _) in tables["role"].items():
        if not roles[rid].responsibilities:
            raise problem("needs at least one responsibility")

    artefacts: dict[str, Artefact] = {}
    for aid, (problem, e) in tables["artefact"].items():
        owners = _refs(problem, "owners", e["owners"], roles, "role")
        if not owners and not e["is_plan"]:
            raise problem("a document that is not a plan needs at least one owner")
        artefacts[aid] = Artefact(
            id=aid, name=e["name"], description=e["description"], is_plan=e["is_plan"],
            owners=owners, approvers=_refs(problem, "approvers", e.get("approvers", []), roles, "role"),
            practice=e.get("practice", False),
        )

    steps: dict[str, Step] = {}
    for n, (sid, (problem, e)) in enumerate(tables["step"].items(), start=1):
        if e["order"] != n:
            raise problem(f"order is {e['order']} but the step is number {n} in the file")
        leads = _refs(problem, "leads", e["leads"], roles, "role")
        named = _refs(problem, "named_roles", e["named_roles"], roles, "role")
        participants = _refs(problem, "participants", e["participants"], roles, "role")
        if leads and "lead_verb" not in e:
            raise problem("a step with leads needs a lead_verb")
        if not leads and "lead_verb" in e:
            raise problem("lead_verb is only for a step with leads")
        if not leads <= named:
            raise problem(f"leads {sorted(leads - named)} missing from named_roles")
        if not named <= participants:
            raise problem(f"named_roles {sorted(named - participants)} missing from participants")
        facilitator = e["facilitator"]
        if facilitator not in roles:
            raise problem(f"facilitator: unknown role {facilitator!r}")
        if facilitator not in named:
            raise problem(f"facilitator {facilitator!r} missing from named_roles")
        if e["key_output"] not in artefacts:
            raise problem(f"key_output: unknown artefact {e['key_output']!r}; valid: {', '.join(artefacts)}")
        outputs = _refs(problem, "outputs", e["outputs"], artefacts, "artefact")
        if e["key_output"] not in outputs:
            raise problem("key_output must also be listed in outputs")
        company_outputs = _refs(problem, "company_outputs", e.get("company_outputs", []), artefacts, "artefact")
        for a in outputs:
            if artefacts[a].practice:
                raise problem(f"outputs: {a!r} is a company practice document; list it in company_outputs")
        if company_outputs & outputs:
            raise problem("an artefact is listed in both outputs and company_outputs")
        if e["authority"] not in AUTHORITIES:
            raise problem(f"authority {e['authority']!r} not one of {', '.join(AUTHORITIES)}")
        last_day = e.get("last_day", e["day"])
        if not 1 <= e["day"] <= last_day <= 31:
            raise problem("day and last_day must satisfy 1 <= day <= last_day <= 31")
        steps[sid] = Step(
            id=sid, order=n, name=e["name"], description=e["description"], day=e["day"],
            last_day=last_day, leads=leads, lead_verb=e.get("lead_verb", ""), facilitator=facilitator,
            named_roles=named, participants=participants, key_output=e["key_output"], outputs=outputs,
            company_outputs=company_outputs,
            inputs=_refs(problem, "inputs", e["inputs"], artefacts, "artefact"),
            authority=e["authority"],
        )

    entries: dict[str, dict[str, Entry]] = {}
    for kind in ("principle", "failure", "tip", "concept"):
        entries[kind] = {
            eid: Entry(kind=kind, id=eid, name=e["name"], description=e["description"],
                       number=e.get("number"))
            for eid, (_, e) in tables[kind].items()
        }
    numbers = [t.number for t in entries["tip"].values()]
    if numbers != list(range(1, len(numbers) + 1)):
        raise KnowledgeError(f"guidance.toml: tip numbers must run 1, 2, 3, ... in order, got {numbers}")

    # plain ids must be unique across kinds so kb.name(id) is unambiguous
    seen: dict[str, str] = {}
    for kind, ids in (("role", roles), ("step", steps), ("artefact", artefacts),
                      ("principle", entries["principle"]), ("failure", entries["failure"]),
                      ("tip", entries["tip"])):
        for i in ids:
            if i in seen:
                raise KnowledgeError(f"id {i!r} is used by both a {seen[i]} and a {kind}; ids must be unique")
            seen[i] = kind

    sections = {sid: e["title"] for sid, (_, e) in tables["section"].items()}

    frozen = MappingProxyType
    return KnowledgeBase(
        roles=frozen(roles), steps=frozen(steps), artefacts=frozen(artefacts),
        entries=frozen({k: frozen(v) for k, v in entries.items()}), source=str(data_dir),
        sections=frozen(sections),
    )


@functools.cache
def _default_kb() -> KnowledgeBase:
    return _build(DATA_DIR)


def load_kb(path: str | Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base.

    Parameters
    ----------
    path
        A directory holding the five data files. ``None`` (the default) uses the
        files shipped with the package; that result is cached, so every caller
        shares one immutable instance. An explicit path is always read afresh.

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    KnowledgeError
        If a file is missing, is not valid TOML, or has an entry with a missing,
        mistyped or dangling field. The message names the file, the entry and the
        problem.
    """
    if path is None:
        return _default_kb()
    return _build(Path(path))


def name_of(ident: str) -> str:
    """Display name of a role, step, artefact or meeting id in the shipped knowledge base.

    An id the knowledge base does not know reads as itself with spaces for underscores,
    so every surface (notebook tables, classroom pages) names things the same way.
    """
    try:
        return _default_kb().name(ident)
    except KeyError:
        return ident.replace("_", " ")

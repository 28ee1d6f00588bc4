"""The exercise registry: ``registry.toml`` loaded once and validated.

>>> from sop_sim.exercises.registry import EXERCISES, question
>>> EXERCISES["raci"].notebook
'01_raci.ipynb'
>>> question("raci.demand_plan").kind
'set'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sop_sim.errors import KnowledgeError
from sop_sim.safefile import MAX_DATA_BYTES, read_toml

REGISTRY_FILE = Path(__file__).with_name("registry.toml")

#: Question kinds and the extra keys each needs.
KINDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "number": ("unit", "tolerance", "tolerance_kind"),
    "integer": (),
    "month": (),
    "choice": (),
    "set": ("universe",),
    "sequence": ("universe",),
    "mapping": ("keys", "values"),
    "scenario": (),
})
UNIVERSES = ("roles", "steps", "artefacts")
UNITS = ("share", "money", "units")
MIN_MINUTES, MAX_MINUTES = 15, 30


@dataclass(frozen=True)
class Question:
    """One answer cell of an exercise: what kind of answer it takes and how it is judged.

    ``answer`` is set only for fixed answers (conceptual multiple choice); every other
    expected value is computed by :mod:`sop_sim.exercises.expected`.
    """

    id: str
    kind: str
    hint: str
    unit: str | None = None
    tolerance: float | None = None
    tolerance_kind: str | None = None
    universe: str | None = None
    keys: str | None = None
    values: str | None = None
    choices: tuple[str, ...] | None = None
    choices_from: str | None = None
    answer: Any = None

    @property
    def exercise(self) -> str:
        """The id of the exercise this question belongs to."""
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Exercise:
    """One exercise notebook: what it teaches, for which exam topic, and its questions."""

    id: str
    title: str
    objective: str
    exam_topic: str
    minutes: int
    notebook: str
    questions: tuple[Question, ...]

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


def _fail(where: str, what: str) -> KnowledgeError:
    return KnowledgeError(f"{REGISTRY_FILE.name}: {where}: {what}")


def _question(raw: dict[str, Any], exercise_id: str) -> Question:
    qid = raw.get("id", "?")
    if not isinstance(qid, str) or not qid.startswith(exercise_id + "."):
        raise _fail(f"question {qid!r}", f"id must start with '{exercise_id}.'")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(qid, f"kind={kind!r} is unknown: allowed {list(KINDS)}")
    missing = [k for k in ("hint", *KINDS[kind]) if k not in raw]
    if missing:
        raise _fail(qid, f"missing {missing}")
    known = {f for f in Question.__dataclass_fields__}
    extra = sorted(set(raw) - known)
    if extra:
        raise _fail(qid, f"unknown keys {extra}")
    if kind == "number":
        if raw["unit"] not in UNITS or raw["tolerance_kind"] not in ("abs", "rel") or not raw["tolerance"] > 0:
            raise _fail(qid, f"unit in {list(UNITS)}, tolerance_kind 'abs' or 'rel' and tolerance > 0 required")
    for key in ("universe", "keys", "values", "choices_from"):
        if raw.get(key) is not None and raw[key] not in UNIVERSES:
            raise _fail(qid, f"{key}={raw[key]!r} is unknown: allowed {list(UNIVERSES)}")
    if kind == "choice" and ("choices" in raw) == ("choices_from" in raw):
        raise _fail(qid, "a choice question needs exactly one of 'choices' or 'choices_from'")
    if raw.get("answer") is not None and kind == "choice" and "choices" in raw and raw["answer"] not in raw["choices"]:
        raise _fail(qid, f"answer {raw['answer']!r} is not among its choices")
    if "choices" in raw:
        raw = {**raw, "choices": tuple(raw["choices"])}
    return Question(**raw)


def load_registry(path: Path = REGISTRY_FILE) -> Mapping[str, Exercise]:
    """Read and validate the registry; exercise id -> :class:`Exercise`, in file order.

    Raises
    ------
    KnowledgeError
        Naming the first entry that is wrong and what is allowed.
    """
    # bounded, regular files only, bad TOML a one-line KnowledgeError (sop_sim.safefile)
    data = read_toml(path, what="exercise registry", limit=MAX_DATA_BYTES, error=KnowledgeError)
    out: dict[str, Exercise] = {}
    notebooks: set[str] = set()
    for raw in data.get("exercise", []):
        eid = raw.get("id")
        if not isinstance(eid, str) or eid in out:
            raise _fail(f"exercise {eid!r}", "id missing or repeated")
        need = ("title", "objective", "exam_topic", "minutes", "notebook", "question")
        missing = [k for k in need if k not in raw]
        if missing:
            raise _fail(eid, f"missing {missing}")
        if not MIN_MINUTES <= raw["minutes"] <= MAX_MINUTES:
            raise _fail(eid, f"minutes={raw['minutes']} is outside {MIN_MINUTES}-{MAX_MINUTES}")
        nb = raw["notebook"]
        if not (nb.endswith(".ipynb") and nb[:2].isdigit() and nb[2] == "_") or nb in notebooks:
            raise _fail(eid, f"notebook={nb!r}: allowed a unique 'NN_name.ipynb'")
        notebooks.add(nb)
        questions = tuple(_question(dict(q), eid) for q in raw["question"])
        out[eid] = Exercise(eid, raw["title"], raw["objective"], raw["exam_topic"], int(raw["minutes"]), nb,
                            questions)
    return MappingProxyType(out)


EXERCISES: Mapping[str, Exercise] = load_registry()
QUESTIONS: Mapping[str, Question] = MappingProxyType({q.id: q for e in EXERCISES.values() for q in e.questions})


def question(question_id: str) -> Question:
    """Look up a question by id (``"<exercise>.<name>"``); KeyError if unknown."""
    return QUESTIONS[question_id]


def exercise_table() -> Any:
    """The exercises as a DataFrame: id, title, objective, exam topic, minutes, notebook."""
    import pandas as pd

    rows = [{"id": e.id, "title": e.title, "objective": e.objective, "exam_topic": e.exam_topic,
             "minutes": e.minutes, "notebook": e.notebook, "questions": len(e.questions)}
            for e in EXERCISES.values()]
    return pd.DataFrame(rows).set_index("id")

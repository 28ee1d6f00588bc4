"""The question bank: questions as data, validated against the knowledge base.

Questions live in ``sop_sim/quiz/data/*.toml`` as ``[[question]]`` tables::

    [[question]]
    id = "own-demand-plan"            # stable, unique across all files
    kind = "single_choice"            # see KINDS
    difficulty = 1                    # 1 easy, 2 medium, 3 hard
    topics = ["role:sales", "tip:owns_what"]
    source = ["tip.owns_what", "role.sales"]  # reference sections that support the key
    scenario = false                  # true: describes a situation, not a definition
    prompt = "Who owns the demand plan?"
    options = ["Sales and marketing", "Operations", "Finance"]
    answer = 0                        # see below
    explanation = "Why the right answer is right."
    checks = [{relation = "owners", subject = "demand_plan", expect = ["sales", "marketing"]}]

    [question.why_wrong]              # why each wrong option is wrong
    1 = "Operations answers the demand plan with the supply plan."
    2 = "Finance puts the plan into money; it does not own the demand figures."

``answer`` per kind: ``single_choice`` an option index; ``multi_select`` a list of
option indices; ``true_false`` a boolean (no options); ``ordering`` omitted, the
options are written in the right order; ``matching`` omitted, ``left`` and
``right`` are written as matching pairs (``right[i]`` goes with ``left[i]``) and
optional ``distractors`` extend the right column.

``source`` names the section(s) of the domain reference that support the key, by
the ids listed in ``sop_sim/knowledge/data/sources.toml``; an unknown id is an
error. Every wrong option of a single-choice or multi-select question needs its
own ``why_wrong`` text, shown to the learner who picks it.

``checks`` state the facts a question relies on as knowledge-base queries; see
:mod:`sop_sim.quiz.checks`. A malformed question raises
:class:`~sop_sim.errors.KnowledgeError` naming its file and id.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sop_sim.errors import KnowledgeError
from sop_sim.knowledge import KnowledgeBase, load_kb
from sop_sim.quiz.checks import Check, parse_checks
from sop_sim.safefile import MAX_DATA_BYTES, read_toml

DATA_DIR = Path(__file__).parent / "data"
KINDS = ("single_choice", "multi_select", "true_false", "ordering", "matching")
DIFFICULTIES = (1, 2, 3)
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FIELDS: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "id": (str, True),
    "kind": (str, True),
    "difficulty": (int, True),
    "topics": (list, True),
    "prompt": (str, True),
    "explanation": (str, True),
    "source": (list, True),
    "scenario": (bool, False),
    "options": (list, False),
    "answer": ((int, list, bool), False),
    "left": (list, False),
    "right": (list, False),
    "distractors": (list, False),
    "why_wrong": (dict, False),
    "checks": (list, False),
}


@dataclass(frozen=True)
class Question:
    """One quiz question, as written in the bank (before shuffling).

    Attributes
    ----------
    answer
        ``int`` (single_choice), ``tuple[int, ...]`` (multi_select, sorted),
        ``bool`` (true_false) or ``None`` (ordering and matching, whose right
        answer is the written order of ``options`` or of ``left``/``right``).
    right
        For matching: the right-hand column, correct partners first (``right[i]``
        matches ``left[i]``) followed by any distractors.
    why_wrong
        Option index -> why that wrong option is wrong (every wrong option of a
        choice question has one).
    source
        Ids of the reference sections that support the key (see
        ``KnowledgeBase.section_ids()``).
    file
        The data file the question came from, or ``"kb"`` when generated.
    """

    id: str
    kind: str
    prompt: str
    topics: tuple[str, ...]
    difficulty: int
    explanation: str
    options: tuple[str, ...] = ()
    answer: int | tuple[int, ...] | bool | None = None
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    why_wrong: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    checks: tuple[Check, ...] = ()
    scenario: bool = False
    source: tuple[str, ...] = ()
    file: str = ""


@dataclass(frozen=True)
class Bank:
    """An immutable, ordered collection of questions with lookups by id and topic."""

    questions: tuple[Question, ...]

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __getitem__(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(f"unknown question id {qid!r}")

    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def topic_counts(self) -> Counter[str]:
        """How many questions test each topic."""
        return Counter(t for q in self.questions for t in q.topics)

    def with_topic(self, topic: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if topic in q.topics)


class _Where:
    def __init__(self, file: str, qid: object) -> None:
        self.where = f"{file}: question {qid!r}"

    def __call__(self, problem: str) -> KnowledgeError:
        return KnowledgeError(f"{self.where}: {problem}")


def _strings(err: _Where, name: str, values: Any, minimum: int) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise err(f"{name} must be a list of non-empty strings")
    if len(values) < minimum:
        raise err(f"{name} needs at least {minimum} entries, has {len(values)}")
    if len(set(values)) != len(values):
        raise err(f"{name} has duplicate entries")
    return tuple(values)


def _index(err: _Where, value: Any, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < n:
        raise err(f"answer {value!r} is not an option index from 0 to {n - 1}")
    return value


def _parse(raw: Any, file: str, position: int, kb: KnowledgeBase) -> Question:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{file}: question #{position}: expected a table")
    err = _Where(file, raw.get("id", f"#{position}"))
    for name, (typ, required) in _FIELDS.items():
        if name not in raw:
            if required:
                raise err(f"missing field {name!r}")
        elif not isinstance(raw[name], typ) or (typ is int and isinstance(raw[name], bool)):
            raise err(f"field {name!r} has the wrong type ({type(raw[name]).__name__})")
    extra = sorted(set(raw) - set(_FIELDS))
    if extra:
        raise err(f"unknown field(s) {', '.join(extra)}; allowed: {', '.join(_FIELDS)}")
    if not _ID.match(raw["id"]):
        raise err("id must use lower-case letters, digits, '-' and '_'")
    kind = raw["kind"]
    if kind not in KINDS:
        raise err(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if raw["difficulty"] not in DIFFICULTIES:
        raise err(f"difficulty must be one of {DIFFICULTIES}")
    for text in ("prompt", "explanation"):
        if not raw[text].strip():
            raise err(f"{text} is empty")
    topics = _strings(err, "topics", raw["topics"], 1)
    source = _strings(err, "source", raw["source"], 1)
    valid_sections = set(kb.section_ids())
    for sec in source:
        if sec not in valid_sections:
            raise err(f"source: unknown reference section {sec!r}; valid: {', '.join(kb.section_ids())}")
    valid_topics = set(kb.topics())
    for t in topics:
        if t not in valid_topics:
            raise err(f"unknown topic {t!r}; topics look like role:<id>, step:<id>, "
                      "principle:<id>, failure:<id>, tip:<id>, concept:<id>")

    options: tuple[str, ...] = ()
    answer: int | tuple[int, ...] | bool | None = None
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    allowed = {"single_choice": {"options", "answer"}, "multi_select": {"options", "answer"},
               "true_false": {"answer"}, "ordering": {"options"},
               "matching": {"left", "right", "distractors"}}[kind]
    misplaced = sorted({"options", "answer", "left", "right", "distractors"} & set(raw) - allowed)
    if misplaced:
        raise err(f"a {kind} question does not take {', '.join(misplaced)}")
    if kind in ("single_choice", "multi_select", "ordering"):
        if "options" not in raw:
            raise err("missing field 'options'")
        options = _strings(err, "options", raw["options"], 3 if kind == "ordering" else 2)
    if kind in ("single_choice", "multi_select", "true_false") and "answer" not in raw:
        raise err("missing field 'answer'")
    if kind == "single_choice":
        answer = _index(err, raw["answer"], len(options))
    elif kind == "multi_select":
        if not isinstance(raw["answer"], list) or not raw["answer"]:
            raise err("a multi_select answer is a non-empty list of option indices")
        picks = [_index(err, v, len(options)) for v in raw["answer"]]
        if len(set(picks)) != len(picks):
            raise err("answer lists an option twice")
        answer = tuple(sorted(picks))
    elif kind == "true_false":
        if not isinstance(raw["answer"], bool):
            raise err("a true_false answer is true or false")
        answer = raw["answer"]
    elif kind == "matching":
        if "left" not in raw or "right" not in raw:
            raise err("a matching question needs 'left' and 'right'")
        left = _strings(err, "left", raw["left"], 2)
        right = tuple(raw["right"])
        if len(right) != len(left):
            raise err(f"right has {len(right)} entries but left has {len(left)}")
        right = _strings(err, "right", list(right) + raw.get("distractors", []), len(left))

    why: dict[int, str] = {}
    for key, text in raw.get("why_wrong", {}).items():
        if not key.isdigit() or int(key) >= len(options) or not isinstance(text, str):
            raise err(f"why_wrong key {key!r} is not an option index with a text")
        idx = int(key)
        if idx == answer or (isinstance(answer, tuple) and idx in answer):
            raise err(f"why_wrong {idx} explains an option that is right")
        why[idx] = text
    if kind in ("single_choice", "multi_select"):
        right_set = {answer} if kind == "single_choice" else set(answer)  # type: ignore[arg-type]
        missing = [i for i in range(len(options)) if i not in right_set and i not in why]
        if missing:
            raise err(f"why_wrong missing for wrong option(s) {', '.join(map(str, missing))}: "
                      "every wrong option needs its own explanation")
    try:
        checks = parse_checks(raw.get("checks", []), kb)
    except ValueError as exc:
        raise err(f"checks: {exc}") from None
    return Question(
        id=raw["id"], kind=kind, prompt=raw["prompt"].strip(), topics=topics,
        difficulty=raw["difficulty"], explanation=raw["explanation"].strip(), options=options,
        answer=answer, left=left, right=right, why_wrong=MappingProxyType(why), checks=checks,
        scenario=raw.get("scenario", False), source=source, file=file,
    )


def _read_dir(data_dir: Path, kb: KnowledgeBase) -> list[Question]:
    files = sorted(data_dir.glob("*.toml"))
    if not files:
        raise KnowledgeError(f"no question files (*.toml) in {data_dir}")
    out: list[Question] = []
    for path in files:
        # bounded, regular files only, deep nesting a one-line error (sop_sim.safefile)
        data = read_toml(path, what="question file", limit=MAX_DATA_BYTES, error=KnowledgeError)
        raw = data.get("question")
        if not isinstance(raw, list):
            raise KnowledgeError(f"{path.name}: no [[question]] entries")
        out.extend(_parse(r, path.name, i, kb) for i, r in enumerate(raw, start=1))
    return out


def build_bank(questions: list[Question]) -> Bank:
    """Check that ids are unique and wrap the questions in a :class:`Bank`."""
    seen: dict[str, str] = {}
    for q in questions:
        if q.id in seen:
            raise KnowledgeError(f"{q.file}: question {q.id!r}: duplicate id (also in {seen[q.id]})")
        seen[q.id] = q.file
    return Bank(tuple(questions))


@functools.cache
def _default_bank() -> Bank:
    return load_bank(DATA_DIR, generated=True)


def load_bank(
    path: str | Path | None = None, *, kb: KnowledgeBase | None = None, generated: bool = True
) -> Bank:
    """Load, validate and return the question bank.

    Parameters
    ----------
    path
        Directory of ``*.toml`` question files; ``None`` uses the bank shipped with
        the package (cached after the first call).
    kb
        Knowledge base that topics and checks are validated against; default
        :func:`~sop_sim.knowledge.load_kb`.
    generated
        Also include the questions generated from the knowledge base (who leads
        each step, key outputs, the cycle order, who owns each artefact).

    Raises
    ------
    KnowledgeError
        A file that is not valid TOML, or a malformed question (the message names
        the file and the question id).
    """
    if path is None and kb is None and generated:
        return _default_bank()
    kb = kb or load_kb()
    questions = _read_dir(Path(path) if path is not None else DATA_DIR, kb)
    if generated:
        from sop_sim.quiz.generate import generate_questions

        questions.extend(generate_questions(kb))
    return build_bank(questions)

"""``check(question_id, answer)``: immediate feedback that never gives the answer away.

The feedback is one of four kinds:

* ``correct``: right, with a line of praise;
* ``wrong``: not right, with a hint that points at the concept (and, for numbers,
  whether the answer is too high or too low, or looks like a percentage);
* ``unanswered``: the cell still holds the placeholder (``...`` or ``None``);
* ``invalid``: the answer has the wrong type or names something unknown; the message
  says what kind of answer the question takes.

Numbers are compared with the tolerance stated in the registry (absolute for shares,
relative for money and units); whole numbers (counts) must match exactly. A month is
answered as a calendar month, ``"Aug Y1"`` (what the tables show), or as the month number
of the result frames (0 = Jan Y1), which is the same month.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sop_sim.calendar import MONTH_ABBR, MONTH_NAMES, month_label
from sop_sim.config import Scenario
from sop_sim.exercises import expected as _expected
from sop_sim.exercises.registry import QUESTIONS, Question
from sop_sim.knowledge import load_kb

STATUSES = ("correct", "wrong", "unanswered", "invalid")
_MARK = {"correct": "✔ Right.", "wrong": "✘ Not yet.", "unanswered": "… Not answered yet.",
         "invalid": "? Cannot check this answer."}


@dataclass(frozen=True)
class Feedback:
    """The result of a check. ``bool(feedback)`` is True only when the answer is right."""

    question: str
    status: str
    message: str

    def __bool__(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        return f"{_MARK[self.status]} {self.message}".strip()

    __repr__ = __str__


def _shown(value: Any) -> str:
    """An answer as the feedback quotes it: text in quotes, numbers as written, anything else by kind.

    Never an object repr: a learner who passes a table, a function or a whole frame reads what
    kind of thing it was ("a DataFrame"), not hundreds of characters of it.
    """
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + " (and more)")
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Real) and not np.isfinite(float(value)):
        return "an empty result (not a number: did a filter select no rows?)"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.6g}"
    if callable(value) and not isinstance(value, type):
        return "a function (call it and pass its result)"
    if isinstance(value, list | tuple | set | frozenset | dict):
        return f"a {type(value).__name__} of {len(value)} values"
    kind = type(value).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


class _Invalid(Exception):
    """Raised inside normalisers: the answer cannot be read as the kind the question takes."""


def _universe(name: str) -> dict[str, str]:
    """Lower-cased id or display name -> id, for roles, steps or artefacts."""
    kb = load_kb()
    ids = {"roles": kb.role_ids, "steps": kb.step_ids, "artefacts": kb.artefact_ids}[name]()
    out = {i: i for i in ids}
    out.update({kb.name(i).lower(): i for i in ids})
    return out


def _one_id(value: Any, universe: str) -> str:
    lookup = _universe(universe)
    if not isinstance(value, str):
        raise _Invalid(f"expected text naming one of the {universe}, got {type(value).__name__}")
    key = value.strip().lower()
    if key not in lookup:
        allowed = sorted(set(lookup.values()))
        raise _Invalid(f"{_shown(value)} is not one of the {universe}; allowed ids: {', '.join(allowed)}")
    return lookup[key]


def _as_items(value: Any, universe: str) -> list[str]:
    if isinstance(value, str):
        return [_one_id(value, universe)]
    if isinstance(value, pd.Series | pd.Index | np.ndarray):
        value = list(value)
    if not isinstance(value, list | tuple | set | frozenset):
        raise _Invalid(f"expected a list of {universe} ids, e.g. ['sales'], got {type(value).__name__}")
    return [_one_id(v, universe) for v in value]


def _as_number(value: Any) -> float:
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray) and np.size(value) == 1:
        value = np.asarray(value).ravel()[0]
    if isinstance(value, bool | np.bool_):
        raise _Invalid("expected a number, got True/False")
    if isinstance(value, str):
        raise _Invalid(f"expected a number, got the text {_shown(value)}: write the number without quotes")
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray | list | tuple):
        raise _Invalid(f"expected one number, got {np.size(value)} values: pick one or add them up")
    if not isinstance(value, numbers.Real) or not np.isfinite(float(value)):
        raise _Invalid(f"expected a number, got {_shown(value)}")
    return float(value)


def _judge_number(q: Question, value: Any, want: float) -> tuple[bool, str]:
    got = _as_number(value)
    tol = q.tolerance * (abs(want) if q.tolerance_kind == "rel" else 1.0)
    if abs(got - want) <= tol:
        return True, ""
    if q.unit == "share" and 1 < abs(got) <= 100 and abs(got / 100 - want) <= tol:
        return False, "That looks like a percentage: give shares as a fraction (0.25 for 25%)."
    return False, "Too high." if got > want else "Too low."


def _judge_integer(value: Any, want: int) -> tuple[bool, str]:
    got = _as_number(value)
    if got != int(got):
        raise _Invalid(f"expected a whole number, got {got:g}")
    if int(got) == want:
        return True, ""
    return False, "Too high." if got > want else "Too low."


_MONTH = re.compile(r"^\s*([a-z]+)\.?\s*(?:y|year|of\s+year)\s*(\d+)\s*$", re.IGNORECASE)


def _as_month(value: Any) -> int:
    """A calendar month ("Aug Y1", "August of year 1") or a frame's month number, as the model's month."""
    if isinstance(value, str):
        m = _MONTH.match(value)
        names = {n.lower(): i for i, n in enumerate(MONTH_ABBR)} | {n.lower(): i for i, n in enumerate(MONTH_NAMES)}
        if not m or m.group(1).lower() not in names or int(m.group(2)) < 1:
            raise _Invalid(f"expected a calendar month such as 'Aug Y1', got {_shown(value)}")
        return (int(m.group(2)) - 1) * 12 + names[m.group(1).lower()]
    got = _as_number(value)
    if got != int(got):
        raise _Invalid(f"expected a calendar month such as 'Aug Y1' (or a whole month number), got {got:g}")
    return int(got)


def _judge_month(value: Any, want: int) -> tuple[bool, str]:
    got = _as_month(value)
    if got == want:
        return True, ""
    return False, (f"{month_label(got)} is too late." if got > want else f"{month_label(got)} is too early.")


def _aliases(choice: str) -> set[str]:
    """The ways a learner may write a choice: its id, the id in words, and the label the tables show."""
    from sop_sim.exercises.views import ISSUE_KINDS
    from sop_sim.fva import VERSION_LABELS
    from sop_sim.metrics import KPIS

    out = {choice.lower(), choice.replace("_", " ").lower()}
    if choice in KPIS:
        out.add(KPIS[choice].label.lower())
    for labels in (VERSION_LABELS, ISSUE_KINDS):
        if choice in labels:
            out.add(labels[choice].lower())
    return out


def _judge_choice(q: Question, value: Any, want: Any) -> tuple[bool, str]:
    allowed = q.choices or tuple(_universe(q.choices_from).values())
    key = value.strip().lower() if isinstance(value, str) else None
    lookup = {alias: a.lower() for a in allowed for alias in _aliases(a)}
    if q.choices_from:  # roles, steps or artefacts: their display names too
        lookup.update({k: v.lower() for k, v in _universe(q.choices_from).items()})
    if key not in lookup:
        shown = q.choices or sorted(set(allowed))
        raise _Invalid(f"expected one of: {', '.join(map(repr, shown))}; got {_shown(value)}")
    got = lookup[key]
    accepted = want if isinstance(want, frozenset) else {want}
    return got in {a.lower() for a in accepted}, ""


def _judge_set(q: Question, value: Any, want: frozenset[str]) -> tuple[bool, str]:
    got = set(_as_items(value, q.universe))
    if got == want:
        return True, ""
    right, extra = len(got & want), len(got - want)
    return False, f"{right} of your {len(got)} belong, {extra} do not, and {len(want - got)} are missing."


def _judge_sequence(q: Question, value: Any, want: tuple[str, ...]) -> tuple[bool, str]:
    if isinstance(value, set | frozenset):
        raise _Invalid("a set has no order: give a list, e.g. ['a', 'b', ...]")
    got = tuple(_as_items(value, q.universe))
    if got == want:
        return True, ""
    if sorted(got) != sorted(want):
        return False, f"Give each of the {len(want)} items exactly once."
    lead = next(i for i, (a, b) in enumerate(zip(got, want, strict=True)) if a != b)
    return False, f"The first {lead} are in the right place." if lead else "The first one is already out of place."


def _judge_mapping(q: Question, value: Any, want: dict[str, str]) -> tuple[bool, str]:
    if not isinstance(value, Mapping):
        raise _Invalid(f"expected a dict like {{'{next(iter(want))}': '...'}}, got {type(value).__name__}")
    got = {_one_id(k, q.keys): _one_id(v, q.values) for k, v in value.items()}
    missing = [k for k in want if k not in got]
    if missing:
        return False, f"Give an entry for every key; missing: {', '.join(missing)}."
    wrong = [k for k in want if got[k] != want[k]]
    if not wrong:
        return True, ""
    return False, f"{len(want) - len(wrong)} of {len(want)} right; look again at: {', '.join(wrong)}."


def check(question_id: str, answer: Any) -> Feedback:
    """Check an answer to an exercise question and say what to look at if it is wrong.

    Parameters
    ----------
    question_id:
        ``"<exercise>.<question>"``, as written in the notebook's check cell.
    answer:
        The learner's answer; ``...`` or ``None`` means "not answered yet".

    Returns
    -------
    Feedback
        ``status`` in :data:`STATUSES` and a one-line ``message``; prints as text.
        Never raises for a bad answer: a wrong type gives ``invalid`` feedback.
    """
    q = QUESTIONS.get(question_id) if isinstance(question_id, str) else None
    if q is None:
        return Feedback(str(question_id), "invalid",
                        f"there is no question {question_id!r}; check the id in the notebook's check cell.")
    if answer is ... or answer is None:
        return Feedback(q.id, "unanswered", "Replace the `...` with your answer and run the cell again.")
    try:
        if q.kind == "scenario":
            if not isinstance(answer, Scenario):
                raise _Invalid("expected a sop_sim.Scenario, e.g. dataclasses.replace(start, silos=False)")
            ok, detail = _expected.judge_remedy(answer)
            return Feedback(q.id, "correct" if ok else "wrong", detail if ok else f"{detail} {q.hint}")
        want = q.answer if q.answer is not None else _expected.EXPECTED[q.id]()
        judge = {"number": lambda: _judge_number(q, answer, want),
                 "integer": lambda: _judge_integer(answer, want),
                 "month": lambda: _judge_month(answer, want),
                 "choice": lambda: _judge_choice(q, answer, want),
                 "set": lambda: _judge_set(q, answer, want),
                 "sequence": lambda: _judge_sequence(q, answer, want),
                 "mapping": lambda: _judge_mapping(q, answer, want)}[q.kind]
        ok, detail = judge()
    except _Invalid as exc:
        text = str(exc)
        return Feedback(q.id, "invalid", f"{text[:1].upper()}{text[1:]}.")
    if ok and q.kind == "month":  # name the month, however it was given
        return Feedback(q.id, "correct", f"{month_label(want)}. Well done.")
    if ok:
        return Feedback(q.id, "correct", "Well done.")
    return Feedback(q.id, "wrong", f"{detail} Hint: {q.hint}".strip())

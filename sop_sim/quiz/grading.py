"""Presenting questions (reproducible shuffles) and grading answers.

Answers are given in *display* terms, i.e. indices into
:attr:`Presented.options` as the learner sees them:

================  =========================================================
kind              response
================  =========================================================
single_choice     ``int``: the chosen option
multi_select      a list/tuple/set of ``int``: every ticked option (>= 1)
true_false        ``bool``
ordering          a list of ``int``: the options in the order the learner
                  puts them, first to last (a permutation of all indices)
matching          a list of ``int``, one per ``left`` item: the index of the
                  ``options`` entry chosen for it (repeats allowed)
================  =========================================================

Partial credit (score between 0 and 1; only 1.0 counts as correct):

* single_choice, true_false: 1 or 0.
* multi_select: (right options ticked - wrong options ticked) / number of right
  options, never below 0. Ticking everything therefore earns nothing.
* ordering: the share of item pairs placed in the right relative order (a
  Kendall-tau style score): swapping two neighbours of five costs 0.1, a fully
  reversed list scores 0.
* matching: the share of left items matched to their right partner.

A response of the wrong type or out of range raises
:class:`~sop_sim.errors.AnswerError`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from numbers import Integral
from typing import Any

from sop_sim.errors import AnswerError
from sop_sim.quiz.bank import Question

Response = int | bool | Sequence[int]


@dataclass(frozen=True)
class Presented:
    """A question as one learner sees it: options in a fixed, shuffled order.

    Attributes
    ----------
    options
        What the learner chooses from, in display order (for matching: the
        right-hand column).
    order
        ``order[i]`` is the bank index of display option ``i``.
    left
        For matching: the items to match, in display order (not shuffled).
    """

    question: Question
    options: tuple[str, ...]
    order: tuple[int, ...]
    left: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def prompt(self) -> str:
        return self.question.prompt

    @property
    def topics(self) -> tuple[str, ...]:
        return self.question.topics

    def correct_response(self) -> Response:
        """The full-credit response, in display terms."""
        q = self.question
        where = {bank: shown for shown, bank in enumerate(self.order)}
        if q.kind == "single_choice":
            return where[q.answer]  # type: ignore[index]
        if q.kind == "multi_select":
            return sorted(where[a] for a in q.answer)  # type: ignore[union-attr]
        if q.kind == "true_false":
            return bool(q.answer)
        # ordering and matching: bank index i is the right item for position i
        return [where[i] for i in range(len(q.left) if q.kind == "matching" else len(q.options))]

    def response_text(self, response: Response) -> str:
        """A (validated) response in words, as the learner chose it, for feedback."""
        r = validate(self, response)
        if self.kind == "true_false":
            return "True" if r else "False"
        if self.kind == "single_choice":
            return self.options[r]  # type: ignore[index]
        if self.kind == "multi_select":
            return "; ".join(self.options[i] for i in r)  # type: ignore[union-attr]
        if self.kind == "ordering":
            return " -> ".join(self.options[i] for i in r)  # type: ignore[union-attr]
        return "; ".join(f"{a} = {self.options[i]}" for a, i in zip(self.left, r, strict=True))  # type: ignore[arg-type]

    def correct_text(self) -> str:
        """The right answer in words, for feedback."""
        q = self.question
        if q.kind == "true_false":
            return "True" if q.answer else "False"
        if q.kind == "single_choice":
            return q.options[q.answer]  # type: ignore[index]
        if q.kind == "multi_select":
            return "; ".join(q.options[i] for i in q.answer)  # type: ignore[union-attr]
        if q.kind == "ordering":
            return " -> ".join(q.options)
        return "; ".join(f"{a} = {b}" for a, b in zip(q.left, q.right, strict=False))


def present(question: Question, seed: int | str) -> Presented:
    """Shuffle a question's options reproducibly for ``seed``.

    The shuffle depends only on ``seed`` and the question id, so the same quiz
    seed always shows the same question the same way. True/false keeps
    ``("True", "False")``; ordering questions are shuffled until they differ from
    the right order.
    """
    rng = random.Random(f"{seed}|{question.id}")
    if question.kind == "true_false":
        return Presented(question, ("True", "False"), (0, 1))
    source = question.right if question.kind == "matching" else question.options
    order = list(range(len(source)))
    rng.shuffle(order)
    if question.kind == "ordering":
        while order == sorted(order):
            rng.shuffle(order)
    return Presented(question, tuple(source[i] for i in order), tuple(order), left=question.left)


def _index(value: Any, n: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise AnswerError(f"{what} must be a whole number from 0 to {n - 1}, got {value!r}")
    if not 0 <= int(value) < n:
        raise AnswerError(f"{what} {value!r} is out of range: choose from 0 to {n - 1}")
    return int(value)


def _sequence(value: Any, what: str) -> list[Any]:
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise AnswerError(f"{what} must be a list of option numbers, got {value!r}")
    return list(value)


def validate(p: Presented, response: Any) -> Response:
    """Check a response's type and range; return it normalized (no side effects)."""
    n = len(p.options)
    kind = p.kind
    if kind == "single_choice":
        return _index(response, n, "the answer")
    if kind == "true_false":
        if not isinstance(response, bool):
            raise AnswerError(f"a true/false answer must be True or False, got {response!r}")
        return response
    items = _sequence(response, "the answer")
    if kind == "multi_select":
        picks = [_index(v, n, "each ticked option") for v in items]
        if not picks:
            raise AnswerError("tick at least one option")
        if len(set(picks)) != len(picks):
            raise AnswerError("an option is ticked twice")
        return tuple(sorted(picks))
    if kind == "ordering":
        placed = [_index(v, n, "each position") for v in items]
        if sorted(placed) != list(range(n)):
            raise AnswerError(f"put every one of the {n} items in order exactly once")
        return tuple(placed)
    # matching
    if len(items) != len(p.left):
        raise AnswerError(f"give one match for each of the {len(p.left)} items, got {len(items)}")
    return tuple(_index(v, n, "each match") for v in items)


@dataclass(frozen=True)
class Marking:
    """The outcome of grading one response (no timestamp: see ``Attempt``)."""

    score: float
    correct: bool
    explanation: str
    correct_text: str
    notes: tuple[str, ...] = ()
    #: for matching and ordering: one line per item placed or matched wrongly
    details: tuple[str, ...] = ()
    #: the learner's response in words
    chosen_text: str = ""


def grade(p: Presented, response: Any) -> Marking:
    """Grade a response with the partial-credit rules in this module's docstring.

    ``notes`` holds the "why this is wrong" text for each wrong option the learner
    picked, when the bank has one.
    """
    r = validate(p, response)
    q = p.question
    notes: list[str] = []
    details: list[str] = []
    if q.kind == "single_choice":
        chosen = p.order[r]  # type: ignore[index]
        score = 1.0 if chosen == q.answer else 0.0
        if chosen in q.why_wrong:
            notes.append(q.why_wrong[chosen])
    elif q.kind == "true_false":
        score = 1.0 if r == q.answer else 0.0
    elif q.kind == "multi_select":
        chosen_set = {p.order[i] for i in r}  # type: ignore[union-attr]
        right = set(q.answer)  # type: ignore[arg-type]
        hits, misses = len(chosen_set & right), len(chosen_set - right)
        score = max(0.0, (hits - misses) / len(right))
        notes.extend(q.why_wrong[i] for i in sorted(chosen_set - right) if i in q.why_wrong)
    elif q.kind == "ordering":
        placed = [p.order[i] for i in r]  # type: ignore[union-attr]
        pairs = list(combinations(range(len(placed)), 2))
        score = sum(placed[a] < placed[b] for a, b in pairs) / len(pairs)
        details = [f"{q.options[item]}: you put it {_ordinal(pos)}, it belongs {_ordinal(item)}."
                   for pos, item in enumerate(placed) if item != pos]
    else:
        matched = [p.order[i] for i in r]  # type: ignore[union-attr]
        score = sum(m == i for i, m in enumerate(matched)) / len(matched)
        details = [f"{q.left[i]}: you chose \u201c{q.right[m]}\u201d; it goes with \u201c{q.right[i]}\u201d."
                   for i, m in enumerate(matched) if m != i]
    score = round(score, 4)
    return Marking(score, score == 1.0, q.explanation, p.correct_text(), tuple(notes), tuple(details),
                   p.response_text(r))


def _ordinal(index: int) -> str:
    """0 -> "1st", 1 -> "2nd", ... for "you put it 3rd"."""
    n = index + 1
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

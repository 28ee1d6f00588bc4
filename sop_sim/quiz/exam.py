"""A timed, CPIM-style exam: four-option single-answer items, nothing revealed until the end.

>>> from datetime import UTC, datetime
>>> exam = Exam.draw(n=3, minutes=10, seed=1, clock=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
>>> exam.answer(0, exam.items[0].correct_response())
>>> exam.toggle_mark(1)
True
>>> result = exam.finish()
>>> result.correct, result.total
(1, 3)

The CPIM exam asks four-option, single-best-answer questions against the clock, lets
candidates mark items for review and go back to change an answer, and shows nothing
until the end. :class:`Exam` does the same: answers can be given, changed and cleared
in any order until :meth:`Exam.finish` (or the clock runs out), and only
:class:`ExamResult` shows the score, the time used and, for every missed question, the
learner's choice, the key and why. Answers are recorded in the learner's progress file
when the exam is finished. No user interface lives here: the terminal
(:func:`sop_sim.quiz.terminal.run_exam`) and the widget
(:class:`sop_sim.ui.quiz_widget.ExamWidget`) sit on top.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sop_sim.errors import AnswerError, KnowledgeError
from sop_sim.quiz.bank import Bank, Question, load_bank
from sop_sim.quiz.engine import Clock, select_topic
from sop_sim.quiz.grading import Presented, present
from sop_sim.quiz.progress import Progress

DEFAULT_QUESTIONS = 40
DEFAULT_MINUTES = 60
MAX_MINUTES = 600


def _utcnow() -> datetime:
    return datetime.now(UTC)


def exam_pool(bank: Bank, topic: str | None = None) -> tuple[Question, ...]:
    """The questions in the exam's format: single choice with exactly four options."""
    return tuple(q for q in select_topic(bank, topic) if q.kind == "single_choice" and len(q.options) == 4)


def clock_text(seconds: float) -> str:
    """``754.2`` -> ``"12:34"`` (minutes:seconds; hours shown as more minutes)."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class ReviewItem:
    """One missed (or unanswered) exam question, shown after the exam."""

    number: int
    prompt: str
    chosen_text: str  # "" when unanswered
    correct_text: str
    explanation: str
    why_chosen: str  # why the chosen option is wrong ("" when unanswered)
    marked: bool


@dataclass(frozen=True)
class ExamResult:
    """What the learner sees once the exam is over."""

    correct: int
    total: int
    answered: int
    seconds_used: float
    seconds_allowed: float
    timed_out: bool
    review: tuple[ReviewItem, ...]

    @property
    def percent(self) -> float:
        return round(100 * self.correct / self.total, 1) if self.total else 0.0

    @property
    def time_used(self) -> str:
        return clock_text(self.seconds_used)

    @property
    def time_allowed(self) -> str:
        return clock_text(self.seconds_allowed)


class Exam:
    """A timed exam over a fixed list of four-option single-choice questions.

    Question numbers in this API are 0-based indices into :attr:`items`; front ends
    show them 1-based.
    """

    def __init__(
        self,
        questions: Sequence[Question],
        *,
        minutes: int = DEFAULT_MINUTES,
        seed: int | None = None,
        progress: Progress | None = None,
        clock: Clock | None = None,
    ) -> None:
        if not questions:
            raise KnowledgeError("no exam questions: the topic filter matched no four-option question")
        bad = [q.id for q in questions if q.kind != "single_choice" or len(q.options) != 4]
        if bad:
            raise KnowledgeError(f"exam questions must be four-option single choice; not: {', '.join(bad)}")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
            raise AnswerError(f"the exam time must be a whole number of minutes from 1 to {MAX_MINUTES}, got {minutes!r}")
        self.seed: int = secrets.randbits(32) if seed is None else int(seed)
        self.items: tuple[Presented, ...] = tuple(present(q, self.seed) for q in questions)
        self.progress = progress if progress is not None else Progress()
        self.clock: Clock = clock or _utcnow
        self.minutes = minutes
        self.started = self.clock()
        self.deadline = self.started + timedelta(minutes=minutes)
        self.answers: list[int | None] = [None] * len(self.items)
        self.marked: set[int] = set()
        self.position = 0
        self.result: ExamResult | None = None

    @classmethod
    def draw(
        cls,
        bank: Bank | None = None,
        *,
        n: int = DEFAULT_QUESTIONS,
        minutes: int = DEFAULT_MINUTES,
        topic: str | None = None,
        seed: int | None = None,
        progress: Progress | None = None,
        clock: Clock | None = None,
    ) -> Exam:
        """Draw ``n`` exam-format questions at random (seeded); fewer if the pool is smaller.

        The draw spreads over topics: it takes questions round-robin across the
        primary topic of each question, so a 40-item exam is not 40 items on one role.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise AnswerError(f"the number of exam questions must be a whole number >= 1, got {n!r}")
        bank = bank if bank is not None else load_bank()
        pool = sorted(exam_pool(bank, topic), key=lambda q: q.id)
        seed = secrets.randbits(32) if seed is None else int(seed)
        rng = random.Random(seed)
        groups: dict[str, list[Question]] = {}
        for q in pool:
            groups.setdefault(q.topics[0], []).append(q)
        for g in groups.values():
            rng.shuffle(g)
        order = sorted(groups)
        rng.shuffle(order)
        chosen: list[Question] = []
        while len(chosen) < min(n, len(pool)):
            for key in order:
                if groups[key] and len(chosen) < n:
                    chosen.append(groups[key].pop())
        rng.shuffle(chosen)
        return cls(chosen, minutes=minutes, seed=seed, progress=progress, clock=clock)

    # ------------------------------------------------------------------ clock
    def __len__(self) -> int:
        return len(self.items)

    @property
    def finished(self) -> bool:
        return self.result is not None

    def seconds_left(self) -> float:
        return max(0.0, (self.deadline - self.clock()).total_seconds())

    def time_left(self) -> str:
        """The time left as ``"m:ss"``."""
        return clock_text(self.seconds_left())

    @property
    def expired(self) -> bool:
        return self.clock() >= self.deadline

    # ----------------------------------------------------------- navigation
    def _check_open(self) -> None:
        if self.finished:
            raise AnswerError("the exam is over: nothing can be changed")
        if self.expired:
            self.finish()
            raise AnswerError("time is up: the exam has been handed in")

    def _index(self, number: int) -> int:
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < len(self.items):
            raise AnswerError(f"there is no question {number + 1 if isinstance(number, int) else number!r}: "
                              f"choose 1 to {len(self.items)}")
        return number

    @property
    def current(self) -> Presented:
        return self.items[self.position]

    def go(self, number: int) -> Presented:
        """Show question ``number`` (0-based)."""
        self.position = self._index(number)
        return self.current

    def next(self) -> Presented:
        """The next question (wraps to the first after the last)."""
        self.position = (self.position + 1) % len(self.items)
        return self.current

    def previous(self) -> Presented:
        self.position = (self.position - 1) % len(self.items)
        return self.current

    # --------------------------------------------------------------- answers
    def answer(self, number: int, choice: int) -> None:
        """Choose option ``choice`` (display index) for question ``number``; replaces any
        earlier choice. Nothing is revealed."""
        self._check_open()
        i = self._index(number)
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < 4:
            raise AnswerError(f"choose an option from 1 to 4, got {choice + 1 if isinstance(choice, int) else choice!r}")
        self.answers[i] = choice

    def clear(self, number: int) -> None:
        """Take back the answer to question ``number``."""
        self._check_open()
        self.answers[self._index(number)] = None

    def toggle_mark(self, number: int) -> bool:
        """Mark (or unmark) question ``number`` for review; returns whether it is now marked."""
        self._check_open()
        i = self._index(number)
        if i in self.marked:
            self.marked.discard(i)
            return False
        self.marked.add(i)
        return True

    def unanswered(self) -> list[int]:
        return [i for i, a in enumerate(self.answers) if a is None]

    def status(self) -> list[tuple[int, bool, bool]]:
        """``(number, answered, marked)`` per question, 0-based numbers."""
        return [(i, a is not None, i in self.marked) for i, a in enumerate(self.answers)]

    # ----------------------------------------------------------------- finish
    def finish(self) -> ExamResult:
        """Hand in: score, time used, the review of every missed question; record the
        answers in the progress file. Calling it again returns the same result."""
        if self.result is not None:
            return self.result
        now = self.clock()
        timed_out = now >= self.deadline
        used = min((now - self.started).total_seconds(), self.minutes * 60.0)
        review, correct = [], 0
        for i, (item, chosen) in enumerate(zip(self.items, self.answers, strict=True)):
            key = item.correct_response()
            q = item.question
            if chosen == key:
                correct += 1
            else:
                bank_choice = item.order[chosen] if chosen is not None else None
                review.append(ReviewItem(
                    number=i + 1, prompt=item.prompt,
                    chosen_text=item.options[chosen] if chosen is not None else "",
                    correct_text=item.correct_text(), explanation=q.explanation,
                    why_chosen=q.why_wrong.get(bank_choice, "") if bank_choice is not None else "",
                    marked=i in self.marked,
                ))
        self.result = ExamResult(correct=correct, total=len(self.items),
                                 answered=sum(a is not None for a in self.answers), seconds_used=used,
                                 seconds_allowed=self.minutes * 60.0, timed_out=timed_out, review=tuple(review))
        now_answers = [(item.id, item.topics, None if chosen is None else float(chosen == item.correct_response()))
                       for item, chosen in zip(self.items, self.answers, strict=True)]
        self.progress.record_many(now_answers, now)
        return self.result

"""The quiz engine: draw questions, take answers, record progress. No UI here.

>>> from sop_sim.quiz import Quiz
>>> quiz = Quiz.draw(topic="step:pre_sop", n=2, seed=1)
>>> q = quiz.current
>>> feedback = quiz.submit(q.correct_response())
>>> feedback.correct
True
>>> quiz.next() is quiz.current  # move on; None after the last question
True

Front ends (the widget, the terminal) only call :meth:`Quiz.draw`,
:attr:`Quiz.current`, :meth:`Quiz.submit` and :meth:`Quiz.next`.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sop_sim.errors import AnswerError, KnowledgeError
from sop_sim.knowledge import TOPIC_KINDS
from sop_sim.quiz.bank import Bank, Question, load_bank
from sop_sim.quiz.grading import Presented, grade, present
from sop_sim.quiz.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Feedback:
    """What the learner gets back after answering one question."""

    question_id: str
    score: float
    correct: bool
    explanation: str
    correct_text: str
    notes: tuple[str, ...]
    topics: tuple[str, ...]
    answered_at: str


def select_topic(bank: Bank, topic: str | None) -> tuple[Question, ...]:
    """Questions matching ``topic``.

    ``topic`` may be a full topic (``"role:finance"``), a bare id
    (``"finance"``), a topic kind (``"role"``, ``"tip"``, ...), ``"scenario"``
    for the situation questions, or ``None`` for everything.
    """
    if topic is None or topic in ("", "all"):
        return bank.questions
    topic = topic.strip().lower()
    if topic == "scenario":
        return tuple(q for q in bank if q.scenario)
    if topic in TOPIC_KINDS:
        return tuple(q for q in bank if any(t.startswith(topic + ":") for t in q.topics))
    known = sorted(bank.topic_counts())
    if topic not in known:
        matches = [t for t in known if t.split(":", 1)[1] == topic]
        if len(matches) != 1:
            raise KnowledgeError(
                f"unknown topic {topic!r}; use a kind ({', '.join(TOPIC_KINDS)}), 'scenario', "
                f"or one of: {', '.join(known)}"
            )
        topic = matches[0]
    return bank.with_topic(topic)


def review_order(
    questions: Sequence[Question], progress: Progress, now: datetime, rng: random.Random
) -> list[Question]:
    """Order questions for adaptive review.

    1. Questions due again (Leitner), lowest box first, then the most overdue.
    2. Unseen questions, those whose topics you know least first (a topic you
       missed counts as weaker than one you have not tried yet).
    3. The rest (answered and not yet due), lowest box first.
    Ties are broken by ``rng`` so repeated sessions vary.
    """
    mastery = progress.topic_mastery()

    def weakness(q: Question) -> float:
        return min(mastery.get(t, 0.5) for t in q.topics)

    shuffled = list(questions)
    rng.shuffle(shuffled)
    due, unseen, later = [], [], []
    for q in shuffled:
        state = progress.boxes.get(q.id)
        if state is None:
            unseen.append(q)
        elif progress.is_due(q.id, now):
            due.append(q)
        else:
            later.append(q)
    due.sort(key=lambda q: (progress.boxes[q.id].box, progress.boxes[q.id].due))
    unseen.sort(key=weakness)
    later.sort(key=lambda q: (progress.boxes[q.id].box, progress.boxes[q.id].due))
    return due + unseen + later


class Quiz:
    """A sequence of presented questions, answered one at a time.

    Parameters
    ----------
    questions
        The questions, in the order they will be asked.
    seed
        Seeds the option shuffles (``None``: a random seed, kept in ``self.seed``
        so the session can be reproduced).
    progress
        Where attempts are recorded (and saved, if it has a path). ``None``: an
        in-memory record.
    clock
        Returns the current time (timezone-aware); injectable for tests.
    """

    def __init__(
        self,
        questions: Sequence[Question],
        *,
        seed: int | None = None,
        progress: Progress | None = None,
        clock: Clock | None = None,
    ) -> None:
        if not questions:
            raise KnowledgeError("no questions to ask: the topic filter matched nothing")
        self.seed: int = secrets.randbits(32) if seed is None else int(seed)
        self.items: tuple[Presented, ...] = tuple(present(q, self.seed) for q in questions)
        self.progress = progress if progress is not None else Progress()
        self.clock: Clock = clock or _utcnow
        self.feedback: list[Feedback | None] = [None] * len(self.items)
        self.position = 0
        self._session = Progress()  # this session's attempts only, never saved

    @classmethod
    def draw(
        cls,
        bank: Bank | None = None,
        *,
        topic: str | None = None,
        n: int = 10,
        seed: int | None = None,
        review: bool = False,
        progress: Progress | None = None,
        clock: Clock | None = None,
    ) -> Quiz:
        """Pick ``n`` questions on ``topic`` and build a quiz.

        Without ``review`` the pick is a seeded random sample. With ``review`` the
        learner's ``progress`` decides (see :func:`review_order`): due and weak
        questions first.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise AnswerError(f"the number of questions must be a whole number >= 1, got {n!r}")
        bank = bank if bank is not None else load_bank()
        pool = sorted(select_topic(bank, topic), key=lambda q: q.id)
        seed = secrets.randbits(32) if seed is None else int(seed)
        rng = random.Random(seed)
        progress = progress if progress is not None else Progress()
        if review:
            now = (clock or _utcnow)()
            chosen = review_order(pool, progress, now, rng)[:n]
        else:
            chosen = rng.sample(pool, min(n, len(pool)))
        return cls(chosen, seed=seed, progress=progress, clock=clock)

    # ------------------------------------------------------------- flow
    def __len__(self) -> int:
        return len(self.items)

    @property
    def finished(self) -> bool:
        return self.position >= len(self.items)

    @property
    def current(self) -> Presented | None:
        """The question being asked, or ``None`` when the quiz is over."""
        return None if self.finished else self.items[self.position]

    @property
    def answered(self) -> bool:
        """Whether the current question has been answered."""
        return not self.finished and self.feedback[self.position] is not None

    def submit(self, response: Any) -> Feedback:
        """Grade and record an answer to the current question.

        Raises
        ------
        AnswerError
            For a response of the wrong type or out of range, a second answer to
            the same question, or an answer after the end. Nothing is recorded.
        """
        if self.finished:
            raise AnswerError("the quiz is over: there is no question to answer")
        if self.answered:
            raise AnswerError("this question is already answered: move on with next()")
        item = self.items[self.position]
        marking = grade(item, response)  # raises AnswerError before anything is stored
        now = self.clock()
        attempt = self.progress.record(item.id, item.topics, marking.score, now)
        self._session.record(item.id, item.topics, marking.score, now)
        fb = Feedback(
            question_id=item.id, score=marking.score, correct=marking.correct,
            explanation=marking.explanation, correct_text=marking.correct_text,
            notes=marking.notes, topics=item.topics, answered_at=attempt.at,
        )
        self.feedback[self.position] = fb
        return fb

    def next(self) -> Presented | None:
        """Move to the next question (skipping the current one if unanswered)."""
        if not self.finished:
            self.position += 1
        return self.current

    # ---------------------------------------------------------- results
    @property
    def score(self) -> float:
        """Sum of the scores so far (partial credit included)."""
        return round(sum(f.score for f in self.feedback if f), 4)

    @property
    def answered_count(self) -> int:
        return sum(f is not None for f in self.feedback)

    def summary(self) -> dict[str, float | int]:
        """Answered, correct, score and percent for this session."""
        answered = self.answered_count
        return {
            "questions": len(self.items),
            "answered": answered,
            "correct": sum(bool(f and f.correct) for f in self.feedback),
            "score": self.score,
            "percent": round(100 * self.score / answered, 1) if answered else 0.0,
        }

    def session_table(self) -> pd.DataFrame:
        """Per-topic results of this session only (same columns as mastery)."""
        return self._session.mastery_table()

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
:attr:`Quiz.current`, :meth:`Quiz.submit`, :meth:`Quiz.skip`, :meth:`Quiz.next` and,
at the end, :meth:`Quiz.missed`. Timed exams live in :mod:`sop_sim.quiz.exam`.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sop_sim.errors import AnswerError, KnowledgeError
from sop_sim.knowledge import TOPIC_KINDS, KnowledgeBase, load_kb
from sop_sim.quiz.bank import DIFFICULTIES, Bank, Question, load_bank
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
    #: the learner's answer in words
    chosen_text: str = ""
    #: matching and ordering: which items were matched or placed wrongly
    details: tuple[str, ...] = ()
    prompt: str = ""

    @property
    def topic_names(self) -> tuple[str, ...]:
        """The question's topics in words, e.g. ``("Role: Finance", "Tip 1: Know who owns what")``."""
        return tuple(topic_label(t) for t in self.topics)


#: difficulty levels in words (the ``--level`` filter accepts either)
LEVELS = {"easy": 1, "medium": 2, "hard": 3}


def topic_label(topic: str, kb: KnowledgeBase | None = None) -> str:
    """A topic id in words: ``"role:finance"`` -> ``"Role: Finance"``,
    ``"tip:owns_what"`` -> ``"Tip 1: Know who owns what"``, ``"scenario"`` -> ``"Scenarios"``."""
    if topic == "scenario":
        return "Scenarios"
    kb = kb or load_kb()
    kind, _, ident = topic.partition(":")
    if kind == "tip":
        entry = kb.entry(topic)
        return f"Tip {entry.number}: {entry.name}"
    return f"{kind.capitalize()}: {kb.name(topic)}"


def parse_level(level: int | str | None) -> int | None:
    """``1``/``"easy"``, ``2``/``"medium"``, ``3``/``"hard"`` -> 1, 2, 3; ``None`` -> no filter."""
    if level is None:
        return None
    if isinstance(level, str):
        text = level.strip().lower()
        if text in LEVELS:
            return LEVELS[text]
        if text.isdigit():
            level = int(text)
    if isinstance(level, bool) or level not in DIFFICULTIES:
        raise AnswerError(f"level {level!r} is not one of: 1 or easy, 2 or medium, 3 or hard")
    return int(level)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Missed:
    """A question the learner did not get fully right (or skipped), for the end-of-session list."""

    number: int
    prompt: str
    chosen_text: str  # "" when skipped
    correct_text: str
    explanation: str
    notes: tuple[str, ...] = ()
    details: tuple[str, ...] = ()


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

    1. Questions skipped earlier and not answered since, then those due again
       (Leitner), lowest box first, then the most overdue.
    2. Unseen questions, those whose topics you know least first (a topic you
       missed counts as weaker than one you have not tried yet).
    3. The rest (answered and not yet due), lowest box first.
    Ties are broken by ``rng`` so repeated sessions vary.
    """
    mastery = progress.topic_mastery()
    skipped = progress.skipped()

    def weakness(q: Question) -> float:
        return min(mastery.get(t, 0.5) for t in q.topics)

    def box_order(q: Question) -> tuple[int, int, str]:
        state = progress.boxes.get(q.id)
        return (q.id not in skipped, state.box if state else 0, state.due if state else "")

    shuffled = list(questions)
    rng.shuffle(shuffled)
    due, unseen, later = [], [], []
    for q in shuffled:
        if progress.is_due(q.id, now):
            due.append(q)
        elif q.id not in progress.boxes:
            unseen.append(q)
        else:
            later.append(q)
    due.sort(key=box_order)
    unseen.sort(key=weakness)
    later.sort(key=box_order)
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
        self.skipped: list[bool] = [False] * len(self.items)
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
        level: int | str | None = None,
        progress: Progress | None = None,
        clock: Clock | None = None,
    ) -> Quiz:
        """Pick ``n`` questions on ``topic`` (and difficulty ``level``) and build a quiz.

        Without ``review`` the pick is a seeded random sample. With ``review`` the
        learner's ``progress`` decides (see :func:`review_order`): due, skipped and
        weak questions first.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise AnswerError(f"the number of questions must be a whole number >= 1, got {n!r}")
        bank = bank if bank is not None else load_bank()
        wanted = parse_level(level)
        pool = sorted((q for q in select_topic(bank, topic) if wanted is None or q.difficulty == wanted),
                      key=lambda q: q.id)
        if not pool:
            raise KnowledgeError(f"no {('level ' + str(wanted) + ' ') if wanted else ''}questions match "
                                 f"the topic {topic!r}: try another level or topic")
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
            chosen_text=marking.chosen_text, details=marking.details, prompt=item.prompt,
        )
        self.feedback[self.position] = fb
        self.skipped[self.position] = False
        return fb

    def skip(self) -> Presented | None:
        """Pass over the current question: it is recorded as skipped (review brings it
        back) and the quiz moves on. Returns the next question."""
        if not self.finished and not self.answered:
            item = self.items[self.position]
            self.progress.record_skip(item.id, item.topics, self.clock())
            self.skipped[self.position] = True
        return self.next()

    def next(self) -> Presented | None:
        """Move to the next question (an unanswered current question counts as skipped)."""
        if not self.finished:
            if not self.answered and not self.skipped[self.position]:
                return self.skip()
            self.position += 1
        return self.current

    def missed(self) -> list[Missed]:
        """Every question answered wrongly, partly or skipped, in quiz order, with the
        learner's choice, the key and why (for the end-of-session list)."""
        out = []
        for number, (item, fb) in enumerate(zip(self.items, self.feedback, strict=True), start=1):
            if fb is None and self.skipped[number - 1]:
                out.append(Missed(number, item.prompt, "", item.correct_text(), item.question.explanation))
            elif fb is not None and not fb.correct:
                out.append(Missed(number, item.prompt, fb.chosen_text, fb.correct_text, fb.explanation,
                                  fb.notes, fb.details))
        return out

    def due_today(self) -> int:
        """How many questions of the bank are due for review today (answers recorded for
        questions no longer in the bank are not counted)."""
        ids = set(load_bank().ids()) | {p.id for p in self.items}
        return self.progress.due_count(self.clock(), ids & (set(self.progress.boxes) | self.progress.skipped()))

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

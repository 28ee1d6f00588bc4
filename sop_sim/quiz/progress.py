"""Quiz progress: attempts, skips, Leitner boxes and per-topic mastery, saved as JSON.

Adaptive review uses five Leitner boxes. A new question starts in box 1. A fully
correct answer moves it up one box; anything less (a miss or partial credit)
sends it back to box 1. A question is due again ``BOX_INTERVAL_DAYS[box]`` days
after it was last answered, so missed questions come back at once and well-known
ones only every few weeks. A question the learner skipped, and has not answered
since, counts as due too, so review brings it back.

The progress file lives at ``~/.sop_sim/quiz_progress.json`` unless the
``SOP_SIM_QUIZ_PROGRESS`` environment variable or an explicit path says
otherwise. Two sessions (a notebook and a terminal, say) may answer into the same
file at once: every save takes the file's lock (:func:`sop_sim.safefile.update_json`,
built on the ``filelock`` library), reads what the other session wrote, merges the
two records and writes the union atomically, so no answer is lost. Boxes are
recomputed from the merged attempts, never trusted from the file.

A file that is not valid JSON, was not written by sop_sim, or has been edited into
an inconsistent shape (``"correct": "no"``, a score of ``"1"``, a topic that is not
text) raises :class:`~sop_sim.errors.SaveFileError` and is never overwritten. A save
that fails (read-only folder, full disk, file damaged meanwhile) does not stop the
quiz: the answer stays in memory and :attr:`Progress.save_error` says why, so the
front end can tell the learner instead of claiming the progress was saved.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_sim import safefile
from sop_sim.errors import SaveFileError, SopSimError

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "sop_sim.quiz_progress"
VERSION = 2
READABLE_VERSIONS = (1, 2)
ENV_VAR = "SOP_SIM_QUIZ_PROGRESS"
BOX_INTERVAL_DAYS: dict[int, float] = {1: 0, 2: 1, 3: 3, 4: 7, 5: 21}
MAX_BOX = max(BOX_INTERVAL_DAYS)
MASTERY_COLUMNS = ("topic", "attempts", "correct", "mean_score", "mastery", "questions_seen", "last_attempt")


def default_progress_path() -> Path:
    """``$SOP_SIM_QUIZ_PROGRESS`` if set, else ``~/.sop_sim/quiz_progress.json``."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.home() / ".sop_sim" / "quiz_progress.json"


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} must be text, got {value!r}")
    return value


def _when(value: Any, what: str) -> str:
    _text(value, what)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date and time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{what} {value!r} has no time zone")
    return value


def _topics(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"topics must be a list of text, got {value!r}")
    return tuple(_text(t, "a topic") for t in value)


def _fields(raw: Any, names: set[str], what: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise TypeError(f"{what} must be an object, got {raw!r}")
    missing = names - set(raw)
    if missing:
        raise KeyError(f"{what} lacks {', '.join(sorted(missing))}")
    extra = set(raw) - names
    if extra:
        raise KeyError(f"{what} has unknown field(s) {', '.join(sorted(extra))}")
    return raw


@dataclass(frozen=True)
class Attempt:
    """One graded answer."""

    question: str
    topics: tuple[str, ...]
    score: float
    correct: bool
    at: str  # ISO 8601, UTC

    @classmethod
    def from_json(cls, raw: Any) -> Attempt:
        """Strictly typed: ``"correct": "no"`` or ``"score": "1"`` is refused, never coerced."""
        raw = _fields(raw, {"question", "topics", "score", "correct", "at"}, "an attempt")
        score, correct = raw["score"], raw["correct"]
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise TypeError(f"score must be a number, got {score!r}")
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score {score!r} is not between 0 and 1")
        if not isinstance(correct, bool):
            raise TypeError(f"correct must be true or false, got {correct!r}")
        if correct != (score >= 1.0):
            raise ValueError(f"correct is {str(correct).lower()} but the score is {score!r}")
        return cls(question=_text(raw["question"], "question"), topics=_topics(raw["topics"]),
                   score=float(score), correct=correct, at=_when(raw["at"], "the time"))

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "topics": list(self.topics), "score": self.score,
                "correct": self.correct, "at": self.at}

    @property
    def key(self) -> tuple[str, str, float]:
        return (self.question, self.at, self.score)


@dataclass(frozen=True)
class Skip:
    """A question the learner passed over without answering."""

    question: str
    topics: tuple[str, ...]
    at: str

    @classmethod
    def from_json(cls, raw: Any) -> Skip:
        raw = _fields(raw, {"question", "topics", "at"}, "a skip")
        return cls(_text(raw["question"], "question"), _topics(raw["topics"]), _when(raw["at"], "the time"))

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "topics": list(self.topics), "at": self.at}


@dataclass(frozen=True)
class BoxState:
    """Where a question sits in the Leitner system."""

    box: int
    due: str  # ISO 8601, UTC


def _boxes(attempts: Iterable[Attempt]) -> dict[str, BoxState]:
    """Replay attempts in time order: the boxes follow from the answers alone."""
    boxes: dict[str, BoxState] = {}
    for a in sorted(attempts, key=lambda a: (datetime.fromisoformat(a.at), a.question, a.score)):
        previous = boxes.get(a.question)
        box = min((previous.box if previous else 1) + 1, MAX_BOX) if a.correct else 1
        due = datetime.fromisoformat(a.at) + timedelta(days=BOX_INTERVAL_DAYS[box])
        boxes[a.question] = BoxState(box, due.isoformat())
    return boxes


def _merge(mine: list[Any], theirs: list[Any], key: Any) -> list[Any]:
    """Union of two records, each entry once, in time order."""
    seen = {key(x): x for x in theirs}
    for x in mine:
        seen.setdefault(key(x), x)
    return sorted(seen.values(), key=lambda x: (datetime.fromisoformat(x.at), x.question))


class Progress:
    """A learner's record: attempts, skips and Leitner boxes, optionally tied to a file.

    Use :meth:`load` to open (or start) a progress file, or ``Progress()`` for an
    in-memory record that is never saved.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path: Path | None = Path(path) if path is not None else None
        self.attempts: list[Attempt] = []
        self.skips: list[Skip] = []
        self.boxes: dict[str, BoxState] = {}
        #: Why the last save failed (one line), or None after a successful save.
        self.save_error: str | None = None
        #: Whether anything was written to the file in this session.
        self.saved = False

    # ------------------------------------------------------------ file I/O
    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Progress:
        """Open a progress file (default: :func:`default_progress_path`).

        A missing file gives an empty record that will be created on the first
        save. Raises :class:`SaveFileError` for a corrupt or foreign file, which
        is left untouched.
        """
        progress = cls(path if path is not None else default_progress_path())
        target = progress.path
        assert target is not None
        if not target.exists():
            return progress
        try:
            raw = safefile.read_json(target, what="quiz progress file", error=SaveFileError)
        except SaveFileError as exc:
            raise SaveFileError(f"{str(exc).rstrip('.')}: not a readable quiz progress file; it was left "
                                "unchanged: move it away or pass another --progress path") from None
        progress._absorb(cls._parse(raw, target))
        return progress

    @staticmethod
    def _parse(raw: Any, target: Path) -> tuple[list[Attempt], list[Skip]]:
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise SaveFileError(
                f"{target}: not a sop_sim quiz progress file (no format marker {FORMAT!r}); "
                "it was left unchanged: choose another path"
            )
        if raw.get("version") not in READABLE_VERSIONS:
            raise SaveFileError(
                f"{target}: progress file version {raw.get('version')!r} is not supported "
                f"(this sop_sim reads versions {', '.join(map(str, READABLE_VERSIONS))}); it was left unchanged"
            )
        try:
            attempts = raw["attempts"]
            skips = raw.get("skips", [])
            if not isinstance(attempts, list) or not isinstance(skips, list):
                raise TypeError("attempts and skips must be lists")
            boxes = raw.get("boxes", {})
            if not isinstance(boxes, dict):
                raise TypeError("boxes must be an object")
            for state in boxes.values():  # recomputed from the attempts, but must be well formed
                state = _fields(state, {"box", "due"}, "a box")
                if isinstance(state["box"], bool) or state["box"] not in BOX_INTERVAL_DAYS:
                    raise ValueError(f"box {state['box']!r} is not 1 to {MAX_BOX}")
                _when(state["due"], "a due date")
            return [Attempt.from_json(a) for a in attempts], [Skip.from_json(s) for s in skips]
        except (KeyError, TypeError, ValueError) as exc:
            detail = exc.args[0] if exc.args else exc.__class__.__name__
            raise SaveFileError(
                f"{target}: quiz progress file is damaged ({detail}); it was left unchanged"
            ) from None

    def _absorb(self, record: tuple[list[Attempt], list[Skip]]) -> None:
        attempts, skips = record
        self.attempts = _merge(self.attempts, attempts, lambda a: a.key)
        self.skips = _merge(self.skips, skips, lambda s: (s.question, s.at))
        self.boxes = _boxes(self.attempts)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "attempts": [a.to_json() for a in self.attempts],
            "skips": [s.to_json() for s in self.skips],
            "boxes": {k: {"box": v.box, "due": v.due} for k, v in sorted(self.boxes.items())},
        }

    def save(self) -> bool:
        """Merge with what is on disk and write, under the file's lock.

        Returns True when written (always True for an in-memory record). On failure
        the record stays in memory, :attr:`save_error` says why and False is returned.
        """
        if self.path is None:
            return True
        target = self.path

        def merge(current: Any) -> dict[str, Any]:
            if current is not None:
                self._absorb(self._parse(current, target))
            return self.to_json()

        try:
            safefile.update_json(target, merge, what="quiz progress file", error=SaveFileError)
        except SopSimError as exc:
            self.save_error = str(exc)
            return False
        self.save_error = None
        self.saved = True
        return True

    # ------------------------------------------------------------ updating
    def record(self, question: str, topics: Iterable[str], score: float, at: datetime) -> Attempt:
        """Add an attempt, move the question between boxes, and save (see :meth:`save`)."""
        when = at.astimezone(UTC)
        attempt = Attempt(question, tuple(topics), float(score), score >= 1.0, when.isoformat())
        self.attempts.append(attempt)
        self.boxes = _boxes(self.attempts)
        self.save()
        return attempt

    def record_skip(self, question: str, topics: Iterable[str], at: datetime) -> Skip:
        """Note that a question was skipped, so review brings it back; then save."""
        skip = Skip(question, tuple(topics), at.astimezone(UTC).isoformat())
        self.skips.append(skip)
        self.save()
        return skip

    def record_many(self, results: Iterable[tuple[str, Iterable[str], float | None]], at: datetime) -> None:
        """Record several answers at once (an exam hand-in) and save once.

        ``results`` holds ``(question, topics, score)``; a score of ``None`` records a skip.
        """
        when = at.astimezone(UTC).isoformat()
        for question, topics, score in results:
            if score is None:
                self.skips.append(Skip(question, tuple(topics), when))
            else:
                self.attempts.append(Attempt(question, tuple(topics), float(score), score >= 1.0, when))
        self.boxes = _boxes(self.attempts)
        self.save()

    # ------------------------------------------------------------- queries
    def box(self, question: str) -> int | None:
        """The question's Leitner box, or ``None`` if never answered."""
        state = self.boxes.get(question)
        return state.box if state else None

    def skipped(self) -> set[str]:
        """Questions skipped and not answered since."""
        last_answer = {a.question: a.at for a in self.attempts}
        return {s.question for s in self.skips
                if s.question not in last_answer
                or datetime.fromisoformat(last_answer[s.question]) < datetime.fromisoformat(s.at)}

    def is_due(self, question: str, now: datetime) -> bool:
        """Due for review: its box interval has passed, or it was skipped and not answered since."""
        if question in self.skipped():
            return True
        state = self.boxes.get(question)
        return state is not None and datetime.fromisoformat(state.due) <= now

    def due_count(self, now: datetime, questions: Iterable[str] | None = None) -> int:
        """How many questions are due today (by the end of ``now``'s day), skipped ones included."""
        end_of_day = now.replace(hour=23, minute=59, second=59, microsecond=0)
        ids = set(self.boxes) | self.skipped() if questions is None else set(questions)
        skipped = self.skipped()
        return sum(1 for q in ids if q in skipped or (
            q in self.boxes and datetime.fromisoformat(self.boxes[q].due) <= end_of_day))

    def topic_mastery(self) -> dict[str, float]:
        """Topic -> mean of the latest score of each question answered in it."""
        latest: dict[str, Attempt] = {}
        for a in self.attempts:
            latest[a.question] = a
        sums: dict[str, list[float]] = {}
        for a in latest.values():
            for t in a.topics:
                sums.setdefault(t, []).append(a.score)
        return {t: sum(v) / len(v) for t, v in sums.items()}

    def mastery_table(self) -> pd.DataFrame:
        """Per-topic progress, weakest topic first.

        Columns: ``topic``, ``attempts``, ``correct`` (fully right answers),
        ``mean_score`` (over all attempts), ``mastery`` (mean of the latest score
        of each question seen: what you know now), ``questions_seen`` and
        ``last_attempt`` (ISO time).
        """
        import pandas as pd

        mastery = self.topic_mastery()
        rows: dict[str, dict[str, Any]] = {}
        for a in self.attempts:
            for t in a.topics:
                row = rows.setdefault(t, {"topic": t, "attempts": 0, "correct": 0, "total": 0.0,
                                          "seen": set(), "last_attempt": a.at})
                row["attempts"] += 1
                row["correct"] += int(a.correct)
                row["total"] += a.score
                row["seen"].add(a.question)
                row["last_attempt"] = max(row["last_attempt"], a.at)
        records = [
            {
                "topic": t, "attempts": r["attempts"], "correct": r["correct"],
                "mean_score": round(r["total"] / r["attempts"], 3),
                "mastery": round(mastery[t], 3), "questions_seen": len(r["seen"]),
                "last_attempt": r["last_attempt"],
            }
            for t, r in rows.items()
        ]
        table = pd.DataFrame(records, columns=list(MASTERY_COLUMNS))
        return table.sort_values(["mastery", "topic"], kind="stable").reset_index(drop=True)

    def export_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`mastery_table` as CSV (atomically) and return the path."""
        return safefile.atomic_write_text(path, self.mastery_table().to_csv(index=False), what="CSV file")

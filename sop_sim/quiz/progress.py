"""Quiz progress: attempts, Leitner boxes and per-topic mastery, saved as JSON.

Adaptive review uses five Leitner boxes. A new question starts in box 1. A fully
correct answer moves it up one box; anything less (a miss or partial credit)
sends it back to box 1. A question is due again ``BOX_INTERVAL_DAYS[box]`` days
after it was last answered, so missed questions come back at once and well-known
ones only every few weeks.

The progress file lives at ``~/.sop_sim/quiz_progress.json`` unless the
``SOP_SIM_QUIZ_PROGRESS`` environment variable or an explicit path says
otherwise. It is written atomically after every answer. A file that is not valid
JSON, was not written by sop_sim, or has been edited into an inconsistent shape
raises :class:`~sop_sim.errors.SaveFileError` and is never overwritten.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_sim._io import atomic_write_json, atomic_write_text
from sop_sim.errors import SaveFileError

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "sop_sim.quiz_progress"
VERSION = 1
ENV_VAR = "SOP_SIM_QUIZ_PROGRESS"
BOX_INTERVAL_DAYS: dict[int, float] = {1: 0, 2: 1, 3: 3, 4: 7, 5: 21}
MAX_BOX = max(BOX_INTERVAL_DAYS)
MASTERY_COLUMNS = ("topic", "attempts", "correct", "mean_score", "mastery", "questions_seen", "last_attempt")


def default_progress_path() -> Path:
    """``$SOP_SIM_QUIZ_PROGRESS`` if set, else ``~/.sop_sim/quiz_progress.json``."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.home() / ".sop_sim" / "quiz_progress.json"


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
        a = cls(
            question=raw["question"], topics=tuple(raw["topics"]), score=float(raw["score"]),
            correct=bool(raw["correct"]), at=raw["at"],
        )
        if not isinstance(a.question, str) or not all(isinstance(t, str) for t in a.topics):
            raise TypeError("question and topics must be text")
        if not 0.0 <= a.score <= 1.0:
            raise ValueError("score out of range")
        datetime.fromisoformat(a.at)
        return a


@dataclass(frozen=True)
class BoxState:
    """Where a question sits in the Leitner system."""

    box: int
    due: str  # ISO 8601, UTC

    @classmethod
    def from_json(cls, raw: Any) -> BoxState:
        state = cls(box=raw["box"], due=raw["due"])
        if isinstance(state.box, bool) or state.box not in BOX_INTERVAL_DAYS:
            raise ValueError(f"box {state.box!r} is not 1..{MAX_BOX}")
        datetime.fromisoformat(state.due)
        return state


class Progress:
    """A learner's record: attempts and Leitner boxes, optionally tied to a file.

    Use :meth:`load` to open (or start) a progress file, or ``Progress()`` for an
    in-memory record that is never saved.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path: Path | None = Path(path) if path is not None else None
        self.attempts: list[Attempt] = []
        self.boxes: dict[str, BoxState] = {}

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
            raw = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SaveFileError(
                f"{target}: not a readable quiz progress file ({exc.__class__.__name__}); "
                "it was left unchanged: move it away or pass another --progress path"
            ) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise SaveFileError(
                f"{target}: not a sop_sim quiz progress file (no format marker {FORMAT!r}); "
                "it was left unchanged: choose another path"
            )
        if raw.get("version") != VERSION:
            raise SaveFileError(
                f"{target}: progress file version {raw.get('version')!r} is not supported "
                f"(this sop_sim reads version {VERSION}); it was left unchanged"
            )
        try:
            progress.attempts = [Attempt.from_json(a) for a in raw["attempts"]]
            progress.boxes = {str(k): BoxState.from_json(v) for k, v in raw["boxes"].items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SaveFileError(
                f"{target}: quiz progress file is damaged ({exc.__class__.__name__}: {exc}); "
                "it was left unchanged"
            ) from None
        return progress

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "attempts": [asdict(a) | {"topics": list(a.topics)} for a in self.attempts],
            "boxes": {k: asdict(v) for k, v in sorted(self.boxes.items())},
        }

    def save(self) -> None:
        """Write the record atomically (no-op for an in-memory record)."""
        if self.path is not None:
            atomic_write_json(self.path, self.to_json())

    # ------------------------------------------------------------ updating
    def record(self, question: str, topics: Iterable[str], score: float, at: datetime) -> Attempt:
        """Add an attempt, move the question between boxes, and save."""
        when = at.astimezone(UTC)
        attempt = Attempt(question, tuple(topics), float(score), score >= 1.0, when.isoformat())
        previous = self.boxes.get(question)
        box = min((previous.box if previous else 1) + 1, MAX_BOX) if attempt.correct else 1
        due = when + timedelta(days=BOX_INTERVAL_DAYS[box])
        self.attempts.append(attempt)
        self.boxes[question] = BoxState(box, due.isoformat())
        self.save()
        return attempt

    # ------------------------------------------------------------- queries
    def box(self, question: str) -> int | None:
        """The question's Leitner box, or ``None`` if never answered."""
        state = self.boxes.get(question)
        return state.box if state else None

    def is_due(self, question: str, now: datetime) -> bool:
        state = self.boxes.get(question)
        return state is not None and datetime.fromisoformat(state.due) <= now

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
        return atomic_write_text(path, self.mastery_table().to_csv(index=False))

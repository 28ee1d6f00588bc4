"""The quiz engine: drawing, shuffling, grading, progress, adaptive review."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sop_sim.errors import AnswerError, KnowledgeError, SaveFileError
from sop_sim.quiz import Progress, Quiz, load_bank, present, review_order
from sop_sim.quiz.grading import grade
from sop_sim.quiz.progress import BOX_INTERVAL_DAYS, MASTERY_COLUMNS, default_progress_path

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _wrong(p):
    """A response that is valid but not fully right."""
    right = p.correct_response()
    if p.kind == "true_false":
        return not right
    if p.kind == "single_choice":
        return (right + 1) % len(p.options)
    if p.kind == "multi_select":
        return [i for i in range(len(p.options)) if i not in right][:1]
    return list(reversed(right)) if p.kind == "ordering" else [(r + 1) % len(p.options) for r in right]


# ------------------------------------------------------------------ presenting


def test_shuffles_are_reproducible(bank):
    for q in bank:
        assert present(q, 42) == present(q, 42)
    differs = sum(present(q, 1).options != present(q, 2).options for q in bank)
    assert differs > len(bank) / 2, "different seeds should usually show different orders"


def test_ordering_is_never_shown_solved(bank):
    for q in (q for q in bank if q.kind == "ordering"):
        for seed in range(20):
            assert present(q, seed).options != q.options


def test_draw_is_reproducible_and_filters(bank):
    a = Quiz.draw(bank, topic="role:finance", n=5, seed=9)
    b = Quiz.draw(bank, topic="role:finance", n=5, seed=9)
    assert [p.options for p in a.items] == [p.options for p in b.items]
    assert len(a) == 5 and all("role:finance" in p.topics for p in a.items)
    assert all(any(t.startswith("tip:") for t in p.topics) for p in Quiz.draw(bank, topic="tip", n=8, seed=1).items)
    assert all(p.question.scenario for p in Quiz.draw(bank, topic="scenario", n=8, seed=1).items)
    assert all("role:finance" in p.topics for p in Quiz.draw(bank, topic="finance", n=3, seed=1).items)
    assert len(Quiz.draw(bank, topic="step:pre_sop", n=1000, seed=1)) == len(bank.with_topic("step:pre_sop"))


def test_draw_rejects_bad_input(bank):
    with pytest.raises(KnowledgeError, match="unknown topic 'role:ceo'"):
        Quiz.draw(bank, topic="role:ceo")
    for n in (0, -1, 2.5, True):
        with pytest.raises(AnswerError, match="number of questions"):
            Quiz.draw(bank, n=n)


# ------------------------------------------------------------------ grading


def _find(bank, kind, size=None):
    return next(q for q in bank if q.kind == kind and (size is None or len(q.options or q.left) == size))


def test_partial_credit_multi_select(bank):
    q = bank["role-sc-duties"]  # 3 right of 5
    p = present(q, 0)
    right = p.correct_response()
    wrong = [i for i in range(len(p.options)) if i not in right]
    assert grade(p, right[:2]).score == pytest.approx(2 / 3, abs=1e-3)
    assert grade(p, right + wrong[:1]).score == pytest.approx(2 / 3, abs=1e-3)
    assert grade(p, list(range(len(p.options)))).score == pytest.approx(1 / 3, abs=1e-3)
    assert grade(p, wrong).score == 0.0
    notes = grade(p, wrong).notes
    assert any("executive sponsor" in n for n in notes), "why-wrong text comes back for wrong picks"


def test_partial_credit_ordering(bank):
    p = present(bank["kb-order-steps"], 0)
    right = list(p.correct_response())
    swapped = right.copy()
    swapped[1], swapped[2] = swapped[2], swapped[1]
    assert grade(p, right).score == 1.0
    assert grade(p, swapped).score == pytest.approx(0.9)
    assert grade(p, list(reversed(right))).score == 0.0


def test_partial_credit_matching(bank):
    p = present(bank["step-match-outputs"], 3)
    right = list(p.correct_response())
    half = right.copy()
    half[0], half[1] = half[1], half[0]
    assert grade(p, half).score == pytest.approx(3 / 5)
    assert not grade(p, half).correct


@pytest.mark.parametrize(
    ("qid", "response", "message"),
    [
        ("role-exec-typical-title", "0", "whole number"),
        ("role-exec-typical-title", True, "whole number"),
        ("role-exec-typical-title", 4, "out of range"),
        ("role-exec-typical-title", -1, "out of range"),
        ("role-exec-typical-title", 1.0, "whole number"),
        ("role-hr-some-orgs", 1, "True or False"),
        ("role-hr-some-orgs", "false", "True or False"),
        ("role-sc-duties", [], "at least one"),
        ("role-sc-duties", [1, 1], "twice"),
        ("role-sc-duties", "12", "list of option numbers"),
        ("role-sc-duties", 1, "list of option numbers"),
        ("kb-order-steps", [0, 1, 2, 3], "exactly once"),
        ("kb-order-steps", [0, 0, 1, 2, 3], "exactly once"),
        ("step-match-outputs", [0, 1], "one match for each"),
        ("step-match-outputs", [0, 1, 2, 3, 9], "out of range"),
    ],
)
def test_bad_answers_raise_and_record_nothing(bank, tmp_path, qid, response, message):
    path = tmp_path / "progress.json"
    quiz = Quiz([bank[qid]], seed=1, progress=Progress.load(path))
    with pytest.raises(AnswerError, match=message):
        quiz.submit(response)
    assert quiz.progress.attempts == [] and not path.exists()
    assert not quiz.answered and quiz.position == 0


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_scores_stay_between_zero_and_one(bank, seed, data):
    q = bank.questions[seed % len(bank)]
    p = present(q, seed)
    n = len(p.options)
    if p.kind == "single_choice":
        r = data.draw(st.integers(0, n - 1))
    elif p.kind == "true_false":
        r = data.draw(st.booleans())
    elif p.kind == "multi_select":
        r = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    elif p.kind == "ordering":
        r = data.draw(st.permutations(range(n)))
    else:
        r = data.draw(st.lists(st.integers(0, n - 1), min_size=len(p.left), max_size=len(p.left)))
    m = grade(p, r)
    assert 0.0 <= m.score <= 1.0 and m.correct == (m.score == 1.0)


# ------------------------------------------------------------------ flow and progress


def test_submit_next_and_summary(bank, tmp_path):
    clock = FakeClock()
    quiz = Quiz.draw(bank, n=4, seed=5, progress=Progress.load(tmp_path / "p.json"), clock=clock)
    fb = quiz.submit(quiz.current.correct_response())
    assert fb.correct and fb.answered_at == T0.isoformat() and fb.explanation
    with pytest.raises(AnswerError, match="already answered"):
        quiz.submit(quiz.current.correct_response())
    quiz.next()
    fb = quiz.submit(_wrong(quiz.current))
    assert not fb.correct and fb.correct_text
    quiz.next()
    quiz.next()  # skip one
    quiz.submit(quiz.current.correct_response())
    assert quiz.next() is None and quiz.finished
    with pytest.raises(AnswerError, match="over"):
        quiz.submit(0)
    s = quiz.summary()
    assert s["answered"] == 3 and s["correct"] == 2 and s["questions"] == 4
    saved = json.loads((tmp_path / "p.json").read_text())
    assert len(saved["attempts"]) == 3 and saved["format"] == "sop_sim.quiz_progress"
    assert set(quiz.session_table().columns) == set(MASTERY_COLUMNS)


def test_leitner_boxes(bank):
    clock = FakeClock()
    progress = Progress()
    q = bank["role-exec-typical-title"]
    for expected_box in (2, 3, 4, 5, 5):
        quiz = Quiz([q], seed=1, progress=progress, clock=clock)
        quiz.submit(quiz.current.correct_response())
        assert progress.box(q.id) == expected_box
        due = datetime.fromisoformat(progress.boxes[q.id].due)
        assert due == clock.now + timedelta(days=BOX_INTERVAL_DAYS[expected_box])
        assert not progress.is_due(q.id, clock.now) and progress.is_due(q.id, due)
        clock.now = due
    quiz = Quiz([q], seed=1, progress=progress, clock=clock)
    quiz.submit(_wrong(quiz.current))
    assert progress.box(q.id) == 1 and progress.is_due(q.id, clock.now)


def test_review_brings_missed_topics_back_first(bank):
    clock = FakeClock()
    progress = Progress()
    missed, known = bank["role-hr-some-orgs"], bank["role-exec-typical-title"]
    quiz = Quiz([missed, known], seed=1, progress=progress, clock=clock)
    quiz.submit(_wrong(quiz.current))
    quiz.next()
    quiz.submit(quiz.current.correct_response())
    order = review_order(list(bank), progress, clock.now, __import__("random").Random(0))
    assert order[0].id == missed.id, "a missed question is due at once"
    next_unseen = order[1]
    assert "role:human_resources" in next_unseen.topics, "then unseen questions on the missed topic"
    assert order[-1].id == known.id, "a known, not-yet-due question comes last"
    review = Quiz.draw(bank, n=3, review=True, progress=progress, clock=clock, seed=3)
    assert review.items[0].id == missed.id


def test_progress_round_trip_and_mastery(bank, tmp_path):
    path = tmp_path / "sub" / "p.json"
    progress = Progress.load(path)
    quiz = Quiz.draw(bank, topic="role:finance", n=3, seed=2, progress=progress, clock=FakeClock())
    quiz.submit(quiz.current.correct_response())
    quiz.next()
    quiz.submit(_wrong(quiz.current))
    again = Progress.load(path)
    assert again.attempts == progress.attempts and again.boxes == progress.boxes
    table = again.mastery_table()
    assert list(table.columns) == list(MASTERY_COLUMNS)
    row = table.set_index("topic").loc["role:finance"]
    assert row["attempts"] == 2 and row["correct"] == 1
    assert table["mastery"].is_monotonic_increasing, "weakest topic first"
    csv = again.export_csv(tmp_path / "mastery.csv")
    assert csv.read_text().splitlines()[0] == ",".join(MASTERY_COLUMNS)
    left = sorted(p.name for p in path.parent.iterdir())
    assert left == [".p.json.lock", "p.json"], "no temporary files left behind (the lock file stays)"


def test_empty_mastery_table_has_columns():
    table = Progress().mastery_table()
    assert table.empty and list(table.columns) == list(MASTERY_COLUMNS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a readable quiz progress file"),
        ('{"score": 3}', "not a sop_sim quiz progress file"),
        ("[1, 2, 3]", "not a sop_sim quiz progress file"),
        ('{"format": "sop_sim.quiz_progress", "version": 99, "attempts": [], "boxes": {}}', "version 99"),
        ('{"format": "sop_sim.quiz_progress", "version": 1, "attempts": [{"question": "x"}], "boxes": {}}',
         "damaged"),
        ('{"format": "sop_sim.quiz_progress", "version": 1, "attempts": [], "boxes": {"q": {"box": 9, "due": "2024-01-01T00:00:00+00:00"}}}',
         "damaged"),
    ],
)
def test_corrupt_or_foreign_file_is_refused_and_kept(tmp_path, content, message):
    path = tmp_path / "p.json"
    path.write_text(content)
    with pytest.raises(SaveFileError, match=message):
        Progress.load(path)
    assert path.read_text() == content


def test_default_path_is_configurable(monkeypatch, tmp_path):
    monkeypatch.delenv("SOP_SIM_QUIZ_PROGRESS", raising=False)
    assert default_progress_path().name == "quiz_progress.json"
    assert default_progress_path().parent.name == ".sop_sim"
    monkeypatch.setenv("SOP_SIM_QUIZ_PROGRESS", str(tmp_path / "mine.json"))
    assert default_progress_path() == tmp_path / "mine.json"
    assert Progress.load().path == tmp_path / "mine.json"

"""Progress shared by two sessions, strict loading, failed saves, and the practice-quiz
features a learner expects (skips, levels, topics in words, due count, missed list)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sop_sim.cli import main
from sop_sim.errors import AnswerError, SaveFileError
from sop_sim.quiz import Progress, Quiz, load_bank, topic_label
from sop_sim.quiz.terminal import render, render_feedback
from sop_sim.ui import QuizWidget

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

WRITER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime, timedelta
    from sop_sim.quiz.progress import Progress
    path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    p = Progress.load(path)
    start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    for i in range(n):
        p.record(f"{tag}-{i}", ["role:sales"], float(i % 2), start + timedelta(seconds=i))
        assert p.save_error is None, p.save_error
""")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_two_processes_answering_at_once_keep_every_answer(tmp_path):
    """Two quiz sessions (say a notebook and a terminal) write one progress file at once."""
    path = tmp_path / "shared.json"
    n = 25
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, str(n)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("notebook", "terminal")]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    saved = Progress.load(path)
    questions = {a.question for a in saved.attempts}
    assert len(saved.attempts) == 2 * n and questions == {f"{t}-{i}" for t in ("notebook", "terminal") for i in range(n)}
    assert set(saved.boxes) == questions, "boxes are recomputed from the merged attempts"


def test_a_session_sees_and_keeps_the_other_sessions_answers(tmp_path):
    path = tmp_path / "p.json"
    notebook, terminal = Progress.load(path), Progress.load(path)
    notebook.record("q1", ["role:sales"], 1.0, T0)
    terminal.record("q2", ["role:finance"], 0.0, T0 + timedelta(minutes=1))
    notebook.record("q3", ["role:sales"], 1.0, T0 + timedelta(minutes=2))
    assert {a.question for a in notebook.attempts} == {"q1", "q2", "q3"}
    assert {a.question for a in Progress.load(path).attempts} == {"q1", "q2", "q3"}


@pytest.mark.parametrize(("attempt", "why"), [
    ({"correct": "no"}, "correct must be true or false"),
    ({"correct": 0}, "correct must be true or false"),
    ({"score": "1"}, "score must be a number"),
    ({"score": True}, "score must be a number"),
    ({"score": 1.5}, "not between 0 and 1"),
    ({"topics": "role:sales"}, "topics must be a list"),
    ({"topics": [3]}, "a topic must be text"),
    ({"question": None}, "question must be text"),
    ({"at": "yesterday"}, "not a date and time"),
    ({"at": "2026-03-02T10:00:00"}, "no time zone"),
    ({"correct": False}, "correct is false but the score is 1"),
    ({"extra": 1}, "unknown field"),
])
def test_edited_files_are_refused_not_coerced(tmp_path, attempt, why):
    good = {"question": "q1", "topics": ["role:sales"], "score": 1, "correct": True,
            "at": "2026-03-02T10:00:00+00:00"}
    content = json.dumps({"format": "sop_sim.quiz_progress", "version": 2,
                          "attempts": [good | attempt], "skips": [], "boxes": {}})
    path = tmp_path / "p.json"
    path.write_text(content)
    with pytest.raises(SaveFileError, match=f"damaged.*{why}.*left unchanged"):
        Progress.load(path)
    assert path.read_text() == content


def test_version_1_files_still_load(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "sop_sim.quiz_progress", "version": 1, "boxes": {}, "attempts": [
        {"question": "q1", "topics": ["role:sales"], "score": 1.0, "correct": True, "at": "2026-03-02T10:00:00+00:00"}]}))
    p = Progress.load(path)
    assert p.box("q1") == 2
    p.record("q2", ["role:sales"], 0.0, T0)
    assert json.loads(path.read_text())["version"] == 2


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_failed_save_is_reported_not_claimed(monkeypatch, capsys, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        _failed_save(monkeypatch, capsys, folder / "p.json")
    finally:
        folder.chmod(0o700)


def test_failed_save_is_reported_when_the_target_is_a_folder(monkeypatch, capsys, tmp_path):
    target = tmp_path / "p.json"
    target.mkdir()  # Progress.load sees "exists"; give it a path whose parent is a file instead
    _failed_save(monkeypatch, capsys, tmp_path / "p.json" / "sub" / "x.json", folder_blocker=True)


def _failed_save(monkeypatch, capsys, path: Path, folder_blocker: bool = False) -> None:
    if folder_blocker:
        blocker = path.parent.parent
        blocker.rmdir()
        blocker.write_text("a file where a folder should be")
    quiz = Quiz.draw(n=1, seed=3)
    p = quiz.current
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{_typed_right(p)}\n"))
    code = main(["quiz", "--n", "1", "--seed", "3", "--progress", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Progress could not be saved:" in out and "Progress saved" not in out
    assert "Correct!" in out, "the quiz goes on when the file cannot be written"


def _typed_right(p) -> str:
    r = p.correct_response()
    if p.kind == "true_false":
        return "t" if r else "f"
    if p.kind == "single_choice":
        return str(r + 1)
    if p.kind == "matching":
        return " ".join("abcdefgh"[i] for i in r)
    return " ".join(str(i + 1) for i in r)


# ------------------------------------------------------------------ practice-quiz features

def test_skipped_questions_are_recorded_and_come_back_first(bank, tmp_path):
    path = tmp_path / "p.json"
    clock = lambda: T0  # noqa: E731
    quiz = Quiz.draw(bank, n=3, seed=4, progress=Progress.load(path), clock=clock)
    skipped = quiz.current.id
    quiz.skip()
    quiz.submit(quiz.current.correct_response())
    quiz.next()
    assert [m.prompt for m in quiz.missed()] == [bank[skipped].prompt]
    assert quiz.missed()[0].chosen_text == ""
    again = Progress.load(path)
    assert again.skipped() == {skipped} and again.due_count(T0) == 1
    review = Quiz.draw(bank, n=1, review=True, seed=9, progress=again, clock=clock)
    assert review.current.id == skipped, "review brings the skipped question back first"
    review.submit(review.current.correct_response())
    assert again.skipped() == set(), "answering it clears the skip"


def test_level_filter(bank):
    for level, number in (("easy", 1), ("2", 2), (3, 3)):
        quiz = Quiz.draw(bank, n=50, seed=1, level=level)
        assert {p.question.difficulty for p in quiz.items} == {number}
    with pytest.raises(AnswerError, match="1 or easy, 2 or medium, 3 or hard"):
        Quiz.draw(bank, level="expert")


def test_level_on_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["quiz", "--level", "hard", "--n", "1", "--no-save"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["quiz", "--level", "9", "--no-save"]) == 2
    assert "level 9 is not one of" in capsys.readouterr().err


def test_topic_names_in_words():
    assert topic_label("role:finance") == "Role: Finance"
    assert topic_label("tip:owns_what") == "Tip 1: Know who owns what"
    assert topic_label("step:pre_sop") == "Step: Pre-S&OP meeting"
    assert topic_label("concept:organizational_agility") == "Concept: Organizational agility"


def test_topics_only_after_answering_and_in_words(bank):
    q = bank["role-fin-translate"]
    quiz = Quiz([q], seed=2)
    p = quiz.current
    assert "role:" not in render(p, 1, 1, width=78) and "Finance" not in render(p, 1, 1, width=78).split("\n")[0]
    fb = quiz.submit(p.correct_response())
    text = render_feedback(fb, width=78)
    assert "Topics: Role: Finance; Concept: Financial integration; Tip 7:" in text.replace("\n  ", " ")
    widget = QuizWidget(Quiz([q], seed=2))
    assert "role:" not in widget.header.value and "Finance" not in widget.header.value
    widget.choice.value = widget.quiz.current.correct_response()
    widget.submit_button.click()
    assert "Topics:</b> Role: Finance" in widget.feedback.value


def test_matching_and_ordering_say_which_items_were_wrong(bank):
    q = bank["kb-order-steps"]
    quiz = Quiz([q], seed=1)
    right = quiz.current.correct_response()
    swapped = list(right)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    fb = quiz.submit(swapped)
    assert fb.details == ("Demand review: you put it 1st, it belongs 2nd.",
                          "Data gathering and reporting: you put it 2nd, it belongs 1st.")
    q = bank["tip-owns-matching"]
    quiz = Quiz([q], seed=1)
    p = quiz.current
    answer = list(p.correct_response())
    answer[0] = p.options.index("Supply chain")
    fb = quiz.submit(answer)
    assert fb.details == ("Owning the demand plan: you chose \u201cSupply chain\u201d; it goes with \u201cSales and marketing\u201d.",)
    assert "Items you got wrong:" in render_feedback(fb, width=78)


def test_text_wraps_to_the_terminal_width(bank):
    p = Quiz([bank["scn-exec-overrule"]], seed=1).current
    for width in (40, 60, 100):
        assert max(len(line) for line in render(p, 1, 1, width=width).splitlines()) <= width


def test_terminal_shows_due_count_missed_list_and_progress_path(monkeypatch, capsys, tmp_path):
    path = tmp_path / "p.json"
    first = Quiz.draw(n=2, seed=12)
    wrong = (first.items[0].correct_response() + 1) % len(first.items[0].options) \
        if first.items[0].kind == "single_choice" else None
    script = (f"{wrong + 1}\n" if wrong is not None else "s\n") + "s\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    assert main(["quiz", "--n", "2", "--seed", "12", "--progress", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Due for review today: 0 questions." in out
    assert "To review (2):" in out and "You skipped it." in out
    assert f"Progress saved to {path}" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    main(["quiz", "--n", "1", "--progress", str(path)])
    assert "Due for review today: 2 questions (start with --review" in capsys.readouterr().out


def test_widget_skip_due_count_and_missed_list(bank, tmp_path):
    path = tmp_path / "p.json"
    questions = [bank["role-fin-translate"], bank["tip-final-decisions"]]
    w = QuizWidget(Quiz(questions, seed=3, progress=Progress.load(path)))
    assert "Due for review today: 0 questions" in w.due.value
    w.skip_button.click()
    p = w.quiz.current
    w.choice.value = (p.correct_response() + 1) % 4
    w.submit_button.click()
    w.next_button.click()
    assert "To review (2)" in w.prompt.value and "You skipped it." in w.prompt.value
    assert "Your answer:" in w.prompt.value
    assert f"Progress saved to {path}" in w.message.value
    assert "Due for review today: 2 questions" in QuizWidget(Quiz(questions, seed=3, progress=Progress.load(path))).due.value


def test_due_count_ignores_questions_no_longer_in_the_bank(bank, tmp_path):
    path = tmp_path / "p.json"
    old = Progress.load(path)
    old.record("kb-owner-material_plan", ["role:supply_chain"], 0.0, T0)  # dropped from the bank
    old.record("role-fin-translate", ["role:finance"], 0.0, T0)
    quiz = Quiz([bank["tip-final-decisions"]], seed=1, progress=Progress.load(path), clock=lambda: T0)
    assert quiz.progress.due_count(T0) == 2 and quiz.due_today() == 1

"""The timed exam: engine rules, the terminal through stdin (in-process and a real piped
process) and the widget."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from sop_sim.cli import main
from sop_sim.errors import AnswerError
from sop_sim.quiz import Exam, Progress, load_bank
from sop_sim.quiz.exam import exam_pool
from sop_sim.ui import ExamWidget

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_exam_uses_only_the_cpim_format_and_spreads_topics(bank):
    exam = Exam.draw(bank, n=40, seed=3)
    assert len(exam) == 40 and len({p.id for p in exam.items}) == 40
    assert all(p.kind == "single_choice" and len(p.options) == 4 for p in exam.items)
    assert len({p.topics[0] for p in exam.items}) >= 20, "a 40-item exam covers many topics"
    assert len(exam_pool(bank)) >= 100
    assert [p.id for p in Exam.draw(bank, n=40, seed=3).items] == [p.id for p in exam.items]


def test_answers_can_be_changed_cleared_and_marked_and_nothing_is_revealed(bank):
    clock = Clock()
    exam = Exam.draw(bank, n=5, minutes=30, seed=8, clock=clock)
    key = [p.correct_response() for p in exam.items]
    assert exam.answer(0, (key[0] + 1) % 4) is None, "answering reveals nothing"
    exam.answer(0, key[0])  # changed
    exam.answer(1, key[1])
    exam.clear(1)
    assert exam.toggle_mark(2) is True and exam.toggle_mark(3) is True and exam.toggle_mark(3) is False
    exam.go(4)
    exam.answer(4, (key[4] + 1) % 4)
    assert exam.previous().id == exam.items[3].id and exam.next().id == exam.items[4].id
    assert exam.status()[2] == (2, False, True)
    clock.now += timedelta(minutes=7, seconds=5)
    assert exam.time_left() == "22:55"
    result = exam.finish()
    assert (result.correct, result.total, result.answered) == (1, 5, 2)
    assert result.time_used == "7:05" and result.time_allowed == "30:00" and not result.timed_out
    assert [r.number for r in result.review] == [2, 3, 4, 5]
    wrong = result.review[-1]
    assert wrong.chosen_text == exam.items[4].options[(key[4] + 1) % 4]
    assert wrong.correct_text == exam.items[4].options[key[4]]
    assert wrong.explanation and wrong.why_chosen, "the choice's own explanation is shown"
    assert result.review[0].chosen_text == "" and result.review[1].marked
    with pytest.raises(AnswerError, match="the exam is over"):
        exam.answer(0, 1)
    assert exam.finish() is result


def test_time_up_hands_in_and_refuses_late_answers(bank):
    clock = Clock()
    exam = Exam.draw(bank, n=3, minutes=1, seed=1, clock=clock)
    exam.answer(0, exam.items[0].correct_response())
    clock.now += timedelta(seconds=61)
    with pytest.raises(AnswerError, match="time is up"):
        exam.answer(1, 0)
    assert exam.finished and exam.result.timed_out and exam.result.time_used == "1:00"
    assert exam.result.correct == 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n": 0}, "whole number >= 1"),
    ({"minutes": 0}, "from 1 to 600"),
    ({"topic": "role:ceo"}, "unknown topic"),
])
def test_bad_exam_settings(bank, kwargs, message):
    with pytest.raises(Exception, match=message):
        Exam.draw(bank, **kwargs)


def test_exam_answers_go_into_the_progress_file(bank, tmp_path):
    path = tmp_path / "p.json"
    exam = Exam.draw(bank, n=4, seed=5, progress=Progress.load(path))
    exam.answer(0, exam.items[0].correct_response())
    exam.answer(1, (exam.items[1].correct_response() + 1) % 4)
    exam.finish()
    saved = json.loads(path.read_text())
    assert len(saved["attempts"]) == 2 and len(saved["skips"]) == 2
    assert Progress.load(path).skipped() == {exam.items[2].id, exam.items[3].id}


# ------------------------------------------------------------------ terminal, through stdin

def _run(monkeypatch, capsys, argv, stdin_text):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin_text))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_piped_exam_go_back_change_mark_and_review(monkeypatch, capsys, tmp_path):
    path = tmp_path / "p.json"
    exam = Exam.draw(n=4, minutes=20, seed=21)  # same seed, same questions and shuffles
    key = [p.correct_response() + 1 for p in exam.items]
    wrong = [k % 4 + 1 for k in key]
    script = [str(wrong[0]), str(key[1]), str(key[2]),  # answers 1-3, 1 wrong
              "g 1", "m", str(key[0]),                    # back to 1: mark it, change to the key
              "g 3", "c",                                 # clear 3
              "l", "x", "f", "f"]                         # list, a typo, finish (confirm)
    code, out, err = _run(monkeypatch, capsys,
                          ["quiz", "--exam", "--n", "4", "--minutes", "20", "--seed", "21", "--progress", str(path)],
                          "\n".join(script) + "\n")
    assert code == 0 and err == ""
    before_end = out.split("Exam handed in.")[0]
    assert "Correct" not in before_end and "Why:" not in before_end, "nothing revealed before the end"
    assert "Time left 20:00" in out or "Time left 19:59" in out
    assert "Question 1 marked for review." in out and "Answer to question 3 cleared." in out
    assert "1:answered* 2:answered 3:open 4:open" in out
    assert "unknown command \u201cx\u201d" in out
    assert "2 questions open and 1 marked. Type f again" in out
    assert "Score: 2 of 4 (50%); 2 answered. Time used:" in out
    assert "Review of the 2 questions you missed or left open" in out
    assert "Question 3: " in out and "Your answer: none" in out
    assert f"Correct answer: {exam.items[3].options[key[3] - 1]}" in out
    assert f"Progress saved to {path}" in out


def test_exam_options_are_checked(monkeypatch, capsys):
    code, _, err = _run(monkeypatch, capsys, ["quiz", "--exam", "--review", "--no-save"], "")
    assert code == 2 and "--review and --level are for practice quizzes" in err
    code, _, err = _run(monkeypatch, capsys, ["quiz", "--minutes", "30", "--no-save"], "")
    assert code == 2 and "--minutes is for the timed exam" in err
    code, _, err = _run(monkeypatch, capsys, ["quiz", "--exam", "--minutes", "900", "--no-save"], "")
    assert code == 2 and "give 1 to 600" in err and err.count("\n") == 1


def test_exam_in_a_real_piped_process(tmp_path):
    """`sop-sim quiz --exam` as a learner runs it with a pipe: end of input hands in."""
    env = {**os.environ, "SOP_SIM_QUIZ_PROGRESS": str(tmp_path / "p.json")}
    proc = subprocess.run([sys.executable, "-m", "sop_sim.cli", "quiz", "--exam", "--n", "3", "--seed", "4"],
                          input="1\n2\n", capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "End of input: handing in." in proc.stdout and "Score: " in proc.stdout
    assert "Traceback" not in proc.stderr
    assert len(json.loads((tmp_path / "p.json").read_text())["attempts"]) == 2


# ------------------------------------------------------------------ widget

def test_exam_widget_flow(bank, tmp_path):
    clock = Clock()
    exam = Exam.draw(bank, n=3, minutes=10, seed=6, clock=clock, progress=Progress.load(tmp_path / "p.json"))
    w = ExamWidget(exam)
    key = [p.correct_response() for p in exam.items]
    w.choice.value = (key[0] + 1) % 4
    assert exam.answers[0] == (key[0] + 1) % 4 and w.results.value == "", "nothing revealed"
    w.choice.value = key[0]  # change
    w.mark_button.click()
    assert "marked for review" in w.header.value and w.goto.options[0][0] == "1: answered, marked"
    w.next_button.click()
    assert "Question 2 of 3" in w.header.value and w.choice.value is None
    w.choice.value = key[1]
    w.clear_button.click()
    assert exam.answers[1] is None
    w.goto.value = 2
    w.choice.value = key[2]
    w.prev_button.click()
    assert exam.position == 1
    clock.now += timedelta(minutes=3)
    w.tick()
    assert "7:00" in w.clock.value
    w.finish_button.click()
    assert "1 question open and 1 marked" in w.message.value and not exam.finished
    w.finish_button.click()
    assert exam.finished and all(b.disabled for b in (w.next_button, w.finish_button, w.choice))
    assert "Score: 2 of 3" in w.results.value and "Time used: 3:00 of 10:00" in w.results.value
    assert "Your answer: none" in w.results.value and "Correct answer:" in w.results.value
    assert "Progress saved to" in w.message.value


def test_exam_widget_hands_in_when_time_is_up(bank):
    clock = Clock()
    w = ExamWidget(Exam.draw(bank, n=2, minutes=1, seed=2, clock=clock))
    clock.now += timedelta(minutes=2)
    w.choice.value = 1
    assert w.exam.finished and "Time is up" in w.results.value

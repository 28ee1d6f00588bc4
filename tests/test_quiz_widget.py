"""QuizWidget driven without a browser: set control values, click buttons."""

from __future__ import annotations

import json

import pytest

from sop_sim.quiz import Progress, Quiz, load_bank
from sop_sim.ui import QuizWidget


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _set(widget: QuizWidget, response) -> None:
    p = widget.quiz.current
    if p.kind in ("single_choice", "true_false"):
        widget.choice.value = response
    elif p.kind == "multi_select":
        for i, box in enumerate(widget.checks):
            box.value = i in response
    elif p.kind == "ordering":
        for dd, v in zip(widget.order, response, strict=True):
            dd.value = v
    else:
        for dd, v in zip(widget.matches, response, strict=True):
            dd.value = v


def _one_of_each_kind(bank):
    kinds = ("single_choice", "multi_select", "true_false", "ordering", "matching")
    return [next(q for q in bank if q.kind == k) for k in kinds]


def test_every_kind_can_be_answered_correctly(bank, tmp_path):
    questions = _one_of_each_kind(bank)
    widget = QuizWidget(Quiz(questions, seed=4, progress=Progress.load(tmp_path / "p.json")))
    for q in questions:
        p = widget.quiz.current
        assert p.id == q.id
        assert q.prompt in widget.prompt.value or "&" in q.prompt
        assert not widget.submit_button.disabled and widget.next_button.disabled
        _set(widget, p.correct_response())
        widget.submit_button.click()
        assert "Correct!" in widget.feedback.value, q.id
        assert widget.submit_button.disabled and not widget.next_button.disabled
        assert all(w.disabled for w in [*widget.checks, *widget.order, *widget.matches])
        widget.next_button.click()
    assert widget.quiz.finished
    assert "Quiz finished" in widget.header.value and "5 fully correct" in widget.prompt.value
    assert widget.submit_button.disabled and widget.next_button.disabled
    saved = json.loads((tmp_path / "p.json").read_text())
    assert len(saved["attempts"]) == 5


def test_wrong_answer_shows_answer_explanation_and_note(bank):
    q = bank["role-exec-final-decisions"]
    widget = QuizWidget(Quiz([q], seed=1))
    p = widget.quiz.current
    finance = p.options.index("The head of finance, since every option has a cost")
    widget.choice.value = finance
    widget.submit_button.click()
    fb = widget.feedback.value
    assert "Not quite" in fb and "executive sponsor" in fb.lower()
    assert "About your choice" in fb and "Finance shows" in fb
    assert "Score so far: <b>0</b>" in widget.score.value
    assert "Role: Executive sponsor" in widget.mastery.value and "role:" not in widget.mastery.value


def test_partial_credit_is_shown(bank):
    widget = QuizWidget(Quiz([bank["kb-order-steps"]], seed=0))
    right = list(widget.quiz.current.correct_response())
    right[0], right[1] = right[1], right[0]
    _set(widget, right)
    widget.submit_button.click()
    assert "Partly right: score 0.90" in widget.feedback.value


def test_incomplete_or_invalid_answers_record_nothing(bank):
    questions = [bank["role-exec-typical-title"], bank["role-sc-duties"], bank["step-match-outputs"],
                 bank["kb-order-steps"]]
    widget = QuizWidget(Quiz(questions, seed=2))
    widget.submit_button.click()  # no radio choice
    assert "choose an answer first" in widget.message.value
    widget.next_button.click()  # disabled buttons still fire in tests; skipping is allowed
    widget.submit_button.click()  # no box ticked
    assert "tick at least one option" in widget.message.value
    widget.next_button.click()
    widget.matches[0].value = 0
    widget.submit_button.click()  # matching incomplete
    assert "choose a match for every item" in widget.message.value
    widget.next_button.click()
    widget.order[1].value = widget.order[0].value  # the same item twice
    widget.submit_button.click()
    assert "exactly once" in widget.message.value
    assert widget.quiz.progress.attempts == [] and widget.feedback.value == ""
    assert not widget.submit_button.disabled


def test_start_uses_the_given_progress_file(tmp_path):
    path = tmp_path / "progress.json"
    widget = QuizWidget.start(topic="step:pre_sop", n=3, seed=1, review=True, progress_path=path)
    assert len(widget.quiz) == 3
    assert widget.quiz.progress.path == path
    assert "progress appears here" in widget.mastery.value

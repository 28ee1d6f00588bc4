"""An ipywidgets front end for :class:`sop_sim.quiz.Quiz`.

The widget only maps controls to engine calls: it builds the answer from the
controls, calls :meth:`Quiz.submit` and shows the returned feedback. All grading
and record keeping happens in the engine, so the widget can be tested without a
browser: set ``.value`` on the controls and call ``.click()`` on the buttons.

Controls per question kind:

* single choice and true/false: ``choice`` (radio buttons)
* multi select: ``checks`` (one checkbox per option)
* ordering: ``order`` (one dropdown per position, first to last)
* matching: ``matches`` (one dropdown per item on the left)

``skip_button`` passes over a question (it is recorded and comes back in review).
Topics are shown, in words, only after the answer. The end screen lists every
question missed or skipped with the learner's choice and the key.

:class:`ExamWidget` runs the timed CPIM-style exam (:class:`sop_sim.quiz.Exam`):
previous/next, a "go to" list showing answered and marked questions, mark for
review, clear, and a clock; nothing is revealed until the exam is handed in.
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as widgets

from sop_sim.errors import AnswerError
from sop_sim.quiz import Exam, ExamResult, Feedback, Missed, Presented, Progress, Quiz
from sop_sim.quiz.engine import topic_label
from sop_sim.quiz.exam import DEFAULT_MINUTES, DEFAULT_QUESTIONS

_ORDINALS = ("1st", "2nd", "3rd") + tuple(f"{i}th" for i in range(4, 21))


class QuizWidget(widgets.VBox):
    """A quiz in a notebook: question, answer controls, feedback, score, progress.

    Parameters
    ----------
    quiz
        The quiz to run; see :meth:`start` to draw one and open a progress file.
    """

    def __init__(self, quiz: Quiz) -> None:
        self.quiz = quiz
        self.header = widgets.HTML()
        self.prompt = widgets.HTML()
        self.choice = widgets.RadioButtons(options=[], layout=widgets.Layout(width="auto"))
        self.checks: list[widgets.Checkbox] = []
        self.order: list[widgets.Dropdown] = []
        self.matches: list[widgets.Dropdown] = []
        self.answer_area = widgets.VBox()
        self.submit_button = widgets.Button(description="Check answer", button_style="primary")
        self.next_button = widgets.Button(description="Next question", disabled=True)
        self.skip_button = widgets.Button(description="Skip for now")
        self.due = widgets.HTML()
        self.message = widgets.HTML()
        self.feedback = widgets.HTML()
        self.score = widgets.HTML()
        self.mastery = widgets.HTML()
        self.submit_button.on_click(self._on_submit)
        self.next_button.on_click(self._on_next)
        self.skip_button.on_click(self._on_skip)
        if quiz.progress.path is not None:
            n_due = quiz.due_today()
            self.due.value = (f"<p style='color:#555'>Due for review today: {n_due} "
                              f"question{'s' if n_due != 1 else ''}.</p>")
        super().__init__(
            [
                self.due, self.header, self.prompt, self.answer_area,
                widgets.HBox([self.submit_button, self.next_button, self.skip_button]),
                self.message, self.feedback, self.score, self.mastery,
            ]
        )
        self._show(quiz.current)

    @classmethod
    def start(
        cls,
        *,
        topic: str | None = None,
        n: int = 10,
        seed: int | None = None,
        review: bool = False,
        level: int | str | None = None,
        progress_path: str | os.PathLike[str] | None = None,
    ) -> QuizWidget:
        """Draw a quiz and open (or create) the progress file, then build the widget.

        ``level`` keeps one difficulty (1 or "easy", 2 or "medium", 3 or "hard").
        ``progress_path=None`` uses the default file in the user's home (or
        ``$SOP_SIM_QUIZ_PROGRESS``), shared with ``sop-sim quiz`` in a terminal.
        """
        progress = Progress.load(progress_path)
        return cls(Quiz.draw(topic=topic, n=n, seed=seed, review=review, level=level, progress=progress))

    # ------------------------------------------------------------ rendering
    def _show(self, p: Presented | None) -> None:
        self.message.value = ""
        self.feedback.value = ""
        self._render_score()
        if p is None:
            self._show_end()
            return
        self.header.value = f"<b>Question {self.quiz.position + 1} of {len(self.quiz)}</b>"
        self.prompt.value = f"<p style='font-size:1.1em'>{escape(p.prompt)}</p>"
        self.checks, self.order, self.matches = [], [], []
        if p.kind in ("single_choice", "true_false"):
            values = [True, False] if p.kind == "true_false" else list(range(len(p.options)))
            self.choice.options = list(zip(p.options, values, strict=True))
            self.choice.value = None
            controls: list[widgets.Widget] = [self.choice]
        elif p.kind == "multi_select":
            self.checks = [
                widgets.Checkbox(value=False, description=opt, indent=False,
                                 layout=widgets.Layout(width="auto"))
                for opt in p.options
            ]
            controls = [widgets.HTML("<i>Tick every option that applies.</i>"), *self.checks]
        elif p.kind == "ordering":
            options = [(opt, i) for i, opt in enumerate(p.options)]
            self.order = [
                widgets.Dropdown(options=options, value=i, description=_ORDINALS[i],
                                 layout=widgets.Layout(width="auto"))
                for i in range(len(p.options))
            ]
            controls = [widgets.HTML("<i>Choose which item comes at each position.</i>"), *self.order]
        else:
            options = [(opt, i) for i, opt in enumerate(p.options)]
            self.matches = [
                widgets.Dropdown(options=options, value=None, layout=widgets.Layout(width="auto"))
                for _ in p.left
            ]
            controls = [widgets.HTML("<i>Pick the match for each item.</i>")]
            controls += [
                widgets.VBox([widgets.HTML(f"<b>{escape(item)}</b>"), dd])
                for item, dd in zip(p.left, self.matches, strict=True)
            ]
        self.answer_area.children = tuple(controls)
        self._set_inputs_disabled(False)
        self.submit_button.disabled = False
        self.skip_button.disabled = False
        self.next_button.disabled = True

    def _show_end(self) -> None:
        s = self.quiz.summary()
        self.header.value = "<b>Quiz finished</b>"
        self.prompt.value = (
            f"<p>You scored {round(s['score'], 2):g} out of {s['answered']} answered "
            f"({s['percent']:g}%), with {s['correct']} fully correct.</p>"
            + render_missed(self.quiz.missed())
        )
        self.answer_area.children = ()
        self.submit_button.disabled = True
        self.next_button.disabled = True
        self.skip_button.disabled = True
        self.message.value = _save_note(self.quiz.progress)

    def _render_score(self) -> None:
        s = self.quiz.summary()
        self.score.value = (
            f"<p>Score so far: <b>{round(s['score'], 2):g}</b> / {s['answered']} answered</p>"
        )
        table = self.quiz.progress.mastery_table()
        if table.empty:
            self.mastery.value = "<p style='color:#777'>Your per-topic progress appears here.</p>"
            return
        shown = table[["topic", "attempts", "correct", "mastery"]].head(8).copy()
        shown["topic"] = [topic_label(x) for x in shown["topic"]]
        shown.columns = ["Topic", "Answers", "Fully right", "Mastery"]
        self.mastery.value = "<b>Weakest topics so far</b>" + shown.to_html(index=False)

    def _set_inputs_disabled(self, disabled: bool) -> None:
        for w in [self.choice, *self.checks, *self.order, *self.matches]:
            w.disabled = disabled

    # ------------------------------------------------------------ controller
    def response(self) -> object:
        """The answer currently set in the controls, in engine terms.

        Raises
        ------
        AnswerError
            When nothing (or not everything) has been chosen yet.
        """
        p = self.quiz.current
        if p is None:
            raise AnswerError("the quiz is over")
        if p.kind in ("single_choice", "true_false"):
            if self.choice.value is None:
                raise AnswerError("choose an answer first")
            return self.choice.value
        if p.kind == "multi_select":
            return [i for i, box in enumerate(self.checks) if box.value]
        if p.kind == "ordering":
            return [dd.value for dd in self.order]
        if any(dd.value is None for dd in self.matches):
            raise AnswerError("choose a match for every item")
        return [dd.value for dd in self.matches]

    def _on_submit(self, _button: widgets.Button | None = None) -> None:
        try:
            fb = self.quiz.submit(self.response())
        except AnswerError as exc:
            self.message.value = f"<span style='color:#b00'>{escape(str(exc))}</span>"
            return
        self.message.value = _save_note(self.quiz.progress, failures_only=True)
        self.feedback.value = render_feedback(fb)
        self._set_inputs_disabled(True)
        self.submit_button.disabled = True
        self.skip_button.disabled = True
        last = self.quiz.position + 1 >= len(self.quiz)
        self.next_button.description = "See results" if last else "Next question"
        self.next_button.disabled = False
        self._render_score()

    def _on_next(self, _button: widgets.Button | None = None) -> None:
        self._show(self.quiz.next())

    def _on_skip(self, _button: widgets.Button | None = None) -> None:
        self._show(self.quiz.skip())


def render_feedback(fb: Feedback) -> str:
    """Feedback as HTML: verdict, the right answer, why, and notes on wrong picks."""
    if fb.correct:
        head = "<b style='color:#1a7f37'>Correct!</b>"
    elif fb.score > 0:
        head = f"<b style='color:#9a6700'>Partly right: score {fb.score:.2f}</b>"
    else:
        head = "<b style='color:#b00'>Not quite.</b>"
    parts = [f"<p>{head}</p>"]
    if not fb.correct:
        parts.append(f"<p><b>Answer:</b> {escape(fb.correct_text)}</p>")
    parts.append(f"<p><b>Why:</b> {escape(fb.explanation)}</p>")
    parts += [f"<p><i>About your choice:</i> {escape(n)}</p>" for n in fb.notes]
    if fb.details:
        parts.append("<p><i>Items you got wrong:</i></p><ul>"
                     + "".join(f"<li>{escape(d)}</li>" for d in fb.details) + "</ul>")
    parts.append(f"<p style='color:#555'><b>Topics:</b> {escape('; '.join(fb.topic_names))}</p>")
    return "".join(parts)


def render_missed(missed: list[Missed]) -> str:
    """The end-of-session list as HTML: each missed or skipped question, your choice, the key."""
    if not missed:
        return "<p>Nothing to review: every question you answered was fully right.</p>"
    items = []
    for m in missed:
        chosen = (f"Your answer: {escape(m.chosen_text)}" if m.chosen_text else "You skipped it.")
        extra = "".join(f"<br><i>{escape(d)}</i>" for d in (*m.details, *m.notes))
        items.append(f"<li><b>{escape(m.prompt)}</b><br>{chosen}<br>Answer: {escape(m.correct_text)}{extra}</li>")
    return f"<p><b>To review ({len(missed)})</b></p><ol>{''.join(items)}</ol>"


def _save_note(progress: Progress, failures_only: bool = False) -> str:
    if progress.path is None:
        return ""
    if progress.save_error:
        return f"<span style='color:#b00'>Progress could not be saved: {escape(progress.save_error)}</span>"
    if failures_only or not progress.saved:
        return ""
    return f"<span style='color:#555'>Progress saved to {escape(str(progress.path))}</span>"


class ExamWidget(widgets.VBox):
    """A timed CPIM-style exam in a notebook (see :class:`sop_sim.quiz.Exam`).

    Choosing an option answers the question shown (choose again to change it).
    ``prev_button``/``next_button`` move, ``goto`` jumps to any question and shows which
    are answered and marked, ``mark_button`` marks for review, ``clear_button`` takes an
    answer back and ``finish_button`` hands in (asking once more while questions are
    open or marked). A hidden ``ticker`` (``ipywidgets.Play``) advances the clock every
    second in a live notebook; when time runs out the exam is handed in.
    """

    def __init__(self, exam: Exam) -> None:
        self.exam = exam
        self.header = widgets.HTML()
        self.clock = widgets.HTML()
        self.prompt = widgets.HTML()
        self.choice = widgets.RadioButtons(options=[], layout=widgets.Layout(width="auto"))
        self.goto = widgets.Dropdown(description="Go to", layout=widgets.Layout(width="16em"))
        self.prev_button = widgets.Button(description="Previous")
        self.next_button = widgets.Button(description="Next")
        self.mark_button = widgets.Button(description="Mark for review")
        self.clear_button = widgets.Button(description="Clear answer")
        self.finish_button = widgets.Button(description="Hand in", button_style="warning")
        self.message = widgets.HTML()
        self.results = widgets.HTML()
        self.ticker = widgets.Play(value=0, min=0, max=exam.minutes * 60, interval=1000,
                                   layout=widgets.Layout(display="none"))
        self._updating = False
        self._confirm = False
        self.choice.observe(self._on_choice, names="value")
        self.goto.observe(self._on_goto, names="value")
        self.ticker.observe(lambda _change: self.tick(), names="value")
        self.prev_button.on_click(lambda _b: self._move(self.exam.previous))
        self.next_button.on_click(lambda _b: self._move(self.exam.next))
        self.mark_button.on_click(self._on_mark)
        self.clear_button.on_click(self._on_clear)
        self.finish_button.on_click(self._on_finish)
        super().__init__([
            widgets.HBox([self.header, self.clock]), self.prompt, self.choice,
            widgets.HBox([self.prev_button, self.next_button, self.mark_button, self.clear_button]),
            widgets.HBox([self.goto, self.finish_button]), self.message, self.results, self.ticker,
        ])
        self._render()
        self.ticker.playing = True

    @classmethod
    def start(
        cls,
        *,
        n: int = DEFAULT_QUESTIONS,
        minutes: int = DEFAULT_MINUTES,
        topic: str | None = None,
        seed: int | None = None,
        progress_path: str | os.PathLike[str] | None = None,
    ) -> ExamWidget:
        """Draw an exam and open (or create) the progress file the answers go to."""
        progress = Progress.load(progress_path)
        return cls(Exam.draw(n=n, minutes=minutes, topic=topic, seed=seed, progress=progress))

    # ------------------------------------------------------------ rendering
    def _render(self) -> None:
        ex = self.exam
        if ex.finished:
            return
        self._updating = True
        try:
            i, p = ex.position, ex.current
            mark = " <span style='color:#9a6700'>[marked for review]</span>" if i in ex.marked else ""
            self.header.value = f"<b>Question {i + 1} of {len(ex)}</b>{mark}"
            self.prompt.value = f"<p style='font-size:1.1em'>{escape(p.prompt)}</p>"
            self.choice.options = list(zip(p.options, range(4), strict=True))
            self.choice.value = ex.answers[i]
            self.goto.options = [(self._label(k, answered, marked), k) for k, answered, marked in ex.status()]
            self.goto.value = i
            self.mark_button.description = "Unmark" if i in ex.marked else "Mark for review"
        finally:
            self._updating = False
        self._render_clock()

    @staticmethod
    def _label(k: int, answered: bool, marked: bool) -> str:
        return f"{k + 1}: {'answered' if answered else 'open'}{', marked' if marked else ''}"

    def _render_clock(self) -> None:
        self.clock.value = f"<span style='margin-left:2em'>Time left <b>{self.exam.time_left()}</b></span>"

    def tick(self) -> None:
        """Refresh the clock; hand in when time is up (called every second by ``ticker``)."""
        if self.exam.finished:
            return
        if self.exam.expired:
            self._hand_in()
        else:
            self._render_clock()

    # ------------------------------------------------------------ controller
    def _guard(self, action) -> bool:  # noqa: ANN001 - a callable
        if self.exam.finished:
            return False
        try:
            action()
        except AnswerError as exc:
            if self.exam.finished:  # time ran out
                self._show_result()
            else:
                self.message.value = f"<span style='color:#b00'>{escape(str(exc))}</span>"
            return False
        self.message.value = ""
        self._confirm = False
        return True

    def _on_choice(self, change: dict) -> None:
        if self._updating or change["new"] is None:
            return
        if self._guard(lambda: self.exam.answer(self.exam.position, change["new"])):
            self._render()

    def _on_goto(self, change: dict) -> None:
        if self._updating or change["new"] is None:
            return
        self._move(lambda: self.exam.go(change["new"]))

    def _move(self, step) -> None:  # noqa: ANN001 - a callable
        if self._guard(lambda: (self.exam._check_open(), step())):
            self._render()

    def _on_mark(self, _button: widgets.Button | None = None) -> None:
        if self._guard(lambda: self.exam.toggle_mark(self.exam.position)):
            self._render()

    def _on_clear(self, _button: widgets.Button | None = None) -> None:
        if self._guard(lambda: self.exam.clear(self.exam.position)):
            self._render()

    def _on_finish(self, _button: widgets.Button | None = None) -> None:
        ex = self.exam
        if ex.finished:
            return
        open_n, marked_n = len(ex.unanswered()), len(ex.marked)
        if (open_n or marked_n) and not self._confirm and not ex.expired:
            self.message.value = (f"{open_n} question{'s' if open_n != 1 else ''} open and {marked_n} marked. "
                                  "Click <b>Hand in</b> again to finish, or go back to them.")
            self._confirm = True
            return
        self._hand_in()

    def _hand_in(self) -> None:
        self.exam.finish()
        self._show_result()

    def _show_result(self) -> None:
        self.ticker.playing = False
        result = self.exam.result
        assert result is not None
        for w in (self.choice, self.goto, self.prev_button, self.next_button, self.mark_button,
                  self.clear_button, self.finish_button):
            w.disabled = True
        self.header.value = "<b>Exam handed in</b>"
        self.clock.value = ""
        self.prompt.value = ""
        self.choice.options = []
        self.message.value = _save_note(self.exam.progress)
        self.results.value = render_exam_result(result)


def render_exam_result(result: ExamResult) -> str:
    """Score, time used and the review of every missed question, as HTML."""
    head = "Time is up: the exam was handed in. " if result.timed_out else ""
    parts = [f"<p>{head}<b>Score: {result.correct} of {result.total} ({result.percent:g}%)</b>; "
             f"{result.answered} answered. Time used: {result.time_used} of {result.time_allowed}.</p>"]
    if not result.review:
        parts.append("<p>No question missed.</p>")
        return "".join(parts)
    items = []
    for r in result.review:
        chosen = escape(r.chosen_text) if r.chosen_text else "none"
        why = f"<br><i>About your choice:</i> {escape(r.why_chosen)}" if r.why_chosen else ""
        items.append(f"<li value='{r.number}'><b>{escape(r.prompt)}</b>{' (marked)' if r.marked else ''}"
                     f"<br>Your answer: {chosen}<br>Correct answer: {escape(r.correct_text)}"
                     f"<br>Why: {escape(r.explanation)}{why}</li>")
    parts.append(f"<p><b>Review of the {len(result.review)} questions you missed or left open</b></p>"
                 f"<ol>{''.join(items)}</ol>")
    return "".join(parts)

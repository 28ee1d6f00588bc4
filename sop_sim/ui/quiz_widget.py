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
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as widgets

from sop_sim.errors import AnswerError
from sop_sim.quiz import Feedback, Presented, Progress, Quiz

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
        self.message = widgets.HTML()
        self.feedback = widgets.HTML()
        self.score = widgets.HTML()
        self.mastery = widgets.HTML()
        self.submit_button.on_click(self._on_submit)
        self.next_button.on_click(self._on_next)
        super().__init__(
            [
                self.header, self.prompt, self.answer_area,
                widgets.HBox([self.submit_button, self.next_button]),
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
        progress_path: str | os.PathLike[str] | None = None,
    ) -> QuizWidget:
        """Draw a quiz and open (or create) the progress file, then build the widget.

        ``progress_path=None`` uses the default file in the user's home (or
        ``$SOP_SIM_QUIZ_PROGRESS``); notebooks run in CI should pass a temporary path.
        """
        progress = Progress.load(progress_path)
        return cls(Quiz.draw(topic=topic, n=n, seed=seed, review=review, progress=progress))

    # ------------------------------------------------------------ rendering
    def _show(self, p: Presented | None) -> None:
        self.message.value = ""
        self.feedback.value = ""
        self._render_score()
        if p is None:
            self._show_end()
            return
        topics = ", ".join(p.topics)
        self.header.value = (
            f"<b>Question {self.quiz.position + 1} of {len(self.quiz)}</b>"
            f" <span style='color:#777'>({escape(topics)})</span>"
        )
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
        self.next_button.disabled = True

    def _show_end(self) -> None:
        s = self.quiz.summary()
        self.header.value = "<b>Quiz finished</b>"
        self.prompt.value = (
            f"<p>You scored {round(s['score'], 2):g} out of {s['answered']} answered "
            f"({s['percent']:g}%), with {s['correct']} fully correct.</p>"
        )
        self.answer_area.children = ()
        self.submit_button.disabled = True
        self.next_button.disabled = True

    def _render_score(self) -> None:
        s = self.quiz.summary()
        self.score.value = (
            f"<p>Score so far: <b>{round(s['score'], 2):g}</b> / {s['answered']} answered</p>"
        )
        table = self.quiz.progress.mastery_table()
        if table.empty:
            self.mastery.value = "<p style='color:#777'>Your per-topic progress appears here.</p>"
            return
        shown = table[["topic", "attempts", "correct", "mastery"]].head(8)
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
        self.message.value = ""
        self.feedback.value = render_feedback(fb)
        self._set_inputs_disabled(True)
        self.submit_button.disabled = True
        last = self.quiz.position + 1 >= len(self.quiz)
        self.next_button.description = "See results" if last else "Next question"
        self.next_button.disabled = False
        self._render_score()

    def _on_next(self, _button: widgets.Button | None = None) -> None:
        self._show(self.quiz.next())


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
    return "".join(parts)

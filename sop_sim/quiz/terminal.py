"""A plain-text quiz and a timed exam for the terminal; both work when input is piped.

How answers are typed in a practice quiz:

* single choice: the option number, e.g. ``2``
* multi select: every number that applies, e.g. ``1 3`` or ``1,3``
* true/false: ``t`` or ``f`` (``true``/``false``, ``y``/``n`` work too)
* ordering: the option numbers from first to last, e.g. ``3 1 2 5 4``
* matching: one letter per numbered item, in item order, e.g. ``b a c`` or ``bac``

``s`` skips a question (it is recorded, and review brings it back) and ``q`` (or end of
input) stops the quiz; progress already recorded is kept. A typo gets a one-line hint
and the same question again. Topics are shown, in words, only after the answer. The
session ends with the list of questions missed or skipped, with your choice, the key
and why. Text is wrapped to the terminal's width.

The exam (:func:`run_exam`) takes commands instead; see :data:`EXAM_HELP`.
"""

from __future__ import annotations

import re
import shutil
import string
import textwrap
from typing import TextIO

from sop_sim.errors import AnswerError
from sop_sim.quiz.engine import Feedback, Missed, Quiz, topic_label
from sop_sim.quiz.exam import Exam, ExamResult
from sop_sim.quiz.grading import Presented, Response, validate

_HINTS = {
    "single_choice": "type the number of your answer",
    "multi_select": "type every number that applies, e.g. 1 3",
    "true_false": "type t or f",
    "ordering": "type the numbers from first to last, e.g. 3 1 2",
    "matching": "type one letter per item, in item order, e.g. b a c",
}
_TRUE = {"t", "true", "y", "yes"}
_FALSE = {"f", "false", "n", "no"}

EXAM_HELP = (
    "Commands: 1-4 answers the question shown (type another number to change it); "
    "n next; p previous; g N goes to question N; m marks or unmarks it for review; "
    "c clears your answer; l lists every question; f finishes and hands in; h shows this help."
)


def terminal_width() -> int:
    """Columns to wrap to: the terminal's width, within 40 to 100 (78 when unknown)."""
    return max(40, min(100, shutil.get_terminal_size((78, 24)).columns))


def _wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, width, subsequent_indent=indent) or [""]


class _Quit(Exception):
    pass


def _numbers(text: str, n: int) -> list[int]:
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise AnswerError(f"use numbers from 1 to {n}")
    return [int(p) - 1 for p in parts]


def parse_typed(p: Presented, text: str) -> Response:
    """Turn what the learner typed into an engine response (display indices).

    Raises
    ------
    AnswerError
        With a short hint when the text cannot be read or is out of range.
    """
    text = text.strip().lower()
    n = len(p.options)
    if p.kind == "true_false":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise AnswerError("type t for true or f for false")
    if p.kind == "matching":
        letters = [c for c in text if not c.isspace() and c not in ",;"]
        valid = string.ascii_lowercase[:n]
        if not letters or any(c not in valid for c in letters):
            raise AnswerError(f"use the letters a to {valid[-1]}, one per item")
        response: Response = [valid.index(c) for c in letters]
    elif p.kind == "single_choice":
        numbers = _numbers(text, n)
        if len(numbers) != 1:
            raise AnswerError("choose exactly one number")
        response = numbers[0]
    else:
        response = _numbers(text, n)
    try:
        return validate(p, response)
    except AnswerError as exc:  # reword index-based messages for typed input
        raise AnswerError(_retype(p, str(exc))) from None


def _retype(p: Presented, message: str) -> str:
    if "out of range" in message or "whole number" in message:
        return f"use numbers from 1 to {len(p.options)}"
    return message


def render(p: Presented, number: int, total: int, width: int | None = None) -> str:
    """The question as text, numbered options (lettered for matching); no topics."""
    width = width or terminal_width()
    lines = [f"Question {number} of {total}", *_wrap(p.prompt, width, "")]
    if p.kind == "matching":
        for i, item in enumerate(p.left, start=1):
            lines += _wrap(f"  {i}. {item}", width, "     ")
        lines.append("  Choose from:")
        for i, opt in enumerate(p.options):
            lines += _wrap(f"    {string.ascii_lowercase[i]}) {opt}", width, "       ")
    elif p.kind != "true_false":
        for i, opt in enumerate(p.options, start=1):
            lines += _wrap(f"  {i}) {opt}", width, "     ")
    return "\n".join(lines)


def render_feedback(fb: Feedback, width: int | None = None) -> str:
    """Verdict, the key, why, notes on the chosen wrong options, wrong items, then topics."""
    width = width or terminal_width()
    head = "Correct!" if fb.correct else (
        f"Partly right (score {fb.score:.2f})." if fb.score > 0 else "Not quite."
    )
    lines = [head]
    if not fb.correct:
        lines += _wrap(f"Answer: {fb.correct_text}", width)
    lines += _wrap(f"Why: {fb.explanation}", width)
    for note in fb.notes:
        lines += _wrap(f"About your choice: {note}", width)
    if fb.details:
        lines.append("Items you got wrong:")
        for d in fb.details:
            lines += _wrap(f"  - {d}", width, "    ")
    lines += _wrap(f"Topics: {'; '.join(fb.topic_names)}", width)
    return "\n".join(lines)


def render_missed(missed: list[Missed], width: int | None = None) -> str:
    """The end-of-session list: every question missed or skipped, your choice and the key."""
    width = width or terminal_width()
    if not missed:
        return "Nothing to review: every question you answered was fully right."
    lines = [f"To review ({len(missed)}):"]
    for m in missed:
        lines += _wrap(f"{m.number}. {m.prompt}", width, "   ")
        lines += _wrap(f"   Your answer: {m.chosen_text}" if m.chosen_text else "   You skipped it.", width, "     ")
        lines += _wrap(f"   Answer: {m.correct_text}", width, "     ")
        for d in m.details:
            lines += _wrap(f"   - {d}", width, "     ")
        for note in m.notes:
            lines += _wrap(f"   About your choice: {note}", width, "     ")
    return "\n".join(lines)


def _readline(stdin: TextIO, stdout: TextIO, prompt: str) -> str:
    """One line of input, echoed when piped; raises _Quit at end of input."""
    stdout.write(prompt)
    stdout.flush()
    line = stdin.readline()
    if line == "":
        stdout.write("\n")
        raise _Quit
    if not stdin.isatty():  # piped input: echo it so the transcript reads naturally
        stdout.write(line.rstrip("\n") + "\n")
    return line.strip().lower()


def _ask(p: Presented, stdin: TextIO, stdout: TextIO) -> Response | None:
    """Prompt until a readable answer arrives; None means skip."""
    while True:
        text = _readline(stdin, stdout, f"Your answer ({_HINTS[p.kind]}; s skips, q quits): ")
        if text in ("q", "quit", "exit"):
            raise _Quit
        if text in ("s", "skip"):
            return None
        if not text:
            continue
        try:
            return parse_typed(p, text)
        except AnswerError as exc:
            stdout.write(f"  ! {exc}\n")


def _save_line(progress) -> str:  # noqa: ANN001 - a Progress
    if progress.path is None:
        return ""
    if progress.save_error:
        return f"Progress could not be saved: {progress.save_error}\n"
    if progress.saved:
        return f"Progress saved to {progress.path}\n"
    return ""


def run_terminal(quiz: Quiz, stdin: TextIO, stdout: TextIO, *, width: int | None = None) -> int:
    """Ask every question of ``quiz`` on ``stdin``/``stdout``; return exit status 0."""
    out = stdout
    width = width or terminal_width()
    if quiz.progress.path is not None:
        due = quiz.due_today()
        out.write(f"Due for review today: {due} question{'s' if due != 1 else ''}"
                  f"{' (start with --review to take them first)' if due else ''}.\n")
    try:
        while (p := quiz.current) is not None:
            out.write("\n" + render(p, quiz.position + 1, len(quiz), width) + "\n")
            response = _ask(p, stdin, out)
            if response is None:
                out.write("Skipped: it will come back in review.\n")
                quiz.skip()
                continue
            out.write(render_feedback(quiz.submit(response), width) + "\n")
            if quiz.progress.save_error:
                out.write(f"  ! progress could not be saved: {quiz.progress.save_error}\n")
            quiz.next()
    except _Quit:
        out.write("Stopped early.\n")
    s = quiz.summary()
    out.write(
        f"\nScore: {round(s['score'], 2):g} out of {s['answered']} answered "
        f"({s['percent']:g}%), {s['correct']} fully correct.\n"
    )
    if s["answered"] or any(quiz.skipped):
        out.write(render_missed(quiz.missed(), width) + "\n")
    if s["answered"]:
        table = quiz.session_table()[["topic", "attempts", "mean_score"]].copy()
        table["topic"] = [topic_label(t) for t in table["topic"]]
        table.columns = ["Topic", "Answers", "Mean score"]
        out.write("Topics this session, weakest first:\n")
        out.write(table.to_string(index=False) + "\n")
    out.write(_save_line(quiz.progress))
    return 0


# ---------------------------------------------------------------------- exam

def render_exam_question(exam: Exam, width: int | None = None) -> str:
    width = width or terminal_width()
    i = exam.position
    p = exam.current
    flags = "  [marked for review]" if i in exam.marked else ""
    lines = [f"Question {i + 1} of {len(exam)}{flags}    Time left {exam.time_left()}",
             *_wrap(p.prompt, width, "")]
    for k, opt in enumerate(p.options, start=1):
        lines += _wrap(f"  {k}) {opt}", width, "     ")
    chosen = exam.answers[i]
    lines.append(f"Your answer: {chosen + 1}" if chosen is not None else "Not answered yet.")
    return "\n".join(lines)


def render_exam_list(exam: Exam) -> str:
    """Every question's state on one or two lines, like the exam's review screen."""
    cells = []
    for i, answered, marked in exam.status():
        state = "answered" if answered else "open"
        cells.append(f"{i + 1}:{state}{'*' if marked else ''}")
    open_n, marked_n = len(exam.unanswered()), len(exam.marked)
    return (" ".join(cells) + f"\n{len(exam) - open_n} answered, {open_n} open, {marked_n} marked (*)."
            f" Time left {exam.time_left()}.")


def render_exam_result(result: ExamResult, width: int | None = None) -> str:
    width = width or terminal_width()
    lines = ["Time is up: the exam was handed in." if result.timed_out else "Exam handed in.",
             f"Score: {result.correct} of {result.total} ({result.percent:g}%); "
             f"{result.answered} answered. Time used: {result.time_used} of {result.time_allowed}."]
    if not result.review:
        lines.append("No question missed.")
        return "\n".join(lines)
    lines.append(f"Review of the {len(result.review)} question{'s' if len(result.review) != 1 else ''} "
                 "you missed or left open:")
    for r in result.review:
        lines.append("")
        lines += _wrap(f"Question {r.number}{' (marked)' if r.marked else ''}: {r.prompt}", width)
        lines += _wrap(f"  Your answer: {r.chosen_text}" if r.chosen_text else "  Your answer: none", width, "    ")
        lines += _wrap(f"  Correct answer: {r.correct_text}", width, "    ")
        lines += _wrap(f"  Why: {r.explanation}", width, "    ")
        if r.why_chosen:
            lines += _wrap(f"  About your choice: {r.why_chosen}", width, "    ")
    return "\n".join(lines)


def run_exam(exam: Exam, stdin: TextIO, stdout: TextIO, *, width: int | None = None) -> int:
    """Run a timed exam on ``stdin``/``stdout`` until it is handed in; return 0.

    End of input hands the exam in (piped answers are scored like typed ones). Asking
    to finish with questions still open or marked asks once more for confirmation.
    """
    out = stdout
    width = width or terminal_width()
    out.write(f"Exam: {len(exam)} questions, {exam.minutes} minutes. Nothing is revealed until you "
              "hand in.\n" + "\n".join(_wrap(EXAM_HELP, width, "")) + "\n")
    show = True
    confirm = False
    try:
        while not exam.finished:
            if exam.expired:
                exam.finish()
                break
            if show:
                out.write("\n" + render_exam_question(exam, width) + "\n")
            show = True
            text = _readline(stdin, out, "> ")
            if exam.expired:
                exam.finish()
                break
            parts = text.split()
            cmd = parts[0] if parts else ""
            try:
                if cmd.isdigit() and len(parts) == 1:
                    exam.answer(exam.position, int(cmd) - 1)
                    confirm = False
                    if exam.position + 1 < len(exam):
                        exam.next()
                    else:
                        out.write("That was the last question. Type l to see the list, f to hand in.\n")
                        show = False
                elif cmd in ("n", "next", ""):
                    exam.next()
                elif cmd in ("p", "prev", "previous"):
                    exam.previous()
                elif cmd in ("g", "go") and len(parts) == 2 and parts[1].isdigit():
                    exam.go(int(parts[1]) - 1)
                elif cmd in ("m", "mark"):
                    now = exam.toggle_mark(exam.position)
                    out.write(f"Question {exam.position + 1} {'marked' if now else 'unmarked'} for review.\n")
                    show = False
                elif cmd in ("c", "clear"):
                    exam.clear(exam.position)
                    out.write(f"Answer to question {exam.position + 1} cleared.\n")
                    show = False
                elif cmd in ("l", "list"):
                    out.write(render_exam_list(exam) + "\n")
                    show = False
                elif cmd in ("h", "help", "?"):
                    out.write("\n".join(_wrap(EXAM_HELP, width, "")) + "\n")
                    show = False
                elif cmd in ("f", "finish", "q", "quit"):
                    open_n, marked_n = len(exam.unanswered()), len(exam.marked)
                    if (open_n or marked_n) and not confirm:
                        out.write(f"{open_n} question{'s' if open_n != 1 else ''} open and {marked_n} marked. "
                                  "Type f again to hand in, or g N to go back.\n")
                        confirm = True
                        show = False
                        continue
                    exam.finish()
                else:
                    out.write(f"  ! unknown command \u201c{text}\u201d: type h for the list of commands\n")
                    show = False
                if cmd not in ("f", "finish", "q", "quit"):
                    confirm = False
            except AnswerError as exc:
                out.write(f"  ! {exc}\n")
                show = False
    except _Quit:
        out.write("End of input: handing in.\n")
    result = exam.finish()
    out.write("\n" + render_exam_result(result, width) + "\n")
    out.write(_save_line(exam.progress))
    return 0

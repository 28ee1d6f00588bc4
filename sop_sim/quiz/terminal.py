"""A plain-text quiz for the terminal; works the same when input is piped.

How answers are typed:

* single choice: the option number, e.g. ``2``
* multi select: every number that applies, e.g. ``1 3`` or ``1,3``
* true/false: ``t`` or ``f`` (``true``/``false``, ``y``/``n`` work too)
* ordering: the option numbers from first to last, e.g. ``3 1 2 5 4``
* matching: one letter per numbered item, in item order, e.g. ``b a c`` or ``bac``

``s`` skips a question and ``q`` (or end of input) stops the quiz; progress
already recorded is kept. A typo gets a one-line hint and the same question again.
"""

from __future__ import annotations

import re
import string
import textwrap
from typing import TextIO

from sop_sim.errors import AnswerError
from sop_sim.quiz.engine import Feedback, Quiz
from sop_sim.quiz.grading import Presented, Response, validate

WIDTH = 78
_HINTS = {
    "single_choice": "type the number of your answer",
    "multi_select": "type every number that applies, e.g. 1 3",
    "true_false": "type t or f",
    "ordering": "type the numbers from first to last, e.g. 3 1 2",
    "matching": "type one letter per item, in item order, e.g. b a c",
}
_TRUE = {"t", "true", "y", "yes"}
_FALSE = {"f", "false", "n", "no"}


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


def render(p: Presented, number: int, total: int) -> str:
    """The question as text, numbered options (lettered for matching)."""
    lines = [f"Question {number} of {total}", *textwrap.wrap(p.prompt, WIDTH)]
    if p.kind == "matching":
        lines += [f"  {i}. {item}" for i, item in enumerate(p.left, start=1)]
        lines.append("  Choose from:")
        for i, opt in enumerate(p.options):
            lines += textwrap.wrap(f"    {string.ascii_lowercase[i]}) {opt}", WIDTH, subsequent_indent="       ")
    elif p.kind != "true_false":
        for i, opt in enumerate(p.options, start=1):
            lines += textwrap.wrap(f"  {i}) {opt}", WIDTH, subsequent_indent="     ")
    return "\n".join(lines)


def render_feedback(fb: Feedback) -> str:
    head = "Correct!" if fb.correct else (
        f"Partly right (score {fb.score:.2f})." if fb.score > 0 else "Not quite."
    )
    lines = [head]
    if not fb.correct:
        lines += textwrap.wrap(f"Answer: {fb.correct_text}", WIDTH, subsequent_indent="  ")
    lines += textwrap.wrap(f"Why: {fb.explanation}", WIDTH, subsequent_indent="  ")
    for note in fb.notes:
        lines += textwrap.wrap(f"About your choice: {note}", WIDTH, subsequent_indent="  ")
    return "\n".join(lines)


def _ask(p: Presented, stdin: TextIO, stdout: TextIO) -> Response | None:
    """Prompt until a readable answer arrives; None means skip."""
    while True:
        stdout.write(f"Your answer ({_HINTS[p.kind]}; s skips, q quits): ")
        stdout.flush()
        line = stdin.readline()
        if line == "":
            stdout.write("\n")
            raise _Quit
        if not stdin.isatty():  # piped input: echo it so the transcript reads naturally
            stdout.write(line.rstrip("\n") + "\n")
        text = line.strip().lower()
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


def run_terminal(quiz: Quiz, stdin: TextIO, stdout: TextIO) -> int:
    """Ask every question of ``quiz`` on ``stdin``/``stdout``; return exit status 0."""
    out = stdout
    try:
        while (p := quiz.current) is not None:
            out.write("\n" + render(p, quiz.position + 1, len(quiz)) + "\n")
            response = _ask(p, stdin, out)
            if response is not None:
                out.write(render_feedback(quiz.submit(response)) + "\n")
            quiz.next()
    except _Quit:
        out.write("Stopped early.\n")
    s = quiz.summary()
    out.write(
        f"\nScore: {round(s['score'], 2):g} out of {s['answered']} answered "
        f"({s['percent']:g}%), {s['correct']} fully correct.\n"
    )
    if s["answered"]:
        table = quiz.session_table()[["topic", "attempts", "mean_score"]]
        out.write("Topics this session, weakest first:\n")
        out.write(table.to_string(index=False) + "\n")
    if quiz.progress.path is not None and s["answered"]:
        out.write(f"Progress saved to {quiz.progress.path}\n")
    return 0

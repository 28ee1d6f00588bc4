"""``sop-sim quiz`` and ``sop-sim cards`` sub-commands (registered by ``sop_sim.cli``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sop_sim.cli import path_arg, whole_number
from sop_sim.errors import AnswerError
from sop_sim.quiz.bank import load_bank
from sop_sim.quiz.cards import write_cards
from sop_sim.quiz.engine import Quiz, parse_level, topic_label
from sop_sim.quiz.exam import DEFAULT_MINUTES, DEFAULT_QUESTIONS, MAX_MINUTES, Exam
from sop_sim.quiz.progress import ENV_VAR, Progress
from sop_sim.quiz.terminal import run_exam, run_terminal


def _quiz(args: argparse.Namespace) -> int:
    bank = load_bank()
    if args.list_topics:
        counts = bank.topic_counts()
        for topic in sorted(counts):
            print(f"{topic_label(topic):55s} {topic:36s} {counts[topic]:3d} question{'s' if counts[topic] != 1 else ''}")
        print(f"{'Scenarios':55s} {'scenario':36s} {sum(q.scenario for q in bank):3d} questions")
        return 0
    if args.exam and (args.review or args.level is not None):
        raise AnswerError("--exam draws a fresh exam; --review and --level are for practice quizzes")
    if not args.exam and args.minutes is not None:
        raise AnswerError("--minutes is for the timed exam: add --exam")
    if args.minutes is not None and args.minutes > MAX_MINUTES:
        raise AnswerError(f"--minutes {args.minutes} is too long: give 1 to {MAX_MINUTES}")
    level = parse_level(args.level)
    progress = Progress() if args.no_save else Progress.load(args.progress)
    if args.exam:
        exam = Exam.draw(bank, n=args.n or DEFAULT_QUESTIONS, minutes=args.minutes or DEFAULT_MINUTES,
                         topic=args.topic, seed=args.seed, progress=progress)
        status = run_exam(exam, sys.stdin, sys.stdout)
    else:
        quiz = Quiz.draw(bank, topic=args.topic, n=args.n or 10, seed=args.seed, review=args.review,
                         level=level, progress=progress)
        status = run_terminal(quiz, sys.stdin, sys.stdout)
    if args.csv:
        path = progress.export_csv(args.csv)
        print(f"Mastery table written to {path}")
    return status


def _cards(args: argparse.Namespace) -> int:
    written = write_cards(args.out, roles=args.role or None)
    print(f"Wrote {len(written)} files ({len(written) // 2} role cards) to {Path(args.out)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``quiz`` and ``cards`` sub-commands."""
    quiz = subparsers.add_parser(
        "quiz",
        help="take a self-paced S&OP quiz in the terminal",
        description="Answer S&OP questions at the prompt. Progress is saved after every "
        f"answer (default ~/.sop_sim/quiz_progress.json, or ${ENV_VAR}).",
    )
    quiz.add_argument("--topic", help="a topic (role:finance), an id (finance), a kind "
                      "(role, step, principle, failure, tip, concept) or 'scenario'")
    quiz.add_argument("--n", type=whole_number(1, 1000), default=None,
                      help=f"number of questions, 1-1000 (default 10; {DEFAULT_QUESTIONS} with --exam)")
    quiz.add_argument("--level", help="only questions of this difficulty: 1 or easy, 2 or medium, 3 or hard")
    quiz.add_argument("--exam", action="store_true",
                      help="a timed CPIM-style exam: four-option single-answer questions, mark for review, "
                      "go back and change answers; score and review only when you hand in")
    quiz.add_argument("--minutes", type=whole_number(1, 1_000_000), default=None,  # _quiz says 1 to MAX_MINUTES
                      help=f"time allowed for --exam, 1-{MAX_MINUTES} (default {DEFAULT_MINUTES})")
    quiz.add_argument("--seed", type=whole_number(0, 2**63 - 1), help="seed for a reproducible quiz")
    quiz.add_argument("--review", action="store_true",
                      help="adaptive review: questions you missed or that are due come first")
    quiz.add_argument("--progress", type=lambda t: Path(path_arg(t)), help="progress file to read and update")
    quiz.add_argument("--no-save", action="store_true", help="do not read or write any progress file")
    quiz.add_argument("--csv", type=lambda t: Path(path_arg(t)), help="after the quiz, write the per-topic mastery table here")
    quiz.add_argument("--list-topics", action="store_true", help="list the topics and exit")
    quiz.set_defaults(func=_quiz)

    cards = subparsers.add_parser(
        "cards",
        help="write printable role cards (Markdown and HTML)",
        description="Write one Markdown and one self-contained HTML card per S&OP role.",
    )
    cards.add_argument("--out", type=lambda t: Path(path_arg(t)), required=True, help="directory for the cards")
    cards.add_argument("--role", action="append", help="only this role id (repeatable)")
    cards.set_defaults(func=_cards)

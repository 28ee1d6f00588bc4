"""``sop-sim quiz`` and ``sop-sim cards`` sub-commands (registered by ``sop_sim.cli``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sop_sim.cli import path_arg, whole_number
from sop_sim.quiz.bank import load_bank
from sop_sim.quiz.cards import write_cards
from sop_sim.quiz.engine import Quiz
from sop_sim.quiz.progress import ENV_VAR, Progress
from sop_sim.quiz.terminal import run_terminal


def _quiz(args: argparse.Namespace) -> int:
    bank = load_bank()
    if args.list_topics:
        counts = bank.topic_counts()
        for topic in sorted(counts):
            print(f"{topic:40s} {counts[topic]:3d} questions")
        print(f"{'scenario':40s} {sum(q.scenario for q in bank):3d} questions")
        return 0
    progress = Progress() if args.no_save else Progress.load(args.progress)
    quiz = Quiz.draw(
        bank, topic=args.topic, n=args.n, seed=args.seed, review=args.review, progress=progress
    )
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
    quiz.add_argument("--n", type=whole_number(1, 1000), default=10, help="number of questions (1-1000, default 10)")
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

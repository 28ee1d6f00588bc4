"""The ``sop-sim`` command line.

Each feature area registers its own sub-commands: a module listed in
``_COMMAND_MODULES`` exposes ``register(subparsers)``, which adds parsers whose
``func`` default takes the parsed ``argparse.Namespace`` and returns an exit code.
Errors caused by bad input (:class:`sop_sim.errors.SopSimError`) are printed as one
line on stderr with exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sop_sim.errors import SopSimError

_COMMAND_MODULES = (
    "sop_sim.commands",  # presets, run, compare
    "sop_sim.quiz.commands",  # quiz, cards
    "sop_sim.game.commands",  # debrief
    "sop_sim.classroom.commands",  # classroom new|serve|demo
)


def whole_number(minimum: int = 0):
    """An argparse ``type`` for whole numbers of at least ``minimum``, with a one-line error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is too small: give {minimum} or more")
        return value

    return parse


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"sop-sim: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sop-sim", description="S&OP teaching and simulation kit.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an optional feature area that is not there
            if not exc.name or not (name == exc.name or name.startswith(exc.name + ".")):
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SopSimError as exc:
        print(f"sop-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sop-sim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

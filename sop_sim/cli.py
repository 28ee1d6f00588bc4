"""The ``sop-sim`` command line.

Each feature area registers its own sub-commands: a module listed in
``_COMMAND_MODULES`` exposes ``register(subparsers)``, which adds parsers whose
``func`` default takes the parsed ``argparse.Namespace`` and returns an exit code.
Errors caused by bad input (:class:`sop_sim.errors.SopSimError`) are printed as one
line on stderr with exit status 2; no traceback reaches the user. File-system trouble
(a read-only file, a full disk, a missing folder) is one line and exit 2 as well, and
Ctrl-C is one line and exit 130 at any moment, even while the kit is still importing
(the ``sop-sim`` script enters through :mod:`sop_sim_cli`, which imports nothing heavy).
Every count option has an upper bound, shown in its help.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence

from sop_sim.errors import SopSimError

_COMMAND_MODULES = (
    "sop_sim.commands",  # presets, run, compare
    "sop_sim.quiz.commands",  # quiz, cards
    "sop_sim.game.commands",  # debrief
    "sop_sim.classroom.commands",  # classroom new|serve|demo
)

#: The sub-commands each module registers, in order, with their one-line help: enough to
#: print ``sop-sim --help`` (and to name a mistyped command) without importing any of
#: them, so start-up does not pay for pandas, the game or the quiz. Only the module of
#: the command actually given is imported. A test checks this table against the modules.
_COMMANDS = {
    "sop_sim.commands": {
        "presets": "list the named scenarios",
        "run": "run one scenario and print its KPIs",
        "compare": "replicate presets on common random numbers; means, CIs, differences",
    },
    "sop_sim.quiz.commands": {
        "quiz": "take a self-paced S&OP quiz in the terminal",
        "cards": "write printable role cards (Markdown and HTML)",
    },
    "sop_sim.game.commands": {
        "debrief": "write the HTML debrief report of a saved game",
        "briefs": "write printable role briefs (Markdown and HTML) for a role-play",
    },
    "sop_sim.classroom.commands": {
        "classroom": "classroom mode: one browser per seat, a facilitator console",
    },
}


#: Largest value any whole-number option takes unless it names a smaller bound.
MAX_WHOLE_NUMBER = 2**63 - 1


def whole_number(minimum: int = 0, maximum: int = MAX_WHOLE_NUMBER):
    """An argparse ``type`` for whole numbers from ``minimum`` to ``maximum``, with a one-line error."""

    def parse(text: str) -> int:
        text = text.strip()
        if len(text) > 30:  # int() of a huge string is slow and the number is out of range anyway
            raise argparse.ArgumentTypeError(f"{text[:12]}... is too large: give {maximum:,} or less")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is too small: give {minimum} or more")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"{value:,} is too large: give {maximum:,} or less")
        return value

    parse.__name__ = "whole number"  # argparse names the type in its own messages
    parse.minimum, parse.maximum = minimum, maximum  # type: ignore[attr-defined]  # read by the battery
    return parse


def path_arg(text: str) -> str:
    """An argparse ``type`` for a file or folder path: an empty path is refused, never "here"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path is not allowed: give a file or folder name")
    if "\0" in text:
        raise argparse.ArgumentTypeError("a path may not contain a NUL character")
    return text


path_arg.__name__ = "path"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"sop-sim: error: {message}\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser, or, given the command line, one that imports only the named command.

    Without ``argv`` every module is imported and registers its real parsers. With it,
    only the module of the command named in ``argv`` is; the other commands are listed
    from ``_COMMANDS`` (name and help only), which is all ``--help`` or a usage error shows.
    """
    parser = _Parser(prog="sop-sim", description="S&OP teaching and simulation kit.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    given = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for name in _COMMAND_MODULES:
        if given is not None and given not in _COMMANDS[name]:
            for command, text in _COMMANDS[name].items():
                sub.add_parser(command, help=text)
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an optional feature area that is not there
            if not exc.name or not (name == exc.name or name.startswith(exc.name + ".")):
                raise
            continue
        module.register(sub)
    return parser


def interrupted() -> int:
    """Say "interrupted" once, then stay quiet while the process winds down.

    Further Ctrl-C is ignored, and what background threads (the worker pool's manager,
    a progress bar) might still report while they are torn down is not shown: the user
    asked to stop and has been told it stopped.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("sop-sim: interrupted", file=sys.stderr, flush=True)
    threading.excepthook = lambda args: None
    sys.unraisablehook = lambda unraisable: None
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until the process exits
    return 130


def main(argv: Sequence[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(argv)
        args = parser.parse_args(argv)  # a usage error exits 2 with one line (see _Parser)
        return int(args.func(args) or 0)
    except SopSimError as exc:
        print(f"sop-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return interrupted()
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file-system error a command did not foresee: still one line
        from sop_sim.safefile import describe_os_error

        print(f"sop-sim: error: {describe_os_error(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Game sub-commands: ``sop-sim debrief`` and ``sop-sim briefs``."""

from __future__ import annotations

import argparse

from sop_sim.cli import path_arg, whole_number


def _debrief(args: argparse.Namespace) -> int:
    from sop_sim.game.debrief import write_debrief

    path = write_debrief(args.game, args.out)
    print(f"wrote the debrief of {args.game} to {path}")
    return 0


def _briefs(args: argparse.Namespace) -> int:
    from sop_sim.game.briefs import write_briefs
    from sop_sim.safefile import writable_target

    if args.key:  # check the key's path first, so a bad one leaves no half set of files behind
        writable_target(args.key, "answer key")
    paths = write_briefs(args.preset, args.out, months=args.months, seed=args.seed)
    print(f"wrote {len(paths)} files for {args.preset} ({args.months} months) to {args.out}")
    if args.key:
        from sop_sim.game.briefs import write_answer_key

        print(f"wrote the answer key to {write_answer_key(args.preset, args.key, months=args.months, seed=args.seed)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("debrief", help="write the HTML debrief report of a saved game")
    p.add_argument("game", type=path_arg, metavar="GAME.json", help="a game saved with Game.save or the game board")
    p.add_argument("--out", type=path_arg, default="debrief.html", help="HTML file to write (default: debrief.html)")
    p.set_defaults(func=_debrief)
    p = sub.add_parser("briefs", help="write printable role briefs (Markdown and HTML) for a role-play")
    p.add_argument("--preset", default="baseline", help="preset name (see `sop-sim presets`)")
    p.add_argument("--months", type=whole_number(3, 120), default=12, help="game length in months (3-120, default 12)")
    p.add_argument("--seed", type=whole_number(0, 2**63 - 1), default=0, help="seed of the game the briefs are for (default 0)")
    p.add_argument("--out", type=path_arg, required=True, metavar="DIR", help="folder for the briefs")
    p.add_argument("--key", type=path_arg, metavar="FILE", help="also write the facilitator's answer key (Markdown) to FILE")
    p.set_defaults(func=_briefs)

"""``sop-sim classroom new|serve|demo``: create a class session, serve it, or run a demo."""

from __future__ import annotations

import argparse
import json
import os
import sys

from sop_sim.cli import whole_number


def _role_name(role: str) -> str:
    from sop_sim.classroom.views import name_of

    return name_of(role)


def _new(args: argparse.Namespace) -> int:
    from sop_sim.classroom.store import Classroom

    room = Classroom.open(args.db)
    out = room.create_session(args.preset, args.seed, args.teams, args.humans.split(","), args.months,
                              timer_s=args.timer)
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"Session {out['session']}: scenario {args.preset}, seed {args.seed}, {args.teams} teams.")
    print(f"Facilitator console (keep it to yourself): {out['facilitator']}")
    print(f"Projector page: {out['projector']}")
    for seat in out["seats"]:
        print(f"  team {seat['team']}, {_role_name(seat['role'])}: {seat['path']}")
    print("Prefix each path with the server's address, e.g. http://127.0.0.1:8000; the console shows full links, "
          "QR codes and printable slips.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sop_sim.classroom.app import create_app

    app = create_app(args.db)
    print(f"Serving the class on http://{args.host}:{args.port} (Ctrl+C stops; the database keeps everything)",
          flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, timeout_graceful_shutdown=2)
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Create a demo session on a SQLite file and serve it."""
    from sop_sim.classroom.store import Classroom

    room = Classroom.open(args.db)
    out = room.create_session("baseline", 0, 2, ["sales", "operations", "executive_sponsor"], 6, timer_s=0)
    base = f"http://{args.host}:{args.port}"
    print("Demo class: 2 teams, people play sales, operations and the executive sponsor, 6 months.")
    print(f"Open the facilitator console: {base}{out['facilitator']}")
    print(f"Projector: {base}{out['projector']}")
    for seat in out["seats"]:
        print(f"  team {seat['team']}, {_role_name(seat['role'])}: {base}{seat['path']}")
    sys.stdout.flush()
    args.log_level = "warning"
    return _serve(args)


def _guide(args: argparse.Namespace) -> int:
    from sop_sim.game.briefs import facilitator_guide, write_facilitator_guide

    if args.out is None:
        print(facilitator_guide())
    else:
        print(f"wrote the facilitator guide to {write_facilitator_guide(args.out)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classroom", help="classroom mode: one browser per seat, a facilitator console")
    csub = p.add_subparsers(dest="classroom_command", metavar="ACTION", parser_class=type(p))
    csub.required = True
    default_db = os.environ.get("DATABASE_URL")
    n = csub.add_parser("new", help="create a class session and print its links")
    n.add_argument("--db", default=default_db, required=default_db is None,
                   help="SQLite file or postgresql:// URL (default: $DATABASE_URL)")
    n.add_argument("--preset", default="baseline", help="preset name (see `sop-sim presets`)")
    n.add_argument("--seed", type=whole_number(0), default=0, help="seed every team plays (default 0)")
    n.add_argument("--teams", type=whole_number(1), default=4, help="number of teams (default 4)")
    n.add_argument("--humans", required=True, metavar="ROLE,ROLE,...",
                   help="roles played by people (the agents play the rest)")
    n.add_argument("--months", type=whole_number(0), default=None, help="game length in months (3-120)")
    n.add_argument("--timer", type=whole_number(0), default=0,
                   help="seconds per decision before the agent's suggestion is taken (0: no timer)")
    n.add_argument("--json", action="store_true", help="print the links as JSON")
    n.set_defaults(func=_new)
    s = csub.add_parser("serve", help="serve the class (any number of processes may share one database)")
    s.add_argument("--db", default=default_db, required=default_db is None,
                   help="SQLite file or postgresql:// URL (default: $DATABASE_URL)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the whole room)")
    s.add_argument("--port", type=whole_number(1), default=8000)
    s.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    s.set_defaults(func=_serve)
    d = csub.add_parser("demo", help="create a demo session on a SQLite file and serve it")
    d.add_argument("--db", default="classroom-demo.sqlite", help="SQLite file (default classroom-demo.sqlite)")
    d.add_argument("--host", default="127.0.0.1")
    d.add_argument("--port", type=whole_number(1), default=8000)
    d.set_defaults(func=_demo)
    g = csub.add_parser("guide", help="print (or write) the facilitator's step-by-step guide")
    g.add_argument("--out", metavar="FILE", help="Markdown file to write (default: print it)")
    g.set_defaults(func=_guide)

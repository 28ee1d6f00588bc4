"""Entry point of the ``sop-sim`` command.

It lives outside the ``sop_sim`` package on purpose: importing the kit takes a moment
(pandas, SimPy), and a Ctrl-C in that moment must still give one line and exit status
130, not a traceback. This module imports nothing heavy before it can catch it.
"""

from __future__ import annotations

import sys


def main() -> int:
    import signal

    try:
        from sop_sim.cli import main as cli_main

        return cli_main()
    except KeyboardInterrupt:  # while importing the kit (later ones are caught in sop_sim.cli)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("sop-sim: interrupted", file=sys.stderr)
        return 130
    finally:  # the answer is out: a late Ctrl-C must not print a traceback while exiting
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    sys.exit(main())

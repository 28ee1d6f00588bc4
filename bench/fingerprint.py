"""The gate of behaviour-preserving speed work: a hash of every record of many runs, not only their summaries.

Usage: ``python bench/fingerprint.py --write before.json`` on the tree before a change, then
``python bench/fingerprint.py --check before.json`` after it: prints IDENTICAL, or which runs differ.

Covers every preset on seeds 0, 1 and 2 (36 months), a 12-month game in which people play
sales and finance and submit the suggestions, and a run with an inflating sales policy. Each
record (books, plant, minutes text and codes, plans, choices, events, escalations, number
sources) and the summary are hashed with floats written exactly (``float.hex``), so a change
that moves any number by one bit or any word of the minutes shows. The back-test
(``tests/test_backtest.py``) compares summaries only, with a tolerance that survives a
different numpy build; this is the stricter check for changes on one machine.
"""

from __future__ import annotations

import hashlib
import json
import sys

import numpy as np

import sop_sim
from sop_sim.roles.examples import InflatingSales


def feed(h, obj) -> None:  # noqa: ANN001 - any record value
    """Hash ``obj`` into ``h``: containers in order, floats exactly, arrays with dtype and shape."""
    if isinstance(obj, dict):
        h.update(b"{")
        for k, v in obj.items():
            feed(h, k)
            feed(h, v)
        h.update(b"}")
    elif isinstance(obj, list | tuple):
        h.update(b"[")
        for v in obj:
            feed(h, v)
        h.update(b"]")
    elif isinstance(obj, np.ndarray):
        h.update(f"{obj.dtype}{obj.shape}".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, float | np.floating):
        h.update(b"f" + float(obj).hex().encode())
    elif isinstance(obj, bool | np.bool_):
        h.update(b"b" + str(bool(obj)).encode())
    elif isinstance(obj, int | np.integer):
        h.update(b"i" + str(int(obj)).encode())
    elif obj is None or isinstance(obj, str):
        h.update(b"s" + repr(obj).encode())
    elif isinstance(obj, set | frozenset):
        feed(h, sorted(obj, key=repr))
    elif hasattr(obj, "__dataclass_fields__"):
        feed(h, {k: getattr(obj, k) for k in obj.__dataclass_fields__})
    else:
        h.update(repr(obj).encode())


def digest(result) -> str:  # noqa: ANN001 - a Result
    """A short hash of every record of a run and its summary."""
    h = hashlib.sha256()
    feed(h, result._r)
    feed(h, {k: float(v) for k, v in result.summary.items()})
    return h.hexdigest()[:20]


def compute() -> dict[str, str]:
    """The fingerprint of each covered run, by name."""
    out = {}
    for p in sop_sim.PRESETS:
        for s in (0, 1, 2):
            out[f"{p}/{s}"] = digest(sop_sim.run(p, seed=s))
    g = sop_sim.Game("baseline", seed=3, human_roles={"sales", "finance"}, months=12)
    g.play_suggestions()
    out["game/suggestions"] = digest(g.result)
    out["policy/inflating"] = digest(sop_sim.run("baseline", seed=4, policies={"sales": InflatingSales()}))
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("--write", "--check"):
        sys.exit("usage: python bench/fingerprint.py --write FILE | --check FILE")
    got = compute()
    if sys.argv[1] == "--write":
        with open(sys.argv[2], "w") as fh:
            json.dump(got, fh, indent=1)
        print(f"wrote {len(got)} fingerprints")
    else:
        with open(sys.argv[2]) as fh:
            want = json.load(fh)
        bad = [k for k in want if want[k] != got.get(k)]
        print("IDENTICAL" if not bad else f"DIFFERS in {len(bad)}: {bad[:8]}")
        sys.exit(1 if bad else 0)

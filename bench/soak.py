"""Soak test: random valid scenarios for a fixed time, every invariant checked on every run.

Usage::

    python bench/soak.py [--seconds 180] [--seed 0] [--sample 40] [--write]

Each run draws a random *valid* scenario (every lever, a varied company, plant and a random
set of disturbances of every kind, sizes within their documented ranges) and a random seed,
runs it and checks:

* the books balance: inventory begin + produced - shipped = end; produced = made + outsourced;
* nothing goes negative (inventory, backlog, shipments, production, material, lost sales);
* shipments stay within demand plus the backlog carried in, and the backlog moves only by
  orders, shipments and cancellations;
* every cost is non-negative; a KPI is NaN ("n/a") only where it documents why, and never
  infinite; the fill rate lies in [0, 1];
* determinism: a sample of runs is repeated in two fresh processes with different
  ``PYTHONHASHSEED`` values and must give the same bits (summary and every period row).

Prints the figures; ``--write`` appends them to bench/RESULTS.md (section "Soak").
The machine is shared, so runs per second are indicative only.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import pickle
import platform
import subprocess
import sys
import time
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pandas as pd

import sop_sim
from sop_sim import STEP_IDS, Scenario
from sop_sim.config import DISTURBANCE_KINDS, ROLE_IDS, Disturbance, default_company
from sop_sim.metrics import KPIS

ROOT = Path(__file__).resolve().parents[1]
FAMILY_KINDS = ("promotion", "deal", "npi_slip", "supplier_disruption")


def random_scenario(rng: np.random.Generator) -> Scenario:
    """A random valid scenario: levers, company, plant and events all drawn within their ranges."""
    company = default_company()
    fams = []
    for f in company.families:
        season = tuple(float(x) for x in f.seasonality * rng.uniform(0.7, 1.3, 12))
        fams.append(replace(f, base=float(f.base * rng.uniform(0.3, 2.5)), growth=float(rng.uniform(-0.2, 0.4)),
                            cv=float(rng.uniform(0, 0.4)), seasonality=season,
                            price=float(f.price * rng.uniform(0.8, 1.2)),
                            npi_ramp_months=int(rng.integers(1, 13)) if f.npi_launch is not None else f.npi_ramp_months))
    n_fam = int(rng.integers(1, len(fams) + 1))
    fams = fams[:n_fam]
    plant = replace(company.plant, workers=int(rng.integers(10, 150)), overtime_share=float(rng.uniform(0, 0.5)),
                    safety_months=float(rng.uniform(0, 2)), hire_lead_months=int(rng.integers(0, 7)),
                    material_lead_months=int(rng.integers(0, 5)), outsource_capacity_hours=float(rng.uniform(0, 3000)))
    company = replace(company, families=tuple(fams), plant=plant, aop_stretch=float(rng.uniform(-0.1, 0.3)))
    months = int(rng.integers(3, 37))
    ids = [f.id for f in fams]
    npi = [f.id for f in fams if f.npi_launch is not None]
    events = []
    for _ in range(int(rng.integers(0, 8))):
        kind = str(rng.choice(list(DISTURBANCE_KINDS)))
        if kind == "npi_slip" and not npi:
            continue
        month = int(rng.integers(0, months + 3))
        family = (str(rng.choice(npi)) if kind == "npi_slip" else str(rng.choice(ids)) if kind in FAMILY_KINDS
                  else None)
        magnitude = {"promotion": rng.uniform(0, 1.5), "deal": rng.uniform(0, 5000), "npi_slip": 0.0,
                     "supplier_disruption": rng.uniform(0, 1), "breakdown": rng.uniform(0, 1),
                     "budget_cut": rng.uniform(0, 1)}[kind]
        events.append(Disturbance(kind, month, family, float(magnitude), known_from=int(rng.integers(0, month + 1)),
                                  probability=float(rng.uniform(0, 1))))
    roles = [r for r in ROLE_IDS if r != "executive_sponsor"]
    return Scenario(
        name="soak",
        skip_steps=frozenset(s for s in STEP_IDS if rng.random() < 0.2),
        executive_engagement=float(rng.uniform(0, 1)),
        engagement={r: float(rng.uniform(0, 1)) for r in roles if rng.random() < 0.3},
        bias={r: float(rng.uniform(-0.3, 0.5)) for r in ("sales", "marketing") if rng.random() < 0.5},
        silos=bool(rng.random() < 0.3),
        data_quality=float(rng.uniform(0, 1)),
        supply_chain_only=bool(rng.random() < 0.15),
        horizon_months=int(rng.integers(1, 37)),
        planning_level=str(rng.choice(["family", "sku"])),
        months=months,
        company=company,
        disturbances=tuple(events),
    )


def violations(sc: Scenario, r: sop_sim.Result) -> list[str]:
    """Every invariant that does not hold (an empty list when the run is sound)."""
    out = []
    p = r.periods
    if len(p) != sc.months * len(sc.company.families):
        out.append("rows: one period row per family and month")
    if not ((p["inventory_begin"] + p["produced"] - p["shipped"] - p["inventory_end"]) == 0).all():
        out.append("books: begin + produced - shipped != end")
    if not (p["produced"] == p["made"] + p["outsourced"]).all():
        out.append("books: produced != made + outsourced")
    for col in ("inventory_begin", "inventory_end", "backlog", "shipped", "made", "outsourced", "produced",
                "material_on_hand", "lost_sales", "orders"):
        if col in p and (p[col] < 0).any():
            out.append(f"negative: {col}")
    for _, g in p.groupby("family"):
        carried = g["backlog"].shift(1, fill_value=0)
        if (g["shipped"] > g["orders"] + carried).any():
            out.append("shipments above demand plus backlog")
        if ((carried + g["orders"] - g["shipped"] - g["lost_sales"] - g["backlog"]) != 0).any():
            out.append("backlog flow does not balance")
    for c in [c for c in p.columns if c.endswith("_cost")]:
        if (p[c] < 0).any():
            out.append(f"negative cost: {c}")
    for c in [c for c in r.plant.columns if c.endswith("_cost")]:
        if (r.plant[c] < 0).any():
            out.append(f"negative cost: plant {c}")
    # a KPI may be NaN ("n/a") only if it documents when (KPI.missing); never infinite
    unexplained = [k for k in r.summary.index[r.summary.isna()] if not KPIS[k].missing]
    if unexplained:
        out.append(f"NaN in summary without an n/a reason: {unexplained}")
    if not 0.0 <= r.summary["fill_rate"] <= 1.0:
        out.append("fill rate outside [0, 1]")
    if np.isinf(r.summary.to_numpy(dtype=float)).any():
        out.append("infinite KPI")
    return sorted(set(out))


def digest(r: sop_sim.Result) -> str:
    """The bits of a run: summary and every period and plant row."""
    h = hashlib.sha256()
    h.update(r.summary.to_numpy(dtype=float).tobytes())
    for frame in (r.periods, r.plant):
        h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.hexdigest()


def _pack(sc: Scenario) -> dict:
    return {f.name: (dict(v) if hasattr(v, "items") else v) for f in fields(sc) for v in [getattr(sc, f.name)]}


def worker() -> None:
    """Read pickled (scenario fields, seed) pairs on stdin; print one digest per line."""
    items = pickle.loads(sys.stdin.buffer.read())
    for fields_, seed in items:
        print(digest(sop_sim.run(Scenario(**fields_), seed=seed)), flush=True)


def in_fresh_process(items: list, hash_seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, __file__, "--worker"], input=pickle.dumps(items), capture_output=True,
                         env=env, check=True, timeout=3600)
    return out.stdout.decode().split()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=180.0, help="how long to run scenarios (default 180)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the scenario generator (default 0)")
    ap.add_argument("--sample", type=int, default=40, help="runs repeated in fresh processes (default 40)")
    ap.add_argument("--write", action="store_true", help="append the figures to bench/RESULTS.md")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker()
        return
    rng = np.random.default_rng(args.seed)
    found: collections.Counter = collections.Counter()
    examples: dict[str, str] = {}
    kinds: collections.Counter = collections.Counter()
    runs = months = 0
    sample: list = []
    digests: list[str] = []
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        sc = random_scenario(rng)
        seed = int(rng.integers(0, 2**32))
        r = sop_sim.run(sc, seed=seed)
        runs += 1
        months += sc.months
        kinds.update(d.kind for d in sc.disturbances)
        for v in violations(sc, r):
            found[v] += 1
            examples.setdefault(v, f"seed {seed}, generator seed {args.seed}, run {runs}")
        if len(sample) < args.sample and runs % 3 == 0:
            sample.append((_pack(sc), seed))
            digests.append(digest(r))
    elapsed = time.perf_counter() - start
    t = time.perf_counter()
    other = [in_fresh_process(sample, hs) for hs in ("1", "4242")]
    mismatches = sum(a != b for got in other for a, b in zip(digests, got, strict=True))
    check_time = time.perf_counter() - t
    lines = [
        f"- {runs:,} random valid runs in {elapsed:.0f} s ({runs / elapsed:.1f} runs/s, {months:,} simulated months; "
        f"generator seed {args.seed}); events drawn: "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        f"- invariant violations: {sum(found.values())}"
        + ("" if not found else " (" + "; ".join(f"{k}: {n}, e.g. {examples[k]}" for k, n in found.items()) + ")"),
        f"- determinism: {len(sample)} runs repeated in 2 fresh processes with PYTHONHASHSEED 1 and 4242: "
        f"{mismatches} of {2 * len(sample)} differ in any bit ({check_time:.0f} s)",
    ]
    print("\n".join(lines))
    if args.write:
        head = (f"\n## Soak (bench/soak.py, issue 13): {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
                f"{platform.python_version()}, {os.cpu_count()} cores shared with other jobs\n\n"
                f"`python bench/soak.py --seconds {args.seconds:g} --seed {args.seed} --sample {args.sample}`\n\n")
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(head + "\n".join(lines) + "\n")
    if found or mismatches:
        print(json.dumps({"violations": found, "mismatches": mismatches}))
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Simulation sub-commands: ``sop-sim presets``, ``sop-sim run`` and ``sop-sim compare``.

``compare`` replicates presets with :func:`sop_sim.experiment.compare` and prints means
and paired differences with confidence intervals.
"""

from __future__ import annotations

import argparse

import pandas as pd

from sop_sim.cli import path_arg, whole_number
from sop_sim.experiment.runner import MAX_JOBS, MAX_REPS, MAX_SEED
from sop_sim.metrics import KPIS, format_kpi
from sop_sim.presets import PRESETS, get_scenario


def kpi_frame(summary: pd.Series) -> pd.DataFrame:
    """A printable KPI table: label, value (formatted) and unit."""
    return pd.DataFrame(
        {"KPI": [KPIS[k].label for k in summary.index],
         "value": [format_kpi(k, v) for k, v in summary.items()],
         "unit": [KPIS[k].unit for k in summary.index]},
        index=summary.index,
    )


def _presets(args: argparse.Namespace) -> int:
    width = max(map(len, PRESETS))
    for name, sc in PRESETS.items():
        print(f"{name:<{width}}  {sc.description}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from sop_sim.model import run

    sc = get_scenario(args.preset)
    overrides = {"months": args.months} if args.months is not None else {}
    result = run(sc, seed=args.seed, **overrides)
    print(f"{sc.name}: {sc.description}  (seed {args.seed}, {result.scenario.months} months)")
    print(kpi_frame(result.summary).to_string(index=False))
    for k, v in result.summary.items():  # say why a KPI had nothing to measure
        if v != v and KPIS[k].missing:
            print(f"{KPIS[k].label} is n/a: {KPIS[k].missing}.")
    if args.csv:
        paths = result.to_csv(args.csv)
        print(f"wrote {len(paths)} CSV files to {args.csv}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    """``sop-sim compare``: replicate presets on common random numbers and print CIs."""
    from pathlib import Path

    from sop_sim.errors import SopSimError
    from sop_sim.experiment import compare

    if args.plot and Path(args.plot).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise SopSimError(f"--plot {args.plot}: allowed a file name ending in .png, .svg or .pdf")
    kpis = None if args.kpis is None else [k.strip() for k in args.kpis.split(",") if k.strip()]
    if kpis == []:
        raise SopSimError(f"--kpis {args.kpis!r} names no KPI: allowed a comma-separated list from {', '.join(KPIS)}")
    unknown = [k for k in kpis or () if k not in KPIS]
    if unknown:
        raise SopSimError(f"--kpis {unknown[0]!r} is unknown: allowed {', '.join(KPIS)}")
    for name in args.presets:
        get_scenario(name)  # an unknown preset fails here, before any run
    reference = args.reference if args.reference is not None else (
        "baseline" if "baseline" in args.presets else args.presets[0])
    overrides = {"months": args.months} if args.months is not None else {}
    cmp = compare(args.presets, reps=args.reps, seed=args.seed, reference=reference, jobs=args.jobs,
                  progress=None if args.progress else False, **overrides)
    print(f"{len(cmp.scenarios)} scenarios x {cmp.reps} replication{'s' if cmp.reps != 1 else ''} (seed {cmp.seed}), "
          f"compared with {reference} on the same random numbers.")
    for sentence in cmp.headline().values():  # the overall answer first, then the details
        print(f"- {sentence}")
    print("Service, cost and inventory are a trade-off: lower cost or stock bought with worse service is no gain.")
    print(cmp.report(kpis).to_string())
    if args.csv:
        print(f"wrote {len(cmp.replications)} rows to {cmp.to_csv(args.csv)}")
    if args.plot and len(cmp.scenarios) > 1:
        from sop_sim.safefile import atomic_writer

        fig = cmp.plot(kpis)
        with atomic_writer(args.plot, binary=True, what="plot file") as fh:  # no half-written image
            fig.savefig(fh, format=Path(args.plot).suffix.lower()[1:])
        print(f"wrote the forest plot to {args.plot}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("presets", help="list the named scenarios")
    p.set_defaults(func=_presets)
    p = sub.add_parser("run", help="run one scenario and print its KPIs")
    p.add_argument("--preset", default="baseline", help="preset name (see `sop-sim presets`)")
    p.add_argument("--seed", type=whole_number(0, MAX_SEED), default=0, help=f"seed (0 to {MAX_SEED:,}, default 0)")
    p.add_argument("--months", type=whole_number(3, 120), default=None, help="run length in months (3-120)")
    p.add_argument("--csv", type=path_arg, metavar="DIR", help="write every table as CSV into DIR")
    p.set_defaults(func=_run)
    p = sub.add_parser("compare", help="replicate presets on common random numbers; means, CIs, differences")
    p.add_argument("presets", nargs="+", help="preset names (see `sop-sim presets`)")
    p.add_argument("--reps", type=whole_number(0, MAX_REPS), default=100,
                   help=f"replications per preset (1 to {MAX_REPS:,}, default 100)")
    p.add_argument("--seed", type=whole_number(0, MAX_SEED), default=0, help="experiment seed (default 0)")
    p.add_argument("--reference", help="preset the others are compared with (default baseline, else the first)")
    p.add_argument("--months", type=whole_number(3, 120), default=None, help="run length in months (3-120)")
    p.add_argument("--kpis", help="comma-separated KPI names to show (default all)")
    p.add_argument("--jobs", type=whole_number(0, MAX_JOBS), default=None,
                   help=f"worker processes (1 to {MAX_JOBS}, default: every core)")
    p.add_argument("--csv", type=path_arg, metavar="FILE", help="write every replication as one CSV file")
    p.add_argument("--plot", type=path_arg, metavar="FILE",
                   help="save a forest plot of the differences (.png, .svg, .pdf)")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="hide the progress bar")
    p.set_defaults(func=_compare)

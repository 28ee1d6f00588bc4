"""Simulation sub-commands: ``sop-sim presets`` and ``sop-sim run``.

(``sop-sim compare`` is added by :mod:`sop_sim.experiment`.)
"""

from __future__ import annotations

import argparse

import pandas as pd

from sop_sim.metrics import KPIS
from sop_sim.presets import PRESETS, get_scenario


def _format_kpi(name: str, value: float) -> str:
    unit = KPIS[name].unit
    if unit == "share":
        return f"{value:.1%}"
    if unit == "money":
        return f"{value:,.0f}"
    if unit in ("units", "count"):
        return f"{value:,.1f}" if value != int(value) else f"{value:,.0f}"
    return f"{value:,.2f}"


def kpi_frame(summary: pd.Series) -> pd.DataFrame:
    """A printable KPI table: label, value (formatted) and unit."""
    return pd.DataFrame(
        {"KPI": [KPIS[k].label for k in summary.index],
         "value": [_format_kpi(k, v) for k, v in summary.items()],
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
    if args.csv:
        paths = result.to_csv(args.csv)
        print(f"wrote {len(paths)} CSV files to {args.csv}")
    return 0


def _nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: give 0 or more")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("presets", help="list the named scenarios")
    p.set_defaults(func=_presets)
    p = sub.add_parser("run", help="run one scenario and print its KPIs")
    p.add_argument("--preset", default="baseline", help="preset name (see `sop-sim presets`)")
    p.add_argument("--seed", type=_nonneg_int, default=0)
    p.add_argument("--months", type=int, default=None, help="run length in months (3-120)")
    p.add_argument("--csv", metavar="DIR", help="write every table as CSV into DIR")
    p.set_defaults(func=_run)

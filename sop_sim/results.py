"""The result of one run: pandas DataFrames built once from the run's plain records."""

from __future__ import annotations

import math
from functools import cached_property
from pathlib import Path
from typing import Any

from sop_sim.config import Scenario
from sop_sim.metrics import SUMMARY_ORDER

#: Cost columns of the monthly books, per family and month (``periods``) and per month (``plant``).
_PERIOD_COSTS = ("material_cost", "outsourcing_cost", "expediting_cost", "late_freight_cost", "holding_cost")
_PLANT_COSTS = ("labour_cost", "overtime_cost", "hiring_cost")


class _Pandas:
    """pandas, imported when a frame is first built: a run and an experiment's workers never need it."""

    def __getattr__(self, name: str) -> Any:
        import pandas

        return getattr(pandas, name)


pd = _Pandas()


class Result:
    """Everything a run produced.

    Attributes
    ----------
    scenario, seed:
        What was run.
    summary:
        One row of KPIs (a ``pandas.Series``; see :data:`sop_sim.metrics.KPIS`).
    kpi_values:
        The same KPIs as a plain ``dict`` (what experiment workers send back without pandas).
    periods:
        Month x family: orders, shipments, production, stock, backlog, costs, plan in force.
    plant:
        Per month: workers, hours, overtime, labour and hiring cost, notes.
    minutes:
        One row per meeting: held or why not, who came, inputs, outputs, decisions, notes.
    decisions:
        The escalation log: what was raised, the options, the recommendation, what the
        executives chose and when.
    plans:
        Every plan version (statistical, sales_input, consensus, supply, authorized) per
        cycle month, family and planned month, in units and money.
    numbers:
        Which plan each function worked from after each month's cycle.
    choices:
        Every role's decision at every decision point (what a game replays).
    alternatives:
        The textbook level, chase and hybrid plans operations priced at each supply review.
    """

    def __init__(self, scenario: Scenario, seed: int, records: dict[str, Any], summary: dict[str, float]) -> None:
        self.scenario = scenario
        self.seed = seed
        self._r = records
        self.kpi_values = {k: float(summary[k]) for k in SUMMARY_ORDER}  # the summary as a plain dict

    @cached_property
    def summary(self) -> pd.Series:
        return pd.Series(self.kpi_values, name=self.scenario.name, dtype=float)

    def __repr__(self) -> str:
        s = self.kpi_values
        return (f"<Result {self.scenario.name!r} seed={self.seed}: fill rate {s['fill_rate']:.1%}, "
                f"total cost {s['total_cost']:,.0f}, margin {s['margin']:,.0f}>")

    @cached_property
    def periods(self) -> pd.DataFrame:
        return pd.DataFrame(self._r["periods"])

    @cached_property
    def plant(self) -> pd.DataFrame:
        return pd.DataFrame(self._r["plant"]).set_index("month")

    @cached_property
    def minutes(self) -> pd.DataFrame:
        return pd.DataFrame(self._r["minutes"])

    @cached_property
    def decisions(self) -> pd.DataFrame:
        cols = ["id", "kind", "month", "raised_at", "raised_day", "summary", "options", "recommendation",
                "prepared", "status", "choice", "closed_day", "latency_days"]
        return pd.DataFrame(self._r["escalations"], columns=cols)

    @cached_property
    def numbers(self) -> pd.DataFrame:
        return pd.DataFrame(self._r["numbers"]).set_index("month")

    @cached_property
    def number_sources(self) -> pd.DataFrame:
        """Codes next to :attr:`numbers`: the kind of plan each function worked from each month
        (``authorized``, ``consensus``, ``supply_unauthorized``, ``own`` or ``aop``)."""
        cols = ["month", "sales", "operations", "supply_chain", "finance"]
        return pd.DataFrame(self._r.get("number_sources", []), columns=cols).set_index("month")

    @cached_property
    def choices(self) -> pd.DataFrame:
        return pd.DataFrame(self._r["choices"], columns=["seq", "month", "step", "role", "decision", "suggested"])

    @cached_property
    def events(self) -> pd.DataFrame:
        return pd.DataFrame(self._r["events"], columns=["day", "month", "kind", "text"])

    @cached_property
    def alternatives(self) -> pd.DataFrame:
        """Level, chase and hybrid workforce plans priced at each supply review (in labour hours)."""
        from sop_sim.planning.alternatives import price_alternatives

        rows = [row for rec in self._r.get("alternatives", []) for row in price_alternatives(rec)]
        cols = ["month", "strategy", "total_cost", "peak_workers", "hired", "fired", "peak_stock_hours", "note"]
        return pd.DataFrame(rows, columns=cols)

    @cached_property
    def plans(self) -> pd.DataFrame:
        fam = list(self.scenario.company.family_ids)
        price = {f.id: f.price for f in self.scenario.company.families}
        rows = []
        for made_in, version, first, units in self._r["plans"]:
            for h in range(units.shape[0]):
                for j, f in enumerate(fam):
                    rows.append((made_in, version, f, first + h, float(units[h, j])))
        df = pd.DataFrame(rows, columns=["cycle", "version", "family", "month", "units"])
        df["value"] = df["units"] * df["family"].map(price)
        return df

    @cached_property
    def recorded_orders(self) -> pd.DataFrame:
        """Orders per month (rows, from -24: the two years before the run) and family as the records show them.

        With poor data quality the records differ from the real orders; forecasts are made from these.
        """
        from sop_sim.company import HISTORY_MONTHS

        rec = self._r.get("recorded_orders")
        fam = list(self.scenario.company.family_ids)
        if rec is None:
            return pd.DataFrame(columns=fam, dtype=float)
        return pd.DataFrame(rec, columns=fam, index=pd.RangeIndex(-HISTORY_MONTHS, len(rec) - HISTORY_MONTHS, name="month"))

    def minutes_of(self, month: int) -> list[dict[str, Any]]:
        """The minutes of one month as plain rows in meeting order (the rows of :attr:`minutes`),
        without building the whole run's frame: the apps show one month at a time."""
        return self._minutes_by_month.get(month, [])

    @cached_property
    def _minutes_by_month(self) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {}
        for row in self._r["minutes"]:
            out.setdefault(row["month"], []).append(row)
        return out

    def numbers_of(self, month: int) -> dict[str, Any] | None:
        """Which plan each function worked from after ``month``'s cycle, as a plain row of
        :attr:`numbers` (with ``sets_of_numbers``); None for a month with no cycle recorded."""
        return next((r for r in self._r["numbers"] if r["month"] == month), None)

    def escalation(self, issue_id: str) -> dict[str, Any] | None:
        """One escalation as a plain row of :attr:`decisions` (None if there is no such issue)."""
        return next((e for e in self._r["escalations"] if e["id"] == issue_id), None)

    def kpis_by_month(self) -> pd.DataFrame:
        """Monthly KPIs over all families (fill rate, backlog, inventory value, costs).

        Built from the plain records in one pass (a new run in the explorer waits for it),
        without the ``periods`` and ``plant`` frames.
        """
        cols = ("orders", "filled_from_stock", "backlog", "inventory_value", "revenue", *_PERIOD_COSTS)
        by_month: dict[int, list] = {}
        for r in self._r["periods"]:
            acc = by_month.get(r["month"])
            if acc is None:
                by_month[r["month"]] = [r[c] for c in cols]
            else:
                for i, c in enumerate(cols):
                    acc[i] += r[c]
        plant = {r["month"]: sum(r[c] for c in _PLANT_COSTS) for r in self._r["plant"]}
        sets = {r["month"]: r["sets_of_numbers"] for r in self._r["numbers"]}
        months = sorted(by_month)
        rows = [by_month[m] for m in months]
        out = pd.DataFrame(rows, columns=list(cols), index=pd.Index(months, name="month"))
        orders = out["orders"]
        return pd.DataFrame({
            "fill_rate": out["filled_from_stock"] / orders.where(orders > 0),
            "backorders": out["backlog"],
            "inventory_value": out["inventory_value"],
            "total_cost": [sum(r[5:]) + plant.get(m, math.nan) for m, r in zip(months, rows, strict=True)],
            "revenue": out["revenue"],
            "sets_of_numbers": [sets.get(m, math.nan) for m in months],
        }, index=out.index)

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write every DataFrame (and the summary) as CSV files into ``folder``.

        Each file is written atomically (:mod:`sop_sim.safefile`); a folder path that is a
        file, read-only or on a full disk raises a one-line ``FileError``.
        """
        from sop_sim.safefile import atomic_write_text, ensure_folder

        # render everything first: an interrupt or error then leaves no half set of new files
        texts = {f"{name}.csv": getattr(self, name).to_csv(index=name in ("plant", "numbers"))
                 for name in ("periods", "plant", "minutes", "decisions", "plans", "numbers", "choices", "events")}
        texts["summary.csv"] = self.summary.to_frame("value").to_csv(index_label="kpi")
        folder = ensure_folder(folder, "CSV folder")
        written = [atomic_write_text(folder / name, text, what="CSV file") for name, text in texts.items()]
        return written

"""From the S&OP family plan to an item-level master production schedule (MPS), and MRP.

S&OP and the master schedule answer different questions at different levels:

* **S&OP** plans *product families* month by month over 18 to 24 months: enough to see a
  seasonal peak, hire and train people (four months here) and buy key material (two months).
  Brightwater's plan is 4 families x 18 months = 72 numbers, short enough for one meeting.
* **The master production schedule** breaks the authorized family plan into *items* week by
  week over a short horizon (a quarter, 13 weeks): what the plant will actually make. Its totals
  must add up to the authorized family plan; the MPS does not change the volume, it decides
  the mix.
* **MRP** explodes the MPS into material orders, offset by the material lead time.

Time fences protect the near weeks of the MPS: inside the **frozen** fence material is bought
and people are scheduled, so a change needs the plant manager's sign-off; in the **slushy**
zone items of a family may be swapped as long as the family total stays; beyond it, in the
**liquid** zone, the schedule can follow the latest plan freely.

The simulation plans families only. Items are a teaching assumption documented in
:func:`item_mix`: each family's volume is split over its ``Family.skus`` items with fixed
shares that fall off item by item (a few items sell most, as in most catalogues). A model
month (30 days) is four planning weeks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_sim.calendar import month_label
from sop_sim.config import Company, Family
from sop_sim.cycle import ITEM_MINUTES, MEETING_MINUTES
from sop_sim.errors import ScenarioError
from sop_sim.results import Result

#: Planning weeks per model month (a 30-day month split into four weeks).
WEEKS_PER_MONTH = 4
#: Each item sells this share of the item before it (item 1 the most): a Pareto-like catalogue.
MIX_DECAY = 0.75
#: The three zones of the schedule, nearest first.
FENCES = ("frozen", "slushy", "liquid")
#: What each zone allows (shown to learners next to the schedule).
FENCE_RULES = {
    "frozen": "no change without the plant manager's sign-off: material is bought and people are scheduled",
    "slushy": "items of a family may be swapped, but the family total stays as authorized",
    "liquid": "free to follow the latest plan, within the authorized family volumes",
}


@dataclass(frozen=True)
class TimeFences:
    """Where the frozen and slushy zones of the master schedule end (in weeks from now).

    The defaults follow the kit's company: a month of production is committed (frozen), and the
    slushy zone ends at the material lead time (two months, eight weeks), after which new
    material can still be ordered in time.
    """

    frozen_weeks: int = 4
    slushy_weeks: int = 8
    horizon_weeks: int = 13

    def __post_init__(self) -> None:
        if not 0 <= self.frozen_weeks <= self.slushy_weeks <= self.horizon_weeks:
            raise ScenarioError(
                f"time fences frozen_weeks={self.frozen_weeks}, slushy_weeks={self.slushy_weeks}, "
                f"horizon_weeks={self.horizon_weeks}: need 0 <= frozen <= slushy <= horizon")
        if not 1 <= self.horizon_weeks <= 52:
            raise ScenarioError(f"horizon_weeks={self.horizon_weeks}: allowed 1 to 52 weeks")

    def zone(self, week: int) -> str:
        """The zone of planning week ``week`` (0 = the first week of the schedule)."""
        if week < self.frozen_weeks:
            return "frozen"
        return "slushy" if week < self.slushy_weeks else "liquid"


def item_names(family: Family) -> list[str]:
    """The items of a family, ``"mowers 01"`` to ``"mowers 12"``."""
    return [f"{family.id} {k + 1:02d}" for k in range(family.skus)]


def item_mix(family: Family, decay: float = MIX_DECAY) -> pd.Series:
    """The documented item mix of a family: shares of its volume, summing to 1.

    Item ``k`` (from 0) gets a share proportional to ``decay ** k``: with 12 mower items the
    first sells about a quarter of the family and the last about one percent.
    """
    if not 0 < decay <= 1:
        raise ScenarioError(f"item mix decay={decay}: allowed more than 0 and at most 1")
    w = decay ** np.arange(family.skus, dtype=float)
    return pd.Series(w / w.sum(), index=item_names(family), name=family.id)


def _split(total: int, shares: np.ndarray) -> np.ndarray:
    """Whole units per share that add up exactly to ``total`` (largest remainder)."""
    raw = total * np.asarray(shares, dtype=float)
    out = np.floor(raw).astype(int)
    rest = int(total - out.sum())
    if rest:
        out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def authorized_family_plan(result: Result, cycle: int) -> pd.DataFrame:
    """The family plan authorized in ``cycle``: units by planned month (rows) and family (columns)."""
    p = result.plans
    p = p[(p["cycle"] == cycle) & (p["version"] == "authorized")]
    if p.empty:
        cycles = sorted(result.plans.loc[result.plans["version"] == "authorized", "cycle"].unique())
        span = f"{cycles[0]} to {cycles[-1]}" if cycles else "none in this run"
        raise ScenarioError(f"cycle {cycle} authorized no plan: cycles with an authorized plan are {span}")
    fam = list(result.scenario.company.family_ids)
    return p.pivot_table(index="month", columns="family", values="units", aggfunc="sum")[fam].round().astype(int)


def master_schedule(result: Result, cycle: int, fences: TimeFences | None = None,
                    decay: float = MIX_DECAY) -> pd.DataFrame:
    """The item-level master schedule that follows the family plan authorized in ``cycle``.

    Each month of the authorized plan is split into :data:`WEEKS_PER_MONTH` weeks and each
    week's family volume over the family's items (:func:`item_mix`), in whole units that add up
    exactly to the family plan month by month.

    Returns
    -------
    pandas.DataFrame
        One row per week and item: ``week`` (0 = first week), ``week_label`` ("wk 1, Feb Y1"),
        ``month``, ``family``, ``item``, ``units``, ``zone`` (frozen, slushy or liquid).
    """
    fences = fences or TimeFences()
    plan = authorized_family_plan(result, cycle)
    months = -(-fences.horizon_weeks // WEEKS_PER_MONTH)
    rows = []
    for fam in result.scenario.company.families:
        mix = item_mix(fam, decay)
        for i, month in enumerate(plan.index[:months]):
            weekly = _split(int(plan.loc[month, fam.id]), np.full(WEEKS_PER_MONTH, 1 / WEEKS_PER_MONTH))
            for w, week_units in enumerate(weekly):
                week = i * WEEKS_PER_MONTH + w
                if week >= fences.horizon_weeks:
                    break
                for item, units in zip(mix.index, _split(int(week_units), mix.to_numpy()), strict=True):
                    rows.append({"week": week, "week_label": f"wk {week + 1}, {month_label(int(month))}",
                                 "month": int(month), "family": fam.id, "item": item, "units": int(units),
                                 "zone": fences.zone(week)})
    return pd.DataFrame(rows, columns=["week", "week_label", "month", "family", "item", "units", "zone"])


def schedule_grid(schedule: pd.DataFrame, family: str) -> pd.DataFrame:
    """One family's part of the schedule as items (rows) by weeks (columns), with a family total."""
    part = schedule[schedule["family"] == family]
    if part.empty:
        raise ScenarioError(f"family {family!r} is not in the schedule: allowed {sorted(schedule['family'].unique())}")
    grid = part.pivot_table(index="item", columns="week", values="units", aggfunc="sum", sort=False)
    labels = part.drop_duplicates("week").set_index("week")
    grid.columns = [f"wk {w + 1} ({labels.loc[w, 'zone']})" for w in grid.columns]
    grid.loc[f"{family} total"] = grid.sum()
    return grid.astype(int)


def reconcile(schedule: pd.DataFrame, result: Result, cycle: int) -> pd.DataFrame:
    """Family totals of the MPS per month against the authorized family plan (whole months only).

    The MPS must add up to the S&OP plan: the ``difference`` column is zero when it does.
    """
    whole = schedule.groupby("month")["week"].nunique()
    whole = whole[whole == WEEKS_PER_MONTH].index
    mps = schedule[schedule["month"].isin(whole)].pivot_table(index="month", columns="family", values="units",
                                                               aggfunc="sum")
    plan = authorized_family_plan(result, cycle).loc[whole, mps.columns]
    out = pd.DataFrame({"S&OP plan (units)": plan.sum(axis=1).astype(int),
                        "MPS total (units)": mps.sum(axis=1).astype(int)})
    out["difference"] = out["MPS total (units)"] - out["S&OP plan (units)"]
    out.index = [month_label(m) for m in out.index]
    out.index.name = "month"
    return out


def material_plan(schedule: pd.DataFrame, lead_weeks: int = 8) -> pd.DataFrame:
    """MRP in one step: each week's material need per family, and the week its order must go out.

    One kit of key material per unit (as in the simulation); an order is released
    ``lead_weeks`` before the week it is needed. A release before week 1 is already late for
    the MPS: that material was ordered months ahead, on the strength of the S&OP family plan.
    """
    need = schedule.groupby(["family", "week"], sort=False)["units"].sum().reset_index()
    need["release_week"] = need["week"] - lead_weeks
    need["order"] = np.where(need["release_week"] < 0, "already ordered months ago, from the family plan",
                             "released by MRP " + (need["release_week"] + 1).astype(str).radd("in wk "))
    need["week"] = need["week"] + 1
    return need.rename(columns={"units": "material kits"}).drop(columns="release_week")


def planning_load(company: Company, sop_months: int = 18, fences: TimeFences | None = None) -> pd.DataFrame:
    """How many numbers each process plans, and over what horizon and time bucket."""
    fences = fences or TimeFences()
    fam, items = len(company.families), sum(f.skus for f in company.families)
    return pd.DataFrame([
        {"process": "S&OP", "level": f"{fam} product families", "bucket": "month",
         "horizon": f"{sop_months} months", "numbers to agree": fam * sop_months},
        {"process": "Master schedule", "level": f"{items} items", "bucket": "week",
         "horizon": f"{fences.horizon_weeks} weeks", "numbers to agree": items * fences.horizon_weeks},
    ]).set_index("process")


def agenda_minutes(company: Company) -> pd.DataFrame:
    """Minutes a meeting spends reviewing volumes family by family or item by item.

    Uses the simulation's own agenda rule (:data:`sop_sim.cycle.ITEM_MINUTES` per item, a
    :data:`sop_sim.cycle.MEETING_MINUTES` meeting): at item level the review alone fills the
    meeting, so the escalations at the end of the agenda are never reached.
    """
    fam, items = len(company.families), sum(f.skus for f in company.families)
    rows = []
    for level, count, per in (("product families", fam, ITEM_MINUTES["family"]),
                              ("items (SKUs)", items, ITEM_MINUTES["sku"])):
        review = count * per
        rows.append({"review by": level, "items reviewed": count, "minutes each": per, "review minutes": review,
                     "minutes left for issues": max(0, MEETING_MINUTES - review)})
    return pd.DataFrame(rows).set_index("review by")


def overrun_share(result: Result, step: str = "executive_sop") -> float:
    """Share of the held meetings of ``step`` whose agenda overran (from the minutes' notes)."""
    m = result.minutes
    held = m[(m["step"] == step) & m["held"]]
    if held.empty:
        return 0.0
    return float(held["notes"].map(lambda notes: any("agenda overran" in n for n in notes)).mean())


def judge_change(week: int, keeps_family_total: bool, fences: TimeFences | None = None) -> tuple[str, str]:
    """Who may make a change to the schedule in planning week ``week`` (1 = the first week).

    Returns the zone and the answer in words. A change of a family's total volume is never the
    master scheduler's to make: it goes back to the S&OP cycle, which owns the family plan.
    """
    fences = fences or TimeFences()
    if not 1 <= week <= fences.horizon_weeks:
        raise ScenarioError(f"week {week}: the schedule covers weeks 1 to {fences.horizon_weeks}")
    zone = fences.zone(week - 1)
    if zone == "frozen":
        return zone, "only with the plant manager's sign-off: material is bought and people are scheduled"
    if not keeps_family_total:
        return zone, "not the master scheduler's call: a new family volume goes to the next S&OP cycle"
    if zone == "slushy":
        return zone, "allowed as a swap between items of the family, if the material is on hand"
    return zone, "allowed: the schedule follows the latest plan within the authorized family volumes"


def change_table(requests: list[tuple[int, bool]], fences: TimeFences | None = None) -> pd.DataFrame:
    """:func:`judge_change` for several requests ``(week, keeps_family_total)``, one row each."""
    rows = [{"week": week, "family total unchanged": "yes" if keeps else "no",
             **dict(zip(("zone", "who may change it"), judge_change(week, keeps, fences), strict=True))}
            for week, keeps in requests]
    return pd.DataFrame(rows, columns=["week", "family total unchanged", "zone", "who may change it"])

"""KPI definitions, in one place: name, unit, formula and which direction is better.

The UI labels its tables and plots with :data:`KPIS`; the summary of every run is
computed here and nowhere else.

A KPI with nothing to measure (decision latency when nothing was escalated, attendance
when no meeting was called) is NaN in the summary, never a 0 that a comparison would score
as "better". Learners see "n/a" and the reason in :attr:`KPI.missing` (see :func:`format_kpi`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from types import MappingProxyType
from typing import Any

import numpy as np

from sop_sim.economics import economic_profit


@dataclass(frozen=True)
class KPI:
    """A key performance indicator of a run."""

    name: str
    label: str
    unit: str
    formula: str
    higher_is_better: bool | None  # None: neither (a count to read, not to push)
    explain: str
    missing: str = ""  # why the value can be NaN ("n/a"), when it can


#: Forecast error is judged this many months ahead, the same for every preset.
FORECAST_LAG = 1
#: A decision wait longer than this counts as this long (three monthly executive meetings).
LATENCY_CAP_DAYS = 90

KPIS: Mapping[str, KPI] = MappingProxyType({k.name: k for k in (
    KPI("economic_profit", "Economic profit", "money",
        "margin - capital charge on stock - write-down of stock that will not sell in time", True,
        "The headline: what the plan earned once the money tied up in stock is paid for. It decides "
        "a comparison when service and inventory pull in different directions."),
    KPI("fill_rate", "Fill rate", "share", "units shipped from stock on the day ordered / units ordered", True,
        "How often a customer got the product straight away."),
    KPI("backorders", "Backorders", "units", "mean month-end backlog over all families", False,
        "Orders waiting for stock; they ship late or are cancelled after a month."),
    KPI("lost_sales", "Lost sales", "units", "backorders cancelled after waiting more than a month", False,
        "Customers who gave up waiting."),
    KPI("inventory_value", "Inventory value", "money",
        "mean month-end stock: finished goods at standard cost + material at cost", False,
        "Cash tied up in stock. Low is only good while service holds: an empty warehouse also scores low."),
    KPI("inventory_turns", "Inventory turns", "per year", "12 * mean monthly cost of goods shipped / inventory value",
        True, "How fast stock (materials and finished goods) turns into sales. High is only good while service "
        "holds: stockouts also raise it."),
    KPI("total_cost", "Total cost", "money",
        "material + regular labour + overtime + outsourcing + expediting + late freight + holding + hiring", False,
        "Everything it cost to supply the market."),
    KPI("overtime_cost", "Overtime cost", "money", "overtime hours * wage * premium", False,
        "What the plant paid to stretch its shifts."),
    KPI("outsourcing_cost", "Outsourcing cost", "money", "outsourced units * unit cost * (1 + premium)", False,
        "Capacity bought from a contract manufacturer."),
    KPI("expediting_cost", "Expediting cost", "money", "expedited material * material cost * premium", False,
        "The price of material problems found too late."),
    KPI("revenue", "Revenue", "money", "units shipped * price (less promotion discounts)", True,
        "Sales actually made."),
    KPI("margin", "Margin", "money", "revenue - total cost + change in finished-goods stock value", True,
        "What is left after supplying the market; stock built ahead is an asset, not yet an expense."),
    KPI("capital_charge", "Capital charge on stock", "money",
        "sum over month-ends of (finished goods + material value) * cost of capital / 12", False,
        "What the money tied up in stock costs the company (10% a year by default)."),
    KPI("stock_write_down", "Stock write-down", "money",
        "write-down rate * (value of stock beyond the cover window at the close - at the opening)", False,
        "Stock that will not sell in time: beyond 6 months of expected demand, half its cost is written off "
        "(by default)."),
    KPI("aop_gap", "Gap to AOP", "share", "(AOP revenue - revenue) / AOP revenue", False,
        "How far revenue falls short of the annual operating plan (negative: ahead of plan)."),
    KPI("forecast_wape", "Forecast error (WAPE, lag 1)", "share",
        "sum |forecast - orders| / sum orders over every family and month from the second month on, where the "
        "forecast of month m is the one made in month m-1 from orders recorded up to month m-2 (lag 1, the same "
        "for every preset): the demand plan of month m-1's S&OP cycle (its consensus, else its statistical "
        "forecast) when production follows an S&OP plan, otherwise operations' own statistical forecast",
        False, "How wrong the demand forecast was one month ahead, measured the same way in every scenario.",
        "no orders to compare with"),
    KPI("forecast_bias", "Forecast bias (lag 1)", "share",
        "sum (forecast - orders) / sum orders, same forecast and months as the forecast error", None,
        "Positive: the forecast expected more than customers ordered.", "no orders to compare with"),
    KPI("plan_adherence", "Plan adherence", "share", "1 - sum |made - planned| / sum planned", True,
        "Did the plant make what the plan said? Low means the plan was not feasible."),
    KPI("decision_latency_days", "Decision latency", "days",
        "mean over escalations of min(days from the first executive S&OP meeting due after the issue was raised "
        f"(held or not) to its decision, {LATENCY_CAP_DAYS}); an issue still open counts as waiting to the end "
        f"of the run; only issues due at least {LATENCY_CAP_DAYS} days before the end count, so every wait is "
        "known and the value does not grow with run length; issues settled below the executive meeting (at the "
        "pre-S&OP) are not escalations and do not count", False,
        "How long issues wait beyond the executive meeting that should decide them: 0 when every issue is "
        "decided at the first meeting; a wait of more than three meetings counts as "
        f"{LATENCY_CAP_DAYS} days.",
        "nothing was escalated to the executives early enough to measure a wait"),
    KPI("open_escalations", "Open escalations", "count", "mean escalations still open after each executive meeting",
        False, "Issues left hanging.", "nothing was escalated to the executives"),
    KPI("escalations", "Escalations raised", "count", "issues sent to the executive meeting", None,
        "How much reached the top; raw ones take longer."),
    KPI("sets_of_numbers", "Sets of numbers", "count",
        "mean number of different plans used by sales, operations, supply chain and finance", False,
        "S&OP aims for one set of numbers."),
    KPI("attendance", "Attendance", "share", "attendees / invited, over meetings held or called", True,
        "Whether the functions show up.", "no S&OP meeting was held or called"),
)})

SUMMARY_ORDER: tuple[str, ...] = tuple(KPIS)


def is_missing(value: object) -> bool:
    """Whether a KPI value means "nothing to measure" (None or NaN)."""
    return value is None or (isinstance(value, float | np.floating) and bool(np.isnan(value)))


def missing_text(name: str) -> str:
    """What a learner reads for a KPI with nothing to measure: "n/a (why)"."""
    why = KPIS[name].missing if name in KPIS else ""
    return f"n/a ({why})" if why else "n/a"


def format_kpi(name: str, value: float) -> str:
    """A KPI value as a person reads it: shares as percent, money with separators, "n/a" if missing."""
    if is_missing(value):
        return "n/a"
    unit = KPIS[name].unit
    if unit == "share":
        return f"{value:.1%}"
    if unit == "money":
        return f"{value:,.0f}"
    if unit in ("units", "count"):
        return f"{value:,.1f}" if value != int(value) else f"{value:,.0f}"
    return f"{value:,.2f}"


def format_amount(name: str, value: float) -> str:
    """A KPI value with its unit in words, for sentences: "98.8%", "$41,881,800", "4.4 days", "n/a"."""
    if is_missing(value):
        return "n/a"
    unit = KPIS[name].unit
    if unit == "share":
        return f"{value:.1%}"
    if unit == "money":
        return f"-${-value:,.0f}" if round(value) < 0 else f"${abs(value):,.0f}"
    if unit == "days":
        return f"{value:,.1f} days"
    if unit == "units":
        return f"{value:,.0f} units"
    if unit == "per year":
        return f"{value:,.1f} a year"
    return f"{value:,.1f}" if round(value, 1) != int(value) else f"{value:,.0f}"


def format_change(name: str, diff: float) -> str:
    """A difference between two KPI values, signed and with its unit: "+2.1 points", "-$12,300".

    Shares change in percentage points. A change that rounds to nothing reads "no change",
    never "+0.0%" or "-0.000". NaN reads "n/a".
    """
    if is_missing(diff):
        return "n/a"
    unit = KPIS[name].unit
    if unit == "share":
        v, text = round(diff * 100, 1), f"{abs(diff) * 100:,.1f} points"
    elif unit == "money":
        v, text = round(diff), f"${abs(diff):,.0f}"
    elif unit == "days":
        v, text = round(diff, 1), f"{abs(diff):,.1f} days"
    elif unit == "units":
        v, text = round(diff), f"{abs(diff):,.0f} units"
    elif unit == "per year":
        v, text = round(diff, 1), f"{abs(diff):,.1f} a year"
    else:
        v, text = round(diff, 2), f"{abs(diff):,.2f}".rstrip("0").rstrip(".")
    if v == 0:
        return "no change"
    return ("+" if v > 0 else "-") + text


def kpi_table() -> Any:
    """The KPI glossary as a DataFrame (name, label, unit, formula, better)."""
    import pandas as pd

    return pd.DataFrame(
        [{"kpi": k.name, "label": k.label, "unit": k.unit, "formula": k.formula,
          "better": {True: "higher", False: "lower", None: "-"}[k.higher_is_better], "meaning": k.explain,
          "n/a when": k.missing or "-"}
         for k in KPIS.values()]
    ).set_index("kpi")


def summarize(periods: list[dict], plant: list[dict], escalations: list[dict], numbers: list[dict],
              open_counts: list[int], minutes: list[dict], forecasts: list[tuple[int, list[float]]],
              end_day: float) -> dict[str, float]:
    """Compute the one-row summary of a run from its plain records."""
    def col(name: str) -> np.ndarray:
        return np.array(list(map(itemgetter(name), periods)), dtype=float)

    orders, filled = col("orders"), col("filled_from_stock")
    months = max(1, len(plant))
    F = max(1, len(periods) // months)
    inv_value = col("inventory_value")
    labour = sum(map(itemgetter("labour_cost"), plant))  # map: the same left-to-right sums as a generator
    overtime = sum(map(itemgetter("overtime_cost"), plant))
    hiring = sum(map(itemgetter("hiring_cost"), plant))
    material, outsourcing = col("material_cost").sum(), col("outsourcing_cost").sum()
    expediting, holding = col("expediting_cost").sum(), col("holding_cost").sum()
    late = col("late_freight_cost").sum()
    total = material + labour + overtime + outsourcing + expediting + late + holding + hiring
    revenue = col("revenue").sum()
    stock_change = (sum(r["stock_value_end"] for r in periods[-F:]) - sum(r["stock_value_begin"] for r in periods[:F])
                    if periods else 0.0)
    aop = col("aop_revenue").sum()
    charge = col("capital_charge").sum()
    written_down = (sum(r["excess_provision_end"] for r in periods[-F:])
                    - sum(r["excess_provision_begin"] for r in periods[:F])) if periods else 0.0
    margin = revenue - total + stock_change
    shipped_cost = col("cost_of_goods_shipped").sum()
    mean_inv = inv_value.sum() / months
    # forecast behind the plan in force, month by month (month 0 runs on the opening plan)
    err = bias = act = 0.0
    for month, fc in forecasts:
        if month == 0:
            continue
        row = periods[month * F:(month + 1) * F]
        for j, r in enumerate(row):
            err += abs(fc[j] - r["orders"])
            bias += fc[j] - r["orders"]
            act += r["orders"]
    planned, made = col("planned_production"), col("made")
    lat = decision_waits(escalations, end_day)
    present = sum(map(len, map(itemgetter("present"), minutes)))
    invited = present + sum(map(len, map(itemgetter("absent"), minutes)))
    return {
        "economic_profit": float(economic_profit(margin, charge, written_down)),
        "fill_rate": float(filled.sum() / orders.sum()) if orders.sum() else 1.0,
        "backorders": float(col("backlog").sum() / months),
        "lost_sales": float(col("lost_sales").sum()),
        "inventory_value": float(mean_inv),
        "inventory_turns": float(12 * shipped_cost / months / mean_inv) if mean_inv else 0.0,
        "total_cost": float(total),
        "overtime_cost": float(overtime),
        "outsourcing_cost": float(outsourcing),
        "expediting_cost": float(expediting),
        "revenue": float(revenue),
        "margin": float(margin),
        "capital_charge": float(charge),
        "stock_write_down": float(written_down),
        "aop_gap": float((aop - revenue) / aop) if aop else 0.0,
        "forecast_wape": float(err / act) if act else np.nan,
        "forecast_bias": float(bias / act) if act else np.nan,
        "plan_adherence": float(1.0 - np.abs(made - planned).sum() / planned.sum()) if planned.sum() else 1.0,
        "decision_latency_days": float(np.mean(lat)) if lat else np.nan,
        "open_escalations": float(np.mean(open_counts)) if open_counts and escalations else np.nan,
        "escalations": float(len(escalations)),
        "sets_of_numbers": float(np.mean([n["sets_of_numbers"] for n in numbers])) if numbers else 0.0,
        "attendance": float(present / invited) if invited else np.nan,
    }


def decision_waits(escalations: list[dict], end_day: float) -> list[float]:
    """Each escalation's wait for a decision, as the decision latency KPI counts it (see :data:`KPIS`).

    The clock starts at the first executive S&OP meeting due after the issue was raised
    (the meeting that should decide it), so where in the cycle an issue was raised does not
    matter; a wait is capped at :data:`LATENCY_CAP_DAYS`; issues due less than that before
    ``end_day`` are left out, because their wait is not known yet.
    """
    from sop_sim.config import (  # here: keeps this module's imports those of the KPIs
        DAYS_PER_MONTH,
        STEP_DAY,
    )

    exec_day = STEP_DAY["executive_sop"]
    out = []
    for e in escalations:
        raised = float(e["raised_day"])
        due = (raised // DAYS_PER_MONTH) * DAYS_PER_MONTH + exec_day
        if raised > due:
            due += DAYS_PER_MONTH
        if due + LATENCY_CAP_DAYS > end_day:
            continue
        closed = e["closed_day"]
        done = end_day if closed is None or closed != closed else float(closed)  # NaN: still open
        out.append(float(min(max(0.0, done - due), LATENCY_CAP_DAYS)))
    return out

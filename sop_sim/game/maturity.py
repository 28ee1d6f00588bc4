"""A maturity reading of how a team ran the S&OP process, from what the run recorded.

The five-stage scale used in S&OP teaching runs React, Anticipate, Integrate,
Collaborate, Orchestrate. A team reaches a stage when it meets that stage's rules
*and* every earlier stage's; React is the floor. The rules use only evidence the
run wrote down (minutes, plans, the escalation log, role choices, the KPI summary):

============  =====================================================================
stage         rules (all must hold)
============  =====================================================================
React         none: plans follow events (reactive hiring, expediting, no review)
Anticipate    demand review and supply review held in at least 75 % of months;
              at least half of the chances to bring private news (a deal, a
              promotion, a supplier problem, a launch date) into the plan were taken
Integrate     pre-S&OP held in at least 75 % of months; a plan authorized in at
              least 75 % of months; on average at most 1.5 sets of numbers in use
Collaborate   attendance at least 85 %; on average at most 1 escalation left open
              after an executive meeting; mean decision latency at most 30 days
Orchestrate   at least 90 % of the chances to use private news taken; forecast bias
              within +-5 %; no reactive hiring; fill rate within 2 points of the
              mature baseline and margin at least 98 % of the baseline's
============  =====================================================================

The thresholds are module constants, so an instructor can see and change them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sop_sim.results import Result

STAGES: tuple[str, ...] = ("React", "Anticipate", "Integrate", "Collaborate", "Orchestrate")
STAGE_MEANING: Mapping[str, str] = {
    "React": "Plans follow events: problems are found when they hit the plant or the customer.",
    "Anticipate": "Demand and supply are planned ahead, and what people know reaches the plan.",
    "Integrate": "One reconciled plan, authorized every month, that every function works from.",
    "Collaborate": "People show up, issues are decided quickly, nothing is left hanging.",
    "Orchestrate": "The process runs the business ahead of events and matches a mature S&OP result.",
}
HELD_SHARE = 0.75
NEWS_USED_ANTICIPATE = 0.5
NEWS_USED_ORCHESTRATE = 0.9
MAX_SETS_OF_NUMBERS = 1.5
MIN_ATTENDANCE = 0.85
MAX_OPEN_ESCALATIONS = 1.0
MAX_LATENCY_DAYS = 30.0
MAX_ABS_BIAS = 0.05
FILL_RATE_POINTS = 0.02
MARGIN_SHARE = 0.98

#: Decision fields through which a role brings its private news into the plan.
NEWS_FIELDS = {"sales": "include_deal", "marketing": "include_promotion", "supply_chain": "prebuy",
               "product_development": "npi_launch_month"}


@dataclass(frozen=True)
class Criterion:
    """One rule of one stage, with what was observed."""

    stage: str
    rule: str
    observed: str
    met: bool


@dataclass(frozen=True)
class MaturityReading:
    """The stage reached, the evidence for each rule, and what the next stage needs."""

    stage: str
    criteria: tuple[Criterion, ...]

    @property
    def next_stage(self) -> str | None:
        i = STAGES.index(self.stage)
        return STAGES[i + 1] if i + 1 < len(STAGES) else None

    def missing(self) -> list[Criterion]:
        """The unmet rules of the next stage."""
        return [c for c in self.criteria if c.stage == self.next_stage and not c.met]


def news_opportunities(result: Result, suggestions: Mapping[int, Mapping[str, Any]] | None = None) -> tuple[int, int]:
    """(chances taken, chances) to bring private news into the plan.

    A chance is a decision in which the role's agent would have used its news (its
    suggestion sets the news field). Agents take every chance; ``suggestions`` (seq ->
    suggestion) gives what the agent would have done at a person's decision.
    """
    suggestions = suggestions or {}
    taken = chances = 0
    for row in result.choices.itertuples(index=False):
        name = NEWS_FIELDS.get(row.role)
        if name is None or name not in row.decision:
            continue
        sug = suggestions.get(row.seq, row.decision)
        if name == "npi_launch_month":
            chance = True
        else:
            chance = bool(sug[name])
        if chance:
            chances += 1
            taken += int(row.decision[name] == sug[name])
    return taken, chances


def held_share(result: Result, step: str) -> float:
    m = result.minutes
    rows = m[m["step"] == step]
    return float(rows["held"].mean()) if len(rows) else 0.0


def authorized_share(result: Result) -> float:
    months = result.scenario.months if len(result.plant) == result.scenario.months else max(1, len(result.plant))
    plans = result.plans
    made = plans.loc[plans["version"] == "authorized", "cycle"].nunique() if len(plans) else 0
    return made / months


def _or_na(value: float, fmt: Any) -> str:
    """``fmt(value)``, or "n/a" for a KPI with nothing to measure (NaN)."""
    return "n/a" if value != value else fmt(value)


def read_maturity(result: Result, baseline: Result, suggestions: Mapping[int, Mapping[str, Any]] | None = None
                  ) -> MaturityReading:
    """Place the team on the five-stage scale (see the module docstring for the rules)."""
    s, b = result.summary, baseline.summary
    taken, chances = news_opportunities(result, suggestions)
    used = taken / chances if chances else 1.0
    reactive = int((result.events["kind"] == "reactive_hiring").sum()) if len(result.events) else 0
    dr, sr, ps = (held_share(result, st) for st in ("demand_review", "supply_review", "pre_sop"))
    auth = authorized_share(result)
    pct = "{:.0%}".format
    rules: Sequence[tuple[str, str, str, bool]] = (
        ("Anticipate", f"demand review held in at least {pct(HELD_SHARE)} of months", pct(dr), dr >= HELD_SHARE),
        ("Anticipate", f"supply review held in at least {pct(HELD_SHARE)} of months", pct(sr), sr >= HELD_SHARE),
        ("Anticipate", f"at least {pct(NEWS_USED_ANTICIPATE)} of private news brought into the plan",
         f"{taken} of {chances}", used >= NEWS_USED_ANTICIPATE),
        ("Integrate", f"pre-S&OP held in at least {pct(HELD_SHARE)} of months", pct(ps), ps >= HELD_SHARE),
        ("Integrate", f"a plan authorized in at least {pct(HELD_SHARE)} of months", pct(auth), auth >= HELD_SHARE),
        ("Integrate", f"at most {MAX_SETS_OF_NUMBERS} sets of numbers on average", f"{s['sets_of_numbers']:.2f}",
         s["sets_of_numbers"] <= MAX_SETS_OF_NUMBERS),
        # NaN: nothing to measure (no meeting called, nothing escalated); nothing waited, so those rules hold
        ("Collaborate", f"attendance at least {pct(MIN_ATTENDANCE)}", _or_na(s["attendance"], pct),
         s["attendance"] >= MIN_ATTENDANCE),
        ("Collaborate", f"at most {MAX_OPEN_ESCALATIONS:.0f} escalation left open on average",
         _or_na(s["open_escalations"], "{:.2f}".format), not s["open_escalations"] > MAX_OPEN_ESCALATIONS),
        ("Collaborate", f"decisions within {MAX_LATENCY_DAYS:.0f} days on average",
         _or_na(s["decision_latency_days"], "{:.0f} days".format),
         not s["decision_latency_days"] > MAX_LATENCY_DAYS),
        ("Orchestrate", f"at least {pct(NEWS_USED_ORCHESTRATE)} of private news brought into the plan",
         f"{taken} of {chances}", used >= NEWS_USED_ORCHESTRATE),
        ("Orchestrate", f"forecast bias within +-{pct(MAX_ABS_BIAS)}", f"{s['forecast_bias']:+.1%}",
         abs(s["forecast_bias"]) <= MAX_ABS_BIAS),
        ("Orchestrate", "no reactive hiring (overtime never ran out unplanned)", f"{reactive} times", reactive == 0),
        ("Orchestrate", f"fill rate within {FILL_RATE_POINTS * 100:.0f} points of the mature baseline",
         f"{s['fill_rate']:.1%} vs {b['fill_rate']:.1%}", s["fill_rate"] >= b["fill_rate"] - FILL_RATE_POINTS),
        ("Orchestrate", f"margin at least {pct(MARGIN_SHARE)} of the mature baseline's",
         f"{s['margin']:,.0f} vs {b['margin']:,.0f}",
         s["margin"] >= b["margin"] - (1 - MARGIN_SHARE) * abs(b["margin"])),
    )
    criteria = tuple(Criterion(st, rule, obs, bool(met)) for st, rule, obs, met in rules)
    stage = STAGES[0]
    for name in STAGES[1:]:
        if all(c.met for c in criteria if c.stage == name):
            stage = name
        else:
            break
    return MaturityReading(stage, criteria)

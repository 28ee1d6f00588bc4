"""The market side of the world: customers' demand, promotions, deals and the event calendar.

:class:`Market` is the part of :class:`~sop_sim.company.World` that says what customers
order and which scripted events fall in which month (a promotion, a deal that signs or
not, a launch that slips, a breakdown, a budget cut). It is a mixin: the state it reads
(noise draws, promotions, deal draws, events) is set up by ``World.__init__``. Split
out so each class reads in one sitting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sop_sim.config import Disturbance, Scenario

if TYPE_CHECKING:
    import numpy as np

    from sop_sim.config import Company, Family, Plant
    from sop_sim.streams import Streams

HISTORY_MONTHS = 24  # months of demand history before the run starts
PROMO_PULL_FORWARD = 0.15  # demand dips by this share of the uplift in the month after


class Market:
    """Demand, promotions, deals, the annual plan's volumes and the calendar of events."""

    scenario: Scenario
    company: Company
    families: tuple[Family, ...]
    plant: Plant
    F: int
    month: int
    price: list[float]
    noise: np.ndarray
    _noise_rows: list[list[float]]
    npi_launch: dict[str, int]
    deal_signed: dict[int, bool]
    events: dict[str, list[Disturbance]]
    promo: dict[tuple[int, int], float]
    _streams: Streams
    _actual: dict[int, list[int]]
    _aop_units: dict[tuple[int, int], float]
    _aop_revenue: dict[int, float]
    _level: list[dict[int, float]]

    # --- demand -------------------------------------------------------------------
    def family_index(self, family_id: str | None) -> int:
        for j, f in enumerate(self.families):
            if f.id == family_id:
                return j
        raise KeyError(f"unknown family {family_id!r}; known: {[f.id for f in self.families]}")

    def mean_demand(self, t: int, j: int, *, planned: bool = False, launch: int | None = None) -> float:
        """Expected demand of family ``j`` in month ``t`` without events or noise.

        A new product launches on its real date, or on its *planned* date with
        ``planned=True`` (what the annual plan and an uninformed forecaster assume), or
        on ``launch`` when given (what product development reported).
        """
        fam = self.families[j]
        level = self._level[j]  # trend times season depends on the month alone: computed once a run
        m = level.get(t)
        if m is None:
            m = level[t] = fam.base * (1.0 + fam.growth) ** (t / 12.0) * fam.seasonality[t % 12]
        if fam.npi_launch is not None:
            if launch is None:
                launch = fam.npi_launch if planned else self.npi_launch[fam.id]
            if t < launch:
                return 0.0
            m *= min(1.0, (t - launch + 1) / fam.npi_ramp_months)
        return m

    def add_promotion(self, month: int, j: int, uplift: float) -> None:
        """A promotion marketing will run: demand up in ``month``, a small dip after."""
        if month in self._actual:
            raise RuntimeError(f"month {month} has started; a promotion can no longer change its demand")
        self.promo[(month, j)] = self.promo.get((month, j), 0.0) + uplift

    def actual_demand(self, t: int) -> list[int]:
        """Customer orders per family in month ``t`` (drawn once, then fixed)."""
        got = self._actual.get(t)
        if got is None:
            row = []
            noise, promo = self._noise_rows[t + HISTORY_MONTHS], self.promo  # Python floats: the same products
            for j in range(self.F):
                m = self.mean_demand(t, j) * noise[j]
                if promo:
                    m *= 1.0 + promo.get((t, j), 0.0) - PROMO_PULL_FORWARD * promo.get((t - 1, j), 0.0)
                row.append(max(0, round(m)))
            if self.deal_signed:
                for i, d in enumerate(self.scenario.disturbances):
                    if d.kind == "deal" and d.month == t and self.deal_signed.get(i):
                        row[self.family_index(d.family)] += round(d.magnitude)
            got = self._actual[t] = row
        return got

    def add_disturbance(self, d: Disturbance, scenario: Scenario) -> None:
        """Take in an event announced during the run (a facilitator's injection in a game).

        ``scenario`` is the run's scenario with ``d`` appended to its disturbances. From
        now on the event works as a scripted one would: a deal signs on the draw addressed
        by its family and month, a promotion lifts demand, a slip moves the launch.
        The caller checks that ``d.month`` has not started yet (see ``sop_sim.game``).
        """
        if d.month in self._actual or d.month < self.month:
            raise ValueError(f"month {d.month} has started; an event can no longer change it")
        i = len(self.scenario.disturbances)
        self.scenario = scenario
        self.events.setdefault(d.kind, []).append(d)
        if d.kind == "deal":
            self.deal_signed[i] = self.deal_signs(d)
        elif d.kind == "promotion":
            self.add_promotion(d.month, self.family_index(d.family), d.magnitude)
        elif d.kind == "npi_slip" and d.family in self.npi_launch:
            self.npi_launch[d.family] = d.month

    def deal_signs(self, d: Disturbance) -> bool:
        """Whether a pipeline deal signs: a draw addressed by the deal's family and month, so
        adding or removing another event never changes it."""
        return self._streams.uniform("deal", d.family, d.month) < d.probability

    def aop_units(self, t: int, j: int) -> float:
        """Annual operating plan volume: the expected trend plus the stretch target."""
        # fixed by the company data alone; finance asks for the same months every cycle
        key = (t, j)
        got = self._aop_units.get(key)
        if got is None:
            got = self._aop_units[key] = self.mean_demand(t, j, planned=True) * (1.0 + self.company.aop_stretch)
        return got

    def aop_revenue_between(self, first: int, stop: int) -> float:
        """AOP revenue of months ``first`` .. ``stop - 1``, all families (cached per month)."""
        cache = self._aop_revenue
        total = 0.0
        for t in range(first, stop):
            v = cache.get(t)
            if v is None:
                v = 0.0  # summed left to right, as sum() does
                for j in range(self.F):
                    v += self.aop_units(t, j) * self.price[j]
                cache[t] = v
            total += v
        return total

    # --- capacity -----------------------------------------------------------------
    def event_in(self, kind: str, month: int) -> Disturbance | None:
        for d in self.events.get(kind, ()):
            if d.month == month:
                return d
        return None

    def overtime_share(self, month: int) -> float:
        share = self.plant.overtime_share
        for d in self.events.get("budget_cut", ()):
            if month >= d.month:
                share *= 1.0 - d.magnitude
        return share

    def capacity_factor(self, month: int) -> float:
        d = self.event_in("breakdown", month)
        return 1.0 - d.magnitude if d else 1.0


"""Step 1, data gathering (days 1-3): the process owner compiles the data baseline.

Covers: last month's actuals, stock and backlog brought together as the baseline the
statistical forecast and every later meeting start from.

Leads: the S&OP process owner (without it the step is not held).
Reads: recorded demand history, recorded stock and backlog, the count of records that
are off (all from :class:`~sop_sim.information.Information`).
Writes: ``cycle.baseline`` (month, history, inventory, backlog) and its minutes. Not
held: later meetings reuse the last baseline, or have none.
"""

from __future__ import annotations

from sop_sim.calendar import month_label
from sop_sim.cycle.base import Line, Meeting


class DataGathering(Meeting):
    """Compiles the recorded actuals into the data baseline."""

    step = "data_gathering"

    def run(self, month: int):
        c = self.cycle
        present, absent = c.attendance(self.step, month)
        if self.step in self.sc.skip_steps or "process_owner" not in present:
            skipped = self.step in self.sc.skip_steps
            note = ("later meetings reuse the data baseline of "
                    f"{month_label(c.baseline['month'])}" if c.baseline else "later meetings have no data baseline")
            self.not_held(month, "skipped" if skipped else "not_held_no_lead",
                          "skipped by design" if skipped else "not held: process owner absent",
                          [Line("no_baseline", note)], present, absent,
                          cancelled_by=() if skipped else ("process_owner",))
            return
        info = self.info
        hist = info.recorded_history(month)
        errors = info.recording_errors(month)
        inv, backlog = info.recorded_stock(month)
        c.baseline = {"month": month, "history": hist, "inventory": inv, "backlog": backlog}
        notes = [Line("data_errors", f"{errors} of {c.F} records for last month are off by more than 10%")] \
            if errors else []
        notes += [Line("absent", f"{r.replace('_', ' ')} absent: its data was compiled without a check", r) for r in absent]
        self.rec.meeting(month, self.step, c.now(), present=present, absent=absent,
                         outputs=["data_baseline"], inputs=["recorded actuals"], notes=notes,
                         decisions=[Line("baseline_compiled",
                                         f"data baseline compiled from {len(hist)} months of history")],
                         actions=["process owner: circulate the data baseline and forecast before the demand review"])
        yield from ()

"""Random draws are addressed by name (role, family, event, month), never by a list position.

So adding a disturbance or swapping a policy changes nothing else: common random numbers
survive edits to a scenario.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

import sop_sim
from sop_sim import Disturbance
from sop_sim.model import SOPModel
from sop_sim.roles import DeferringExecutive, InflatingSales
from sop_sim.streams import Streams

BASE = sop_sim.PRESETS["baseline"]
EXTRA = Disturbance("breakdown", 35, None, 0.3, known_from=35)


def _signed(m: SOPModel) -> dict[tuple, bool]:
    return {(d.family, d.month): m.world.deal_signed[i] for i, d in enumerate(m.scenario.disturbances)
            if d.kind == "deal"}


def test_an_event_added_in_front_leaves_every_deal_draw_alone():
    for seed in range(8):
        a = SOPModel(BASE, seed)
        b = SOPModel(replace(BASE, disturbances=(EXTRA, *BASE.disturbances)), seed)
        assert _signed(a) == _signed(b), f"seed {seed}: adding a breakdown changed which deals sign"


def test_policies_and_events_leave_attendance_data_noise_and_demand_alone():
    a = SOPModel(BASE, 5)
    b = SOPModel(replace(BASE, disturbances=(EXTRA, *BASE.disturbances)), 5,
                 policies={"sales": InflatingSales(30), "executive_sponsor": DeferringExecutive()})
    np.testing.assert_array_equal(a.cycle.u_attend, b.cycle.u_attend)
    np.testing.assert_array_equal(a.info._rec_factor, b.info._rec_factor)
    np.testing.assert_array_equal(a.world.noise, b.world.noise)


def test_an_event_at_the_end_changes_nothing_before_it():
    a = sop_sim.run(BASE, seed=3)
    b = sop_sim.run(replace(BASE, disturbances=(EXTRA, *BASE.disturbances)), seed=3)
    pa, pb = a.periods[a.periods.month < 35], b.periods[b.periods.month < 35]
    pd.testing.assert_frame_equal(pa, pb, check_exact=True, obj="months before the added month-35 breakdown")


def test_an_addressed_draw_depends_on_its_address_only():
    s = Streams(7)
    first = s.uniform("decisions", "capacity", 4, 5)
    s.get("attendance:sales").random(1000)  # drawing elsewhere moves nothing
    assert Streams(7).uniform("decisions", "capacity", 4, 5) == first == s.uniform("decisions", "capacity", 4, 5)
    others = {s.uniform("decisions", "capacity", 4, 6), s.uniform("decisions", "aop_gap", 4, 5),
              Streams(8).uniform("decisions", "capacity", 4, 5)}
    assert first not in others and all(0.0 <= u < 1.0 for u in (first, *others))

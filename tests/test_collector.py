"""A run pauses the garbage collector and always gives it back as it found it."""

import gc

import pytest

import sop_sim
from sop_sim.model import SOPModel, collector_paused


def test_a_run_leaves_the_collector_as_it_found_it():
    assert gc.isenabled()
    sop_sim.run("no_sop", seed=1)
    assert gc.isenabled(), "the collector must be back on after a run"
    gc.disable()
    try:
        sop_sim.run("no_sop", seed=1)
        assert not gc.isenabled(), "a collector switched off by the caller stays off"
    finally:
        gc.enable()


def test_the_collector_comes_back_when_a_run_fails():
    model = SOPModel(sop_sim.get_scenario("no_sop"), seed=1)
    model._finish = lambda: 1 / 0  # the run breaks at its very end
    with pytest.raises(ZeroDivisionError):
        model.run()
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()

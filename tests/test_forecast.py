"""The statistical forecast: batched and per-family paths agree; sensible on known inputs."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sop_sim.planning.forecast import forecast_all, seasonal_forecast


@settings(max_examples=60, deadline=None)
@given(hist=hnp.arrays(float, st.tuples(st.integers(1, 40), st.integers(1, 5)),
                       elements=st.sampled_from([0.0, 1.0, 50.0, 120.0, 333.0])),
       first=st.integers(0, 60), horizon=st.integers(1, 24))
def test_forecast_all_equals_one_family_at_a_time(hist, first, horizon):
    got = forecast_all(hist, first, horizon)
    want = np.column_stack([seasonal_forecast(hist[:, j], first, horizon) for j in range(hist.shape[1])])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert (got >= 0).all()


def test_flat_history_gives_a_flat_forecast():
    fc = seasonal_forecast(np.full(24, 100.0), 24, 6)
    np.testing.assert_allclose(fc, 100.0, err_msg="no season, no trend: the forecast repeats the level")


def test_a_product_without_history_is_forecast_at_zero():
    assert (seasonal_forecast(np.zeros(24), 24, 3) == 0).all(), "no history: the demand review must add it"

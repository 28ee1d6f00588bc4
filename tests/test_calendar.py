"""One month convention for learners: model month 0 is January of year 1."""

import doctest

import sop_sim.calendar as cal


def test_doctests_hold():
    assert doctest.testmod(cal).failed == 0


def test_every_month_of_three_years_has_a_distinct_label():
    labels = cal.month_labels(range(36))
    assert len(set(labels)) == 36
    assert labels[0] == "Jan Y1" and labels[35] == "Dec Y3"


def test_range_and_calendar_month():
    assert cal.month_range(3, 6) == "Apr Y1 to Jul Y1"
    assert cal.month_range(4, 4) == "May Y1"
    assert [cal.calendar_month(m) for m in (0, 11, 12, -1)] == [1, 12, 1, 12]

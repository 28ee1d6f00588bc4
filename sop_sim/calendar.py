"""Calendar months for everything a learner reads.

The simulated company's first month is January of year 1 (``month 0`` inside the model,
where seasonality index ``t % 12`` applies). Learners never see the 0-based counter: every
learner-facing surface (notebooks, widgets, minutes shown to learners, role cards, briefs, the
game board, the debrief and the classroom pages) names a month as ``"Apr Y1"``.

>>> month_label(0), month_label(3), month_label(14)
('Jan Y1', 'Apr Y1', 'Mar Y2')
>>> month_label(-1)
'Dec Y0'
>>> month_label(5, long=True)
'June of year 1'
"""

from __future__ import annotations

from collections.abc import Iterable

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_SHORT: dict[int, str] = {}  # short labels already made, by month


def month_label(month: int, *, long: bool = False) -> str:
    """The calendar name of model month ``month`` (0 = January of year 1).

    Months before the first simulated year (the demand history) count back into year 0,
    -1 and so on, so ``-1`` is ``"Dec Y0"``.
    """
    if not long and month.__class__ is int:  # minutes name a month hundreds of times a run
        got = _SHORT.get(month)
        if got is None:
            year, idx = divmod(month, 12)
            got = _SHORT[month] = f"{MONTH_ABBR[idx]} Y{year + 1}"
        return got
    m = int(month)
    year, idx = divmod(m, 12)
    if long:
        return f"{MONTH_NAMES[idx]} of year {year + 1}"
    return f"{MONTH_ABBR[idx]} Y{year + 1}"


def month_labels(months: Iterable[int]) -> list[str]:
    """:func:`month_label` for each month, e.g. for a plot's x ticks or a table's index."""
    return [month_label(m) for m in months]


def month_range(first: int, last: int) -> str:
    """A span of months in words: ``"Apr Y1 to Jul Y1"`` (or one month if equal)."""
    if first == last:
        return month_label(first)
    return f"{month_label(first)} to {month_label(last)}"


def calendar_month(month: int) -> int:
    """The calendar month number 1-12 of model month ``month``."""
    return int(month) % 12 + 1

"""Seat forms: plain labels, calendar months, and one-line errors that never name internal fields."""

from __future__ import annotations

import re

import pytest
from starlette.datastructures import FormData

from sop_sim import Game
from sop_sim.classroom.forms import controls, parse
from sop_sim.config import ROLE_IDS
from sop_sim.errors import DecisionError

INTERNAL = re.compile(r"\b(include_deal|include_promotion|adjust_pct|npi_launch_month|allow_overtime|prebuild|"
                      r"buffer_pct|prebuy|flag_gap)\b")


def _requests():
    """One request of each role that decides in the first month, with its view."""
    game = Game("baseline", 0, ROLE_IDS, months=3)
    seen = {}
    while (req := game.advance()) is not None and req.month == 0:
        seen.setdefault(req.role, req)
        game.decide(req, req.suggestion())
    return game, seen


def _form(role, req, names, values):
    """The form a browser would send for ``values`` (what the controls show when prefilled)."""
    items = []
    for c in controls(role, req.fields, req.view, names, values):
        for part in c.parts or [c]:
            if part.widget == "checkboxes":
                items += [(part.name, v) for v in part.value or []]
            elif part.value not in (None, ""):
                items.append((part.name, part.value))
    return FormData(items)


def test_every_role_form_round_trips_the_suggestion() -> None:
    game, seen = _requests()
    names = {f.id: f.name for f in game.scenario.company.families}
    assert len(seen) >= 8, sorted(seen)
    for role, req in seen.items():
        cs = controls(role, req.fields, req.view, names)
        for c in cs:
            assert not INTERNAL.search(c.label + c.help), f"{role}: internal name in {c.label!r} / {c.help!r}"
            if c.name == "f.adjust_pct":
                assert [p.label for p in c.parts] == list(names.values()), "families by their names"
        got = parse(role, req.fields, _form(role, req, names, req.suggestion()), req.view, names)
        assert req.point.validate(got) == req.point.validate(req.suggestion()), role


def test_launch_month_is_a_calendar_month() -> None:
    game, seen = _requests()
    req = seen["product_development"]
    c = controls("product_development", req.fields, req.view, {})[0]
    assert c.widget == "select" and c.options[0][1] == "Feb Y1", c.options[:2]


@pytest.mark.parametrize("value, words", [("", "not answered yet"), ("lots", "is not a number"),
                                          ("250", "out of range"), ("1e999", "out of range")])
def test_bad_numbers_are_one_line_with_the_label(value: str, words: str) -> None:
    game, seen = _requests()
    req = seen["sales"]
    names = {f.id: f.name for f in game.scenario.company.families}
    data = {**dict(_form("sales", req, names, req.suggestion())), "f.adjust_pct.mowers": value}
    with pytest.raises(DecisionError) as err:
        parse("sales", req.fields, FormData(list(data.items())), req.view, names)
    msg = str(err.value)
    assert words in msg and "Petrol mowers" in msg and "enter a number from -50 to 100" in msg, msg
    assert "\n" not in msg and not INTERNAL.search(msg), msg


def test_unanswered_yes_no_names_the_question() -> None:
    game, seen = _requests()
    req = seen["sales"]
    names = {f.id: f.name for f in game.scenario.company.families}
    data = [(k, v) for k, v in _form("sales", req, names, req.suggestion()).multi_items() if k != "f.include_deal"]
    with pytest.raises(DecisionError, match="customer deal .* not answered yet: choose yes or no"):
        parse("sales", req.fields, FormData(data), req.view, names)

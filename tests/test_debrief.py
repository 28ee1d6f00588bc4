"""The debrief report: comparisons, timeline, attendance, maturity reading, CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sop_sim import Game, SopSimError
from sop_sim.cli import main
from sop_sim.game.debrief import attendance_by_role, debrief, describe_decision, write_debrief
from sop_sim.game.maturity import STAGES, read_maturity
from sop_sim.model import run


@pytest.fixture(scope="module")
def finished_game() -> Game:
    game = Game("baseline", 2, {"sales", "executive_sponsor"}, months=12)
    req = game.advance()
    game.decide(req, {"adjust_pct": {"mowers": 30, "trimmers": 0, "blowers": 0, "robots": 0}, "include_deal": False})
    game.inject("breakdown", 4, None, 0.4)
    game.play_suggestions()
    return game


def test_report_is_self_contained_and_complete(finished_game: Game, tmp_path: Path) -> None:
    path = write_debrief(finished_game, tmp_path / "report.html")
    html = path.read_text()
    for needle in ("Results", "Maturity reading", "Month by month", "Attendance by role", "What each role knew",
                   "Questions for the debrief", "Fill rate", "all agents", "mature baseline"):
        assert needle in html, f"the report should contain {needle!r}"
    srcs = re.findall(r'src="([^"]*)"', html)
    assert "<script" not in html and "http" not in html and all(x.startswith("data:image/png;base64,") for x in srcs), \
        "the report must not load anything from outside the file (charts are inline data URIs)"
    assert len(srcs) == 3, "the summary should carry three charts: plan vs actual, the KPI trail, escalations"
    top = html.split("<h2>1. Results</h2>")[0]
    assert "At a glance" in top and ("Economic profit" in top or "Margin" in top), \
        "the summary comes first, with the headline numbers"
    assert "<details>" in html and html.index("<details>") < html.index("Month by month</h2>") + 200, \
        "the full timeline should be folded in a details element"
    assert "Jan Y1" in html and "month 0" not in html, "months should be calendar months"
    assert "the agent would have chosen" in html, "a decision that differed from the agent should be shown"
    assert "announced to Operations only" in html, "the facilitator's injection should be in the timeline"


def test_references_share_seed_and_injection(finished_game: Game) -> None:
    d = debrief(finished_game)
    agents = Game("baseline", 2, (), months=12)
    agents.play_suggestions(until_day=finished_game.log[1]["day"])
    agents.inject("breakdown", 4, None, 0.4)
    agents.play_suggestions()
    assert d.agents.summary.equals(agents.result.summary), "the all-agent reference should see the same events"
    assert not d.team.summary.equals(d.agents.summary), "the team's +30% on mowers should show in its KPIs"
    assert d.reading.stage in STAGES, f"unknown stage {d.reading.stage}"
    assert len(d.timeline) == 12 and d.questions, "a 12-month timeline and questions expected"


def test_debrief_during_game_and_before_any_month(tmp_path: Path) -> None:
    game = Game("baseline", 0, {"operations"}, months=12)
    game.advance()
    with pytest.raises(SopSimError, match="no month has finished"):
        debrief(game)
    game.play_suggestions(until_month=4)
    d = debrief(game)
    assert len(d.team.plant) == len(d.agents.plant) == len(d.baseline.plant), \
        "a debrief in progress should compare all runs over the same months"


def test_maturity_orders_mature_and_broken_processes() -> None:
    base = run("baseline", seed=0, months=24)
    mature = read_maturity(base, base)
    none = read_maturity(run("no_sop", seed=0, months=24), base)
    silos = read_maturity(run("silos", seed=0, months=24), base)
    assert none.stage == "React", f"no S&OP should read React, got {none.stage}"
    assert STAGES.index(mature.stage) >= STAGES.index("Collaborate"), f"baseline read {mature.stage}"
    assert STAGES.index(silos.stage) < STAGES.index(mature.stage), "silos should read below the mature process"
    assert all(c.observed for c in mature.criteria), "every rule should show what was observed"


def test_attendance_by_role_counts_absences() -> None:
    att = attendance_by_role(run("disengaged_executive", seed=0, months=12))
    assert att.loc["Executive sponsor", "missed"] > 0, "a disengaged executive should miss meetings"
    assert (att["attended"] <= att["invited"]).all(), "nobody attends more meetings than invited to"


def test_describe_decision() -> None:
    text = describe_decision({"include_deal": True, "adjust_pct": {"mowers": 8.0, "robots": 0.0}, "escalate": []})
    assert text == "include_deal: yes; adjust_pct: mowers +8, robots 0; escalate: none", text
    named = describe_decision({"include_deal": True, "escalate": ["I4"], "npi_launch_month": 10,
                               "choices": {"I4": "accept"}}, "sales")
    assert named == ("Put the customer deal you know of into the demand plan? yes; Issues to take to the executive "
                     "meeting (the rest are settled here): issue 4; Launch month of the new product family: Nov Y1; "
                     "Your decision on each escalated issue: issue 4: accept the gap"), named


def test_cli_debrief(finished_game: Game, tmp_path: Path, capsys) -> None:
    saved = finished_game.save(tmp_path / "g.json")
    out = tmp_path / "r.html"
    assert main(["debrief", str(saved), "--out", str(out)]) == 0, "the debrief command should succeed"
    assert out.exists() and "S&amp;OP game debrief" in out.read_text(), "the report should be written"
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert main(["debrief", str(bad), "--out", str(out)]) == 2, "a bad file should exit with status 2"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a saved game" in err, f"one-line error expected, got {err!r}"

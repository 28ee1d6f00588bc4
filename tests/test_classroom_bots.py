"""30 seats played by HTTP bots against real server processes, on SQLite and on PostgreSQL.

Every team's seats submit the agent's suggestion, so every team must end exactly where
``sop_sim.run`` ends: nothing lost, nothing doubled. The same holds with the server killed
by SIGKILL mid-game and restarted, and with two server processes serving one database.
"""

from __future__ import annotations

import asyncio
import math
import signal
import time
from pathlib import Path

import httpx
import pytest
from classroom_support import new_database, new_session, pg_cluster  # noqa: F401
from sqlalchemy import create_engine, text

from sop_sim import Game
from sop_sim.classroom.bots import SeatBot, play_all, serve, stop_server
from sop_sim.classroom.db import database_url
from sop_sim.model import run

HUMANS = "sales,marketing,operations,supply_chain,finance,executive_sponsor"
TEAMS, MONTHS = 5, 3
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path: Path) -> str:
    pg = request.getfixturevalue("pg_cluster") if request.param == "postgresql" else None
    return new_database(request.param, tmp_path, pg)


def _expected():
    game = Game("baseline", 0, HUMANS.split(","), months=MONTHS)
    game.play_suggestions()
    return run("baseline", seed=0, months=MONTHS).summary, len(game.decisions())


def _check_class(db: str, base: str, session: dict, bots: list[SeatBot], exact_acks: bool = True) -> None:
    summary, n_decisions = _expected()
    fac = httpx.get(base + "/api/facilitator/" + session["facilitator"].rsplit("/", 1)[-1], timeout=30).json()
    assert fac["state"] == "running" and len(fac["teams"]) == TEAMS, fac
    for team in fac["teams"]:
        assert team["finished"], f"team {team['team']} did not finish: {team}"
        got = team["summary"]
        # JSON has no NaN: a KPI that does not apply (n/a) arrives as null
        diff = {k: (got[k], float(v)) for k, v in summary.items()
                if not (got[k] == float(v) or (got[k] is None and math.isnan(v)))}
        assert not diff, f"team {team['team']} differs from sop_sim.run: {diff}"
    engine = create_engine(database_url(db))
    with engine.connect() as c:
        rows = c.execute(text("SELECT t.number, a.seq, a.kind FROM classroom_actions a JOIN classroom_teams t "
                              "ON t.id = a.team_id")).all()
    engine.dispose()
    by_team: dict[int, list[int]] = {}
    for number, seq, kind in rows:
        assert kind == "decision"
        by_team.setdefault(number, []).append(seq)
    for number in range(1, TEAMS + 1):
        seqs = by_team.get(number, [])
        assert len(seqs) == n_decisions == len(set(seqs)), f"team {number}: {len(seqs)} decisions logged, " \
                                                           f"expected {n_decisions} distinct"
    acknowledged = sum(len(b.accepted) for b in bots)
    if exact_acks:
        assert acknowledged == TEAMS * n_decisions, "every logged decision was acknowledged exactly once"
    else:  # a decision committed just before the kill may never have been answered
        assert TEAMS * n_decisions - TEAMS <= acknowledged <= TEAMS * n_decisions
    for b in bots:
        team = next(s["team"] for s in session["seats"] if s["path"] == b.path)
        assert set(b.accepted) <= set(by_team[team]), "an acknowledged decision is missing from the log"


def _start(db: str, tmp_path: Path, name: str, port: int | None = None):
    log = open(tmp_path / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
    proc, base = serve(db, port=port, log=log)
    return proc, base, int(base.rsplit(":", 1)[1])


def _begin(base: str, session: dict) -> None:
    r = httpx.post(base + "/api/facilitator/" + session["facilitator"].rsplit("/", 1)[-1] + "/start", timeout=10)
    assert r.status_code == 200 and r.json()["state"] == "running", r.text


def test_thirty_seats_play_to_the_end(database: str, tmp_path: Path) -> None:
    session = new_session(database, teams=TEAMS, humans=HUMANS, months=MONTHS)
    assert len(session["seats"]) == 30
    proc, base, _ = _start(database, tmp_path, "server")
    try:
        _begin(base, session)
        bots = [SeatBot(s["path"], [base]) for s in session["seats"]]
        asyncio.run(play_all(bots, timeout=240))
        assert all(b.finished for b in bots)
        assert not [r for b in bots for r in b.refused], "no seat should be refused when it answers its request"
        _check_class(database, base, session, bots)
    finally:
        stop_server(proc)


def test_sigkill_mid_game_loses_nothing_acknowledged(database: str, tmp_path: Path) -> None:
    session = new_session(database, teams=TEAMS, humans=HUMANS, months=MONTHS)
    proc, base, port = _start(database, tmp_path, "server")
    state = {"proc": proc, "killed": False}
    try:
        _begin(base, session)
        bots = [SeatBot(s["path"], [base]) for s in session["seats"]]

        async def killer() -> None:
            while sum(len(b.accepted) for b in bots) < 25:
                await asyncio.sleep(0.02)
            state["proc"].send_signal(signal.SIGKILL)  # no clean-up, no flush: a crash
            state["proc"].wait()
            state["killed"] = True
            await asyncio.sleep(0.5)
            state["proc"], _, _ = await asyncio.to_thread(_start, database, tmp_path, "restarted", port)

        async def main() -> None:
            await asyncio.gather(killer(), play_all(bots, timeout=240))

        asyncio.run(main())
        assert state["killed"], "the server should have been killed mid-game"
        assert sum(b.errors for b in bots) > 0, "the bots should have noticed the server was gone"
        _check_class(database, base, session, bots, exact_acks=False)
    finally:
        stop_server(state["proc"])


def test_two_server_processes_serve_one_class(database: str, tmp_path: Path) -> None:
    session = new_session(database, teams=TEAMS, humans=HUMANS, months=MONTHS)
    a, base_a, _ = _start(database, tmp_path, "a")
    b, base_b, _ = _start(database, tmp_path, "b")
    try:
        _begin(base_a, session)
        bots = [SeatBot(s["path"], [base_a, base_b]) for s in session["seats"]]
        t0 = time.monotonic()
        asyncio.run(play_all(bots, timeout=240))
        assert time.monotonic() - t0 < 240
        assert all(b.finished for b in bots)
        _check_class(database, base_b, session, bots)
        # both processes answer the same state (each replays the shared log)
        fa = httpx.get(base_a + "/api/facilitator/" + session["facilitator"].rsplit("/", 1)[-1]).json()
        fb = httpx.get(base_b + "/api/facilitator/" + session["facilitator"].rsplit("/", 1)[-1]).json()
        assert fa == fb
    finally:
        stop_server(a)
        stop_server(b)

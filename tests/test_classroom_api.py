"""The classroom's JSON API and facilitator controls against a real server process.

Bad input gets one line naming what is wrong and what is allowed, a 4xx status, and
changes nothing; unknown or forged tokens get 404 and no data; tokens are long and only
their hashes are stored. Then the console's extras: pause, inject into one team, the
per-decision timer, a seat handed to the agent, reveal, end, exports and debriefs.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import httpx
import pytest
from classroom_support import new_session
from sqlalchemy import create_engine, text

from sop_sim.classroom.bots import free_port, start_server, stop_server, wait_ready
from sop_sim.classroom.db import database_url


@pytest.fixture()
def server(tmp_path: Path):
    db = str(tmp_path / "class.sqlite")
    session = new_session(db, teams=2, humans="sales,marketing,executive_sponsor", months=3)
    port = free_port()
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = start_server(db, port, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc=proc)
        yield base, session, db
    finally:
        stop_server(proc)
        log.close()


def _tok(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _seat(session: dict, team: int, role: str) -> str:
    return _tok(next(s["path"] for s in session["seats"] if s["team"] == team and s["role"] == role))


def _one_line_error(r: httpx.Response, status: int, *words: str) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    msg = r.json()["error"]
    assert "\n" not in msg and "Traceback" not in msg, msg
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"
    return msg


def _log_size(db: str) -> int:
    engine = create_engine(database_url(db))
    with engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM classroom_actions")).scalar_one()
    engine.dispose()
    return int(n)


def test_slips_and_console_carry_every_seat_link_with_a_qr_code(server) -> None:
    base, session, db = server
    fac = _tok(session["facilitator"])
    slips = httpx.get(f"{base}/f/{fac}/slips").text
    console = httpx.get(f"{base}/f/{fac}").text
    for s in session["seats"]:
        assert base + s["path"] in slips and base + s["path"] in console
    assert slips.count("<svg") == len(session["seats"]) == 6, "one QR code per slip"
    assert "Executive sponsor" in slips and "executive_sponsor" not in slips, "roles by their names"


def test_tokens_are_long_hashed_and_forgeries_get_404(server) -> None:
    base, session, db = server
    fac = _tok(session["facilitator"])
    seats = [_tok(s["path"]) for s in session["seats"]]
    assert all(len(t) >= 43 for t in [fac, *seats]), "tokens carry at least 128 bits (256 here)"
    engine = create_engine(database_url(db))
    with engine.connect() as c:
        hashes = {r[0] for r in c.execute(text("SELECT hash FROM classroom_tokens"))}
    engine.dispose()
    assert hashlib.sha256(fac.encode()).hexdigest() in hashes
    raw = Path(db).read_bytes() + (Path(db + "-wal").read_bytes() if Path(db + "-wal").exists() else b"")
    assert not any(t.encode() in raw for t in [fac, *seats]), "no token is stored in clear"
    forged = seats[0][:-2] + ("AA" if not seats[0].endswith("AA") else "BB")
    for url in (f"/api/seat/{forged}", f"/s/{forged}", f"/api/facilitator/{forged}", f"/f/{forged}",
                f"/api/seat/{fac}", f"/api/facilitator/{seats[0]}", f"/p/{fac}", "/s/x", f"/f/{fac}x/grid"):
        r = httpx.get(base + url)
        assert r.status_code == 404, url
        assert "team" not in r.text and "sales" not in r.text, f"{url} leaks data: {r.text[:80]}"
    r = httpx.post(f"{base}/api/seat/{forged}/decision", json={"request": 1, "decision": {}})
    assert r.status_code == 404 and r.json() == {"error": "not found"}


def test_bad_decisions_are_refused_with_one_line_and_change_nothing(server) -> None:
    base, session, db = server
    fac = _tok(session["facilitator"])
    sales = _seat(session, 1, "sales")
    r = httpx.get(f"{base}/api/seat/{sales}").json()
    assert r["pending"] is None and r["state"] == "lobby" and r["team"] == 1 and r["role"] == "sales"
    _one_line_error(httpx.post(f"{base}/api/seat/{sales}/decision", json={"request": 0, "decision": {}}), 409,
                    "not started")
    assert httpx.post(f"{base}/api/facilitator/{fac}/start").json()["state"] == "running"
    _one_line_error(httpx.post(f"{base}/api/facilitator/{fac}/start"), 409, "cannot start", "allowed")
    p = httpx.get(f"{base}/api/seat/{sales}").json()["pending"]
    assert p is not None and set(p) >= {"id", "step", "month", "suggestion"}
    good = p["suggestion"]
    post = lambda body: httpx.post(f"{base}/api/seat/{sales}/decision", json=body)  # noqa: E731
    _one_line_error(post({"request": "x", "decision": good}), 400, "request", "allowed")
    _one_line_error(post({"request": p["id"], "decision": [1]}), 400, "decision", "allowed")
    _one_line_error(post({"request": p["id"]}), 400, "'request'", "'decision'")
    _one_line_error(httpx.post(f"{base}/api/seat/{sales}/decision", content=b"{not json"), 400, "not JSON")
    _one_line_error(post({"request": p["id"], "decision": {**good, "include_deal": "yes"}}), 422,
                    "include_deal", "allowed true or false")
    _one_line_error(post({"request": p["id"], "decision": {**good, "adjust_pct": {"mowers": 500}}}), 422,
                    "out of range", "allowed")
    _one_line_error(post({"request": p["id"] + 7, "decision": good}), 409, "stale", str(p["id"]))
    marketing = _seat(session, 1, "marketing")
    _one_line_error(httpx.post(f"{base}/api/seat/{marketing}/decision", json={"request": p["id"], "decision": good}),
                    403, "another role")
    assert _log_size(db) == 0, "no refused decision reached the log"
    assert httpx.get(f"{base}/api/seat/{sales}").json()["pending"]["id"] == p["id"], "the request is still pending"
    assert post({"request": p["id"], "decision": good}).json() == {"accepted": True}
    _one_line_error(post({"request": p["id"], "decision": good}), 409, "stale")
    assert _log_size(db) == 1
    # the form on the page names fields as a learner reads them
    r = httpx.post(f"{base}/s/{marketing}/decide", data={"request": "9999"}, headers={"HX-Request": "true"})
    assert r.status_code == 409 and "no longer pending" in r.text


def test_console_controls(server) -> None:
    base, session, db = server
    fac = _tok(session["facilitator"])
    api = f"{base}/api/facilitator/{fac}"
    assert httpx.post(f"{api}/start").status_code == 200
    # pause: decisions wait
    assert httpx.post(f"{api}/pause").json()["state"] == "paused"
    sales = _seat(session, 1, "sales")
    p = httpx.get(f"{base}/api/seat/{sales}").json()["pending"]
    _one_line_error(httpx.post(f"{base}/api/seat/{sales}/decision", json={"request": p["id"],
                                                                          "decision": p["suggestion"]}), 409, "paused")
    assert httpx.post(f"{api}/resume").json()["state"] == "running"
    # inject into team 1 only; a bad event changes nothing
    _one_line_error(httpx.post(f"{api}/inject", json={"team": 1, "kind": "earthquake", "month": 2}), 422, "kind",
                    "allowed")
    _one_line_error(httpx.post(f"{api}/inject", json={"team": 9, "kind": "promotion", "month": 2}), 400, "team",
                    "allowed")
    _one_line_error(httpx.post(f"{api}/inject", json={"team": "all", "kind": "promotion", "month": 0,
                                                       "family": "mowers", "magnitude": 0.3}), 422, "Jan Y1",
                    "allowed 1 (Feb Y1) to 2 (Mar Y1)")
    _one_line_error(httpx.post(f"{api}/inject", json={"team": 1, "kind": "promotion", "month": 2}), 422, "family",
                    "allowed")
    _one_line_error(httpx.post(f"{api}/inject", json={"team": 1, "kind": "promotion", "month": 2, "colour": 1}), 400,
                    "'colour'", "allowed")
    assert _log_size(db) == 0
    r = httpx.post(f"{api}/inject", json={"team": 1, "kind": "promotion", "month": 2, "family": "blowers",
                                          "magnitude": 0.4})
    assert r.status_code == 200 and "Team 1" in r.json()["message"], r.text
    news = lambda team, role: httpx.get(f"{base}/api/seat/{_seat(session, team, role)}").json()["view"][  # noqa: E731
        "private_news"]
    assert any("blowers" in n and "+40%" in n for n in news(1, "marketing")), news(1, "marketing")
    assert not any("+40%" in n for n in news(2, "marketing")), "team 2 did not get the event"
    assert not any("+40%" in n for n in news(1, "sales")), "only marketing hears of a promotion"
    # the sales seat of team 1 goes to the agent; the timer takes team 2's decisions
    seat_id = next(x["id"] for x in httpx.get(api).json()["seats"] if x["team"] == 1 and x["role"] == "sales")
    assert httpx.post(f"{api}/agent", json={"seat": seat_id, "agent": True}).status_code == 200
    assert httpx.post(f"{api}/timer", json={"seconds": 1}).json()["timer_s"] == 1
    _one_line_error(httpx.post(f"{api}/timer", json={"seconds": -3}), 400, "timer", "allowed")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        st = httpx.get(api).json()
        if all(t["decisions"] >= 3 for t in st["teams"]):
            break
        time.sleep(0.3)
    rows = httpx.get(f"{base}/f/{fac}/export/decisions.csv").text.splitlines()
    assert rows[0].startswith("team,month,meeting,role,request,made_by")
    made_by = {line.split(",")[5] for line in rows[1:]}
    assert {"agent", "timer", "facilitator"} <= made_by, made_by
    # reveal, then end early: no more decisions, the summary is there for teams past month 1
    assert httpx.post(f"{api}/reveal").status_code == 200
    assert "revealed" in httpx.get(f"{base}/api/seat/{sales}").json()
    assert httpx.post(f"{api}/end").json()["state"] == "ended"
    p = httpx.get(f"{base}/api/seat/{_seat(session, 2, 'marketing')}").json()
    assert p["finished"] and p["pending"] is None
    _one_line_error(httpx.post(f"{api}/frobnicate"), 404, "unknown", "allowed")
    st = httpx.get(api).json()
    assert st["state"] == "ended" and all(t["summary"] is not None for t in st["teams"]), st
    assert "fill_rate" in st["teams"][0]["summary"]
    kpis = httpx.get(f"{base}/f/{fac}/export/kpis.csv").text.splitlines()
    assert kpis[0].startswith("team,month,fill_rate") and "Jan Y1" in kpis[1]
    report = httpx.get(f"{base}/f/{fac}/debrief").text
    assert "Debrief across teams" in report and report.count("<svg") >= 3 and "All agents" in report
    assert "How each team decided" in report and "taken by the timer" in report
    assert httpx.get(f"{base}/f/{fac}/team/2/debrief").status_code == 200
    assert httpx.get(f"{base}/f/{fac}/team/7/debrief").status_code == 404


def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path, capsys, monkeypatch) -> None:
    import json

    from sop_sim.cli import main

    def cli(*args: str) -> tuple[int, str, str]:
        code = main(["classroom", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    db = str(tmp_path / "c.sqlite")
    for args, words in (
        (("new", "--db", db, "--humans", "sales,wizard"), ("wizard", "allowed")),
        (("new", "--db", db, "--humans", "sales", "--preset", "nope"), ("nope", "allowed")),
        (("new", "--db", str(tmp_path / "no" / "c.sqlite"), "--humans", "sales"), ("does not exist",)),
        (("new", "--db", db, "--humans", "sales", "--months", "1"), ("months",)),
        (("new", "--db", "mysql://x/y", "--humans", "sales"), ("not supported", "allowed")),
    ):
        code, _, err = cli(*args)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and all(w in lines[0] for w in words), (args, err)
    with pytest.raises(SystemExit) as exit_:
        cli("new", "--db", db, "--humans", "sales", "--teams", "0")
    assert exit_.value.code == 2 and "too small" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_URL", db)
    code, out, _ = cli("new", "--humans", "sales", "--json")
    assert code == 0 and json.loads(out)["session"] == 1, "DATABASE_URL names the database"
    code, out, _ = cli("new", "--db", db, "--humans", "sales", "--json")
    assert code == 0 and json.loads(out)["session"] == 2, "the refused commands created nothing"

"""What each page and API answer shows, as plain data built from the store's games.

The seat's data comes from ``Game.view(role)``, so a seat sees its own card, its own
private news and the shared board, never another role's news. The projector shows only
shared data. Nothing here computes a KPI: numbers come from the games' results.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from html import escape
from typing import Any

from sop_sim.calendar import month_label
from sop_sim.config import DISTURBANCE_KINDS
from sop_sim.knowledge import name_of
from sop_sim.metrics import KPIS, format_kpi

from .forms import controls
from .store import OFFLINE_AFTER, Classroom, ClassroomError, SeatInfo


def esc(text: str) -> str:
    return escape(text, quote=True)


def family_names(game: Any) -> dict[str, str]:
    return {f.id: f.name for f in game.scenario.company.families}


def _jsonable(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if hasattr(x, "item"):  # numpy scalars
        return x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


# --- seats ----------------------------------------------------------------------------------
def seat_state(room: Classroom, seat: SeatInfo) -> dict[str, Any]:
    """``GET /api/seat/<token>``: the seat's view, its pending request and whether the game is over."""
    s = room.session(seat.session_id, fresh=False)
    tc = room.team_game(seat.team_id, s)
    with tc.lock:
        g = tc.game
        p = g.pending
        live = s["state"] in ("running", "paused")
        pending = None
        if live and p is not None and p.role == seat.role:
            pending = {"id": p.seq, "step": p.step, "month": p.month, "month_label": month_label(p.month),
                       "title": p.title, "suggestion": p.suggestion(), "fields": p.field_table()}
        turn = None
        if live and p is not None:
            turn = {"id": p.seq, "role": p.role, "step": p.step, "month": p.month}
        key = ("view", seat.role, tc.n, g.steps)
        if key not in tc.memo:
            tc.memo[key] = _jsonable(g.view(seat.role))
        out = {"team": seat.team, "role": seat.role, "view": tc.memo[key], "pending": pending,
               "finished": g.finished or s["state"] == "ended", "state": s["state"], "turn": turn,
               "month": g.month, "month_label": month_label(g.month)}
        if s["revealed"]:
            out["revealed"] = g.private_information()
        return out


def _timer_left(s: Mapping[str, Any], team_row: Mapping[str, Any] | None) -> int | None:
    if not s["timer_s"] or s["state"] != "running" or team_row is None or team_row["pending_since"] is None:
        return None
    return max(0, int(round(team_row["pending_since"] + s["timer_s"] - time.time())))


def seat_context(room: Classroom, seat: SeatInfo, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything the seat page draws."""
    s = room.session(seat.session_id, fresh=False)
    tc = room.team_game(seat.team_id, s)
    team_row = next(t for t in room.teams(seat.session_id) if t["id"] == seat.team_id)
    with tc.lock:
        g = tc.game
        p = g.pending
        live = s["state"] in ("running", "paused")
        mine = p if (live and p is not None and p.role == seat.role) else None
        view = g.view(seat.role)
        names = family_names(g)
        ctx: dict[str, Any] = {
            "seat": seat, "state": s["state"], "role_name": name_of(seat.role), "view": view,
            "shared": shared_context(view["shared"], names), "family_names": names,
            "month": g.month, "finished": g.finished or s["state"] == "ended", "pending": mine,
            "turn_role": name_of(p.role) if (live and p is not None) else None,
            "turn_step": name_of(p.step) if (live and p is not None) else None,
            "timer_left": _timer_left(s, team_row) if mine is not None else None,
            # the decision box is redrawn only when this key changes, so typing is never lost
            "form_key": (f"{s['state']}-{mine.seq if mine is not None else 'none'}-"
                         f"{p.seq if (p is not None and mine is None) else ''}-{int(g.finished)}"),
            "revealed": _revealed(g) if s["revealed"] else None, "error": None, "notice": None, "typed": False,
            "agent_seat": False,
        }
        if mine is not None:
            ctx["title"] = f"{name_of(mine.step)}, {month_label(mine.month)}"
            ctx["controls"] = controls(seat.role, mine.fields, mine.view, names, values)
        if g.finished or s["state"] == "ended":
            ctx["summary"] = summary_rows(room, seat.team_id, s)
        return ctx


def _revealed(g: Any) -> list[tuple[str, list[str]]]:
    return [(name_of(r), v) for r, v in g.private_information().items() if v]


def shared_context(shared: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The shared board as rows ready to draw (calendar months, family names, formatted KPIs)."""
    k = shared["kpis_so_far"]
    kpis = [(KPIS[n].label, format_kpi(n, v)) for n, v in k.items() if n in KPIS]

    def plan(p: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if p is None:
            return None
        width = len(next(iter(p["units"].values())))
        return {"made_in": month_label(p["made_in"]),
                "months": [month_label(p["first"] + i) for i in range(width)],
                "rows": [(names.get(f, f), [f"{u:,}" for u in units]) for f, units in p["units"].items()]}

    minutes = []
    for m in reversed(shared["last_minutes"]):
        minutes.append({"when": f"{month_label(m['month'])}, {name_of(m['step'])}", "status": m["status"],
                        "lines": list(m["decisions"]) + [f"Problem: {n}" for n in m["notes"]]})
    issues = [{"summary": i["summary"], "options": [f"{o['label']} (cost {o['cost']:,.0f})" for o in i["options"]],
               "recommendation": i["recommendation"]} for i in shared["issues"]]
    return {"months_done": k.get("months_done", 0), "kpis": kpis, "consensus": plan(shared["consensus_plan"]),
            "authorized": plan(shared["authorized_plan"]), "minutes": minutes, "issues": issues}


def summary_rows(room: Classroom, team_id: int, s: Mapping[str, Any]) -> list[tuple[str, str]]:
    from .report import team_summary

    summ = team_summary(room, team_id, s)
    if summ is None:
        return []
    return [(KPIS[n].label, format_kpi(n, v)) for n, v in summ.items() if n in KPIS]


# --- facilitator ----------------------------------------------------------------------------
def facilitator_state(room: Classroom, sid: int, token: str | None = None) -> dict[str, Any]:
    """``GET /api/facilitator/<token>``."""
    from .report import team_summary

    s = room.session(sid)
    teams = []
    for t in room.teams(sid):
        st = room.team_status(s, t)
        summ = team_summary(room, t["id"], s) if (st["finished"] or s["state"] == "ended") else None
        teams.append({"team": st["team"], "month": st["month"], "finished": st["finished"],
                      "pending_roles": st["pending_roles"] if s["state"] in ("running", "paused") else [],
                      "summary": None if summ is None else {k: _jsonable(v) for k, v in summ.items()},
                      "decisions": st["decisions"]})
    seats = []
    if token is not None:
        seats = [{"id": c["id"], "team": r["team"], "role": c["role"], "status": c["status"]}
                 for r in grid(room, sid, token) for c in r["cells"]]
    return {"state": s["state"], "session": sid, "preset": s["preset"], "seed": s["seed"], "months": s["months"],
            "humans": list(s["humans"]), "timer_s": s["timer_s"], "revealed": bool(s["revealed"]), "teams": teams,
            "seats": seats}


def form_to_action(action: str, form: Mapping[str, Any]) -> dict[str, Any]:
    """Turn a console form into the API's JSON body (numbers parsed, one-line errors)."""
    body: dict[str, Any] = {}
    if action == "inject":
        team = form.get("team", "all")
        body["team"] = "all" if team == "all" else _int(team, "team", "'all' or a team number")
        body["kind"] = form.get("kind", "")
        body["month"] = _int(form.get("month", ""), "month", "a month that has not started")
        fam = form.get("family") or None
        body["family"] = fam
        body["magnitude"] = _float(form.get("magnitude", ""), "size", "a number, e.g. 0.3 for 30%")
        body["probability"] = _float(form.get("probability", "1") or "1", "chance", "a number from 0 to 1")
    elif action == "agent":
        body["seat"] = _int(form.get("seat", ""), "seat", "a seat from the grid")
        body["agent"] = form.get("agent") == "yes"
    elif action == "timer":
        body["seconds"] = _int(form.get("seconds", ""), "timer", "whole seconds from 0 (no timer) to 3600")
    return body


def _int(text: Any, what: str, allowed: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise ClassroomError(f"{what} {str(text)!r} is not a whole number: allowed {allowed}", 422) from None


def _float(text: Any, what: str, allowed: str) -> float:
    try:
        v = float(str(text).strip())
    except ValueError:
        raise ClassroomError(f"{what} {str(text)!r} is not a number: allowed {allowed}", 422) from None
    if not math.isfinite(v):
        raise ClassroomError(f"{what} {text} is not a finite number: allowed {allowed}", 422)
    return v


ACTIONS = ("start", "pause", "resume", "end", "reveal", "inject", "agent", "timer")


def facilitator_action(room: Classroom, sid: int, action: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /api/facilitator/<token>/<action>``; returns ``{"state": ..., "message": ...}``."""
    if action not in ACTIONS:
        raise ClassroomError(f"action {action!r} is unknown: allowed {', '.join(ACTIONS)}", 404)
    allowed = {"inject": {"team", "kind", "month", "family", "magnitude", "probability"},
               "agent": {"seat", "agent"}, "timer": {"seconds"}}.get(action, set())
    extra = sorted(set(body) - allowed)
    if extra:
        raise ClassroomError(f"{extra[0]!r} is not a field of {action}: allowed "
                             f"{', '.join(sorted(allowed)) or 'an empty body'}", 400)
    if action in ("start", "pause", "resume", "end"):
        state = room.set_state(sid, action)
        msg = {"start": "The class has started.", "pause": "Paused: no decisions are taken until you resume.",
               "resume": "Resumed.", "end": "The game has ended: show the leaderboard and the debrief."}[action]
        return {"state": state, "message": msg}
    if action == "reveal":
        room.reveal(sid)
        return {"state": room.session(sid)["state"], "message": "Every role's private information is now shown "
                "on every seat and the console."}
    if action == "timer":
        if "seconds" not in body:
            raise ClassroomError("timer needs 'seconds': allowed whole seconds from 0 (no timer) to 3600")
        n = room.set_timer(sid, body["seconds"])
        return {"state": room.session(sid)["state"], "timer_s": n,
                "message": f"Each decision now has {n} seconds." if n else "Timer off."}
    if action == "agent":
        if "seat" not in body:
            raise ClassroomError("agent needs 'seat': allowed a seat id from the console's grid")
        room.set_agent(sid, body["seat"], bool(body.get("agent", True)))
        return {"state": room.session(sid)["state"], "message": "Seat handed to the agent." if body.get(
            "agent", True) else "Seat handed back to the person."}
    if "kind" not in body or body["kind"] not in DISTURBANCE_KINDS:
        raise ClassroomError(f"kind={body.get('kind')!r} is invalid: allowed {', '.join(DISTURBANCE_KINDS)}", 422)
    if "month" not in body:
        raise ClassroomError("inject needs 'month': allowed a month (0 = the first) that has not started")
    said = room.inject(sid, body.get("team", "all"), body["kind"], body["month"], body.get("family"),
                       body.get("magnitude", 0.0), body.get("probability", 1.0))
    return {"state": room.session(sid)["state"], "message": " ".join(said)}


def grid(room: Classroom, sid: int, token: str) -> list[dict[str, Any]]:
    """One row per team: its month, whose turn, and a status per human role."""
    s = room.session(sid)
    seats = room.seat_links(sid, token)
    now = time.time()
    rows = []
    for t in room.teams(sid):
        st = room.team_status(s, t)
        tc = room.team_game(t["id"], s)
        with tc.lock:
            done_now = {a["role"] for a in tc.game.decisions() if a["month"] == st["month"]}
        cells = []
        for seat in [x for x in seats if x["team_id"] == t["id"]]:
            online = seat["last_seen"] is not None and now - seat["last_seen"] < OFFLINE_AFTER
            turn = st["pending"] is not None and st["pending"]["role"] == seat["role"] and s["state"] != "lobby"
            if seat["agent"]:
                status = "agent"
            elif seat["opened_at"] is None:
                status = "unopened"
            elif not online:
                status = "offline"
            elif turn:
                status = "deciding"  # the team waits for this seat
            elif s["state"] == "lobby":
                status = "here"
            else:
                status = "submitted" if seat["role"] in done_now else "waiting"
            cells.append({**seat, "status": status, "turn": turn, "online": online})
        rows.append({"team": t["number"], "team_id": t["id"], "month": month_label(st["month"]),
                     "finished": st["finished"], "cells": cells, "decisions": st["decisions"],
                     "turn": name_of(st["pending"]["role"]) if st["pending"] and s["state"] != "lobby" else None,
                     "timer_left": _timer_left(s, t)})
    return rows


def console_context(room: Classroom, sid: int, token: str, base_url: str) -> dict[str, Any]:
    from .qr import qr_svg
    from .report import leaderboard

    s = room.session(sid)
    rows = grid(room, sid, token)
    base = base_url.rstrip("/")
    links = [{**c, "url": base + c["path"], "qr": qr_svg(base + c["path"]), "team": r["team"],
              "role_name": name_of(c["role"])} for r in rows for c in r["cells"]]
    tc = room.team_game(rows[0]["team_id"], s) if rows else None
    fams = list(family_names(tc.game).items()) if tc else []
    month_now = max((room.team_game(r["team_id"], s).game.month for r in rows), default=0)
    inject_months = [(m, month_label(m)) for m in range(month_now + 1, s["months"])]
    revealed = _revealed(tc.game) if (tc and s["revealed"]) else None
    return {"session": s, "sid": sid, "rows": rows, "links": links, "roles": [name_of(r) for r in s["humans"]],
            "humans": list(s["humans"]), "families": fams, "kinds": [(k, KIND_NAMES.get(k, k)) for k in
                                                                     DISTURBANCE_KINDS],
            "inject_months": inject_months, "board": leaderboard(room, sid), "base": base,
            "projector": base + "/p/" + _projector_token(token), "revealed": revealed,
            "present": sum(1 for x in links if x["opened_at"]), "seats_total": len(links)}


KIND_NAMES = {"promotion": "Promotion (marketing knows)", "deal": "Customer deal (sales knows)",
              "npi_slip": "New product launch slips (product development knows)",
              "supplier_disruption": "Supplier problem (supply chain knows)",
              "breakdown": "Plant breakdown (operations knows)", "budget_cut": "Overtime budget cut (finance knows)"}


def _projector_token(fac_token: str) -> str:
    from .store import derive_token

    return derive_token(fac_token, "projector")


def projector_context(room: Classroom, sid: int, team: str) -> dict[str, Any]:
    from .report import leaderboard

    s = room.session(sid)
    teams = room.teams(sid)
    number = int(team) if team.isdigit() and any(t["number"] == int(team) for t in teams) else 1
    row = next((t for t in teams if t["number"] == number), teams[0])
    tc = room.team_game(row["id"], s)
    from sop_sim.game.views import shared_view

    with tc.lock:
        shared = shared_context(shared_view(tc.game.model), family_names(tc.game))
        month = tc.game.month
    progress = []
    for t in teams:
        st = room.team_status(s, t)
        progress.append({"team": t["number"], "month": month_label(st["month"]), "finished": st["finished"],
                         "turn": name_of(st["pending"]["role"]) if st["pending"] and s["state"] != "lobby" else None})
    over = s["state"] == "ended" or all(p["finished"] for p in progress)
    phase = "game over" if over else {"lobby": "waiting to start", "running": "in play", "paused": "paused"}[s["state"]]
    return {"session": s, "sid": sid, "team": number, "teams": [t["number"] for t in teams], "shared": shared,
            "month": month, "board": leaderboard(room, sid), "progress": progress, "phase": phase}


def team_debrief_html(room: Classroom, sid: int, number: int) -> str:
    from sop_sim.errors import SopSimError
    from sop_sim.game.debrief import debrief
    from sop_sim.game.report import render_html

    s = room.session(sid)
    t = next((t for t in room.teams(sid) if t["number"] == number), None)
    if t is None:
        raise ClassroomError(f"team {number} does not exist: allowed 1 to {len(room.teams(sid))}", 404)
    tc = room.team_game(t["id"], s)
    with tc.lock:
        try:
            return render_html(debrief(tc.game))
        except SopSimError as exc:
            raise ClassroomError(str(exc), 409) from None

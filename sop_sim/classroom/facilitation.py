"""The facilitator's side of :class:`~sop_sim.classroom.store.Classroom`: presence, controls, timers.

A mixin, so the store's class stays one job per module: here are the seats' presence (written
in one batch), start/pause/resume/end, the decision timer, handing a seat to the agent,
injecting an event into one team or all, reveal, and the tick that applies timers and agent
seats. It uses the store's database, caches and :meth:`decide` machinery.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from sop_sim.calendar import month_label
from sop_sim.errors import DecisionError, ScenarioError

from . import db
from .errors import ClassroomError

if TYPE_CHECKING:
    from .store import SeatInfo

#: Presence is written at most this often per seat and process.
PRESENCE_EVERY = 10.0


class Facilitation:
    """Presence and the facilitator's controls (mixed into ``Classroom``)."""

    engine: Any
    _seen: dict[int, float]
    _presence: dict[int, tuple[int, float]]
    _session_rows: dict[int, Any]

    # --- presence --------------------------------------------------------------------------
    def needs_touch(self, seat: SeatInfo) -> bool:
        return time.time() - self._seen.get(seat.id, 0.0) >= PRESENCE_EVERY

    def touch(self, seat: SeatInfo) -> None:
        """Note that the seat is open; :meth:`flush_presence` writes it (one transaction for all seats)."""
        now = time.time()
        if now - self._seen.get(seat.id, 0.0) < PRESENCE_EVERY:
            return
        self._seen[seat.id] = now
        self._presence[seat.id] = (seat.session_id, now)

    def flush_presence(self) -> int:
        """Write the seats seen since the last flush; bump the revision of sessions with a new arrival."""
        if not self._presence:
            return 0
        batch, self._presence = self._presence, {}
        try:
            with self.write() as c:
                new = c.execute(select(db.seats.c.id).where(db.seats.c.id.in_(list(batch)),
                                                            db.seats.c.opened_at.is_(None))).scalars().all()
                for seat_id, (_, now) in batch.items():
                    values: dict[str, Any] = {"last_seen": now}
                    if seat_id in new:
                        values["opened_at"] = now
                    c.execute(update(db.seats).where(db.seats.c.id == seat_id).values(**values))
                for sid in {batch[x][0] for x in new}:
                    c.execute(update(db.sessions).where(db.sessions.c.id == sid).values(rev=db.sessions.c.rev + 1))
        except OperationalError:
            for k, v in batch.items():  # presence is best effort: try again next time
                self._presence.setdefault(k, v)
        return len(batch)

    # --- facilitator -----------------------------------------------------------------------
    def set_state(self, session_id: int, action: str) -> str:
        s = self.session(session_id)
        allowed = {"start": ("lobby",), "pause": ("running",), "resume": ("paused",), "end": ("lobby", "running",
                                                                                                "paused")}
        target = {"start": "running", "pause": "paused", "resume": "running", "end": "ended"}[action]
        if s["state"] not in allowed[action]:
            raise ClassroomError(f"cannot {action} a session that is {s['state']}: allowed when "
                                 f"{' or '.join(allowed[action])}", 409)
        now = time.time()
        self._session_rows.pop(session_id, None)
        with self.write() as c:
            res = c.execute(update(db.sessions).where(db.sessions.c.id == session_id,
                                                      db.sessions.c.state == s["state"])
                            .values(state=target, rev=db.sessions.c.rev + 1))
            if res.rowcount != 1:
                raise ClassroomError(f"the session changed meanwhile: reload and try {action} again", 409)
            if target == "running":  # timers count from the start or the resume
                c.execute(update(db.teams).where(db.teams.c.session_id == session_id).values(pending_since=now))
        return target

    def set_timer(self, session_id: int, seconds: Any) -> int:
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= 3600:
            raise ClassroomError(f"timer={seconds!r} is invalid: allowed whole seconds from 0 (no timer) to 3600")
        self._session_rows.pop(session_id, None)
        with self.write() as c:
            c.execute(update(db.sessions).where(db.sessions.c.id == session_id)
                      .values(timer_s=seconds, rev=db.sessions.c.rev + 1))
            c.execute(update(db.teams).where(db.teams.c.session_id == session_id).values(pending_since=time.time()))
        return seconds

    def reveal(self, session_id: int) -> None:
        self._session_rows.pop(session_id, None)
        with self.write() as c:
            c.execute(update(db.sessions).where(db.sessions.c.id == session_id)
                      .values(revealed=True, rev=db.sessions.c.rev + 1))

    def set_agent(self, session_id: int, seat_id: Any, agent: bool) -> None:
        with self.write() as c:
            ok = c.execute(select(db.seats.c.id).join(db.teams, db.teams.c.id == db.seats.c.team_id)
                           .where(db.seats.c.id == seat_id, db.teams.c.session_id == session_id)).first()
            if ok is None:
                raise ClassroomError(f"seat {seat_id!r} is not a seat of this session: allowed a seat from the "
                                     "grid", 404)
            c.execute(update(db.seats).where(db.seats.c.id == seat_id).values(agent=bool(agent)))
            c.execute(update(db.sessions).where(db.sessions.c.id == session_id).values(rev=db.sessions.c.rev + 1))

    def inject(self, session_id: int, team: Any, kind: Any, month: Any, family: Any = None,
               magnitude: Any = 0.0, probability: Any = 1.0) -> list[str]:
        """Inject an event into one team (its number) or all (``team`` is ``"all"``); return what was announced."""
        s = self.session(session_id)
        if s["state"] == "ended":
            raise ClassroomError("the game has ended: nothing can be injected any more", 409)
        teams = self.teams(session_id)
        if team not in ("all", None):
            if isinstance(team, bool) or not isinstance(team, int) or not any(t["number"] == team for t in teams):
                raise ClassroomError(f"team={team!r} is invalid: allowed 'all' or a team number from 1 to "
                                     f"{len(teams)}")
            teams = [t for t in teams if t["number"] == team]
        for name, value, kinds in (("month", month, int), ("magnitude", magnitude, (int, float)),
                                   ("probability", probability, (int, float))):
            if isinstance(value, bool) or not isinstance(value, kinds):
                raise ClassroomError(f"{name}={value!r} is invalid: allowed a number")
        # check on a throw-away copy first, so that a bad event changes no team at all
        for t in teams:
            tc = self.team_game(t["id"], s)
            with tc.lock:
                g = tc.game
                first = g.month + 1 if g.env.now > 0 else 0
                if not first <= month < s["months"]:
                    allowed = (f"{first} ({month_label(first)}) to {s['months'] - 1} ({month_label(s['months'] - 1)})"
                               if first < s["months"] else "none: the last month has started")
                    raise ClassroomError(f"month {month} ({month_label(month)}) has started or lies outside the "
                                         f"game for team {t['number']}: allowed {allowed}", 422)
                probe = self._new_game(s)
                probe.replay(tc.game.log, tc.game.steps)
                try:
                    probe.inject(kind, month, family, float(magnitude), probability=float(probability))
                except (ScenarioError, DecisionError, TypeError, ValueError) as exc:
                    raise ClassroomError(str(exc), 422) from None
        said = []
        for t in teams:
            tc = self.team_game(t["id"], s)
            with tc.lock:
                self._catch_up(t["id"], tc)
                game = tc.game
                d = game.inject(kind, month, family, float(magnitude), probability=float(probability))
                action = dict(game.log[-1])
                try:
                    self._write(t["id"], tc, action, "facilitator")
                except IntegrityError:
                    self.drop_cache(t["id"])  # the cache holds an inject the log does not: rebuild it
                    raise ClassroomError("a team moved on while the event was injected: try again", 409) from None
                tc.sources.append("facilitator")
                tc.n += 1
                tc.memo.clear()
                said.append(f"Team {t['number']}: announced to {d.owner.replace('_', ' ')} only: {d.describe()}")
        with self.write() as c:
            c.execute(update(db.sessions).where(db.sessions.c.id == session_id).values(rev=db.sessions.c.rev + 1))
        return said

    # --- what is going on ------------------------------------------------------------------
    def team_status(self, session: Mapping[str, Any], team: Mapping[str, Any]) -> dict[str, Any]:
        tc = self.team_game(team["id"], session)
        with tc.lock:
            g = tc.game
            p = g.pending
            return {"team": team["number"], "team_id": team["id"], "month": g.month, "finished": g.finished,
                    "pending_roles": [p.role] if p is not None else [],
                    "pending": None if p is None else {"id": p.seq, "role": p.role, "step": p.step, "month": p.month},
                    "pending_since": team["pending_since"], "decisions": len(g.decisions()), "steps": g.steps}

    def tick(self) -> int:
        """Apply timers and agent seats in every running session; return how many decisions were taken."""
        now = time.time()
        n = 0
        with self.engine.connect() as c:
            running = c.execute(select(db.sessions).where(db.sessions.c.state == "running")).mappings().all()
            agent_seats = {(r[0], r[1]) for r in c.execute(
                select(db.seats.c.team_id, db.seats.c.role).where(db.seats.c.agent.is_(True))).all()}
        for s in running:
            if not s["timer_s"] and not agent_seats:
                continue
            for t in self.teams(s["id"]):
                st = self.team_status(s, t)
                pend = st["pending"]
                if pend is None:
                    continue
                if (t["id"], pend["role"]) in agent_seats:
                    n += self.auto_decide(t["id"], "agent", pend["id"])
                elif s["timer_s"] and t["pending_since"] is not None and now - t["pending_since"] >= s["timer_s"]:
                    n += self.auto_decide(t["id"], "timer", pend["id"])
        return n

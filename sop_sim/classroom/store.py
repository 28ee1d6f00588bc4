"""The classroom's state: sessions in the database, games rebuilt by replaying each team's log.

:class:`Classroom` is all a front end (the web app, the CLI, a test) needs. It reads and
writes the database (:mod:`sop_sim.classroom.db`) and keeps one cached
:class:`~sop_sim.game.Game` per team, which it brings up to date by replaying whatever
the log holds beyond it (written by this process or another one). The cache is never
the truth: throw it away and the next call rebuilds it.

A decision is checked against the cached game (right request, right role, valid values)
and then written in one transaction whose unique keys refuse a second answer to the same
request or a second action at the same place in the log. Only after the commit is the
decision applied to the cache and the player told it was accepted.

Tokens: the facilitator token is 256 random bits; seat and projector tokens are derived
from it with HMAC-SHA256, so the facilitator's pages can show every seat's link and QR
code while the database keeps only SHA-256 hashes of all tokens.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from sop_sim.config import ROLE_IDS
from sop_sim.errors import DecisionError, SopSimError
from sop_sim.game import Game
from sop_sim.game.savefile import scenario_from_dict, scenario_to_dict
from sop_sim.presets import PRESETS

from . import db
from .errors import ClassroomError, NotFound
from .facilitation import PRESENCE_EVERY, Facilitation

#: Seconds without a sign of life after which a seat counts as offline.
OFFLINE_AFTER = 45.0
#: Pages may show a session row read this many seconds ago (decisions always read it afresh).
SESSION_TTL = 0.5
STATES = ("lobby", "running", "paused", "ended")
__all__ = ["PRESENCE_EVERY", "Classroom", "ClassroomError", "NotFound", "SeatInfo", "TeamCache"]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def derive_token(facilitator_token: str, what: str) -> str:
    """A seat's or the projector's token, derived from the facilitator token (256 bits)."""
    return _b64(hmac.new(facilitator_token.encode("utf-8"), what.encode("utf-8"), hashlib.sha256).digest())


@dataclass(frozen=True)
class SeatInfo:
    id: int
    team_id: int
    team: int
    role: str
    session_id: int


class TeamCache:
    """One team's game, replayed from the log up to ``n`` actions."""

    def __init__(self, game: Game) -> None:
        self.game = game
        self.n = 0
        self.sources: list[str] = []  # who made each action (person, timer, agent, facilitator)
        self.lock = threading.RLock()
        self.memo: dict[str, Any] = {}  # derived data (results, readings) keyed by log length


class Classroom(Facilitation):
    """Sessions, seats and games on one database (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._teams: dict[int, TeamCache] = {}
        self._lock = threading.Lock()
        self._seen: dict[int, float] = {}
        self._session_rows: dict[int, tuple[float, Mapping[str, Any]]] = {}
        self._token_rows: dict[str, dict[str, Any]] = {}
        self._presence: dict[int, tuple[int, float]] = {}
        #: called as ``on_write(key, version)`` after this process commits an action (the web app's hub)
        self.on_write: Any = None
        self._write_lock = threading.Lock()
        self._sqlite = engine.url.get_backend_name() == "sqlite"
        self._seat_infos: dict[str, SeatInfo] = {}

    @classmethod
    def open(cls, database: str | None) -> Classroom:
        return cls(db.make_engine(database))

    # --- creating a session ----------------------------------------------------------------
    def create_session(self, preset: str, seed: int, teams: int, humans: list[str], months: int | None = None,
                       timer_s: int = 0) -> dict[str, Any]:
        """Create a session in the lobby; return the contract's JSON (with the raw tokens)."""
        if preset not in PRESETS:
            raise ClassroomError(f"--preset {preset!r} is unknown: allowed {', '.join(PRESETS)}")
        if not 1 <= teams <= 50:
            raise ClassroomError(f"--teams {teams} is out of range: allowed 1 to 50 teams")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ClassroomError(f"--seed {seed!r} is invalid: allowed a whole number >= 0")
        humans = [h.strip() for h in humans if h.strip()]
        bad = [h for h in humans if h not in ROLE_IDS]
        if bad:
            raise ClassroomError(f"--humans {bad[0]!r} is not a role: allowed {', '.join(ROLE_IDS)}")
        if not humans:
            raise ClassroomError(f"--humans is empty: allowed one or more of {', '.join(ROLE_IDS)}")
        if len(set(humans)) != len(humans):
            raise ClassroomError("--humans names a role twice: give each role once")
        if not 0 <= timer_s <= 3600:
            raise ClassroomError(f"--timer {timer_s} is out of range: allowed 0 (no timer) to 3600 seconds")
        overrides = {"months": months} if months is not None else {}
        game = Game(preset, seed, humans, **overrides)  # validates months (ScenarioError)
        humans = list(game.human_roles)
        fac = _b64(secrets.token_bytes(32))
        now = time.time()
        out: dict[str, Any] = {"facilitator": f"/f/{fac}", "seats": []}
        with self.engine.begin() as c:
            sid = c.execute(insert(db.sessions).values(
                created_at=now, preset=preset, scenario=scenario_to_dict(game.initial_scenario), seed=seed,
                months=game.scenario.months, humans=humans, state="lobby", timer_s=timer_s, revealed=False,
                rev=0)).inserted_primary_key[0]
            c.execute(insert(db.tokens).values(hash=hash_token(fac), kind="facilitator", session_id=sid))
            proj = derive_token(fac, "projector")
            c.execute(insert(db.tokens).values(hash=hash_token(proj), kind="projector", session_id=sid))
            for k in range(1, teams + 1):
                tid = c.execute(insert(db.teams).values(session_id=sid, number=k)).inserted_primary_key[0]
                for role in humans:
                    seat = c.execute(insert(db.seats).values(team_id=tid, role=role, agent=False)
                                     ).inserted_primary_key[0]
                    tok = derive_token(fac, f"seat:{seat}")
                    c.execute(insert(db.tokens).values(hash=hash_token(tok), kind="seat", session_id=sid,
                                                       seat_id=seat))
                    out["seats"].append({"team": k, "role": role, "path": f"/s/{tok}"})
        out["session"] = sid
        out["projector"] = f"/p/{proj}"
        return {"session": sid, "facilitator": out["facilitator"], "projector": out["projector"],
                "seats": out["seats"]}

    # --- tokens ----------------------------------------------------------------------------
    def resolve(self, token: str, kind: str) -> Mapping[str, Any]:
        """The token's row (kind, session_id, seat_id) or :class:`NotFound`."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            raise NotFound()
        h = hash_token(token)
        row = self._token_rows.get(h)  # tokens never change once created: cache the known ones
        if row is None:
            with self.engine.connect() as c:
                row = c.execute(select(db.tokens).where(db.tokens.c.hash == h)).mappings().first()
            if row is not None:
                self._token_rows[h] = row = dict(row)
        if row is None or row["kind"] != kind:
            raise NotFound()
        return row

    def known_seat(self, token: str) -> SeatInfo | None:
        """The seat of a token this process has already checked (no database read), else None."""
        return self._seat_infos.get(token)

    def seat(self, token: str) -> SeatInfo:
        known = self._seat_infos.get(token)
        if known is not None:
            return known
        info = self._seat(token)
        self._seat_infos[token] = info
        return info

    def _seat(self, token: str) -> SeatInfo:
        row = self.resolve(token, "seat")
        with self.engine.connect() as c:
            s = c.execute(select(db.seats.c.id, db.seats.c.team_id, db.seats.c.role, db.teams.c.number,
                                 db.teams.c.session_id).join(db.teams, db.teams.c.id == db.seats.c.team_id)
                          .where(db.seats.c.id == row["seat_id"])).mappings().one()
        return SeatInfo(s["id"], s["team_id"], s["number"], s["role"], s["session_id"])

    def seat_links(self, session_id: int, facilitator_token: str) -> list[dict[str, Any]]:
        """Every seat of the session with its (re-derived) token path, by team then role order."""
        with self.engine.connect() as c:
            rows = c.execute(select(db.seats.c.id, db.seats.c.role, db.seats.c.agent, db.seats.c.opened_at,
                                    db.seats.c.last_seen, db.teams.c.number, db.teams.c.id.label("team_id"))
                             .join(db.teams, db.teams.c.id == db.seats.c.team_id)
                             .where(db.teams.c.session_id == session_id)
                             .order_by(db.teams.c.number, db.seats.c.id)).mappings().all()
        return [{**r, "path": f"/s/{derive_token(facilitator_token, 'seat:' + str(r['id']))}"} for r in rows]

    # --- reading ---------------------------------------------------------------------------
    def session(self, session_id: int, fresh: bool = True) -> Mapping[str, Any]:
        """The session's row; ``fresh=False`` accepts one read in the last fraction of a second (pages)."""
        now = time.monotonic()
        hit = self._session_rows.get(session_id)
        if not fresh and hit is not None and now - hit[0] < SESSION_TTL:
            return hit[1]
        with self.engine.connect() as c:
            row = c.execute(select(db.sessions).where(db.sessions.c.id == session_id)).mappings().one()
        self._session_rows[session_id] = (now, row)
        return row

    def teams(self, session_id: int) -> list[Mapping[str, Any]]:
        with self.engine.connect() as c:
            return list(c.execute(select(db.teams).where(db.teams.c.session_id == session_id)
                                  .order_by(db.teams.c.number)).mappings().all())

    def _new_game(self, s: Mapping[str, Any]) -> Game:
        return Game(scenario_from_dict(s["scenario"]), s["seed"], s["humans"])

    def team_game(self, team_id: int, session: Mapping[str, Any] | None = None) -> TeamCache:
        """The team's cached game, brought up to date with the log (call under no lock)."""
        with self._lock:
            tc = self._teams.get(team_id)
        if tc is None:
            if session is None:
                with self.engine.connect() as c:
                    sid = c.execute(select(db.teams.c.session_id).where(db.teams.c.id == team_id)).scalar_one()
                session = self.session(sid)
            tc = TeamCache(self._new_game(session))
            tc.game.advance()
            with self._lock:
                tc = self._teams.setdefault(team_id, tc)
        with tc.lock:
            self._catch_up(team_id, tc)
        return tc

    def _catch_up(self, team_id: int, tc: TeamCache) -> None:
        with self.engine.connect() as c:
            rows = c.execute(select(db.actions.c.idx, db.actions.c.payload, db.actions.c.source)
                             .where(db.actions.c.team_id == team_id, db.actions.c.idx >= tc.n)
                             .order_by(db.actions.c.idx)).all()
        for idx, payload, source in rows:
            if idx != tc.n:  # pragma: no cover - a hole in the log cannot happen with the unique keys
                raise SopSimError(f"the log of team {team_id} has a gap at action {tc.n}")
            self._apply(tc, json.loads(payload))
            tc.sources.append(source)
            tc.n += 1

    @staticmethod
    def _apply(tc: TeamCache, action: Mapping[str, Any]) -> None:
        game = tc.game
        game.replay([action], action["steps"])
        game.advance()
        tc.memo.clear()

    def drop_cache(self, team_id: int) -> None:
        with self._lock:
            self._teams.pop(team_id, None)

    # --- writing ---------------------------------------------------------------------------
    def _write(self, team_id: int, tc: TeamCache, action: dict[str, Any], source: str,
               extra: Mapping[str, Any] | None = None) -> None:
        now = time.time()
        values = {"team_id": team_id, "idx": tc.n, "seq": action.get("seq") if action["type"] == "decision" else None,
                  "kind": action["type"], "source": source, "payload": json.dumps(action), "created_at": now}
        for attempt in range(5):
            try:
                with self.write() as c:
                    new_id = c.execute(insert(db.actions).values(**values)).inserted_primary_key[0]
                    if action["type"] == "decision":
                        c.execute(update(db.teams).where(db.teams.c.id == team_id).values(pending_since=now))
                if self.on_write is not None:
                    self.on_write(f"team:{team_id}", int(new_id))
                return
            except OperationalError:  # SQLite busy beyond the timeout: try again, nothing was written
                time.sleep(0.05 * (attempt + 1))
        raise ClassroomError("the database is busy: try again in a moment", 503)

    def decide(self, seat: SeatInfo, request: Any, decision: Any, source: str = "person") -> dict[str, Any]:
        """Record a decision of ``seat`` for request ``request``; raise :class:`ClassroomError` if refused."""
        if isinstance(request, bool) or not isinstance(request, int):
            raise ClassroomError(f"request={request!r} is invalid: allowed the whole-number id of your pending "
                                 "request", 400)
        if not isinstance(decision, Mapping):
            raise ClassroomError(f"decision={decision!r} is invalid: allowed an object with your decision's fields",
                                 400)
        s = self.session(seat.session_id)
        self._check_open(s)
        tc = self.team_game(seat.team_id, s)
        with tc.lock:
            self._catch_up(seat.team_id, tc)
            p = tc.game.pending
            if p is None:
                raise ClassroomError(f"request {request} is stale: your team has no decision pending (the game "
                                     "is over)", 409)
            if request != p.seq:
                raise ClassroomError(f"request {request} is stale: the pending request is {p.seq}", 409)
            if p.role != seat.role:
                raise ClassroomError(f"request {request} is for another role: your role ({seat.role}) has no "
                                     "decision pending", 403)
            try:
                clean = p.point.validate(decision)
            except DecisionError as exc:
                raise ClassroomError(str(exc), 422) from None
            self._record(seat.team_id, tc, p, clean, source)
        return {"accepted": True}

    def _record(self, team_id: int, tc: TeamCache, p: Any, clean: dict[str, Any], source: str) -> None:
        g = tc.game
        suggestion = p.point.validate(p.suggestion())
        action = {"type": "decision", "steps": g.steps, "day": g.env.now, "seq": p.seq, "role": p.role,
                  "month": p.month, "step": p.step, "decision": clean, "suggestion": suggestion,
                  "suggested": clean == suggestion}
        try:
            self._write(team_id, tc, action, source)
        except IntegrityError:
            self._catch_up(team_id, tc)
            raise ClassroomError(f"request {p.seq} was already decided: reload to see the next one", 409) from None
        self._apply(tc, action)
        tc.sources.append(source)
        tc.n += 1

    @staticmethod
    def _check_open(s: Mapping[str, Any]) -> None:
        if s["state"] == "lobby":
            raise ClassroomError("the class has not started yet: wait for the facilitator to start it", 409)
        if s["state"] == "paused":
            raise ClassroomError("the game is paused by the facilitator: wait until it resumes", 409)
        if s["state"] == "ended":
            raise ClassroomError("the facilitator has ended the game: no more decisions are taken", 409)

    def auto_decide(self, team_id: int, source: str, expect_seq: int | None = None) -> bool:
        """Take the agent's suggestion for the team's pending request (timer or agent seat)."""
        tc = self.team_game(team_id)
        with tc.lock:
            self._catch_up(team_id, tc)
            p = tc.game.pending
            if p is None or (expect_seq is not None and p.seq != expect_seq):
                return False
            try:
                self._record(team_id, tc, p, p.point.validate(p.suggestion()), source)
            except ClassroomError:
                return False
        return True

    @contextlib.contextmanager
    def write(self):
        """A write transaction; on SQLite this process's writers queue here instead of in SQLite's busy loop."""
        if self._sqlite:
            with self._write_lock, self.engine.begin() as c:
                yield c
        else:
            with self.engine.begin() as c:
                yield c

    def versions(self) -> dict[str, int]:
        """A cheap fingerprint of everything: ``team:<id>`` -> last action id, ``session:<id>`` -> rev."""
        out: dict[str, int] = {}
        with self.engine.connect() as c:
            for tid, last in c.execute(select(db.actions.c.team_id, func.max(db.actions.c.id))
                                       .group_by(db.actions.c.team_id)).all():
                out[f"team:{tid}"] = int(last)
            for sid, rev in c.execute(select(db.sessions.c.id, db.sessions.c.rev)).all():
                out[f"session:{sid}"] = int(rev)
        return out

    def sources(self, team_id: int) -> list[str]:
        tc = self.team_game(team_id)
        return list(tc.sources)



"""The classroom database: sessions, teams, seats, hashed tokens and each team's decision log.

Everything that matters lives here; a server process only keeps caches it can rebuild by
replaying the log (see :mod:`sop_sim.classroom.store`). SQLite (a file, WAL mode) is the
default; a ``postgresql://`` URL (or ``DATABASE_URL``) selects PostgreSQL through psycopg.

The decision log (``actions``) has two unique keys: (team, position in the log) and
(team, request seq). A decision is written in one transaction, so two server processes
racing to record the same request (a person and the timer, say) cannot both succeed,
and a decision a player was told was accepted is committed before the answer leaves.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine

from sop_sim.errors import SopSimError

metadata = MetaData()

sessions = Table(
    "classroom_sessions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Float, nullable=False),
    Column("preset", String(64), nullable=False),
    Column("scenario", JSON, nullable=False),       # scenario_to_dict of the game's scenario
    Column("seed", Integer, nullable=False),
    Column("months", Integer, nullable=False),
    Column("humans", JSON, nullable=False),         # role ids played by people
    Column("state", String(16), nullable=False),    # lobby, running, paused, ended
    Column("timer_s", Integer, nullable=False, default=0),  # 0: no timer
    Column("revealed", Boolean, nullable=False, default=False),
    Column("rev", Integer, nullable=False, default=0),  # bumped on every facilitator change
)

teams = Table(
    "classroom_teams", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("classroom_sessions.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("pending_since", Float, nullable=True),  # when the current request became answerable
    UniqueConstraint("session_id", "number", name="uq_team_number"),
)

seats = Table(
    "classroom_seats", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", Integer, ForeignKey("classroom_teams.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("agent", Boolean, nullable=False, default=False),  # handed to the agent by the facilitator
    Column("opened_at", Float, nullable=True),
    Column("last_seen", Float, nullable=True),
    UniqueConstraint("team_id", "role", name="uq_seat_role"),
)

tokens = Table(
    "classroom_tokens", metadata,
    Column("hash", String(64), primary_key=True),  # sha256 hex of the token; the token itself is never stored
    Column("kind", String(16), nullable=False),    # facilitator, seat, projector
    Column("session_id", Integer, ForeignKey("classroom_sessions.id"), nullable=False),
    Column("seat_id", Integer, ForeignKey("classroom_seats.id"), nullable=True),
)

actions = Table(
    "classroom_actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", Integer, ForeignKey("classroom_teams.id"), nullable=False),
    Column("idx", Integer, nullable=False),        # position in the team's log
    Column("seq", Integer, nullable=True),         # the request a decision answers (null for injects)
    Column("kind", String(16), nullable=False),    # decision, inject
    Column("source", String(16), nullable=False),  # person, timer, agent, facilitator
    Column("payload", Text, nullable=False),       # the Game log entry as JSON
    Column("created_at", Float, nullable=False),
    UniqueConstraint("team_id", "idx", name="uq_action_idx"),
    UniqueConstraint("team_id", "seq", name="uq_action_request"),
)


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL for ``--db``: a file path (SQLite) or a ``postgresql://`` URL.

    Without ``db``, ``DATABASE_URL`` is used.
    """
    db = db or os.environ.get("DATABASE_URL")
    if not db:
        raise SopSimError("no database given: pass --db FILE.sqlite or a postgresql:// URL, or set DATABASE_URL")
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if db.startswith("postgresql+psycopg://") or db.startswith("sqlite:///"):
        return db
    if "://" in db:
        raise SopSimError(f"--db {db.split('://')[0]}://... is not supported: allowed a file path or a "
                          "postgresql:// URL")
    path = Path(db)
    if path.is_dir():
        raise SopSimError(f"--db {db} is a folder: allowed a database file path or a postgresql:// URL")
    if not path.parent.exists():
        raise SopSimError(f"--db {db}: folder {path.parent} does not exist; create it first")
    return f"sqlite:///{path.resolve()}"


_SYNC = "FULL" if os.environ.get("SOP_SIM_SQLITE_SYNC", "").upper() == "FULL" else "NORMAL"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - SQLAlchemy event signature
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")      # readers never block the writer; two processes share the file
    # NORMAL in WAL mode: a committed decision is in the WAL file before the answer leaves, so it
    # survives the server process being killed at any moment; only a power cut could lose the
    # last commits (set SOP_SIM_SQLITE_SYNC=FULL to fsync every decision as well)
    cur.execute(f"PRAGMA synchronous={_SYNC}")
    cur.execute("PRAGMA busy_timeout=10000")    # wait for the other process's write instead of failing
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(db: str | None) -> Engine:
    """An engine on ``db`` with the tables created (idempotent)."""
    url = database_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10},
                               pool_size=20, max_overflow=20)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    try:
        metadata.create_all(engine)
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one line
        raise SopSimError(f"cannot open the database {db or 'DATABASE_URL'}: "
                          f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}") from None
    return engine

"""Shared set-up of the classroom tests: a throw-away PostgreSQL cluster and session creation.

The PostgreSQL cluster lives in a temporary folder for the test session only (initdb and
pg_ctl from Debian's ``postgresql`` package, run as the ``postgres`` user when the tests run
as root, since PostgreSQL refuses to run as root); it is stopped and removed afterwards.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator

import pytest

from sop_sim.classroom.bots import free_port


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _as_user(cmd: list[str], user: str | None) -> list[str]:
    return cmd if user is None else ["runuser", "-u", user, "--", *cmd]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    """A running PostgreSQL cluster: yields its base URL (``postgresql://postgres@127.0.0.1:PORT``)."""
    bindir = _pg_bin()
    if bindir is None:
        why = "PostgreSQL is not installed: `make test` installs Debian's postgresql package"
        if os.environ.get("CI"):  # CI runs `make test`, which installs it: a missing server is a failure there
            pytest.fail(why)
        pytest.skip(why)
    user = "postgres" if os.geteuid() == 0 else None
    root = tempfile.mkdtemp(prefix="sop_sim_pg_")
    os.chmod(root, 0o755)
    if user:
        shutil.chown(root, user)
    data, sock, port = os.path.join(root, "data"), root, free_port()
    subprocess.run(_as_user([f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                             "--no-sync"], user), check=True, capture_output=True)
    opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(_as_user([f"{bindir}/pg_ctl", "-D", data, "-o", opts, "-l", os.path.join(root, "log"),
                             "-w", "start"], user), check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_user([f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], user),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def new_database(backend: str, tmp_path, pg_base: str | None) -> str:
    """A fresh empty database for one test: a SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        return str(tmp_path / "class.sqlite")
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_base + "/postgres", autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    return f"{pg_base}/{name}"


def new_session(db: str, *, teams: int, humans: str, months: int = 3, preset: str = "baseline",
                seed: int = 0, extra: tuple[str, ...] = ()) -> dict:
    """Create a session with the real command line (``sop-sim classroom new --json``)."""
    out = subprocess.run([sys.executable, "-m", "sop_sim.cli", "classroom", "new", "--db", db, "--preset", preset,
                          "--seed", str(seed), "--teams", str(teams), "--humans", humans, "--months", str(months),
                          "--json", *extra], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)

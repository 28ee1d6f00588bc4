"""Bots that play seats through the JSON API, and helpers to run a real classroom server.

Used by the tests and the load script (``bench/bench_classroom.py``); also handy for an
instructor who wants to fill empty seats of a demo class. A bot listens to its seat's
server-sent events, reads ``GET /api/seat/<token>`` when something changed, and answers
its pending request with the agent's suggestion (``POST /api/seat/<token>/decision``).
It survives a server that goes away and comes back: it just retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, *, log: Any = None, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``sop-sim classroom serve`` as a separate process on 127.0.0.1:``port``."""
    cmd = [sys.executable, "-m", "sop_sim.cli", "classroom", "serve", "--db", db, "--port", str(port),
           "--host", "127.0.0.1"]
    return subprocess.Popen(cmd, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})}, start_new_session=True)


def wait_ready(base: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until the server at ``base`` answers (raises ``RuntimeError`` after ``timeout``)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            if httpx.get(base + "/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no server answered at {base} within {timeout:.0f} s")


def serve(db: str, *, port: int | None = None, log: Any = None) -> tuple[subprocess.Popen, str]:
    """Start a server on ``port`` (a free one by default) and wait until it answers.

    Returns the process and its base URL; a server that never answers is stopped before
    the ``RuntimeError`` of :func:`wait_ready` goes up.
    """
    port = port or free_port()
    proc = start_server(db, port, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc=proc)
    except RuntimeError:
        stop_server(proc)
        raise
    return proc, base


def stop_server(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started by :func:`start_server` (SIGTERM, then SIGKILL)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


@dataclass
class SeatBot:
    """One seat played by the agent's suggestion through the JSON API."""

    path: str                      # "/s/<token>"
    bases: Sequence[str]           # server addresses; each request picks one (two processes, one class)
    accepted: list[int] = field(default_factory=list)    # request ids the server acknowledged
    refused: list[tuple[int, str]] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)
    server_times: list[float] = field(default_factory=list)  # the server's own handling time (Server-Timing)
    seen: list[tuple[int, float]] = field(default_factory=list)  # (turn id, when this seat first saw it)
    errors: int = 0
    finished: bool = False
    think: float = 0.0             # a person's time to decide: up to this many seconds, drawn per seat

    @property
    def token(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def base(self) -> str:
        return random.choice(list(self.bases))

    async def _listen(self, client: httpx.AsyncClient, wake: asyncio.Event) -> None:
        while not self.finished:
            try:
                async with client.stream("GET", f"{self.base()}/s/{self.token}/events",
                                         timeout=httpx.Timeout(5.0, read=30.0)) as r:
                    async for line in r.aiter_lines():
                        if line.startswith("event: update"):
                            wake.set()
            except (httpx.HTTPError, OSError):
                await asyncio.sleep(0.2)
            wake.set()

    async def play(self, client: httpx.AsyncClient, *, deadline: float, poll: float = 2.0,
                   on_decision: Callable[[SeatBot, dict[str, Any]], None] | None = None) -> None:
        wake = asyncio.Event()
        listener = asyncio.create_task(self._listen(client, wake))
        last_turn = None
        try:
            while time.monotonic() < deadline:
                wake.clear()
                try:
                    r = await client.get(f"{self.base()}/api/seat/{self.token}", timeout=10)
                    state = r.json()
                except (httpx.HTTPError, OSError, ValueError):
                    self.errors += 1
                    await asyncio.sleep(0.2)
                    continue
                turn = state.get("turn")
                if turn and turn["id"] != last_turn:
                    last_turn = turn["id"]
                    self.seen.append((turn["id"], time.perf_counter()))
                if state["finished"]:
                    self.finished = True
                    return
                p = state["pending"]
                if p is not None:
                    if self.think > 0:  # seeded by the seat, so a rerun spreads the clicks the same way
                        await asyncio.sleep(random.Random(f"{self.path}:{p['id']}").uniform(0, self.think))
                    body = {"request": p["id"], "decision": p["suggestion"]}
                    t0 = time.perf_counter()
                    try:
                        r = await client.post(f"{self.base()}/api/seat/{self.token}/decision", json=body,
                                              timeout=10)
                    except (httpx.HTTPError, OSError):
                        self.errors += 1  # no answer: not acknowledged; ask again what is pending
                        await asyncio.sleep(0.2)
                        continue
                    if r.status_code == 200:
                        self.round_trips.append(time.perf_counter() - t0)
                        timing = r.headers.get("server-timing", "")
                        if "dur=" in timing:
                            self.server_times.append(float(timing.split("dur=")[1].split(";")[0]) / 1000)
                        self.accepted.append(p["id"])
                        if on_decision is not None:
                            on_decision(self, p)
                    else:
                        self.refused.append((p["id"], r.json().get("error", "")))
                    continue
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(wake.wait(), poll)
        finally:
            self.finished = True
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener


async def play_all(bots: Sequence[SeatBot], timeout: float = 120.0, **kw: Any) -> None:
    """Play every bot concurrently until its game is over (or ``timeout`` seconds pass)."""
    limits = httpx.Limits(max_connections=4 * len(bots) + 10, max_keepalive_connections=2 * len(bots) + 10)
    async with httpx.AsyncClient(limits=limits) as client:
        deadline = time.monotonic() + timeout
        await asyncio.gather(*(b.play(client, deadline=deadline, **kw) for b in bots))

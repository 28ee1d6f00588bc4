"""The classroom web app: Starlette, server-rendered pages with HTMX, live updates over SSE.

Routes (every ``<token>`` is checked against its stored hash; an unknown one gets 404):

* ``/s/<token>``: a seat's page (its card, its private news, the shared board, its form);
* ``/f/<token>``: the facilitator's console (lobby, grid, controls, links, QR codes);
* ``/p/<token>``: the projector (shared board of a team and the leaderboard, no private news);
* ``/api/seat/<token>``, ``/api/facilitator/<token>``: the JSON API for bots and tests.

Live updates: one background task per process polls a cheap fingerprint of the database
(last action id per team, a revision per session) and wakes the SSE streams whose team or
session changed; the browser then fetches fresh fragments. The same task applies the
timers and the seats handed to the agent. Because it only reads the database, any number
of processes can serve one class.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sop_sim.calendar import month_label
from sop_sim.classroom import views
from sop_sim.classroom.forms import parse
from sop_sim.classroom.store import Classroom, ClassroomError, NotFound, SeatInfo
from sop_sim.errors import DecisionError

HERE = Path(__file__).parent
POLL_S = 0.2
TICK_S = 1.0
THREADS = 6


class Hub:
    """Wakes the SSE streams whose team or session changed (polled: any process may have written).

    Each stream subscribes a one-slot queue under its keys (``team:<id>``, ``session:<id>``);
    a change wakes only the streams subscribed to that key.
    """

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self.versions: dict[str, int] = {}
        self.subs: dict[str, set[asyncio.Queue]] = {}
        self.poke_event: asyncio.Event | None = None
        self._last_tick = 0.0

    async def run(self) -> None:
        self.poke_event = asyncio.Event()
        loop = asyncio.get_running_loop()
        # this process's own writes wake its streams at once; the poll catches other processes' writes
        self.room.on_write = lambda key, version: loop.call_soon_threadsafe(self.publish, key, version)
        while True:
            try:
                v = await run_in_threadpool(self.room.versions)
                for k, n in v.items():
                    self.publish(k, n)
                if time.monotonic() - self._last_tick >= TICK_S:
                    self._last_tick = time.monotonic()
                    await run_in_threadpool(self.room.flush_presence)
                    if await run_in_threadpool(self.room.tick):
                        continue  # decisions were taken: publish them at once
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the poller must survive a busy database
                print(f"classroom: poll failed ({exc.__class__.__name__}: {exc}); retrying", flush=True)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.poke_event.wait(), POLL_S)
            self.poke_event.clear()

    def publish(self, key: str, version: int) -> None:
        """Note a newer version of ``key`` and wake its streams (versions only grow)."""
        if version <= self.versions.get(key, 0):
            return
        self.versions[key] = version
        for q in self.subs.get(key, ()):
            if q.empty():
                q.put_nowait(key)

    def poke(self) -> None:
        if self.poke_event is not None:
            self.poke_event.set()

    def subscribe(self, keys: list[str]) -> asyncio.Queue:
        q: asyncio.Queue = asyncio.Queue(maxsize=1)
        for k in keys:
            self.subs.setdefault(k, set()).add(q)
        return q

    def unsubscribe(self, keys: list[str], q: asyncio.Queue) -> None:
        for k in keys:
            self.subs.get(k, set()).discard(q)


def _error(exc: ClassroomError, api: bool) -> Response:
    if isinstance(exc, NotFound):
        return (JSONResponse({"error": "not found"}, 404) if api else PlainTextResponse("Not found", 404))
    if api:
        return JSONResponse({"error": str(exc)}, exc.status)
    return HTMLResponse(f"<p class='error' role='alert'>&#9888; {views.esc(str(exc))}</p>", exc.status,
                        headers={"HX-Retarget": "#notice", "HX-Reswap": "innerHTML"})


def create_app(database: str | None) -> Starlette:
    room = Classroom.open(database)
    hub = Hub(room)
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    env.globals.update(month_label=month_label, name_of=views.name_of)

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status)

    async def call(fn: Any, *args: Any, **kw: Any) -> Any:
        return await run_in_threadpool(fn, *args, **kw)

    # --- seats --------------------------------------------------------------------------
    async def seat_of(request: Request) -> SeatInfo:
        token = request.path_params["token"]
        seat = room.known_seat(token) or await call(room.seat, token)
        room.touch(seat)
        return seat

    async def api_seat(request: Request) -> Response:
        try:
            seat = await seat_of(request)
            return JSONResponse(await call(views.seat_state, room, seat))
        except ClassroomError as exc:
            return _error(exc, True)

    async def api_seat_decision(request: Request) -> Response:
        t0 = time.perf_counter()
        try:
            seat = await seat_of(request)
            try:
                body = json.loads(await request.body())
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise ClassroomError("the body is not JSON: send {\"request\": <id>, \"decision\": {...}}") from None
            if not isinstance(body, dict) or set(body) - {"request", "decision"} or "request" not in body \
                    or "decision" not in body:
                raise ClassroomError("the body must be an object with exactly 'request' (the pending request's id) "
                                     "and 'decision' (an object of the decision's fields)")
            out = await call(room.decide, seat, body["request"], body["decision"])
            hub.poke()
            # how long the server took, for the load script (standard Server-Timing header)
            return JSONResponse(out, headers={"Server-Timing": f"app;dur={1000 * (time.perf_counter() - t0):.1f}"})
        except ClassroomError as exc:
            return _error(exc, True)

    def seat_view(template: str) -> Any:
        """A page that renders the seat's context with ``template`` (whole page or the panel)."""

        async def handler(request: Request) -> Response:
            try:
                seat = await seat_of(request)
            except ClassroomError as exc:
                return _error(exc, False)
            ctx = await call(views.seat_context, room, seat)
            return page(template, token=request.path_params["token"], **ctx)

        return handler

    seat_page, seat_panel = seat_view("seat.html"), seat_view("seat_panel.html")

    async def seat_decision(request: Request) -> Response:
        try:
            seat = await seat_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        ctx = await call(views.seat_context, room, seat)
        have = request.query_params.get("have")
        if have is not None and have == ctx["form_key"] and "fill" not in request.query_params:
            return Response(status_code=204)  # nothing new: keep what the learner is typing
        if "fill" in request.query_params and ctx["pending"] is not None:
            ctx = await call(views.seat_context, room, seat, ctx["pending"].suggestion())
        return page("seat_decision.html", token=request.path_params["token"], **ctx)

    async def seat_decide(request: Request) -> Response:
        token = request.path_params["token"]
        htmx = "HX-Request" in request.headers
        try:
            seat = await seat_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        form = await request.form()
        ctx = await call(views.seat_context, room, seat)
        p = ctx["pending"]
        try:
            rid = form.get("request", "")
            if p is None or not rid.isdigit() or int(rid) != p.seq:
                raise ClassroomError("this decision is no longer pending: the page now shows what is", 409)
            try:
                decision = parse(seat.role, p.fields, form, ctx["view"], ctx["family_names"])
            except DecisionError as exc:
                raise ClassroomError(str(exc), 422) from None
            await call(room.decide, seat, p.seq, decision)
            hub.poke()
        except ClassroomError as exc:
            if not htmx:
                ctx["error"] = str(exc)
                ctx["typed"] = True
                return page("seat.html", exc.status, token=token, **ctx)
            return HTMLResponse(f"<span role='alert'>&#9888; {views.esc(str(exc))}</span>", exc.status,
                                headers={"HX-Retarget": "#form-error", "HX-Reswap": "innerHTML"})
        if not htmx:
            return RedirectResponse(f"/s/{token}", 303)
        ctx = await call(views.seat_context, room, seat)
        ctx["notice"] = "Your decision was recorded."
        return page("seat_decision.html", token=token, **ctx)

    async def seat_events(request: Request) -> Response:
        try:
            seat = await seat_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        keys = [f"team:{seat.team_id}", f"session:{seat.session_id}"]
        return EventSourceResponse(_stream(request, keys, seat), ping=15)

    async def _stream(request: Request, keys: list[str], seat: SeatInfo | None):
        q = hub.subscribe(keys)
        try:
            while True:
                try:
                    await asyncio.wait_for(q.get(), 10.0)
                    yield {"event": "update", "data": "changed"}
                except TimeoutError:
                    pass
                if seat is not None:
                    room.touch(seat)
        finally:
            hub.unsubscribe(keys, q)

    async def session_events(request: Request, sid: int) -> Response:
        """The event stream of a whole session (every team), for the console and the projector."""
        team_ids = [t["id"] for t in await call(room.teams, sid)]
        keys = [f"session:{sid}"] + [f"team:{t}" for t in team_ids]
        return EventSourceResponse(_stream(request, keys, None), ping=15)

    # --- facilitator --------------------------------------------------------------------
    async def fac_of(request: Request) -> int:
        row = await call(room.resolve, request.path_params["token"], "facilitator")
        return int(row["session_id"])

    async def api_facilitator(request: Request) -> Response:
        try:
            sid = await fac_of(request)
            return JSONResponse(await call(views.facilitator_state, room, sid, request.path_params["token"]))
        except ClassroomError as exc:
            return _error(exc, True)

    async def api_facilitator_action(request: Request) -> Response:
        try:
            sid = await fac_of(request)
            action = request.path_params["action"]
            body: Any = {}
            raw = await request.body()
            if raw.strip():
                try:
                    body = json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    raise ClassroomError("the body is not JSON: send an object, or nothing") from None
                if not isinstance(body, dict):
                    raise ClassroomError("the body must be a JSON object")
            out = await call(views.facilitator_action, room, sid, action, body)
            hub.poke()
            return JSONResponse(out)
        except ClassroomError as exc:
            return _error(exc, True)

    def console_view(template: str) -> Any:
        """A page that renders the facilitator's console context with ``template`` (console, grid, slips)."""

        async def handler(request: Request) -> Response:
            try:
                sid = await fac_of(request)
            except ClassroomError as exc:
                return _error(exc, False)
            token = request.path_params["token"]
            ctx = await call(views.console_context, room, sid, token, str(request.base_url))
            return page(template, token=token, **ctx)

        return handler

    fac_page, fac_grid = console_view("facilitator.html"), console_view("facilitator_grid.html")
    fac_slips = console_view("slips.html")

    async def fac_do(request: Request) -> Response:
        token = request.path_params["token"]
        htmx = "HX-Request" in request.headers
        try:
            sid = await fac_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        form = await request.form()
        try:
            body = views.form_to_action(request.path_params["action"], form)
            out = await call(views.facilitator_action, room, sid, request.path_params["action"], body)
            hub.poke()
            message = out.get("message", "Done.")
        except ClassroomError as exc:
            if not htmx:
                return HTMLResponse(f"<p>&#9888; {views.esc(str(exc))}</p><p><a href='/f/{token}'>Back to the "
                                    "console</a></p>", exc.status)
            return _error(exc, False)
        if not htmx:
            return RedirectResponse(f"/f/{token}", 303)
        return HTMLResponse(f"<p class='ok' role='status'>{views.esc(message)}</p>",
                            headers={"HX-Retarget": "#notice", "HX-Reswap": "innerHTML",
                                     "HX-Trigger": "refresh-grid"})

    async def fac_events(request: Request) -> Response:
        try:
            sid = await fac_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        return await session_events(request, sid)

    async def fac_guide(request: Request) -> Response:
        try:
            await fac_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        from sop_sim.game.briefs import facilitator_guide

        return PlainTextResponse(facilitator_guide(), media_type="text/markdown; charset=utf-8")

    async def fac_debrief(request: Request) -> Response:
        try:
            sid = await fac_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        from sop_sim.classroom.report import cross_team_html

        return HTMLResponse(await call(cross_team_html, room, sid))

    async def fac_team_debrief(request: Request) -> Response:
        try:
            sid = await fac_of(request)
            html = await call(views.team_debrief_html, room, sid, request.path_params["number"])
        except ClassroomError as exc:
            return _error(exc, False)
        return HTMLResponse(html)

    async def fac_export(request: Request) -> Response:
        try:
            sid = await fac_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        from sop_sim.classroom.report import decisions_rows, monthly_kpi_rows

        what = request.path_params["what"]
        if what not in ("decisions", "kpis"):
            return PlainTextResponse("Not found: allowed decisions.csv or kpis.csv", 404)
        rows = await call(decisions_rows if what == "decisions" else monthly_kpi_rows, room, sid)
        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        return Response(buf.getvalue(), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="session{sid}-{what}.csv"'})

    # --- projector ----------------------------------------------------------------------
    async def proj_of(request: Request) -> int:
        row = await call(room.resolve, request.path_params["token"], "projector")
        return int(row["session_id"])

    async def proj_page(request: Request, fragment: bool = False) -> Response:
        try:
            sid = await proj_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        team = request.query_params.get("team", "1")
        ctx = await call(views.projector_context, room, sid, team)
        return page("projector_board.html" if fragment else "projector.html", token=request.path_params["token"],
                    **ctx)

    async def proj_board(request: Request) -> Response:
        return await proj_page(request, True)

    async def proj_events(request: Request) -> Response:
        try:
            sid = await proj_of(request)
        except ClassroomError as exc:
            return _error(exc, False)
        return await session_events(request, sid)

    async def home(request: Request) -> Response:
        return page("home.html")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        # a few worker threads are enough (each call is a few milliseconds of database and replay);
        # many threads fighting for the GIL only delay the event loop that streams the updates
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        task = asyncio.create_task(hub.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    routes = [
        Route("/", home),
        Route("/api/seat/{token}", api_seat),
        Route("/api/seat/{token}/decision", api_seat_decision, methods=["POST"]),
        Route("/api/facilitator/{token}", api_facilitator),
        Route("/api/facilitator/{token}/{action}", api_facilitator_action, methods=["POST"]),
        Route("/s/{token}", seat_page),
        Route("/s/{token}/panel", seat_panel),
        Route("/s/{token}/decision", seat_decision),
        Route("/s/{token}/decide", seat_decide, methods=["POST"]),
        Route("/s/{token}/events", seat_events),
        Route("/f/{token}", fac_page),
        Route("/f/{token}/grid", fac_grid),
        Route("/f/{token}/do/{action}", fac_do, methods=["POST"]),
        Route("/f/{token}/events", fac_events),
        Route("/f/{token}/slips", fac_slips),
        Route("/f/{token}/debrief", fac_debrief),
        Route("/f/{token}/guide", fac_guide),
        Route("/f/{token}/team/{number:int}/debrief", fac_team_debrief),
        Route("/f/{token}/export/{what:str}.csv", fac_export),
        Route("/p/{token}", proj_page),
        Route("/p/{token}/board", proj_board),
        Route("/p/{token}/events", proj_events),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.room = room
    return app


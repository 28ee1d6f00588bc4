"""Classroom mode: one browser per seat, teams, a facilitator console and a leaderboard.

* :mod:`sop_sim.classroom.db`: the database (SQLite in WAL mode, or PostgreSQL by URL);
* :mod:`sop_sim.classroom.store`: sessions, hashed tokens, each team's decision log and
  the games rebuilt from it by replay (:class:`~sop_sim.classroom.store.Classroom`);
* :mod:`sop_sim.classroom.app`: the Starlette app (HTMX pages, server-sent events, JSON API);
* :mod:`sop_sim.classroom.report`: leaderboard, debrief across teams and CSV exports;
* :mod:`sop_sim.classroom.commands`: ``sop-sim classroom new|serve|demo``.
"""

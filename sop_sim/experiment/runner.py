"""Running many replications: seeds, small picklable tasks, a process pool or any Executor.

The local pool is joblib's loky executor (``joblib.externals.loky``): its workers start
fresh interpreters that never re-run the caller's ``__main__``, so experiments work the
same from a notebook, a script piped on stdin (``python - <<EOF``) or a script without an
``if __name__ == "__main__":`` guard. Workers ignore Ctrl-C (the parent handles it and
stops them), so an interrupted experiment prints one line, not one traceback per worker.

A task is one chunk of runs of one scenario: ``(scenario fields, seeds, keep_runs, policies)``
(policies are pickled with the task, so a custom policy class must be importable by the workers).
Workers rebuild the scenario, run each seed and send back the summary as a plain dict
(and the run's plain records when asked). Results are put back in task order, so the
outcome never depends on which worker finished first: the parallel path gives the same
numbers as the sequential one, bit for bit.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import fields
from typing import Any

import numpy as np

from sop_sim.config import Scenario
from sop_sim.errors import ScenarioError

#: Below this many runs a local pool costs more to start than it saves.
MIN_PARALLEL_RUNS = 8
#: Rough seconds per default run, to decide whether a progress bar is worth showing.
_SECONDS_PER_RUN = 0.03
_MAX_CHUNK = 25
#: Upper bounds of the counts an experiment takes (documented in ``replicate``).
MAX_REPS = 100_000
MAX_JOBS = 256
MAX_SEED = 2**63 - 1
#: Seconds an idle local worker waits for more work before it exits.
IDLE_WORKER_SECONDS = 300

Task = tuple[dict[str, Any], tuple[int, ...], bool, Mapping[str, Any] | None]
Outcome = list[tuple[dict[str, float], dict[str, Any] | None]]


def check_count(name: str, value: Any, low: int = 1, high: int | None = None) -> int:
    """Return ``value`` if it is a whole number from ``low`` to ``high``; else a one-line ScenarioError.

    ``high`` defaults to the documented bound of ``reps``, ``jobs`` and ``seed``.
    """
    high = {"reps": MAX_REPS, "jobs": MAX_JOBS, "seed": MAX_SEED}.get(name) if high is None else high
    whole = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    if not whole or value < low or (high is not None and value > high):
        allowed = f"a whole number >= {low}" if high is None else f"a whole number from {low} to {high:,}"
        shown = repr(value)
        if len(shown) > 30:  # 10**30 would otherwise fill the screen
            shown = shown[:12] + "... (" + (f"{len(shown)} digits" if whole else "too long") + ")"
        raise ScenarioError(f"{name}={shown} is invalid: allowed {allowed}")
    return int(value)


def replication_seeds(seed: int, reps: int) -> list[int]:
    """The seed of each replication, derived from ``(seed, i)`` alone.

    Replication ``i`` of every scenario gets the same seed, so scenarios are compared on
    the same demand, attendance and data noise (common random numbers). Seeds come from
    ``numpy.random.SeedSequence(seed, spawn_key=(i,))``, so experiments with different
    ``seed`` values do not share replications.
    """
    check_count("seed", seed, 0)
    check_count("reps", reps, 1)
    return [int(np.random.SeedSequence(int(seed), spawn_key=(i,)).generate_state(1, np.uint64)[0] >> np.uint64(1))
            for i in range(reps)]


def pack(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain, picklable field values (its mappings become dicts)."""
    return {f.name: (dict(v) if isinstance(v, Mapping) else v)
            for f in fields(scenario) for v in [getattr(scenario, f.name)]}


def run_chunk(packed: dict[str, Any], seeds: tuple[int, ...], keep_runs: bool,
              policies: Mapping[str, Any] | None = None) -> Outcome:
    """Worker entry point: run one scenario (with ``policies``) for each seed; return summaries (and records)."""
    from sop_sim.model import SOPModel

    scenario = Scenario(**packed)
    out: Outcome = []
    for s in seeds:
        result = SOPModel(scenario, s, policies).run()
        out.append((dict(result.kpi_values), result._r if keep_runs else None))
    return out


def local_cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C for the few milliseconds in which local workers are started.

    A process inherits ignored signals through fork and exec, and Python keeps an ignored
    SIGINT ignored, so the workers never see the SIGINT a terminal sends to the whole
    process group, not even while they are still importing (the parent handles it). The
    parent's own handler is back as soon as the workers are started.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _worker_init() -> None:
    """In a local worker: leave Ctrl-C to the parent, which stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


#: loky's resource tracker (a helper process) warns on stderr about semaphores that are
#: already gone when Ctrl-C stops the workers; a learner would read that as a crash.
_QUIET_TRACKER = "ignore:resource_tracker:UserWarning"


def _quiet_resource_tracker() -> None:
    """Silence that one warning in the tracker, which takes its warning filters from the environment."""
    current = [w for w in os.environ.get("PYTHONWARNINGS", "").split(",") if w]
    if _QUIET_TRACKER not in current:
        os.environ["PYTHONWARNINGS"] = ",".join([*current, _QUIET_TRACKER])


_POOL_LOCK = threading.Lock()
_POOL: list[Executor] = []


def local_pool(jobs: int) -> Executor:
    """joblib's loky executor with ``jobs`` workers, started once and reused by later experiments.

    Workers are fresh interpreters (never a fork of a process that may hold threads, as a
    Jupyter kernel does) and do not re-run the caller's main script.
    """
    from joblib.externals.loky import get_reusable_executor

    _quiet_resource_tracker()
    with _POOL_LOCK:
        pool = get_reusable_executor(max_workers=jobs, timeout=IDLE_WORKER_SECONDS, initializer=_worker_init)
        _POOL[:] = [pool]
        return pool


def shutdown_pool(kill: bool = False) -> None:
    """Stop the reused local worker processes (they are started again when needed)."""
    with _POOL_LOCK:
        for pool in _POOL:
            pool.shutdown(wait=not kill, kill_workers=kill)
        _POOL.clear()


def make_tasks(jobs: list[tuple[Scenario, Sequence[int]]], keep_runs: bool, workers: int,
               policies: Mapping[str, Any] | None = None) -> list[tuple[int, Task]]:
    """Cut every (scenario, seeds) job into chunks; return (job index, task) pairs in order."""
    total = sum(len(seeds) for _, seeds in jobs)
    size = max(1, min(_MAX_CHUNK, math.ceil(total / (workers * 8))))
    tasks = []
    for j, (scenario, seeds) in enumerate(jobs):
        packed = pack(scenario)
        for k in range(0, len(seeds), size):
            tasks.append((j, (packed, tuple(seeds[k:k + size]), keep_runs, policies)))
    return tasks


def execute(jobs: list[tuple[Scenario, Sequence[int]]], *, executor: Executor | None, n_jobs: int | None,
            progress: bool | None, keep_runs: bool, policies: Mapping[str, Any] | None = None) -> list[Outcome]:
    """Run every job; return, per job, one ``(summary, records)`` pair per seed in seed order.

    Parameters
    ----------
    jobs:
        ``(scenario, seeds)`` pairs.
    executor:
        Any ``concurrent.futures.Executor`` (a dask client's ``get_executor()`` too); None
        uses the local loky pool of ``n_jobs`` workers, or runs in this process when
        ``n_jobs`` is 1 or the experiment is too small to be worth a pool.
    progress:
        True shows a bar, False never; None shows it when the work takes over a second.
    policies:
        ``{role_id: policy}`` for every run, checked already (they travel with each task).
    """
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise ScenarioError(f"executor={executor!r} is invalid: allowed a concurrent.futures.Executor "
                            "(e.g. a dask client's get_executor()) or None for the local pool")
    for name, value in (("progress", progress), ("keep_runs", keep_runs)):
        if not isinstance(value, bool | type(None)) or (name == "keep_runs" and value is None):
            raise ScenarioError(f"{name}={value!r} is invalid: allowed True or False"
                                + (" (or None: automatic)" if name == "progress" else ""))
    workers = local_cores() if n_jobs is None else check_count("jobs", n_jobs)
    total = sum(len(seeds) for _, seeds in jobs)
    sequential = executor is None and (workers == 1 or total < MIN_PARALLEL_RUNS)
    if progress is None:
        progress = total * _SECONDS_PER_RUN / (1 if sequential else workers) > 1.0
    bar = _bar(total, progress)
    tasks = make_tasks(jobs, keep_runs, 1 if sequential else workers, policies)
    parts: list[Outcome | None] = [None] * len(tasks)
    try:
        if sequential:
            for i, (_, task) in enumerate(tasks):
                parts[i] = run_chunk(*task)
                bar(len(task[1]))
        else:
            futures: dict = {}
            try:
                with _sigint_ignored() if executor is None else contextlib.nullcontext():
                    ex = executor if executor is not None else local_pool(min(workers, len(tasks), 4 * local_cores()))
                    futures = {ex.submit(run_chunk, *task): i for i, (_, task) in enumerate(tasks)}
                for fut in as_completed(futures):
                    i = futures[fut]
                    parts[i] = fut.result()
                    bar(len(tasks[i][1][1]))
            except KeyboardInterrupt:
                if executor is None:  # stop our own workers now; loky fails their futures itself
                    shutdown_pool(kill=True)
                else:
                    for fut in futures:
                        fut.cancel()
                raise
            except BaseException:  # on an error, do not leave the rest running in a reused pool
                for fut in futures:
                    fut.cancel()
                raise
    finally:
        bar(None)
    out: list[Outcome] = [[] for _ in jobs]
    for (j, _), part in zip(tasks, parts, strict=True):
        out[j].extend(part or [])
    return out


def _bar(total: int, show: bool) -> Callable[[int | None], None]:
    """An update function for a tqdm.auto bar (a no-op when hidden); None closes it."""
    if not show:
        return lambda n: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit="run", desc="replications", leave=False)

    def update(n: int | None) -> None:
        if n is None:
            bar.close()
        else:
            bar.update(n)

    return update

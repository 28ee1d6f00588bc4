"""The bad-input battery's cases, shared by the tests and by ``bench/bad_input_census.py``.

Each case feeds one entry point something wrong and classifies what happened:

* ``clear``: a one-line error naming what is wrong (exit 2 at the CLI; a ``ScenarioError``
  or another named ``ValueError``/``OSError`` subclass of ``SopSimError`` in the API), files
  and state unchanged;
* ``garbage``: the bad input was accepted (a run, a file, a number) without a word;
* ``traceback``: an exception the user was not meant to see (TypeError, RecursionError,
  a multi-line error, ...);
* ``hang``: no answer within the time limit (a FIFO, a huge count);
* ``lost``: a file that existed was changed, replaced or removed, or work was not kept.

The module only uses the kit's public entry points, so the census can run the same cases
against an older checkout (``PYTHONPATH=/path/to/old/tree``) for before/after figures.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLEAR, GARBAGE, TRACEBACK, HANG, LOST = "clear", "garbage", "traceback", "hang", "lost"
OUTCOMES = (CLEAR, GARBAGE, TRACEBACK, HANG, LOST)
SHORT = {"months": 4}  # keeps every valid run the battery makes quick


class _Hang(BaseException):
    pass


@contextlib.contextmanager
def time_limit(seconds: int):
    """Raise ``_Hang`` after ``seconds`` (SIGALRM; main thread only)."""

    def fire(*_: Any) -> None:
        raise _Hang

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Result:
    outcome: str
    detail: str
    out: str = ""  # what the command printed on stdout (CLI cases)


#: Words with which a command may say that it kept going but could not save (an honest answer).
_NOT_SAVED = ("could not be saved", "not saved", "cannot write", "cannot save")


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder``: kind, mode, content (symlinks as their target)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_dir():
            out[rel] = ("dir", stat.S_IMODE(p.stat().st_mode))
        elif p.is_file():
            out[rel] = ("file", stat.S_IMODE(p.stat().st_mode), p.read_bytes())
        else:
            out[rel] = ("other", stat.S_IFMT(p.lstat().st_mode))
    return out


def _one_line(text: str) -> bool:
    text = text.strip()
    return bool(text) and "\n" not in text and "Traceback" not in text


def _is_user_error(exc: BaseException) -> bool:
    try:
        from sop_sim.errors import SopSimError
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, SopSimError)


def cli(tmp: Path, argv: list[str], stdin: str = "", seconds: int = 60, env: dict | None = None) -> Result:
    """Run ``sop-sim argv`` in this process from ``tmp``; classify the answer."""
    from sop_sim.cli import main

    before = snapshot(tmp)
    out, err = io.StringIO(), io.StringIO()
    old_cwd, old_stdin, old_env = os.getcwd(), sys.stdin, dict(os.environ)
    os.chdir(tmp)
    sys.stdin = io.StringIO(stdin)
    os.environ.update(env or {})
    try:
        with time_limit(seconds), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code
    except _Hang:
        return Result(HANG, f"no answer in {seconds} s")
    except BaseException as exc:  # noqa: BLE001 - classifying is the point
        return Result(TRACEBACK, f"{type(exc).__name__}: {str(exc)[:120]}")
    finally:
        os.chdir(old_cwd)
        sys.stdin = old_stdin
        os.environ.clear()
        os.environ.update(old_env)
    after = snapshot(tmp)
    message = err.getvalue().strip()
    changed = [k for k in before if before[k] != after.get(k)]
    if changed:
        return Result(LOST, f"changed {changed[0]} (exit {code}): {message[:120]}")
    if code == 0:
        created = sorted(set(after) - set(before))
        return Result(GARBAGE, f"accepted (exit 0{', wrote ' + created[0] if created else ''})", out.getvalue())
    if code == 2 and _one_line(message):
        created = sorted(set(after) - set(before))
        if created:
            return Result(GARBAGE, f"error but left {created[0]}: {message}")
        return Result(CLEAR, message)
    return Result(TRACEBACK, f"exit {code}: {message[-200:]!r}")


def api(fn: Callable[[], Any], seconds: int = 60, tmp: Path | None = None) -> Result:
    """Call ``fn``; a named one-line ``SopSimError`` is clear, anything else is not."""
    before = snapshot(tmp) if tmp is not None else None
    try:
        with time_limit(seconds):
            value = fn()
    except _Hang:
        return Result(HANG, f"no answer in {seconds} s")
    except BaseException as exc:  # noqa: BLE001
        if before is not None and snapshot(tmp) != before:
            return Result(LOST, f"files changed; {type(exc).__name__}: {str(exc)[:100]}")
        if _is_user_error(exc) and _one_line(str(exc)):
            return Result(CLEAR, f"{type(exc).__name__}: {exc}")
        return Result(TRACEBACK, f"{type(exc).__name__}: {str(exc)[:120]}")
    if before is not None and snapshot(tmp) != before:
        return Result(LOST, "files changed without an error")
    return Result(GARBAGE, f"accepted: {str(value)[:80]}")


# --- fixtures the cases share ------------------------------------------------------------------


def saved_game(tmp: Path, name: str = "game.json") -> Path:
    from sop_sim.game import Game

    game = Game("baseline", 0, ["sales"], months=4)
    req = game.advance()
    game.decide(req, req.suggestion())
    return game.save(tmp / name)


def edited_save(tmp: Path, change: Callable[[dict], None]) -> Path:
    """A saved game edited by hand with its checksum recomputed (as a determined user would)."""
    import hashlib

    p = saved_game(tmp)
    data = json.loads(p.read_text())
    body = {k: v for k, v in data.items() if k != "checksum"}
    change(body)
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    body["checksum"] = hashlib.sha256(text.encode()).hexdigest()
    p.write_text(json.dumps(body))
    return p


def progress_file(tmp: Path, content: str | bytes) -> Path:
    p = tmp / "progress.json"
    p.write_bytes(content.encode() if isinstance(content, str) else content)
    return p


def valid_progress(tmp: Path, edit: Callable[[dict], None] | None = None) -> Path:
    from datetime import UTC, datetime

    from sop_sim.quiz.progress import Progress

    pr = Progress(tmp / "progress.json")
    pr.record("q1", ["role:finance"], 1.0, datetime(2026, 1, 1, tzinfo=UTC))
    data = json.loads((tmp / "progress.json").read_text())
    if edit:
        edit(data)
    (tmp / "progress.json").write_text(json.dumps(data))
    return tmp / "progress.json"


def fifo(tmp: Path) -> Path:
    p = tmp / "pipe.json"
    os.mkfifo(p)
    return p


def deep_json(tmp: Path, name: str = "deep.json") -> Path:
    p = tmp / name
    p.write_text("[" * 200_000 + "]" * 200_000)
    return p


# --- the cases -----------------------------------------------------------------------------------

Case = tuple[str, str, Callable[[Path], Result]]  # (id, category, run)
CASES: list[Case] = []


def case(category: str, ident: str):
    def register(fn: Callable[[Path], Result]) -> Callable[[Path], Result]:
        CASES.append((ident, category, fn))
        return fn

    return register


def _cli_cases() -> None:
    # file-system errors and empty paths at every sub-command and path option
    def existing_file(tmp: Path) -> str:
        (tmp / "taken").write_text("mine")
        return "taken"

    def read_only_file(tmp: Path) -> str:
        p = tmp / "ro.csv"
        p.write_text("keep")
        p.chmod(0o444)
        return "ro.csv"

    def read_only_dir(tmp: Path) -> str:
        d = tmp / "rodir"
        d.mkdir()
        d.chmod(0o555)
        return "rodir/sub/out"

    def under_file(tmp: Path) -> str:
        (tmp / "afile").write_text("x")
        return "afile/out"

    targets = {"empty": lambda t: "", "blank": lambda t: "   ", "existing-file": existing_file,
               "read-only-file": read_only_file, "under-a-file": under_file}
    folder_opts = [("run --csv", ["run", "--months", "3", "--csv"]),
                   ("cards --out", ["cards", "--role", "finance", "--out"]),
                   ("briefs --out", ["briefs", "--months", "3", "--out"])]
    file_opts = [("compare --csv", ["compare", "baseline", "--reps", "2", "--months", "3", "--jobs", "1",
                                    "--no-progress", "--csv"]),
                 ("compare --plot", ["compare", "baseline", "silos", "--reps", "2", "--months", "3", "--jobs",
                                     "1", "--no-progress", "--plot"]),
                 ("debrief --out", ["debrief", "GAME", "--out"]),
                 ("briefs --key", ["briefs", "--months", "3", "--out", "briefs", "--key"]),
                 ("quiz --csv", ["quiz", "--n", "1", "--seed", "1", "--no-save", "--csv"])]
    def a_folder(tmp: Path) -> str:
        (tmp / "adir").mkdir()
        return "adir"

    for label, argv in folder_opts + file_opts:
        for tname, make in targets.items():
            if tname == "existing-file" and (label, argv) in file_opts:
                # an existing file is a fine target for a file option; a read-only folder is not
                # (root may write anywhere, so there a folder stands in as the bad target)
                make, tname = (a_folder, "a-folder") if os.geteuid() == 0 else (read_only_dir, "read-only-folder")
            if label == "compare --plot" and tname not in ("empty", "blank"):
                continue  # the suffix check answers first; the writer is the same as --csv

            def run(tmp: Path, argv=argv, make=make, label=label) -> Result:
                target = make(tmp)
                if label == "compare --plot" and target.strip():
                    target += ".png"
                args = [a if a != "GAME" else str(saved_game(tmp)) for a in argv]
                return cli(tmp, [*args, target], stdin="1\n")

            case("cli-files", f"{label} {tname}")(run)

    for tname in ("empty", "fifo", "deep-json", "dev-zero", "folder", "missing"):
        def run_progress(tmp: Path, tname=tname) -> Result:
            path = {"empty": "", "fifo": lambda: str(fifo(tmp)), "deep-json": lambda: str(deep_json(tmp)),
                    "dev-zero": "/dev/zero", "folder": str(tmp)}[tname]
            path = path() if callable(path) else path
            return cli(tmp, ["quiz", "--n", "1", "--seed", "1", "--progress", path], stdin="1\n", seconds=20)

        if tname != "missing":  # a missing progress file is fine: it is created
            case("readers", f"quiz --progress {tname}")(run_progress)

    for tname in ("empty", "fifo", "deep-json", "dev-zero", "folder", "missing", "not-json"):
        def run_debrief(tmp: Path, tname=tname) -> Result:
            if tname == "not-json":
                (tmp / "x.json").write_text("{nope")
            path = {"empty": "", "fifo": lambda: str(fifo(tmp)), "deep-json": lambda: str(deep_json(tmp)),
                    "dev-zero": "/dev/zero", "folder": str(tmp), "missing": str(tmp / "nope.json"),
                    "not-json": str(tmp / "x.json")}[tname]
            path = path() if callable(path) else path
            return cli(tmp, ["debrief", path, "--out", "r.html"], seconds=20)

        case("readers", f"debrief GAME {tname}")(run_debrief)

    # counts: every one has an upper bound and refuses nonsense
    huge = str(10**30)
    for label, argv in [("compare --reps", ["compare", "baseline", "--months", "3", "--no-progress", "--reps"]),
                        ("compare --jobs", ["compare", "baseline", "--months", "3", "--reps", "2", "--jobs"]),
                        ("compare --seed", ["compare", "baseline", "--months", "3", "--reps", "2", "--seed"]),
                        ("compare --months", ["compare", "baseline", "--reps", "2", "--months"]),
                        ("run --seed", ["run", "--months", "3", "--seed"]),
                        ("run --months", ["run", "--months"]),
                        ("briefs --months", ["briefs", "--out", "b", "--months"]),
                        ("quiz --n", ["quiz", "--no-save", "--n"]),
                        ("quiz --seed", ["quiz", "--no-save", "--n", "1", "--seed"])]:
        for value in (huge, "-1", "abc", "1e3"):
            case("bounds", f"{label} {value[:6]}")(
                lambda tmp, argv=argv, value=value: cli(tmp, [*argv, value], stdin="q\n", seconds=30))
    def home_uncreatable(tmp: Path) -> Result:
        """Exit 2 with one line, or carry on and say plainly that progress is not saved."""
        (tmp / "afile").write_text("x")
        r = cli(tmp, ["quiz", "--n", "1", "--seed", "1"], stdin="1\n",
                env={"HOME": str(tmp / "afile" / "home"), "SOP_SIM_QUIZ_PROGRESS": ""})
        if r.outcome == GARBAGE and any(w in r.out.lower() for w in _NOT_SAVED) and "Progress saved" not in r.out:
            return Result(CLEAR, "carried on and said progress is not saved")
        return r

    case("cli-files", "home folder cannot be created")(home_uncreatable)
    case("cli-files", "unknown preset")(lambda tmp: cli(tmp, ["run", "--preset", "nope"]))
    case("cli-files", "compare empty reference")(
        lambda tmp: cli(tmp, ["compare", "baseline", "--reps", "2", "--months", "3", "--reference", ""]))
    case("cli-files", "compare --kpis ','")(
        lambda tmp: cli(tmp, ["compare", "baseline", "--reps", "2", "--months", "3", "--kpis", ","]))
    case("cli-files", "compare unknown kpi")(
        lambda tmp: cli(tmp, ["compare", "baseline", "--reps", "2", "--months", "3", "--kpis", "speed"]))


def _api_cases() -> None:
    from dataclasses import replace

    def sc(**kw: Any) -> Callable[[], Any]:
        def make() -> Any:
            from sop_sim import Scenario

            return replace(Scenario(), **kw)

        return make

    def dist(*args: Any, **kw: Any) -> Callable[[], Any]:
        def make() -> Any:
            from sop_sim import Scenario
            from sop_sim.config import Disturbance

            return replace(Scenario(), disturbances=[Disturbance(*args, **kw)])

        return make

    def fam(**kw: Any) -> Callable[[], Any]:
        def make() -> Any:
            from sop_sim.config import default_company

            return replace(default_company().families[3], **kw)

        return make

    def ran(make: Callable[[], Any]) -> Callable[[], Any]:
        def go() -> Any:
            import sop_sim

            return sop_sim.run(make(), seed=0, months=12).summary["fill_rate"]

        return go

    nan, inf = float("nan"), float("inf")
    scenario_cases = {
        "skip_steps=[1,'a']": sc(skip_steps=[1, "a"]),
        "skip_steps=None": sc(skip_steps=None),
        "engagement='sales'": sc(engagement="sales"),
        "engagement=[('sales',1)]": sc(engagement=[("sales", 1.0)]),
        "bias=5": sc(bias=5),
        "disturbances=None": sc(disturbances=None),
        "disturbances=7": sc(disturbances=7),
        "engagement executive_sponsor": sc(engagement={"executive_sponsor": 0.2}),
        "executive_engagement=nan": sc(executive_engagement=nan),
        "data_quality=inf": sc(data_quality=inf),
        "months=12.0": sc(months=12.0),
        "horizon_months='18'": sc(horizon_months="18"),
        "name=5": sc(name=5),
        "company='acme'": sc(company="acme"),
        "deal -500 units": ran(dist("deal", 2, "mowers", -500)),
        "deal nan": dist("deal", 2, "mowers", nan),
        "breakdown 150%": ran(dist("breakdown", 2, None, 1.5)),
        "breakdown -20%": ran(dist("breakdown", 2, None, -0.2)),
        "supplier_disruption 300%": ran(dist("supplier_disruption", 2, "mowers", 3.0)),
        "budget_cut 200%": ran(dist("budget_cut", 2, None, 2.0)),
        "promotion -90%": ran(dist("promotion", 2, "trimmers", -0.9)),
        "promotion without family": ran(dist("promotion", 2, None, 0.3)),
        "npi_slip on a family without npi": ran(dist("npi_slip", 5, "mowers", 0)),
        "disturbance kind=5": dist(5, 2, None, 0.1),
        "disturbance family=7": dist("breakdown", 2, 7, 0.1),
        "npi_ramp_months=0": ran(lambda: _with_family(npi_ramp_months=0)),
        "npi_ramp_months=-2": ran(lambda: _with_family(npi_ramp_months=-2)),
        "seasonality nan": fam(seasonality=(nan,) + (1.0,) * 11),
        "seasonality inf": fam(seasonality=(inf,) + (1.0,) * 11),
        "seasonality 'abc…'": fam(seasonality="abcdefghijkl"),
        "seasonality None": fam(seasonality=None),
        "family id=None": fam(id=None),
        "family base='10'": fam(base="10"),
    }
    for ident, fn in scenario_cases.items():
        case("validation", ident)(lambda tmp, fn=fn: api(fn))

    def accepts(fn: Callable[[], Any]) -> Callable[[Path], Result]:
        """Cases that must be *accepted*: a refusal is the wrong answer here (garbage is fine)."""

        def run(tmp: Path) -> Result:
            r = api(fn)
            if r.outcome == GARBAGE:  # accepted, as it should be
                return Result(CLEAR, "accepted as it should be")
            return Result(TRACEBACK if r.outcome == CLEAR else r.outcome, f"refused a valid value: {r.detail}")

        return run

    import numpy as np

    case("validation", "numpy float engagement accepted")(accepts(sc(executive_engagement=np.float64(0.5))))
    case("validation", "numpy float32 data_quality accepted")(accepts(sc(data_quality=np.float32(0.9))))
    case("validation", "numpy int months accepted")(accepts(sc(months=np.int64(12))))

    def experiment(fn_name: str, *args: Any, **kw: Any) -> Callable[[], Any]:
        def go() -> Any:
            import sop_sim

            return getattr(sop_sim, fn_name)(*args, **{"jobs": 1, "progress": False, **SHORT, **kw})

        return go

    exp_cases = {
        "replicate reps=10**30": experiment("replicate", "baseline", reps=10**30),
        "replicate reps=2.5": experiment("replicate", "baseline", reps=2.5),
        "replicate jobs=10**30": experiment("replicate", "baseline", reps=2, jobs=10**30),
        "replicate seed=10**30": experiment("replicate", "baseline", reps=2, seed=10**30),
        "replicate seed='0'": experiment("replicate", "baseline", reps=2, seed="0"),
        "replicate months=0": experiment("replicate", "baseline", reps=2, months=0),
        "compare('baseline') bare string": experiment("compare", "baseline", reps=2),
        "compare(None)": experiment("compare", None, reps=2),
        "compare level=2": experiment("compare", ["baseline", "silos"], reps=2, level=2),
        "sweep values='abc'": experiment("sweep", "baseline", "data_quality", "abc", reps=2),
        "sweep values=None": experiment("sweep", "baseline", "data_quality", None, reps=2),
        "sweep value out of range": experiment("sweep", "baseline", "data_quality", [0.5, 7], reps=2),
        "replicate executor=5": experiment("replicate", "baseline", reps=10, executor=5),
        "replicate progress='yes'": experiment("replicate", "baseline", reps=2, progress="yes"),
        "replicate keep_runs='x'": experiment("replicate", "baseline", reps=2, keep_runs="x"),
    }
    for ident, fn in exp_cases.items():
        if ident == "compare('baseline') bare string":
            def bare(tmp: Path, fn=fn) -> Result:
                r = api(fn)
                if r.outcome == GARBAGE:  # ran the one preset: the right answer
                    return Result(CLEAR, "ran the preset")
                return r
            case("validation", ident)(bare)
        else:
            case("validation", ident)(lambda tmp, fn=fn: api(fn, seconds=30))


def _with_family(**kw: Any) -> Any:
    from dataclasses import replace

    from sop_sim import Scenario
    from sop_sim.config import default_company

    company = default_company()
    fams = list(company.families)
    fams[3] = replace(fams[3], **kw)
    return Scenario(company=replace(company, families=tuple(fams)))


def _game_cases() -> None:
    def inject(*args: Any, **kw: Any) -> Callable[[Path], Result]:
        def run(tmp: Path) -> Result:
            from sop_sim.game import Game

            game = Game("baseline", 0, ["sales"], months=6)
            game.advance()
            before = (game.steps, len(game.log), len(game.scenario.disturbances))
            r = api(lambda: game.inject(*args, **kw))
            after = (game.steps, len(game.log), len(game.scenario.disturbances))
            if r.outcome == CLEAR and before != after:
                return Result(LOST, f"refused but the game changed: {r.detail}")
            return r

        return run

    case("game", "inject breakdown 150%")(inject("breakdown", 3, None, 1.5))
    case("game", "inject deal -100")(inject("deal", 3, "mowers", -100))
    case("game", "inject month 'x'")(inject("breakdown", "x", None, 0.3))
    case("game", "inject kind None")(inject(None, 3, None, 0.3))
    case("game", "inject promotion without family")(inject("promotion", 3, None, 0.3))
    case("game", "inject probability 2")(inject("deal", 3, "mowers", 100, probability=2))

    def game(*args: Any, **kw: Any) -> Callable[[Path], Result]:
        def run(tmp: Path) -> Result:
            from sop_sim.game import Game

            return api(lambda: Game(*args, **kw))

        return run

    case("game", "Game human_roles=None")(game("baseline", 0, None, months=4))
    case("game", "Game human_roles=[['sales']]")(game("baseline", 0, [["sales"]], months=4))
    case("game", "Game humans_attend='yes'")(game("baseline", 0, ["sales"], months=4, humans_attend="yes"))
    case("game", "Game seed='0'")(game("baseline", "0", ["sales"], months=4))

    def numpy_decision(tmp: Path) -> Result:
        import numpy as np

        from sop_sim.game import Game

        g = Game("baseline", 0, ["sales"], months=6)
        req = g.advance()
        decision = {"adjust_pct": {k: np.float32(1) for k in g.scenario.company.family_ids},
                    "include_deal": np.bool_(False)}
        r = api(lambda: g.decide(req, decision))
        if r.outcome == GARBAGE and len(g.log) == 1:  # accepted, as numpy numbers should be
            return Result(CLEAR, "numpy numbers and booleans accepted")
        return Result(TRACEBACK if r.outcome == CLEAR else r.outcome, f"refused a valid decision: {r.detail}")

    case("game", "numpy decision accepted")(numpy_decision)

    def partial_decision(tmp: Path) -> Result:
        from sop_sim.game import Game

        game = Game("baseline", 0, ["sales"], months=6)
        req = game.advance()
        return api(lambda: game.decide(req, {"adjust_pct": {"mowers": 5}, "include_deal": False}))

    case("game", "partial per-family decision")(partial_decision)

    edits = {
        '"paused": "false"': lambda b: b.update(paused="false"),
        '"revealed": 1': lambda b: b.update(revealed=1),
        '"humans_attend": "no"': lambda b: b.update(humans_attend="no"),
        '"seed": "0"': lambda b: b.update(seed="0"),
        '"seed": 1.5': lambda b: b.update(seed=1.5),
        '"steps": -5': lambda b: b.update(steps=-5),
        '"human_roles": "sales"': lambda b: b.update(human_roles="sales"),
        '"log": {}': lambda b: b.update(log={}),
        'silos "yes"': lambda b: b["scenario"]["levers"].update(silos="yes"),
        "family base '1800'": lambda b: b["scenario"]["company"]["families"][0].update(base="1800"),
        "seasonality 'abc'": lambda b: b["scenario"]["company"]["families"][0].update(seasonality="abcdefghijkl"),
        "disturbances null": lambda b: b["scenario"].update(disturbances=None),
        "scenario list": lambda b: b.update(scenario=[]),
        '"seed": 10**30': lambda b: b.update(seed=10**30),
        '"steps": 10**12': lambda b: b.update(steps=10**12),
        "unknown log entry": lambda b: b["log"].append({"type": "meteor"}),
        "unknown lever": lambda b: b["scenario"]["levers"].update(colour="red"),
        "decision of the wrong type": lambda b: b["log"][0].update(decision={"adjust_pct": "x"}),
    }
    for ident, edit in edits.items():
        def run_edit(tmp: Path, edit=edit) -> Result:
            from sop_sim.game import Game

            p = edited_save(tmp, edit)
            return api(lambda: Game.load(p), tmp=tmp)

        case("hand-edited", f"save {ident}")(run_edit)

    for ident in ("fifo", "dev-zero", "deep-json", "folder", "empty path"):
        def run_load(tmp: Path, ident=ident) -> Result:
            from sop_sim.game import Game

            path = {"fifo": lambda: fifo(tmp), "dev-zero": lambda: Path("/dev/zero"),
                    "deep-json": lambda: deep_json(tmp), "folder": lambda: tmp, "empty path": lambda: ""}[ident]()
            return api(lambda: Game.load(path), seconds=20)

        case("readers", f"Game.load {ident}")(run_load)

    # saving: what a careful editor does
    def save_over_symlink(tmp: Path) -> Result:
        from sop_sim.game import Game

        real = tmp / "real.json"
        real.write_text("{}")
        (tmp / "link.json").symlink_to(real)
        game = Game("baseline", 0, ["sales"], months=4)
        try:
            game.save(tmp / "link.json")
        except Exception as exc:  # noqa: BLE001
            return Result(TRACEBACK, repr(exc)[:100])
        if not (tmp / "link.json").is_symlink():
            return Result(LOST, "the symlink was replaced by a file")
        if real.read_text() == "{}":
            return Result(LOST, "the link's target was not updated")
        return Result(CLEAR, "wrote through the link")

    def save_read_only(tmp: Path) -> Result:
        from sop_sim.game import Game

        p = tmp / "ro.json"
        p.write_text("keep")
        p.chmod(0o444)
        r = api(lambda: Game("baseline", 0, ["sales"], months=4).save(p))
        if p.read_text() != "keep":
            return Result(LOST, "a read-only file was overwritten")
        return r

    def save_keeps_mode(tmp: Path) -> Result:
        from sop_sim.game import Game

        p = tmp / "g.json"
        p.write_text("{}")
        p.chmod(0o664)
        Game("baseline", 0, ["sales"], months=4).save(p)
        mode = stat.S_IMODE(p.stat().st_mode)
        return Result(CLEAR, "mode kept") if mode == 0o664 else Result(LOST, f"mode reset to {oct(mode)}")

    def save_empty_path(tmp: Path) -> Result:
        from sop_sim.game import Game

        old = os.getcwd()
        os.chdir(tmp)
        try:
            return api(lambda: Game("baseline", 0, ["sales"], months=4).save(""), tmp=tmp)
        finally:
            os.chdir(old)

    def save_interrupted(tmp: Path) -> Result:
        """Ctrl-C in the middle of a save: old file intact, no stray temporary file."""
        from sop_sim.game import Game

        p = saved_game(tmp)
        before = p.read_bytes()
        real_fsync = os.fsync

        def boom(fd: int) -> None:
            raise KeyboardInterrupt

        os.fsync = boom
        try:
            Game("baseline", 1, ["sales"], months=4).save(p)
        except KeyboardInterrupt:
            pass
        finally:
            os.fsync = real_fsync
        stray = [q.name for q in tmp.iterdir() if q.name.endswith(".tmp")]
        if p.read_bytes() != before or stray:
            return Result(LOST, f"old file changed or stray temp left: {stray}")
        return Result(CLEAR, "old file intact, no temp left")

    for fn in (save_over_symlink, save_read_only, save_keeps_mode, save_empty_path, save_interrupted):
        case("saves", fn.__name__.replace("_", " "))(fn)


def _file_cases() -> None:
    def progress(content_or_make: Any) -> Callable[[Path], Result]:
        def run(tmp: Path) -> Result:
            from sop_sim.quiz.progress import Progress

            p = content_or_make(tmp) if callable(content_or_make) else progress_file(tmp, content_or_make)
            return api(lambda: Progress.load(p), seconds=20, tmp=tmp)

        return run

    cases = {
        "not json": "{oops",
        "deep json": "[" * 200_000 + "]" * 200_000,
        "NaN score": None,
        "correct 'no'": None,
        "attempts not a list": None,
        "fifo": fifo,
        "dev-zero": lambda tmp: Path("/dev/zero"),
        "folder": lambda tmp: tmp,
        "binary": b"\xff\xfe\x00garbage",
    }
    cases["NaN score"] = lambda tmp: _nan_progress(tmp)
    cases["correct 'no'"] = lambda tmp: valid_progress(tmp, lambda d: d["attempts"][0].update(correct="no"))
    cases["attempts not a list"] = lambda tmp: valid_progress(tmp, lambda d: d.update(attempts="abc"))
    for ident, content in cases.items():
        case("progress", f"progress {ident}")(progress(content))

    def data_dir_case(kind: str, content: str | None, special: str | None = None) -> Callable[[Path], Result]:
        def run(tmp: Path) -> Result:
            import shutil

            import sop_sim.knowledge.loader as loader

            src = Path(loader.__file__).parent / "data"
            d = tmp / "data"
            shutil.copytree(src, d)
            target = d / "roles.toml"
            if special == "fifo":
                target.unlink()
                os.mkfifo(target)
            elif special == "folder":
                target.unlink()
                target.mkdir()
            else:
                target.write_text(content or "")
            if kind == "kb":
                from sop_sim.knowledge import load_kb

                return api(lambda: load_kb(d), seconds=20)
            from sop_sim.quiz.bank import load_bank

            qdir = tmp / "bank"
            qdir.mkdir()
            (qdir / "qs.toml").write_text(content or "")
            if special == "fifo":
                (qdir / "qs.toml").unlink()
                os.mkfifo(qdir / "qs.toml")
            return api(lambda: load_bank(qdir), seconds=20)

        return run

    deep = "a = " + "[" * 5000 + "]" * 5000 + "\n"
    for kind in ("kb", "bank"):
        case("data files", f"{kind} deep TOML")(data_dir_case(kind, deep))
        case("data files", f"{kind} bad TOML")(data_dir_case(kind, "a = = 1"))
        case("data files", f"{kind} FIFO")(data_dir_case(kind, None, "fifo"))
    case("data files", "kb folder instead of file")(data_dir_case("kb", None, "folder"))


def _nan_progress(tmp: Path) -> Path:
    p = valid_progress(tmp)
    p.write_text(p.read_text().replace('"score": 1.0', '"score": NaN'))
    return p


# --- cases that need their own processes -------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
#: How the ``sop-sim`` console script starts (the census sets SOP_SIM_CENSUS_OLD=1 for an old tree).
LAUNCH = ("import sys\nfrom sop_sim.cli import main\nsys.exit(main())" if os.environ.get("SOP_SIM_CENSUS_OLD")
          else "import sys\nfrom sop_sim_cli import main\nsys.exit(main())")


def _python(args: list[str], tmp: Path, stdin: str | None = None, seconds: int = 120, **kw: Any):
    import subprocess

    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=tmp,
                          timeout=seconds, **kw)


_EXPERIMENT_SCRIPT = """
import pandas as pd
import sop_sim
par = sop_sim.compare(["baseline", "silos"], reps=8, jobs=2, progress=False, months=3)
seq = sop_sim.compare(["baseline", "silos"], reps=8, jobs=1, progress=False, months=3)
pd.testing.assert_frame_equal(par.replications, seq.replications, check_exact=True)
print("identical")
"""


def experiment_on_stdin(tmp: Path) -> Result:
    import subprocess

    try:
        out = _python(["-"], tmp, stdin=_EXPERIMENT_SCRIPT)
    except subprocess.TimeoutExpired:
        return Result(HANG, "no answer in 120 s")
    if out.returncode == 0 and "identical" in out.stdout:
        return Result(CLEAR, "ran in parallel, identical to sequential")
    return Result(TRACEBACK, out.stderr.strip().splitlines()[-1][:150] if out.stderr.strip() else f"exit {out.returncode}")


def experiment_without_main_guard(tmp: Path) -> Result:
    import subprocess

    (tmp / "script.py").write_text(_EXPERIMENT_SCRIPT)
    try:
        out = _python(["script.py"], tmp)
    except subprocess.TimeoutExpired:
        return Result(HANG, "no answer in 120 s")
    if out.returncode == 0 and "identical" in out.stdout:
        return Result(CLEAR, "ran in parallel, identical to sequential")
    return Result(TRACEBACK, out.stderr.strip().splitlines()[-1][:150] if out.stderr.strip() else f"exit {out.returncode}")


def sigint_at(delay: float) -> Callable[[Path], Result]:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) ``delay`` s after start."""

    def run(tmp: Path) -> Result:
        import subprocess
        import time

        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, "compare", "baseline", "silos", "--reps", "30",
                                 "--months", "6", "--jobs", "2", "--no-progress", "--csv", "out.csv"],
                                cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return Result(HANG, "still running 60 s after Ctrl-C")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # no worker may outlive the test
        left = sorted(p.name for p in tmp.iterdir())
        if proc.returncode == 0:
            return Result(CLEAR if "out.csv" in left else GARBAGE, "finished before the signal")
        if left:
            return Result(LOST, f"partial output left: {left}")
        if proc.returncode == 130 and err.strip() == "sop-sim: interrupted":
            return Result(CLEAR, "one line, exit 130")
        return Result(TRACEBACK, f"exit {proc.returncode}: {err.strip()[-150:]!r}")

    return run


_PROGRESS_WRITER = """
import sys, time
from datetime import UTC, datetime
from sop_sim.quiz.progress import Progress
path, who = sys.argv[1], sys.argv[2]
pr = Progress.load(path)          # as a quiz session does: load once, save after every answer
time.sleep(0.5)
for i in range(15):
    pr.record(f"{who}{i}", ["role:finance"], 1.0, datetime(2026, 1, 1, tzinfo=UTC))
    time.sleep(0.02)
"""


def two_progress_writers(tmp: Path) -> Result:
    import subprocess

    path = tmp / "progress.json"
    procs = [subprocess.Popen([sys.executable, "-c", _PROGRESS_WRITER, str(path), who], cwd=tmp,
                              stderr=subprocess.PIPE, text=True) for who in "ab"]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    if any(p.returncode for p in procs):
        return Result(TRACEBACK, errs[0].strip()[-150:] or errs[1].strip()[-150:])
    kept = len(json.loads(path.read_text())["attempts"])
    if kept < 30:
        return Result(LOST, f"two sessions answered 30 questions, the file kept {kept}")
    return Result(CLEAR, "both sessions' answers kept")


_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))
exec(sys.stdin.read())
"""


def full_disk_quiz(tmp: Path) -> Result:
    """A quiz answer on a full disk: the learner must be told, not shown "Progress saved"."""
    import subprocess

    code = (f"sys.argv = ['sop-sim', 'quiz', '--n', '2', '--seed', '1', '--progress', {str(tmp / 'p.json')!r}]\n"
            "sys.stdin = __import__('io').StringIO('1\\n1\\n')\n" + LAUNCH.split("\n", 1)[1])
    try:
        out = _python(["-c", _FULL_DISK], tmp, stdin=code)
    except subprocess.TimeoutExpired:
        return Result(HANG, "no answer")
    saved = (tmp / "p.json").exists() and (tmp / "p.json").stat().st_size > 0
    if out.returncode == 0 and "Progress saved" in out.stdout and not saved:
        return Result(LOST, "said 'Progress saved' but nothing is on disk")
    if out.returncode == 2 and _one_line(out.stderr):
        return Result(CLEAR, out.stderr.strip())
    if out.returncode == 0 and any(w in out.stdout.lower() for w in _NOT_SAVED):
        return Result(CLEAR, "carried on and said the progress could not be saved")
    if out.returncode == 0:
        return Result(GARBAGE, "no word about the failed save")
    return Result(TRACEBACK, f"exit {out.returncode}: {out.stderr.strip()[-150:]!r}")


def full_disk_save(tmp: Path) -> Result:
    import subprocess

    p = saved_game(tmp)
    before = p.read_bytes()
    code = ("from sop_sim.game import Game\n"
            "g = Game('baseline', 3, ['sales'], months=6)\n"
            "for _ in range(3):\n    r = g.advance()\n    g.decide(r, r.suggestion())\n"
            f"try:\n    g.save({str(p)!r})\n"
            "except Exception as exc:\n"
            "    from sop_sim.errors import SopSimError\n"
            "    print(type(exc).__name__, exc, file=sys.stderr); sys.exit(2 if isinstance(exc, SopSimError) else 1)\n")
    try:
        out = _python(["-c", _FULL_DISK], tmp, stdin=code)
    except subprocess.TimeoutExpired:
        return Result(HANG, "no answer")
    stray = [q.name for q in tmp.iterdir() if q.name.endswith(".tmp")]
    if p.read_bytes() != before or stray:
        return Result(LOST, f"old save changed or temp left {stray}")
    if out.returncode == 2 and _one_line(out.stderr):
        return Result(CLEAR, out.stderr.strip())
    return Result(TRACEBACK if out.returncode else GARBAGE, out.stderr.strip()[-150:])


_SAVE_LOOP = """
import sys
from sop_sim.game import Game
g = Game('baseline', 0, ['sales'], months=6)
print('ready', flush=True)
while True:
    g.save(sys.argv[1])
"""


def killed_while_saving(tmp: Path) -> Result:
    """kill -9 in the middle of saving: the file is the old or the new game, and the next save tidies up."""
    import subprocess
    import time

    from sop_sim.game import Game

    p = saved_game(tmp)
    proc = subprocess.Popen([sys.executable, "-c", _SAVE_LOOP, str(p)], cwd=tmp, stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    time.sleep(0.5)
    proc.kill()
    proc.wait(timeout=30)
    proc.stdout.close()
    try:
        Game.load(p)
    except Exception as exc:  # noqa: BLE001
        return Result(LOST, f"the save no longer loads: {exc}")
    Game("baseline", 0, ["sales"], months=4).save(p)
    stray = [q.name for q in tmp.iterdir() if q.name.endswith(".tmp")]
    if stray:
        return Result(LOST, f"stray temporary files after the next save: {stray}")
    return Result(CLEAR, "old or new file, stray temp removed by the next save")


PROCESS_CASES: list[Case] = [
    ("kill -9 while saving", "processes", killed_while_saving),
    ("experiment script on stdin", "processes", experiment_on_stdin),
    ("experiment script without main guard", "processes", experiment_without_main_guard),
    *[(f"Ctrl-C after {d:g} s", "processes", sigint_at(d)) for d in (0.3, 1.0, 2.0, 3.0)],
    ("two progress writers at once", "processes", two_progress_writers),
    ("full disk during a quiz", "processes", full_disk_quiz),
    ("full disk during a save", "processes", full_disk_save),
]

_cli_cases()
_api_cases()
_game_cases()
_file_cases()


@contextlib.contextmanager
def memory_cap(headroom: int = 3 * 1024**3):
    """Cap this process's address space near its current size while a case runs.

    A reader that regresses to reading ``/dev/zero`` unbounded then fails with MemoryError
    in this process instead of exhausting a shared machine.
    """
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        size = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        yield
        return
    cap = size + headroom if hard == resource.RLIM_INFINITY else min(size + headroom, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_case(run: Callable[[Path], Result], tmp: Path) -> Result:
    """Run one case in ``tmp`` (read-only folders are made writable again afterwards)."""
    try:
        with memory_cap():
            return run(tmp)
    except _Hang:
        return Result(HANG, "no answer in time")
    except BaseException as exc:  # noqa: BLE001 - a case that blows up in set-up is a traceback too
        return Result(TRACEBACK, f"{type(exc).__name__}: {str(exc)[:120]}")
    finally:
        for p in [tmp, *tmp.rglob("*")]:
            with contextlib.suppress(OSError):
                if p.is_dir() and not p.is_symlink():
                    p.chmod(0o755)

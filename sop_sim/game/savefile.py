"""Saved games: scenario, seed, human roles and the action log as one JSON file.

A saved game is event-sourced: it holds what is needed to rebuild the game, never
the model's state. Loading replays the log on a fresh model and reaches the same
state bit for bit. The file carries a format marker, a version and a SHA-256 checksum
of its content, so a foreign, corrupt or hand-edited file fails with one clear line
(:class:`~sop_sim.SaveFileError`) instead of a game that silently differs.

Layout (version 1)::

    {"format": "sop_sim.game", "version": 1,
     "scenario": {"preset": "baseline" | null, "levers": {...}, "company": {...},
                  "disturbances": [...]},            # as the game started
     "seed": 0, "human_roles": [...], "humans_attend": false,
     "steps": 123, "paused": false, "revealed": false,
     "log": [{"type": "decision", "steps": 40, "seq": 3, "role": ..., "month": ...,
              "step": ..., "decision": {...}, "suggested": true},
             {"type": "inject", "steps": 57, "disturbance": {...}}, ...],
     "policies": {"sales": {"class": "module:Class", "params": {...}}},   # only if any
     "checksum": "sha256 of the rest"}

Custom role policies are stored by importable class name and parameters (never
pickled). Saving refuses a policy that cannot be named that way (a class defined in a
function, parameters that are not plain JSON); loading refuses, with one line, a file
whose policy class cannot be imported where it is loaded.

Injected disturbances live in the log, with the moment they were announced, rather
than in the scenario: an event injected mid-game must reach the model at that moment
(finance, for one, reads a budget cut into every plan made after it is known), so
starting a replay with it already in the scenario would not reproduce the game.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_sim.config import Company, Disturbance, Family, Plant, Scenario
from sop_sim.errors import DecisionError, SaveFileError, ScenarioError
from sop_sim.presets import PRESETS
from sop_sim.roles.policy import policy_from_dict, policy_to_dict
from sop_sim.safefile import atomic_write_json, read_json

if TYPE_CHECKING:
    from sop_sim.game.engine import Game

FORMAT = "sop_sim.game"
VERSION = 1


def scenario_to_dict(sc: Scenario) -> dict[str, Any]:
    """A scenario as plain JSON data (levers, preset name if it is one, company, events)."""
    preset = sc.name if sc.name in PRESETS and PRESETS[sc.name] == sc else None
    return {"preset": preset, "levers": sc.lever_dict(), "company": asdict(sc.company),
            "disturbances": [asdict(d) for d in sc.disturbances]}


def scenario_from_dict(data: Any) -> Scenario:
    """Rebuild a scenario from :func:`scenario_to_dict` data (raises ``ScenarioError``/``TypeError``)."""
    c = data["company"]
    families = tuple(Family(**{**f, "seasonality": tuple(f["seasonality"])}) for f in c["families"])
    company = Company(name=c["name"], families=families, plant=Plant(**c["plant"]), aop_stretch=c["aop_stretch"])
    events = tuple(Disturbance(**d) for d in data["disturbances"])
    return Scenario(**data["levers"], company=company, disturbances=events)


def _checksum(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def game_to_dict(game: Game) -> dict[str, Any]:
    body = {
        "format": FORMAT, "version": VERSION,
        "scenario": scenario_to_dict(game.initial_scenario),
        "seed": game.seed, "human_roles": list(game.human_roles), "humans_attend": game.humans_attend,
        "steps": game.steps, "paused": game.paused, "revealed": game.revealed,
        "log": game.log,
    }
    if game.policies:  # only games with swapped-in policies carry the key (older files stay valid)
        try:
            body["policies"] = {role: policy_to_dict(p) for role, p in game.policies.items()}
        except ScenarioError as exc:
            raise SaveFileError(f"the game cannot be saved: {exc}") from None
    body = json.loads(json.dumps(body))  # plain JSON types, so the checksum matches what is read back
    return {**body, "checksum": _checksum(body)}


def save_game(game: Game, path: str | Path) -> Path:
    """Write ``game`` to ``path`` atomically (a crash leaves the old file or the new one).

    Saving goes through :mod:`sop_sim.safefile`: through a symlink to its target, never
    over a read-only file, keeping the file's mode; a bad path or a full disk raises a
    one-line ``FileError`` and leaves any existing file as it was.
    """
    return atomic_write_json(path, game_to_dict(game), what="saved game")


#: Largest saved game read (a 120-month game with every decision logged is well under 5 MB).
MAX_SAVE_BYTES = 16 * 1024 * 1024

# The type each top-level field of a saved game must have (checked strictly: a
# hand-edited "paused": "false" is refused, not read as True).
_FIELD_TYPES: dict[str, tuple[type, str]] = {
    "scenario": (dict, "an object"),
    "seed": (int, "a whole number"),
    "human_roles": (list, "a list of role ids"),
    "humans_attend": (bool, "true or false"),
    "steps": (int, "a whole number"),
    "paused": (bool, "true or false"),
    "revealed": (bool, "true or false"),
    "log": (list, "a list of actions"),
}


def _check_fields(p: Path, data: dict[str, Any]) -> None:
    for name, (kind, allowed) in _FIELD_TYPES.items():
        if name not in data:
            raise SaveFileError(f"{p} is not a valid saved game: the field {name!r} is missing")
        value = data[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SaveFileError(f"{p} is not a valid saved game: {name}={value!r} is invalid, allowed {allowed}")
    if not 0 <= data["seed"] <= 2**63 - 1 or data["steps"] < 0:
        raise SaveFileError(f"{p} is not a valid saved game: seed must be 0 to 2**63 - 1 and steps 0 or more")
    if not all(isinstance(r, str) for r in data["human_roles"]):
        raise SaveFileError(f"{p} is not a valid saved game: human_roles must be a list of role ids")
    if not all(isinstance(a, dict) and isinstance(a.get("type"), str) for a in data["log"]):
        raise SaveFileError(f"{p} is not a valid saved game: every log entry must be an object with a type")
    if not isinstance(data.get("policies", {}), dict):
        raise SaveFileError(f"{p} is not a valid saved game: policies must be an object of role -> policy")
    sc = data["scenario"]
    for name, kind in (("levers", dict), ("company", dict), ("disturbances", list)):
        if not isinstance(sc.get(name), kind):
            raise SaveFileError(f"{p} is not a valid saved game: scenario.{name} is missing or of the wrong type")
    known = {f.name for f in fields(Scenario)}
    unknown = sorted(set(sc["levers"]) - known)
    if unknown:
        raise SaveFileError(f"{p} is not a valid saved game: scenario.levers has an unknown field {unknown[0]!r}")


def load_game(path: str | Path) -> Game:
    """Read and replay a saved game.

    Raises
    ------
    SaveFileError
        The file is missing, not JSON, not a saved game, of a newer version, edited
        after saving, or its log does not replay on its scenario and seed.
    """
    from sop_sim.game.engine import Game

    # bounded and depth-safe: a FIFO, /dev/zero, a huge or deeply nested file is one line
    data = read_json(path, what="saved game", limit=MAX_SAVE_BYTES, error=SaveFileError)
    p = Path(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveFileError(f"{p} is not a saved game: expected format {FORMAT!r}")
    if data.get("version") != VERSION:
        raise SaveFileError(f"{p} has saved-game version {data.get('version')!r}: this kit reads version {VERSION}")
    body = {k: v for k, v in data.items() if k != "checksum"}
    if data.get("checksum") != _checksum(body):
        raise SaveFileError(f"{p} was changed after it was saved (checksum mismatch): load an unedited copy")
    _check_fields(p, data)
    try:
        sc = scenario_from_dict(data["scenario"])
        policies = {role: policy_from_dict(role, d) for role, d in (data.get("policies") or {}).items()}
        game = Game(sc, data["seed"], data["human_roles"], humans_attend=data["humans_attend"], policies=policies)
        game.replay(data["log"], data["steps"])
    except (ScenarioError, DecisionError) as exc:
        raise SaveFileError(f"{p} does not replay: {exc}") from None
    except KeyError as exc:
        raise SaveFileError(f"{p} is not a valid saved game: the field {exc.args[0]!r} is missing") from None
    except (TypeError, AttributeError, ValueError, IndexError):
        raise SaveFileError(f"{p} is not a valid saved game: a field of its scenario or log has the wrong type "
                            "(load an unedited copy)") from None
    game.paused = data["paused"]
    game.revealed = data["revealed"]
    return game

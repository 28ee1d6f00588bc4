"""The CLI lists its commands without importing them; the list must match the modules."""

from __future__ import annotations

import argparse
import subprocess
import sys

from sop_sim import cli


def _registered(module_name: str) -> dict[str, str]:
    import importlib

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module_name).register(sub)
    return {action.dest: action.help for action in sub._choices_actions}


def test_static_command_table_matches_what_each_module_registers():
    assert tuple(cli._COMMANDS) == cli._COMMAND_MODULES
    for module_name, commands in cli._COMMANDS.items():
        assert _registered(module_name) == commands, module_name


def test_help_lists_every_command_without_importing_pandas_the_game_or_the_quiz():
    code = (
        "import sys\n"
        "from sop_sim_cli import main\n"
        "sys.argv = ['sop-sim', '--help']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'ipywidgets', 'starlette', 'sop_sim.game',"
        " 'sop_sim.quiz', 'sop_sim.model') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for commands in cli._COMMANDS.values():
        for name in commands:
            assert name in out
    assert "HEAVY []" in out


def test_import_sop_sim_is_lazy_but_keeps_every_public_name():
    code = (
        "import sys, sop_sim\n"
        "print('HEAVY', [m for m in ('pandas', 'sop_sim.game', 'sop_sim.model') if m in sys.modules])\n"
        "missing = [n for n in sop_sim.__all__ if getattr(sop_sim, n, None) is None]\n"
        "print('MISSING', missing)\n"
        "import sop_sim.presets\n"
        "print('MAPPING', sop_sim.presets is sop_sim.PRESETS)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out
    assert "MISSING []" in out
    assert "MAPPING True" in out


def test_a_command_still_parses_with_only_its_own_module():
    args = cli.build_parser(["run", "--seed", "3"]).parse_args(["run", "--seed", "3"])
    assert args.seed == 3 and callable(args.func)


def test_a_run_and_an_experiment_worker_never_import_pandas():
    """Workers start faster without pandas; a run builds its frames only when someone reads them."""
    code = (
        "import sys\n"
        "from sop_sim.experiment.runner import pack, run_chunk\n"
        "import sop_sim\n"
        "out = run_chunk(pack(sop_sim.get_scenario('baseline')), (1, 2), False)\n"
        "r = sop_sim.run('no_sop', seed=3)\n"
        "print('PANDAS', 'pandas' in sys.modules, len(out), repr(r))\n"
        "r.summary\n"
        "print('AFTER', 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "PANDAS False 2 <Result" in out, out
    assert "AFTER True" in out, "reading the summary builds it with pandas"

"""The two dependency lists agree, the README's commands exist, the CLI entry point works."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(d): d.replace(" ", "") for d in project["dependencies"]}
    env_text = (ROOT / "environment.yml").read_text()
    env_lines = env_text[env_text.index("dependencies:"):].splitlines()
    conda = {}
    for line in env_lines:
        m = re.match(r"^\s+-\s+([A-Za-z0-9_.\-]+[^#]*)$", line)
        if m and not line.strip().startswith("- pip") and not line.strip().startswith("- -e"):
            spec = m.group(1).strip()
            if _name(spec) not in ("python", "pip"):
                conda[_name(spec)] = spec.replace(" ", "")
    assert set(conda) == set(runtime), (
        f"environment.yml and pyproject.toml disagree: only in yml {set(conda) - set(runtime)}, "
        f"only in pyproject {set(runtime) - set(conda)}"
    )
    for name, spec in runtime.items():
        assert conda[name] == spec, f"{name}: pyproject says {spec}, environment.yml says {conda[name]}"
    assert "-e ." in (ROOT / "environment.yml").read_text(), "environment.yml must install the kit itself"


def test_top_level_layout():
    for part in ("notebooks", "sop_sim", "exercises", "solutions", "tests", "environment.yml", "README.md",
                 "pyproject.toml", "Makefile", ".ci/run"):
        assert (ROOT / part).exists(), f"{part} is missing from the top level"


def test_readme_leads_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    first = text[: text.find("##", text.find("##") + 2)] if "##" in text else text
    assert "make lab" in text and "make test" in text, "README must show make lab and make test"
    assert text.find("make lab") < 2500, "the two commands belong near the top of the README"
    del first


def test_makefile_has_the_documented_targets():
    make = (ROOT / "Makefile").read_text()
    for target in ("lab:", "test:", "demo:", "app:", "bench:"):
        assert f"\n{target}" in make, f"Makefile lacks the {target[:-1]} target"


def test_cli_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "sop_sim.cli", "presets"], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert "baseline" in out.stdout


def test_cli_bad_input_is_one_line_no_traceback():
    out = subprocess.run([sys.executable, "-m", "sop_sim.cli", "run", "--preset", "nope"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1, out.stderr
    assert "allowed" in out.stderr


def test_readme_documents_every_kpi_and_preset():
    import sop_sim

    text = (ROOT / "README.md").read_text()
    missing = [k for k in sop_sim.KPIS if f"`{k}`" not in text]
    assert not missing, f"README glossary lacks {missing}"
    missing = [p for p in sop_sim.PRESETS if f"`{p}`" not in text]
    assert not missing, f"README preset table lacks {missing}"


def test_readme_python_examples_run():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README should hold runnable examples"
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own docs

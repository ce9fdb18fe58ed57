"""Packaging: environment.yml and pyproject agree; notebooks are committed stripped."""

import json
import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _req(spec: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_req(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = dep["pip"]
        else:
            name, ver = _req(dep)
            conda[name] = ver
    pip_reqs = dict(_req(s) for s in pip if not s.startswith("-e"))
    declared = {**conda, **pip_reqs}
    declared.pop("python", None)
    declared.pop("pip", None)
    assert declared == wanted
    assert "-e ." in pip
    assert conda.get("python") == ">=" + project["requires-python"].removeprefix(">=")


def test_lock_pins_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [_req(s)[0] for s in project["dependencies"] + project["optional-dependencies"]["dev"]]
    pinned = {_req(line)[0] for line in (ROOT / "requirements.lock").read_text().splitlines()
              if "==" in line}
    assert not [n for n in names if n not in pinned]


def test_notebooks_are_committed_without_outputs():
    """Only the headline cells (tag ``nbval-check-output`` + ``keep_output``, refreshed by
    ``make outputs``) keep outputs; no cell keeps an execution count or an image or a map."""
    files = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    files += [str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb")]
    kept = 0
    for f in sorted(set(files)):
        nb = json.loads((ROOT / f).read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            assert cell.get("execution_count") is None, f"{f} cell {i} has an execution count: run `make strip`"
            meta = cell.get("metadata", {})
            headline = meta.get("keep_output") is True and "nbval-check-output" in meta.get("tags", [])
            if not headline:
                assert not cell.get("outputs"), f"{f} cell {i} has outputs: run `make strip`"
                continue
            kept += 1
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                assert not {"image/png", "application/javascript"} & set(data), f"{f} cell {i}: a headline " \
                    "cell keeps text and tables only"
                assert "iframe" not in str(data.get("text/html", "")), f"{f} cell {i}: no map in a headline cell"
    assert kept >= 9  # 01: 3, 02: 2, 03: 4 headline cells (tools/keep_outputs.py)


def test_each_notebook_has_one_parameters_cell():
    for nb_path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{nb_path.name}: {len(tagged)} cells tagged 'parameters'"

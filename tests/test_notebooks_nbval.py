"""Every notebook in notebooks/ runs under nbval in lax mode: every cell must run, and the cells
tagged ``nbval-check-output`` (the headline results for all of DKI, committed with their outputs
by ``make outputs`` = tools/keep_outputs.py) must reproduce their committed outputs.  A change
that moves a headline figure fails here until the outputs are refreshed on purpose.

Each notebook is copied to ``tmp_path/notebooks`` so that its default output folder
("../output/dki") lands in ``tmp_path``, never in the repository.
"""

import json
import re
import subprocess
import sys

import pytest

from helpers import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def _reference_copy(text: str, target) -> None:
    """The notebook as nbval's reference: the committed outputs of the headline cells get an
    execution count (nbval ignores outputs of cells that look unrun; the committed notebooks carry
    no counts, nbstripout removes them)."""
    nb = json.loads(text)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and cell.get("outputs"):
            cell["execution_count"] = i
    target.write_text(json.dumps(nb), encoding="utf-8")


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:3] == ["01-recap-sites-map.ipynb", "02-coverage-gaps.ipynb",
                                               "03-site-planning.ipynb"]


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_nbval_lax(notebook, tmp_path):
    work = tmp_path / "notebooks"
    work.mkdir()
    _reference_copy(notebook.read_text(encoding="utf-8"), work / notebook.name)
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                           "-o", "addopts=", "-p", "no:xdist", notebook.name],
                          cwd=work, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    # the default output folder of the notebook's default scope: output/dki (01-03), output/national (04)
    (written,) = (tmp_path / "output").glob(f"*/{notebook.stem}.figures.json")
    assert written.parent.name in ("dki", "national")
    assert json.loads(written.read_text())  # the run wrote its headline figures


@pytest.mark.notebooks
def test_nbval_fails_when_a_headline_figure_moves(tmp_path):
    """A deliberate change of a headline figure (a site dropped from the shipped list) fails nbval."""
    nb = paths.NOTEBOOKS / "01-recap-sites-map.ipynb"
    work = tmp_path / "notebooks"
    work.mkdir()
    text = nb.read_text(encoding="utf-8")
    sites = tmp_path / "sites.csv"
    lines = paths.processed("sites").read_text(encoding="utf-8").splitlines()
    sites.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # 43 sites instead of 44
    _reference_copy(text.replace("sites_path = None", f"sites_path = {str(sites)!r}", 1), work / nb.name)
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                           "-o", "addopts=", "-p", "no:xdist", nb.name], cwd=work, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 1, proc.stdout[-2000:]
    out = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)
    assert "Cell 2: Cell outputs differ" in out and "+ 44 sites, 308 facility points" in out, out[-3000:]
    assert "1 failed" in out  # only the cell whose figure moved

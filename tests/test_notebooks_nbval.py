"""Every notebook in notebooks/ runs under nbval in lax mode: every cell must run, and the cells
tagged ``nbval-check-output`` (the headline results for all of DKI, committed with their outputs
by ``make outputs`` = tools/keep_outputs.py) must reproduce their committed outputs.  A change
that moves a headline figure fails here until the outputs are refreshed on purpose.

Each notebook is copied to a temporary ``notebooks`` folder so that its default output folder
("../output/dki") lands there, never in the repository.  The run is the session's run of the
notebook in its default scope (``nbval_run`` in tests/conftest.py): the tests of the DKI figures
in test_maps.py, test_coverage_notebook.py and test_planning.py read its output folder (same
``xdist_group``).
"""

import json

import pytest

from helpers.io import inputs as loaders
from helpers.core import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:3] == ["01-recap-sites-map.ipynb", "02-coverage-gaps.ipynb",
                                               "03-site-planning.ipynb"]


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", [pytest.param(nb, marks=pytest.mark.xdist_group(f"nb-{nb.name[:2]}"))
                                      for nb in NOTEBOOKS], ids=lambda p: p.stem)
def test_notebook_nbval_lax(notebook, nbval_run):
    run = nbval_run(notebook.stem)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    # the default output folder of the notebook's default scope: output/dki (01-03), output/national (04)
    (written,) = (run.work / "output").glob(f"*/{notebook.stem}.figures.json")
    assert written.parent.name in ("dki", "national")
    assert json.loads(written.read_text())  # the run wrote its headline figures


@pytest.mark.notebooks
def test_nbval_fails_when_a_headline_figure_moves(tmp_path, nbval_run):
    """A deliberate change of a headline figure (a site dropped from the shipped list) fails nbval."""
    nb = paths.NOTEBOOKS / "01-recap-sites-map.ipynb"
    sites = tmp_path / "sites.csv"
    lines = paths.processed("sites").read_text(encoding="utf-8").splitlines()
    sites.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one site fewer
    text = nb.read_text(encoding="utf-8").replace("sites_path = None", f"sites_path = {str(sites)!r}", 1)
    run = nbval_run.notebook(text, nb.name, tmp_path / "work")
    assert run.returncode == 1, run.stdout[-2000:]
    shipped = f"+ {len(loaders.load_sites())} sites, {len(loaders.load_facilities())} facility points"
    assert "Cell 2: Cell outputs differ" in run.stdout and shipped in run.stdout, run.stdout[-3000:]
    assert "1 failed" in run.stdout  # only the cell whose figure moved

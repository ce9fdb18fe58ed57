"""Every notebook in notebooks/ runs under nbval in lax mode (outputs of cells tagged
``nbval-ignore-output`` — maps with random element ids — are not compared).

Each notebook is copied to ``tmp_path/notebooks`` so that its default ``output_dir``
("../output/dki") lands in ``tmp_path``, never in the repository.
"""

import json
import shutil
import subprocess
import sys

import pytest

from helpers import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:3] == ["01-recap-sites-map.ipynb", "02-coverage-gaps.ipynb",
                                               "03-site-planning.ipynb"]


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_nbval_lax(notebook, tmp_path):
    work = tmp_path / "notebooks"
    work.mkdir()
    shutil.copy(notebook, work / notebook.name)
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                           "-o", "addopts=", "-p", "no:xdist", notebook.name],
                          cwd=work, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    figures = json.loads((tmp_path / "output" / "dki" / f"{notebook.stem}.figures.json").read_text())
    assert figures  # the run wrote its headline figures

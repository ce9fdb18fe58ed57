"""One set of parameters: the same names and defaults in every notebook, all readable by papermill."""

import ast

import nbformat
import papermill
import pytest

from helpers import paths
from helpers.batch.params import declared_parameters

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
#: Every notebook declares these, with these defaults.
COMMON = {"kota": None, "output_dir": None, "offline": True, "language": "id", "basemap": "openstreetmap",
          "sites_path": None, "facilities_path": None, "offices_path": None, "tps_path": None, "kota_path": None,
          "kecamatan_path": None, "kelurahan_path": None, "dpt_path": None, "press_path": None, "columns": None,
          "sheet": None}


def _defaults(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    return {t.id: ast.literal_eval(n.value) for n in ast.parse(cell.source).body if isinstance(n, ast.Assign)
            for t in n.targets}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_parameter(nb):
    """``papermill --help-notebook`` lists every parameter (its line parser skips lines it cannot read,
    e.g. an '=' inside a comment)."""
    inferred = papermill.inspect_notebook(str(nb))
    assert set(inferred) == declared_parameters(nb)
    for name, value in _defaults(nb).items():
        assert inferred[name]["default"] == repr(value).replace("'", '"'), name


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_common_parameters_with_the_same_defaults(nb):
    defaults = _defaults(nb)
    assert {k: defaults.get(k, "MISSING") for k in COMMON} == COMMON

"""One table of shared parameters (helpers.core.parameters): every notebook declares the ones it uses with
the table's default and help, declares nothing it does not use, and papermill reads them all."""

import ast

import nbformat
import papermill
import pytest

from helpers.batch.params import declared_parameters
from helpers.batch.scopes import notebook_scope
from helpers.core import parameters, paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def _cells(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    rest = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and c is not cell)
    return cell.source, rest


def _defaults(source):
    return {t.id: ast.literal_eval(n.value) for n in ast.parse(source).body if isinstance(n, ast.Assign)
            for t in n.targets}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_parameter(nb):
    """``papermill --help-notebook`` lists every parameter (its line parser skips lines it cannot read,
    e.g. an '=' inside a comment)."""
    inferred = papermill.inspect_notebook(str(nb))
    source, _ = _cells(nb)
    assert set(inferred) == declared_parameters(nb)
    for name, value in _defaults(source).items():
        assert inferred[name]["default"] == repr(value).replace("'", '"'), name


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_shared_parameters_as_the_table_declares_them(nb):
    """A shared parameter is declared with the table's line (default and help); the national notebook's
    scope defaults to all of Indonesia, with the same words."""
    source, _ = _cells(nb)
    lines = {line.split("=")[0].strip(): line for line in source.splitlines() if "=" in line and not line.startswith("#")}
    national = notebook_scope(nb) == "national"
    for name in parameters.BY_NAME.keys() & lines.keys():
        expected = parameters.cell_line(name)
        if national and name == "provinsi":
            expected = expected.replace("provinsi = None ", 'provinsi = "indonesia" ', 1)
        assert lines[name] == expected, name
    assert {"provinsi", "kota", "output_dir", "offline", "language"} <= lines.keys()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_declares_only_what_it_uses(nb):
    source, rest = _cells(nb)
    collects = "RunParameters.collect(globals())" in rest  # the shared parameters, gathered at once
    for name in _defaults(source):
        shared = name in parameters.BY_NAME and name not in ("provinsi", "kota", "output_dir")
        if collects and shared:
            continue
        assert any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(ast.parse(rest))), \
            f"{nb.stem} declares {name} but never uses it"


def test_the_parameter_table_of_the_docs_is_up_to_date():
    assert (paths.ROOT / "docs" / "parameters.md").read_text(encoding="utf-8") == parameters.markdown()


def test_run_parameters_collect_what_a_notebook_holds():
    run = parameters.RunParameters.collect({"kota": "jakpus", "sites_path": "a.xlsx", "p": 10,
                                            "prepared_inputs": "x.pickle"})
    assert run.kota == "jakpus" and run.offline is True
    assert run.input_files()["sites_path"] == "a.xlsx" and run.input_files()["prepared"] == "x.pickle"
    assert "prepared_inputs" not in run.report_parameters() and "kota" not in run.report_parameters()
    assert list(run.input_files())[:-1] == list(parameters.INPUT_FILES)

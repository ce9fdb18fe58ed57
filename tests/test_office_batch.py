"""Office files through the batch command ``dki-recap`` (helpers.batch.main) and through each notebook.

Bad files are refused before any notebook runs (exit 2, every problem of every file, the previous
report untouched); good office files, a filled-in template and the minimum columns run every real
notebook of notebooks/.  Expected counts are those of the shipped data: Jakarta Pusat has 8
kecamatan (8 PPK sites), 44 kelurahan and 3,129 TPS; Kepulauan Seribu 2 kecamatan.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import batch
from helpers.io import inputs as loaders
from helpers.core import paths
from helpers.batch import execute, pool
from helpers.batch import inputs as batch_inputs
from helpers.batch.scopes import notebook_scope
from helpers.io.excel_template import write_template
from helpers.batch.execute import execute_notebook  # papermill, the kernel on IPC sockets

OFFICE = Path(__file__).resolve().parent / "fixtures" / "office"
#: The notebooks that run per DKI scope and read the user's files (notebook 04 covers all of Indonesia).
NOTEBOOKS = [nb for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb")) if notebook_scope(nb) == "dki"]
GOOD = {"sites_path": OFFICE / "sites_office.xlsx", "facilities_path": OFFICE / "facilities_office.xlsx",
        "tps_path": OFFICE / "tps_office.xlsx"}


def _maker():
    spec = importlib.util.spec_from_file_location("make_office_files", OFFICE / "make_office_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKER = _maker()


def _cli(out: Path, kota: str, files: dict) -> list[str]:
    args = ["--notebooks", str(paths.NOTEBOOKS), "--kota", kota, "--jobs", "1", "--no-progress", "-o", str(out)]
    for name, path in files.items():
        args += ["-p", name, str(path)]
    return args


def _previous_report(out: Path) -> dict[str, str]:
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"tool": "dki-recap", "status": "complete"}), encoding="utf-8")
    (out / "index.html").write_text("previous report", encoding="utf-8")
    return _snapshot(out)


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _failed_runs(out: Path) -> list:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [(r["scope"], r["notebook"], r["error"]) for r in manifest["runs"] if r["status"] != "ok"]


# ---------------------------------------------------------------------------------------------
# bad files: refused up front
# ---------------------------------------------------------------------------------------------
def test_bad_files_are_refused_before_any_notebook(tmp_path, capsys, monkeypatch):
    def no_run(*args, **kwargs):
        raise AssertionError("a notebook was about to run")

    monkeypatch.setattr(pool, "schedule", no_run)  # the check is run_batch's first step, before any run
    monkeypatch.setattr(execute, "run_one", no_run)
    loads = []  # every load of the input files (helpers.batch.inputs imports load_inputs when it checks)
    real_load_inputs = loaders.load_inputs

    def counted_load_inputs(**kwargs):
        loads.append(kwargs)
        return real_load_inputs(**kwargs)

    monkeypatch.setattr(batch_inputs, "load_inputs", counted_load_inputs)
    out = tmp_path / "report"
    before = _previous_report(out)
    sites, tps = OFFICE / "sites_office_bad.xlsx", OFFICE / "tps_office_bad.xlsx"
    code = batch.main(_cli(out, "jakpus", {"sites_path": sites, "tps_path": tps}))
    err = capsys.readouterr().err
    assert code == 2
    # the files are read once (one province: DKI Jakarta), no kernel is started (no_run above)
    assert [(k["sites_path"], k["tps_path"], k["scope"].slug) for k in loads] == [(str(sites), str(tps), "dki")], loads
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0] == ("pemilu-recap: error: the input files have problems; no notebook was run and the previous "
                        "report (if any) is unchanged.")
    n_sites, n_tps = len(MAKER.BAD_SITES_FAULTS), 4  # the two bad TPS counts (rows 7, 10) are one problem
    assert lines[1] == f"{n_sites + n_tps} problem(s) in 2 input file(s):"
    # grouped by file: the file's path, then its problems, each naming the file, its rows and the column
    i_sites, i_tps = lines.index(f"{sites}:"), lines.index(f"{tps}:")
    assert i_sites == 2 and i_tps == i_sites + n_sites + 1
    site_lines, tps_lines = lines[i_sites + 1:i_tps], lines[i_tps + 1:]
    assert len(site_lines) == n_sites and len(tps_lines) == n_tps
    assert all(line.startswith("  - sites_office_bad.xlsx, row") for line in site_lines)
    assert all(line.startswith("  - tps_office_bad.xlsx, row") for line in tps_lines)
    for row, column in ((5, "Kecamatan"), (6, "Kota"), (7, "Longitude/Latitude"), (8, "Latitude"), (10, "Internet")):
        assert sum(f"sites_office_bad.xlsx, row {row}, column '{column}'" in line for line in site_lines) == 1
    assert "sites_office_bad.xlsx, rows 4, 9, column 'Kecamatan'" in site_lines[0]
    assert [line.split(", column")[0].split(".xlsx, ")[1] for line in tps_lines] == [
        "rows 4, 9", "row 5", "rows 7, 10", "row 11"]
    assert "unknown kelurahan codes '3171019999'" in tps_lines[1]
    # nothing was built, the previous report is unchanged
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
    assert not list(tmp_path.glob("*.tmp-*")) and not list(tmp_path.glob("*.old-*"))
    assert _snapshot(out) == before


# ---------------------------------------------------------------------------------------------
# good files: every real notebook runs
# ---------------------------------------------------------------------------------------------
@pytest.mark.notebooks
def test_good_office_files_jakarta_pusat(tmp_path, capsys):
    out = tmp_path / "report"
    code = batch.main(_cli(out, "jakpus", GOOD))
    err = capsys.readouterr().err
    assert code == 0 and not _failed_runs(out), (err, _failed_runs(out))
    # what was read and the warnings are printed once, before the runs
    assert "pemilu-recap: read sites (sites_office.xlsx): sheet 'Rekap PPK', header on row 4, 44 data rows" in err
    assert "pemilu-recap: warning: facilities_office.xlsx, row 7: these rows are hidden in the workbook" in err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2>File input</h2>" in index
    section = index.split("<h2>File input</h2>")[1]
    assert "peringatan tentang file input (datanya tetap dipakai)" in section
    for text in ("sites_office.xlsx, row 49: totals row(s)", "facilities_office.xlsx, row 7: these rows are hidden",
                 "tps_office.xlsx, rows 10, 55, 87, 144, 210, 276, 277: totals row(s)", "Rumah dinas"):
        assert text in section, text
    assert "tps (tps_office.xlsx): TPS per kota: Kepulauan Seribu 88; Jakarta Pusat 3,129" in section
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert any(n.startswith("facilities (facilities_office.xlsx): ") for n in manifest["input_notes"])
    scope = out / "jakarta-pusat"
    assert [p.name for p in out.iterdir() if p.is_dir()] == ["jakarta-pusat"]
    for nb in NOTEBOOKS:
        figures = scope / f"{nb.stem}.figures.json"
        assert figures.is_file(), nb.stem
        fig = json.loads(figures.read_text(encoding="utf-8"))
        if "n_sites" in fig:
            assert fig["n_sites"] == 8, nb.stem
    coverage = json.loads((scope / "02-coverage-gaps.figures.json").read_text(encoding="utf-8"))
    assert coverage["n_warehouse_positions_known"] == 1 and coverage["gaps_no_warehouse_position"] == 0


def _fill(path: Path, rows: list[dict]) -> None:
    """Write ``rows`` (dicts keyed by header) into the data sheet of a template, numbering them."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cols = {c.value: c.column for c in ws[1]}
    for r, row in enumerate(rows, start=2):
        ws.cell(row=r, column=cols["No"], value=r - 1)
        for header, value in row.items():
            ws.cell(row=r, column=cols[header], value=value)
    wb.save(path)


@pytest.mark.notebooks
def test_filled_in_template_runs_first_time(tmp_path, capsys):
    path = write_template("sites", tmp_path / "lokasi_ppk.xlsx")
    ref = pd.read_csv(paths.processed("sites"), dtype=str, keep_default_na=False)
    _fill(path, [{"ID Lokasi": r.site_id, "Nama Lokasi": "" if r.venue.startswith("(") else r.venue,
                  "Alamat": r.address, "Kecamatan": r.kecamatan, "Kode Kecamatan": r.kecamatan_kode,
                  "Kota/Kabupaten Administrasi": r.kota, "Lintang": float(r.lat), "Bujur": float(r.lon),
                  "Internet": "Ya" if r.internet == "True" else "Tidak",
                  "Posisi Perkiraan": "Ya" if r.approximate == "True" else "Tidak"} for r in ref.itertuples()])
    out = tmp_path / "report"
    code = batch.main(_cli(out, "Kepulauan Seribu", {"sites_path": path}))
    err = capsys.readouterr().err
    assert code == 0 and not _failed_runs(out), (err, _failed_runs(out))
    assert "pemilu-recap: read sites (lokasi_ppk.xlsx): sheet 'Lokasi PPK', header on row 1, 44 data rows" in err
    assert "pemilu-recap: read sites (lokasi_ppk.xlsx): 'ID Lokasi' -> site_id" in err
    scope = out / "kepulauan-seribu"
    checked = 0
    for nb in NOTEBOOKS:
        fig = json.loads((scope / f"{nb.stem}.figures.json").read_text(encoding="utf-8"))
        if "n_sites" in fig:
            assert fig["n_sites"] == 2, nb.stem
            checked += 1
    assert checked


# ---------------------------------------------------------------------------------------------
# each notebook with the fewest and with every optional column
# ---------------------------------------------------------------------------------------------
#: the two parameter sets: minimum columns, and every optional column (facilities and TPS too)
VARIANTS = {"minimal": {"sites_path": OFFICE / "sites_minimal.csv"}, "office": GOOD}


def _check_figures(stem: str, variant: str, fig: dict) -> None:
    """Jakarta Pusat: 8 sites (1 approximate in the office file: GOR Senen), 8 kecamatan, 44 kelurahan, 3,129 TPS."""
    if stem == "01-recap-sites-map":
        assert fig["kota"] == "Jakarta Pusat"
        assert fig["n_sites"] == 8 and fig["n_sites_internet"] == 8
        assert fig["n_sites_approximate"] == {"minimal": 0, "office": 1}[variant]
        assert fig["n_tps_recapitulated"] == 3129
    elif stem == "02-coverage-gaps":
        assert fig["scope"] == "Jakarta Pusat"
        assert (fig["n_sites"], fig["n_kecamatan"], fig["n_kelurahan"], fig["tps"]) == (8, 8, 44, 3129)
        assert fig["n_sites_position_known"] == {"minimal": 8, "office": 7}[variant]
        assert fig["gaps_no_warehouse_position"] == {"minimal": 1, "office": 0}[variant]
    elif stem == "03-site-planning":
        assert fig["scope"] == "Jakarta Pusat"
        assert fig["mclp_kelurahan"] == 44 and fig["mclp_tps_total"] == 3129
        assert fig["sites_with_internet"] == 44  # the sites of all of DKI serve as existing coverage
    else:  # a notebook added later: at least the site count where it reports one
        if "n_sites" in fig:
            assert fig["n_sites"] == 8


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_with_minimal_and_full_office_files(notebook, tmp_path):
    for variant, files in VARIANTS.items():
        out = tmp_path / variant
        parameters = {"kota": "Jakarta Pusat", "output_dir": str(out), **{k: str(v) for k, v in files.items()}}
        execute_notebook(str(notebook), str(tmp_path / f"{variant}-{notebook.name}"), parameters=parameters,
                         cwd=str(paths.NOTEBOOKS), kernel_name="python3", progress_bar=False)
        figures = out / f"{notebook.stem}.figures.json"
        assert figures.is_file(), (variant, notebook.stem)
        _check_figures(notebook.stem, variant, json.loads(figures.read_text(encoding="utf-8")))

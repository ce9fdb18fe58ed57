"""Two runs on the same inputs write byte-identical files, so two reports can be compared with diff."""

import sqlite3
import warnings

import pytest

from helpers.io import inputs as loaders
from helpers.analysis.coverage.compute import compute_coverage, coverage_inputs
from helpers.io.national import resolve_scope
from helpers.reports.coverage import GPKG_TIMESTAMP
from helpers.reports.coverage import write as write_outputs
from helpers.maps import recap_sites_map, save_map


@pytest.fixture(scope="module")
def data():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return loaders.load_inputs()


def test_saved_map_is_byte_identical(tmp_path, data):
    files = []
    for i in range(2):  # two maps built from scratch: folium would give every element a new random id
        m = recap_sites_map(data.sites, data.kota, data.kecamatan, data.facilities, data.tps)
        files.append(save_map(m, tmp_path / f"map{i}.html", offline=True).read_bytes())
    assert files[0] == files[1]
    assert b"map_00000000000000000000000000000" in files[0]  # ids numbered in tree order


def test_coverage_outputs_are_byte_identical(tmp_path, data):
    result = compute_coverage(**coverage_inputs(data), scope=resolve_scope(kota="Kepulauan Seribu"))
    runs = [write_outputs(result, tmp_path / f"run{i}", offline=True) for i in range(2)]
    names = sorted(p.name for p in runs[0].values())
    assert "coverage-gaps.gpkg" in names and "map-coverage-gaps.html" in names
    for key, path in runs[0].items():
        assert path.read_bytes() == runs[1][key].read_bytes(), path.name
    # the GeoPackage carries the fixed stamp, not the time of writing
    with sqlite3.connect(runs[0]["gpkg"]) as db:
        stamps = {row[0] for row in db.execute("select last_change from gpkg_contents")}
    assert stamps == {GPKG_TIMESTAMP}

"""Notebook 02-coverage-gaps runs with papermill for all of DKI and for each kota.

Every run writes into ``tmp_path``; the headline figures it writes are checked against the official
TPS counts per kota (KPU DKI pleno, data/processed/dpt_kota.csv) and against the DKI run.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import paths

NOTEBOOK = paths.NOTEBOOKS / "02-coverage-gaps.ipynb"
KOTA = ["Kepulauan Seribu", "Jakarta Pusat", "Jakarta Utara", "Jakarta Barat", "Jakarta Selatan", "Jakarta Timur"]
OFFICIAL = pd.read_csv(paths.processed("dpt"), dtype={"kota_kode": str}).set_index("kota")

pytestmark = pytest.mark.notebooks


def _run(tmp_path, **params):
    import papermill as pm

    out = tmp_path / "out"
    pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "run.ipynb"), parameters={"output_dir": str(out), **params},
                        cwd=str(paths.NOTEBOOKS), progress_bar=False, kernel_name="python3")
    return out, json.loads((out / "02-coverage-gaps.figures.json").read_text(encoding="utf-8"))


def test_notebook_dki(tmp_path):
    out, fig = _run(tmp_path)
    assert fig["scope"] == "DKI Jakarta" and fig["tps"] == 30766 and fig["dpt"] == 8252897
    assert fig["n_kecamatan"] == 44 and fig["n_sites_internet"] == 44 and fig["n_sites_position_known"] == 37
    assert fig["gaps_no_pps_office"] == 25 and fig["gaps_no_ppk_office"] == 3 and fig["gaps_no_warehouse_position"] == 6
    assert fig["gaps_total"] == len(fig["gaps"]) == len(pd.read_csv(out / "coverage-gaps.csv"))
    kota = pd.read_csv(out / "coverage-kota.csv").set_index("kota")
    assert int(kota.loc["DKI Jakarta", "tps"]) == int(kota.drop("DKI Jakarta")["tps"].sum()) == 30766
    import pyogrio
    assert sorted(name for name, _ in pyogrio.list_layers(out / "coverage-gaps.gpkg")) == [
        "gaps", "kecamatan", "kelurahan", "sites"]
    html = (out / "map-coverage-gaps.html").read_text(encoding="utf-8")
    assert "<script src=\"http" not in html and "coverage-site" in html
    for png in ("chart-load-per-kota.png", "chart-distance-per-kota.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kota", KOTA)
def test_notebook_each_kota(tmp_path, kota):
    out, fig = _run(tmp_path, kota=kota, language="en")
    assert fig["scope"] == kota and fig["language"] == "en"
    assert fig["tps"] == int(OFFICIAL.loc[kota, "tps_pleno"])
    assert fig["dpt"] == int(OFFICIAL.loc[kota, "dpt"])
    gaps = pd.read_csv(out / "coverage-gaps.csv")
    assert set(gaps["kota"]) == {kota} and gaps["sentence"].str.len().gt(20).all()
    sea = pd.read_csv(out / "coverage-sea-crossing.csv")
    assert (len(sea) > 0) == (kota == "Kepulauan Seribu")

"""Notebook 02-coverage-gaps for all of DKI and for each kota.

The DKI figures come from the session's nbval run of the notebook (default parameters; see
tests/conftest.py), the kota runs from papermill (``executed_notebook``), Kepulauan Seribu from the
English ``dki-recap`` run that tests/test_reader_report.py reads too.  DPT and TPS are checked
against the KPU DKI pleno figures as published (data/raw/kpu_dki_press, the DKI total included),
the other counts against the shipped data as loaded (their values: tests/test_data.py).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.io import inputs as loaders
from helpers.core import paths

STEM = "02-coverage-gaps"
KOTA = ["Kepulauan Seribu", "Jakarta Pusat", "Jakarta Utara", "Jakarta Barat", "Jakarta Selatan", "Jakarta Timur"]
#: KPU DKI pleno 27 June 2023 as published: DPT and TPS per kota and the DKI total (row "31")
PRESS = pd.read_csv(paths.RAW / "kpu_dki_press" / "dki_dpt_tps_per_kota_pemilu2024_press.csv",
                    dtype={"kota_kode_kemendagri": str}).set_index("kota_kode_kemendagri")

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def shipped():
    fac, kec = loaders.load_facilities(), loaders.load_boundaries("kecamatan")
    active = fac[fac["status"] == "active"]
    return {"sites": loaders.load_sites(), "kec": kec, "kel": loaders.load_boundaries("kelurahan"),
            "kota": loaders.load_boundaries("kota"),
            "pps_offices": active.loc[active["facility_type"] == "kantor_lurah", "kelurahan_kode"].nunique(),
            "ppk_offices": active.loc[active["facility_type"] == "kantor_camat", "kecamatan_kode"].nunique()}


def _figures(out):
    return json.loads((out / f"{STEM}.figures.json").read_text(encoding="utf-8"))


def _official(kota: str) -> pd.Series:
    (row,) = [r for _, r in PRESS.iterrows() if r["kota"].endswith(kota)]
    return row


@pytest.mark.xdist_group("nb-02")
def test_notebook_dki(nbval_run, shipped):
    out = nbval_run(STEM).output("dki")
    fig, sites, total = _figures(out), shipped["sites"], PRESS.loc["31"]
    assert total["kota"] == "DKI Jakarta (total)"
    assert fig["scope"] == "DKI Jakarta" and fig["tps"] == int(total["tps"]) and fig["dpt"] == int(total["dpt"])
    assert (fig["n_kecamatan"], fig["n_sites_internet"], fig["n_sites_position_known"]) == (
        len(shipped["kec"]), int(sites["internet"].sum()), int((~sites["approximate"]).sum()))
    assert fig["gaps_no_pps_office"] == len(shipped["kel"]) - shipped["pps_offices"] > 0
    assert fig["gaps_no_ppk_office"] == len(shipped["kec"]) - shipped["ppk_offices"] > 0
    assert fig["gaps_no_warehouse_position"] == len(shipped["kota"])  # no warehouse position is shipped
    assert fig["gaps_total"] == len(fig["gaps"]) == len(pd.read_csv(out / "coverage-gaps.csv"))
    kota = pd.read_csv(out / "coverage-kota.csv").set_index("kota")
    assert int(kota.loc["DKI Jakarta", "tps"]) == int(kota.drop("DKI Jakarta")["tps"].sum()) == int(total["tps"])
    import pyogrio
    assert sorted(name for name, _ in pyogrio.list_layers(out / "coverage-gaps.gpkg")) == [
        "gaps", "kecamatan", "kelurahan", "sites"]
    html = (out / "map-coverage-gaps.html").read_text(encoding="utf-8")
    assert "<script src=\"http" not in html and "coverage-site" in html
    for png in ("chart-load-per-kota.png", "chart-distance-per-kota.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kota", [
    pytest.param(k, marks=pytest.mark.xdist_group("seribu" if k == "Kepulauan Seribu" else "nb-02")) for k in KOTA])
def test_notebook_each_kota(executed_notebook, batch_report, kota):
    if kota == "Kepulauan Seribu":  # the same run as dki-recap's for this kota, in English
        code, report = batch_report("--kota", "Kepulauan Seribu", "-p", "language", "en", "--pdf")
        assert code == 0
        out = report / "kepulauan-seribu"
    else:
        out = executed_notebook(STEM, kota=kota, language="en")
    fig = _figures(out)
    assert fig["scope"] == kota and fig["language"] == "en"
    assert fig["tps"] == int(_official(kota)["tps"])
    assert fig["dpt"] == int(_official(kota)["dpt"])
    gaps = pd.read_csv(out / "coverage-gaps.csv")
    assert set(gaps["kota"]) == {kota} and gaps["sentence"].str.len().gt(20).all()
    sea = pd.read_csv(out / "coverage-sea-crossing.csv")
    assert (len(sea) > 0) == (kota == "Kepulauan Seribu")

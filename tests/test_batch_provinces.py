"""dki-recap --provinsi: batches over provinces outside DKI ("all 38 provinces", "every kab/kota of X")."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from helpers import paths
from helpers.batch.errors import UsageError
from helpers.batch.scopes import province_scopes, select_scopes


def test_all_provinces_are_38_whole_province_scopes_with_dki_as_dki():
    scopes = province_scopes(["all"])
    prov = pd.read_parquet(paths.PROCESSED / "national" / "provinsi.parquet", columns=["kode"])
    assert len(scopes) == len(prov) == 38
    assert len({s.slug for s in scopes}) == 38 and all(s.kota is None for s in scopes)
    dki = [s for s in scopes if s.slug == "dki"]
    assert len(dki) == 1 and dki[0].provinsi is None  # DKI keeps its own layer
    assert {s.provinsi for s in scopes if s.slug != "dki"} >= {"Maluku Utara", "Jawa Barat", "Papua Barat Daya"}


def test_a_province_is_itself_and_every_kab_kota():
    kab = pd.read_parquet(paths.PROCESSED / "national" / "kabkota.parquet", columns=["provinsi_kode"])
    scopes = province_scopes(["Jawa Barat"])
    assert len(scopes) == 1 + int((kab["provinsi_kode"] == "32").sum()) == 28
    assert scopes[0].slug == "jawa-barat" and scopes[0].kota is None
    slugs = {s.slug for s in scopes}
    assert {"kota-bogor", "kabupaten-bogor"} <= slugs  # two Bogor, told apart
    assert all(s.provinsi == "Jawa Barat" for s in scopes)
    chosen = select_scopes(["Kota Bogor", "jawa barat"], scopes)
    assert [s.slug for s in chosen] == ["jawa-barat", "kota-bogor"]


def test_dki_in_a_province_list_is_its_seven_scopes():
    assert [s.slug for s in province_scopes(["DKI Jakarta"])][:2] == ["dki", "kepulauan-seribu"]
    assert len(province_scopes(["31"])) == 7


def test_an_unknown_province_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown provinsi 'Atlantis'"):
        province_scopes(["Atlantis"])


@pytest.mark.notebooks
@pytest.mark.xdist_group("province-batch")
def test_a_province_batch_end_to_end(tmp_path):
    out = tmp_path / "report"
    proc = subprocess.run([sys.executable, "-m", "helpers.batch", "--provinsi", "malut", "--kota", "Ternate",
                           "--notebooks", str(paths.NOTEBOOKS / "01-recap-sites-map.ipynb"),
                           "--output", str(out), "--no-progress", "--jobs", "1"],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["scope"], r["status"]) for r in manifest["runs"]] == [("ternate", "ok")]
    figures = json.loads((out / "ternate" / "01-recap-sites-map.figures.json").read_text(encoding="utf-8"))
    assert figures["kota"] == "Kota Ternate" and figures["n_sites"] == figures["n_sites_approximate"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ternate/01-recap-sites-map.report.html" in index

"""dki-recap --provinsi: batches over provinces outside DKI ("all 38 provinces", "every kab/kota of X")."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from helpers.core import paths
from helpers.batch.errors import UsageError
from helpers.batch.scopes import province_scopes, select_scopes


def test_all_provinces_are_38_whole_province_scopes_with_dki_as_dki():
    scopes = province_scopes(["all"])
    prov = pd.read_parquet(paths.PROCESSED / "national" / "provinsi.parquet", columns=["kode"])
    assert len(scopes) == len(prov) == 38
    assert len({s.slug for s in scopes}) == 38 and all(s.kota is None for s in scopes)
    dki = [s for s in scopes if s.slug == "dki"]
    assert len(dki) == 1 and dki[0].is_dki and dki[0].provinsi_param is None  # DKI keeps its own layer
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


def _malut_sites(path, *, unknown: bool):
    """A sites list of three Maluku Utara kecamatan, in an office's own headers, optionally with a row
    naming a kecamatan that does not exist."""
    from helpers.io.province import province_layers

    sites = province_layers("82").sites.head(3)  # Maluku Utara
    rows = pd.DataFrame({"Nama Kecamatan": sites["kecamatan"], "Kabupaten/Kota": sites["kota"],
                         "Tempat Rekap": "Aula " + sites["kecamatan"], "Lintang": sites["lat"].round(6),
                         "Bujur": sites["lon"].round(6)})
    if unknown:
        rows.loc[len(rows)] = ["Antah Berantah", "Halmahera Barat", "Aula X", 1.0, 127.6]
    rows.to_csv(path, index=False)
    return path


def _previous(out):
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"tool": "dki-recap"}), encoding="utf-8")
    (out / "index.html").write_text("previous report", encoding="utf-8")


@pytest.mark.parametrize("provinsi", [["malut"], ["malut", "--kota", "Ternate"]])
def test_a_province_batch_checks_its_files_before_any_run(tmp_path, provinsi):
    """The pre-flight covers province scopes: exit 2 before any notebook, every problem named in the
    province's own words, the headers read printed, the previous report untouched."""
    out = tmp_path / "report"
    _previous(out)
    sites = _malut_sites(tmp_path / "sites.csv", unknown=True)
    proc = subprocess.run([sys.executable, "-m", "helpers.batch", "--provinsi", *provinsi,
                           "--notebooks", str(paths.NOTEBOOKS / "01-recap-sites-map.ipynb"),
                           "-p", "sites_path", str(sites), "--output", str(out), "--no-progress", "--jobs", "1"],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2, proc.stderr[-2000:]
    err = proc.stderr
    assert "no notebook was run and the previous report (if any) is unchanged" in err
    assert "Antah Berantah" in err and "row 5" in err and "118 kecamatan of Maluku Utara" in err
    assert "DKI Jakarta" not in err
    assert "pemilu-recap: read" not in err  # nothing is said to be read from a file that was refused
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report", "sites.csv"]  # no build folder left


@pytest.mark.notebooks
@pytest.mark.xdist_group("province-batch")
def test_a_province_batch_with_a_good_file_reads_it_once(tmp_path):
    """A good sites file of Maluku Utara: the headers read are printed once, before the runs, the runs read
    the prepared inputs, and the report is titled by the province."""
    out = tmp_path / "report"
    sites = _malut_sites(tmp_path / "sites.csv", unknown=False)
    proc = subprocess.run([sys.executable, "-m", "helpers.batch", "--provinsi", "malut", "--kota", "Halmahera Barat",
                           "--notebooks", str(paths.NOTEBOOKS / "01-recap-sites-map.ipynb"),
                           "-p", "sites_path", str(sites), "--output", str(out), "--no-progress", "--jobs", "1"],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr.count("pemilu-recap: read sites (sites.csv): 'Nama Kecamatan' -> kecamatan") == 1
    executed = (out / "halmahera-barat" / "01-recap-sites-map.ipynb").read_text(encoding="utf-8")
    assert "prepared_inputs = " in executed and ".inputs/82.pickle" in executed  # the runs got the checked inputs
    assert not list(out.rglob("*.pickle"))  # and they are not published
    figures = json.loads((out / "halmahera-barat" / "01-recap-sites-map.figures.json").read_text(encoding="utf-8"))
    assert figures["n_sites"] - figures["n_sites_approximate"] == 3  # the three user sites are exact
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Pemilu 2024 Maluku Utara: laporan jaringan rekapitulasi</h1>" in index


def test_a_file_of_one_province_is_refused_for_all_provinces(tmp_path):
    out = tmp_path / "report"
    sites = _malut_sites(tmp_path / "sites.csv", unknown=False)
    proc = subprocess.run([sys.executable, "-m", "helpers.batch", "--provinsi", "all",
                           "--notebooks", str(paths.NOTEBOOKS / "01-recap-sites-map.ipynb"),
                           "-p", "sites_path", str(sites), "--output", str(out), "--no-progress"],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2
    assert "a file of your own describes one province, and this batch covers 38" in proc.stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["sites.csv"]

"""Office files, round two (issue 21), end to end through ``pemilu-recap`` (helpers.batch.main).

A Maluku Utara batch reads a Google My Maps KMZ of its 118 PPK sites (names in capitals: ``MABA`` and
``KOTA MABA``), a facilities CSV saved by Excel on Windows (Windows-1252) with a footer under its table
and the kota under ``Kota/Kab. Administrasi``, and a TPS list saved as Excel "Unicode Text" (UTF-16, tab
separated); notebooks 01 and 02 run, and the coverage report answers the warehouse question.  Its numbers
are recomputed here from the files alone: each site's nearest warehouse by geodesic distance (pyproj.Geod
on WGS84; the toolkit measures in the province's UTM zone 52N, within 0.5 %), the median and largest per
kota over the lines the run's own table (coverage-sites.csv) keeps on land.  Files that must be refused
(shapes in a KML, a real row after a footer with its coordinate empty, a 41 MB CSV) stop the batch before
any notebook (exit 2).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import Geod

from helpers import batch
from helpers.batch import execute, pool
from helpers.core import paths

OFFICE2 = Path(__file__).resolve().parent / "fixtures" / "office2"
MALUT_FILES = {"sites_path": OFFICE2 / "lokasi_ppk_malut.kmz",
               "facilities_path": OFFICE2 / "fasilitas_malut_windows.csv",
               "tps_path": OFFICE2 / "tps_malut_unicode.txt"}
NOTEBOOKS = [paths.NOTEBOOKS / "01-recap-sites-map.ipynb", paths.NOTEBOOKS / "02-coverage-gaps.ipynb"]


def _cli(out: Path, files: dict, *extra: str) -> list[str]:
    args = ["--notebooks", *map(str, NOTEBOOKS), "--jobs", "1", "--no-progress", "-o", str(out), *extra]
    for name, path in files.items():
        args += ["-p", name, str(path)]
    return args


def _failed_runs(out: Path) -> list:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [(r["scope"], r["notebook"], r["error"]) for r in manifest["runs"] if r["status"] != "ok"]


def _cells(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with ``caption`` in a rendered report, as text."""
    table = html.split(f"<caption>{caption}</caption>")[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)]
            for r in rows]


def _km(text: str) -> float:
    return float("nan") if text in ("–", "—", "") else float(text.replace(",", ""))


@pytest.fixture(scope="module")
def malut_batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("office2") / "report"
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = batch.main(_cli(out, MALUT_FILES, "--provinsi", "Maluku Utara", "--kota", "maluku-utara",
                               "-p", "language", "en"))
    return code, err.getvalue(), out


@pytest.mark.notebooks
def test_a_province_batch_with_kmz_windows_csv_and_unicode_text(malut_batch):
    code, err, out = malut_batch
    assert code == 0 and not _failed_runs(out), (err, _failed_runs(out))
    assert "Traceback" not in err
    for line in ("pemilu-recap: read sites (lokasi_ppk_malut.kmz): 118 placemarks in 1 folder(s) "
                 "('Lokasi Rekapitulasi PPK' 118)",
                 "pemilu-recap: read facilities (fasilitas_malut_windows.csv): 'Kota/Kab. Administrasi' -> kota",
                 "pemilu-recap: warning: fasilitas_malut_windows.csv: the file is not UTF-8 text; it was read as "
                 "Windows-1252 (Excel 'CSV (Comma delimited)' on Windows)",
                 "pemilu-recap: warning: tps_malut_unicode.txt: the file is not UTF-8 text; it was read as UTF-16 "
                 "(Excel 'Unicode Text')",
                 "pemilu-recap: warning: fasilitas_malut_windows.csv, rows 7, 8, 10, 11, 12, 13, 14, 15: note or "
                 "footer line(s) were skipped: row 7 'Sumber: Sekretariat KPU Kabupaten/Kota se-Maluku Utara – ",
                 "pemilu-recap: warning: tps_malut_unicode.txt, row 1184: note or footer line(s) were skipped: row "
                 "1184 'Sumber: kawalpemilu.org, TPS Pemilu 2024 per desa (diolah)'"):
        assert line in err, line
    scope = out / "maluku-utara"
    recap = json.loads((scope / "01-recap-sites-map.figures.json").read_text(encoding="utf-8"))
    coverage = json.loads((scope / "02-coverage-gaps.figures.json").read_text(encoding="utf-8"))
    assert recap["n_sites"] == 118 and recap["n_sites_internet"] == 116  # Loloda and Kota Maba: Tidak
    assert (coverage["n_sites"], coverage["tps"], coverage["n_warehouse_positions_known"]) == (118, 4174, 3)
    sites = pd.read_csv(scope / "recap-sites.csv", dtype=str, keep_default_na=False).set_index("kecamatan_kode")
    assert sites.at["82.06.02", "kecamatan"] == "Maba" and sites.at["82.06.02", "venue"] == "PPK Maba"
    assert sites.at["82.06.10", "kecamatan"] == "Kota Maba" and sites.at["82.06.10", "venue"] == "PPK Kota Maba"


def _hand_nearest() -> pd.DataFrame:
    """Each site's nearest warehouse by geodesic distance, from the two files alone."""
    sites = pyogrio.read_dataframe(OFFICE2 / "lokasi_ppk_malut.kmz")
    sites["kecamatan_kode"] = sorted(pd.read_parquet(paths.PROCESSED / "national" / "kecamatan.parquet",
                                                     filters=[("provinsi_kode", "==", "82")], columns=["kode"])["kode"])
    raw = (OFFICE2 / "fasilitas_malut_windows.csv").read_bytes().decode("cp1252").splitlines()
    fac = pd.DataFrame([r.split(",") for r in raw[1:5]], columns=raw[0].split(","))
    wh = fac[fac["Jenis"].str.lower().str.startswith("gudang")]
    geod = Geod(ellps="WGS84")
    lon, lat = sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy()
    dist = np.column_stack([geod.inv(lon, lat, np.full(len(lon), float(w.Bujur)), np.full(len(lat), float(w.Lintang)))[2]
                            for w in wh.itertuples()]) / 1000
    return pd.DataFrame({"kecamatan_kode": sites["kecamatan_kode"], "km": dist.min(axis=1),
                         "warehouse": wh["Nama Fasilitas"].to_numpy()[dist.argmin(axis=1)]})


@pytest.mark.notebooks
def test_the_report_answers_the_warehouse_question(malut_batch):
    code, err, out = malut_batch
    assert code == 0, err
    scope = out / "maluku-utara"
    run = pd.read_csv(scope / "coverage-sites.csv", dtype={"kecamatan_kode": str, "kota_kode": str})
    hand = _hand_nearest().merge(run[["kecamatan_kode", "kota", "site_id", "kecamatan", "nearest_warehouse",
                                      "nearest_warehouse_km", "warehouse_sea_crossing"]], on="kecamatan_kode")
    assert len(hand) == 118
    assert (hand["warehouse"] == hand["nearest_warehouse"]).all()
    assert np.allclose(hand["nearest_warehouse_km"], hand["km"], rtol=0.005)
    # Pulau Taliabu lies about 400 km across the sea from every warehouse: all its lines cross the sea
    assert hand.loc[hand["kota"] == "Pulau Taliabu", "warehouse_sea_crossing"].all()
    html = (scope / "02-coverage-gaps.report.html").read_text(encoding="utf-8")
    assert "<h2>Distance from PPK sites to the logistics warehouse</h2>" in html
    assert ("Kota without a warehouse of known position of their own: Halmahera Barat, Halmahera Tengah, Halmahera "
            "Selatan, Kepulauan Sula, Pulau Morotai, Pulau Taliabu, Tidore Kepulauan;") in html
    sea = int(hand["warehouse_sea_crossing"].sum())
    assert f"{sea} PPK site(s) reach their warehouse only across the sea" in html
    assert "3 of these warehouses have an approximate position" in html
    rows = _cells(html, "Distance to the warehouse per kota")
    assert [r[0] for r in rows][-1] == "Maluku Utara" and len(rows) == 11
    land = hand[~hand["warehouse_sea_crossing"]]
    for kota, known, median, largest, farthest, to, n_sea in rows:
        part = land if kota == "Maluku Utara" else land[land["kota"] == kota]
        everything = hand if kota == "Maluku Utara" else hand[hand["kota"] == kota]
        assert int(n_sea) == int(everything["warehouse_sea_crossing"].sum()), kota
        if not len(part):
            assert (median, largest, farthest, to) == ("–", "–", "–", "–"), kota
            continue
        assert _km(median) == pytest.approx(part["km"].median(), abs=0.06 + 0.005 * part["km"].median()), kota
        assert _km(largest) == pytest.approx(part["km"].max(), abs=0.06 + 0.005 * part["km"].max()), kota
        top = part.loc[part["km"].idxmax()]
        assert farthest == f"{top['site_id']} (Kec. {top['kecamatan']})" and to == top["warehouse"], kota
        assert int(known) == {"Halmahera Timur": 1, "Ternate": 1, "Halmahera Utara": 1, "Maluku Utara": 3}.get(kota, 0)
    page = (scope / "map-coverage-gaps.html").read_text(encoding="utf-8")
    assert "Logistics warehouses (3)" in page and "fasilitas_malut_windows.csv, row 2" in page
    assert page.count('"Nearest warehouse"') == 118


# ---------------------------------------------------------------------------------------------
# refused before any notebook
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def no_notebook(monkeypatch):
    def no_run(*args, **kwargs):
        raise AssertionError("a notebook was about to run")

    monkeypatch.setattr(pool, "schedule", no_run)
    monkeypatch.setattr(execute, "run_one", no_run)


def test_bad_office_files_stop_the_batch_before_any_notebook(tmp_path, capsys, no_notebook):
    big = tmp_path / "fasilitas_besar.csv"
    with open(big, "wb") as fh:
        fh.write(b"Nama Fasilitas,Jenis,Lintang,Bujur\n" + b"Gudang uji,Gudang logistik,-6.170687,106.819062\n"
                 * 860_000)  # 41.3 MB
    files = {"sites_path": OFFICE2 / "lokasi_ppk_jakpus_footer_bad.xlsx", "facilities_path": big}
    code = batch.main(_cli(tmp_path / "out", files, "--kota", "jakpus"))
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and not (tmp_path / "out").exists()
    lines = err.splitlines()
    assert lines[1] == "2 problem(s) in 2 input file(s):"
    assert lines[3] == ("  - lokasi_ppk_jakpus_footer_bad.xlsx, row 18, column 'Lintang': the coordinate is empty. "
                        "Fix: fill in the coordinate in decimal degrees (lat about -6.2, lon about 106.8)")
    assert lines[5].startswith("  - fasilitas_besar.csv: the file is 41.3 MB, above the 40 MB the toolkit checks")
    assert "PEMILU_RECAP_MAX_INPUT_MB=42" in lines[5]


def test_a_kml_with_shapes_stops_the_batch(tmp_path, capsys, no_notebook):
    code = batch.main(_cli(tmp_path / "out", {"sites_path": OFFICE2 / "peta_batas_dan_lokasi.kml"},
                           "--provinsi", "Maluku Utara", "--kota", "Halmahera Timur"))
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert ("  - peta_batas_dan_lokasi.kml, placemarks 3, 4, column 'geometry': 2 placemark(s) are shapes, not "
            "points: 'Batas Kecamatan Maba' (folder 'Lokasi dan batas', Polygon); 'Rute distribusi logistik' "
            "(folder 'Lokasi dan batas', LineString)") in err


def test_help_lists_the_template_command(capsys):
    with pytest.raises(SystemExit) as info:
        batch.main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: pemilu-recap [options]\n       pemilu-recap template {sites,facilities,tps} "
                           "FILE.xlsx [--provinsi NAME]")
    assert "\ncommands:\n  template {sites,facilities,tps} FILE.xlsx" in text
    assert 'pemilu-recap template sites lokasi_ppk.xlsx --provinsi "Maluku Utara"' in text


def test_the_template_command_through_pemilu_recap(tmp_path, capsys):
    path = tmp_path / "lokasi_ppk.xlsx"
    assert batch.main(["template", "sites", str(path), "--provinsi", "Maluku Utara"]) == 0
    assert "pemilu-recap -p sites_path" in capsys.readouterr().out and path.is_file()

"""Notebooks 01-03 outside DKI: a province's inputs from the national layer (helpers.io.province),
the user's files on top of them, and the coverage analysis in the province's UTM zone.

Expected figures come from the committed national layer (data/processed/national) and its join
report, or are computed here by hand (geodesic distances with pyproj.Geod)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from helpers.core import paths
from helpers.io import province
from helpers.core.geo import PROVINCE_UTM, metric_crs
from helpers.io.inputs import InputsError, load_inputs
from helpers.core.scope import UnknownUnit, output_folder
from helpers.io.national import load_national, resolve_scope
from helpers.batch.execute import execute_notebook  # papermill, the kernel on IPC sockets

NAT = paths.PROCESSED / "national"
PROV = "Maluku Utara"  # 82: ten kab/kota on Halmahera and hundreds of small islands


@pytest.fixture(scope="module")
def layers():
    return province.province_layers(resolve_scope(PROV).provinsi_kode)


def test_every_province_is_measured_in_the_utm_zone_of_its_centroid():
    p = gpd.read_parquet(NAT / "provinsi.parquet")
    c = p.geometry.to_crs("+proj=cea").centroid.to_crs(4326)
    zone = np.floor((c.x + 180) / 6).astype(int) + 1
    expected = np.where(c.y >= 0, 32600, 32700) + zone
    assert dict(zip(p["kode"], expected.astype(int))) == PROVINCE_UTM
    assert metric_crs("31.71.01") == "EPSG:32748" and metric_crs("82.71") == "EPSG:32652"


def test_province_layers_hold_the_national_counts(layers):
    kec = pd.read_parquet(NAT / "kecamatan.parquet", columns=["kode", "provinsi_kode", "tps_total"])
    kec = kec[kec["provinsi_kode"] == "82"]
    summary = pd.read_csv(NAT / "join_summary.csv", dtype={"prov_kode": str}).set_index("prov_kode").loc["82"]
    assert len(layers.kecamatan) == len(kec) == len(layers.sites) == 118
    assert len(layers.kota) == 10
    assert int(layers.tps["tps_total"].sum()) == int(kec["tps_total"].sum()) == int(summary["tps_placed"])
    # placed + unplaced = KawalPemilu's total for the province; the notes say how many are left out
    assert int(summary["tps_placed"]) + int(summary["tps_unplaced"]) == int(summary["tps_total"])
    assert any(f"{int(summary['tps_unplaced'])} TPS are not placed" in n for n in layers.notes)
    assert layers.crs == "EPSG:32652"


def test_desa_areas_partition_each_kecamatan(layers):
    kel = layers.kelurahan
    assert kel["approximate"].all() and kel["area_basis"].str.startswith("approximate").all()
    assert kel.geometry.is_valid.all() and not kel.geometry.is_empty.any()
    # the Voronoi cells of a kecamatan cover it: their areas add up to its area (within 0.5 %),
    # except where a desa point lies outside its kecamatan (then its cell may be a 100 m disc)
    crs = layers.crs
    cells = kel.to_crs(crs).assign(a=lambda d: d.area).groupby("kecamatan_kode")["a"].sum()
    kec = layers.kecamatan.to_crs(crs).set_index("kode").area
    ratio = (cells / kec.reindex(cells.index)).to_numpy()
    assert np.median(ratio) == pytest.approx(1.0, abs=1e-6)
    assert (np.abs(ratio - 1) < 0.005).mean() > 0.97
    # a desa point inside its kecamatan lies in its own cell
    pts = gpd.GeoSeries(gpd.points_from_xy(kel["point_lon"], kel["point_lat"]), crs=4326).to_crs(crs).to_numpy()
    own = layers.kecamatan.to_crs(crs).set_index("kode").geometry.reindex(kel["kecamatan_kode"]).to_numpy()
    inside_kec = shapely.covers(own, pts)
    in_cell = shapely.dwithin(kel.to_crs(crs).geometry.to_numpy(), pts, 0.01)  # metres
    assert in_cell[inside_kec].all()


def test_default_sites_are_approximate_and_inside_their_kecamatan(layers):
    s = layers.sites
    assert s["approximate"].all() and (s["location_source"] == "kecamatan_point").all()
    assert s["internet_source"].str.startswith("assumed").all()
    poly = layers.kecamatan.set_index("kode").geometry.reindex(s["kecamatan_kode"]).to_numpy()
    assert shapely.covers(poly, s.geometry.to_numpy()).all()


def test_province_inputs_take_the_users_sites_file(tmp_path, layers):
    ternate = layers.sites[layers.sites["kota_kode"] == "82.71"].iloc[0]  # Kota Ternate
    lon, lat = ternate["lon"] + 0.001, ternate["lat"]
    f = tmp_path / "lokasi-ppk-malut.csv"
    f.write_text("Kecamatan;Kabupaten/Kota;Nama Tempat;Lintang;Bujur\n"
                 f"{ternate['kecamatan']};Kota Ternate;Aula Kantor Camat;{lat};{lon}\n", encoding="utf-8")
    data = load_inputs(scope=resolve_scope("malut"), sites_path=f)
    assert not data.is_dki and data.provinsi == PROV and len(data.sites) == 118
    mine = data.sites.set_index("kecamatan_kode").loc[ternate["kecamatan_kode"]]
    assert mine["location_source"] == "user_file" and not mine["approximate"]
    assert mine["venue"] == "Aula Kantor Camat" and mine["lon"] == pytest.approx(lon)
    assert data.sites["approximate"].sum() == 117


def test_a_point_outside_the_province_names_file_row_and_province(tmp_path):
    f = tmp_path / "lokasi.csv"
    f.write_text("Kecamatan,Lintang,Bujur\nTernate Selatan,0.78,127.37\nTernate Utara,-6.2,106.8\n", encoding="utf-8")
    with pytest.raises(InputsError) as err:
        load_inputs(scope=resolve_scope("Maluku Utara"), sites_path=f)
    text = str(err.value)
    assert "lokasi.csv" in text and "row 3" in text and "outside Maluku Utara" in text


def test_dki_only_files_are_refused_outside_dki(tmp_path):
    with pytest.raises(ValueError, match="DKI-only"):
        load_inputs(scope=resolve_scope("Maluku Utara"), dpt_path=tmp_path / "dpt.csv")


def test_output_folders_of_province_scopes():
    assert output_folder(None, resolve_scope("jabar")).as_posix() == "../output/jawa-barat"
    assert output_folder(None, resolve_scope("Jawa Barat", "Kota Bogor")).as_posix() == "../output/kota-bogor"
    assert output_folder(None, resolve_scope("Jawa Barat", "Kabupaten Bogor")).as_posix() == "../output/kabupaten-bogor"
    assert output_folder(None, resolve_scope()).as_posix() == "../output/dki"
    with pytest.raises(UnknownUnit, match="ambiguous"):
        resolve_scope("Jawa Barat", "Bogor")


def test_unknown_province_lists_names():
    with pytest.raises(UnknownUnit, match="unknown provinsi 'Atlantis'"):
        resolve_scope("Atlantis")


@pytest.fixture(scope="module")
def coverage():
    from helpers.analysis.coverage.compute import compute_coverage, coverage_inputs

    return compute_coverage(**coverage_inputs(load_inputs(scope=resolve_scope(PROV))))


def test_province_coverage_agrees_with_the_national_overview(coverage):
    """Notebook 02 for a province and notebook 04 use the same sites, desa points and sea rule: the
    same desa cross the sea, and every distance agrees within the UTM-zone difference (02 measures
    the province in one zone, 04 each pair in its site's zone)."""
    from helpers.analysis import overview as ov

    lay = load_national(map_layer=False)
    o = ov.compute(lay, resolve_scope(PROV))
    theirs = o.desa.set_index("kode")
    ours = coverage.kelurahan.set_index("kode")
    assert len(ours) == len(theirs) == 1180
    assert set(ours.index[ours["sea_crossing"]]) == set(theirs.index[theirs["sea_crossing"]])
    assert int(ours["sea_crossing"].sum()) == 106
    d_ours, d_theirs = ours["distance_m"], theirs.loc[ours.index, "distance_m"]
    assert np.allclose(d_ours, d_theirs, rtol=0.006, atol=1.0)
    whole = coverage.kota[coverage.kota["kota_kode"] == "82"].iloc[0]
    assert whole["kota"] == PROV and whole["tps"] == 4174 and whole["n_sites"] == 118


def test_a_province_distance_is_the_geodesic_distance(coverage):
    """One desa by hand: its point and its kecamatan's site, measured on the WGS84 ellipsoid."""
    from helpers.core.geo import geodesic_distance_m

    kel = coverage.kelurahan.set_index("kode")
    sites = coverage.sites.set_index("site_id")
    row = kel[~kel["sea_crossing"] & (kel["distance_m"] > 5000)].iloc[0]
    site = sites.loc[row["site_id"]]
    point = row.geometry
    expected = geodesic_distance_m(point.x, point.y, site.geometry.x, site.geometry.y)
    assert row["distance_m"] == pytest.approx(float(expected), rel=0.006)


@pytest.mark.notebooks
@pytest.mark.xdist_group("province-notebooks")
def test_notebooks_01_to_03_run_for_a_province_with_many_islands(tmp_path):
    """The three DKI notebooks, run as a user would for Maluku Utara: every deliverable written,
    titled with the province, approximate positions said so, the same figures as computed here."""
    import json


    out = tmp_path / "out"
    for stem in ("01-recap-sites-map", "02-coverage-gaps", "03-site-planning"):
        execute_notebook(str(paths.NOTEBOOKS / f"{stem}.ipynb"), str(tmp_path / f"{stem}.ipynb"),
                            parameters={"provinsi": PROV, "output_dir": str(out)}, cwd=str(paths.NOTEBOOKS),
                            kernel_name="python3", progress_bar=False)
    recap = json.loads((out / "01-recap-sites-map.figures.json").read_text())
    assert recap["kota"] == PROV and recap["n_sites"] == recap["n_sites_approximate"] == 118
    assert recap["n_tps_recapitulated"] == 4174
    cov = json.loads((out / "02-coverage-gaps.figures.json").read_text())
    assert cov["scope"] == PROV and cov["tps"] == 4174 and cov["n_kelurahan_sea_crossing"] == 106
    plan = json.loads((out / "03-site-planning.figures.json").read_text())
    assert plan["scope"] == PROV and plan["mclp_tps_total"] == 4174 and plan["candidates"] == 1180
    assert plan["mclp_tps_covered_after"] >= plan["mclp_tps_covered_before"]
    page = (out / "map-recap-sites.html").read_text(encoding="utf-8")
    assert f"Pemilu 2024 — {PROV}" in page and "DKI Jakarta" not in page
    report = (out / "02-coverage-gaps.report.html").read_text(encoding="utf-8")
    # the province's sources, in the report's words (Indonesian by default), not DKI's office points
    assert "batas dan kode wilayah Kemendagri 2025" in report and "BIG RBI" not in report
    quality = (out / "data-quality.csv").read_text(encoding="utf-8")
    assert PROV in quality.splitlines()[0]


def test_a_large_province_groups_its_desa_markers(coverage, tmp_path, monkeypatch):
    """Above CLUSTER_ABOVE desa the coverage map groups the markers (Jawa Timur: 8,494) instead of
    refusing them; shown here on Maluku Utara's 1,180 with the limit lowered."""
    from helpers.maps import coverage as coverage_map
    from helpers.reports import coverage as coverage_report

    monkeypatch.setattr(coverage_map, "CLUSTER_ABOVE", 1000)
    paths_ = coverage_report.write(coverage, tmp_path, offline=True)
    page = paths_["map"].read_text(encoding="utf-8")
    assert "markerClusterGroup" in page and "cdn.jsdelivr.net" not in page

"""Kepulauan Seribu offices sit on the island a source puts them on (helpers.prepare.islands)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from helpers.io import islands as io_islands
from helpers.prepare import islands
from helpers.core import paths
from helpers.analysis.demand import demand_units
from helpers.io.islands import island_pps_points
from helpers.core.geo import UTM48S, geodesic_distance_m
from helpers.io.inputs import load_boundaries, load_facilities, load_sites, load_tps

RAW = paths.RAW / islands.RAW_FOLDER
KS_KELURAHAN = {"31.01.01.1001": "Pulau Panggang", "31.01.01.1002": "Pulau Kelapa",
                "31.01.01.1003": "Pulau Harapan", "31.01.02.1001": "Pulau Untung Jawa",
                "31.01.02.1002": "Pulau Tidung Besar", "31.01.02.1003": "Pulau Lancang Besar"}


@pytest.fixture(scope="module")
def pos():
    return io_islands.load_island_positions()


@pytest.fixture(scope="module")
def kel():
    return load_boundaries("kelurahan")


def test_gazetteer_rows_parsed_and_sign_restored():
    gaz = islands.read_gazetteer(RAW / "wilayah_pulau_31.01_rows.sql")
    assert len(gaz) == 8 and gaz["island_kode"].str.startswith("31.01.").all()
    # upstream publishes Kepulauan Seribu latitudes without their minus sign
    assert (gaz["lat_as_published"].astype(float) > 0).all() and gaz["lat_sign_restored"].all()
    assert gaz["lat"].between(-6.1, -5.1).all() and gaz["lon"].between(106.3, 106.9).all()
    pramuka = gaz.set_index("island").loc["Pulau Pramuka"]
    assert (pramuka["lat"], pramuka["lon"]) == (-5.7458, 106.6139)


def test_extraction_is_reproducible():
    """extract_rows.extract keeps exactly the 8 upstream lines, byte for byte."""
    spec = importlib.util.spec_from_file_location("extract_rows", RAW / "extract_rows.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rows = (RAW / "wilayah_pulau_31.01_rows.sql").read_bytes()
    lines = rows.splitlines(keepends=True)
    noise = [b"-- provinsi DKI JAKARTA\n", b"('31.01.40001','Pulau Air','5.7634','106.5831','TBP',0.0770,''),\n",
             b"('32.01.40027','Pulau X','-6.1','106.1','BP',NULL,''),\n"]
    tail = b"('31.01.40112','Pulau Y','5.5','106.5','',NULL,'');\n"
    upstream = b"".join(n + line for n, line in zip(noise * 3, lines)) + tail
    assert mod.extract(upstream) == rows
    assert mod.git_blob_sha1(rows) == "d5fa023f2b0e7fea43bd38fe2b460ddc68681973"  # as SOURCES.md says
    assert len(mod.CODES) == len(lines) == 8


def test_each_office_on_its_cited_island(pos, kel):
    assert len(pos) == 9 and pos["approximate"].all()
    assert pos.groupby("role").size().to_dict() == {"pps": 6, "ppk": 2, "seat": 1}
    pps = pos[pos["role"] == "pps"].set_index("kode")
    assert pps["island"].to_dict() == KS_KELURAHAN
    ppk = pos[pos["role"] == "ppk"].set_index("kode")["island"].to_dict()
    assert ppk == {"31.01.01": "Pulau Harapan", "31.01.02": "Pulau Tidung Besar"}
    assert pos.set_index("role").loc["seat", "island"] == "Pulau Pramuka"
    # every position lies inside the kelurahan polygon that holds the island
    k = kel.set_index("kode").to_crs(UTM48S).geometry
    utm = pos.to_crs(UTM48S)
    for row, pt in zip(pos.itertuples(), utm.geometry):
        assert k[row.kelurahan_kode].contains(pt), row.office
        if row.role == "pps":
            assert row.kelurahan_kode == row.kode
        if row.role == "ppk":
            assert row.kelurahan_kode.startswith(row.kode + ".")
    # the gazetteer positions needed no move; sources and bases are named
    assert (pos["moved_m"] == 0).all()
    assert pos["position_basis"].str.startswith("approximate: island position of").all()
    assert pos["position_basis"].str.contains("cahyadsn/wilayah").all()
    assert pos["office_source"].str.contains("http").all()
    assert pos["position_basis"].str.contains("negated").all()


def test_cross_check_differences(pos):
    chk = pos.dropna(subset=["check_diff_m"]).set_index("island")
    assert chk["check_diff_m"].to_dict() == {"Pulau Harapan": 49, "Pulau Lancang Besar": 140, "Pulau Pramuka": 34}
    d = geodesic_distance_m(chk["source_lon"], chk["source_lat"], chk["check_lon"], chk["check_lat"])
    assert np.allclose(d, chk["check_diff_m"].astype(float), atol=0.5)
    missing = pos.loc[pos["check_diff_m"].isna(), "check_source"]
    assert (missing == "no second published position of this island was found").all()


def test_recap_sites_on_the_kecamatan_office_island(pos):
    sites = load_sites().set_index("site_id")
    ppk = pos[pos["role"] == "ppk"].set_index("kode")
    for kode in ("31.01.01", "31.01.02"):
        s = sites.loc[f"PPK-{kode}"]
        assert (s["lon"], s["lat"]) == pytest.approx((ppk.at[kode, "lon"], ppk.at[kode, "lat"]), abs=1e-6)
        assert s["approximate"] and s["location_source"] == "approximate" and s["venue_status"] == "assumed"
        assert ppk.at[kode, "island"] in s["venue"] and s["position_basis"] == ppk.at[kode, "position_basis"]
    # the old artefact: Kepulauan Seribu Utara at latitude -5.50, far north of any office
    assert sites.loc["PPK-31.01.01", "lat"] < -5.6


def test_no_demand_point_coincides_with_a_site_by_construction(pos):
    """A Kepulauan Seribu demand point may coincide with a PPK site only where sources put both
    offices on the same island (same cited island position), never because one approximate rule
    placed both; such pairs record the farthest in-island distance as their uncertainty."""
    kel = load_boundaries("kelurahan")
    dem = demand_units(kel, load_tps(kelurahan=kel), load_facilities(), islands=island_pps_points())
    dem = dem[dem["kota_kode"] == "31.01"].to_crs(UTM48S)
    sites = load_sites()
    sites = sites[sites["kota_kode"] == "31.01"].to_crs(UTM48S)
    island_of = {("pps" if r.role == "pps" else "ppk", r.kode): r for r in pos.itertuples()}
    for d in dem.itertuples():
        for s in sites.itertuples():
            if d.geometry.distance(s.geometry) >= 1.0:
                continue
            a, b = island_of.get(("pps", d.kode)), island_of.get(("ppk", s.kecamatan_kode))
            assert a is not None and b is not None, f"{d.nama} coincides with {s.site_id} without a source"
            assert a.island_kode == b.island_kode and s.site_id in a.shares_island_with
            assert a.office_source and b.office_source and a.within_island_max_m > 0


def test_shares_island_recorded(pos):
    shared = pos.set_index("office")["shares_island_with"].replace("", np.nan).dropna().to_dict()
    assert shared == {
        "Kantor Kelurahan Pulau Harapan (sekretariat PPS)": "PPK-31.01.01",
        "Kantor Kelurahan Pulau Tidung (sekretariat PPS)": "PPK-31.01.02",
        "Kantor Kecamatan Kepulauan Seribu Utara (sekretariat PPK)": "PPS 31.01.01.1003",
        "Kantor Kecamatan Kepulauan Seribu Selatan (sekretariat PPK)": "PPS 31.01.02.1002"}
    within = pos.set_index("island")["within_island_max_m"]
    assert within["Pulau Harapan"].max() < 500 and within["Pulau Tidung Besar"].max() < 2500


def test_island_pps_points_for_demand():
    pts = io_islands.island_pps_points()
    assert sorted(pts.index) == sorted(KS_KELURAHAN) and pts.crs.to_epsg() == 4326
    assert io_islands.island_pps_points(Path("/nonexistent/island_positions.csv")).empty


def test_snap_into_moves_an_outside_point_inside():
    from shapely.geometry import Point, box
    part = box(0, 0, 100, 50)
    assert islands.snap_into(Point(10, 10), part) == Point(10, 10)
    moved = islands.snap_into(Point(150, 25), part)
    assert part.contains(moved) and moved.distance(Point(100, 25)) == pytest.approx(islands.INSIDE_M, abs=1e-6)

"""The processed data reproduce the official figures, and the build is deterministic.

The one place where the counts of the shipped DKI data are written down (units, TPS and DPT, the 44
sites and how their positions and venues are known, the 308 facility points, the kelurahan without
a PPS office); the other tests take theirs from the loaded data.
"""

import filecmp
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from helpers.prepare import dki as data
from helpers.core import paths
from helpers.core.geo import UTM48S
from helpers.io.inputs import load_boundaries, load_dpt, load_facilities, load_sites, load_tps

FIX = Path(__file__).resolve().parent / "fixtures"
KOTA = {"31.01": "Kepulauan Seribu", "31.71": "Jakarta Pusat", "31.72": "Jakarta Utara",
        "31.73": "Jakarta Barat", "31.74": "Jakarta Selatan", "31.75": "Jakarta Timur"}
# KPU DKI pleno 27 June 2023 (press) — TPS and DPT per kota
TPS_PER_KOTA = {"31.01": 88, "31.71": 3129, "31.72": 4853, "31.73": 7169, "31.74": 6715, "31.75": 8812}
DPT_PER_KOTA = {"31.01": 22036, "31.71": 830352, "31.72": 1345136, "31.73": 1905352, "31.74": 1766049,
                "31.75": 2383972}


@pytest.fixture(scope="module")
def kel():
    return load_boundaries("kelurahan")


@pytest.fixture(scope="module")
def kec():
    return load_boundaries("kecamatan")


def test_unit_counts(kel, kec):
    kota = load_boundaries("kota")
    assert (len(kota), len(kec), len(kel)) == (6, 44, 267)
    assert dict(zip(kota["kode"], kota["nama"])) == KOTA
    assert kec.groupby("kota_kode").size().to_dict() == {"31.01": 2, "31.71": 8, "31.72": 6, "31.73": 8,
                                                        "31.74": 10, "31.75": 10}
    assert kel.groupby("kota_kode").size().to_dict() == {"31.01": 6, "31.71": 44, "31.72": 31, "31.73": 56,
                                                        "31.74": 65, "31.75": 65}
    assert kel["kode"].is_unique and kec["kode"].is_unique
    assert set(kel["kecamatan_kode"]) == set(kec["kode"])


def test_codes_attached_by_overlap_not_by_digits(kel):
    """BPS 3171 is Jakarta Selatan; Kemendagri 31.71 is Jakarta Pusat."""
    assert set(kel.loc[kel["kode_bps"].str.startswith("3171"), "kota_kode"]) == {"31.74"}
    assert set(kel.loc[kel["kode_bps"].str.startswith("3173"), "kota_kode"]) == {"31.71"}
    gambir = kel[kel["kode"] == "31.71.01.1001"].iloc[0]
    assert (gambir["nama"], gambir["kecamatan"], gambir["kota"]) == ("Gambir", "Gambir", "Jakarta Pusat")


def test_crosswalk_agrees_with_staged_crosswalk():
    ours = pd.read_csv(paths.processed("crosswalk"), dtype=str)
    staged = pd.read_csv(FIX / "staged_crosswalk_bps2020_to_kemendagri.csv", dtype=str)
    merged = ours.merge(staged, left_on="kode_bps", right_on="village_code", validate="1:1")
    assert len(merged) == 267
    assert (merged["kode"] == merged["kode_kemendagri"]).all()


def test_pseudo_units_merged(kel):
    merged = kel[kel["merged_pseudo"].fillna("") != ""].set_index("nama")["merged_pseudo"].to_dict()
    assert set(merged) == {"Kamal", "Pademangan Timur"}
    assert "Prepedan" in merged["Kamal"]
    assert merged["Pademangan Timur"].count("Danau Sunter") == 2


def test_polygons_valid_and_without_overlaps(kel):
    assert kel.geometry.is_valid.all()
    utm = kel.to_crs(UTM48S)
    overlap_m2 = utm.area.sum() - utm.geometry.union_all().area
    assert overlap_m2 < 1.0
    assert utm.area.sum() / 1e6 == pytest.approx(654.0, abs=0.5)  # 654.0 km², as the staging measured


def test_tps_reproduce_official_figures():
    tps = load_tps()
    assert int(tps["tps_total"].sum()) == 30766
    assert tps.groupby("kota_kode")["tps_total"].sum().to_dict() == TPS_PER_KOTA
    assert int(tps["tps_reguler"].sum()) == 30686
    assert int(tps["tps_khusus"].sum()) == 80
    assert int((tps["tps_khusus"] > 0).sum()) == 15
    cbu = tps.set_index("nama").loc["Cipinang Besar Utara"]
    assert int(cbu["tps_khusus"]) == 33
    assert int(tps.loc[tps["kecamatan"] == "Matraman", "tps_total"].sum()) == 517  # okezone
    # Jakarta Pusat by kecamatan: (kelurahan, TPS), counted by hand from tps_kelurahan.csv
    pusat = tps[tps["kota_kode"] == "31.71"].groupby("kecamatan")["tps_total"].agg(["size", "sum"])
    assert {k: (int(r["size"]), int(r["sum"])) for k, r in pusat.iterrows()} == {
        "Gambir": (6, 276), "Sawah Besar": (5, 363), "Kemayoran": (8, 701), "Senen": (6, 355),
        "Cempaka Putih": (3, 292), "Menteng": (5, 248), "Tanah Abang": (7, 498), "Johar Baru": (4, 396)}


def test_dpt_reproduces_official_figures():
    dpt = load_dpt()
    assert int(dpt["dpt"].sum()) == 8252897
    assert dict(zip(dpt["kota_kode"], dpt["dpt"])) == DPT_PER_KOTA
    assert dict(zip(dpt["kota_kode"], dpt["tps_pleno"])) == TPS_PER_KOTA


def test_sites_one_per_kecamatan_inside_or_flagged(kec):
    sites = load_sites()
    assert len(sites) == 44 and sites["site_id"].is_unique
    assert sorted(sites["kecamatan_kode"]) == sorted(kec["kode"])
    assert sites["internet"].all() and int(sites["approximate"].sum()) == 7
    # venues: 3 named by a source (GOR Senen and Gelanggang Remaja Pulogadung held, Kebayoran Lama
    # agreed), 38 kantor camat assumed, 3 unknown or planned
    assert sites["venue_status"].value_counts().to_dict() == {
        "assumed": 38, "held": 2, "agreed": 1, "planned": 1, "planned (permission in process)": 1, "unknown": 1}
    inside = gpd.sjoin(sites.to_crs(UTM48S), kec.to_crs(UTM48S)[["kode", "geometry"]], predicate="within")
    own = inside[inside["kecamatan_kode"] == inside["kode"]]
    assert set(own["site_id"]) | set(sites.loc[sites["approximate"], "site_id"]) == set(sites["site_id"])
    assert sites.groupby("location_source").size().to_dict() == {
        "approximate": 3, "kantor_camat_point": 37, "press_venue_position_unknown": 4}
    # a position is exact only when it is a kantor camat point
    assert (sites["approximate"] == (sites["location_source"] != "kantor_camat_point")).all()
    assert set(sites.loc[sites["location_source"] == "approximate", "kecamatan"]) == {
        "Jatinegara", "Kepulauan Seribu Utara", "Kepulauan Seribu Selatan"}
    kby = sites.set_index("kecamatan").loc["Kebayoran Lama"]
    assert kby["location_source"] == "kantor_camat_point" and "Kantor Kecamatan Kebayoran Lama" in kby["venue"]


def test_offices_match_sources_md():
    fac = load_facilities()
    assert len(fac) == 308
    camat = fac[(fac["facility_type"] == "kantor_camat") & (fac["status"] == "active")]
    assert len(camat) == 41 and camat["kecamatan_kode"].nunique() == 41
    assert (camat["name_matches_location"] == "yes").all()
    kec = load_boundaries("kecamatan")
    assert set(kec.loc[~kec["kode"].isin(camat["kecamatan_kode"]), "nama"]) == {
        "Jatinegara", "Kepulauan Seribu Utara", "Kepulauan Seribu Selatan"}
    lurah = fac[(fac["facility_type"] == "kantor_lurah") & (fac["status"] == "active")]
    assert len(lurah) == 243 and lurah["kelurahan_kode"].nunique() == 242
    staged = pd.read_csv(FIX / "staged_coverage_kelurahan_kantor_lurah.csv", dtype=str)
    staged_missing = set(staged.loc[staged["n_active_lurah_points"] == "0", "kode"])
    kel = load_boundaries("kelurahan")
    missing = set(kel.loc[~kel["kode"].isin(lurah["kelurahan_kode"]), "kode"])
    assert missing == staged_missing and len(missing) == 25
    assert (fac.groupby("facility_type").size().to_dict()
            == {"balai_kota": 1, "kantor_camat": 42, "kantor_lurah": 258, "kantor_walikota": 5,
                "other_government": 2})
    assert int((fac["status"] == "former_or_non_office").sum()) == 18  # 15 lurah-level + 3 others


def test_press_facilities_have_no_invented_coordinates():
    press = pd.read_csv(paths.processed("press_facilities"))
    assert len(press) == 12 and not press["position_known"].any()
    assert not {"lon", "lat", "geometry"} & set(press.columns)
    assert int(press["pemilu_2024"].sum()) == 10


@pytest.mark.slow
def test_rebuild_reproduces_committed_files(tmp_path):
    """`python -m helpers.prepare.dki build` into a temporary folder gives byte-identical files."""
    written = data.build(out=tmp_path)
    assert set(p.name for p in written.values()) == set(paths.PROCESSED_FILES.values()) | set(
        data.EXTRA_FILES.values())
    for p in written.values():
        assert filecmp.cmp(p, paths.PROCESSED / p.name, shallow=False), f"{p.name} differs; run `make data`"

"""The national data layer (``python -m helpers.prepare.national build``).

The checks of its content read the committed files (data/processed/national, ~1 s); one slow test
rebuilds them from data/raw into a temporary folder (~25-60 s) and compares them byte for byte with
the committed ones, so the content checks hold for what the build writes (the pattern of
tests/test_data.py).  Parser, join and error tests on small hand-made inputs need neither.
"""

from __future__ import annotations

import filecmp
import gzip
import shutil

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from helpers.prepare import national
from helpers.core import paths
from helpers.prepare.national_geom import distance_to_own_polygon
from helpers.prepare.national_join import classify, read_kawalpemilu, similar
from helpers.prepare.national_sql import SQLDumpError, insert_rows, path_to_geometry

TPS_TOTAL = 820_161
DESA_KPU = 83_731


@pytest.fixture(scope="module")
def layers() -> dict:
    """The committed national files, as the build writes them (test_build_reproduces_the_committed_files)."""
    return {k: (gpd.read_parquet if n.endswith(".parquet") else lambda p: pd.read_csv(p, dtype=str))(
        national.PROCESSED / n) for k, n in national.FILES.items()}


def _int(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s).astype("int64")


# ------------------------------------------------------------------ the committed layer
def test_counts(layers):
    assert len(layers["provinsi"]) == 38
    assert len(layers["kabkota"]) == 514
    assert layers["kabkota"]["jenis"].value_counts().to_dict() == {"kabupaten": 416, "kota": 98}
    assert len(layers["kecamatan"]) == 7_285
    assert len(layers["desa"]) == 83_403  # desa with a centroid row (no polygon upstream for 359 of the 2025 set)
    for key in ("provinsi", "kabkota", "kecamatan"):
        assert len(layers[key + "_map"]) == len(layers[key])
        assert (layers[key + "_map"]["kode"].values == layers[key]["kode"].values).all()
    for gdf in layers.values():
        if isinstance(gdf, gpd.GeoDataFrame):
            assert gdf.crs.to_epsg() == 4326 and gdf["kode"].is_unique
            assert gdf.geometry.notna().all() and gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()


def test_tps_reconcile_exactly_nationally_and_per_province(layers):
    desa, unplaced, summary = layers["desa"], layers["unplaced"], layers["summary"]
    placed = desa.groupby("provinsi_kode")["tps_total"].sum()
    missing = _int(unplaced["tps_total"]).groupby(unplaced["prov_kode"]).sum()
    assert int(placed.sum()) + int(missing.sum()) == TPS_TOTAL
    s = summary.set_index("prov_kode")
    for col in ("tps_total", "tps_placed", "tps_unplaced", "desa_kpu", "desa_placed", "desa_unplaced"):
        s[col] = _int(s[col])
    per_prov = s.drop(index="ID")
    assert len(per_prov) == 38
    assert (per_prov["tps_placed"] + per_prov["tps_unplaced"] == per_prov["tps_total"]).all()
    assert placed.reindex(per_prov.index, fill_value=0).equals(per_prov["tps_placed"])
    assert missing.reindex(per_prov.index, fill_value=0).equals(per_prov["tps_unplaced"])
    assert int(per_prov["tps_total"].sum()) == s.loc["ID", "tps_total"] == TPS_TOTAL
    assert int(per_prov["desa_kpu"].sum()) == s.loc["ID", "desa_kpu"] == DESA_KPU
    assert (desa["kode_kpu"] != "").sum() + len(unplaced) == DESA_KPU
    # the figures of the join check: 83,362 desa and 817,295 TPS placed (99.65 %)
    assert (s.loc["ID", "desa_placed"], s.loc["ID", "tps_placed"]) == (83_362, 817_295)
    assert unplaced["category"].value_counts().to_dict() == {"no_polygon": 339, "code_name_differs": 26,
                                                             "not_in_2025": 4}
    assert unplaced["reason"].str.len().gt(20).all()
    assert int(desa["tps_reguler"].sum() + _int(unplaced["tps_reguler"]).sum()) == 818_339
    assert int(desa["tps_khusus"].sum() + _int(unplaced["tps_khusus"]).sum()) == 1_822


def test_polygon_layers_carry_the_placed_tps(layers):
    placed = int(layers["desa"]["tps_total"].sum())
    for key in ("provinsi", "kabkota", "kecamatan", "provinsi_map", "kabkota_map", "kecamatan_map"):
        assert int(layers[key]["tps_total"].sum()) == placed == 817_295


def test_dki_agrees_with_the_dki_layer(layers):
    desa = layers["desa"][layers["desa"]["provinsi_kode"] == "31"]
    dki = pd.read_csv(paths.PROCESSED / "tps_kelurahan.csv", dtype={"kode": str})
    assert len(desa) == len(dki)
    m = desa.merge(dki, on="kode", suffixes=("", "_dki"), validate="1:1")
    assert len(m) == len(dki)
    assert (m["nama"] == m["nama_dki"]).all()
    for c in ("tps_reguler", "tps_khusus", "tps_total"):
        assert (m[c] == m[c + "_dki"]).all(), c
    assert int(desa["tps_total"].sum()) == int(dki["tps_total"].sum())
    kec = layers["kecamatan"][layers["kecamatan"]["provinsi_kode"] == "31"]
    dki_kec = gpd.read_file(paths.PROCESSED / "boundaries_kecamatan.geojson")
    assert len(kec) == len(dki_kec) and set(kec["kode"]) == set(dki_kec["kode"])
    assert dict(zip(kec["kode"], kec["nama"])) == dict(zip(dki_kec["kode"], dki_kec["nama"]))
    assert int(kec["tps_total"].sum()) == int(dki["tps_total"].sum())
    dki_kota = gpd.read_file(paths.PROCESSED / "boundaries_kota.geojson")
    assert len(layers["kabkota"][layers["kabkota"]["provinsi_kode"] == "31"]) == len(dki_kota)


def test_every_placed_desa_is_in_a_boundary_kecamatan_and_names_agree(layers):
    desa = layers["desa"]
    placed = desa[desa["kode_kpu"] != ""]
    assert placed["kecamatan_kode"].isin(layers["kecamatan"]["kode"]).all()
    assert placed["kabkota_kode"].isin(layers["kabkota"]["kode"]).all()
    assert placed["kecamatan"].notna().all() and placed["provinsi"].notna().all()
    assert all(similar(a, b) for a, b in zip(placed["nama_kpu"], placed["nama"]))  # never by code alone
    assert set(placed["join_method"]) == {"code+name", "recoded"}
    assert desa["approximate"].all()
    assert (desa["position_basis"] == national.POSITION_NOTE).sum() == len(desa) - 1  # Malagusa: no polygon


def test_papua_barat_daya_reused_codes_are_not_placed_by_code(layers):
    """KawalPemilu 96.01.04 is BERAUR; 2025 96.01.04 is Seget: same code, other place."""
    desa = layers["desa"]
    pbd = desa[desa["provinsi_kode"] == "96"]
    kpu_code = pbd["kode_kpu"].map(lambda c: f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}" if c else "")
    # the 598 code matches include 231 other desa: those go elsewhere by name or stay unplaced
    moved = pbd[(pbd["join_method"] == "recoded")]
    assert len(moved) == 644 and (kpu_code[moved.index] != moved["kode"]).all()
    same_code = pbd[pbd["join_method"] == "code+name"]
    assert len(same_code) == 367 and (kpu_code[same_code.index] == same_code["kode"]).all()
    # a concrete reused code: the boundary desa at a KawalPemilu code got a different KawalPemilu desa
    reused = moved[moved["kode_kpu"].ne("") & moved["kode"].map(
        lambda k: k.replace(".", "") in set(pbd["kode_kpu"]))]
    assert len(reused) > 0
    for _, row in reused.head(20).iterrows():
        other = pbd[pbd["kode_kpu"] == row["kode"].replace(".", "")]
        assert other.empty or not similar(other.iloc[0]["nama_kpu"], row["nama"])
    unplaced = layers["unplaced"]
    assert (unplaced.loc[unplaced["prov_kode"] == "96", "category"] != "code+name").all()


def test_kecamatan_differences_are_reported_both_ways(layers):
    rep = layers["kecamatan_report"]
    kp_side, bnd_side = rep[rep["side"] == "kawalpemilu"], rep[rep["side"] == "boundaries"]
    assert kp_side["category"].value_counts().to_dict() == {"recoded": 56, "code_name_differs": 12}
    assert bnd_side["category"].value_counts().to_dict() == {"code_name_differs": 12, "not_in_kawalpemilu": 8}
    assert set(bnd_side["kode"]).isdisjoint(set(layers["kecamatan"]["kode"]) - set(bnd_side["kode"]))
    assert "92.02.31" in set(bnd_side.loc[bnd_side["category"] == "not_in_kawalpemilu", "kode"])


def test_map_versions_are_clean_coverages(layers):
    for key in ("kabkota_map", "kecamatan_map"):
        g = layers[key].geometry.values
        tree = shapely.STRtree(g)
        a, b = tree.query(g, predicate="intersects")
        shared = shapely.area(shapely.intersection(g[a[a < b]], g[b[a < b]])).sum()
        assert shared < 1e-9, key  # square degrees: nothing shared but borders
    assert shapely.coverage_is_valid(layers["kabkota_map"].to_crs("ESRI:54034").geometry.values)


# ------------------------------------------------------------------ the build (slow)
@pytest.mark.slow
def test_build_reproduces_the_committed_files(tmp_path):
    """A build from data/raw writes every file of national.FILES, each byte-identical to the committed
    one (the committed files came from an earlier build: so the build is deterministic too)."""
    written = national.build(out=tmp_path / "national")
    assert sorted(p.name for p in written.values()) == sorted(national.FILES.values())
    assert sorted(p.name for p in (tmp_path / "national").iterdir()) == sorted(national.FILES.values())
    for p in written.values():
        committed = national.PROCESSED / p.name
        assert committed.exists() and filecmp.cmp(p, committed, shallow=False), \
            f"{p.name} differs from the committed file; run `python -m helpers.prepare.national build`"


# ------------------------------------------------------------------ small inputs (fast)
def test_sql_parser_handles_quotes_commas_and_comments():
    sql = ("/* licence ; it's */\nDELETE FROM w WHERE kode BETWEEN '1' AND '2';\n"
           "INSERT INTO w (kode,nama) VALUES ('11.01','Olimoo''o'),('11.02','Lubuk Pakam I,Ii'),"
           "('11.03','It\\'s; ok'); -- the end\n# another comment\n")
    rows = [r for _, _, r in insert_rows(sql)]
    assert rows == [["11.01", "Olimoo'o"], ["11.02", "Lubuk Pakam I,Ii"], ["11.03", "It's; ok"]]
    with pytest.raises(SQLDumpError, match="unterminated"):
        list(insert_rows("INSERT INTO w (kode) VALUES ('11"))
    with pytest.raises(SQLDumpError, match="column list"):
        list(insert_rows("INSERT INTO w VALUES ('11');"))
    with pytest.raises(SQLDumpError, match="2 values for 1 columns"):
        list(insert_rows("INSERT INTO w (kode) VALUES ('11','x');"))


def test_path_is_lat_lng_with_holes_and_parts():
    shell = [[-7, 110], [-7, 111], [-6, 111], [-6, 110], [-7, 110]]
    hole = [[-6.8, 110.2], [-6.8, 110.4], [-6.6, 110.4], [-6.6, 110.2], [-6.8, 110.2]]
    island = [[-5, 112], [-5, 112.5], [-4.5, 112.5], [-5, 112]]
    g = path_to_geometry(str([[shell, hole], [island]]))
    assert g.geom_type == "MultiPolygon" and len(g.geoms) == 2
    assert g.bounds == (110.0, -7.0, 112.5, -4.5)  # x = lng, y = lat
    assert abs(g.area - (1 - 0.04 + 0.125)) < 1e-9  # the hole is a hole
    assert path_to_geometry("") is None
    with pytest.raises(SQLDumpError, match="nested 5 deep"):
        path_to_geometry(str([[[shell]]]))
    with pytest.raises(SQLDumpError, match="lat, lng"):
        path_to_geometry(str([[[110, -7], [111, -7], [111, 95], [110, -7]]]))


def test_join_refuses_a_code_whose_name_differs():
    """Papua Barat Daya: KawalPemilu 96.01.04.2001 is another desa than 2025 96.01.04.2001."""
    kp = {"96.01.04.2001": "KLASARI", "96.01.04.2002": "MALASOM", "13.06.01.2004": "DURIAN KAPEH"}
    bnd = {"96.01.04.2001": "Klayili", "96.01.02.2005": "Klasari", "96.01.04.2002": "Malasom 22870"}
    r = classify(kp, bnd, lambda c: "", lambda b: "", {"13.06.01.2004"})
    assert r["96.01.04.2001"][:2] == ("recoded", "96.01.02.2005")
    assert r["96.01.04.2002"][:2] == ("code+name", "96.01.04.2002")
    assert r["13.06.01.2004"][:2] == ("no_polygon", "")
    r = classify({"96.01.04.2001": "KLASARI"}, {"96.01.04.2001": "Klayili"}, lambda c: "", lambda b: "", set())
    assert r["96.01.04.2001"][0] == "code_name_differs"  # not placed by code alone
    two = classify({"96.01.01.2001": "A JAYA", "96.01.01.2002": "A JAYA"}, {"96.01.09.2001": "A Jaya"},
                   lambda c: "", lambda b: "", set())
    assert {v[0] for v in two.values()} == {"recoded_conflict"}


def test_tps_json_format_is_checked(tmp_path):
    good = '{"id2name": {"31": "DKI", "3171": "K", "317101": "C", "3171011001": "D"}, "tps": {"3171011001": [5, 901, 903]}}'
    p = tmp_path / "tps.json.gz"
    p.write_bytes(gzip.compress(good.encode()))
    d = read_kawalpemilu(p)["desa"].iloc[0]
    assert (d["tps_reguler"], d["tps_khusus"], d["tps_total"], d["tps_khusus_nomor"]) == (5, 3, 8, "901-903")
    p.write_bytes(gzip.compress(good.replace("[5, 901, 903]", "[5, 3]").encode()))
    with pytest.raises(ValueError, match="neither"):
        read_kawalpemilu(p)


def test_changed_raw_file_stops_the_build(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(national.RAW, raw)
    f = raw / "kawalpemilu_kp24" / "tps.json.gz"
    f.write_bytes(gzip.compress(gzip.decompress(f.read_bytes()).replace(b"[5]", b"[6]", 1)))
    with pytest.raises(national.NationalBuildError, match="differs from MANIFEST"):
        national.build(out=tmp_path / "out", raw=raw)
    assert not (tmp_path / "out").exists()
    assert national.main(["build", "--raw", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 1


def test_distance_to_own_polygon_in_metres():
    poly = gpd.GeoDataFrame({"kode": ["a"]}, geometry=[shapely.box(106.80, -6.30, 106.90, -6.20)], crs=4326)
    pts = gpd.GeoDataFrame({"k": ["a", "a", "b"]}, geometry=gpd.points_from_xy([106.85, 106.91, 106.85],
                                                                               [-6.25, -6.25, -6.25]), crs=4326)
    d = distance_to_own_polygon(pts, poly, "k")
    assert d[0] == 0 and pd.isna(d[2])
    assert abs(d[1] - 1105.9) < 5  # 0.01° of longitude at 6.25° S ≈ 1,106 m

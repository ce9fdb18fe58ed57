"""Loaders: one test per bad-input case, each on a small committed fixture file.

The fixtures are written by tests/fixtures/inputs/make_fixtures.py; coordinates are real
kantor camat points of Jakarta Pusat / Utara from the shipped data.
"""

from pathlib import Path

import pytest

from helpers.io.inputs import (DataValidationError, DataValidationWarning, load_boundaries, load_facilities,
    load_sites, load_tps)

FIX = Path(__file__).resolve().parent / "fixtures" / "inputs"


def _error(path, loader=load_sites, **kw) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        loader(FIX / path, **kw)
    return info.value


# ------------------------------------------------------------------ accepted inputs
@pytest.mark.parametrize("name", ["sites_ok.csv", "sites_ok.xlsx", "sites_ok.gpkg"])
def test_good_file_in_each_format(name):
    with pytest.warns(DataValidationWarning, match="5 kecamatan have no site"):
        sites = load_sites(FIX / name)
    assert sites.crs.to_epsg() == 4326
    assert list(sites["kecamatan_kode"]) == ["31.71.01", "31.71.02", "31.71.03"]
    assert list(sites["kota"]) == ["Jakarta Pusat"] * 3
    assert sites["internet"].tolist() == [True, True, True]
    assert sites.geometry.x.round(6).tolist() == [106.819062, 106.827796, 106.863983]


def test_name_variants_are_one_unit():
    """'Kota Adm. Jakarta Pusat', 'JAKARTA PUSAT', 'Kec. Sawah Besar', 'Tanjung Priuk' all match."""
    with pytest.warns(DataValidationWarning):
        sites = load_sites(FIX / "sites_name_variants.csv")
    assert sites["kecamatan_kode"].tolist() == ["31.71.01", "31.71.02", "31.72.02"]
    assert sites["kecamatan"].tolist() == ["Gambir", "Sawah Besar", "Tanjung Priok"]
    assert sites["kota"].tolist() == ["Jakarta Pusat", "Jakarta Pusat", "Jakarta Utara"]
    assert sites["internet"].all()


def test_semicolon_and_decimal_comma_csv():
    """Indonesian-locale Excel writes ';' separators and '-6,17' decimals."""
    with pytest.warns(DataValidationWarning, match="no internet value in the file"):
        sites = load_sites(FIX / "sites_semicolon_decimal_comma.csv")
    assert sites.geometry.y.round(6).tolist() == [-6.170687]


def test_file_in_another_crs_is_reprojected_with_a_warning():
    with pytest.warns(DataValidationWarning, match="EPSG:32748; it was reprojected to EPSG:4326"):
        sites = load_sites(FIX / "sites_utm.geojson")
    assert sites.crs.to_epsg() == 4326
    assert sites.geometry.x.round(5).tolist() == [106.81906, 106.8278, 106.86398]


def test_csv_with_projected_coordinates_is_an_error_unless_crs_given():
    err = _error("sites_utm_coordinates.csv")
    assert "projected metres" in str(err) and "row 2" in str(err) and "crs='EPSG:32748'" in str(err)
    with pytest.warns(DataValidationWarning, match="converted to EPSG:4326"):
        sites = load_sites(FIX / "sites_utm_coordinates.csv", crs="EPSG:32748")
    assert sites.geometry.iloc[0].x == pytest.approx(106.8151, abs=1e-3)


# ------------------------------------------------------------------ errors, one per case
def test_missing_required_column():
    err = _error("sites_missing_column.csv")
    assert "sites_missing_column.csv" in str(err)
    (p,) = err.problems
    assert p.column == "lat" and p.rows == ()
    assert "required column 'Lintang' (lat) or 'Koordinat' (coordinates) is missing" in p.message
    assert "columns found: site_id, kecamatan, kota, lon" in p.message


def test_misspelt_required_column_gets_a_suggestion():
    err = _error("sites_misspelt_column.csv")
    assert "the column 'lattitude' may be it: rename it to 'Lintang' or give columns={\"lattitude\": lat}" in str(err)


def test_empty_coordinate():
    err = _error("sites_empty_coordinate.csv")
    (p,) = err.problems
    assert (p.rows, p.column) == ((3,), "lon")
    assert "the coordinate is empty" in p.message


def test_non_numeric_coordinate():
    err = _error("sites_non_numeric.csv")
    (p,) = err.problems
    assert (p.rows, p.column) == ((3,), "lat")
    assert "not a number" in p.message and "sekitar -6.15" in p.message


def test_swapped_latitude_longitude():
    err = _error("sites_swapped.csv")
    (p,) = err.problems
    assert p.rows == (3,)
    assert "latitude and longitude look swapped" in str(err) and "swap the values of 'lon' and 'lat'" in str(err)


def test_point_outside_dki():
    err = _error("sites_outside_dki.csv")
    (p,) = err.problems
    assert p.rows == (3,) and "outside DKI Jakarta" in p.message and "107.6191" in p.message


def test_duplicate_site_ids():
    err = _error("sites_duplicate_id.csv")
    (p,) = err.problems
    assert p.rows == (2, 3) and p.column == "site_id" and "duplicate site ids ['S1']" in p.message


def test_two_sites_for_one_kecamatan():
    err = _error("sites_two_per_kecamatan.csv")
    (p,) = err.problems
    assert p.rows == (2, 3) and "two or more sites for kecamatan Gambir (S1, S2)" in p.message


def test_kecamatan_without_a_site_is_a_warning():
    with pytest.warns(DataValidationWarning) as rec:
        sites = load_sites(FIX / "sites_ok.csv")
    text = " ".join(str(w.message) for w in rec)
    assert "5 kecamatan have no site: Senen, Cempaka Putih, Menteng, Tanah Abang, Johar Baru" in text
    assert sites.attrs["validation_warnings"]


def test_unknown_kecamatan_with_suggestion():
    err = _error("sites_unknown_kecamatan.csv")
    (p,) = err.problems
    assert p.rows == (3,) and p.column == "kecamatan"
    assert "unknown kecamatan 'Sawah Gede'" in p.message and "did you mean Sawah Besar?" in p.fix
    # the row has a point: the message says where it lies
    assert "the point of row 3 lies in kecamatan Sawah Besar" in p.message


def test_unknown_kota_lists_valid_ones():
    err = _error("sites_unknown_kota.csv")
    (p,) = err.problems
    assert p.rows == (3,) and "unknown kota/kabupaten administrasi 'Jakarta Tengah'" in p.message
    assert "Jakarta Barat, Jakarta Pusat, Jakarta Selatan, Jakarta Timur, Jakarta Utara, Kepulauan Seribu" in p.fix


def test_site_outside_the_kecamatan_it_claims():
    err = _error("sites_outside_kecamatan.csv")
    (p,) = err.problems
    assert p.rows == (3,)
    assert "site S2 lies" in p.message and "outside kecamatan Sawah Besar" in p.message
    assert "it lies in Kemayoran" in p.message


def test_empty_file():
    assert "the file is empty" in str(_error("sites_empty.csv"))


def test_header_without_rows():
    assert "header but no data rows" in str(_error("sites_header_only.csv"))


def test_windows_1252_file_is_read():
    """A CSV saved by Excel on Windows (cp1252) is decoded (issue 21; the warning naming the encoding is
    tested in test_office2_files.py): its 'é' reaches the message of its one real problem intact."""
    err = _error("sites_cp1252.csv")
    (p,) = err.problems
    assert "unknown kecamatan 'Sawah Besar (Pasar Baru é)'" in p.message


@pytest.mark.parametrize("name,text", [("sites_broken.xlsx", "not a readable .xlsx workbook"),
                                       ("sites_truncated.geojson", "cannot be read as GeoJSON")])
def test_unreadable_file(name, text):
    err = _error(name)
    assert text in str(err) and name in str(err)


def test_missing_file():
    assert "the file does not exist" in str(_error("no_such_file.csv"))


def test_all_problems_of_a_file_are_reported_at_once():
    """Row 3 has an empty coordinate and repeats id S1; row 4 names an unknown kota."""
    err = _error("sites_many_problems.csv")
    found = {(p.rows, p.column): p.message for p in err.problems}
    assert len(err.problems) == 3
    assert "the coordinate is empty" in found[((3,), "lon")]
    assert "duplicate site ids ['S1']" in found[((2, 3), "site_id")]
    assert "unknown kota/kabupaten administrasi 'Jakarta Tengah'" in found[((4,), "kota")]
    assert str(err).startswith(f"3 problem(s) in {FIX / 'sites_many_problems.csv'}")


def test_tps_file_problems_all_reported():
    err = _error("tps_bad.csv", loader=load_tps)
    by_col = {(p.column, p.rows) for p in err.problems}
    assert ("kode", (3,)) in by_col
    assert ("tps_total", (4, 5)) in by_col
    assert "31.99.01.1001" in str(err)


def test_boundaries_need_polygons(tmp_path):
    import geopandas as gpd
    pts = gpd.read_file(FIX / "sites_ok.gpkg").rename(columns={"site_id": "kode", "kecamatan": "nama"})
    pts.to_file(tmp_path / "points.gpkg")
    with pytest.raises(DataValidationError, match="the geometry is Point, expected Polygon or MultiPolygon"):
        load_boundaries("kecamatan", tmp_path / "points.gpkg")


def test_facilities_outside_dki_only_warn(tmp_path):
    f = tmp_path / "gudang.csv"
    f.write_text("name,facility_type,lon,lat\nGudang A,warehouse,106.9000,-6.1900\n"
                 "Gudang Bekasi,warehouse,107.0500,-6.3000\n", encoding="utf-8")
    with pytest.warns(DataValidationWarning, match="outside DKI Jakarta"):
        fac = load_facilities(f)
    assert len(fac) == 2  # nothing dropped
    assert fac["kecamatan"].iloc[0] == "Pulogadung"
    assert fac["kecamatan"].isna().iloc[1]


def test_libreoffice_ods_workbook():
    """A LibreOffice .ods file (tests/fixtures/office/make_ods.py) reads like the CSV it was made from."""
    office = FIX.parent / "office"
    with pytest.warns(DataValidationWarning, match="no internet value"):
        ods = load_sites(office / "sites_minimal.ods")
    with pytest.warns(DataValidationWarning, match="no internet value"):
        csv = load_sites(office / "sites_minimal.csv")
    assert len(ods) == 44
    assert ods["kecamatan_kode"].tolist() == csv["kecamatan_kode"].tolist()
    assert ods.geometry.x.round(6).tolist() == csv.geometry.x.round(6).tolist()

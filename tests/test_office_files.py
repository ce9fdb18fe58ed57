"""The loaders on input files as offices keep them (tests/fixtures/office/, written by make_office_files.py).

Every expected value is computed by hand from the shipped data (data/processed) the fixtures were
made from, or is one of the published figures (the counts, e.g. 44 PPK sites and 30,766 TPS in 267
kelurahan, are taken from data/processed here and pinned in tests/test_data.py).  Files that are cheap to make and too big or too odd to commit (more
than 10,000 rows, a GeoPackage without CRS) are written into tmp_path.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyproj
import pytest
from shapely.geometry import Point

from helpers.core import paths
from helpers.analysis.coverage.compute import compute_coverage, coverage_inputs
from helpers.io.inputs import MAX_SITE_ROWS, DataValidationError, load_facilities, load_inputs, load_sites, load_tps

OFFICE = Path(__file__).resolve().parent / "fixtures" / "office"
DATA = paths.PROCESSED


def _maker():
    """The fixture script as a module (it is not a package: loaded from its path)."""
    spec = importlib.util.spec_from_file_location("make_office_files", OFFICE / "make_office_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKER = _maker()
REF = pd.read_csv(DATA / "recap_sites.csv", dtype=str, keep_default_na=False)
REF_APPROX = REF["approximate"].eq("True")
TPS_REF = pd.read_csv(DATA / "tps_kelurahan.csv", dtype=str, keep_default_na=False)
N_SITES, N_KEL, N_TPS = len(REF), len(TPS_REF), int(TPS_REF["tps_total"].astype(int).sum())
JAKPUS = REF[REF["kota"] == "Jakarta Pusat"].reset_index(drop=True)
JAKUT = REF[REF["kota"] == "Jakarta Utara"].reset_index(drop=True)
#: The per-kota line load_tps keeps in read_notes, from the published Pemilu 2024 figures.
TPS_PER_KOTA = ("TPS per kota: Kepulauan Seribu 88; Jakarta Pusat 3,129; Jakarta Utara 4,853; Jakarta Barat 7,169; "
                "Jakarta Selatan 6,715; Jakarta Timur 8,812; total 30,766 in 267 kelurahan")


def _load(loader, path, **kw):
    """Load quietly; the warnings are asserted from ``attrs["validation_warnings"]``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return loader(path, **kw)


def _error(loader, path, **kw) -> DataValidationError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataValidationError) as info:
            loader(path, **kw)
    return info.value


def _warning(gdf, *parts: str) -> str:
    """The one warning that contains every part."""
    found = [w for w in gdf.attrs["validation_warnings"] if all(p in w for p in parts)]
    assert len(found) == 1, (parts, gdf.attrs["validation_warnings"])
    return found[0]


def _coords(gdf) -> list[tuple[float, float]]:
    return list(zip(gdf["lat"].round(6), gdf["lon"].round(6)))


def _ref_coords(ref) -> list[tuple[float, float]]:
    return list(zip(ref["lat"].astype(float).round(6), ref["lon"].astype(float).round(6)))


def _column_values(path, sheet, header_row, header) -> list:
    ws = openpyxl.load_workbook(path)[sheet]
    col = next(c.column for c in ws[header_row] if c.value == header)
    return [ws.cell(r, col).value for r in range(header_row + 1, ws.max_row + 1)]


# ---------------------------------------------------------------------------------------------
# sites_office.xlsx: title lines, No., capitals, kota spellings, notes, a JUMLAH row
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def office_sites():
    return _load(load_sites, OFFICE / "sites_office.xlsx")


def test_sites_office_units_and_ids(office_sites):
    s = office_sites
    assert len(s) == N_SITES
    assert list(s["kecamatan_kode"]) == list(REF["kecamatan_kode"])
    assert list(s["kecamatan"]) == list(REF["kecamatan"])  # written in capitals in the file
    assert list(s["site_id"]) == ["PPK-" + k for k in REF["kecamatan_kode"]] == list(REF["site_id"])
    # six spellings of the kota in the file, the official name in the result
    spellings = _column_values(OFFICE / "sites_office.xlsx", "Rekap PPK", 4, "Kota/Kabupaten Administrasi")
    assert set(spellings[:N_SITES]) == {"Kab. Adm. Kepulauan Seribu", "Kota Adm. Jakarta Pusat", "JAKARTA UTARA",
                                   "Jakbar", "Jakarta Selatan", "Kota Administrasi Jakarta Timur"}
    assert list(s["kota"]) == list(REF["kota"])
    assert list(s["kota_kode"]) == list(REF["kota_kode"])
    assert _coords(s) == _ref_coords(REF)
    assert s.crs.to_epsg() == 4326
    assert "no site id column: ids made from the kecamatan code (PPK-31.71.01, ...)" in s.attrs["read_notes"]


def test_sites_office_approximate_from_the_note(office_sites):
    s = office_sites
    assert s["approximate"].tolist() == REF_APPROX.tolist()
    assert int(s["approximate"].sum()) == 7
    # header on row 4, so data row i is spreadsheet row i + 5
    rows = [i + 5 for i in REF.index[REF_APPROX]]
    assert rows == [5, 6, 10, 27, 28, 40, 41]
    w = _warning(s, "the note says the position is approximate")
    assert w.startswith(f"sites_office.xlsx, rows {', '.join(map(str, rows))}, column 'Keterangan':")
    assert "'koordinat perkiraan (titik wilayah kecamatan)'" in w and "the site is marked approximate" in w
    # the position basis names the file, the row and the note
    assert s.loc[0, "position_basis"] == ("approximate position given in sites_office.xlsx, row 5 "
                                          "(note: koordinat perkiraan (titik wilayah kecamatan))")
    gambir = s.index[s["kecamatan"] == "Gambir"][0]
    assert s.loc[gambir, "position_basis"] == "coordinates given in sites_office.xlsx, row 7"
    assert s["position_basis"].tolist() == [
        (f"approximate position given in sites_office.xlsx, row {i + 5} (note: koordinat perkiraan "
         "(titik wilayah kecamatan))") if a else f"coordinates given in sites_office.xlsx, row {i + 5}"
        for i, a in enumerate(REF_APPROX)]


def test_sites_office_internet_ya_ada_check(office_sites):
    raw = _column_values(OFFICE / "sites_office.xlsx", "Rekap PPK", 4, "Akses Internet")[:N_SITES]
    assert set(raw) == {"Ya", "Ada", "✓"}
    assert office_sites["internet"].dtype == bool and office_sites["internet"].all()
    assert set(office_sites["internet_source"]) == {"sites_office.xlsx, column 'Akses Internet'"}


def test_sites_office_header_row_totals_row_and_read_notes(office_sites):
    s = office_sites
    notes = s.attrs["read_notes"]
    assert notes[0] == f"sheet 'Rekap PPK', header on row 4, {N_SITES} data rows"
    for line in ("'No.' -> row_number", "'Nama Lokasi' -> venue", "'Alamat' -> address", "'KEC.' -> kecamatan",
                 "'Kota/Kabupaten Administrasi' -> kota", "'Lintang' -> lat", "'Bujur' -> lon",
                 "'Akses Internet' -> internet", "'Keterangan' -> notes"):
        assert line in notes
    _warning(s, "sites_office.xlsx: the header was found on row 4; the 3 row(s) above it were skipped",
             "DAFTAR LOKASI REKAPITULASI PPK PEMILU 2024")
    assert _warning(s, "totals row").startswith("sites_office.xlsx, row 49: totals row(s) ('JUMLAH') were left out")
    assert s.attrs["source_file"].endswith("sites_office.xlsx")


def test_sites_office_venue_and_sources(office_sites):
    s = office_sites
    expected = [v if not v.startswith("(") else "(venue not given)" for v in REF["venue"]]
    assert s["venue"].tolist() == expected
    assert s["venue"].eq("(venue not given)").sum() == 1  # Jatinegara: no venue in any source
    assert s.loc[s["kecamatan"] == "Senen", "venue"].item() == "GOR Senen"
    assert set(s["location_source"]) == {"user_file"}
    assert set(s["venue_status"]) == {"user_file"}
    assert s["address"].tolist() == REF["address"].tolist()
    assert not [c for c in s.columns if c.startswith("asli: ")]  # every column of the file was recognised


# ---------------------------------------------------------------------------------------------
# sites_office_koordinat.xlsx: second sheet, merged 2-row header, Perkiraan column, extra column
# ---------------------------------------------------------------------------------------------
def test_koordinat_second_sheet_and_merged_header():
    s = _load(load_sites, OFFICE / "sites_office_koordinat.xlsx")
    notes = s.attrs["read_notes"]
    assert notes[0] == f"sheet 'Lokasi', header on row 1, {N_SITES} data rows"
    assert "'Lintang' -> lat" in notes and "'Bujur' -> lon" in notes and "'Perkiraan' -> approximate" in notes
    _warning(s, "the workbook has 2 sheets; sheet 'Lokasi' was read")
    assert _warning(s, "the header spans two rows").startswith("sites_office_koordinat.xlsx, rows 1, 2:")
    assert len(s) == N_SITES
    assert _coords(s) == _ref_coords(REF)
    assert list(s["kecamatan_kode"]) == list(REF["kecamatan_kode"])  # "Kec. Gambir" and no kota column
    assert list(s["kota"]) == list(REF["kota"])
    assert s["approximate"].tolist() == REF_APPROX.tolist()
    assert s["internet"].all()  # "Ya" and "1"
    # data start on row 3 (below the two header rows)
    assert s.loc[0, "position_basis"] == "approximate position given in sites_office_koordinat.xlsx, row 3"
    assert s.loc[2, "position_basis"] == "coordinates given in sites_office_koordinat.xlsx, row 5"
    assert s["asli: Petugas"].tolist() == [f"Petugas {i}" for i in range(1, 45)]
    _warning(s, "column 'Petugas': the column 'Petugas' is not one the toolkit reads; it is kept as 'asli: Petugas'")


@pytest.mark.parametrize("sheet", ["Lokasi", "lokasi", 2, "2"])
def test_koordinat_sheet_parameter(sheet):
    s = _load(load_sites, OFFICE / "sites_office_koordinat.xlsx", sheet=sheet)
    assert len(s) == N_SITES and list(s["kecamatan_kode"]) == list(REF["kecamatan_kode"])
    assert s.attrs["read_notes"][0] == f"sheet 'Lokasi', header on row 1, {N_SITES} data rows"
    assert not [w for w in s.attrs["validation_warnings"] if "sheets" in w]  # chosen, so no note about it


@pytest.mark.parametrize("sheet, message", [
    ("Data", "there is no sheet 'Data'; the sheets are: Sampul, Lokasi"),
    (3, "sheet number 3 does not exist; the workbook has 2 sheet(s): Sampul, Lokasi"),
])
def test_koordinat_wrong_sheet_lists_the_sheets(sheet, message):
    err = _error(load_sites, OFFICE / "sites_office_koordinat.xlsx", sheet=sheet)
    (p,) = err.problems
    assert p.message == message
    assert p.file == "sites_office_koordinat.xlsx"


# ---------------------------------------------------------------------------------------------
# sites_minimal.csv: kecamatan + Koordinat only
# ---------------------------------------------------------------------------------------------
def test_minimal_csv():
    s = _load(load_sites, OFFICE / "sites_minimal.csv")
    assert len(s) == N_SITES
    assert list(s["kecamatan_kode"]) == list(REF["kecamatan_kode"])
    assert list(s["kota"]) == list(REF["kota"])
    assert _coords(s) == _ref_coords(REF)
    assert s["internet"].all()
    assert set(s["internet_source"]) == {"assumed: sites_minimal.csv gives no internet value"}
    assert _warning(s, "no internet value").startswith(
        "sites_minimal.csv, column 'internet': no internet value in the file; every site is taken to have internet")
    assert set(s["venue"]) == {"(venue not given)"}
    assert not s["approximate"].any()
    assert s.attrs["read_notes"] == ["'Kecamatan' -> kecamatan", "'Koordinat' -> coordinates",
                                     "no site id column: ids made from the kecamatan code (PPK-31.71.01, ...)"]


# ---------------------------------------------------------------------------------------------
# sites_office_bad.xlsx: the faults of BAD_SITES_FAULTS, all at once
# ---------------------------------------------------------------------------------------------
def test_bad_sites_every_fault_once_in_row_order():
    err = _error(load_sites, OFFICE / "sites_office_bad.xlsx")
    faults = MAKER.BAD_SITES_FAULTS
    assert len(err.problems) == len(faults) == 6
    assert all(p.severity == "error" and p.file == "sites_office_bad.xlsx" for p in err.problems)
    # each fault row is named by exactly one problem; the duplicate also names its first row (4)
    for row in faults:
        assert sum(row in p.rows for p in err.problems) == 1, row
    assert [p.rows for p in err.problems] == [(4, 9), (5,), (6,), (7,), (8,), (10,)]
    assert [p.rows[0] for p in err.problems] == sorted(p.rows[0] for p in err.problems)
    headers = {"Nama Lokasi", "Kecamatan", "Kota", "Latitude", "Longitude", "Internet"}
    assert [p.column for p in err.problems] == ["Kecamatan", "Kecamatan", "Kota", "Longitude/Latitude", "Latitude",
                                                "Internet"]
    assert all(set(p.column.split("/")) <= headers for p in err.problems)
    by_row = {p.rows[-1]: p for p in err.problems}
    assert by_row[5].message.startswith("unknown kecamatan 'KEBAYORAN LMA'")
    assert "lies in kecamatan Kebayoran Lama" in by_row[5].message
    assert by_row[5].fix.startswith("did you mean Kebayoran Lama")
    assert by_row[6].message == "unknown kota/kabupaten administrasi 'Jakarta Tengah'"
    assert "latitude and longitude look swapped" in by_row[7].message
    assert by_row[8].message == "the coordinate is empty"
    assert by_row[9].message.startswith("two or more sites for kecamatan Gambir")
    assert by_row[10].message == "not a yes/no value (mungkin)"
    # the message a person reads: file, row, the header of the file
    text = str(err)
    assert text.splitlines()[0].endswith("6 problem(s) in " + str(OFFICE / "sites_office_bad.xlsx") + ":")
    assert "sites_office_bad.xlsx, row 5, column 'Kecamatan': unknown kecamatan 'KEBAYORAN LMA'" in text
    assert "row 11" not in text  # the decimal comma of row 11 is read, not an error


# ---------------------------------------------------------------------------------------------
# the columns parameter
# ---------------------------------------------------------------------------------------------
COLUMNS = {"Lokasi PPK": "venue", "Wil": "kecamatan", "Keadaan": "internet"}


def test_unknown_headers_without_columns_are_an_error():
    err = _error(load_sites, OFFICE / "sites_columns.xlsx")
    (p,) = err.problems  # "Lat." and "Long." are recognised; the kecamatan is not
    assert p.column == "kecamatan"
    assert p.message == ("required column 'Kecamatan' (kecamatan) or 'Kode Kecamatan' (kecamatan_kode) is missing "
                         "(columns found: Lokasi PPK, Wil, Lat., Long., Keadaan)")


@pytest.mark.parametrize("columns", [COLUMNS, {"lokasi ppk": "venue", "WIL": "kecamatan", "keadaan": "internet",
                                               "Lat.": "lat", "Long.": "lon"}])
def test_columns_parameter_maps_the_headers(columns):
    s = _load(load_sites, OFFICE / "sites_columns.xlsx", columns=columns)
    assert len(s) == 8
    assert list(s["kecamatan_kode"]) == list(JAKPUS["kecamatan_kode"])
    assert s["venue"].tolist() == JAKPUS["venue"].tolist()
    assert _coords(s) == _ref_coords(JAKPUS)
    assert s["internet"].all() and set(s["internet_source"]) == {"sites_columns.xlsx, column 'Keadaan'"}
    notes = s.attrs["read_notes"]
    assert "'Wil' -> kecamatan (from the columns parameter)" in notes
    assert "'Lokasi PPK' -> venue (from the columns parameter)" in notes
    assert not [c for c in s.columns if c.startswith("asli: ")]
    assert not [w for w in s.attrs["validation_warnings"] if "not one the toolkit reads" in w]


def test_columns_header_not_in_the_file_lists_the_headers():
    err = _error(load_sites, OFFICE / "sites_columns.xlsx", columns={"Lokasi PPK": "venue", "Wilayah": "kecamatan"})
    (p,) = err.problems
    assert p.message == ("the column 'Wilayah' named in columns is not in the file; its headers are: "
                         "Lokasi PPK, Wil, Lat., Long., Keadaan")


def test_columns_unknown_field_lists_the_fields():
    err = _error(load_sites, OFFICE / "sites_columns.xlsx", columns={"Wil": "kec"})
    (p,) = err.problems
    assert p.message.startswith("columns maps 'Wil' to 'kec', which is not a field of a sites file; fields: ")
    listed = p.message.split("fields: ")[1].split(", ")
    for name in ("venue", "kecamatan", "kecamatan_kode", "kota", "lat", "lon", "coordinates", "internet",
                 "approximate", "notes"):
        assert name in listed


def test_columns_and_sheet_per_kind_in_load_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_inputs(sites_path=OFFICE / "sites_columns.xlsx", tps_path=OFFICE / "tps_office.xlsx",
                           expect_all_sites=False, columns={"sites": COLUMNS, "tps": {"Kode Wilayah": "ignore"}},
                           sheet={"sites": "Lokasi", "tps": 1})
    assert list(data.sites["kecamatan_kode"]) == list(JAKPUS["kecamatan_kode"])
    # the TPS rows matched by name (capitals), kecamatan and kota without the code column
    assert len(data.tps) == N_KEL and int(data.tps["tps_total"].sum()) == N_TPS
    assert "tps (tps_office.xlsx): 'Kelurahan' -> kelurahan" in data.notes
    assert not [n for n in data.notes if "'Kode Wilayah' ->" in n]


# ---------------------------------------------------------------------------------------------
# facilities_office.xlsx
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def office_facilities():
    return _load(load_facilities, OFFICE / "facilities_office.xlsx")


def test_facilities_types(office_facilities):
    f = office_facilities
    assert f["name"].tolist() == ["Gudang Logistik KPU Jakarta Pusat (kantor camat Gambir)",
                                  "Gudang Logistik PPK Cakung (kantor camat Cakung)",
                                  "Sekretariat Panwaslu Kecamatan Menteng (kantor camat)",
                                  "Sekretariat PPK Senen (kantor camat)", "Rumah dinas camat Tanah Abang"]
    assert f["facility_type"].tolist() == ["warehouse", "warehouse", "bawaslu_secretariat", "ppk_office", "other"]
    assert f["type_given"].tolist() == ["Gudang Logistik", "gudang", "Sekretariat Bawaslu", "Sekretariat PPK",
                                        "Rumah dinas"]
    w = _warning(f, "unknown facility types")
    assert w.startswith("facilities_office.xlsx, row 8, column 'Jenis': unknown facility types 'Rumah dinas'; "
                        "kept as 'other'")
    # no id column: file name and spreadsheet row (header on row 3)
    assert f["facility_id"].tolist() == [f"facilities_office-{r}" for r in range(4, 9)]
    notes = f.attrs["read_notes"]
    assert notes[0] == "sheet 'Fasilitas', header on row 3, 5 data rows"
    assert "'Jenis' -> facility_type" in notes and "'Koordinat' -> coordinates" in notes


def test_facilities_hidden_row_and_approximate_note(office_facilities):
    f = office_facilities
    ws = openpyxl.load_workbook(OFFICE / "facilities_office.xlsx")["Fasilitas"]
    assert ws.row_dimensions[7].hidden and ws.cell(7, 2).value == "Sekretariat PPK Senen (kantor camat)"
    assert _warning(f, "hidden").startswith("facilities_office.xlsx, row 7: these rows are hidden in the workbook; "
                                            "they were read like the others")
    assert "Sekretariat PPK Senen (kantor camat)" in f["name"].tolist()
    assert f["approximate"].tolist() == [False, False, False, False, True]
    assert _warning(f, "approximate").startswith("facilities_office.xlsx, row 8, column 'Keterangan': the note says "
                                                 "the position is approximate")


def test_facilities_units_by_position(office_facilities):
    f = office_facilities
    kec = ["Gambir", "Cakung", "Menteng", "Senen", "Tanah Abang"]
    ref = REF.set_index("kecamatan").loc[kec]
    assert [(round(p.y, 6), round(p.x, 6)) for p in f.geometry] == _ref_coords(ref)
    assert f["kecamatan"].tolist() == kec
    assert f["kecamatan_kode"].tolist() == ref["kecamatan_kode"].tolist()
    assert f["kota"].tolist() == ["Jakarta Pusat", "Jakarta Timur", "Jakarta Pusat", "Jakarta Pusat", "Jakarta Pusat"]
    # the kelurahan: the polygon of the shipped boundaries that holds the point
    kel = gpd.read_file(DATA / "boundaries_kelurahan.geojson")
    expected = [kel.loc[kel.contains(Point(p.x, p.y)), "kode"].item() for p in f.geometry]
    assert f["kelurahan_kode"].tolist() == expected
    assert f["kelurahan"].tolist() == ["Petojo Selatan", "Cakung Barat", "Menteng", "Kwitang", "Kebon Melati"]
    assert all(k.startswith(c + ".") for k, c in zip(f["kelurahan_kode"], f["kecamatan_kode"]))
    assert not [w for w in f.attrs["validation_warnings"] if "another kecamatan" in w]


# ---------------------------------------------------------------------------------------------
# tps_office.xlsx
# ---------------------------------------------------------------------------------------------
def _tps_total_rows() -> list[int]:
    """Spreadsheet rows of the totals in tps_office.xlsx: header on row 3, a subtotal after each kota."""
    rows, r = [], 4
    for _, grp in TPS_REF.groupby("kota", sort=False):
        r += len(grp)
        rows.append(r)
        r += 1
    return rows + [r]


def test_tps_office():
    t = _load(load_tps, OFFICE / "tps_office.xlsx")
    assert len(t) == N_KEL and int(t["tps_total"].sum()) == N_TPS
    raw = _column_values(OFFICE / "tps_office.xlsx", "TPS", 3, "Kode Wilayah")
    codes = [c for c in raw if c]
    assert len(codes) == N_KEL and all(c.isdigit() and len(c) == 10 for c in codes)  # no dots in the file
    names = [n for n in _column_values(OFFICE / "tps_office.xlsx", "TPS", 3, "Kelurahan") if n]
    assert all(n == n.upper() for n in names)
    ref = TPS_REF.set_index("kode")
    got = t.set_index("kode")
    assert sorted(got.index) == sorted(ref.index)  # with dots, as Kemendagri writes them
    assert (got["tps_total"] == ref.loc[got.index, "tps_total"].astype(int)).all()
    assert (got["nama"] == ref.loc[got.index, "nama"]).all()  # official spelling, not capitals
    totals = _tps_total_rows()
    assert totals == [10, 55, 87, 144, 210, 276, 277]
    assert _warning(t, "totals row").startswith(
        f"tps_office.xlsx, rows {', '.join(map(str, totals))}: totals row(s) ('JUMLAH KEPULAUAN SERIBU') were left out")
    assert t.attrs["read_notes"][0] == f"sheet 'TPS', header on row 3, {N_KEL} data rows"
    assert t.attrs["read_notes"][-1] == TPS_PER_KOTA
    per_kota = t.groupby("kota")["tps_total"].sum().to_dict()
    assert per_kota == {"Kepulauan Seribu": 88, "Jakarta Pusat": 3_129, "Jakarta Utara": 4_853,
                        "Jakarta Barat": 7_169, "Jakarta Selatan": 6_715, "Jakarta Timur": 8_812}


def test_tps_office_bad_every_fault():
    err = _error(load_tps, OFFICE / "tps_office_bad.xlsx")
    faults = MAKER.BAD_TPS_FAULTS
    named = sorted({r for p in err.problems for r in p.rows})
    assert named == sorted({*faults, 4})  # row 4 is the first of the repeated kelurahan
    assert [(p.rows, p.column) for p in err.problems] == [((4, 9), "Kode Wilayah"), ((5,), "Kode Wilayah"),
                                                           ((7, 10), "Jumlah TPS"), ((11,), "Kecamatan")]
    assert err.problems[0].message == "kelurahan listed more than once '31.71.01.1001'"
    assert err.problems[1].message == "unknown kelurahan codes '3171019999'"
    assert err.problems[2].message == "not a whole number >= 0 ('dua puluh', '-3')"
    assert err.problems[3].message == "the kelurahan does not lie in the kecamatan given"


# ---------------------------------------------------------------------------------------------
# odd files
# ---------------------------------------------------------------------------------------------
def test_csv_with_a_title_line_and_trailing_separator_rows():
    s = _load(load_sites, OFFICE / "sites_title_line.csv")
    assert len(s) == 6  # the trailing ";;;" rows are not sites
    assert list(s["kecamatan_kode"]) == list(JAKUT["kecamatan_kode"])
    assert _coords(s) == _ref_coords(JAKUT)
    assert s.attrs["read_notes"][0] == "header on row 3, 6 data rows"
    _warning(s, "sites_title_line.csv: the header was found on row 3; the 2 row(s) above it were skipped "
                "('DAFTAR LOKASI PPK JAKARTA UTARA')")
    assert s["position_basis"].tolist() == [f"coordinates given in sites_title_line.csv, row {r}" for r in range(4, 10)]


def test_xlsx_with_an_empty_first_sheet():
    s = _load(load_sites, OFFICE / "sites_empty_first_sheet.xlsx")
    assert list(s["kecamatan_kode"]) == list(JAKPUS["kecamatan_kode"])
    assert s.attrs["read_notes"][0] == "sheet 'Data', header on row 1, 8 data rows"
    _warning(s, "the workbook has 2 sheets; sheet 'Data' was read")


def test_xlsx_with_trailing_empty_formatted_rows():
    s = _load(load_sites, OFFICE / "sites_trailing_empty.xlsx")
    assert len(s) == 8 and list(s["kecamatan_kode"]) == list(JAKPUS["kecamatan_kode"])
    assert s.attrs["read_notes"][0] == "sheet 'PPK', header on row 1, 8 data rows"
    assert s.attrs["validation_warnings"] == []


def test_workbook_without_a_header_row_is_a_missing_column_error():
    err = _error(load_sites, OFFICE / "sites_no_header.xlsx")
    assert [p.column for p in err.problems] == ["kecamatan", "lat", "lon"]
    found = "(columns found: Gambir, -6.170687, 106.819062, Ya)"
    assert err.problems[0].message == ("required column 'Kecamatan' (kecamatan) or 'Kode Kecamatan' (kecamatan_kode) "
                                       f"is missing {found}")
    assert err.problems[1].message == f"required column 'Lintang' (lat) or 'Koordinat' (coordinates) is missing {found}"


def test_geopackage_without_crs_in_metres_names_the_likely_crs(tmp_path):
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32748", always_xy=True)
    x, y = to_utm.transform(JAKPUS["lon"].astype(float).to_numpy(), JAKPUS["lat"].astype(float).to_numpy())
    path = tmp_path / "sites_utm.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio: "'crs' was not provided"
        gpd.GeoDataFrame({"kecamatan": JAKPUS["kecamatan"]}, geometry=gpd.points_from_xy(x, y)).to_file(
            path, driver="GPKG", engine="pyogrio")
    assert gpd.read_file(path).crs is None
    err = _error(load_sites, path)
    (p,) = err.problems
    assert p.message.startswith("the file declares no CRS and its coordinates look like metres")
    assert "EPSG:32748" in p.message and "EPSG:3857" in p.message


def test_coordinates_as_text_with_a_decimal_comma():
    path = OFFICE / "sites_decimal_comma.xlsx"
    ws = openpyxl.load_workbook(path).active
    assert ws["B2"].value == JAKPUS.loc[0, "lat"].replace(".", ",") and ws["B2"].data_type == "s"
    s = _load(load_sites, path)
    assert _coords(s) == _ref_coords(JAKPUS)
    assert _warning(s, "decimal comma").startswith(
        "sites_decimal_comma.xlsx, rows 2, 3, 4, column 'Lintang/Bujur': coordinates written with a decimal comma "
        "were read as decimals")


def test_more_than_twenty_bad_rows_are_capped():
    err = _error(load_sites, OFFICE / "sites_many_bad_rows.csv")
    (p,) = err.problems
    assert p.rows == tuple(range(2, 46))  # every row is kept in the problem
    shown = ", ".join(str(r) for r in range(2, 22))
    assert str(p) == (f"sites_many_bad_rows.csv, rows {shown} and 24 more, column 'Internet': not a yes/no value "
                      "(belum dicek). Fix: write true/false (or ya/tidak, 1/0)")
    assert ", 22" not in str(err)


def test_more_than_max_site_rows_refused_early(tmp_path):
    path = tmp_path / "tps_as_sites.csv"
    lines = ["Kecamatan,Lintang,Bujur"]
    body = [f"{r.kecamatan},{r.lat},{r.lon}" for r in REF.itertuples()]
    while len(lines) <= MAX_SITE_ROWS + 1:
        lines += body
    lines = lines[:MAX_SITE_ROWS + 2]  # header + 10,001 rows
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _error(load_sites, path)
    (p,) = err.problems  # no duplicate-kecamatan errors: refused before any check
    assert MAX_SITE_ROWS == 10_000
    # refused by its line count before it is parsed (issue 21, helpers.io.filecheck)
    assert p.message == ("the file has about 10,001 rows, above the 10,000 of a sites file (a sites file lists one "
                         "PPK site per kecamatan); it was not read")
    assert "tps_path or facilities_path" in p.fix


def test_user_columns_never_clash_and_write_to_geopackage(tmp_path):
    s = _load(load_sites, OFFICE / "sites_extra_columns.xlsx")
    assert len(s) == 8 and list(s["kecamatan_kode"]) == list(JAKPUS["kecamatan_kode"])
    extra = [c for c in s.columns if c.startswith("asli: ")]
    assert len(extra) == 2
    assert len({c.lower() for c in s.columns}) == len(s.columns)  # distinct also without case
    values = sorted(tuple(s[c]) for c in extra)
    assert values == [tuple(f"catatan A-{i}" for i in range(1, 9)), tuple(f"catatan B-{i}" for i in range(1, 9))]
    assert extra[0] == "asli: Catatan Petugas" and s[extra[0]].iloc[0] == "catatan A-1"
    out = tmp_path / "x.gpkg"
    s.to_file(out, driver="GPKG", engine="pyogrio")
    back = gpd.read_file(out, engine="pyogrio")
    assert len(back) == 8
    for c in extra:
        assert back[c].tolist() == s[c].tolist()
    assert back["kecamatan_kode"].tolist() == s["kecamatan_kode"].tolist()


# ---------------------------------------------------------------------------------------------
# all inputs at once
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def office_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_inputs(sites_path=OFFICE / "sites_office.xlsx", facilities_path=OFFICE / "facilities_office.xlsx",
                           tps_path=OFFICE / "tps_office.xlsx")


def test_load_inputs_notes_mention_each_file(office_inputs):
    notes = office_inputs.notes
    for what, name in (("sites", "sites_office.xlsx"), ("facilities", "facilities_office.xlsx"),
                       ("tps", "tps_office.xlsx")):
        assert any(n.startswith(f"{what} ({name}): ") for n in notes), what
    assert f"sites (sites_office.xlsx): sheet 'Rekap PPK', header on row 4, {N_SITES} data rows" in notes
    assert "facilities (facilities_office.xlsx): 'Jenis' -> facility_type" in notes
    assert f"tps (tps_office.xlsx): {TPS_PER_KOTA}" in notes
    warns = office_inputs.warnings
    assert any(w.startswith("facilities_office.xlsx, row 7: these rows are hidden") for w in warns)
    assert any(w.startswith("sites_office.xlsx, row 49: totals row(s)") for w in warns)
    assert len(office_inputs.sites) == N_SITES and int(office_inputs.tps["tps_total"].sum()) == N_TPS


def test_load_inputs_adds_the_user_facilities_to_the_offices(office_inputs):
    fac = office_inputs.facilities
    shipped = gpd.read_file(DATA / "facilities_offices.geojson")
    assert len(fac) == len(shipped) + 5
    offices = fac[fac["location_source"] == "office_points"]
    user = fac[fac["location_source"] == "user_file"]
    assert sorted(offices["facility_id"]) == sorted(shipped["facility_id"])
    assert user["facility_id"].tolist() == [f"facilities_office-{r}" for r in range(4, 9)]
    assert user["facility_type"].tolist() == ["warehouse", "warehouse", "bawaslu_secretariat", "ppk_office", "other"]
    assert user["type_given"].tolist() == ["Gudang Logistik", "gudang", "Sekretariat Bawaslu", "Sekretariat PPK",
                                           "Rumah dinas"]
    assert fac.crs.to_epsg() == 4326


# ---------------------------------------------------------------------------------------------
# warehouses from the user's facilities
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def coverage_with_warehouses():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_inputs(facilities_path=OFFICE / "facilities_office.xlsx")
    return compute_coverage(**coverage_inputs(data))


def test_known_warehouses_close_their_kota_gap(coverage_with_warehouses):
    r = coverage_with_warehouses
    gaps = r.gaps[r.gaps["kind"] == "no_warehouse_position"]
    # without the user's file all six kota have the gap; the two warehouses lie in 31.71 and 31.75
    assert sorted(gaps["kota_kode"]) == ["31.01", "31.72", "31.73", "31.74"]
    known = r.kota.set_index("kota")["n_warehouse_positions_known"]
    assert known["Jakarta Pusat"] == 1 and known["Jakarta Timur"] == 1 and known["Jakarta Utara"] == 0


def test_shipped_inputs_have_a_warehouse_gap_in_every_kota():
    data = load_inputs()
    r = compute_coverage(**coverage_inputs(data))
    assert sorted(r.gaps.loc[r.gaps["kind"] == "no_warehouse_position", "kota_kode"]) == sorted(data.kota["kode"])


def test_nearest_warehouse_distances(coverage_with_warehouses):
    st = coverage_with_warehouses.sites.set_index("kecamatan")
    assert st.loc["Gambir", "nearest_warehouse_id"] == "facilities_office-4"
    assert st.loc["Gambir", "nearest_warehouse"] == "Gudang Logistik KPU Jakarta Pusat (kantor camat Gambir)"
    assert st.loc["Gambir", "nearest_warehouse_km"] == 0.0  # the same point
    assert st.loc["Cakung", "nearest_warehouse_id"] == "facilities_office-5"
    assert st.loc["Cakung", "nearest_warehouse_km"] == 0.0
    geod = pyproj.Geod(ellps="WGS84")
    ref = REF.set_index("kecamatan")
    for kec, warehouse in (("Kemayoran", "Gambir"), ("Pasar Rebo", "Cakung"), ("Jagakarsa", "Gambir")):
        *_, metres = geod.inv(float(ref.at[kec, "lon"]), float(ref.at[kec, "lat"]),
                              float(ref.at[warehouse, "lon"]), float(ref.at[warehouse, "lat"]))
        assert st.loc[kec, "nearest_warehouse_id"] == f"facilities_office-{4 if warehouse == 'Gambir' else 5}"
        assert st.loc[kec, "nearest_warehouse_km"] == pytest.approx(metres / 1000, rel=0.005), kec


# ---------------------------------------------------------------------------------------------
# fixed after the first review (each reproduced by its fixture before the fix)
# ---------------------------------------------------------------------------------------------
def test_csv_title_line_without_separators():
    """A title line with one field above a comma-separated table (pandas stopped at line 2)."""
    s = _load(load_sites, OFFICE / "sites_title_line_plain.csv")
    assert len(s) == 6 and set(s["kota"]) == {"Jakarta Utara"}
    assert any("header on row 2" in n for n in s.attrs["read_notes"])


def test_geojson_without_crs_in_metres_names_the_likely_crs():
    """GDAL reads a GeoJSON without a "crs" member as EPSG:4326; metres must not become 'outside DKI'."""
    err = _error(load_sites, OFFICE / "sites_utm_no_crs.geojson")
    (p,) = err.problems
    assert "look like metres" in p.message and "EPSG:32748" in p.message and "EPSG:3857" in p.message
    assert "outside DKI" not in str(err)


def test_extra_column_names_are_what_the_warning_says():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = load_sites(OFFICE / "sites_extra_columns.xlsx")
    extra = [c for c in s.columns if c.startswith("asli: ")]
    assert extra == ["asli: Catatan Petugas", "asli: CATATAN PETUGAS (2)"]
    said = [str(w.message) for w in caught if "is kept as" in str(w.message)]
    assert len(said) == 2 and all(any(f"kept as '{c}'" in m for m in said) for c in extra)


def test_ignore_in_columns_skips_the_column():
    s = _load(load_sites, OFFICE / "sites_columns.xlsx",
              columns={"Lokasi PPK": "ignore", "Wil": "kecamatan", "Keadaan": "internet"})
    assert "asli: Lokasi PPK" not in s.columns and not [c for c in s.columns if c.startswith("asli: ")]
    assert "'Lokasi PPK' skipped (columns parameter)" in s.attrs["read_notes"]
    assert set(s["venue"]) == {"(venue not given)"}


def test_coordinates_in_degrees_minutes_seconds(tmp_path):
    """GPS-style coordinates (6°10'14.5"S, 106°49'8.6"BT), in two columns or one pair, are converted
    with a warning; the sign follows the hemisphere (S/LS south, W/BB west)."""
    from helpers.io.coords import dms_degrees

    # the kantor camat points of Gambir and Sawah Besar (recap_sites.csv), written as DMS by hand:
    # -6.170687 = 6° 10' 14.47" S, 106.819062 = 106° 49' 8.62" E; -6.151537 = 6° 9' 5.53" S,
    # 106.827796 = 106° 49' 40.07" E
    rows = [("Gambir", "6°10'14.47\"S", "106°49'8.62\"BT"), ("Sawah Besar", "6° 9' 5.53\" LS", "106° 49' 40.07\" E")]
    path = tmp_path / "dms.csv"
    path.write_text("Kecamatan;Lintang;Bujur\n" + "".join(f"{k};{a};{b}\n" for k, a, b in rows), encoding="utf-8")
    s = _load(load_sites, path, expect_all=False)
    assert s.geometry.y.round(5).tolist() == [-6.17069, -6.15154]
    assert s.geometry.x.round(5).tolist() == [106.81906, 106.8278]
    assert any("degrees, minutes and seconds were converted" in w for w in s.attrs["validation_warnings"])
    pair = tmp_path / "dms_pair.csv"
    pair.write_text("Kecamatan;Koordinat\n" + "".join(f"{k};{a} {b}\n" for k, a, b in rows), encoding="utf-8")
    p = _load(load_sites, pair, expect_all=False)
    assert p.geometry.y.round(5).tolist() == [-6.17069, -6.15154]
    assert dms_degrees("6°10'14.47\"LU") == 6.170686 and dms_degrees("106°49'8.62\"BB") == -106.819061

"""Office files, round two (issue 21): footer lines, encodings, KML/KMZ, the size guard, headers, sources.

The files of tests/fixtures/office2 are made by make_office2_files.py (positions and counts from the
project's own data; see its docstring); small variants are written into tmp_path.  Expected values are
taken from those files and the national layer by hand: Maluku Utara has 118 kecamatan, 1,180 desa and
4,174 placed TPS; Halmahera Timur 10 kecamatan; Jakarta Pusat 8 kecamatan (data/processed).
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from helpers.core import paths
from helpers.io import filecheck
from helpers.io.inputs import DataValidationError, load_facilities, load_sites, load_tps
from helpers.io.province import province_layers
from helpers.maps.sources import facility_sources

OFFICE2 = Path(__file__).resolve().parent / "fixtures" / "office2"
REF = pd.read_csv(paths.PROCESSED / "recap_sites.csv", dtype=str, keep_default_na=False)
JAKPUS = REF[REF["kota"] == "Jakarta Pusat"].reset_index(drop=True)
HEAD = "site_id,kecamatan,kota,lon,lat,internet\n"
GAMBIR = "S1,Gambir,Jakarta Pusat,106.819062,-6.170687,true\n"
SAWAH = "S2,Sawah Besar,Jakarta Pusat,106.827796,-6.151537,true\n"
KEMAYORAN = "S3,Kemayoran,Jakarta Pusat,106.863983,-6.156327,true\n"


@pytest.fixture(scope="module")
def malut():
    return province_layers("82")


def _load(loader, path, **kw):
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
    found = [w for w in gdf.attrs["validation_warnings"] if all(p in w for p in parts)]
    assert len(found) == 1, (parts, gdf.attrs["validation_warnings"])
    return found[0]


# ---------------------------------------------------------------------------------------------
# 2. footer and note lines
# ---------------------------------------------------------------------------------------------
def test_a_footer_block_under_the_table_is_skipped_and_quoted():
    s = _load(load_sites, OFFICE2 / "lokasi_ppk_jakpus_footer.xlsx", expect_all=False)
    assert s["kecamatan_kode"].tolist() == JAKPUS["kecamatan_kode"].tolist()  # the 8 sites, nothing more
    w = _warning(s, "note or footer line(s) were skipped")
    # title row 1, empty row 2, header row 3, sites 4-11; the footer 12-18 (row 14 is empty)
    assert w.startswith("lokasi_ppk_jakpus_footer.xlsx, rows 12, 13, 15, 16, 17, 18: ")
    for quoted in ("row 12 'Keterangan:'", "row 13 '*) lokasi rekapitulasi sesuai SK KPU Kota Jakarta Pusat'",
                   "row 15 'Jakarta, 14 Februari 2024'", "row 16 'Ketua PPK Kecamatan Gambir'",
                   "row 17 '( ........................ )'", "row 18 'NIP. 19750505 200003 1 002'"):
        assert quoted in w, quoted


def test_a_real_row_after_the_footer_is_still_checked():
    err = _error(load_sites, OFFICE2 / "lokasi_ppk_jakpus_footer_bad.xlsx", expect_all=False)
    (p,) = err.problems  # the site after the footer (row 18), not the footer lines 11-17
    assert (p.rows, p.column, p.message) == ((18,), "Lintang", "the coordinate is empty")


def test_a_note_between_rows_and_a_source_line(tmp_path):
    f = tmp_path / "sites.csv"
    f.write_text(HEAD + GAMBIR + "Catatan: dua lokasi berikut menyusul,,,,,\n" + SAWAH + KEMAYORAN
                 + "Sumber: KPU Kota Jakarta Pusat,,,,,\n", encoding="utf-8")
    s = _load(load_sites, f, expect_all=False)
    assert s["site_id"].tolist() == ["S1", "S2", "S3"]
    assert _warning(s, "note or footer").startswith("sites.csv, rows 3, 6: note or footer line(s) were skipped: "
                                                     "row 3 'Catatan: dua lokasi berikut menyusul'; "
                                                     "row 6 'Sumber: KPU Kota Jakarta Pusat'")


def test_unit_names_that_begin_like_a_note_are_data(tmp_path):
    """Hundreds of desa are called Sumber ... or Kepala ...: a row naming one is data, even without coordinates."""
    f = tmp_path / "tps.csv"
    f.write_text("Kelurahan,Jumlah TPS\nGambir,61\nKepala Sungai,\nSumber Jaya,3\n", encoding="utf-8")
    err = _error(load_tps, f)
    assert [(p.rows, p.column) for p in err.problems] == [((3, 4), "Kelurahan"), ((3,), "Jumlah TPS")]


def test_the_footer_of_a_windows_csv(malut):
    f = _load(load_facilities, OFFICE2 / "fasilitas_malut_windows.csv", kelurahan=malut.kelurahan, kota=malut.kota)
    assert len(f) == 4
    w = _warning(f, "note or footer")
    assert w.startswith("fasilitas_malut_windows.csv, rows 7, 8, 10, 11, 12, 13, 14, 15: ")
    assert "row 11 'Mengetahui,'" in w and "row 13 '(ttd)'" in w and "row 15 'NIP. 19800101 200501 1 001'" in w


# ---------------------------------------------------------------------------------------------
# 3. encodings
# ---------------------------------------------------------------------------------------------
VENUE = "Gedung Serba Guna – Lantai 2 (café)"
ENCODINGS = [("utf-8", ",", None), ("utf-8-sig", ",", None),
             ("cp1252", ",", "Windows-1252 (Excel 'CSV (Comma delimited)' on Windows)"),
             ("latin-1", ";", "Windows-1252"), ("utf-16", "\t", "UTF-16 (Excel 'Unicode Text')")]


@pytest.mark.parametrize("encoding,sep,named", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_csv_in_each_encoding(tmp_path, encoding, sep, named):
    venue = VENUE if encoding != "latin-1" else VENUE.replace("–", "-")  # Latin-1 has no en dash
    rows = ["Kecamatan,Nama Lokasi,Lintang,Bujur", f"Gambir,{venue},-6.170687,106.819062",
            "SAWAH BESAR,Kantor Camat,-6.151537,106.827796"]
    f = tmp_path / "sites.csv"
    f.write_bytes(("\r\n".join(r.replace(",", sep) for r in rows) + "\r\n").encode(encoding))
    s = _load(load_sites, f, expect_all=False)
    assert s["venue"].tolist() == [venue, "Kantor Camat"]
    assert s["kecamatan_kode"].tolist() == ["31.71.01", "31.71.02"]
    said = [w for w in s.attrs["validation_warnings"] if "not UTF-8" in w]
    if named is None:
        assert said == []
    else:
        (w,) = said
        assert w.startswith(f"sites.csv: the file is not UTF-8 text; it was read as {named}")


def test_a_binary_file_named_csv_is_refused(tmp_path):
    f = tmp_path / "sites.csv"
    f.write_bytes(bytes(range(256)) * 40)
    (p,) = _error(load_sites, f).problems
    assert p.message.startswith("the file is not text") and "xlsx" in p.fix


# ---------------------------------------------------------------------------------------------
# 4. KML and KMZ
# ---------------------------------------------------------------------------------------------
def test_gdal_here_reads_kml_and_kmz():
    assert {"LIBKML", "KML"} <= set(pyogrio.list_drivers())
    assert pyogrio.read_info(OFFICE2 / "lokasi_ppk_malut.kmz")["driver"] == "LIBKML"


def test_my_maps_kmz_of_a_province(malut):
    s = _load(load_sites, OFFICE2 / "lokasi_ppk_malut.kmz", kecamatan=malut.kecamatan, kota=malut.kota,
              expect_all=False)
    assert len(s) == 118 and s["kecamatan_kode"].tolist() == sorted(malut.kecamatan["kode"])
    by_code = s.set_index("kecamatan_kode")
    assert by_code.at["82.06.02", "venue"] == "PPK Maba" and by_code.at["82.06.10", "venue"] == "PPK Kota Maba"
    assert sorted(s.loc[~s["internet"], "kecamatan_kode"]) == ["82.01.02", "82.06.10"]
    assert s["approximate"].all()  # the note says "koordinat perkiraan"
    n = sorted(malut.kecamatan["kode"]).index("82.06.10") + 1  # placemarks in kecamatan code order
    assert by_code.at["82.06.10", "position_basis"] == (
        f"approximate position given in lokasi_ppk_malut.kmz, placemark {n} (note: koordinat perkiraan (titik di "
        "dalam wilayah kecamatan; lokasi uji))")
    assert s.attrs["read_notes"][0] == ("118 placemarks in 1 folder(s) ('Lokasi Rekapitulasi PPK' 118); placemark N "
                                        "is the N-th, folder by folder")
    assert "'Kab_Kota' -> kota" in s.attrs["read_notes"] and "'Nama' -> venue" in s.attrs["read_notes"]
    # the same points as the file holds
    placemarks = pyogrio.read_dataframe(OFFICE2 / "lokasi_ppk_malut.kmz")
    assert s.geometry.x.round(6).tolist() == placemarks.geometry.x.round(6).tolist()


def test_google_earth_kml_with_the_fields_in_the_descriptions(malut):
    s = _load(load_sites, OFFICE2 / "lokasi_ppk_haltim_earth.kml", kecamatan=malut.kecamatan, kota=malut.kota,
              expect_all=False)
    haltim = malut.kecamatan[malut.kecamatan["kota_kode"] == "82.06"]
    assert s["kecamatan_kode"].tolist() == sorted(haltim["kode"])  # "Kec. Kota Maba" is Kota Maba
    assert s.loc[~s["internet"], "kecamatan_kode"].tolist() == ["82.06.10"]
    assert s["approximate"].all() and s["venue"].str.startswith("Lokasi PPK ").all()
    assert "'Kecamatan' -> kecamatan" in s.attrs["read_notes"]
    assert s.attrs["read_notes"][0].startswith("10 placemarks in 1 folder(s) ('Lokasi PPK' 10)")


def test_polygons_and_lines_in_a_kml_are_named(malut):
    (p,) = _error(load_sites, OFFICE2 / "peta_batas_dan_lokasi.kml", kecamatan=malut.kecamatan,
                  kota=malut.kota).problems
    assert str(p).startswith("peta_batas_dan_lokasi.kml, placemarks 3, 4, column 'geometry': 2 placemark(s) are "
                             "shapes, not points: 'Batas Kecamatan Maba' (folder 'Lokasi dan batas', Polygon); "
                             "'Rute distribusi logistik' (folder 'Lokasi dan batas', LineString)")
    assert "export only the layer (folder) of point markers" in p.fix


FACILITY_KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Fasilitas Jakarta Pusat</name>
<Folder><name>Gudang Logistik</name>
<Placemark><name>Gudang KPU Jakarta Pusat</name><description>Di belakang kantor camat</description>
<Point><coordinates>106.819062,-6.170687,0</coordinates></Point></Placemark></Folder>
<Folder><name>Sekretariat PPK</name>
<Placemark><name>Sekretariat PPK Sawah Besar</name><Point><coordinates>106.827796,-6.151537,0</coordinates></Point>
</Placemark>
<Placemark><name>Sekretariat PPK Kemayoran</name><Point><coordinates>106.863983,-6.156327,0</coordinates></Point>
</Placemark></Folder></Document></kml>
"""


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_facilities_from_kml_folders_give_the_type(tmp_path, suffix):
    """Offices keep one My Maps layer per kind; the layer (folder) is the type when no field gives one.  Each
    facility names its file and placemark as its source.  The points are shipped kantor camat positions."""
    f = tmp_path / f"fasilitas{suffix}"
    if suffix == ".kml":
        f.write_text(FACILITY_KML, encoding="utf-8")
    else:
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("doc.kml", FACILITY_KML)
    fac = _load(load_facilities, f)
    assert fac["name"].tolist() == ["Gudang KPU Jakarta Pusat", "Sekretariat PPK Sawah Besar",
                                    "Sekretariat PPK Kemayoran"]
    assert fac["facility_type"].tolist() == ["warehouse", "ppk_office", "ppk_office"]
    assert fac["notes"].tolist() == ["Di belakang kantor camat", "", ""]
    assert fac["kecamatan"].tolist() == ["Gambir", "Sawah Besar", "Kemayoran"]
    assert "'Jenis (folder)' -> facility_type" in fac.attrs["read_notes"]
    # issue 22: the source as one reader sentence (helpers.core.provenance), file and placemark kept
    assert facility_sources(fac, "en") == [f"Coordinates from your file fasilitas{suffix}, placemark {i}"
                                           for i in (1, 2, 3)]
    assert facility_sources(fac, "id")[0] == f"Koordinat dari file Anda fasilitas{suffix}, penanda 1"


# ---------------------------------------------------------------------------------------------
# 5. the kota header; a user's facilities name their file and row
# ---------------------------------------------------------------------------------------------
def test_kota_kab_administrasi_is_the_kota_header(tmp_path):
    f = tmp_path / "sites.csv"
    f.write_text("Kecamatan;Kota/Kab. Administrasi;Lintang;Bujur\nGambir;Kota Adm. Jakarta Pusat;-6.170687;"
                 "106.819062\nGambir;Jakarta Utara;-6.170687;106.819062\n", encoding="utf-8")
    err = _error(load_sites, f, expect_all=False)
    assert "'Kota/Kab. Administrasi' -> kota" not in str(err)  # read notes are not errors
    wrong = [p for p in err.problems if p.column == "Kota/Kab. Administrasi"]
    assert len(wrong) == 1 and wrong[0].rows == (3,) and "does not belong to the kota given" in wrong[0].message


def test_user_facilities_carry_their_file_and_row(malut):
    f = _load(load_facilities, OFFICE2 / "fasilitas_malut_windows.csv", kelurahan=malut.kelurahan, kota=malut.kota)
    assert f["source_file"].eq("fasilitas_malut_windows.csv").all() and f["source_row"].tolist() == [2, 3, 4, 5]
    # issue 22: one reader sentence; the test positions are flagged approximate in the file
    assert f["approximate"].tolist()[0] and facility_sources(f, "en")[0] == (
        "Approximate: position from your file fasilitas_malut_windows.csv, row 2")
    assert facility_sources(f, "id")[3].endswith("dari file Anda fasilitas_malut_windows.csv, baris 5")
    shipped = _load(load_facilities, None)  # the BIG RBI office points: their source by its reader name
    assert "source_file" not in shipped.columns and facility_sources(shipped.head(1), "en")[0] == "BIG RBI"
    assert shipped["source"].iloc[0].startswith("BIG RBI government points")  # the full record kept


# ---------------------------------------------------------------------------------------------
# 7. the size guard
# ---------------------------------------------------------------------------------------------
def test_a_file_above_the_byte_limit_is_refused_unread(tmp_path, monkeypatch):
    f = tmp_path / "fasilitas.csv"
    line = b"Gudang uji,Gudang logistik,-6.170687,106.819062," + b"x" * 951 + b"\n"
    assert len(line) == 1000
    with open(f, "wb") as fh:
        fh.write(b"Nama Fasilitas,Jenis,Lintang,Bujur,Keterangan\n")
        fh.write(line * 41_000)  # 41,000,046 bytes in 41,001 lines: within the row limit, above the 40 MB one
    reads = []
    monkeypatch.setattr(filecheck, "_text_rows", lambda path: reads.append(path))  # never reached
    (p,) = _error(load_facilities, f).problems
    assert p.message == ("the file is 41.0 MB, above the 40 MB the toolkit checks (a facilities list of a province "
                         "is far shorter); it was not read")
    assert p.fix == ("keep only the facilities of the province (or kab/kota) of the run; or, to check it anyway, set "
                     "the environment variable PEMILU_RECAP_MAX_INPUT_MB (e.g. PEMILU_RECAP_MAX_INPUT_MB=42; checking "
                     "takes about 15 times the file's size in memory)")
    assert reads == []


def test_a_file_above_the_row_limit_is_refused_by_its_line_count(tmp_path):
    f = tmp_path / "tps.csv"
    f.write_text("Kode Wilayah,Jumlah TPS\n" + "3171011001,1\n" * 200_001, encoding="utf-8")
    (p,) = _error(load_tps, f).problems
    assert p.message == ("the file has about 200,001 rows, above the 200,000 of a tps file (a TPS file has one row "
                         "per kelurahan/desa (8,494 in Jawa Timur, the largest province)); it was not read")
    assert "PEMILU_RECAP_MAX_INPUT_ROWS=200002" in p.fix


def test_a_workbook_that_declares_too_many_rows(tmp_path):
    """A workbook's sheets declare their last row (<dimension ref="A1:C250001">): read from the first
    bytes of each sheet, not by loading it."""
    import openpyxl

    small = tmp_path / "small.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Nama Fasilitas", "Lintang", "Bujur"])
    wb.active.append(["Gudang", -6.17, 106.82])
    wb.save(small)
    big = tmp_path / "fasilitas.xlsx"
    with zipfile.ZipFile(small) as zin, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C2"' in data
                data = data.replace(b'<dimension ref="A1:C2"', b'<dimension ref="A1:C250001"')
            zout.writestr(item, data)
    (p,) = _error(load_facilities, big).problems
    assert p.message.startswith("the file has about 250,000 rows, above the 200,000 of a facilities file")


def test_the_limits_can_be_raised_for_a_run(monkeypatch):
    assert filecheck.limits("facilities") == (filecheck.MAX_BYTES, 200_000)
    monkeypatch.setenv(filecheck.ENV_MB, "120")
    monkeypatch.setenv(filecheck.ENV_ROWS, "500000")
    size, rows = filecheck.limits("facilities")
    assert size["text"] == 120e6 and size["gpkg"] == 120e6 and rows == 500_000
    assert filecheck.limits("sites")[1] == 10_000  # a sites file: one row per kecamatan, whatever is set

"""Excel templates (helpers.io.excel_template): structure, drop-downs, filling them in, command line."""

import re
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from helpers.io.inputs import load_facilities, load_sites, load_tps
from helpers.io.schema import FIELDS, facility_type
from helpers.io.excel_template import KINDS, TYPE_WORDS, main, write_template
from helpers.io.inputs import load_boundaries

DATA = Path(__file__).resolve().parents[1] / "data" / "processed"
#: field whose drop-down is checked in each kind, and the reference level of its names
CHECKED = {"sites": [("kota", "kota"), ("kecamatan", "kecamatan")], "facilities": [("facility_type", None)],
           "tps": [("kelurahan", "kelurahan")]}


def _headers(kind):
    return [f.header for f in FIELDS[kind] if f.help_en]


def _column(ws, header):
    for cell in ws[1]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no column {header!r}")


def _list_values(wb, formula):
    m = re.fullmatch(r"=?(\w+)!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert m, formula
    sheet, c0, r0, c1, r1 = m.groups()
    assert c0 == c1
    return [wb[sheet][f"{c0}{r}"].value for r in range(int(r0), int(r1) + 1)]


def _validation(ws, letter):
    found = [dv for dv in ws.data_validations.dataValidation if f"{letter}2" in dv.sqref]
    assert len(found) == 1, letter
    return found[0]


@pytest.mark.parametrize("kind", list(KINDS))
def test_template_structure(kind, tmp_path):
    path = write_template(kind, tmp_path / "sub" / f"{kind}.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == KINDS[kind][0] and wb.active.title == KINDS[kind][0]
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == _headers(kind)
    assert "row_number" not in [f.name for f in FIELDS[kind] if not f.help_en]
    assert ws.max_row == 1 or all(c.value is None for row in ws.iter_rows(min_row=2) for c in row)
    assert ws.freeze_panes == "A2"
    fields = {f.name: f for f in FIELDS[kind]}
    for name, level in CHECKED[kind]:
        dv = _validation(ws, _column(ws, fields[name].header))
        assert dv.type == "list"
        values = _list_values(wb, dv.formula1)
        if level is None:
            assert values == list(TYPE_WORDS)
        else:
            ref = load_boundaries(level)["nama"]
            assert len(values) == len(ref) and sorted(values) == sorted(ref)
    assert wb["Daftar"].sheet_state == "hidden"
    text = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value is not None)
    for header in _headers(kind):
        assert header in text
    assert f"pemilu-recap -p {KINDS[kind][1]} {path.name}" in text
    if "lat" in fields:
        assert ws[f"{_column(ws, 'Lintang')}2"].number_format == "0.000000"


def test_type_words_and_yes_no(tmp_path):
    assert all(facility_type(w) is not None for w in TYPE_WORDS)
    wb = openpyxl.load_workbook(write_template("sites", tmp_path / "s.xlsx", language="en"))
    ws = wb.worksheets[0]
    for header in ("Internet", "Posisi Perkiraan"):
        dv = _validation(ws, _column(ws, header))
        assert dv.formula1 == '"Ya,Tidak"' and dv.errorStyle == "stop"
    assert _validation(ws, _column(ws, "Kecamatan")).errorStyle == "warning"
    assert str(_validation(ws, _column(ws, "Kecamatan")).sqref).endswith("100")
    with pytest.raises(ValueError, match="sites, facilities, tps"):
        write_template("gudang", tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match=".xlsx"):
        write_template("sites", tmp_path / "x.csv")


def _fill(path, kind, rows):
    """Write ``rows`` (dicts keyed by header) into the data sheet of a template."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cols = {c.value: c.column for c in ws[1]}
    for r, row in enumerate(rows, start=2):
        ws.cell(row=r, column=cols["No"], value=r - 1)
        for header, value in row.items():
            ws.cell(row=r, column=cols[header], value=value)
    wb.save(path)


def test_filled_sites_template_loads(tmp_path):
    path = write_template("sites", tmp_path / "sites.xlsx")
    ref = pd.read_csv(DATA / "recap_sites.csv", dtype={"kecamatan_kode": str})
    _fill(path, "sites", [{"Kecamatan": r.kecamatan, "Kota/Kabupaten Administrasi": r.kota, "Lintang": r.lat,
                           "Bujur": r.lon, "Internet": "Ya"} for r in ref.itertuples()])
    sites = load_sites(path)
    assert len(sites) == len(ref)
    assert list(sites["kecamatan_kode"]) == list(ref["kecamatan_kode"])
    assert sites["internet"].all()


def test_filled_tps_template_loads(tmp_path):
    path = write_template("tps", tmp_path / "tps.xlsx")
    ref = pd.read_csv(DATA / "tps_kelurahan.csv")
    _fill(path, "tps", [{"Kelurahan": r.nama, "Kecamatan": r.kecamatan, "Kota/Kabupaten Administrasi": r.kota,
                         "Jumlah TPS": int(r.tps_total)} for r in ref.itertuples()])
    tps = load_tps(path)
    assert len(tps) == len(ref)
    assert int(tps["tps_total"].sum()) == int(ref["tps_total"].sum())


def test_filled_facilities_template_loads(tmp_path):
    path = write_template("facilities", tmp_path / "fac.xlsx")
    offices = gpd.read_file(DATA / "facilities_offices.geojson")
    camat = offices[offices["facility_type"] == "kantor_camat"].head(2)
    _fill(path, "facilities", [{"Nama Fasilitas": f"Gudang uji {i}", "Jenis": "Gudang logistik",
                                "Lintang": p.y, "Bujur": p.x, "Posisi Perkiraan": "Tidak"}
                               for i, p in enumerate(camat.geometry, start=1)])
    fac = load_facilities(path)
    assert list(fac["name"]) == ["Gudang uji 1", "Gudang uji 2"]
    assert list(fac["facility_type"]) == ["warehouse", "warehouse"]
    assert fac["kelurahan_kode"].notna().all()


def test_command_line(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    assert main(["facilities", str(path)]) == 0
    out = capsys.readouterr()
    assert path.exists() and len(out.out.strip().splitlines()) == 1 and "facilities_path" in out.out
    assert main(["facilities", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pemilu-recap template: error:") and "--force" in err[0]
    assert main(["tps", str(path), "--force"]) == 0
    assert openpyxl.load_workbook(path).sheetnames[0] == "TPS"
    capsys.readouterr()
    assert main(["gudang", str(tmp_path / "g.xlsx")]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert not (tmp_path / "g.xlsx").exists()


def test_a_province_template_lists_the_units_of_that_province(tmp_path):
    """--provinsi: the drop-downs hold the province's own kab/kota, kecamatan and desa (Maluku Utara: 10, 118
    and 1,180 in the national layer), not DKI Jakarta's."""
    out = tmp_path / "malut.xlsx"
    assert main(["sites", str(out), "--provinsi", "Maluku Utara"]) == 0
    daftar = openpyxl.load_workbook(out)["Daftar"]
    columns = {daftar.cell(row=1, column=c).value: [daftar.cell(row=r, column=c).value
                                                    for r in range(2, daftar.max_row + 1)]
               for c in range(1, daftar.max_column + 1)}
    values = {k: [v for v in vs if v is not None] for k, vs in columns.items()}
    assert (len(values["kota"]), len(values["kecamatan"]), len(values["kelurahan"])) == (10, 118, 1180)
    assert "Ternate" in values["kota"] and "Maba" in values["kecamatan"] and "Jakarta Pusat" not in values["kota"]


def test_an_unknown_province_is_one_line(tmp_path, capsys):
    assert main(["sites", str(tmp_path / "x.xlsx"), "--provinsi", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert "unknown provinsi 'Atlantis'" in err and "Traceback" not in err and not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------------------------------------
# issue 21: the coordinates are checked within the province's bounds; the Petunjuk sheet says so
# ---------------------------------------------------------------------------------------------
def _bounds(kota) -> tuple[str, str, str, str]:
    """Latitude and longitude bounds of the kab/kota polygons plus 0.05 degrees, rounded outward to 0.01."""
    import math

    minx, miny, maxx, maxy = kota.total_bounds
    lo = lambda v: f"{math.floor((v - 0.05) * 100) / 100:.2f}"  # noqa: E731
    hi = lambda v: f"{math.ceil((v + 0.05) * 100) / 100:.2f}"  # noqa: E731
    return lo(miny), hi(maxy), lo(minx), hi(maxx)


@pytest.mark.parametrize("kind,style", [("sites", "stop"), ("facilities", "warning")])
def test_coordinates_are_decimals_within_dki(kind, style, tmp_path):
    wb = openpyxl.load_workbook(write_template(kind, tmp_path / f"{kind}.xlsx"))
    ws = wb.worksheets[0]
    lat_lo, lat_hi, lon_lo, lon_hi = _bounds(load_boundaries("kota"))
    assert (lat_lo, lat_hi, lon_lo, lon_hi) == ("-6.43", "-5.13", "106.33", "107.03")  # DKI incl. Kepulauan Seribu
    for header, lo, hi in (("Lintang", lat_lo, lat_hi), ("Bujur", lon_lo, lon_hi)):
        dv = _validation(ws, _column(ws, header))
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", lo, hi)
        assert dv.errorStyle == style and dv.showErrorMessage and dv.allow_blank
    text = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value is not None)
    refuse = {"stop": "menolak", "warning": "memperingatkan tentang"}[style]
    assert (f"Kolom Lintang dan Bujur hanya menerima angka desimal dalam batas Provinsi DKI Jakarta (Lintang -6,43 "
            f"sampai -5,13, Bujur 106,33 sampai 107,03); Excel {refuse} nilai lain.") in text


def test_a_province_template_checks_its_own_bounds_and_examples(tmp_path):
    from helpers.io.province import province_layers

    out = tmp_path / "malut.xlsx"
    assert main(["sites", str(out), "--provinsi", "Maluku Utara", "--language", "en"]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    lay = province_layers("82")
    lat_lo, lat_hi, lon_lo, lon_hi = _bounds(lay.kota)
    lat = _validation(ws, _column(ws, "Lintang"))
    lon = _validation(ws, _column(ws, "Bujur"))
    assert (lat.formula1, lat.formula2, lon.formula1, lon.formula2) == (lat_lo, lat_hi, lon_lo, lon_hi)
    assert float(lat_lo) < -2 and float(lat_hi) > 2.5  # Maluku Utara spans the equator (Taliabu to Morotai)
    rows = {r[0].value: [c.value for c in r] for r in wb["Petunjuk"].iter_rows(min_row=9) if r[0].value}
    assert rows["Kecamatan"][3] == "One of the 118 names in the drop-down" and rows["Kecamatan"][4] == "Jailolo"
    assert rows["Kota/Kabupaten Administrasi"][3].startswith("One of the 10 names in the drop-down")
    assert rows["Lintang"][3] == (f"Decimal number between {lat_lo} and {lat_hi} (the bounds of Provinsi Maluku "
                                  "Utara); Excel refuses any other")
    assert "44" not in rows["Kecamatan"][2] and "DKI" not in rows["Kecamatan"][2]


def test_a_filled_province_template_loads_by_name(tmp_path):
    """Maluku Utara's Halmahera Timur, names in capitals as offices type them: MABA and KOTA MABA are two."""
    from helpers.io.inputs import load_inputs
    from helpers.io.national import resolve_scope
    from helpers.io.province import province_layers

    scope = resolve_scope("Maluku Utara")
    path = write_template("sites", tmp_path / "lokasi.xlsx", scope=scope)
    sites = province_layers("82").sites
    haltim = sites[sites["kota_kode"] == "82.06"]
    _fill(path, "sites", [{"Kecamatan": r.kecamatan.upper(), "Kota/Kabupaten Administrasi": "KAB. HALMAHERA TIMUR",
                           "Lintang": r.lat, "Bujur": r.lon, "Internet": "Ya", "Posisi Perkiraan": "Ya"}
                          for r in haltim.itertuples()])
    data = load_inputs(scope=scope, sites_path=path)  # its warnings are kept in data.warnings
    user = data.sites[data.sites["location_source"] == "user_file"]
    assert sorted(user["kecamatan_kode"]) == sorted(haltim["kecamatan_kode"])
    assert set(user.loc[user["kecamatan_kode"].isin(["82.06.02", "82.06.10"]), "kecamatan"]) == {"Maba", "Kota Maba"}

"""Excel templates that offices (KPU, Bawaslu, Pemprov DKI) fill in with their own lists.

Three kinds of file, the same as the loaders read (:mod:`helpers.io.inputs`):

* ``sites``: the PPK recapitulation sites, one per kecamatan (:func:`~helpers.io.inputs.load_sites`);
* ``facilities``: warehouses, KPU/Bawaslu secretariats, PPK/PPS offices, ...
  (:func:`~helpers.io.inputs.load_facilities`);
* ``tps``: the number of TPS per kelurahan (:func:`~helpers.io.inputs.load_tps`).

The headers come from :data:`helpers.io.schema.FIELDS`, so a filled-in template is always
recognised.  The workbook has the data sheet first (header row only: an example row would be
read as data), a sheet ``Petunjuk`` with instructions in Bahasa Indonesia (one row per column:
meaning, accepted values, example) and a hidden sheet ``Daftar`` with the lists behind the
drop-down menus (kota, kecamatan, kelurahan, facility types).

Command line: ``pemilu-recap template sites|facilities|tps FILE.xlsx [--provinsi NAME] [--force]``
(:func:`main`); the drop-downs list the units of the province (default: DKI Jakarta), and the
``Lintang``/``Bujur`` columns accept only decimal numbers within the province's bounds (its kab/kota
polygons and :data:`BOUNDS_MARGIN`; Excel refuses other values in a sites template and warns in a
facilities template, where a warehouse may lie just outside), which the ``Petunjuk`` sheet says.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.core.names import kota_short
from helpers.core.scope import DKI_LABEL, Scope, UnknownUnit
from helpers.io.input_files import load_boundaries
from helpers.io.national import resolve_scope
from helpers.io.province import province_layers
from helpers.io.schema import FIELDS, Field
from helpers.io.template_words import TEXTS, TYPE_WORDS

#: Kinds of template, with the name of their data sheet and the notebook parameter that reads them.
KINDS = {"sites": ("Lokasi PPK", "sites_path"), "facilities": ("Fasilitas", "facilities_path"),
         "tps": ("TPS", "tps_path")}
#: Last spreadsheet row that gets drop-downs and number formats.
LAST_ROW = {"sites": 100, "facilities": 1000, "tps": 1000}
#: Fields that must be filled: each group needs one of its fields (``coordinates`` = ``Koordinat``).
REQUIRED_GROUPS = {"sites": (("kecamatan", "kecamatan_kode"), ("lat", "coordinates"), ("lon", "coordinates")),
                   "facilities": (("name",), ("lat", "coordinates"), ("lon", "coordinates")),
                   "tps": (("kode", "kelurahan"), ("tps_total",))}
_LISTS = ("kota", "kecamatan", "kelurahan", "facility_type")  # columns A.. of the Daftar sheet
_YES_NO = ("internet", "approximate")
_TEXT = ("kode", "kecamatan_kode", "kota_kode", "site_id", "facility_id", "coordinates", "tps_khusus_nomor")
_WIDE = {"venue": 34, "name": 34, "address": 36, "notes": 40, "kelurahan": 24, "kecamatan": 24, "kota": 28,
         "facility_type": 22, "role": 22, "coordinates": 24}
#: Degrees added around the province's kab/kota polygons for the coordinate check (about 5.5 km; the
#: loaders accept points up to 2 km outside the area and warn about facilities farther out).
BOUNDS_MARGIN = 0.05
_FILL = PatternFill("solid", fgColor="DDEBF7")
_FILL_REQUIRED = PatternFill("solid", fgColor="F8CBAD")

def template_fields(kind: str) -> list[Field]:
    """The fields a template of ``kind`` has, in order (the project's internal columns left out).

    Examples
    --------
    >>> [f.header for f in template_fields("tps")][:4]
    ['No', 'Kode Kelurahan', 'Kelurahan', 'Kecamatan']
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return [f for f in FIELDS[kind] if f.help_en]


def scope_units(scope: Scope | None = None) -> tuple:
    """The kota, kecamatan and kelurahan (desa) of a scope's province, for :func:`unit_lists`: DKI
    Jakarta's own layer, or another province's national layer."""
    if scope is None or scope.is_dki:
        return load_boundaries("kota"), load_boundaries("kecamatan"), load_boundaries("kelurahan")
    lay = province_layers(scope.provinsi_kode)
    return lay.kota, lay.kecamatan, lay.kelurahan


def unit_lists(kota, kecamatan, kelurahan) -> dict[str, list[str]]:
    """The names behind the drop-downs: the kota (official order), kecamatan and kelurahan
    (alphabetical) of the frames given, and the facility type words."""
    return {"kota": list(kota.sort_values("kode")["nama"]),
            "kecamatan": sorted(kecamatan["nama"]),
            "kelurahan": sorted(kelurahan["nama"]),
            "facility_type": list(TYPE_WORDS)}


def coordinate_bounds(kota, margin: float = BOUNDS_MARGIN) -> dict[str, float]:
    """Latitude and longitude bounds of the kab/kota polygons plus ``margin`` degrees, rounded outward
    to 2 decimals: what the template's ``Lintang``/``Bujur`` columns accept.

    Examples
    --------
    >>> b = coordinate_bounds(load_boundaries("kota"))
    >>> (b["lat_lo"], b["lat_hi"]), (b["lon_lo"], b["lon_hi"])
    ((-6.43, -5.13), (106.33, 107.03))
    """
    minx, miny, maxx, maxy = kota.to_crs("EPSG:4326").total_bounds
    return {"lat_lo": math.floor((miny - margin) * 100) / 100, "lat_hi": math.ceil((maxy + margin) * 100) / 100,
            "lon_lo": math.floor((minx - margin) * 100) / 100, "lon_hi": math.ceil((maxx + margin) * 100) / 100}


def _examples(kind: str, kota, kecamatan, kelurahan) -> dict[str, str]:
    """Example values from the province's own units (a kecamatan's kantor point is not known outside DKI:
    the example point is a point inside the first kecamatan, for the format only)."""
    kec = kecamatan.sort_values("kode").iloc[0]
    kel = kelurahan[kelurahan["kecamatan_kode"] == kec["kode"]].sort_values("kode")
    point = kecamatan.sort_values("kode").geometry.iloc[0].representative_point()
    out = {"kota": str(kec["kota"]), "kecamatan": str(kec["nama"]), "kecamatan_kode": str(kec["kode"]),
           "site_id": f"PPK-{kec['kode']}", "venue": f"Kantor Kecamatan {kec['nama']}", "lat": f"{point.y:.6f}",
           "lon": f"{point.x:.6f}", "address": ""}
    if len(kel):
        out.update(kelurahan=str(kel["nama"].iloc[0]), kode=str(kel["kode"].iloc[0]))
    return out


def _requirement(f: Field, kind: str, headers: dict[str, str], t: dict) -> str:
    groups = [g for g in REQUIRED_GROUPS[kind] if f.name in g]
    if not groups:
        return t["optional"]
    others = list(dict.fromkeys(headers[n] for g in groups for n in g if n != f.name and n in headers))
    return t["required_or"].format(other=" + ".join(others)) if others else t["required"]


def _number(value: float, t: dict) -> str:
    """A bound as the instructions write it: a decimal comma in Bahasa Indonesia."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if t is TEXTS["id"] else text


def _accepted(f: Field, t: dict, ctx: dict) -> str:
    acc = t["accepted"]
    if f.name in ("kota", "kecamatan", "kelurahan"):
        names = ctx["lists"][f.name]
        return acc[f.name].format(n=len(names), first=kota_short(names[0]) if names else "")
    if f.name in ("lat", "lon"):
        b = ctx["bounds"]
        return acc[f.name].format(lo=_number(b[f"{f.name}_lo"], t), hi=_number(b[f"{f.name}_hi"], t), area=ctx["area"],
                                  refuse=t["refuse"][ctx["coord_style"]])
    if f.name in ("coordinates", "facility_type"):
        return acc[f.name]
    if f.name in _YES_NO:
        return acc["yes_no"]
    if f.name in ("tps_total", "tps_reguler", "tps_khusus", "dpt", "row_number"):
        return acc["count"]
    return acc["code"] if f.name in ("kode", "kecamatan_kode", "kota_kode") else acc["text"]


def _coordinate_check(f: Field, t: dict, ctx: dict) -> DataValidation:
    """Lintang/Bujur: a decimal number within the province's bounds (Excel's own data validation)."""
    b = ctx["bounds"]
    lo, hi = b[f"{f.name}_lo"], b[f"{f.name}_hi"]
    message = t["coord_error"].format(what=t[f.name], lo=_number(lo, t), hi=_number(hi, t), area=ctx["area"])
    return DataValidation(type="decimal", operator="between", formula1=f"{lo:.2f}", formula2=f"{hi:.2f}",
                          allow_blank=True, showErrorMessage=True, errorStyle=ctx["coord_style"],
                          errorTitle=t["coord_title"].format(area=ctx["area"])[:32], error=message[:255],
                          showInputMessage=True, promptTitle=t[f.name][:32], prompt=message[:255])


def _data_sheet(ws, kind: str, fields: list[Field], ctx: dict, t: dict) -> None:
    last = LAST_ROW[kind]
    lists = ctx["lists"]
    required = {n for group in REQUIRED_GROUPS[kind] if len(group) == 1 for n in group}
    for col, f in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=col, value=f.header)
        cell.font = Font(bold=True)
        cell.fill = _FILL_REQUIRED if f.name in required or f.required else _FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.comment = Comment(f.help_id if t is TEXTS["id"] else f.help_en, "pemilu-recap")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = _WIDE.get(f.name, max(12, len(f.header) + 4))
        fmt = ("0.000000" if f.name in ("lat", "lon") else "@" if f.name in _TEXT else
               "0" if f.name in ("tps_total", "tps_reguler", "tps_khusus", "dpt") else None)
        if fmt:
            for row in range(2, last + 1):
                ws.cell(row=row, column=col).number_format = fmt
        rng = f"{letter}2:{letter}{last}"
        if f.name in lists:
            i = _LISTS.index(f.name)
            lt = get_column_letter(i + 1)
            formula = f"Daftar!${lt}$2:${lt}${len(lists[f.name]) + 1}"  # stored without "=", as Excel does
            unit = f.name != "facility_type"
            dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                errorStyle="warning" if unit else "stop", errorTitle=t["error_title"],
                                error=t["error_unit"] if unit else t["error"])
        elif f.name in _YES_NO:
            dv = DataValidation(type="list", formula1='"Ya,Tidak"', allow_blank=True, showErrorMessage=True,
                                errorStyle="stop", errorTitle=t["error_title"], error=t["error"])
        elif f.name in ("lat", "lon"):
            dv = _coordinate_check(f, t, ctx)
        else:
            continue
        dv.add(rng)
        ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"


def _instructions(ws, kind: str, fields: list[Field], path: Path, t: dict, ctx: dict) -> None:
    sheet, param = KINDS[kind]
    ws.column_dimensions["A"].width = 28
    for letter, width in zip("BCDE", (24, 60, 45, 26)):
        ws.column_dimensions[letter].width = width
    ws["A1"] = t["title"].format(what=t["what"][kind])
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    b = ctx["bounds"]
    check = t["coord_check"].format(area=ctx["area"], refuse=t["refuse"][ctx["coord_style"]],
                                    **{k: _number(v, t) for k, v in b.items()})
    for line in [*t["intro"][:3], check, *t["intro"][3:]]:
        ws.cell(row=row, column=1, value=line.format(sheet=sheet, unit=t["unit"][kind], extra=t["extra"][kind],
                                                     param=param, file=path.name))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * (1 + len(line) // 150)
        row += 1
    row += 1
    for col, title in enumerate(t["columns"], start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font, cell.fill = Font(bold=True), _FILL
    headers = {f.name: f.header for f in fields}
    for f in fields:
        row += 1
        values = (f.header, _requirement(f, kind, headers, t), f.help_id if t is TEXTS["id"] else f.help_en,
                  _accepted(f, t, ctx), ctx["examples"].get(f.name, f.example))
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"
        ws.cell(row=row, column=1).font = Font(bold=True)


def write_template(kind: str, path, language: str = "id", *, scope: Scope | None = None) -> Path:
    """Write an Excel template for an office to fill in.

    Parameters
    ----------
    kind : str
        ``"sites"``, ``"facilities"`` or ``"tps"``.
    path : path-like
        The ``.xlsx`` file to write (replaced if it exists; parent folders are created).
    language : str
        Language of the instructions: ``"id"`` (Bahasa Indonesia) or ``"en"``.  The headers
        are always the Indonesian ones of :data:`helpers.io.schema.FIELDS`.
    scope : Scope, optional
        Whose units fill the drop-downs and bound the coordinates: the scope's province (default: DKI
        Jakarta); outside DKI the examples of the instructions are the province's own units.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        For an unknown kind or language, or a path that does not end in ``.xlsx``.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> out = write_template("tps", Path(tempfile.mkdtemp()) / "tps.xlsx")
    >>> openpyxl.load_workbook(out).sheetnames
    ['TPS', 'Petunjuk', 'Daftar']
    >>> write_template("gudang", "x.xlsx")
    Traceback (most recent call last):
    ...
    ValueError: kind must be one of sites, facilities, tps, not 'gudang'
    """
    fields = template_fields(kind)
    if language not in TEXTS:
        raise ValueError(f"language must be one of {', '.join(TEXTS)}, not {language!r}")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"the template is an Excel workbook: give a path ending in .xlsx, not {str(path)!r}")
    t = TEXTS[language]
    kota, kecamatan, kelurahan = scope_units(scope)
    lists = unit_lists(kota, kecamatan, kelurahan)
    dki = scope is None or scope.is_dki
    ctx = {"lists": lists, "bounds": coordinate_bounds(kota),
           "area": f"Provinsi {DKI_LABEL if dki else scope.provinsi}",
           "coord_style": "warning" if kind == "facilities" else "stop",
           "examples": {} if dki else _examples(kind, kota, kecamatan, kelurahan)}
    wb = Workbook()
    data = wb.active
    data.title = KINDS[kind][0]
    _data_sheet(data, kind, fields, ctx, t)
    _instructions(wb.create_sheet("Petunjuk"), kind, fields, path, t, ctx)
    daftar = wb.create_sheet("Daftar")
    for col, name in enumerate(_LISTS, start=1):
        daftar.cell(row=1, column=col, value=name).font = Font(bold=True)
        for row, value in enumerate(lists[name], start=2):
            daftar.cell(row=row, column=col, value=value)
        daftar.column_dimensions[get_column_letter(col)].width = 28
    daftar.sheet_state = "hidden"
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line ``pemilu-recap template sites|facilities|tps FILE.xlsx [--force]``.

    Returns 0 when the template was written, 2 for a bad command line or an existing file
    without ``--force`` (one line on stderr).
    """
    parser = argparse.ArgumentParser(
        prog="pemilu-recap template",
        description="Write an Excel template (.xlsx) for an office to fill in: PPK recapitulation sites, "
                    "facilities (warehouses, secretariats, PPK/PPS offices, ...) or TPS per kelurahan.")
    parser.add_argument("kind", choices=list(KINDS), help="which list the template is for")
    parser.add_argument("file", metavar="FILE.xlsx", help="the workbook to write")
    parser.add_argument("--force", action="store_true", help="replace FILE.xlsx if it exists")
    parser.add_argument("--language", choices=list(TEXTS), default="id",
                        help="language of the instructions sheet (default: %(default)s)")
    parser.add_argument("--provinsi", metavar="NAME", default=None,
                        help="the province whose kota, kecamatan and kelurahan/desa fill the drop-downs (name or "
                             "code, e.g. \"Maluku Utara\", \"82\"; default: DKI Jakarta)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the error
        return int(exc.code or 0)
    path = Path(args.file)
    error = None
    try:
        scope = resolve_scope(args.provinsi)
    except UnknownUnit as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    if path.suffix.lower() != ".xlsx":
        error = f"{path} does not end in .xlsx; the template is an Excel workbook"
    elif path.is_dir():
        error = f"{path} is a folder; give the path of the .xlsx file to write"
    elif path.exists() and not args.force:
        error = f"{path} exists; give --force to replace it"
    if error is None:
        try:
            write_template(args.kind, path, args.language, scope=scope)
        except OSError as exc:
            error = f"cannot write {path}: {exc.strerror or exc}"
    if error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote the {args.kind} template {path} (fill in sheet '{KINDS[args.kind][0]}', see sheet "
          f"'Petunjuk'); then run: pemilu-recap -p {KINDS[args.kind][1]} {path}")
    return 0

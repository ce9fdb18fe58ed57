"""Read and check a list of PPK recapitulation sites (one per kecamatan): :func:`load_sites`.

The file is checked as every input file is (see :mod:`helpers.io.input_files`): all problems are
collected, errors stop the load with :class:`~helpers.io.validation.DataValidationError`, warnings are
emitted and kept in ``gdf.attrs["validation_warnings"]``.  Beyond the columns, a site must name a
known kecamatan (and kota, if given), lie inside it and be the only site of its kecamatan.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.core import paths
from helpers.io.columns import approximate_from_notes, keep_extras, recognise_columns, text_column
from helpers.io.input_files import coordinate_header, load_boundaries, load_press_facilities, lonlat_sample, point_table
from helpers.io.islands import load_island_positions
from helpers.core.names import name_key
from helpers.io.units import (check_in_area, layer_area, did_you_mean, distances_to_own, located_in, match_kecamatan,
    sample, unit_names)
from helpers.io.filecheck import MAX_ROWS
from helpers.io.provenance import PROGRAMME, shipped_site_fields
from helpers.io.validation import SITE_OUTSIDE_TOLERANCE_M, booleans, read_table

#: A sites file lists one site per kecamatan (44 in DKI, 7,277 in Indonesia): more rows than this
#: is another kind of file, refused before any check runs.
MAX_SITE_ROWS = MAX_ROWS["sites"]


def load_sites(path: Path | str | None = None, *, crs=None, kecamatan: gpd.GeoDataFrame | None = None,
               kota: gpd.GeoDataFrame | None = None, expect_all: bool = True, columns: dict | None = None,
               sheet: str | int | None = None) -> gpd.GeoDataFrame:
    """PPK recapitulation sites, one per kecamatan, validated against the kecamatan polygons.

    Parameters
    ----------
    path : path-like, optional
        CSV/XLSX or GeoJSON/GeoPackage of points.  Headers are recognised as offices write them
        (``Nama Lokasi``, ``Kecamatan``/``Kec.``, ``Kota/Kabupaten Administrasi``, ``Lintang``/
        ``Bujur`` or one ``Koordinat`` column, ``Akses Internet``, ``Keterangan``, ...; see
        :data:`helpers.io.schema.FIELDS`).  Needed: the kecamatan (name or code) and coordinates.
        Default: the shipped 44 sites.
    crs : optional
        CRS of the coordinate columns of a CSV/XLSX if they are not WGS84 degrees.
    kecamatan, kota : GeoDataFrame, optional
        Reference polygons (default: shipped boundaries).
    expect_all : bool
        Warn about kecamatan without a site (all 44, or all kecamatan of the kota present).
    columns : dict, optional
        ``{header in the file: field}`` for headers that are not recognised (field ``"ignore"``
        skips a column).
    sheet : str or int, optional
        Sheet name or 1-based number of a workbook (default: the first with recognised headers).

    Returns
    -------
    geopandas.GeoDataFrame
        Points in EPSG:4326 with ``site_id``, ``kecamatan_kode``, ``kecamatan``, ``kota_kode``,
        ``kota``, ``venue``, ``venue_status``, ``address``, ``lon``, ``lat``, ``location_source``,
        ``approximate``, ``position_basis``, ``internet``, ``internet_source``, ``source_note``,
        ``notes``; the file's other columns follow as ``"asli: <header>"``.  For a user's file:
        ``location_source = "user_file"``, ``venue_status = "user_file"``, the position basis
        names the file and row, and a site id missing from the file is ``PPK-<kecamatan code>``.

    Examples
    --------
    >>> sites = load_sites()
    >>> len(sites), int(sites["internet"].sum())
    (44, 44)
    """
    path = Path(path) if path is not None else paths.processed("sites")
    kec_ref = kecamatan if kecamatan is not None else load_boundaries("kecamatan")  # default: DKI's
    kota = kota if kota is not None else load_boundaries("kota")
    df, chk = read_table(path, kind="sites", sheet=sheet)
    if len(df) > MAX_SITE_ROWS:
        chk.fatal(f"the file has {len(df):,} rows; a sites file lists one recapitulation site per kecamatan "
                  f"({layer_area(kota)} has {len(kec_ref)})", "give the list of PPK recapitulation sites (is this a "
                  "TPS or facility list? use tps_path or facilities_path)")
    coords = [] if chk.geo else [["lat", "coordinates"], ["lon", "coordinates"]]
    cols = recognise_columns(df, chk, "sites", columns, [["kecamatan", "kecamatan_kode"], *coords])
    gdf = point_table(df, cols, chk, crs)
    units = match_kecamatan(gdf, cols, kec_ref)
    _unit_problems(gdf, cols, chk, units, kec_ref)
    code = units["kecamatan_kode"]
    names = unit_names(code, kec_ref, {"nama": "kecamatan", "kota_kode": "kota_kode", "kota": "kota"})
    ids = text_column(gdf, cols, "site_id")
    made = ids.eq("") & code.ne("")
    ids = ids.where(~made, "PPK-" + code)
    if made.any() and "site_id" in cols and not made.all():
        chk.add(gdf.index[made], cols["site_id"], "the site id is empty; it was made from the kecamatan code",
                "nothing, or give every site an id", "warning")
    elif made.any():
        chk.info.append("no site id column: ids made from the kecamatan code (PPK-31.71.01, ...)")
    dup = ids.duplicated(keep=False) & ids.ne("") & ~made  # made ids repeat with their kecamatan (reported below)
    if dup.any():
        chk.add(gdf.index[dup], cols.get("site_id", "site_id"), f"duplicate site ids {sorted(set(ids[dup]))}",
                "give every site a unique id")
    has, inside = check_in_area(gdf, kota)
    if (has & ~inside).any():
        bad = gdf.index[has & ~inside]
        chk.add(bad, coordinate_header(cols), f"the point lies outside {layer_area(kota)} ({lonlat_sample(gdf, bad)})",
                f"check the coordinates; points must lie in {layer_area(kota)}")
    notes = text_column(gdf, cols, "notes")
    user = "location_source" not in cols
    out = gpd.GeoDataFrame({"site_id": ids, "kecamatan_kode": code, **{c: names[c] for c in names}},
                           geometry=gdf.geometry, crs=gdf.crs)
    out["venue"] = text_column(gdf, cols, "venue", "(venue not given)")
    out["venue_status"] = text_column(gdf, cols, "venue_status", "user_file" if user else "unknown")
    out["address"] = text_column(gdf, cols, "address")
    out["lon"] = gdf.geometry.x.round(6).where(has)
    out["lat"] = gdf.geometry.y.round(6).where(has)
    out["location_source"] = text_column(gdf, cols, "location_source", "user_file")
    flagged = booleans(gdf, cols["approximate"], chk) if "approximate" in cols else pd.Series(False, index=gdf.index)
    by_note = approximate_from_notes(notes) & ~flagged
    if by_note.any():
        chk.add(gdf.index[by_note], cols["notes"], "the note says the position is approximate "
                f"({sample(notes[by_note], 2)}); the site is marked approximate",
                "nothing, if so; otherwise reword the note", "warning")
    out["approximate"] = (flagged | by_note).astype(bool)
    rows = pd.Series(chk.rows(gdf.index), index=gdf.index).astype(str) if len(gdf) else pd.Series(dtype=str)
    where = f"{path.name}, {chk.row_word} "  # "row 5"; a KML's "placemark 5"
    basis = ("coordinates given in " + where + rows).where(~out["approximate"],
             "approximate position given in " + where + rows
             + notes.where(notes.eq(""), " (note: " + notes + ")"))
    out["position_basis"] = text_column(gdf, cols, "position_basis", "") if not user else basis
    internet_blank = "internet" in cols and text_column(gdf, cols, "internet").eq("").all()
    if "internet" in cols and not internet_blank:
        out["internet"] = booleans(gdf, cols["internet"], chk)
        source = f"{path.name}, column '{cols['internet']}'"
    else:
        out["internet"] = True
        source = f"assumed: {path.name} gives no internet value"
        chk.add([], cols.get("internet", "internet"), "no internet value in the file; every site is taken to "
                "have internet (the Pemprov DKI programme covered all 44 PPK sites)",
                "add an 'Internet' column (Ya/Tidak) if some sites have none", "warning")
    out["internet_source"] = text_column(gdf, cols, "internet_source", source)
    out["source_note"] = text_column(gdf, cols, "source_note", "")
    out["notes"] = notes
    _provenance(out, path, user, rows, chk.row_word, cols if "internet" in cols and not internet_blank else {})
    # the kelurahan of a site is not used by the analysis: kept as the user's column
    out = keep_extras(out, gdf, {k: v for k, v in cols.items() if k != "kelurahan"})

    known = code.ne("")
    twice = code.duplicated(keep=False) & known
    if twice.any():
        for _, grp in out[twice].groupby("kecamatan_kode"):
            chk.add(grp.index, cols.get("kecamatan", cols.get("kecamatan_kode")),
                    f"two or more sites for kecamatan {grp['kecamatan'].iloc[0]} ("
                    + ", ".join(grp["site_id"] if grp["site_id"].is_unique else grp["venue"]) + ")",
                    "keep one recapitulation site per kecamatan")
    out = out[[c for c in out.columns if c != "geometry"] + ["geometry"]]
    _check_own_kecamatan(out, known & inside, cols, chk, kec_ref)
    if expect_all:
        chk.raise_if_errors()  # a "missing kecamatan" warning is noise while rows are still wrong
        scope = kec_ref if len(out) >= len(kec_ref) / 2 else kec_ref[kec_ref["kota_kode"].isin(out["kota_kode"])]
        missing = scope[~scope["kode"].isin(out["kecamatan_kode"])]
        if len(missing):
            chk.add([], cols.get("kecamatan", "kecamatan"), f"{len(missing)} kecamatan have no site: "
                    f"{', '.join(missing['nama'])}", "add a site for each (a coverage gap otherwise)", "warning")
    return chk.finish(out)


def _provenance(out: gpd.GeoDataFrame, path: Path, user: bool, rows: pd.Series, row_word: str, cols: dict) -> None:
    """Add the structured basis and internet fields (:mod:`helpers.io.provenance`) to ``out`` in place."""
    if user:
        out["basis_kind"] = out["approximate"].map({True: "user_file_approx", False: "user_file"})
        out["basis_office"], out["basis_place"], out["basis_sources"] = "", path.name, ""
        out["basis_row"], out["basis_row_word"] = rows, row_word
    else:
        fields = shipped_site_fields(out, load_island_positions(), load_press_facilities())
        for c in fields.columns:
            out[c] = fields[c]
    shipped = path.resolve() == Path(paths.processed("sites")).resolve()
    if shipped:
        for c, v in PROGRAMME.items():
            out[c] = v
    else:
        out["internet_kind"] = "user_file" if cols else "assumed_file"
        out["internet_by"], out["internet_detail"], out["internet_date"] = path.name, cols.get("internet", ""), ""


def _unit_problems(gdf, cols, chk, units, kec_ref) -> None:
    """Messages for rows whose kota/kecamatan is unknown, ambiguous or contradictory."""
    problem = units["problem"]
    where = located_in(gdf.geometry, kec_ref)
    kota_names = sorted(set(kec_ref["kota"]))
    bad = problem.eq("unknown_kota")
    if bad.any():
        vals = gdf.loc[bad, cols["kota"]]
        hint = did_you_mean(vals.unique(), kota_names)
        chk.add(gdf.index[bad], cols["kota"], f"unknown kota/kabupaten administrasi {sample(vals)}",
                f"{hint + ' ' if hint else ''}use one of: {', '.join(kota_names)}")
    bad = problem.eq("unknown_kecamatan")
    if bad.any():
        col = cols.get("kecamatan_kode") if "kecamatan_kode" in cols and gdf.loc[bad, cols["kecamatan_kode"]].astype(
            str).str.strip().ne("").any() else cols.get("kecamatan")
        vals = gdf.loc[bad, col]
        hint = did_you_mean(vals.unique(), list(kec_ref["nama"]))
        lies = where[bad].dropna()
        lies_txt = (f"; the point of row {chk.rows([lies.index[0]])[0]} lies in kecamatan {lies.iloc[0]}"
                    if len(lies) else "")
        chk.add(gdf.index[bad], col, f"unknown kecamatan {sample(vals)}{lies_txt}",
                f"{hint + ' ' if hint else ''}use a Kemendagri kecamatan name or code "
                f"({len(kec_ref)} kecamatan of {kec_ref.attrs.get('provinsi') or 'DKI Jakarta'})")
    bad = problem.eq("wrong_kota")
    if bad.any():
        ref = kec_ref.set_index("kode")
        kec_col = cols.get("kecamatan", cols.get("kecamatan_kode"))
        belongs = {str(v): ref.loc[ref["nama"].map(name_key) == name_key(v), "kota"].tolist()
                   for v in gdf.loc[bad, kec_col].unique()}
        text = "; ".join(f"{k} is in {', '.join(v)}" for k, v in belongs.items() if v)
        chk.add(gdf.index[bad], cols.get("kota", "kota"),
                f"the kecamatan does not belong to the kota given ({text})" if text else
                "the kecamatan does not belong to the kota given", "correct the kota or the kecamatan of these rows")
    for kind, message, fix in (("ambiguous", "the kecamatan name fits more than one kecamatan",
                                "give the kota or the kecamatan code"),
                               ("no_kecamatan", "the kecamatan is empty", "fill in the kecamatan of the site")):
        bad = problem.eq(kind)
        if bad.any():
            chk.add(gdf.index[bad], cols.get("kecamatan", cols.get("kecamatan_kode")), message, fix)


def _check_own_kecamatan(out, check, cols, chk, kec_ref) -> None:
    """A site must lie inside the kecamatan it claims (rows with a usable point and unit only)."""
    if not check.any():
        return
    pts = out.loc[check]
    dist = pd.Series(distances_to_own(pts.geometry, pts["kecamatan_kode"], kec_ref), index=pts.index)
    far = dist[dist > 0]
    if far.empty:
        return
    actual = located_in(pts.geometry[far.index], kec_ref)
    for i, d in far.items():
        where = actual.get(i)
        where = f"it lies in {where}" if isinstance(where, str) else "it lies in no kecamatan"
        chk.add([i], coordinate_header(cols),
                f"site {out.at[i, 'site_id']} lies {d:,.0f} m outside kecamatan {out.at[i, 'kecamatan']}, "
                f"which it claims ({where})", "correct the coordinates or the kecamatan",
                "error" if d > SITE_OUTSIDE_TOLERANCE_M else "warning")

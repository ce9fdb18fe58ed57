"""KML and KMZ files (Google My Maps, Google Earth) as a table of placemarks: :func:`read_kml`.

Offices keep their site maps in Google My Maps or Google Earth and export them as KML or KMZ (a
zip holding ``doc.kml``).  GDAL reads both (through pyogrio; its LIBKML driver reads a KMZ as it
is and makes a column of every ExtendedData field: the ``<Data name="...">`` of Google My Maps and
the ``<SimpleData>`` of Google Earth).  Each Folder is a layer; every layer is read and the
placemarks are numbered in that order (``placemark 3`` in a message is the third).  The table
then goes through the same header recognition as a spreadsheet (:mod:`helpers.io.schema`):

* ``name`` becomes ``Nama`` (the venue of a site, the name of a facility);
* ``description`` becomes ``Keterangan`` (notes), unless it is a list of ``Header: value`` lines
  (``Kecamatan: MABA<br>Internet: Ya``, as people type them into Google Earth), which become
  columns of their own where the placemark has no such field;
* the folder becomes ``Jenis (folder)`` in a facilities file without a type field (My Maps
  users keep one layer per kind: "Gudang logistik", "Sekretariat PPK"), else ``Folder`` when
  there are several;
* GDAL's own bookkeeping fields (``altitudeMode``, ``tessellate``, ...) are dropped, heights too.

A placemark that is a polygon or a line is an error naming it: these files hold points.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from helpers.core.geo import WGS84
from helpers.io.schema import fields, header_key, recognise

#: Fields GDAL adds to every KML layer that say nothing about the place (LIBKML and KML drivers).
BOOKKEEPING = {"id", "timestamp", "begin", "end", "altitudemode", "tessellate", "extrude", "visibility",
               "draworder", "icon", "snippet", "styleurl"}
_PAIR = re.compile(r"^\s*([^:<>]{1,40}?)\s*:\s*(.*?)\s*$")


def _layers(path: Path) -> tuple[str, list[str]]:
    """The dataset GDAL should open and its layers (LIBKML reads a KMZ itself; the older KML driver
    is given the KML inside the zip)."""
    source = str(path)
    if path.suffix.lower() == ".kmz" and "LIBKML" not in pyogrio.list_drivers():
        with zipfile.ZipFile(path) as z:
            inner = next(n for n in z.namelist() if n.lower().endswith(".kml"))
        source = f"/vsizip/{path}/{inner}"
    return source, [str(name) for name in pyogrio.list_layers(source)[:, 0]]


def html_text(value: object) -> str:
    """Plain text of a KML description: tags dropped, ``<br>`` as a line break, entities decoded.

    Examples
    --------
    >>> html_text("Kecamatan: MABA<br>Internet: Ya &amp; stabil")
    'Kecamatan: MABA\\nInternet: Ya & stabil'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = re.sub(r"(?i)<\s*br\s*/?>|</\s*(p|div|tr|li)\s*>", "\n", str(value))
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines() if line.strip())


def description_fields(text: str, kind: str) -> dict[str, str] | None:
    """``{header: value}`` of a description made of ``Header: value`` lines of which at least one
    header is a field of ``kind``; None for free text.

    Examples
    --------
    >>> description_fields("Kecamatan: MABA\\nInternet: Ya", "sites")
    {'Kecamatan': 'MABA', 'Internet': 'Ya'}
    >>> description_fields("Gudang di belakang kantor camat", "sites") is None
    True
    """
    lines = [line for line in text.splitlines() if line.strip()]
    pairs = [_PAIR.match(line) for line in lines]
    if not lines or not all(pairs):
        return None
    keys = set().union(*(f.keys for f in fields(kind).values()))
    found = {m.group(1): m.group(2) for m in pairs}
    return found if any(header_key(k) in keys for k in found) else None


def read_kml(path: Path, chk, kind: str | None) -> gpd.GeoDataFrame:
    """The placemarks of a KML/KMZ file as a table of points (see the module docstring).

    Parameters
    ----------
    path : Path
        A ``.kml`` or ``.kmz`` file.
    chk : helpers.io.validation.Checker
        The file's problem collector: an unreadable file, a file without placemarks and polygons or
        lines are errors (raised at once); what was read is noted in ``chk.info``.
    kind : str or None
        ``"sites"`` or ``"facilities"`` (the fields the descriptions and folders are read for).
    """
    try:
        source, names = _layers(path)
        parts = []
        for name in names:
            layer = pyogrio.read_dataframe(source, layer=name)
            if len(layer):
                parts.append(layer.assign(_folder=name))
    except Exception as exc:  # noqa: BLE001 - pyogrio and zipfile raise their own errors for a broken file
        chk.fatal(f"the file cannot be read as {path.suffix.lower()[1:].upper()} ({type(exc).__name__}: "
                  f"{str(exc).splitlines()[0][:200] if str(exc) else ''})",
                  "export it again from Google My Maps or Google Earth (KML or KMZ)")
    if not parts:
        chk.fatal("the file has no placemarks", "export the layer that holds the point markers")
    raw = pd.concat(parts, ignore_index=True)
    geometry = gpd.GeoSeries(shapely.force_2d(raw.geometry.values), crs=raw.crs or WGS84)
    single = geometry.geom_type.eq("MultiPoint") & (shapely.get_num_geometries(geometry.values) == 1)
    geometry[single] = shapely.get_geometry(geometry[single].values, 0)
    cols = {c.lower(): c for c in raw.columns}
    names = raw[cols["name"]].fillna("").astype(str) if "name" in cols else pd.Series("", index=raw.index)
    wrong = geometry.notna() & ~geometry.is_empty & ~geometry.geom_type.eq("Point")
    if wrong.any():
        shown = "; ".join(f"'{n or '(no name)'}' (folder '{f}', {g})" for n, f, g in
                          zip(names[wrong][:5], raw.loc[wrong, "_folder"][:5], geometry[wrong].geom_type[:5]))
        chk.add(raw.index[wrong], "geometry", f"{int(wrong.sum())} placemark(s) are shapes, not points: {shown}"
                f"{' ...' if wrong.sum() > 5 else ''}",
                "a sites or facilities file holds one point per place: export only the layer (folder) of point "
                "markers, or delete the polygons and lines in Google My Maps / Google Earth")
        chk.raise_if_errors()
    table = pd.DataFrame(index=raw.index)
    table["Nama"] = names
    extended = [c for c in raw.columns if c.lower() not in BOOKKEEPING | {"name", "description", "geometry", "_folder"}]
    for c in extended:
        table[c] = raw[c]
    descriptions = raw[cols["description"]].map(html_text) if "description" in cols else pd.Series("", index=raw.index)
    parsed = descriptions.map(lambda t: description_fields(t, kind) if kind in ("sites", "facilities") else None)
    have = {header_key(c) for c in table.columns}  # fields the placemarks' ExtendedData already hold
    for i, found in parsed.items():
        for header, value in (found or {}).items():
            if header not in table.columns:
                if header_key(header) in have:
                    continue  # the ExtendedData field wins over the description
                table[header] = ""
            if str(table.at[i, header]).strip() in ("", "nan", "None"):
                table.at[i, header] = value
    free = descriptions.where(parsed.isna(), "")
    if free.ne("").any():
        table["Keterangan" if "notes" not in recognise(list(table.columns), kind or "sites").found else "Deskripsi"] = \
            free.str.replace("\n", "; ", regex=False)
    folders = raw["_folder"]
    if kind == "facilities" and "facility_type" not in recognise(list(table.columns), kind).found:
        table["Jenis (folder)"] = folders
    elif folders.nunique() > 1:
        table["Folder"] = folders
    counts = folders.value_counts(sort=False)
    chk.info.append(f"{len(table)} placemarks in {len(counts)} folder(s) ("
                    + ", ".join(f"'{f}' {n}" for f, n in counts.items()) + "); placemark N is the N-th, folder by folder")
    return gpd.GeoDataFrame(table.fillna(""), geometry=geometry.values, crs=geometry.crs)

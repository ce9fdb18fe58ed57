"""Inputs of the DKI notebooks (01-03) for any other province, from the national data layer.

DKI Jakarta has a rich layer (kelurahan polygons, office points, the 44 sites of the Pemprov DKI
programme).  For the 37 other provinces only the national layer exists
(``data/processed/national``): kab/kota and kecamatan polygons, and one point per desa (the
centroid of its polygon) with its KawalPemilu TPS.  :func:`load_province` shapes it like the DKI
inputs (:class:`helpers.loaders.Inputs`), so that the same analysis, maps and reports run:

* ``kota``: the kab/kota of the province; ``kecamatan``: its kecamatan.
* ``kelurahan``: **approximate desa areas** -- the desa polygons are not in this repository
  (357 MB upstream), so each desa gets the Voronoi cell of its point within its kecamatan
  polygon (computed in metres, in the province's UTM zone).  Every row says so
  (``approximate = True``, ``area_basis``); the desa point itself is kept (``point_lon``,
  ``point_lat``) and is the desa's demand point.
* ``sites``: one PPK site per kecamatan at a point inside the kecamatan -- on its part with the
  most TPS (:func:`helpers.overview.ppk_sites`), **approximate**, venue unknown; internet is
  *assumed* at every site (the what-if of a programme like DKI's).  A user's sites file replaces
  the default site of every kecamatan it lists.
* ``facilities``: none are known nationally; a user's facilities file is read as in DKI.
* ``tps``: KawalPemilu TPS per desa (a user's TPS file replaces them).
* ``island_group`` of every desa: the land part (of the province's kab/kota polygons) holding
  its point, so that a straight line between two land parts is known to cross the sea.

The unplaced desa of the join report (no polygon upstream) are counted in ``Inputs.notes``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import paths
from .geo import WGS84, metric_crs
from .names import kota_short, name_key, slug

NATIONAL = paths.PROCESSED / "national"
#: Kemendagri code of DKI Jakarta (the province with its own, richer layer).
DKI_KODE = "31"
#: ``location_source`` of a default province site.
SITE_SOURCE = "kecamatan_point"
SITE_BASIS = ("approximate: a point inside the kecamatan polygon (on its part with the most TPS); no national list of "
              "PPK recapitulation venues or kantor camat positions exists")
AREA_BASIS = ("approximate: Voronoi cell of the desa point (centroid of the desa polygon) within its kecamatan; the "
              "desa boundary itself is not in this repository")
INTERNET_SOURCE = "assumed: the what-if of a programme like Pemprov DKI's, internet at every PPK site"

#: Short names people use for provinces (keys: lower-case letters and digits).
PROVINCE_ALIASES = {
    "dki": "Daerah Khusus Ibukota Jakarta", "dkijakarta": "Daerah Khusus Ibukota Jakarta",
    "diy": "Daerah Istimewa Yogyakarta", "jogja": "Daerah Istimewa Yogyakarta", "babel": "Kepulauan Bangka Belitung",
    "kepri": "Kepulauan Riau", "ntb": "Nusa Tenggara Barat", "ntt": "Nusa Tenggara Timur", "sumut": "Sumatera Utara",
    "sumbar": "Sumatera Barat", "sumsel": "Sumatera Selatan", "jabar": "Jawa Barat", "jateng": "Jawa Tengah",
    "jatim": "Jawa Timur", "kalbar": "Kalimantan Barat", "kalteng": "Kalimantan Tengah",
    "kalsel": "Kalimantan Selatan", "kaltim": "Kalimantan Timur", "kaltara": "Kalimantan Utara",
    "sulut": "Sulawesi Utara", "sulteng": "Sulawesi Tengah", "sulsel": "Sulawesi Selatan",
    "sultra": "Sulawesi Tenggara", "sulbar": "Sulawesi Barat", "malut": "Maluku Utara"}


class UnknownProvince(ValueError):
    """``provinsi`` names no province of the national layer; the message lists some."""


def provinces(folder: Path | str | None = None) -> pd.DataFrame:
    """The 38 provinces of the national layer: ``kode``, ``nama`` (sorted by code)."""
    f = Path(folder or NATIONAL)
    return pd.read_parquet(f / "provinsi.parquet", columns=["kode", "nama"]).sort_values("kode", ignore_index=True)


def match_unit(value, codes: list[str], names: list[str], what: str) -> int:
    """Row of the unit named by ``value``, as people type it.

    Tried in order: the code (dotted or not) or the full name (any case); for provinces a
    common short name (:data:`PROVINCE_ALIASES`: "jabar", "DKI", "kepri"); the name key
    (:func:`helpers.names.name_key`, which drops "Kabupaten"/"Kota") if one unit has it; the one
    unit whose key contains it.  "Kota Bogor" and "Kabupaten Bogor" are told apart by the full
    name; "Bogor" alone is ambiguous.

    Raises
    ------
    UnknownProvince
        For an ambiguous or unknown name, naming the candidates.

    Examples
    --------
    >>> match_unit("Kota Bogor", ["32.01", "32.71"], ["Kabupaten Bogor", "Kota Bogor"], "kab/kota")
    1
    >>> match_unit("jabar", ["31", "32"], ["Daerah Khusus Ibukota Jakarta", "Jawa Barat"], "provinsi")
    1
    """
    t = " ".join(str(value).split())
    if what == "provinsi":
        t = PROVINCE_ALIASES.get("".join(ch for ch in t.lower() if ch.isalnum()), t)
    full = [i for i, (c, n) in enumerate(zip(codes, names))
            if t in (c, c.replace(".", "")) or t.casefold() == str(n).casefold()]
    key = name_key(t)
    keys = [name_key(n) for n in names]
    for found in (full, [i for i, k in enumerate(keys) if key and k == key],
                  [i for i, k in enumerate(keys) if key and key in k]):
        if len(found) == 1:
            return found[0]
        if found:
            raise UnknownProvince(f"{what} {value!r} is ambiguous: {', '.join(names[i] for i in found[:10])}; "
                                  "give the full name or the code")
    raise UnknownProvince(f"unknown {what} {value!r}; use a name or code, e.g. {', '.join(list(names)[:6])}")


def resolve_provinsi(provinsi, folder: Path | str | None = None) -> tuple[str, str]:
    """``(kode, nama)`` of the province ``provinsi`` names; None means DKI Jakarta.

    Examples
    --------
    >>> resolve_provinsi(None), resolve_provinsi("jabar"), resolve_provinsi("73")
    (('31', 'Daerah Khusus Ibukota Jakarta'), ('32', 'Jawa Barat'), ('73', 'Sulawesi Selatan'))
    """
    prov = provinces(folder)
    if provinsi is None or str(provinsi).strip() == "":
        return DKI_KODE, prov.loc[prov["kode"] == DKI_KODE, "nama"].iloc[0]
    i = match_unit(provinsi, list(prov["kode"]), list(prov["nama"]), "provinsi")
    return prov["kode"].iloc[i], prov["nama"].iloc[i]


def is_dki_provinsi(provinsi) -> bool:
    """Whether ``provinsi`` is DKI Jakarta (None, "DKI Jakarta", "31", ...).

    Examples
    --------
    >>> is_dki_provinsi(None), is_dki_provinsi("DKI Jakarta"), is_dki_provinsi("Maluku")
    (True, True, False)
    """
    return resolve_provinsi(provinsi)[0] == DKI_KODE


def _read(folder: Path, name: str, kode: str, columns=None) -> gpd.GeoDataFrame:
    return gpd.read_parquet(folder / f"{name}.parquet", columns=columns, filters=[("provinsi_kode", "==", kode)])


def kota_names(kabkota: pd.DataFrame) -> pd.Series:
    """Display name of each kab/kota: the short name ("Bogor") unless two share it in the table,
    then the full name ("Kabupaten Bogor", "Kota Bogor").

    Examples
    --------
    >>> kota_names(pd.DataFrame({"nama": ["Kabupaten Bogor", "Kota Bogor", "Kabupaten Garut"]})).tolist()
    ['Kabupaten Bogor', 'Kota Bogor', 'Garut']
    """
    short = kabkota["nama"].map(kota_short)
    twice = short.duplicated(keep=False)
    return kabkota["nama"].where(twice, short)


def desa_areas(desa: gpd.GeoDataFrame, kecamatan: gpd.GeoDataFrame, crs: str) -> gpd.GeoSeries:
    """Approximate area of each desa: the Voronoi cell of its point within its own kecamatan.

    Computed in ``crs`` (metres).  A desa whose point lies outside its kecamatan polygon (the
    upstream layers disagree) gets what its cell keeps inside; a cell left empty becomes a 100 m
    disc around the point (so that the desa stays on the map).  Returned in EPSG:4326, aligned
    with ``desa``.
    """
    d = desa.to_crs(crs)
    kec = kecamatan.to_crs(crs).set_index("kode").geometry
    out = np.empty(len(d), dtype=object)
    for code, idx in d.groupby("kecamatan_kode").indices.items():
        poly = kec.get(code)
        pts = d.geometry.values[idx]
        if poly is None or poly.is_empty:
            out[idx] = shapely.buffer(pts, 100.0)
            continue
        if len(idx) == 1:
            out[idx] = [poly]
            continue
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=poly, ordered=True))
        out[idx] = shapely.intersection(cells, poly)
    empty = shapely.is_empty(out) | (shapely.area(out) == 0)
    if empty.any():
        out[empty] = shapely.buffer(d.geometry.values[empty], 100.0)
    return gpd.GeoSeries(out, index=desa.index, crs=crs).to_crs(WGS84)


def land_parts(kabkota: gpd.GeoDataFrame) -> np.ndarray:
    """The separate pieces of land of the kab/kota polygons (islands), largest first."""
    parts = shapely.get_parts(shapely.union_all(kabkota.geometry.values))
    return parts[np.argsort(-shapely.area(parts), kind="stable")]


def island_groups(points, parts: np.ndarray) -> np.ndarray:
    """Land part (index into ``parts``) of each point; the nearest part for a point on none."""
    pts = np.asarray(points)
    tree = shapely.STRtree(parts)
    pi, pj = tree.query(pts, predicate="intersects")
    out = np.full(len(pts), -1, np.int64)
    first = np.unique(pi, return_index=True)
    out[first[0]] = pj[first[1]]
    lost = np.flatnonzero(out < 0)
    if len(lost):
        out[lost] = tree.query_nearest(pts[lost], all_matches=False)[1]
    return out


class ProvinceLayers:
    """The reference layers of one province in the shape of the DKI inputs (see the module docstring).

    Attributes: ``kode``, ``nama``, ``crs`` (metric CRS of the province), ``kota``, ``kecamatan``,
    ``kelurahan`` (approximate desa areas), ``tps`` (TPS per desa), ``sites`` (default sites),
    ``land`` (map-ready kab/kota polygons: the land of the sea-crossing rule), ``notes``.
    """

    def __init__(self, kode: str, nama: str, crs: str, kota: gpd.GeoDataFrame, kecamatan: gpd.GeoDataFrame,
                 kelurahan: gpd.GeoDataFrame, tps: gpd.GeoDataFrame, sites: gpd.GeoDataFrame,
                 land: gpd.GeoDataFrame, notes: list[str]):
        self.kode, self.nama, self.crs = kode, nama, crs
        self.kota, self.kecamatan, self.kelurahan, self.tps, self.sites = kota, kecamatan, kelurahan, tps, sites
        self.land, self.notes = land, notes


def province_layers(provinsi, folder: Path | str | None = None) -> ProvinceLayers:
    """Read the national layer of one province (not DKI Jakarta) and shape it like the DKI inputs.

    Parameters
    ----------
    provinsi : str
        Name or code in any spelling (:func:`resolve_provinsi`).
    folder : path-like, optional
        The national layer (default ``data/processed/national``).

    Examples
    --------
    >>> lay = province_layers("Maluku Utara")
    >>> len(lay.kota), len(lay.kecamatan), len(lay.kelurahan), int(lay.tps["tps_total"].sum()), lay.crs
    (10, 118, 1180, 4174, 'EPSG:32652')
    """
    from .overview import ppk_sites  # the site rule of the national overview (notebook 04)

    f = Path(folder or NATIONAL)
    kode, nama = resolve_provinsi(provinsi, f)
    if kode == DKI_KODE:
        raise ValueError("DKI Jakarta has its own layer: use helpers.loaders.load_inputs without provinsi")
    crs = metric_crs(kode)
    kab = _read(f, "kabkota", kode).sort_values("kode", ignore_index=True)
    kec = _read(f, "kecamatan", kode).sort_values("kode", ignore_index=True)
    desa = _read(f, "desa_tps", kode).sort_values("kode", ignore_index=True)
    land = _read(f, "kabkota_map", kode, columns=["kode", "geometry", "provinsi_kode"]).sort_values(
        "kode", ignore_index=True)[["kode", "geometry"]]
    names = dict(zip(kab["kode"], kota_names(kab)))
    kota = gpd.GeoDataFrame({"kode": kab["kode"], "nama": kab["kode"].map(names), "nama_resmi": kab["nama"],
                             "n_kecamatan": kab["n_kecamatan"], "n_kelurahan": kab["n_desa"],
                             "area_km2": kab["area_km2"]}, geometry=kab.geometry.values, crs=kab.crs)
    kecamatan = gpd.GeoDataFrame({"kode": kec["kode"], "nama": kec["nama"], "kota_kode": kec["kabkota_kode"],
                                  "kota": kec["kabkota_kode"].map(names), "n_kelurahan": kec["n_desa"],
                                  "area_km2": kec["area_km2"]}, geometry=kec.geometry.values, crs=kec.crs)
    kec_name = dict(zip(kec["kode"], kec["nama"]))
    parts = land_parts(kab)
    area = desa_areas(desa, kec, crs)
    kel = gpd.GeoDataFrame({
        "kode": desa["kode"], "kode_kpu": desa["kode_kpu"], "nama": desa["nama"],
        "kecamatan_kode": desa["kecamatan_kode"], "kecamatan": desa["kecamatan_kode"].map(kec_name),
        "kota_kode": desa["kabkota_kode"], "kota": desa["kabkota_kode"].map(names),
        "area_km2": (area.to_crs(crs).area / 1e6).round(3).to_numpy(), "approximate": True,
        "area_basis": AREA_BASIS, "point_lon": desa.geometry.x.round(6), "point_lat": desa.geometry.y.round(6),
        "point_basis": desa["position_basis"],
        "island_group": island_groups(desa.geometry.values, parts).astype(str)}, geometry=area.values, crs=WGS84)
    tps = kel[["kode", "nama", "kecamatan_kode", "kecamatan", "kota_kode", "kota", "geometry"]].copy()
    for c in ("tps_total", "tps_reguler", "tps_khusus"):
        tps[c] = desa[c].astype(int).to_numpy()
    tps["tps_khusus_nomor"] = desa["tps_khusus_nomor"].fillna("").to_numpy()
    pts = ppk_sites(kec, desa)[0]
    lon, lat = shapely.get_x(pts).round(6), shapely.get_y(pts).round(6)
    sites = gpd.GeoDataFrame({
        "site_id": "PPK-" + kec["kode"], "kecamatan_kode": kec["kode"], "kecamatan": kec["nama"],
        "kota_kode": kec["kabkota_kode"], "kota": kec["kabkota_kode"].map(names),
        "venue": "PPK " + kec["nama"] + " (venue unknown)", "venue_status": "unknown", "address": "",
        "lon": lon, "lat": lat, "location_source": SITE_SOURCE, "approximate": True, "position_basis": SITE_BASIS,
        "internet": True, "internet_source": INTERNET_SOURCE, "source_note": "", "notes": ""},
        geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    sites["island_group"] = island_groups(sites.geometry.values, parts).astype(str)
    notes = [f"{nama}: {len(kota)} kab/kota, {len(kecamatan)} kecamatan, {len(kel):,} desa/kelurahan, "
             f"{int(tps['tps_total'].sum()):,} TPS placed (national layer); {len(parts)} separate land parts"]
    summary = pd.read_csv(f / "join_summary.csv", dtype={"prov_kode": str})
    row = summary[summary["prov_kode"] == kode]
    if len(row):
        r = row.iloc[0]
        notes.append(f"{nama}: {int(r['desa_unplaced']):,} KawalPemilu desa with {int(r['tps_unplaced']):,} TPS are "
                     f"not placed (no polygon upstream; data/processed/national/join_unplaced_desa.csv) and are in no "
                     f"table or map of this run; placed {int(r['tps_placed']):,} of {int(r['tps_total']):,} TPS")
    for g in (kota, kecamatan, kel, tps, sites):
        g.attrs = {"provinsi_kode": kode, "provinsi": nama}
    return ProvinceLayers(kode, nama, crs, kota, kecamatan, kel, tps, sites, land, notes)


def kabkota_table(folder: Path | str | None = None) -> pd.DataFrame:
    """Every kab/kota of the national layer: ``kode``, ``nama``, ``provinsi_kode``, ``provinsi``."""
    f = Path(folder or NATIONAL)
    return pd.read_parquet(f / "kabkota.parquet", columns=["kode", "nama", "provinsi_kode", "provinsi"])


def kabkota_slug(nama: str, all_names) -> str:
    """Folder name of a kab/kota scope: its short name, or its full name when another kab/kota of
    Indonesia has the same short name (``"kota-bogor"``, ``"kabupaten-bogor"``, ``"halmahera-barat"``).

    Examples
    --------
    >>> kabkota_slug("Kota Bogor", ["Kota Bogor", "Kabupaten Bogor"]), kabkota_slug("Kabupaten Garut", ["Kabupaten Garut"])
    ('kota-bogor', 'garut')
    """
    key = name_key(nama)
    same = sum(name_key(n) == key for n in all_names)
    return slug(kota_short(nama) if same == 1 else nama)


def province_scope(provinsi, kota=None, folder: Path | str | None = None) -> dict:
    """Scope of a run outside DKI: ``provinsi_kode``, ``provinsi``, ``kabkota_kode``, ``kabkota``,
    ``label`` and ``slug`` (the output folder name, the same as notebook 04's for that scope).

    Examples
    --------
    >>> s = province_scope("Maluku Utara", "Halmahera Barat")
    >>> s["kabkota_kode"], s["slug"], province_scope("jabar")["slug"]
    ('82.01', 'halmahera-barat', 'jawa-barat')
    """
    kode, nama = resolve_provinsi(provinsi, folder)
    out = {"provinsi_kode": kode, "provinsi": nama, "kabkota_kode": None, "kabkota": None, "label": nama,
           "slug": slug(nama)}
    if kota is not None and str(kota).strip() != "" and name_key(kota) not in ("", "all", "semua"):
        kab = kabkota_table(folder)
        mine = kab[kab["provinsi_kode"] == kode].reset_index(drop=True)
        i = match_unit(kota, list(mine["kode"]), list(mine["nama"]), "kab/kota")
        r = mine.iloc[i]
        out.update(kabkota_kode=r["kode"], kabkota=r["nama"], label=f"{r['nama']} ({nama})",
                   slug=kabkota_slug(r["nama"], kab["nama"]))
    return out

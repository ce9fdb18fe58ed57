"""Administrative units of a file's rows: kota, kecamatan and kelurahan by code or lenient name.

Offices write names in many ways (``"KOTA ADM. JAKARTA PUSAT"``, ``"Kec. Pulo Gadung"``,
``"Tanjung Priuk"``); :func:`helpers.core.names.name_key` reduces them to one key.  Matching is
vectorised: each distinct value is looked up once and the result mapped back to the rows, so a
100,000-row file costs no more than its distinct names.  Unknown names get the closest official
names ("did you mean") and, when the row has a point, the unit the point lies in.
"""

from __future__ import annotations

import difflib
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from helpers.core.geo import metric_crs
from helpers.core.names import name_key
from helpers.core.scope import DKI_LABEL

#: Points farther than this from every kota polygon are outside the area (DKI Jakarta or the province).
OUTSIDE_DKI_M = 2_000.0



def layer_area(units) -> str:
    """The area a layer of units covers, to name it in messages: its province (the ``provinsi`` the
    province layers carry in ``attrs``), else DKI Jakarta.

    Examples
    --------
    >>> frame = pd.DataFrame({"kode": ["82.71"]}); frame.attrs["provinsi"] = "Maluku Utara"
    >>> layer_area(frame), layer_area(pd.DataFrame())
    ('Maluku Utara', 'DKI Jakarta')
    """
    return str((getattr(units, "attrs", None) or {}).get("provinsi", DKI_LABEL))


def normalise_code(values: pd.Series, parts: int) -> pd.Series:
    """Kemendagri codes with dots: ``3171011001`` and ``31.71.01.1001`` are one kelurahan.

    Examples
    --------
    >>> normalise_code(pd.Series(["3171011001", "31.71.01.1001", " 31.71.01 ", ""]), 4).tolist()
    ['31.71.01.1001', '31.71.01.1001', '31.71.01', '']
    >>> normalise_code(pd.Series(["317101", "3171"]), 3).tolist()
    ['31.71.01', '3171']
    """
    text = values.astype(str).str.strip()
    widths = {2: (2, 2), 3: (2, 2, 2), 4: (2, 2, 2, 4)}[parts]
    pattern = "".join(rf"(\d{{{w}}})" for w in widths)
    plain = text.str.fullmatch(pattern)
    dotted = text.str.replace(r"\D", "", regex=True)
    pieces = [dotted.str[sum(widths[:i]):sum(widths[:i + 1])] for i in range(len(widths))]
    joined = pieces[0]
    for p in pieces[1:]:
        joined = joined + "." + p
    return text.where(~plain, joined)


def name_keys(values: pd.Series) -> pd.Series:
    """:func:`name_key` of each value, computed once per distinct value."""
    text = values.astype(str).str.strip()
    return text.map({u: name_key(u) for u in pd.unique(text)})


def _closest(value: str, names: list[str], n: int = 3) -> list[str]:
    keys = {name_key(x): x for x in names}
    hits = difflib.get_close_matches(name_key(value), list(keys), n=n, cutoff=0.6)
    return [keys[h] for h in hits]


def did_you_mean(values, names: list[str]) -> str:
    """``"did you mean X, Y?"`` for the closest official names of unknown ``values`` (or "")."""
    close = []
    for v in values:
        for c in _closest(str(v), names):
            if c not in close:
                close.append(c)
    return f"did you mean {', '.join(close[:5])}?" if close else ""


def kota_lookup(values: pd.Series, ref: gpd.GeoDataFrame) -> pd.Series:
    """Kota code of each value (name in any spelling, or code ``31.71``/``3171``); ``None`` when
    unknown, ``""`` when empty.  ``ref`` has ``kota_kode`` and ``kota`` columns (kecamatan level)."""
    table = {}
    for code, name in zip(ref["kota_kode"], ref["kota"]):
        table[name_key(name)] = code
        table[code] = code
        table[code.replace(".", "")] = code
    raw = values.astype(str).str.strip()
    uniq = pd.unique(raw)
    found = {u: ("" if u in ("", "nan", "None") else table.get(u, table.get(name_key(u)))) for u in uniq}
    return raw.map(found)


def located_in(points: gpd.GeoSeries, polygons: gpd.GeoDataFrame, name_col: str = "nama") -> pd.Series:
    """Name of the polygon each point lies in (``None`` outside all of them or without a point)."""
    out = pd.Series(None, index=points.index, dtype=object)
    has = points.notna() & ~points.is_empty
    if not has.any():
        return out
    pts = gpd.GeoDataFrame(geometry=points[has], crs=points.crs).to_crs(polygons.crs)
    hit = gpd.sjoin(pts, polygons[[name_col, "geometry"]], how="left", predicate="within")
    hit = hit[~hit.index.duplicated()]
    out.loc[hit.index] = hit[name_col].where(hit[name_col].notna(), None)
    return out


def check_in_area(gdf: gpd.GeoDataFrame, kota: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    """Which points lie in the area of ``kota`` (within :data:`OUTSIDE_DKI_M` of a kota polygon).

    Returns ``(has_point, inside)`` boolean series.  ``kota``: the kota or kab/kota polygons of the
    run; distances in its province's UTM zone.
    """
    margin = 0.05  # degrees (> 5 km): a first cut; the distance below decides near the edge
    minx, miny, maxx, maxy = kota.total_bounds + np.array([-margin, -margin, margin, margin])
    has = gdf.geometry.notna() & ~gdf.geometry.is_empty
    x = gdf.geometry.x.where(has)
    y = gdf.geometry.y.where(has)
    near = has & x.between(minx, maxx) & y.between(miny, maxy)
    if near.any():
        crs = metric_crs(kota)
        area = kota.to_crs(crs).geometry.union_all()
        shapely.prepare(area)
        pts = gdf.loc[near].to_crs(crs).geometry
        inside = shapely.contains_xy(area, pts.x.to_numpy(), pts.y.to_numpy())
        # only the few points outside every polygon need a distance (a distance to the complex
        # outline of DKI costs ~40 µs a point: 4 s for 100,000 points)
        out = ~inside
        if out.any():
            inside[out] = shapely.distance(area, pts.to_numpy()[out]) <= OUTSIDE_DKI_M
        near.loc[near] = inside
    return has, has & near


def match_kecamatan(df: pd.DataFrame, cols: dict, kec_ref: gpd.GeoDataFrame) -> pd.DataFrame:
    """Kecamatan code of each row, by code or by name within its kota; with the kind of failure.

    Returns a frame with ``kecamatan_kode`` (``""`` when unmatched) and ``problem`` (``""``,
    ``"unknown_kota"``, ``"unknown_kecamatan"``, ``"wrong_kota"``, ``"ambiguous"``,
    ``"no_kecamatan"``) and ``kota_given`` (the kota code the row names, if any).
    """
    n = len(df)
    kota_code = (kota_lookup(df[cols["kota"]], kec_ref) if "kota" in cols
                 else pd.Series("", index=df.index, dtype=object))
    problem = pd.Series("", index=df.index, dtype=object)
    problem[kota_code.isna()] = "unknown_kota"
    kota_code = kota_code.fillna("")
    code = pd.Series("", index=df.index, dtype=object)
    by_code = set(kec_ref["kode"])
    if "kecamatan_kode" in cols:
        given = normalise_code(df[cols["kecamatan_kode"]], 3)
        has_code = given.ne("") & problem.eq("")
        code[has_code] = given[has_code]
        problem[has_code & ~given.isin(by_code)] = "unknown_kecamatan"
        code[problem.ne("")] = ""
    else:
        has_code = pd.Series(False, index=df.index)
    if "kecamatan" in cols:
        names = df[cols["kecamatan"]].astype(str).str.strip()
        todo = ~has_code & problem.eq("")
        keys = name_keys(names)
        table: dict[str, list[str]] = {}
        for c, nm in zip(kec_ref["kode"], kec_ref["nama"]):
            table.setdefault(name_key(nm), []).append(c)
        hits = keys.map(lambda k: table.get(k, []))
        empty = todo & names.isin(["", "nan", "None"])
        problem[empty] = "no_kecamatan"
        todo &= ~empty
        none = todo & hits.map(len).eq(0)
        problem[none] = "unknown_kecamatan"
        todo &= ~none
        kota_of = dict(zip(kec_ref["kode"], kec_ref["kota_kode"]))

        def pick(key: str, kota: str) -> str:
            options = table[key]
            if kota:
                options = [c for c in options if kota_of[c] == kota] or options
            return options[0] if len(options) == 1 else ""

        pair = keys[todo] + "|" + kota_code[todo]
        picked = pair.map({p: pick(*p.split("|")) for p in pd.unique(pair)})  # each distinct pair once
        code[picked.index] = picked
        problem[picked.index[picked.eq("")]] = "ambiguous"
    elif "kecamatan_kode" not in cols:
        problem[problem.eq("")] = "no_kecamatan"
    kota_of = dict(zip(kec_ref["kode"], kec_ref["kota_kode"]))
    wrong = code.ne("") & kota_code.ne("") & code.map(kota_of).ne(kota_code)
    problem[wrong] = "wrong_kota"
    code[wrong] = ""
    if "kecamatan_kode" in cols and "kecamatan" not in cols:
        problem[code.eq("") & problem.eq("")] = "no_kecamatan"
    return pd.DataFrame({"kecamatan_kode": code, "problem": problem, "kota_given": kota_code}, index=df.index)[
        ["kecamatan_kode", "problem", "kota_given"]] if n else pd.DataFrame(
        {"kecamatan_kode": [], "problem": [], "kota_given": []})


def match_kelurahan(df: pd.DataFrame, cols: dict, kel_ref: gpd.GeoDataFrame) -> pd.DataFrame:
    """Kelurahan code of each row by Kemendagri/KPU code or by name (within its kecamatan/kota).

    Returns ``kode`` (``""`` when unmatched) and ``problem`` (``""``, ``"unknown_code"``,
    ``"unknown_kelurahan"``, ``"ambiguous"``, ``"no_kelurahan"``, ``"wrong_unit"``).
    """
    code = pd.Series("", index=df.index, dtype=object)
    problem = pd.Series("", index=df.index, dtype=object)
    known = set(kel_ref["kode"])
    has_code = pd.Series(False, index=df.index)
    if "kode" in cols:
        given = normalise_code(df[cols["kode"]], 4)
        has_code = given.ne("")
        code[has_code] = given[has_code]
        bad = has_code & ~given.isin(known)
        problem[bad] = "unknown_code"
        code[bad] = ""
    todo = ~has_code
    if "kelurahan" in cols:
        names = df[cols["kelurahan"]].astype(str).str.strip()
        keys = name_keys(names)
        table: dict[str, list[int]] = {}
        for j, nm in enumerate(kel_ref["nama"]):
            table.setdefault(name_key(nm), []).append(j)
        empty = todo & names.isin(["", "nan", "None"])
        problem[empty] = "no_kelurahan"
        todo &= ~empty
        hits = keys.map(lambda k: table.get(k, []))
        none = todo & hits.map(len).eq(0)
        problem[none] = "unknown_kelurahan"
        todo &= ~none
        kec_key = (name_keys(df[cols["kecamatan"]]) if "kecamatan" in cols
                   else pd.Series("", index=df.index))
        kota_key = (name_keys(df[cols["kota"]]) if "kota" in cols
                    else pd.Series("", index=df.index))
        ref_kec = kel_ref["kecamatan"].map(name_key).to_numpy()
        ref_kota = kel_ref["kota"].map(name_key).to_numpy()
        ref_code = kel_ref["kode"].to_numpy()

        def pick(key: str, kec: str, kota: str) -> str:
            options = table[key]
            if len(options) > 1 and kec:
                options = [j for j in options if ref_kec[j] == kec] or options
            if len(options) > 1 and kota:
                options = [j for j in options if ref_kota[j] == kota] or options
            return ref_code[options[0]] if len(options) == 1 else ""

        triple = keys[todo] + "|" + kec_key[todo] + "|" + kota_key[todo]
        picked = triple.map({t: pick(*t.split("|")) for t in pd.unique(triple)})  # each distinct one once
        code[picked.index] = picked
        problem[picked.index[picked.eq("")]] = "ambiguous"
    elif "kode" not in cols:
        problem[:] = "no_kelurahan"
    else:
        problem[todo] = "no_kelurahan"
    # a kecamatan given beside a code must agree with it
    if "kecamatan" in cols:
        kec_of = dict(zip(kel_ref["kode"], kel_ref["kecamatan"].map(name_key)))
        given = name_keys(df[cols["kecamatan"]])
        wrong = code.ne("") & given.ne("") & code.map(kec_of).ne(given)
        problem[wrong] = "wrong_unit"
    return pd.DataFrame({"kode": code, "problem": problem}, index=df.index)


def unit_names(codes: pd.Series, ref: gpd.GeoDataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Columns of ``ref`` (renamed by ``columns``) for each code (empty strings where unmatched)."""
    table = ref.drop(columns="geometry").set_index("kode")
    out = pd.DataFrame(index=codes.index)
    for src, dst in columns.items():
        out[dst] = codes.map(table[src] if src != "kode" else pd.Series(table.index, index=table.index))
    return out


def sample(values, limit: int = 5) -> str:
    """A short list of distinct values for a message.

    Examples
    --------
    >>> sample(["a", "b", "a", "c"], 2)
    "'a', 'b' and 1 more"
    """
    seen = list(dict.fromkeys(str(v) for v in values))
    text = ", ".join(repr(v) for v in seen[:limit])
    return text + (f" and {len(seen) - limit} more" if len(seen) > limit else "")


def code_digits(text: str) -> str:
    """Digits of a code (for messages)."""
    return re.sub(r"\D", "", str(text))


def distances_to_own(points: gpd.GeoSeries, codes: pd.Series, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """Metres from each point to the polygon whose ``kode`` it names (in the UTM zone of the
    polygons' province, :func:`helpers.core.geo.metric_crs`), vectorised."""
    crs = metric_crs(polygons)
    ref = polygons.set_index("kode").to_crs(crs).geometry
    geoms = ref.reindex(codes.to_numpy()).to_numpy()
    pts = gpd.GeoSeries(points, crs=points.crs).to_crs(crs).to_numpy()
    return shapely.distance(pts, geoms)

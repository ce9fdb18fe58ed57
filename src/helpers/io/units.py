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
from helpers.io.matching import NameIndex, is_empty, words

#: First digit of the last part of a Kemendagri code: 1 for a kelurahan, 2 for a desa (Permendagri 137/2017 on the
#: kode wilayah administrasi pemerintahan, as summarised at https://id.wikipedia.org/wiki/Kode_wilayah_administrasi_di_Indonesia
#: and https://www.itdesa.com/2021/06/kode-desa-berdasarkan-permendagri-137.html, read 2026-12-06; e.g. Kelurahan
#: Kecandran, Salatiga, is 33.73.04.1001); a row's "Kel." or "Desa" tells the two apart where they share a name
#: in one kecamatan (15 such pairs in the national layer, e.g. Sorkam Kanan 12.01.10.1001 and .2018).
KIND_DIGIT = {"kel": "1", "kelurahan": "1", "desa": "2", "ds": "2"}
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


def kota_candidates(values: pd.Series, ref: pd.DataFrame) -> pd.Series:
    """The kab/kota codes each value may name: a code (``31.71``/``3171``) or a name in any
    spelling, exact first (:class:`helpers.io.matching.NameIndex`); ``()`` when empty, ``None`` when
    unknown.  ``"Bogor"`` names both Kabupaten and Kota Bogor (two codes; the kecamatan decides).
    ``ref`` has ``kota_kode`` and ``kota`` columns (a kecamatan or kelurahan table).

    Examples
    --------
    >>> ref = pd.DataFrame({"kota_kode": ["32.01", "32.71", "32.02"],
    ...                     "kota": ["Kabupaten Bogor", "Kota Bogor", "Sukabumi"]})
    >>> kota_candidates(pd.Series(["KAB. BOGOR", "Bogor", "3202", "", "Garut"]), ref).tolist()
    [('32.01',), ('32.01', '32.71'), ('32.02',), (), None]
    """
    kotas = ref[["kota_kode", "kota"]].drop_duplicates("kota_kode")
    codes = [str(c) for c in kotas["kota_kode"]]
    index = NameIndex([str(n) for n in kotas["kota"]], "kota")
    by_code = {c: c for c in codes} | {c.replace(".", ""): c for c in codes}

    def find(value: str):
        if is_empty(value):
            return ()
        if value in by_code:
            return (by_code[value],)
        hits = index.lookup(value)
        return tuple(codes[i] for i in hits) if hits else None

    raw = values.astype(str).str.strip()
    found = {u: find(u) for u in pd.unique(raw)}
    return pd.Series([found[u] for u in raw], index=values.index, dtype=object)


def _members(codes):
    """``members(keys)``: the positions in ``codes`` of any of ``keys`` (a tuple), as a set; each
    distinct tuple computed once."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(codes):
        groups.setdefault(str(c), []).append(i)
    done: dict[tuple, set[int]] = {}

    def members(keys: tuple) -> set[int]:
        if keys not in done:
            done[keys] = {i for k in keys for i in groups.get(k, ())}
        return done[keys]

    return members


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

    Names are matched exact first (:class:`helpers.io.matching.NameIndex`): ``"KOTA MABA"`` is the
    kecamatan Kota Maba and ``"MABA"`` the kecamatan Maba, though both reduce to one lenient key; a
    kab/kota given picks among the units of its own (``"Maba"`` in a kab/kota that holds only
    *Kota Maba* is Kota Maba).

    Returns a frame with ``kecamatan_kode`` (``""`` when unmatched) and ``problem`` (``""``,
    ``"unknown_kota"``, ``"unknown_kecamatan"``, ``"wrong_kota"``, ``"ambiguous"``,
    ``"no_kecamatan"``) and ``kota_given`` (the kota code the row names, if it names one).
    """
    kota = (kota_candidates(df[cols["kota"]], kec_ref) if "kota" in cols
            else pd.Series([()] * len(df), index=df.index, dtype=object))
    problem = pd.Series("", index=df.index, dtype=object)
    problem[kota.isna()] = "unknown_kota"
    kota = pd.Series([() if k is None else k for k in kota], index=df.index, dtype=object)
    code = pd.Series("", index=df.index, dtype=object)
    codes = [str(c) for c in kec_ref["kode"]]
    kota_of = dict(zip(codes, kec_ref["kota_kode"].astype(str)))
    if "kecamatan_kode" in cols:
        given = normalise_code(df[cols["kecamatan_kode"]], 3)
        has_code = given.ne("") & problem.eq("")
        code[has_code] = given[has_code]
        problem[has_code & ~given.isin(set(codes))] = "unknown_kecamatan"
        code[problem.ne("")] = ""
    else:
        has_code = pd.Series(False, index=df.index)
    if "kecamatan" in cols:
        names = df[cols["kecamatan"]].astype(str).str.strip()
        todo = ~has_code & problem.eq("")
        empty = todo & names.isin(["", "nan", "None"])
        problem[empty] = "no_kecamatan"
        todo &= ~empty
        index = NameIndex(list(kec_ref["nama"].astype(str)), "kecamatan")
        in_kota = _members(kec_ref["kota_kode"])

        def pick(name: str, kotas: tuple) -> str:
            allowed = in_kota(kotas) if kotas else None
            hits, inside = index.find(name, allowed)
            if not hits:
                return "?unknown_kecamatan"
            if inside and len(hits) > 1:
                return "?ambiguous"
            return codes[hits[0]]  # when not inside the kota given: reported as wrong_kota below

        pairs = list(zip(names[todo], kota[todo]))
        found = {p: pick(*p) for p in dict.fromkeys(pairs)}  # each distinct pair once
        picked = pd.Series([found[p] for p in pairs], index=names[todo].index, dtype=object)
        failed = picked.str.startswith("?")
        problem[picked.index[failed]] = picked[failed].str[1:]
        code[picked.index[~failed]] = picked[~failed]
    elif "kecamatan_kode" not in cols:
        problem[problem.eq("")] = "no_kecamatan"
    wrong = pd.Series([bool(c) and bool(k) and kota_of.get(c) not in k for c, k in zip(code, kota)],
                      index=df.index, dtype=bool)
    problem[wrong] = "wrong_kota"
    code[wrong] = ""
    if "kecamatan_kode" in cols and "kecamatan" not in cols:
        problem[code.eq("") & problem.eq("")] = "no_kecamatan"
    given_kota = pd.Series([k[0] if len(k) == 1 else "" for k in kota], index=df.index, dtype=object)
    return pd.DataFrame({"kecamatan_kode": code, "problem": problem, "kota_given": given_kota}, index=df.index)


def _kecamatan_candidates(df: pd.DataFrame, cols: dict, kel_ref: pd.DataFrame, kota: pd.Series) -> pd.Series:
    """The kecamatan codes the kecamatan column of each row may name (within its kab/kota when it
    gives one); ``()`` when empty or unknown."""
    if "kecamatan" not in cols:
        return pd.Series([()] * len(df), index=df.index, dtype=object)
    kec = kel_ref[["kecamatan_kode", "kecamatan", "kota_kode"]].drop_duplicates("kecamatan_kode")
    codes = [str(c) for c in kec["kecamatan_kode"]]
    index = NameIndex(list(kec["kecamatan"].astype(str)), "kecamatan")
    in_kota = _members(kec["kota_kode"])

    def find(name: str, kotas: tuple) -> tuple:
        if is_empty(name):
            return ()
        allowed = in_kota(kotas) if kotas else None
        return tuple(codes[i] for i in index.lookup(name, allowed))

    names = df[cols["kecamatan"]].astype(str).str.strip()
    pairs = list(zip(names, kota))
    found = {p: find(*p) for p in dict.fromkeys(pairs)}
    return pd.Series([found[p] for p in pairs], index=df.index, dtype=object)


def match_kelurahan(df: pd.DataFrame, cols: dict, kel_ref: gpd.GeoDataFrame) -> pd.DataFrame:
    """Kelurahan code of each row by Kemendagri/KPU code or by name (within its kecamatan/kota).

    Names are matched exact first (:class:`helpers.io.matching.NameIndex`), within the row's
    kecamatan when it names one, else within its kab/kota; the kecamatan and kab/kota names are
    matched the same way (``"Kec. Kota Maba"`` is Kota Maba, not Maba).

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
    kota = (kota_candidates(df[cols["kota"]], kel_ref) if "kota" in cols
            else pd.Series([()] * len(df), index=df.index, dtype=object))
    kota = pd.Series([() if k is None else k for k in kota], index=df.index, dtype=object)
    kecs = _kecamatan_candidates(df, cols, kel_ref, kota)
    if "kelurahan" in cols:
        names = df[cols["kelurahan"]].astype(str).str.strip()
        empty = todo & names.isin(["", "nan", "None"])
        problem[empty] = "no_kelurahan"
        todo &= ~empty
        index = NameIndex(list(kel_ref["nama"].astype(str)), "kelurahan")
        ref_code = [str(c) for c in kel_ref["kode"]]
        in_kec, in_kota = _members(kel_ref["kecamatan_kode"]), _members(kel_ref["kota_kode"])

        def pick(name: str, kec: tuple, kotas: tuple) -> str:
            within = ([in_kec(kec)] if kec else []) + ([in_kota(kotas)] if kotas else [])
            hits, _ = index.find(name, *within, None)
            if not hits:
                return "?unknown_kelurahan"
            kind = KIND_DIGIT.get(words(name).split(" ")[0]) if len(hits) > 1 else None
            if kind:  # "Kel. X" / "Desa X" where a kelurahan and a desa share the name X
                hits = [i for i in hits if ref_code[i].rsplit(".", 1)[-1].startswith(kind)] or hits
            return ref_code[hits[0]] if len(hits) == 1 else "?ambiguous"

        triples = list(zip(names[todo], kecs[todo], kota[todo]))
        found = {t: pick(*t) for t in dict.fromkeys(triples)}  # each distinct one once
        picked = pd.Series([found[t] for t in triples], index=names[todo].index, dtype=object)
        failed = picked.str.startswith("?")
        problem[picked.index[failed]] = picked[failed].str[1:]
        code[picked.index[~failed]] = picked[~failed]
    elif "kode" not in cols:
        problem[:] = "no_kelurahan"
    else:
        problem[todo] = "no_kelurahan"
    # a kecamatan given beside a code must agree with it
    if "kecamatan" in cols:
        kec_of = dict(zip(kel_ref["kode"].astype(str), kel_ref["kecamatan_kode"].astype(str)))
        given = df[cols["kecamatan"]].astype(str).str.strip()
        wrong = pd.Series([bool(c) and not is_empty(g) and kec_of.get(c) not in k
                           for c, g, k in zip(code, given, kecs)], index=df.index, dtype=bool)
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

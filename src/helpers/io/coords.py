"""Points from the coordinate columns of a table: ``Lintang``/``Bujur`` or one ``Koordinat`` column.

Accepted: decimal degrees with a decimal point or a decimal comma (``-6,1754`` is read, with a
warning), one ``"lat, lon"`` column (``"-6.170687, 106.819062"``, also with ``;`` or a space
between the two numbers).  Refused with a clear message: empty or non-numeric values, projected
metres in a table (pass ``crs=``), latitude and longitude swapped.  Unusable rows get an empty
geometry so the other checks still run on the other rows (all problems reported at once).
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pyproj

from helpers.core.geo import WGS84
from helpers.io.validation import Checker

_PAIR = re.compile(r"^\s*\(?\s*([-+]?\d+(?:[.,]\d+)?)\s*(?:[;,]\s*|\s+)([-+]?\d+(?:[.,]\d+)?)\s*\)?\s*$")
_PAIR_SPLIT = re.compile(r"\s*[;,]\s*(?=[-+]?\d+\s*[°º˚])|(?<=[NSEWnsewSTUBstub\"”″])\s+(?=[-+]?\d)")
_EMPTY = ("", "nan", "None", "NaN", "-")
FIX_DEGREES = "write decimal degrees such as -6.1754 and 106.8272 (no degree signs or letters)"


#: Degrees, minutes, seconds as GPS devices and some office lists write them: 6°10'14.5"S,
#: 106° 49' 22" BT, 6°10'LS; hemisphere letters in English (N/S/E/W) or Indonesian (LU/LS/BT/BB).
_DMS = re.compile(r"""^\s*(?P<sign>[-+])?\s*(?P<d>\d{1,3}(?:[.,]\d+)?)\s*(?:°|º|˚|deg)\s*
                      (?:(?P<m>\d{1,2}(?:[.,]\d+)?)\s*(?:'|’|′)\s*)?
                      (?:(?P<s>\d{1,2}(?:[.,]\d+)?)\s*(?:"|”|″|''|’’)\s*)?
                      (?P<h>LU|LS|BT|BB|N|S|E|W)?\s*$""", re.I | re.X)


def dms_degrees(text: str) -> float | None:
    r"""Decimal degrees of a degrees-minutes-seconds text, or None.

    Examples
    --------
    >>> dms_degrees('6°10\'14.5"S'), dms_degrees('106° 49\' 22" BT'), dms_degrees("6°10'LS")
    (-6.170694, 106.822778, -6.166667)
    >>> dms_degrees("106.82") is None
    True
    """
    m = _DMS.match(str(text))
    if not m:
        return None
    num = lambda g: float(m.group(g).replace(",", ".")) if m.group(g) else 0.0  # noqa: E731
    value = num("d") + num("m") / 60 + num("s") / 3600
    south_west = (m.group("h") or "").upper() in ("S", "LS", "W", "BB") or m.group("sign") == "-"
    return round(-value if south_west else value, 6)


def numbers(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """Parse numbers, accepting a decimal comma ("-6,2") and degrees-minutes-seconds (6°10'14"S).

    Returns values, empty mask, bad mask, the mask of values written with a decimal comma, and
    the mask of values converted from degrees-minutes-seconds.

    Examples
    --------
    >>> v, empty, bad, comma, dms = numbers(pd.Series(["-6,17", "106.8", "", "6°10'S", "6 S"]))
    >>> v.round(4).tolist()[:4], empty.tolist(), bad.tolist()
    ([-6.17, 106.8, nan, -6.1667], [False, False, True, False, False], [False, False, False, False, True])
    >>> comma.tolist(), dms.tolist()
    ([True, False, False, False, False], [False, False, False, True, False])
    """
    text = series.astype(str).str.strip()
    empty = text.isin(_EMPTY)
    comma = (text.str.count(",") == 1) & ~text.str.contains(r"\.", regex=True) & ~text.str.contains("°|º|˚")
    fixed = text.where(~comma, text.str.replace(",", ".", regex=False))
    values = pd.to_numeric(fixed.where(~empty), errors="coerce")
    failed = values.isna() & ~empty
    dms = pd.Series(False, index=series.index)
    if failed.any():
        converted = text[failed].map(dms_degrees)
        ok = converted.notna()
        values.loc[converted.index[ok]] = converted[ok].astype(float)
        dms.loc[converted.index[ok]] = True
    bad = values.isna() & ~empty
    return values, empty, bad, comma & ~bad & ~empty, dms


def split_pairs(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    r"""Split ``"lat, lon"`` text into two text columns; third result: rows that are not a pair.

    Examples
    --------
    >>> a, b, bad = split_pairs(pd.Series(["-6.170687, 106.819062", "-6,17; 106,82", "", "x",
    ...                                    "6°10'14\"S 106°49'8\"E"]))
    >>> a.tolist(), b.tolist(), bad.tolist()
    (['-6.170687', '-6,17', '', '', '6°10\'14"S'], ['106.819062', '106,82', '', '', '106°49\'8"E'], [False, False, False, True, False])
    """
    text = series.astype(str).str.strip()
    parts = text.str.extract(_PAIR)
    empty = text.isin(_EMPTY)
    for i in parts.index[parts[0].isna() & ~empty]:  # a pair in degrees, minutes, seconds
        halves = _PAIR_SPLIT.split(text[i])
        if len(halves) == 2 and all(dms_degrees(h) is not None for h in halves):
            parts.loc[i, 0], parts.loc[i, 1] = halves
    bad = parts[0].isna() & ~empty
    return parts[0].fillna(""), parts[1].fillna(""), bad


def points_from_columns(df: pd.DataFrame, cols: dict, chk: Checker, crs=None) -> gpd.GeoDataFrame:
    """Points in EPSG:4326 from ``lon``/``lat`` (or ``coordinates``) columns of ``df``.

    ``cols`` maps field names to the file's headers; messages name the file's headers.
    """
    if "lat" in cols and "lon" in cols:
        lat_text, lon_text = df[cols["lat"]].astype(str), df[cols["lon"]].astype(str)
        lat_name, lon_name = cols["lat"], cols["lon"]
        if "coordinates" in cols:  # rows without lat/lon may have the pair column
            a, b, _ = split_pairs(df[cols["coordinates"]])
            blank = lat_text.str.strip().isin(_EMPTY) & lon_text.str.strip().isin(_EMPTY)
            lat_text, lon_text = lat_text.where(~blank, a), lon_text.where(~blank, b)
    elif "coordinates" in cols:
        lat_text, lon_text, bad_pair = split_pairs(df[cols["coordinates"]])
        lat_name = lon_name = cols["coordinates"]
        if bad_pair.any():
            chk.add(df.index[bad_pair], cols["coordinates"],
                    f"not a pair of coordinates 'lat, lon' ({_examples(df.loc[bad_pair, cols['coordinates']])})",
                    "write latitude then longitude in decimal degrees, e.g. -6.170687, 106.819062")
            lat_text = lat_text.where(~bad_pair, "__bad__")
    else:
        raise KeyError("no coordinate columns")
    lat, lat_empty, lat_bad, lat_comma, lat_dms = numbers(lat_text)
    lon, lon_empty, lon_bad, lon_comma, lon_dms = numbers(lon_text)
    one_column = lat_name == lon_name
    if one_column:
        checks = [(lat_name, lat_empty | lon_empty, (lat_bad | lon_bad) & lat_text.ne("__bad__"))]
    else:
        checks = [(lon_name, lon_empty, lon_bad), (lat_name, lat_empty, lat_bad)]
    for name, empty, bad in checks:
        if empty.any():
            chk.add(df.index[empty], name, "the coordinate is empty",
                    "fill in the coordinate in decimal degrees (lat about -6.2, lon about 106.8)")
        if bad.any():
            chk.add(df.index[bad], name, f"the coordinate is not a number ({_examples(df.loc[bad, name])})",
                    FIX_DEGREES)
    dms = (lat_dms | lon_dms) & ~(lat_bad | lon_bad)
    if dms.any():
        chk.add(df.index[dms], lat_name if one_column else f"{lat_name}/{lon_name}",
                "coordinates in degrees, minutes and seconds were converted to decimal degrees "
                f"(row {chk.rows([df.index[dms][0]])[0]}: lat {lat[df.index[dms][0]]}, lon {lon[df.index[dms][0]]})",
                "nothing, if that is right (S/LS and W/BB are negative)", "warning")
    comma = (lat_comma | lon_comma) & ~(lat_bad | lon_bad)
    if comma.any():
        chk.add(df.index[comma], lat_name if one_column else f"{lat_name}/{lon_name}",
                "coordinates written with a decimal comma were read as decimals (-6,1754 = -6.1754)",
                "nothing, if that is right; a decimal point avoids any doubt", "warning")
    usable = lon.notna() & lat.notna()
    if crs is not None and not pyproj.CRS.from_user_input(crs).is_geographic:
        pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=crs).to_crs(WGS84)
        pts.loc[~usable, "geometry"] = None
        chk.add([], None, f"coordinates were given in {crs} and converted to EPSG:4326",
                "nothing, if the CRS is right", "warning")
        return pts
    where = lat_name if one_column else f"{lon_name}/{lat_name}"
    swapped = usable & lat.between(95, 141) & lon.between(-11, 6)
    projected = usable & ~swapped & ((lon.abs() > 180) | (lat.abs() > 90))
    if projected.any():
        first = df.index[projected][0]
        chk.add(df.index[projected], where,
                f"the coordinates look like projected metres, not longitude/latitude degrees (x {lon[first]:,.1f}, "
                f"y {lat[first]:,.1f}; probably EPSG:32748, UTM 48S)",
                "convert them to WGS84 degrees, or pass crs='EPSG:32748' (or the right CRS) to the loader")
    if swapped.any():
        first = df.index[swapped][0]
        chk.add(df.index[swapped], where,
                f"latitude and longitude look swapped (row {chk.rows([first])[0]}: lat {lat[first]}, lon {lon[first]}; "
                "Jakarta lies near lat -6.2, lon 106.8)",
                "write the pair as 'lat, lon'" if one_column else f"swap the values of '{lon_name}' and '{lat_name}'")
    usable &= ~projected & ~swapped
    geom = gpd.points_from_xy(lon.where(usable, 0.0), lat.where(usable, 0.0))
    gdf = gpd.GeoDataFrame(df, geometry=geom, crs=WGS84)
    gdf.loc[~usable, "geometry"] = None
    return gdf


def _examples(values: pd.Series, n: int = 3) -> str:
    return ", ".join(repr(v) for v in list(dict.fromkeys(values.astype(str)))[:n])

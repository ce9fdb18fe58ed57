"""Apply header recognition (:mod:`helpers.io.schema`) to a file being loaded.

:func:`recognise_columns` reports what it took (one line per field, kept for the notebooks to
print), warns about every column it does not read, and makes a missing required field an
error that names the closest header.  :func:`keep_extras` keeps the user's other columns under
``"asli: <header>"``, so they show in tables and popups but can never clash with the project's
own columns, also in case-insensitive formats such as GeoPackage.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from helpers.io.schema import EXTRA_PREFIX, IGNORE, fields, header_key, recognise
from helpers.io.validation import Checker

#: Words in a note that mark a position as approximate.
APPROXIMATE_WORDS = re.compile(r"perkiraan|approx|kira[- ]?kira|estimasi|estimate|belum pasti|tidak pasti|"
                               r"belum akurat|tidak akurat|kurang akurat|belum tepat", re.I)


def recognise_columns(df: pd.DataFrame, chk: Checker, kind: str, columns: dict | None,
                      required: list[list[str]]) -> dict[str, str]:
    """Field -> header of the file; ``required`` lists groups of which one field must be found.

    Examples
    --------
    >>> from pathlib import Path
    >>> chk = Checker(Path("x.csv"), geo=False)
    >>> df = pd.DataFrame(columns=["No", "KEC.", "Lintang", "Bujur", "Petugas"])
    >>> recognise_columns(df, chk, "sites", None, [["kecamatan"]])
    {'row_number': 'No', 'kecamatan': 'KEC.', 'lat': 'Lintang', 'lon': 'Bujur'}
    >>> chk.info[:2], [p.message for p in chk.problems]
    (["'No' -> row_number", "'KEC.' -> kecamatan"], ["the column 'Petugas' is not one the toolkit reads; it is kept as 'asli: Petugas'"])
    """
    if columns is not None and not isinstance(columns, dict):
        chk.fatal(f"the columns parameter must be a mapping {{header in the file: field}}, not {columns!r}",
                  "write it as {\"Nama Tempat\": venue, \"Kec\": kecamatan}")
    try:
        rec = recognise([str(c) for c in df.columns], kind, columns)
    except KeyError as exc:
        chk.fatal(exc.args[0], "correct the columns parameter")
    skipped = [h for h in df.columns if h != "geometry" and h not in rec.found.values() and h not in rec.ignored
               and h not in {d[0] for d in rec.doubles}]
    for h in skipped:
        chk.info.append(f"'{h}' skipped (columns parameter)")
    for name, header in rec.found.items():
        chk.info.append(f"'{header}' -> {name}" + (" (from the columns parameter)" if rec.how[name] == "columns"
                                                   else ""))
    for header, name, taken in rec.doubles:
        chk.add([], header, f"the column '{header}' also looks like {name}; '{taken}' was used",
                f"name the one to use in the columns parameter, e.g. {{\"{header}\": {name}}}", "warning")
    table = fields(kind)
    for header in rec.ignored:
        chk.add([], header, f"the column '{header}' is not one the toolkit reads; it is kept as "
                f"'{EXTRA_PREFIX}{header}'", "nothing, or map it with the columns parameter "
                f"({', '.join(n for n, f in table.items() if f.help_en and n != 'row_number')})", "warning")
    for group in required:
        if any(g in rec.found for g in group):
            continue
        wanted = " or ".join(f"'{table[g].header}' ({g})" for g in group)
        close = _closest_header(rec.ignored, [a for g in group for a in table[g].aliases])
        hint = (f"the column '{close}' may be it: rename it to '{table[group[0]].header}' or give "
                f"columns={{\"{close}\": {group[0]}}}" if close else
                f"add a column {table[group[0]].header!r} or map yours with the columns parameter")
        chk.add([], group[0], f"required column {wanted} is missing (columns found: "
                f"{', '.join(map(str, (c for c in df.columns if c != 'geometry')))})", hint)
    chk.raise_if_errors()
    # the headers skipped on purpose count as taken (keep_extras does not keep them)
    return {**rec.found, **{f"{IGNORE}:{h}": h for h in skipped}}


def _closest_header(headers: list[str], aliases) -> str | None:
    keys = [header_key(a) for a in aliases]
    best, score = None, 0.0
    for h in headers:
        k = header_key(h)
        for a in keys:
            r = difflib.SequenceMatcher(None, a, k).ratio()
            if r > score:
                best, score = h, r
    return best if score >= 0.75 else None


def keep_extras(out: pd.DataFrame, df: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    """Add the columns of ``df`` that no field took to ``out`` as ``"asli: <header>"``."""
    taken = set(cols.values()) | {"geometry"}
    seen = {str(c).lower() for c in out.columns}  # GeoPackage field names are case-insensitive
    for c in df.columns:
        if c in taken:
            continue
        name, n = f"{EXTRA_PREFIX}{c}", 1
        while name.lower() in seen:
            n += 1
            name = f"{EXTRA_PREFIX}{c} ({n})"
        seen.add(name.lower())
        out[name] = df[c].astype(str).to_numpy()
    return out


def text_column(df: pd.DataFrame, cols: dict[str, str], name: str, default: str = "") -> pd.Series:
    """The stripped text of a field, or ``default`` where the file lacks it or the cell is empty."""
    if name not in cols:
        return pd.Series(default, index=df.index, dtype=object)
    text = df[cols[name]].astype(str).str.strip()
    return text.where(~text.isin(["", "nan", "None"]), default)


def approximate_from_notes(notes: pd.Series) -> pd.Series:
    """Rows whose note says the position is approximate ("koordinat perkiraan", "approx.", ...).

    Examples
    --------
    >>> approximate_from_notes(pd.Series(["koordinat perkiraan", "", "Posisi kira-kira", "ok"])).tolist()
    [True, False, True, False]
    """
    return notes.astype(str).str.contains(APPROXIMATE_WORDS)

"""Read the MySQL INSERT dumps of cahyadsn/wilayah and cahyadsn/wilayah_boundaries.

Plumbing of :mod:`helpers.prepare.national`.  The dumps are plain ``INSERT INTO t (cols) VALUES (...),
(...);`` statements between licence comments.  A small tokenizer (one regular expression) knows
about quoted strings with ``''`` and backslash escapes, ``/* */``, ``--`` and ``#`` comments, so
commas, quotes and semicolons inside names (``'Olimoo''o'``, ``'Lubuk Pakam I,Ii'``) are safe.

Boundary paths (DDL column ``path longtext``) are JSON arrays of **[lat, lng]** pairs — latitude
first — nested 3 deep for a Polygon (``[ring][vertex][lat, lng]``) and 4 deep for a MultiPolygon.
They follow GeoJSON ring semantics: the first ring of a polygon is its shell, the others are holes
(checked on the data: 38 of the 47 inner rings of the kab/kota layer that lie inside their shell
are covered by the neighbouring unit, i.e. enclaves such as Kota Blitar inside Kabupaten Blitar).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>/\*.*?\*/|(?:--(?=\s|$)|\#)[^\n]*)
  | (?P<str>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<name>`[^`]*`)
  | (?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_$.]*)
  | (?P<punct>[(),;])
  | (?P<other>.)
    """,
    re.DOTALL | re.VERBOSE,
)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


class SQLDumpError(ValueError):
    """A dump does not have the shape of a MySQL INSERT dump."""


def read_text(path: Path) -> str:
    """Text of a raw file, transparently gunzipped when its name ends in ``.gz``."""
    path = Path(path)
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8")


def _unquote(tok: str) -> str:
    r"""Undo MySQL quoting.

    Examples
    --------
    >>> _unquote("'Olimoo''o'"), _unquote(r"'It\'s'")
    ("Olimoo'o", "It's")
    """
    quote, body = tok[0], tok[1:-1]
    body = body.replace(quote * 2, quote)
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.DOTALL)


def _tokens(text: str, where: str) -> Iterator[tuple[str, str]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind == "other" and (m.group() in "'\"`" or text.startswith("/*", m.start())):
            raise SQLDumpError(f"{where}: unterminated string or comment at offset {m.start()}")
        yield kind, m.group()


def insert_rows(text: str, where: str = "dump") -> Iterator[tuple[str, list[str], list]]:
    """Yield ``(table, columns, values)`` for each row of each INSERT statement of ``text``.

    Values are ``str`` (quoted strings unquoted, numbers as their text) or ``None`` for NULL.
    Other statements (DROP, CREATE, ...) are skipped.  An INSERT without a column list is
    refused: the build never guesses column order.

    Examples
    --------
    >>> sql = "/* licence; 'x' */ INSERT INTO w (kode, nama) VALUES ('11','A,B'),('12','O''o'); -- end"
    >>> list(insert_rows(sql))
    [('w', ['kode', 'nama'], ['11', 'A,B']), ('w', ['kode', 'nama'], ['12', "O'o"])]
    """
    toks = _tokens(text, where)
    for kind, tok in toks:
        if tok == ";":
            continue
        if kind != "word" or tok.upper() not in ("INSERT", "REPLACE"):
            for _, t2 in toks:  # skip the rest of this statement
                if t2 == ";":
                    break
            continue
        kind, tok = next(toks)
        while kind == "word" and tok.upper() in ("INTO", "IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"):
            kind, tok = next(toks)
        table = tok.strip("`")
        _, tok = next(toks)
        if tok != "(":
            raise SQLDumpError(f"{where}: INSERT INTO {table} has no column list")
        columns = []
        for _, tok in toks:
            if tok == ")":
                break
            if tok != ",":
                columns.append(tok.strip("`"))
        _, tok = next(toks)
        if tok.upper() not in ("VALUES", "VALUE"):
            raise SQLDumpError(f"{where}: expected VALUES after the columns of {table}, got {tok[:40]!r}")
        yield from _value_rows(toks, table, columns, where)


def _value_rows(toks, table, columns, where):
    for _, tok in toks:
        if tok == ";":
            return
        if tok == ",":
            continue
        if tok != "(":
            raise SQLDumpError(f"{where}: expected '(' in VALUES of {table}, got {tok[:40]!r}")
        row: list = []
        for kind, tok in toks:
            if tok == ")":
                break
            if tok == ",":
                continue
            if kind == "str":
                row.append(_unquote(tok))
            elif kind == "num":
                row.append(tok)
            elif kind == "word" and tok.upper() == "NULL":
                row.append(None)
            else:
                raise SQLDumpError(f"{where}: unexpected value {tok[:40]!r} in {table}")
        if len(row) != len(columns):
            raise SQLDumpError(f"{where}: {table} row has {len(row)} values for {len(columns)} columns: "
                               f"{str(row)[:80]}")
        yield table, columns, row


def read_table(files: list[Path], table: str, required: tuple[str, ...]) -> list[dict]:
    """All rows of ``table`` in ``files`` as dicts; refuses duplicate ``kode`` and missing columns."""
    rows, seen = [], {}
    for f in files:
        name = Path(f).name
        for tab, cols, row in insert_rows(read_text(f), where=name):
            if tab != table:
                continue
            if not rows or cols is not rows[-1]["__cols"]:
                missing = [c for c in required if c not in cols]
                if missing:
                    raise SQLDumpError(f"{name}: table {table} lacks column(s) {missing}")
            rec = dict(zip(cols, row))
            if rec["kode"] in seen:
                raise SQLDumpError(f"duplicate kode {rec['kode']} in {name} (first in {seen[rec['kode']]})")
            seen[rec["kode"]] = name
            rec["__cols"] = cols
            rows.append(rec)
    if not rows:
        raise SQLDumpError(f"no rows of table {table} in {[Path(f).name for f in files]}")
    for rec in rows:
        del rec["__cols"]
    return rows


def _depth(node) -> int:
    d = 0
    while isinstance(node, list) and node:
        d, node = d + 1, node[0]
    return d


def _polygon_parts(geom) -> list[Polygon]:
    if geom.geom_type == "Polygon":
        return [] if geom.is_empty else [geom]
    return [p for g in getattr(geom, "geoms", []) for p in _polygon_parts(g)]


def path_to_geometry(path_text: str | None, where: str = "") -> MultiPolygon | None:
    """A ``path`` value ([lat, lng] JSON, GeoJSON ring semantics) as a valid lon/lat MultiPolygon.

    Each polygon is built as shell + holes and repaired with ``shapely.make_valid``; the parts
    are unioned (dissolving parts that touch or overlap) and non-polygon debris from the repair
    is dropped.  Returns ``None`` for an empty path.

    Examples
    --------
    >>> g = path_to_geometry("[[[-6,106],[-6,107],[-5,107],[-5,106],[-6,106]]]")
    >>> g.geom_type, g.bounds
    ('MultiPolygon', (106.0, -6.0, 107.0, -5.0))
    """
    if path_text is None or not path_text.strip():
        return None
    try:
        tree = json.loads(path_text)
    except json.JSONDecodeError as exc:
        raise SQLDumpError(f"{where}: path is not JSON ({exc})") from None
    depth = _depth(tree)
    polys = {2: [[tree]], 3: [tree], 4: tree}.get(depth)
    if polys is None:
        raise SQLDumpError(f"{where}: path nested {depth} deep; expected 2 to 4")
    parts = []
    for rings in polys:
        xy = [np.asarray(r, dtype=float)[:, ::-1] for r in rings]  # [lat, lng] -> (lng, lat)
        xy = [r for r in (_closed(r) for r in xy if r.ndim == 2 and len(r)) if len(r) >= 4]
        if not xy:
            continue
        lat_ok = all((np.abs(r[:, 1]) <= 90).all() for r in xy)
        if not lat_ok:
            raise SQLDumpError(f"{where}: a latitude outside ±90 — is the path really [lat, lng]?")
        parts.extend(_polygon_parts(shapely.make_valid(Polygon(xy[0], xy[1:]))))
    if not parts:
        return None
    return MultiPolygon(parts if len(parts) == 1 else _polygon_parts(shapely.union_all(parts)))


def _closed(ring: np.ndarray) -> np.ndarray:
    return ring if (ring[0] == ring[-1]).all() else np.vstack([ring, ring[:1]])

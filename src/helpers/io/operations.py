"""The one reader of ``data/raw/recap_operations``: notebook 05's sourced parameters, and the TPS of both elections.

``parameters.csv`` holds every default of the recapitulation-operations model (windows, panels, TPS per panel and
day, working hours, ballot types, sheets per form, photo size, share uploaded at the PPK, burst, livestream, the usual
link) and every figure the model is held against (expected days, the Pilkada's TPS per kota, precedents of internet
at recap sites); ``sources.csv`` the articles they come from (quoted in ``SOURCES.md``).  Each row is either
**sumber** (stated by its source) or **asumsi** (no source gives it: a value with its range ``low``-``high``).
:func:`load_table` checks both files and names the file, row and column of every problem
(:class:`helpers.io.validation.DataValidationError`).

:func:`election_tps` gives the TPS per kecamatan of both elections for a run: the shipped Pemilu 2024 counts (or the
user's TPS file), and the user's file as the Pilkada's when the run is about the Pilkada; a Pilkada without a file is
estimated by :mod:`helpers.analysis.operations` (never here: this module only reads).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core import paths
from helpers.io.input_files import load_tps
from helpers.io.inputs import Inputs
from helpers.io.province import province_layers
from helpers.io.validation import Checker

__all__ = ["FOLDER", "ELECTIONS", "STATUSES", "Setting", "OperationsTable", "load_table", "election_tps"]

#: The raw folder of the table.
FOLDER = paths.RAW / "recap_operations"
#: The elections of the table (``*`` in a row: both).
ELECTIONS = ("pemilu2024", "pilkada2024")
#: ``sumber``: stated by the source quoted in SOURCES.md; ``asumsi``: an assumption with a range.
STATUSES = ("sumber", "asumsi")
PARAMETER_COLUMNS = ("key", "election", "region", "value", "low", "high", "unit", "status", "source", "note",
                     "note_id")
SOURCE_COLUMNS = ("id", "outlet", "title", "date", "url")


@dataclass(frozen=True)
class Setting:
    """One row of ``parameters.csv``: a value (a number, or a date for ``unit == "date"``), its range and basis."""

    key: str
    election: str
    region: str
    value: float | dt.date
    low: float | None
    high: float | None
    unit: str
    status: str
    source: str | None
    note: str
    #: the note in Bahasa Indonesia (an Indonesian report shows this one; :meth:`note_in`)
    note_id: str = ""

    def note_in(self, language: str) -> str:
        """The note in ``language`` (``"id"``: :attr:`note_id`; else the English :attr:`note`)."""
        return self.note_id if language == "id" else self.note

    @property
    def is_assumption(self) -> bool:
        """Whether no source states the value (an ``asumsi`` with a range)."""
        return self.status == "asumsi"


@dataclass(frozen=True)
class OperationsTable:
    """The checked table: its rows and the sources they cite (``id`` -> outlet, title, date, url)."""

    rows: tuple[Setting, ...]
    sources: pd.DataFrame

    def get(self, key: str, election: str = "*", region: str = "*") -> Setting:
        """The row for ``key``: the one of ``election`` and ``region`` if there is one, else the one of the
        election for every region (``*``), else of both elections (``*``).

        Raises
        ------
        KeyError
            When the table has no row for ``key`` that fits (the message names what was looked for).

        Examples
        --------
        >>> t = load_table()
        >>> t.get("panels_per_ppk", "pemilu2024", "31").value, t.get("panels_per_ppk", "pemilu2024", "82").status
        (5.0, 'asumsi')
        """
        found = {(r.election, r.region): r for r in self.rows if r.key == key}
        for e in (election, "*"):
            for reg in (region, "*"):
                if (e, reg) in found:
                    return found[(e, reg)]
        raise KeyError(f"{FOLDER / 'parameters.csv'} has no row for {key!r} ({election}, region {region})")

    def all(self, key: str, election: str | None = None) -> list[Setting]:
        """Every row of ``key`` (of ``election`` only, when given)."""
        return [r for r in self.rows if r.key == key and (election is None or r.election == election)]

    def source(self, source_id: str | None) -> dict | None:
        """``{"id", "outlet", "title", "date", "url"}`` of a source id (None for None)."""
        if not source_id:
            return None
        return self.sources.set_index("id").loc[source_id].to_dict() | {"id": source_id}


def _checker(path: Path, df: pd.DataFrame, columns) -> Checker:
    chk = Checker(path, geo=False)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        chk.fatal(f"columns missing: {', '.join(missing)}", f"the header must be {','.join(columns)}")
    return chk


def _number(text: str):
    try:
        return float(text) if text != "" else None
    except ValueError:
        return "bad"


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).apply(lambda c: c.str.strip())


def _sources(path: Path) -> pd.DataFrame:
    df = _read(path)
    chk = _checker(path, df, SOURCE_COLUMNS)
    dup = df["id"].duplicated(keep=False) | df["id"].eq("")
    if dup.any():
        chk.add(df.index[dup], "id", "the id is empty or given twice", "give every source one id of its own")
    bad_url = ~df["url"].str.startswith("https://")
    if bad_url.any():
        chk.add(df.index[bad_url], "url", "not an https:// address", "give the article's address")
    bad_date = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce").isna()
    if bad_date.any():
        chk.add(df.index[bad_date], "date", "not a date YYYY-MM-DD", "write the publication date as 2024-02-21")
    chk.raise_if_errors()
    return df[list(SOURCE_COLUMNS)].reset_index(drop=True)


def load_table(folder: Path | str | None = None) -> OperationsTable:
    """Read and check ``parameters.csv`` and ``sources.csv`` of ``folder`` (default :data:`FOLDER`).

    Raises
    ------
    helpers.io.validation.DataValidationError
        Naming the file, the rows and the column of every problem: a status other than sumber/asumsi, an unknown
        election, a value that is not a number (or a date where the unit is ``date``), an asumsi without a range
        ``low <= value <= high``, a sumber without a source, a source id that ``sources.csv`` lacks, a row given
        twice.

    Examples
    --------
    >>> t = load_table()
    >>> t.get("window_start", "pemilu2024").value, t.get("window_end", "pilkada2024").value
    (datetime.date(2024, 2, 15), datetime.date(2024, 12, 3))
    """
    folder = Path(folder or FOLDER)
    sources = _sources(folder / "sources.csv")
    path = folder / "parameters.csv"
    df = _read(path)
    chk = _checker(path, df, PARAMETER_COLUMNS)
    rows = []
    for i, r in df.iterrows():
        problems_before = len(chk.problems)
        if r["status"] not in STATUSES:
            chk.add([i], "status", f"{r['status']!r} is not a status", "write sumber (quoted) or asumsi (assumed)")
        if r["election"] not in (*ELECTIONS, "*"):
            chk.add([i], "election", f"unknown election {r['election']!r}", f"use {', '.join(ELECTIONS)} or *")
        if r["key"] == "" or r["region"] == "":
            chk.add([i], "key" if r["key"] == "" else "region", "empty", "fill in the key and the region (* = any)")
        if r["unit"] == "date":
            value = pd.to_datetime(r["value"], format="%Y-%m-%d", errors="coerce")
            if pd.isna(value):
                chk.add([i], "value", f"not a date YYYY-MM-DD: {r['value']!r}", "write the date as 2024-02-15")
            value = None if pd.isna(value) else value.date()
        else:
            value = _number(r["value"])
            if value is None or value == "bad":
                chk.add([i], "value", f"not a number: {r['value']!r}", "write the value as a number (a dot for decimals)")
        low, high = _number(r["low"]), _number(r["high"])
        for col, v in (("low", low), ("high", high)):
            if v == "bad":
                chk.add([i], col, f"not a number: {r[col]!r}", "write the end of the range as a number")
        if r["status"] == "asumsi" and len(chk.problems) == problems_before:
            if low is None or high is None or not (low <= value <= high):
                chk.add([i], "low", f"an asumsi needs its range low <= value <= high (got {r['low'] or '-'}, "
                        f"{r['value']}, {r['high'] or '-'})", "give the range the assumption may take")
        if (r["note"] == "") != (r["note_id"] == ""):
            col = "note_id" if r["note_id"] == "" else "note"
            chk.add([i], col, "a note in one language only", "give the note in English (note) and in Bahasa "
                    "Indonesia (note_id), or neither")
        if r["status"] == "sumber" and r["source"] == "":
            chk.add([i], "source", "a sumber row names no source", "give the id of the quoted article (sources.csv)")
        if r["source"] and r["source"] not in set(sources["id"]):
            chk.add([i], "source", f"unknown source {r['source']!r}", "add the article to sources.csv and SOURCES.md")
        if len(chk.problems) == problems_before:
            rows.append(Setting(r["key"], r["election"], r["region"], value, low, high, r["unit"], r["status"],
                                r["source"] or None, r["note"], r["note_id"]))
    dup = df.duplicated(["key", "election", "region"], keep=False)
    if dup.any():
        chk.add(df.index[dup], "key", "the same key, election and region twice", "keep one row")
    chk.raise_if_errors()
    return OperationsTable(tuple(rows), sources)


def _per_kecamatan(tps: pd.DataFrame) -> pd.Series:
    return tps.groupby("kecamatan_kode")["tps_total"].sum().astype(int)


def election_tps(data: Inputs, election: str, tps_path=None) -> dict[str, pd.Series | None]:
    """TPS per kecamatan (``kecamatan_kode`` -> count) of each election for a run.

    * Without ``tps_path``: Pemilu 2024 = the shipped counts (KawalPemilu/KPU) in ``data``; Pilkada = None (to be
      estimated by :func:`helpers.analysis.operations.estimate_pilkada`).
    * With ``tps_path`` and ``election == "pemilu2024"``: the file is the Pemilu's; Pilkada = None (estimated from it).
    * With ``tps_path`` and ``election == "pilkada2024"``: the file is the Pilkada's; Pemilu = the shipped counts,
      read again (:func:`helpers.io.input_files.load_tps`; outside DKI the province's national layer).

    Parameters
    ----------
    data : Inputs
        What :func:`helpers.io.inputs.load_inputs` returned for the run (its ``tps`` is the user's file when given).
    election : {"pemilu2024", "pilkada2024"}
    tps_path : path-like, optional
        The run's ``tps_path`` parameter.

    Examples
    --------
    >>> from helpers.io.inputs import load_inputs
    >>> t = election_tps(load_inputs(), "pemilu2024")
    >>> int(t["pemilu2024"].sum()), int(t["pemilu2024"]["31.75.06"]), t["pilkada2024"]
    (30766, 1591, None)
    """
    own = _per_kecamatan(data.tps)
    if tps_path is None or election != "pilkada2024":
        return {"pemilu2024": own, "pilkada2024": None}
    if data.is_dki:
        shipped = load_tps(None, kelurahan=data.kelurahan)
    else:
        shipped = province_layers(data.provinsi_kode).tps
    return {"pemilu2024": _per_kecamatan(shipped), "pilkada2024": own}

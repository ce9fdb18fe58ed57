"""Load and check every input of the notebooks at once: :func:`load_inputs` and :class:`Inputs`.

The per-file loaders live in :mod:`helpers.io.sites_file` (:func:`load_sites`) and
:mod:`helpers.io.input_files` (boundaries, facilities, TPS, DPT, press facilities) and are
re-exported here, so ``helpers.io.inputs.load_sites`` and the others keep working.  Each checks its
file and collects all of its problems; :func:`load_inputs` runs them all and reports the errors of
every file together (:class:`InputsError`).  Outside DKI Jakarta the inputs are the province's
national layer, with the user's files in place of the defaults (:func:`replace_sites`,
:func:`combine_facilities`).  See README.md ("Input checks") for the full table of errors and warnings.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from helpers.core.scope import DKI, Scope
from helpers.io.input_files import load_boundaries, load_dpt, load_facilities, load_press_facilities, load_tps
from helpers.io.islands import island_pps_points
from helpers.io.province import province_layers
from helpers.io.sites_file import MAX_SITE_ROWS, load_sites
from helpers.io.validation import DataValidationError, DataValidationWarning, Problem, reading_warnings
import os
import pickle

__all__ = ["MAX_SITE_ROWS", "DataValidationError", "DataValidationWarning", "Inputs", "InputsError", "Problem",
           "USER_KINDS", "combine_facilities", "empty_facilities", "inputs_key", "load_boundaries", "load_dpt",
           "load_facilities", "load_inputs", "load_press_facilities", "load_sites", "load_tps", "per_kind",
           "read_prepared", "replace_sites", "save_prepared"]


@dataclass
class Inputs:
    """Every input of the notebooks, loaded and checked once (see :func:`load_inputs`)."""

    kota: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kelurahan: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    tps: gpd.GeoDataFrame
    dpt: pd.DataFrame
    press: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    #: what was read from each user file, one line each ("sites (my.xlsx): 'Nama Lokasi' -> venue")
    notes: list[str] = field(default_factory=list)
    #: the province (Kemendagri code and name); DKI Jakarta unless ``load_inputs(scope)`` is another
    provinsi_kode: str = "31"
    provinsi: str = "DKI Jakarta"
    #: outside DKI: the land polygons of the sea-crossing rule (map-ready kab/kota), else None
    land: gpd.GeoDataFrame | None = None
    #: DKI: Kepulauan Seribu's PPS offices on their islands (:func:`helpers.io.islands.island_pps_points`),
    #: for :func:`helpers.analysis.demand.demand_units`; None outside DKI
    island_pps: gpd.GeoDataFrame | None = None

    @property
    def is_dki(self) -> bool:
        """Whether these are the DKI Jakarta inputs (the rich layer)."""
        return self.provinsi_kode == "31"


class InputsError(DataValidationError):
    """One or more input files failed validation; ``problems`` holds the errors of all of them,
    grouped by file, each in row order."""

    def __init__(self, failures: list[DataValidationError]):
        self.failures = failures
        problems = [p for f in failures for p in sorted(f.problems, key=lambda p: (p.rows[:1] or (0,)))]
        super().__init__(", ".join(f.path for f in failures), problems)
        lines = [f"{len(problems)} problem(s) in {len(failures)} input file(s):"]
        for f in failures:
            lines.append(f"{f.path}:")
            lines += [f"  - {p}" for p in sorted(f.problems, key=lambda p: (p.rows[:1] or (0,)))]
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return self.args[0]


#: Kinds of user file that take ``columns`` and ``sheet`` (a plain value is for the sites file).
USER_KINDS = ("sites", "facilities", "tps")


def per_kind(value, what: str) -> dict:
    """``columns``/``sheet`` for each kind of file: a mapping keyed by kind, or a plain value for
    the sites file.

    Examples
    --------
    >>> per_kind({"Nama Tempat": "venue"}, "columns")
    {'sites': {'Nama Tempat': 'venue'}}
    >>> per_kind({"tps": {"Jml": "tps_total"}}, "columns")
    {'tps': {'Jml': 'tps_total'}}
    >>> per_kind(2, "sheet")
    {'sites': 2}
    """
    if value is None:
        return {}
    if isinstance(value, dict) and value and set(value) <= set(USER_KINDS) and (
            what != "columns" or all(isinstance(v, dict) or v is None for v in value.values())):
        return {k: v for k, v in value.items() if v is not None}
    return {"sites": value}


class _Reader:
    """The loaders of one :func:`load_inputs` call: each file read, its problems kept (never raised
    before every file is read), what was read from a user's file noted."""

    def __init__(self, notes: list[str] | None = None):
        self.failures: list[DataValidationError] = []
        self.loaded: dict = {}
        self.notes: list[str] = list(notes or [])

    def run(self, name: str, what: str, path, fn, *args, **kw) -> None:
        try:
            self.loaded[name] = fn(*args, **kw)
        except DataValidationError as exc:
            self.failures.append(exc)
            self.loaded[name] = None
            return
        if path is not None:
            self.notes.extend(f"{what} ({Path(path).name}): {line}"
                              for line in self.loaded[name].attrs.get("read_notes", []))


#: Version of the prepared-inputs file format (:func:`save_prepared`); a file of another version is refused.
PREPARED_FORMAT = 2


def inputs_key(*, sites_path=None, facilities_path=None, offices_path=None, kota_path=None, kecamatan_path=None,
               kelurahan_path=None, tps_path=None, dpt_path=None, press_path=None, columns=None, sheet=None,
               expect_all_sites: bool = True, scope: Scope | None = None) -> dict:
    """What a :func:`load_inputs` call reads: its arguments, paths as text and the province as its code.

    Two calls with the same key load the same inputs (as long as the files do not change).

    Examples
    --------
    >>> from helpers.io.national import resolve_scope
    >>> inputs_key(scope=resolve_scope("jabar", "Kota Bogor"))["provinsi"], inputs_key()["provinsi"]
    ('32', '31')
    """
    def text(v):
        return None if v is None else str(v)

    return {"sites_path": text(sites_path), "facilities_path": text(facilities_path),
            "offices_path": text(offices_path), "kota_path": text(kota_path), "kecamatan_path": text(kecamatan_path),
            "kelurahan_path": text(kelurahan_path), "tps_path": text(tps_path), "dpt_path": text(dpt_path),
            "press_path": text(press_path), "columns": columns, "sheet": sheet,
            "expect_all_sites": bool(expect_all_sites), "provinsi": (scope or DKI).provinsi_kode}


def save_prepared(data: Inputs, path: Path | str, key: dict) -> Path:
    """Write inputs loaded and checked once, for the runs of a batch to read (:func:`load_inputs`
    with ``prepared=``).

    A pickle, written to a temporary name and renamed into place (a reader never sees half a
    file).  Pickle rather than GeoParquet: it keeps every part of :class:`Inputs` exactly -- the
    frames' dtypes, CRS and ``attrs`` (source file, read notes, validation warnings), the warnings
    and notes -- in one file that loads in about 0.15 s (DKI Jakarta; 1.1 s to read and check
    the files).  It is a private file of one batch: ``pemilu-recap`` writes it into its build folder
    with the installed package and its runs read it with the same package, then it is deleted.
    Never load such a file from elsewhere (unpickling runs code).

    Parameters
    ----------
    data : Inputs
        What :func:`load_inputs` returned.
    path : path-like
        The file to write.
    key : dict
        :func:`inputs_key` of the call that loaded ``data``.

    Returns
    -------
    Path
        The file written.
    """

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part-{os.getpid()}")
    with open(part, "wb") as fh:
        pickle.dump({"format": PREPARED_FORMAT, "key": key, "inputs": data}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, path)
    return path


def read_prepared(path: Path | str, key: dict) -> Inputs:
    """Inputs written by :func:`save_prepared`, for a call whose :func:`inputs_key` is ``key``.

    Raises
    ------
    ValueError
        When the file is of another format or was made for other arguments (the message names the
        arguments that differ): the caller asked for inputs the file does not hold.
    """

    with open(path, "rb") as fh:
        saved = pickle.load(fh)
    if not isinstance(saved, dict) or saved.get("format") != PREPARED_FORMAT:
        raise ValueError(f"{path}: not a prepared-inputs file of format {PREPARED_FORMAT}")
    made = saved["key"]
    differ = sorted(k for k in set(key) | set(made) if key.get(k) != made.get(k))
    if differ:
        values = ", ".join(f"{k}={made.get(k)!r}" for k in differ)
        raise ValueError(f"{path}: the prepared inputs were made for other values of {', '.join(differ)} "
                         f"({values}); leave prepared_inputs None to read the files")
    return saved["inputs"]


def load_inputs(*, sites_path=None, facilities_path=None, offices_path=None, kota_path=None, kecamatan_path=None,
                kelurahan_path=None, tps_path=None, dpt_path=None, press_path=None, columns=None, sheet=None,
                expect_all_sites: bool = True, scope: Scope | None = None, prepared=None) -> Inputs:
    """Load and check every input file (``None`` = the shipped file); report all their problems at once.

    Parameters
    ----------
    prepared : path-like, optional
        A file of :func:`save_prepared` holding these inputs already loaded and checked (the
        notebooks' ``prepared_inputs`` parameter, set by ``pemilu-recap``, which checks every input
        once before its runs): read instead of the files.  It must have been made for the same
        arguments (else :class:`ValueError`).
    scope : Scope, optional
        The scope of the run (:func:`helpers.io.national.resolve_scope`; None: all of DKI Jakarta).
        Its province decides the inputs: DKI Jakarta's own layer, or another province's national
        layer shaped like DKI's (:func:`helpers.io.province.province_layers`: approximate desa areas
        and one approximate site per kecamatan); a user's sites file then replaces the default site
        of every kecamatan it lists, and facilities and TPS files are read as in DKI.  Boundary, DPT
        and press files are DKI-only and are refused elsewhere.  All kota of the province are
        loaded: the analyses keep the scope's kota themselves (so a kota run and the province run
        agree).
    sites_path, tps_path : path-like, optional
        The user's list of PPK recapitulation sites, and TPS counts per kelurahan.
    facilities_path : path-like, optional
        The user's own facilities (warehouses, KPU/Bawaslu secretariats, PPK/PPS offices, ...),
        **added** to the office points.
    offices_path : path-like, optional
        Office points that replace the shipped BIG RBI points (kantor camat/lurah/walikota).
    kota_path, kecamatan_path, kelurahan_path, dpt_path, press_path : path-like, optional
        Boundaries, DPT per kota and press-reported facilities.
    columns, sheet : optional
        ``{header: field}`` and the sheet of the sites file, or mappings keyed by ``"sites"``,
        ``"facilities"``, ``"tps"`` (see :func:`per_kind`).

    Raises
    ------
    InputsError
        With the errors of every file that has any (a :class:`DataValidationError`).

    Examples
    --------
    >>> data = load_inputs()
    >>> len(data.kota), len(data.kecamatan), len(data.kelurahan), len(data.sites), data.warnings
    (6, 44, 267, 44, [])
    """
    if prepared is not None:
        return read_prepared(prepared, inputs_key(
            sites_path=sites_path, facilities_path=facilities_path, offices_path=offices_path, kota_path=kota_path,
            kecamatan_path=kecamatan_path, kelurahan_path=kelurahan_path, tps_path=tps_path, dpt_path=dpt_path,
            press_path=press_path, columns=columns, sheet=sheet, expect_all_sites=expect_all_sites,
            scope=scope))
    scope = scope or DKI
    if not scope.is_dki:
        given = {k: v for k, v in dict(kota_path=kota_path, kecamatan_path=kecamatan_path, kelurahan_path=kelurahan_path,
                                       dpt_path=dpt_path, press_path=press_path).items() if v is not None}
        if given:
            raise ValueError(f"{', '.join(given)}: DKI-only inputs; outside DKI Jakarta the boundaries come from the "
                             "national layer (leave them None)")
        return _province_inputs(province_layers(scope.provinsi_kode), sites_path=sites_path, facilities_path=facilities_path,
                                offices_path=offices_path, tps_path=tps_path, columns=columns, sheet=sheet)
    cols, sheets = per_kind(columns, "columns"), per_kind(sheet, "sheet")
    reader = _Reader()
    failures, loaded, notes, run = reader.failures, reader.loaded, reader.notes, reader.run

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run("kota", "kota", kota_path, load_boundaries, "kota", kota_path)
        run("kecamatan", "kecamatan", kecamatan_path, load_boundaries, "kecamatan", kecamatan_path)
        run("kelurahan", "kelurahan", kelurahan_path, load_boundaries, "kelurahan", kelurahan_path)
        kota, kec, kel = loaded["kota"], loaded["kecamatan"], loaded["kelurahan"]
        if kec is not None:
            run("sites", "sites", sites_path, load_sites, sites_path, kecamatan=kec, kota=kota,
                expect_all=expect_all_sites, columns=cols.get("sites"), sheet=sheets.get("sites"))
        if kel is not None:
            run("offices", "offices", offices_path, load_facilities, offices_path, kelurahan=kel, kota=kota)
            if facilities_path is not None:
                run("facilities", "facilities", facilities_path, load_facilities, facilities_path, kelurahan=kel,
                    kota=kota, columns=cols.get("facilities"), sheet=sheets.get("facilities"))
            run("tps", "tps", tps_path, load_tps, tps_path, kelurahan=kel, columns=cols.get("tps"),
                sheet=sheets.get("tps"))
        run("dpt", "dpt", dpt_path, load_dpt, dpt_path)
        run("press", "press", press_path, load_press_facilities, press_path)
    if failures:
        raise InputsError(failures)
    facilities = loaded["offices"]
    if loaded.get("facilities") is not None:
        facilities = combine_facilities(facilities, loaded["facilities"])
    data = Inputs(kota=kota, kecamatan=kec, kelurahan=kel, sites=loaded["sites"], facilities=facilities,
                  tps=loaded["tps"], dpt=loaded["dpt"], press=loaded["press"], notes=notes,
                  island_pps=island_pps_points())
    # every warning is kept (not only the loaders' own), each once
    data.warnings = reading_warnings(caught)
    return data


def empty_facilities() -> gpd.GeoDataFrame:
    """A facilities table with no row (outside DKI no office points are known)."""
    cols = ["facility_id", "name", "facility_type", "role", "status", "address", "kelurahan_kode", "kelurahan",
            "kecamatan_kode", "kecamatan", "kota_kode", "kota", "approximate", "source", "location_source"]
    return gpd.GeoDataFrame({c: pd.Series(dtype=bool if c == "approximate" else object) for c in cols},
                            geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def replace_sites(default: gpd.GeoDataFrame, given: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The default sites with those of ``given`` (a user's file) in place of the defaults of their
    kecamatan; the order of ``default`` is kept and new kecamatan are appended."""
    keep = default[~default["kecamatan_kode"].isin(set(given["kecamatan_kode"]))]
    both = pd.concat([keep, given.assign(location_source="user_file")], ignore_index=True)
    both = both.sort_values("kecamatan_kode", kind="stable", ignore_index=True)
    geometry = both.pop("geometry")
    out = gpd.GeoDataFrame(both, geometry=geometry.values, crs=default.crs)
    out.attrs = {**default.attrs, "validation_warnings": given.attrs.get("validation_warnings", []),
                 "source_file": given.attrs.get("source_file")}
    return out


def _province_inputs(lay, *, sites_path, facilities_path, offices_path, tps_path, columns, sheet) -> Inputs:
    """:func:`load_inputs` outside DKI: the province's national layer, with the user's files."""
    cols, sheets = per_kind(columns, "columns"), per_kind(sheet, "sheet")
    reader = _Reader(lay.notes)
    failures, loaded, notes, run = reader.failures, reader.loaded, reader.notes, reader.run

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if sites_path is not None:
            run("sites", "sites", sites_path, load_sites, sites_path, kecamatan=lay.kecamatan, kota=lay.kota,
                expect_all=False, columns=cols.get("sites"), sheet=sheets.get("sites"))
        if offices_path is not None:
            run("offices", "offices", offices_path, load_facilities, offices_path, kelurahan=lay.kelurahan,
                kota=lay.kota)
        if facilities_path is not None:
            run("facilities", "facilities", facilities_path, load_facilities, facilities_path,
                kelurahan=lay.kelurahan, kota=lay.kota, columns=cols.get("facilities"),
                sheet=sheets.get("facilities"))
        if tps_path is not None:
            run("tps", "tps", tps_path, load_tps, tps_path, kelurahan=lay.kelurahan, columns=cols.get("tps"),
                sheet=sheets.get("tps"))
    if failures:
        raise InputsError(failures)
    sites = lay.sites if loaded.get("sites") is None else replace_sites(lay.sites, loaded["sites"])
    facilities = loaded.get("offices") if loaded.get("offices") is not None else empty_facilities()
    if loaded.get("facilities") is not None:
        facilities = combine_facilities(facilities, loaded["facilities"])
    dpt = pd.DataFrame({"kota_kode": pd.Series(dtype=object), "kota": pd.Series(dtype=object),
                        "dpt": pd.Series(dtype=int)})
    press = pd.DataFrame({c: pd.Series(dtype=object) for c in ("facility_id", "name", "facility_type", "kota")})
    data = Inputs(kota=lay.kota, kecamatan=lay.kecamatan, kelurahan=lay.kelurahan, sites=sites,
                  facilities=facilities, tps=lay.tps if loaded.get("tps") is None else loaded["tps"], dpt=dpt, press=press, notes=notes,
                  provinsi_kode=lay.kode, provinsi=lay.nama, land=lay.land)
    data.warnings = reading_warnings(caught)
    return data


def combine_facilities(offices: gpd.GeoDataFrame, extra: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The office points and a user's own facilities in one table (columns united).

    A user's facility whose id repeats an office id gets the file name in front of it.
    """
    extra = extra.copy()
    clash = extra["facility_id"].isin(set(offices["facility_id"]))
    stem = Path(extra.attrs.get("source_file", "user")).stem
    extra.loc[clash, "facility_id"] = stem + ":" + extra.loc[clash, "facility_id"]
    extra["location_source"] = "user_file"
    both = pd.concat([offices.assign(location_source=offices.get("location_source", "office_points")), extra],
                     ignore_index=True)
    geometry = both.pop("geometry")
    out = gpd.GeoDataFrame(both, geometry=geometry.values, crs=offices.crs)
    out.attrs = {"validation_warnings": offices.attrs.get("validation_warnings", [])
                 + extra.attrs.get("validation_warnings", []), "source_file": extra.attrs.get("source_file")}
    return out

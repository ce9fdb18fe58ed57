"""The notebooks' shared parameters, declared once: :data:`SHARED` and :class:`RunParameters`.

Every notebook has one cell tagged ``parameters`` (papermill injects overrides after it).  The
parameters several notebooks share -- the scope, the output folder, the map options, the user's data
files -- are declared here with their default and their help; a notebook declares in its cell only
those it uses, with the same default and help (``tests/test_parameters.py`` checks every notebook
against this table).  ``pemilu-recap`` passes ``provinsi``/``kota`` (the scope of each run),
``output_dir``, ``offline`` and ``prepared_inputs`` itself, and a user's ``-p NAME VALUE`` to the
notebooks that declare ``NAME``; ``docs/parameters.md`` is written from this table
(``python -m helpers.core.parameters``).

In a notebook, :meth:`RunParameters.collect` gathers the shared parameters of its namespace once, and
the loaders (:meth:`RunParameters.input_files`) and the report header
(:meth:`RunParameters.report_parameters`) take them from there.

A notebook's own parameter may declare its accepted range here (:data:`CHECKS`): ``pemilu-recap``
checks every ``-p`` value against it before any run (exit 2, :func:`check_parameters`), and the
analysis checks the same range in the notebook (:func:`require_valid`).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from helpers.core import paths


@dataclass(frozen=True)
class Parameter:
    """One shared parameter: its name, default (a literal) and help (one line, for the cell and the docs)."""

    name: str
    default: object
    help: str
    #: the group it belongs to: ``scope``, ``output``, ``map``, ``files``, ``batch``
    group: str


SHARED: tuple[Parameter, ...] = (
    Parameter("provinsi", None, 'None: DKI Jakarta (its own, richer layer); else a province: "Maluku Utara", "jabar", '
              '"82"; "indonesia": all of Indonesia', "scope"),
    Parameter("kota", None, 'None or "dki": the whole province; else a kota/kabupaten in it: "Jakarta Pusat", '
              '"jakpus", "31.71"', "scope"),
    Parameter("output_dir", None, "None: ../output/<scope>, e.g. ../output/jakarta-pusat", "output"),
    Parameter("offline", True, "inline Leaflet so the saved map needs no network (basemap tiles excepted)", "map"),
    Parameter("language", "id", '"id" Bahasa Indonesia, "en" English', "output"),
    Parameter("basemap", "openstreetmap", "or another folium tile name, a tile URL template, or None", "map"),
    Parameter("sites_path", None, "your list of PPK recapitulation sites (one per kecamatan)", "files"),
    Parameter("facilities_path", None, "your own facilities (warehouses, secretariats, ...), added to the office "
              "points", "files"),
    Parameter("offices_path", None, "office points replacing the shipped BIG RBI kantor camat/lurah points", "files"),
    Parameter("tps_path", None, "TPS per kelurahan", "files"),
    Parameter("kota_path", None, "kota boundaries (DKI Jakarta only)", "files"),
    Parameter("kecamatan_path", None, "kecamatan boundaries (DKI Jakarta only)", "files"),
    Parameter("kelurahan_path", None, "kelurahan boundaries (DKI Jakarta only)", "files"),
    Parameter("dpt_path", None, "registered voters (DPT) per kota (DKI Jakarta only)", "files"),
    Parameter("press_path", None, "press-reported venues and warehouses (DKI Jakarta only)", "files"),
    Parameter("columns", None, 'headers the loader does not recognise, as {"header in your file": "field"} (README)',
              "files"),
    Parameter("sheet", None, "sheet of a workbook, by name or number; None: the first with recognised headers",
              "files"),
    Parameter("prepared_inputs", None, "set by pemilu-recap: the inputs it checked once before its runs (None: read "
              "the files)", "batch"),
)
#: Values a reader report's header shows in words, not as code: ``{parameter: {value: label key}}`` (the labels
#: ``pval_*`` of :mod:`helpers.core.labels.report`; :func:`value_words`).  A value not listed is shown as it is
#: (a number formatted, a file by its name); ``None`` listed means the header shows the parameter when unset too.
VALUE_WORDS: dict[str, dict[object, str]] = {
    "basemap": {"openstreetmap": "pval_basemap_osm", None: "pval_basemap_none"},
    "overload_basis": {"kota": "pval_basis_kota", "dki": "pval_basis_dki"},
    "election": {"pemilu2024": "pval_election_pemilu2024", "pilkada2024": "pval_election_pilkada2024"},
}


def value_words(name: str, value) -> str | None:
    """The label key of ``value`` of parameter ``name`` in a reader report's header, or None (shown as it is).

    A basemap given as a tile address (``https://…/{z}/{x}/{y}.png``) is "tiles from an address of your own".

    Examples
    --------
    >>> value_words("basemap", "openstreetmap"), value_words("overload_basis", "dki"), value_words("p", 10)
    ('pval_basemap_osm', 'pval_basis_dki', None)
    >>> value_words("basemap", "https://tile.example.org/{z}/{x}/{y}.png")
    'pval_basemap_url'
    """
    words = VALUE_WORDS.get(name, {})
    try:
        if value in words:
            return words[value]
    except TypeError:  # an unhashable value (a list) is never listed
        return None
    if name == "basemap" and isinstance(value, str) and ("{z}" in value or "://" in value):
        return "pval_basemap_url"
    return None


#: ``{name: Parameter}`` of :data:`SHARED`.
BY_NAME = {p.name: p for p in SHARED}
#: The parameters that name the inputs of :func:`helpers.io.inputs.load_inputs`.
INPUT_FILES = tuple(p.name for p in SHARED if p.group == "files")


@dataclass(frozen=True)
class Check:
    """The accepted values of a notebook's own parameter: a test and the words that say what it accepts."""

    name: str
    accepted: str
    test: Callable[[object], bool]


def _number(lo: float, hi: float, *, whole: bool = False, lo_open: bool = False, none: bool = True):
    def test(v) -> bool:
        if v is None:
            return none
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (whole and float(v) != int(v)):
            return False
        return (lo < v if lo_open else lo <= v) and v <= hi
    return test


def _window(v) -> bool:
    if v is None:
        return True
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        return False
    try:
        start, end = (dt.date.fromisoformat(str(x)) for x in v)
    except ValueError:
        return False
    return end >= start


_DEFAULT = "or None (the sourced default, data/raw/recap_operations)"
#: Notebooks' own parameters with a checked range (notebook 05, recapitulation operations); a value outside it is one
#: error naming the parameter and what it accepts (:func:`check_parameters`), before any run of a batch.
CHECKS: dict[str, Check] = {c.name: c for c in (
    Check("election", '"pemilu2024" or "pilkada2024"', lambda v: v in ("pemilu2024", "pilkada2024")),
    Check("window", '[start, end] as dates "YYYY-MM-DD" with end on or after start, ' + _DEFAULT, _window),
    Check("panels_per_ppk", f"a whole number from 1 to 50, {_DEFAULT}", _number(1, 50, whole=True)),
    Check("tps_per_panel_day", f"a number above 0 and at most 500, {_DEFAULT}", _number(0, 500, lo_open=True)),
    Check("hours_per_day", f"a number of hours above 0 and at most 24, {_DEFAULT}", _number(0, 24, lo_open=True)),
    Check("photo_mb", f"a size in MB above 0 and at most 50, {_DEFAULT}", _number(0, 50, lo_open=True)),
    Check("sheets_per_form", f"a whole number from 1 to 50, {_DEFAULT}", _number(1, 50, whole=True)),
    Check("upload_share", f"a share from 0 to 1, {_DEFAULT}", _number(0, 1)),
    Check("burst_minutes", f"a number of minutes above 0 and at most 600, {_DEFAULT}", _number(0, 600, lo_open=True)),
    Check("livestream_mbps", f"a bitrate in Mbps from 0 to 1000, {_DEFAULT}", _number(0, 1000)),
    Check("link_mbps", f"a bitrate in Mbps above 0 and at most 100000, {_DEFAULT}", _number(0, 1e5, lo_open=True)),
)}


def check_parameters(values: dict) -> list[str]:
    """One sentence per value of ``values`` outside the range its :data:`CHECKS` entry accepts (parameters without
    an entry are not checked).

    Examples
    --------
    >>> check_parameters({"panels_per_ppk": 0, "upload_share": 0.5, "p": -1})
    ['panels_per_ppk = 0: accepted is a whole number from 1 to 50, or None (the sourced default, \
data/raw/recap_operations)']
    >>> check_parameters({"window": ["2024-03-02", "2024-02-15"]})[0][:47]
    "window = ['2024-03-02', '2024-02-15']: accepted"
    """
    return [f"{name} = {value!r}: accepted is {CHECKS[name].accepted}" for name, value in values.items()
            if name in CHECKS and not CHECKS[name].test(value)]


def require_valid(**values) -> None:
    """Raise one ValueError naming every value outside its accepted range (:func:`check_parameters`)."""
    problems = check_parameters(values)
    if problems:
        raise ValueError("; ".join(problems))


def cell_line(name: str) -> str:
    """The line that declares a shared parameter in a notebook's ``parameters`` cell.

    Examples
    --------
    >>> cell_line("offline")
    'offline = True  # inline Leaflet so the saved map needs no network (basemap tiles excepted)'
    """
    p = BY_NAME[name]
    return f"{p.name} = {p.default!r}  # {p.help}".replace("'", '"')


@dataclass(frozen=True)
class RunParameters:
    """The shared parameters of one notebook run, gathered once (:meth:`collect`)."""

    provinsi: object = None
    kota: object = None
    output_dir: object = None
    offline: bool = True
    language: str = "id"
    basemap: object = "openstreetmap"
    sites_path: object = None
    facilities_path: object = None
    offices_path: object = None
    tps_path: object = None
    kota_path: object = None
    kecamatan_path: object = None
    kelurahan_path: object = None
    dpt_path: object = None
    press_path: object = None
    columns: object = None
    sheet: object = None
    prepared_inputs: object = None

    @classmethod
    def collect(cls, namespace: dict) -> RunParameters:
        """The shared parameters found in ``namespace`` (a notebook's ``globals()``); the others keep
        their defaults.

        Examples
        --------
        >>> RunParameters.collect({"kota": "jakpus", "language": "en", "p": 10}).kota
        'jakpus'
        """
        return cls(**{f.name: namespace[f.name] for f in fields(cls) if f.name in namespace})

    def input_files(self) -> dict:
        """The keywords of :func:`helpers.io.inputs.load_inputs`: the user's files, ``columns``, ``sheet``
        and ``prepared`` (the inputs ``pemilu-recap`` checked before the runs)."""
        return {**{name: getattr(self, name) for name in INPUT_FILES}, "prepared": self.prepared_inputs}

    def report_parameters(self) -> dict:
        """The parameters a reader report's header lists (:func:`helpers.reports.spec.run_info`: those
        set are shown; ``kota`` is the scope itself, ``prepared_inputs`` a detail of the batch)."""
        names = ("provinsi", "offline", "basemap", *INPUT_FILES)
        return {name: getattr(self, name) for name in names}


def markdown() -> str:
    """``docs/parameters.md``: the table of the shared parameters."""
    rows = ["# The notebooks' shared parameters", "",
            "Written from `helpers.core.parameters.SHARED` by `python -m helpers.core.parameters` (a test keeps it in "
            "step). Each notebook declares, in its one cell tagged `parameters`, the ones it uses, with these defaults; "
            "its own parameters follow them. In a batch, `pemilu-recap` sets `provinsi` and `kota` (the scope of each run, "
            "from `--provinsi`/`--kota`), `output_dir`, `offline` and `prepared_inputs`; `-p NAME VALUE` sets any other "
            "parameter of the notebooks that declare it.", "",
            "| parameter | default | meaning |", "|---|---|---|"]
    for p in SHARED:
        rows.append(f"| `{p.name}` | `{p.default!r}` | {p.help.replace('|', '/')} |".replace("'", '"'))
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.core.parameters [FILE]``: write :func:`markdown` (default: ``docs/parameters.md``)."""

    args = sys.argv[1:] if argv is None else list(argv)
    target = Path(args[0]) if args else paths.ROOT / "docs" / "parameters.md"
    target.write_text(markdown(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Check every input file of a batch once, before any notebook runs, for every province of the batch.

A bad file would otherwise fail every notebook of every scope with the same error (21 times in a
full run), and a batch whose runs all fail would have nothing to show.  :func:`check_inputs`
loads the files named by the batch parameters with the same loader the notebooks use
(:func:`helpers.io.inputs.load_inputs`, plus ``candidates_path`` of the planning notebook) for one
province -- DKI Jakarta (``provinsi`` None) or a province of ``--provinsi`` -- and returns what it
loaded, its warnings and what was read, or raises :class:`InputsRejected` whose message lists
every problem of every file, grouped by file, in row order, each with the row, the column, the
value and the fix, in the words of that province ("118 kecamatan of Maluku Utara").

:func:`prepare_inputs` is the batch's step: it checks the inputs of every province of the
batch's scopes (all problems of all provinces at once), prints what was read and the warnings
once, and writes what it loaded into the build folder (:func:`helpers.io.inputs.save_prepared`,
one file per province) for the runs to read instead of reading and checking the same files
again (the notebooks' ``prepared_inputs`` parameter).
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from helpers.batch.errors import UsageError
from helpers.core.scope import DKI, Scope, province_scope
from helpers.io.national import unit_table
from helpers.io.inputs import DataValidationError, InputsError, load_facilities, load_inputs
from helpers.io.inputs import inputs_key, save_prepared
from helpers.io.validation import reading_warnings

#: Batch parameters that name an input of :func:`helpers.io.inputs.load_inputs`.
INPUT_PARAMETERS = ("sites_path", "facilities_path", "offices_path", "tps_path", "kota_path", "kecamatan_path",
                    "kelurahan_path", "dpt_path", "press_path", "columns", "sheet")
#: A user's own file of one province: with several provinces in one batch, each province's runs would
#: refuse the rows of the others.
ONE_PROVINCE_FILES = ("sites_path", "facilities_path", "offices_path", "tps_path", "candidates_path")
#: Inputs that exist for DKI Jakarta only (elsewhere the boundaries come from the national layer).
DKI_ONLY_FILES = ("kota_path", "kecamatan_path", "kelurahan_path", "dpt_path", "press_path")
#: Folder of the build where the prepared inputs are written (removed before publishing).
PREPARED_FOLDER = ".inputs"


class InputsRejected(Exception):
    """The input files have errors; ``str()`` is the whole report for the user."""


@dataclass
class CheckedInputs:
    """What the up-front check found in files that can be used."""

    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: ``{province code: prepared-inputs file}`` (:func:`prepare_inputs`)
    prepared: dict[str, str] = field(default_factory=dict)


def _key_kwargs(parameters: dict) -> dict:
    return {k: parameters.get(k) for k in INPUT_PARAMETERS}


def check_inputs(parameters: dict, scope: Scope | None = None, *, keep=None) -> CheckedInputs:
    """Load every input named in ``parameters`` (``None`` or absent = the shipped file) for one province.

    Parameters
    ----------
    parameters : dict
        The batch parameters; the ones of :data:`INPUT_PARAMETERS` and ``candidates_path`` are
        read.
    scope : Scope, optional
        The province (a whole-province scope; None: DKI Jakarta).
    keep : callable, optional
        Called with the :class:`~helpers.io.inputs.Inputs` loaded (when every file can be used):
        :func:`prepare_inputs` writes them for the runs.

    Returns
    -------
    CheckedInputs
        The warnings (each once) and what was read, for files that can be used.

    Raises
    ------
    InputsRejected
        With the problems of all files at once.

    Examples
    --------
    >>> checked = check_inputs({})
    >>> checked.warnings
    []
    """

    kwargs = _key_kwargs(parameters)
    failures: list[DataValidationError] = []
    notes: list[str] = []
    caught_warnings: list[str] = []
    data = None
    try:
        data = load_inputs(**kwargs, scope=scope)
        caught_warnings, notes = list(data.warnings), list(data.notes)
        kel, kota = data.kelurahan, data.kota
    except InputsError as exc:
        failures.extend(exc.failures)
        kel = kota = None
    candidates = parameters.get("candidates_path")
    if candidates is not None and (kel is not None or not failures):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                cand = load_facilities(candidates, kelurahan=kel, kota=kota)
                notes += [f"candidates ({cand.attrs.get('source_file', candidates)}): {n}"
                          for n in cand.attrs.get("read_notes", [])]
            except DataValidationError as exc:
                failures.append(exc)
        caught_warnings += reading_warnings(caught)
    if failures:
        raise InputsRejected(str(InputsError(failures)))
    if keep is not None and data is not None:
        keep(data)
    return CheckedInputs(list(dict.fromkeys(caught_warnings)), notes)


def provinces_of(scopes: list[Scope]) -> list[Scope]:
    """The provinces whose inputs a batch's scopes load, each once, in order, as whole-province scopes.

    The national scope loads no province (notebook 04 reads the national layer only).

    Examples
    --------
    >>> from helpers.batch.scopes import NATIONAL, available_scopes, province_scopes
    >>> [p.slug for p in provinces_of(available_scopes() + province_scopes(["malut"]) + [NATIONAL])]
    ['dki', 'maluku-utara']
    """
    units = unit_table()
    out: dict[str, Scope] = {}
    for scope in scopes:
        if not scope.is_national and scope.provinsi_kode not in out:
            out[scope.provinsi_kode] = province_scope(scope.provinsi_kode, units)
    return list(out.values())


def prepare_inputs(parameters: dict, provinces: list[Scope], folder: Path | None = None, *,
                   echo: bool = True) -> CheckedInputs:
    """Check the inputs of every province of a batch before any notebook runs; write them for the runs.

    Parameters
    ----------
    parameters : dict
        The batch parameters; the input files are the ones they name (or the shipped ones).
    provinces : list of Scope
        :func:`provinces_of` the batch's scopes.
    folder : Path, optional
        Where to write the prepared inputs (one file per province, named by its code); None:
        check only.
    echo : bool
        Print what was read and the warnings (once each) on stderr.

    Returns
    -------
    CheckedInputs
        The warnings, the read notes (each prefixed with the province when the batch has several)
        and the prepared files by province code.

    Raises
    ------
    UsageError
        A user file given to a batch of several provinces, or a DKI-only file to a province.
    InputsRejected
        With every problem of every file, for every province.
    """

    given = [k for k in ONE_PROVINCE_FILES if parameters.get(k) is not None]
    if len(provinces) > 1 and given:
        names = ", ".join(p.label for p in provinces[:4]) + (", ..." if len(provinces) > 4 else "")
        raise UsageError(f"{', '.join(given)}: a file of your own describes one province, and this batch covers "
                         f"{len(provinces)} ({names}), each of which would refuse the rows of the others; run the "
                         'province of your file on its own (--provinsi "NAME") or leave the file out')
    dki_only = [k for k in DKI_ONLY_FILES if parameters.get(k) is not None]
    outside = [p for p in provinces if not p.is_dki]
    if dki_only and outside:
        raise UsageError(f"{', '.join(dki_only)}: DKI Jakarta's own boundary, DPT and press files; outside DKI "
                         f"Jakarta ({outside[0].label}) the boundaries come from the national layer: leave them out")
    checked = CheckedInputs()
    rejected: list[str] = []
    several = len(provinces) > 1
    for province in provinces:
        prefix = f"{province.label}: " if several else ""

        def keep(data, province=province):
            if folder is not None:
                key = inputs_key(**_key_kwargs(parameters), scope=province)
                kode = province.provinsi_kode
                checked.prepared[kode] = str(save_prepared(data, Path(folder) / f"{kode}.pickle", key))

        try:
            one = check_inputs(parameters, province, keep=keep)
        except InputsRejected as exc:
            rejected.append(f"{prefix}{exc}" if several else str(exc))
            continue
        checked.warnings += [f"{prefix}{w}" for w in one.warnings]
        checked.notes += [f"{prefix}{n}" for n in one.notes]
    if rejected:
        raise InputsRejected("\n".join(rejected))
    checked.warnings = list(dict.fromkeys(checked.warnings))
    if echo:
        for line in checked.notes:
            print(f"pemilu-recap: read {line}", file=sys.stderr)
        for line in checked.warnings:
            print(f"pemilu-recap: warning: {line}", file=sys.stderr)
    return checked


def check_inputs_once(parameters: dict, provinces: list[Scope] | None = None) -> CheckedInputs:
    """Validate every input file before any notebook runs; print what was read and the warnings once.

    Parameters
    ----------
    parameters : dict
        The batch parameters; the input files are the ones they name (or the shipped ones).
    provinces : list of Scope, optional
        The provinces of the batch (default: DKI Jakarta).

    Returns
    -------
    CheckedInputs
        The warnings and read notes, for ``index.html``.

    Raises
    ------
    InputsRejected
        With every problem of every file.
    """
    return prepare_inputs(parameters, [DKI] if provinces is None else provinces)

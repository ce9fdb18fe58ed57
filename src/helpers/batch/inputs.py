"""Check every input file of a batch once, before any notebook runs (``dki-recap``).

A bad file would otherwise fail every notebook of every scope with the same error (21 times in a
full run).  :func:`check_inputs` loads the files named by the batch parameters with the same
loaders the notebooks use (:func:`helpers.loaders.load_inputs`, plus ``candidates_path`` of the
planning notebook) and returns their warnings and what was read, or raises
:class:`InputsRejected` whose message lists every problem of every file, grouped by file, in
row order, each with the row, the column, the value and the fix.  :func:`check_inputs_once` is
the command's step: it prints what was read and the warnings once, not once per run.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field

#: Batch parameters that name an input of :func:`helpers.loaders.load_inputs`.
INPUT_PARAMETERS = ("sites_path", "facilities_path", "offices_path", "tps_path", "kota_path", "kecamatan_path",
                    "kelurahan_path", "dpt_path", "press_path", "columns", "sheet")


class InputsRejected(Exception):
    """The input files have errors; ``str()`` is the whole report for the user."""


@dataclass
class CheckedInputs:
    """What the up-front check found in files that can be used."""

    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_inputs(parameters: dict) -> CheckedInputs:
    """Load every input named in ``parameters`` (``None`` or absent = the shipped file).

    Parameters
    ----------
    parameters : dict
        The batch parameters; the ones of :data:`INPUT_PARAMETERS` and ``candidates_path`` are
        read.

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
    from ..loaders import DataValidationError, InputsError, load_facilities, load_inputs

    kwargs = {k: parameters.get(k) for k in INPUT_PARAMETERS}
    failures: list[DataValidationError] = []
    notes: list[str] = []
    caught_warnings: list[str] = []
    try:
        data = load_inputs(**kwargs)
        caught_warnings, notes = list(data.warnings), list(data.notes)
        kel, kota = data.kelurahan, data.kota
    except InputsError as exc:
        failures.extend(exc.failures)
        kel = kota = None
    candidates = parameters.get("candidates_path")
    if candidates is not None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                cand = load_facilities(candidates, kelurahan=kel, kota=kota)
                notes += [f"candidates ({cand.attrs.get('source_file', candidates)}): {n}"
                          for n in cand.attrs.get("read_notes", [])]
            except DataValidationError as exc:
                failures.append(exc)
        caught_warnings += [str(w.message) for w in caught]
    if failures:
        raise InputsRejected(str(InputsError(failures)))
    return CheckedInputs(list(dict.fromkeys(caught_warnings)), notes)


def check_inputs_once(parameters: dict) -> CheckedInputs:
    """Validate every input file before any notebook runs; print what was read and the warnings once.

    Parameters
    ----------
    parameters : dict
        The batch parameters; the input files are the ones they name (or the shipped ones).

    Returns
    -------
    CheckedInputs
        The warnings and read notes, for ``index.html``.

    Raises
    ------
    InputsRejected
        With every problem of every file.
    """
    checked = check_inputs(parameters)
    for line in checked.notes:
        print(f"dki-recap: read {line}", file=sys.stderr)
    for line in checked.warnings:
        print(f"dki-recap: warning: {line}", file=sys.stderr)
    return checked

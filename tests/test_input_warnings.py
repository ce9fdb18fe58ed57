"""The warnings a user is shown about the input files are about the input files.

While the files are read, every warning is recorded (``warnings.simplefilter("always")``) so that the
batch can print each once.  The garbage collector may finalise, at that very moment, an object left by
earlier work of the same process (an event loop, a socket) and emit a :class:`ResourceWarning` that has
nothing to do with the files: seen under load in ``make test``, where one ended up in the batch's
``pemilu-recap: warning:`` lines and failed a test that compares them.  Forced here, not left to the
collector's timing.
"""

from __future__ import annotations

import warnings

from helpers.batch import inputs as batch_inputs
from helpers.io import inputs as loaders
from helpers.io.validation import DataValidationWarning

NOISE = "unclosed event loop <_UnixSelectorEventLoop running=False closed=False debug=False>"
REAL = "dpt_per_kota.csv, row 3, column 'dpt': a check worth reading"


def _noisy_dpt(monkeypatch):
    """The DPT loader, emitting a collector-style ResourceWarning and a real data warning as it reads."""
    original = loaders.load_dpt

    def load_dpt(*args, **kwargs):
        warnings.warn(NOISE, ResourceWarning, stacklevel=2)
        warnings.warn(REAL, DataValidationWarning, stacklevel=2)
        return original(*args, **kwargs)

    monkeypatch.setattr(loaders, "load_dpt", load_dpt)


def test_load_inputs_keeps_data_warnings_not_resource_warnings(monkeypatch):
    _noisy_dpt(monkeypatch)
    data = loaders.load_inputs()
    assert REAL in data.warnings
    assert not [w for w in data.warnings if "unclosed" in w], data.warnings


def test_the_batch_prints_no_resource_warning_as_an_input_warning(monkeypatch, capsys):
    _noisy_dpt(monkeypatch)
    checked = batch_inputs.check_inputs_once({})
    err = capsys.readouterr().err
    assert REAL in checked.warnings and f"pemilu-recap: warning: {REAL}" in err
    assert "unclosed" not in err and not [w for w in checked.warnings if "unclosed" in w]

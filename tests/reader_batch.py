"""One batch report per pytest session for the tests that read what a reader sees (test_statements.py,
test_reader_words.py): ``pemilu-recap`` run once per set of arguments, into the session's temporary folder.

Not a test module: the fixtures of both test files call :func:`batch_report`, which remembers the report
folders it built in this process, so the Indonesian batch of DKI, Jakarta Selatan and Kepulauan Seribu
(with ``--pdf``) is built once even when both files run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The scopes of the Indonesian batch: all of DKI, one kota, Kepulauan Seribu.
SCOPES = ("dki", "jaksel", "Kepulauan Seribu")
#: The report folders of each scope (as the batch names them).
SLUGS = {"dki": "dki", "jaksel": "jakarta-selatan", "Kepulauan Seribu": "kepulauan-seribu"}
_BUILT: dict[tuple, Path] = {}


def batch_report(base: Path, *args: str) -> Path:
    """The report folder of ``pemilu-recap <args> --output <folder>`` (built once per process).

    A failed batch fails the calling test with the batch's own output (its last 3000 characters).
    """
    key = tuple(args)
    if key in _BUILT:
        return _BUILT[key]
    out = Path(base) / f"report-{len(_BUILT)}"
    cmd = [sys.executable, "-m", "helpers.batch", *args, "--no-progress", "--output", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(args)}: exit {proc.returncode}\n{(proc.stdout + proc.stderr)[-3000:]}", pytrace=False)
    _BUILT[key] = out
    return out


def indonesian_batch(base: Path) -> Path:
    """DKI, Jakarta Selatan and Kepulauan Seribu in Indonesian, with the PDF of each scope."""
    return batch_report(base, "--kota", *SCOPES, "--pdf")

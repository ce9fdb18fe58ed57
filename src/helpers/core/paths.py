"""Project folders, derived from the location of this file (never from the working directory).

The package is installed in editable mode (``pip install -e .``) from the repository, so
``Path(__file__).parents[3]`` is the repository root.  A different root can be forced with the
``PEMILU_DKI_ROOT`` environment variable (useful when the package is installed non-editable).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("PEMILU_DKI_ROOT", Path(__file__).resolve().parents[3]))
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
NOTEBOOKS = ROOT / "notebooks"
OUTPUT = ROOT / "output"

#: Files written by ``python -m helpers.prepare.dki build`` (names relative to ``PROCESSED``).
PROCESSED_FILES = {
    "kota": "boundaries_kota.geojson",
    "kecamatan": "boundaries_kecamatan.geojson",
    "kelurahan": "boundaries_kelurahan.geojson",
    "crosswalk": "crosswalk_bps_kemendagri.csv",
    "tps": "tps_kelurahan.csv",
    "dpt": "dpt_kota.csv",
    "offices": "facilities_offices.geojson",
    "press_facilities": "facilities_press_reported.csv",
    "sites": "recap_sites.csv",
    "island_positions": "island_positions.csv",
}


def processed(name: str, root: Path | None = None) -> Path:
    """Path of one processed file by its short name (see ``PROCESSED_FILES``).

    Examples
    --------
    >>> processed("sites").name
    'recap_sites.csv'
    """
    return (root or PROCESSED) / PROCESSED_FILES[name]

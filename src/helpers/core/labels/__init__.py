"""Every user-visible label, in Bahasa Indonesia and English: one table, read through :func:`helpers.core.text.label`.

The table is kept in data modules of a few hundred lines each, one per area, every key prefixed by
its area so that keys never collide (checked when this package is imported):

==========================  =================  ============================================
module                      keys               used by
==========================  =================  ============================================
:mod:`.report`              (no prefix)        reader reports, ``index.html``
:mod:`.maps`                ``map_*``          the Leaflet maps (:mod:`helpers.maps`)
:mod:`.quality`             ``dq_*``           the data-quality page
:mod:`.gaps`                ``gs_*``           gap sentences (:mod:`helpers.analysis.coverage.gaps`)
:mod:`.coverage_map`        ``cov_*``          coverage map and charts
:mod:`.planning_map`        ``plan_*``         site-planning map
:mod:`.overview`            ``ov_*``           national overview (notebook 04)
:mod:`.warehouse`           ``wh_*``           the warehouse answer (coverage report and map)
:mod:`.operations`          ``op_*``           recapitulation operations (notebook 05)
:mod:`.provenance`          ``pv_*``           where a position comes from, for readers
:mod:`.columns`             ``xl_*``           the readers' workbook (``NN-name.xlsx``) and its links
:mod:`.statements`          ``st_*``           statements computed for the scope they describe
==========================  =================  ============================================

Each entry is ``key: (Bahasa Indonesia, English)``; ``{placeholders}`` are filled by
:func:`helpers.core.text.label`.

Examples
--------
>>> LABELS["map_reset"], LABELS["dq_title"][1], LABELS["gs_basis_dki"][0]
(('Tampilan awal', 'Initial view'), 'Data quality', 'se-DKI Jakarta')
>>> sum(map(len, PARTS.values())) == len(LABELS)
True
"""

from __future__ import annotations

from helpers.core.labels.report import LABELS as REPORT
from helpers.core.labels.columns import COLUMNS
from helpers.core.labels.coverage_map import COVERAGE_MAP
from helpers.core.labels.gaps import GAPS
from helpers.core.labels.maps import MAPS
from helpers.core.labels.overview import OVERVIEW
from helpers.core.labels.planning_map import PLANNING_MAP
from helpers.core.labels.operations import OPERATIONS
from helpers.core.labels.provenance import PROVENANCE
from helpers.core.labels.quality import QUALITY
from helpers.core.labels.statements import STATEMENTS
from helpers.core.labels.warehouse import WAREHOUSE

__all__ = ["LABELS", "PARTS", "merge"]

#: The parts of the table by area (see the module docstring).
PARTS: dict[str, dict[str, tuple[str, str]]] = {
    "report": REPORT, "maps": MAPS, "quality": QUALITY, "gaps": GAPS, "coverage_map": COVERAGE_MAP,
    "planning_map": PLANNING_MAP, "overview": OVERVIEW, "warehouse": WAREHOUSE, "operations": OPERATIONS,
    "provenance": PROVENANCE, "columns": COLUMNS, "statements": STATEMENTS,
}


def merge(parts: dict[str, dict[str, tuple[str, str]]]) -> dict[str, tuple[str, str]]:
    """One mapping of all ``parts``; a ValueError names any key held by two parts.

    Examples
    --------
    >>> merge({"a": {"x": ("1", "1")}, "b": {"x": ("2", "2")}})
    Traceback (most recent call last):
    ...
    ValueError: label keys in more than one part: x (a, b)
    """
    merged: dict[str, tuple[str, str]] = {}
    owner: dict[str, str] = {}
    clashes = []
    for name, part in parts.items():
        for key, pair in part.items():
            if key in owner:
                clashes.append(f"{key} ({owner[key]}, {name})")
            owner.setdefault(key, name)
            merged[key] = pair
    if clashes:
        raise ValueError(f"label keys in more than one part: {', '.join(clashes)}")
    return merged


#: ``key: (Bahasa Indonesia, English)`` of every label of the toolkit.
LABELS: dict[str, tuple[str, str]] = merge(PARTS)

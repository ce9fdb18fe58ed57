"""Former home of the notebook-01 map; kept only because notebook 01 still imports it.

Notebook 01 calls ``recap_map.write_sites_table`` and ``recap_map.report_spec``; both now live in
:mod:`helpers.maps.recap_report` (the map itself in :mod:`helpers.maps.recap`).  Remove this
module once the notebook imports ``from helpers.maps import recap_report`` instead.
"""

from .maps.recap import SITE_CLASS, kota_code, recap_sites_map
from .maps.recap_report import SITES_CSV, recap_figures, report_spec, write_sites_table

__all__ = ["SITE_CLASS", "SITES_CSV", "kota_code", "recap_figures", "recap_sites_map", "report_spec",
           "write_sites_table"]

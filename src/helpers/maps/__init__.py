"""Maps that need only Leaflet, open offline and never turn data into markup.

The public API the notebooks use; the modules below build on one another, top to bottom
(a module imports only from those above it).  Their words are the ``map_*`` labels of the one
label table (:mod:`helpers.core.labels`), read through :func:`helpers.core.text.label`:

=================  ==========================================================================
``offline``        Leaflet's files from the PyPI ``xstatic`` packages, inlined into a saved page
``runtime``        the JavaScript runtime (``static/recap_map.js`` + ``.css``) and the element
                   that calls it with a JSON spec
``page``           :class:`LeafletMap` / :func:`base_map`, title, legend, :func:`save_map`,
                   :func:`embed_map`
``specs``          layers as data for the runtime (:class:`LayerSpec`), polygon simplification
``layers``         boundaries, choropleths and circle markers on a map (:class:`Layer`)
``inset``          the Kepulauan Seribu inset every DKI map uses (:func:`add_seribu_inset`)
``recap``          the map of notebook 01 (:func:`recap_sites_map`)
=================  ==========================================================================

Design
------
* **Only Leaflet is needed.**  The maps use Leaflet vector layers (GeoJSON polygons and
  ``CircleMarker`` points) and a small runtime instead of folium's ``Popup``/``Tooltip``/
  ``GeoJsonTooltip``, which need jQuery, Bootstrap and Font Awesome from CDNs.  :func:`save_map`
  with ``offline=True`` then inlines Leaflet (and MarkerCluster when used).
* **Data never becomes markup.**  Every string from data travels to the page as JSON inside a
  script (with ``<``, ``>``, ``&`` escaped as ``\\u003c`` ...), and the runtime puts it into
  popups, tooltips, legends and titles with ``textContent``.  No data string is placed in a
  JavaScript template literal or parsed as HTML, so ``<img src=x onerror=...>`` and
  ``${alert(1)}`` show as text.  Layer names (which Leaflet's layer control inserts as HTML)
  are passed through :func:`html.escape`.
* **Small files.**  Polygons are simplified in UTM 48S (EPSG:32748) with
  :func:`shapely.coverage_simplify`, which simplifies shared borders once so neighbouring
  polygons keep meeting exactly, and coordinates are rounded to 5 decimals (about 1 m).
"""

from __future__ import annotations

from helpers.maps.inset import add_seribu_inset, in_kepulauan_seribu
from helpers.maps.layers import Layer, add_boundaries, add_choropleth, add_points
from helpers.maps.page import LeafletMap, add_legend, add_title, base_map, embed_map, save_map, stable_ids
from helpers.maps.recap import SITE_CLASS, RecapSitesMap, recap_sites_map
from helpers.maps.specs import LayerSpec, choropleth_spec, display_text, points_spec, shapes_spec, simplify_polygons

__all__ = ["LeafletMap", "base_map", "add_title", "add_legend", "save_map",
           "embed_map", "stable_ids", "Layer", "LayerSpec", "add_boundaries", "add_choropleth", "add_points",
           "shapes_spec", "points_spec", "choropleth_spec", "simplify_polygons", "display_text", "add_seribu_inset",
           "in_kepulauan_seribu", "SITE_CLASS", "RecapSitesMap", "recap_sites_map"]

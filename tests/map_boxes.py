"""Screen boxes of a saved map's markers and controls, read in the browser, for the tests that check that
no control hides a marker (tests/test_map_controls.py, tests/test_jupyterlab.py).

The boxes are what the browser laid out, not what the runtime computed: every circle marker's SVG path
(its bounding box grown by half its stroke), every control of the map (each outermost
``.leaflet-control`` and the title box) and the map container, in pixels of the map's own page.  A
marker whose path is empty is one that Leaflet's SVG renderer left out because it lies outside the
map; its projected position is checked instead.  The tests load this file by its path (they run in
pytest's ``importlib`` import mode, which keeps this folder off ``sys.path``).
"""

from __future__ import annotations

#: One read of the page (``execute_script``): the main map (not the inset's), its container, markers and
#: controls.  ``arguments[0]``: ``[[south, west], [north, east]]`` the map is fitted to; when not given,
#: the bounds the saved page declares (its ``recap-map-info`` element), else none.
BOXES = r"""
var m = null;
for (var k in window) {
  try { if (window[k] instanceof L.Map && !window[k].getContainer().closest('.recap-inset')) { m = window[k]; break; } }
  catch (e) {}
}
if (!m) { return null; }
var declared = document.getElementById('recap-map-info'), b = arguments[0];
if (!b && declared) { b = JSON.parse(declared.textContent).bounds; }
var c = m.getContainer(), cr = c.getBoundingClientRect(), area = b ? L.latLngBounds(b) : null;
function rel(r) { return [r.left - cr.left, r.top - cr.top, r.right - cr.left, r.bottom - cr.top]; }
var controls = [];
c.querySelectorAll('.leaflet-control, .recap-title').forEach(function (e) {
  if (e.parentElement && e.parentElement.closest('.leaflet-control, .recap-title')) { return; }
  var r = e.getBoundingClientRect();
  if (r.width > 0 && r.height > 0) { controls.push({name: e.className, box: rel(r)}); }
});
var markers = [];
m.eachLayer(function (l) {
  if (!(l instanceof L.CircleMarker)) { return; }
  var t = l.getTooltip(), content = t ? t.getContent() : '';
  var name = (content && content.textContent !== undefined) ? content.textContent : String(content || '');
  var r = l._path ? l._path.getBoundingClientRect() : null, w = l.options.stroke ? (l.options.weight || 0) / 2 : 0;
  var p = m.latLngToContainerPoint(l.getLatLng()), rad = l.getRadius() + w;
  markers.push({name: (l.options.className || '') + ': ' + name.slice(0, 60),
                box: (r && r.width > 0) ? [r.left - cr.left - w, r.top - cr.top - w, r.right - cr.left + w, r.bottom - cr.top + w] : null,
                projected: [p.x - rad, p.y - rad, p.x + rad, p.y + rad],
                in_area: area ? area.contains(l.getLatLng()) : false});
});
var lists = c.querySelectorAll('.leaflet-control-layers');
return {size: [c.clientWidth, c.clientHeight], laid_out: c.dataset.recapLayout || null, zoom: m.getZoom(),
        small: c.classList.contains('recap-small'), controls: controls, markers: markers,
        lists: lists.length, lists_open: c.querySelectorAll('.leaflet-control-layers-expanded').length,
        scales: Array.from(c.querySelectorAll('.leaflet-control-scale-line')).map(function (e) { return e.textContent; })};
"""

#: Opens every marker's popup in turn (``arguments[0]``: how many at most) and returns the popups'
#: heights against the map's height, and whether a popup taller than its room scrolls inside.
POPUPS = r"""
var m = null;
for (var k in window) {
  try { if (window[k] instanceof L.Map && !window[k].getContainer().closest('.recap-inset')) { m = window[k]; break; } }
  catch (e) {}
}
var out = [], n = 0, most = arguments[0];
m.eachLayer(function (l) {
  if (!(l instanceof L.CircleMarker) || !l.getPopup() || n >= most) { return; }
  n += 1;
  l.openPopup();
  var el = l.getPopup().getElement(), body = el.querySelector('.leaflet-popup-content');
  var h = el.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect().height
          + el.querySelector('.leaflet-popup-tip-container').getBoundingClientRect().height;
  out.push({name: body.textContent.slice(0, 60), height: h, scrolls: body.scrollHeight > body.clientHeight + 1,
            overflow: getComputedStyle(body).overflowY});
  m.closePopup();
});
return {map_height: m.getSize().y, popups: out};
"""


def overlap(a, b) -> bool:
    """Whether two boxes ``[left, top, right, bottom]`` share any area.

    Examples
    --------
    >>> overlap([0, 0, 10, 10], [9, 9, 20, 20]), overlap([0, 0, 10, 10], [10, 0, 20, 10])
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box, size) -> bool:
    """Whether ``box`` lies wholly in a map of ``size`` (width, height).

    Examples
    --------
    >>> inside([1, 1, 9, 9], (10, 10)), inside([-1, 1, 9, 9], (10, 10))
    (True, False)
    """
    return box[0] >= 0 and box[1] >= 0 and box[2] <= size[0] and box[3] <= size[1]


def problems(view: dict) -> list[str]:
    """What is wrong with a view read by :data:`BOXES`: a marker under a control, a marker of the fitted
    area not wholly in the map, a marker inside the map that was not drawn."""
    out = []
    size = view["size"]
    for mk in view["markers"]:
        box = mk["box"]
        if box is None:
            if overlap(mk["projected"], [0, 0, *size]):
                out.append(f"{mk['name']} lies in the map but was not drawn")
            elif mk["in_area"]:
                out.append(f"{mk['name']} of the fitted area lies outside the map")
            continue
        if mk["in_area"] and not inside(box, size):
            out.append(f"{mk['name']} of the fitted area is not wholly in the map: {box}")
        for ctl in view["controls"]:
            if overlap(box, ctl["box"]):
                out.append(f"{mk['name']} {[round(v) for v in box]} lies under {ctl['name']!r} "
                           f"{[round(v) for v in ctl['box']]}")
    return out


// Controls that keep out of the way (issue 22): on a small map (a report frame, a notebook output,
// a laptop window) the layer list is collapsed and the title and legend are compact (the class
// "recap-small" of the map container, recap_map.css), and a map is fitted to its area so that no
// circle marker lies under a control: the title, the legend, the inset, the layer list, the zoom
// buttons, the scale or the attribution.
//
// The fit: Leaflet's own fit (the area's box centred at the largest zoom that holds it) when it
// leaves every marker clear; else the view closest to it, at that zoom or at most two zoom levels
// below in quarter steps, that keeps the whole box and every marker inside it wholly in view and
// every marker (of the shown layers) clear of every control by MARGIN pixels.  The views tried at one zoom are the origins of a grid
// over the room the box leaves in the map; a marker and a control collide for a rectangle of
// origins, so only the rectangles that meet that room are tested.
var RecapLayout = window.RecapLayout || (function () {
  "use strict";
  var SMALL = {width: 1100, height: 700};  // a map narrower or lower than this is small
  var MARGIN = 4;                          // pixels kept free around every control
  var LEVELS = 2;                          // zoom levels below Leaflet's fit that may be tried
  var GRID = 48;                           // grid steps over the room, per axis
  var PRINT_PAD = 12;                      // pixels between the area and the edge of a picture for print
  var layerLists = [];                     // every L.control.layers, to find those of a map
  if (window.L && L.Control && L.Control.Layers) {
    L.Control.Layers.addInitHook(function () { layerLists.push(this); });
  }

  function isSmall(map) {
    var s = map.getSize();
    return s.x < SMALL.width || s.y < SMALL.height;
  }
  // The layer lists of a map: collapsed on a small map, or when the list would hide a marker;
  // else as they were made.  A list is collapsed by adding it again with Leaflet's own option, so
  // that it opens on hover, touch or keyboard and closes again as Leaflet's collapsed lists do.
  function setLists(map, collapse) {
    var spec = map.recapLayout || {};
    layerLists.forEach(function (c) {
      if (c._map !== map) { return; }
      if (c.recapMade === undefined) { c.recapMade = !!c.options.collapsed; }
      var want = collapse || c.recapMade;
      if (!!c.options.collapsed !== want) {
        c.options.collapsed = want;
        c.remove();
        c.addTo(map);
      }
      if (spec.layers && c._layersLink) {
        c._layersLink.title = spec.layers;
        c._layersLink.setAttribute("aria-label", spec.layers);
      }
    });
  }
  function hasOpenList(map) {
    return layerLists.some(function (c) { return c._map === map && !c.options.collapsed; });
  }

  // The boxes of the controls, in container pixels, grown by MARGIN: [left, top, right, bottom].
  function obstacles(map) {
    var c = map.getContainer(), cr = c.getBoundingClientRect(), out = [];
    c.querySelectorAll(".leaflet-control, .recap-title").forEach(function (e) {
      if (e.parentElement && e.parentElement.closest(".leaflet-control, .recap-title")) { return; }
      var r = e.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        out.push([r.left - cr.left - MARGIN, r.top - cr.top - MARGIN, r.right - cr.left + MARGIN,
                  r.bottom - cr.top + MARGIN]);
      }
    });
    return out;
  }
  function markers(map) {
    var out = [];
    map.eachLayer(function (l) {
      if (l instanceof L.CircleMarker) {
        out.push({ll: l.getLatLng(), r: l.getRadius() + (l.options.stroke ? (l.options.weight || 0) / 2 : 0)});
      }
    });
    return out;
  }

  // The origin (top-left pixel at zoom z) of the clear view closest to the centred one, or null.
  function clearOrigin(map, pts, obs, bounds, z, size, pad) {
    // what must be in view: the area's box and, whole, every marker inside it
    var nw = map.project(bounds.getNorthWest(), z), se = map.project(bounds.getSouthEast(), z);
    var lo = [nw.x, nw.y], hi = [se.x, se.y];
    var px = pts.map(function (m) {
      var p = map.project(m.ll, z);
      if (bounds.contains(m.ll)) {
        lo = [Math.min(lo[0], p.x - m.r), Math.min(lo[1], p.y - m.r)];
        hi = [Math.max(hi[0], p.x + m.r), Math.max(hi[1], p.y + m.r)];
      }
      return p;
    });
    var room = [size.x - 2 * pad - (hi[0] - lo[0]), size.y - 2 * pad - (hi[1] - lo[1])];
    if (room[0] < 0 || room[1] < 0) { return null; }
    var x0 = hi[0] + pad - size.x, y0 = hi[1] + pad - size.y;  // the origins keeping it in view: [x0, x0 + room]
    var blocked = [];  // origins at which a marker lies under a control, as rectangles
    pts.forEach(function (m, i) {
      var p = px[i];
      obs.forEach(function (o) {
        var b = [p.x - m.r - o[2], p.y - m.r - o[3], p.x + m.r - o[0], p.y + m.r - o[1]];
        if (b[2] > x0 && b[0] < x0 + room[0] && b[3] > y0 && b[1] < y0 + room[1]) { blocked.push(b); }
      });
    });
    var cx = x0 + room[0] / 2, cy = y0 + room[1] / 2;
    if (!blocked.length) { return L.point(cx, cy); }
    var step = Math.max(1, Math.max(room[0], room[1]) / GRID), tries = [];
    for (var i = -Math.floor(room[0] / 2 / step); i * step <= room[0] / 2; i++) {
      for (var j = -Math.floor(room[1] / 2 / step); j * step <= room[1] / 2; j++) {
        tries.push([cx + i * step, cy + j * step, i * i + j * j]);
      }
    }
    tries.sort(function (a, b) { return a[2] - b[2]; });
    for (var k = 0; k < tries.length; k++) {
      var x = tries[k][0], y = tries[k][1], free = true;
      for (var q = 0; q < blocked.length && free; q++) {
        var b = blocked[q];
        free = !(x > b[0] && x < b[2] && y > b[1] && y < b[3]);
      }
      if (free) { return L.point(x, y); }
    }
    return null;
  }

  // Fit the map to bounds with no marker under a control; returns whether every marker is clear.
  function fit(map, bounds) {
    bounds = L.latLngBounds(bounds);
    var size = map.getSize(), c = map.getContainer(), pad = isPrint() ? PRINT_PAD : 0;
    map.fitBounds(bounds, {animate: false, padding: [pad, pad]});
    var clear = true, pts = markers(map);
    for (var pass = 0; pass < 2; pass++) {
      var obs = obstacles(map), snap = map.options.zoomSnap || 1;
      var z0 = map.getBoundsZoom(bounds, false, L.point(2 * pad, 2 * pad));
      clear = !pts.length || !obs.length;
      for (var z = z0; !clear && z >= Math.max(map.getMinZoom(), z0 - LEVELS) - 1e-9; z -= snap) {
        var o = clearOrigin(map, pts, obs, bounds, z, size, pad);
        if (o) {
          map.setView(map.unproject(o.add(size.divideBy(2)), z), z, {animate: false});
          clear = true;
        }
      }
      if (clear || !hasOpenList(map)) { break; }
      setLists(map, true);  // an open layer list that leaves no clear view is collapsed
    }
    if (!clear) { map.fitBounds(bounds, {animate: false, padding: [pad, pad]}); }
    c.dataset.recapClear = clear ? "yes" : "no";
    return clear;
  }

  // Before each fit and after each change of size: compact controls and collapsed lists on a small map.
  function arrange(map) {
    var small = isSmall(map), c = map.getContainer();
    c.classList.toggle("recap-small", small);
    c.style.setProperty("--recap-map-height", map.getSize().y + "px");  // popups' room (recap_map.css)
    setLists(map, small);
  }

  // The picture of a map for print (the page opened as map.html#print, by helpers.reports.render):
  // only the data, the inset and the scale; the title and legend are printed as text beside it.
  function isPrint() { return /^#print$/.test(window.location.hash || ""); }

  // Called once every control is on the map (the last call of the page): arrange the controls, and
  // fit again unless the user has moved the map.
  function controls(map, spec) {
    map.recapLayout = spec || {};
    map.getContainer().classList.add("recap-map");
    if (isPrint()) {  // no tiles in the picture: nothing to wait for, nothing from the network
      map.getContainer().classList.add("recap-print");
      map.eachLayer(function (l) { if (l instanceof L.TileLayer) { map.removeLayer(l); } });
    }
    if (map.recapAutofit) {
      map.recapAutofit.refit();
    } else {
      var again = function () { arrange(map); };
      map.on("resize", again);
      again();
    }
  }

  return {fit: fit, arrange: arrange, controls: controls, isSmall: isSmall, isPrint: isPrint, obstacles: obstacles,
          markers: markers};
})();
window.RecapLayout = RecapLayout;

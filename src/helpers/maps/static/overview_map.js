var OverviewMap = (function () {
  "use strict";
  function decode(enc, scale, nested) {  // flat deltas -> LatLng lines, or kecamatan -> polygons -> rings
    var d = enc.d, x = 0, y = 0, k = 0, r = 0, pi = 0;
    function ring(n) {
      var a = new Array(n);
      for (var i = 0; i < n; i++) { x += d[k++]; y += d[k++]; a[i] = new L.LatLng(y / scale, x / scale); }
      return a;
    }
    if (!nested) { return enc.r.map(function (n) { return ring(n); }); }
    return enc.f.map(function (np) {
      var polys = [];
      for (var p = 0; p < np; p++) {
        var rings = [], nr = enc.p[pi++];
        for (var q = 0; q < nr; q++) { rings.push(ring(enc.r[r++])); }
        polys.push(rings);
      }
      return polys;
    });
  }
  function key(s) { return String(s).toLowerCase().replace(/[^a-z0-9]+/g, ""); }
  function draw(map, o) {
    var canvas = L.canvas({padding: 0.3}), shapes = decode(o.kec, o.scale, true), layers = [];
    var el = RecapMap.el, group = L.featureGroup().addTo(map);
    shapes.forEach(function (polys, i) {
      if (!polys.length) { layers.push(null); return; }
      var lyr = L.polygon(polys, {renderer: canvas, color: "#555555", weight: 0.4, fillColor: o.colors[o.c[i]],
                                  fillOpacity: 0.75});
      lyr.bindPopup(function () { return RecapMap.card(card(o, i)); }, {maxWidth: 360, className: "recap-popup"});
      lyr.bindTooltip(function () { return el("div", "recap-tip", o.names[i]); }, {sticky: true});
      group.addLayer(lyr); layers.push(lyr);
    });
    decode(o.borders, o.scale, false).forEach(function (line) {
      L.polyline(line, {renderer: canvas, color: "#222222", weight: 1.6, interactive: false}).addTo(map);
    });
    search(map, o, layers);
    map.getContainer().dataset.overviewPolygons = String(group.getLayers().length);
    window.overviewReady = performance.now();
  }
  function card(o, i) {
    var k = o.kab[i], v = o.values[i];
    return {title: o.names[i], note: o.labels.note,
            rows: [[o.labels.kabkota, o.kabNames[k]], [o.labels.provinsi, o.provNames[o.kabProv[k]]]].concat(
              o.labels.rows.map(function (lab, j) { return [lab, v[j]]; }))};
  }
  function kabCard(o, k) {  // a kab/kota found by the search: its own figures (sums over its kecamatan)
    var v = o.kabValues[k];
    return {title: o.kabNames[k], note: o.labels.kabNote,
            rows: [[o.labels.provinsi, o.provNames[o.kabProv[k]]]].concat(
              o.labels.kabRows.map(function (lab, j) { return [lab, v[j]]; }))};
  }
  function search(map, o, layers) {
    var items = [];
    o.kabNames.forEach(function (n, k) {  // found by "Bogor" as well as by "Kota Bogor"
      var short = key(String(n).replace(/^(kabupaten|kota)( administrasi)? /i, ""));
      items.push({k: key(n), s: short, t: n + " — " + o.provNames[o.kabProv[k]], kab: k});
    });
    o.names.forEach(function (n, i) {
      items.push({k: key(n), s: key(n), t: o.labels.kecamatan + " " + n + " — " + o.kabNames[o.kab[i]], kec: i});
    });
    var c = L.control({position: "topright"});
    c.onAdd = function () {
      var box = RecapMap.el("div", "ov-search"), input = RecapMap.el("input"), list = RecapMap.el("div", "ov-results");
      input.type = "search"; input.placeholder = o.labels.search; input.setAttribute("aria-label", o.labels.search);
      function go(it) {
        var b = null;
        if (it.kec !== undefined) { b = layers[it.kec] && layers[it.kec].getBounds(); }
        else {
          layers.forEach(function (l, i) {
            if (l && o.kab[i] === it.kab) { b = (b || L.latLngBounds([])).extend(l.getBounds()); }
          });
        }
        setTimeout(function () { list.textContent = ""; }, 0);  // after the click has bubbled (Leaflet checks its path)
        if (!b) { return; }
        map.once("moveend", function () {  // a kecamatan: its popup; a kab/kota: the card of its figures
          if (it.kec !== undefined) { layers[it.kec].openPopup(b.getCenter()); return; }
          L.popup({maxWidth: 360, className: "recap-popup ov-kab-popup"}).setLatLng(b.getCenter())
            .setContent(RecapMap.card(kabCard(o, it.kab))).openOn(map);
        });
        map.fitBounds(b, {maxZoom: 12, animate: false});
      }
      function find() {
        var q = key(input.value), hits = [];
        list.textContent = "";
        if (q.length < 2) { return hits; }
        items.forEach(function (it) {
          var at = it.s.indexOf(q) === 0 ? 0 : it.k.indexOf(q);
          if (at >= 0) { hits.push([at === 0 ? 0 : 1, it.s.length, it]); }
        });
        hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
        hits = hits.slice(0, 12).map(function (h) { return h[2]; });
        hits.forEach(function (it) {
          var b = RecapMap.el("button", "ov-hit", it.t); b.type = "button";
          b.onclick = function () { go(it); };
          list.appendChild(b);
        });
        if (!hits.length) { list.appendChild(RecapMap.el("div", "ov-none", o.labels.none)); }
        return hits;
      }
      input.addEventListener("input", find);
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { var h = find(); if (h.length) { go(h[0]); } }
      });
      box.appendChild(input); box.appendChild(list);
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    c.addTo(map);
  }
  return {draw: draw, decode: decode, key: key};
})();

var RecapMap = window.RecapMap || (function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function card(p) {
    var d = el("div", "recap-card");
    if (p.title) { d.appendChild(el("div", "recap-card-title", p.title)); }
    if (p.note) { d.appendChild(el("div", "recap-card-note", p.note)); }
    if (p.rows && p.rows.length) {
      var t = el("table", "recap-rows");
      p.rows.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("th", null, r[0]));
        tr.appendChild(el("td", null, r[1]));
        t.appendChild(tr);
      });
      d.appendChild(t);
    }
    if (p.link && p.link.href) {  // the full record on the report's sources page (issue 22)
      var a = el("a", "recap-card-link", p.link.text);
      a.setAttribute("href", p.link.href);
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener");
      d.appendChild(a);
    }
    return d;
  }
  function tip(t) { return (t !== null && typeof t === "object") ? card(t) : el("div", "recap-tip", t); }
  function bind(layer, popup, tooltip) {
    if (popup) { layer.bindPopup(function () { return card(popup); }, {maxWidth: 360, className: "recap-popup"}); }
    if (tooltip !== undefined && tooltip !== null && tooltip !== "") {
      layer.bindTooltip(tip(tooltip), {sticky: true});
    }
  }
  function points(group, spec) {
    var target = group;
    if (spec.cluster) { target = L.markerClusterGroup({chunkedLoading: true}); group.addLayer(target); }
    spec.rows.forEach(function (r) {
      var m = L.circleMarker([r.lat, r.lon], r.style);
      bind(m, r.popup, r.tooltip);
      target.addLayer(m);
    });
  }
  function shapes(group, spec) {
    L.geoJSON(spec.data, {
      style: function (f) { return f.properties.s || spec.style; },
      interactive: spec.interactive,
      onEachFeature: function (f, layer) { bind(layer, f.properties.p, f.properties.t); }
    }).addTo(group);
  }
  function swatch(s) {
    var shape = s.shape || "circle";
    var sw = el("span", "recap-swatch recap-swatch-" + (shape === "square" || shape === "line" ? shape : "circle"));
    sw.style.backgroundColor = s.fill || "transparent";
    sw.style.borderColor = s.color || s.fill || "#333333";
    sw.style.borderStyle = s.dashed ? "dashed" : "solid";
    return sw;
  }
  function legend(map, spec) {
    var c = L.control({position: spec.position || "bottomright"});
    c.onAdd = function () {
      var d = el("div", "recap-legend");
      if (spec.title) { d.appendChild(el("div", "recap-legend-title", spec.title)); }
      spec.items.forEach(function (it) {
        var row = el("div", "recap-legend-item");
        row.appendChild(swatch(it.swatch));
        row.appendChild(el("span", null, it.label));
        d.appendChild(row);
      });
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    c.addTo(map);
  }
  function title(map, spec) {
    var d = el("div", "recap-title", spec.title);
    if (spec.subtitle) { d.appendChild(el("small", null, spec.subtitle)); }
    if (spec.reset && spec.bounds) {
      var b = el("button", "recap-reset", spec.reset);
      b.type = "button";
      b.onclick = function () { RecapLayout.fit(map, spec.bounds); };
      d.appendChild(b);
    }
    L.DomEvent.disableClickPropagation(d);
    map.getContainer().appendChild(d);
  }
  function inset(map, spec) {
    var holder = el("div", "recap-inset-map");
    var c = L.control({position: spec.position || "bottomleft"});
    c.onAdd = function () {
      var box = el("div", "recap-inset");
      box.appendChild(el("div", "recap-inset-title", spec.title));
      box.appendChild(holder);
      if (spec.button) {
        var b = el("button", "recap-inset-button", spec.button);
        b.type = "button";
        b.onclick = function () { RecapLayout.fit(map, spec.bounds); };
        box.appendChild(b);
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    c.addTo(map);
    var mini = L.map(holder, {zoomControl: false, attributionControl: false, scrollWheelZoom: false});
    if (spec.tiles && !RecapLayout.isPrint()) { L.tileLayer(spec.tiles.url, spec.tiles.options).addTo(mini); }
    var g = L.featureGroup().addTo(mini);
    (spec.shapes || []).forEach(function (s) { shapes(g, s); });
    (spec.points || []).forEach(function (p) { points(g, p); });
    mini.fitBounds(spec.bounds);
    autofit(mini, {bounds: spec.bounds});
    g.on("click", function () { RecapLayout.fit(map, spec.bounds); });
  }
  // A map created while its page or iframe has no size (a notebook output that JupyterLab has not
  // laid out yet, a collapsed output, a hidden tab) is fitted to a 0x0 box: the whole world.  Fit it
  // again whenever it gets a size, until the user moves or zooms it; after that only tell Leaflet
  // the new size, so the user's view is kept.  Each fit keeps the markers clear of the controls
  // (RecapLayout.fit, recap_layout.js); the container's data-recap-layout is the size last laid out.
  function autofit(map, spec) {
    var c = map.getContainer(), touched = false, last = "";
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (ev) {
      c.addEventListener(ev, function () { touched = true; }, {passive: true, capture: true});
    });
    function check() {
      var size = c.clientWidth + "x" + c.clientHeight;
      if (!c.clientWidth || !c.clientHeight || size === last) { return; }
      last = size;
      map.invalidateSize({pan: false});
      RecapLayout.arrange(map);
      if (!touched) { RecapLayout.fit(map, spec.bounds); }
      c.dataset.recapLayout = size;
    }
    if (window.ResizeObserver) { new ResizeObserver(check).observe(c); }
    window.addEventListener("resize", check);
    document.addEventListener("visibilitychange", check);
    check();
    map.recapAutofit = {check: check, touched: function () { return touched; },
                        refit: function () { last = ""; check(); }};
  }
  // The scale bar: metric only (folium's control_scale adds miles too).
  function scale(map, spec) {
    L.control.scale({metric: true, imperial: false, position: spec.position || "bottomleft"}).addTo(map);
  }
  // The last call of a page, once every control is on the map: see RecapLayout.controls.
  function controls(map, spec) { RecapLayout.controls(map, spec); }
  return {el: el, card: card, tip: tip, points: points, shapes: shapes, legend: legend, title: title,
          inset: inset, autofit: autofit, scale: scale, controls: controls};
})();
window.RecapMap = RecapMap;

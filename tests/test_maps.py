"""Map builders (helpers.maps and its modules, offline assets, runtime files) and notebook 01-recap-sites-map."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from helpers.io import inputs as loaders
from helpers.io.national import resolve_scope
from helpers.maps import (SITE_CLASS, Layer, add_choropleth, add_legend, add_points, base_map, recap_sites_map,
    save_map, simplify_polygons)
from helpers.maps import display_text as _text
from helpers.maps import offline

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01-recap-sites-map.ipynb"
HOSTILE = ["<img src=x onerror=alert(1)>", "${alert(1)}", "Quote \" ' back\\slash `tick` </script><b>x</b>"]


@pytest.fixture(scope="module")
def data():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"sites": loaders.load_sites(), "kota": loaders.load_boundaries("kota"),
                "kec": loaders.load_boundaries("kecamatan"), "fac": loaders.load_facilities(),
                "tps": loaders.load_tps()}


@pytest.fixture(scope="module")
def dki_map(data):
    return recap_sites_map(data["sites"], data["kota"], data["kec"], data["fac"], data["tps"])


def _groups(m):
    return {c.layer_name: c for c in m._children.values() if isinstance(c, folium.FeatureGroup)}


def _rows(m, prefix):
    for g in _groups(m).values():
        rows = g.recap_spec.data.get("rows") if isinstance(g, Layer) else None
        if rows and rows[0]["style"]["className"].split()[0] == prefix:
            return rows
    return []


def test_layers_present(dki_map, data):
    """One layer per office kind, named with its number of points (every facility in one of them)."""
    n = data["fac"]["facility_type"].value_counts()
    camat, lurah, walikota = n["kantor_camat"], n["kantor_lurah"], n["kantor_walikota"] + n["balai_kota"]
    sites = f"Lokasi rekapitulasi PPK ({len(data['sites'])})"
    names = list(_groups(dki_map))
    assert names == ["Batas kecamatan", "Batas kota/kabupaten administrasi",
                     f"Kantor camat / sekretariat PPK ({camat})", f"Kantor lurah / sekretariat PPS ({lurah})",
                     f"Kantor walikota/bupati dan Balai Kota ({walikota})",
                     f"Kantor pemerintah dan fasilitas lainnya ({len(data['fac']) - camat - lurah - walikota})",
                     sites]
    assert any(isinstance(c, folium.LayerControl) for c in dki_map._children.values())
    # the kantor lurah layer (the most points) is off when the page opens, the sites are on
    assert _groups(dki_map)[f"Kantor lurah / sekretariat PPS ({lurah})"].show is False
    assert _groups(dki_map)[sites].show is True


def test_one_marker_per_site_and_approximate_styled_differently(dki_map, data):
    rows = _rows(dki_map, SITE_CLASS)
    assert len(rows) == len(data["sites"])
    approx = [r for r in rows if "recap-site-approximate" in r["style"]["className"]]
    exact = [r for r in rows if "recap-site-known" in r["style"]["className"]]
    flagged = int(data["sites"]["approximate"].sum())
    assert 0 < flagged < len(rows) and (len(approx), len(exact)) == (flagged, len(rows) - flagged)
    assert all(r["style"].get("dashArray") and r["style"]["fillColor"] == "#ffffff" for r in approx)
    assert all("dashArray" not in r["style"] and r["style"]["fillColor"] != "#ffffff" for r in exact)
    # the popup says "approximate" and why, only for approximate sites
    assert all(r["popup"]["note"].startswith("Posisi perkiraan") for r in approx)
    assert all(r["popup"]["note"] is None for r in exact)
    # the basis once, as one reader sentence (issue 22; the full English record is on the sources page)
    senen = next(r for r in rows if ["ID lokasi", "PPK-31.71.04"] in r["popup"]["rows"])
    basis = data["sites"].set_index("site_id").at["PPK-31.71.04", "position_basis"]
    assert basis not in json.dumps(senen["popup"], ensure_ascii=False)
    assert dict(senen["popup"]["rows"])["Dasar posisi"] == ("Perkiraan: tempat yang disebut media (foto.okezone.com "
                                                           "2024) tanpa koordinat; titik di dalam wilayah kecamatan")
    assert senen["popup"]["link"] == {"href": "data-quality.report.html#pos-ppk-31-71-04", "text": "sumber lengkap"}


def test_site_popup_content_and_tps(dki_map):
    rows = _rows(dki_map, SITE_CLASS)
    gambir = next(r for r in rows if ["ID lokasi", "PPK-31.71.01"] in r["popup"]["rows"])
    popup = dict(gambir["popup"]["rows"])
    assert gambir["popup"]["title"] == "PPK Gambir"
    assert popup["Tempat"] == "Kantor Kecamatan Gambir (sekretariat PPK)"
    assert popup["Kecamatan"] == "Gambir" and popup["Kota/Kabupaten"] == "Jakarta Pusat"
    # issue 22: the internet value with its source in one sentence, the basis in one (no raw records)
    assert popup["Internet"] == "ada (program Pemprov DKI di 44 tempat rekapitulasi; MerahPutih.com, 29 Januari 2024)"
    assert popup["Dasar posisi"] == "Titik kantor camat (BIG RBI)"
    assert "Sumber data" not in popup and "Sumber lokasi" not in popup
    # TPS recapitulated = TPS of the kecamatan's kelurahan, counted independently from the CSV
    tps = pd.read_csv(ROOT / "data" / "processed" / "tps_kelurahan.csv", dtype={"kode": str})
    gambir_tps = int(tps.loc[tps["kode"].str.startswith("31.71.01."), "tps_total"].sum())
    assert popup["TPS yang direkapitulasi"] == f"{gambir_tps:,}".replace(",", ".")
    # over all sites, every TPS of DKI is recapitulated exactly once
    total = sum(int(dict(r["popup"]["rows"])["TPS yang direkapitulasi"].replace(".", "")) for r in rows)
    assert total == int(tps["tps_total"].sum())


def test_english_labels(data):
    m = recap_sites_map(data["sites"], data["kota"], data["kec"], scope=resolve_scope(kota="jakpus"), language="en")
    rows = _rows(m, SITE_CLASS)
    pusat = int((data["sites"]["kota"] == "Jakarta Pusat").sum())  # one site per kecamatan
    assert len(rows) == pusat == int((data["kec"]["kota"] == "Jakarta Pusat").sum())
    labels = [lab for lab, _ in rows[0]["popup"]["rows"]]
    assert labels[:3] == ["Site ID", "Venue", "Venue status"]
    assert f"PPK recapitulation sites ({pusat})" in _groups(m)


def test_kota_view_and_seribu_inset(data, dki_map):
    html_dki = dki_map.get_root().render()
    assert html_dki.count("RecapMap.inset(") == 1 and html_dki.count('"className":"recap-site-inset ') == 2
    pusat = recap_sites_map(data["sites"], data["kota"], data["kec"], scope=resolve_scope(kota="Kota Adm. Jakarta Pusat"))
    assert "RecapMap.inset(" not in pusat.get_root().render()
    (s, w), (n, e) = pusat.recap_bounds
    kp = data["kota"].set_index("kode").loc["31.71"].geometry.bounds
    assert (w, s, e, n) == pytest.approx(kp)
    # all-DKI view is fitted to the mainland, not zoomed out to sea
    (s, w), (n, e) = dki_map.recap_bounds
    assert n < -6.0 and s > -6.4
    with pytest.raises(ValueError, match="unknown kota 'Bandung'.*Jakarta Pusat"):
        resolve_scope(kota="Bandung")


def test_hostile_strings_never_reach_markup(data, tmp_path):
    sites = data["sites"].copy()
    sites.loc[sites.index[:3], "venue"] = HOSTILE
    sites.loc[sites.index[3], "kecamatan"] = HOSTILE[0]
    kota = data["kota"].copy()
    kota.loc[kota.index[0], "nama"] = HOSTILE[1]
    m = recap_sites_map(sites, kota, data["kec"], basemap=None, title=HOSTILE[0])
    add_legend(m, HOSTILE[0], [("#ff0000", HOSTILE[1]), ({"fill": None, "color": "#000"}, HOSTILE[2])])
    add_points(m, sites.head(2), name=HOSTILE[0], popup_cols={"venue": HOSTILE[1]}, tooltip_col="venue")
    page = save_map(m, tmp_path / "hostile.html", offline=False).read_text(encoding="utf-8")
    for bad in ("<img src=x", "<b>x</b>", "</script><b>"):
        assert bad not in page
    assert "`" not in page  # no template literal at all, so ${...} cannot run
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # the name is there, as JSON text
    # layer name: HTML-escaped for Leaflet's layer control (which inserts names as HTML), then JSON
    assert '"\\u0026lt;img src=x onerror=alert(1)\\u0026gt;"' in page


def test_offline_page_has_no_remote_assets(dki_map, tmp_path):
    online = save_map(dki_map, tmp_path / "on.html", offline=False).read_text(encoding="utf-8")
    assert offline.remote_assets(online) == [offline.LEAFLET_JS, offline.LEAFLET_CSS]  # no jQuery/Bootstrap
    page = save_map(dki_map, tmp_path / "off.html", offline=True).read_text(encoding="utf-8")
    assert offline.remote_assets(page) == []
    assert not re.search(r"<script[^>]+src=[\"']?https?:", page, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", page, re.I)
    assert "Leaflet 1.9.3" in page  # the packaged library is inlined
    assert "data:image/png;base64," in page  # layer-control icon inlined too


def test_offline_refuses_unknown_cdn_asset(tmp_path):
    from folium.plugins import Fullscreen
    m = base_map(basemap=None)
    Fullscreen().add_to(m)
    with pytest.raises(ValueError, match="still loads these files.*fullscreen"):
        save_map(m, tmp_path / "x.html", offline=True)


def test_cluster_layer_inlines_markercluster(tmp_path):
    pts = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(106.8, -6.2), Point(106.81, -6.21)], crs=4326)
    m = base_map(basemap=None)
    add_points(m, pts, name="TPS", popup_cols=["name"], tooltip_col="name", cluster=True)
    page = save_map(m, tmp_path / "c.html", offline=True).read_text(encoding="utf-8")
    assert "L.markerClusterGroup" in page and "MarkerClusterGroup" in page and offline.remote_assets(page) == []
    with pytest.raises(ValueError, match="3 markers.*cluster=True"):
        add_points(m, pd.concat([pts, pts.head(1)]), name="big", popup_cols=[], tooltip_col=None, max_markers=2)


def test_user_facility_types_go_to_other_layer(data):
    fac = gpd.GeoDataFrame({"name": ["Gudang <logistik>", "Kantor Camat X"],
                            "facility_type": ["gudang logistik!", "kantor_camat"], "kota_kode": ["31.71", "31.71"]},
                           geometry=[Point(106.83, -6.18), Point(106.84, -6.17)], crs=4326)
    m = recap_sites_map(data["sites"], data["kota"], data["kec"], fac, scope=resolve_scope(kota="Jakarta Pusat"), basemap=None)
    assert "Kantor pemerintah dan fasilitas lainnya (1)" in _groups(m) and "Kantor camat / sekretariat PPK (1)" in _groups(m)
    row = _rows(m, "recap-facility-other")[0]
    assert row["popup"]["title"] == "Gudang <logistik>"  # escaped by the page (textContent), not here
    assert ["Jenis", "gudang logistik!"] in row["popup"]["rows"]


def test_choropleth_bins_and_no_data():
    g = gpd.GeoDataFrame({"nama": ["a", "b", "c", "d"], "v": [1.0, 5.0, 10.0, None]},
                         geometry=[box(106.7 + i / 100, -6.2, 106.71 + i / 100, -6.19) for i in range(4)], crs=4326)
    m = base_map(basemap=None)
    grp = add_choropleth(m, g, "v", name="Nilai", legend_title="Nilai", bins=[0, 5, 10], colors=["#aaa", "#bbb"])
    feats = next(iter(grp._children.values())).spec["data"]["features"]
    assert [f["properties"]["s"]["fillColor"] for f in feats] == ["#aaa", "#bbb", "#bbb", "#cccccc"]
    legend = next(c for c in m._children.values() if getattr(c, "fn", None) == "legend").spec
    assert [it["label"] for it in legend["items"]] == ["0 – 5", "5 – 10", "Tidak ada data"]
    cat = add_choropleth(m, g.assign(k=["x", "y", "x", None]), "k", name="K", legend_title="K",
                         labels={"x": "Ex", "y": "Why"}, colors=["#111", "#222"])
    feats = next(iter(cat._children.values())).spec["data"]["features"]
    assert [f["properties"]["s"]["fillColor"] for f in feats] == ["#111", "#222", "#111", "#cccccc"]


def test_simplify_keeps_shared_borders_and_shrinks(data):
    kec = data["kec"]
    simple = simplify_polygons(kec, 20.0)
    assert simple.crs.to_epsg() == 4326 and len(simple) == len(kec)
    assert bool(shapely.coverage_is_valid(simple.geometry.values))  # shared borders identical
    before = shapely.get_num_coordinates(kec.geometry.values).sum()
    after = shapely.get_num_coordinates(simple.geometry.values).sum()
    assert after < before / 3
    coords = shapely.get_coordinates(simple.geometry.values)
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()  # 5 decimals


def test_number_formatting():
    assert _text(30766, "id") == "30.766" and _text(30766, "en") == "30,766"
    assert _text(True, "id") == "Ya" and _text(None) == "—" and _text(float("nan")) == "—"


# ---------------------------------------------------------------------------------------------
# notebook
# ---------------------------------------------------------------------------------------------
def _figures(out: Path) -> dict:
    return json.loads((out / "01-recap-sites-map.figures.json").read_text(encoding="utf-8"))


@pytest.mark.notebooks
@pytest.mark.xdist_group("nb-01")
def test_notebook_all_dki(nbval_run, data):
    """The figures of the session's run for all of DKI (the nbval run, default parameters)."""
    out = nbval_run(NOTEBOOK.stem).output("dki")
    fig, sites = _figures(out), data["sites"]
    assert (fig["kota"], fig["n_sites"], fig["n_sites_approximate"], fig["n_sites_internet"]) == \
        ("DKI Jakarta", len(sites), int(sites["approximate"].sum()), int(sites["internet"].sum()))
    assert fig["n_tps_recapitulated"] == int(data["tps"]["tps_total"].sum())
    html = out / "map-recap-sites.html"
    assert fig["map_html_bytes"] == html.stat().st_size
    assert offline.remote_assets(html.read_text(encoding="utf-8")) == []


@pytest.mark.notebooks
@pytest.mark.xdist_group("nb-01")
def test_notebook_one_kota_english(executed_notebook, data):
    out = executed_notebook(NOTEBOOK.stem, kota="Jakarta Pusat", language="en", offline=False)
    fig = _figures(out)
    pusat = data["sites"][data["sites"]["kota"] == "Jakarta Pusat"]
    assert (fig["kota"], fig["n_sites"], fig["n_sites_approximate"], fig["offline"]) == \
        ("Jakarta Pusat", len(pusat), int(pusat["approximate"].sum()), False)
    page = (out / "map-recap-sites.html").read_text(encoding="utf-8")
    assert f"PPK recapitulation sites ({len(pusat)})" in page


# ---------------------------------------------------------------------------------------------
# the package: layering, runtime files, layer specs
# ---------------------------------------------------------------------------------------------
MAPS = ROOT / "src" / "helpers" / "maps"


def test_no_private_name_crosses_a_module():
    """Nothing private crosses a module: no module imports an ``_underscored`` name of another (the layers
    themselves are import-linter's contracts in pyproject.toml, run by make test)."""
    import ast

    for path in (ROOT / "src" / "helpers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("helpers")):
                private = [a.name for a in node.names if a.name.startswith("_") and a.name != "__version__"]
                assert not private, f"{path.relative_to(ROOT)} imports private {private} from {node.module}"


@pytest.mark.parametrize("name", ["recap_map.js", "overview_map.js"])
def test_runtime_files_are_valid_javascript_that_builds_no_markup(name):
    import shutil
    import subprocess

    from helpers.maps.runtime import static_text

    js = static_text(name)
    for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "`"):
        assert bad not in js, f"{name} uses {bad}"
    if shutil.which("node"):
        proc = subprocess.run(["node", "--check", str(MAPS / "static" / name)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    if name == "recap_map.js":  # every runtime function the Python side calls exists
        from helpers.maps.runtime import RuntimeCall  # noqa: F401
        for fn in ("points", "shapes", "legend", "title", "inset", "autofit"):
            assert re.search(rf"\bfunction {fn}\(", js) and f"{fn}: {fn}" in js


def test_layer_spec_select_follows_the_source_rows():
    from helpers.maps import points_spec, shapes_spec

    pts = gpd.GeoDataFrame({"n": ["a", "b", "c"]}, geometry=[Point(106.8, -6.2), Point(), Point(106.9, -6.1)], crs=4326)
    spec = points_spec(pts, popup_cols=["n"], tooltip_col="n")
    assert spec.drawn == (0, 2) and spec.n_source == 3  # the row without a position is not drawn
    part = spec.select([False, True, True])
    assert [r["tooltip"] for r in part.data["rows"]] == ["c"] and part.drawn == (2,)
    assert part.without_popups().data["rows"][0]["popup"] is None and part.data["rows"][0]["popup"]
    with pytest.raises(ValueError, match="2 values for a layer built from 3 rows"):
        spec.select([True, True])
    polys = gpd.GeoDataFrame({"nama": ["x", "y"]}, geometry=[box(106.7, -6.2, 106.71, -6.19), box(106.8, -6.2, 106.81, -6.19)],
                             crs=4326)
    shapes = shapes_spec(polys).select([False, True])
    assert [f["properties"]["t"] for f in shapes.data["data"]["features"]] == ["y"]


def test_one_inset_for_every_dki_map(data):
    from helpers.maps import add_seribu_inset, in_kepulauan_seribu, shapes_spec

    m = base_map(basemap=None)
    kota = data["kota"]
    island = in_kepulauan_seribu(kota["kode"])
    assert island.sum() == 1
    assert not add_seribu_inset(m, kota[island], island[island])  # only islands: no inset
    assert add_seribu_inset(m, kota, island, shapes=[shapes_spec(kota).select(island)], position="topleft")
    spec = next(c for c in m._children.values() if getattr(c, "fn", None) == "inset").spec
    assert spec["title"].startswith("Kepulauan Seribu") and spec["position"] == "topleft"
    w, s, e, n = kota[island].total_bounds
    assert len(spec["shapes"][0]["data"]["features"]) == 1 and spec["bounds"] == [[s, w], [n, e]]

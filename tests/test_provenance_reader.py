"""Provenance for readers (issue 22, item 1): one short sentence per position basis and source, in the reader's
language, from structured fields; the full record on the report's sources page, linked from the popups.

Values are written by hand from the data files (``data/processed/recap_sites.csv``, ``island_positions.csv``,
``facilities_press_reported.csv``) and the labels.
"""

from __future__ import annotations

import json
import re
import warnings

import pytest

from helpers.analysis.coverage.compute import compute_coverage
from helpers.analysis.demand import demand_units
from helpers.core import provenance as pv
from helpers.io.inputs import load_inputs
from helpers.io.national import resolve_scope
from helpers.io.province import province_layers
from helpers.io.sites_file import load_sites
from helpers.maps import recap_sites_map, save_map
from helpers.reports import quality

#: What an Indonesian reader sentence must not hold: a git hash, a file path of the repository, a code name
#: (snake_case), or English words of the raw records.
HASH = re.compile(r"\b[0-9a-f]{7,40}\b")
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\.sql\b|\bdb/")
ENGLISH = re.compile(r"\b(approximate|position|point|island|source|row|programme|the|of|per|inside|yes|no)\b",
                     re.IGNORECASE)
#: A popup's basis sentence is one line a reader takes in at a glance.
MAX_SENTENCE = 160


def _clean_id(sentence: str) -> None:
    assert not HASH.search(sentence), sentence
    assert not CODE.search(sentence), sentence
    assert not ENGLISH.search(sentence), sentence
    assert len(sentence) <= MAX_SENTENCE, (len(sentence), sentence)


# ---------------------------------------------------------------------------------------------
# the renderer, per kind and language
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, kw, id_text, en_text", [
    ("office_point", {"office": "kantor_camat", "sources": "@rbi"},
     "Titik kantor camat (BIG RBI)", "Point of the kecamatan office (BIG RBI)"),
    ("island", {"office": "kantor_kecamatan", "place": "Pulau Harapan", "sources": "@wilayah; beritajakarta.id 2018"},
     "Perkiraan: pulau tempat kantor kecamatan, Pulau Harapan (sumber: gazetir pulau cahyadsn/wilayah; "
     "beritajakarta.id 2018)",
     "Approximate: the island of the kecamatan office, Pulau Harapan (sources: cahyadsn/wilayah island gazetteer; "
     "beritajakarta.id 2018)"),
    ("area_point", {}, "Perkiraan: titik di dalam wilayah kecamatan; posisinya tidak ada dalam sumber mana pun",
     "Approximate: a point inside the kecamatan; its position is in no source"),
    ("press_area_point", {"sources": "ipol.id 2024"},
     "Perkiraan: tempat yang disebut media (ipol.id 2024) tanpa koordinat; titik di dalam wilayah kecamatan",
     "Approximate: the venue named in the press (ipol.id 2024) has no coordinates; a point inside the kecamatan"),
    ("user_file", {"place": "lokasi-ppk.xlsx", "row": 7},
     "Koordinat dari file Anda lokasi-ppk.xlsx, baris 7", "Coordinates from your file lokasi-ppk.xlsx, row 7"),
    ("user_file_approx", {"place": "ppk.kml", "row": "3", "row_word": "placemark"},
     "Perkiraan: posisi dari file Anda ppk.kml, penanda 3", "Approximate: position from your file ppk.kml, placemark 3"),
    ("province_point", {},
     "Perkiraan: titik di dalam wilayah kecamatan, pada bagian dengan TPS terbanyak; tidak ada daftar nasional "
     "lokasi PPK",
     "Approximate: a point inside the kecamatan, on its part with the most TPS; there is no national list of PPK "
     "sites"),
    ("desa_point", {}, "Perkiraan: titik tengah wilayah desa/kelurahan (lapisan nasional)",
     "Approximate: the centre of the desa/kelurahan area (national layer)"),
    ("national_site", {},
     "Perkiraan: lokasi PPK dengan TPS terbanyak di kab/kota ini, pada titik di dalam wilayah kecamatannya",
     "Approximate: the PPK site with the most TPS in this kab/kota, at a point inside its kecamatan"),
])
def test_basis_sentence_per_kind_and_language(kind, kw, id_text, en_text):
    assert pv.basis_sentence(kind, "id", **kw) == id_text
    assert pv.basis_sentence(kind, "en", **kw) == en_text


def test_internet_sentence_per_kind():
    assert pv.internet_sentence(True, "programme", "id", by="MerahPutih.com", detail="44", date="2024-01-29") == (
        "Internet: ada (program Pemprov DKI di 44 tempat rekapitulasi; MerahPutih.com, 29 Januari 2024)")
    assert pv.internet_sentence(True, "programme", "en", by="MerahPutih.com", detail="44", date="2024-01-29") == (
        "Internet: yes (Pemprov DKI programme at 44 recapitulation venues; MerahPutih.com, 29 January 2024)")
    assert pv.internet_sentence(False, "user_file", "id", by="ppk.csv", detail="Akses Internet") == (
        "Internet: tidak ada (file Anda ppk.csv, kolom Akses Internet)")
    assert pv.internet_sentence(True, "assumed_file", "id", by="ppk.csv", prefix=False) == (
        "dianggap ada (file Anda ppk.csv tidak memberi nilai internet)")
    assert pv.internet_sentence(True, "whatif", "en") == (
        "Internet: assumed yes (what-if: a programme like Pemprov DKI's at every PPK site)")


# ---------------------------------------------------------------------------------------------
# the structured fields where the rows are loaded
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dki():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_inputs()


@pytest.fixture(scope="module")
def user_sites(tmp_path_factory):
    f = tmp_path_factory.mktemp("own") / "lokasi-ppk.csv"
    f.write_text("Kecamatan;Lintang;Bujur;Internet;Keterangan\nGambir;-6.170687;106.819062;Ya;\n"
                 "Menteng;-6.196;106.833;Tidak;posisi perkiraan\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_sites(f, expect_all=False)


def test_sites_carry_their_basis_dki_seribu_user_and_province(dki, user_sites):
    s = dki.sites.set_index("site_id")
    gambir, harapan = s.loc["PPK-31.71.01"], s.loc["PPK-31.01.01"]
    assert pv.row_basis(gambir, "id") == "Titik kantor camat (BIG RBI)"
    # Kepulauan Seribu Utara: island Pulau Harapan (island_positions.csv, role ppk); its office source is
    # beritajakarta.id 64076, dated 2018-11-28
    assert pv.row_basis(harapan, "id") == ("Perkiraan: pulau tempat kantor kecamatan, Pulau Harapan (sumber: gazetir "
                                           "pulau cahyadsn/wilayah; beritajakarta.id 2018)")
    # Pulo Gadung: the press venue of ipol.id, 2024-02-18 (facilities_press_reported.csv, PRESS-02)
    assert pv.row_basis(s.loc["PPK-31.75.02"], "en") == (
        "Approximate: the venue named in the press (ipol.id 2024) has no coordinates; a point inside the kecamatan")
    assert pv.row_internet(gambir, "id") == ("Internet: ada (program Pemprov DKI di 44 tempat rekapitulasi; "
                                             "MerahPutih.com, 29 Januari 2024)")
    # the full records stay for machines
    assert "b7ad440a" in harapan["position_basis"] and "RBI-287" in gambir["position_basis"]
    u = user_sites.set_index("kecamatan")
    assert pv.row_basis(u.loc["Gambir"], "id") == "Koordinat dari file Anda lokasi-ppk.csv, baris 2"
    assert pv.row_basis(u.loc["Menteng"], "id") == "Perkiraan: posisi dari file Anda lokasi-ppk.csv, baris 3"
    assert pv.row_internet(u.loc["Menteng"], "id") == "Internet: tidak ada (file Anda lokasi-ppk.csv, kolom Internet)"
    malut = province_layers("82").sites.iloc[0]
    assert pv.row_basis(malut, "id").startswith("Perkiraan: titik di dalam wilayah kecamatan, pada bagian")
    assert pv.row_internet(malut, "id") == ("Internet: dianggap ada (skenario: program seperti Pemprov DKI di setiap "
                                            "lokasi PPK)")
    for r in (gambir, harapan, s.loc["PPK-31.75.02"], s.loc["PPK-31.75.03"], u.loc["Gambir"], malut):
        _clean_id(pv.row_basis(r, "id"))


# ---------------------------------------------------------------------------------------------
# the popups of the saved maps
# ---------------------------------------------------------------------------------------------
def _site_popups(path) -> list[dict]:
    """The popups of the site layer as the saved page holds them (the JSON argument of RecapMap.points)."""
    page = path.read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"RecapMap\.points\([^,]+, (\{.*?\})\);\n", page):
        data = json.loads(m.group(1))
        out += [r["popup"] for r in data["rows"] if r.get("popup") and "recap-site" in r["style"]["className"]]
    return out


def _check_popups(popups: list[dict], raw_records: list[str]) -> None:
    assert popups
    for p in popups:
        shown = json.dumps(p, ensure_ascii=False)
        basis = dict(p["rows"])["Dasar posisi"]
        _clean_id(basis)
        assert shown.count(basis) == 1  # once, not twice
        for rec in raw_records:
            assert rec not in shown
        assert not HASH.search(shown.replace(p.get("link", {}).get("href", ""), ""))
        assert p["link"]["text"] == "sumber lengkap"


def test_recap_map_popups_dki_seribu_user_and_province(dki, user_sites, tmp_path):
    m = recap_sites_map(dki.sites, dki.kota, dki.kecamatan, dki.facilities, dki.tps, basemap=None)
    popups = _site_popups(save_map(m, tmp_path / "dki.html"))
    _check_popups(popups, list(dki.sites["position_basis"]) + list(dki.sites["internet_source"]))
    harapan = next(p for p in popups if ["ID lokasi", "PPK-31.01.01"] in p["rows"])
    assert dict(harapan["rows"])["Dasar posisi"].endswith("(sumber: gazetir pulau cahyadsn/wilayah; "
                                                          "beritajakarta.id 2018)")
    assert harapan["link"]["href"] == "data-quality.report.html#pos-ppk-31-01-01"
    # a venue named by the press: who and when, in words (facilities_press_reported.csv, PRESS-02)
    pulogadung = next(p for p in popups if ["ID lokasi", "PPK-31.75.02"] in p["rows"])
    assert dict(pulogadung["rows"])["Tempat disebut oleh"] == "ipol.id, 18 Februari 2024"
    m = recap_sites_map(user_sites, dki.kota, dki.kecamatan, basemap=None, scope=resolve_scope(kota="jakpus"))
    own = _site_popups(save_map(m, tmp_path / "own.html"))
    _check_popups(own, list(user_sites["position_basis"]))
    assert {dict(p["rows"])["Dasar posisi"] for p in own} == {
        "Koordinat dari file Anda lokasi-ppk.csv, baris 2", "Perkiraan: posisi dari file Anda lokasi-ppk.csv, baris 3"}
    lay = province_layers("82")
    m = recap_sites_map(lay.sites, lay.kota, lay.kecamatan, basemap=None, scope=resolve_scope("82"))
    malut = _site_popups(save_map(m, tmp_path / "malut.html"))
    assert len(malut) == 118
    _check_popups(malut, [lay.sites["position_basis"].iloc[0]])


def test_recap_popup_in_chromium_links_to_the_written_sources_page(dki, make_driver, tmp_path):
    """The Kepulauan Seribu popup as a reader opens it: one basis sentence, shorter than the map, and a link
    whose target the notebook writes next to the map (quality.write_page), holding the full record."""
    scope = resolve_scope(kota="Kepulauan Seribu")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_inputs(scope=scope)
    m = recap_sites_map(data.sites, data.kota, data.kecamatan, data.facilities, data.tps, scope=scope, basemap=None)
    path = save_map(m, tmp_path / "map-recap-sites.html")
    quality.write_page(data, tmp_path, "id", scope=scope)
    drv = make_driver("1400,1000")
    drv.get(path.as_uri())
    n = drv.execute_script("return document.querySelectorAll('path.recap-site').length")
    assert n == 2
    seen = {}
    for i in range(n):
        drv.execute_script("document.querySelectorAll('path.recap-site')[arguments[0]]"
                           ".dispatchEvent(new MouseEvent('click', {bubbles: true}));", i)
        info = drv.execute_script(
            "var all = document.querySelectorAll('.leaflet-popup-content');"  # the newest last (an old one may
            "var p = all.length ? all[all.length - 1] : null;"  # still be fading out)
            "if (!p) { return null; }"
            "var a = p.querySelector('a.recap-card-link');"
            "var m = document.querySelector('.leaflet-container').getBoundingClientRect();"
            "var b = p.closest('.leaflet-popup').getBoundingClientRect();"
            "return {text: p.textContent, href: a && a.getAttribute('href'), link: a && a.textContent,"
            "        popup_h: b.height, map_h: m.height};")
        assert info is not None, i
        assert info["popup_h"] < info["map_h"]
        assert "b7ad440a" not in info["text"] and "wilayah_pulau.sql" not in info["text"]
        assert info["text"].count("gazetir pulau cahyadsn/wilayah") == 1
        seen[info["href"]] = info["link"]
    assert seen == {"data-quality.report.html#pos-ppk-31-01-01": "sumber lengkap",
                    "data-quality.report.html#pos-ppk-31-01-02": "sumber lengkap"}
    page = (tmp_path / "data-quality.report.html").read_text(encoding="utf-8")
    for href in seen:  # each link's target: an element with that id on the page written next to the map
        assert page.count(f'id="{href.split("#")[1]}"') == 1, href
    # the full record, quoted verbatim inside lang="en", under the label marking it as English
    full = data.sites.set_index("site_id").at["PPK-31.01.01", "position_basis"]
    entry = re.search(r'<div id="pos-ppk-31-01-01">(.*?)</div>', page, flags=re.S).group(1)
    assert "Catatan asli (bahasa Inggris): <span lang=\"en\">" + full.replace("'", "&#39;") + "</span>" in entry
    assert "Perkiraan: pulau tempat kantor kecamatan, Pulau Harapan" in entry
    # the English quoted records are inside lang="en" only: outside them, the page holds no hash
    outside = re.sub(r'<span lang="en">.*?</span>', "", page, flags=re.S)
    assert "b7ad440a" not in outside and "wilayah_pulau.sql" not in outside


# ---------------------------------------------------------------------------------------------
# the gap sentences and the sources page
# ---------------------------------------------------------------------------------------------
def test_seribu_gap_sentences_name_the_island_source(dki):
    demand = demand_units(dki.kelurahan, dki.tps, dki.facilities, islands=dki.island_pps)
    for lang, src in (("id", "gazetir pulau cahyadsn/wilayah"), ("en", "cahyadsn/wilayah island gazetteer")):
        r = compute_coverage(demand, dki.sites, dki.kecamatan, facilities=dki.facilities, press=dki.press,
                             dpt=dki.dpt, language=lang, scope=resolve_scope(kota="Kepulauan Seribu"))
        g = r.gaps.set_index(["kind", "kelurahan"])
        pari = g.loc[("no_pps_office", "Pulau Pari"), "sentence"]
        # Pulau Pari's kantor kelurahan is on Pulau Lancang Besar per kepseribuselatan.blogspot.com (2010-10)
        assert "Pulau Lancang Besar" in pari and src in pari and "kepseribuselatan.blogspot.com 2010" in pari
        sites = r.gaps[r.gaps["kind"] == "site_position_unverified"]["sentence"].tolist()
        assert len(sites) == 2 and all(src in s for s in sites)
        offices = r.gaps[r.gaps["kind"] == "no_ppk_office"]["sentence"].tolist()  # on Pulau Harapan, Pulau Tidung Besar
        assert len(offices) == 2 and all(src in s and "beritajakarta.id 2018" in s for s in offices)
        text = " ".join(r.gaps["sentence"])
        assert "tidak ada sumber posisi" not in text and "representative point" not in text
        assert not HASH.search(text) and "wilayah_pulau.sql" not in text
    idtext = " ".join(compute_coverage(demand, dki.sites, dki.kecamatan, facilities=dki.facilities, language="id")
                      .gaps["sentence"])
    # "no source" only where there is none: Jatinegara (PPK-31.75.03), no venue and no office point in any source
    assert idtext.count("posisinya tidak ada dalam sumber mana pun") == 1


def test_sources_page_holds_every_record_with_its_anchor(dki, tmp_path):
    records = quality.source_records(dki.sites, dki.island_pps, "id")
    # 44 site positions, 5 venues named by the press (Senen, Palmerah, Kembangan, Kebayoran Lama, Pulo Gadung),
    # 1 internet programme, 6 island positions of kelurahan PPS offices
    assert len(records) == 44 + 5 + 1 + 6 and records["id"].is_unique
    spec = quality.report_spec(quality.quality_table(dki.sites, demand_units(dki.kelurahan, dki.tps, dki.facilities,
                                                                             islands=dki.island_pps),
                                                     dki.facilities, dki.kota), tmp_path, "id", records=records)
    section = spec["sections"][-1]
    block = next(b for b in section["blocks"] if b["type"] == "records")
    items = {i["id"]: i for i in block["items"]}
    assert block["original"] == "Catatan asli (bahasa Inggris)" and {i["lang"] for i in block["items"]} == {"en"}
    assert items["net-programme"]["record"].startswith("MerahPutih.com, 'Pemprov DKI Bantu Jaringan Internet")
    assert items["pos-ppk-31-71-01"]["record"] == "BIG RBI point RBI-287 (KANTOR CAMAT GAMBIR)"
    assert items["ven-ppk-31-71-04"]["sentence"] == "foto.okezone.com, 17 Februari 2024"
    assert "https://foto.okezone.com/view/2024/02/17/1/96081" in items["ven-ppk-31-71-04"]["record"]
    assert "row 31.01.40070" in items["isl-31-01-01-1001"]["record"]  # Pulau Panggang's gazetteer row
    csv = (tmp_path / quality.SOURCES_CSV).read_text(encoding="utf-8")
    assert "pos-ppk-31-01-01" in csv and "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7" in csv


# ---------------------------------------------------------------------------------------------
# every map's site popups: a DKI site, a Kepulauan Seribu site, a user-file site, a province site
# ---------------------------------------------------------------------------------------------
def _layer_popups(m, class_prefix: str) -> dict[str, dict]:
    """The popups of the points layers whose class starts with ``class_prefix``, by their first row's value
    (the data the saved page holds: each layer's JSON argument)."""
    out = {}
    for child in m._children.values():
        spec = getattr(child, "recap_spec", None)
        if spec is None or spec.kind != "points":
            continue
        for r in spec.data["rows"]:
            if r.get("popup") and r["style"]["className"].startswith(class_prefix):
                out[r["popup"]["title"]] = r["popup"]
    return out


def _all_clean(popups: dict[str, dict], raw: list[str]) -> None:
    for p in popups.values():
        shown = json.dumps(p, ensure_ascii=False)
        assert not HASH.search(shown.replace((p.get("link") or {}).get("href", ""), "")), shown
        assert not any(isinstance(r, str) and r and r in shown for r in raw), shown
        basis = dict(p["rows"]).get("Dasar posisi")
        if basis:
            _clean_id(basis)


def test_coverage_planning_and_operations_popups(dki, user_sites):
    from helpers.analysis import operations as op
    from helpers.analysis import planning
    from helpers.analysis.coverage.compute import coverage_inputs
    from helpers.analysis.coverage.engine import Thresholds
    from helpers.io.operations import election_tps, load_table
    from helpers.maps.coverage import coverage_map
    from helpers.maps.operations import operations_map
    from helpers.maps.planning import planning_map

    raw = list(dki.sites["position_basis"]) + list(dki.sites["internet_source"])
    demand = demand_units(dki.kelurahan, dki.tps, dki.facilities, islands=dki.island_pps)
    cov = coverage_map(compute_coverage(demand, dki.sites, dki.kecamatan, facilities=dki.facilities, press=dki.press,
                                        dpt=dki.dpt, language="id"), basemap=None)
    sites = _layer_popups(cov, "coverage-site")
    _all_clean(sites, raw)
    assert dict(sites["PPK-31.71.01"]["rows"])["Dasar posisi"] == "Titik kantor camat (BIG RBI)"
    assert dict(sites["PPK-31.01.01"]["rows"])["Dasar posisi"].startswith("Perkiraan: pulau tempat kantor kecamatan, "
                                                                          "Pulau Harapan (sumber: gazetir pulau")
    assert dict(sites["PPK-31.01.01"]["rows"])["Internet"].startswith("ada (program Pemprov DKI di 44 tempat")
    kel = _layer_popups(cov, "coverage-kelurahan")
    _all_clean(kel, raw)
    assert dict(kel["Pulau Pari"]["rows"])["Dasar posisi"].startswith(
        "Perkiraan: pulau tempat kantor kelurahan, Pulau Lancang Besar (sumber: gazetir pulau cahyadsn/wilayah")
    assert kel["Pulau Pari"]["link"]["href"] == "data-quality.report.html#isl-31-01-02-1003"
    assert dict(kel["Glodok"]["rows"])["Dasar posisi"] == "Titik kantor lurah (BIG RBI)" and "link" not in kel["Glodok"]

    inst = planning.build_instance(demand, dki.sites, planning.default_candidates(dki.facilities, dki.kelurahan), 2.0,
                                   kelurahan=dki.kelurahan)
    single = planning.single_site_outages(inst)
    plan = planning_map(inst, planning.maximal_coverage(inst, 10), planning.backup_coverage(inst),
                        planning.outage(inst, [single["site_id"].iloc[0]]), dki.kelurahan, dki.kota, basemap=None)
    psites = {dict(p["rows"])["ID lokasi"]: p for p in _layer_popups(plan, "planning-site").values()}
    _all_clean(psites, raw)
    assert dict(psites["PPK-31.75.03"]["rows"])["Dasar posisi"] == (
        "Perkiraan: titik di dalam wilayah kecamatan; posisinya tidak ada dalam sumber mana pun")

    res = op.compute(dki.sites, election_tps(dki, "pemilu2024"), load_table(), scope=resolve_scope())
    ops = _layer_popups(operations_map(res, dki.kecamatan, dki.kota, basemap=None), "ops-site")
    assert ops, "no operations site popups"
    _all_clean(ops, raw)
    assert sum(dict(p["rows"]).get("Dasar posisi") == "Titik kantor camat (BIG RBI)" for p in ops.values()) == 37

    # a user's file and a province outside DKI, in the coverage map
    own = coverage_map(compute_coverage(demand, user_sites, dki.kecamatan, facilities=dki.facilities, language="id"),
                       basemap=None)
    own_sites = _layer_popups(own, "coverage-site")
    assert {dict(p["rows"])["Dasar posisi"] for p in own_sites.values()} == {
        "Koordinat dari file Anda lokasi-ppk.csv, baris 2", "Perkiraan: posisi dari file Anda lokasi-ppk.csv, baris 3"}
    assert {dict(p["rows"])["Internet"] for p in own_sites.values()} == {
        "ada (file Anda lokasi-ppk.csv, kolom Internet)", "tidak ada (file Anda lokasi-ppk.csv, kolom Internet)"}
    scope = resolve_scope("82")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        malut = load_inputs(scope=scope)
    res = compute_coverage(**coverage_inputs(malut), thresholds=Thresholds(), scope=scope, language="id")
    prov = _layer_popups(coverage_map(res, basemap=None), "coverage-site")
    assert len(prov) == 118
    _all_clean(prov, [malut.sites["position_basis"].iloc[0], malut.sites["internet_source"].iloc[0]])
    assert {dict(p["rows"])["Dasar posisi"] for p in prov.values()} == {
        "Perkiraan: titik di dalam wilayah kecamatan, pada bagian dengan TPS terbanyak; tidak ada daftar nasional "
        "lokasi PPK"}

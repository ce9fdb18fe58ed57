"""A reader's pages in the reader's words (#22, item 2): report headers name every parameter by its label and give
its value in words, never its code name; the advice sentences name files as a KPU analyst would; notebook 05's
sourced notes in the report's language."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers.batch.params import declared_parameters
from helpers.core import paths, text
from helpers.core.parameters import VALUE_WORDS
from helpers.io.operations import load_table
from helpers.reports import render as rd
from helpers.reports import spec as rr

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
#: A value as each notebook's header can receive it (the notebooks' defaults, and the values a user gives).
VALUES = {"offline": True, "basemap": "openstreetmap", "provinsi": "Maluku Utara", "sites_path": "/home/u/lokasi.xlsx",
          "max_distance_km": 5.0, "fallback_max_km": 5.0, "overload_ratio": 1.5, "overload_basis": "kota",
          "max_tps_per_site": 1200, "p": 10, "radius_km": 2.0, "down_sites": ["PPK-31.75.01"], "election": "pemilu2024",
          "window": ["2024-02-15", "2024-03-02"], "cost_per_site": 25_000_000, "panels_per_ppk": 5, "photo_mb": 1.5}
#: Code words no header may show: the raw values above.
CODE_VALUES = ("openstreetmap", "pemilu2024", "True", "False", "/home/u")


def _header(html: str) -> str:
    (meta,) = re.findall(r'<dl class="meta">(.*?)</dl>', html, flags=re.S)
    return meta


def _spec(language: str, **parameters) -> dict:
    run = rr.run_info(language, **parameters)
    return rr.new_spec(name="Laporan", scope="DKI Jakarta", language=language, lead="", figures=[], sections=[],
                       run=run)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_header_names_no_parameter_by_its_code_name(nb, language):
    names = sorted(declared_parameters(nb) - {"kota", "output_dir", "language", "prepared_inputs"})
    params = {n: VALUES.get(n, 3) for n in names}
    spec = _spec(language, **params)
    shown = {p["name"] for p in spec["parameters"]}
    assert shown == {n for n, v in params.items() if v is not None}, "every parameter set is listed"
    header = _header(rd.render(spec))
    assert 'class="param-name"' not in header
    for p in spec["parameters"]:
        assert p["label"] != p["name"] and "_" not in p["label"], p
        assert f"({p['name']})" not in header, p
        if language == "id" or "_" in p["name"]:  # an English label may use the word itself ("File columns")
            assert not re.search(rf"\b{re.escape(p['name'])}\b", p["label"]), p
    for name in names:
        if "_" in name:
            assert name not in header, name
    for code in CODE_VALUES:
        assert code not in header, code


@pytest.mark.parametrize("language", ["id", "en"])
def test_parameter_values_in_words(language):
    spec = _spec(language, offline=True, basemap="openstreetmap", overload_basis="dki", election="pilkada2024",
                 max_distance_km=5.0, sites_path="C:\\data\\lokasi ppk.xlsx")
    values = {p["name"]: p["value"] for p in spec["parameters"]}
    assert values == {"offline": {"id": "Ya", "en": "Yes"}[language], "basemap": "OpenStreetMap",
                      "overload_basis": text.label("pval_basis_dki", language),
                      "election": {"id": "Pilkada 27 November 2024", "en": "Regional election, 27 November 2024"}[language],
                      "max_distance_km": "5 km", "sites_path": "lokasi ppk.xlsx"}
    header = _header(rd.render(spec))
    assert f"{text.label('param_basemap', language)}: <b>OpenStreetMap</b>" in header
    # no basemap, and a basemap of one's own, in words too
    none = {p["name"]: p["value"] for p in _spec(language, basemap=None)["parameters"]}
    url = {p["name"]: p["value"] for p in _spec(language, basemap="https://t.example.org/{z}/{x}/{y}.png")["parameters"]}
    assert none == {"basemap": {"id": "tanpa peta dasar", "en": "no basemap"}[language]}
    assert url == {"basemap": text.label("pval_basemap_url", language)}
    for name, words in VALUE_WORDS.items():
        for key in words.values():
            assert text.label(key, language) and "_" not in text.label(key, language), (name, key)


@pytest.mark.parametrize("key", ["wh_none", "ov_no_cost", "ov_method_text", "ov_remote_text", "op_estimated_text",
                                 "op_method_text", "op_parameters_text", "op_src_table", "op_nat_method",
                                 "sp_no_candidates", "src_national_boundaries", "runs_succeeded", "manifest",
                                 "manifest_note", "run_time", "footer", "col_runs_ok"])
def test_advice_and_index_sentences_in_reader_terms(key):
    """The sentences that told a reader to set a parameter or pointed at a folder now say it in words: no code
    name (a word with an underscore), no folder path, no 'run'/'notebook'/'commit'/'hash' in Bahasa Indonesia."""
    for language in ("id", "en"):
        words = text.LABELS[key][0 if language == "id" else 1]
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", words), (key, language, words)
        assert "data/raw" not in words and ".md" not in words and "shapely" not in words, (key, words)
        assert not re.search(r"\b(commit|hash|manifest)\b", words, flags=re.I), (key, words)
    indonesian = text.LABELS[key][0]
    assert not re.search(r"\b(run|notebook|point_on_surface|Leaflet)\b", indonesian), (key, indonesian)


def test_every_sourced_note_in_both_languages():
    """Each row of data/raw/recap_operations/parameters.csv gives its note in English and in Bahasa Indonesia."""
    table = load_table()
    assert table.rows and all(r.note and r.note_id and r.note != r.note_id for r in table.rows)
    pace = table.get("panels_per_ppk", "pemilu2024", "31")
    assert pace.note_in("en") == "KPU Jakarta Timur's pace applied to every DKI kecamatan"
    assert pace.note_in("id") == "laju KPU Jakarta Timur dipakai untuk setiap kecamatan di DKI"
    photo = table.get("photo_mb")
    assert photo.note_in("id") == "tidak ditemukan sumber untuk ukuran foto formulir"


def test_a_note_in_one_language_only_is_refused(tmp_path):
    from helpers.io.operations import FOLDER

    for name in ("sources.csv",):
        (tmp_path / name).write_bytes((FOLDER / name).read_bytes())
    df = pd.read_csv(FOLDER / "parameters.csv", dtype=str, keep_default_na=False)
    df.loc[5, "note_id"] = ""
    df.to_csv(tmp_path / "parameters.csv", index=False, lineterminator="\n")
    with pytest.raises(ValueError, match=r"parameters\.csv.*row 7.*note_id.*one language only"):
        load_table(tmp_path)


@pytest.fixture(scope="module")
def operations_pages(tmp_path_factory):
    """Notebook 05's report for DKI Jakarta (Pemilu 2024) in both languages, rendered."""
    from helpers.analysis import operations as op
    from helpers.io.inputs import load_inputs
    from helpers.io.national import resolve_scope
    from helpers.io.operations import election_tps
    from helpers.reports import operations as report

    data, scope = load_inputs(), resolve_scope()
    pages = {}
    for language in ("id", "en"):
        out = tmp_path_factory.mktemp(f"ops-{language}")
        res = op.compute(data.sites, election_tps(data, "pemilu2024"), load_table(), scope=scope,
                         election="pemilu2024", language=language)
        files = report.write(res, out, offline=True, basemap=None)
        spec = report.report_spec(res, files, run=report.run_info(language, scope, election="pemilu2024",
                                                                  window=["2024-02-15", "2024-03-02"]))
        pages[language] = (spec, rd.render(spec))
    return pages


def test_operations_notes_in_the_report_language(operations_pages):
    table = load_table()
    for language, (spec, html) in operations_pages.items():
        (params,) = [b for s in spec["sections"] for b in s["blocks"]
                     if b.get("type") == "table" and b["csv"] == "operations-parameters.csv"]
        assert params["columns"][-1]["label"] == text.label("op_col_note", language)
        notes = [row[-1] for row in params["rows"]]
        pace = table.get("panels_per_ppk", "pemilu2024", "31")
        assert pace.note_in(language) in notes and table.get("photo_mb").note_in(language) in notes
        other = "en" if language == "id" else "id"
        assert not {r.note_in(other) for r in table.rows} & set(notes), "no note in the other language"
        # the window in words, the election in words, sources as outlet and date linked to the article
        header = _header(html)
        window = {"id": "15 Februari 2024 – 2 Maret 2024", "en": "15 February 2024 – 2 March 2024"}[language]
        assert f"<b>{window}</b>" in header and "pemilu2024" not in header and "2024-02-15" not in header
        okezone = {"id": "Okezone, 21 Februari 2024", "en": "Okezone, 21 February 2024"}[language]
        assert (f'<a href="https://news.okezone.com/read/2024/02/21/340/2973239/jadwal-rekapitulasi-penghitungan-'
                f'suara-dan-penetapan-pemilu-2024-di-banten">{okezone}</a>') in html
    html = operations_pages["id"][1]
    for code in ("tps_path", "data/raw", "SOURCES.md", "dalam bahasa Inggris", "no source found", "15.0", "300.0"):
        assert code not in html, code
    assert "laju KPU Jakarta Timur dipakai untuk setiap kecamatan di DKI" in html


def test_no_indonesian_code_words_in_the_english_operations_page(operations_pages):
    """The English page names the basis of a value in English (the CSV keeps its codes sumber/asumsi/pengguna)."""
    spec, html = operations_pages["en"]
    (params,) = [b for s in spec["sections"] for b in s["blocks"]
                 if b.get("type") == "table" and b["csv"] == "operations-parameters.csv"]
    assert {row[2] for row in params["rows"]} == {"Source", "Assumption"}
    assert not re.search(r"\b(sumber|asumsi|pengguna|pemilu2024|pilkada2024)\b", html), \
        re.search(r".{60}\b(sumber|asumsi|pengguna|pemilu2024|pilkada2024)\b.{60}", html)


def test_records_block_keeps_each_record_in_its_own_language():
    """The sources page's full records (helpers.reports.quality): an entry per record with its anchor, the sentence in
    the page's language, the verbatim record marked lang="en", every string escaped."""
    block = {"type": "records", "original": "Catatan asli", "items": [
        {"id": "pos-ppk-31-01-01", "title": "<b>Kepulauan Seribu Utara</b>", "sentence": "Perkiraan: pulau",
         "record": "approximate: island position <x>", "lang": "en"}]}
    spec = rr.new_spec(name="Kualitas data", scope="Kepulauan Seribu", language="id", lead="", figures=[],
                       sections=[rr.section("Sumber lengkap", block)])
    html = rd.render(spec)
    assert ('<div id="pos-ppk-31-01-01"><dt>&lt;b&gt;Kepulauan Seribu Utara&lt;/b&gt;</dt><dd>Perkiraan: pulau<br>'
            '<small>Catatan asli: <span lang="en">approximate: island position &lt;x&gt;</span></small></dd></div>') in html

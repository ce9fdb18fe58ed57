"""Reader reports (helpers.reports.spec, helpers.core.text and the templates) and the reports of a real
``dki-recap`` run.

Unit tests render hand-made specs and the spec of the recap-sites map; the tests marked
``notebooks`` run the real notebooks for Kepulauan Seribu through ``dki-recap`` (default language,
then ``-p language en --pdf``; the session's runs, ``batch_report`` in tests/conftest.py, shared with
tests/test_coverage_notebook.py in the ``seribu`` xdist group).  The PDF test also needs headless Chromium: it is skipped when
Chromium is missing, and fails instead in CI (``CI=true``), like tests/test_maps_browser.py.
"""

from __future__ import annotations

import json
from html import escape
import os
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers import batch
from helpers.reports import render as rd
from helpers.reports import spec as rr
from helpers.core import text
from helpers.batch import index
from helpers.core.text import fmt_km, fmt_number, fmt_percent

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
HOSTILE = "<script>alert(1)</script>"
#: Attributes that would load something from the network (or open a link to it).
REMOTE = re.compile(r"""(?:src|href|data|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CDN = re.compile(r"""<script[^>]+src\s*=\s*["']?https?:|<link[^>]+href\s*=\s*["']?https?:""", re.I)
#: Headings of 02-coverage-gaps.report.html, English and Indonesian (the nbconvert dump printed the
#: English ones whatever the language; the report header's labels are headings too).
EN_HEADINGS = ["Key figures", "Measures per kota", "Gap list", "Gaps by kind", "Load and distance",
               "Straight lines across the sea", "Map of the gaps per kecamatan", "Data files",
               "Scope", "Date of the run", "Data sources", "Parameters",
               "Files, charts of load and distance", "Map: number of gaps per kecamatan"]
ID_HEADINGS = ["Angka utama", "Ukuran per kota", "Daftar celah", "Celah menurut jenis", "Beban dan jarak",
               "Garis lurus yang melintasi laut", "Peta celah per kecamatan", "File data",
               "Wilayah", "Tanggal analisis", "Sumber data", "Parameter"]


def _headings(html: str) -> set[str]:
    """Text of the headings, table captions and header labels of a page."""
    found = re.findall(r"<(h[1-3]|caption|dt)[^>]*>(.*?)</\1>", html, flags=re.S)
    return {re.sub(r"<[^>]+>", "", inner).strip() for _, inner in found}


def _spec(tmp_path: Path, language: str = "id", rows: int = 128) -> dict:
    """A spec with absolute paths given to the builders and a hostile string everywhere."""
    df = pd.DataFrame({"name": [f"Kelurahan {i}" for i in range(rows)], "tps": [1591 + i for i in range(rows)],
                       "share": [0.9878] * rows})
    df.loc[3, "name"] = HOSTILE
    L = lambda key, **kw: text.label(key, language, **kw)  # noqa: E731
    run = rr.run_info(language, sites_path=str(tmp_path / "my files" / "lokasi.xlsx"), max_distance_km=5.0)
    table = rr.table(df, {"name": L("col_kelurahan"), "tps": L("col_tps"), "share": L("col_within")},
                     csv=tmp_path / "coverage-gaps.csv", language=language, formats={"tps": "int", "share": "pct"})
    sections = [rr.section(f"Bagian {HOSTILE}", rr.paragraph(f"Teks {HOSTILE}"), table,
                           rr.image(tmp_path / "chart-load-per-kota.png", HOSTILE, HOSTILE),
                           rr.map_link(tmp_path / "map-coverage-gaps.html", HOSTILE, HOSTILE),
                           rr.file_list([(tmp_path / "coverage-kota.csv", HOSTILE)]))]
    return rr.new_spec(name=f"Laporan {HOSTILE}", scope="Kepulauan Seribu", language=language, lead=HOSTILE,
                       figures=[rr.figure(HOSTILE, fmt_number(1591, language)),
                                rr.figure(L("cg_within", t=fmt_km(5, language, 0)), fmt_percent(0.9878, language))],
                       sections=sections, run=run, gaps=[{"where": HOSTILE, "text": HOSTILE}])


# ---------------------------------------------------------------------------------------------
# numbers and words
# ---------------------------------------------------------------------------------------------
def test_numbers_per_language():
    assert (fmt_number(1591, "id"), fmt_number(1591, "en")) == ("1.591", "1,591")
    assert (fmt_percent(0.9878, "id"), fmt_percent(0.9878, "en")) == ("98,8 %", "98.8 %")
    assert (fmt_km(1.569, "id"), fmt_km(1.569, "en")) == ("1,6 km", "1.6 km")
    assert (fmt_number(8252897, "id"), fmt_number(8252897, "en")) == ("8.252.897", "8,252,897")
    assert (fmt_number(5.575, "id", 2), fmt_number(0.9231, "en", 3)) == ("5,58", "0.923")
    assert fmt_number(float("nan"), "id") == fmt_percent(None, "en") == "–"
    with pytest.raises(ValueError, match="language must be one of 'id', 'en'"):
        fmt_number(1, "fr")


def test_one_label_table_for_both_languages():
    for key, pair in text.LABELS.items():
        assert isinstance(pair, tuple) and len(pair) == 2 and all(pair), key
    assert text.label("rs_approx", "id") == "Lokasi dengan posisi perkiraan"
    assert text.label("rs_approx", "en") == "Sites with an approximate position"
    # the older formatters delegate to helpers.core.text
    from helpers.analysis.coverage.compute import fmt

    assert fmt(1591, "id", 0) == "1.591" and index.fmt(0.9878, "id") == "0,988"


def test_run_info_names_user_files_without_folders(tmp_path):
    info = rr.run_info("id", sites_path=str(tmp_path / "kantor" / "lokasi-ppk.xlsx"), tps_path=None,
                       max_distance_km=5.0, output_dir=str(tmp_path), kota="jakpus")
    assert "file pengguna lokasi-ppk.xlsx (lokasi PPK)" in info["sources"]
    assert "KPU via KawalPemilu (jumlah TPS)" in info["sources"]
    assert info["parameters"] == [
        {"name": "sites_path", "label": "File lokasi PPK", "value": "lokasi-ppk.xlsx"},
        {"name": "max_distance_km", "label": "Batas jarak kantor PPS ke lokasi PPK", "value": "5 km"}]
    assert str(tmp_path) not in json.dumps(info)


# ---------------------------------------------------------------------------------------------
# rendering a spec
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["id", "en"])
def test_render_escapes_caps_tables_and_names_files_relatively(tmp_path, language):
    spec = _spec(tmp_path, language)
    path = rd.write_spec(spec, tmp_path / "02-x.report.json")
    html = (tmp_path / "02-x.report.html").read_text(encoding="utf-8")
    assert html == rd.render(json.loads(path.read_text(encoding="utf-8")))
    # hostile strings are text
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;") >= 8
    # numbers in the language's format
    thousands, percent = ("1.591", "98,8 %") if language == "id" else ("1,591", "98.8 %")
    assert f"<dd>{thousands}</dd>" in html and f"<dd>{percent}</dd>" in html
    assert f'<td class="num">{thousands}</td>' in html and f'<td class="num">{percent}</td>' in html
    # the table is capped, with a link to the full table: the readers' workbook (its sheet named), and the CSV
    assert html.count("<tr>") == 1 + rr.MAX_ROWS  # header + 15 rows
    shown = text.label("rows_shown", language, shown=15, total=128)
    written = json.loads(path.read_text(encoding="utf-8"))
    (sheet,) = [b["sheet"] for s in written["sections"] for b in s["blocks"] if b["type"] == "table"]
    assert written["workbook"] == "02-x.xlsx" and (tmp_path / "02-x.xlsx").is_file()
    words = (f'{shown} {text.label("xl_full_table", language)} <a href="02-x.xlsx">02-x.xlsx</a>, '
             f'{escape(text.label("xl_sheet_named", language, sheet=sheet))} · <small>'
             f'{text.label("xl_for_machines", language)} <a href="coverage-gaps.csv">coverage-gaps.csv</a></small>')
    assert words in html
    # only file names next to the report; nothing from the network
    assert str(tmp_path) not in html and str(tmp_path) not in path.read_text(encoding="utf-8")
    for ref in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert "/" not in ref and ":" not in ref, ref
    assert not CDN.search(html) and not REMOTE.search(html)
    assert f'<html lang="{language}">' in html and "lokasi.xlsx" in html


def test_short_table_links_its_csv_without_a_count(tmp_path):
    t = rr.table(pd.DataFrame({"a": [1, 2]}), {"a": "A"}, csv=tmp_path / "t.csv", formats={"a": "int"})
    spec = rr.new_spec(name="N", scope="DKI Jakarta", language="en", lead="L", figures=[],
                       sections=[rr.section("S", t)])
    html = rd.render(spec)
    assert "rows shown" not in html and 'Full table (CSV): <a href="t.csv">t.csv</a>' in html


@pytest.mark.parametrize("link", ["/tmp/x.csv", "http://cdn.example.org/x.js", "../x.csv", "C:\\x.csv", ""])
def test_a_spec_naming_files_elsewhere_is_refused(link):
    spec = rr.new_spec(name="N", scope="DKI Jakarta", language="id", lead="L", figures=[],
                       sections=[rr.section("S", rr.paragraph("p"))])
    spec["sections"][0]["blocks"].append({"type": "map", "href": link, "title": "t", "text": None})
    with pytest.raises(rr.ReportError):
        rd.render(spec)


def test_recap_sites_report_shows_a_hostile_venue_as_text(tmp_path):
    from helpers.io import inputs as loaders
    from helpers.reports import recap as recap_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = loaders.load_inputs()
    sites = data.sites.reset_index(drop=True)
    approx = sites.index[sites["approximate"].astype(bool)][0]
    sites.loc[approx, "venue"] = HOSTILE
    (tmp_path / "map-recap-sites.html").write_text("map", encoding="utf-8")
    figures = recap_report.figures(sites, tps=data.tps)
    csv = recap_report.write_sites_table(sites, tmp_path, tps=data.tps)
    spec = recap_report.report_spec(sites, figures, {"map": tmp_path / "map-recap-sites.html", "sites": csv}, "id",
                                    kota_gdf=data.kota, run=rr.run_info("id"))
    html = rd.render(spec)
    assert "<script>alert" not in html and "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in html
    assert "Lokasi dengan posisi perkiraan" in html and "<dd>30.766</dd>" in html
    assert pd.read_csv(csv)["venue"].eq(HOSTILE).any()


# ---------------------------------------------------------------------------------------------
# index.html
# ---------------------------------------------------------------------------------------------
def _manifest(language: str | None) -> dict:
    return {"scopes": [{"slug": "kepulauan-seribu", "label": "Kepulauan Seribu", "kota": "Kepulauan Seribu"}],
            "notebooks": ["02-x"], "status": "complete", "started": "2026-11-30T04:59:00+00:00",
            "finished": "2026-11-30T05:00:00+00:00", "wall_time_s": 41.5, "git": {"commit": "abc"},
            "parameters": {} if language is None else {"language": language},
            "runs": [{"scope": "kepulauan-seribu", "notebook": "02-x", "status": "ok", "duration_s": 3.25,
                      "error": None, "warnings": [], "executed": None, "report_html": "02-x.report.html"}],
            "environment": {"python": "3.11", "cpu_count": 2}, "options": {"jobs": 1, "offline": True},
            "input_warnings": ["sites.xlsx, row 4: <b>odd</b>"], "input_notes": ["sites (sites.xlsx): 44 rows"]}


@pytest.mark.parametrize("language", [None, "en"])
def test_index_in_the_run_language_with_figures_in_words(tmp_path, language):
    scope = tmp_path / "kepulauan-seribu"
    scope.mkdir()
    lang = language or "id"
    rd.write_spec(_spec(tmp_path, lang, rows=3), scope / "02-x.report.json")
    (scope / "02-x.figures.json").write_text(json.dumps({"n_sites_approximate": 2, "share_tps_within_max": 0.9878}),
                                             encoding="utf-8")
    (scope / "report.pdf").write_bytes(b"%PDF-1.4\n")
    html = index.render_index(tmp_path, _manifest(language))
    assert f'<html lang="{lang}">' in html
    # headline figures: the reader report's labels and formatted values, not the JSON keys and raw floats
    assert "n_sites_approximate" not in html and "0.9878" not in html
    within = text.label("cg_within", lang, t=fmt_km(5, lang, 0))
    assert f"<tr><th>{within}</th><td class=\"num\">{fmt_percent(0.9878, lang)}</td></tr>" in html
    words = {"id": ["Status: <b>selesai</b>", "1 dari 1 analisis berhasil", "Ikhtisar", "File input",
                    "1 peringatan tentang file input", "Versi cetak (PDF):", "3,2</td>",
                    '<a href="manifest.json">Rincian teknis</a>', "File untuk pembaca:", "File untuk mesin dan skrip"],
             "en": ["Status: <b>complete</b>", "1 of 1 analyses succeeded", "Overview", "Input files",
                    "1 warning(s) about the input files", "Printable version (PDF):", "3.2</td>",
                    '<a href="manifest.json">Technical details</a>', "Files for readers:", "Files for machines"]}[lang]
    for w in words:
        assert w in html, w
    # no developer words: no commit or hash, no "run notebook", no folder name; links named by the report's title
    for w in ("commit", "abc", "hash", "run notebook", "notebook runs", "Manifest", "(kepulauan-seribu/)", ">02-x<"):
        assert w not in html, w
    title = "Laporan &lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'<a href="kepulauan-seribu/02-x.report.html">{title}</a>' in html
    assert 'href="kepulauan-seribu/report.pdf"' in html and 'href="kepulauan-seribu/02-x.report.html"' in html
    assert "<b>odd</b>" not in html and "<script" not in html and not CDN.search(html) and not REMOTE.search(html)


# ---------------------------------------------------------------------------------------------
# the PDF
# ---------------------------------------------------------------------------------------------
def test_write_pdf_without_chromium_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    rd.write_spec(_spec(tmp_path, rows=2), tmp_path / "02-x.report.json")
    with pytest.raises(rr.ReportError, match="Chromium was not found"):
        rd.write_pdf(tmp_path)
    assert not (tmp_path / "report.pdf").exists() and not list(tmp_path.glob(".print-*"))


@pytest.mark.notebooks
def test_pdf_without_chromium_is_one_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    nbs = Path(__file__).parent / "fixtures" / "batch_notebooks" / "ok" / "01-count.ipynb"
    code = batch.main(["--notebooks", str(nbs), "--kota", "dki", "--output", str(tmp_path / "out"), "--pdf",
                       "--jobs", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 0
    warned = [line for line in err.splitlines() if "warning" in line]
    assert len(warned) == 1 and "--pdf: Chromium was not found" in warned[0], err
    assert not list((tmp_path / "out").rglob("*.pdf"))


# ---------------------------------------------------------------------------------------------
# a real run: Kepulauan Seribu
# ---------------------------------------------------------------------------------------------
def _run(batch_report, *extra: str) -> Path:
    code, out = batch_report("--kota", "Kepulauan Seribu", *extra)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    failures = [(r["notebook"], r["error"], r["warnings"]) for r in manifest["runs"]
                if r["status"] != "ok" or r["warnings"]]
    assert code == 0 and not failures, failures
    return out


@pytest.fixture
def seribu_id(batch_report):
    return _run(batch_report)


@pytest.fixture
def seribu_en(batch_report):
    return _run(batch_report, "-p", "language", "en", "--pdf")


@pytest.fixture(scope="module")
def seribu_dpt() -> int:
    """Kepulauan Seribu's DPT as published (KPU DKI pleno; its value: tests/test_data.py)."""
    from helpers.io.inputs import load_dpt

    dpt = load_dpt()
    return int(dpt.loc[dpt["kota_kode"] == "31.01", "dpt"].iloc[0])


def _check_header_words(html: str) -> None:
    """A report's header names each parameter by its label and its value in words: no code name, no raw value."""
    (meta,) = re.findall(r'<dl class="meta">(.*?)</dl>', html, flags=re.S)
    assert 'class="param-name"' not in meta
    for code in ("(offline)", "(basemap)", "(p)", "(max_distance_km)", "openstreetmap", "pemilu2024", "True", "False",
                 "overload_basis", "radius_km", "data/raw"):
        assert code not in meta, code
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", re.sub(r"<[^>]+>", " ", meta)), meta


#: A link a reader may follow to a cited article (``<a href="https://...">``): navigation, not a resource loaded.
ARTICLE_LINK = re.compile(r"""<a href="https://[^"<>]+">""")


def _check_offline(html: str, out: Path) -> None:
    assert not CDN.search(html) and not REMOTE.search(ARTICLE_LINK.sub("<a>", html))
    assert "require.js" not in html and "MathJax" not in html and "cdn" not in html.lower()
    assert str(out) not in html and ".tmp-" not in html and "/tmp/" not in html
    assert "dtype: int64" not in html and "Name: n," not in html


@pytest.mark.notebooks
@pytest.mark.xdist_group("seribu")
def test_default_language_reports_are_indonesian(seribu_id, seribu_dpt):
    d = seribu_id / "kepulauan-seribu"
    html = (d / "02-coverage-gaps.report.html").read_text(encoding="utf-8")
    heads = _headings(html)
    assert not heads & set(EN_HEADINGS), heads & set(EN_HEADINGS)
    assert set(ID_HEADINGS) <= heads, set(ID_HEADINGS) - heads
    assert '<html lang="id">' in html and "Kepulauan Seribu" in html
    assert f"<dd>{fmt_number(seribu_dpt, 'id')}</dd>" in html
    assert "0.9878" not in html and "5.575" not in html
    _check_offline(html, seribu_id)
    for page in [*d.glob("*.report.html"), seribu_id / "index.html"]:
        _check_offline(page.read_text(encoding="utf-8"), seribu_id)
        assert '<html lang="id">' in page.read_text(encoding="utf-8")
        if page.name != "index.html":
            _check_header_words(page.read_text(encoding="utf-8"))
    # every report with tables has its workbook, linked from the report and the index
    index_html = (seribu_id / "index.html").read_text(encoding="utf-8")
    for spec in d.glob("*.report.json"):
        written = json.loads(spec.read_text(encoding="utf-8"))
        if any(b["type"] == "table" for s in written["sections"] for b in s["blocks"]):
            assert (d / written["workbook"]).is_file(), spec.name
            assert f'href="kepulauan-seribu/{written["workbook"]}"' in index_html, spec.name
    for ref in re.findall(r'(?:src|href)="([^"#]+)"', html):  # every file a report names exists
        assert (d / ref).is_file(), ref
    for spec in d.glob("*.report.json"):
        assert json.loads(spec.read_text(encoding="utf-8"))["language"] == "id", spec.name


@pytest.mark.notebooks
@pytest.mark.xdist_group("seribu")
def test_english_run_gives_english_reports_and_index(seribu_en, seribu_dpt):
    d = seribu_en / "kepulauan-seribu"
    html = (d / "02-coverage-gaps.report.html").read_text(encoding="utf-8")
    heads = _headings(html)
    assert set(EN_HEADINGS[:12]) <= heads, set(EN_HEADINGS[:12]) - heads
    assert not heads & (set(ID_HEADINGS) - set(EN_HEADINGS)), heads & set(ID_HEADINGS)
    assert f"<dd>{fmt_number(seribu_dpt, 'en')}</dd>" in html and '<html lang="en">' in html
    _check_offline(html, seribu_en)
    for page in d.glob("*.report.html"):
        _check_header_words(page.read_text(encoding="utf-8"))
    index = (seribu_en / "index.html").read_text(encoding="utf-8")
    assert "Status: <b>complete</b>" in index and "Headline figures" in index
    assert "Sites with an approximate position" in index and "n_sites_approximate" not in index
    _check_offline(index, seribu_en)


@pytest.mark.notebooks
@pytest.mark.browser
@pytest.mark.xdist_group("seribu")
def test_pdf_per_scope(seribu_en):
    if rd.find_chromium() is None:
        message = "Chromium not installed: apt-get install chromium"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    pdf = seribu_en / "kepulauan-seribu" / "report.pdf"
    assert pdf.read_bytes()[:4] == b"%PDF"
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) >= 3  # three reports, one after another
    assert not list((seribu_en / "kepulauan-seribu").glob(".print-*"))
    assert 'href="kepulauan-seribu/report.pdf"' in (seribu_en / "index.html").read_text(encoding="utf-8")

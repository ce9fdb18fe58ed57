"""What notebook 05 writes (helpers.reports.operations, helpers.maps.operations) and how the batch runs it: the
estimate of the Pilkada's TPS flagged wherever it is shown (lead, figures, report tables, CSV files, map popups),
the report in both languages, the map offline with data shown as text (also in headless Chromium), bad parameters
refused before any run (exit 2), and the notebook in the batch for DKI, a kota and a province outside DKI."""

from __future__ import annotations

import csv
import json
import re

import pytest

from helpers import batch
from helpers.analysis import operations as op
from helpers.analysis import operations_tables as tables
from helpers.batch.errors import EXIT_USAGE
from helpers.core import paths
from helpers.io.inputs import load_inputs
from helpers.io.national import resolve_scope
from helpers.io.operations import election_tps, load_table
from helpers.maps import operations as ops_map
from helpers.maps.offline import remote_assets
from helpers.reports import operations as report
from helpers.reports import render
from helpers.reports.spec import write_figures

HOSTILE = "<img src=x onerror=alert(1)>"
NOTEBOOK = paths.NOTEBOOKS / "05-recap-operations.ipynb"


@pytest.fixture(scope="module")
def dki_data():
    return load_inputs()


def _run(data, scope, election, language, out):
    res = op.compute(data.sites, election_tps(data, election), load_table(), scope=scope, election=election,
                     language=language)
    files = report.write(res, out, data.kecamatan, data.kota, offline=True, basemap=None)
    spec = report.report_spec(res, files, run=report.run_info(language, scope, election=election))
    render.write_spec(spec, out / "05-recap-operations.report.json")
    figures = write_figures(report.figures(res), out / "05-recap-operations.figures.json")
    return res, files, spec, json.loads(figures.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pilkada(dki_data, tmp_path_factory):
    return _run(dki_data, resolve_scope(), "pilkada2024", "id", tmp_path_factory.mktemp("pilkada"))


@pytest.fixture(scope="module")
def pemilu_en(dki_data, tmp_path_factory):
    return _run(dki_data, resolve_scope(), "pemilu2024", "en", tmp_path_factory.mktemp("pemilu"))


def _csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _blocks(spec, kind):
    return [b for s in spec["sections"] for b in s["blocks"] if b.get("type") == kind]


def test_the_estimate_is_flagged_wherever_it_is_shown(pilkada):
    res, files, spec, fig = pilkada
    assert "PERKIRAAN" in tables.summary(res) and "PERKIRAAN" in spec["lead"]
    assert fig["tps_estimated"] is True and fig["tps"] == 14835
    assert {"label": "TPS (perkiraan)", "value": "14.835"} in spec["figures"]
    headers = [[c["label"] for c in t["columns"]] for t in _blocks(spec, "table")]
    assert sum("TPS perkiraan" in h for h in headers) >= 3  # per kota, per site, the two elections
    assert sum("DIPERKIRAKAN" in p["text"] for p in _blocks(spec, "paragraph")) >= 1
    sites = _csv(files["sites"])
    assert {r["tps_estimated"] for r in sites if r["election"] == "pilkada2024"} == {"True"}
    assert {r["tps_estimated"] for r in sites if r["election"] == "pemilu2024"} == {"False"}
    assert {r["tps_estimated"] for r in _csv(files["kota"])} == {"True"}
    assert {r["tps_estimated_pilkada2024"] for r in _csv(files["elections"])} == {"True"}
    html = files["map"].read_text(encoding="utf-8")
    assert html.count("TPS Pilkada perkiraan.") == 44 + 2  # every site's popup note (Kepulauan Seribu's twice: inset)
    assert html.count("(perkiraan)") >= 44


def test_pemilu_report_in_english_with_sources_and_gaps(pemilu_en):
    res, files, spec, fig = pemilu_en
    assert spec["language"] == "en" and "14 sites do not finish inside the window" in spec["lead"]
    assert "ESTIMATES" not in spec["lead"] and fig["tps_estimated"] is False and fig["n_sites_miss_window"] == 14
    assert fig["sites_miss_window"][:2] == ["Cengkareng", "Cakung"] and fig["days_max"] == 32
    assert len(spec["gaps"]) == 14 and "needs 32 days, the window has 17" in spec["gaps"][0]["text"]
    assert "Recapitulation parameters: quoted news and assumptions (the sourced table shipped with the toolkit)" \
        in spec["sources"]
    params = next(t for t in _blocks(spec, "table") if t["csv"] == files["parameters"].name)
    statuses = {row[2] for row in params["rows"]}
    assert statuses == {"Source", "Assumption"}  # no Indonesian code word (sumber, asumsi) in an English page
    assert any(isinstance(row[3], dict) and "antaranews.com/berita/3972027" in row[3]["href"] for row in params["rows"])
    assert (files["map"].parent / "05-recap-operations.report.html").is_file()
    assert "pemilu2024" in {r["election"] for r in _csv(files["internet"])}


def test_map_is_offline_and_shows_data_as_text(dki_data, tmp_path):
    data = dki_data
    sites = data.sites.copy()
    sites.loc[0, "kecamatan"] = HOSTILE
    res = op.compute(sites, election_tps(data, "pemilu2024"), load_table(), scope=resolve_scope())
    path = tmp_path / "map.html"
    from helpers.maps.page import save_map
    save_map(ops_map.operations_map(res, data.kecamatan, data.kota, basemap=None), path, offline=True)
    html = path.read_text(encoding="utf-8")
    assert remote_assets(html) == [] and HOSTILE not in html and "\\u003cimg src=x" in html
    classes = ops_map.day_class(res.main["slack_days"])
    # more than 7 days late: Cakung, Cengkareng (-15), Kalideres, Duren Sawit (-8); 1-7 days late: 10 more
    assert (classes == "very_late").sum() == 4 and (classes == "late").sum() == 10


@pytest.mark.browser
def test_map_in_chromium(dki_data, tmp_path, make_driver):
    from selenium.webdriver.support.ui import WebDriverWait

    data = dki_data
    sites = data.sites.copy().reset_index(drop=True)
    sites.loc[2, "kecamatan"] = HOSTILE  # Gambir
    res = op.compute(sites, election_tps(data, "pemilu2024"), load_table(), scope=resolve_scope())
    from helpers.maps.page import save_map
    path = save_map(ops_map.operations_map(res, data.kecamatan, data.kota, basemap=None), tmp_path / "m.html")
    drv = make_driver("1280,900")
    drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };")})
    drv.get(path.as_uri())
    main = ".folium-map > .leaflet-pane path.%s" % ops_map.SITE_CLASS
    WebDriverWait(drv, 300).until(lambda d: d.execute_script(f"return document.querySelectorAll('{main}').length") == 44)
    for key, n in (("very_late", 4), ("late", 10)):
        got = drv.execute_script(f"return document.querySelectorAll('{main}.{ops_map.SITE_CLASS}-{key}, "
                                 f"{main}.{ops_map.SITE_CLASS}-{key}-approx').length")
        assert got == n, key
    last = "var c = document.querySelectorAll('.leaflet-popup-content'); return c.length ? c[c.length-1].innerText : '';"
    for row, expected in ((int(res.main.index[res.main["kecamatan"] == "Cakung"][0]), "PPK Cakung"), (2, HOSTILE)):
        drv.execute_script(f"document.querySelectorAll('{main}')[arguments[0]].dispatchEvent(new MouseEvent('click', "
                           "{bubbles: true, cancelable: true, view: window}));", row)
        text = WebDriverWait(drv, 300).until(lambda d, want=expected: (t := d.execute_script(last)) and want in t and t)
        if expected == "PPK Cakung":
            assert "1.591" in text and "32" in text and "17 Maret 2024" in text and "Mbps" in text
            assert "15 Februari 2024 – 2 Maret 2024 (17 hari)" in text and "5 panel × 10 TPS/hari" in text
    assert drv.execute_script("return document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert drv.execute_script("return window.__alerts") == []


def test_bad_parameters_stop_the_batch_before_any_run(tmp_path, capsys):
    out = tmp_path / "out"
    code = batch.main(["--notebooks", str(NOTEBOOK), "--kota", "dki", "--output", str(out), "--no-progress",
                       "-p", "panels_per_ppk", "0", "-p", "photo_mb", "-1", "-p", "window", "[2024-03-02, 2024-02-15]",
                       "-p", "election", "pileg", "-p", "upload_share", "1.5"])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE == 2 and not out.exists()
    assert err.count("pemilu-recap: error:") == 1  # one error, naming each parameter and what it accepts
    for words in ("panels_per_ppk = 0: accepted is a whole number from 1 to 50",
                  "photo_mb = -1: accepted is a size in MB above 0 and at most 50",
                  "window = ['2024-03-02', '2024-02-15']: accepted is [start, end]", "with end on or after start",
                  "election = 'pileg': accepted is \"pemilu2024\" or \"pilkada2024\"",
                  "upload_share = 1.5: accepted is a share from 0 to 1"):
        assert words in err, words


def test_a_parameter_of_a_notebook_that_does_not_declare_it_is_not_checked(tmp_path, capsys):
    """The check is generic: a notebook's parameters only (here: notebook 02 does not declare panels_per_ppk)."""
    code = batch.main(["--notebooks", str(paths.NOTEBOOKS / "02-coverage-gaps.ipynb"), "--kota", "dki", "--output",
                       str(tmp_path / "out"), "--no-progress", "-p", "panels_per_ppk", "0"])
    assert code == EXIT_USAGE and "declared by none of the notebooks" in capsys.readouterr().err


@pytest.mark.notebooks
@pytest.mark.parametrize("args, scopes", [
    (["--kota", "dki", "jakpus"], {"dki": 44, "jakarta-pusat": 8}),
    (["--provinsi", "malut", "--kota", "Maluku Utara", "Kota Ternate", "-p", "election", "pilkada2024",
      "-p", "language", "en"], {"maluku-utara": 118, "ternate": 8}),
], ids=["dki-and-a-kota", "maluku-utara-pilkada"])
def test_notebook_in_the_batch(batch_report, args, scopes):
    code, out = batch_report("--notebooks", str(NOTEBOOK), *args)
    assert code == 0
    for slug, n in scopes.items():
        fig = json.loads((out / slug / "05-recap-operations.figures.json").read_text(encoding="utf-8"))
        assert fig["n_sites"] == n
        assert (out / slug / "05-recap-operations.report.html").is_file()
        assert (out / slug / "map-recap-operations.html").is_file()
        if "pilkada2024" in args:
            assert fig["election"] == "pilkada2024" and fig["tps_estimated"] is True
            assert fig["window_start"] == "2024-11-28" and fig["window_days"] == 6
            html = (out / slug / "05-recap-operations.report.html").read_text(encoding="utf-8")
            assert "ESTIMATES" in html
    if "dki" in scopes:
        assert re.search(r"14 lokasi tidak\s+selesai", (out / "dki" / "05-recap-operations.report.html").read_text(
            encoding="utf-8"))


@pytest.mark.notebooks
def test_notebook_for_a_kota_without_site(executed_notebook, tmp_path_factory):
    """A user's sites file lacking Jakarta Pusat: the notebook still counts its 8 PPK (no position) and says so."""
    folder = tmp_path_factory.mktemp("no-site")
    rows = paths.processed("sites").read_text(encoding="utf-8").splitlines()
    sites = folder / "sites_without_jakpus.csv"
    sites.write_text("\n".join([rows[0], *[r for r in rows[1:] if ",31.71," not in r]]) + "\n", encoding="utf-8")
    out = executed_notebook("05-recap-operations", kota="Jakarta Pusat", sites_path=str(sites), language="en")
    fig = json.loads((out / "05-recap-operations.figures.json").read_text(encoding="utf-8"))
    assert (fig["n_sites"], fig["tps"]) == (8, 3129)
    spec = json.loads((out / "05-recap-operations.report.json").read_text(encoding="utf-8"))
    assert "8 kecamatan have no PPK site in the sites file" in spec["lead"]
    assert {r["has_site"] for r in _csv(out / report.FILES["sites"])} == {"False"}


def test_two_runs_write_byte_identical_files(dki_data, tmp_path):
    res = op.compute(dki_data.sites, election_tps(dki_data, "pemilu2024"), load_table(), scope=resolve_scope(kota="jaktim"),
                     kecamatan=dki_data.kecamatan)
    runs = [report.write(res, tmp_path / f"run{i}", dki_data.kecamatan, dki_data.kota, offline=True) for i in range(2)]
    assert "map" in runs[0]
    for key, path in runs[0].items():
        assert path.read_bytes() == runs[1][key].read_bytes(), path.name

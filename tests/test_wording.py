"""Words that match the evidence: no output calls an assumed venue (a kantor camat taken as the recap
venue because it is the PPK secretariat) "verified", "exact" or "pasti".

What is known for most sites is the office position, not where the recapitulation took place;
outputs say "posisi diketahui" / "known position" for the coordinate and count separately the venues a
source names (``n_venues_confirmed``: venue_status held or agreed, i.e. GOR Senen and Gelanggang Remaja
Pulogadung, reported as held, and the kantor kecamatan of Kebayoran Lama, agreed; the counts are pinned
in tests/test_data.py and taken from the loaded data here).
"""

import json
import re
import warnings

import pytest

from helpers.io import inputs as loaders
from helpers.reports import render as reader_report
from helpers.reports.coverage import report_spec as coverage_spec
from helpers.reports.coverage import write as write_outputs
from helpers.analysis.coverage.compute import compute_coverage, coverage_inputs
from helpers.maps import recap_sites_map, save_map
from helpers.reports.recap import figures as recap_figures
from helpers.reports.recap import report_spec as recap_spec
from helpers.reports.recap import write_sites_table

STRONG = re.compile(r"\b(verified|verifikasi|terverifikasi|exact|exactly|pasti)\b", re.I)


@pytest.fixture(scope="module")
def data():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return loaders.load_inputs()


def _evidence(sites) -> tuple[int, int]:
    """(sites with a known position, venues a source names) from the loaded sites."""
    return int((~sites["approximate"]).sum()), int(sites["venue_status"].isin(["held", "agreed"]).sum())


def _strong(text: str) -> list[str]:
    return sorted({m.group(0).lower() for m in STRONG.finditer(text)})


@pytest.mark.parametrize("language", ["id", "en"])
def test_recap_outputs_use_words_that_match_the_evidence(tmp_path, data, language):
    m = recap_sites_map(data.sites, data.kota, data.kecamatan, data.facilities, data.tps, language=language,
                        basemap=None)
    html = save_map(m, tmp_path / "map.html", offline=False)
    figures = recap_figures(m.recap_sites, html_path=html, tps=data.tps, offline=False)
    assert (figures["n_sites_position_known"], figures["n_venues_confirmed"]) == _evidence(data.sites)
    sites_csv = write_sites_table(m.recap_sites, tmp_path, tps=data.tps)
    spec = recap_spec(m.recap_sites, figures, {"map": html, "sites": sites_csv}, language, kota_gdf=data.kota)
    page = reader_report.render([spec])
    # the map: popups say the venue is assumed; the legend speaks of a known position
    text = html.read_text(encoding="utf-8")
    assumed = {"id": "kantor camat (tempat rekap diasumsikan)", "en": "kecamatan office (recap venue assumed)"}
    assert json.dumps(assumed[language]) in text
    for what, out in (("figures", json.dumps(figures)), ("map", text), ("report", page),
                      ("sites table", sites_csv.read_text(encoding="utf-8"))):
        assert _strong(out) == [], what


@pytest.mark.parametrize("language", ["id", "en"])
def test_coverage_outputs_use_words_that_match_the_evidence(tmp_path, data, language):
    result = compute_coverage(**coverage_inputs(data), language=language)
    assert (result.headline()["n_sites_position_known"], result.headline()["n_venues_confirmed"]) == \
        _evidence(data.sites)
    files = write_outputs(result, tmp_path, offline=False)
    page = reader_report.render([coverage_spec(result, files, language)])
    assert _strong(json.dumps(result.figures(), ensure_ascii=False)) == [], "figures"
    for name in ("gaps", "kota"):
        assert _strong(files[name].read_text(encoding="utf-8")) == [], name
    assert _strong(result.summary()) == [] and _strong(page) == []


def test_data_quality_page(tmp_path, data):
    """The data-quality page counts positions by basis per kota (from the loaded data; the hand counts
    are in tests/test_data.py)."""
    from helpers.reports import quality as data_quality

    path = data_quality.write_page(data, tmp_path, "id")
    import csv

    with open(tmp_path / "data-quality.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, table = rows[0], {r[0]: r for r in rows[1:]}
    dki = header.index("DKI Jakarta")
    # sites: at a kantor camat point or approximate; venues named by a source, kantor camat assumed, the rest
    sites, fac = data.sites, data.facilities
    known, confirmed = _evidence(sites)
    assumed = int(sites["venue_status"].eq("assumed").sum())
    assert [int(table[k][dki]) for k in ("sites", "sites_office", "sites_approx", "venue_confirmed",
                                          "venue_assumed", "venue_unknown")] == [
        len(sites), known, len(sites) - known, confirmed, assumed, len(sites) - confirmed - assumed]
    # kelurahan: at an active kantor lurah point, else on their island (Kepulauan Seribu) or at a point inside
    lurah = fac.loc[(fac["facility_type"] == "kantor_lurah") & (fac["status"] == "active"), "kelurahan_kode"]
    kel = data.kelurahan
    no_office = ~kel["kode"].isin(lurah)
    island = no_office & (kel["kota_kode"] == "31.01")
    assert [int(table[k][dki]) for k in ("demand", "demand_office", "demand_island", "demand_rep")] == [
        len(kel), int((~no_office).sum()), int(island.sum()), int((no_office & ~island).sum())]
    assert int(table["fac"][dki]) == len(fac)
    page = path.with_name("data-quality.report.html").read_text(encoding="utf-8")
    assert "Kualitas data" in page and "Arti tiap dasar" in page and _strong(page) == []

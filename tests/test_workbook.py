"""The readers' workbook (helpers.reports.workbook): one sheet per table of a report with every row, headers in the
report's language, numbers stored as numbers with a number format, a first sheet naming scope, date, sources and
sheets; linked from the report and the index; the CSV files kept, unchanged, for machines."""

from __future__ import annotations

import csv
import json
import math

import openpyxl
import pandas as pd
import pytest

from helpers.batch import index
from helpers.core import text
from helpers.reports import render as rd
from helpers.reports import spec as rr

HOSTILE = "=HYPERLINK(\"https://example.org\",\"klik\")"


def _spec(tmp_path, language="id"):
    df = pd.DataFrame({"kota": ["Jakarta Timur", "Kepulauan Seribu", HOSTILE], "tps": [8812, 88, 1591],
                       "share": [0.9878, 1.0, float("nan")], "km": [9.4321, 2.0, None], "internet": [True, False, True],
                       "mbps": [0.0512, 2.4, 38.0],
                       "src": [("Okezone, 21 Februari 2024", "https://news.okezone.com/x"), None, ("Arsip", None)]})
    df.to_csv(tmp_path / "x-kota.csv", index=False)
    L = lambda key, **kw: text.label(key, language, **kw)  # noqa: E731
    t = rr.table(df, {"kota": L("col_kota"), "tps": L("col_tps"), "share": L("col_within"),
                      "km": L("col_dist_max"), "internet": L("col_internet"), "mbps": L("op_col_mbps_avg"),
                      "src": L("op_col_source")},
                 csv=tmp_path / "x-kota.csv", language=language, max_rows=2,
                 formats={"tps": "int", "share": "pct", "km": "km", "internet": "bool",
                          "mbps": lambda v: text.fmt_number(v, language, 3), "src": "link"})
    second = rr.table(df[["kota"]], {"kota": L("col_kota")}, csv=tmp_path / "x-kota.csv", language=language,
                      caption="Daftar")
    run = rr.run_info(language, offline=True, basemap="openstreetmap", max_distance_km=5.0)
    return rr.new_spec(name=L("cg_name"), scope="DKI Jakarta", language=language, lead="…", figures=[],
                       sections=[rr.section(L("cg_measures"), t), rr.section(L("cg_gap_list"), second)], run=run)


@pytest.mark.parametrize("language", ["id", "en"])
def test_one_sheet_per_table_in_the_language_with_numbers(tmp_path, language):
    spec = _spec(tmp_path, language)
    csv_before = (tmp_path / "x-kota.csv").read_bytes()
    rd.write_spec(spec, tmp_path / "02-x.report.json")
    written = json.loads((tmp_path / "02-x.report.json").read_text(encoding="utf-8"))
    assert written["workbook"] == "02-x.xlsx" and (tmp_path / "x-kota.csv").read_bytes() == csv_before
    wb = openpyxl.load_workbook(tmp_path / "02-x.xlsx")
    measures, gaps = text.label("cg_measures", language), text.label("cg_gap_list", language)
    assert wb.sheetnames == [text.label("xl_about", language), measures, gaps]
    assert [b["sheet"] for s in written["sections"] for b in s["blocks"]] == [measures, gaps]
    ws = wb[measures]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(text.label(k, language) for k in ("col_kota", "col_tps", "col_within", "col_dist_max",
                                                               "col_internet", "op_col_mbps_avg", "op_col_source"))
    assert len(rows) == 1 + 3, "every row, not the 2 the report shows"
    # numbers are numbers, equal to the data, with the format of their kind
    assert [r[1] for r in rows[1:]] == [8812, 88, 1591] and [r[2] for r in rows[1:]] == [0.9878, 1, None]
    assert rows[1][3] == pytest.approx(9.4321) and rows[3][3] is None and rows[1][5] == pytest.approx(0.0512)
    assert [ws.cell(row=2, column=c).number_format for c in range(2, 7)] == \
        ["#,##0", "0.0%", "#,##0.0", "General", "#,##0.000"]
    assert [r[4] for r in rows[1:]] == [text.fmt_bool(v, language) for v in (True, False, True)]
    # a link keeps its words and its address; a data string that looks like a formula stays text
    assert rows[1][6] == "Okezone, 21 Februari 2024" and ws.cell(row=2, column=7).hyperlink.target == \
        "https://news.okezone.com/x" and rows[3][6] == "Arsip" and ws.cell(row=4, column=7).hyperlink is None
    assert rows[3][0] == HOSTILE and ws.cell(row=4, column=1).data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G4"
    # the first sheet: title, scope, date, sources, parameters in words, the sheets with their rows
    about = [r for r in wb[wb.sheetnames[0]].iter_rows(values_only=True)]
    cells = {r[0]: r[1] for r in about if r[0]}
    assert about[0][0] == spec["title"] and cells[text.label("scope", language)] == "DKI Jakarta"
    assert cells[text.label("run_date", language)] == text.fmt_datetime(spec["created"], language)
    assert text.label("src_boundaries", language) in cells[text.label("sources", language)]
    assert "OpenStreetMap" in cells[text.label("parameters", language)] and "basemap" not in str(about)
    assert (measures, measures, 3) in about and (gaps, f"{gaps}: Daftar", 3) in about
    assert any(r[0] and "x-kota.csv" in r[0] for r in about)


def test_a_spec_without_tables_has_no_workbook_and_a_rerun_leaves_none_stale(tmp_path):
    spec = _spec(tmp_path)
    rd.write_spec(spec, tmp_path / "02-x.report.json")
    assert (tmp_path / "02-x.xlsx").is_file()
    bare = rr.new_spec(name="N", scope="DKI Jakarta", language="id", lead="L", figures=[],
                       sections=[rr.section("S", rr.paragraph("p"))])
    rd.write_spec(bare, tmp_path / "02-x.report.json")
    assert not (tmp_path / "02-x.xlsx").exists() and "workbook" not in json.loads(
        (tmp_path / "02-x.report.json").read_text(encoding="utf-8"))
    assert not list(tmp_path.glob(".*.tmp"))
    # a spec read back (no rows kept) renders its links to the CSV only
    html = rd.render(bare)
    assert ".xlsx" not in html


def test_the_index_lists_the_workbook_for_readers(tmp_path):
    scope = tmp_path / "dki"
    scope.mkdir()
    rd.write_spec(_spec(scope), scope / "02-x.report.json")
    manifest = {"scopes": [{"slug": "dki", "label": "DKI Jakarta"}], "notebooks": ["02-x"], "status": "complete",
                "runs": [{"scope": "dki", "notebook": "02-x", "status": "ok", "duration_s": 1.0, "error": None,
                          "warnings": [], "executed": None, "report_html": "02-x.report.html"}],
                "parameters": {}, "environment": {"cpu_count": 2}, "options": {"jobs": 1, "offline": True}}
    html = index.render_index(tmp_path, manifest)
    name = text.label("cg_name", "id")
    assert f'<a href="dki/02-x.xlsx">{name}</a>' in html
    readers, machines = html.split(text.label("files_machines", "id"))
    assert "dki/02-x.xlsx" in readers and "dki/x-kota.csv" not in readers and "dki/x-kota.csv" in machines


@pytest.fixture(scope="module")
def operations(tmp_path_factory):
    """Notebook 05's files and workbook for DKI Jakarta (Pemilu 2024), in Bahasa Indonesia."""
    from helpers.analysis import operations as op
    from helpers.io.inputs import load_inputs
    from helpers.io.national import resolve_scope
    from helpers.io.operations import election_tps, load_table
    from helpers.reports import operations as report

    out = tmp_path_factory.mktemp("ops")
    data, scope = load_inputs(), resolve_scope()
    res = op.compute(data.sites, election_tps(data, "pemilu2024"), load_table(), scope=scope, election="pemilu2024",
                     language="id")
    files = report.write(res, out, offline=True, basemap=None)
    spec = report.report_spec(res, files, run=report.run_info("id", scope, election="pemilu2024"))
    rd.write_spec(spec, out / "05-recap-operations.report.json")
    return out, json.loads((out / "05-recap-operations.report.json").read_text(encoding="utf-8"))


def test_the_operations_workbook_holds_the_csv_values(operations):
    out, spec = operations
    wb = openpyxl.load_workbook(out / spec["workbook"])
    (sites,) = [b for s in spec["sections"] for b in s["blocks"]
                if b["type"] == "table" and b["csv"] == "operations-sites.csv"]
    ws = wb[sites["sheet"]]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kecamatan", "Kota", "TPS", "Hari dibutuhkan") and len(rows) - 1 == sites["total_rows"] == 44
    with open(out / "operations-sites.csv", encoding="utf-8", newline="") as fh:
        data = {(r["kecamatan"], r["election"]): r for r in csv.DictReader(fh)}
    headers = rows[0]
    col = {h: i for i, h in enumerate(headers)}
    for row in rows[1:]:
        r = data[(row[0], "pemilu2024")]
        assert row[col["TPS"]] == int(r["tps"]) and row[col["Hari dibutuhkan"]] == int(r["days_needed"])
        assert isinstance(row[col["Mbps puncak"]], float)
        assert math.isclose(row[col["Mbps puncak"]], float(r["mbps_peak_central"]), rel_tol=1e-12)
        assert math.isclose(row[col["Mbps rata-rata"]], float(r["mbps_avg_central"]), rel_tol=1e-12)
    assert sum(r[col["TPS"]] for r in rows[1:]) == 30_766  # KPU via KawalPemilu, every TPS of DKI Jakarta
    # the sheet of the sourced values: notes in Bahasa Indonesia, sources linked
    (params,) = [b for s in spec["sections"] for b in s["blocks"]
                 if b["type"] == "table" and b["csv"] == "operations-parameters.csv"]
    ws = wb[params["sheet"]]
    notes = [r[-1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "laju KPU Jakarta Timur dipakai untuk setiap kecamatan di DKI" in notes
    assert any(c.hyperlink is not None and c.hyperlink.target.startswith("https://") for c in ws["D"][1:])
    # every sheet name is one Excel accepts, and the report page links the workbook
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in wb.sheetnames)
    html = (out / "05-recap-operations.report.html").read_text(encoding="utf-8")
    link = '<a href="05-recap-operations.xlsx">05-recap-operations.xlsx</a>'
    assert html.count(link) == 1 + len([b for s in spec["sections"] for b in s["blocks"] if b["type"] == "table"])
    assert f'<li>{link} — {text.label("kind_workbook", "id")}</li>' in html  # first of the report's data files

"""The sourced parameters table of notebook 05 (data/raw/recap_operations): every default either quoted from a source
(with its URL and date in SOURCES.md) or labelled an assumption with its range; the official figures it carries; its
reader naming the file, row and column of a problem; the notebook taking its defaults from it."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import re
import shutil

import nbformat
import pytest

from helpers.analysis import operations as op
from helpers.core import paths
from helpers.io.operations import FOLDER, load_table
from helpers.io.validation import DataValidationError

SOURCES_MD = (FOLDER / "SOURCES.md").read_text(encoding="utf-8")


def _rows(name: str) -> list[dict]:
    with open(FOLDER / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_default_is_quoted_or_an_assumption_with_a_range():
    sources = {r["id"]: r for r in _rows("sources.csv")}
    rows = _rows("parameters.csv")
    assert len(rows) >= 40
    for i, r in enumerate(rows, start=2):
        where = f"parameters.csv row {i} ({r['key']}, {r['election']}, {r['region']})"
        assert r["status"] in ("sumber", "asumsi"), where
        if r["status"] == "sumber":
            assert r["source"] in sources, where
            assert not r["low"] and not r["high"], f"{where}: a quoted value has no range"
        else:
            low, value, high = float(r["low"]), float(r["value"]), float(r["high"])
            assert low <= value <= high and low < high, where
        if r["source"]:
            assert r["source"] in sources, where
    # every source: in SOURCES.md under its id, with its URL and a quotation right after
    for sid, s in sources.items():
        assert s["url"].startswith("https://") and dt.date.fromisoformat(s["date"]), sid
        block = re.search(rf"\*\*{re.escape(sid)}\*\*(.*?)(?=\n\*\*[a-z0-9-]+\*\* —|\n## |\Z)", SOURCES_MD, re.S)
        assert block, f"{sid} has no entry in SOURCES.md"
        assert s["url"] in block.group(1) and "\n> \"" in block.group(1), sid


def test_the_code_takes_every_default_from_the_table():
    """Each value the model uses, for both elections, in DKI and elsewhere, is a row of the table (the lookups
    would fail otherwise) and keeps that row's status and source."""
    table = load_table()
    for election in ("pemilu2024", "pilkada2024"):
        for region in ("31", "*"):
            used = op.settings(table, election, region)
            assert set(used) == {*op.OVERRIDABLE, "ballot_types"}
            for name, u in used.items():
                row = table.get(name, election, region)
                assert (u.value, u.status, u.source) == (row.value, row.status, row.source), (election, region, name)
                assert u.status in ("sumber", "asumsi")
                if u.status == "asumsi":
                    assert u.low <= u.value <= u.high and u.low < u.high
        assert op.window_of(table, election) == (table.get("window_start", election).value,
                                                 table.get("window_end", election).value)


def test_the_notebook_defaults_are_the_table():
    """Notebook 05's own parameters default to None (= the table's value), except the election."""
    nb = nbformat.read(paths.NOTEBOOKS / "05-recap-operations.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    own = {t.id: ast.literal_eval(n.value) for n in ast.parse(cell.source).body if isinstance(n, ast.Assign)
           for t in n.targets if t.id in (*op.OVERRIDABLE, "window", "election")}
    assert own == {**dict.fromkeys((*op.OVERRIDABLE, "window")), "election": "pemilu2024"}


def test_both_windows():
    t = load_table()
    pemilu = (t.get("window_start", "pemilu2024").value, t.get("window_end", "pemilu2024").value)
    pilkada = (t.get("window_start", "pilkada2024").value, t.get("window_end", "pilkada2024").value)
    assert pemilu == (dt.date(2024, 2, 15), dt.date(2024, 3, 2)) and (pemilu[1] - pemilu[0]).days + 1 == 17
    assert pilkada == (dt.date(2024, 11, 28), dt.date(2024, 12, 3)) and (pilkada[1] - pilkada[0]).days + 1 == 6
    assert "15 Februari sampai dengan 2 Maret 2024" in SOURCES_MD
    assert "dimulai pada 28 November di tingkat\n> kecamatan hingga 3 Desember 2024" in SOURCES_MD


def test_pilkada_tps_per_kota_sum_to_the_official_total():
    t = load_table()
    kota = {r.region: int(r.value) for r in t.all("pilkada_tps", "pilkada2024") if re.fullmatch(r"31\.\d\d", r.region)}
    assert kota == {"31.01": 41, "31.71": 1542, "31.72": 2386, "31.73": 3452, "31.74": 3270, "31.75": 4144}
    assert sum(kota.values()) == 14835 == int(t.get("pilkada_tps", "pilkada2024", "31").value)
    assert "Kepulauan Seribu: 41 TPS, Jakarta Pusat: 1.542 TPS" in SOURCES_MD and "sebanyak 14.835 TPS" in SOURCES_MD


def test_the_quoted_pace_and_ballots():
    t = load_table()
    assert (t.get("panels_per_ppk", "pemilu2024", "31").value, t.get("tps_per_panel_day", "pemilu2024", "31").value,
            t.get("hours_per_day", "pemilu2024", "31").value) == (5, 10, 12)
    assert (t.get("ballot_types", "pemilu2024", "31").value, t.get("ballot_types", "pemilu2024", "82").value) == (4, 5)
    assert "membuka lima kelas (panel)" in SOURCES_MD and "Satu\n> panel bisa mencapai 10" in SOURCES_MD
    assert "jam 9 pagi sampai jam 9 malam" in SOURCES_MD and "300 Mbps di 4 lokasi" in SOURCES_MD


@pytest.mark.parametrize("column, old, new, words", [
    ("status", "asumsi,okezone-2974162", "guess,okezone-2974162", "'guess' is not a status"),
    ("low", "5,2,5,panels,asumsi", "5,,,panels,asumsi", "an asumsi needs its range"),
    ("source", "sumber,antara-3972027,one panel", "sumber,antara-9,one panel", "unknown source 'antara-9'"),
    ("value", "window_end,pemilu2024,*,2024-03-02", "window_end,pemilu2024,*,2 Maret", "not a date"),
])
def test_a_broken_table_is_refused_naming_file_row_and_column(tmp_path, column, old, new, words):
    folder = tmp_path / "recap_operations"
    shutil.copytree(FOLDER, folder)
    path = folder / "parameters.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    row = next(i for i, line in enumerate(text.splitlines(), start=1) if old in line)  # the header is row 1
    with pytest.raises(DataValidationError) as err:
        load_table(folder)
    assert f"parameters.csv, row {row}, column '{column}'" in str(err.value) and words in str(err.value)

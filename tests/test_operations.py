"""Recapitulation operations (notebook 05): helpers.analysis.operations and operations_tables.

Every expectation is computed by hand from the sourced table (data/raw/recap_operations) or taken from
the official figures it quotes: 1,591 TPS at 5 panels x 10 TPS a day need 32 days; the Pemilu 2024 PPK window
15 February - 2 March 2024 has 17 days; the Pilkada's 14,835 TPS per kota.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import operations as op
from helpers.analysis import operations_tables as tables
from helpers.io.inputs import load_inputs
from helpers.io.national import resolve_scope
from helpers.io.operations import election_tps, load_table

PILKADA_KOTA = {"31.01": 41, "31.71": 1542, "31.72": 2386, "31.73": 3452, "31.74": 3270, "31.75": 4144}


@pytest.fixture(scope="module")
def table():
    return load_table()


@pytest.fixture(scope="module")
def dki_inputs():
    return load_inputs()


@pytest.fixture(scope="module")
def dki(dki_inputs, table):
    return op.compute(dki_inputs.sites, election_tps(dki_inputs, "pemilu2024"), table, scope=resolve_scope())


def _site(res, name, election=None):
    s = res.sites[election or res.election]
    return s[s["kecamatan"] == name].iloc[0]


# ---------------------------------------------------------------------------------------------
# the formulas, by hand
# ---------------------------------------------------------------------------------------------
def test_days_slack_and_panels_by_hand():
    days, slack, needed = op.capacity([1591, 830, 850, 0], 5, 10, 17)
    assert days.tolist() == [32, 17, 17, 0]          # ceil(1591 / 50) = 32; 830 / 50 = 16.6 -> 17
    assert slack.tolist() == [-15, 0, 0, 17]         # a site within the window has non-negative slack
    assert needed.tolist() == [10, 5, 5, 0]          # ceil(1591 / (10 x 17)) = ceil(9.36) = 10


def test_internet_by_hand():
    # 1,591 TPS x 4 ballots x 3 sheets x 1.5 MB x 0.31 = 8,877.78 MB over 32 days x 12 h
    vol, avg, peak = op.internet([1591], [32], ballots=4, sheets=3, photo_mb=1.5, share=0.31, hours=12, panels=5,
                                 burst_minutes=5, livestream=0)
    assert vol[0] == pytest.approx(1591 * 4 * 3 * 1.5 * 0.31)
    assert avg[0] == pytest.approx(vol[0] * 8 / (32 * 12 * 3600))
    assert peak[0] == pytest.approx(5 * 4 * 3 * 1.5 * 8 / 300)  # 5 panels x 18 MB in 5 minutes = 2.4 Mbps
    # a small site cannot keep 5 panels uploading: ceil(2 x 0.5) = 1 panel; a livestream adds to both
    vol, avg, peak = op.internet([2], [1], ballots=1, sheets=2, photo_mb=1.0, share=0.5, hours=10, panels=5,
                                 burst_minutes=1, livestream=4)
    assert peak[0] == pytest.approx(1 * 2 * 8 / 60 + 4) and avg[0] == pytest.approx(2 * 8 / 36000 + 4)


def test_apportion_keeps_the_total():
    for total, w in ((41, [53, 35]), (4144, [517, 830, 906, 848, 620, 1591, 1246, 588, 863, 803]), (7, [1, 1, 1])):
        got = op.apportion(total, w)
        assert got.sum() == total and (np.abs(got - total * np.array(w) / sum(w)) < 1).all()


# ---------------------------------------------------------------------------------------------
# DKI Jakarta, Pemilu 2024 (the sourced pace)
# ---------------------------------------------------------------------------------------------
def test_dki_pemilu_window_pace_and_cakung(dki):
    assert dki.windows["pemilu2024"] == (pd.Timestamp("2024-02-15").date(), pd.Timestamp("2024-03-02").date())
    cakung = _site(dki, "Cakung")
    assert (cakung["tps"], cakung["panels"], cakung["tps_per_panel_day"]) == (1591, 5, 10)
    assert (cakung["window_days"], cakung["days_needed"], cakung["slack_days"]) == (17, 32, -15)
    assert cakung["finish_date"] == "2024-03-17" and not cakung["within_window"]  # 2024 is a leap year
    assert (cakung["panels_needed"], cakung["panels_short"]) == (10, 5)
    pulogadung = _site(dki, "Pulogadung")  # 830 TPS: 17 days, the 17 days KPU Jakarta Timur allowed
    assert (pulogadung["days_needed"], pulogadung["slack_days"], pulogadung["within_window"]) == (17, 0, True)
    s = dki.main
    assert (s["slack_days"] >= 0).eq(s["within_window"]).all()
    late = s[~s["within_window"]]
    assert len(late) == int((np.ceil(s["tps"] / 50) > 17).sum()) == 14
    assert set(late["kecamatan"]) >= {"Cakung", "Cengkareng", "Duren Sawit", "Kalideres"}


def test_low_central_high_are_ordered(dki):
    for e, s in dki.sites.items():
        for kind in ("avg", "peak"):
            assert (s[f"mbps_{kind}_low"] <= s[f"mbps_{kind}_central"]).all(), e
            assert (s[f"mbps_{kind}_central"] <= s[f"mbps_{kind}_high"]).all(), e
    sc = tables.scenarios(dki).set_index("scenario")
    assert sc.loc["low", "photo_mb"] == 0.5 and sc.loc["high", "photo_mb"] == 4 and sc.loc["high", "burst_minutes"] == 2
    # central peak of a DKI site: 5 panels x 4 ballots x 3 sheets x 1.5 MB x 8 / (5 x 60 s)
    assert sc.loc["central", "mbps_peak_max"] == pytest.approx(2.4)


def test_kota_table_adds_up(dki):
    k = dki.kota
    assert list(k["kota"])[-1] == "DKI Jakarta" and len(k) == 7
    assert k["tps"].iloc[-1] == k["tps"].iloc[:-1].sum() == 30766
    assert k["n_miss_window"].iloc[-1] == 14 and k["panels_short"].iloc[-1] == k["panels_short"].iloc[:-1].sum()


# ---------------------------------------------------------------------------------------------
# the Pilkada: sourced kota totals, estimated per kecamatan and flagged
# ---------------------------------------------------------------------------------------------
def test_pilkada_estimate_keeps_every_kota_total(dki):
    p = dki.sites["pilkada2024"]
    assert p["tps"].sum() == 14835 and p["tps_estimated"].all() and not dki.main["tps_estimated"].any()
    assert p.groupby("kota_kode")["tps"].sum().to_dict() == PILKADA_KOTA
    duren = _site(dki, "Duren Sawit", "pilkada2024")
    assert duren["tps"] == round(4144 * 1246 / 8812)   # 585.97 -> 586; the press gives 593
    assert abs(duren["tps"] - 593) / 593 < 0.02
    assert dki.windows["pilkada2024"] == (pd.Timestamp("2024-11-28").date(), pd.Timestamp("2024-12-03").date())
    assert (p["window_days"] == 6).all() and (p["ballot_types"] == 1).all() and (p["tps_per_panel_day"] == 40).all()


def test_pilkada_from_a_file_is_not_an_estimate(dki_inputs, table):
    pemilu = election_tps(dki_inputs, "pemilu2024")["pemilu2024"]
    given = (pemilu // 2).rename("tps")
    res = op.compute(dki_inputs.sites, {"pemilu2024": pemilu, "pilkada2024": given}, table, scope=resolve_scope(),
                     election="pilkada2024")
    assert not res.main["tps_estimated"].any() and res.main["tps"].sum() == given.sum()
    assert "PERKIRAAN" not in tables.summary(res) and not tables.headline(res)["tps_estimated"]


def test_outside_dki_the_national_ratio(table):
    pemilu = pd.Series({"82.71.01": 100, "82.71.02": 7, "82.71.03": 0})
    est = op.estimate_pilkada(pemilu, table)
    ratio = 435296 / 820161
    assert est.tolist() == [round(100 * ratio), round(7 * ratio), 0] == [53, 4, 0]


def test_a_province_outside_dki_uses_the_assumed_pace(table):
    scope = resolve_scope("malut")
    data = load_inputs(scope=scope)
    res = op.compute(data.sites, election_tps(data, "pemilu2024"), table, scope=scope, language="en")
    s = res.main
    assert (s["ballot_types"] == 5).all() and (s["tps_per_panel_day"] == 8).all() and (s["panels"] == 5).all()
    assert s["days_needed"].tolist() == [math.ceil(t / 40) for t in s["tps"]]
    used = tables.parameters_used(res).set_index(["election", "name"])
    assert used.loc[("pemilu2024", "tps_per_panel_day"), "status"] == "asumsi"
    assert used.loc[("pemilu2024", "ballot_types"), "status"] == "sumber"
    assert "ESTIMATES" in tables.summary(op.compute(data.sites, election_tps(data, "pilkada2024"), table, scope=scope,
                                                    election="pilkada2024", language="en"))
    ternate = op.compute(data.sites, election_tps(data, "pemilu2024"), table, scope=resolve_scope("malut", "ternate"))
    assert set(ternate.main["kota_kode"]) == {"82.71"} and len(ternate.kota) == 1


# ---------------------------------------------------------------------------------------------
# a run's own values, and bad ones
# ---------------------------------------------------------------------------------------------
def test_values_set_by_the_user(dki_inputs, table):
    res = op.compute(dki_inputs.sites, election_tps(dki_inputs, "pemilu2024"), table, scope=resolve_scope(),
                     panels_per_ppk=10, window=["2024-02-15", "2024-03-10"])
    cakung = _site(res, "Cakung")
    assert (cakung["days_needed"], cakung["window_days"], cakung["slack_days"]) == (16, 25, 9)  # ceil(1591 / 100)
    used = tables.parameters_used(res).set_index(["election", "name"])
    assert used.loc[("pemilu2024", "panels_per_ppk"), "status"] == "pengguna"
    assert used.loc[("pemilu2024", "window_end"), "status"] == "pengguna"
    assert used.loc[("pilkada2024", "window_end"), "status"] == "sumber"  # the other election keeps its window
    assert "panels_per_ppk, window" in tables.summary(res)


@pytest.mark.parametrize("bad, words", [
    ({"panels_per_ppk": 0}, "panels_per_ppk = 0: accepted is a whole number from 1 to 50"),
    ({"photo_mb": -1.0}, "photo_mb = -1.0: accepted is a size in MB above 0"),
    ({"window": ["2024-03-02", "2024-02-15"]}, "with end on or after start"),
    ({"election": "pileg2024"}, "election = 'pileg2024': accepted is \"pemilu2024\" or \"pilkada2024\""),
    ({"upload_share": 1.5}, "upload_share = 1.5: accepted is a share from 0 to 1"),
])
def test_bad_parameters_name_the_parameter_and_the_range(dki_inputs, table, bad, words):
    with pytest.raises(ValueError) as err:
        op.compute(dki_inputs.sites, election_tps(dki_inputs, "pemilu2024"), table, scope=resolve_scope(), **bad)
    assert words in str(err.value) and "Traceback" not in str(err.value)


def test_several_bad_parameters_in_one_message_and_unknown_names(dki_inputs, table):
    tps = election_tps(dki_inputs, "pemilu2024")
    with pytest.raises(ValueError) as err:
        op.compute(dki_inputs.sites, tps, table, scope=resolve_scope(), panels_per_ppk=0, photo_mb=-2)
    assert "panels_per_ppk = 0" in str(err.value) and "photo_mb = -2" in str(err.value)
    with pytest.raises(ValueError, match="unknown parameter.*panels_per_tps"):
        op.compute(dki_inputs.sites, tps, table, scope=resolve_scope(), panels_per_tps=3)
    with pytest.raises(ValueError, match="notebook 04"):
        op.compute(dki_inputs.sites, tps, table, scope=resolve_scope("indonesia"))


# ---------------------------------------------------------------------------------------------
# held against the sources; precedents; the national computation
# ---------------------------------------------------------------------------------------------
def test_checks_against_the_sources(dki):
    c = tables.checks(dki).set_index("region")
    assert (c.loc["31.75", "stated"], c.loc["31.75", "model"], c.loc["31.75", "n_over"]) == (17, 32, 4)
    assert (c.loc["31.75.02", "stated"], c.loc["31.75.02", "model"]) == (14, 17)
    assert (c.loc["31", "stated"], c.loc["31", "model"]) == (0, 0)   # the DKI Pilkada: no site late, in the model too
    assert (c.loc["31.75.07", "stated"], c.loc["31.75.07", "model"]) == (593, 586)


def test_precedents_by_hand(dki):
    p = tables.precedents(dki).set_index("region")
    assert p.loc["51.71", "tps_per_site"] == round(1887 / 4) and p.loc["51.71", "stated_mbps"] == 300
    # Denpasar: 5 panels x 5 ballot types x 3 sheets x 1.5 MB x 8 / 300 s
    assert p.loc["51.71", "mbps_peak_central"] == pytest.approx(3.0)
    # Gunungkidul, Pilkada: 5 panels x 2 ballots x 2 sheets x 1.5 MB x 8 / 300 s
    assert p.loc["34.03", "tps_per_site"] == round(1355 / 18) and p.loc["34.03", "mbps_peak_central"] == pytest.approx(0.8)


def test_national_computation_both_elections(table):
    sites = pd.DataFrame({"kecamatan_kode": ["31.75.06", "82.71.01", "32.01.01"], "tps": [1591, 100, 0]})
    got = op.national(sites, table)
    pem, pil = got["pemilu2024"].set_index("kecamatan_kode"), got["pilkada2024"].set_index("kecamatan_kode")
    assert pem.loc["31.75.06", "days_needed"] == 32 and pem.loc["82.71.01", "days_needed"] == math.ceil(100 / 40)
    assert pem.loc["32.01.01", "days_needed"] == 0 and pem.loc["82.71.01", "ballot_types"] == 5
    assert pil["tps_estimated"].all() and not pem["tps_estimated"].any()
    assert pil.loc["82.71.01", "tps"] == 53 and pil.loc["31.75.06", "tps"] == 4144  # alone in its kota


def test_a_kecamatan_without_a_site_is_still_counted(dki_inputs, table):
    """A user's sites file that lacks Jakarta Pusat: its 8 PPK still recapitulate their 3,129 TPS (no position)."""
    sites = dki_inputs.sites[dki_inputs.sites["kota_kode"] != "31.71"]
    res = op.compute(sites, election_tps(dki_inputs, "pemilu2024"), table, scope=resolve_scope(kota="jakpus"),
                     kecamatan=dki_inputs.kecamatan, language="en")
    s = res.main
    assert len(s) == 8 and not s["has_site"].any() and s["tps"].sum() == 3129 and s.geometry.isna().all()
    assert _site(res, "Kemayoran")["days_needed"] == math.ceil(701 / 50)
    assert "8 kecamatan have no PPK site in the sites file" in tables.summary(res)
    whole = op.compute(sites, election_tps(dki_inputs, "pemilu2024"), table, scope=resolve_scope(),
                       kecamatan=dki_inputs.kecamatan)
    assert len(whole.main) == 44 and whole.main["has_site"].sum() == 36 and whole.main["tps"].sum() == 30766

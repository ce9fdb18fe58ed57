"""Unit names matched exact first (issue 21, item 1): ``MABA`` and ``KOTA MABA``, ``Manna`` and ``Kota Manna``.

The exhaustive tests take every kecamatan and every desa/kelurahan of every province of the national layer
(data/processed/national) in which two different official names reduce to one lenient key
(:func:`helpers.core.names.name_key`: "Kota Maba" and "Maba", "Indra Jaya" and "Indrajaya", "Lubuk Pakam
I,Ii" and "Lubuk Pakam Iii"), and give each name as offices write it: in capitals, in title case and with a
``Kec.``/``Kel.``/``Desa`` prefix (the kab/kota in capitals, short, or as ``Kab. X``).  The expected
answer is computed here from the layer alone: a row names its own unit, except where the exact name
(case, accents and punctuation aside) is shared within what the row gives (then it is ambiguous).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd
import pytest

from helpers.core import paths
from helpers.core.names import name_key
from helpers.io.province import kota_names
from helpers.io.units import kota_candidates, match_kecamatan, match_kelurahan

NATIONAL = paths.PROCESSED / "national"
SPELLINGS = ("capitals", "title", "prefix")


def exact(name: str) -> str:
    """The exact name as the issue means it: lower case, accents and punctuation ignored, words kept."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@lru_cache(maxsize=1)
def layer():
    kab = pd.read_parquet(NATIONAL / "kabkota.parquet", columns=["kode", "nama", "provinsi_kode"])
    kec = pd.read_parquet(NATIONAL / "kecamatan.parquet", columns=["kode", "nama", "kabkota_kode", "provinsi_kode"])
    desa = pd.read_parquet(NATIONAL / "desa_tps.parquet",
                           columns=["kode", "nama", "kecamatan_kode", "kecamatan", "kabkota_kode", "provinsi_kode"])
    return kab, kec, desa


def provinces_with_pairs() -> list[str]:
    """Provinces where two different official kecamatan or desa names share a lenient key."""
    _, kec, desa = layer()
    found = set()
    for frame in (kec, desa):
        keys = frame.assign(key=frame["nama"].map(name_key))
        names = keys.groupby(["provinsi_kode", "key"])["nama"].nunique()
        found |= set(names[names > 1].index.get_level_values(0))
    return sorted(found)


PAIRED = provinces_with_pairs()


def refs(kode: str):
    """The reference tables the loaders get for a province (names as helpers.io.province writes them)."""
    kab, kec, desa = (f[f["provinsi_kode"] == kode].sort_values("kode", ignore_index=True) for f in layer())
    display = dict(zip(kab["kode"], kota_names(kab)))
    kec_ref = pd.DataFrame({"kode": kec["kode"], "nama": kec["nama"], "kota_kode": kec["kabkota_kode"],
                            "kota": kec["kabkota_kode"].map(display)})
    kel_ref = pd.DataFrame({"kode": desa["kode"], "nama": desa["nama"], "kecamatan_kode": desa["kecamatan_kode"],
                            "kecamatan": desa["kecamatan"], "kota_kode": desa["kabkota_kode"],
                            "kota": desa["kabkota_kode"].map(display)})
    return kab, kec_ref, kel_ref


def spell(name: str, how: str, prefix: str) -> str:
    return {"capitals": name.upper(), "title": name.title(), "prefix": f"{prefix} {name}"}[how]


def kota_spelling(official: str, display: str, how: str) -> str:
    """The kab/kota as offices write it: capitals of the official name, the short name, or 'Kab. X'."""
    return {"capitals": official.upper(), "title": display,
            "prefix": re.sub(r"^Kabupaten ", "Kab. ", official)}[how]


def test_the_provinces_with_pairs_include_the_cases_of_the_issue():
    assert {"82", "17"} <= set(PAIRED)  # Maluku Utara (Maba / Kota Maba), Bengkulu (Manna / Kota Manna)
    assert len(PAIRED) >= 20, PAIRED


@pytest.mark.parametrize("kode", PAIRED)
def test_every_kecamatan_of_a_province_with_pairs(kode):
    kab, kec_ref, _ = refs(kode)
    official = dict(zip(kab["kode"], kab["nama"]))
    rows = [(r.kode, spell(r.nama, how, "Kec."), kota_spelling(official[r.kota_kode], r.kota, how))
            for r in kec_ref.itertuples() for how in SPELLINGS]
    df = pd.DataFrame(rows, columns=["want", "Kecamatan", "Kab/Kota"])
    # with the kab/kota: every kecamatan is its own (no kab/kota holds one exact name twice)
    assert not kec_ref.assign(e=kec_ref["nama"].map(exact)).duplicated(["kota_kode", "e"]).any()
    got = match_kecamatan(df, {"kecamatan": "Kecamatan", "kota": "Kab/Kota"}, kec_ref)
    wrong = df.assign(got=got["kecamatan_kode"], problem=got["problem"])[got["kecamatan_kode"].ne(df["want"])]
    assert wrong.empty, wrong.head(10).to_string()
    # without it: its own unless the exact name is shared in the province (Tompobulu of Gowa and of Maros)
    shared = kec_ref["nama"].map(exact).duplicated(keep=False)
    alone = match_kecamatan(df, {"kecamatan": "Kecamatan"}, kec_ref)
    twice = df["want"].isin(set(kec_ref.loc[shared, "kode"]))
    assert alone.loc[~twice, "kecamatan_kode"].eq(df.loc[~twice, "want"]).all()
    assert alone.loc[twice, "problem"].eq("ambiguous").all() and alone.loc[twice, "kecamatan_kode"].eq("").all()


@pytest.mark.parametrize("kode", PAIRED)
def test_every_desa_of_a_province_with_pairs(kode):
    kab, _, kel_ref = refs(kode)
    official = dict(zip(kab["kode"], kab["nama"]))
    kind = kel_ref["kode"].str[-4]  # Kemendagri: 1xxx a kelurahan, 2xxx a desa
    rows = [(r.kode, spell(r.nama, how, "Kel." if k == "1" else "Desa"), spell(r.kecamatan, how, "Kec."),
             kota_spelling(official[r.kota_kode], r.kota, how), how)
            for r, k in zip(kel_ref.itertuples(), kind) for how in SPELLINGS]
    df = pd.DataFrame(rows, columns=["want", "Desa/Kelurahan", "Kecamatan", "Kabupaten/Kota", "how"])
    got = match_kelurahan(df, {"kelurahan": "Desa/Kelurahan", "kecamatan": "Kecamatan", "kota": "Kabupaten/Kota"},
                          kel_ref)
    # one exact name twice in one kecamatan: only the prefix tells a kelurahan from a desa ("Kel." / "Desa":
    # Sorkam Kanan 12.01.10.1001 and .2018); two desa of one name (Tounelet Satu, Sonder) stay ambiguous
    e = kel_ref.assign(e=kel_ref["nama"].map(exact), kind=kind)
    twice = e[e.duplicated(["kecamatan_kode", "e"], keep=False)]
    kinds = twice.groupby(["kecamatan_kode", "e"])["kind"].transform("nunique")
    told = ~df["want"].isin(set(twice["kode"])) | (df["how"].eq("prefix") & df["want"].isin(set(twice.loc[
        kinds.eq(2), "kode"])))
    wrong = df.assign(got=got["kode"], problem=got["problem"])[told & got["kode"].ne(df["want"])]
    assert wrong.empty, wrong.head(10).to_string()
    assert got.loc[~told, "problem"].eq("ambiguous").all()
    assert got["problem"].isin(["", "ambiguous"]).all()


def _kec(kode: str) -> pd.DataFrame:
    return refs(kode)[1]


def test_maba_and_kota_maba_with_and_without_the_kab_kota():
    ref = _kec("82")
    df = pd.DataFrame({"Kecamatan": ["MABA", "KOTA MABA", "Kec. Kota Maba", "kec. maba", "Maba"],
                       "Kab/Kota": ["HALMAHERA TIMUR", "Kabupaten Halmahera Timur", "", "Kab. Halmahera Timur", ""]})
    for cols in ({"kecamatan": "Kecamatan", "kota": "Kab/Kota"}, {"kecamatan": "Kecamatan"}):
        got = match_kecamatan(df, cols, ref)
        assert got["kecamatan_kode"].tolist() == ["82.06.02", "82.06.10", "82.06.10", "82.06.02", "82.06.02"]
        assert got["problem"].eq("").all()


def test_manna_and_kota_manna():
    got = match_kecamatan(pd.DataFrame({"Kec": ["MANNA", "Kota Manna", "KOTA MANNA", "Kec. Manna"]}),
                          {"kecamatan": "Kec"}, _kec("17"))
    assert got["kecamatan_kode"].tolist() == ["17.01.04", "17.01.05", "17.01.05", "17.01.04"]


def test_the_kab_kota_decides_between_kecamatan_of_one_name():
    """Tompobulu is a kecamatan of Gowa (73.06.03) and of Maros (73.09.11); Tellu Limpoe of Sinjai and of
    Sidenreng Rappang, and Tellulimpoe of Bone: the kab/kota column decides, a wrong one is reported."""
    df = pd.DataFrame({"Kecamatan": ["TOMPOBULU", "Tompobulu", "Tompobulu", "TELLU LIMPOE", "Tellu Limpoe",
                                     "Tellu Limpoe", "TOMPOBULU"],
                       "Kota": ["GOWA", "Kab. Maros", "", "Kabupaten Sidenreng Rappang", "Sinjai", "Bone", "Sinjai"]})
    got = match_kecamatan(df, {"kecamatan": "Kecamatan", "kota": "Kota"}, _kec("73"))
    assert got["kecamatan_kode"].tolist() == ["73.06.03", "73.09.11", "", "73.14.02", "73.07.08",
                                              "73.08.25", ""]
    assert got["problem"].tolist() == ["", "", "ambiguous", "", "", "", "wrong_kota"]


def test_kabupaten_and_kota_of_one_name():
    """Jawa Barat has Kabupaten Bogor and Kota Bogor: 'Kab. Bogor' and 'KOTA BOGOR' name one each, 'Bogor'
    both, and then the kecamatan decides (Bogor Tengah lies in Kota Bogor, Cibinong in Kabupaten Bogor)."""
    ref = _kec("32")
    cands = kota_candidates(pd.Series(["Kab. Bogor", "KOTA BOGOR", "Bogor", "Kabupaten Adm. Bogor"]), ref)
    assert cands.tolist() == [("32.01",), ("32.71",), ("32.01", "32.71"), ("32.01",)]
    got = match_kecamatan(pd.DataFrame({"Kecamatan": ["Bogor Tengah", "CIBINONG"], "Kota": ["Bogor", "Bogor"]}),
                          {"kecamatan": "Kecamatan", "kota": "Kota"}, ref)
    assert got["kecamatan_kode"].tolist() == ["32.71.03", "32.01.01"] and got["problem"].eq("").all()


def test_a_kelurahan_and_a_desa_of_one_name_in_one_kecamatan():
    _, _, kel = refs("12")
    df = pd.DataFrame({"Desa": ["Kel. Sorkam Kanan", "Desa Sorkam Kanan", "SORKAM KANAN"],
                       "Kecamatan": ["Sorkam Barat"] * 3})
    sorkam = kel[kel["nama"] == "Sorkam Kanan"]
    assert sorted(sorkam["kode"]) == ["12.01.10.1001", "12.01.10.2018"]
    kec = sorkam["kecamatan"].iloc[0]
    got = match_kelurahan(df.assign(Kecamatan=kec), {"kelurahan": "Desa", "kecamatan": "Kecamatan"}, kel)
    assert got["kode"].tolist() == ["12.01.10.1001", "12.01.10.2018", ""]
    assert got["problem"].tolist() == ["", "", "ambiguous"]


def test_x_written_for_kota_x_is_found_in_the_row_s_own_unit():
    """Where the row's kab/kota (or kecamatan) holds only "Kota X", a row that writes "X" means it: Sukamakmue
    lies in Kota Sabang, Suka Makmue in Nagan Raya; Kota Bahagia in Kuala Batee, Bahagia in Lawe Bulan and
    Krueng Sabee (national layer)."""
    got = match_kecamatan(pd.DataFrame({"Kecamatan": ["SUKA MAKMUE", "SUKA MAKMUE", "SUKAMAKMUE"],
                                        "Kota": ["Kota Sabang", "Nagan Raya", ""]}),
                          {"kecamatan": "Kecamatan", "kota": "Kota"}, _kec("11"))
    assert got["kecamatan_kode"].tolist() == ["11.72.03", "11.15.06", "11.72.03"]
    _, _, kel = refs("11")
    got = match_kelurahan(pd.DataFrame({"Desa": ["BAHAGIA", "Bahagia", "Desa Bahagia", "BAHAGIA"],
                                        "Kecamatan": ["Kuala Batee", "LAWE BULAN", "Kec. Krueng Sabee", ""]}),
                          {"kelurahan": "Desa", "kecamatan": "Kecamatan"}, kel)
    assert got["kode"].tolist() == ["11.12.05.2001", "11.02.08.2029", "11.14.02.2001", ""]
    assert got["problem"].tolist() == ["", "", "", "ambiguous"]

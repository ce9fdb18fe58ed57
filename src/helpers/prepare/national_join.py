"""Join the KawalPemilu TPS list (2023/2024 codes) to the cahyadsn boundaries (2025 codes).

Part of :mod:`helpers.prepare.national`.  A code is never trusted alone: between code sets some codes
were given to other places (Papua Barat Daya re-numbered its kecamatan, so KawalPemilu
``96.01.04`` BERAUR is ``96.01.02`` in 2025 and 2025 ``96.01.04`` is Seget).  Every KawalPemilu
desa gets one category:

``code+name``          its code is a boundary desa and the names are similar (:func:`similar`)
``recoded``            a boundary desa of the same name in the same kab/kota that no other desa
                       claims (same kecamatan name first, then anywhere in the kab) — the desa
                       moved to a new 2025 code
``code_name_differs``  its code is a boundary desa of another name and no same-name desa was
                       found: **not placed** (a rename or a re-used code cannot be told apart)
``no_polygon``         the code is in the 2025 code set but the boundaries have no row for it
``not_in_2025``        the code is not in the 2025 code set and no same-name desa was found
``recoded_conflict``   two or more KawalPemilu desa would take the same boundary desa by name

The first two are placed; the others are listed with a plain reason.  The 2023 code set (the one
KawalPemilu uses; Papua Barat Daya still under Papua Barat's kab codes) is read to show, for each
KawalPemilu code, the name it had in 2023 (``nama_2023``): evidence for a reviewer, not a key.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict

import pandas as pd

from helpers.prepare.national_sql import read_text

PLACED = ("code+name", "recoded")
NUMBER_WORDS = {"SATU": "I", "DUA": "II", "TIGA": "III"}
_KAB_PREFIX = re.compile(r"^(KABUPATEN|KAB\.?)\s+")


def norm(name: object, numbers: bool = True) -> str:
    """Name key: upper case, letters and digits only, common spelling noise removed.

    A 5-digit postcode (KawalPemilu tells same-name desa apart with one), a KEL./KELURAHAN/
    DESA/NEGERI prefix or suffix, SEI -> SUNGAI and (``numbers``) SATU/DUA/TIGA -> I/II/III.

    Examples
    --------
    >>> norm("PANIPAHAN 22870") == norm("Panipahan")
    True
    >>> norm("Sei Rampah"), norm("Desa Tanjung Satu")
    ('SUNGAIRAMPAH', 'TANJUNGI')
    """
    s = str(name or "").upper()
    s = re.sub(r"\b\d{5}\b", " ", s)
    s = re.sub(r"^\s*(KEL\.?|KELURAHAN|DESA|NEGERI)\s+|\s+(KELURAHAN|DESA)\s*$", " ", s)
    words = re.split(r"[^A-Z0-9]+", s)
    words = ["SUNGAI" if w == "SEI" else (NUMBER_WORDS.get(w, w) if numbers else w) for w in words]
    return "".join(words)


def similar(a: object, b: object) -> bool:
    """Equal after :func:`norm`, or a difflib ratio of at least 0.8 (without number words).

    Examples
    --------
    >>> similar("KOTARAYA", "Kutaraja"), similar("BERAUR", "Seget")
    (False, False)
    >>> similar("TANJUNG PRIOK", "Tanjung Priuk")
    True
    """
    if norm(a) == norm(b):
        return True
    a, b = norm(a, numbers=False), norm(b, numbers=False)
    return bool(a) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8)


def dotted(code: str) -> str:
    """KPU code without dots -> Kemendagri dotted code.

    Examples
    --------
    >>> dotted("3171011001"), dotted("3171")
    ('31.71.01.1001', '31.71')
    """
    return ".".join(p for p in (code[0:2], code[2:4], code[4:6], code[6:10]) if p)


def read_kawalpemilu(path) -> dict[str, pd.DataFrame]:
    """KawalPemilu ``tps.json``: one frame per level (``prov``, ``kab``, ``kec``, ``desa``).

    ``tps[desa] = [n]`` means TPS 1..n; ``[n, k, j]`` adds special-location TPS k..j (901+).
    """
    doc = json.loads(read_text(path))
    if set(doc) != {"id2name", "tps"}:
        raise ValueError(f"{path}: expected keys id2name and tps, found {sorted(doc)}")
    names, tps = doc["id2name"], doc["tps"]
    levels = {2: "prov", 4: "kab", 6: "kec", 10: "desa"}
    out = {lvl: [] for lvl in levels.values()}
    for code, name in names.items():
        if len(code) not in levels or not code.isdigit():
            raise ValueError(f"{path}: unexpected code {code!r} in id2name")
        out[levels[len(code)]].append({"kode": dotted(code), "nama": name})
    frames = {k: pd.DataFrame(v).sort_values("kode", ignore_index=True) for k, v in out.items()}
    rows = []
    for code, v in tps.items():
        if code not in names or len(code) != 10:
            raise ValueError(f"{path}: TPS entry {code!r} is not a desa of id2name")
        ok = len(v) == 1 or (len(v) == 3 and v[1] >= 901 and v[2] >= v[1])
        if not ok or v[0] < 0:
            raise ValueError(f"{path}: TPS entry {code}: {v} is neither [n] nor [n, k, j] with 901 <= k <= j")
        khusus = v[2] - v[1] + 1 if len(v) == 3 else 0
        rows.append({"kode": dotted(code), "tps_reguler": v[0], "tps_khusus": khusus,
                     "tps_khusus_nomor": f"{v[1]}-{v[2]}" if khusus else ""})
    desa = frames["desa"].merge(pd.DataFrame(rows), on="kode", how="outer", validate="1:1", indicator=True)
    if (desa["_merge"] != "both").any():
        raise ValueError(f"{path}: {int((desa['_merge'] != 'both').sum())} desa lack a name or a TPS entry")
    desa = desa.drop(columns="_merge")
    desa["tps_total"] = desa["tps_reguler"] + desa["tps_khusus"]
    frames["desa"] = desa.rename(columns={"kode": "kode_kpu_dotted", "nama": "nama_kpu"})
    return frames


def classify(kp: dict[str, str], bnd: dict[str, str], kp_parent, bnd_parent,
             valid2025: set[str]) -> dict[str, tuple[str, str, str]]:
    """``{kp_code: (category, boundary_code or "", detail)}`` for one level (see module doc).

    ``kp_parent`` / ``bnd_parent`` give a code's normalised parent (kecamatan) name; a same-name
    unit under a same-name parent is preferred, else a unique same-name unit in the kab/kota.

    Examples
    --------
    >>> kp = {"96.01.04.2001": "KLASARI", "96.01.04.2002": "KLAYAS"}
    >>> bnd = {"96.01.04.2001": "Klayas", "96.01.02.2005": "Klasari"}
    >>> r = classify(kp, bnd, lambda c: "", lambda b: "", set())
    >>> r["96.01.04.2001"][:2], r["96.01.04.2002"][:2]
    (('recoded', '96.01.02.2005'), ('recoded', '96.01.04.2001'))
    """
    result, taken = {}, set()
    for c, n in kp.items():
        if c in bnd and similar(n, bnd[c]):
            result[c] = ("code+name", c, "")
            taken.add(c)
    by_parent, by_kab = defaultdict(list), defaultdict(list)
    for b, n in bnd.items():
        if b not in taken:
            by_parent[(b[:5], bnd_parent(b), norm(n))].append(b)
            by_kab[(b[:5], norm(n))].append(b)
    claims = defaultdict(list)
    for c, n in kp.items():
        if c in result:
            continue
        hits = by_parent.get((c[:5], kp_parent(c), norm(n)), [])
        if len(hits) != 1:
            hits = by_kab.get((c[:5], norm(n)), [])
        if len(hits) == 1:
            claims[hits[0]].append(c)
            continue
        detail = f"{len(hits)} untaken boundary units of this name in the kab/kota" if hits else ""
        if c in bnd:
            result[c] = ("code_name_differs", "", detail)
        elif c in valid2025:
            result[c] = ("no_polygon", "", detail)
        else:
            result[c] = ("not_in_2025", "", detail)
    for b, cs in claims.items():
        for c in cs:
            result[c] = ("recoded", b, "") if len(cs) == 1 else (
                "recoded_conflict", "", f"boundary unit {b} is claimed by {' '.join(sorted(cs))}")
    return result


def _kab_key(name: str) -> str:
    return norm(_KAB_PREFIX.sub("", str(name).upper().replace("KAB.", "KAB. ")))


def kab_map_2023(kp_kab: dict[str, str], kab_2023: dict[str, str]) -> dict[str, str]:
    """KawalPemilu kab code -> the 2023 code of the same kab/kota (by name; identity if agreeing).

    Papua Barat Daya's kab were still filed under Papua Barat in 2023 (96.05 MAYBRAT = 92.10).

    Examples
    --------
    >>> kab_map_2023({"96.05": "MAYBRAT", "96.71": "KOTA SORONG"},
    ...              {"92.10": "KAB. MAYBRAT", "92.71": "KOTA SORONG", "96.05": "X"})
    {'96.05': '92.10', '96.71': '92.71'}
    """
    by_key = defaultdict(list)
    for code, name in kab_2023.items():
        by_key[_kab_key(name)].append(code)
    out = {}
    for code, name in kp_kab.items():
        if code in kab_2023 and _kab_key(kab_2023[code]) == _kab_key(name):
            out[code] = code
        elif len(by_key.get(_kab_key(name), [])) == 1:
            out[code] = by_key[_kab_key(name)][0]
    return out


def _reason(cat: str, row, bnd_name: str, name25: str, detail: str) -> str:
    kp = row["nama_kpu"]
    if cat == "code_name_differs":
        return (f"code {row['kode_kpu_dotted']} is boundary desa '{bnd_name}', not '{kp}', and no desa of this name "
                f"was found in the kab/kota; not placed by code alone" + (f" ({detail})" if detail else ""))
    if cat == "no_polygon":
        return (f"code is in the 2025 code set (as '{name25}') but the boundaries have no polygon for it"
                + (f"; {detail}" if detail else ""))
    if cat == "not_in_2025":
        return ("code is not in the 2025 code set and no desa of this name was found in the kab/kota"
                + (f" ({detail})" if detail else ""))
    return f"several KawalPemilu desa match one boundary desa by name: {detail}"


def join_desa(kp: dict[str, pd.DataFrame], bnd_desa: pd.DataFrame, bnd_kec: pd.DataFrame,
              set2025: dict[str, str], set2023: dict[str, str]) -> pd.DataFrame:
    """One row per KawalPemilu desa: TPS, category, boundary code (``kode``) when placed, reason."""
    d = kp["desa"].copy()
    kp_desa = dict(zip(d["kode_kpu_dotted"], d["nama_kpu"]))
    kp_kec = dict(zip(kp["kec"]["kode"], kp["kec"]["nama"]))
    kp_kab = dict(zip(kp["kab"]["kode"], kp["kab"]["nama"]))
    bnd = dict(zip(bnd_desa["kode"], bnd_desa["nama"]))
    bkec = dict(zip(bnd_kec["kode"], bnd_kec["nama"]))
    valid2025 = {k for k in set2025 if len(k) == 13}
    cls = classify(kp_desa, bnd, lambda c: norm(kp_kec.get(c[:8], "")),
                   lambda b: norm(bkec.get(b[:8], "")), valid2025)
    d["category"] = d["kode_kpu_dotted"].map(lambda c: cls[c][0])
    d["kode"] = d["kode_kpu_dotted"].map(lambda c: cls[c][1])
    d["placed"] = d["category"].isin(PLACED)
    d["nama"] = d["kode"].map(lambda b: bnd.get(b, ""))
    kab23 = kab_map_2023(kp_kab, {k: v for k, v in set2023.items() if len(k) == 5})
    d["kode_2023"] = d["kode_kpu_dotted"].map(lambda c: kab23[c[:5]] + c[5:] if c[:5] in kab23 else "")
    d["nama_2023"] = d["kode_2023"].map(lambda c: set2023.get(c, ""))
    d["kec_kode_kpu"] = d["kode_kpu_dotted"].str[:8]
    d["kec_nama_kpu"] = d["kec_kode_kpu"].map(lambda c: kp_kec.get(c, ""))
    d["kab_nama_kpu"] = d["kode_kpu_dotted"].str[:5].map(lambda c: kp_kab.get(c, ""))
    d["prov_kode"] = d["kode_kpu_dotted"].str[:2]
    d["kode_kpu"] = d["kode_kpu_dotted"].str.replace(".", "", regex=False)
    d["reason"] = ""
    for i in d.index[~d["placed"]]:
        c = d.at[i, "kode_kpu_dotted"]
        d.at[i, "reason"] = _reason(cls[c][0], d.loc[i], bnd.get(c, ""), set2025.get(c, ""), cls[c][2])
    if d.loc[d["placed"], "kode"].duplicated().any():
        raise ValueError("two KawalPemilu desa placed on one boundary desa")
    return d.sort_values("kode_kpu", ignore_index=True)


def join_kecamatan(kp: dict[str, pd.DataFrame], bnd_kec: pd.DataFrame, bnd_desa_codes: pd.Series,
                   joined: pd.DataFrame, set2025: dict[str, str]) -> pd.DataFrame:
    """Kecamatan that do not match cleanly, both ways, with the desa evidence.

    ``side`` is ``kawalpemilu`` (a KawalPemilu kecamatan without a same-code-and-name boundary
    kecamatan; ``tps_total`` and ``n_desa`` are its own) or ``boundaries`` (a boundary kecamatan
    that no KawalPemilu kecamatan matches by code and name or by re-coding; ``tps_total`` and
    ``n_desa`` are those of the KawalPemilu desa placed in it and of its boundary desa).
    ``linked_kecamatan`` lists the kecamatan of the other side that its placed desa went to / came from.
    """
    kp_kec = dict(zip(kp["kec"]["kode"], kp["kec"]["nama"]))
    bkec = dict(zip(bnd_kec["kode"], bnd_kec["nama"]))
    valid = {k for k in set2025 if len(k) == 8}
    cls = classify(kp_kec, bkec, lambda c: "", lambda b: "", valid)
    placed = joined[joined["placed"]].assign(bkec=lambda x: x["kode"].str[:8])
    kp_g, bnd_g = joined.groupby("kec_kode_kpu"), placed.groupby("bkec")
    def link(s):
        return " ".join(sorted(set(s)))

    went, came = placed.groupby("kec_kode_kpu")["bkec"].agg(link), bnd_g["kec_kode_kpu"].agg(link)
    n_bnd = bnd_desa_codes.str[:8].value_counts()
    rows = []
    for c in sorted(kp_kec):
        cat, b, _ = cls[c]
        if cat == "code+name":
            continue
        rows.append({"side": "kawalpemilu", "kode": c, "nama": kp_kec[c], "category": cat,
                     "kode_other": b or (c if c in bkec else ""), "nama_other": bkec.get(b or c, ""),
                     "tps_total": int(kp_g["tps_total"].sum().get(c, 0)), "n_desa": int(kp_g.size().get(c, 0)),
                     "n_desa_placed": int(placed["kec_kode_kpu"].eq(c).sum()), "linked_kecamatan": went.get(c, "")})
    matched = {b for (cat, b, _) in cls.values() if cat in PLACED}
    for b in sorted(set(bkec) - matched):
        rows.append({"side": "boundaries", "kode": b, "nama": bkec[b],
                     "category": "code_name_differs" if b in kp_kec else "not_in_kawalpemilu",
                     "kode_other": b if b in kp_kec else "", "nama_other": kp_kec.get(b, ""),
                     "tps_total": int(bnd_g["tps_total"].sum().get(b, 0)), "n_desa": int(n_bnd.get(b, 0)),
                     "n_desa_placed": int(bnd_g.size().get(b, 0)), "linked_kecamatan": came.get(b, "")})
    return pd.DataFrame(rows)


def province_summary(joined: pd.DataFrame, prov_names: dict[str, str]) -> pd.DataFrame:
    """Placed / unplaced desa and TPS per province (KawalPemilu province), plus an Indonesia row.

    ``tps_placed + tps_unplaced == tps_total`` in every row (checked by the build).
    """
    j = joined.assign(tps_placed=joined["tps_total"].where(joined["placed"], 0),
                      tps_unplaced=joined["tps_total"].where(~joined["placed"], 0),
                      desa_placed=joined["placed"].astype(int), desa_unplaced=(~joined["placed"]).astype(int),
                      desa_recoded=(joined["category"] == "recoded").astype(int))
    cols = ["desa_placed", "desa_unplaced", "desa_recoded", "tps_reguler", "tps_khusus", "tps_total",
            "tps_placed", "tps_unplaced"]
    per = j.groupby("prov_kode")[cols].sum().reset_index()
    per.insert(1, "provinsi", per["prov_kode"].map(prov_names))
    per.insert(2, "desa_kpu", per["desa_placed"] + per["desa_unplaced"])
    total = per[cols + ["desa_kpu"]].sum().to_frame().T.assign(prov_kode="ID", provinsi="Indonesia")
    out = pd.concat([per, total[per.columns]], ignore_index=True)
    out["tps_share_placed"] = (out["tps_placed"] / out["tps_total"]).round(4)
    return out

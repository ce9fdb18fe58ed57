"""Every statement of the reader reports is true for the scope it describes (#22, item 3).

The Indonesian batch of all of DKI Jakarta, Jakarta Selatan and Kepulauan Seribu is run once
(tests/reader_batch.py).  Each text of a report's lead, key figures and sections (headings, paragraphs,
table captions, map texts) is parsed back into the label templates it was built from
(``helpers.core.labels``: a template's ``{placeholders}`` become the values read back, a text made of
several templates is split at its sentences); then each template's check in :data:`CHECKS` compares the
values read back with values computed here from the data -- ``data/processed/*.csv`` with pandas and the
official counts (44 kecamatan, 267 kelurahan, 30,766 TPS, 8,252,897 DPT; Kepulauan Seribu 2 kecamatan,
6 kelurahan) -- or, for what only the run measures (straight-line distances, the planning models), with
aggregates recomputed here from the run's per-row CSV tables, never with the helper that wrote the
sentence.  Completeness: a template found in a report that is in neither :data:`CHECKS` nor
:data:`STATIC` (templates without a computed value, listed by name) fails the test, and so does a text
that no template makes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis.sea import SEA_TOLERANCE_M
from helpers.core.text import LABELS

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[1]
PROCESSED = ROOT / "data" / "processed"


# ---------------------------------------------------------------------------------------------
# parsing a report's texts back into templates
# ---------------------------------------------------------------------------------------------
def _template_regex(template: str) -> re.Pattern:
    out, seen = [], set()
    for part in re.split(r"(\{[a-z_0-9]+\})", template):
        m = re.fullmatch(r"\{([a-z_0-9]+)\}", part)
        if m:
            name = m.group(1)
            # a value never spans a sentence end: a text of several sentences is several templates
            out.append(f"(?P={name})" if name in seen else rf"(?P<{name}>(?:(?!\. ).)*?)")
            seen.add(name)
        else:
            out.append(re.escape(part))
    return re.compile("".join(out), re.S)


TEMPLATES = {key: _template_regex(pair[0]) for key, pair in LABELS.items()}
#: The label prefixes of each report, preferred when a text matches templates of several reports.
PREFIXES = {"01-recap-sites-map": ("rs_", "st_rs_"), "02-coverage-gaps": ("cg_", "st_cg_", "wh_"),
            "03-site-planning": ("sp_", "st_sp_"), "05-recap-operations": ("op_",), "data-quality": ("dq_",)}


def _literal_length(key: str) -> int:
    return len(re.sub(r"\{[a-z_0-9]+\}", "", LABELS[key][0]))


def match_one(words: str, prefixes: tuple[str, ...]) -> tuple[str, dict] | None:
    """The template that makes ``words`` (the report's own first, then the most specific) and its values."""
    found = []
    # a key figure may show a sub-row label without its dash, or a label with a capital
    for candidate in dict.fromkeys((words, words[:1].upper() + words[1:], "– " + words)):
        for key, rx in TEMPLATES.items():
            m = rx.fullmatch(candidate)
            if m:  # of templates making the same text, the one with a check
                found.append((not key.startswith(prefixes), -_literal_length(key), key not in CHECKS, key,
                              m.groupdict()))
    if not found:
        return None
    found.sort(key=lambda f: f[:4])
    return found[0][3], found[0][4]


def parse(words: str, prefixes: tuple[str, ...]) -> list[tuple[str, dict]] | None:
    """``words`` as a sequence of templates joined by spaces at sentence ends, or None; a value that is
    itself a sentence of a template (the outage sentence of the planning lead; a sentence, so ending with a
    full stop, not a list of names) is parsed as well."""
    found = _parse(words, prefixes)
    for _, values in list(found or []):
        for value in values.values():
            inner = match_one(value, prefixes) if len(value) > 40 and value.endswith(".") else None
            if inner:
                found.append(inner)
    return found


def _parse(words: str, prefixes: tuple[str, ...]) -> list[tuple[str, dict]] | None:
    whole = match_one(words, prefixes)
    if whole:
        return [whole]
    cuts = [m.end() for m in re.finditer(r"[.!?] ", words)]
    starts = [0] + cuts
    best: dict[int, list] = {0: []}
    for i in starts:
        if i not in best:
            continue
        for j in [c for c in cuts if c > i] + [len(words) + 1]:
            piece = words[i:j - 1] if j <= len(words) else words[i:]
            m = match_one(piece, prefixes)
            if m and (j not in best or len(best[j]) > len(best[i]) + 1):
                best[j] = best[i] + [m]
    return best.get(len(words) + 1)


def texts(spec: dict):
    """(where, text, figure value or None) of the lead, the key figures and the section texts (a block's
    field left empty is no text)."""
    for where, words, value in _texts(spec):
        if isinstance(words, str) and words.strip():
            yield where, words, value


def _texts(spec: dict):
    yield "lead", spec["lead"], None
    for f in spec["figures"]:
        yield "figure", f["label"], f["value"]
    for section in spec["sections"]:
        yield "heading", section["heading"], None
        for b in section["blocks"]:
            if b["type"] == "paragraph":
                yield "paragraph", b["text"], None
            elif b["type"] == "table" and b.get("caption"):
                yield "caption", b["caption"], None
            elif b["type"] == "map":
                yield "map", b["title"], None
                yield "map", b["text"], None
            elif b["type"] == "image":
                yield "image", b["caption"], None
            elif b["type"] == "files":
                yield "files", b["text"], None


# ---------------------------------------------------------------------------------------------
# the truth, computed here
# ---------------------------------------------------------------------------------------------
def num(words: str) -> float:
    """An Indonesian number ('30.766', '98,8 %', '1,6 km', '0,050 Mbps') as a float."""
    m = re.fullmatch(r"\s*(-?[\d.]+(?:,\d+)?)\s*(?:%|km|Mbps)?\s*", words)
    assert m, f"not an Indonesian number: {words!r}"
    return float(m.group(1).replace(".", "").replace(",", "."))


@dataclass
class Truth:
    """What is true of one scope, from the data (and, for what the run measures, its per-row tables)."""

    slug: str
    name: str
    prefix: str
    out: Path

    def csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.out / name, dtype={"kode": str, "kecamatan_kode": str, "kota_kode": str})

    def _in(self, df: pd.DataFrame, col: str = "kota_kode") -> pd.DataFrame:
        return df[df[col].astype(str).str.startswith(self.prefix)]

    @property
    def sites(self) -> pd.DataFrame:
        return self._in(pd.read_csv(PROCESSED / "recap_sites.csv", dtype=str))

    @property
    def tps(self) -> pd.DataFrame:
        return self._in(pd.read_csv(PROCESSED / "tps_kelurahan.csv", dtype={"kota_kode": str, "kecamatan_kode": str}))

    @property
    def dpt(self) -> int:
        return int(self._in(pd.read_csv(PROCESSED / "dpt_kota.csv", dtype={"kota_kode": str}))["dpt"].sum())

    @property
    def press(self) -> pd.DataFrame:
        """Press-reported venues and warehouses of Pemilu 2024 (not Pilkada) of the scope, without coordinates."""
        p = pd.read_csv(PROCESSED / "facilities_press_reported.csv", dtype=str)
        p = p[p["pemilu_2024"].str.lower().eq("true") & p["position_known"].str.lower().ne("true")]
        return p if self.slug == "dki" else p[p["kota"] == self.name]

    @property
    def approx(self) -> pd.Series:
        return self.sites["approximate"].str.lower().eq("true")

    @property
    def load(self) -> pd.Series:
        """TPS per PPK site: the TPS of its kecamatan's kelurahan (one site per kecamatan here)."""
        return self.tps.groupby("kecamatan_kode")["tps_total"].sum()

    @property
    def mainland(self) -> pd.DataFrame:
        k = self.csv("coverage-kelurahan.csv")
        return k[~k["sea_crossing"].astype(bool) & k["site_id"].notna()]


SCOPE_TRUTH = {"dki": ("DKI Jakarta", "31"), "jakarta-selatan": ("Jakarta Selatan", "31.74"),
               "kepulauan-seribu": ("Kepulauan Seribu", "31.01")}
#: Notebook defaults the sentences state: coverage distance limit (km), overload ratio, planning radius (km)
#: and points asked for, the recapitulation pace (panels, TPS per panel a day) and the PPK window.
MAX_KM, OVERLOAD, RADIUS_KM, P_ASKED, PANELS, PACE = 5, 1.5, 2, 10, 5, 10
WINDOW = (dt.date(2024, 2, 15), dt.date(2024, 3, 2))
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def date_id(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass
class Ctx:
    """One statement: the scope's truth, the values read back and (for a key figure) the figure's value."""

    t: Truth
    v: dict
    value: str | None
    report: str

    def n(self, name: str) -> float:
        if name == "value" and self.value is None:
            raise NoValue  # a key figure's label used as a heading or a caption: no value stated there
        return num(self.v[name] if name != "value" else self.value)


class NoValue(Exception):
    """A figure's check called on the same words used as a heading (no value to check)."""


def eq(actual, expected, what: str, tol: float = 0.0):
    assert abs(float(actual) - float(expected)) <= tol + 1e-9, f"{what}: the report says {actual}, the data {expected}"


# ---------------------------------------------------------------------------------------------
# one check per template
# ---------------------------------------------------------------------------------------------
def _sites(c: Ctx, name="value"):
    eq(c.n(name), len(c.t.sites), "PPK sites")


def _rs_lead(c: Ctx):
    assert c.v["scope"] == c.t.name
    _sites(c, "n")
    eq(c.n("n_internet"), c.t.sites["internet"].str.lower().eq("true").sum(), "sites with internet")
    eq(c.n("n_approx"), c.t.approx.sum(), "approximate sites")


def _venues(c: Ctx):
    eq(c.n("value"), c.t.sites["venue_status"].isin(["held", "agreed"]).sum(), "venues a source names")


def _press(c: Ctx, name="value"):
    eq(c.n(name), len(c.t.press), "press-reported venues/warehouses without coordinates")


def _approx_text(c: Ctx):
    assert c.v["scope"] == c.t.name and c.t.approx.any()
    _sites(c, "n")


def _kec(c: Ctx, name="value"):
    eq(c.n(name), c.t.tps["kecamatan_kode"].nunique(), "kecamatan")


def _tps(c: Ctx, name="value"):
    eq(c.n(name), c.t.tps["tps_total"].sum(), "TPS")


def _tps_mean(c: Ctx, name="value"):
    eq(c.n(name), round(c.t.tps["tps_total"].sum() / len(c.t.sites), 1), "mean TPS per site")


def _tps_max(c: Ctx, name="value"):
    eq(c.n(name), c.t.load.max(), "most TPS at one site")


def _without_site(c: Ctx, name="value"):
    eq(c.n(name), len(set(c.t.tps["kecamatan_kode"]) - set(c.t.sites["kecamatan_kode"])), "kecamatan without a site")


def _dist(q: float | None):
    def check(c: Ctx, name="value"):
        d = c.t.mainland["distance_m"] / 1000
        eq(c.n(name), round(d.max() if q is None else d.quantile(q), 1), f"distance {q or 'max'}")
    return check


def _beyond(c: Ctx, name="value"):
    if "t" in c.v:
        eq(num(c.v["t"]), MAX_KM, "distance limit")
    eq(c.n(name), (c.t.mainland["distance_m"] > MAX_KM * 1000).sum(), "kelurahan beyond the limit")


def _within(c: Ctx):
    eq(num(c.v["t"]), MAX_KM, "distance limit")
    k = c.t.mainland
    eq(c.n("value"), round(100 * k.loc[k["distance_m"] <= MAX_KM * 1000, "tps_total"].sum() / k["tps_total"].sum(), 1),
       "share of mainland TPS within the limit")


def _overloaded(c: Ctx):
    load = c.t.load.rename("load").reset_index()
    load["kota"] = load["kecamatan_kode"].str[:5]
    ratio = load["load"] / load.groupby("kota")["load"].transform("mean")
    eq(c.n("value"), (ratio > OVERLOAD).sum(), "overloaded sites (load > 1.5 x the kota mean)")


def _gap_kind(kind: str):
    def check(c: Ctx):
        eq(c.n("value"), c.t.csv("coverage-gaps.csv")["kind"].eq(kind).sum(), f"gaps of kind {kind}")
    return check


def _gaps(c: Ctx, name="value"):
    eq(c.n(name), len(c.t.csv("coverage-gaps.csv")), "gaps")


def _cg_summary(c: Ctx):
    assert c.v["scope"] == c.t.name
    _kec(c, "kec"), _sites(c, "sites"), _tps(c, "tps"), _tps_mean(c, "mean"), _tps_max(c, "max")
    _without_site(c, "without")
    eq(c.n("internet"), c.t.sites["internet"].str.lower().eq("true").sum(), "sites with internet")
    eq(c.n("known"), (~c.t.approx).sum(), "sites with a known position")
    eq(c.n("venues"), c.t.sites["venue_status"].isin(["held", "agreed"]).sum(), "venues a source names")


def _cg_mainland(c: Ctx):
    _dist(0.5)(c, "median"), _dist(0.95)(c, "p95"), _dist(None)(c, "far"), _beyond(c, "beyond")


def _cg_sea(c: Ctx):
    eq(c.n("n"), c.t.csv("coverage-kelurahan.csv")["sea_crossing"].astype(bool).sum(), "island kelurahan")
    eq(c.n("n"), 6, "island kelurahan (all 6 kelurahan of Kepulauan Seribu)")


def _cg_gaps(c: Ctx):
    _gaps(c, "n")
    eq(c.n("kinds"), c.t.csv("coverage-gaps.csv")["kind"].nunique(), "kinds of gap")


# planning (notebook 03): the models' results read from the run's per-kelurahan tables
def _kel_status(c: Ctx, *status) -> float:
    k = c.t.csv("planning-kelurahan.csv")
    return round(100 * k.loc[k["status"].isin(status), "tps_total"].sum() / c.t.tps["tps_total"].sum(), 1)


def _points(c: Ctx, name="value"):
    n_new = len(c.t.csv("planning-new-points.csv"))
    eq(c.n(name), n_new, "new points placed")
    assert n_new <= P_ASKED


def _down(c: Ctx, name="value"):
    words = c.v[name] if name != "value" else c.value
    m = re.fullmatch(r"(.+) \((PPK-[\d.]+)\)", words)
    assert m, words
    site = c.t.sites.set_index("site_id").loc[m.group(2)]
    assert site["kecamatan"] == m.group(1), f"{words}: site {m.group(2)} is in {site['kecamatan']}"


def _lost(c: Ctx, what: str, name="value"):
    o = c.t.csv("planning-outage.csv")
    lost = o[o["loses_coverage"].astype(bool)]
    eq(c.n(name), len(lost) if what == "kel" else lost["tps_total"].sum(), f"{what} cut off")


def _sp_lead(c: Ctx):
    eq(num(c.v["r"]), RADIUS_KM, "radius")
    eq(c.n("before"), _kel_status(c, "covered_before"), "TPS covered now (%)")
    eq(c.n("after"), _kel_status(c, "covered_before", "newly_covered"), "TPS covered with the new points (%)")
    _points(c, "p")
    eq(c.n("backup"), len(c.t.csv("planning-backup-points.csv")), "backup points")
    eq(c.n("unreach"), len(c.t.csv("planning-backup-unreachable.csv")), "kelurahan that cannot reach two sites")
    k = c.t.csv("planning-kelurahan.csv")  # "not even with every candidate point"
    eq(c.n("unreach"), (k["sites_within_radius"] + k["candidates_within_radius"] < 2).sum(),
       "kelurahan with fewer than two sites and candidates within the radius")


def _sp_lead_outage(c: Ctx):
    _down(c, "down"), _lost(c, "kel", "k"), _lost(c, "tps", "t")


def _candidates(c: Ctx):
    n = c.n("value")
    if c.t.slug == "kepulauan-seribu":  # BIG RBI has no office point on the islands
        eq(n, 0, "candidate points in Kepulauan Seribu")
    else:
        assert n > 0
    eq(n, json.loads((c.t.out / "03-site-planning.figures.json").read_text())["candidates"], "candidates")


def _unreach(c: Ctx):
    n_unreach = len(c.t.csv("planning-backup-unreachable.csv"))
    eq(c.n("value"), n_unreach, "kelurahan that cannot reach two sites")
    if c.t.slug == "kepulauan-seribu":  # six islands, at most one site and no candidate on each
        eq(n_unreach, 6, "Kepulauan Seribu's kelurahan that cannot reach two sites")


def _fallback_max(c: Ctx):
    """The farthest fallback of every kelurahan whose site goes down; a line across the sea said so."""
    if c.value is None:
        raise NoValue
    o = c.t.csv("planning-outage.csv")
    far = o.loc[o["fallback_km"].idxmax()]
    sea = bool(far["sea_crossing"])
    words = c.value.removesuffix(" (garis lurus melintasi laut)")
    assert (words != c.value) == sea, f"{c.value}: the farthest fallback {'crosses' if sea else 'does not cross'} the sea"
    eq(num(words), round(far["fallback_km"], 1), "farthest fallback")


# recapitulation operations (notebook 05): days = ceil(TPS / (panels x pace)) per kecamatan, window 17 days
def _days(c: Ctx) -> pd.Series:
    return (c.t.load / (PANELS * PACE)).apply(math.ceil)


def _window_days() -> int:
    return (WINDOW[1] - WINDOW[0]).days + 1


def _names(c: Ctx) -> dict:
    return c.t.tps.drop_duplicates("kecamatan_kode").set_index("kecamatan_kode")["kecamatan"].to_dict()


def _op_lead(c: Ctx):
    assert c.v["scope"] == c.t.name and c.v["election"] == "Pemilu 2024"
    _sites(c, "sites"), _tps(c, "tps")
    assert (c.v["start"], c.v["end"]) == (date_id(WINDOW[0]), date_id(WINDOW[1]))
    eq(c.n("wdays"), _window_days(), "window days")


def _op_pace(c: Ctx):
    eq(c.n("panels"), PANELS, "panels"), eq(c.n("pace"), PACE, "TPS per panel a day")
    assert c.v["basis"] == "yang dilaporkan"


def _op_longest(c: Ctx):
    days, names = _days(c), _names(c)
    top = days.idxmax()
    assert c.v["top"] == names[top], f"longest: {c.v['top']} != {names[top]}"
    eq(c.n("days"), days.max(), "days of the longest")
    assert c.v["finish"] == date_id(WINDOW[0] + dt.timedelta(days=int(days.max()) - 1))


def _op_late(c: Ctx):
    _op_pace(c), _op_longest(c)
    days, names, w = _days(c), _names(c), _window_days()
    late = days[days > w]
    eq(c.n("miss"), len(late), "sites late")
    said = dict(re.findall(r"([^,()]+?) \((\d+)\)", c.v["names"]))
    assert {k.strip(): int(v) for k, v in said.items()} == {names[k]: int(d) for k, d in late.items()}
    short = sum(math.ceil(c.t.load[k] / (PACE * w)) - PANELS for k in late.index)
    eq(c.n("short"), short, "extra panels")


def _op_on_time(c: Ctx):
    _op_pace(c), _op_longest(c)
    assert (_days(c) <= _window_days()).all()


def _op_sites_csv(c: Ctx) -> pd.DataFrame:
    s = c.t.csv("operations-sites.csv")
    return s[s["election"] == "pemilu2024"]


def _op_internet(c: Ctx):
    s = _op_sites_csv(c)
    eq(c.n("avg"), s["mbps_avg_central"].median(), "median mean Mbps", tol=0.006)
    eq(c.n("peak"), s["mbps_peak_central"].median(), "median peak Mbps", tol=0.006)
    eq(c.n("low"), s["mbps_peak_low"].min(), "lowest peak Mbps", tol=0.006)
    eq(c.n("high"), s["mbps_peak_high"].max(), "highest peak Mbps", tol=0.006)
    eq(c.n("link"), 20, "usual link Mbps"), eq(c.n("over"), (s["mbps_peak_central"] > 20).sum(), "sites over the link")


def _op_fig(kind: str):
    def check(c: Ctx):
        days, w = _days(c), _window_days()
        if kind == "miss":
            eq(c.n("value"), (days > w).sum(), "sites late")
        elif kind == "short":
            eq(c.n("value"), sum(math.ceil(c.t.load[k] / (PACE * w)) - PANELS for k in days[days > w].index), "panels")
        elif kind == "days_max":
            m = re.fullmatch(r"(\d+) \((.+)\)", c.value)
            assert m and int(m.group(1)) == days.max() and m.group(2) == _names(c)[days.idxmax()], c.value
        elif kind == "window":
            assert c.value == f"{date_id(WINDOW[0])} – {date_id(WINDOW[1])} ({_window_days()} hari)", c.value
        elif kind == "pace":
            assert c.value == f"{PANELS} panel × {PACE} TPS/hari", c.value
        elif kind == "over":
            eq(c.n("value"), (_op_sites_csv(c)["mbps_peak_central"] > 20).sum(), "sites over the link")
        elif kind == "avg":
            eq(c.n("value"), _op_sites_csv(c)["mbps_avg_central"].median(), "median mean Mbps", tol=0.006)  # shown with 2 decimals, as in the lead
        elif kind == "peak":
            s = _op_sites_csv(c)
            m = re.fullmatch(r"([\d,]+) Mbps \(([\d,]+)–([\d,]+)\)", c.value)
            assert m, c.value
            eq(num(m.group(1)), s["mbps_peak_central"].median(), "median peak", tol=0.006)
            eq(num(m.group(2)), s["mbps_peak_low"].min(), "lowest peak", tol=0.006)
            eq(num(m.group(3)), s["mbps_peak_high"].max(), "highest peak", tol=0.006)
    return check


def _dq_demand_rep(c: Ctx):
    k = c.t.csv("coverage-kelurahan.csv")
    eq(c.n("value"), k["position_source"].eq("representative_point").sum(), "kelurahan at a representative point")


# the national overview (notebook 04, all of Indonesia): data/processed/national and the run's tables
NATIONAL = ROOT / "data" / "processed" / "national"


@dataclass
class NationalTruth:
    """What is true of all of Indonesia: the national layer (its join summary per province, its desa with
    their TPS) and, for what only the run measures, its per-row tables."""

    out: Path
    slug: str = "national"
    name: str = "Indonesia"

    def csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.out / name, dtype={"kode": str, "kecamatan_kode": str, "kabkota_kode": str})

    @property
    def join(self) -> pd.DataFrame:
        j = pd.read_csv(NATIONAL / "join_summary.csv", dtype={"prov_kode": str})
        return j[j["prov_kode"].str.fullmatch(r"\d{2}")]  # the provinces, not the total row

    @property
    def load(self) -> pd.Series:
        """TPS per PPK site (one per kecamatan): the TPS of its kecamatan's desa placed on the map."""
        d = pd.read_parquet(NATIONAL / "desa_tps.parquet", columns=["kecamatan_kode", "kecamatan", "kabkota",
                                                                     "tps_total"])
        return d.groupby(["kecamatan_kode", "kecamatan", "kabkota"])["tps_total"].sum()


def _ov_value(c: Ctx, name: str, expected, what: str, tol: float = 0.0):
    eq(c.n(name), expected, what, tol)


def _ov_lead(c: Ctx):
    t, load = c.t, c.t.load
    assert c.v["scope"] == "Indonesia"
    n_kec = len(pd.read_parquet(NATIONAL / "kecamatan.parquet", columns=["kode"]))
    eq(n_kec, 7285, "kecamatan of Indonesia (Kemendagri 2025)")
    placed, kpu = t.join["tps_placed"].sum(), t.join["tps_total"].sum()
    eq(kpu, 820161, "TPS of Pemilu 2024 (KPU, via KawalPemilu)")
    for name, expected in (("kec", n_kec), ("sites", n_kec), ("desa", t.join["desa_placed"].sum()), ("tps", placed),
                           ("kpu", kpu), ("un_tps", kpu - placed), ("un_desa", t.join["desa_unplaced"].sum()),
                           ("mean", round(placed / n_kec, 1)), ("max", load.max())):
        _ov_value(c, name, expected, name)
    eq(c.n("share"), round(100 * placed / kpu, 1), "share of the TPS placed")
    assert c.v["top"] == f"{load.idxmax()[1]}, {load.idxmax()[2]}", c.v["top"]
    eq(c.n("far"), round(t.csv("overview-ppk-sites.csv")["distance_max_km"].max(), 1), "farthest desa")
    sea = t.csv("overview-sea-crossing.csv")
    sea = sea[sea["sea_crossing"].astype(bool) & (sea["tps"] > 0)]
    eq(c.n("sea"), len(sea), "desa with TPS whose line crosses the sea")
    eq(c.n("sea_tps"), sea["tps"].sum(), "their TPS")


def _op_nat(c: Ctx):
    """Days = ceil(TPS / (5 panels x pace)), pace 10 TPS a day in DKI (sourced) and 8 elsewhere (assumed)."""
    s = c.t.csv("overview-operations-sites.csv")
    pem = s[s["election"] == "pemilu2024"]
    pace = pem["kecamatan_kode"].str.startswith("31.").map({True: 10, False: 8})
    days = (pem["tps"] / (5 * pace)).apply(math.ceil)
    late = pem[days > 17]
    eq(c.n("sites"), len(pem), "PPK sites"), eq(c.n("miss"), len(late), "sites late (Pemilu)")
    eq(c.n("days"), days.max(), "longest (days)"), eq(c.n("kab"), late["kabkota_kode"].nunique(), "kab/kota late")
    short = sum(math.ceil(tps / (p * 17)) - 5 for tps, p in zip(late["tps"], pace[days > 17]))
    eq(c.n("short"), short, "extra panels")
    pil = s[s["election"] == "pilkada2024"]
    eq(c.n("miss_p"), (pil["days_needed"] > pil["window_days"]).sum(), "sites late (Pilkada)")
    eq(c.n("peak"), pem["mbps_peak_central"].max(), "largest peak Mbps", tol=0.006)
    eq(c.n("bw"), pem.loc[pem["mbps_peak_central"] > 20, "kabkota_kode"].nunique(), "kab/kota over the link")
    eq(c.n("high"), pem["mbps_peak_high"].max(), "highest peak Mbps", tol=0.006)
    eq(c.n("bw_high"), pem.loc[pem["mbps_peak_high"] > 20, "kabkota_kode"].nunique(), "kab/kota over it, high")


def _ov_fig(kind: str):
    def check(c: Ctx):
        t = c.t
        placed, n_kec = t.join["tps_placed"].sum(), len(t.load)
        expected = {"kec": n_kec, "desa": t.join["desa_placed"].sum(), "tps": placed,
                    "unplaced": t.join["tps_total"].sum() - placed, "mean": round(placed / n_kec, 1),
                    "max": t.load.max(), "max_mean": round(t.load.max() / (placed / n_kec), 1),
                    "far": round(t.csv("overview-ppk-sites.csv")["distance_max_km"].max(), 1)}[kind]
        eq(c.n("value"), expected, kind)
    return check


def _ov_sea_fig(c: Ctx):
    sea = c.t.csv("overview-sea-crossing.csv")
    eq(c.n("value"), (sea["sea_crossing"].astype(bool) & (sea["tps"] > 0)).sum(), "desa whose line crosses the sea")


def _sea_rule(key: str):
    """The sea rule's tolerance the text states (its "1 km") is the one the analysis applies."""
    def check(c: Ctx):
        km = re.findall(r"(\d+) km", LABELS[key][0])
        assert km and all(float(k) * 1000 == SEA_TOLERANCE_M for k in km), (key, km, SEA_TOLERANCE_M)
    return check


def _ov_programme(c: Ctx):
    eq(c.n("sites"), len(c.t.load), "sites of a DKI-like programme")
    eq(c.n("tps"), c.t.join["tps_placed"].sum(), "their TPS")


#: ``template key: check``; every template with a computed value found in a report must be here.
CHECKS = {
    # notebook 01
    "rs_lead": _rs_lead, "rs_sites": _sites, "cg_sites": _sites, "op_fig_sites": _sites,
    "rs_known": lambda c: eq(c.n("value"), (~c.t.approx).sum(), "known positions"),
    "rs_approx": lambda c: eq(c.n("value"), c.t.approx.sum(), "approximate positions"),
    "rs_internet": lambda c: eq(c.n("value"), c.t.sites["internet"].str.lower().eq("true").sum(), "internet"),
    "cg_sites_internet": lambda c: eq(c.n("value"), c.t.sites["internet"].str.lower().eq("true").sum(), "internet"),
    "rs_venues_confirmed": _venues, "cg_venues_confirmed": _venues, "rs_tps": _tps,
    "rs_press": _press,
    "rs_press_text": lambda c: _press(c, "n"),
    "st_rs_approx_text": _approx_text,
    "rs_no_approx": lambda c: eq(c.t.approx.sum(), 0, "approximate sites"),
    # notebook 02
    "st_cg_summary": _cg_summary, "st_cg_summary_mainland": _cg_mainland, "st_cg_summary_sea": _cg_sea,
    "st_cg_summary_gaps": _cg_gaps,
    "cg_kecamatan": _kec, "cg_tps": _tps, "op_fig_tps": _tps, "cg_dpt": lambda c: eq(c.n("value"), c.t.dpt, "DPT"),
    "cg_sites_known": lambda c: eq(c.n("value"), (~c.t.approx).sum(), "known positions"),
    "cg_without_site": _without_site, "cg_tps_mean": _tps_mean, "cg_tps_max": _tps_max,
    "cg_dist_median": _dist(0.5), "cg_dist_p95": _dist(0.95), "cg_dist_max": _dist(None),
    "cg_beyond": _beyond, "cg_within": _within, "cg_overloaded": _overloaded,
    "cg_weak": _gap_kind("weak_fallback"), "cg_gaps": _gaps, "cg_gap_text": lambda c: _gaps(c, "n"),
    # notebook 03
    "st_sp_lead": _sp_lead, "sp_lead_outage": _sp_lead_outage,
    "sp_radius": lambda c: eq(c.n("value"), RADIUS_KM, "radius"),
    "sp_candidates": _candidates,
    "sp_before": lambda c: eq(c.n("value"), _kel_status(c, "covered_before"), "TPS covered now (%)"),
    "sp_after": lambda c: eq(c.n("value"), _kel_status(c, "covered_before", "newly_covered"), "TPS covered after (%)"),
    "sp_points": _points,
    "sp_newly": lambda c: eq(c.n("value"), c.t.csv("planning-kelurahan.csv")["status"].eq("newly_covered").sum(),
                             "kelurahan newly covered"),
    "sp_backup": lambda c: eq(c.n("value"), len(c.t.csv("planning-backup-points.csv")), "backup points"),
    "sp_unreach": _unreach,
    "sp_down": _down, "sp_scenario": lambda c: _down(c, "down"),
    "sp_lost_kel": lambda c: _lost(c, "kel"), "sp_lost_tps": lambda c: _lost(c, "tps"),
    "sp_fallback_max": _fallback_max,
    "sp_mclp": lambda c: (_points(c, "n"), eq(c.n("p"), P_ASKED, "points asked for")),
    "sp_no_candidates": lambda c: eq(len(c.t.csv("planning-new-points.csv")), 0, "new points without candidates"),
    "sp_none_not_covered": lambda c: eq(c.t.csv("planning-kelurahan.csv")["status"].eq("not_covered").sum(), 0,
                                        "kelurahan not covered"),
    # notebook 05
    "op_lead": _op_lead, "op_lead_late": _op_late, "op_lead_on_time": _op_on_time, "op_lead_internet": _op_internet,
    "op_fig_miss": _op_fig("miss"), "op_fig_panels_short": _op_fig("short"), "op_fig_days_max": _op_fig("days_max"),
    "op_fig_window": _op_fig("window"), "op_fig_pace": _op_fig("pace"), "op_fig_over_link": _op_fig("over"),
    "op_fig_avg": _op_fig("avg"), "op_fig_peak": _op_fig("peak"),
    # the national overview
    "ov_lead": _ov_lead, "op_nat_text": _op_nat, "ov_programme_text": _ov_programme,
    "ov_kecamatan": _ov_fig("kec"), "ov_programme_sites": _ov_fig("kec"), "ov_desa": _ov_fig("desa"),
    "ov_tps": _ov_fig("tps"), "ov_programme_tps": _ov_fig("tps"), "ov_tps_unplaced": _ov_fig("unplaced"),
    "ov_tps_mean": _ov_fig("mean"), "ov_tps_max": _ov_fig("max"), "ov_max_mean": _ov_fig("max_mean"),
    "ov_dist_max": _ov_fig("far"), "ov_sea": _ov_sea_fig,
    "ov_sea_text": _sea_rule("ov_sea_text"), "ov_sea_limits": _sea_rule("ov_sea_limits"),
    # the data-quality page
    "dq_sites_approx": lambda c: eq(c.n("value"), c.t.approx.sum(), "approximate sites"),
    "dq_venue_confirmed": _venues, "dq_demand_rep": _dq_demand_rep,
}

#: Templates that state no computed value (headings, how things are measured, map legends in words),
#: by name: a new template is in neither table and fails :func:`test_every_template_is_checked`.
STATIC = {
    "rs_map", "rs_map_title", "rs_map_text", "rs_approx_heading", "rs_all_heading",
    "cg_measures", "cg_measures_text", "cg_gap_list", "cg_by_kind", "cg_charts", "cg_chart_load",
    "cg_chart_distance", "cg_sea", "cg_sea_text", "cg_map", "cg_map_text", "cg_files", "cg_files_text", "wh_section",
    "wh_none",
    "sp_mclp_text", "sp_new_points", "sp_not_covered", "sp_backup_heading", "sp_backup_text", "sp_backup_points",
    "sp_unreach_heading", "sp_outage_heading", "sp_single_text", "sp_single", "sp_kota", "sp_map", "sp_map_text",
    "op_method", "op_method_text", "op_internet_text", "op_per_kota", "op_per_kota_text", "op_sites", "op_sites_text",
    "op_internet", "op_scenarios_text", "op_elections", "op_elections_text", "op_checks",
    "op_checks_text", "op_parameters", "op_parameters_text", "op_map", "op_map_text", "op_file_internet",
    "op_file_precedents",
    "dq_lead", "dq_table", "dq_bases", "dq_basis_office", "dq_basis_user", "dq_basis_approx", "dq_sources",
    "dq_sources_lead",
}
#: Templates of the national overview that state no computed value.
STATIC |= {"ov_method", "ov_method_text", "ov_per_provinsi", "ov_per_kabkota", "ov_per_kabkota_text", "ov_loaded",
           "ov_loaded_text", "ov_remote", "ov_remote_text", "ov_programme", "ov_no_cost", "ov_unplaced_text",
           "op_nat_heading", "op_nat_method", "ov_map", "ov_map_text"}
#: Figures measured only by the run: the distances of all 83,362 desa (the run writes per site, not per desa).
MEASURED = {"ov_dist_median", "ov_dist_p95"}
#: Templates whose numbers are quoted facts of the world, checked against their sources elsewhere
#: (tests/test_operations_data.py: the sourced parameters table), not per scope.
QUOTED = {"op_estimated_text", "op_precedents_text", "dq_basis_venue", "op_nat_estimated"}


# ---------------------------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def report(tmp_path_factory, reader_batch) -> Path:
    return reader_batch.indonesian_batch(tmp_path_factory.getbasetemp())


def _statements(report: Path):
    """(scope slug, report name, where, text, figure value, parsed templates or None) of every report."""
    for slug in SCOPE_TRUTH:
        found = sorted((report / slug).glob("*.report.json"))
        assert {p.name.removesuffix(".report.json") for p in found} >= set(PREFIXES), f"{slug}: reports missing"
        for spec_path in found:
            name = spec_path.name.removesuffix(".report.json")
            spec = json.loads(spec_path.read_text(encoding="utf-8"))
            for where, words, value in texts(spec):
                yield slug, name, where, words, value, parse(words, PREFIXES.get(name, ()))


def test_official_counts():
    """The data the checks use hold the official counts (KPU DKI, BPS/Kemendagri)."""
    dki = Truth("dki", "DKI Jakarta", "31", Path("."))
    seribu = Truth("kepulauan-seribu", "Kepulauan Seribu", "31.01", Path("."))
    assert (dki.tps["kecamatan_kode"].nunique(), len(dki.tps), int(dki.tps["tps_total"].sum()), dki.dpt) == (
        44, 267, 30766, 8252897)
    assert (seribu.tps["kecamatan_kode"].nunique(), len(seribu.tps)) == (2, 6)
    assert len(dki.sites) == 44


def test_every_text_is_made_of_templates(report):
    """Every text of a lead, a key figure or a section is one template or sentences of templates."""
    loose = [f"{slug}/{name} {where}: {words[:160]!r}" for slug, name, where, words, _, parsed in _statements(report)
             if parsed is None]
    assert not loose, "texts no label template makes:\n" + "\n".join(loose)


def test_every_template_is_checked(report):
    """Completeness: each template found in the reports has its check (or is named as stating nothing)."""
    found = {key for *_, parsed in _statements(report) for key, _ in parsed or []}
    missing = sorted(found - set(CHECKS) - STATIC - QUOTED)
    assert not missing, f"templates in the reports without a check in tests/test_statements.py: {missing}"
    numbered = [k for k in STATIC if re.search(r"\{|\d", re.sub(r"^\d · |2024", "", LABELS[k][0]))]
    assert not numbered, f"STATIC templates with a value (a section number or the year aside): {numbered}"


def test_every_statement_is_true_for_its_scope(report):
    """Each statement's numbers and names against the values computed here, in all three scopes."""
    wrong, checked = [], set()
    for slug, name, where, words, value, parsed in _statements(report):
        truth = Truth(slug, *SCOPE_TRUTH[slug], report / slug)
        for key, values in parsed or []:
            check = CHECKS.get(key)
            if check is None:
                continue
            try:
                check(Ctx(truth, values, value if where == "figure" else None, name))
                checked.add((slug, key))
            except NoValue:
                continue
            except AssertionError as e:
                wrong.append(f"{slug}/{name} [{key}] {words[:140]!r} = {value!r}: {e}")
    assert not wrong, "statements not true for their scope:\n" + "\n".join(wrong)
    for slug in SCOPE_TRUTH:  # the checks ran in every scope, on every report
        wanted = {"rs_lead", "st_cg_summary", "st_sp_lead", "sp_lead_outage", "op_lead", "dq_sites_approx"}
        assert wanted <= {k for s, k in checked if s == slug}, slug


@pytest.fixture(scope="module")
def national(tmp_path_factory, reader_batch) -> Path:
    return reader_batch.batch_report(tmp_path_factory.getbasetemp(), "--kota", "national", "--pdf")


def test_national_overview_statements(national):
    """The national overview's lead, figures and sections: every text made of templates, every template
    checked (or named as stating nothing), every statement true for all of Indonesia."""
    spec = json.loads((national / "national" / "04-national-overview.report.json").read_text(encoding="utf-8"))
    truth, loose, wrong, found = NationalTruth(national / "national"), [], [], set()
    for where, words, value in texts(spec):
        parsed = parse(words, ("ov_", "op_nat_"))
        if parsed is None:
            loose.append(f"{where}: {words[:160]!r}")
        for key, values in parsed or []:
            found.add(key)
            try:
                CHECKS[key](Ctx(truth, values, value if where == "figure" else None, "04-national-overview"))
            except (KeyError, NoValue):
                continue
            except AssertionError as e:
                wrong.append(f"[{key}] {words[:140]!r} = {value!r}: {e}")
    assert not loose, "texts no label template makes:\n" + "\n".join(loose)
    missing = sorted(found - set(CHECKS) - STATIC - QUOTED - MEASURED)
    assert not missing, f"templates in the national overview without a check: {missing}"
    assert not wrong, "statements not true for Indonesia:\n" + "\n".join(wrong)
    assert {"ov_lead", "op_nat_text", "ov_tps_max", "ov_sea"} <= found
    # negative control: the sea-crossing rows of the run's table (1,168, three desa without TPS among them)
    # stated as the desa with TPS fails
    (key, values), = parse(spec["lead"], ("ov_",))[:1]
    with pytest.raises(AssertionError, match="crosses the sea"):
        CHECKS[key](Ctx(truth, {**values, "sea": "1.168"}, None, "04-national-overview"))


def test_checks_catch_a_wrong_statement(report):
    """Negative control: the DKI press count stated for Kepulauan Seribu, and one site too many, fail."""
    seribu = Truth("kepulauan-seribu", "Kepulauan Seribu", "31.01", report / "kepulauan-seribu")
    with pytest.raises(AssertionError, match="press"):
        CHECKS["rs_press_text"](Ctx(seribu, {"n": "10"}, None, "01-recap-sites-map"))
    with pytest.raises(AssertionError, match="PPK sites"):
        CHECKS["rs_lead"](Ctx(seribu, {"scope": "Kepulauan Seribu", "n": "3", "n_internet": "2", "n_approx": "2"},
                              None, "01-recap-sites-map"))
    parsed = parse("Bila Pancoran (PPK-31.74.03) mati, 6 kelurahan (699 TPS) kehilangan jangkauan.", ("sp_",))
    assert parsed[0][0] == "sp_lead_outage"
    with pytest.raises(AssertionError, match="PPK-31.74.03"):
        CHECKS["sp_lead_outage"](Ctx(Truth("dki", "DKI Jakarta", "31", report / "dki"), parsed[0][1], None, ""))

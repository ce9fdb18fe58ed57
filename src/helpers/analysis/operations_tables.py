"""The tables and words of a recapitulation-operations run (notebook 05), built from :func:`helpers.analysis.operations.compute`.

* :func:`by_election` -- one line per election for the scope;
* :func:`compare` -- the two elections side by side per PPK site (TPS, days, slack, peak Mbps; the Pilkada's TPS
  flagged when estimated);
* :func:`scenarios` -- low / central / high internet for the scope, with the assumption values of each;
* :func:`checks` -- the model held against what the sources say (KPU Jakarta Timur's 17 days, Pulogadung's 14-day
  target, the DKI Pilkada finished inside its window, Duren Sawit's Pilkada TPS, the Pilkada/Pemilu TPS ratio), never
  tuned to them;
* :func:`precedents` -- the internet precedents (Denpasar, Gunungkidul, Kutai Timur) against the model's Mbps for an
  average site of each;
* :func:`parameters_used` -- every value the run used, with its status (sumber / asumsi / pengguna) and its source;
* :func:`headline` and :func:`summary` -- the figures JSON and the lead paragraph, in the run's language.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from helpers.analysis.operations import (DKI_REGION, ELECTIONS, INTERNET, OVERRIDABLE, SCENARIOS, Operations,
                                         scenario_end, site_table, window_of)
from helpers.core import text
from helpers.core.figures import plain

__all__ = ["by_election", "compare", "scenarios", "checks", "precedents", "parameters_used", "headline", "summary", "fmt_date"]


def fmt_date(day, language: str = "id") -> str:
    """A date in words (the day part of :func:`helpers.core.text.fmt_datetime`).

    Examples
    --------
    >>> fmt_date("2024-03-02", "id"), fmt_date(dt.date(2024, 12, 3), "en"), fmt_date(None)
    ('2 Maret 2024', '3 December 2024', '–')
    """
    if day is None or (isinstance(day, float) and np.isnan(day)):
        return text.DASH
    return text.fmt_datetime(f"{dt.date.fromisoformat(str(day)).isoformat()}T00:00", language).split(",")[0]


def by_election(res: Operations) -> pd.DataFrame:
    """One row per election for the scope: TPS (and whether estimated), the window, sites that miss it, the most days,
    panels short, and the central peak Mbps of a site (median) with the low-high range."""
    rows = []
    for e, s in res.sites.items():
        start, end = res.windows[e]
        rows.append({"election": e, "n_sites": len(s), "tps": int(s["tps"].sum()), "tps_estimated": bool(res.estimated[e]),
                     "window": f"{start.isoformat()} - {end.isoformat()}", "window_days": int(s["window_days"].iloc[0]),
                     "n_sites_late": int((~s["within_window"]).sum()), "days_max": int(s["days_needed"].max()),
                     "panels_short": int(s["panels_short"].sum()),
                     "mbps_peak_median": float(s["mbps_peak_central"].median()),
                     "mbps_peak_low": float(s["mbps_peak_low"].min()), "mbps_peak_high": float(s["mbps_peak_high"].max())})
    return pd.DataFrame(rows).set_index("election")


def compare(res: Operations) -> pd.DataFrame:
    """Per PPK site: TPS, days needed, slack and central peak Mbps of each election (``_pemilu2024``,
    ``_pilkada2024`` suffixes) and whether the Pilkada's TPS are estimated."""
    keep = ["kecamatan_kode", "kecamatan", "kota"]
    out = res.sites[ELECTIONS[0]][keep].copy()
    for e in ELECTIONS:
        s = res.sites[e]
        for c in ("tps", "days_needed", "slack_days", "mbps_peak_central"):
            out[f"{c}_{e}"] = s[c].to_numpy()
    out["tps_estimated_pilkada2024"] = res.sites["pilkada2024"]["tps_estimated"].to_numpy()
    return out


def _used(res: Operations, election: str) -> dict:
    used = res.sites[election].attrs["used"]
    return used[sorted(used)[0]]  # one province: one region


def scenarios(res: Operations) -> pd.DataFrame:
    """Low / central / high internet of the chosen election for the scope: the assumption values of each scenario,
    the total volume, the median and largest average and peak Mbps of a site, and sites above the usual link."""
    s, used = res.main, _used(res, res.election)
    rows = []
    for scen in SCENARIOS:
        row = {"scenario": scen}
        for name in INTERNET:
            row[name] = used[name].at(scenario_end(scen, name))
        avg, peak = s[f"mbps_avg_{scen}"], s[f"mbps_peak_{scen}"]
        row.update(volume_gb=round(float(s[f"volume_gb_{scen}"].sum()), 2), mbps_avg_median=float(avg.median()),
                   mbps_avg_max=float(avg.max()), mbps_peak_median=float(peak.median()),
                   mbps_peak_max=float(peak.max()), link_mbps=float(s["link_mbps"].iloc[0]),
                   n_over_link=int((peak > s["link_mbps"]).sum()))
        rows.append(row)
    return pd.DataFrame(rows)


def _source(res: Operations, sid: str) -> str:
    src = res.table.source(sid)
    return f"{src['outlet']}, {src['date']}"


def checks(res: Operations) -> pd.DataFrame:
    """The model held against the sources, for the parts of them that lie in the scope: ``check`` (a label key),
    ``region``, ``stated`` (what the source says), ``model`` (what the model gives), ``unit``, ``source``."""
    t, rows = res.table, []
    pem, pil = res.sites["pemilu2024"], res.sites["pilkada2024"]
    for r in t.all("expected_days", "pemilu2024"):
        mine = pem[pem["kecamatan_kode"].str.startswith(r.region)]
        if len(mine):
            rows.append({"check": "op_check_days", "region": r.region, "where": _where(mine, r.region),
                         "stated": r.value, "model": int(mine["days_needed"].max()),
                         "n_over": int((mine["days_needed"] > r.value).sum()), "n_sites": len(mine), "unit": "days",
                         "source": _source(res, r.source), "source_id": r.source})
    for r in t.all("sites_over_window", "pilkada2024"):
        mine = pil[pil["kecamatan_kode"].str.startswith(r.region + ".")]
        if len(mine):
            n = int((~mine["within_window"]).sum())
            rows.append({"check": "op_check_pilkada_window", "region": r.region, "where": res.scope.label,
                         "stated": r.value, "model": n, "n_over": n, "n_sites": len(mine), "unit": "sites",
                         "source": _source(res, r.source), "source_id": r.source})
    if res.estimated["pilkada2024"]:
        for r in t.all("pilkada_tps", "pilkada2024"):
            mine = pil[pil["kecamatan_kode"] == r.region]
            if len(mine):
                rows.append({"check": "op_check_estimate", "region": r.region, "where": _where(mine, r.region),
                             "stated": r.value, "model": int(mine["tps"].iloc[0]), "n_over": None, "n_sites": 1,
                             "unit": "TPS", "source": _source(res, r.source), "source_id": r.source})
        if res.scope.provinsi_kode != DKI_REGION:
            ratio = t.get("pilkada_tps", "pilkada2024", "ID").value / t.get("pemilu_tps", "pemilu2024", "ID").value
            for region, where in (("31", "DKI Jakarta"), ("33.13", "Kabupaten Karanganyar")):
                a, b = t.get("pilkada_tps", "pilkada2024", region), t.get("pemilu_tps", "pemilu2024", region)
                rows.append({"check": "op_check_ratio", "region": region, "where": where,
                             "stated": round(a.value / b.value, 3), "model": round(ratio, 3), "n_over": None,
                             "n_sites": None, "unit": "ratio", "source": _source(res, a.source),
                             "source_id": a.source})
    return pd.DataFrame(rows, columns=["check", "region", "where", "stated", "model", "n_over", "n_sites", "unit",
                                       "source", "source_id"])


def _where(sites: pd.DataFrame, region: str) -> str:
    if len(sites) == 1 and sites["kecamatan_kode"].iloc[0] == region:
        return str(sites["kecamatan"].iloc[0])
    return str(sites["kota"].iloc[0])


def precedents(res: Operations) -> pd.DataFrame:
    """Each internet precedent (``precedent_mbps`` rows) against the model for an average PPK site of its area
    (TPS / sites of the same source), at low / central / high, with the run's own values."""
    t, rows = res.table, []
    for r in t.all("precedent_mbps"):
        sites, tps = t.get("precedent_sites", r.election, r.region), t.get("precedent_tps", r.election, r.region)
        per_site = round(tps.value / sites.value)
        one = pd.DataFrame({"kecamatan_kode": [f"{r.region}.00"]})
        s = site_table(one, pd.Series({f"{r.region}.00": per_site}), t, r.election, estimated=False,
                       **res.overrides).iloc[0]
        rows.append({"region": r.region, "election": r.election, "stated_mbps": r.value, "n_sites": int(sites.value), "tps_per_site": int(per_site), "ballot_types": int(s["ballot_types"]),
                     **{f"mbps_{k}_{sc}": float(s[f"mbps_{k}_{sc}"]) for k in ("avg", "peak") for sc in SCENARIOS},
                     "note": r.note, "source": _source(res, r.source), "source_id": r.source})
    return pd.DataFrame(rows)


def parameters_used(res: Operations) -> pd.DataFrame:
    """Every value the run used, chosen election first: the window, then each parameter of :data:`OVERRIDABLE` and
    the ballot types, with ``status`` (sumber / asumsi / pengguna), range, unit, source and note."""
    rows = []
    order = [res.election] + [e for e in ELECTIONS if e != res.election]
    for e in order:
        start, end = res.windows[e]
        for key, day in (("window_start", start), ("window_end", end)):
            row = res.table.get(key, e)
            same = row.value == day
            rows.append({"election": e, "name": key, "value": day.isoformat(), "low": None, "high": None,
                         "unit": "date", "status": row.status if same else "pengguna",
                         "source_id": row.source if same else None, "note": row.note if same else ""})
        for name, u in _used(res, e).items():
            row = res.table.get(name, e, _region_of(res))
            rows.append({"election": e, "name": name, "value": u.value, "low": u.low, "high": u.high,
                         "unit": row.unit, "status": u.status, "source_id": u.source, "note": u.note})
    out = pd.DataFrame(rows)
    src = {sid: res.table.source(sid) for sid in out["source_id"].dropna().unique()}
    out["source"] = out["source_id"].map(lambda s: f"{src[s]['outlet']}, {src[s]['date']}" if s in src else None)
    out["url"] = out["source_id"].map(lambda s: src[s]["url"] if s in src else None)
    return out


def _region_of(res: Operations) -> str:
    return DKI_REGION if res.scope.provinsi_kode == DKI_REGION else "*"


def _whole(v: float):
    """A whole float as an int (5.0 -> 5), other values as they are (JSON-ready)."""
    return int(v) if float(v).is_integer() else plain(v)


def headline(res: Operations) -> dict:
    """The headline figures of the run (JSON-ready; ``05-recap-operations.figures.json``)."""
    s = res.main
    start, end = res.windows[res.election]
    miss = s[~s["within_window"]].sort_values(["days_needed", "kecamatan_kode"], ascending=[False, True])
    top = s.sort_values(["days_needed", "kecamatan_kode"], ascending=[False, True]).iloc[0]
    u = _used(res, res.election)
    return {"scope": res.scope.title, "election": res.election, "window_start": start.isoformat(),
            "window_end": end.isoformat(), "window_days": int(s["window_days"].iloc[0]), "n_sites": len(s),
            "tps": int(s["tps"].sum()), "tps_estimated": bool(res.estimated[res.election]),
            "panels_per_ppk": _whole(u["panels_per_ppk"].value), "tps_per_panel_day": _whole(u["tps_per_panel_day"].value),
            "n_sites_miss_window": len(miss), "sites_miss_window": miss["kecamatan"].astype(str).tolist(),
            "days_max": int(top["days_needed"]), "site_days_max": str(top["kecamatan"]),
            "finish_last": top["finish_date"], "panels_short": int(s["panels_short"].sum()),
            "mbps_avg_central_median": round(float(s["mbps_avg_central"].median()), 3),
            "mbps_peak_central_median": round(float(s["mbps_peak_central"].median()), 2),
            "mbps_peak_central_max": round(float(s["mbps_peak_central"].max()), 2),
            "mbps_peak_low_min": round(float(s["mbps_peak_low"].min()), 2),
            "mbps_peak_high_max": round(float(s["mbps_peak_high"].max()), 2),
            "link_mbps": _whole(u["link_mbps"].value), "n_over_link": int(s["over_link"].sum()),
            "volume_gb_central": round(float(s["volume_gb_central"].sum()), 2),
            "n_kota_miss_window": int(s.loc[~s["within_window"], "kota_kode"].nunique())}


def summary(res: Operations) -> str:
    """The findings in one paragraph, in the run's language (the report's lead, printed by the notebook)."""
    h, lang = headline(res), res.language
    n = lambda v, d=0: text.fmt_number(v, lang, d)  # noqa: E731
    s = res.main
    miss = s[~s["within_window"]].sort_values(["days_needed", "kecamatan_kode"], ascending=[False, True])
    names = ", ".join(f"{r.kecamatan} ({n(r.days_needed)})" for r in miss.itertuples())
    u = _used(res, res.election)
    basis = ("pengguna" if "pengguna" in (u["panels_per_ppk"].status, u["tps_per_panel_day"].status) else
             "asumsi" if "asumsi" in (u["panels_per_ppk"].status, u["tps_per_panel_day"].status) else "sumber")
    words = " ".join([
        text.label("op_lead", lang, scope=h["scope"], election=text.label(f"op_{res.election}", lang),
                   sites=n(h["n_sites"]), tps=n(h["tps"]), start=fmt_date(h["window_start"], lang),
                   end=fmt_date(h["window_end"], lang), wdays=n(h["window_days"])),
        text.label("op_lead_late" if len(miss) else "op_lead_on_time", lang, basis=text.label(f"op_basis_{basis}", lang),
                   panels=n(h["panels_per_ppk"]), pace=text.fmt_value(h["tps_per_panel_day"], lang),
                   miss=n(h["n_sites_miss_window"]), names=names, top=h["site_days_max"], days=n(h["days_max"]),
                   finish=fmt_date(h["finish_last"], lang), short=n(h["panels_short"])),
        text.label("op_lead_internet", lang, avg=text.fmt_value(h["mbps_avg_central_median"], lang),
                   peak=n(h["mbps_peak_central_median"], 2), low=n(h["mbps_peak_low_min"], 2),
                   high=n(h["mbps_peak_high_max"], 2), over=n(h["n_over_link"]), link=text.fmt_value(h["link_mbps"], lang))])
    if h["tps_estimated"]:
        dki = res.scope.provinsi_kode == DKI_REGION
        words += " " + text.label("op_estimated_note" if dki else "op_estimated_note_ratio", lang)
    if "has_site" in s and not s["has_site"].all():
        words += " " + text.label("op_no_site_note", lang, n=n(int((~s["has_site"]).sum())),
                                  names=", ".join(s.loc[~s["has_site"], "kecamatan"].astype(str)))
    custom = sorted(k for k in res.overrides if k in OVERRIDABLE)
    if res.windows[res.election] != window_of(res.table, res.election):
        custom.append("window")
    if custom:
        words += " " + text.label("op_custom_note", lang, names=", ".join(custom))
    return words

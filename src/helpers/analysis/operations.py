"""What each PPK recapitulation site had to carry: days, panels and internet, for Pemilu and Pilkada 2024 (notebook 05).

Every default comes from the sourced table of :mod:`helpers.io.operations` (``data/raw/recap_operations``: each row
quoted, or an **asumsi** with its range); a run may set any of :data:`OVERRIDABLE` itself (shown as set by the user).

* **Days** at the pace: ``ceil(TPS / (panels x TPS per panel-day))``; the finishing date counts from the window's
  first day; **slack** = days of the window (both ends counted) - days needed; **panels needed** to finish inside
  the window = ``ceil(TPS / (TPS per panel-day x window days))``.
* **Internet**: the PPK uploads ``TPS x ballot types x sheets per form x MB per photo x share uploaded at the PPK``;
  the **average** Mbps spreads it over the working hours of the days needed, the **peak** has every panel uploading
  one TPS's photos within ``burst_minutes`` (panels uploading = ``min(panels, ceil(TPS x share))``); a livestream adds
  its bitrate to both.  **Low / central / high** take every internet assumption at the end of its range that gives
  the least / the table's / the most Mbps (:data:`INTERNET`).
* **Two elections**: the Pilkada's TPS per kecamatan are the user's file (``tps_path``) or **estimated**
  (:func:`estimate_pilkada`: DKI from the sourced kota totals by each kecamatan's Pemilu share; elsewhere the Pemilu
  TPS x the national ratio 435,296 / 820,161), flagged ``tps_estimated`` in every table that shows them.

The tables and words built from a result (the two elections side by side, low/central/high, the model held
against its sources, the parameters used, the headline): :mod:`helpers.analysis.operations_tables`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from helpers.core import text
from helpers.core.parameters import require_valid
from helpers.core.scope import DKI_KODE, Scope
from helpers.io.operations import ELECTIONS, OperationsTable

__all__ = ["ELECTIONS", "OVERRIDABLE", "INTERNET", "SCENARIOS", "Used", "Operations", "capacity", "internet",
           "scenario_end", "apportion", "estimate_pilkada", "settings", "window_of", "site_table", "kota_table", "with_every_kecamatan",
           "compute", "national"]

#: Parameters a run may set (None: the table's value).
OVERRIDABLE = ("panels_per_ppk", "tps_per_panel_day", "hours_per_day", "photo_mb", "sheets_per_form", "upload_share",
               "burst_minutes", "livestream_mbps", "link_mbps")
#: The internet assumptions of the low/central/high table, and the end of each one's range that gives the LOW Mbps.
INTERNET = {"photo_mb": "low", "sheets_per_form": "low", "upload_share": "low", "burst_minutes": "high",
            "livestream_mbps": "low"}
SCENARIOS = ("low", "central", "high")
#: The region of a site in the table: DKI Jakarta's own rows, else the rows for everywhere (``*``).
DKI_REGION = DKI_KODE


@dataclass(frozen=True)
class Used:
    """One parameter as a run uses it: value, range, and basis (``sumber``, ``asumsi`` or ``pengguna`` = set by the
    user, which has no range)."""

    name: str
    value: float
    low: float
    high: float
    status: str
    source: str | None = None
    note: str = ""

    def at(self, scenario: str = "central") -> float:
        """The value of the ``low`` / ``central`` / ``high`` end of the range (a user's value in all three).

        Examples
        --------
        >>> Used("photo_mb", 1.5, 0.5, 4, "asumsi").at("high"), Used("photo_mb", 2, 2, 2, "pengguna").at("low")
        (4, 2)
        """
        return {"low": self.low, "central": self.value, "high": self.high}[scenario]


def scenario_end(scenario: str, name: str) -> str:
    """The end of ``name``'s range (``low`` / ``central`` / ``high``) that the ``scenario`` of the internet table takes.

    Examples
    --------
    >>> scenario_end("low", "photo_mb"), scenario_end("low", "burst_minutes"), scenario_end("high", "burst_minutes")
    ('low', 'high', 'low')
    """
    if scenario == "central":
        return "central"
    low_end = INTERNET[name]
    return low_end if scenario == "low" else {"low": "high", "high": "low"}[low_end]


def capacity(tps, panels, pace, window_days):
    """Days needed, slack against the window and panels needed to finish inside it, per site.

    Examples
    --------
    >>> days, slack, needed = capacity([1591, 830, 0], 5, 10, 17)
    >>> days.tolist(), slack.tolist(), needed.tolist()
    ([32, 17, 0], [-15, 0, 17], [10, 5, 0])
    """
    tps = np.asarray(tps, float)
    pace = np.asarray(pace, float)
    days = np.ceil(tps / (np.asarray(panels, float) * pace)).astype(int)
    needed = np.where(tps > 0, np.ceil(tps / (pace * np.asarray(window_days, float))), 0).astype(int)
    return days, np.asarray(window_days) - days, needed


def internet(tps, days, *, ballots, sheets, photo_mb, share, hours, panels, burst_minutes, livestream):
    """Upload volume (MB) and average and peak Mbps per site (1 MB = 8 megabits).

    Examples
    --------
    >>> vol, avg, peak = internet([1591], [32], ballots=4, sheets=3, photo_mb=1.5, share=0.31, hours=12, panels=5,
    ...                           burst_minutes=5, livestream=0)
    >>> round(float(vol[0]), 1), round(float(avg[0]), 3), round(float(peak[0]), 2)
    (8877.8, 0.051, 2.4)
    """
    tps, days = np.asarray(tps, float), np.asarray(days, float)
    per_tps = np.asarray(ballots, float) * np.asarray(sheets, float) * np.asarray(photo_mb, float)
    volume = tps * per_tps * np.asarray(share, float)
    seconds = days * np.asarray(hours, float) * 3600
    avg = np.divide(volume * 8, seconds, out=np.zeros_like(volume), where=seconds > 0) + livestream
    uploading = np.minimum(np.asarray(panels, float), np.ceil(tps * np.asarray(share, float)))
    peak = uploading * per_tps * 8 / (np.asarray(burst_minutes, float) * 60) + livestream
    return volume, avg, peak


def apportion(total: int, weights) -> np.ndarray:
    """Whole numbers in proportion to ``weights`` that add up to ``total`` (largest remainders).

    Examples
    --------
    >>> apportion(41, [53, 35]).tolist(), apportion(10, [1, 1, 1]).tolist(), apportion(5, [0, 0]).tolist()
    ([25, 16], [4, 3, 3], [0, 0])
    """
    w = np.asarray(weights, float)
    if w.sum() <= 0:
        return np.zeros(len(w), int)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: int(total - base.sum())]] += 1
    return base


def estimate_pilkada(pemilu: pd.Series, table: OperationsTable) -> pd.Series:
    """Pilkada 2024 TPS per kecamatan estimated from the Pemilu's (``kecamatan_kode`` -> TPS; a kecamatan's kota is
    the first five characters of its Kemendagri code, ``31.75.06`` -> ``31.75``).

    DKI Jakarta: each kota's sourced total (``pilkada_tps`` rows, KPU DKI via liputan6) shared among its kecamatan
    by their Pemilu TPS (largest remainders, so the kota totals hold exactly).  Elsewhere: Pemilu TPS x the national
    ratio of the table (``pilkada_tps`` ID / ``pemilu_tps`` ID), rounded.

    Examples
    --------
    >>> from helpers.io.operations import load_table
    >>> est = estimate_pilkada(pd.Series({"31.01.01": 53, "31.01.02": 35, "82.71.01": 100}), load_table())
    >>> est.tolist()
    [25, 16, 53]
    """
    out = pd.Series(0, index=pemilu.index, dtype=int)
    kota = pd.Series(pemilu.index.astype(str).str[:5], index=pemilu.index)
    dki = kota.str.startswith(DKI_KODE + ".")
    for code, idx in pemilu[dki].groupby(kota[dki]).groups.items():
        out[idx] = apportion(int(table.get("pilkada_tps", "pilkada2024", code).value), pemilu[idx].to_numpy())
    ratio = table.get("pilkada_tps", "pilkada2024", "ID").value / table.get("pemilu_tps", "pemilu2024", "ID").value
    out[~dki] = np.round(pemilu[~dki].to_numpy(float) * ratio).astype(int)
    return out


def settings(table: OperationsTable, election: str, region: str, **overrides) -> dict[str, Used]:
    """Every parameter of a site of ``region`` (``"31"`` = DKI Jakarta; any other code: the rows for everywhere),
    with the run's ``overrides`` (None: the table's row) and the ballot types."""
    out = {}
    for name in (*OVERRIDABLE, "ballot_types"):
        v = overrides.get(name)
        if v is not None:
            out[name] = Used(name, float(v), float(v), float(v), "pengguna")
            continue
        row = table.get(name, election, region)
        lo, hi = (row.low, row.high) if row.is_assumption else (row.value, row.value)
        out[name] = Used(name, row.value, lo, hi, row.status, row.source, row.note)
    return out


def window_of(table: OperationsTable, election: str, window=None) -> tuple[dt.date, dt.date]:
    """The PPK window (first and last day) of ``election``: the run's ``window`` or the table's."""
    if window is not None:
        return tuple(dt.date.fromisoformat(str(d)) for d in window)
    return table.get("window_start", election).value, table.get("window_end", election).value


def _region(codes: pd.Series) -> pd.Series:
    return np.where(codes.astype(str).str.startswith(DKI_KODE + "."), DKI_REGION, "*")


def site_table(sites: pd.DataFrame, tps: pd.Series, table: OperationsTable, election: str, *, estimated: bool,
               window=None, **overrides) -> pd.DataFrame:
    """One row per PPK site: TPS, pace, days, finishing date, slack, panels needed, upload volume and the average and
    peak Mbps at low/central/high (columns ``mbps_avg_central`` ...), for ``election``.

    ``sites`` needs ``kecamatan_kode`` (other columns are kept); ``tps`` is ``kecamatan_kode`` -> TPS.
    """
    start, end = window_of(table, election, window)
    wdays = (end - start).days + 1
    out = sites.copy().reset_index(drop=True)
    out["election"] = election
    out["tps"] = out["kecamatan_kode"].map(tps).fillna(0).astype(int).to_numpy()
    out["tps_estimated"] = bool(estimated)
    region = pd.Series(_region(out["kecamatan_kode"]), index=out.index)
    used = {r: settings(table, election, r, **overrides) for r in region.unique()}

    def col(name, scenario="central"):
        return region.map({r: u[name].at(scenario) for r, u in used.items()}).to_numpy(float)

    out["ballot_types"] = col("ballot_types").astype(int)
    out["panels"] = col("panels_per_ppk").astype(int)
    out["tps_per_panel_day"] = col("tps_per_panel_day")
    out["hours_per_day"] = col("hours_per_day")
    out["window_start"], out["window_end"], out["window_days"] = start.isoformat(), end.isoformat(), wdays
    days, slack, needed = capacity(out["tps"], out["panels"], out["tps_per_panel_day"], wdays)
    out["days_needed"], out["slack_days"], out["panels_needed"] = days, slack, needed
    out["within_window"] = slack >= 0
    out["finish_date"] = [(start + dt.timedelta(days=int(d) - 1)).isoformat() if d > 0 else None for d in days]
    out["panels_short"] = np.maximum(needed - out["panels"], 0)
    for scen in SCENARIOS:
        pick = {k: scenario_end(scen, k) for k in INTERNET}
        vol, avg, peak = internet(out["tps"], days, ballots=out["ballot_types"], sheets=col("sheets_per_form",
                                  pick["sheets_per_form"]), photo_mb=col("photo_mb", pick["photo_mb"]),
                                  share=col("upload_share", pick["upload_share"]), hours=out["hours_per_day"],
                                  panels=out["panels"], burst_minutes=col("burst_minutes", pick["burst_minutes"]),
                                  livestream=col("livestream_mbps", pick["livestream_mbps"]))
        out[f"volume_gb_{scen}"] = np.round(vol / 1000, 3)
        out[f"mbps_avg_{scen}"], out[f"mbps_peak_{scen}"] = np.round(avg, 3), np.round(peak, 2)
    out["link_mbps"] = col("link_mbps")
    out["over_link"] = out["mbps_peak_central"] > out["link_mbps"]
    out.attrs["used"] = used
    return out


def kota_table(s: pd.DataFrame, by: str = "kota_kode", name: str = "kota", total: str | None = None) -> pd.DataFrame:
    """Per kota (or ``by``): sites, TPS, sites that miss the window, the longest days, panels short, the central Mbps
    needed (largest average and peak of a site, and the peaks of all its sites together), sites over the usual link;
    with ``total`` a last row for all of them under that name."""
    def roll(g):
        return pd.Series({
            name: g[name].iloc[0], "n_sites": len(g), "tps": int(g["tps"].sum()),
            "tps_estimated": bool(g["tps_estimated"].any()),
            "n_miss_window": int((~g["within_window"]).sum()), "days_max": int(g["days_needed"].max()),
            "window_days": int(g["window_days"].iloc[0]), "panels_short": int(g["panels_short"].sum()),
            "panels_needed_max": int(g["panels_needed"].max()), "mbps_avg_max": float(g["mbps_avg_central"].max()),
            "mbps_peak_max": float(g["mbps_peak_central"].max()), "mbps_peak_high_max": float(g["mbps_peak_high"].max()),
            "mbps_peak_sum": round(float(g["mbps_peak_central"].sum()), 2), "n_over_link": int(g["over_link"].sum())})
    rows = [roll(g) for _, g in s.groupby(by, sort=True)] if len(s) else []
    out = pd.DataFrame(rows).reset_index(drop=True)
    if total is not None and len(s):
        out = pd.concat([out, roll(s.assign(**{name: total})).to_frame().T], ignore_index=True)
    for c in ("n_sites", "tps", "n_miss_window", "days_max", "window_days", "panels_short", "panels_needed_max",
              "n_over_link"):
        if c in out:
            out[c] = out[c].astype(int)
    for c in ("mbps_avg_max", "mbps_peak_max", "mbps_peak_high_max", "mbps_peak_sum"):
        if c in out:
            out[c] = out[c].astype(float)
    if "tps_estimated" in out:
        out["tps_estimated"] = out["tps_estimated"].astype(bool)
    return out


@dataclass
class Operations:
    """Result of :func:`compute`: per site for both elections, per kota, and what the run used."""

    scope: Scope
    language: str
    election: str
    sites: dict[str, pd.DataFrame]          # election -> one row per PPK site of the scope
    kota: pd.DataFrame                      # per kota of the chosen election (+ the province in a province run)
    estimated: dict[str, bool]              # election -> Pilkada TPS estimated (not from a file)
    windows: dict[str, tuple]               # election -> (first day, last day)
    table: OperationsTable
    overrides: dict = field(default_factory=dict)

    @property
    def main(self) -> pd.DataFrame:
        """The sites of the chosen election."""
        return self.sites[self.election]


def with_every_kecamatan(sites: pd.DataFrame, kecamatan: pd.DataFrame | None) -> pd.DataFrame:
    """``sites`` plus one row without a position (``has_site`` False) for each kecamatan of ``kecamatan`` (``kode``,
    ``nama``, ``kota_kode``, ``kota``) that no site serves: its PPK still recapitulates its TPS."""
    out = sites.assign(has_site=True)
    if kecamatan is None:
        return out
    missing = kecamatan[~kecamatan["kode"].isin(set(sites["kecamatan_kode"]))]
    if not len(missing):
        return out
    extra = pd.DataFrame({"kecamatan_kode": missing["kode"].to_numpy(), "kecamatan": missing["nama"].to_numpy(),
                          "kota_kode": missing["kota_kode"].to_numpy(), "kota": missing["kota"].to_numpy(),
                          "approximate": False, "has_site": False})
    both = pd.concat([pd.DataFrame(out), extra], ignore_index=True).sort_values("kecamatan_kode", kind="stable",
                                                                               ignore_index=True)
    if isinstance(out, gpd.GeoDataFrame):
        both = gpd.GeoDataFrame(both, geometry="geometry", crs=out.crs)
    return both


def compute(sites: pd.DataFrame, tps: dict, table: OperationsTable, *, scope: Scope, election: str = "pemilu2024",
            language: str = "id", window=None, kecamatan: pd.DataFrame | None = None, **overrides) -> Operations:
    """Days, panels and internet of every PPK site of ``scope``, for both elections (``election`` is the headline).

    Parameters
    ----------
    sites : DataFrame
        The PPK sites of the scope's province (:attr:`helpers.io.inputs.Inputs.sites`: ``kecamatan_kode``,
        ``kota_kode``, ...; a GeoDataFrame keeps its geometry).
    tps : dict
        ``{"pemilu2024": Series, "pilkada2024": Series or None}`` of TPS per kecamatan
        (:func:`helpers.io.operations.election_tps`); a None Pilkada is estimated (:func:`estimate_pilkada`).
    table : OperationsTable
        :func:`helpers.io.operations.load_table`.
    scope : Scope
        One province or one of its kota (all of Indonesia: notebook 04, :func:`national`).
    election : {"pemilu2024", "pilkada2024"}
    window : [start, end], optional
        The chosen election's window instead of the sourced one (the other election keeps its own).
    kecamatan : DataFrame, optional
        The province's kecamatan (:attr:`helpers.io.inputs.Inputs.kecamatan`): a kecamatan that no site of
        ``sites`` serves (a user's incomplete list) still gets its row, without a position (``has_site`` False).
    **overrides
        Any of :data:`OVERRIDABLE` (None: the table's value), for both elections.

    Raises
    ------
    ValueError
        A value outside its accepted range (one message naming each parameter and the range,
        :func:`helpers.core.parameters.require_valid`), an unknown parameter, or the national scope.
    """
    text.check_language(language)
    unknown = sorted(set(overrides) - set(OVERRIDABLE))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(OVERRIDABLE)}")
    require_valid(election=election, window=window, **overrides)
    if scope.is_national:
        raise ValueError("notebook 05 covers one province or kota; for all of Indonesia the same figures per PPK "
                         "site are in notebook 04 (the national overview)")
    pemilu, pilkada = tps["pemilu2024"], tps.get("pilkada2024")
    estimated = {"pemilu2024": False, "pilkada2024": pilkada is None}
    if pilkada is None:
        pilkada = estimate_pilkada(pemilu, table)
    counts = {"pemilu2024": pemilu, "pilkada2024": pilkada}
    sites = with_every_kecamatan(sites, kecamatan)
    inscope = sites if scope.kota_kode is None else sites[sites["kota_kode"] == scope.kota_kode]
    if not len(inscope):
        raise ValueError(f"no PPK site and no kecamatan in {scope.title}: give the kecamatan (kecamatan=...)")
    out, windows = {}, {}
    for e in ELECTIONS:
        out[e] = site_table(inscope, counts[e], table, e, estimated=estimated[e],
                            window=window if e == election else None, **overrides)
        windows[e] = window_of(table, e, window if e == election else None)
    total = None if scope.kota_kode is not None else scope.label
    return Operations(scope=scope, language=language, election=election, sites=out,
                      kota=kota_table(out[election], total=total), estimated=estimated, windows=windows, table=table,
                      overrides={k: v for k, v in overrides.items() if v is not None})


def national(sites: pd.DataFrame, table: OperationsTable, **overrides) -> dict[str, pd.DataFrame]:
    """The same per PPK site for all of Indonesia (notebook 04): ``sites`` with ``kecamatan_kode`` and ``tps`` (Pemilu
    2024, KawalPemilu; other columns are kept); the Pilkada estimated (:func:`estimate_pilkada`).
    Returns ``{election: sites}`` (the site columns of :func:`site_table`)."""
    require_valid(**overrides)
    pemilu = pd.Series(sites["tps"].to_numpy(int), index=sites["kecamatan_kode"].to_numpy())
    pilkada = estimate_pilkada(pemilu, table)
    return {e: site_table(sites, n, table, e, estimated=e == "pilkada2024", **overrides)
            for e, n in (("pemilu2024", pemilu), ("pilkada2024", pilkada))}

"""Outages: with some recap sites offline, which kelurahan lose internet coverage and where they fall back."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.core.geo import WGS84, xy
from helpers.core.names import name_key
from helpers.analysis.planning.instance import PlanningError, PlanningInstance, distance_matrix
from helpers.analysis.planning.results import PlanResult, demand_table


def resolve_down_sites(sites: pd.DataFrame, down_sites: str | Iterable[str] | None) -> list[str]:
    """Site ids for ``down_sites`` given as site ids, kecamatan codes or (lenient) kecamatan names.

    Parameters
    ----------
    sites : DataFrame
        ``site_id``, and optionally ``kecamatan_kode`` and ``kecamatan``.
    down_sites : str, list of str or None
        What is offline; ``None`` is nothing.

    Returns
    -------
    list of str
        Site ids, in the order given, each once.

    Raises
    ------
    PlanningError
        An item matches no site (the message shows valid examples).

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": ["PPK-31.71.01", "PPK-31.75.02"],
    ...                   "kecamatan_kode": ["31.71.01", "31.75.02"], "kecamatan": ["Gambir", "Pulo Gadung"]})
    >>> resolve_down_sites(s, ["ppk-31.71.01", "Kec. Pulogadung"])
    ['PPK-31.71.01', 'PPK-31.75.02']
    """
    if down_sites is None:
        return []
    if isinstance(down_sites, str):
        down_sites = [down_sites]
    by_id = {str(s).lower(): s for s in sites["site_id"]}
    by_code = dict(zip(sites.get("kecamatan_kode", []), sites["site_id"]))
    by_name = {name_key(k): s for k, s in zip(sites.get("kecamatan", []), sites["site_id"])}
    out, unknown = [], []
    for item in down_sites:
        text = str(item).strip()
        hit = by_id.get(text.lower()) or by_code.get(text) or by_name.get(name_key(text))
        (out.append(hit) if hit else unknown.append(text))
    if unknown:
        raise PlanningError(f"down_sites: no site matches {unknown}; give site ids such as "
                            f"{sites['site_id'].iloc[0]} or kecamatan names such as {sites['kecamatan'].iloc[0]}")
    return list(dict.fromkeys(out))


def outage(inst: PlanningInstance, down_sites: str | Iterable[str] | None,
           added: list[str] | None = None) -> PlanResult:
    """Kelurahan that lose internet coverage when ``down_sites`` are offline, and their fallback.

    Parameters
    ----------
    inst : PlanningInstance
    down_sites : str or list of str
        Site ids, kecamatan codes or kecamatan names (see :func:`resolve_down_sites`).
    added : list of str, optional
        Candidate ids of new points (e.g. a plan's ``chosen``) that stay online.

    Returns
    -------
    PlanResult
        ``chosen``: the sites down; ``kelurahan``: every kelurahan that loses coverage or whose
        nearest site is down, with ``loses_coverage``, ``fallback_site_id``, ``fallback_km``
        (nearest working site or added point in the same island group) and ``sea_crossing`` (no
        working site on its island group: the fallback given is the nearest across the sea,
        straight line).
    """
    down = resolve_down_sites(inst.sites, down_sites)
    r, w = inst.radius_m, inst.weights
    is_down = inst.sites["site_id"].isin(down).to_numpy()
    add = inst.candidates["candidate_id"].isin(added or []).to_numpy()
    dist = np.hstack([inst.site_dist, inst.cand_dist[:, add]])
    ids = np.r_[inst.sites["site_id"].to_numpy(), inst.candidates["candidate_id"].to_numpy()[add]]
    kec = np.r_[inst.sites["kecamatan"].to_numpy(), np.full(add.sum(), "(new point)")]
    alive = np.r_[~is_down, np.ones(add.sum(), bool)]
    before = (dist <= r).any(axis=1)
    working = np.where(alive[None, :], dist, np.inf)
    after = (working <= r).any(axis=1)
    lost = before & ~after
    tab = demand_table(inst)
    near_down = tab.get("nearest_site_id", pd.Series("", index=tab.index)).isin(down).to_numpy()
    j = working.argmin(axis=1) if alive.any() else np.zeros(len(tab), int)
    fb = working[np.arange(len(tab)), j] if alive.any() else np.full(len(tab), np.inf)
    sea = ~np.isfinite(fb)
    if sea.any() and alive.any():  # nearest working site across the sea, straight line
        dem = xy(inst.demand)[sea]
        allxy = np.vstack([xy(inst.sites), xy(inst.candidates)[add]]) if add.any() else xy(inst.sites)
        straight = np.where(alive[None, :], distance_matrix(dem, allxy), np.inf)
        j[sea] = straight.argmin(axis=1)
        fb[sea] = straight[np.arange(sea.sum()), j[sea]]
    tab["covered_before"], tab["covered_after"], tab["loses_coverage"] = before, after, lost
    tab["working_sites_within_radius"] = (working <= r).sum(axis=1)
    tab["fallback_site_id"] = np.where(alive.any(), ids[j], "")
    tab["fallback_kecamatan"] = np.where(alive.any(), kec[j], "")
    tab["fallback_km"] = np.round(fb / 1000.0, 3)
    tab["sea_crossing"] = sea
    tab = tab[lost | near_down].reset_index(drop=True)
    figures = {
        "radius_km": inst.radius_km, "down_sites": ", ".join(down), "sites_down": len(down),
        "kelurahan_losing_coverage": int(lost.sum()), "tps_losing_coverage": int(w[lost].sum()),
        "kelurahan_nearest_site_down": int(near_down.sum()),
        "kelurahan_covered_before": int(before.sum()), "kelurahan_covered_after": int(after.sum()),
        "max_fallback_km": float(tab["fallback_km"].max()) if len(tab) else 0.0,
        "sea_crossing_fallbacks": int(tab["sea_crossing"].sum()),
    }
    downs = inst.sites[is_down][["site_id", "kecamatan", "kota", "approximate", "geometry"]].to_crs(WGS84)
    return PlanResult(downs.reset_index(drop=True), tab, figures)


def single_site_outages(inst: PlanningInstance) -> pd.DataFrame:
    """For each internet site alone: the kelurahan and TPS that lose coverage if it goes offline.

    A kelurahan depends on a site when that site is its only internet site within the radius.

    Parameters
    ----------
    inst : PlanningInstance

    Returns
    -------
    pandas.DataFrame
        ``site_id, kecamatan, kota, approximate, kelurahan_losing_coverage, tps_losing_coverage``,
        sorted by TPS lost, largest first (the worst single outage is the first row).
    """
    within = inst.site_dist <= inst.radius_m
    only = within & (within.sum(axis=1) == 1)[:, None]
    tab = pd.DataFrame(inst.sites[["site_id", "kecamatan", "kota", "approximate"]]).copy()
    tab["kelurahan_losing_coverage"] = only.sum(axis=0)
    tab["tps_losing_coverage"] = (inst.weights @ only).astype(int)
    return tab.sort_values(["tps_losing_coverage", "site_id"], ascending=[False, True], ignore_index=True)

"""Deterministic synthetic demand points and recap sites at any scale, for the coverage benchmark.

The national picture of Pemilu 2024 (820,161 TPS, 83,731 desa/kelurahan, 7,277 kecamatan,
514 kabupaten/kota) is not shipped with this project, so the benchmark builds a look-alike
with a fixed seed:

1. **Kota** centres are drawn uniformly inside seven rotated ellipses that stand in for
   Sumatera, Jawa, Kalimantan, Sulawesi, Bali-Nusa Tenggara, Maluku and Papua (shares of kota
   roughly as in reality: Sumatera 30 %, Jawa 23 %, ...).  About one kota in five is *urban*
   (radius ~8 km), the rest are kabupaten-like (radius ~30 km).  Centres are projected once to
   World Mercator (EPSG:3395, metres; scale error < 2 % between 11 deg S and 6 deg N); every
   later offset is drawn directly in metres.
2. **Kecamatan**: every kota gets at least one, the rest are spread with log-normal weights;
   kecamatan centres scatter around the kota centre (Gaussian, sigma = radius / 2).
3. **Demand points** are a Gaussian mixture: every kecamatan gets at least one point, the rest
   are spread with log-normal weights times an island density (Jawa 3x, Papua 0.4x) and 2x in
   urban kota; inside a kecamatan the points cluster around desa-like centres
   (~9.8 points per desa, the national TPS/desa ratio), each point within ~300 m of its desa.
4. **Sites**: one per kecamatan, near its centre (Gaussian, sigma = 0.15 x the kecamatan spread);
   a site has internet with probability ``internet_share`` (default 0.6, so the nearest
   *internet* site is often not the own one - the harder case).  Site rows are shuffled so
   that no code can rely on site *i* belonging to kecamatan *i*.

Weights: at national scale a point is one TPS (weight 1, ``weights="tps"``); at DKI-like scale a
point is a kelurahan carrying its TPS count (``weights="kelurahan"``, 1 + Poisson, mean 115.2 =
30,766 / 267).  Membership of a point in its kecamatan is by label (as in the real data, where a
kelurahan belongs to its kecamatan administratively), not by geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj

#: Seed of every benchmark scenario.
SEED = 20240214  # Pemilu 2024 voting day

#: CRS of the synthetic coordinates (metres).
SYNTHETIC_CRS = "EPSG:3395"

#: Official national figures of Pemilu 2024 (KPU): TPS, kecamatan, kabupaten/kota.
NATIONAL_TPS = 820_161
NATIONAL_KECAMATAN = 7_277
NATIONAL_KOTA = 514
#: DKI Jakarta: kelurahan, kecamatan, kota/kabupaten administrasi, TPS.
DKI_KELURAHAN, DKI_KECAMATAN, DKI_KOTA, DKI_TPS = 267, 44, 6, 30_766

# name, centre lon, centre lat, semi-axes (deg lon, deg lat), rotation (deg), share of kota,
# relative TPS density
ISLANDS = (
    ("Sumatera", 101.3, -0.3, 7.5, 1.6, -40.0, 0.30, 1.0),
    ("Jawa", 110.2, -7.2, 5.2, 0.55, -4.0, 0.23, 3.0),
    ("Kalimantan", 114.3, 0.2, 3.4, 2.6, 0.0, 0.11, 0.8),
    ("Sulawesi", 121.0, -2.0, 3.2, 1.0, 55.0, 0.16, 0.8),
    ("Bali-Nusa Tenggara", 119.0, -8.6, 5.6, 0.35, -4.0, 0.08, 1.0),
    ("Maluku", 128.5, -3.0, 2.2, 1.3, 0.0, 0.04, 0.7),
    ("Papua", 137.5, -4.0, 4.6, 1.5, -20.0, 0.08, 0.4),
)
#: Lon/lat box that holds every synthetic point (degrees, generous).
EXTENT_LONLAT = (90.0, -15.0, 146.0, 10.0)


@dataclass(frozen=True)
class Scenario:
    """Arrays of one synthetic (or real) coverage problem, coordinates in metres.

    ``demand_kec``/``site_kec`` are integer kecamatan ids (0..n_kecamatan-1), ``*_kota``
    integer kota ids; exactly one site per kecamatan.
    """

    name: str
    demand_xy: np.ndarray
    demand_kec: np.ndarray
    demand_kota: np.ndarray
    demand_weight: np.ndarray
    site_xy: np.ndarray
    site_kec: np.ndarray
    site_kota: np.ndarray
    site_internet: np.ndarray
    crs: str = SYNTHETIC_CRS

    @property
    def n_points(self) -> int:
        return len(self.demand_xy)

    @property
    def n_sites(self) -> int:
        return len(self.site_xy)

    @property
    def n_kota(self) -> int:
        return len(np.unique(self.site_kota))


def _spread(rng, total: int, n: int, weights: np.ndarray) -> np.ndarray:
    """``n`` positive integers summing to ``total``: one each, the rest multinomial by ``weights``."""
    if total < n:
        raise ValueError(f"cannot give {n} groups at least one of {total} items")
    return 1 + rng.multinomial(total - n, weights / weights.sum())


def _kota_centres(rng, n_kota: int):
    shares = np.array([i[6] for i in ISLANDS])
    island = rng.choice(len(ISLANDS), size=n_kota, p=shares / shares.sum())
    _, lon0, lat0, a, b, rot, _, _ = (np.array(c)[island] for c in zip(*ISLANDS))
    r = np.sqrt(rng.random(n_kota))
    t = rng.random(n_kota) * 2 * np.pi
    u, v = a.astype(float) * r * np.cos(t), b.astype(float) * r * np.sin(t)
    rad = np.radians(rot.astype(float))
    lon = lon0.astype(float) + u * np.cos(rad) - v * np.sin(rad)
    lat = lat0.astype(float) + u * np.sin(rad) + v * np.cos(rad)
    x, y = pyproj.Transformer.from_crs("EPSG:4326", SYNTHETIC_CRS, always_xy=True).transform(lon, lat)
    density = np.array([i[7] for i in ISLANDS])[island]
    return np.column_stack([x, y]), density


def generate(n_points: int, n_sites: int, n_kota: int, *, weights: str = "tps",
             tps_per_point: float = DKI_TPS / DKI_KELURAHAN, internet_share: float = 0.6,
             seed: int = SEED, name: str = "synthetic") -> Scenario:
    """Build a clustered synthetic coverage problem (see the module docstring).

    Parameters
    ----------
    n_points, n_sites, n_kota : int
        Demand points, kecamatan (= sites, one each) and kota; ``n_points >= n_sites >= n_kota``.
    weights : {"tps", "kelurahan"}
        ``"tps"``: every point weighs 1 and points cluster around desa centres;
        ``"kelurahan"``: every point is a kelurahan weighing ``1 + Poisson(tps_per_point - 1)``.
    internet_share : float
        Probability that a site has internet (at least one site always has).
    seed : int
        Seed of :func:`numpy.random.default_rng`; equal arguments give equal arrays.

    Returns
    -------
    Scenario
    """
    if weights not in ("tps", "kelurahan"):
        raise ValueError(f"weights must be 'tps' or 'kelurahan', not {weights!r}")
    if not n_points >= n_sites >= n_kota >= 1:
        raise ValueError(f"need n_points >= n_sites >= n_kota >= 1, got {n_points}, {n_sites}, {n_kota}")
    rng = np.random.default_rng(seed)

    # kota
    kota_xy, density = _kota_centres(rng, n_kota)
    urban = rng.random(n_kota) < 0.2
    radius = np.where(urban, rng.lognormal(np.log(8_000), 0.3, n_kota), rng.lognormal(np.log(30_000), 0.4, n_kota))
    density = density * np.where(urban, 2.0, 1.0)

    # kecamatan
    kec_per_kota = _spread(rng, n_sites, n_kota, rng.lognormal(0.0, 0.5, n_kota))
    kec_kota = np.repeat(np.arange(n_kota), kec_per_kota)
    kec_xy = kota_xy[kec_kota] + rng.normal(0.0, 1.0, (n_sites, 2)) * (radius[kec_kota] / 2)[:, None]
    kec_sigma = radius[kec_kota] / np.sqrt(kec_per_kota[kec_kota]) * 0.35

    # demand points, grouped by kecamatan
    pts_per_kec = _spread(rng, n_points, n_sites, density[kec_kota] * rng.lognormal(0.0, 0.6, n_sites))
    demand_kec = np.repeat(np.arange(n_sites), pts_per_kec)
    if weights == "tps":
        desa_per_kec = np.maximum(1, np.round(pts_per_kec / (NATIONAL_TPS / 83_731))).astype(int)
        desa_start = np.concatenate([[0], np.cumsum(desa_per_kec)[:-1]])
        desa_kec = np.repeat(np.arange(n_sites), desa_per_kec)
        desa_xy = kec_xy[desa_kec] + rng.normal(0.0, 1.0, (len(desa_kec), 2)) * kec_sigma[desa_kec][:, None]
        desa = desa_start[demand_kec] + (rng.random(n_points) * desa_per_kec[demand_kec]).astype(int)
        jitter = np.minimum(300.0, kec_sigma[demand_kec] / 5)[:, None]
        demand_xy = desa_xy[desa] + rng.normal(0.0, 1.0, (n_points, 2)) * jitter
        demand_weight = np.ones(n_points, dtype=np.int64)
    else:
        demand_xy = kec_xy[demand_kec] + rng.normal(0.0, 1.0, (n_points, 2)) * kec_sigma[demand_kec][:, None]
        demand_weight = 1 + rng.poisson(max(tps_per_point - 1.0, 0.0), n_points).astype(np.int64)

    # sites: one per kecamatan near its centre, rows shuffled
    site_xy = kec_xy + rng.normal(0.0, 1.0, (n_sites, 2)) * (0.15 * kec_sigma)[:, None]
    internet = rng.random(n_sites) < internet_share
    if not internet.any():
        internet[rng.integers(n_sites)] = True
    order = rng.permutation(n_sites)
    return Scenario(name=name, demand_xy=demand_xy, demand_kec=demand_kec.astype(np.int64),
                    demand_kota=kec_kota[demand_kec].astype(np.int64), demand_weight=demand_weight,
                    site_xy=site_xy[order], site_kec=order.astype(np.int64),
                    site_kota=kec_kota[order].astype(np.int64), site_internet=internet[order])


def national(fraction: float = 1.0, seed: int = SEED) -> Scenario:
    """National-scale scenario (820,161 TPS points, 7,277 sites, 514 kota), optionally scaled down."""
    n = max(1, round(NATIONAL_KOTA * fraction))
    name = "national" if fraction == 1 else f"national/{round(1 / fraction)}"
    return generate(round(NATIONAL_TPS * fraction), max(n, round(NATIONAL_KECAMATAN * fraction)), n,
                    weights="tps", seed=seed, name=name)


def dki_like(factor: int = 10, seed: int = SEED) -> Scenario:
    """``factor`` x DKI: kelurahan-like points carrying TPS weights (10x: 2,670 / 440 / 60)."""
    return generate(DKI_KELURAHAN * factor, DKI_KECAMATAN * factor, DKI_KOTA * factor,
                    weights="kelurahan", seed=seed, name=f"{factor}x DKI")


def dki_tps_scale(seed: int = SEED) -> Scenario:
    """DKI at TPS resolution: 30,766 points of weight 1, 44 sites, 6 kota (synthetic positions:
    the TPS of DKI have no published coordinates)."""
    return generate(DKI_TPS, DKI_KECAMATAN, DKI_KOTA, weights="tps", seed=seed, name="DKI-size, TPS points")


def kec_code(kec: np.ndarray, kota: np.ndarray) -> np.ndarray:
    """String codes ``"KKK.CCCC"`` (kota id, kecamatan id) like the dotted Kemendagri codes."""
    return np.char.add(np.char.add(np.char.zfill(kota.astype(str), 3), "."), np.char.zfill(kec.astype(str), 4))


def to_geodataframes(scn: Scenario):
    """(demand, sites) GeoDataFrames of a scenario, in its CRS, with the real data's column names.

    demand: ``kecamatan_kode, kota_kode, tps_total, geometry``;
    sites: ``site_id, kecamatan_kode, kota_kode, internet, geometry``.
    """
    import geopandas as gpd
    import pandas as pd

    demand = gpd.GeoDataFrame(
        {"kecamatan_kode": kec_code(scn.demand_kec, scn.demand_kota),
         "kota_kode": pd.Series(scn.demand_kota).map("{:03d}".format).to_numpy(),
         "tps_total": scn.demand_weight},
        geometry=gpd.points_from_xy(scn.demand_xy[:, 0], scn.demand_xy[:, 1]), crs=scn.crs)
    sites = gpd.GeoDataFrame(
        {"site_id": np.char.add("S-", kec_code(scn.site_kec, scn.site_kota)),
         "kecamatan_kode": kec_code(scn.site_kec, scn.site_kota),
         "kota_kode": pd.Series(scn.site_kota).map("{:03d}".format).to_numpy(),
         "internet": scn.site_internet},
        geometry=gpd.points_from_xy(scn.site_xy[:, 0], scn.site_xy[:, 1]), crs=scn.crs)
    return demand, sites

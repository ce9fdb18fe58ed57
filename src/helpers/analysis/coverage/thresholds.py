"""Thresholds of the coverage checks (:class:`Thresholds`): every gap compares a value with one."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Thresholds:
    """Thresholds of the coverage checks; every gap in the gap list compares a value with one.

    Parameters
    ----------
    max_distance_km : float, default 5.0
        A kelurahan whose PPS office lies farther than this (straight line) from the PPK site of
        its kecamatan is a gap (``far_from_ppk``).  5 km is a long trip for ballot boxes in
        Jakarta traffic on the night after polling; the largest mainland kecamatan are ~6-8 km
        across.  Distances exactly equal to the threshold are within it.
    fallback_max_km : float, default 5.0
        A site whose nearest *other* site with internet (its fallback if its own link fails) is
        farther than this is a gap (``weak_fallback``); so is a site with no such fallback.
    overload_ratio : float, default 1.5
        A site whose load (TPS of the kelurahan it serves) is more than this multiple of the mean
        load is a gap (``overloaded_site``); the mean of which sites is ``overload_basis``.
    overload_basis : {"kota", "dki"}, default "kota"
        ``"kota"``: the mean of the sites of the site's own kota (a site is judged against its
        neighbours; Kemayoran, 701 TPS, is overloaded in Jakarta Pusat whose sites average 391);
        ``"dki"``: the mean of all sites of the province (699 TPS).  Both counts are always
        reported (``n_sites_overloaded_kota``, ``n_sites_overloaded_dki``); the basis chooses
        which sites become gaps.
    max_tps_per_site : int or None, default None
        Optional absolute ceiling on TPS per site (``tps_ceiling`` gap); ``None`` disables it.

    Examples
    --------
    >>> Thresholds().max_distance_km, Thresholds(overload_ratio=2).overload_ratio
    (5.0, 2)
    """

    max_distance_km: float = 5.0
    fallback_max_km: float = 5.0
    overload_ratio: float = 1.5
    max_tps_per_site: int | None = None
    overload_basis: str = "kota"

    def __post_init__(self):
        if self.overload_basis not in OVERLOAD_BASES:
            raise ValueError(f"overload_basis must be one of {', '.join(OVERLOAD_BASES)}, not {self.overload_basis!r}")
        for name in ("max_distance_km", "fallback_max_km", "overload_ratio"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise ValueError(f"threshold {name} must be a number > 0, not {value!r}")
        ceiling = self.max_tps_per_site
        if ceiling is not None and (isinstance(ceiling, bool) or not isinstance(ceiling, (int, float))
                                    or not ceiling > 0):
            raise ValueError(f"threshold max_tps_per_site must be a number > 0 or None, not {ceiling!r}")

    def as_dict(self) -> dict:
        """Thresholds as a flat dict (for the headline-figures JSON)."""
        return asdict(self)


#: Bases of the overload rule (see :class:`Thresholds`).
OVERLOAD_BASES = ("kota", "dki")

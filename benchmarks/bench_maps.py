"""Map benchmark: saved HTML size of the recap-sites map for DKI and each kota, online and offline.

The map is built with :func:`helpers.maps.recap_sites_map` from the shipped data (sites, kota and
kecamatan boundaries, facilities, TPS) as the recap-sites notebook does, and written with
:func:`helpers.maps.save_map` twice: ``offline=False`` (Leaflet from the CDN) and
``offline=True`` (Leaflet and MarkerCluster inlined).  Sizes are bytes on disk, reported in MB
(10^6 bytes).  Targets: DKI <= 1.5 MB online and <= 3 MB offline; each kota <= 0.8 MB online.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

TARGET_DKI_ONLINE_MB = 1.5
TARGET_DKI_OFFLINE_MB = 3.0
TARGET_KOTA_ONLINE_MB = 0.8


def run(quick: bool = False, log=print) -> dict:
    """One row per scope (DKI, then each kota unless ``quick``): online and offline MB."""
    try:
        from helpers import maps
        from helpers.io.inputs import load_boundaries, load_facilities, load_sites, load_tps
        from helpers.io.national import resolve_scope
    except ImportError as exc:
        return {"note": f"not available (module missing: {exc.name})", "rows": []}
    if not hasattr(maps, "recap_sites_map") or not hasattr(maps, "save_map"):
        return {"note": "not available (helpers.maps lacks recap_sites_map/save_map)", "rows": []}
    sites, kota, kec = load_sites(), load_boundaries("kota"), load_boundaries("kecamatan")
    fac, tps = load_facilities(), load_tps()
    scopes = [None] + ([] if quick else sorted(kota["nama"].astype(str)))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-maps-") as tmp:
        for scope in scopes:
            name = "DKI Jakarta" if scope is None else scope
            log(f"maps: {name} ...")
            t0 = time.perf_counter()
            m = maps.recap_sites_map(sites, kota, kec, fac, tps, scope=resolve_scope(kota=scope))
            build_s = time.perf_counter() - t0
            sizes = {}
            for offline in (False, True):
                path = maps.save_map(m, Path(tmp) / f"{name}-{offline}.html", offline=offline)
                sizes[offline] = path.stat().st_size / 1e6
            if scope is None:
                targets = {False: TARGET_DKI_ONLINE_MB, True: TARGET_DKI_OFFLINE_MB}
            else:
                targets = {False: TARGET_KOTA_ONLINE_MB, True: None}
            ok = all(sizes[k] <= t for k, t in targets.items() if t is not None)
            rows.append({"scope": name, "online_mb": sizes[False], "offline_mb": sizes[True],
                         "target_online_mb": targets[False], "target_offline_mb": targets[True],
                         "build_s": build_s, "pass": ok})
    return {"rows": rows, "map": "helpers.maps.recap_sites_map", "note": None}

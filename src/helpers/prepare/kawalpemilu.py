"""TPS per kelurahan of DKI Jakarta, derived from KawalPemilu's ``tps.json``.

``data/raw/kawalpemilu/tps.json`` is GitHub ``kawalpemilu/kp24`` ``src/assets/tps.json`` (commit
``7fe5e9751271fc192caee4e8e89802f322310ef8``, blob ``12c63100f43473ca1a698d9d424e7b25be7ccf28``), kept
unchanged.  Its format (read in that repository's ``functions/src/tps.ts``)::

    {"id2name": {code: name},            # 2 (prov), 4 (kab/kota), 6 (kec), 10 (desa) digit codes
     "tps":     {desa10: [n] | [n, k, j]}}  # TPS 1..n, plus special-location TPS k..j (901+)

:func:`dki_tps_csv` writes the DKI table the build reads (one row per kelurahan, codes sorted).
Run ``python -m helpers.prepare.kawalpemilu [TPS_JSON] [-o OUT.csv]`` to write it to a file.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from helpers.core import paths

COLUMNS = ["kode_kemendagri", "kode_kpu", "kota_kode", "kota", "kecamatan_kode", "kecamatan", "kelurahan",
           "tps_reguler", "tps_ext_from", "tps_ext_to", "tps_ext_n", "tps_total"]
#: sha256 of the DKI table as first derived (by the data staging, from ``tps2.json`` of the same
#: commit); :func:`dki_tps_csv` reproduces it byte for byte from ``tps.json``.
STAGED_SHA256 = "2b682d60da08a12c8ecb1f8b8773966e1809fd5c8fa525d56c75d2499ffae987"


def dotted(code: str) -> str:
    """``'3171011001'`` -> ``'31.71.01.1001'`` (also for 2-, 4- and 6-digit prefixes).

    Examples
    --------
    >>> dotted("3101"), dotted("3101011002")
    ('31.01', '31.01.01.1002')
    """
    return ".".join(p for p in (code[0:2], code[2:4], code[4:6], code[6:10]) if p)


def dki_tps_csv(tps_json: Path | str | None = None, prov: str = "31") -> str:
    """The per-kelurahan TPS table of one province as CSV text (default: DKI Jakarta, the shipped file).

    Columns: Kemendagri (dotted) and KPU codes, kota and kecamatan codes and names (``id2name``), the
    kelurahan name, ``tps_reguler`` (TPS 1..n), ``tps_ext_from``/``tps_ext_to`` (first and last
    special-location TPS number, written ``901.0`` as in the first derivation, empty if none),
    ``tps_ext_n`` and ``tps_total``.
    """
    path = Path(tps_json) if tps_json is not None else paths.RAW / "kawalpemilu" / "tps.json"
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    names, tps = data["id2name"], data["tps"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for k in sorted(c for c in tps if c.startswith(prov)):
        v = tps[k]
        if len(k) != 10 or len(v) not in (1, 3):
            raise ValueError(f"unexpected tps.json entry {k}: {v!r}")
        reg = int(v[0])
        first, last, n_ext = (f"{v[1]}.0", f"{v[2]}.0", v[2] - v[1] + 1) if len(v) == 3 else ("", "", 0)
        w.writerow([dotted(k), k, dotted(k[:4]), names[k[:4]], dotted(k[:6]), names[k[:6]], names[k],
                    reg, first, last, n_ext, reg + n_ext])
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Command line: write the DKI table (default: to standard output)."""
    ap = argparse.ArgumentParser(prog="python -m helpers.prepare.kawalpemilu", description=__doc__.split("\n")[0])
    ap.add_argument("tps_json", nargs="?", type=Path, default=None, help="default: data/raw/kawalpemilu/tps.json")
    ap.add_argument("-o", "--out", type=Path, default=None)
    args = ap.parse_args(argv)
    text = dki_tps_csv(args.tps_json)
    if args.out:
        args.out.write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

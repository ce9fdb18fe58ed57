#!/usr/bin/env python3
"""Reproduce ``wilayah_pulau_31.01_rows.sql`` from the upstream island gazetteer.

Upstream: GitHub ``cahyadsn/wilayah``, commit ``b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7``,
path ``db/wilayah_pulau.sql``, git blob ``7e661d1a3847f9d6c95b1426cd8567a3fa257dff`` (1,251,530 bytes),
MIT licence (``LICENSE.cahyadsn_wilayah.txt``).

Usage::

    python extract_rows.py PATH/TO/db/wilayah_pulau.sql [-o wilayah_pulau_31.01_rows.sql]

The script checks the git blob id of the input (so a different upstream version is refused), keeps
the INSERT value lines of the islands listed in ``CODES`` exactly as they are (byte for byte, in
upstream order, each ending with a newline) and writes nothing else.  No value is changed here: the
missing minus sign of the Kepulauan Seribu latitudes is restored by the build (``helpers.islands``).
"""

import argparse
import hashlib
from pathlib import Path

BLOB = "7e661d1a3847f9d6c95b1426cd8567a3fa257dff"
#: the islands on which a source puts a Kepulauan Seribu office (see office_islands.csv), plus
#: Pulau Pari (namesake of kelurahan Pulau Pari, whose office is on Pulau Lancang Besar)
CODES = (
    "31.01.40027",  # Pulau Harapan
    "31.01.40044",  # Pulau Kelapa
    "31.01.40056",  # Pulau Lancang Besar
    "31.01.40070",  # Pulau Panggang
    "31.01.40077",  # Pulau Pari
    "31.01.40087",  # Pulau Pramuka
    "31.01.40105",  # Pulau Tidung Besar
    "31.01.40110",  # Pulau Untung Jawa
)


def git_blob_sha1(data: bytes) -> str:
    """The id git gives a file's content (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def extract(data: bytes) -> bytes:
    keep = [line for line in data.splitlines(keepends=True)
            if any(line.startswith(f"('{c}',".encode()) for c in CODES)]
    if len(keep) != len(CODES):
        raise SystemExit(f"expected {len(CODES)} rows, found {len(keep)}")
    return b"".join(line if line.endswith(b"\n") else line + b"\n" for line in keep)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("upstream", type=Path, help="db/wilayah_pulau.sql of cahyadsn/wilayah")
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).with_name("wilayah_pulau_31.01_rows.sql"))
    args = ap.parse_args()
    data = args.upstream.read_bytes()
    blob = git_blob_sha1(data)
    if blob != BLOB:
        raise SystemExit(f"{args.upstream}: git blob {blob}, expected {BLOB} (another upstream version)")
    args.out.write_bytes(extract(data))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

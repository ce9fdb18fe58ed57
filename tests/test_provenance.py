"""The repository stands on its own: every raw folder says where its files come from, nothing refers
to the data staging outside the repository, and derived raw data can be re-derived."""

import hashlib
import io
import subprocess

import pandas as pd
import pytest

from helpers.prepare import dki as data, kawalpemilu
from helpers.core import paths

# built from pieces so that this file does not contain what it looks for
FORBIDDEN = ("shared" + "/data", ".." + "/shared")
QUOTE = "jaringan internet di 44 tempat rekapitulasi suara"


def git_blob_sha1(raw: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def _ls_files():
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [paths.ROOT / p for p in out.decode().split("\0") if p and not p.startswith(".git/")]


def tracked_files():
    files = _ls_files()
    if files is None:
        pytest.skip("not a git checkout")
    return files


def test_no_tracked_file_refers_to_the_staging_outside_the_repository():
    hits = []
    for f in tracked_files():
        if not f.is_file():
            continue
        text = f.read_bytes()
        hits += [f"{f.relative_to(paths.ROOT)}: {s}" for s in FORBIDDEN if s.encode() in text]
    assert not hits, hits


def test_every_raw_folder_has_a_sources_note():
    files = _ls_files()  # in a checkout: the folders holding tracked files (work in progress aside)
    folders = sorted(p for p in paths.RAW.iterdir() if p.is_dir()
                     and (files is None or any(paths.RAW / p.name in f.parents for f in files)))
    assert len(folders) >= 6
    for folder in folders:
        note = folder / "SOURCES.md"
        assert note.is_file(), f"{folder.name} has no SOURCES.md"
        text = note.read_text(encoding="utf-8")
        assert "icence" in text and ("blob" in text or "http" in text), folder.name
        for f in folder.iterdir():  # every file is named in its note
            if f.name != "SOURCES.md":
                assert f"`{f.name}`" in text, f"{folder.name}/SOURCES.md does not name {f.name}"


def test_raw_copies_are_the_upstream_blobs():
    """Files kept unchanged carry the git blob id of the upstream file, as their SOURCES.md says."""
    for rel in ("kawalpemilu/tps.json", "hdx_codab/id31_dki_jakarta_district.geojson",
                "kemendagri_cahyadsn/wilayah_boundaries_kel_31.01.sql",
                "kepulauan_seribu_islands/LICENSE.cahyadsn_wilayah.txt"):
        f = paths.RAW / rel
        blob = git_blob_sha1(f.read_bytes())
        assert f"`{blob}`" in (f.parent / "SOURCES.md").read_text(encoding="utf-8"), rel


def test_kawalpemilu_dki_table_rederived_byte_for_byte():
    text = kawalpemilu.dki_tps_csv()
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == kawalpemilu.STAGED_SHA256
    df = pd.read_csv(io.StringIO(text))
    tps = pd.read_csv(paths.processed("tps"))  # built from it: the same kelurahan and TPS
    assert len(df) == len(tps) and int(df["tps_total"].sum()) == int(tps["tps_total"].sum())
    assert int(df["tps_ext_n"].sum()) == int(tps["tps_khusus"].sum())


def test_internet_claim_cites_the_article():
    sites = pd.read_csv(paths.processed("sites"))
    assert (sites["internet_source"] == data.INTERNET_SOURCE).all()
    src = data.INTERNET_SOURCE
    assert QUOTE in src and "29 January 2024" in src and "merahputih.com/post/read/" in src
    assert "lists no sites" in src
    readme = " ".join((paths.DATA / "README.md").read_text(encoding="utf-8").replace("\n>", " ").split())
    assert QUOTE in readme and "Pemprov DKI Bantu Jaringan Internet di 44 Lokasi Rekapitulasi Pemilu 2024" in readme

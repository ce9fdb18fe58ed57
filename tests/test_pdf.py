"""A PDF that can be sent (issue 22, item 5): the reader reports printed by ``pemilu-recap --pdf``
(helpers.reports.render.write_pdf), checked in the PDF itself.

* **Each map is drawn.**  The pictures of the maps are found in the PDF's pages (their placement read
  with pypdf), each page holding one is rendered with poppler's ``pdftoppm``, and each map's box must
  hold drawn data: non-white pixels (a picture for print has no basemap and a white background, so a
  blank map, as the national map used to print, has none but its scale bar, which is left out).  A
  negative control: an empty map printed the same way shows none.
* **Every link works.**  Every link annotation either points inside the PDF (a named destination that
  exists) or is relative and names a file of the report folder, next to the PDF (Chromium writes
  ``file:///…/out.tmp-NNN/…`` for them; the build folder is gone once published).
* **No orphan heading.**  No section heading or table caption is the last text of a page (its
  position read with ``pdftotext -bbox-layout``).
* **Title and legend as page text.**  The title and every legend label of each map are text of the PDF
  (``pdftotext``); the picture itself is the map page at ``#print``, without zoom buttons, layer lists,
  title, legend or buttons (checked in Chromium by tests/test_map_controls.py).

Real PDFs: all of DKI Jakarta, the national overview and Kepulauan Seribu in English (the last shared
with tests/test_reader_report.py).  Needs Chromium (``chromium``) and poppler (``poppler-utils``):
skipped when missing, a failure in CI (``CI=true``).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pypdf
import pytest

from helpers.io import inputs as loaders
from helpers.io.national import resolve_scope
from helpers.maps import add_legend, base_map, recap_sites_map, save_map
from helpers.maps.page import read_map_info
from helpers.reports import render as rd
from helpers.reports import spec as rs

pytestmark = pytest.mark.browser

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
#: Resolution at which a page is rendered to look at a map (dots per inch).
DPI = 50
#: Share of a map's box that must be drawn (non-white): the DKI maps draw 7-53 %, the national map 17 %,
#: the maps of Kepulauan Seribu (small islands in a wide sea) 0.5 %; an empty map 0.
DRAWN = 0.002


@pytest.fixture(autouse=True)
def _tools():
    missing = [name for name in ("pdftoppm", "pdftotext") if shutil.which(name) is None]
    if rd.find_chromium() is None:
        missing.append("chromium")
    if missing:
        message = f"missing {', '.join(missing)}: apt-get install chromium poppler-utils"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


# ---------------------------------------------------------------------------------------------
# reading a PDF
# ---------------------------------------------------------------------------------------------
def pictures(pdf: Path) -> list[dict]:
    """Every image drawn in ``pdf``: page (1-based), pixel size and box in points from the top left."""
    out = []
    for number, page in enumerate(pypdf.PdfReader(pdf).pages, 1):
        height = float(page.mediabox.height)
        images = {name: obj.get_object() for name, obj in (page["/Resources"].get("/XObject") or {}).items()
                  if obj.get_object().get("/Subtype") == "/Image"}

        def visit(op, args, cm, tm, images=images, number=number, height=height):
            if op == b"Do" and args and args[0] in images:
                a, _, _, d, e, f = cm
                img = images[args[0]]
                out.append({"page": number, "size": (int(img["/Width"]), int(img["/Height"])),
                            "box": (e, height - (f + d), e + a, height - f)})
        page.extract_text(visitor_operand_before=visit)
    return out


def drawn_share(pdf: Path, picture: dict) -> float:
    """Share of non-white pixels in a picture's box (the page rendered at :data:`DPI` by pdftoppm), its
    edge (1 %) and the scale bar's corner (bottom left, 15 % x 6 %) left out."""
    from PIL import Image

    n = str(picture["page"])
    png = subprocess.run(["pdftoppm", "-r", str(DPI), "-f", n, "-l", n, "-png", str(pdf)], capture_output=True,
                         check=True).stdout
    img = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    x0, y0, x1, y1 = (v * DPI / 72 for v in picture["box"])
    w, h = x1 - x0, y1 - y0
    box = img[round(y0 + h / 100):round(y1 - h / 100), round(x0 + w / 100):round(x1 - w / 100)] < 235
    rows, cols = box.shape
    box[round(rows * 0.94):, :round(cols * 0.15)] = False
    return float(box.mean())


def links(pdf: Path) -> list[dict]:
    """Every link of ``pdf``: its page and its target (``uri`` or internal ``dest``)."""
    reader = pypdf.PdfReader(pdf)
    names = set(reader.named_destinations)
    out = []
    for number, page in enumerate(reader.pages, 1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else {}
            if action.get("/S") == "/URI":
                out.append({"page": number, "uri": str(action["/URI"])})
            else:
                dest = annot.get("/Dest", action.get("/D"))
                out.append({"page": number, "dest": str(dest), "known": str(dest) in names})
    return out


def broken_links(pdf: Path) -> list[str]:
    """The links of ``pdf`` that do not resolve: internal ones to no destination, file links that are
    absolute or name no file next to the PDF."""
    bad = []
    for link in links(pdf):
        if "dest" in link:
            if not link["known"]:
                bad.append(f"page {link['page']}: no destination {link['dest']}")
            continue
        uri = link["uri"]
        if re.match(r"https?://", uri):
            continue
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", uri) or uri.startswith("/"):
            bad.append(f"page {link['page']}: absolute {uri}")
        elif not (pdf.parent / unquote(uri.split("#")[0])).is_file():
            bad.append(f"page {link['page']}: no file {uri}")
    return bad


def page_blocks(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, the text blocks of ``pdftotext -bbox-layout``: (top, bottom, text)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xml, count=1))
    return [[(float(b.get("yMin")), float(b.get("yMax")), _words(" ".join(w.text or "" for w in b.iter("word"))))
             for b in page.iter("block")] for page in root.iter("page")]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def orphans(pdf: Path, headings) -> tuple[list[str], int]:
    """Headings (whole text blocks) that end their page, and how many headings were found at all."""
    heads = {_words(h) for h in headings}
    bad, found = [], 0
    for number, blocks in enumerate(page_blocks(pdf), 1):
        for _, bottom, words in blocks:
            if words in heads:
                found += 1
                if not any(t >= bottom - 0.5 and w != words for t, _, w in blocks):
                    bad.append(f"page {number}: {words!r}")
    return bad, found


def headings(folder: Path) -> set[str]:
    """Section headings and table captions of the folder's report specs."""
    out = set()
    for path in folder.glob(f"*{rs.SPEC_SUFFIX}"):
        for section in json.loads(path.read_text(encoding="utf-8"))["sections"]:
            out.add(section["heading"])
            out.update(b["caption"] for b in section["blocks"] if b["type"] == "table" and b.get("caption"))
    return out


def map_hrefs(folder: Path) -> list[str]:
    """The map files the folder's report specs show, in print order, once each."""
    out = []
    for path in sorted(folder.glob(f"*{rs.SPEC_SUFFIX}")):
        for section in json.loads(path.read_text(encoding="utf-8"))["sections"]:
            out += [b["href"] for b in section["blocks"] if b["type"] == "map" and b["href"] not in out]
    return out


def check_pdf(folder: Path) -> None:
    """Every check of the module docstring on ``folder/report.pdf``."""
    pdf = folder / rs.PDF_NAME
    assert pdf.read_bytes()[:4] == b"%PDF" and not list(folder.glob(".print-*")) and not list(folder.glob("*.tmp"))
    hrefs = map_hrefs(folder)
    assert hrefs, f"{folder.name}: no map in the reports"
    sizes = [rd.picture_size(read_map_info(folder / h)["bounds"]) for h in hrefs]
    shown = [p for p in pictures(pdf) if p["size"] in sizes]
    assert sorted(p["size"] for p in shown) == sorted(sizes), (folder.name, shown, sizes)
    for p in shown:
        share = drawn_share(pdf, p)
        assert share >= DRAWN, f"{folder.name}: the map on page {p['page']} shows no data ({share:.1%} drawn)"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)  # pdftotext drops narrow spaces ("≥ 8" reads "≥8")
    for h in hrefs:  # the title and the legend of each map, as page text
        info = read_map_info(folder / h)
        assert re.sub(r"\s+", "", info["title"]) in flat, info["title"]
        for legend in info["legends"]:
            for item in legend["items"]:
                assert re.sub(r"\s+", "", item["label"]) in flat, item["label"]
    found = links(pdf)
    assert sum("uri" in link for link in found) >= len(hrefs), found  # at least the link of each map
    assert broken_links(pdf) == []
    bad, n = orphans(pdf, headings(folder))
    assert n >= len(hrefs) and bad == [], (n, bad)


# ---------------------------------------------------------------------------------------------
# a small folder of one's own: the negative control, links with spaces and accents
# ---------------------------------------------------------------------------------------------
def test_a_blank_map_prints_as_blank_and_a_drawn_one_as_drawn(tmp_path):
    folder = tmp_path / "laporan 'uji' + é"  # a folder name Chromium and Python quote differently
    folder.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sites, kota, kec = loaders.load_sites(), loaders.load_boundaries("kota"), loaders.load_boundaries("kecamatan")
    drawn = recap_sites_map(sites, kota, kec, scope=resolve_scope(kota="Jakarta Pusat"), basemap=None)
    save_map(drawn, folder / "map-drawn.html")
    blank = base_map([[-6.37, 106.69], [-6.09, 106.97]], basemap=None, title="Peta kosong")
    add_legend(blank, "Keterangan", [("#1a9641", "tidak ada apa-apa")])
    save_map(blank, folder / "map-blank.html")
    (folder / "tabel celah é.csv").write_text("a\n1\n", encoding="utf-8")
    table = rs.table(pd.DataFrame({"a": [1]}), {"a": "A"}, csv=folder / "tabel celah é.csv")
    spec = rs.new_spec(name="Uji", scope="Jakarta Pusat", language="id", lead="Uji cetak.", figures=[],
                       sections=[rs.section("Peta berisi", rs.map_link(folder / "map-drawn.html", "Peta")),
                                 rs.section("Peta kosong", rs.map_link(folder / "map-blank.html", "Kosong"), table)])
    (folder / f"01-uji{rs.SPEC_SUFFIX}").write_text(json.dumps(spec), encoding="utf-8")
    pdf = rd.write_pdf(folder)
    shown = pictures(pdf)
    assert [p["size"] for p in shown] == [rd.picture_size(read_map_info(folder / n)["bounds"])
                                          for n in ("map-drawn.html", "map-blank.html")]
    drawn_part, blank_part = (drawn_share(pdf, p) for p in shown)
    assert drawn_part >= DRAWN and blank_part == 0, (drawn_part, blank_part)
    uris = sorted(link["uri"] for link in links(pdf) if "uri" in link)
    assert uris == ["map-blank.html", "map-drawn.html", "tabel%20celah%20%C3%A9.csv"], uris
    assert broken_links(pdf) == []
    (folder / "tabel celah é.csv").unlink()  # the check can fail: a link to a missing file
    assert broken_links(pdf) == [f"page {p}: no file tabel%20celah%20%C3%A9.csv"
                                 for p in [link["page"] for link in links(pdf) if link.get("uri", "").startswith("tabel")]]


def test_the_orphan_check_finds_a_heading_alone_at_the_end_of_a_page(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<!DOCTYPE html><html lang="id"><body><h2>Judul baik</h2><p>Teks di bawahnya.</p>'
                    '<h2>Judul yatim</h2><p style="break-before: page">Teks di halaman berikutnya.</p></body></html>',
                    encoding="utf-8")
    pdf = tmp_path / "p.pdf"
    subprocess.run([rd.find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    page.as_uri()], capture_output=True, timeout=300)
    assert orphans(pdf, ["Judul baik", "Judul yatim"]) == (["page 1: 'Judul yatim'"], 2)


# ---------------------------------------------------------------------------------------------
# the real reports
# ---------------------------------------------------------------------------------------------
def _run(batch_report, *args: str) -> Path:
    code, out = batch_report(*args)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    failures = [(r["notebook"], r["error"], r["warnings"]) for r in manifest["runs"] if r["status"] != "ok" or r["warnings"]]
    assert code == 0 and not failures, failures
    return out


@pytest.mark.notebooks
@pytest.mark.xdist_group("pdf-dki")
def test_dki_pdf(batch_report):
    check_pdf(_run(batch_report, "--kota", "dki", "--pdf") / "dki")


@pytest.mark.notebooks
@pytest.mark.xdist_group("pdf-national")
def test_national_pdf(batch_report):
    check_pdf(_run(batch_report, "--kota", "national", "--pdf") / "national")


@pytest.mark.notebooks
@pytest.mark.xdist_group("seribu")
def test_kepulauan_seribu_pdf_in_english(batch_report):
    check_pdf(_run(batch_report, "--kota", "Kepulauan Seribu", "-p", "language", "en", "--pdf") / "kepulauan-seribu")

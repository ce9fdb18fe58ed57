"""What a reader sees holds no code names, hashes or English in an Indonesian page (#22, items 2 and 3).

The Indonesian batch of DKI Jakarta, Jakarta Selatan and Kepulauan Seribu (``--pdf``) and the national
overview, and the English run of Kepulauan Seribu, are built once (tests/reader_batch.py).  What a reader
sees is extracted from each:

* ``index.html`` and every ``*.report.html``: the visible text (not script or style) and the ``title``,
  ``alt``, ``aria-label`` and ``placeholder`` attributes -- except inside an element marked ``lang="en"``
  (verbatim records quoted on the sources page) and link targets;
* every map page: its title, subtitle and legends (the page's own data, ``helpers.maps.page.read_map_info``),
  its layer names, and every popup and tooltip, read from the data the map's runtime builds them from
  (``RecapMap.points/shapes/legend/title/inset/controls`` calls; the national map's JSON);
* every ``report.pdf``: its text (``pdftotext``, poppler-utils), less the ``lang="en"`` records of the
  scope's pages.

Each text is scanned (:func:`findings`) for code names (an identifier with ``_``, a notebook parameter
name, ``(p)``), file paths (``data/raw/...``, ``.py``, ``.sql``), hashes (hex of 7 or more characters with
a letter and a digit), English words that are not also Indonesian (:data:`ENGLISH`; "data", "file",
"internet", "input", "online", "link", "notebook" are Indonesian loanwords the pages use as such), and
numbers in English format (``30,766``, ``72.7``): an Indonesian page writes ``30.766``, ``72,7 %``.  The
English run is scanned for code names and hashes.  A finding is reported as page and the text around it.

Findings that other engineers are removing (#22 items 1 and 2) may be listed in :data:`ALLOWED`, each with
its owner and its text; an entry that no longer matches anything fails the test, so the list only shrinks
(it is empty now).
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers.core.parameters import SHARED
from helpers.maps.page import read_map_info

pytestmark = pytest.mark.notebooks


# ---------------------------------------------------------------------------------------------
# what is looked for
# ---------------------------------------------------------------------------------------------
#: Common English words that are not also Indonesian words (checked against the pages: none of these is
#: used as a loanword in them).  Not here: data, file, internet, input, online, link, notebook, total,
#: status, panel, model, via, per, media, server -- used in the Indonesian pages as Indonesian words.
ENGLISH = frozenset("""
the of and with from which that this these those is was were be been has have had not only
approximate approximately point points source sources position positions unknown known island islands
warehouse warehouses venue venues site sites office offices run runs hash hashes
representative inside outside within between where when what who how than then there their its it
into onto over under above below near nearest farthest distance distances published row rows column
monday tuesday wednesday thursday friday saturday sunday january february march may june july august
october december claim programme applied every each all any some more most
give plan here reported press report reports map maps page pages
""".split())
#: Not in :data:`ENGLISH`: "are" and "nan" (Sungai Are, Luhak Nan Duo: place names of the national map),
#: "september", "november", "april" (Indonesian months too); code values are matched by case instead.
_CODE_VALUES = r"\b(?:nan|NaN|None|True|False|true|false|null|openstreetmap)\b"
#: Notebook parameter names (helpers.core.parameters.SHARED) and the notebooks' own, flagged when written as
#: code, in parentheses ("(p)", "(offline)"): several are also ordinary words ("kota", "provinsi").
PARAMETERS = frozenset([p.name for p in SHARED] + ["max_distance_km", "fallback_max_km", "overload_ratio",
                                                   "overload_basis", "max_tps_per_site", "radius_km", "down_sites",
                                                   "cost_per_site", "candidates_path", "p"])
#: Files of the report folder named in a page (link texts): exempt from the English-word scan.
_FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|gpkg|html|pdf|png|json|xlsx|ipynb)\b")
_URL = re.compile(r"(?:https?|file)://\S+|www\.\S+")
#: A time of day, written 15.50 in Indonesian ("pukul 09.00-21.00", "15.50 (UTC+07:00)"): not a number.
_TIME = re.compile(r"\bpukul \d{1,2}\.\d{2}(?:\s*[-–]\s*\d{1,2}\.\d{2})?|\b\d{1,2}\.\d{2}(?= \(UTC)")

DETECTORS = {
    "code name": re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b|" + _CODE_VALUES),
    "parameter": re.compile(r"\((?:" + "|".join(sorted(map(re.escape, PARAMETERS), key=len, reverse=True)) + r")\)"),
    "file path": re.compile(r"\bdata/(?:raw|processed)/\S*|\bsrc/helpers\S*|\b[\w/-]+\.(?:py|sql)\b|/work/\S+"),
    "hash": re.compile(r"(?<![\w.-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}(?![\w-])"),
    "English word": re.compile(r"\b(?:" + "|".join(sorted(ENGLISH, key=len, reverse=True)) + r")\b", re.I),
    # a decimal point (72.7), or thousands commas in two groups or more (8,252,897); a single ",ddd" is
    # left alone (an Indonesian decimal of three places, 6,471 Mbps)
    "English number": re.compile(r"(?<![\d.,])(?:[1-9]\d{0,2}(?:,\d{3}){2,}|\d+\.\d{1,2})(?![\d.,]*\d)"),
}
#: What the English run is scanned for (code words in any language).
CODE_DETECTORS = ("code name", "parameter", "file path", "hash")


def findings(words: str, detectors=tuple(DETECTORS)) -> list[tuple[str, str]]:
    """``(detector, text around it)`` of what ``words`` should not hold: the first finding of each detector.

    Examples
    --------
    >>> [d for d, _ in findings("Batas jarak (max_distance_km): 5 km, @ b7ad440a, approximate")]
    ['code name', 'parameter', 'hash', 'English word']
    >>> findings("30.766 TPS; 98,8 %; 1,6 km; data dari file internet; PPK-31.74.08; Kamal Muara")
    []
    >>> [d for d, _ in findings("8,252,897 DPT and 72.7%")]
    ['English word', 'English number']
    """
    clean = _TIME.sub(" ", _FILE_NAME.sub(" ", _URL.sub(" ", words)))
    found = []
    for name in detectors:
        source = words if name == "file path" else clean
        m = DETECTORS[name].search(source)
        if m:
            found.append((name, source[max(0, m.start() - 60):m.end() + 60].replace("\n", " ")))
    return found


# ---------------------------------------------------------------------------------------------
# what a reader sees
# ---------------------------------------------------------------------------------------------
class _Visible(HTMLParser):
    """Visible text and reader-facing attributes of a page by section (its ``h2`` heading), and apart the
    text of ``lang="en"`` elements."""

    _SKIP = {"script", "style", "template"}
    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, English)
        self.section, self._heading = "", None
        self.texts: list[tuple[str, str]] = []  # (section, text)
        self.english: list[str] = []

    def _state(self):
        return (any(s for _, s, _ in self.stack), any(e for _, _, e in self.stack))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip, en = self._state()
        # a record quoted in English inside a page of another language (a page in English is read whole)
        en = en or (tag != "html" and (a.get("lang") or "").lower().startswith("en"))
        if not (skip or en):
            self.texts += [(self.section, a[k]) for k in ("title", "alt", "aria-label", "placeholder") if a.get(k)]
        if tag == "h2":
            self._heading = []
        if tag not in self._VOID:
            self.stack.append((tag, tag in self._SKIP, en))

    def handle_endtag(self, tag):
        if tag == "h2" and self._heading is not None:
            self.section, self._heading = _squash(" ".join(self._heading)), None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        skip, en = self._state()
        if data.strip() and not skip:
            if self._heading is not None:
                self._heading.append(data)
            if en:
                self.english.append(data)
            else:
                self.texts.append((self.section, data))


def page_texts(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """((section heading, visible text) pairs, English records) of an HTML page."""
    p = _Visible()
    p.feed(path.read_text(encoding="utf-8"))
    return p.texts, p.english


_VISIBLE_KEYS = {"title", "subtitle", "note", "rows", "label", "text", "t", "p", "popup", "tooltip", "layers",
                 "caption", "heading"}


def _strings(value, key=None):
    """The string leaves of a map's data under a key a reader sees (popup and tooltip cards, legends, titles)."""
    if isinstance(value, str):
        if key in _VISIBLE_KEYS:
            yield value
    elif isinstance(value, dict):  # a string is seen when the key nearest to it is one a reader sees
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def map_texts(path: Path) -> list[str]:
    """Title, legends, layer names and every popup and tooltip of a saved map, from the page's data."""
    page = path.read_text(encoding="utf-8")
    texts: list[str] = []
    info = read_map_info(path)
    if info:
        texts += [info.get("title") or "", info.get("subtitle") or ""]
        for legend in info.get("legends", []):
            texts += [legend.get("title") or ""] + [it.get("label") or "" for it in legend.get("items", [])]
    decoder = json.JSONDecoder()
    for m in re.finditer(r"RecapMap\.(points|shapes|legend|title|inset|controls)\(\s*[\w$]+\s*,\s*", page):
        spec, _ = decoder.raw_decode(page, m.end())
        texts += list(_strings(spec))
    for m in re.finditer(r'^\s*"((?:[^"\\]|\\.)*)"\s*:\s*(?:feature_group|tile_layer|marker_cluster)\w*,', page, re.M):
        texts.append(json.loads(f'"{m.group(1)}"'))  # the layer list's names
    for m in re.finditer(r'<script type="application/json" id="overview_map_\w+">(.*?)</script>', page, re.S):
        o = json.loads(m.group(1))
        texts += o["names"] + o["kabNames"] + o["provNames"] + [v for row in o["values"] for v in row]
        texts += [v if isinstance(v, str) else " ".join(v) for v in o["labels"].values()]
    return [t for t in texts if t]


def pdf_text(path: Path) -> str:
    proc = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return proc.stdout


def _squash(words: str) -> str:
    return re.sub(r"\s+", " ", words).strip()


def reader_pages(folder: Path, *, with_pdf: bool = True, prefix: str = "") -> dict[str, list[str]]:
    """``{page: texts}`` of every page a reader opens in ``folder``: a report page by section
    (``dki/data-quality.report.html#Sumber lengkap tiap posisi``), a map page, a PDF by paragraph.

    A PDF's text is read less what is not scanned in the scope's HTML pages: the ``lang="en"`` records and
    the sections that :data:`ALLOWED` allows whole (``prefix``: how the caller names the pages in it).
    """
    pages: dict[str, list[str]] = {}
    unscanned: dict[str, list[str]] = {}
    for html in sorted([folder / "index.html", *folder.glob("*/*.report.html"), *folder.glob("*/*.html")]):
        rel = str(html.relative_to(folder))
        if rel in pages or any(k.startswith(rel + "#") for k in pages) or not html.is_file():
            continue
        if html.name.startswith("map-"):
            pages[rel] = map_texts(html)
            continue
        texts, english = page_texts(html)
        unscanned.setdefault(html.parent.name, []).extend(english)
        for section, words in texts:
            key = f"{rel}#{section}" if section else rel
            pages.setdefault(key, []).append(words)
            if _allowed(prefix + key, "*", ""):
                unscanned[html.parent.name].append(words)
    for pdf in sorted(folder.glob("*/report.pdf")) if with_pdf else []:
        shingles = {tuple(t.split()[i:i + n]) for t in unscanned.get(pdf.parent.name, []) for n in (2, 3)
                    for i in range(max(1, len(t.split()) - n + 1))}
        vocabulary = {w for t in unscanned.get(pdf.parent.name, []) for w in t.split()}
        paragraphs = [_mask(p.split(), shingles, vocabulary) for p in re.split(r"\n\s*\n", pdf_text(pdf))]
        pages[str(pdf.relative_to(folder))] = [p for p in paragraphs if p]
    return pages


def _mask(tokens: list[str], shingles: set, vocabulary: set) -> str:
    """``tokens`` less every run of three, then of two, words that an unscanned text holds (a PDF wraps a
    record's lines and a table's cells in its own order, so records are matched a few words at a time);
    in a paragraph that is mostly such runs, or of three words or fewer, the words of the records left
    over at the PDF's line, cell and page ends go as well."""
    keep = [True] * len(tokens)
    for n in (3, 2):  # overlapping runs: "not in any" and "any source" both mask a record's last word "source"
        for i in range(len(tokens)):
            if tuple(tokens[i:i + n]) in shingles:
                keep[i:i + n] = [False] * len(keep[i:i + n])
    if len(tokens) <= 3 or 2 * sum(keep) <= len(tokens):
        keep = [k and t not in vocabulary for t, k in zip(tokens, keep)]
    return " ".join(t for t, k in zip(tokens, keep) if k)


# ---------------------------------------------------------------------------------------------
# what is still allowed, by owner (issue 22's items 1 and 2, being fixed now); the list only shrinks
# ---------------------------------------------------------------------------------------------
#: ``(page glob, detector, text the finding's context contains, owner and item)``
ALLOWED: list[tuple[str, str, str, str]] = [
    # empty since 64788f0: the last entries (the sources section's records, not yet marked lang="en", in the
    # Indonesian and the English run; '(venue unknown)' in the recap map; the planning map's English reasons)
    # were fixed by their owners (#22 items 1-2)
]


def _allowed(page: str, detector: str, context: str) -> tuple | None:
    """The entry of :data:`ALLOWED` that allows this finding (detector ``"*"``: a whole section)."""
    for entry in ALLOWED:
        glob, det, snippet, _ = entry
        if fnmatch.fnmatch(page, glob) and det in (detector, "*") and snippet in context:
            return entry
    return None


def scan(pages: dict[str, list[str]], detectors=tuple(DETECTORS)) -> tuple[list[str], set]:
    """(findings not allowed, as "page: detector: …context…"; the allow-list entries used)."""
    bad, used = [], set()
    for page, texts in pages.items():
        for words in texts:
            for det, context in findings(words, detectors):
                entry = _allowed(page, det, context)
                if entry:
                    used.add(entry)
                else:
                    bad.append(f"{page}: {det}: …{context}…")
    return sorted(set(bad)), used


# ---------------------------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def indonesian(tmp_path_factory, reader_batch) -> Path:
    return reader_batch.indonesian_batch(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def national(tmp_path_factory, reader_batch) -> Path:
    return reader_batch.batch_report(tmp_path_factory.getbasetemp(), "--kota", "national", "--pdf")


@pytest.fixture(scope="module")
def english(tmp_path_factory, reader_batch) -> Path:
    return reader_batch.batch_report(tmp_path_factory.getbasetemp(), "--kota", "Kepulauan Seribu",
                                        "-p", "language", "en")


def test_the_scan_reads_every_page(indonesian, national):
    """Every page kind is read: index, reports, maps (title, legend, layers, popups, tooltips), PDF."""
    pages = {**reader_pages(indonesian), **{f"national/{k}": v for k, v in reader_pages(national).items()}}
    for slug in ("dki", "jakarta-selatan", "kepulauan-seribu"):
        for name in ("01-recap-sites-map.report.html", "02-coverage-gaps.report.html", "map-recap-sites.html",
                     "map-coverage-gaps.html", "report.pdf"):
            assert any(v for k, v in pages.items() if k.split("#")[0] == f"{slug}/{name}"), f"{slug}/{name}: nothing read"
    seribu = " ".join(pages["kepulauan-seribu/map-recap-sites.html"])
    assert "PPK Kepulauan Seribu Utara" in seribu and "Lokasi PPK" in seribu  # a popup's title, a layer name
    assert "Kluet Utara" in " ".join(pages["national/national/map-national-overview.html"])  # a kecamatan popup
    assert "30.766" in " ".join(pages["dki/report.pdf"])
    assert pages["dki/02-coverage-gaps.report.html#Daftar celah"]  # a report page by section


def test_negative_controls():
    """The scan catches what it is for: a parameter name in parentheses, a hash, an English word, a path,
    an English number, and nothing in a clean Indonesian sentence or inside a lang="en" record."""
    planted = "Batas jarak (max_distance_km) 5 km; basis @ b7ad440a1; posisi approximate; data/raw/x.csv; 72.7 %"
    assert [d for d, _ in findings(planted)] == ["code name", "parameter", "file path", "hash", "English word",
                                                 "English number"]
    assert findings("Kamal Muara berjarak 9,4 km dari lokasi PPK-31.72.01 (30.766 TPS; 98,8 %)") == []
    assert findings("Peta dasar: OpenStreetMap; PPK bekerja pukul 09.00-21.00; Sungai Are; Luhak Nan Duo; "
                    "22 November 2024; 6,471 Mbps; data dari file internet") == []
    assert [d for d, _ in findings("Peta dasar (basemap): openstreetmap")] == ["code name", "parameter"]
    assert [d for d, _ in findings("Internet: nan; 8,252,897 pemilih")] == ["code name", "English number"]
    page = Path(__file__).with_name("fixtures") / "reader_words_page.html"
    sections, english = page_texts(page)
    texts = [t for _, t in sections]
    assert any("approximate" in e for e in english) and not any("approximate" in t for t in texts)
    assert [d for d, _ in findings(" ".join(texts))] == ["hash"]  # the hash outside the record
    assert ("Catatan", "Catatan tertinggal: 9f3c2e1a") in sections  # read by section
    # a PDF: a record is masked however it is wrapped, a word of it elsewhere in a paragraph is still seen
    record = "approximate: island position of Pulau Harapan (wilayah_pulau.sql @ b7ad440a)"
    shingles = {tuple(record.split()[i:i + n]) for n in (2, 3) for i in range(len(record.split()) - n + 1)}
    pdf = "Lokasi ini approximate: island position of Pulau Harapan (wilayah_pulau.sql lalu approximate sekali"
    kept = _mask(pdf.split(), shingles, set(record.split()))
    assert kept == "Lokasi ini lalu approximate sekali" and [d for d, _ in findings(kept)] == ["English word"]


def test_indonesian_pages_hold_no_code_names_hashes_or_english(indonesian, national):
    pages = {**reader_pages(indonesian), **{f"national/{k}": v for k, v in reader_pages(national).items()}}
    bad, used = scan(pages)
    stale = [e for e in ALLOWED if e not in used and not e[0].startswith("en/")]
    assert not stale, "allow-list entries no longer found (remove them):\n" + "\n".join(map(str, stale))
    assert not bad, f"{len(bad)} findings in the Indonesian pages:\n" + "\n".join(bad)


def test_english_run_holds_no_code_names_or_hashes(english):
    pages = {f"en/{k}": v for k, v in reader_pages(english, with_pdf=False, prefix="en/").items()}
    assert any(k.startswith("en/kepulauan-seribu/01-recap-sites-map.report.html") and v for k, v in pages.items())
    assert pages.get("en/kepulauan-seribu/map-recap-sites.html"), sorted(pages)
    bad, used = scan(pages, CODE_DETECTORS)
    stale = [e for e in ALLOWED if e not in used and e[0].startswith("en/")]
    assert not stale, "allow-list entries no longer found (remove them):\n" + "\n".join(map(str, stale))
    assert not bad, f"{len(bad)} findings in the English pages:\n" + "\n".join(bad)

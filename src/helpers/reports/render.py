"""Reader reports rendered: a spec (:mod:`helpers.reports.spec`) into HTML, a folder's reports into a PDF.

:func:`render` turns specs into HTML with one Jinja2 template (``templates/report.html.j2``,
autoescaped: a data string is always text); :func:`write_spec` writes a spec and its HTML next to
each other; :func:`render_folder` renders every spec of a folder into ``NN-name.report.html``
(``pemilu-recap`` does this for each scope), and :func:`write_pdf` prints a folder's reports, one after
another, into ``report.pdf`` with headless Chromium.

The printed version (``printable``) differs from the page: each map is a picture
(:func:`map_picture`: the map page opened as ``map.html#print`` -- only the data, the inset and the
scale -- and captured by headless Chromium, since a map drawn on a canvas in a frame can print blank)
with its title and legend as page text (:func:`helpers.maps.page.read_map_info`); headings keep to
what follows them (``report.css``); and the links of the PDF, which Chromium writes as absolute
``file://`` addresses of the build folder, are rewritten as links relative to the PDF
(:func:`relative_links`, with pypdf), so they open the files of the report folder wherever it is
moved or sent.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

import jinja2
import pypdf
from pypdf.generic import NameObject, TextStringObject

from helpers.core import text
from helpers.maps.page import read_map_info
from helpers.reports.spec import HTML_SUFFIX, PDF_NAME, SPEC_SUFFIX, ReportError, check_spec
from helpers.reports.workbook import write_workbook

#: The Jinja2 templates of the reports and of ``index.html`` (package data).
TEMPLATES = Path(__file__).with_name("templates")
#: Width of the picture of a map in the printed report, in pixels (the page's 18.4 cm at about 190 dots
#: per inch), and the range of its height: that of the area the map is fitted to, a little more (at most
#: 15 cm, so that the map, its title, legend and the words before it fit on one A4 page).
MAP_WIDTH, MAP_HEIGHTS = 1400, (560, 1150)
_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}")


def write_spec(spec: dict, path, *, html: bool = True) -> Path:
    """Write ``spec`` as JSON to ``path`` (``NN-name.report.json``), the readers' workbook of its tables next
    to it (``NN-name.xlsx``, :func:`helpers.reports.workbook.write_workbook`, which the spec then names) and,
    with ``html``, the reader report (``NN-name.report.html``), so a notebook run by hand has them too."""
    check_spec(spec)
    path = Path(path)
    if not path.name.endswith(SPEC_SUFFIX):
        raise ValueError(f"a report spec file ends in {SPEC_SUFFIX}: {path.name}")
    write_workbook(spec, path)
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if html:
        path.with_name(path.name[: -len(SPEC_SUFFIX)] + HTML_SUFFIX).write_text(render(spec), encoding="utf-8")
    return path


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (autoescape on for every template)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["href"] = lambda name: quote(str(name))
    return env


def render(specs, *, index_href: str | None = None, printable: bool = False, maps: dict | None = None) -> str:
    """HTML of one report spec, or of several one after another (``printable``: for the PDF, with
    ``maps``: ``{href: picture}`` of :func:`print_maps`, each map block a picture instead of a frame)."""
    specs = [specs] if isinstance(specs, dict) else list(specs)
    if not specs:
        raise ReportError("no report spec to render")
    for spec in specs:
        check_spec(spec)
    language = specs[0]["language"]
    views = [{**s, "created_text": text.fmt_datetime(s.get("created"), s["language"])} for s in specs]
    return environment().get_template("report.html.j2").render(
        specs=views, L=text.labels(language), language=language, index_href=index_href, printable=printable,
        maps=maps or {})


def read_specs(folder) -> dict[str, dict]:
    """``{stem: spec}`` of the ``*.report.json`` files of ``folder`` (name order); a file that is
    not a readable spec maps to a :class:`ReportError`."""
    specs: dict = {}
    for file in sorted(Path(folder).glob(f"*{SPEC_SUFFIX}")):
        stem = file.name[: -len(SPEC_SUFFIX)]
        try:
            spec = json.loads(file.read_text(encoding="utf-8"))
            check_spec(spec)
            specs[stem] = spec
        except (OSError, ValueError, ReportError) as exc:
            specs[stem] = ReportError(f"{file.name}: {exc}")
    return specs


def render_folder(folder, *, index_href: str | None = "../index.html") -> tuple[dict[str, str], dict[str, str]]:
    """Render every ``*.report.json`` of ``folder`` into ``*.report.html``.

    Returns ``({stem: html file name}, {stem: problem})``.
    """
    done, problems = {}, {}
    for stem, spec in read_specs(folder).items():
        if isinstance(spec, Exception):
            problems[stem] = str(spec)
            continue
        target = Path(folder) / f"{stem}{HTML_SUFFIX}"
        try:
            target.write_text(render(spec, index_href=index_href), encoding="utf-8")
        except Exception as exc:  # a template error must not lose the run's other outputs
            problems[stem] = f"the reader report could not be rendered: {type(exc).__name__}: {exc}"
            continue
        done[stem] = target.name
    return done, problems


# ---------------------------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------------------------
def find_chromium() -> str | None:
    """Path of a Chromium (``$CHROMIUM``, else chromium, chromium-browser, google-chrome on PATH)."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _browser(chromium: str, profile: str) -> list[str]:
    """Headless Chromium with a fresh profile and no network features of its own."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}"]


def _run(cmd: list[str], what: str, timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ReportError(f"Chromium did not finish {what} within {timeout:g} s") from None
    except OSError as exc:
        raise ReportError(f"cannot run {cmd[0]}: {exc.strerror or exc}") from None


def picture_size(bounds) -> tuple[int, int]:
    """Pixels of the picture of a map fitted to ``bounds``: :data:`MAP_WIDTH` wide, as high as the area
    is in Web Mercator plus a tenth (within :data:`MAP_HEIGHTS`; the highest without bounds).

    Examples
    --------
    >>> picture_size([[-6.37, 106.69], [-6.09, 106.97]]), picture_size([[-11.0, 95.0], [6.1, 141.0]])
    ((1400, 1150), (1400, 575))
    """
    if not bounds:
        return MAP_WIDTH, MAP_HEIGHTS[1]
    (south, west), (north, east) = bounds
    mercator = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    aspect = (mercator(north) - mercator(south)) / max(math.radians(east - west), 1e-9)
    return MAP_WIDTH, int(round(min(max(MAP_WIDTH * aspect * 1.1, MAP_HEIGHTS[0]), MAP_HEIGHTS[1])))


def map_picture(page, *, chromium: str, size: tuple[int, int] = (MAP_WIDTH, MAP_HEIGHTS[1]),
                timeout: float = 180) -> bytes:
    """PNG of a saved map as printed: the page opened as ``map.html#print`` (only the data, the inset
    and the scale, on white, no basemap tiles; :mod:`helpers.maps.page`), captured by headless
    Chromium at ``size`` pixels (:func:`picture_size`).

    Raises
    ------
    ReportError
        Chromium wrote no picture.
    """
    page = Path(page).resolve()
    with tempfile.TemporaryDirectory(prefix="dki-recap-map-") as tmp:
        shot = Path(tmp) / "map.png"
        proc = _run([*_browser(chromium, str(Path(tmp) / "profile")), "--hide-scrollbars",
                     f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}",
                     page.as_uri() + "#print"], f"the picture of {page.name}", timeout)
        if not shot.is_file() or shot.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise ReportError(f"Chromium made no picture of {page.name} (exit {proc.returncode}: {last})")
        return shot.read_bytes()


def _swatch_style(swatch: dict) -> tuple[str, str]:
    """(shape, CSS) of a legend swatch of :func:`helpers.maps.page.add_legend`; colours checked."""
    def color(value, default):
        return value if isinstance(value, str) and _COLOR.fullmatch(value) else default
    fill = color(swatch.get("fill"), "transparent")
    css = f"background-color:{fill};border-color:{color(swatch.get('color'), fill if fill != 'transparent' else '#333333')}"
    css += ";border-style:dashed" if swatch.get("dashed") else ""
    shape = swatch.get("shape") if swatch.get("shape") in ("square", "line") else "circle"
    return shape, css


def print_maps(folder, specs, *, chromium: str) -> dict[str, dict]:
    """``{href: {"image", "title", "subtitle", "legends"}}`` of every map of ``specs`` (files of ``folder``):
    its picture (:func:`map_picture`, a ``data:`` URI) and its title and legends as text."""
    maps: dict[str, dict] = {}
    for spec in specs:
        for section in spec["sections"]:
            for block in section["blocks"]:
                href = block["href"] if block["type"] == "map" else None
                if href is None or href in maps or not (Path(folder) / href).is_file():
                    continue
                info = read_map_info(Path(folder) / href) or {}
                png = map_picture(Path(folder) / href, chromium=chromium, size=picture_size(info.get("bounds")))
                legends = [{"title": lg.get("title"), "items": [dict(zip(("shape", "style"), _swatch_style(it["swatch"])),
                                                                     label=it["label"]) for it in lg.get("items", [])]}
                           for lg in info.get("legends", [])]
                maps[href] = {"image": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                              "title": info.get("title"), "subtitle": info.get("subtitle"), "legends": legends}
    return maps


def relative_links(pdf, folder) -> int:
    """Rewrite the links of ``pdf`` to files of ``folder`` (``file:///…/folder/x.csv``, as Chromium writes
    every link of a local page) as links relative to the PDF (``x.csv``); returns how many.

    The PDF lies in ``folder``, so the links open the files next to it wherever the folder goes.

    Examples
    --------
    >>> _relative("file:///tmp/out/dki/a%20b.csv#x", Path("/tmp/out/dki")), _relative("https://x.org/", Path("/"))
    ('a%20b.csv#x', None)
    """
    pdf, folder = Path(pdf), Path(folder).resolve()
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)  # Chromium's trailer counts fewer objects than it writes: a harmless warning
    try:
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(pdf))
    finally:
        log.setLevel(level)
    n = 0
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            action = action.get_object() if action is not None else None
            target = _relative(str(action.get("/URI", "")), folder) if action is not None and \
                action.get("/S") == "/URI" else None
            if target is not None:
                action[NameObject("/URI")] = TextStringObject(target)
                n += 1
    if n:
        tmp = pdf.with_name(pdf.name + ".tmp")
        with open(tmp, "wb") as out:
            writer.write(out)
        tmp.replace(pdf)
    return n


def _relative(uri: str, folder: Path) -> str | None:
    """``uri`` relative to ``folder`` (percent-encoded) if it is a ``file:`` address inside it, else None."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    try:
        inside = Path(url2pathname(parts.path)).relative_to(folder)
    except ValueError:
        return None
    return quote(inside.as_posix()) + (f"#{parts.fragment}" if parts.fragment else "")


def write_pdf(folder, *, chromium: str | None = None, timeout: float = 180) -> Path:
    """Print the reader reports of ``folder``, one after another, into ``folder/report.pdf``.

    The reports are rendered into one printable page next to them, each map a picture with its title
    and legend as text (:func:`print_maps`), which headless Chromium prints; the PDF's links to the
    files of the folder are then made relative (:func:`relative_links`).

    Raises
    ------
    ReportError
        No spec in the folder, no Chromium, or Chromium failed.
    """
    folder = Path(folder).resolve()
    specs = [s for s in read_specs(folder).values() if not isinstance(s, Exception)]
    if not specs:
        raise ReportError(f"no report spec (*{SPEC_SUFFIX}) in {folder.name}")
    chromium = chromium or find_chromium()
    if not chromium:
        raise ReportError("Chromium was not found (install the package 'chromium' or set CHROMIUM)")
    target = folder / PDF_NAME
    page = folder / f".print-{os.getpid()}.html"
    profile = tempfile.mkdtemp(prefix="dki-recap-chromium-")
    try:
        page.write_text(render(specs, printable=True, maps=print_maps(folder, specs, chromium=chromium)),
                        encoding="utf-8")
        target.unlink(missing_ok=True)
        proc = _run([*_browser(chromium, profile), "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                     f"--print-to-pdf={target}", page.as_uri()], f"printing {folder.name}", timeout)
        if not target.is_file() or target.read_bytes()[:4] != b"%PDF":
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise ReportError(f"Chromium wrote no PDF for {folder.name} (exit {proc.returncode}: {last})")
        relative_links(target, folder)
    except BaseException:
        target.unlink(missing_ok=True)  # nothing half-written
        raise
    finally:
        page.unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)
    return target

"""Reader reports rendered: a spec (:mod:`helpers.reports.spec`) into HTML, a folder's reports into a PDF.

:func:`render` turns specs into HTML with one Jinja2 template (``templates/report.html.j2``,
autoescaped: a data string is always text); :func:`write_spec` writes a spec and its HTML next to
each other; :func:`render_folder` renders every spec of a folder into ``NN-name.report.html``
(``pemilu-recap`` does this for each scope), and :func:`write_pdf` prints a folder's reports, one after
another, into ``report.pdf`` with headless Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import jinja2

from helpers.core import text
from helpers.reports.spec import HTML_SUFFIX, PDF_NAME, SPEC_SUFFIX, ReportError, check_spec

#: The Jinja2 templates of the reports and of ``index.html`` (package data).
TEMPLATES = Path(__file__).with_name("templates")


def write_spec(spec: dict, path, *, html: bool = True) -> Path:
    """Write ``spec`` as JSON to ``path`` (``NN-name.report.json``) and, with ``html``, the reader
    report next to it (``NN-name.report.html``), so a notebook run by hand has it too."""
    check_spec(spec)
    path = Path(path)
    if not path.name.endswith(SPEC_SUFFIX):
        raise ValueError(f"a report spec file ends in {SPEC_SUFFIX}: {path.name}")
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


def render(specs, *, index_href: str | None = None, printable: bool = False) -> str:
    """HTML of one report spec, or of several one after another (``printable``: for the PDF)."""
    specs = [specs] if isinstance(specs, dict) else list(specs)
    if not specs:
        raise ReportError("no report spec to render")
    for spec in specs:
        check_spec(spec)
    language = specs[0]["language"]
    views = [{**s, "created_text": text.fmt_datetime(s.get("created"), s["language"])} for s in specs]
    return environment().get_template("report.html.j2").render(
        specs=views, L=text.labels(language), language=language, index_href=index_href, printable=printable)


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


def write_pdf(folder, *, chromium: str | None = None, timeout: float = 180) -> Path:
    """Print the reader reports of ``folder``, one after another, into ``folder/report.pdf``.

    The reports are rendered into one page next to them (so charts and maps load), which headless
    Chromium prints (maps as their frames render: vector layers, no tiles without a network).

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
        page.write_text(render(specs, printable=True), encoding="utf-8")
        target.unlink(missing_ok=True)
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
               "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
               f"--print-to-pdf={target}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReportError(f"Chromium did not finish printing {folder.name} within {timeout:g} s") from None
        except OSError as exc:
            raise ReportError(f"cannot run {chromium}: {exc.strerror or exc}") from None
        if not target.is_file() or target.read_bytes()[:4] != b"%PDF":
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise ReportError(f"Chromium wrote no PDF for {folder.name} (exit {proc.returncode}: {last})")
    finally:
        page.unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)
    return target

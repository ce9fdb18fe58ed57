"""Leaflet assets for maps that work without a network.

The JavaScript and CSS come from the maintained PyPI packages ``xstatic-leaflet`` and
``xstatic-leaflet-markercluster`` (installed with the project), not from files pasted into this
repository.  Maps are built with links to the public CDN copies of the *same versions*
(:data:`CDN`); :func:`inline_assets` replaces each such link in a rendered page by the packaged
file, and images referenced by the CSS become ``data:`` URIs.  :func:`remote_assets` lists the
scripts and stylesheets a page would still fetch from the network, so callers can refuse to
write an "offline" page that is not.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import xstatic.pkg.leaflet as _leaflet
import xstatic.pkg.leaflet_markercluster as _markercluster

LEAFLET_VERSION = _leaflet.VERSION.rsplit(".", 1)[0] if _leaflet.VERSION.count(".") > 2 else _leaflet.VERSION
MARKERCLUSTER_VERSION = (_markercluster.VERSION.rsplit(".", 1)[0] if _markercluster.VERSION.count(".") > 2
                         else _markercluster.VERSION)

_LEAFLET_DIR = Path(_leaflet.BASE_DIR)
_CLUSTER_DIR = Path(_markercluster.BASE_DIR)
_LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"
_CLUSTER_CDN = f"https://cdn.jsdelivr.net/npm/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist"

#: CDN address -> packaged file with the same content.
CDN: dict[str, Path] = {
    f"{_LEAFLET_CDN}/leaflet.js": _LEAFLET_DIR / "leaflet.js",
    f"{_LEAFLET_CDN}/leaflet.css": _LEAFLET_DIR / "leaflet.css",
    f"{_CLUSTER_CDN}/leaflet.markercluster.js": _CLUSTER_DIR / "leaflet.markercluster.js",
    f"{_CLUSTER_CDN}/MarkerCluster.css": _CLUSTER_DIR / "MarkerCluster.css",
    f"{_CLUSTER_CDN}/MarkerCluster.Default.css": _CLUSTER_DIR / "MarkerCluster.Default.css",
}
LEAFLET_JS = f"{_LEAFLET_CDN}/leaflet.js"
LEAFLET_CSS = f"{_LEAFLET_CDN}/leaflet.css"
MARKERCLUSTER_JS = f"{_CLUSTER_CDN}/leaflet.markercluster.js"
MARKERCLUSTER_CSS = [f"{_CLUSTER_CDN}/MarkerCluster.css", f"{_CLUSTER_CDN}/MarkerCluster.Default.css"]

_SCRIPT_RE = re.compile(r"""<script[^>]*\bsrc\s*=\s*["']?(https?:)?//[^"'\s>]+["']?[^>]*>\s*</script>""", re.I)
_LINK_RE = re.compile(r"""<link[^>]*\bhref\s*=\s*["']?(https?:)?//[^"'\s>]+["']?[^>]*>""", re.I)
_URL_RE = re.compile(r"""(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", re.I)
_CSS_URL_RE = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def _css_with_data_uris(path: Path) -> str:
    """CSS text with ``url(images/x.png)`` replaced by ``data:`` URIs (missing files left as is)."""
    text = path.read_text(encoding="utf-8")

    def repl(match: re.Match) -> str:
        img = path.parent / match.group(2)
        if not img.exists():
            return match.group(0)
        data = base64.b64encode(img.read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{data}")'

    return _CSS_URL_RE.sub(repl, text)


def _inline_tag(tag: str) -> str:
    url = _URL_RE.search(tag).group(1)
    path = CDN.get(url)
    if path is None:
        return tag
    if tag.lower().startswith("<script"):
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>/* {path.name} from PyPI xstatic package */\n{code}\n</script>"
    css = _css_with_data_uris(path).replace("</style", "<\\/style")
    return f"<style>/* {path.name} from PyPI xstatic package */\n{css}\n</style>"


def remote_assets(html: str) -> list[str]:
    """Addresses of scripts and stylesheets that ``html`` loads from the network.

    Examples
    --------
    >>> remote_assets('<script src="https://x.org/a.js"></script><link rel="stylesheet" href="b.css"/>')
    ['https://x.org/a.js']
    """
    tags = [m.group(0) for m in _SCRIPT_RE.finditer(html)] + [m.group(0) for m in _LINK_RE.finditer(html)]
    return [_URL_RE.search(t).group(1) for t in tags]


def inline_assets(html: str) -> str:
    """Replace links to the known Leaflet CDN files in ``html`` by inline copies of the packaged files.

    Raises
    ------
    ValueError
        If the page still loads a script or stylesheet from the network afterwards (an asset
        this module has no packaged copy of); the message lists the addresses.
    """
    html = _SCRIPT_RE.sub(lambda m: _inline_tag(m.group(0)), html)
    html = _LINK_RE.sub(lambda m: _inline_tag(m.group(0)), html)
    left = remote_assets(html)
    if left:
        raise ValueError("the map still loads these files from the network, so it cannot be saved offline: "
                         + ", ".join(left) + ". Use only Leaflet features (CircleMarker, GeoJSON, "
                         "MarkerCluster) or save with offline=False.")
    return html

"""Every module of the package (sub-packages included) imports on its own, in a fresh interpreter (no import cycle)."""

import subprocess
import sys

import pytest

from helpers import paths

SRC = paths.ROOT / "src"
MODULES = sorted(".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
                 for p in (SRC / "helpers").rglob("*.py") if p.stem != "__main__")


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_on_its_own(module):
    proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-1500:]


def test_recap_names_still_importable_from_maps():
    from helpers.maps import kota_code, recap_figures, recap_sites_map  # noqa: F401

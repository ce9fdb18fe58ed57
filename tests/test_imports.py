"""Every module of the package imports on its own, in a fresh interpreter (no import cycle)."""

import subprocess
import sys

import pytest

from helpers import paths

MODULES = sorted(p.stem for p in (paths.ROOT / "src" / "helpers").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_on_its_own(module):
    proc = subprocess.run([sys.executable, "-c", f"import helpers.{module}"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-1500:]


def test_recap_names_still_importable_from_maps():
    from helpers.maps import kota_code, recap_figures, recap_sites_map  # noqa: F401

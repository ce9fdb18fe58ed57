"""Every module of the package (sub-packages included) imports on its own, with no other module of
the package loaded before it (no import cycle, no import that only works after another module).

One fresh interpreter imports the slow third-party libraries (numpy, pandas, geopandas, ...) and
no module of the package; it then forks once per module, and each child imports that one module.
A child starts with no ``helpers`` module loaded, so a cycle or an order dependency inside the
package fails exactly as in a fresh interpreter, in a fraction of the time (74 interpreters took
~45-90 s).  Without ``os.fork`` each module gets an interpreter of its own, as before.
"""

import json
import os
import subprocess
import sys

import pytest

from helpers.core import paths

SRC = paths.ROOT / "src"
MODULES = sorted(".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
                 for p in (SRC / "helpers").rglob("*.py") if p.stem != "__main__")
#: Imported once before the forks: third-party only (checked: no helpers module among sys.modules).
PRELOAD = ["numpy", "pandas", "geopandas", "shapely", "pyproj", "pyogrio", "pyarrow", "scipy.optimize", "scipy.spatial",
           "scipy.sparse", "matplotlib", "folium", "branca", "jinja2", "openpyxl", "yaml", "requests"]
#: Seconds an interpreter of this check may take: a hang guard that a busy machine never reaches.
TIMEOUT_S = 600

DRIVER = r"""
import importlib, json, os, sys, traceback
modules, preload, report = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
for name in preload:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "helpers" or m.startswith("helpers."))
assert not loaded, f"the preload imported modules of the package: {loaded}"
results = {}
for module in modules:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import one module, report the traceback through the pipe
        os.close(r)
        code, text = 0, b""
        try:
            importlib.import_module(module)
        except BaseException:
            code, text = 1, traceback.format_exc()[-3000:].encode()
        os.write(w, text)
        os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        text = f.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    results[module] = [os.waitstatus_to_exitcode(status), text]
with open(report, "w", encoding="utf-8") as f:
    json.dump(results, f)
"""


@pytest.fixture(scope="module")
def forked_imports(tmp_path_factory):
    """{module: (exit code, traceback)} from the forking driver, or None without os.fork."""
    if not hasattr(os, "fork"):
        return None
    report = tmp_path_factory.mktemp("imports") / "report.json"
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(MODULES), json.dumps(PRELOAD), str(report)],
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {m: tuple(v) for m, v in json.loads(report.read_text(encoding="utf-8")).items()}


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_on_its_own(module, forked_imports):
    if forked_imports is None:
        proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                              timeout=TIMEOUT_S)
        code, err = proc.returncode, proc.stderr[-1500:]
    else:
        code, err = forked_imports[module]
    assert code == 0, err


def test_a_cycle_fails_the_check(tmp_path):
    """The driver reports a module that cannot be imported first (here: two modules importing each
    other's names at import time) as a failure with its traceback."""
    pkg = tmp_path / "cyc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("from cyc.b import B\nA = 1\n", encoding="utf-8")
    (pkg / "b.py").write_text("from cyc.a import A\nB = 2\n", encoding="utf-8")
    if not hasattr(os, "fork"):
        pytest.skip("os.fork is not available: the driver is not used here")
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(["cyc", "cyc.a"]), "[]", str(report)],
                          capture_output=True, text=True, timeout=TIMEOUT_S, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    results = json.loads(report.read_text(encoding="utf-8"))
    assert results["cyc"][0] == 0
    assert results["cyc.a"][0] == 1 and "ImportError" in results["cyc.a"][1]


def test_recap_map_and_report_names():
    from helpers.maps import recap_sites_map  # noqa: F401
    from helpers.reports.recap import figures, report_spec, write  # noqa: F401


def test_imports_inside_functions_say_why():
    """An import inside a function hides a dependency from import-linter's readers and from the module's
    header: allowed only for a heavy optional dependency, and the line (or the first line of its group)
    says so with a ``# here:`` comment."""
    import ast

    unexplained = []
    for path in sorted((paths.ROOT / "src" / "helpers").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    i = sub.lineno - 1
                    while i > 0 and lines[i - 1].strip().startswith(("import ", "from ")) and "# here:" not in lines[i]:
                        i -= 1  # the first line of a group of imports
                    above = lines[max(0, i - 2):i]  # a comment of one or two lines above the group
                    if "# here:" not in lines[i] and not any("# here:" in line for line in above):
                        unexplained.append(f"{path.relative_to(paths.ROOT)}:{sub.lineno}")
    assert unexplained == []

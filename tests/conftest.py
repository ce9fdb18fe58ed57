"""Shared fixtures: one way to start headless Chromium for every browser test, and the real notebooks
run at most once per test session for each set of parameters.

Browser.  Needs the Debian packages ``chromium`` and ``chromium-driver`` (tested with 156.0.8078.108 and
selenium 4.51.0; README, Development).  Missing: the test is skipped locally and fails in CI
(``CI=true``).  A browser that does not start (mismatched major versions) fails with one line
naming both versions.  Selenium is given the driver path, so Selenium Manager downloads nothing.

Notebooks.  ``nbval_run(stem)`` runs notebooks/<stem>.ipynb with its default parameters (the DKI
scope for 01-03, the national scope for 04) under nbval; its output folder also serves the tests of
the default-scope figures.  ``executed_notebook(stem, **params)`` runs it with papermill and other
parameters; ``batch_report(*args)`` runs ``dki-recap``.  Each is cached by its arguments for the
session; a run that failed is not repeated (the later tests fail with its message).  Under
pytest-xdist a session fixture lives once per worker: tests sharing a run carry the same
``xdist_group`` (``nb-01`` .. ``nb-04``, ``seribu``), and ``make test`` runs ``--dist loadgroup``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.core import paths

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
#: Seconds a page load (and so one WebDriver command) or a kernel start may take: hang guards that a
#: busy machine never reaches, not speed targets (each wait ends as soon as its condition holds).
PAGE_LOAD_S = 300
KERNEL_START_S = 300


def _executable(configured: str, name: str) -> str | None:
    return configured if Path(configured).exists() else shutil.which(name)


def _version(exe: str) -> str:
    """First line of ``exe --version`` (e.g. "Chromium 156.0.8078.108 built on Debian ..."), or why not."""
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{exe}: cannot run ({exc})"
    return out.splitlines()[0] if out else f"{exe}: no version"


@pytest.fixture
def make_driver(tmp_path):
    """``make_driver(window="1280,900", browser_log=False, page_load_strategy=None)`` starts headless
    Chromium with a fresh profile and no network features; every driver is quit at the end."""
    drivers = []

    def make(window: str = "1280,900", *, browser_log: bool = False, page_load_strategy: str | None = None):
        chromium, chromedriver = _executable(CHROMIUM, "chromium"), _executable(CHROMEDRIVER, "chromedriver")
        if chromium is None or chromedriver is None:
            missing = ", ".join(n for n, e in (("chromium", chromium), ("chromedriver", chromedriver)) if e is None)
            message = f"Chromium/chromedriver not installed: apt-get install chromium chromium-driver (missing: {missing})"
            if IN_CI:
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service

        def options(profile: Path):
            opts = webdriver.ChromeOptions()
            opts.binary_location = chromium
            if page_load_strategy:
                opts.page_load_strategy = page_load_strategy
            for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                        f"--window-size={window}", f"--user-data-dir={profile}"):
                opts.add_argument(arg)
            if browser_log:
                opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
            return opts

        # Selenium picks chromedriver's port (free when probed, then closed) before chromedriver binds
        # it: another process can take it in between.  A start that fails is tried again, twice, each
        # time on a new port (Selenium has already stopped what it started) and with a fresh profile.
        for attempt in range(3):
            try:
                drv = webdriver.Chrome(service=Service(executable_path=chromedriver),
                                       options=options(tmp_path / f"profile{len(drivers)}-{attempt}"))
                break
            except WebDriverException as exc:
                text = (exc.msg or str(exc)).strip()
                first = text.splitlines()[0] if text else type(exc).__name__
        else:
            pytest.fail(f"the browser did not start ({_version(chromium)}; {_version(chromedriver)}; the two must be "
                        f"the same major version, from Debian's chromium and chromium-driver): {first}", pytrace=False)
        # a page load may take PAGE_LOAD_S; the HTTP request that carries it must not give up first
        # (Selenium's default for chromedriver: 120 s per command)
        drv.command_executor.client_config.timeout = PAGE_LOAD_S + 60
        drv.set_page_load_timeout(PAGE_LOAD_S)
        drivers.append(drv)
        return drv

    yield make
    for drv in drivers:
        drv.quit()


# ----------------------------------------------------------------------------------------------
# xdist groups


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """``--dist loadgroup``: give each test marked ``xdist_group`` the ``@<group>`` node id suffix that
    the scheduler groups by.  pytest-xdist 3.8 sets it through ``item._nodeid``, which pytest 9 no longer
    reads (the id is ``item._id``), so every group was silently ignored (the national layer was built
    on both workers); with an xdist that sets it itself, this does nothing."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


# ----------------------------------------------------------------------------------------------
# the real notebooks, each set of parameters run once per session


class _Once:
    """Results by key, each made once; a failure is kept, and raised again as a short failure."""

    def __init__(self):
        self.done: dict = {}

    def get(self, key, make):
        if key not in self.done:
            try:
                self.done[key] = (True, make())
            except BaseException as exc:
                self.done[key] = (False, f"{type(exc).__name__}: {exc}")
                raise
        ok, value = self.done[key]
        if not ok:
            pytest.fail(f"{key} failed earlier in this session: {value[-3000:]}", pytrace=False)
        return value


@dataclass(frozen=True)
class NbvalRun:
    """One nbval run of a notebook copied to ``work/notebooks``; its default output folder
    ("../output/<scope>") is ``work/output/<scope>``."""

    returncode: int
    stdout: str  # ANSI colours removed
    stderr: str
    work: Path

    def output(self, scope: str) -> Path:
        return self.work / "output" / scope


def reference_copy(text: str, target: Path) -> None:
    """The notebook as nbval's reference: the committed outputs of the headline cells get an
    execution count (nbval ignores outputs of cells that look unrun; the committed notebooks carry
    no counts, nbstripout removes them)."""
    nb = json.loads(text)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and cell.get("outputs"):
            cell["execution_count"] = i
    target.write_text(json.dumps(nb), encoding="utf-8")


class _Nbval:
    """``nbval_run(stem)``: the committed notebooks/<stem>.ipynb under nbval, once per session;
    ``nbval_run.notebook(text, name, work)``: a notebook of one's own, every time."""

    def __init__(self, tmp_path_factory):
        self.tmp, self.runs = tmp_path_factory, _Once()

    def __call__(self, stem: str) -> NbvalRun:
        nb = paths.NOTEBOOKS / f"{stem}.ipynb"
        return self.runs.get(("nbval", stem), lambda: self.notebook(nb.read_text(encoding="utf-8"), nb.name,
                                                                     self.tmp.mktemp(f"nbval-{stem}")))

    @staticmethod
    def notebook(text: str, name: str, work: Path) -> NbvalRun:
        """``pytest --nbval-lax`` on the notebook ``text`` saved as ``work/notebooks/<name>``."""
        (work / "notebooks").mkdir(parents=True)
        reference_copy(text, work / "notebooks" / name)
        # -p nbval_ipc: nbval's kernel on Unix sockets of its own, no port to lose (tests/nbval_ipc.py)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent),
                                                                          os.environ.get("PYTHONPATH")]))}
        proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                               "-o", "addopts=", "-p", "no:xdist", "-p", "nbval_ipc",
                               "--nbval-kernel-startup-timeout", str(KERNEL_START_S), name],
                              cwd=work / "notebooks", capture_output=True, text=True, timeout=600, env=env)
        return NbvalRun(proc.returncode, re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout), proc.stderr, work)


@pytest.fixture(scope="session")
def nbval_run(tmp_path_factory) -> _Nbval:
    """``nbval_run(stem)`` / ``nbval_run.notebook(text, name, work)`` (see _Nbval)."""
    return _Nbval(tmp_path_factory)


@pytest.fixture(scope="session")
def executed_notebook(tmp_path_factory):
    """``executed_notebook(stem, **params)``: the output folder of notebooks/<stem>.ipynb run by
    papermill with ``params`` (``output_dir`` is set to a fresh folder), once per stem and params."""
    runs = _Once()

    def run(stem: str, **params) -> Path:
        def make():
            from helpers.batch.execute import execute_notebook  # the kernel on IPC sockets, as in the batch

            work = tmp_path_factory.mktemp(stem)
            out = work / "out"
            execute_notebook(paths.NOTEBOOKS / f"{stem}.ipynb", work / f"{stem}.ipynb",
                             parameters={**params, "output_dir": str(out)}, cwd=str(paths.NOTEBOOKS),
                             progress_bar=False, kernel_name="python3", start_timeout=KERNEL_START_S)
            return out
        return runs.get((stem, json.dumps(params, sort_keys=True)), make)
    return run


@pytest.fixture(scope="session")
def batch_report(tmp_path_factory):
    """``batch_report(*args)``: ``(exit code, report folder)`` of ``dki-recap --output <fresh folder>
    --jobs 1 --no-progress *args`` (helpers.batch.main, in this process), once per args."""
    runs = _Once()

    def run(*args: str) -> tuple[int, Path]:
        def make():
            from helpers import batch

            out = tmp_path_factory.mktemp("batch") / "out"
            return batch.main([*args, "--output", str(out), "--jobs", "1", "--no-progress"]), out
        return runs.get(("dki-recap", *args), make)
    return run


@pytest.fixture(scope="session")
def reader_batch():
    """tests/reader_batch.py (the batches that test_statements.py and test_reader_words.py read), loaded once
    per process: importlib mode keeps tests/ off sys.path, and the module caches its batch reports."""
    if "reader_batch" not in sys.modules:
        spec = importlib.util.spec_from_file_location("reader_batch", Path(__file__).with_name("reader_batch.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["reader_batch"] = module
        spec.loader.exec_module(module)
    return sys.modules["reader_batch"]

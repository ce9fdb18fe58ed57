"""Shared fixtures: one way to start headless Chromium for every browser test.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (tested with 156.0.8078.108 and
selenium 4.51.0; README, Development).  Missing: the test is skipped locally and fails in CI
(``CI=true``).  A browser that does not start (mismatched major versions) fails with one line
naming both versions.  Selenium is given the driver path, so Selenium Manager downloads nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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

        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium
        if page_load_strategy:
            opts.page_load_strategy = page_load_strategy
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                    f"--window-size={window}", f"--user-data-dir={tmp_path / f'profile{len(drivers)}'}"):
            opts.add_argument(arg)
        if browser_log:
            opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            drv = webdriver.Chrome(service=Service(executable_path=chromedriver), options=opts)
        except WebDriverException as exc:
            text = (exc.msg or str(exc)).strip()
            first = text.splitlines()[0] if text else type(exc).__name__
            pytest.fail(f"the browser did not start ({_version(chromium)}; {_version(chromedriver)}; the two must be "
                        f"the same major version, from Debian's chromium and chromium-driver): {first}", pytrace=False)
        drv.set_page_load_timeout(60)
        drivers.append(drv)
        return drv

    yield make
    for drv in drivers:
        drv.quit()

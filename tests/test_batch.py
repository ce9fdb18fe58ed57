"""Tests of the batch runner ``dki-recap`` (helpers.batch) and its report (index.html, manifest.json).

Notebook-executing tests run the tiny fixture notebooks of tests/fixtures/batch_notebooks/ (a
kernel start takes about a second each) and, end to end, the real notebooks for Kepulauan
Seribu.  Every run writes into tmp_path.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from helpers import batch
from helpers.core import paths
from helpers.batch import execute, output_folder, publish
from helpers.batch.errors import EXIT_USAGE, UsageError
from helpers.batch.index import read_figures, render_index
from helpers.batch.params import declared_parameters, load_parameters, parse_value
from helpers.batch.scopes import (NATIONAL, available_scopes, find_notebooks, notebook_scope, runs_of,
    select_scopes)

FIXTURES = Path(__file__).parent / "fixtures" / "batch_notebooks"
OK = FIXTURES / "ok"
BROKEN = FIXTURES / "failing" / "02-broken.ipynb"
KOTA_SHORT = ["Kepulauan Seribu", "Jakarta Pusat", "Jakarta Utara", "Jakarta Barat", "Jakarta Selatan",
              "Jakarta Timur"]


def _cli(*args: str) -> list[str]:
    return [*args, "--jobs", "1", "--no-progress"]


# ---------------------------------------------------------------------------------------------
# no kernel needed
# ---------------------------------------------------------------------------------------------
def test_scopes_are_dki_and_the_six_kota():
    scopes = available_scopes()
    assert [s.slug for s in scopes] == ["dki", "kepulauan-seribu", "jakarta-pusat", "jakarta-utara",
                                        "jakarta-barat", "jakarta-selatan", "jakarta-timur"]
    assert scopes[0].kota is None
    assert [s.kota for s in scopes[1:]] == KOTA_SHORT


@pytest.mark.parametrize("names, expected", [
    (None, ["dki", "kepulauan-seribu", "jakarta-pusat", "jakarta-utara", "jakarta-barat", "jakarta-selatan",
            "jakarta-timur"]),
    (["Kota Adm. Jakarta Pusat"], ["jakarta-pusat"]),
    (["jakpus", "JAKARTA UTARA"], ["jakarta-pusat", "jakarta-utara"]),
    (["Kabupaten Administrasi Kepulauan Seribu", "dki"], ["dki", "kepulauan-seribu"]),
    (["jakarta-selatan,jaktim"], ["jakarta-selatan", "jakarta-timur"]),
    (["all"], ["dki"]),
])
def test_select_scopes_lenient(names, expected):
    assert [s.slug for s in select_scopes(names, available_scopes())] == expected


def test_unknown_kota_is_an_error_listing_the_valid_ones(tmp_path, capsys):
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "Jakarta Tengah", "--output", str(tmp_path / "out")))
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown kota 'Jakarta Tengah'" in err
    for name in KOTA_SHORT:
        assert f'"{name}"' in err
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []  # nothing started, no temporary folder


def test_parse_value_yaml_semantics():
    assert parse_value("[Jakarta Pusat, jakut]") == ["Jakarta Pusat", "jakut"]
    assert parse_value("{radius_m: 5000, labels: [a, b]}") == {"radius_m": 5000, "labels": ["a", "b"]}
    assert parse_value("2.5") == 2.5
    assert parse_value("False") is False
    assert parse_value("None") is None
    assert parse_value("2024-02-14") == "2024-02-14"  # a YAML date stays a string
    with pytest.raises(UsageError, match="as YAML"):
        parse_value("[1, 2")


def test_load_parameters_file_then_p_and_relative_paths(tmp_path):
    sites = tmp_path / "my_sites.csv"
    sites.write_text("x\n", encoding="utf-8")
    pfile = tmp_path / "params.yaml"
    pfile.write_text("language: en\nradii_m: [1000, 2000]\nsites_path: my_sites.csv\n", encoding="utf-8")
    params = load_parameters([str(pfile)], [["language", "id"]], cwd=tmp_path)
    assert params == {"language": "id", "radii_m": [1000, 2000], "sites_path": str(sites.resolve())}


@pytest.mark.parametrize("pairs, files, message", [
    ([["kota", "jakpus"]], None, "use --kota"),
    ([["output_dir", "x"]], None, "use --output"),
    ([["not a name", "1"]], None, "not a valid Python name"),
])
def test_load_parameters_rejects(pairs, files, message):
    with pytest.raises(UsageError, match=message):
        load_parameters(files, pairs)


def test_bad_parameter_file(tmp_path, capsys):
    bad = tmp_path / "params.yaml"
    bad.write_text("language: [en\n", encoding="utf-8")
    code = batch.main(_cli("--notebooks", str(OK), "-f", str(bad), "--output", str(tmp_path / "out")))
    assert code == 2
    assert "is not valid YAML" in capsys.readouterr().err
    bad.write_text("- a\n- b\n", encoding="utf-8")
    assert batch.main(_cli("--notebooks", str(OK), "-f", str(bad), "--output", str(tmp_path / "out"))) == 2
    assert "must hold a mapping" in capsys.readouterr().err


def test_malformed_yaml_value_is_a_usage_error(tmp_path, capsys):
    code = batch.main(_cli("--notebooks", str(OK), "-p", "min_sites", "[1, 2", "--output", str(tmp_path / "o")))
    assert code == 2
    assert "cannot read the value '[1, 2' as YAML" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_parameter_unknown_to_every_notebook(tmp_path, capsys):
    code = batch.main(_cli("--notebooks", str(OK), "-p", "min_site", "1", "--output", str(tmp_path / "o")))
    err = capsys.readouterr().err
    assert code == 2
    assert "min_site are declared by none of the notebooks" in err
    assert "min_sites" in err and "n_gaps" in err  # the declared ones are listed
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_replace_a_folder_that_is_not_a_report(tmp_path, capsys):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.md").write_text("keep me", encoding="utf-8")
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "dki", "--output", str(precious)))
    assert code == 2
    assert "not a pemilu-recap report" in capsys.readouterr().err
    assert (precious / "chapter1.md").read_text(encoding="utf-8") == "keep me"


def test_the_project_output_folder_may_be_replaced(tmp_path, monkeypatch):
    # notebooks run by hand write into output/dki (their default output_dir): make run must not refuse
    project_output = tmp_path / "output"
    (project_output / "dki").mkdir(parents=True)
    (project_output / "dki" / "map-recap-sites.html").write_text("x", encoding="utf-8")
    monkeypatch.setattr(paths, "OUTPUT", project_output)
    output_folder.check_output(project_output)  # no error
    with pytest.raises(UsageError, match="not a pemilu-recap report"):
        output_folder.check_output(project_output / "dki")


def test_no_notebooks(tmp_path, capsys):
    assert batch.main(_cli("--notebooks", str(tmp_path), "--output", str(tmp_path / "o"))) == 2
    assert "no notebooks" in capsys.readouterr().err


def test_declared_parameters_reads_commented_assignments():
    # papermill.inspect_notebook skips 'kota = None  # None = all of DKI ...; e.g. "Jakarta Timur"'
    assert declared_parameters(OK / "02-gaps.ipynb") == {
        "kota", "output_dir", "offline", "language", "n_gaps", "unused"}
    assert declared_parameters(OK / "01-count.ipynb") == {
        "kota", "output_dir", "offline", "language", "min_sites", "sleep_s"}


def test_verify_executed_catches_trimmed_runs():
    ok = nbformat.v4.new_code_cell("print(1)", execution_count=1)
    ok.metadata["papermill"] = {"status": "completed"}
    empty = nbformat.v4.new_code_cell("   ")  # nbclient skips blank cells: no execution count
    pending = nbformat.v4.new_code_cell("x = 2", execution_count=2)
    pending.metadata["papermill"] = {"status": "pending"}
    never = nbformat.v4.new_code_cell("y = 3")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"), ok, empty, pending, never])
    assert execute.verify_executed(nb) == [
        "code cell 3 has papermill status 'pending', not 'completed'",
        "code cell 4 was not executed (no execution count)",
    ]
    nb.cells = nb.cells[:3]
    assert execute.verify_executed(nb) == []


def test_kernelspec_points_to_this_python(tmp_path):
    folder = execute.write_kernelspec(tmp_path)
    spec = json.loads((folder / "kernels" / "python3" / "kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"][:3] == [sys.executable, "-m", "ipykernel_launcher"]
    from jupyter_client.kernelspec import KernelSpecManager

    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(folder)
    try:
        found = KernelSpecManager().get_kernel_spec("python3")
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = old
    assert found.argv[0] == sys.executable
    assert Path(found.resource_dir) == folder / "kernels" / "python3"


def test_index_escapes_data_strings(tmp_path):
    scope = tmp_path / "dki"
    scope.mkdir()
    (scope / "01-x.figures.json").write_text(json.dumps(
        {"venue": "<img src=x onerror=alert(1)>", "gaps": ["Kel. <A&B>"]}), encoding="utf-8")
    (scope / 'we"ird <name>.csv').write_text("a\n", encoding="utf-8")
    manifest = {"scopes": [{"slug": "dki", "label": "DKI <Jakarta>", "kota": None}], "notebooks": ["01-x"],
                "runs": [{"scope": "dki", "notebook": "01-x", "status": "failed", "duration_s": 1.0,
                          "error": "ValueError: <script>bad()</script>", "warnings": [], "executed": None,
                          "report_html": None}],
                "status": "failed", "started": "s", "finished": "f", "wall_time_s": 1, "git": {"commit": None},
                "parameters": {"label": "</code><b>"}, "environment": {"python": "3", "cpu_count": 2},
                "options": {"jobs": 1, "offline": True}}
    text = render_index(tmp_path, manifest)
    for raw in ["<img src=x", "<script>bad", "<A&B>", "DKI <Jakarta>", "</code><b>", 'we"ird <name>']:
        assert raw not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "ValueError: &lt;script&gt;bad()&lt;/script&gt;" in text
    assert 'href="dki/we%22ird%20%3Cname%3E.csv"' in text


# ---------------------------------------------------------------------------------------------
# fixture notebooks executed
# ---------------------------------------------------------------------------------------------
@pytest.mark.notebooks
def test_success_and_clean_rerun(tmp_path):
    out = tmp_path / "out"
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "jakpus", "dki", "--output", str(out),
                           "-p", "language", "en"))
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert [(r["scope"], r["notebook"], r["status"]) for r in manifest["runs"]] == [
        ("dki", "01-count", "ok"), ("dki", "02-gaps", "ok"),
        ("jakarta-pusat", "01-count", "ok"), ("jakarta-pusat", "02-gaps", "ok")]
    assert all(r["duration_s"] > 0 for r in manifest["runs"])
    assert manifest["parameters"] == {"language": "en"}
    assert manifest["environment"]["packages"]["papermill"]
    assert "data/processed/recap_sites.csv" in manifest["inputs"]
    assert len(manifest["inputs"]["data/processed/recap_sites.csv"]["sha256"]) == 64
    for scope, kota in [("dki", None), ("jakarta-pusat", "Jakarta Pusat")]:
        d = out / scope
        for name in ["01-count.ipynb", "01-count.csv", "02-gaps.map.html", "02-gaps.ipynb"]:
            assert (d / name).is_file(), name
        # reader reports are rendered from the report specs (NN-name.report.json) a notebook writes;
        # these fixture notebooks write none, so there is no report (and no nbconvert dump either)
        assert not list(d.glob("*.report.*"))
        figures = json.loads((d / "01-count.figures.json").read_text(encoding="utf-8"))
        assert figures["scope_name"] == (kota or "DKI Jakarta")
        assert figures["n_letters"] == len(kota or "")  # 13 letters in "Jakarta Pusat"
        assert figures["language"] == "en" and figures["offline"] is True
        # the kernel is this environment's interpreter
        assert Path(figures["python"]).resolve() == Path(sys.executable).resolve()
    # the executed notebooks name the final folder, not the temporary build folder
    nb_text = (out / "dki" / "01-count.ipynb").read_text(encoding="utf-8")
    assert f'output_dir = \\"{out / "dki"}\\"' in nb_text and ".tmp-" not in nb_text
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Status: <b>complete</b>" in index and "4 of 4 analyses succeeded" in index
    assert '<tr><th>n_letters</th><td class="num">0</td><td class="num">13</td></tr>' in index
    assert '<tr><th>Gaps (count)</th><td class="num">2</td><td class="num">2</td></tr>' in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in index and "<script>alert" not in index
    assert '<li><a href="jakarta-pusat/02-gaps.map.html">02-gaps.map</a></li></ul></td><td></td><td></td></tr>' in index  # no workbook, PDF
    for link in ["dki/01-count.figures.json", "jakarta-pusat/02-gaps.map.html", "jakarta-pusat/01-count.ipynb",
                 "manifest.json"]:
        assert f'href="{link}"' in index

    # a rerun with fewer scopes replaces the report: nothing stale survives
    (out / "stale.txt").write_text("old", encoding="utf-8")
    assert batch.main(_cli("--notebooks", str(OK / "01-count.ipynb"), "--kota", "dki", "--output", str(out))) == 0
    assert sorted(p.name for p in out.iterdir()) == ["dki", "index.html", "manifest.json"]
    assert not (out / "dki" / "02-gaps.ipynb").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no tmp/old folders left


@pytest.mark.notebooks
def test_failing_notebook_does_not_stop_the_others(tmp_path):
    out = tmp_path / "out"
    code = batch.main(_cli("--notebooks", str(OK / "01-count.ipynb"), str(BROKEN), str(OK / "02-gaps.ipynb"),
                           "--kota", "Kepulauan Seribu", "--output", str(out)))
    assert code == 1
    d = out / "kepulauan-seribu"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
    status = {r["notebook"]: r for r in manifest["runs"]}
    assert status["01-count"]["status"] == "ok" and status["02-gaps"]["status"] == "ok"
    assert status["02-broken"]["status"] == "failed"
    assert status["02-broken"]["error"].startswith("ValueError: <b>broken</b> & failed on purpose")
    assert (d / "02-gaps.figures.json").is_file()  # the notebook after the failure ran
    # the partially executed notebook is kept: first cell ran, the failing one has the error, the
    # last one did not run
    nb = nbformat.read(d / "02-broken.ipynb", as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert "first cell ran" in code_cells[-3].outputs[0]["text"]
    assert code_cells[-2].outputs[-1]["ename"] == "ValueError"
    assert code_cells[-1].execution_count is None
    assert not (d / "02-broken.report.html").exists()  # its last cell (the report spec) never ran
    index = (out / "index.html").read_text(encoding="utf-8")  # in Bahasa Indonesia, the default language
    assert "Status: <b>gagal</b>" in index and "2 dari 3 analisis berhasil" in index
    assert "ValueError: &lt;b&gt;broken&lt;/b&gt; &amp; failed on purpose" in index
    assert 'href="kepulauan-seribu/02-broken.ipynb"' in index


@pytest.mark.notebooks
def test_parameter_value_that_makes_the_notebook_raise(tmp_path):
    out = tmp_path / "out"
    code = batch.main(_cli("--notebooks", str(OK / "01-count.ipynb"), "--kota", "jaksel",
                           "-p", "min_sites", "-1", "--output", str(out)))
    assert code == 1
    run = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["runs"][0]
    assert run["status"] == "failed"
    assert run["error"].startswith("ValueError: min_sites must be >= 0, not -1")
    assert "min_sites must be &gt;= 0, not -1" in (out / "index.html").read_text(encoding="utf-8")
    nb = nbformat.read(out / "jakarta-selatan" / "01-count.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "min_sites = -1" in injected[0].source


@pytest.mark.notebooks
def test_parallel_jobs(tmp_path):
    out = tmp_path / "out"
    code = batch.main(["--notebooks", str(OK), "--kota", "jakut", "jakbar", "--output", str(out),
                       "--jobs", "2", "--no-progress"])
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted((r["scope"], r["notebook"]) for r in manifest["runs"] if r["status"] == "ok") == [
        ("jakarta-barat", "01-count"), ("jakarta-barat", "02-gaps"),
        ("jakarta-utara", "01-count"), ("jakarta-utara", "02-gaps")]


@pytest.mark.notebooks
def test_a_crashed_run_never_fails_its_neighbours(tmp_path):
    """Deterministic: the Jakarta Pusat run of 00-crash-or-wait kills its pool worker only once the runs of
    the two other scopes are in flight (each waits at a barrier until the pool breaks), so the pool surely
    breaks under three runs.  The two innocent runs are run again, alone, and succeed; the killer, run again
    alone, kills its process again and is the one run failed, named as the cause."""
    out = tmp_path / "out"
    code = batch.main(["--notebooks", str(FIXTURES / "crash" / "00-crash-or-wait.ipynb"), str(OK / "01-count.ipynb"),
                       "--kota", "dki", "jakpus", "jakut", "--output", str(out), "--jobs", "3", "--no-progress",
                       "--timeout", "600"])
    assert code == 1
    runs = {(r["scope"], r["notebook"]): r for r in json.loads((out / "manifest.json").read_text())["runs"]}
    assert {k: r["status"] for k, r in runs.items()} == {
        ("dki", "00-crash-or-wait"): "ok", ("jakarta-pusat", "00-crash-or-wait"): "failed",
        ("jakarta-utara", "00-crash-or-wait"): "ok",
        ("dki", "01-count"): "ok", ("jakarta-pusat", "01-count"): "ok", ("jakarta-utara", "01-count"): "ok"}
    for scope in ("dki", "jakarta-utara"):  # in flight when the pool broke: run again, alone, and ok
        innocent = runs[scope, "00-crash-or-wait"]
        assert [r["kind"] for r in innocent["retries"]] == ["worker_died"]
        assert "jakarta-pusat/00-crash-or-wait" in innocent["retries"][0]["detail"]
        assert innocent["error"] is None
        assert (out / scope / "00-crash-or-wait.figures.json").is_file()
    killer = runs["jakarta-pusat", "00-crash-or-wait"]
    assert "died twice" in killer["error"] and "this notebook is the cause" in killer["error"]
    assert "dki/00-crash-or-wait" in killer["error"] and "jakarta-utara/00-crash-or-wait" in killer["error"]
    assert [r["kind"] for r in killer["retries"]] == ["worker_died"]
    for scope in ("dki", "jakarta-pusat", "jakarta-utara"):  # the batch went on after the crash
        assert runs[scope, "01-count"]["retries"] == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "3 analisis dijalankan ulang" in index and "proses yang menjalankannya berhenti" in index
    assert "this notebook is the cause" in index


def _notebook(path: Path, *sources: str) -> Path:
    cells = [nbformat.v4.new_code_cell('output_dir = "."', metadata={"tags": ["parameters"]}),
             *(nbformat.v4.new_code_cell(src) for src in sources)]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                        "display_name": "Python 3"}})
    nbformat.write(nb, path)
    return path


def _task(nb: Path, tmp_path: Path, **extra) -> dict:
    return {"notebook": str(nb), "scope": "dki", "out_dir": str(tmp_path / "dki"),
            "parameters": {"output_dir": str(tmp_path / "dki")},
            "kernel_dir": str(execute.write_kernelspec(tmp_path / "kernel")), "timeout": 600, **extra}


@pytest.mark.notebooks
@pytest.mark.skipif(execute.kernel_transport() != "ipc", reason="ZeroMQ has no IPC transport on this platform")
def test_the_batch_kernel_has_no_port_to_lose(tmp_path):
    """Where ZeroMQ has IPC, the five channels of a run's kernel are Unix sockets in a private folder of
    the run (mode 0700, removed afterwards): no port is picked by one process and bound by another, so no
    other process can take the kernel's address.  (ipykernel's own output pipe binds a TCP port the OS
    chooses at bind time, in the kernel itself: no gap there either.)"""
    nb = _notebook(tmp_path / "transport.ipynb",
                   "import json, os, psutil\n"
                   "from ipykernel.kernelapp import IPKernelApp\n"
                   "app = IPKernelApp.instance()\n"
                   "unix = sorted({c.laddr for c in psutil.Process().net_connections(kind='unix') if c.laddr})\n"
                   "mode = oct(os.stat(os.path.dirname(app.ip)).st_mode & 0o777)\n"
                   "json.dump({'transport': app.transport, 'ip': app.ip, 'unix': unix, 'mode': mode,\n"
                   "           'ports': [app.shell_port, app.iopub_port, app.stdin_port, app.control_port,\n"
                   "                     app.hb_port]}, open('seen.json', 'w'))")
    result = execute.run_one(_task(nb, tmp_path))
    assert result["status"] == "ok", result
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen["transport"] == "ipc" and seen["mode"] == "0o700"
    channels = [f"{seen['ip']}-{port}" for port in seen["ports"]]
    assert sorted(seen["ports"]) == [1, 2, 3, 4, 5] and set(channels) <= set(seen["unix"])
    folder = Path(seen["ip"]).parent
    assert folder.name.startswith("dki-recap-k-") and not folder.exists()  # the run's folder, removed after


@pytest.mark.notebooks
def test_a_kernel_that_loses_its_port_is_started_again(tmp_path, monkeypatch):
    """The race of nteract/papermill#511, forced: the port picker hands the first kernel a port another
    process holds (jupyter_client's TCP path), the kernel dies before its first reply, no cell ran; the run
    is started again with fresh ports, succeeds, and says so."""
    from jupyter_client.connect import LocalPortCache

    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    taken = held.getsockname()[1]
    real = LocalPortCache.find_available_port
    handed = []

    def picker(self, ip):
        if not handed:  # the first port of the first kernel: the one held above
            handed.append(taken)
            self.currently_used_ports.add(taken)
            return taken
        return real(self, ip)

    monkeypatch.setattr(LocalPortCache, "find_available_port", picker)
    monkeypatch.setattr(execute, "kernel_transport", lambda: "tcp")
    try:
        out = tmp_path / "out"
        code = batch.main(_cli("--notebooks", str(OK / "01-count.ipynb"), "--kota", "jakpus", "--output", str(out)))
    finally:
        held.close()
    assert handed == [taken]
    assert code == 0
    run = json.loads((out / "manifest.json").read_text())["runs"][0]
    assert run["status"] == "ok" and run["error"] is None
    assert run["retries"] == [{"kind": "kernel_start", "detail": "RuntimeError: Kernel died before replying to kernel_info"}]
    assert json.loads((out / "jakarta-pusat" / "01-count.figures.json").read_text())["n_letters"] == len("Jakarta Pusat")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 analisis dijalankan ulang" in index and "mesin analisis berhenti atau tidak menjawab" in index


@pytest.mark.notebooks
def test_a_failing_cell_is_not_started_again(tmp_path):
    nb = _notebook(tmp_path / "raises.ipynb", "open('ran.txt', 'a').write('x')", "raise ValueError('bad value')")
    result = execute.run_one(_task(nb, tmp_path))
    assert result["status"] == "failed" and "ValueError: bad value" in result["error"]
    assert result["retries"] == [] and (tmp_path / "ran.txt").read_text() == "x"  # the first cell ran once


def test_never_started_reads_the_notebook(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    nb = tmp_path / "x.ipynb"
    _notebook(nb, "1 + 1")
    died = RuntimeError("Kernel died before replying to kernel_info")
    assert execute.never_started(died, nb)  # papermill's copy, no cell started
    assert execute.never_started(died, tmp_path / "missing.ipynb")
    assert not execute.never_started(ValueError("bad parameter"), nb)  # not about the kernel
    assert not execute.never_started(PapermillExecutionError(1, 1, "x", "ValueError", "v", []), nb)
    started = nbformat.read(nb, as_version=4)
    started.cells[1].metadata["papermill"] = {"start_time": "2026-12-06T00:00:00", "status": "completed"}
    nbformat.write(started, nb)
    assert not execute.never_started(died, nb)  # a cell had started: never run it twice


@pytest.mark.notebooks
@pytest.mark.parametrize("jobs, signum", [(1, signal.SIGTERM), (2, signal.SIGINT)])
def test_interrupted_run_leaves_the_previous_report(tmp_path, jobs, signum):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"tool": "dki-recap", "status": "complete"}), encoding="utf-8")
    (out / "index.html").write_text("previous report", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.batch", "--notebooks", str(OK / "01-count.ipynb"), "--kota", "dki",
         "-p", "sleep_s", "60", "--output", str(out), "--jobs", str(jobs), "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    build = tmp_path / f"out.tmp-{proc.pid}"
    deadline = time.monotonic() + 60
    while not (build / "dki" / "01-count.ipynb").exists():  # papermill saved the notebook: kernel runs
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "incomplete"
    assert not (build / "index.html").exists()


# ---------------------------------------------------------------------------------------------
# end to end over the real notebooks
# ---------------------------------------------------------------------------------------------
@pytest.mark.notebooks
@pytest.mark.slow
def test_end_to_end_kepulauan_seribu(tmp_path):
    real = [nb for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb")) if notebook_scope(nb) == "dki"]
    assert [nb.stem[:2] for nb in real] == ["01", "02", "03", "05"]  # the DKI notebooks (04 is national)
    out = tmp_path / "out"
    code = batch.main(["--kota", "Kepulauan Seribu", "--output", str(out), "--jobs", "1", "--no-progress"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    failures = [(r["notebook"], r["error"]) for r in manifest["runs"] if r["status"] != "ok"]
    assert code == 0 and not failures, failures
    d = out / "kepulauan-seribu"
    for nb in real:
        assert (d / f"{nb.stem}.ipynb").is_file()
        assert (d / f"{nb.stem}.report.html").is_file()
        assert (d / f"{nb.stem}.figures.json").is_file(), f"{nb.stem} wrote no headline figures"
    figures = read_figures(d)
    # Kepulauan Seribu: 2 kecamatan (Kepulauan Seribu Utara, Kepulauan Seribu Selatan), so 2 PPK
    # recapitulation sites, and 6 kelurahan
    checked = 0
    for fig in figures.values():
        if "n_sites" in fig:
            assert fig["n_sites"] == 2
            checked += 1
        if "n_kecamatan" in fig:
            assert fig["n_kecamatan"] == 2
        if "n_kelurahan" in fig:
            assert fig["n_kelurahan"] == 6
    assert checked, f"no notebook reports n_sites: {figures}"
    for nb in real:  # the reader report, rendered from the spec the notebook's last cell wrote
        assert (d / f"{nb.stem}.report.json").is_file(), f"{nb.stem} wrote no report spec"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Status: <b>selesai</b>" in index and "4 dari 4 analisis berhasil" in index


# ---------------------------------------------------------------------------------------------
# output-folder problems: one line, exit 2, no stray folder, the previous report intact
# ---------------------------------------------------------------------------------------------
def _previous_report(out: Path) -> None:
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"tool": "dki-recap", "status": "complete"}), encoding="utf-8")
    (out / "index.html").write_text("previous report", encoding="utf-8")


@pytest.mark.notebooks
def test_a_batch_in_which_nothing_succeeded_keeps_the_previous_report(tmp_path, capsys):
    """Nothing good is lost: when every run failed, the previous report stays in --output and the failed
    one goes to <output>.failed (replacing an older one), and the command says where; exit 1."""
    out = tmp_path / "out"
    _previous_report(out)
    for _ in (1, 2):  # the second failed batch replaces the first one's out.failed
        code = batch.main(_cli("--notebooks", str(BROKEN), "--kota", "jakpus", "--output", str(out)))
        assert code == 1
        err = capsys.readouterr().err
        assert f"the previous report in {out} was kept as it was" in err
        assert f"this run's report, with its errors, is in {out}.failed" in err
        assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
        failed = json.loads((tmp_path / "out.failed" / "manifest.json").read_text(encoding="utf-8"))
        assert failed["status"] == "failed" and failed["output"] == str(tmp_path / "out.failed")
        assert [r["status"] for r in failed["runs"]] == ["failed"]
        assert "ValueError" in (tmp_path / "out.failed" / "index.html").read_text(encoding="utf-8")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.failed"]
    # one run succeeding is a report worth publishing: it replaces the previous one
    code = batch.main(_cli("--notebooks", str(OK / "01-count.ipynb"), str(BROKEN), "--kota", "jakpus",
                           "--output", str(out)))
    assert code == 1
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["status"] == "failed"
    assert (out / "jakarta-pusat" / "01-count.figures.json").is_file()


@pytest.mark.notebooks
def test_without_a_previous_report_a_failed_batch_is_published_in_place(tmp_path):
    out = tmp_path / "out"
    code = batch.main(_cli("--notebooks", str(BROKEN), "--kota", "jakpus", "--output", str(out)))
    assert code == 1
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["status"] == "failed"
    assert not (tmp_path / "out.failed").exists()


def _stray(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def _one_error_line(err: str) -> str:
    """The single ``pemilu-recap: error:`` line of stderr (run lines may precede it), no traceback."""
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("pemilu-recap: error: ")]
    assert len(errors) == 1, err
    return errors[0]


def _no_notebook_may_run(monkeypatch) -> None:
    def refuse(task):
        raise AssertionError(f"a notebook ran: {task['notebook']}")
    monkeypatch.setattr(execute, "run_one", refuse)


def test_output_below_a_regular_file_is_one_clear_line(tmp_path, capsys, monkeypatch):
    # a real case root cannot write either: a file is in the way of the output folder
    _no_notebook_may_run(monkeypatch)
    (tmp_path / "file.txt").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "file.txt" / "out"
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    assert code == EXIT_USAGE == 2
    assert err == (f"pemilu-recap: error: --output {out} cannot be created: {tmp_path / 'file.txt'} is a file, "
                   "not a folder - choose another --output\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_build_folder_below_a_file_without_the_up_front_check(tmp_path, capsys, monkeypatch):
    # the same real NotADirectoryError, met by create_build itself (e.g. the file appeared meanwhile)
    _no_notebook_may_run(monkeypatch)
    monkeypatch.setattr(output_folder, "check_output", lambda output: None)
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "file.txt" / "out"
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"pemilu-recap: error: cannot create the build folder out.tmp-{os.getpid()} in "
                   f"{tmp_path / 'file.txt'}: Not a directory (a file is in the way) - choose another --output\n")


def test_unwritable_parent_is_refused_before_any_notebook(tmp_path, capsys, monkeypatch):
    _no_notebook_may_run(monkeypatch)
    real_access = os.access
    monkeypatch.setattr(output_folder.os, "access",
                        lambda path, mode, **kw: Path(path) != tmp_path and real_access(path, mode, **kw))
    out = tmp_path / "out"
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"pemilu-recap: error: cannot write in {tmp_path}, where --output {out} goes (permission denied) "
                   "- choose another --output or fix its permissions\n")
    assert list(tmp_path.iterdir()) == []


def test_previous_report_that_cannot_be_removed_is_refused_up_front(tmp_path, capsys, monkeypatch):
    _no_notebook_may_run(monkeypatch)
    out = tmp_path / "out"
    _previous_report(out)
    (out / "dki").mkdir()
    real_access = os.access
    monkeypatch.setattr(output_folder.os, "access",
                        lambda path, mode, **kw: Path(path) != out / "dki" and real_access(path, mode, **kw))
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"pemilu-recap: error: the previous report {out} cannot be replaced: {out / 'dki'} is not "
                   "writable (permission denied) - fix its permissions or choose another --output\n")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert _stray(tmp_path) == []


def test_permission_denied_creating_the_build_folder(tmp_path, capsys, monkeypatch):
    _no_notebook_may_run(monkeypatch)
    out = tmp_path / "out"
    _previous_report(out)
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if ".tmp-" in self.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"pemilu-recap: error: cannot create the build folder out.tmp-{os.getpid()} in {tmp_path}: "
                   f"Permission denied; the previous report {out} was left unchanged - choose another --output "
                   f"or fix the permissions of {tmp_path}\n")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert _stray(tmp_path) == []


@pytest.mark.parametrize("code_errno, reason", [(errno.ENOSPC, "no space left on the disk"),
                                                (errno.EDQUOT, "disk quota exceeded")])
def test_disk_full_when_the_build_starts(tmp_path, capsys, monkeypatch, code_errno, reason):
    _no_notebook_may_run(monkeypatch)
    out = tmp_path / "out"
    _previous_report(out)

    def full(folder, manifest):
        raise OSError(code_errno, os.strerror(code_errno), str(folder / "manifest.json"))

    monkeypatch.setattr("helpers.batch.manifest.write_manifest", full)
    code = batch.main(_cli("--notebooks", str(OK), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    build = tmp_path / f"out.tmp-{os.getpid()}"
    assert code == 2
    assert err == (f"pemilu-recap: error: cannot write the report in {tmp_path} ({build / 'manifest.json'}): "
                   f"{reason}; the previous report {out} was left unchanged - free some space or choose "
                   "another --output on another disk\n")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert _stray(tmp_path) == []


def _finished_build(tmp_path: Path) -> Path:
    build = tmp_path / f"out.tmp-{os.getpid()}"
    (build / "dki").mkdir(parents=True)
    (build / "manifest.json").write_text(json.dumps({"tool": "dki-recap"}), encoding="utf-8")
    (build / "index.html").write_text("new report", encoding="utf-8")
    return build


def test_publish_replaces_the_previous_report(tmp_path):
    out = tmp_path / "out"
    _previous_report(out)
    publish.publish(_finished_build(tmp_path), out)
    assert (out / "index.html").read_text(encoding="utf-8") == "new report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("failing, message", [
    ("aside", "cannot move the previous report out aside to out.old-{pid} in {tmp}: Permission denied; "
              "the previous report {out} was left unchanged - choose another --output or fix the permissions of {tmp}"),
    ("in", "cannot move the new report out.tmp-{pid} to out in {tmp}: Permission denied; the previous report "
           "{out} was left unchanged - choose another --output or fix the permissions of {tmp}"),
])
def test_publish_rename_failure_puts_the_previous_report_back(tmp_path, monkeypatch, failing, message):
    out = tmp_path / "out"
    _previous_report(out)
    build = _finished_build(tmp_path)
    real_rename = Path.rename
    source = out if failing == "aside" else build

    def rename(self, target):
        if self == source:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(UsageError) as info:
        publish.publish(build, out)
    assert str(info.value) == message.format(pid=os.getpid(), tmp=tmp_path, out=out)
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert _stray(tmp_path) == []


def test_publish_old_report_that_cannot_be_deleted_is_put_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    _previous_report(out)
    build = _finished_build(tmp_path)
    real_rmtree = shutil.rmtree

    def rmtree(path, *args, **kwargs):
        if ".old-" in Path(path).name:
            raise PermissionError(errno.EACCES, "Permission denied", str(Path(path) / "index.html"))
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(publish.shutil, "rmtree", rmtree)
    with pytest.raises(UsageError) as info:
        publish.publish(build, out)
    assert str(info.value) == (
        f"cannot remove the previous report (moved aside to out.old-{os.getpid()}) in {tmp_path} "
        f"({tmp_path / f'out.old-{os.getpid()}' / 'index.html'}): Permission denied; the previous report {out} "
        f"was put back in place - choose another --output or fix the permissions of {out}")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert _stray(tmp_path) == []


def test_remove_stale_puts_back_a_report_moved_aside_by_a_dead_run(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)
    out = tmp_path / "out"
    _previous_report(tmp_path / f"out.old-{pid}")  # the run died between its two renames
    _previous_report(tmp_path / f"out.tmp-{pid}")
    publish.remove_stale(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _setpriv() -> list[str]:
    """A command prefix that runs as root without the capabilities that bypass permissions."""
    import shutil as sh

    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not sh.which("setpriv"):
        pytest.skip("needs root and setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here")
    return prefix


@pytest.mark.parametrize("case", ["read-only parent", "read-only previous report"])
def test_real_read_only_folders_without_root_privileges(tmp_path, case):
    prefix = _setpriv()
    parent = tmp_path / "parent"
    parent.mkdir()
    out = parent / "out"
    if case == "read-only previous report":
        _previous_report(out)
        (out / "dki").mkdir()
        (out / "dki" / "map.html").write_text("x", encoding="utf-8")
        out.chmod(0o555)
        expected = (f"pemilu-recap: error: the previous report {out} cannot be replaced: {out} is not writable "
                    "(permission denied) - fix its permissions or choose another --output")
    else:
        parent.chmod(0o555)
        expected = (f"pemilu-recap: error: cannot write in {parent}, where --output {out} goes (permission denied) "
                    "- choose another --output or fix its permissions")
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "helpers.batch", "--notebooks", str(OK),
                               "--kota", "dki", "--output", str(out), "--jobs", "1", "--no-progress"],
                              capture_output=True, text=True, timeout=120)
    finally:
        parent.chmod(0o755)
        if out.exists():
            out.chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [expected]
    assert _stray(parent) == []
    if case == "read-only previous report":
        assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
        assert (out / "dki" / "map.html").is_file()


@pytest.mark.notebooks
def test_disk_full_at_the_end_of_the_run(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    _previous_report(out)

    def full(folder, manifest):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "index.html"))

    monkeypatch.setattr("helpers.batch.index.write_index", full)
    code = batch.main(_cli("--notebooks", str(OK / "01-count.ipynb"), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    assert code == 2
    assert "dki/01-count: ok" in err  # the run itself went fine
    index = tmp_path / f"out.tmp-{os.getpid()}" / "index.html"
    assert _one_error_line(err) == (
        f"pemilu-recap: error: cannot write the report in {tmp_path} ({index}): "
        f"no space left on the disk; the previous report {out} was left unchanged - free some space or choose "
        "another --output on another disk")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert _stray(tmp_path) == []


@pytest.mark.notebooks
def test_old_report_that_cannot_be_deleted_after_the_run(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    _previous_report(out)
    real_rmtree = shutil.rmtree

    def rmtree(path, *args, **kwargs):
        if ".old-" in Path(path).name:
            raise PermissionError(errno.EACCES, "Permission denied", "index.html")  # relative, as rmtree gives
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(publish.shutil, "rmtree", rmtree)
    code = batch.main(_cli("--notebooks", str(OK / "01-count.ipynb"), "--kota", "dki", "--output", str(out)))
    err = capsys.readouterr().err
    assert code == 2
    assert _one_error_line(err) == (
        f"pemilu-recap: error: cannot remove the previous report (moved aside to out.old-{os.getpid()}) in {tmp_path}: "
        f"Permission denied; the previous report {out} was put back in place - choose another --output or fix the "
        f"permissions of {out}")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    assert _stray(tmp_path) == []


def test_publish_keeps_the_new_report_when_the_old_one_can_neither_go_nor_come_back(tmp_path, monkeypatch):
    # worst case: nothing is lost, and the message says where each report is
    out = tmp_path / "out"
    _previous_report(out)
    build = _finished_build(tmp_path)
    old = tmp_path / f"out.old-{os.getpid()}"
    real_rmtree, real_rename = shutil.rmtree, Path.rename

    def rmtree(path, *args, **kwargs):
        if Path(path) == old:
            raise OSError(errno.EBUSY, "Device or resource busy", str(old))
        return real_rmtree(path, *args, **kwargs)

    def rename(self, target):
        if self == old:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(publish.shutil, "rmtree", rmtree)
    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(UsageError) as info:
        publish.publish(build, out)
    assert str(info.value) == (
        f"cannot remove the previous report (moved aside to {old.name}) in {tmp_path} ({old}): Device or resource "
        f"busy - choose another --output or fix the permissions of {out}; the new report is in {out}, what is left "
        f"of the previous one in {old}")
    assert (out / "index.html").read_text(encoding="utf-8") == "new report"
    assert (old / "index.html").read_text(encoding="utf-8") == "previous report"
    assert not build.exists()


@pytest.mark.notebooks
def test_national_notebooks_run_once_in_their_own_scope(tmp_path):
    """A notebook whose metadata says dki_recap.scope = national runs once, in the national scope,
    and never per DKI scope; the DKI notebooks never run in the national scope."""
    import nbformat

    nb = nbformat.read(OK / "01-count.ipynb", as_version=4)
    nb.metadata["dki_recap"] = {"scope": "national"}
    folder = tmp_path / "nbs"
    folder.mkdir()
    nbformat.write(nb, folder / "09-national.ipynb")
    shutil.copy(OK / "02-gaps.ipynb", folder / "02-gaps.ipynb")
    nbs = find_notebooks([folder])
    assert [notebook_scope(p) for p in nbs] == ["dki", "national"]
    scopes = [*available_scopes()[:1], available_scopes()[2], NATIONAL]  # dki, jakarta-pusat, national
    assert [(s.slug, p.stem) for s, p in runs_of(scopes, nbs)] == [
        ("dki", "02-gaps"), ("jakarta-pusat", "02-gaps"), ("national", "09-national")]
    assert [s.slug for s in select_scopes(["nasional", "jakpus"], scopes)] == ["jakarta-pusat", "national"]
    out = tmp_path / "out"
    code = batch.main(["--notebooks", str(folder), "--kota", "jakpus", "national", "--output", str(out),
                       "--jobs", "1", "--no-progress"])
    assert code == 0
    runs = {(r["scope"], r["notebook"]) for r in json.loads((out / "manifest.json").read_text())["runs"]}
    assert runs == {("jakarta-pusat", "02-gaps"), ("national", "09-national")}
    assert (out / "national" / "09-national.ipynb").is_file() and not (out / "jakarta-pusat" / "09-national.ipynb").exists()

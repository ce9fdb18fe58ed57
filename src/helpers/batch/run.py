"""One batch, from the notebooks and scopes chosen to the published report: :func:`run_batch`.

The runs (one notebook for one scope each, :func:`helpers.batch.execute.run_one`) go to the local
process pool (:mod:`helpers.batch.pool`, ``--jobs``) or to a Dask cluster
(:mod:`helpers.batch.cluster`, ``--scheduler``/``--dask-workers``), with the same semantics.  Into
the build folder of :mod:`helpers.batch.publish` they write the executed notebooks and their
outputs; then the reader reports are rendered (:func:`render_reports`: each scope folder's
``*.report.json``, a report spec in the run's language, rendered with one template into
``*.report.html`` by :func:`helpers.reports.spec.render_folder`; with ``--pdf`` the scope's
reports printed into ``report.pdf`` by headless Chromium), the manifest and ``index.html`` are
written, and the build folder is published in place of the previous report.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from helpers.batch import execute, index, interrupts, output_folder, pool, publish
from helpers.batch import manifest as manifests
from helpers.batch.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError
from helpers.batch.inputs import PREPARED_FOLDER, CheckedInputs, InputsRejected, prepare_inputs, provinces_of
from helpers.batch.params import declared_parameters
from helpers.batch.scopes import NATIONAL, Scope, runs_of, scope_parameters
from helpers.core.parameters import check_parameters
from tqdm import tqdm
from helpers.batch.cluster import schedule as dask_schedule
from helpers.reports import render as reader_report


def run_batch(notebooks: list[Path], scopes: list[Scope], output: Path, parameters: dict | None = None,
              *, jobs: int = 1, offline: bool = True, timeout: float | None = None,
              command: list[str] | None = None, progress: bool | None = None,
              check: bool = True, pdf: bool = False, dask: dict | None = None) -> int:
    """Execute ``notebooks`` for each scope and publish the report in ``output``.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks, in run order (:func:`helpers.batch.scopes.find_notebooks`).
    scopes : list of Scope
        The scopes (:func:`helpers.batch.scopes.select_scopes`); each notebook runs in the scopes
        of its kind (:func:`helpers.batch.scopes.runs_of`).
    output : Path
        The report folder, replaced as a whole at the end.
    parameters : dict, optional
        Notebook parameters (:func:`helpers.batch.params.load_parameters`); each notebook gets
        the ones it declares.
    jobs : int
        Runs at a time in the local process pool.
    offline : bool
        The ``offline`` parameter of every notebook (maps embed Leaflet).
    timeout : float, optional
        Seconds after which a cell fails (default: no limit).
    command : list of str, optional
        The command line, recorded in the manifest.
    progress : bool, optional
        Show a progress bar (None: only on a terminal).
    check : bool
        Check every input file of every province of the batch before any run
        (:func:`helpers.batch.inputs.prepare_inputs`: all problems at once, nothing run, the
        previous report untouched) and hand the runs the inputs loaded then (the notebooks'
        ``prepared_inputs`` parameter); the warnings and read notes are shown in ``index.html``.
        False: each run reads and checks its files itself.
    pdf : bool
        Print each scope's reader reports into ``<scope>/report.pdf`` (a missing Chromium is one
        warning).
    dask : dict, optional
        Run on a Dask cluster instead of the process pool: ``{"scheduler": address}`` or
        ``{"n_workers": n}`` (+ ``connect_timeout``), see :mod:`helpers.batch.cluster`.

    Returns
    -------
    int
        The exit code: 0 when every run succeeded, 1 when at least one failed, 130 when
        interrupted (the previous report is then left untouched).

    Raises
    ------
    UsageError
        Before any run: an output folder that cannot be used, a parameter no notebook declares,
        a value outside the range its parameter declares (:data:`helpers.core.parameters.CHECKS`),
        a user file given to a batch of several provinces, a Dask cluster that cannot be reached.
    InputsRejected
        Before any run: the input files have problems (every problem of every file).
    """

    parameters = dict(parameters or {})
    output = Path(output).resolve()
    output_folder.check_output(output)
    publish.remove_stale(output)
    scoped = sorted({"provinsi", "kota"} & set(parameters))
    if scoped:
        raise UsageError(f"-p {' and -p '.join(scoped)}: the scope of each run is chosen with --provinsi and --kota, "
                         "not as a notebook parameter")
    declared = {nb.stem: declared_parameters(nb) for nb in notebooks}
    known = set().union(*declared.values())
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise UsageError(f"parameter(s) {', '.join(unknown)} are declared by none of the notebooks; "
                         f"declared parameters: {', '.join(sorted(known)) or '(none)'}")
    # a value outside the range a parameter declares (helpers.core.parameters.CHECKS): one error, nothing run
    bad = sorted({p for nb in notebooks for p in check_parameters(
        {k: v for k, v in parameters.items() if k in declared[nb.stem]})})
    if bad:
        raise UsageError("-p " + "; -p ".join(bad))
    build = publish.create_build(output)
    checked = CheckedInputs()
    started = time.perf_counter()
    if check:
        try:
            checked = prepare_inputs(parameters, provinces_of(scopes), build / PREPARED_FOLDER)
        except (InputsRejected, UsageError, ValueError) as exc:  # nothing ran: leave nothing behind
            shutil.rmtree(build, ignore_errors=True)
            if isinstance(exc, ValueError):  # e.g. an unknown province given with -p provinsi
                raise UsageError(str(exc)) from None
            raise
    manifest = manifests.new_manifest(notebooks, scopes, output, parameters, jobs=jobs, offline=offline,
                                      timeout=timeout, command=command)
    manifest["input_warnings"], manifest["input_notes"] = checked.warnings, checked.notes
    manifest["preflight_s"] = round(time.perf_counter() - started, 2)
    manifests.write_manifest(build, manifest)

    pairs = runs_of(scopes, notebooks)
    runs = {(s.slug, nb.stem): execute.Run(scope=s.slug, notebook=nb.stem) for s, nb in pairs}
    kernel_dir = execute.write_kernelspec(Path(tempfile.mkdtemp(prefix="dki-recap-kernel-")))
    tasks = []
    # the national scope first: its one run is the longest of a batch (6-11 s against 2-5 s), and started
    # last it kept one core busy alone at the end; the others' order is kept (stable sort)
    for scope, nb in sorted(pairs, key=lambda pair: pair[0].slug != NATIONAL.slug):
        params = {"kota": scope.kota, "output_dir": str(build / scope.slug), "offline": offline}
        params.update({k: v for k, v in parameters.items() if k in declared[nb.stem]})
        provinsi = scope_parameters(scope)["provinsi"]
        if provinsi is not None or "provinsi" in declared[nb.stem]:  # the scope decides the province
            params["provinsi"] = provinsi
        prepared = None if scope.is_national else checked.prepared.get(scope.provinsi_kode)
        if prepared and "prepared_inputs" in declared[nb.stem]:
            params["prepared_inputs"] = prepared
        needed = ("kota", "output_dir") + (("provinsi",) if provinsi is not None else ())
        missing = [k for k in needed if k not in declared[nb.stem]]
        warn = ([f"the notebook does not declare {' and '.join(missing)} in its parameters cell; "
                 "its results may not be scoped"] if missing else [])
        tasks.append({"notebook": str(nb), "scope": scope.slug, "out_dir": str(build / scope.slug),
                      "parameters": params, "kernel_dir": str(kernel_dir), "timeout": timeout,
                      "warnings": warn})

    # progress=None: a bar only on a terminal (tqdm's disable=None)
    bar = tqdm(total=len(tasks), unit="run", desc="pemilu-recap",
               disable=None if progress is None else not progress)

    def on_done(result: dict) -> None:
        run = execute.Run(**result)
        runs[(run.scope, run.notebook)] = run
        bar.update(1)
        seconds = "?" if run.duration_s is None else f"{run.duration_s:.1f}"
        line = f"{run.scope}/{run.notebook}: {run.status} ({seconds} s)"
        if run.retries:
            line += f" after {len(run.retries)} retr{'y' if len(run.retries) == 1 else 'ies'} (" + "; ".join(
                f"{r.get('kind')}: {r.get('detail')}" for r in run.retries) + ")"
        if run.error:
            line += f" - {run.error}"
        bar.write(line, file=sys.stderr)

    previous: dict = {}
    try:
        previous = interrupts.install_handlers()
        if dask:

            dask_schedule(tasks, on_done, options=manifest["options"], **dask)
        else:
            pool.schedule(tasks, jobs, on_done)
    except UsageError:  # the Dask scheduler cannot be reached: nothing ran, leave nothing behind
        shutil.rmtree(build, ignore_errors=True)
        raise
    except KeyboardInterrupt:
        bar.close()
        manifest = manifests.finish_manifest(manifest, list(runs.values()), status="incomplete")
        manifests.write_manifest(build, manifest)
        print(f"\npemilu-recap: interrupted; the partial run is in {build} (status 'incomplete'); "
              f"{output} was not changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        bar.close()
        interrupts.restore_handlers(previous)
        shutil.rmtree(kernel_dir, ignore_errors=True)

    results = list(runs.values())
    failed = [r for r in results if r.status != "ok"]
    # nothing good is lost: a batch in which no run succeeded never replaces a previous report
    keep_previous = bool(results) and len(failed) == len(results) and output_folder.is_report(output)
    target = publish.failed_folder(output) if keep_previous else output
    for run in results:
        if run.error:
            run.error = run.error.replace(str(build), str(target))
    shutil.rmtree(build / PREPARED_FOLDER, ignore_errors=True)
    publish.relocate_paths(build, target)
    render_reports(build, scopes, runs, pdf=pdf)
    manifest = manifests.finish_manifest(manifest, results, status="failed" if failed else "complete")
    if keep_previous:
        manifest["output"] = str(target)
    manifests.write_manifest(build, manifest)
    index.write_index(build, manifest)
    if keep_previous:
        publish.publish_aside(build, target)
        print(f"pemilu-recap: none of the {len(results)} runs succeeded, so the previous report in {output} was kept "
              f"as it was; this run's report, with its errors, is in {target} (open {target / 'index.html'})",
              file=sys.stderr)
        return EXIT_FAILED
    publish.publish(build, output)
    print(f"pemilu-recap: {len(results) - len(failed)} of {len(results)} runs succeeded; "
          f"report: {output / 'index.html'}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def render_reports(build: Path, scopes: list[Scope], runs: dict, *, pdf: bool = False) -> None:
    """Render the reader reports of every scope folder (``*.report.json`` -> ``*.report.html``),
    note them in ``runs``, and with ``pdf`` print each scope's reports into ``report.pdf``.

    Problems become run warnings; a missing Chromium is one line.

    Parameters
    ----------
    build : Path
        The build folder, one subfolder per scope.
    scopes : list of Scope
        The scopes of the batch.
    runs : dict
        ``{(scope slug, notebook stem): Run}``; ``report_html`` and ``warnings`` are updated.
    pdf : bool
        Also print each scope's reader reports into ``<scope>/report.pdf`` with Chromium.
    """

    chromium = reader_report.find_chromium() if pdf else None
    if pdf and not chromium:
        print("pemilu-recap: warning: --pdf: Chromium was not found (install the package 'chromium' or set "
              "CHROMIUM=/path/to/chromium); the HTML reports were written, the PDFs were not", file=sys.stderr)
    for scope in scopes:
        folder = build / scope.slug
        if not folder.is_dir():
            continue
        done, problems = reader_report.render_folder(folder)
        for stem, name in done.items():
            if (scope.slug, stem) in runs:
                runs[scope.slug, stem].report_html = name
        for stem, problem in problems.items():
            if (scope.slug, stem) in runs:
                runs[scope.slug, stem].warnings.append(problem)
        if chromium and done:
            try:
                reader_report.write_pdf(folder, chromium=chromium)
            except reader_report.ReportError as exc:
                print(f"pemilu-recap: warning: --pdf: {scope.slug}: {exc}", file=sys.stderr)

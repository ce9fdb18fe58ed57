"""Run every notebook for all of DKI Jakarta and for each kota, and build a browsable report.

``pemilu-recap`` (or ``python -m helpers.batch``) executes each notebook of ``notebooks/`` with
papermill once per *scope* -- ``dki`` (the whole province, ``kota=None``) and the six
kota/kabupaten administrasi; a notebook declaring itself national runs once, in ``national`` --
and writes::

    <output>/
        index.html                  links to every output, headline figures, status, errors
        manifest.json               parameters, versions, input hashes, git commit, durations
        <scope-slug>/               dki, kepulauan-seribu, jakarta-pusat, ...
            NN-name.ipynb           the executed notebook (kept, partially executed, on failure)
            NN-name.report.json     the reader report's content, written by the notebook's last cell
            NN-name.report.html     the reader report rendered from it (helpers.reports.spec)
            NN-name.figures.json    headline figures written by the notebook
            report.pdf              with --pdf: the scope's reader reports, printed by Chromium
            ...                     maps, tables and figures written by the notebook

Modules, each importing only the ones listed above it
-----------------------------------------------------
errors         ``UsageError`` (one line, exit 2) and the exit codes
interrupts     Ctrl-C/SIGTERM: stop after the current run, in the parent and in pool workers
params         ``-p``/``-f`` notebook parameters, and the ones a notebook declares
scopes         the notebooks and scopes of a batch, which notebook runs in which scope
inputs         every input file of every province checked once, before any notebook runs
execute        one notebook for one scope with papermill, on a kernel of this environment
pool           the local engine: a process pool (``--jobs``)
cluster_task   what runs on a Dask worker: one run, counting its own starts
cluster        the Dask engine (``--scheduler``/``--dask-workers``): same semantics as the pool
output_folder  is ``--output`` usable; one clear line for each problem met on it
publish        build folder ``<output>.tmp-<pid>``, atomic publish, clean-up after dead runs
manifest       ``manifest.json``: options, parameters, versions, input hashes, git commit, runs
index          ``index.html``: overview, headline figures, status, errors, links
run            one batch from start to published report (``run_batch``)
cli            the command line (``main``, re-exported here for the ``pemilu-recap`` script)

Design choices
--------------
* **Atomic report** (:mod:`~helpers.batch.publish`): an interrupted run (Ctrl-C, SIGTERM) leaves
  the previous report untouched and the partial build folder's ``manifest.json`` says
  ``"status": "incomplete"``; a batch in which no run succeeded is kept in ``<output>.failed``
  beside the previous report instead of replacing it.
* **One pre-flight** (:mod:`~helpers.batch.inputs`): every input file of every province of the
  batch is checked before any run (exit 2, nothing run), and the runs read what was loaded then.
* **Dependable on a busy machine**: kernels on Unix sockets of their own and a bounded restart of a
  kernel that dies before any cell (:mod:`~helpers.batch.execute`); a run whose process dies is run
  again alone, and only a run that dies again is failed (:mod:`~helpers.batch.pool`, and the same
  rule on Dask, :mod:`~helpers.batch.cluster_task`).
* **The kernel is this environment's Python**, and **no silent failure**: every executed notebook
  is checked to have run every cell (:mod:`~helpers.batch.execute`).
* **Parallelism.**  Runs are spread over a process pool (``--jobs``, default: the number of
  cores); the notebooks of one scope run in notebook order, one after the other.  With
  ``--scheduler``/``--dask-workers`` they run on a Dask distributed cluster instead, with the same
  semantics (:mod:`~helpers.batch.cluster`).
* **Reader reports, not notebook dumps** (:mod:`~helpers.batch.run`).
"""

import sys

# jsonschema (imported by nbformat and papermill) imports rfc3987_syntax, when installed, to check
# the "iri" string format; that module compiles some 35 Lark grammars at import and costs 1.7-2.0 s
# in every process of the batch: this one and each pool or Dask worker (python-jsonschema/jsonschema
# issues 1392 and 1428; import of nbformat 0.12 s without it, measured here).  No notebook schema uses
# that format, so the batch's processes do without it: jsonschema then skips that one check.  Only
# when nothing imported it yet (a process that needs it, e.g. a JupyterLab server, keeps it).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from helpers.batch.cli import main  # noqa: E402

__all__ = ["main"]

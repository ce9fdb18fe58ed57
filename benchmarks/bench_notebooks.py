"""Notebook benchmark: per-notebook papermill time against an empty notebook, and the full batch.

* **Per notebook**: every ``notebooks/NN-*.ipynb`` is executed for the whole province (``kota =
  None``) through :func:`helpers.batch.run_one` - the exact code path of ``dki-recap``
  (papermill with this environment's kernel, then the completeness check and the code-free HTML
  export) - and so is an *empty* notebook: one trivial cell tagged ``parameters``
  (``kota = None``).  The figure reported is papermill's wall time (kernel start, the cells,
  kernel shutdown), best of the repeats; ``overhead = notebook / empty``.  The target (<= 1.3)
  reads: running a notebook costs at most 30 % more than starting a kernel and running nothing.
  A notebook doing real work (loading data, building maps) pays for that work in this ratio.
* **Full batch**: ``python -m helpers.batch --output <tmp> --no-progress`` as a subprocess
  (all notebooks x 7 scopes, default ``--jobs`` = number of cores), wall time from start to
  exit, after installation (the environment and processed data already exist).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TARGET_OVERHEAD = 1.3
TARGET_BATCH_S = 60.0


def notebooks() -> list[Path]:
    """The project's notebooks in run order (``NN-*.ipynb``)."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def write_empty_notebook(path: Path) -> Path:
    """An empty notebook: one trivial code cell tagged ``parameters``."""
    import nbformat

    cell = nbformat.v4.new_code_cell("kota = None", metadata={"tags": ["parameters"]})
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})
    nbformat.write(nb, path)
    return path


def _run(nb: Path, out_dir: Path, kernel_dir: Path, params: dict) -> dict:
    from helpers import batch

    task = {"notebook": str(nb), "scope": "dki", "out_dir": str(out_dir), "parameters": params,
            "kernel_dir": str(kernel_dir), "timeout": None}
    t0 = time.perf_counter()
    res = batch.run_one(task)
    res["total_s"] = time.perf_counter() - t0
    return res


def per_notebook(repeats: int = 2, log=print) -> dict:
    """Papermill seconds of the empty notebook and of each notebook (scope: all DKI)."""
    try:
        from helpers import batch
    except ImportError as exc:
        return {"note": f"not available (module missing: {exc.name})", "rows": []}
    nbs = notebooks()
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as tmp:
        tmp = Path(tmp)
        kernel_dir = batch.write_kernelspec(tmp / "kernel")
        empty = write_empty_notebook(tmp / "00-empty.ipynb")
        log("notebooks: empty notebook ...")
        # the first kernel start of a session warms file caches; not counted
        _run(empty, tmp / "warm", kernel_dir, {"kota": None})
        times = [_run(empty, tmp / f"empty{i}", kernel_dir, {"kota": None}) for i in range(max(2, repeats))]
        empty_s = min(r["duration_s"] for r in times)
        rows = []
        for nb in nbs:
            log(f"notebooks: {nb.name} ...")
            declared = batch.declared_parameters(nb)
            runs = []
            for i in range(repeats):
                out = tmp / f"{nb.stem}-{i}"
                params = {"kota": None, "output_dir": str(out)}
                params = {k: v for k, v in params.items() if k in declared}
                runs.append(_run(nb, out, kernel_dir, params))
            ok = [r for r in runs if r["status"] == "ok"]
            best = min(r["duration_s"] for r in ok) if ok else None
            rows.append({"notebook": nb.name, "status": "ok" if ok else runs[-1]["status"],
                         "error": None if ok else runs[-1].get("error"), "papermill_s": best,
                         "empty_s": empty_s, "overhead": best / empty_s if best else None,
                         "target": TARGET_OVERHEAD,
                         "pass": (best / empty_s <= TARGET_OVERHEAD) if best else None})
    note = None if nbs else "not available (no notebooks in notebooks/)"
    return {"empty_s": empty_s, "rows": rows, "note": note, "cores": os.cpu_count()}


def full_batch(log=print) -> dict:
    """Wall time of the whole batch (all notebooks x 7 scopes) run as ``dki-recap`` would be."""
    if not (ROOT / "src" / "helpers" / "batch.py").exists():
        return {"note": "not available (module missing: helpers.batch)"}
    if not notebooks():
        return {"note": "not available (no notebooks in notebooks/)"}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        out = Path(tmp) / "report"
        cmd = [sys.executable, "-m", "helpers.batch", "--output", str(out), "--no-progress"]
        log("batch: " + " ".join(cmd[1:]) + " ...")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        runs = len(list(out.glob("*/*.report.html"))) if out.exists() else 0
    tail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    return {"wall_s": wall, "exit_code": proc.returncode, "runs_with_report": runs,
            "notebooks": len(notebooks()), "jobs": os.cpu_count(), "last_line": tail,
            "target_s": TARGET_BATCH_S, "pass": proc.returncode == 0 and wall <= TARGET_BATCH_S}

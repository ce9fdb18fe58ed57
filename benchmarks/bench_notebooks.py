"""Notebook benchmark: per-notebook papermill time against an empty notebook, and the full batch.

* **Per notebook**: every ``notebooks/NN-*.ipynb`` is executed for the whole province (``kota =
  None``, ``offline = False``, so the HTML maps it writes give the DKI *online* sizes) through :func:`helpers.batch.execute.run_one` - the exact code path of ``pemilu-recap``
  (papermill with this environment's kernel, then the completeness check and the code-free HTML
  export) - and so is an *empty* notebook: one trivial cell tagged ``parameters``
  (``kota = None``).  The figure reported is papermill's wall time (kernel start, the cells,
  kernel shutdown), best of the repeats, split with papermill's per-cell ``duration`` metadata
  into the time inside the cells (imports = the cells before ``parameters``) and the rest, the
  *overhead* (kernel start and shutdown, papermill, saving the notebook after each cell).
  Two ratios are printed: ``notebook / empty`` (whole runs) and ``overhead / empty`` (what the
  notebook costs beyond its own cells, against a notebook that does nothing).  The target
  (<= 1.3) is judged on the second: the first is dominated by the notebook's real work
  (importing geopandas/folium, loading data, building maps), which no runner can remove.
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
    from helpers.batch import execute

    task = {"notebook": str(nb), "scope": "dki", "out_dir": str(out_dir), "parameters": params,
            "kernel_dir": str(kernel_dir), "timeout": None}
    t0 = time.perf_counter()
    res = execute.run_one(task)
    res["total_s"] = time.perf_counter() - t0
    res.update(cell_times(out_dir / f"{nb.stem}.ipynb"))
    return res


def cell_times(executed: Path) -> dict:
    """Seconds spent inside the code cells of an executed notebook (papermill's per-cell
    ``duration`` metadata): all cells, and the cells before the ``parameters`` cell (imports)."""
    import nbformat

    if not executed.exists():
        return {"cells_s": None, "imports_s": None}
    nb = nbformat.read(executed, as_version=4)
    total = imports = 0.0
    before_params = True
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            before_params = False
        if cell.cell_type != "code":
            continue
        d = cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0
        total += d
        imports += d if before_params else 0.0
    return {"cells_s": total, "imports_s": imports}


def per_notebook(repeats: int = 2, log=print) -> dict:
    """Papermill seconds of the empty notebook and of each notebook (scope: all DKI)."""
    try:
        from helpers.batch import execute
        from helpers.batch.params import declared_parameters
    except ImportError as exc:
        return {"note": f"not available (module missing: {exc.name})", "rows": []}
    nbs = notebooks()
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as tmp:
        tmp = Path(tmp)
        kernel_dir = execute.write_kernelspec(tmp / "kernel")
        empty = write_empty_notebook(tmp / "00-empty.ipynb")
        log("notebooks: empty notebook ...")
        # the first kernel start of a session warms file caches; not counted
        _run(empty, tmp / "warm", kernel_dir, {"kota": None})
        times = [_run(empty, tmp / f"empty{i}", kernel_dir, {"kota": None}) for i in range(max(2, repeats))]
        empty_s = min(r["duration_s"] for r in times)
        empty_cells_s = min(r["cells_s"] or 0.0 for r in times)
        rows = []
        for nb in nbs:
            log(f"notebooks: {nb.name} ...")
            declared = declared_parameters(nb)
            runs = []
            for i in range(repeats):
                out = tmp / f"{nb.stem}-{i}"
                params = {"kota": None, "output_dir": str(out), "offline": False}
                params = {k: v for k, v in params.items() if k in declared}
                runs.append(_run(nb, out, kernel_dir, params))
                runs[-1]["html_mb"] = {f.name: f.stat().st_size / 1e6 for f in sorted(out.glob("*.html"))
                                       if not f.name.endswith(".report.html")}
            ok = [r for r in runs if r["status"] == "ok"]
            best = min(ok, key=lambda r: r["duration_s"]) if ok else None
            row = {"notebook": nb.name, "status": "ok" if ok else runs[-1]["status"],
                   "error": None if ok else runs[-1].get("error"), "empty_s": empty_s, "target": TARGET_OVERHEAD}
            if best:
                over = best["duration_s"] - best["cells_s"]
                row.update(html_online_mb=best["html_mb"], papermill_s=best["duration_s"], cells_s=best["cells_s"], imports_s=best["imports_s"],
                           ratio=best["duration_s"] / empty_s, overhead_s=over, overhead_ratio=over / empty_s,
                           **{"pass": over / empty_s <= TARGET_OVERHEAD})
            rows.append(row)
    note = None if nbs else "not available (no notebooks in notebooks/)"
    return {"empty_s": empty_s, "empty_cells_s": empty_cells_s, "rows": rows, "note": note,
            "cores": os.cpu_count()}


def full_batch(log=print) -> dict:
    """Wall time of the whole batch (all notebooks x 7 scopes) run as ``pemilu-recap`` would be."""
    if not (ROOT / "src" / "helpers" / "batch" / "__init__.py").exists():
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
        maps = {f"{f.parent.name}/{f.name}": f.stat().st_size / 1e6 for f in sorted(out.glob("*/*.html"))
                if not f.name.endswith(".report.html")} if out.exists() else {}
    tail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    return {"wall_s": wall, "exit_code": proc.returncode, "runs_with_report": runs,
            "notebooks": len(notebooks()), "jobs": os.cpu_count(), "last_line": tail, "html_mb": maps,
            "target_s": TARGET_BATCH_S, "pass": proc.returncode == 0 and wall <= TARGET_BATCH_S}

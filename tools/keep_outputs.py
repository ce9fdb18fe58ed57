"""Refresh the committed headline outputs of the notebooks (the ones nbval compares).

Usage::

    make outputs        # = .venv/bin/python tools/keep_outputs.py
    .venv/bin/python tools/keep_outputs.py 05-recap-operations.ipynb   # only the notebooks named

Cells whose output is a headline result for all of DKI Jakarta carry the tag
``nbval-check-output`` (nbval compares them in ``--nbval-lax`` mode) and the metadata
``keep_output: true`` (nbstripout keeps their outputs; every other output is stripped).  This
script runs each notebook with its default parameters (all of DKI, shipped data) in a temporary
copy of notebooks/, then writes the outputs of exactly those cells into the committed notebooks.
A change that moves a headline figure makes ``make test`` fail until this is run on purpose and
the new outputs are committed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TAG = "nbval-check-output"
#: The cells whose outputs are kept and compared, by the first line of their source.
HEADLINE_CELLS = {
    "01-recap-sites-map.ipynb": ["# derived values: the scope", "# the sites shown with an approximate position",
                                 "# press-reported facilities have no coordinates"],
    "02-coverage-gaps.ipynb": ["# derived values: the scope", "# One column per kota"],
    "03-site-planning.ipynb": ["# derived values: the scope", "# choose p new points", "# fewest extra points",
                               "# the outage scenario"],
    "05-recap-operations.ipynb": ["# derived values: the scope", "# Per kota: sites that miss the window",
                                  "# Internet at low, central and high assumptions",
                                  "# Both elections for the scope", "# The model held against the sources"],
}


def mark(nb, starts: list[str]) -> list[int]:
    """Tag and keep the cells whose source starts with one of ``starts``; return their indices."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = [t for t in cell.metadata.get("tags", []) if t != TAG]
        cell.metadata.pop("keep_output", None)
        if any(cell.source.startswith(s) for s in starts):
            tags.append(TAG)
            cell.metadata["keep_output"] = True
            found.append(i)
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    missing = [s for s in starts if not any(nb.cells[i].source.startswith(s) for i in found)]
    if missing:
        raise SystemExit(f"no cell starts with {missing}")
    return found


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv) or list(HEADLINE_CELLS)
    unknown = [n for n in names if n not in HEADLINE_CELLS]
    if unknown:
        raise SystemExit(f"no headline cells are listed for {', '.join(unknown)}; known: {', '.join(HEADLINE_CELLS)}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "notebooks"
        work.mkdir()
        for name in names:
            starts = HEADLINE_CELLS[name]
            path = ROOT / "notebooks" / name
            nb = nbformat.read(path, as_version=4)
            keep = mark(nb, starts)
            shutil.copy(path, work / name)
            run = work / f"run-{name}"
            subprocess.run([sys.executable, "-m", "papermill", str(work / name), str(run), "--cwd", str(work),
                            "--log-level", "ERROR", "--kernel", "python3"], check=True)
            done = nbformat.read(run, as_version=4)
            # papermill adds no cell for default parameters; cells line up one to one
            assert len(done.cells) == len(nb.cells), name
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                cell.execution_count = None
                cell.outputs = []
                if i in keep:
                    outs = []
                    for out in done.cells[i].outputs:
                        if "execution_count" in out:
                            out["execution_count"] = None
                        out.pop("metadata", None) if out.get("output_type") == "stream" else None
                        outs.append(out)
                    cell.outputs = outs
            nbformat.write(nb, path)
            print(f"{name}: outputs of {len(keep)} cell(s) kept")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the batch report at two commits and compare the report folders file by file.

Usage::

    .venv/bin/python tools/compare_reports.py REV_A REV_B            # e.g. HEAD~5 HEAD
    .venv/bin/python tools/compare_reports.py REV_A REV_B --kota dki jakpus -p language en
    .venv/bin/python tools/compare_reports.py REV_A REV_B --provinsi malut --kota Ternate
    .venv/bin/python tools/compare_reports.py HEAD .                  # "." = this working tree, as it is

Each revision is checked out in a temporary ``git worktree`` and ``python -m helpers.batch`` runs
there with this environment's Python, the worktree's ``src`` first on ``PYTHONPATH`` (the kernels
inherit it) and ``PEMILU_DKI_ROOT`` set to the worktree, so each commit runs its own code, notebooks
and data.  Then every file of the two report folders is compared byte for byte, after one
normalisation: the things that differ between any two runs of the same commit -- the date and time
of the run, durations (the solvers' ``*_seconds`` figures), the run's own folders and the git commit --
are replaced by placeholders
(:data:`VOLATILE`).  JSON files (figures, report specs) are compared by their content: the same
values in the same order, whatever the indentation.  ``manifest.json``, ``index.html``, the executed
notebooks (``*.ipynb``: cell timings, paths) and ``report.pdf`` are listed but not compared: they
record the run itself.

Prints one line per differing, missing or extra file and a summary; exit status 0 when every
compared file is identical, 1 otherwise.  Used for the "outputs unchanged" check of a refactoring.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Files that record the run itself: listed, not compared.
RECORDS = ("manifest.json", "index.html", "report.pdf")
#: (pattern, placeholder) applied to text files before comparing.
VOLATILE = [
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"), "<datetime>"),
    (re.compile(r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
                r"Desember|January|February|March|May|June|July|August|October|December) \d{4}"
                r"(,? (pukul )?\d{1,2}[.:]\d{2}( (WIB|UTC[+-]?\d*))?)?"), "<date>"),
    (re.compile(r"\b[0-9a-f]{40}\b"), "<commit>"),
    # solver timings in the figures (mclp_seconds, backup_seconds, ...)
    (re.compile(r'("[a-z_]*seconds"\s*:\s*)[0-9.eE+-]+'), r'\1"<seconds>"'),
]


def run_at(rev: str, work: Path, args: list[str]) -> Path:
    """Check ``rev`` out in ``work/tree-N`` (``"."``: use this working tree) and run the batch there;
    return its report folder."""
    if rev == ".":
        tree = ROOT
    else:
        tree = work / f"tree-{len(list(work.iterdir()))}"
        subprocess.run(["git", "worktree", "add", "--detach", "--force", str(tree), rev], cwd=ROOT, check=True,
                       capture_output=True, text=True)
    out = work / f"report-{len(list(work.iterdir()))}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tree / "src"), os.environ.get("PYTHONPATH")])),
           "PEMILU_DKI_ROOT": str(tree)}
    cmd = [sys.executable, "-m", "helpers.batch", "--output", str(out), "--no-progress", *args]
    print(f"{rev}: {' '.join(cmd[1:])}", flush=True)
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    print(f"{rev}: exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ''}",
          flush=True)
    return out


def normalise(data: bytes, folders: list[str]) -> bytes:
    """``data`` with the volatile parts replaced (text files only; binary files as they are)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    for folder in folders:
        text = text.replace(folder, "<run folder>")
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text.encode("utf-8")


def compare(a: Path, b: Path) -> tuple[list[str], int]:
    """Lines describing every difference between report folders ``a`` and ``b``; files compared."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    lines = [f"only in A: {f}" for f in sorted(files_a - files_b)]
    lines += [f"only in B: {f}" for f in sorted(files_b - files_a)]
    compared = 0
    for name in sorted(files_a & files_b):
        if name.endswith(".ipynb") or Path(name).name in RECORDS:
            continue
        compared += 1
        da = normalise((a / name).read_bytes(), [str(a), str(a.parent)])
        db = normalise((b / name).read_bytes(), [str(b), str(b.parent)])
        if name.endswith(".json"):
            try:
                da, db = json.loads(da), json.loads(db)
            except ValueError:
                pass
        if da != db:
            lines.append(f"differs: {name}")
    return lines, compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev_a")
    parser.add_argument("rev_b")
    parser.add_argument("--keep", action="store_true", help="keep the worktrees and reports (printed)")
    args, batch_args = parser.parse_known_args(argv)
    work = Path(tempfile.mkdtemp(prefix="compare-reports-"))
    try:
        a = run_at(args.rev_a, work, batch_args)
        b = run_at(args.rev_b, work, batch_args)
        lines, compared = compare(a, b)
        for line in lines:
            print(line)
        print(f"{compared} files compared; {len(lines)} difference(s) between {args.rev_a} and {args.rev_b}")
        return 1 if lines else 0
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            for tree in work.glob("tree-*"):
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

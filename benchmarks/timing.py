"""Small timing and table helpers shared by the benchmark modules (no third-party timing library:
``timeit`` cannot return the result of the timed call, which the correctness checks need)."""

from __future__ import annotations

import gc
import math
import re
import time

NOT_AVAILABLE = "not available"
_NUMBER = re.compile(r"^-?[\d,]*\.?\d+(e[-+]?\d+)?x?$")


def best_of(fn, repeats: int = 3, budget_s: float | None = None):
    """Run ``fn()`` up to ``repeats`` times; return ``(best wall seconds, last result)``.

    Timed with :func:`time.perf_counter` after a :func:`gc.collect`.  When ``budget_s`` is
    given, stop repeating once the total time spent exceeds it (at least one run).
    """
    best, spent, result = math.inf, 0.0, None
    for _ in range(max(1, repeats)):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best, spent = min(best, dt), spent + dt
        if budget_s is not None and spent >= budget_s:
            break
    return best, result


def interleaved(fns: dict, repeats: int = 3) -> tuple[dict, dict]:
    """Time several callables round-robin (``repeats`` rounds) so that a change in machine load
    hits all of them alike; return ``({name: best seconds}, {name: last result})``."""
    best = {k: math.inf for k in fns}
    results = {}
    for _ in range(max(1, repeats)):
        for name, fn in fns.items():
            t, results[name] = best_of(fn, 1)
            best[name] = min(best[name], t)
    return best, results


def fmt(value, spec: str = ".3f") -> str:
    """Format a number for the table; ``None`` -> ``"-"``, strings as they are."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "pass" if value else "FAIL"
    if isinstance(value, int):
        return f"{value:,}"
    return format(value, spec)


def table(headers: list[str], rows: list[list], title: str | None = None) -> str:
    """Plain-text table: header row, dashes, one line per row, columns padded (numbers right)."""
    cells = [[fmt(c) if not isinstance(c, str) else c for c in r] for r in rows]
    width = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [bool(cells) and all(_NUMBER.match(r[i]) or r[i] == "-" for r in cells) for i in range(len(headers))]

    def line(vals):
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(vals, width, numeric)).rstrip()

    out = [title, ""] if title else []
    out += [line(headers), line(["-" * w for w in width])] + [line(r) for r in cells]
    return "\n".join(out)

"""docs/operations.md states the DKI findings of notebook 05 from its nbval-checked outputs: every number of the page
(outside code blocks, code spans and link targets) is a value printed by a headline cell of the committed notebook, so the page
cannot drift from what the notebook computes (as tests/test_readme_figures.py does for README)."""

import json
import re

from helpers.core import paths

DOC = paths.ROOT / "docs" / "operations.md"
NOTEBOOK = paths.NOTEBOOKS / "05-recap-operations.ipynb"
_DOC_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
_OUTPUT_NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def _text() -> str:
    text = DOC.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", " ", text, flags=re.S)  # code blocks: commands
    text = re.sub(r"`[^`]*`", " ", text)              # code spans: file names, commands
    text = re.sub(r"\]\([^)]*\)", "] ", text)         # link targets
    return re.sub(r"<!--.*?-->", " ", text, flags=re.S)


def _values() -> set[float]:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    values: set[float] = set()
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        if not (meta.get("keep_output") and "nbval-check-output" in meta.get("tags", [])):
            continue
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            for token in _OUTPUT_NUMBER.findall(text):
                for thousands, decimal in ((",", "."), (".", ",")):  # English and Indonesian numbers
                    try:
                        values.add(float(token.replace(thousands, "").replace(decimal, ".")))
                    except ValueError:
                        pass
    return values


def _matches(number: str, decimals: int, values: set[float]) -> bool:
    return any(round(v, decimals) == float(number) for v in values)


def test_every_number_of_the_page_is_in_the_checked_outputs():
    values = _values()
    assert len(values) > 50 and 30766 in values  # the headline cells keep their outputs (tools/keep_outputs.py)
    numbers = _DOC_NUMBER.findall(_text())
    assert len(numbers) > 60
    missing = [w + f for w, f in numbers if not _matches(w.replace(",", "") + f, len(f) - 1 if f else 0, values)]
    assert not missing, f"docs/operations.md numbers not in notebook 05's checked outputs: {missing}"


def test_the_findings_are_there_and_a_changed_figure_is_caught():
    text = _text()
    for words in ("14 of the 44 sites do not finish inside the window", "Cengkareng (32), Cakung (32)",
                  "29 more\npanels", "2.40 Mbps per site", "0.14 to 38.00 Mbps"):
        assert words in text, words
    values = _values()
    assert _matches("2.40", 2, values) and _matches("29", 0, values)
    assert not _matches("2.45", 2, values) and not _matches("33", 0, values)

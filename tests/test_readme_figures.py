"""Every number in the result paragraphs of README and docs/notebooks.md comes from the committed headline
outputs of the notebooks (the cells nbval compares), so the docs cannot drift from what the notebooks compute.

The paragraphs are marked ``<!-- headline-results -->`` ... ``<!-- /headline-results -->``.  A
README number written with d decimals matches an output value that rounds to it (a share such as
98.8 % also matches 0.9878); output text is read in both the English (1,591.5) and the
Indonesian (1.591,5) number format, as the notebooks print both.
"""

import json
import re

import pytest

from helpers.core import paths

README = paths.ROOT / "README.md"
_README_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])(?!th|st|nd|rd)")
_OUTPUT_NUMBER = re.compile(r"-?\d[\d.,]*\d|-?\d")


# the pages with marked result paragraphs, and how many each has
PAGES = {README: 3, paths.ROOT / "docs" / "notebooks.md": 2}


def _blocks(page=README) -> list[str]:
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- headline-results[^>]*-->(.*?)<!-- /headline-results -->", text, flags=re.S)
    assert len(blocks) == PAGES[page], f"{page.name} lost its marked result paragraphs"
    return blocks


def _output_values() -> set[float]:
    values: set[float] = set()
    for nb_path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
                for token in _OUTPUT_NUMBER.findall(text):
                    values.update(_readings(token))
    return values


def _readings(token: str) -> set[float]:
    """The values a number token can stand for (English and Indonesian conventions)."""
    out = set()
    for thousands, decimal in ((",", "."), (".", ",")):
        t = token.replace(thousands, "").replace(decimal, ".")
        try:
            out.add(float(t))
        except ValueError:
            pass
    return out


def _matches(number: str, decimals: int, values: set[float]) -> bool:
    target = float(number)
    return any(round(v, decimals) == target or round(v * 100, decimals) == target for v in values)


@pytest.mark.parametrize("page", list(PAGES), ids=lambda p: p.name)
def test_every_readme_result_number_is_in_the_committed_outputs(page):
    values = _output_values()
    assert len(values) > 100  # the headline cells keep their outputs (tools/keep_outputs.py)
    missing = []
    for block in _blocks(page):
        for whole, frac in _README_NUMBER.findall(block):
            number = whole.replace(",", "") + frac
            if not _matches(number, len(frac) - 1 if frac else 0, values):
                missing.append(whole + frac)
    assert not missing, f"{page.name} numbers not found in the committed notebook outputs: {missing}"


def test_a_changed_readme_figure_is_caught():
    values = _output_values()
    assert _matches("1591", 0, values) and _matches("98.8", 1, values)
    assert not _matches("1592", 0, values) and not _matches("98.7", 1, values)

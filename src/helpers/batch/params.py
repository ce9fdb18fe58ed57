"""The notebook parameters of a batch: ``-p NAME VALUE`` and ``-f params.yaml``, and what a notebook declares.

Values are read as YAML (``3``, ``true``, ``[a, b]``, ``{k: v}``; ``None`` as in Python); relative
paths of ``*_path``/``*_dir`` parameters are made absolute.  The runner sets ``kota``,
``output_dir`` and ``offline`` itself (:data:`RESERVED`).  A notebook's parameters are the names
its cell tagged ``parameters`` assigns (:func:`declared_parameters`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from helpers.batch.errors import UsageError
import ast
import nbformat

#: Parameters the runner sets itself for every run (set them with the options instead).
RESERVED = {"kota": "--kota", "output_dir": "--output", "offline": "--offline/--online"}


def parse_value(text: str) -> Any:
    """A ``-p`` value: YAML (numbers, booleans, lists, dicts), with ``None`` as in Python.

    Parameters
    ----------
    text : str
        The VALUE of ``-p NAME VALUE``.

    Returns
    -------
    Any
        The value; YAML dates become ISO strings.

    Raises
    ------
    UsageError
        When ``text`` is not valid YAML.

    Examples
    --------
    >>> parse_value("3"), parse_value("true"), parse_value("None"), parse_value("Jakarta Pusat")
    (3, True, None, 'Jakarta Pusat')
    >>> parse_value("[a, 2]"), parse_value("{x: 1}")
    (['a', 2], {'x': 1})
    """
    if text.strip() in ("None", "none", "null", "~"):
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"cannot read the value {text!r} as YAML: {_yaml_message(exc)}") from None
    return _plain(value)


def _yaml_message(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings (papermill writes parameters as Python literals)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def load_parameters(files: list[str] | None, pairs: list[list[str]] | None,
                    cwd: Path | None = None) -> dict:
    """Merge ``-f params.yaml`` files and ``-p NAME VALUE`` pairs (later ones win).

    Parameters whose name ends in ``_path`` or ``_dir`` and whose value is a relative path that
    exists relative to ``cwd`` (the folder the command was started from) are made absolute,
    because the notebooks run with the notebooks folder as working directory.

    Parameters
    ----------
    files : list of str or None
        The ``-f`` files, in the order given.
    pairs : list of [name, value] or None
        The ``-p`` pairs, in the order given (values read by :func:`parse_value`).
    cwd : Path, optional
        The folder relative paths are resolved from (default: the current folder).

    Returns
    -------
    dict
        ``{name: value}``.

    Raises
    ------
    UsageError
        For a file that cannot be read or is not a YAML mapping, a name that is not a Python
        name, or a name in :data:`RESERVED`.
    """
    cwd = Path(cwd or Path.cwd())
    params: dict = {}
    for file in files or []:
        path = Path(file)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read parameter file {file}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise UsageError(f"parameter file {file} is not valid YAML: {_yaml_message(exc)}") from None
        if data is None:
            continue
        if not isinstance(data, dict):
            raise UsageError(f"parameter file {file} must hold a mapping 'name: value', "
                             f"not a {type(data).__name__}")
        params.update({str(k): _plain(v) for k, v in data.items()})
    for name, value in pairs or []:
        params[name] = parse_value(value)
    for name in params:
        if not name.isidentifier():
            raise UsageError(f"parameter name {name!r} is not a valid Python name")
        if name in RESERVED:
            raise UsageError(f"parameter {name!r} is set by the runner; use {RESERVED[name]} instead")
    for name, value in params.items():
        if (name.endswith(("_path", "_dir")) and isinstance(value, str) and value
                and not Path(value).is_absolute() and (cwd / value).exists()):
            params[name] = str((cwd / value).resolve())
    return params


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (empty set without one).

    Read with :mod:`ast` rather than ``papermill.inspect_notebook``, whose line parser skips
    assignments followed by some comments (``kota = None  # None = all of DKI Jakarta``).

    Parameters
    ----------
    notebook : Path
        The notebook file.

    Returns
    -------
    set of str
        The names assigned in its parameters cell.

    Raises
    ------
    UsageError
        When the notebook cannot be read or its parameters cell is not valid Python.
    """


    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # a notebook that cannot be read: report it, not a traceback
        raise UsageError(f"cannot read notebook {notebook}: {exc}") from None
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as exc:
            raise UsageError(f"the parameters cell of {notebook} is not valid Python: {exc}") from None
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AnnAssign) else [])
            for target in targets:
                elts = target.elts if isinstance(target, ast.Tuple) else [target]
                names.update(t.id for t in elts if isinstance(t, ast.Name))
    return names

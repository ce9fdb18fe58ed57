"""What a batch runs: the notebooks, the scopes, and which notebook runs in which scope.

A *scope* (:class:`helpers.core.scope.Scope`, resolved once here and handed to each run as its
``provinsi`` and ``kota`` parameters) is all of DKI Jakarta (``dki``), one of its six kota/kabupaten
administrasi, another province or one of its kab/kota (``--provinsi``), or -- for a notebook whose
metadata says ``{"dki_recap": {"scope": "national"}}`` (notebook 04) -- all of Indonesia
(:data:`NATIONAL`): a national notebook runs once, in the national scope, never per province scope,
and the other notebooks never run there (:func:`runs_of`).  ``--kota`` names scopes leniently
(:func:`select_scopes`).
"""

from __future__ import annotations

from pathlib import Path

from helpers.batch.errors import UsageError
from helpers.core import paths
from helpers.core.names import name_key
from helpers.core.scope import (DKI, DKI_KODE, NATIONAL, NATIONAL_WORDS, Scope, UnknownUnit, is_all, is_national,
                                 kota_scope)
from helpers.core.scope import province_scope as whole_province
from helpers.core.scope import resolve as resolve_unit
from helpers.io.national import unit_table
import nbformat

__all__ = ["NATIONAL", "NATIONAL_WORDS", "Scope", "available_scopes", "find_notebooks", "notebook_scope",
           "province_scopes", "runs_of", "scope_parameters", "select_scopes"]


def notebook_scope(notebook: Path) -> str:
    """``"national"`` for a notebook that covers all of Indonesia, else ``"dki"``.

    The batch reads what a notebook declares and never names a notebook file.

    Parameters
    ----------
    notebook : Path
        The notebook file; its metadata ``{"dki_recap": {"scope": "national"}}`` makes it national.

    Returns
    -------
    str
        ``"national"`` or ``"dki"`` (also for a notebook that cannot be read: reported when it runs).
    """

    try:
        meta = nbformat.read(notebook, as_version=4).metadata
    except Exception:  # an unreadable notebook is reported when it runs
        return "dki"
    return "national" if (meta.get("dki_recap") or {}).get("scope") == "national" else "dki"


def runs_of(scopes: list[Scope], notebooks: list[Path]) -> list[tuple[Scope, Path]]:
    """The (scope, notebook) pairs to run: DKI notebooks for every DKI scope, national notebooks once
    in the national scope.

    Parameters
    ----------
    scopes : list of Scope
        The scopes chosen.
    notebooks : list of Path
        The notebooks chosen.

    Returns
    -------
    list of (Scope, Path)
        Scope by scope, the notebooks in their order.
    """
    kinds = {nb: notebook_scope(nb) for nb in notebooks}
    return [(s, nb) for s in scopes for nb in notebooks if (s.slug == NATIONAL.slug) == (kinds[nb] == "national")]


def available_scopes() -> list[Scope]:
    """The ``dki`` scope followed by one scope per kota of DKI Jakarta, in Kemendagri code order.

    Examples
    --------
    >>> [s.slug for s in available_scopes()][:3]
    ['dki', 'kepulauan-seribu', 'jakarta-pusat']
    """
    return _province_and_kota(DKI_KODE)


def _province_and_kota(kode: str) -> list[Scope]:
    units = unit_table()
    kab = units.kabkota
    return [whole_province(kode, units)] + [kota_scope(k, units) for k in kab.loc[kab["provinsi_kode"] == kode, "kode"]]


def province_scopes(names: list[str]) -> list[Scope]:
    """The scopes of ``--provinsi``: ``all`` = the 38 provinces, each as a whole (DKI Jakarta as its
    ``dki`` scope); a province name = that province as a whole and each of its kab/kota (DKI Jakarta:
    ``dki`` and its 6 kota).  Names in any spelling or by code (:func:`helpers.core.scope.resolve`),
    several separated by commas.

    Raises
    ------
    UsageError
        For an unknown or ambiguous province (the message names the candidates).

    Examples
    --------
    >>> [s.slug for s in province_scopes(["all"])][:3]
    ['aceh', 'sumatera-utara', 'sumatera-barat']
    >>> s = province_scopes(["malut"])
    >>> len(s), s[0].label, s[1].kota, s[1].provinsi
    (11, 'Maluku Utara', 'Kabupaten Halmahera Barat', 'Maluku Utara')
    """
    units = unit_table()
    out: list[Scope] = []
    for raw in names:
        for name in (p.strip() for p in str(raw).split(",")):
            if not name:
                continue
            if is_national(name):
                out.extend(whole_province(k, units) for k in units.provinces["kode"])
                continue
            try:
                scope = resolve_unit(name, None, units=units)
            except UnknownUnit as exc:
                raise UsageError(str(exc)) from None
            out.extend(_province_and_kota(scope.provinsi_kode))
    seen: set[str] = set()
    return [s for s in out if not (s.slug in seen or seen.add(s.slug))]


def scope_parameters(scope: Scope) -> dict:
    """The ``provinsi`` and ``kota`` parameters that give a notebook this scope.

    Examples
    --------
    >>> scope_parameters(DKI), scope_parameters(NATIONAL)
    ({'provinsi': None, 'kota': None}, {'provinsi': 'indonesia', 'kota': None})
    """
    return {"provinsi": scope.provinsi_param, "kota": scope.kota}


def select_scopes(names: list[str] | None, scopes: list[Scope]) -> list[Scope]:
    """Scopes named in ``--kota`` (lenient matching), or all scopes when none are named.

    Parameters
    ----------
    names : list of str or None
        The ``--kota`` values (each may hold several names separated by commas); ``"dki"`` is the
        whole province, ``"national"``/``"indonesia"`` the national scope when it is offered.
    scopes : list of Scope
        The scopes to choose from.

    Returns
    -------
    list of Scope
        The scopes named, in the order of ``scopes``.

    Raises
    ------
    UsageError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> scopes = available_scopes()[:2] + available_scopes()[2:3]
    >>> [s.slug for s in select_scopes(["Kota Adm. Jakarta Pusat", "dki"], scopes)]
    ['dki', 'jakarta-pusat']
    """
    if not names:
        return list(scopes)
    wanted: set[str] = set()
    unknown = []
    by_key = {name_key(s.kota): s.slug for s in scopes if s.kota}
    by_key.update({s.slug.replace("-", ""): s.slug for s in scopes})
    for raw in names:
        for name in (p.strip() for p in str(raw).split(",")):
            if not name:
                continue
            plain = "".join(ch for ch in name.lower() if ch.isalnum())
            if plain in NATIONAL_WORDS and any(s.slug == NATIONAL.slug for s in scopes):
                wanted.add(NATIONAL.slug)
            elif is_all(name) and any(s.slug == DKI.slug for s in scopes):
                wanted.add(DKI.slug)
            elif name_key(name) in by_key:
                wanted.add(by_key[name_key(name)])
            elif plain in by_key:
                wanted.add(by_key[plain])
            else:
                unknown.append(name)
    if unknown:
        valid = ", ".join(f'"{s.kota}"' for s in scopes if s.kota)
        raise UsageError(f"unknown kota {', '.join(repr(u) for u in unknown)}; valid kota are {valid} "
                         '(or "dki" for the whole province)')
    return [s for s in scopes if s.slug in wanted]


def find_notebooks(items: list[str | Path] | None) -> list[Path]:
    """Notebook files named, or found (``*.ipynb``, sorted by name) in the folders named.

    Parameters
    ----------
    items : list of str or Path, or None
        Notebook files and folders (``--notebooks``); default: the project's ``notebooks/``.

    Returns
    -------
    list of Path
        Absolute paths, in the order found.

    Raises
    ------
    UsageError
        For an item that is neither a notebook nor a folder, no notebook at all, or two notebooks
        of the same name (their outputs would collide).
    """
    found: list[Path] = []
    for item in items or [paths.NOTEBOOKS]:
        item = Path(item)
        if item.is_dir():
            found.extend(sorted(p for p in item.glob("*.ipynb") if not p.name.startswith((".", "_"))))
        elif item.suffix == ".ipynb" and item.is_file():
            found.append(item)
        else:
            raise UsageError(f"{item} is neither a notebook (.ipynb) nor a folder")
    if not found:
        raise UsageError(f"no notebooks (*.ipynb) in {', '.join(str(i) for i in items or [paths.NOTEBOOKS])}")
    stems = [p.stem for p in found]
    dup = sorted({s for s in stems if stems.count(s) > 1})
    if dup:
        raise UsageError(f"two notebooks share the name {', '.join(dup)}: their outputs would collide")
    return [p.resolve() for p in found]

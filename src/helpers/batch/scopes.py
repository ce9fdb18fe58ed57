"""What a batch runs: the notebooks, the scopes, and which notebook runs in which scope.

A *scope* is all of DKI Jakarta (``dki``, ``kota=None``), one of its six kota/kabupaten
administrasi, or -- for a notebook whose metadata says ``{"dki_recap": {"scope": "national"}}``
(notebook 04) -- all of Indonesia (:data:`NATIONAL`): a national notebook runs once, in the
national scope, never per DKI scope, and the DKI notebooks never run there (:func:`runs_of`).
``--kota`` names scopes leniently (:func:`select_scopes`).  Resolving one ``kota`` parameter for a
notebook is :mod:`helpers.scopes`; this module only chooses the runs of a batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..names import kota_short, name_key, slug
from ..scopes import is_dki
from .errors import UsageError


@dataclass(frozen=True)
class Scope:
    """One geographic scope: the whole province (``kota=None``) or one kota; ``provinsi`` None is
    DKI Jakarta, else the province (its name in the national layer) the notebooks get."""

    slug: str
    label: str
    kota: str | None = None
    provinsi: str | None = None


#: The scope of the notebooks that cover all of Indonesia (notebook metadata ``dki_recap.scope =
#: "national"``): they run once, in this scope, and never per DKI scope.
NATIONAL = Scope("national", "Indonesia", None)
#: Words that select the national scope in ``--kota``.
NATIONAL_WORDS = {"national", "nasional", "indonesia", "seluruhindonesia"}


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
    import nbformat

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


def available_scopes(kota_path: str | Path | None = None) -> list[Scope]:
    """The ``dki`` scope followed by one scope per kota, in Kemendagri code order.

    Parameters
    ----------
    kota_path : str or Path, optional
        A kota boundaries file (the ``kota_path`` parameter); default: the shipped one.

    Returns
    -------
    list of Scope

    Examples
    --------
    >>> [s.slug for s in available_scopes()][:3]
    ['dki', 'kepulauan-seribu', 'jakarta-pusat']
    """
    from ..loaders import load_boundaries

    kota = load_boundaries("kota", kota_path).sort_values("kode")
    scopes = [Scope("dki", "DKI Jakarta", None)]
    for name in kota["nama"]:
        short = kota_short(name)
        scopes.append(Scope(slug(short), short, short))
    return scopes


def province_scopes(names: list[str]) -> list[Scope]:
    """The scopes of ``--provinsi``: ``all`` = the 38 provinces, each as a whole (DKI Jakarta as its
    ``dki`` scope); a province name = that province as a whole and each of its kab/kota (DKI Jakarta:
    ``dki`` and its 6 kota).  Names in any spelling or by code (:func:`helpers.province.resolve_provinsi`),
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
    from ..province import DKI_KODE, UnknownProvince, kabkota_slug, kabkota_table, provinces, resolve_provinsi

    out: list[Scope] = []
    prov = provinces()
    kab = kabkota_table()
    for raw in names:
        for name in (p.strip() for p in str(raw).split(",")):
            if not name:
                continue
            if "".join(ch for ch in name.lower() if ch.isalnum()) in ("all", "semua", "indonesia"):
                chosen = list(prov["kode"])
                whole_only = True
            else:
                try:
                    chosen = [resolve_provinsi(name)[0]]
                except UnknownProvince as exc:
                    raise UsageError(str(exc)) from None
                whole_only = False
            for kode in chosen:
                nama = prov.loc[prov["kode"] == kode, "nama"].iloc[0]
                if kode == DKI_KODE:
                    out.extend(available_scopes()[:1] if whole_only else available_scopes())
                    continue
                out.append(Scope(slug(nama), nama, None, nama))
                if not whole_only:
                    for r in kab[kab["provinsi_kode"] == kode].sort_values("kode").itertuples():
                        out.append(Scope(kabkota_slug(r.nama, kab["nama"]), kota_short(r.nama), r.nama, nama))
    seen: set[str] = set()
    return [s for s in out if not (s.slug in seen or seen.add(s.slug))]


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
    >>> scopes = [Scope("dki", "DKI Jakarta"), Scope("jakarta-pusat", "Jakarta Pusat", "Jakarta Pusat")]
    >>> [s.slug for s in select_scopes(["Kota Adm. Jakarta Pusat", "all"], scopes)]
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
            elif is_dki(name):
                wanted.add("dki")
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

"""One resolver for the ``kota`` parameter, used by every notebook, the maps, the analyses and the batch.

``kota`` selects the scope of a run: ``None`` (or ``""``, ``"dki"``, ``"DKI Jakarta"``, ``"all"``,
``"semua"``) is all of DKI Jakarta; anything else names one kota/kabupaten administrasi in any
spelling offices use (``"Jakarta Pusat"``, ``"Kota Adm. Jakarta Pusat"``, ``"JAKARTA PUSAT"``,
``"jakpus"``) or by its Kemendagri code (``"31.71"``, ``"3171"``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .names import kota_short, name_key, slug

#: Label of the whole-province scope.
DKI_LABEL = "DKI Jakarta"
#: Slug (output folder name) of the whole-province scope.
DKI_SLUG = "dki"
#: :func:`helpers.names.name_key` of the words that select all of DKI ("DKI Jakarta" and
#: "Provinsi DKI Jakarta" reduce to "jakarta", "dki" to "").
_DKI_KEYS = {"", "jakarta", "all", "semua", "seluruh", "semuakota", "dki"}


class UnknownKota(ValueError):
    """``kota`` names no kota of the boundaries; the message lists the valid names."""


def is_dki(kota) -> bool:
    """Whether ``kota`` selects all of DKI Jakarta.

    Examples
    --------
    >>> [is_dki(k) for k in (None, "", "dki", "DKI Jakarta", "Provinsi DKI Jakarta", "all", "jakpus")]
    [True, True, True, True, True, True, False]
    """
    return kota is None or name_key(kota) in _DKI_KEYS


def _table(units) -> pd.DataFrame:
    """Code and name columns (``kode``/``nama`` of kota boundaries, or ``kota_kode``/``kota`` of a
    lower level), one row per kota."""
    if "kota_kode" in units.columns:
        t = pd.DataFrame({"kode": units["kota_kode"].astype(str), "nama": units["kota"].astype(str)})
    else:
        t = pd.DataFrame({"kode": units["kode"].astype(str), "nama": units["nama"].astype(str)})
        if "nama_resmi" in units.columns:
            t["nama_resmi"] = units["nama_resmi"].astype(str)
    return t.drop_duplicates("kode").reset_index(drop=True)


def resolve_kota(kota, units) -> tuple[str | None, str]:
    """``(code, name)`` of the kota selected by ``kota``, or ``(None, "DKI Jakarta")``.

    Parameters
    ----------
    kota : str or None
        As typed by a user (see the module docstring).
    units : DataFrame
        Kota boundaries (``kode``, ``nama``) or any table with ``kota_kode`` and ``kota``.

    Raises
    ------
    UnknownKota
        Listing the valid names.

    Examples
    --------
    >>> t = pd.DataFrame({"kode": ["31.01", "31.71"], "nama": ["Kepulauan Seribu", "Jakarta Pusat"]})
    >>> resolve_kota("Kota Adm. Jakarta Pusat", t), resolve_kota("3171", t), resolve_kota("dki", t)
    (('31.71', 'Jakarta Pusat'), ('31.71', 'Jakarta Pusat'), (None, 'DKI Jakarta'))
    """
    if is_dki(kota):
        return None, area_label(units)
    from .province import UnknownProvince, match_unit

    t = _table(units)
    text = str(kota).strip()
    if "nama_resmi" in t.columns:  # the official name ("Kota Administrasi Jakarta Pusat")
        exact = t.index[t["nama_resmi"].str.casefold() == text.casefold()]
        if len(exact) == 1:
            r = t.loc[exact[0]]
            return r["kode"], kota_short(r["nama"])
    try:
        r = t.iloc[match_unit(text, list(t["kode"]), list(t["nama"]), "kota")]
    except UnknownProvince as exc:
        if "ambiguous" in str(exc):
            raise UnknownKota(str(exc)) from None
        raise UnknownKota(f"unknown kota {kota!r}; use one of: {', '.join(kota_short(n) for n in t['nama'])} "
                          f"(or None / \"dki\" for all of {area_label(units)})") from None
    return r["kode"], r["nama"] if r["nama"] != kota_short(r["nama"]) and _ambiguous(t, r["nama"]) else kota_short(r["nama"])


def _ambiguous(t: pd.DataFrame, nama: str) -> bool:
    """Whether another kota of ``t`` has the same short name (Kabupaten Bogor / Kota Bogor)."""
    return sum(kota_short(n) == kota_short(nama) for n in t["nama"]) > 1


def area_label(units) -> str:
    """Label of the whole-area scope of ``units``: its ``attrs["provinsi"]``, else DKI Jakarta."""
    return str((getattr(units, "attrs", None) or {}).get("provinsi", DKI_LABEL))


def area_label_of(frame) -> str:
    """Label of the whole area a table belongs to, from its codes (``kota_kode``, ``kode``, ...):
    "DKI Jakarta" for DKI (and for a table without codes), else the province's name.

    Examples
    --------
    >>> area_label_of(pd.DataFrame({"kota_kode": ["31.71"]})), area_label_of(pd.DataFrame({"kota_kode": ["82.71"]}))
    ('DKI Jakarta', 'Maluku Utara')
    """
    for col in ("kota_kode", "kecamatan_kode", "kode"):
        if col in getattr(frame, "columns", ()) and len(frame):
            code = str(frame[col].iloc[0]).replace(".", "")[:2]
            if code and code != "31":
                from .province import provinces

                names = provinces().set_index("kode")["nama"]
                if code in names.index:
                    return str(names[code])
            break
    return DKI_LABEL


def scope_slug(name: str | None) -> str:
    """Folder name of a scope: ``"dki"`` for all of DKI, else the slug of the kota's short name.

    Examples
    --------
    >>> scope_slug(None), scope_slug("Kabupaten Administrasi Kepulauan Seribu")
    ('dki', 'kepulauan-seribu')
    """
    return DKI_SLUG if name is None or name == DKI_LABEL else slug(kota_short(name))


def output_folder(output_dir: str | Path | None, kota, units=None, base: str | Path = "../output",
                  provinsi=None) -> Path:
    """The folder a notebook writes to: ``output_dir``, or ``<base>/<scope>`` when it is None, so an
    interactive run for one kota never overwrites the outputs of another scope.

    ``units`` (kota boundaries) resolve the name; default: the shipped boundaries.  Outside DKI
    (``provinsi``) the scope is the province or one of its kab/kota, named as notebook 04 names
    it (:func:`helpers.province.province_scope`).

    Examples
    --------
    >>> output_folder(None, "jakpus").as_posix(), output_folder(None, None).as_posix()
    ('../output/jakarta-pusat', '../output/dki')
    >>> output_folder("/tmp/x", "jakpus").as_posix()
    '/tmp/x'
    >>> output_folder(None, "Kota Ternate", provinsi="Maluku Utara").as_posix()
    '../output/ternate'
    """
    if output_dir not in (None, ""):
        return Path(output_dir)
    if provinsi is not None:
        from .province import DKI_KODE, province_scope, resolve_provinsi

        if resolve_provinsi(provinsi)[0] != DKI_KODE:
            return Path(base) / province_scope(provinsi, kota)["slug"]
    if units is None:
        from .units import reference

        units = reference("kota")
    code, name = resolve_kota(kota, units)
    return Path(base) / scope_slug(None if code is None else name)

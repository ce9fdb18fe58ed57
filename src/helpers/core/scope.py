"""The scope of a run, resolved once: :class:`Scope` and :func:`resolve`.

Every notebook, the batch and the national overview take the same two parameters: ``provinsi``
and ``kota``.  They mean the same everywhere:

* ``provinsi`` None (or ``""``): DKI Jakarta, whose data layer is the richest; a province in any
  spelling, short name or code (``"Maluku Utara"``, ``"malut"``, ``"82"``, ``"DKI Jakarta"``); or a
  word for all of Indonesia (:data:`NATIONAL_WORDS`: ``"indonesia"``, ``"nasional"``, ...).
* ``kota`` None, or a word for "all of it" (:data:`ALL_WORDS`: ``"dki"``, ``"semua"``, ...): the
  whole province (or all of Indonesia); else one kota/kabupaten in any spelling offices use
  (``"Jakarta Pusat"``, ``"Kota Adm. Jakarta Pusat"``, ``"JAKARTA PUSAT"``, ``"jakpus"``) or by its
  Kemendagri code (``"31.71"``, ``"3171"``), looked up in the province (in all of Indonesia for a
  national run).

:func:`resolve` turns them into a :class:`Scope` at the top of a run (a notebook's derived-values
cell, the batch's scope list), with every name, code, alias and "all" word in one place; the
:class:`Scope` is handed down and nothing below resolves a name again.  The names and codes come
from a :class:`UnitTable` that the caller reads (:func:`helpers.io.layers.unit_table`): this module
reads no file.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core.names import kota_short, name_key, slug

#: Kemendagri code of DKI Jakarta (the province with its own, richer layer).
DKI_KODE = "31"
#: Label of DKI Jakarta (the national layer calls it "Daerah Khusus Ibukota Jakarta").
DKI_LABEL = "DKI Jakarta"
#: Slug (output folder name) of all of DKI Jakarta.
DKI_SLUG = "dki"
#: Label and slug of all of Indonesia.
INDONESIA, NATIONAL_SLUG = "Indonesia", "national"
#: Words that mean "the whole province" for ``kota`` (compared as :func:`helpers.core.names.name_key`,
#: which also reduces "DKI Jakarta" and "Provinsi DKI Jakarta" to "jakarta" and "dki" to "").
ALL_WORDS = frozenset({"", "all", "semua", "seluruh", "semuakota", "seluruhkota", "dki", "jakarta"})
#: Words that mean "all of Indonesia" (``provinsi``; ``--kota`` of the batch: the national scope).
NATIONAL_WORDS = frozenset({"indonesia", "seluruhindonesia", "national", "nasional"})
#: Words that mean every province for ``provinsi`` (``--provinsi all``; notebook 04: all of Indonesia).
ALL_PROVINCES_WORDS = NATIONAL_WORDS | {"all", "semua", "seluruh", "semuaprovinsi", "seluruhprovinsi"}
#: Short names people use for provinces (keys: lower-case letters and digits).
PROVINCE_ALIASES = {
    "dki": "Daerah Khusus Ibukota Jakarta", "dkijakarta": "Daerah Khusus Ibukota Jakarta",
    "jakarta": "Daerah Khusus Ibukota Jakarta",
    "diy": "Daerah Istimewa Yogyakarta", "jogja": "Daerah Istimewa Yogyakarta", "babel": "Kepulauan Bangka Belitung",
    "kepri": "Kepulauan Riau", "ntb": "Nusa Tenggara Barat", "ntt": "Nusa Tenggara Timur", "sumut": "Sumatera Utara",
    "sumbar": "Sumatera Barat", "sumsel": "Sumatera Selatan", "jabar": "Jawa Barat", "jateng": "Jawa Tengah",
    "jatim": "Jawa Timur", "kalbar": "Kalimantan Barat", "kalteng": "Kalimantan Tengah",
    "kalsel": "Kalimantan Selatan", "kaltim": "Kalimantan Timur", "kaltara": "Kalimantan Utara",
    "sulut": "Sulawesi Utara", "sulteng": "Sulawesi Tengah", "sulsel": "Sulawesi Selatan",
    "sultra": "Sulawesi Tenggara", "sulbar": "Sulawesi Barat", "malut": "Maluku Utara"}


class UnknownUnit(ValueError):
    """A name or code that fits no unit, or more than one; the message names the candidates."""


class UnknownProvince(UnknownUnit):
    """``provinsi`` names no province (or more than one)."""


class UnknownKota(UnknownUnit):
    """``kota`` names no kota/kabupaten of the province (or more than one)."""


def _plain(value) -> str:
    return "".join(ch for ch in str(value).lower() if ch.isalnum())


def is_all(kota) -> bool:
    """Whether ``kota`` means the whole province (None, "", "dki", "DKI Jakarta", "semua", ...).

    Examples
    --------
    >>> [is_all(k) for k in (None, "", "dki", "DKI Jakarta", "Provinsi DKI Jakarta", "all", "jakpus")]
    [True, True, True, True, True, True, False]
    """
    return kota is None or name_key(kota) in ALL_WORDS


def is_national(provinsi) -> bool:
    """Whether ``provinsi`` means all of Indonesia ("indonesia", "nasional", "national", "all", ...).

    Examples
    --------
    >>> [is_national(p) for p in (None, "Indonesia", "seluruh Indonesia", "nasional", "all", "DKI Jakarta")]
    [False, True, True, True, True, False]
    """
    return provinsi is not None and _plain(provinsi) in ALL_PROVINCES_WORDS


def match_unit(value, codes: list[str], names: list[str], what: str, error: type = UnknownUnit) -> int:
    """Row of the unit named by ``value``, as people type it.

    Tried in order: the code (dotted or not) or the full name (any case); for provinces a common
    short name (:data:`PROVINCE_ALIASES`: "jabar", "DKI", "kepri"); the name key
    (:func:`helpers.core.names.name_key`, which drops "Kabupaten"/"Kota") if one unit has it; the one
    unit whose key contains it.  "Kota Bogor" and "Kabupaten Bogor" are told apart by the full name;
    "Bogor" alone is ambiguous.

    Raises
    ------
    UnknownUnit
        (``error``) for an ambiguous or unknown name, naming the candidates.

    Examples
    --------
    >>> match_unit("Kota Bogor", ["32.01", "32.71"], ["Kabupaten Bogor", "Kota Bogor"], "kab/kota")
    1
    >>> match_unit("Kab. Bogor", ["32.01", "32.71"], ["Kabupaten Bogor", "Kota Bogor"], "kab/kota")
    0
    >>> match_unit("jabar", ["31", "32"], ["Daerah Khusus Ibukota Jakarta", "Jawa Barat"], "provinsi")
    1
    """
    t = " ".join(str(value).split())
    if what == "provinsi":
        t = PROVINCE_ALIASES.get(_plain(t), t)
    else:   # "Kab. Bogor", "Kab Bogor" as offices write them: the full name "Kabupaten Bogor"
        t = re.sub(r"^kab\.?\s*(?=\w)", "Kabupaten ", t, flags=re.IGNORECASE)
    full = [i for i, (c, n) in enumerate(zip(codes, names))
            if t in (c, c.replace(".", "")) or t.casefold() == str(n).casefold()]
    key = name_key(t)
    keys = [name_key(n) for n in names]
    for found in (full, [i for i, k in enumerate(keys) if key and k == key],
                  [i for i, k in enumerate(keys) if key and key in k]):
        if len(found) == 1:
            return found[0]
        if found:
            raise error(f"{what} {value!r} is ambiguous: {', '.join(names[i] for i in found[:10])}; "
                        "give the full name or the code")
    raise error(f"unknown {what} {value!r}; use a name or code, e.g. {', '.join(list(names)[:6])}")


@dataclass(frozen=True)
class UnitTable:
    """The names and codes :func:`resolve` knows: every province (``kode``, ``nama``) and every
    kab/kota (``kode``, ``nama``, ``provinsi_kode``) of Indonesia, as the national layer names them."""

    provinces: pd.DataFrame
    kabkota: pd.DataFrame


@dataclass(frozen=True)
class Scope:
    """What a run covers: all of Indonesia, one province, or one kota/kabupaten of a province.

    Attributes
    ----------
    provinsi_kode : str or None
        The province's Kemendagri code; None for all of Indonesia.
    provinsi : str
        The province's name ("DKI Jakarta", "Maluku Utara"; "Indonesia" for a national run).
    kota_kode, kota : str or None
        The kota/kabupaten's code and name as its province's layer names it (DKI: "Jakarta Pusat";
        elsewhere the full name, "Kota Ternate"); None for the whole province.
    label : str
        The short name of the scope for lists and titles ("DKI Jakarta", "Jakarta Pusat",
        "Ternate"; the full name where two kab/kota of Indonesia share the short one).
    slug : str
        The output folder name ("dki", "jakarta-pusat", "maluku-utara", "kota-bogor", "national").
    """

    provinsi_kode: str | None
    provinsi: str
    kota_kode: str | None = None
    kota: str | None = None
    label: str = DKI_LABEL
    slug: str = DKI_SLUG

    @property
    def is_national(self) -> bool:
        """All of Indonesia."""
        return self.provinsi_kode is None

    @property
    def is_dki(self) -> bool:
        """DKI Jakarta or one of its kota (the rich DKI layer)."""
        return self.provinsi_kode == DKI_KODE

    @property
    def is_whole(self) -> bool:
        """A whole province (or all of Indonesia), not one kota."""
        return self.kota_kode is None

    @property
    def title(self) -> str:
        """The scope with its province where that helps ("Kota Ternate (Maluku Utara)")."""
        if self.kota is None or self.is_dki:
            return self.label
        return f"{self.kota} ({self.provinsi})"

    @property
    def provinsi_param(self) -> str | None:
        """The ``provinsi`` parameter that gives this scope back (None for DKI Jakarta)."""
        return "indonesia" if self.is_national else None if self.is_dki else self.provinsi


#: All of DKI Jakarta (the default scope of notebooks 01-03).
DKI = Scope(DKI_KODE, DKI_LABEL)
#: All of Indonesia.
NATIONAL = Scope(None, INDONESIA, label=INDONESIA, slug=NATIONAL_SLUG)


def province_label(kode: str, nama: str) -> str:
    """A province's label: "DKI Jakarta" for 31, else its name.

    Examples
    --------
    >>> province_label("31", "Daerah Khusus Ibukota Jakarta"), province_label("82", "Maluku Utara")
    ('DKI Jakarta', 'Maluku Utara')
    """
    return DKI_LABEL if kode == DKI_KODE else str(nama)


def province_scope(kode: str, units: UnitTable) -> Scope:
    """The scope of one whole province by its code.

    Examples
    --------
    >>> units = UnitTable(pd.DataFrame({"kode": ["31", "82"], "nama": ["Daerah Khusus Ibukota Jakarta",
    ...                                                                  "Maluku Utara"]}), pd.DataFrame())
    >>> province_scope("82", units).slug, province_scope("31", units) == DKI
    ('maluku-utara', True)
    """
    if kode == DKI_KODE:
        return DKI
    nama = str(units.provinces.loc[units.provinces["kode"] == kode, "nama"].iloc[0])
    return Scope(kode, nama, label=nama, slug=slug(nama))


def kota_scope(kode: str, units: UnitTable) -> Scope:
    """The scope of one kota/kabupaten by its code.

    Its label is the short name ("Ternate", "Jakarta Pusat") unless another kab/kota of Indonesia has
    the same one ("Kota Bogor", "Kabupaten Bogor"); so is its slug.

    Examples
    --------
    >>> units = UnitTable(pd.DataFrame({"kode": ["31", "32"], "nama": ["Daerah Khusus Ibukota Jakarta", "Jawa Barat"]}),
    ...     pd.DataFrame({"kode": ["31.71", "32.01", "32.71"], "provinsi_kode": ["31", "32", "32"],
    ...                   "nama": ["Kota Administrasi Jakarta Pusat", "Kabupaten Bogor", "Kota Bogor"]}))
    >>> s = kota_scope("31.71", units)
    >>> s.kota, s.label, s.slug
    ('Jakarta Pusat', 'Jakarta Pusat', 'jakarta-pusat')
    >>> s = kota_scope("32.71", units)
    >>> s.kota, s.label, s.slug, s.title
    ('Kota Bogor', 'Kota Bogor', 'kota-bogor', 'Kota Bogor (Jawa Barat)')
    """
    kab = units.kabkota
    row = kab[kab["kode"] == kode].iloc[0]
    prov = province_scope(str(row["provinsi_kode"]), units)
    nama = str(row["nama"])
    short = kota_short(nama)
    shared = sum(name_key(n) == name_key(nama) for n in kab["nama"]) > 1
    label = nama if shared else short
    return Scope(prov.provinsi_kode, prov.provinsi, kode, short if prov.is_dki else nama, label, slug(label))


def resolve(provinsi=None, kota=None, *, units: UnitTable) -> Scope:
    """The :class:`Scope` that ``provinsi`` and ``kota`` name (see the module docstring).

    Raises
    ------
    UnknownProvince, UnknownKota
        For a name that fits no unit, or several; the message names the candidates.

    Examples
    --------
    >>> units = UnitTable(pd.DataFrame({"kode": ["31", "82"], "nama": ["Daerah Khusus Ibukota Jakarta",
    ...                                                                  "Maluku Utara"]}),
    ...     pd.DataFrame({"kode": ["31.01", "31.71", "82.71"], "provinsi_kode": ["31", "31", "82"],
    ...                   "nama": ["Kabupaten Administrasi Kepulauan Seribu", "Kota Administrasi Jakarta Pusat",
    ...                            "Kota Ternate"]}))
    >>> resolve(units=units) == DKI, resolve("Indonesia", units=units) == NATIONAL
    (True, True)
    >>> resolve(None, "jakpus", units=units).slug, resolve("DKI Jakarta", "dki", units=units).slug
    ('jakarta-pusat', 'dki')
    >>> s = resolve("malut", "ternate", units=units)
    >>> s.provinsi, s.kota_kode, s.kota, s.label, s.slug
    ('Maluku Utara', '82.71', 'Kota Ternate', 'Ternate', 'ternate')
    >>> resolve("nasional", "Kota Ternate", units=units).provinsi
    'Maluku Utara'
    """
    prov, kab = units.provinces, units.kabkota
    if is_national(provinsi):
        if is_all(kota) or _plain(kota) in NATIONAL_WORDS:
            return NATIONAL
        i = match_unit(kota, list(kab["kode"]), list(kab["nama"]), "kab/kota", UnknownKota)
        return kota_scope(str(kab["kode"].iloc[i]), units)
    if provinsi is None or str(provinsi).strip() == "":
        kode = DKI_KODE
    else:
        kode = str(prov["kode"].iloc[match_unit(provinsi, list(prov["kode"]), list(prov["nama"]), "provinsi",
                                                UnknownProvince)])
    whole = province_scope(kode, units)
    if is_all(kota) or (not whole.is_dki and name_key(kota) == name_key(whole.provinsi)):
        return whole
    mine = kab[kab["provinsi_kode"] == kode].reset_index(drop=True)
    names = [kota_short(n) if kode == DKI_KODE else n for n in mine["nama"]]
    text = " ".join(str(kota).split())
    official = [i for i, n in enumerate(mine["nama"]) if str(n).casefold() == text.casefold()]
    try:
        i = official[0] if len(official) == 1 else match_unit(text, list(mine["kode"]), names, "kota", UnknownKota)
    except UnknownKota as exc:
        if "ambiguous" in str(exc):
            raise
        raise UnknownKota(f"unknown kota {kota!r}; use one of: {', '.join(names)} (or None / \"dki\" for all of "
                          f"{whole.label})") from None
    return kota_scope(str(mine["kode"].iloc[i]), units)


def output_folder(output_dir: str | Path | None, scope: Scope, base: str | Path = "../output") -> Path:
    """The folder a notebook writes to: ``output_dir``, or ``<base>/<scope slug>`` when it is None, so
    an interactive run for one kota never overwrites the outputs of another scope.

    Examples
    --------
    >>> output_folder(None, DKI).as_posix(), output_folder("/tmp/x", DKI).as_posix()
    ('../output/dki', '/tmp/x')
    """
    if output_dir not in (None, ""):
        return Path(output_dir)
    return Path(base) / scope.slug

"""Names of kota, kecamatan and kelurahan/desa matched as offices write them, exact spellings first.

:func:`helpers.core.names.name_key` is lenient: it drops case, spaces, punctuation and every
administrative prefix, so ``"KOTA MABA"``, ``"Kec. Kota Maba"`` and ``"Maba"`` share the key
``"maba"``.  That is what makes ``"Kec. Pulo Gadung"`` find ``"Pulogadung"``, but a province may
hold both names: Halmahera Timur has the kecamatan *Maba* and *Kota Maba*, Bengkulu Selatan
*Manna* and *Kota Manna*, Aceh *Indrajaya* (Pidie) and *Indra Jaya* (Aceh Jaya), and Jawa Barat
both *Kabupaten Bogor* and *Kota Bogor*.  :class:`NameIndex` therefore tries, in order:

1. the **exact** name (:func:`words`: case, accents and punctuation ignored, the words kept);
2. the name without its **level's own prefix** (``"Kec. Kota Maba"`` is *Kota Maba*; ``"Desa
   Baru"`` and ``"Kel. Baru"`` are *Baru*); for a kab/kota the prefix is spelt one way
   (``"Kab."``, ``"Kabupaten Adm."`` are ``kabupaten``; ``"Kota Adm."``, ``"Kotamadya"`` are ``kota``);
3. the lenient :func:`~helpers.core.names.name_key`.

The first step that finds a unit decides, within the units the row allows (the kab/kota or the
kecamatan it names) when it names any.  :func:`helpers.core.scope.match_unit` (the scope
resolver's kota and province names) follows the same order: full name, then the key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from helpers.core.names import name_key

#: Prefixes of each level's names that a row may add (``"Kec. Maba"``), longest first.
LEVEL_PREFIXES: dict[str, tuple[str, ...]] = {
    "kecamatan": ("kecamatan", "kec"),
    "kelurahan": ("kelurahan desa", "desa kelurahan", "kelurahan", "kel", "desa", "ds"),
}
#: The ways of writing a kab/kota's type, and the one word each stands for.
_KOTA_TYPES = (("kabupaten administrasi", "kabupaten"), ("kabupaten adm", "kabupaten"), ("kab adm", "kabupaten"),
               ("kab", "kabupaten"), ("kabupaten", "kabupaten"), ("kota administrasi", "kota"),
               ("kota adm", "kota"), ("kotamadya", "kota"), ("kodya", "kota"), ("kota", "kota"))
_EMPTY = ("", "nan", "None")


def words(name: object) -> str:
    """The exact name as lower-case ASCII words: case, accents and punctuation ignored.

    Examples
    --------
    >>> words("KOTA MABA"), words("Kec. Kota  Maba"), words("Lubuk Pakam I,Ii")
    ('kota maba', 'kec kota maba', 'lubuk pakam i ii')
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def without_prefix(key: str, level: str) -> str:
    """``key`` (from :func:`words`) without the prefix a row may put before a name of ``level``;
    for ``"kota"`` the kab/kota type spelt one way.

    Examples
    --------
    >>> without_prefix("kec kota maba", "kecamatan"), without_prefix("desa baru", "kelurahan")
    ('kota maba', 'baru')
    >>> without_prefix("kab adm kepulauan seribu", "kota"), without_prefix("kota adm jakarta pusat", "kota")
    ('kabupaten kepulauan seribu', 'kota jakarta pusat')
    """
    if level == "kota":
        for written, word in _KOTA_TYPES:
            if key.startswith(written + " "):
                return word + key[len(written):]
        return key
    for prefix in LEVEL_PREFIXES.get(level, ()):
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1:]
    return key


class NameIndex:
    """The official names of one level, looked up exact first (see the module docstring).

    Parameters
    ----------
    names : sequence of str
        The official names (position ``i`` is unit ``i``).
    level : {"kota", "kecamatan", "kelurahan"}

    Examples
    --------
    >>> idx = NameIndex(["Maba", "Kota Maba", "Wasile"], "kecamatan")
    >>> idx.lookup("KOTA MABA"), idx.lookup("Kec. Maba"), idx.lookup("Kota Adm. Maba"), idx.lookup("Sofifi")
    ([1], [0], [0, 1], [])
    >>> idx.find("Maba", {1})  # the row's kab/kota holds only Kota Maba
    ([1], True)
    >>> idx.find("Wasile", {0, 1})  # named, but not within the row's kab/kota
    ([2], False)
    """

    def __init__(self, names: Sequence[str], level: str):
        self.level = level
        self._exact: dict[str, list[int]] = {}
        self._typed: dict[str, list[int]] = {}
        self._lenient: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            w = words(name)
            self._exact.setdefault(w, []).append(i)
            if level == "kota":  # both sides with the type spelt one way
                self._typed.setdefault(without_prefix(w, "kota"), []).append(i)
            self._lenient.setdefault(name_key(name), []).append(i)

    def steps(self, value: object) -> list[list[int]]:
        """The units each step finds for ``value`` (exact, without the prefix, lenient)."""
        w = words(value)
        short = without_prefix(w, self.level)
        second = self._typed.get(short, []) if self.level == "kota" else self._exact.get(short, []) if short != w else []
        return [self._exact.get(w, []), second, self._lenient.get(name_key(value), [])]

    def find(self, value: object, *within: Iterable[int] | None) -> tuple[list[int], bool]:
        """The units named by ``value`` and whether they lie within the units a row allows.

        ``within`` are sets of units tried in order (the row's kecamatan, then its kab/kota; None
        means every unit): the first set in which a step finds any unit decides, the steps taken
        in order within it.  When no set holds one, the units of the first step that finds any
        at all are returned with ``False`` (the caller reports that the unit lies elsewhere).
        """
        found = self.steps(value)
        for allowed in within:
            if allowed is None:
                break
            for hits in found:
                inside = [i for i in hits if i in allowed]
                if inside:
                    return inside, True
        hits = next((h for h in found if h), [])
        return hits, bool(hits) and (not within or within[-1] is None)

    def lookup(self, value: object, *within: Iterable[int] | None) -> list[int]:
        """The units of :meth:`find`."""
        return self.find(value, *within)[0]


def is_empty(value: object) -> bool:
    """Whether a cell names nothing (``""``, ``"nan"``, ``"None"``)."""
    return str(value).strip() in _EMPTY

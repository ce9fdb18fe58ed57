"""Lenient matching of administrative names.

Offices type names in many ways: ``"Kota Adm. Jakarta Pusat"``, ``"JAKARTA PUSAT"``,
``"Jakpus"``; ``"Pulo Gadung"`` and ``"Pulogadung"``; BPS writes ``"Tanjung Priuk"`` where
Kemendagri writes ``"Tanjung Priok"``.  :func:`name_key` reduces a name to a key that ignores
case, punctuation, spaces and administrative prefixes; :data:`ALIASES` maps known spelling
variants to the Kemendagri key.
"""

from __future__ import annotations

import re
import unicodedata

#: Kota code of Kabupaten Administrasi Kepulauan Seribu (Kemendagri): its kelurahan are islands.
KEPULAUAN_SERIBU = "31.01"

_PREFIXES = [
    "provinsi", "dki", "kabupaten administrasi", "kabupaten adm", "kab adm", "kabupaten",
    "kab", "kota administrasi", "kota adm", "kotamadya", "kota", "adm", "administrasi",
    "kecamatan", "kec", "kelurahan", "kel", "desa",
]
_PREFIX_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(p) for p in _PREFIXES) + r")\b\s*)+")

#: Known spelling variants -> Kemendagri spelling, both as keys (see :func:`name_key`).
ALIASES: dict[str, str] = {
    # kota abbreviations in common use
    "jakpus": "jakartapusat", "jakut": "jakartautara", "jakbar": "jakartabarat",
    "jaksel": "jakartaselatan", "jaktim": "jakartatimur", "kepseribu": "kepulauanseribu",
    "pulauseribu": "kepulauanseribu", "kepulauanseribuutara": "kepulauanseribuutara",
    # kecamatan spellings (BPS 2020 / press vs Kemendagri)
    "tanjungpriuk": "tanjungpriok", "palmerah": "palmerah", "setiabudi": "setiabudi",
    "kalideres": "kalideres", "tamansari": "tamansari", "kramatjati": "kramatjati",
    # kelurahan spellings in BPS 2020 (HDX) and in BIG RBI office names
    "papango": "papanggo", "halimperdanakusumah": "halimperdanakusuma",
    "wijayakesuma": "wijayakusuma", "palmeriem": "palmeriam", "harapanmulya": "harapanmulia",
    "kampungtengah": "tengah", "sukapura": "sukapura", "malawai": "melawai",
    "pertukanganutara": "petukanganutara", "pertukanganselatan": "petukanganselatan",
    "balekemban": "balekambang",
}
#: Abbreviated words expanded before comparison ("Gn. Sahari" is "Gunung Sahari").
_WORDS = {"gn": "gunung", "kp": "kampung", "kb": "kebon", "psr": "pasar", "tj": "tanjung", "tg": "tanjung"}


def name_key(name: object) -> str:
    """Reduce an administrative name to a comparison key.

    Case, accents, punctuation, spaces and prefixes such as "Kota Adm." or "Kecamatan" are
    removed, then known spelling variants are mapped to the Kemendagri spelling.

    Examples
    --------
    >>> name_key("Kota Adm. Jakarta Pusat") == name_key("JAKARTA PUSAT") == name_key("jakpus")
    True
    >>> name_key("Kec. Pulo Gadung") == name_key("Pulogadung")
    True
    >>> name_key("Tanjung Priuk")
    'tanjungpriok'
    >>> name_key("GN. SAHARI UTARA")
    'gunungsahariutara'
    """
    if name is None:
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower())
    text = re.sub(r"\s+", " ", text).strip()
    text = _PREFIX_RE.sub("", text)
    key = "".join(_WORDS.get(w, w) for w in text.split())
    return ALIASES.get(key, key)


def kota_short(name: str) -> str:
    """Short display name of a kota/kabupaten administrasi.

    Examples
    --------
    >>> kota_short("Kabupaten Administrasi Kepulauan Seribu")
    'Kepulauan Seribu'
    >>> kota_short("KOTA JAKARTA PUSAT")
    'Jakarta Pusat'
    """
    text = re.sub(r"\s+", " ", str(name)).strip()
    text = re.sub(r"^(kabupaten|kab\.?|kota)(\s+(administrasi|adm\.?))?\s+", "", text, flags=re.I)
    return text.title()


def slug(name: str) -> str:
    """File-system friendly slug of a name.

    Examples
    --------
    >>> slug("Kepulauan Seribu")
    'kepulauan-seribu'
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")

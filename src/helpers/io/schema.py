"""What the input files hold: the fields of each kind of file and the headers offices use for them.

Offices keep their lists in Excel with their own headers: ``No.``, ``Nama Lokasi``, ``KEC.``,
``Kota/Kabupaten Administrasi``, ``Lintang``/``Bujur`` or one ``Koordinat`` column, ``Akses
Internet`` with Ya/Tidak, ``Keterangan``.  :data:`FIELDS` lists, for each kind of file
(``sites``, ``facilities``, ``tps``), every field the toolkit reads with the headers it is
recognised by; :func:`recognise` maps a file's headers to fields, and the ``columns`` parameter
(``{header in the file: field}``) maps anything else.

Headers are compared by :func:`header_key`: case, spaces, punctuation and a trailing
parenthesised remark are ignored, so ``"Kota/Kabupaten Administrasi"``, ``"KOTA KABUPATEN
ADMINISTRASI"`` and ``"kota_kabupaten_administrasi"`` are one header.

The template workbook (:mod:`helpers.io.excel_template`) is written from the same table, so the
headers it writes are always recognised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: Field name that marks a column as deliberately ignored in ``columns``.
IGNORE = "ignore"
#: Prefix of the user's own columns that the toolkit keeps but does not interpret; it keeps them
#: apart from the project's columns (also in case-insensitive formats such as GeoPackage).
EXTRA_PREFIX = "asli: "


@dataclass(frozen=True)
class Field:
    """One field of an input file.

    Attributes
    ----------
    name : str
        The toolkit's column name.
    aliases : tuple of str
        Headers it is recognised by, best first (compared with :func:`header_key`).
    header : str
        The header the template writes (Bahasa Indonesia).
    help_id, help_en : str
        What the field means and which values are accepted.
    example : str
        A value for the template's example row.
    required : bool
        Whether a file must have it (coordinates: ``lat``+``lon`` or ``coordinates``).
    """

    name: str
    aliases: tuple[str, ...]
    header: str
    help_id: str
    help_en: str
    example: str = ""
    required: bool = False
    keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "keys", frozenset(header_key(a) for a in self.aliases))


def header_key(header: object) -> str:
    """Comparison key of a column header.

    Examples
    --------
    >>> header_key("Kota/Kabupaten Administrasi") == header_key("kota_kabupaten_administrasi")
    True
    >>> header_key("No."), header_key("Latitude (LS)"), header_key("  KEC. ")
    ('no', 'latitude', 'kec')
    """
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode().lower()
    stripped = re.sub(r"\([^)]*\)\s*$", "", text)  # "Latitude (LS)", "Jumlah TPS (total)"
    key = "".join(ch for ch in stripped if ch.isalnum())
    return key or "".join(ch for ch in text if ch.isalnum())


def _f(name, aliases, header, help_id, help_en, example="", required=False) -> Field:
    return Field(name, tuple(aliases), header, help_id, help_en, example, required)


_NO = _f("row_number", ["no", "nomor", "no urut", "nomor urut", "#", "no."], "No",
         "Nomor urut (tidak dipakai).", "Running number (not used).", "1")
_KOTA = _f("kota", ["kota", "kota administrasi", "kota/kabupaten administrasi", "kota/kabupaten", "kabupaten",
                    "kabupaten/kota", "kab/kota", "kota/kab", "kota adm", "kabupaten administrasi", "wilayah",
                    "wilayah kota", "kotamadya", "nama kota", "regency", "city", "kota/kab. administrasi",
                    "kab/kota administrasi", "kabupaten/kota administrasi", "kota/kabupaten adm", "kab./kota",
                    "nama kabupaten/kota", "nama kab/kota"],
           "Kota/Kabupaten Administrasi",
           "Kota atau kabupaten administrasi, mis. Jakarta Pusat, Kota Adm. Jakarta Pusat, Jakpus, Kepulauan Seribu.",
           "City or regency, e.g. Jakarta Pusat (many spellings accepted).", "Jakarta Pusat")
_KEC = _f("kecamatan", ["kecamatan", "kec", "nama kecamatan", "kec.", "district", "subdistrict"], "Kecamatan",
          "Nama kecamatan (lihat menu pilihan; huruf besar/kecil dan 'Kec.' boleh).",
          "Kecamatan name (see the drop-down; any case, 'Kec.' allowed).", "Gambir")
_KEC_KODE = _f("kecamatan_kode", ["kecamatan_kode", "kode kecamatan", "kode kec", "kode_kec"], "Kode Kecamatan",
               "Kode Kemendagri kecamatan, mis. 31.71.01 (boleh kosong bila nama kecamatan diisi).",
               "Kemendagri kecamatan code such as 31.71.01 (optional).", "31.71.01")
_KEL = _f("kelurahan", ["kelurahan", "kel", "desa", "kelurahan/desa", "desa/kelurahan", "nama kelurahan",
                        "village"], "Kelurahan",
          "Nama kelurahan/desa (lihat menu pilihan; 'Kel.'/'Desa' boleh).",
          "Kelurahan/desa name (see the drop-down; 'Kel.'/'Desa' allowed).",
          "Gambir")
_LAT = _f("lat", ["lat", "latitude", "lintang", "y", "koordinat y", "garis lintang"], "Lintang",
          "Lintang dalam derajat desimal, negatif di selatan khatulistiwa (Jakarta sekitar -6,2).",
          "Latitude in decimal degrees (Jakarta about -6.2).", "-6.170687")
_LON = _f("lon", ["lon", "longitude", "bujur", "long", "lng", "x", "koordinat x", "garis bujur"], "Bujur",
          "Bujur dalam derajat desimal (Jakarta sekitar 106,8).", "Longitude in decimal degrees (about 106.8).",
          "106.819062")
_COORD = _f("coordinates", ["koordinat", "coordinates", "coordinate", "titik koordinat", "lat long", "latlong",
                            "lat, long", "lat/long", "lokasi koordinat", "koordinat lokasi"], "Koordinat",
            "Atau satu kolom \"lintang, bujur\", mis. \"-6.170687, 106.819062\" (bila Lintang/Bujur kosong).",
            "Or one column \"lat, lon\", e.g. \"-6.170687, 106.819062\".", "")
_ADDR = _f("address", ["alamat", "address", "alamat lengkap", "alamat lokasi", "jalan"], "Alamat",
           "Alamat (untuk popup peta).", "Address (shown in popups).", "Jl. Tanah Abang I No. 1")
_NOTES = _f("notes", ["keterangan", "catatan", "notes", "note", "remarks", "ket", "ket."], "Keterangan",
            "Catatan bebas. Tulis \"koordinat perkiraan\" bila posisinya hanya perkiraan.",
            "Free notes; write \"approximate\" if the position is only approximate.", "")
_APPROX = _f("approximate", ["approximate", "perkiraan", "posisi perkiraan", "koordinat perkiraan",
                             "is approximate", "perkiraan posisi"], "Posisi Perkiraan",
             "Ya bila koordinatnya perkiraan, Tidak bila titik sebenarnya.",
             "Yes if the coordinates are approximate.", "Tidak")

FIELDS: dict[str, tuple[Field, ...]] = {
    "sites": (
        _NO,
        _f("site_id", ["site_id", "id lokasi", "id", "kode lokasi", "id site", "kode ppk", "id ppk"], "ID Lokasi",
           "Kode unik lokasi (boleh kosong: dibuat dari kode kecamatan, mis. PPK-31.71.01).",
           "Unique site id (optional: made from the kecamatan code).", "PPK-31.71.01"),
        _f("venue", ["venue", "nama lokasi", "nama tempat", "tempat rekapitulasi", "lokasi rekapitulasi",
                     "lokasi", "tempat", "nama gedung", "gedung", "nama lokasi rekapitulasi", "nama"],
           "Nama Lokasi", "Nama tempat rekapitulasi, mis. Kantor Kecamatan Gambir.",
           "Name of the recapitulation venue.", "Kantor Kecamatan Gambir"),
        _ADDR, _KEL, _KEC, _KEC_KODE, _KOTA, _LAT, _LON, _COORD,
        _f("internet", ["internet", "jaringan internet", "akses internet", "ada internet", "has internet",
                        "koneksi internet", "wifi"], "Internet",
           "Ya/Tidak (juga Ada/Tidak ada, 1/0, ✓/✗). Kolom kosong seluruhnya: semua dianggap ada internet.",
           "Yes/No (also Ada/Tidak ada, 1/0, ✓/✗).", "Ya"),
        _APPROX, _NOTES,
        # the project's own columns (the shipped file): read as they are
        _f("kota_kode", ["kota_kode", "kode kota", "kode kabupaten", "kode kab/kota"], "Kode Kota", "", ""),
        _f("venue_status", ["venue_status"], "venue_status", "", ""),
        _f("location_source", ["location_source"], "location_source", "", ""),
        _f("position_basis", ["position_basis"], "position_basis", "", ""),
        _f("internet_source", ["internet_source"], "internet_source", "", ""),
        _f("source_note", ["source_note"], "source_note", "", ""),
    ),
    "facilities": (
        _NO,
        _f("facility_id", ["facility_id", "id fasilitas", "id", "kode fasilitas", "kode"], "ID Fasilitas",
           "Kode unik fasilitas (boleh kosong).", "Unique facility id (optional).", "GUDANG-01"),
        _f("name", ["name", "nama", "nama fasilitas", "nama lokasi", "nama tempat", "nama gedung", "nama kantor",
                    "lokasi", "tempat", "namobj"], "Nama Fasilitas",
           "Nama fasilitas, mis. Gudang Logistik KPU Jakarta Pusat.", "Facility name.", "Gudang Logistik KPU"),
        _f("facility_type", ["facility_type", "jenis", "jenis fasilitas", "tipe", "type", "kategori",
                             "fungsi", "jenis lokasi"], "Jenis",
           "Gudang logistik, Sekretariat KPU, Sekretariat Bawaslu, Sekretariat PPK, Sekretariat PPS, "
           "Kantor camat, Kantor lurah, Tempat rekapitulasi, Pos keamanan, Lainnya.",
           "Warehouse, KPU/Bawaslu secretariat, PPK/PPS office, recap venue, security post, other.",
           "Gudang logistik"),
        _ADDR, _KEL, _KEC, _KOTA, _LAT, _LON, _COORD, _APPROX, _NOTES,
        _f("status", ["status"], "status", "", ""),
        _f("role", ["role", "peran"], "Peran", "Peran fasilitas (bebas).", "Role (free text).", ""),
        # the project's own columns (the shipped office points): read as they are
        *(_f(n, [n], n, "", "") for n in ("kelurahan_kode", "kecamatan_kode", "kota_kode", "source", "named_unit",
                                           "name_matches_location")),
    ),
    "tps": (
        _NO,
        _f("kode", ["kode", "kode wilayah", "kode kelurahan", "kode desa", "kode kemendagri", "kode_kelurahan",
                    "kelurahan_kode", "kode kel"], "Kode Kelurahan",
           "Kode Kemendagri kelurahan, mis. 31.71.01.1001 atau 3171011001 (boleh kosong bila nama kelurahan "
           "diisi).", "Kemendagri kelurahan code, with or without dots (optional if the name is given).",
           "31.71.01.1001"),
        _f("kelurahan", [*_KEL.aliases, "nama"], _KEL.header, _KEL.help_id, _KEL.help_en, _KEL.example),
        _KEC, _KOTA,
        _f("kecamatan_kode", ["kecamatan_kode", "kode kecamatan"], "Kode Kecamatan", "", ""),
        _f("kota_kode", ["kota_kode", "kode kota"], "Kode Kota", "", ""),
        _f("tps_khusus_nomor", ["tps_khusus_nomor", "nomor tps khusus"], "Nomor TPS Khusus",
           "Nomor TPS lokasi khusus (boleh kosong).", "Numbers of the special TPS (optional).", ""),
        _f("tps_total", ["tps_total", "jumlah tps", "tps", "jml tps", "total tps", "banyak tps", "n tps"],
           "Jumlah TPS", "Jumlah TPS di kelurahan itu (bilangan bulat ≥ 0).", "Number of TPS (whole number).",
           "61", required=True),
        _f("tps_reguler", ["tps_reguler", "tps reguler", "jumlah tps reguler"], "TPS Reguler",
           "Jumlah TPS reguler (boleh kosong).", "Regular TPS (optional).", ""),
        _f("tps_khusus", ["tps_khusus", "tps khusus", "jumlah tps khusus", "tps lokasi khusus"], "TPS Khusus",
           "Jumlah TPS lokasi khusus (boleh kosong).", "Special-location TPS (optional).", ""),
        _f("dpt", ["dpt", "jumlah dpt", "pemilih", "jumlah pemilih"], "DPT",
           "Jumlah pemilih (DPT), boleh kosong.", "Registered voters (optional).", ""),
    ),
}
#: Required fields: every name in a group must be found (coordinates are checked apart).
REQUIRED: dict[str, tuple[str, ...]] = {
    "sites": ("kecamatan",),
    "facilities": (),
    "tps": ("tps_total",),
}


def fields(kind: str) -> dict[str, Field]:
    """The fields of one kind of file by name.

    Examples
    --------
    >>> [f for f in fields("tps") if fields("tps")[f].required]
    ['tps_total']
    """
    if kind not in FIELDS:
        raise ValueError(f"kind must be one of {', '.join(FIELDS)}, not {kind!r}")
    return {f.name: f for f in FIELDS[kind]}


@dataclass
class Recognition:
    """How a file's headers were understood.

    Attributes
    ----------
    found : dict
        Field name -> the file's header.
    how : dict
        Field name -> ``"recognised"`` or ``"columns"`` (given in the ``columns`` parameter).
    ignored : list of str
        Headers no field took (kept as extra columns).
    doubles : list of tuple
        ``(header, field, header taken instead)``: a second header that also looks like a field.
    """

    found: dict[str, str]
    how: dict[str, str]
    ignored: list[str]
    doubles: list[tuple[str, str, str]]


def recognise(headers: list[str], kind: str, columns: dict | None = None) -> Recognition:
    """Map a file's headers to the fields of ``kind``.

    ``columns`` (``{header: field}``) is applied first; its headers are matched like the
    others (case- and punctuation-insensitively).  Unknown headers or fields in ``columns``
    raise :class:`KeyError` with a message listing what exists (the loaders turn it into a
    validation error).

    Examples
    --------
    >>> r = recognise(["No.", "Nama Lokasi", "KEC.", "Kota/Kabupaten Administrasi", "Lintang", "Bujur",
    ...                "Akses Internet", "Keterangan", "Petugas"], "sites")
    >>> r.found["venue"], r.found["kecamatan"], r.found["kota"], r.found["lat"], r.ignored
    ('Nama Lokasi', 'KEC.', 'Kota/Kabupaten Administrasi', 'Lintang', ['Petugas'])
    >>> recognise(["Nama Fasilitas", "Kota/Kab. Administrasi"], "facilities").found["kota"]
    'Kota/Kab. Administrasi'
    >>> recognise(["Lokasi PPK", "Kec"], "sites", columns={"Lokasi PPK": "venue"}).how["venue"]
    'columns'
    """
    table = fields(kind)
    real = [h for h in headers if str(h) != "geometry"]
    by_key: dict[str, str] = {}
    for h in real:
        by_key.setdefault(header_key(h), h)
    found: dict[str, str] = {}
    how: dict[str, str] = {}
    used: set[str] = set()
    for header, name in (columns or {}).items():
        h = by_key.get(header_key(header))
        if h is None:
            raise KeyError(f"the column '{header}' named in columns is not in the file; its headers are: "
                           f"{', '.join(map(str, real))}")
        if name is None or str(name).lower() in (IGNORE, "-", "none", ""):
            used.add(h)
            continue
        if name not in table:
            raise KeyError(f"columns maps '{header}' to '{name}', which is not a field of a {kind} file; "
                           f"fields: {', '.join(n for n in table if table[n].help_en)}")
        found[name], how[name] = h, "columns"
        used.add(h)
    doubles = []
    for f in table.values():
        if f.name in found:
            continue
        # the first alias (best first) that a header has
        for alias in f.aliases:
            h = by_key.get(header_key(alias))
            if h is not None and h not in used:
                found[f.name], how[f.name] = h, "recognised"
                used.add(h)
                break
        else:
            continue
        for alias in f.aliases:  # a second header that also looks like this field
            h = by_key.get(header_key(alias))
            if h is not None and h not in used:
                doubles.append((h, f.name, found[f.name]))
                used.add(h)
    ignored = [h for h in real if h not in used]
    return Recognition(found, how, ignored, doubles)


def score(headers: list[object], kind: str) -> int:
    """How many of ``headers`` look like headers of ``kind`` (used to find the header row).

    Examples
    --------
    >>> score(["No", "Kecamatan", "Jumlah TPS"], "tps"), score(["Rekap TPS 2024", None, None], "tps")
    (3, 0)
    """
    keys = set().union(*(f.keys for f in FIELDS[kind]))
    return sum(1 for h in headers if h is not None and str(h).strip() and header_key(h) in keys)


#: Facility types of the toolkit, and the words (compared with :func:`header_key`, as prefixes)
#: that offices use for them; the first match wins, so the more specific words come first.
FACILITY_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("warehouse", ("gudang", "warehouse", "logistik", "gudanglogistik", "depo")),
    ("bawaslu_secretariat", ("sekretariatbawaslu", "kantorbawaslu", "bawaslu", "panwaslu", "panwascam",
                             "sekretariatpanwas")),
    ("kpu_secretariat", ("sekretariatkpu", "kantorkpu", "kpu", "sekretariatkpud", "kpud")),
    ("ppk_office", ("sekretariatppk", "kantorppk", "ppk")),
    ("pps_office", ("sekretariatpps", "kantorpps", "pps")),
    ("recap_venue", ("tempatrekap", "lokasirekap", "rekapitulasi", "recapvenue", "recap")),
    ("security", ("poskeamanan", "pospam", "polsek", "polres", "polda", "koramil", "kodim", "keamanan",
                  "security", "pospengamanan")),
    ("kantor_camat", ("kantorcamat", "kantorkecamatan", "kecamatan", "kantor_camat")),
    ("kantor_lurah", ("kantorlurah", "kantorkelurahan", "kelurahan", "kantor_lurah")),
    ("kantor_walikota", ("kantorwalikota", "walikota", "kantorbupati", "bupati", "kantor_walikota")),
    ("balai_kota", ("balaikota", "balai_kota")),
    ("other_government", ("othergovernment", "kantorpemerintah")),
    ("other", ("other", "lainnya", "lain", "lainlain")),
)
#: Types whose points are PPK offices (kecamatan level) and PPS offices (kelurahan level).
PPK_OFFICE_TYPES = ("kantor_camat", "ppk_office")
PPS_OFFICE_TYPES = ("kantor_lurah", "pps_office")


def facility_type(value: object) -> str | None:
    """The toolkit's facility type for a value written by an office (``None`` when unknown).

    Examples
    --------
    >>> facility_type("Gudang Logistik KPU"), facility_type("Sekretariat PPS"), facility_type("kantor_camat")
    ('warehouse', 'pps_office', 'kantor_camat')
    >>> facility_type("Sekretariat Bawaslu Kota"), facility_type("Rumah makan")
    ('bawaslu_secretariat', None)
    """
    raw = str(value).strip().lower()
    for name, _ in FACILITY_TYPES:
        if raw == name:
            return name
    key = header_key(value)
    for name, words in FACILITY_TYPES:
        if any(key.startswith(w.replace("_", "")) for w in words):
            return name
    return None

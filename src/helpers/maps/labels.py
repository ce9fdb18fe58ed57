"""Map labels in Bahasa Indonesia (default, for the officials who read the maps) and English.

All user-visible words of the maps live here, in one dictionary per language, so a translation
is reviewed in one place.  Use :func:`label`; ``{placeholders}`` are filled with ``str.format``.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "yes": "Ya", "no": "Tidak", "unknown": "Tidak diketahui", "no_data": "Tidak ada data",
        "basemap": "Peta dasar",
        "title_dki": "Lokasi rekapitulasi suara PPK, Pemilu 2024 — {area}",
        "title_kota": "Lokasi rekapitulasi suara PPK, Pemilu 2024 — {kota}",
        "subtitle": "{n} lokasi; {n_approx} berposisi perkiraan (lingkaran putus-putus); {n_internet} dengan internet",
        "reset": "Tampilan awal",
        "layer_kota": "Batas kota/kabupaten administrasi",
        "layer_kecamatan": "Batas kecamatan",
        "layer_sites": "Lokasi rekapitulasi PPK ({n})",
        "layer_fac_kantor_camat": "Kantor camat / sekretariat PPK",
        "layer_fac_kantor_lurah": "Kantor lurah / sekretariat PPS",
        "layer_fac_kantor_walikota": "Kantor walikota/bupati dan Balai Kota",
        "layer_fac_other": "Kantor pemerintah dan fasilitas lainnya",
        "kota": "Kota/Kabupaten", "kecamatan": "Kecamatan", "kelurahan": "Kelurahan",
        "site_title": "PPK {kecamatan}",
        "site_id": "ID lokasi", "venue": "Tempat", "venue_status": "Status tempat", "address": "Alamat",
        "tps": "TPS yang direkapitulasi", "internet": "Internet",
        "location_source": "Sumber lokasi", "position_basis": "Dasar posisi", "data_source": "Sumber data",
        "approx_note": "Posisi perkiraan, bukan lokasi sebenarnya: {basis}.",
        "internet_yes": "Ada (dipasang Pemprov DKI)", "internet_no": "Tidak ada",
        "internet_yes_file": "Ada (menurut file data)",
        "loc_user_file": "Koordinat dari file data pengguna", "vs_user_file": "menurut file data pengguna",
        "notes": "Keterangan", "layer_fac_warehouse": "Gudang logistik",
        "layer_fac_secretariat": "Sekretariat KPU / Bawaslu",
        "ft_warehouse": "Gudang logistik", "ft_kpu_secretariat": "Sekretariat KPU",
        "ft_bawaslu_secretariat": "Sekretariat Bawaslu", "ft_ppk_office": "Sekretariat PPK",
        "ft_pps_office": "Sekretariat PPS", "ft_recap_venue": "Tempat rekapitulasi", "ft_security": "Pos keamanan",
        "loc_kantor_camat_point": "Titik kantor camat (BIG RBI)",
        "loc_press_venue_position_unknown": "Tempat diberitakan pers; posisinya tidak diketahui",
        "loc_approximate": "Perkiraan (titik wakil wilayah kecamatan)",
        "vs_assumed": "kantor camat (tempat rekap diasumsikan)", "vs_held": "terlaksana (diberitakan)",
        "vs_planned": "direncanakan", "vs_agreed": "disepakati", "vs_unknown": "tidak diketahui",
        "fac_name": "Nama", "fac_type": "Jenis", "fac_status": "Status", "fac_source": "Sumber",
        "ft_kantor_camat": "Kantor camat", "ft_kantor_lurah": "Kantor lurah",
        "ft_kantor_walikota": "Kantor walikota/bupati", "ft_balai_kota": "Balai Kota",
        "ft_other_government": "Kantor pemerintah lain", "ft_other": "Fasilitas lain",
        "st_active": "aktif", "st_former_or_non_office": "bekas kantor / bukan kantor",
        "legend_title": "Keterangan",
        "lg_known_internet": "Lokasi PPK, posisi diketahui, ada internet",
        "lg_known_no_internet": "Lokasi PPK, posisi diketahui, tanpa internet",
        "lg_approx": "Lokasi PPK, posisi perkiraan",
        "lg_kota": "Batas kota/kabupaten", "lg_kecamatan": "Batas kecamatan",
        "inset_title": "Kepulauan Seribu (±60 km di utara daratan)",
        "inset_button": "Tampilkan di peta utama",
    },
    "en": {
        "yes": "Yes", "no": "No", "unknown": "Unknown", "no_data": "No data",
        "basemap": "Basemap",
        "title_dki": "PPK vote-recapitulation sites, 2024 election — {area}",
        "title_kota": "PPK vote-recapitulation sites, 2024 election — {kota}",
        "subtitle": "{n} sites; {n_approx} with an approximate position (dashed circles); {n_internet} with internet",
        "reset": "Initial view",
        "layer_kota": "City/regency boundaries",
        "layer_kecamatan": "Kecamatan (sub-district) boundaries",
        "layer_sites": "PPK recapitulation sites ({n})",
        "layer_fac_kantor_camat": "Kecamatan offices / PPK secretariats",
        "layer_fac_kantor_lurah": "Kelurahan offices / PPS secretariats",
        "layer_fac_kantor_walikota": "Mayor/regent offices and City Hall",
        "layer_fac_other": "Other government offices and facilities",
        "kota": "City/regency", "kecamatan": "Kecamatan", "kelurahan": "Kelurahan",
        "site_title": "PPK {kecamatan}",
        "site_id": "Site ID", "venue": "Venue", "venue_status": "Venue status", "address": "Address",
        "tps": "Polling stations (TPS) recapitulated", "internet": "Internet",
        "location_source": "Location source", "position_basis": "Position basis", "data_source": "Data source",
        "approx_note": "Approximate position, not the actual location: {basis}.",
        "internet_yes": "Yes (provided by Pemprov DKI)", "internet_no": "None",
        "internet_yes_file": "Yes (according to the data file)",
        "loc_user_file": "Coordinates from the user's data file", "vs_user_file": "as given in the user's data file",
        "notes": "Notes", "layer_fac_warehouse": "Logistics warehouses",
        "layer_fac_secretariat": "KPU / Bawaslu secretariats",
        "ft_warehouse": "Logistics warehouse", "ft_kpu_secretariat": "KPU secretariat",
        "ft_bawaslu_secretariat": "Bawaslu secretariat", "ft_ppk_office": "PPK secretariat",
        "ft_pps_office": "PPS secretariat", "ft_recap_venue": "Recapitulation venue", "ft_security": "Security post",
        "loc_kantor_camat_point": "Kecamatan office point (BIG RBI)",
        "loc_press_venue_position_unknown": "Venue reported in the press; its position is unknown",
        "loc_approximate": "Approximate (representative point of the kecamatan)",
        "vs_assumed": "kecamatan office (recap venue assumed)", "vs_held": "held (reported)",
        "vs_planned": "planned", "vs_agreed": "agreed", "vs_unknown": "unknown",
        "fac_name": "Name", "fac_type": "Type", "fac_status": "Status", "fac_source": "Source",
        "ft_kantor_camat": "Kecamatan office", "ft_kantor_lurah": "Kelurahan office",
        "ft_kantor_walikota": "Mayor/regent office", "ft_balai_kota": "City Hall",
        "ft_other_government": "Other government office", "ft_other": "Other facility",
        "st_active": "active", "st_former_or_non_office": "former office / not an office",
        "legend_title": "Legend",
        "lg_known_internet": "PPK site, known position, with internet",
        "lg_known_no_internet": "PPK site, known position, no internet",
        "lg_approx": "PPK site, approximate position",
        "lg_kota": "City/regency boundary", "lg_kecamatan": "Kecamatan boundary",
        "inset_title": "Kepulauan Seribu (±60 km north of the mainland)",
        "inset_button": "Show on the main map",
    },
}


def label(key: str, language: str = "id", **values) -> str:
    """One label in ``language``, with ``{placeholders}`` filled from ``values``.

    Examples
    --------
    >>> label("site_title", "id", kecamatan="Gambir")
    'PPK Gambir'
    >>> label("yes", "en")
    'Yes'
    """
    if language not in LABELS:
        raise ValueError(f"language must be one of {sorted(LABELS)}, not {language!r}")
    text = LABELS[language][key]
    return text.format(**values) if values else text


def label_or(key: str, fallback, language: str = "id") -> str:
    """``label(key)`` if such a label exists, else ``str(fallback)`` (data values without a label)."""
    return LABELS[language].get(key, str(fallback))

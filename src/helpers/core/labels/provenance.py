"""Labels of provenance of positions for readers (issue 22) (data only; read through :func:`helpers.core.text.label`).

The sentences of :mod:`helpers.core.provenance`: one per kind of position basis (``pv_basis_*``), the
offices and places they name (``pv_office_*``, ``pv_area_*``), the sources by their reader name
(``pv_src_*``) and the internet statements (``pv_net_*``).
"""

#: ``key: (Bahasa Indonesia, English)``; every key starts with ``pv_``.
PROVENANCE: dict[str, tuple[str, str]] = {
    # the position of a point, by the kind of its basis
    "pv_basis_office_point": ("Titik {office} ({sources})", "Point of the {office} ({sources})"),
    "pv_basis_island": ("Perkiraan: pulau tempat {office}, {island} (sumber: {sources})",
                        "Approximate: the island of the {office}, {island} (sources: {sources})"),
    "pv_basis_area_point": ("Perkiraan: titik di dalam wilayah {area}; posisinya tidak ada dalam sumber mana pun",
                            "Approximate: a point inside the {area}; its position is in no source"),
    "pv_basis_press_area_point": ("Perkiraan: tempat yang disebut media ({sources}) tanpa koordinat; titik di "
                                  "dalam wilayah {area}",
                                  "Approximate: the venue named in the press ({sources}) has no coordinates; a "
                                  "point inside the {area}"),
    "pv_basis_user_file": ("Koordinat dari file Anda {file}, {row}", "Coordinates from your file {file}, {row}"),
    "pv_basis_user_file_approx": ("Perkiraan: posisi dari file Anda {file}, {row}",
                                  "Approximate: position from your file {file}, {row}"),
    "pv_basis_province_point": ("Perkiraan: titik di dalam wilayah kecamatan, pada bagian dengan TPS terbanyak; "
                                "tidak ada daftar nasional lokasi PPK",
                                "Approximate: a point inside the kecamatan, on its part with the most TPS; there "
                                "is no national list of PPK sites"),
    "pv_basis_desa_point": ("Perkiraan: titik tengah wilayah desa/kelurahan (lapisan nasional)",
                            "Approximate: the centre of the desa/kelurahan area (national layer)"),
    "pv_basis_national_site": ("Perkiraan: lokasi PPK dengan TPS terbanyak di kab/kota ini, pada titik di dalam "
                               "wilayah kecamatannya",
                               "Approximate: the PPK site with the most TPS in this kab/kota, at a point inside "
                               "its kecamatan"),
    "pv_basis_unknown": ("Dasar posisi tidak diketahui", "Basis of the position unknown"),
    "pv_row_row": ("baris {n}", "row {n}"),
    "pv_row_placemark": ("penanda {n}", "placemark {n}"),
    # the offices and areas named in the sentences
    "pv_office_kantor_camat": ("kantor camat", "kecamatan office"),
    "pv_office_kantor_kecamatan": ("kantor kecamatan", "kecamatan office"),
    "pv_office_kantor_lurah": ("kantor lurah", "kelurahan office"),
    "pv_office_kantor_kelurahan": ("kantor kelurahan", "kelurahan office"),
    "pv_office_seat": ("pusat pemerintahan kabupaten", "seat of the regency"),
    "pv_area_kecamatan": ("kecamatan", "kecamatan"),
    "pv_area_kelurahan": ("kelurahan", "kelurahan"),
    # sources by their reader name (a source without a key is shown by its own short name)
    "pv_src_wilayah": ("gazetir pulau cahyadsn/wilayah", "cahyadsn/wilayah island gazetteer"),
    "pv_src_rbi": ("BIG RBI", "BIG RBI"),
    "pv_src_press": ("media", "press"),
    "pv_sources_sep": ("; ", "; "),
    # internet
    "pv_net_programme": ("ada (program Pemprov DKI di {n} tempat rekapitulasi; {source}, {date})",
                         "yes (Pemprov DKI programme at {n} recapitulation venues; {source}, {date})"),
    "pv_net_user_file": ("{value} (file Anda {file}, kolom {column})",
                         "{value} (your file {file}, column {column})"),
    "pv_net_assumed_file": ("dianggap ada (file Anda {file} tidak memberi nilai internet)",
                            "assumed yes (your file {file} gives no internet value)"),
    "pv_net_whatif": ("dianggap ada (skenario: program seperti Pemprov DKI di setiap lokasi PPK)",
                      "assumed yes (what-if: a programme like Pemprov DKI's at every PPK site)"),
    "pv_net_unknown": ("{value} (sumber tidak diketahui)", "{value} (source unknown)"),
    "pv_net_prefix": ("Internet: {what}", "Internet: {what}"),
    "pv_yes": ("ada", "yes"),
    "pv_no": ("tidak ada", "no"),
    # the source naming a venue
    "pv_venue": ("{by}, {date}", "{by}, {date}"),
    # the link to the full record and its page
    "pv_full_source": ("sumber lengkap", "full source"),
    "pv_record_original": ("catatan asli (bahasa Inggris)", "original record"),
}

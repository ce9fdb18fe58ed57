"""Gap sentences of the coverage analysis (:mod:`helpers.analysis.coverage.gaps`): keys ``gs_*``."""

#: ``key: (Bahasa Indonesia, English)``; read through :func:`helpers.core.text.label`.
GAPS: dict[str, tuple[str, str]] = {
    "gs_no_site": ("Kecamatan {kec} tidak punya lokasi rekapitulasi PPK yang diketahui; {n} kelurahan ({tps} "
                   "TPS) tidak punya tujuan penyerahan kotak suara.",
                   "Kecamatan {kec} has no known PPK recapitulation site; its {n} kelurahan ({tps} TPS) have "
                   "nowhere to hand over their ballot boxes."),
    "gs_no_internet": ("Lokasi PPK Kecamatan {kec} ({site}) tidak tercatat punya internet.",
                       "The PPK site of kecamatan {kec} ({site}) has no recorded internet connection."),
    "gs_far_from_ppk": ("Kantor PPS Kelurahan {kel} berjarak {v} km (garis lurus) dari lokasi PPK "
                        "kecamatannya, lebih dari batas {t} km.",
                        "The PPS office of kelurahan {kel} is {v} km (straight line) from its kecamatan's PPK "
                        "site, more than the {t} km threshold."),
    "gs_nearest_not_own": ("Kelurahan {kel} lebih dekat ke lokasi PPK berinternet lain ({other}, {t} km) "
                           "daripada ke lokasi PPK kecamatannya sendiri ({v} km).",
                           "Kelurahan {kel} is nearer to another PPK site with internet ({other}, {t} km) "
                           "than to its own kecamatan's site ({v} km)."),
    "gs_overloaded_site": ("Lokasi PPK Kecamatan {kec} menerima {load} TPS, {v} kali rata-rata lokasi PPK "
                           "{basis} (batas {t} kali).",
                           "The PPK site of kecamatan {kec} receives {load} TPS, {v} times the mean of the "
                           "sites {basis} (threshold {t} times)."),
    "gs_basis_kota": ("di {kota}", "in {kota}"),
    "gs_basis_dki": ("se-DKI Jakarta", "of all DKI Jakarta"),
    "gs_tps_ceiling": ("Lokasi PPK Kecamatan {kec} menerima {load} TPS, lebih dari batas {t} TPS per lokasi.",
                       "The PPK site of kecamatan {kec} receives {load} TPS, more than the ceiling of {t} TPS "
                       "per site."),
    "gs_weak_fallback": ("Bila internet lokasi PPK Kecamatan {kec} putus, lokasi berinternet lain terdekat "
                         "({other}) berjarak {v} km, lebih dari batas {t} km.",
                         "If the internet link of the PPK site of kecamatan {kec} fails, the nearest other "
                         "site with internet ({other}) is {v} km away, more than the {t} km threshold."),
    "gs_weak_fallback_none": ("Bila internet lokasi PPK Kecamatan {kec} putus, tidak ada lokasi PPK lain "
                              "berinternet di daratan sebagai cadangan.",
                              "If the internet link of the PPK site of kecamatan {kec} fails, there is no "
                              "other mainland site with internet to fall back on."),
    "gs_site_position_unverified": ("Posisi lokasi PPK Kecamatan {kec} hanya perkiraan; jarak ke lokasi ini juga "
                                    "perkiraan. {basis}.",
                                    "The position of the PPK site of kecamatan {kec} is approximate; distances to "
                                    "it are approximate too. {basis}."),
    "gs_no_pps_office": ("Kantor PPS (kantor lurah) Kelurahan {kel} tidak ada dalam data; posisinya "
                         "diperkirakan dari sebuah titik di dalam wilayah kelurahan.",
                         "The PPS office (kantor lurah) of kelurahan {kel} is not in the data; its position "
                         "is estimated by a point inside the kelurahan."),
    "gs_no_pps_office_island": ("Titik kantor PPS (kantor kelurahan) Kelurahan {kel} tidak ada dalam data; dipakai "
                                "posisi pulaunya. {basis}.",
                                "The PPS office (kelurahan office) of kelurahan {kel} has no point in the data; its "
                                "island's position is used. {basis}."),
    "gs_no_ppk_office": ("Kantor PPK (kantor camat) Kecamatan {kec} tidak ada dalam data.",
                         "The PPK office (kantor camat) of kecamatan {kec} is not in the data."),
    "gs_no_ppk_office_island": ("Titik kantor PPK (kantor kecamatan) Kecamatan {kec} tidak ada dalam data; dipakai "
                                "posisi pulaunya. {basis}.",
                                "The PPK office (kecamatan office) of kecamatan {kec} has no point in the data; its "
                                "island's position is used. {basis}."),
    "gs_no_warehouse_position": ("Posisi gudang logistik Pemilu di {kota} tidak diketahui: {what}.",
                                 "The position of the election logistics warehouse in {kota} is unknown: {what}."),
    "gs_wh_reported": ("media melaporkan {names}, tanpa koordinat", "the press reported {names}, without coordinates"),
    "gs_wh_none": ("tidak ada gudang yang dilaporkan", "no warehouse was reported"),
    "gs_approx_note": ("(Jarak ini memakai posisi perkiraan.)", "(This distance uses an approximate position.)"),
    # (the basis of an approximate position is the sentence of helpers.core.provenance, labels pv_*)
}

"""Labels of the national overview (notebook 04): key prefix ``ov_``; part of the one table of
:mod:`helpers.core.labels`, read through :func:`helpers.core.text.label`."""

from __future__ import annotations

#: ``key: (Bahasa Indonesia, English)``
OVERVIEW: dict[str, tuple[str, str]] = {
    "ov_name": ("Ikhtisar nasional jaringan rekapitulasi PPK", "National overview of the PPK recapitulation network"),
    "ov_lead": ("{scope}: {kec} kecamatan, jadi {kec} lokasi rekapitulasi PPK (satu per kecamatan; posisinya perkiraan, "
                "sebuah titik di dalam kecamatan), {desa} desa/kelurahan dengan {tps} TPS ({share} dari {kpu} TPS "
                "KawalPemilu/KPU; {un_tps} TPS dari {un_desa} desa tidak dapat ditempatkan di peta). Satu lokasi PPK "
                "rata-rata melayani {mean} TPS, paling banyak {max} ({top}). Separuh desa berjarak paling jauh {median} "
                "dari lokasi PPK kecamatannya (garis lurus dari titik tengah desa), 95 % paling jauh {p95}, yang terjauh "
                "{far}. Garis lurus {sea} desa ({sea_tps} TPS) melintasi laut. Program seperti Pemprov DKI (internet di "
                "44 lokasi rekapitulasi PPK) berarti melengkapi {sites} lokasi.",
                "{scope}: {kec} kecamatan, hence {kec} PPK recapitulation sites (one per kecamatan; approximate "
                "positions, a point inside the kecamatan), {desa} desa/kelurahan with {tps} TPS ({share} of the {kpu} "
                "TPS of KawalPemilu/KPU; {un_tps} TPS of {un_desa} desa could not be placed on the map). A PPK site "
                "serves {mean} TPS on average, at most {max} ({top}). Half of the desa lie within {median} of their "
                "kecamatan's PPK site (straight line from the desa's centre point), 95 % within {p95}; the farthest "
                "is {far} away. For {sea} desa ({sea_tps} TPS) the straight line crosses the sea. A programme like "
                "Pemprov DKI's (internet at its 44 PPK recapitulation sites) would mean equipping {sites} sites."),
    "ov_kecamatan": ("Kecamatan = lokasi rekapitulasi PPK", "Kecamatan = PPK recapitulation sites"),
    "ov_desa": ("Desa/kelurahan dengan TPS", "Desa/kelurahan with TPS"),
    "ov_tps": ("TPS yang ditempatkan", "TPS placed"), "ov_tps_unplaced": ("TPS yang tidak dapat ditempatkan", "TPS not placed"),
    "ov_tps_mean": ("Rata-rata TPS per lokasi PPK", "Mean TPS per PPK site"),
    "ov_tps_max": ("TPS terbanyak di satu lokasi PPK", "Most TPS at one PPK site"),
    "ov_max_mean": ("Terbanyak ÷ rata-rata", "Most ÷ mean"),
    "ov_dist_median": ("Jarak median desa ke lokasi PPK", "Median distance, desa to PPK site"),
    "ov_dist_p95": ("Jarak persentil 95", "95th percentile distance"), "ov_dist_max": ("Jarak terjauh", "Largest distance"),
    "ov_sea": ("Desa yang garis lurusnya melintasi laut", "Desa whose straight line crosses the sea"),
    "ov_programme_sites": ("Lokasi yang perlu dilengkapi (program seperti DKI)", "Sites to equip (a programme like DKI's)"),
    "ov_programme_tps": ("TPS yang dilayani lokasi itu", "TPS those sites serve"),
    "ov_budget": ("Anggaran", "Budget"),
    "ov_col_sites": ("Lokasi PPK", "PPK sites"), "ov_col_desa": ("Desa/kelurahan", "Desa/kelurahan"),
    "ov_col_p95": ("Jarak persentil 95 (km)", "95th percentile (km)"),
    "ov_col_sea": ("Desa melintasi laut", "Desa across the sea"), "ov_col_provinsi": ("Provinsi", "Province"),
    "ov_col_kabkota": ("Kab/kota", "Kab/kota"), "ov_col_vs_mean": ("÷ rata-rata provinsi", "÷ province mean"),
    "ov_col_cost": ("Biaya per lokasi", "Cost per site"), "ov_col_placed": ("TPS ditempatkan", "TPS placed"),
    "ov_col_desa_unplaced": ("Desa tidak ditempatkan", "Desa not placed"),
    "ov_col_unplaced": ("TPS tidak ditempatkan", "TPS not placed"), "ov_col_kpu": ("TPS KawalPemilu/KPU", "TPS KawalPemilu/KPU"),
    "ov_col_share": ("Bagian TPS ditempatkan", "Share of TPS placed"),
    "ov_method": ("Cara menghitung", "How it is measured"),
    "ov_method_text": ("Tidak ada daftar nasional posisi kantor camat atau tempat rekapitulasi. Karena itu setiap lokasi PPK "
                       "diletakkan di sebuah titik yang pasti berada di dalam kecamatan (di bagian wilayah "
                       "kecamatan yang memuat TPS terbanyak) dan ditandai sebagai posisi perkiraan. Titik desa adalah "
                       "titik tengah poligon desa (juga perkiraan), dengan bobot jumlah TPS-nya. Setiap desa menyerahkan "
                       "kotak suaranya ke lokasi PPK kecamatannya sendiri. Jarak adalah garis lurus dalam meter, dihitung "
                       "di zona UTM lokasi PPK, bukan rute perjalanan.",
                       "There is no national list of kantor camat or recapitulation venue positions. Each PPK site is "
                       "therefore put at a point that surely lies inside its kecamatan (in the part of the kecamatan "
                       "holding the most TPS) and flagged as an approximate position. A desa point is the centre "
                       "of the desa polygon (approximate too), weighted by its TPS. Each desa hands its ballot boxes to "
                       "its own kecamatan's PPK site. Distances are straight lines in metres, measured in the UTM zone "
                       "of the PPK site, not travel routes."),
    "ov_sea_text": ("Aturan laut: garis lurus dari titik desa ke lokasi PPK-nya dianggap melintasi laut bila lebih dari 1 km "
                    "garis itu berada di luar semua poligon kab/kota (lapisan peta, tanpa tumpang tindih).",
                    "Sea rule: the straight line from a desa point to its PPK site crosses the sea when more than 1 km of "
                    "it lies outside every kab/kota polygon (the map layer, which has no overlaps)."),
    "ov_sea_limits": ("Batas aturan ini: garis pantai data batas kasar (disederhanakan di hulu), jadi perairan yang lebih "
                      "sempit dari sekitar 1 km tidak terlihat, dan desa pesisir di teluk atau lahan reklamasi bisa "
                      "tertandai; danau, sungai lebar dan celah antar-poligon juga dihitung sebagai \u201cbukan daratan\u201d; "
                      "jembatan dan jalan lintas pulau (mis. Barelang) tidak dikenali; titik tengah desa kepulauan bisa "
                      "jatuh di laut. Garis lurus di darat juga bisa berarti perjalanan panjang (tanpa jalan), dan garis "
                      "di laut tidak mengatakan apa pun tentang rute kapal.",
                      "Limits of the rule: the boundary data's coastlines are coarse (simplified upstream), so water "
                      "narrower than about 1 km is not seen, and coastal desa on a bay or on reclaimed land can be "
                      "flagged; lakes, wide rivers and gaps between polygons also count as \u201cnot land\u201d; bridges and "
                      "causeways (e.g. Barelang) are not known; the centre point of an island desa can fall in the "
                      "sea. A straight line over land can still be a long trip (no road), and a line over the sea says "
                      "nothing about boat routes."),
    "ov_per_provinsi": ("Per provinsi", "Per province"), "ov_per_kabkota": ("Per kab/kota", "Per kab/kota"),
    "ov_per_kabkota_text": ("Diurutkan menurut rata-rata TPS per lokasi PPK (terbesar dulu).",
                            "Sorted by mean TPS per PPK site (largest first)."),
    "ov_loaded": ("Lokasi PPK dengan TPS terbanyak", "The most loaded PPK sites"),
    "ov_loaded_text": ("Beban sebuah lokasi = jumlah TPS desa di kecamatannya.",
                       "A site's load = the TPS of the desa of its kecamatan."),
    "ov_remote": ("Lokasi PPK dengan desa terjauh", "The most remote PPK sites"),
    "ov_remote_text": ("Diurutkan menurut jarak garis lurus desa terjauh ke lokasi PPK. Titik desa yang jauh di luar "
                       "poligon kecamatannya (lapisan desa dan kecamatan di hulu tidak sepakat) membuat jarak terlalu "
                       "besar: lihat kolom \u201cjarak terjauh titik desa di luar kecamatan\u201d di tabel per lokasi PPK.",
                       "Sorted by the straight-line distance of the farthest desa to the PPK site. A desa point far "
                       "outside its kecamatan polygon (the upstream desa and kecamatan layers disagree) makes the "
                       "distance too large: see the column \u201cfarthest desa point outside the kecamatan\u201d of the per-site table."),
    "ov_programme": ("Program internet seperti DKI", "An internet programme like DKI's"),
    "ov_programme_text": ("Pemprov DKI melengkapi 44 lokasi rekapitulasi PPK-nya dengan internet. Program yang sama di "
                          "wilayah ini berarti {sites} lokasi yang melayani {tps} TPS (setiap lokasi PPK yang punya TPS).",
                          "Pemprov DKI equipped its 44 PPK recapitulation sites with internet. The same programme here "
                          "means {sites} sites serving {tps} TPS (every PPK site that serves TPS)."),
    "ov_no_cost": ("Untuk tabel anggaran per provinsi, jalankan ulang dengan biaya melengkapi satu lokasi PPK.",
                   "For a budget table per province, run again with the cost of equipping one PPK site."),
    "ov_unplaced": ("TPS yang tidak dapat ditempatkan", "TPS that could not be placed"),
    "ov_unplaced_text": ("Desa KawalPemilu tanpa poligon atau dengan kode yang tidak cocok (laporan penggabungan lapisan "
                         "nasional) tidak ada di peta; mereka dihitung per provinsi sehingga TPS ditempatkan + tidak "
                         "ditempatkan = jumlah KawalPemilu/KPU.",
                         "KawalPemilu desa without a polygon or with a code that does not match (the national layer's "
                         "join report) are not on the map; they are counted per province so that TPS placed + not "
                         "placed = the KawalPemilu/KPU total."),
    "ov_map": ("Peta: TPS per lokasi PPK", "Map: TPS per PPK site"),
    "ov_map_text": ("Kecamatan diwarnai menurut jumlah TPS lokasi PPK-nya; garis tebal = batas provinsi di darat. Kotak "
                    "pencarian menemukan kab/kota atau kecamatan.",
                    "Kecamatan coloured by the TPS of their PPK site; thick lines = province borders on land. The "
                    "search box finds a kab/kota or kecamatan."),
    "ov_map_title": ("{scope}: TPS per lokasi rekapitulasi PPK", "{scope}: TPS per PPK recapitulation site"),
    "ov_map_subtitle": ("Satu lokasi PPK per kecamatan, posisi perkiraan. Klik kecamatan untuk angkanya.",
                        "One PPK site per kecamatan, approximate position. Click a kecamatan for its figures."),
    "ov_map_legend": ("TPS per lokasi PPK", "TPS per PPK site"),
    "ov_map_note": ("Lokasi PPK: posisi perkiraan (titik di dalam kecamatan); jarak garis lurus dari titik tengah desa.",
                    "PPK site: approximate position (a point inside the kecamatan); straight-line distances from the "
                    "desa centre points."),
    "ov_map_tps": ("TPS dilayani lokasi PPK", "TPS served by the PPK site"),
    "ov_map_median": ("Jarak median desa", "Median desa distance"), "ov_map_max": ("Desa terjauh", "Farthest desa"),
    "ov_map_search": ("Cari kab/kota atau kecamatan", "Find a kab/kota or kecamatan"),
    "ov_map_none": ("Tidak ditemukan", "Nothing found"),
    "ov_file_provinsi": ("ukuran per provinsi (dengan TPS tidak ditempatkan)", "measures per province (with TPS not placed)"),
    "ov_file_kabkota": ("ukuran per kab/kota", "measures per kab/kota"),
    "ov_file_sites": ("per lokasi PPK (posisi perkiraan, beban, jarak)", "per PPK site (approximate position, load, distance)"),
    "ov_file_sea": ("desa yang garis lurusnya melintasi laut", "desa whose straight line crosses the sea"),
    "ov_file_unplaced": ("desa KawalPemilu yang tidak ditempatkan, dengan alasannya", "KawalPemilu desa not placed, with the reason"),
    "ov_file_budget": ("anggaran per provinsi", "budget per province"),
}

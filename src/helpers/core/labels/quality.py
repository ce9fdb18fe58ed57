"""Labels of the data-quality page (:mod:`helpers.reports.quality`): keys ``dq_*``; sub-rows start with ``– ``."""

#: ``key: (Bahasa Indonesia, English)``; read through :func:`helpers.core.text.label`.
QUALITY: dict[str, tuple[str, str]] = {
    "dq_title": ("Kualitas data", "Data quality"),
    "dq_lead": ("Seberapa yakin kita pada tiap posisi dalam laporan ini? Tabel ini menghitung, per kota, "
                "lokasi PPK, titik kelurahan (kantor PPS) dan fasilitas menurut dasar posisinya, serta tempat "
                "rekapitulasi menurut apa yang diketahui tentangnya. Jarak yang berawal atau berakhir di "
                "posisi perkiraan juga perkiraan.",
                "How sure is each position in this report? This table counts, per kota, the PPK sites, the "
                "kelurahan points (PPS offices) and the facilities by the basis of their position, and the "
                "recapitulation venues by what is known of them. A distance that starts or ends at an "
                "approximate position is approximate too."),
    "dq_table": ("Dasar posisi per kota", "Basis of the positions per kota"),
    "dq_what": ("Yang dihitung", "What is counted"),
    "dq_bases": ("Arti tiap dasar", "What each basis means"),
    "dq_sites": ("Lokasi PPK", "PPK sites"),
    "dq_sites_office": ("– posisi: titik kantor camat (BIG RBI)", "– position: kantor camat point (BIG RBI)"),
    "dq_sites_user": ("– posisi: koordinat dari file pengguna", "– position: coordinates from the user's file"),
    "dq_sites_approx": ("– posisi perkiraan", "– approximate position"),
    "dq_venue_confirmed": ("– tempat rekap disebut sumber", "– recap venue named by a source"),
    "dq_venue_assumed": ("– tempat rekap diasumsikan (kantor camat)", "– recap venue assumed (kantor camat)"),
    "dq_venue_unknown": ("– tempat rekap belum diketahui / direncanakan", "– recap venue unknown / planned"),
    "dq_demand": ("Titik kelurahan (kantor PPS)", "Kelurahan points (PPS offices)"),
    "dq_demand_office": ("– titik kantor lurah (BIG RBI)", "– kantor lurah point (BIG RBI)"),
    "dq_demand_user": ("– dari file pengguna", "– from the user's file"),
    "dq_demand_island": ("– pulau kantor lurah (sumber dikutip), perkiraan",
                         "– island of the kantor lurah (cited), approximate"),
    "dq_demand_rep": ("– titik di dalam kelurahan, perkiraan", "– point inside the kelurahan, approximate"),
    "dq_fac": ("Fasilitas (kantor, gudang, sekretariat)", "Facilities (offices, warehouses, secretariats)"),
    "dq_fac_user": ("– dari file pengguna", "– from the user's file"),
    "dq_fac_approx": ("– posisi perkiraan", "– approximate position"),
    "dq_basis_office": ("Titik kantor: koordinat kantor pemerintah dari BIG RBI (tanpa tanggal; beberapa "
                        "kantor sudah pindah). Posisi kantor diketahui; bahwa rekapitulasi berlangsung di "
                        "kantor camat hanya diasumsikan bila tidak ada sumber yang menyebut tempatnya.",
                        "Office point: the coordinate of a government office from BIG RBI (undated; some "
                        "offices have moved). The office position is known; that the recapitulation took "
                        "place at the kantor camat is assumed unless a source names the venue."),
    "dq_basis_user": ("File pengguna: koordinat yang diberikan dalam file Anda, dipakai apa adanya; baris "
                      "yang ditandai perkiraan (atau catatannya berkata begitu) dihitung sebagai perkiraan.",
                      "User file: coordinates given in your file, used as they are; rows flagged approximate "
                      "(or whose note says so) count as approximate."),
    "dq_basis_approx": ("Perkiraan: tidak ada sumber posisi; titik dipilih di dalam wilayah (atau di pulau "
                        "yang disebut sumber, Kepulauan Seribu). Ditampilkan sebagai lingkaran putus-putus di "
                        "peta.",
                        "Approximate: no source gives the position; a point is chosen inside the unit (or on "
                        "the island a source names, Kepulauan Seribu). Shown as dashed circles on the maps."),
    "dq_basis_venue": ("Tempat disebut sumber: diberitakan berlangsung, disepakati resmi, atau tercantum di "
                       "file Anda. Daftar resmi 44 tempat rekapitulasi PPK di DKI Jakarta tidak dipublikasikan.",
                       "Venue named by a source: reported as held, officially agreed, or listed in your file. "
                       "The official list of DKI Jakarta's 44 PPK recapitulation venues has not been published."),
    # the sources page: each full record with its anchor (issue 22)
    "dq_sources": ("Sumber lengkap tiap posisi", "Full source of each position"),
    "dq_sources_lead": ("Setiap posisi dan sumber yang disebut singkat di peta dan daftar celah, di sini dengan "
                        "catatan lengkapnya (repositori, commit, baris, alamat web, catatan). Catatan asli ditulis "
                        "dalam bahasa Inggris teknis dan dikutip apa adanya.",
                        "Every position and source named briefly in the maps and the gap list, here with its full "
                        "record (repository, commit, row, web address, note), quoted as written."),
    "dq_src_csv": ("semua catatan ini sebagai tabel, untuk mesin dan skrip", "all these records as a table, for "
                   "machines and scripts"),
    "dq_src_record": ("Catatan asli (bahasa Inggris)", "Original record"),
    "dq_src_site": ("Lokasi PPK {site} ({kec})", "PPK site {site} ({kec})"),
    "dq_src_venue": ("Tempat rekapitulasi {site} ({kec})", "Recapitulation venue {site} ({kec})"),
    "dq_src_internet": ("Internet lokasi PPK", "Internet of the PPK sites"),
    "dq_src_island": ("Kantor PPS Kelurahan {kel}: pulau", "PPS office of kelurahan {kel}: island"),
}

"""Labels of the reader reports and ``index.html`` (data only; read through :func:`helpers.text.label`)."""

#: ``key: (Bahasa Indonesia, English)``; ``{placeholders}`` are filled by :func:`helpers.text.label`.
LABELS: dict[str, tuple[str, str]] = {
    # page furniture: report header, tables, maps, files
    "kicker": ("Pemilu 2024 · Jaringan rekapitulasi suara PPK",
               "2024 election · PPK vote-recapitulation network"),
    "scope": ("Wilayah", "Scope"), "run_date": ("Tanggal analisis", "Date of the run"),
    "sources": ("Sumber data", "Data sources"), "parameters": ("Parameter", "Parameters"),
    "key_figures": ("Angka utama", "Key figures"), "none": ("tidak ada", "none"),
    "rows_shown": ("{shown} dari {total} baris ditampilkan.", "{shown} of {total} rows shown."),
    "full_table": ("Tabel lengkap (CSV):", "Full table (CSV):"),
    "empty_table": ("Tidak ada baris.", "No rows."),
    "open_map": ("Buka peta interaktif", "Open the interactive map"),
    "map_note": ("Peta interaktif, juga tanpa internet (hanya latar peta yang perlu jaringan).",
                 "Interactive map; works without internet (only the background tiles need a network)."),
    "back_to_index": ("Kembali ke ringkasan laporan", "Back to the report overview"),
    "user_file": ("file pengguna {name}", "user file {name}"),
    "yes": ("Ya", "Yes"), "no": ("Tidak", "No"),
    "utc_offset": ("UTC{offset}", "UTC{offset}"),
    # data sources (short names)
    "src_boundaries": ("HDX COD-AB / BPS (batas wilayah)", "HDX COD-AB / BPS (boundaries)"),
    "src_tps": ("KPU via KawalPemilu (jumlah TPS)", "KPU via KawalPemilu (TPS counts)"),
    "src_offices": ("BIG RBI (titik kantor pemerintah)", "BIG RBI (government office points)"),
    "src_dpt": ("KPU DKI (DPT per kota)", "KPU DKI (DPT per kota)"),
    "src_sites": ("lokasi PPK: titik kantor camat BIG RBI dan pemberitaan media",
                  "PPK sites: BIG RBI kantor camat points and press reports"),
    "src_press": ("media (tempat dan gudang yang diberitakan)", "press (reported venues and warehouses)"),
    "src_kind_sites": ("lokasi PPK", "PPK sites"), "src_kind_facilities": ("fasilitas", "facilities"),
    "src_kind_offices": ("titik kantor", "office points"), "src_kind_tps": ("jumlah TPS", "TPS counts"),
    "src_kind_kota": ("batas kota", "kota boundaries"), "src_kind_kecamatan": ("batas kecamatan", "kecamatan boundaries"),
    "src_kind_kelurahan": ("batas kelurahan", "kelurahan boundaries"), "src_kind_dpt": ("DPT", "DPT"),
    "src_kind_press": ("pemberitaan media", "press reports"), "src_kind_candidates": ("calon titik", "candidate points"),
    # parameters of a run
    "param_offline": ("Peta tanpa internet (Leaflet disertakan)", "Maps work offline (Leaflet inlined)"),
    "param_basemap": ("Peta dasar", "Basemap"),
    "param_sites_path": ("File lokasi PPK", "Sites file"),
    "param_facilities_path": ("File fasilitas", "Facilities file"),
    "param_offices_path": ("File titik kantor", "Office points file"),
    "param_tps_path": ("File jumlah TPS", "TPS file"), "param_kota_path": ("File batas kota", "Kota boundaries file"),
    "param_kecamatan_path": ("File batas kecamatan", "Kecamatan boundaries file"),
    "param_kelurahan_path": ("File batas kelurahan", "Kelurahan boundaries file"),
    "param_dpt_path": ("File DPT", "DPT file"), "param_press_path": ("File pemberitaan media", "Press file"),
    "param_candidates_path": ("File calon titik", "Candidate points file"),
    "param_columns": ("Kolom file", "File columns"), "param_sheet": ("Lembar kerja", "Worksheet"),
    "param_max_distance_km": ("Batas jarak kantor PPS ke lokasi PPK", "Distance limit, PPS office to PPK site"),
    "param_fallback_max_km": ("Batas jarak ke lokasi cadangan", "Distance limit to a fallback site"),
    "param_overload_ratio": ("Batas kelebihan beban (× rata-rata kota)", "Overload limit (× kota mean)"),
    "param_overload_basis": ("Dasar rata-rata beban (kota atau dki)", "Mean load taken over (kota or dki)"),
    "param_max_tps_per_site": ("Batas TPS per lokasi", "Ceiling of TPS per site"),
    "param_p": ("Jumlah titik baru", "Number of new points"),
    "param_radius_km": ("Radius jangkauan", "Coverage radius"),
    "param_down_sites": ("Lokasi mati (skenario gangguan)", "Sites offline (outage scenario)"),
    # index.html
    "index_title": ("Pemilu 2024 DKI Jakarta: laporan jaringan rekapitulasi",
                    "Pemilu 2024 DKI Jakarta: recapitulation network report"),
    "status": ("Status", "Status"), "status_complete": ("selesai", "complete"),
    "status_failed": ("gagal", "failed"), "status_incomplete": ("belum selesai", "incomplete"),
    "status_ok": ("berhasil", "ok"), "status_pending": ("tidak dijalankan", "pending"),
    "runs_succeeded": ("{ok} dari {n} run notebook berhasil.", "{ok} of {n} notebook runs succeeded."),
    "run_time": ("Dijalankan {start} sampai {end} ({seconds} detik), commit {commit}.",
                 "Run {start} to {end} ({seconds} s), commit {commit}."),
    "commit_unknown": ("tidak diketahui (tanpa git)", "unknown (no git)"),
    "commit_dirty": ("dengan perubahan yang belum di-commit", "with uncommitted changes"),
    "manifest": ("Manifest run", "Run manifest"),
    "manifest_note": ("(parameter, versi, hash input)", "(parameters, versions, input hashes)"),
    "failed_runs": ("Run yang gagal:", "Failed runs:"), "scopes": ("Wilayah:", "Scopes:"),
    "pdf_links": ("Versi cetak (PDF):", "Printable version (PDF):"),
    "input_files": ("File input", "Input files"),
    "input_warnings": ("{n} peringatan tentang file input (datanya tetap dipakai):",
                       "{n} warning(s) about the input files (the data were used):"),
    "input_notes": ("Yang dibaca ({n} baris)", "What was read ({n} line(s))"),
    "overview": ("Ikhtisar", "Overview"), "col_scope": ("Wilayah", "Scope"), "col_runs_ok": ("Run berhasil", "Runs ok"),
    "col_gaps_listed": ("Celah", "Gaps listed"), "col_time": ("Waktu (detik)", "Time (s)"),
    "col_reports": ("Laporan", "Reports"), "col_maps": ("Peta", "Maps"), "col_pdf": ("PDF", "PDF"),
    "headline_figures": ("Angka utama", "Headline figures"), "col_figure": ("Angka", "Figure"),
    "no_figures": ("Tidak ada notebook yang menulis angka utama.", "No notebook wrote headline figures."),
    "gaps_count": ("Jumlah celah", "Gaps (count)"), "gaps_of": ("{scope}: {n} celah", "{scope}: {n} gap(s)"),
    "col_notebook": ("Notebook", "Notebook"), "col_status": ("Status", "Status"),
    "col_report": ("Laporan", "Report"), "col_executed": ("Notebook yang dijalankan", "Executed notebook"),
    "reader_report": ("laporan pembaca", "reader report"), "run_failed": ("gagal:", "failed:"), "warning": ("peringatan:", "warning:"),
    "all_files": ("Semua file:", "All files:"),
    "kind_report": ("laporan pembaca", "reader report"), "kind_spec": ("isi laporan (JSON)", "report content (JSON)"),
    "kind_figures": ("angka utama (JSON)", "headline figures (JSON)"), "kind_ipynb": ("notebook yang dijalankan", "executed notebook"),
    "kind_html": ("peta / halaman", "map / page"), "kind_table": ("tabel", "table"), "kind_gis": ("lapisan GIS", "GIS layer"),
    "kind_figure": ("grafik", "chart"), "kind_pdf": ("dokumen PDF", "PDF document"), "kind_data": ("data", "data"),
    "kind_file": ("file", "file"),
    "footer": ("Python {python}, {cores} inti, {jobs} run paralel, peta tanpa internet: {offline}. Dibuat oleh dki-recap.",
               "Python {python}, {cores} cores, jobs {jobs}, offline maps: {offline}. Report built by dki-recap."),
    # notebook 01: recapitulation sites
    "rs_name": ("Lokasi rekapitulasi suara PPK", "PPK vote-recapitulation sites"),
    "rs_lead": ("Peta {n} lokasi rekapitulasi PPK di {scope}, di atas batas kota dan kecamatan. "
                "{n_internet} di antaranya berinternet. {n_approx} lokasi hanya berposisi perkiraan; di peta "
                "lokasi itu digambar sebagai lingkaran putus-putus.",
                "A map of the {n} PPK recapitulation sites in {scope}, over the kota and kecamatan "
                "boundaries. {n_internet} of them have internet. {n_approx} sites have only an approximate "
                "position; the map draws them as dashed circles."),
    "rs_sites": ("Lokasi rekapitulasi PPK", "PPK recapitulation sites"),
    "rs_known": ("Lokasi dengan posisi diketahui (titik kantor atau file)", "Sites with a known position (office point or file)"),
    "rs_venues_confirmed": ("Tempat rekap yang disebut sumber", "Recap venues named by a source"),
    "rs_approx": ("Lokasi dengan posisi perkiraan", "Sites with an approximate position"),
    "rs_internet": ("Lokasi dengan internet", "Sites with internet"),
    "rs_tps": ("TPS yang direkapitulasi", "TPS recapitulated"),
    "rs_press": ("Tempat dan gudang dari media tanpa koordinat", "Press-reported venues and warehouses without coordinates"),
    "rs_map": ("Peta", "The map"),
    "rs_map_text": ("Lapisan peta: batas kota dan kecamatan, lokasi rekapitulasi (lingkaran penuh = titik kantor camat "
                    "atau koordinat dari file; lingkaran putus-putus = posisi perkiraan), kantor camat (sekretariat PPK), "
                    "kantor lurah (sekretariat PPS) dan kantor walikota/bupati. Tempat dan gudang yang diberitakan media "
                    "tanpa koordinat tidak digambar.",
                    "Map layers: kota and kecamatan boundaries, the recapitulation sites (filled circle = kantor camat "
                    "point or coordinates from a file; dashed circle = approximate position), kantor camat (PPK "
                    "secretariats), kantor lurah (PPS secretariats) and mayor/regent offices. Press-reported venues "
                    "and warehouses without coordinates are not drawn."),
    "rs_map_title": ("Peta lokasi rekapitulasi PPK", "Map of the PPK recapitulation sites"),
    "rs_approx_heading": ("Lokasi dengan posisi perkiraan", "Sites with an approximate position"),
    "rs_approx_text": ("Daftar 44 tempat rekapitulasi tidak dipublikasikan. Lokasi berikut tidak punya titik kantor camat "
                       "atau koordinat tempat: posisinya adalah titik wakil wilayah, bukan lokasi sebenarnya.",
                       "The list of the 44 recapitulation venues is not published. The sites below have no kantor "
                       "camat point or venue coordinates: their position is a representative point of the area, "
                       "not the actual location."),
    "rs_no_approx": ("Semua lokasi di wilayah ini berposisi diketahui.", "Every site in this scope has a known position."),
    "rs_all_heading": ("Semua lokasi", "All sites"),
    "rs_press_text": ("{n} tempat rekapitulasi dan gudang logistik yang diberitakan media tidak punya koordinat, "
                      "jadi tidak digambar di peta.",
                      "{n} recapitulation venues and logistics warehouses reported in the press have no "
                      "coordinates, so they are not on the map."),
    "col_site_id": ("ID lokasi", "Site ID"), "col_kecamatan": ("Kecamatan", "Kecamatan"), "col_kota": ("Kota", "Kota"),
    "col_kelurahan": ("Kelurahan", "Kelurahan"), "col_venue": ("Tempat", "Venue"),
    "col_location_source": ("Sumber posisi", "Position source"), "col_internet": ("Internet", "Internet"),
    "col_approximate": ("Posisi perkiraan", "Approximate position"), "col_tps": ("TPS", "TPS"),
    "venue_unknown": ("(tempat tidak diketahui)", "(venue unknown)"),
    # notebook 02: coverage gaps
    "cg_name": ("Celah jaringan rekapitulasi PPK", "Gaps in the PPK recapitulation network"),
    "cg_kecamatan": ("Kecamatan", "Kecamatan"), "cg_sites": ("Lokasi rekapitulasi PPK", "PPK recapitulation sites"),
    "cg_sites_internet": ("Lokasi PPK dengan internet", "PPK sites with internet"),
    "cg_sites_known": ("Lokasi PPK dengan posisi diketahui", "PPK sites with a known position"),
    "cg_venues_confirmed": ("Tempat rekap yang disebut sumber", "Recap venues named by a source"),
    "cg_without_site": ("Kecamatan tanpa lokasi PPK", "Kecamatan without a PPK site"),
    "cg_tps": ("TPS", "TPS (polling stations)"), "cg_dpt": ("Pemilih terdaftar (DPT)", "Registered voters (DPT)"),
    "cg_tps_mean": ("Rata-rata TPS per lokasi PPK", "Mean TPS per PPK site"),
    "cg_tps_max": ("TPS terbanyak di satu lokasi PPK", "Most TPS at one PPK site"),
    "cg_dist_median": ("Jarak median kantor PPS ke lokasi PPK", "Median distance, PPS office to PPK site"),
    "cg_dist_p95": ("Jarak persentil 95", "95th percentile distance"),
    "cg_dist_max": ("Jarak terjauh", "Largest distance"),
    "cg_beyond": ("Kelurahan lebih jauh dari {t}", "Kelurahan farther than {t}"),
    "cg_within": ("TPS daratan dalam {t} dari lokasi PPK", "Mainland TPS within {t} of their PPK site"),
    "cg_overloaded": ("Lokasi PPK kelebihan beban", "Overloaded PPK sites"),
    "cg_weak": ("Lokasi PPK dengan cadangan lemah", "PPK sites with a weak fallback"),
    "cg_gaps": ("Jumlah celah", "Number of gaps"),
    "cg_measures": ("Ukuran per kota", "Measures per kota"),
    "cg_measures_text": ("Jarak adalah garis lurus di daratan. Beban sebuah lokasi PPK = jumlah TPS kelurahan yang "
                         "dilayaninya.",
                         "Distances are straight lines on the mainland. The load of a PPK site is the number of "
                         "TPS of the kelurahan it serves."),
    "col_sites": ("Lokasi PPK", "PPK sites"), "col_sites_internet": ("Berinternet", "With internet"),
    "col_tps_mean": ("TPS per lokasi (rata-rata)", "TPS per site (mean)"),
    "col_tps_max": ("TPS per lokasi (maks.)", "TPS per site (max)"),
    "col_dist_median": ("Jarak median (km)", "Median distance (km)"), "col_dist_max": ("Jarak terjauh (km)", "Largest distance (km)"),
    "col_within": ("TPS dalam batas jarak", "TPS within the limit"),
    "col_gaps": ("Celah", "Gaps"),
    "cg_gap_list": ("Daftar celah", "Gap list"),
    "cg_gap_text": ("Seluruhnya {n} celah. Satu baris per celah: di mana, jenisnya, dan satu kalimat penjelasan. "
                    "Celah terpenting ditampilkan lebih dulu.",
                    "{n} gaps in all. One row per gap: where, what kind, and one sentence. The most important "
                    "gaps come first."),
    "cg_by_kind": ("Celah menurut jenis", "Gaps by kind"),
    "col_kind": ("Jenis celah", "Kind of gap"), "col_count": ("Jumlah", "Number"), "col_sentence": ("Keterangan", "Description"),
    "gap_no_site": ("Kecamatan tanpa lokasi PPK", "Kecamatan without a PPK site"),
    "gap_no_internet": ("Lokasi PPK tanpa internet", "PPK site without internet"),
    "gap_far_from_ppk": ("Kantor PPS terlalu jauh dari lokasi PPK", "PPS office too far from its PPK site"),
    "gap_nearest_not_own": ("Lokasi berinternet lain lebih dekat", "Another site with internet is nearer"),
    "gap_overloaded_site": ("Lokasi PPK kelebihan beban", "Overloaded PPK site"),
    "gap_tps_ceiling": ("Lokasi PPK melebihi batas TPS", "PPK site above the TPS ceiling"),
    "gap_weak_fallback": ("Cadangan internet lemah", "Weak internet fallback"),
    "gap_site_position_unverified": ("Posisi lokasi PPK hanya perkiraan", "PPK site position approximate"),
    "gap_no_pps_office": ("Kantor PPS tidak diketahui", "PPS office unknown"),
    "gap_no_ppk_office": ("Kantor PPK tidak diketahui", "PPK office unknown"),
    "gap_no_warehouse_position": ("Posisi gudang logistik tidak diketahui", "Warehouse position unknown"),
    "cg_charts": ("Beban dan jarak", "Load and distance"),
    "cg_chart_load": ("Beban: TPS per lokasi PPK, menurut kota; garis putus-putus = batas kelebihan beban.",
                      "Load: TPS per PPK site, by kota; dashed line = overload limit."),
    "cg_chart_distance": ("Jarak kantor PPS ke lokasi PPK kecamatannya (daratan), menurut kota.",
                          "Distance from each PPS office to its kecamatan's PPK site (mainland), by kota."),
    "cg_sea": ("Garis lurus yang melintasi laut", "Straight lines across the sea"),
    "cg_sea_text": ("Dilaporkan terpisah dan tidak masuk statistik daratan: perjalanan perahu bukan garis lurus.",
                    "Reported separately and left out of the mainland statistics: a boat trip is not a straight line."),
    "col_sea_kind": ("Hubungan", "Link"), "col_from": ("Dari", "From"), "col_to": ("Ke", "To"),
    "col_km": ("Garis lurus (km)", "Straight line (km)"),
    "sea_kelurahan_to_ppk": ("Kantor PPS ke lokasi PPK", "PPS office to PPK site"),
    "sea_site_fallback": ("Lokasi PPK ke cadangan", "PPK site to fallback"),
    "cg_map": ("Peta celah per kecamatan", "Map of the gaps per kecamatan"),
    "cg_map_text": ("Kecamatan diwarnai menurut jumlah celah; lokasi PPK dan kantor PPS di atasnya. Penanda putus-putus "
                    "adalah posisi perkiraan.",
                    "Kecamatan coloured by the number of gaps; PPK sites and PPS offices on top. Dashed markers are "
                    "approximate positions."),
    "cg_files": ("File data", "Data files"),
    "cg_files_text": ("Tabel lengkap untuk spreadsheet dan lapisan GIS:", "Full tables for spreadsheets and GIS layers:"),
    "file_kota": ("ukuran per kota", "measures per kota"), "file_kecamatan": ("per kecamatan", "per kecamatan"),
    "file_kelurahan": ("per kelurahan (jarak ke lokasi PPK)", "per kelurahan (distance to the PPK site)"),
    "file_sites": ("per lokasi PPK (beban, cadangan, gudang)", "per PPK site (load, fallback, warehouse)"),
    "file_gaps": ("daftar celah", "gap list"), "file_sea_crossing": ("garis lurus melintasi laut", "straight lines across the sea"),
    "file_gpkg": ("lapisan GIS (kecamatan, kelurahan, lokasi, celah)", "GIS layers (kecamatan, kelurahan, sites, gaps)"),
    # notebook 03: site planning
    "sp_name": ("Perencanaan titik internet cadangan", "Planning backup internet points"),
    "sp_lead": ("Sebuah kelurahan terjangkau bila ada lokasi berinternet dalam {r} (garis lurus) dari kantor PPS-nya. "
                "Lokasi PPK berinternet yang ada menjangkau {before} TPS; dengan {p} titik baru usulan menjadi {after}. "
                "Agar setiap kelurahan punya dua lokasi dalam jangkauan dibutuhkan {backup} titik tambahan; "
                "{unreach} kelurahan tidak bisa mencapai dua lokasi. {outage}",
                "A kelurahan is covered when an internet site lies within {r} (straight line) of its PPS office. "
                "The existing PPK sites with internet cover {before} of the TPS; with {p} proposed new points, {after}. "
                "For two sites within reach of every kelurahan, {backup} more points are needed; {unreach} kelurahan "
                "cannot reach two sites. {outage}"),
    "sp_lead_outage": ("Bila {down} mati, {k} kelurahan ({t} TPS) kehilangan jangkauan.",
                       "If {down} goes offline, {k} kelurahan ({t} TPS) lose coverage."),
    "sp_radius": ("Radius jangkauan", "Coverage radius"),
    "sp_before": ("TPS terjangkau sekarang", "TPS covered now"),
    "sp_after": ("TPS terjangkau dengan titik usulan", "TPS covered with the proposed points"),
    "sp_points": ("Titik baru usulan", "Proposed new points"),
    "sp_newly": ("Kelurahan baru terjangkau", "Kelurahan newly covered"),
    "sp_backup": ("Titik tambahan untuk dua lokasi per kelurahan", "Extra points for two sites per kelurahan"),
    "sp_not_proven_title": ("Rencana cadangan belum terbukti optimal", "Backup plan not proven optimal"),
    "sp_not_proven": ("Untuk wilayah sebesar ini pemecah soal berhenti setelah batas waktunya dengan rencana terbaik yang "
                      "ditemukan: {n} titik, paling banyak {gap} di atas jumlah minimum (selisih MIP HiGHS). Jalankan "
                      "per kab/kota untuk rencana yang terbukti optimal.",
                      "For an area this large the solver stopped at its time limit with the best plan it found: {n} "
                      "points, at most {gap} above the minimum (HiGHS's MIP gap). Run per kab/kota for a plan proven "
                      "optimal."),
    "sp_unreach": ("Kelurahan yang tidak bisa mencapai dua lokasi", "Kelurahan that cannot reach two sites"),
    "sp_down": ("Lokasi mati dalam skenario gangguan", "Sites offline in the outage scenario"),
    "sp_lost_kel": ("Kelurahan yang putus saat gangguan", "Kelurahan cut off in the outage"),
    "sp_lost_tps": ("TPS yang putus saat gangguan", "TPS cut off in the outage"),
    "sp_fallback_max": ("Jarak cadangan terjauh saat gangguan", "Farthest fallback in the outage"),
    "sp_candidates": ("Calon titik (gedung pemerintah)", "Candidate points (public buildings)"),
    "sp_mclp": ("1 · Cakupan maksimal: di mana {p} titik berikutnya", "1 · Maximal coverage: where the next {p} points go"),
    "sp_mclp_text": ("Lokasi PPK yang ada tetap dipakai. Setiap titik usulan menjangkau kelurahan yang belum terjangkau.",
                     "The existing sites stay. Each proposed point covers kelurahan that are not covered yet."),
    "sp_new_points": ("Titik baru usulan", "Proposed new points"),
    "sp_not_covered": ("Kelurahan yang tetap belum terjangkau (TPS terbanyak lebih dulu)",
                       "Kelurahan still not covered (most TPS first)"),
    "sp_none_not_covered": ("Semua kelurahan terjangkau.", "Every kelurahan is covered."),
    "sp_no_candidates": ("Tidak ada calon titik di wilayah ini (BIG RBI tidak punya titik kantor di pulau-pulau Kepulauan "
                         "Seribu); berikan candidates_path untuk merencanakan di sini.",
                         "No candidate building in this scope (BIG RBI has no office points on the islands of "
                         "Kepulauan Seribu); give candidates_path to plan here."),
    "sp_backup_heading": ("2 · Cakupan ganda: dua lokasi berinternet untuk setiap kelurahan",
                          "2 · Backup coverage: two internet sites for every kelurahan"),
    "sp_backup_text": ("Jumlah titik tambahan paling sedikit agar setiap kelurahan punya dua lokasi berinternet dalam "
                       "radius (lokasi yang ada ikut dihitung).",
                       "The fewest extra points so that every kelurahan has two internet sites within the radius "
                       "(the existing sites count)."),
    "sp_backup_points": ("Titik tambahan", "Extra points"),
    "sp_unreach_heading": ("Kelurahan yang tidak bisa mencapai dua lokasi", "Kelurahan that cannot reach two sites"),
    "sp_reason": ("hanya {s} lokasi berinternet dan {c} calon titik dalam {r}",
                  "only {s} internet site(s) and {c} candidate(s) within {r}"),
    "sp_reason_island": (" di gugus pulau {g}", " on island group {g}"),
    "sp_gap": ("Kelurahan {kel} ({kec}) tidak bisa mencapai dua lokasi berinternet: {reason}.",
               "Kelurahan {kel} ({kec}) cannot reach two internet sites: {reason}."),
    "sp_outage_heading": ("3 · Gangguan: siapa yang putus, dan ke mana pindahnya?",
                          "3 · Outage: who is cut off, and where do they fall back?"),
    "sp_single_text": ("Setiap lokasi sendiri-sendiri: kelurahan dan TPS yang hanya dijangkau oleh lokasi itu.",
                       "Each site on its own: the kelurahan and TPS that only this site covers."),
    "sp_single": ("Lokasi yang paling banyak ditopang sendiri", "Sites most relied upon alone"),
    "sp_scenario": ("Skenario: {down} mati", "Scenario: {down} offline"),
    "sp_scenario_none": ("Tidak ada kelurahan yang putus dalam skenario ini.", "No kelurahan is cut off in this scenario."),
    "sp_kota": ("Per kota", "Per kota"),
    "sp_map": ("Peta", "Map"),
    "sp_map_text": ("Kelurahan diwarnai menurut jangkauan (sudah terjangkau / baru terjangkau titik usulan / belum "
                    "terjangkau); lokasi PPK; titik usulan (oranye); titik cadangan (ungu); kelurahan yang putus saat "
                    "gangguan (garis merah putus-putus).",
                    "Kelurahan coloured by coverage (covered / newly covered by a proposed point / not covered); PPK "
                    "sites; proposed points (orange); backup points (purple); kelurahan cut off in the outage "
                    "(dashed red)."),
    "col_name": ("Nama", "Name"), "col_type": ("Jenis", "Type"), "col_newly_kel": ("Kelurahan baru terjangkau", "Kelurahan newly covered"),
    "col_newly_tps": ("TPS baru terjangkau", "TPS newly covered"), "col_helped": ("Kelurahan terbantu", "Kelurahan helped"),
    "col_nearest": ("Lokasi PPK terdekat", "Nearest PPK site"), "col_nearest_km": ("Jarak (km)", "Distance (km)"),
    "col_reason": ("Alasan", "Reason"), "col_lost_kel": ("Kelurahan putus", "Kelurahan cut off"),
    "col_lost_tps": ("TPS putus", "TPS cut off"), "col_fallback": ("Pindah ke", "Falls back to"),
    "col_fallback_km": ("Jarak cadangan (km)", "Fallback distance (km)"), "col_sea": ("Menyeberang laut", "Crosses the sea"),
    "col_kelurahan_n": ("Kelurahan", "Kelurahan"), "col_covered_before": ("TPS terjangkau sekarang", "TPS covered now"),
    "col_newly": ("TPS baru terjangkau", "TPS newly covered"), "col_new_points": ("Titik baru", "New points"),
    "col_backup_points": ("Titik tambahan", "Extra points"),
    "col_unreach": ("Tidak bisa 2 lokasi", "Cannot reach 2"), "col_outage_tps": ("TPS putus (skenario)", "TPS cut off (scenario)"),
    # notebook 04: national overview (helpers.overview, helpers.overview_map)
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
                       "diletakkan di sebuah titik di dalam kecamatan (shapely point_on_surface dari bagian poligon "
                       "kecamatan yang memuat TPS terbanyak) dan ditandai sebagai posisi perkiraan. Titik desa adalah "
                       "titik tengah poligon desa (juga perkiraan), dengan bobot jumlah TPS-nya. Setiap desa menyerahkan "
                       "kotak suaranya ke lokasi PPK kecamatannya sendiri. Jarak adalah garis lurus dalam meter, dihitung "
                       "di zona UTM lokasi PPK, bukan rute perjalanan.",
                       "There is no national list of kantor camat or recapitulation venue positions. Each PPK site is "
                       "therefore put at a point inside its kecamatan (shapely point_on_surface of the kecamatan polygon "
                       "part holding the most TPS) and flagged as an approximate position. A desa point is the centre "
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
                       "besar: lihat kolom max_outside_kecamatan_m di file per lokasi PPK.",
                       "Sorted by the straight-line distance of the farthest desa to the PPK site. A desa point far "
                       "outside its kecamatan polygon (the upstream desa and kecamatan layers disagree) makes the "
                       "distance too large: see the column max_outside_kecamatan_m of the per-site file."),
    "ov_programme": ("Program internet seperti DKI", "An internet programme like DKI's"),
    "ov_programme_text": ("Pemprov DKI melengkapi 44 lokasi rekapitulasi PPK-nya dengan internet. Program yang sama di "
                          "wilayah ini berarti {sites} lokasi yang melayani {tps} TPS (setiap lokasi PPK yang punya TPS).",
                          "Pemprov DKI equipped its 44 PPK recapitulation sites with internet. The same programme here "
                          "means {sites} sites serving {tps} TPS (every PPK site that serves TPS)."),
    "ov_no_cost": ("Berikan parameter cost_per_site untuk tabel anggaran per provinsi.",
                   "Give the parameter cost_per_site for a budget table per province."),
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
    "param_provinsi": ("Provinsi", "Province"), "param_cost_per_site": ("Biaya per lokasi PPK", "Cost per PPK site"),
    "src_national_boundaries": ("cahyadsn/wilayah_boundaries (batas dan kode Kemendagri 2025)",
                                "cahyadsn/wilayah_boundaries (Kemendagri 2025 boundaries and codes)"),
    "src_national_tps": ("KawalPemilu (kawalpemilu.org) / KPU (jumlah TPS per desa)",
                         "KawalPemilu (kawalpemilu.org) / KPU (TPS per desa)"),
    "src_national_sites": ("lokasi PPK: satu titik perkiraan di dalam tiap kecamatan (tempat sebenarnya tidak diketahui)",
                           "PPK sites: one approximate point inside each kecamatan (the real venue is unknown)"),
}

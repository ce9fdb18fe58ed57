"""Labels of recapitulation operations, notebook 05 (issue 23) (data only; read through :func:`helpers.core.text.label`)."""

#: ``key: (Bahasa Indonesia, English)``; every key starts with ``op_``.
OPERATIONS: dict[str, tuple[str, str]] = {
    "op_name": ("Beban kerja lokasi rekapitulasi PPK", "What each PPK recapitulation site had to carry"),
    "op_pemilu2024": ("Pemilu 2024", "Pemilu 2024"), "op_pilkada2024": ("Pilkada 2024", "Pilkada 2024"),
    "op_days": ("hari", "days"),
    "op_lead": ("{scope}, {election}: {sites} lokasi rekapitulasi PPK dengan {tps} TPS. Jendela rekapitulasi di "
                "kecamatan {start} – {end} ({wdays} hari).",
                "{scope}, {election}: {sites} PPK recapitulation sites with {tps} TPS. The kecamatan recapitulation "
                "window is {start} – {end} ({wdays} days)."),
    "op_lead_late": ("Dengan laju {basis} ({panels} panel sehari, {pace} TPS per panel per hari), {miss} lokasi tidak "
                     "selesai di dalam jendela: {names} (hari yang dibutuhkan); yang terlama {top}, {days} hari, "
                     "selesai {finish}. Agar semua selesai tepat waktu dibutuhkan {short} panel tambahan.",
                     "At the {basis} pace ({panels} panels a day, {pace} TPS per panel a day), {miss} sites do not "
                     "finish inside the window: {names} (days needed); the longest is {top}, {days} days, finishing on "
                     "{finish}. Finishing every site on time takes {short} more panels."),
    "op_lead_on_time": ("Dengan laju {basis} ({panels} panel sehari, {pace} TPS per panel per hari), semua lokasi "
                        "selesai di dalam jendela; yang terlama {top}, {days} hari, selesai {finish}.",
                        "At the {basis} pace ({panels} panels a day, {pace} TPS per panel a day), every site finishes "
                        "inside the window; the longest is {top}, {days} days, finishing on {finish}."),
    "op_lead_internet": ("Internet untuk unggahan foto formulir oleh PPK: rata-rata {avg} Mbps per lokasi, puncak "
                         "{peak} Mbps (semua panel mengunggah bersamaan; kisaran menurut asumsi {low}–{high} Mbps); "
                         "{over} lokasi melebihi tautan biasa {link} Mbps.",
                         "Internet for the PPK's uploads of form photos: {avg} Mbps per site on average, {peak} Mbps at "
                         "the peak (every panel uploading at once; {low}–{high} Mbps over the assumptions' range); "
                         "{over} sites exceed a usual {link} Mbps link."),
    "op_basis_sumber": ("yang dilaporkan", "reported"), "op_basis_asumsi": ("asumsi", "assumed"),
    "op_basis_pengguna": ("yang Anda tetapkan", "chosen"),
    "op_estimated_note": ("Jumlah TPS Pilkada per kecamatan adalah PERKIRAAN (jumlah per kota yang bersumber, dibagi "
                          "menurut bagian TPS Pemilu tiap kecamatan).",
                          "The Pilkada TPS per kecamatan are ESTIMATES (the sourced total per kota shared by each "
                          "kecamatan's share of the Pemilu TPS)."),
    "op_estimated_note_ratio": ("Jumlah TPS Pilkada per kecamatan adalah PERKIRAAN (TPS Pemilu × rasio nasional "
                                "435.296 / 820.161).",
                                "The Pilkada TPS per kecamatan are ESTIMATES (Pemilu TPS × the national ratio "
                                "435,296 / 820,161)."),
    "op_no_site_note": ("{n} kecamatan tidak punya lokasi PPK dalam file lokasi ({names}): beban kerjanya dihitung, "
                        "tetapi tidak ada di peta.",
                        "{n} kecamatan have no PPK site in the sites file ({names}): their workload is counted, but "
                        "they are not on the map."),
    "op_custom_note": ("Nilai yang Anda tetapkan sendiri: {names}.", "Values you set yourself: {names}."),
    "op_estimated_short": ("perkiraan", "estimate"),
    "op_estimated_text": ("TPS Pilkada per kecamatan tidak dipublikasikan di sumber yang kami temukan. Tanpa file TPS "
                          "Anda sendiri (file jumlah TPS), jumlahnya DIPERKIRAKAN: di DKI Jakarta jumlah TPS Pilkada per kota (KPU DKI, "
                          "14.835 TPS) dibagi ke kecamatan menurut bagian TPS Pemilu 2024 tiap kecamatan; di provinsi "
                          "lain TPS Pemilu × 435.296 / 820.161 (rasio nasional). Setiap tabel, peta dan angka yang "
                          "memakainya ditandai sebagai perkiraan. Pemeriksaan: Kecamatan Duren Sawit (Jakarta Timur) "
                          "punya 593 TPS Pilkada menurut pers.",
                          "Pilkada TPS per kecamatan are not published in any source we found. Without a TPS file of "
                          "your own they are ESTIMATED: in DKI Jakarta the Pilkada TPS per kota (KPU DKI, 14,835 TPS) "
                          "are shared among the kecamatan by each one's share of the Pemilu 2024 TPS; in other "
                          "provinces Pemilu TPS × 435,296 / 820,161 (the national ratio). Every table, map and figure "
                          "that uses them marks them as estimates. A check: the press gives Kecamatan Duren Sawit "
                          "(Jakarta Timur) 593 Pilkada TPS."),
    "op_method": ("Cara menghitung", "How it is computed"),
    "op_method_text": ("Hari yang dibutuhkan = TPS ÷ (panel × TPS per panel per hari), dibulatkan ke atas; tanggal "
                       "selesai dihitung dari hari pertama jendela; sisa = hari jendela (kedua ujung dihitung) − hari "
                       "yang dibutuhkan (negatif: terlambat); panel yang dibutuhkan agar selesai di dalam jendela = TPS "
                       "÷ (TPS per panel per hari × hari jendela), dibulatkan ke atas. Setiap nilai bawaan berasal dari "
                       "tabel bersumber yang disertakan: dikutip dari berita (sumber) atau asumsi dengan "
                       "kisarannya. Model tidak disetel agar cocok dengan sumber; perbandingannya ada di bawah.",
                       "Days needed = TPS ÷ (panels × TPS per panel a day), rounded up; the finishing date counts from "
                       "the window's first day; slack = days of the window (both ends counted) − days needed "
                       "(negative: late); panels needed to finish inside the window = TPS ÷ (TPS per panel a day × "
                       "window days), rounded up. Every default comes from the sourced table shipped with the toolkit: "
                       "quoted from the press (source) or an assumption with its range. The model is not tuned to the sources; it is compared with them below."),
    "op_internet_text": ("Internet: PPK mengunggah TPS × jenis surat suara × lembar per formulir × MB per foto × bagian "
                         "TPS yang diunggah di PPK. Rata-rata Mbps menyebar volume itu pada jam kerja hari-hari yang "
                         "dibutuhkan; puncak = semua panel mengunggah foto satu TPS dalam beberapa menit; siaran "
                         "langsung (bila ada) ditambahkan. Ukuran foto, lembar per formulir, bagian yang diunggah, "
                         "lamanya lonjakan dan siaran langsung adalah ASUMSI: rendah/tengah/tinggi memakai ujung "
                         "kisarannya.",
                         "Internet: the PPK uploads TPS × ballot types × sheets per form × MB per photo × the share of "
                         "TPS uploaded at the PPK. The average Mbps spreads that volume over the working hours of the "
                         "days needed; the peak has every panel uploading one TPS's photos within a few minutes; a "
                         "livestream (if any) is added. Photo size, sheets per form, share uploaded, burst length and "
                         "livestream are ASSUMPTIONS: low/central/high take the ends of their ranges."),
    "op_per_kota": ("Per kota: kekurangan kapasitas", "Per kota: the capacity gaps"),
    "op_per_kota_text": ("Lokasi yang tidak selesai di dalam jendela, panel yang kurang, dan Mbps yang dibutuhkan "
                         "(nilai tengah).",
                         "Sites that miss the window, panels short, and the Mbps needed (central values)."),
    "op_sites": ("Per lokasi PPK", "Per PPK site"),
    "op_sites_text": ("Yang paling lama lebih dulu.", "Longest first."),
    "op_internet": ("Internet: rendah, tengah, tinggi", "Internet: low, central, high"),
    "op_scenarios_text": ("Nilai asumsi tiap skenario dan Mbps per lokasi yang dihasilkannya.",
                          "The assumption values of each scenario and the Mbps per site they give."),
    "op_precedents_text": ("Preseden: kapasitas yang diberikan di tempat lain, dibandingkan dengan Mbps puncak model "
                           "untuk lokasi rata-rata di daerah itu (tengah, kisaran). Denpasar: tidak disebut apakah "
                           "300 Mbps itu total atau per lokasi (75 atau 300 Mbps per lokasi).",
                           "Precedents: capacity provided elsewhere, against the model's peak Mbps for an average site "
                           "of that area (central, range). Denpasar: whether the 300 Mbps are in total or per location "
                           "is not said (75 or 300 Mbps per site)."),
    "op_elections": ("Dua pemilihan: Pemilu dan Pilkada 2024", "Two elections: Pemilu and Pilkada 2024"),
    "op_elections_text": ("Per lokasi: TPS, hari yang dibutuhkan dan Mbps puncak (tengah) untuk masing-masing pemilihan.",
                          "Per site: TPS, days needed and peak Mbps (central) for each election."),
    "op_checks": ("Model dibandingkan dengan sumber", "The model held against the sources"),
    "op_checks_text": ("Apa yang dikatakan sumber, dan apa yang dihasilkan model dengan nilai bawaannya.",
                       "What the sources say, and what the model gives with its defaults."),
    "op_checks_none": ("Tidak ada sumber pembanding untuk cakupan ini.", "No source to compare with for this scope."),
    "op_check_days": ("{where}: sumber mengharapkan selesai dalam {stated} hari; model: hari terlama",
                      "{where}: the source expected {stated} days; model: the longest days"),
    "op_check_pilkada_window": ("{where}: semua kecamatan selesai rekapitulasi Pilkada di dalam jendela ({stated} "
                                "terlambat); model: lokasi terlambat",
                                "{where}: every kecamatan finished the Pilkada recap inside its window ({stated} late); "
                                "model: sites late"),
    "op_check_estimate": ("{where}: {stated} TPS Pilkada menurut pers; model: perkiraan",
                          "{where}: {stated} Pilkada TPS per the press; model: the estimate"),
    "op_check_ratio": ("{where}: rasio TPS Pilkada/Pemilu {stated}; model: rasio nasional yang dipakai",
                       "{where}: Pilkada/Pemilu TPS ratio {stated}; model: the national ratio used"),
    "op_parameters": ("Nilai yang dipakai dan dasarnya", "The values used and their basis"),
    "op_parameters_text": ("Sumber: dikutip dari berita (kutipan lengkap di catatan sumber yang menyertai tabel). "
                           "Asumsi: tidak ada sumber; nilai tengah dan kisarannya. Pengguna: ditetapkan untuk analisis ini. "
                           "Catatan: mengapa nilai itu dipilih, dan apa yang dikatakan sumbernya.",
                           "Source: quoted from the press (full quotations in the sources note that comes with the table). "
                           "Assumption: no source; the central value and its range. Set by you: a value given for this run. "
                           "Note: why the value was chosen, and what its source says."),
    "op_map": ("Peta: hari yang dibutuhkan per lokasi", "Map: days needed per site"),
    "op_map_text": ("Lokasi PPK diwarnai menurut hari yang dibutuhkan terhadap jendela; klik lokasi untuk hari, panel, "
                    "Mbps dan jendelanya.",
                    "PPK sites coloured by the days needed against the window; click a site for its days, panels, Mbps "
                    "and window."),
    "op_map_title": ("Rekapitulasi PPK: hari yang dibutuhkan — {scope}, {election}",
                     "PPK recapitulation: days needed — {scope}, {election}"),
    "op_map_subtitle": ("Jendela {start} – {end}", "Window {start} – {end}"),
    "op_map_site": ("PPK {kecamatan}", "PPK {kecamatan}"),
    "op_map_legend": ("Hari yang dibutuhkan", "Days needed"),
    "op_map_approx": ("Posisi perkiraan.", "Approximate position."),
    "op_map_estimated": ("TPS Pilkada perkiraan.", "Pilkada TPS estimated."),
    "op_map_approx_legend": ("Posisi perkiraan (garis putus)", "Approximate position (dashed)"),
    "op_layer_kecamatan": ("Kecamatan", "Kecamatan"), "op_layer_kota": ("Kota/kabupaten", "Kota/kabupaten"),
    "op_layer_sites": ("Lokasi PPK ({n})", "PPK sites ({n})"),
    "op_class_early": ("Selesai ≥ 3 hari sebelum batas ({w} hari)", "Done ≥ 3 days before the end ({w} days)"),
    "op_class_tight": ("Selesai di dalam jendela, sisa 0–2 hari", "Done inside the window, 0–2 days to spare"),
    "op_class_late": ("Terlambat 1–7 hari", "1–7 days late"),
    "op_class_very_late": ("Terlambat lebih dari 7 hari", "More than 7 days late"),
    "op_pace_value": ("{panels} panel × {pace} TPS/hari", "{panels} panels × {pace} TPS/day"),
    "op_gap": ("Rekapitulasi butuh {days} hari, jendela {w} hari; kurang {short} panel.",
               "The recapitulation needs {days} days, the window has {w}; {short} panels short."),
    "op_fig_sites": ("Lokasi rekapitulasi PPK", "PPK recapitulation sites"), "op_fig_tps": ("TPS", "TPS"),
    "op_fig_tps_estimated": ("TPS (perkiraan)", "TPS (estimated)"),
    "op_fig_window": ("Jendela rekapitulasi kecamatan", "Kecamatan recapitulation window"),
    "op_fig_pace": ("Laju", "Pace"), "op_fig_miss": ("Lokasi yang tidak selesai di dalam jendela", "Sites that miss the window"),
    "op_fig_days_max": ("Hari terlama", "Most days needed"),
    "op_fig_panels_short": ("Panel tambahan agar tepat waktu", "Extra panels to finish on time"),
    "op_fig_peak": ("Mbps puncak per lokasi (median; kisaran)", "Peak Mbps per site (median; range)"),
    "op_fig_avg": ("Mbps rata-rata per lokasi (median)", "Average Mbps per site (median)"),
    "op_fig_over_link": ("Lokasi di atas tautan {link} Mbps", "Sites above a {link} Mbps link"),
    "op_col_pace": ("Laju", "Pace"), "op_col_days": ("Hari dibutuhkan", "Days needed"),
    "op_col_finish": ("Selesai", "Finishes"), "op_col_window": ("Jendela", "Window"),
    "op_col_slack": ("Sisa hari", "Days to spare"), "op_col_panels_needed": ("Panel dibutuhkan", "Panels needed"),
    "op_col_mbps_avg": ("Mbps rata-rata", "Average Mbps"), "op_col_mbps_peak": ("Mbps puncak", "Peak Mbps"),
    "op_col_miss": ("Lokasi terlambat", "Sites late"), "op_col_days_max": ("Hari terlama", "Most days"),
    "op_col_panels_short": ("Panel kurang", "Panels short"),
    "op_col_mbps_avg_max": ("Mbps rata-rata terbesar", "Largest average Mbps"),
    "op_col_mbps_peak_max": ("Mbps puncak terbesar", "Largest peak Mbps"),
    "op_col_mbps_peak_sum": ("Jumlah Mbps puncak", "Sum of peak Mbps"),
    "op_col_over_link": ("Lokasi di atas tautan biasa", "Sites above a usual link"),
    "op_col_tps_estimated": ("TPS perkiraan", "TPS estimated"),
    "op_col_scenario": ("Skenario", "Scenario"), "op_col_volume": ("Volume (GB)", "Volume (GB)"),
    "op_col_avg_median": ("Mbps rata-rata (median)", "Average Mbps (median)"),
    "op_col_peak_median": ("Mbps puncak (median)", "Peak Mbps (median)"),
    "op_col_peak_max": ("Mbps puncak (terbesar)", "Peak Mbps (largest)"),
    "op_col_place": ("Tempat", "Place"), "op_col_stated_mbps": ("Mbps menurut sumber", "Mbps per the source"),
    "op_col_tps_per_site": ("TPS per lokasi", "TPS per site"),
    "op_col_model_peak": ("Model: Mbps puncak (kisaran)", "Model: peak Mbps (range)"),
    "op_col_source": ("Sumber", "Source"), "op_col_check": ("Pembanding", "Check"), "op_col_model": ("Model", "Model"),
    "op_col_parameter": ("Parameter", "Parameter"), "op_col_value": ("Nilai (kisaran)", "Value (range)"),
    "op_col_status": ("Dasar", "Basis"), "op_col_note": ("Catatan", "Note"),
    "op_col_tps_pemilu": ("TPS Pemilu", "Pemilu TPS"), "op_col_days_pemilu": ("Hari Pemilu", "Pemilu days"),
    "op_col_peak_pemilu": ("Mbps puncak Pemilu", "Pemilu peak Mbps"),
    "op_col_tps_pilkada": ("TPS Pilkada", "Pilkada TPS"), "op_col_days_pilkada": ("Hari Pilkada", "Pilkada days"),
    "op_col_peak_pilkada": ("Mbps puncak Pilkada", "Pilkada peak Mbps"),
    "op_scenario_low": ("Rendah", "Low"), "op_scenario_central": ("Tengah", "Central"),
    "op_scenario_high": ("Tinggi", "High"),
    "op_status_sumber": ("Sumber", "Source"), "op_status_asumsi": ("Asumsi", "Assumption"),
    "op_status_pengguna": ("Pengguna", "Set by you"),
    "op_precedent_51.71": ("Kota Denpasar (Pemilu 2024, 4 lokasi)", "Kota Denpasar (Pemilu 2024, 4 sites)"),
    "op_precedent_34.03": ("Kabupaten Gunungkidul (Pilkada 2024, kantor kapanewon)",
                           "Kabupaten Gunungkidul (Pilkada 2024, kapanewon offices)"),
    "op_precedent_64.08": ("Kabupaten Kutai Timur (Pilkada 2024)", "Kabupaten Kutai Timur (Pilkada 2024)"),
    "op_param_election": ("Pemilihan", "Election"), "op_param_window": ("Jendela", "Window"),
    "op_param_window_start": ("Jendela: hari pertama", "Window: first day"),
    "op_param_window_end": ("Jendela: hari terakhir", "Window: last day"),
    "op_param_panels_per_ppk": ("Panel per PPK per hari", "Panels per PPK a day"),
    "op_param_tps_per_panel_day": ("TPS per panel per hari", "TPS per panel a day"),
    "op_param_hours_per_day": ("Jam kerja per hari", "Working hours a day"),
    "op_param_photo_mb": ("MB per foto", "MB per photo"),
    "op_param_sheets_per_form": ("Lembar per formulir", "Sheets per form"),
    "op_param_upload_share": ("Bagian TPS diunggah di PPK", "Share of TPS uploaded at the PPK"),
    "op_param_burst_minutes": ("Lonjakan (menit)", "Burst (minutes)"),
    "op_param_livestream_mbps": ("Siaran langsung (Mbps)", "Livestream (Mbps)"),
    "op_param_link_mbps": ("Tautan biasa (Mbps)", "Usual link (Mbps)"),
    "op_param_ballot_types": ("Jenis surat suara", "Ballot types"),
    "op_src_table": ("Parameter rekapitulasi: berita yang dikutip dan asumsi (tabel bersumber yang disertakan)",
                     "Recapitulation parameters: quoted news and assumptions (the sourced table shipped with the toolkit)"),
    "op_file_sites": ("Per lokasi PPK, kedua pemilihan", "Per PPK site, both elections"),
    "op_file_kota": ("Per kota", "Per kota"), "op_file_elections": ("Dua pemilihan berdampingan", "Two elections side by side"),
    "op_file_internet": ("Internet rendah/tengah/tinggi", "Internet low/central/high"),
    "op_file_checks": ("Model dibandingkan dengan sumber", "Model against the sources"),
    "op_file_precedents": ("Preseden internet", "Internet precedents"),
    "op_file_parameters": ("Nilai yang dipakai dan sumbernya", "Values used and their sources"),
    # the national overview (notebook 04): the same per PPK site for all of Indonesia
    "op_nat_heading": ("Operasi rekapitulasi: hari, panel dan internet per lokasi PPK",
                       "Recapitulation operations: days, panels and internet per PPK site"),
    "op_nat_text": ("Pemilu 2024: dengan laju bawaan (DKI: 5 panel × 10 TPS per hari, bersumber; di tempat lain 5 panel "
                    "× 8 TPS per hari untuk lima jenis surat suara, asumsi), {miss} dari {sites} lokasi PPK tidak "
                    "selesai di dalam jendela 17 hari (terlama {days} hari); {kab} kab/kota perlu {short} panel "
                    "tambahan. Pilkada 2024 (jendela 6 hari, TPS perkiraan): {miss_p} lokasi terlambat. Internet "
                    "untuk unggahan foto formulir: puncak terbesar satu lokasi {peak} Mbps pada nilai tengah; {bw} "
                    "kab/kota punya lokasi di atas tautan biasa {link} Mbps. Pada ujung tinggi asumsi (sampai {high} "
                    "Mbps) {bw_high} kab/kota akan membutuhkannya.",
                    "Pemilu 2024: at the default pace (DKI: 5 panels × 10 TPS a day, sourced; elsewhere 5 panels × 8 "
                    "TPS a day for five ballot types, assumed), {miss} of {sites} PPK sites do not finish inside the "
                    "17-day window (the longest needs {days} days); {kab} kab/kota would need {short} more panels. "
                    "Pilkada 2024 (a 6-day window, estimated TPS): {miss_p} sites late. Internet for the form-photo "
                    "uploads: the largest peak of one site is {peak} Mbps at the central assumptions; {bw} kab/kota "
                    "have a site above a usual {link} Mbps link. At the high end of the assumptions (up to {high} "
                    "Mbps) {bw_high} kab/kota would."),
    "op_nat_method": ("Model dan nilai bawaannya sama dengan laporan beban kerja lokasi rekapitulasi PPK (setiap nilai dikutip atau asumsi dengan "
                      "kisarannya, dari tabel bersumber yang disertakan); tabel ini: kab/kota yang perlu panel atau bandwidth "
                      "tambahan pada nilai tengah, di salah satu pemilihan. Di peta: lapisan tersendiri, penanda di "
                      "lokasi PPK dengan TPS terbanyak di kab/kota itu (posisi perkiraan).",
                      "The model and its defaults are those of the report on the PPK sites' workload (each value quoted or an assumption with its "
                      "range, from the sourced table shipped with the toolkit); this table: the kab/kota that would need more panels or "
                      "bandwidth at the central assumptions, in either election. On the map: a layer of its own, a "
                      "marker at the kab/kota's most loaded PPK site (approximate position)."),
    "op_nat_none": ("Tidak ada kab/kota yang perlu panel atau bandwidth tambahan pada nilai tengah.",
                    "No kab/kota would need more panels or bandwidth at the central assumptions."),
    "op_nat_estimated": ("TPS Pilkada per kecamatan adalah PERKIRAAN: di DKI jumlah per kota (KPU DKI) dibagi menurut "
                         "bagian TPS Pemilu; di tempat lain TPS Pemilu × 435.296 / 820.161 (rasio nasional).",
                         "The Pilkada TPS per kecamatan are ESTIMATES: in DKI the total per kota (KPU DKI) shared by "
                         "the Pemilu TPS; elsewhere Pemilu TPS × 435,296 / 820,161 (the national ratio)."),
    "op_nat_layer": ("Kab/kota yang perlu panel atau bandwidth tambahan ({n})",
                     "Kab/kota needing more panels or bandwidth ({n})"),
    "op_nat_legend": ("Operasi rekapitulasi: perlu", "Recapitulation operations: needs"),
    "op_nat_need_panels": ("Panel tambahan", "More panels"), "op_nat_need_bandwidth": ("Bandwidth tambahan", "More bandwidth"),
    "op_nat_need_both": ("Keduanya", "Both"),
    "op_nat_map_note": ("Penanda di lokasi PPK {site} (TPS terbanyak di kab/kota ini; posisi perkiraan). TPS Pilkada "
                        "perkiraan.", "Marker at the PPK site of {site} (the most TPS in this kab/kota; approximate "
                        "position). Pilkada TPS estimated."),
    "op_nat_col_miss_pemilu": ("Lokasi terlambat (Pemilu)", "Sites late (Pemilu)"),
    "op_nat_col_short_pemilu": ("Panel kurang (Pemilu)", "Panels short (Pemilu)"),
    "op_nat_col_miss_pilkada": ("Lokasi terlambat (Pilkada, TPS perkiraan)", "Sites late (Pilkada, estimated TPS)"),
    "op_nat_col_short_pilkada": ("Panel kurang (Pilkada, TPS perkiraan)", "Panels short (Pilkada, estimated TPS)"),
    "op_nat_file_ops_sites": ("Operasi rekapitulasi per lokasi PPK, kedua pemilihan",
                              "Recapitulation operations per PPK site, both elections"),
    "op_nat_file_ops_kabkota": ("Operasi rekapitulasi per kab/kota", "Recapitulation operations per kab/kota"),
}

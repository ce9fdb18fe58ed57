"""Labels of the warehouse answer of the coverage report and map (issue 21) (data only; read through :func:`helpers.core.text.label`)."""

#: ``key: (Bahasa Indonesia, English)``; every key starts with ``wh_``.
WAREHOUSE: dict[str, tuple[str, str]] = {
    # reader report (helpers.reports.coverage)
    "wh_section": ("Jarak lokasi PPK ke gudang logistik", "Distance from PPK sites to the logistics warehouse"),
    "wh_text": ("Untuk setiap lokasi PPK: gudang logistik terdekat yang posisinya diketahui (dari file fasilitas, "
                "Jenis 'Gudang logistik') dan jarak garis lurusnya. Median dan jarak terjauh per kota dihitung atas "
                "lokasi yang garis lurusnya tetap di daratan; garis yang melintasi laut (perjalanan perahu) dihitung "
                "terpisah. {n} gudang berposisi diketahui.",
                "For every PPK site: the nearest logistics warehouse whose position is known (from the facilities "
                "file, Jenis 'Gudang logistik') and its straight-line distance. The median and the largest distance "
                "per kota are over the sites whose straight line stays on land; lines across the sea (a boat trip) "
                "are counted apart. {n} warehouse(s) with a known position."),
    "wh_approx_text": ("{n} dari gudang itu berposisi perkiraan: jarak ke gudang itu juga perkiraan.",
                       "{n} of these warehouses have an approximate position: the distances to them are approximate "
                       "too."),
    "wh_none": ("Tidak ada gudang logistik yang posisinya diketahui, jadi jarak lokasi PPK ke gudang tidak dapat "
                "diukur. Untuk mengukurnya, berikan file fasilitas Anda (daftar gedung) dengan baris berjenis "
                "'Gudang logistik' dan koordinatnya.",
                "No logistics warehouse has a known position, so no PPK site's distance to a warehouse can be "
                "measured. To measure it, give your facilities file (a list of buildings) with rows of type "
                "'Gudang logistik' and their coordinates."),
    "wh_no_warehouse": ("Kota tanpa gudang berposisi diketahui di wilayahnya: {kota}; lokasi PPK-nya diukur ke "
                        "gudang terdekat di kota lain.",
                        "Kota without a warehouse of known position of their own: {kota}; their PPK sites are "
                        "measured to the nearest warehouse in another kota."),
    "wh_all_have": ("Setiap kota memiliki setidaknya satu gudang berposisi diketahui.",
                    "Every kota has at least one warehouse of known position."),
    "wh_sea": ("{n} lokasi PPK hanya dapat mencapai gudangnya melintasi laut; jaraknya tidak masuk median.",
               "{n} PPK site(s) reach their warehouse only across the sea; their distances are not in the median."),
    "wh_caption": ("Jarak ke gudang per kota", "Distance to the warehouse per kota"),
    "wh_col_known": ("Gudang berposisi diketahui", "Warehouses with a known position"),
    "wh_col_median": ("Median lokasi PPK → gudang (km)", "Median PPK site → warehouse (km)"),
    "wh_col_max": ("Terjauh (km)", "Largest (km)"),
    "wh_col_sea": ("Lokasi PPK ke gudang lewat laut", "PPK sites reaching it across the sea"),
    "wh_col_farthest": ("Lokasi PPK terjauh dari gudangnya", "PPK site farthest from its warehouse"),
    "wh_col_farthest_to": ("Gudang terdekatnya", "Its nearest warehouse"),
    "wh_farthest": ("{site} (Kec. {kecamatan})", "{site} (Kec. {kecamatan})"),
    # coverage map (helpers.maps.coverage)
    "wh_layer": ("Gudang logistik ({n})", "Logistics warehouses ({n})"),
    "wh_legend": ("Gudang logistik", "Logistics warehouse"),
    "wh_site_nearest": ("Gudang terdekat", "Nearest warehouse"),
    "wh_site_km": ("Jarak ke gudang (km, garis lurus)", "Distance to the warehouse (km, straight line)"),
    "wh_site_sea": ("Ke gudang melintasi laut", "Across the sea to the warehouse"),
    "wh_type": ("Jenis", "Type"),
    "wh_address": ("Alamat", "Address"),
    "wh_kota": ("Kota", "Kota"),
    "wh_source": ("Sumber", "Source"),
    "wh_approx": ("Posisi perkiraan", "Approximate position"),
    # the source of a user's facility (helpers.maps.coverage, helpers.maps.recap)
    "wh_from_file": ("{file}, baris {row}", "{file}, row {row}"),
    "wh_from_kml": ("{file}, penanda (placemark) {row}", "{file}, placemark {row}"),
}

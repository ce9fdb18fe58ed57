"""Statements of the reader reports whose numbers and names are computed for the scope they describe: keys ``st_*``.

Each sentence is checked per scope (all of DKI Jakarta, one kota, Kepulauan Seribu) by
``tests/test_statements.py`` against values computed there from the data.
"""

#: ``key: (Bahasa Indonesia, English)``; ``{placeholders}`` are filled by :func:`helpers.core.text.label`.
STATEMENTS: dict[str, tuple[str, str]] = {
    # notebook 01: the approximate sites (the count of PPK is the scope's, not DKI's 44)
    "st_rs_approx_text": ("Tidak ada daftar terbitan yang menyebut tempat rekapitulasi {n} PPK di {scope}. Lokasi "
                          "berikut tidak punya titik kantor camat atau koordinat tempat: posisinya adalah titik "
                          "wakil wilayah, bukan lokasi sebenarnya.",
                          "No published list names the recapitulation venues of the {n} PPK in {scope}. The sites "
                          "below have no kantor camat point or venue coordinates: their position is a "
                          "representative point of the area, not the actual location."),
    # notebook 02: the lead (helpers.analysis.coverage.compute.CoverageResult.summary), one sentence per key
    "st_cg_summary": ("{scope}: {kec} kecamatan, {sites} lokasi PPK ({internet} berinternet, {known} berposisi "
                      "diketahui, {venues} tempatnya disebut sumber), {without} kecamatan tanpa lokasi; {tps} TPS, "
                      "rata-rata {mean} per lokasi, paling banyak {max}.",
                      "{scope}: {kec} kecamatan, {sites} PPK sites ({internet} with internet, {known} with a known "
                      "position, {venues} whose venue a source names), {without} kecamatan without a site; {tps} "
                      "TPS, {mean} per site on average, at most {max}."),
    "st_cg_summary_mainland": ("Kantor PPS di daratan berjarak median {median} km dari lokasi PPK-nya (persentil 95 "
                               "{p95} km, terjauh {far} km); {beyond} lebih jauh dari {t} km.",
                               "Mainland PPS offices lie a median {median} km from their PPK site (95th percentile "
                               "{p95} km, farthest {far} km); {beyond} are beyond {t} km."),
    "st_cg_summary_sea": ("{n} kelurahan pulau: garis lurusnya melintasi laut dan dilaporkan terpisah.",
                          "{n} island kelurahan: their straight lines cross the sea and are reported separately."),
    "st_cg_summary_gaps": ("Seluruhnya {n} celah, dari {kinds} jenis.", "{n} gaps in all, of {kinds} kinds."),
    # notebook 03: the farthest fallback of the outage scenario, when it is a straight line across the sea
    "st_sp_fallback_sea": ("{km} (garis lurus melintasi laut)", "{km} (straight line across the sea)"),
    # notebook 03: the lead; the backup plan gives two sites only to the kelurahan that can have them (in
    # Kepulauan Seribu none can, and "0 titik tambahan" for every kelurahan was read as "nothing to do")
    "st_sp_lead": ("Sebuah kelurahan terjangkau bila ada lokasi berinternet dalam {r} (garis lurus) dari kantor PPS-nya. "
                   "Lokasi PPK berinternet yang ada menjangkau {before} TPS; dengan {p} titik baru usulan menjadi "
                   "{after}. Agar dua lokasi menjangkau setiap kelurahan yang bisa mencapainya dibutuhkan {backup} "
                   "titik tambahan; {unreach} kelurahan tidak bisa mencapai dua lokasi, juga dengan semua calon titik. "
                   "{outage}",
                   "A kelurahan is covered when an internet site lies within {r} (straight line) of its PPS office. "
                   "The existing PPK sites with internet cover {before} of the TPS; with {p} proposed new points, "
                   "{after}. For two sites within reach of every kelurahan that can reach two, {backup} more points "
                   "are needed; {unreach} kelurahan cannot reach two sites, even with every candidate point. {outage}"),
}

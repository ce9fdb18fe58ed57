"""Analysis helpers for the Pemilu 2024 vote-recapitulation network of DKI Jakarta.

Modules
-------
paths             project folders, built from ``Path(__file__)``
names             lenient matching of kota / kecamatan / kelurahan names
geo               CRS constants, projection and metric distances (never degrees)
data              ``python -m helpers.data build``: rebuild data/processed from data/raw
data_units        build steps: boundaries, TPS, DPT; ``data_facilities`` offices, press facilities, sites
validation        reading input files and collecting every problem of a file
loaders           ``load_inputs``: every input loaded and checked at once (re-exports the file loaders)
sites_file        read and check a sites file (one PPK recapitulation site per kecamatan)
input_files       read and check boundaries, facilities, TPS, DPT and press-facility files
demand            kelurahan demand units (PPS office position, TPS weight)
maps              folium map builders (sub-package: page, layers, inset, recap map; Leaflet runtime in static/)
coverage          coverage engine (re-exports the roll-ups of ``coverage_tables`` and ``coverage_thresholds``);
                  ``coverage_report`` runs it (gap list and sentences in ``coverage_gaps``); ``coverage_outputs`` files
planning          backup internet points (sub-package: MCLP, backup coverage, outage; scipy milp); ``planning_report``
figures           JSON values of the headline figures
text, labels      every user-visible word and number in Bahasa Indonesia / English: one getter ``text.label``,
                  one formatter family ``text.fmt_*``; the one label table in ``labels``
batch             ``dki-recap`` (sub-package): run every notebook per scope and build the browsable report
province, sea     notebooks 01-03 outside DKI from the national layer; the sea-crossing rule
national*, overview  the national data layer and notebook 04
"""

__version__ = "0.1.0"

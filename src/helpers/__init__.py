"""Analysis helpers for the Pemilu 2024 vote-recapitulation network of DKI Jakarta.

Modules
-------
paths      project folders, built from ``Path(__file__)``
names      lenient matching of kota / kecamatan / kelurahan names
geo        CRS constants, projection and metric distances (never degrees)
data       ``python -m helpers.data build``: rebuild data/processed from data/raw
loaders    read and validate boundaries, sites, facilities and TPS files
"""

__version__ = "0.1.0"

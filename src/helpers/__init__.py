"""The package beneath the notebooks: the Pemilu 2024 vote-recapitulation network, DKI Jakarta in depth and
every province of Indonesia.

Sub-packages, each importing only from those below it (import-linter contracts in ``pyproject.toml``;
``docs/architecture.md``)::

    batch      pemilu-recap (alias dki-recap): every notebook x scope with papermill, the published report
    reports    what each notebook writes for readers: figures, files, reader reports (HTML, PDF)
    maps       Leaflet-only maps, inlined offline: the building blocks and each notebook's map
    analysis   the computations: demand, coverage, planning, the national overview
    io         the only code that opens files: user files and the shipped layers; prepare: data/raw -> data/processed
    core       paths, names, the projection rule, the scope, the shared parameters, words and numbers
"""

__version__ = "0.1.0"

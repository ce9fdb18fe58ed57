"""``data/raw`` -> ``data/processed``: the builds of ``make data`` (deterministic; the results are committed).

``dki`` (``python -m helpers.prepare.dki build``; with ``dki_units``, ``dki_facilities`` and ``islands``):
DKI Jakarta's layer; ``national`` (``python -m helpers.prepare.national build``; with ``national_sql``,
``national_geom``, ``national_join``, ``kawalpemilu``): the national layer.  Beside :mod:`helpers.io` in the
layers: it reads the raw sources, never the runs' inputs.
"""

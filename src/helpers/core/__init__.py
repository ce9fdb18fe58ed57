"""The base layer: what every other layer needs, reading no file of its own.

``paths`` (project folders from ``Path(__file__)``), ``names`` (lenient unit names), ``geo`` (the one
projection rule: UTM zones, metric distances, never degrees), ``scope`` (the one :class:`Scope` value and
its resolver), ``parameters`` (the notebooks' shared parameters, declared once), ``text`` + ``labels``
(every word of both languages, one getter, one number formatter), ``figures`` (JSON-ready values).
"""

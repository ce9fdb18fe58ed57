"""The computations: data in, tables out, no file read or written.

``demand`` (kelurahan/desa demand points), ``sea`` (the sea-crossing rule), ``coverage`` (notebook 02:
engine, tables, thresholds, gap list, the whole run), ``planning`` (notebook 03: maximal coverage, backup
coverage, outage on ``scipy.optimize.milp``), ``overview`` (notebook 04: every province and kab/kota).
"""

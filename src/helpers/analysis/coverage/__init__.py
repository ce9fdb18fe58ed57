"""Coverage of the recapitulation network (notebook 02).

``engine`` (own-kecamatan site, nearest internet site and fallback of every demand point, vectorised),
``tables`` (per site, kecamatan and kota), ``thresholds`` (:class:`~helpers.analysis.coverage.thresholds.Thresholds`),
``gaps`` (the gap list and its sentences), ``compute`` (:func:`~helpers.analysis.coverage.compute.compute_coverage`:
the whole run on loaded inputs).
"""

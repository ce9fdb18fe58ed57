"""What the notebooks write for readers: one report module per notebook, the report blocks, the renderer.

Every notebook's report module has the same shape -- ``figures`` (the headline figures), ``write`` (the
files: tables, charts, the map), ``report_spec`` (the reader report): ``recap`` (01), ``coverage`` (02),
``planning`` (03), ``overview`` (04); ``quality`` is the data-quality page every notebook adds.  ``spec``
holds the building blocks of a report spec and ``write_figures``; ``render`` turns specs into HTML (one
Jinja2 template, ``templates/``) and PDF.  The library never names a notebook file: each notebook names
its own ``NN-name.figures.json`` and ``NN-name.report.json``.
"""

"""The only code that opens files: the user's files and the shipped layers, each kind with one reader.

``inputs`` (:func:`~helpers.io.inputs.load_inputs`: every input of a run, checked at once; the prepared
inputs of a batch), ``sites_file`` and ``input_files`` (the loaders of sites, boundaries, facilities, TPS,
DPT and press files), ``spreadsheet`` + ``columns`` + ``coords`` + ``units`` + ``schema`` + ``validation``
(reading office files and naming the file, row and column of every problem), ``national`` (the national
layer and the scope resolver's unit table), ``province`` (a province's national layer shaped like DKI's),
``islands`` (Kepulauan Seribu's offices on their islands), ``excel_template`` (the templates offices fill).
"""

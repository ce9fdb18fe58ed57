"""Labels of recapitulation operations, notebook 05 (issue 23) (data only; read through :func:`helpers.core.text.label`)."""

#: ``key: (Bahasa Indonesia, English)``; every key starts with ``op_``.
OPERATIONS: dict[str, tuple[str, str]] = {
}

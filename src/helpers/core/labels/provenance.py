"""Labels of provenance of positions for readers (issue 22) (data only; read through :func:`helpers.core.text.label`)."""

#: ``key: (Bahasa Indonesia, English)``; every key starts with ``pv_``.
PROVENANCE: dict[str, tuple[str, str]] = {
}

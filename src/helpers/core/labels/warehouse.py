"""Labels of the warehouse answer of the coverage report and map (issue 21) (data only; read through :func:`helpers.core.text.label`)."""

#: ``key: (Bahasa Indonesia, English)``; every key starts with ``wh_``.
WAREHOUSE: dict[str, tuple[str, str]] = {
}

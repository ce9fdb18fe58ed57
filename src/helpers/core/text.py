"""Words and numbers of the reports, the maps and ``index.html``, in Bahasa Indonesia or English.

One table (:data:`LABELS`, kept in the data modules of :mod:`helpers.core.labels` and re-exported here)
holds every label of the toolkit in both languages side by side, so a translation is reviewed on one
line; :func:`label` is the one way to read it.  One set of formatters writes numbers the way each
language does: Indonesian ``1.591``, ``98,8 %``, ``1,6 km``; English ``1,591``, ``98.8 %``,
``1.6 km``.  Other modules format through these functions (``coverage_report.fmt``,
``maps.display_text`` and ``report.fmt`` delegate here).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers

from helpers.core.labels import LABELS

__all__ = ["DASH", "LABELS", "LANGUAGES", "check_language", "fmt_bool", "fmt_datetime", "fmt_km", "fmt_number",
           "fmt_percent", "fmt_value", "label", "labels"]

#: Languages of the reports: Bahasa Indonesia (default) and English.
LANGUAGES = ("id", "en")
DASH = "–"
_NO_FALLBACK = object()


def check_language(language: str) -> str:
    """``language`` if it is one of :data:`LANGUAGES`, else a ValueError naming them."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(map(repr, LANGUAGES))}, not {language!r}")
    return language


def label(key: str, language: str = "id", *, fallback=_NO_FALLBACK, **values) -> str:
    """One label in ``language``, with ``{placeholders}`` filled from ``values``.

    With ``fallback``, a key without a label gives ``str(fallback)`` instead of a KeyError (for
    data values that may or may not have a label, e.g. ``label(f"map_ft_{kind}", lang, fallback=kind)``).

    Examples
    --------
    >>> label("rs_approx", "id"), label("rs_approx", "en")
    ('Lokasi dengan posisi perkiraan', 'Sites with an approximate position')
    >>> label("rows_shown", "en", shown=15, total="1,591")
    '15 of 1,591 rows shown.'
    >>> label("map_site_title", "id", kecamatan="Gambir"), label("map_ft_pier", "en", fallback="pier")
    ('PPK Gambir', 'pier')
    """
    i = LANGUAGES.index(check_language(language))
    if fallback is not _NO_FALLBACK and key not in LABELS:
        return str(fallback)
    text = LABELS[key][i]
    return text.format(**values) if values else text


def labels(language: str = "id") -> dict[str, str]:
    """Every label in ``language`` (for templates)."""
    i = LANGUAGES.index(check_language(language))
    return {k: v[i] for k, v in LABELS.items()}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value, language: str = "id", digits: int = 0, *, missing: str = DASH) -> str:
    """A number with the thousands and decimal marks of ``language``; ``missing`` (``–``) for None or NaN.

    Whole numbers (``int``, numpy integers) are written exactly, however large.  The maps write a
    missing value as an em dash (``missing="—"``, :func:`helpers.maps.display_text`).

    Examples
    --------
    >>> fmt_number(1591, "id"), fmt_number(1591, "en"), fmt_number(12345.678, "id", 1)
    ('1.591', '1,591', '12.345,7')
    >>> fmt_number(None, "en"), fmt_number(-0.04, "en", 1), fmt_number(float("nan"), "id", missing="—")
    ('–', '0.0', '—')
    """
    if _missing(value):
        return missing
    if isinstance(value, numbers.Integral) and not digits:
        text = f"{int(value):,}"
    elif not math.isfinite(float(value)):
        return str(value)
    else:
        text = f"{float(value):,.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # no "-0.0"
    if check_language(language) == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def fmt_percent(share, language: str = "id", digits: int = 1) -> str:
    """A share (0.9878) as a percentage: ``98,8 %`` / ``98.8 %``.

    Examples
    --------
    >>> fmt_percent(0.9878, "id"), fmt_percent(0.9878, "en"), fmt_percent(None, "id")
    ('98,8 %', '98.8 %', '–')
    """
    return DASH if _missing(share) else f"{fmt_number(100 * share, language, digits)} %"


def fmt_km(km, language: str = "id", digits: int = 1) -> str:
    """A distance in kilometres: ``1,6 km`` / ``1.6 km``.

    Examples
    --------
    >>> fmt_km(1.569, "id"), fmt_km(1.569, "en"), fmt_km(5, "en", 0)
    ('1,6 km', '1.6 km', '5 km')
    """
    return DASH if _missing(km) else f"{fmt_number(km, language, digits)} km"


def fmt_bool(value, language: str = "id") -> str:
    """``Ya``/``Tidak`` or ``Yes``/``No``; ``–`` for a missing value."""
    if _missing(value):
        return DASH
    truthy = value is True or str(value).strip().lower() in ("true", "1", "yes", "ya")
    return label("yes" if truthy else "no", language)


def fmt_value(value, language: str = "id") -> str:
    """Any headline value as text: whole numbers exact, other numbers to 3 significant digits
    (at least the units), booleans as words, lists joined.

    Examples
    --------
    >>> fmt_value(30766, "en"), fmt_value(0.12345, "en"), fmt_value(5.576, "id"), fmt_value(True, "id")
    ('30,766', '0.123', '5,58', 'Ya')
    >>> fmt_value(None, "en"), fmt_value([1, 2], "en"), fmt_value(1234.6, "id"), fmt_value(5.0, "en"), fmt_value(1.5, "id")
    ('–', '1, 2', '1.235', '5', '1,5')
    """
    if isinstance(value, bool):
        return fmt_bool(value, language)
    if _missing(value):
        return DASH
    if isinstance(value, int):
        return fmt_number(value, language)
    if isinstance(value, float):
        if not math.isfinite(value) or value == int(value):
            return fmt_number(value, language)
        digits = max(0, 2 - math.floor(math.log10(abs(value))))
        digits = next(d for d in range(digits + 1) if round(value, d) == round(value, digits))
        return fmt_number(value, language, digits)
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt_value(v, language) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} → {fmt_value(v, language)}" for k, v in value.items())
    return str(value)


_MONTHS = {"id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                  "Oktober", "November", "Desember"],
           "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]}


def fmt_datetime(when, language: str = "id") -> str:
    """A date and time (ISO text or datetime): ``14 Februari 2024, 10.05 (UTC+07:00)`` /
    ``14 February 2024, 10:05 (UTC+07:00)``.

    Examples
    --------
    >>> fmt_datetime("2024-02-14T10:05:00+07:00", "id"), fmt_datetime("2024-02-14T10:05:00+07:00", "en")
    ('14 Februari 2024, 10.05 (UTC+07:00)', '14 February 2024, 10:05 (UTC+07:00)')
    """
    if _missing(when) or when == "":
        return DASH
    try:
        t = when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(str(when))
    except ValueError:
        return str(when)
    sep = "." if check_language(language) == "id" else ":"
    text = f"{t.day} {_MONTHS[language][t.month - 1]} {t.year}, {t.hour:02d}{sep}{t.minute:02d}"
    if t.utcoffset() is not None:
        offset = t.strftime("%z")
        text += f" ({label('utc_offset', language, offset=offset[:3] + ':' + offset[3:])})"
    return text

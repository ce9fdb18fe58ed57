"""Headline figures: plain JSON values for the ``<notebook>.figures.json`` files the batch reads."""

from __future__ import annotations

import math

import numpy as np


def plain(value):
    """A JSON-ready Python value: numpy scalars to int/float/bool, NaN to None.

    Examples
    --------
    >>> plain(np.int64(3)), plain(np.float64("nan")), plain(np.bool_(True)), plain("x")
    (3, None, True, 'x')
    """
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value

"""Classed steps for the programmes colouring: nice breaks from the data, shared by screen,
legend and export."""

from __future__ import annotations

import math

import numpy as np

N_CLASSES = 5


def _nice(value: float) -> float:
    """Round ``value`` down to one significant digit (1 for values under 1): 847 -> 800."""
    if value < 1:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    return float(math.floor(value / exponent) * exponent)


def class_breaks(values, n_classes: int = N_CLASSES) -> list[float]:
    """Lower bounds of up to ``n_classes`` classes for the positive ``values``.

    With at most ``n_classes`` distinct values, each value is a class of its own. Otherwise the
    first break is 1 (the smallest non-zero count or euro) and the others are quantiles rounded
    down to nice numbers, deduplicated. Empty input gives ``[1]``.

    >>> class_breaks([1, 1, 2, 3, 5, 8, 13, 21])
    [1.0, 2.0, 5.0, 10.0]
    >>> class_breaks([1, 1, 3])
    [1.0, 3.0]
    """
    array = np.asarray([v for v in values if v and v > 0], dtype=float)
    if array.size == 0:
        return [1.0]
    distinct_values = np.unique(array)
    if distinct_values.size <= n_classes:
        return [1.0] + [float(v) for v in distinct_values[1:]]
    quantiles = np.quantile(array, np.linspace(0, 1, n_classes + 1)[1:-1])
    breaks = [1.0] + [_nice(q) for q in quantiles]
    distinct = sorted(set(breaks))
    return distinct[:n_classes]


def class_index(value: float, breaks: list[float]) -> int:
    """Class of ``value`` (0-based) given lower bounds ``breaks``; -1 for "none" (zero/absent)."""
    if not value or value <= 0:
        return -1
    index = int(np.searchsorted(np.asarray(breaks), value, side="right")) - 1
    return max(index, 0)


def class_indexes(values: np.ndarray, breaks: list[float]) -> np.ndarray:
    """:func:`class_index` of many values at once."""
    indexes = np.searchsorted(np.asarray(breaks), values, side="right") - 1
    return np.where(values > 0, np.maximum(indexes, 0), -1)

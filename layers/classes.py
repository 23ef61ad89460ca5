"""Classes of the programmes colouring: quantiles of the distinct values (numpy), computed
once per view over every country of the world, shared by the screen, the legend and the
exports.

A class is the range of the values it holds, smallest to largest: a legend says exactly what
each colour means ("3–4", "5–10", "12 k€ – 180 k€").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_CLASSES = 5


@dataclass(frozen=True)
class Classes:
    """Classes of positive values: each one's smallest (``lows``) and largest (``highs``)
    value, ascending; empty when there is no positive value."""

    lows: tuple[float, ...]
    highs: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.highs)


def classify(values, n_classes: int = N_CLASSES) -> Classes:
    """The classes of the positive ``values``: one per distinct value when there are at most
    ``n_classes`` of them, else ``n_classes`` quantiles of the distinct values.

    Quantiles of the *distinct* values, so that a mass of equal values (forty countries with
    one programme) cannot merge classes: the data gets five classes whenever it has five
    distinct values. Deterministic and under a millisecond for every country of the world.
    (mapclassify was tried: its Jenks-Caspall can loop for ever on small sets, its Fisher-Jenks
    takes 30-40 ms per view, and importing it adds 100 MB to every worker for scikit-learn.)

    >>> classify([3, 1, 1]).highs
    (1.0, 3.0)
    >>> classify([1, 1, 1, 1, 2, 3, 4, 5, 7, 9, 12, 30]).highs
    (2.0, 4.0, 7.0, 12.0, 30.0)
    """
    array = np.sort(np.asarray([v for v in values if v and v > 0], dtype=float))
    if array.size == 0:
        return Classes((), ())
    distinct = np.unique(array)
    if distinct.size <= n_classes:
        return Classes(tuple(distinct.tolist()), tuple(distinct.tolist()))
    # The upper bounds: the distinct values at each quantile's rank (whole-number arithmetic,
    # so every bound is a value of the data), the largest value last.
    ranks = (np.arange(1, n_classes + 1) * distinct.size + n_classes - 1) // n_classes - 1
    bins = distinct[ranks]
    members = np.searchsorted(bins, array, side="left")
    lows, highs = [], []
    for index in range(len(bins)):
        held = array[members == index]
        if held.size:
            lows.append(float(held.min()))
            highs.append(float(held.max()))
    return Classes(tuple(lows), tuple(highs))


def class_indexes(values: np.ndarray, classes: Classes) -> np.ndarray:
    """The class (0-based) of each value; -1 for "none" (zero or absent). A value between two
    classes' ranges (not in the data the classes were made from) takes the upper class."""
    if not len(classes):
        return np.full(len(values), -1)
    indexes = np.searchsorted(np.asarray(classes.highs), values, side="left")
    indexes = np.minimum(indexes, len(classes) - 1)
    return np.where(np.asarray(values) > 0, indexes, -1)


def class_index(value: float, classes: Classes) -> int:
    """The class of one value (see :func:`class_indexes`)."""
    return int(class_indexes(np.asarray([value or 0], dtype=float), classes)[0])

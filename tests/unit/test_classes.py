"""Classes of the programmes colouring: known values give known classes and labels."""

import numpy as np

from layers.classes import Classes, class_index, class_indexes, classify
from layers.palette import SEQUENTIAL, class_colors
from layers.programmes import class_labels


def test_few_distinct_values_give_one_class_each():
    """With five distinct values or fewer each value is its own class; none gives none."""
    assert classify([1, 1, 3]) == Classes((1.0, 3.0), (1.0, 3.0))
    assert classify([]) == Classes((), ())
    assert classify([0, 0]) == Classes((), ())


def test_five_classes_whenever_the_data_has_five_distinct_values():
    """Many equal values (forty countries with one programme) cannot merge classes."""
    counts = [1] * 40 + [2] * 10 + [3, 3, 4, 5, 6, 8, 11, 12, 15, 20, 31]
    classes = classify(counts)
    assert len(classes) == 5
    assert classes == Classes((1.0, 4.0, 6.0, 12.0, 20.0), (3.0, 5.0, 11.0, 15.0, 31.0))
    assert class_labels(classes, "count", "fr") == ["1–3", "4–5", "6–11", "12–15", "20–31"]
    assert classify(range(1, 101)).highs == (20.0, 40.0, 60.0, 80.0, 100.0)


def test_every_value_falls_in_the_class_whose_range_holds_it():
    classes = classify([1] * 40 + [2] * 10 + [3, 3, 4, 5, 6, 8, 11, 12, 15, 20, 31])
    assert [class_index(v, classes) for v in (0, 1, 2, 3, 4, 5, 6, 8, 12, 15, 31)] == [
        -1, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4]
    assert class_index(18, classes) == 4  # between two ranges: the upper class
    assert class_index(999, classes) == 4
    assert class_indexes(np.array([0.0, 1.0]), Classes((), ())).tolist() == [-1, -1]


def test_budget_labels_are_money_ranges_in_the_page_format():
    classes = Classes((12_000.0, 200_000.0), (180_000.0, 2_500_000.0))
    assert class_labels(classes, "budget", "en") == ["€12K – €180K", "€200K – €2.5M"]
    assert class_labels(classes, "budget", "fr") == ["12\xa0k\xa0€ – 180\xa0k\xa0€",
                                                    "200\xa0k\xa0€ – 2,5\xa0M\xa0€"]


def test_class_colors_span_the_scale():
    """Colours go from light to dark, all from the sequential palette."""
    assert class_colors(5) == list(SEQUENTIAL)
    assert class_colors(2) == [SEQUENTIAL[0], SEQUENTIAL[-1]]
    assert len(class_colors(1)) == 1

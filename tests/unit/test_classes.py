"""Class breaks and class lookup shared by screen, legend and export."""

from layers.classes import class_breaks, class_index
from layers.palette import SEQUENTIAL, class_colors


def test_breaks_from_few_values_give_one_class_each():
    """With few distinct values each value is its own class."""
    assert class_breaks([1, 1, 3]) == [1.0, 3.0]
    assert class_breaks([]) == [1.0]


def test_breaks_are_nice_quantiles():
    """Many values: five or fewer nice lower bounds starting at 1."""
    assert class_breaks(range(1, 101)) == [1.0, 20.0, 40.0, 60.0, 80.0]
    assert class_breaks([1, 1, 2, 3, 5, 8, 13, 21]) == [1.0, 2.0, 5.0, 10.0]


def test_class_index():
    """Zero is "none" (-1); values fall in the class of the largest lower bound below them."""
    breaks = [1.0, 2.0, 5.0, 10.0]
    assert [class_index(v, breaks) for v in (0, 1, 2, 4, 5, 9, 10, 999)] == [
        -1, 0, 1, 1, 2, 2, 3, 3]


def test_class_colors_span_the_scale():
    """Colours go from light to dark, all from the sequential palette."""
    assert class_colors(5) == list(SEQUENTIAL)
    assert class_colors(2) == [SEQUENTIAL[0], SEQUENTIAL[-1]]
    assert len(class_colors(1)) == 1

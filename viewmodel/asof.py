"""The data served, dated on the view's as-of date.

The view's ``asof`` (:class:`viewmodel.filters.DateFilter`; absent, the data's own date) decides
each programme's status from its dates and which posts are open (:func:`geodata.asof.network_on`).
:func:`dated` gives the :class:`AtlasData` to answer a view with: the same shapes, names and
layer files, a dated network and its own filter index. Every entry point taking
``(data, view)`` (the map view, the panels, the search choices, every export) calls it first;
calling it on data already dated for the view's day returns that data.

Data without a date of its own and a view without ``asof`` keep the recorded statuses: there
is no date to decide them on (no hidden clock).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from geodata.asof import network_on, parse_day
from viewmodel.data import AtlasData, Bounded, Memo, prepared_index
from viewmodel.urlstate import ViewState

#: How many dated networks a load keeps (the dates recently asked for), at most...
DATED_KEPT = 48
#: ... and within this many programme rows in all (a dated network copies its programmes'
#: frame: at 100x the demo, 5 dates are kept, which bounds a worker's memory).
DATED_ROWS_KEPT = 250_000


def dated_kept(programmes: int) -> int:
    """How many dated networks a load of ``programmes`` rows keeps (2 at the least)."""
    return max(2, min(DATED_KEPT, DATED_ROWS_KEPT // max(programmes, 1)))
#: The fields a caller attaches to a bundle (``dataclasses.replace``), kept by :func:`dated`.
ATTACHED = ("baselines", "class_breaks", "export_trace")


def chosen_day(view: ViewState) -> date | None:
    """The as-of date the view names (None: the data's own date)."""
    values = view.filters.get("asof")
    return parse_day(values[0]) if values else None


def view_day(data: AtlasData, view: ViewState) -> date | None:
    """The day ``view`` shows ``data`` on: its ``asof``, else the data's date (None when the
    data has none)."""
    return chosen_day(view) or data.network.data_date


def shown_day(data: AtlasData, view: ViewState) -> date | None:
    """The as-of date to print on a page or in a file name: set only when it differs from
    the data's date."""
    day = chosen_day(view)
    return day if day is not None and day != data.network.data_date else None


def dated(data: AtlasData, view: ViewState) -> AtlasData:
    """``data`` as it stood on the view's day (kept per load for :data:`DATED_KEPT` days)."""
    day = view_day(data, view)
    if day is None or data.as_of == day:
        return data
    source = data.memo.get("source", lambda: data)  # dated bundles keep their source's memo
    cache = source.memo.get("dated", lambda: Bounded(dated_kept(len(source.network.programmes))))
    on = cache.get(day, lambda: _dated(source, day))
    # What the caller attached to its bundle (the changes baselines of an export, a
    # playback's shared classes) is not the cached bundle's: it goes with the answer.
    attached = {name: getattr(data, name) for name in ATTACHED
                if getattr(data, name) is not getattr(on, name)}
    return replace(on, **attached) if attached else on


def _dated(data: AtlasData, day: date) -> AtlasData:
    network = network_on(data.network, day)
    memo = Memo()
    memo.get("source", lambda: data)
    # The dated network differs in its statuses and open posts only: the programmes' other
    # columns, and their long tables, are the source's.
    index = prepared_index(network, data.filter_index, changed=("status",))
    return replace(data, network=network, filter_index=index, memo=memo, as_of=day)

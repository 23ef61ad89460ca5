"""The data being served: one immutable AtlasData, swapped in one step on reload."""

from __future__ import annotations

import threading

from dashboard.data import AtlasData
from dashboard.urlstate import Controls, ViewState, Vocabulary, from_controls


class DataStore:
    """Holds the current :class:`AtlasData`; readers always see one whole version."""

    def __init__(self, data: AtlasData):
        self._lock = threading.Lock()
        self._data = data
        self._vocabulary = self._make_vocabulary(data)

    @staticmethod
    def _make_vocabulary(data: AtlasData) -> Vocabulary:
        return Vocabulary(
            themes=frozenset(data.network.themes["theme_id"]),
            regions=frozenset(data.region_of.unique()),
            countries=frozenset(data.countries["iso3"]),
            posts=frozenset(data.network.posts["post_id"]),
        )

    def current(self) -> AtlasData:
        """The data to answer the current request with."""
        return self._data

    def vocabulary(self) -> Vocabulary:
        """The ids a URL may name for the current data."""
        return self._vocabulary

    def view(self, controls: Controls, **view_fields) -> ViewState:
        """The view the filter controls show on the current data (``view_fields``: selected
        country or post, language, map position)."""
        return from_controls(controls, self.current().year_bounds, self.vocabulary(),
                             **view_fields)

    def replace(self, data: AtlasData) -> None:
        """Serve ``data`` from now on."""
        vocabulary = self._make_vocabulary(data)
        with self._lock:
            self._data, self._vocabulary = data, vocabulary

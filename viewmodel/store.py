"""The data being served: one immutable AtlasData, swapped in one step on reload."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState, Vocabulary, view_from_controls


class DataStore:
    """Holds the current :class:`AtlasData`; readers always see one whole version."""

    def __init__(self, data: AtlasData):
        self._lock = threading.Lock()
        self._data = data
        self._vocabulary = Vocabulary.of(data)
        #: Where the changes mode finds its baselines (``options(lang)``, ``baseline(key)``:
        #: :class:`dataversions.baselines.Baselines`); None: no baseline offered.
        self.baselines = None

    def current(self) -> AtlasData:
        """The data to answer the current request with."""
        return self._data

    def vocabulary(self) -> Vocabulary:
        """The ids a URL may name for the current data."""
        return self._vocabulary

    def view(self, controls: Mapping[str, object], **view_fields) -> ViewState:
        """The view the controls show (control key -> widget value) on the current data
        (``view_fields``: selected country or post, language, map position)."""
        return view_from_controls(controls, self.vocabulary(), **view_fields)

    def replace(self, data: AtlasData) -> None:
        """Serve ``data`` from now on."""
        vocabulary = Vocabulary.of(data)
        with self._lock:
            self._data, self._vocabulary = data, vocabulary

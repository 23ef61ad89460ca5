"""The data being served: one immutable AtlasData, swapped in one step on reload, and cut to
the scope of the request's user (:mod:`viewmodel.access`) before anyone reads it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import replace

from viewmodel.access import scope_countries, scoped_data, scoped_source
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState, Vocabulary, view_from_controls

#: Gives the scope tokens of the current request's user (None: unscoped).
ScopeOfRequest = Callable[[], "tuple[str, ...] | None"]


def _unscoped() -> None:
    return None


class DataStore:
    """Holds the current :class:`AtlasData`; readers always see one whole version, cut to
    their scope (``scope_of_request``, set by the web app: the tokens of the request's user;
    unscoped by default, as in the CLI and the tests)."""

    def __init__(self, data: AtlasData, scope_of_request: ScopeOfRequest = _unscoped):
        self._lock = threading.Lock()
        self._data = data
        self._vocabulary = Vocabulary.of(data)
        self.scope_of_request = scope_of_request
        #: Where the changes mode finds its baselines (``options(lang)``, ``baseline(key)``:
        #: :class:`dataversions.baselines.Baselines`); None: no baseline offered.
        self._baselines = None

    def served(self) -> AtlasData:
        """The whole data being served, whatever the request's scope (health, reloads)."""
        return self._data

    def scope(self, data: AtlasData | None = None) -> frozenset[str] | None:
        """The countries the current request may see (None: all)."""
        tokens = self.scope_of_request()
        if tokens is None:
            return None
        data = data or self._data
        return data.memo.get(("scope", tokens), lambda: scope_countries(tokens, data))

    def current(self) -> AtlasData:
        """The data to answer the current request with: cut to its user's scope."""
        data = self._data
        return scoped_data(data, self.scope(data))

    def vocabulary(self) -> Vocabulary:
        """The ids a URL may name for the current request (its scope's countries only)."""
        data = self.current()
        if data.scope is None:
            return self._vocabulary
        def build() -> Vocabulary:
            vocabulary = Vocabulary.of(data)
            return replace(vocabulary, countries=vocabulary.countries & data.scope)

        return data.memo.get("vocabulary", build)

    def with_scope(self, tokens: tuple[str, ...] | None) -> DataStore:
        """The same data as one fixed scope sees it (a background job's user: ``tokens``,
        None for unscoped, ``()`` for nothing)."""
        store = DataStore(self._data, scope_of_request=lambda: tokens)
        store._vocabulary, store._baselines = self._vocabulary, self._baselines
        return store

    def vocabulary_of_all(self) -> Vocabulary:
        """The ids of the whole data served (what a link may name, in or out of scope)."""
        return self._vocabulary

    @property
    def baselines(self):
        """The baselines of the changes mode, cut to the current request's scope."""
        if self._baselines is None:
            return None
        return scoped_source(self._baselines, self.current())

    @baselines.setter
    def baselines(self, source) -> None:
        self._baselines = source

    def view(self, controls: Mapping[str, object], **view_fields) -> ViewState:
        """The view the controls show (control key -> widget value) on the current data
        (``view_fields``: selected country or post, language, map position); a country or a
        post out of the request's scope is not selected."""
        vocabulary = self.vocabulary()
        view = view_from_controls(controls, vocabulary, **view_fields)
        if self.current().scope is not None:
            if view.country is not None and view.country not in vocabulary.countries:
                view = replace(view, country=None)
            if view.post is not None and view.post not in vocabulary.posts:
                view = replace(view, post=None)
        return view

    def replace(self, data: AtlasData) -> None:
        """Serve ``data`` from now on."""
        vocabulary = Vocabulary.of(data)
        with self._lock:
            self._data, self._vocabulary = data, vocabulary

"""Map layers: one module each, registered here in drawing order (bottom to top).

Each module exposes ``LAYER_ID``, a builder for its static GeoJSON (``features``), its per-view
style inputs (``hideout``), its Dash-Leaflet ``component`` and, where it has one, its ``legend``.
"""

from layers import countries, coverage, links, posts, programmes, small_states

LAYERS = (countries, links, small_states, posts)

__all__ = ["LAYERS", "countries", "coverage", "links", "posts", "programmes",
           "small_states"]

"""Map layers: one module each, registered here in drawing order (bottom to top).

Every layer module declares

- ``LAYER_ID`` (its component id), ``FILE`` (the name its static GeoJSON is served under),
  ``TOGGLE`` (its name in the URL's ``layers`` key, or None when it is always drawn),
  optionally ``FILE_TYPE = "topojson"`` when ``features`` give a TopoJSON topology (the
  country shapes; default ``geojson``),
  ``FOLLOWS_FILTERS`` (False when its hideout depends only on the display: the layer toggles,
  the mode and the language; a filter change then does not resend it);
- ``features(countries, network)``: its static GeoJSON, built once per data load;
- ``hideout(data, view, figures)``: its per-view style values, computed once in Python
  (colours, classes, sizes, which names show); the browser's style functions
  (``assets/atlas.js``) and the export's drawing read them and derive nothing;
- ``legend(hideout, view)``: its legend block, or None;
- ``component(url, hideout)``: its dash-leaflet component (Dash is imported only there);
- ``draw(canvas, hideout)``: its drawing on an export's map
  (``exports.mapdraw.MapCanvas``).

The map's children, the callback's outputs, the legend and the export's drawing loop over
:data:`LAYERS`; see ``docs/architecture.md`` for adding one.
"""

from layers import countries, coverage, labels, links, posts, programmes, small_states

LAYERS = (countries, links, small_states, posts, labels)
#: The layers a user may turn on and off, by their ``layers`` URL name.
TOGGLED = {layer.TOGGLE: layer for layer in LAYERS if layer.TOGGLE}

__all__ = ["LAYERS", "TOGGLED", "countries", "coverage", "labels", "links", "posts",
           "programmes", "small_states"]

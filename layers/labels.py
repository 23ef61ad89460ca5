"""Country names on the map, in the page's language, placed at the geometries' label points.

Which names show is decided here, for the screen and the exports alike: the selected country
(and the selected post's countries) always, then the countries that carry the most of what is
shown (programme count or budget in programmes mode, covered countries in coverage mode), then
every other country by size. The screen shows the first :data:`WORLD_LABELS` of that order at
world zoom and every name from :data:`ALL_FROM_ZOOM` on; both drop a name that would overlap
one placed before it (the browser after each zoom or move, the export on its page).
Turning the layer off hides every name but the selection's.
"""

from __future__ import annotations

import geopandas as gpd

from geodata.network import Network
from layers import countries as countries_layer
from layers import palette
from layers._base import feature_collection, geojson_component

LAYER_ID = "layer-labels"
FILE = "labels"
TOGGLE = "labels"
FOLLOWS_FILTERS = True  # its hideout changes with the filters
WORLD_LABELS = 40
ALL_FROM_ZOOM = 4
SENT_ORDER = WORLD_LABELS
#: The hideout's keys the page applies to the names already drawn (``atlas.layers``'
#: ``applyLive``): a new placing order alone does not draw the 250 names again.
LIVE_KEYS = ("order",)
#: Text sizes on screen (CSS pixels, assets/atlas.css) and on an export (points).
STYLE = {"size_px": 12, "size_pt": 7.0, "selected_size_pt": 9.5, "color": "#2b2b2b",
         "halo": "#ffffff", "halo_pt": 2.2}
EQUAL_AREA = "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m +no_defs"


def features(countries: gpd.GeoDataFrame, network: Network) -> dict:
    """One point per country at its label point, with both names and its size rank (0 for
    the largest; small states last)."""
    area = countries.geometry.set_crs("EPSG:4326", allow_override=True).to_crs(EQUAL_AREA).area
    order = sorted(range(len(countries)),
                   key=lambda i: (bool(countries["small"].iloc[i]), -float(area.iloc[i])))
    rank = {position: place for place, position in enumerate(order)}
    return feature_collection([
        {"type": "Feature", "id": row.iso3,
         "properties": {"id": row.iso3, "name_fr": row.name_fr, "name_en": row.name_en,
                        "rank": rank[position]},
         "geometry": {"type": "Point", "coordinates": [float(row.label_lon),
                                                       float(row.label_lat)]}}
        for position, row in enumerate(countries.itertuples(index=False))
    ])


def _by_size(data) -> list[str]:
    """Every country, largest first (small states last), once per data load."""
    return data.memo.get("labels_by_size", lambda: [
        feature["id"] for feature in sorted(data.labels["features"],
                                            key=lambda f: f["properties"]["rank"])])


def priority(data, view, values: dict[str, float], outlined: list[str]) -> list[str]:
    """The countries in the order their names are placed: the ``outlined`` ones, then by what
    the map shows (``values``, the figure per country, in programmes mode; the covered
    countries in coverage mode), then the other countries by size (small states left out)."""
    by_size = _by_size(data)
    if view.mode == "programmes":
        place = {iso3: position for position, iso3 in enumerate(by_size)}
        shown = sorted((iso3 for iso3, value in values.items() if value > 0),
                       key=lambda iso3: (-values[iso3], place.get(iso3, len(place))))
    else:
        covered = countries_layer.coverage_states(data)
        shown = [iso3 for iso3 in by_size if iso3 in covered]
    # The other countries by size; a small state's name only when it carries something.
    small = data.memo.get("labels_small", lambda: set(
        data.countries.loc[data.countries["small"].to_numpy(), "iso3"]))
    rest = [iso3 for iso3 in by_size if iso3 not in small]
    return list(dict.fromkeys([*outlined, *shown, *rest]))


def hideout(data, view, figures) -> dict:
    """Which names the screen may show and how: ``order`` (the placing order's first
    :data:`SENT_ORDER` names; the first :data:`WORLD_LABELS` at world zoom), ``selected``
    (always shown), ``show`` (the layer's toggle), ``lang`` and the text style."""
    selected = countries_layer.outlined_countries(data, view.country, view.post)
    values = figures.budgets if view.metric == "budget" else figures.counts
    order = priority(data, view, values, selected)
    # Past the first names the browser falls back on the size rank the features carry: the
    # order stays short on the wire.
    return {"show": TOGGLE in view.layers, "lang": view.lang, "order": order[:SENT_ORDER],
            "world_labels": WORLD_LABELS, "all_from_zoom": ALL_FROM_ZOOM,
            "selected": selected, **{key: STYLE[key] for key in ("color", "halo")}}


def legend(hideout_value: dict, view) -> None:
    """Names need no legend."""
    return None


def component(url: str, hideout_value: dict):
    """The names layer (text markers, not interactive)."""
    return geojson_component(LAYER_ID, url, hideout_value, pointToLayer="labelMarker",
                             filter="labelVisible", interactive=False)


def draw(canvas, hideout_value: dict) -> None:
    """The names on an export's map: every country of the extent whose name has room (no
    overlap with a name placed before it, inside the map), in :func:`priority` order; the
    selected countries' names always, in bold. Each name is measured (sizes kept by the
    page's fonts) before any text is made, so only the names kept are drawn (with a halo,
    from outlines the page's fonts keep); the label points are projected once per data load
    and projection."""
    import numpy as np

    names = canvas.data.memo.get("labels_by_id", lambda: {
        f["id"]: f for f in canvas.data.labels["features"]})
    selected = set(hideout_value["selected"])
    values = canvas.hideouts[countries_layer.LAYER_ID]["values"]
    order = [iso3 for iso3 in (priority(canvas.data, canvas.view, values,
                                        hideout_value["selected"])
                               if hideout_value["show"] else hideout_value["selected"])
             if iso3 in names]
    if not order:
        return
    points_of = canvas.projected("labels", lambda: _projected(canvas, names))
    xs, ys = (np.array([points_of[iso3][axis] for iso3 in order]) for axis in (0, 1))
    points = canvas.ax.transData.transform(np.column_stack([xs, ys]))
    frame = canvas.ax.get_window_extent(canvas.renderer())
    sizes = {False: STYLE["size_pt"], True: STYLE["selected_size_pt"]}
    to_pixels = canvas.ax.figure.dpi / 72
    pad_x, pad_y = 1.08, 1.15
    placed: list[tuple[float, float, float, float]] = []
    kept: list[tuple] = []
    name_key = "name_en" if canvas.view.lang == "en" else "name_fr"
    for iso3, x, y, (px, py) in zip(order, xs, ys, points, strict=True):
        if not canvas.contains(x, y):
            continue
        is_selected = iso3 in selected
        label = names[iso3]["properties"][name_key]
        width, height = canvas.text_size(label, sizes[is_selected], is_selected)
        half_w = width * pad_x / 2 + STYLE["halo_pt"] * to_pixels / 2
        half_h = height * pad_y / 2 + STYLE["halo_pt"] * to_pixels / 2
        box = (px - half_w, py - half_h, px + half_w, py + half_h)
        inside = (box[0] >= frame.x0 and box[2] <= frame.x1 and box[1] >= frame.y0
                  and box[3] <= frame.y1)
        overlaps = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                       for b in placed)
        if not is_selected and (not inside or overlaps):
            continue
        placed.append(box)
        kept.append((x, y, label, sizes[is_selected], is_selected,
                     palette.SELECTED_OUTLINE if is_selected else hideout_value["color"]))
    canvas.halo_texts(kept, hideout_value["halo"], STYLE["halo_pt"], zorder=6)


def _projected(canvas, names: dict) -> dict:
    """Every label point in the canvas's projection, by iso3."""
    ids = list(names)
    lons, lats = zip(*(names[iso3]["geometry"]["coordinates"] for iso3 in ids), strict=True)
    xs, ys = canvas.project(lons, lats)
    return {iso3: (float(x), float(y)) for iso3, x, y in zip(ids, xs, ys, strict=True)}

"""Country polygons, coloured by coverage or by programmes.

The shapes are sent once per page load, by URL, gzip-compressed, as the TopoJSON topology the
build wrote (``geodata.countries.TOPOLOGY_FILE``: shared borders stored once, quantised) with
each country's properties for the current data; the browser decodes it
(``atlasShapes.load`` in ``assets/shapes.js``, with the vendored ``topojson-client``) into
the layer's ``data``. A filter change only writes :func:`hideout`, which holds every
country's fill and the outlined countries, computed here: the client-side
``atlas.layers.countryStyle`` and the export's :func:`draw` read the same values and derive
nothing.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd

from geodata.countries import TOPOLOGY_OBJECT, load_topology
from geodata.filters import coverage_table
from geodata.i18n import describe, t
from geodata.network import HOME_COUNTRY, Network
from layers import changes, coverage, palette, programmes
from layers._base import (
    EVERY_KEY,
    Figures,
    Legend,
    LegendEntry,
    country_properties,
    geojson_component,
)
from viewmodel.urlstate import METRICS, MODES

LAYER_ID = "layer-countries"
FILE = "countries"
FILE_TYPE = "topojson"  # served as /atlas-data/countries.topojson (the others: .geojson)
TOGGLE = None  # always drawn
FOLLOWS_FILTERS = True  # its hideout changes with the filters
#: The page restyles the paths as drawn with every new hideout value (``atlas.layers``'
#: ``applyLive``, Leaflet's ``setStyle``): a filter change does not draw the 250 paths again.
LIVE_KEYS = EVERY_KEY
#: Line widths, screen pixels and export points.
STYLE = {"border_px": 0.6, "border_pt": 0.35, "selected_px": 2.5, "selected_pt": 1.6}


def features(countries: gpd.GeoDataFrame, network: Network, topology: dict | None = None
             ) -> dict:
    """The TopoJSON topology sent to the browser: the built shapes (``topology``, default the
    shipped file) of the countries of ``countries``, in its order, each with id, names,
    covering post and city, coverage state. Built once per data load.

    Raises ``ValueError`` naming the countries the topology lacks.
    """
    topology = topology or load_topology()
    shapes = {g["id"]: g for g in topology["objects"][TOPOLOGY_OBJECT]["geometries"]}
    props = country_properties(countries, network).to_dict("records")
    missing = [p["id"] for p in props if p["id"] not in shapes]
    if missing:
        raise ValueError(f"the country shapes file has no shape for {', '.join(missing)}; "
                         "rebuild it with python -m tools.build_countries")
    geometries = [{"type": shapes[p["id"]]["type"], "arcs": shapes[p["id"]]["arcs"],
                   "id": p["id"], "properties": p} for p in props]
    return {**{k: v for k, v in topology.items() if k != "metadata"},
            "objects": {TOPOLOGY_OBJECT: {"type": "GeometryCollection",
                                          "geometries": geometries}}}


@lru_cache(maxsize=2048)
def _programmes_line(count: int, lang: str) -> str:
    """The tooltip's "7 programmes ..." line (formatting numbers costs more than the rest)."""
    return describe("tooltip.programmes", lang, {"n": count})


def coverage_states(data) -> dict[str, str]:
    """``host`` or ``regional`` per covered country (iso3), once per data load."""
    return data.memo.get("coverage_states",
                         lambda: coverage_table(data.network)["status"].to_dict())


def outlined_countries(data, selected: str | None, selected_post: str | None) -> list[str]:
    """The selected country and every country covered by the selected post, sorted."""
    outlined = {selected} if selected else set()
    if selected_post:
        table = coverage_table(data.network)
        outlined |= set(table.index[table["post_id"] == selected_post])
    return sorted(outlined)


def hideout(data, view, figures: Figures) -> dict:
    """The per-view style values of the country layers (polygons and small-state markers):
    every country's fill as ``classes`` (iso3 -> index into ``fill_colors``; a country absent
    there takes ``default_fill``), ``outlined`` (the
    selected country, or the selected post's countries), the classes behind the fills
    (``values``, ``breaks``, ``colors``, for the legend), the counts and the tooltip words."""
    mode = view.mode if view.mode in MODES else "coverage"
    metric = view.metric if view.metric in METRICS else "count"
    values = figures.budgets if metric == "budget" else figures.counts
    if mode == "programmes":
        style = programmes.hideout(values, getattr(data, "class_breaks", None))
        style["legend_title"] = programmes.legend_title(metric, view.lang,
                                                        filter_words(data, view))
        classes = programmes.country_classes(values, style)
        fill_colors = style["colors"]
    elif mode == "changes":
        style = {"legend_title": figures.changes_title or t("legend.title.changes", view.lang),
                 "present": sorted(set(figures.changes.values()))}
        classes = changes.country_classes(figures.changes)
        fill_colors = changes.class_colors()
    else:
        style = coverage.hideout()
        classes = coverage.country_classes(coverage_states(data))
        fill_colors = coverage.class_colors()
    fill_colors = [*fill_colors, palette.HOME]
    classes = {**classes, HOME_COUNTRY: len(fill_colors) - 1}
    scope = getattr(data, "scope", None)
    if scope is not None:  # out of scope: one neutral tone, no figure (the data has none)
        fill_colors.append(palette.OUT_OF_SCOPE)
        classes.update({iso3: len(fill_colors) - 1 for iso3 in data.names if iso3 not in scope})
    return {
        "mode": mode,
        "metric": metric,
        "counts": figures.counts,
        "values": {k: round(v) for k, v in values.items()},
        "classes": classes,
        "fill_colors": fill_colors,
        "default_fill": palette.NONE,
        "outlined": outlined_countries(data, view.country, view.post),
        "selected": view.country,
        "selected_post": view.post,
        "lang": view.lang,
        "border": palette.BORDER,
        "outline": palette.SELECTED_OUTLINE,
        "border_px": STYLE["border_px"],
        "selected_px": STYLE["selected_px"],
        "text": {k: t(f"tooltip.{k}", view.lang)
                 for k in ("host_of", "covered_from", "not_covered", "out_of_scope")},
        "scoped": scope is not None,
        "home_shown": scope is None or HOME_COUNTRY in scope,
        # "1 programme ...", "7 programmes ...": the tooltip's line for each count on the map
        "programmes_text": {str(n): _programmes_line(n, view.lang)
                            for n in sorted({0, *map(int, figures.counts.values())})},
        **style,
    }


def filter_words(data, view) -> list[str]:
    """The chosen values of the filters an export's title names, in words (themes, types,
    statuses, years), for the legend's title."""
    from viewmodel.filters import FILTERS, chosen_values

    chosen = chosen_values(view.filters)
    return [spec.title_words(data, chosen[spec.key], view.lang) for spec in FILTERS
            if spec.in_title]


def fill_of(hideout_value: dict, iso3: str) -> str:
    """The fill of one country, as the browser draws it (``atlas.layers.countryStyle``)."""
    index = hideout_value["classes"].get(iso3)
    return hideout_value["default_fill"] if index is None else hideout_value["fill_colors"][index]


def legend(hideout_value: dict, view) -> Legend:
    """The colouring's legend: the programmes classes, or the coverage states."""
    if hideout_value["mode"] == "programmes":
        colouring = programmes.legend(hideout_value, hideout_value["metric"], view.lang,
                                      hideout_value["legend_title"])
    elif hideout_value["mode"] == "changes":
        colouring = changes.legend(hideout_value["legend_title"],
                                   set(hideout_value["present"]), view.lang)
    else:
        colouring = coverage.legend(view.lang)
    entries = list(colouring.entries)
    if hideout_value.get("home_shown", True):
        entries.append(LegendEntry(color=palette.HOME, label=t("legend.home", view.lang)))
    if hideout_value.get("scoped"):
        entries.append(LegendEntry(color=palette.OUT_OF_SCOPE,
                                   label=t("legend.out_of_scope", view.lang)))
    return Legend(colouring.title, tuple(entries))


def component(url: str, hideout_value: dict):
    """The polygons layer. Its shapes come from ``url`` (a topology) through the client-side
    callback that decodes them into its ``data`` (``dashboard.callbacks.map``), which reads the
    URL from the layout's ``ids.COUNTRY_SHAPES`` store, not from the component."""
    return geojson_component(LAYER_ID, None, hideout_value, style="countryStyle",
                             onEachFeature="countryEachFeature",
                             events={"mouseover": "highlightPost", "mouseout": "unhighlightPost"},
                             bubblingMouseEvents=False)


def draw(canvas, hideout_value: dict) -> None:
    """The polygons on an export's map, filled and outlined from the same hideout."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import PathPatch

    shapes = canvas.shapes
    canvas.ax.add_collection(PathCollection(
        list(shapes.paths), facecolors=[fill_of(hideout_value, i) for i in shapes.iso3],
        edgecolors=hideout_value["border"], linewidths=STYLE["border_pt"], zorder=1,
    ))
    for iso3 in hideout_value["outlined"]:
        if iso3 in shapes.iso3:
            canvas.ax.add_patch(PathPatch(shapes.paths[shapes.iso3.index(iso3)],
                                          facecolor="none", edgecolor=hideout_value["outline"],
                                          linewidth=STYLE["selected_pt"], zorder=2))

"""Posts: a marker at each embassy, sized by staff, with a tooltip (the post's name in each
language, its id, staff by corps, number of covered countries). The radius is computed here,
once per data load, and read by the browser and the export alike."""

from __future__ import annotations

import math

import geopandas as gpd

from geodata.i18n import count_text, describe, of_place, t
from geodata.network import Network
from layers import palette
from layers._base import (
    PT_PER_PX,
    Legend,
    LegendEntry,
    closed_posts,
    feature_collection,
    geojson_component,
)

LAYER_ID = "layer-posts"
FILE = "posts"
TOGGLE = "posts"
FOLLOWS_FILTERS = False  # its hideout follows the display (toggles, mode, language, regions)
#: Quieter in programmes mode, where the fills carry the message.
STYLE = {"edge_px": 1.0, "fill_opacity": {"coverage": 0.9, "programmes": 0.6},
         "dimmed_opacity": 0.18}
#: The staff shown in the legend's size key.
KEY_STAFF = (2, 5, 15)


def radius_px(staff: int) -> float:
    """A post marker's radius in screen pixels: ``2 + 1.2 * sqrt(staff)``."""
    return round(2 + 1.2 * math.sqrt(max(int(staff), 0)), 2)


def features(countries: gpd.GeoDataFrame, network: Network) -> dict:
    """One Point feature per post, with its marker radius."""
    names = {iso3: (fr, en) for iso3, fr, en in zip(countries["iso3"], countries["name_fr"],
                                                     countries["name_en"], strict=True)}
    covered = network.coverage.groupby("post_id")["country_iso3"].size()
    features = []
    for post in network.posts.itertuples(index=False):
        name_fr, name_en = names.get(post.country_iso3, (post.country_iso3,) * 2)
        features.append(
            {
                "type": "Feature",
                "id": post.post_id,
                "geometry": {"type": "Point", "coordinates": [float(post.lon), float(post.lat)]},
                "properties": {
                    "id": post.post_id,
                    "city": post.city,
                    "city_en": post.city_en,
                    "title_fr": describe("panel.post.title", "fr",
                                         {"of_city": of_place(post.city, "fr", post.city_fr_of)}),
                    "title_en": describe("panel.post.title", "en",
                                         {"of_city": of_place(post.city_en, "en")}),
                    "country": post.country_iso3,
                    "country_fr": name_fr,
                    "country_en": name_en,
                    "staff": int(post.staff_total),
                    "police": int(post.staff_police),
                    "gendarmerie": int(post.staff_gendarmerie),
                    "civil_security": int(post.staff_civil_security),
                    "covered": int(covered.get(post.post_id, 0)),
                    "radius": radius_px(post.staff_total),
                },
            }
        )
    return feature_collection(features)


def outside_regions(data, regions) -> list[str]:
    """The posts that cover no country of ``regions`` (none when no region is chosen): dimmed
    on screen, left out of exports."""
    if not regions:
        return []
    key = ("posts-outside", tuple(sorted(set(regions))))
    return list(data.memo.get(key, lambda: _outside(data, key[1])))


def _outside(data, regions: tuple[str, ...]) -> tuple[str, ...]:
    members = data.regions.countries_of(regions)
    coverage = data.network.coverage
    inside = set(coverage.loc[coverage["country_iso3"].isin(members), "post_id"])
    return tuple(sorted(set(data.network.posts["post_id"]) - inside))


def hideout(data, view, figures=None) -> dict:
    """Visibility, colours, the posts outside the chosen regions and the tooltip's words for
    the current language."""
    texts, key = data.memo.get(("posts-words", view.lang), lambda: _words(view.lang))
    return {"show": TOGGLE in view.layers, "lang": view.lang,
            "outside": outside_regions(data, view.filters.regions),
            "dimmed_opacity": STYLE["dimmed_opacity"],
            "text": dict(texts),
            "fill": palette.POST_MARKER_FILL, "stroke": palette.POST_MARKER,
            "edge_px": STYLE["edge_px"],
            "fill_opacity": STYLE["fill_opacity"].get(view.mode, 0.9),
            "hidden": closed_posts(data),
            "key": [{"radius": radius, "label": label} for radius, label in key]}


def _words(lang: str) -> tuple[tuple, tuple]:
    """The tooltip's words and the size key's (radius, label) pairs in ``lang`` (built once
    per data load and language: a filter change sends them again unchanged)."""
    keys = ("staff", "police", "gendarmerie", "civil_security", "countries")
    return (tuple((k, t(f"tooltip.{k}", lang)) for k in keys),
            tuple((radius_px(staff), count_text("legend.staff", staff, lang))
                  for staff in KEY_STAFF))


def legend(hideout_value: dict, view) -> Legend | None:
    """The posts' size key ("2 agents", "5 agents", "15 agents"), when they are shown."""
    if not hideout_value["show"]:
        return None
    return Legend(title=t("legend.post", view.lang), entries=tuple(
        LegendEntry(color=hideout_value["fill"], label=entry["label"], shape="circle",
                    outline=_KEY_OUTLINE, size=entry["radius"])
        for entry in hideout_value["key"]), inline=True)


# The key's circles sit on the page's white: a dark outline, where the map's are white.
_KEY_OUTLINE = "#555555"


def component(url: str, hideout_value: dict):
    """The posts layer (circle markers of the radius the features carry)."""
    return geojson_component(LAYER_ID, url, hideout_value, pointToLayer="postMarker",
                             filter="layerVisible", onEachFeature="postEachFeature",
                             bubblingMouseEvents=False)


def draw(canvas, hideout_value: dict) -> None:
    """The markers on an export's map, largest first so that small ones stay visible (the
    posts projected once per data load and projection)."""
    if not hideout_value["show"]:
        return
    hidden = set(hideout_value.get("hidden", ()))
    outside = set(hideout_value.get("outside", ()))
    features = sorted((f for f in canvas.data.posts["features"]
                       if f["id"] not in hidden and f["properties"]["id"] not in outside),
                      key=lambda f: -f["properties"]["staff"])
    if not features:
        return
    points = canvas.projected("posts", lambda: _projected(canvas))
    x = [points[f["id"]][0] for f in features]
    y = [points[f["id"]][1] for f in features]
    sizes = [(2 * f["properties"]["radius"] * PT_PER_PX) ** 2 for f in features]
    canvas.ax.scatter(x, y, s=sizes, c=hideout_value["fill"], edgecolors=hideout_value["stroke"],
                      linewidths=STYLE["edge_px"] * PT_PER_PX,
                      alpha=hideout_value["fill_opacity"], zorder=5)


def _projected(canvas) -> dict:
    """Every post of the layer file in the canvas's projection, by feature id."""
    features = canvas.data.posts["features"]
    xs, ys = canvas.project([f["geometry"]["coordinates"][0] for f in features],
                            [f["geometry"]["coordinates"][1] for f in features])
    return {f["id"]: (float(x), float(y)) for f, x, y in zip(features, xs, ys, strict=True)}

"""Posts: a marker at each embassy, sized by staff, with a tooltip (the post's name in each
language, its id, staff by corps, number of covered countries)."""

from __future__ import annotations

import dash_leaflet as dl

from geodata.i18n import describe, of_place, t
from geodata.network import Network
from layers import palette
from layers._base import JS, Legend, LegendEntry, feature_collection

LAYER_ID = "layer-posts"


def features(network: Network, countries_names: dict[str, tuple[str, str]]) -> dict:
    """One Point feature per post. ``countries_names`` maps iso3 to (French, English) names."""
    covered = network.coverage.groupby("post_id")["country_iso3"].size()
    features = []
    for post in network.posts.itertuples(index=False):
        name_fr, name_en = countries_names.get(post.country_iso3, (post.country_iso3,) * 2)
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
                },
            }
        )
    return feature_collection(features)


def hideout(*, show: bool, lang: str) -> dict:
    """Visibility and the tooltip's words for the current language."""
    keys = ("staff", "police", "gendarmerie", "civil_security", "countries")
    return {"show": bool(show), "lang": lang,
            "text": {k: t(f"tooltip.{k}", lang) for k in keys},
            "fill": palette.POST_MARKER_FILL, "stroke": palette.POST_MARKER}


def component(url: str, hideout_value: dict) -> dl.GeoJSON:
    """The posts layer (circle markers, radius growing with the square root of staff)."""
    return dl.GeoJSON(
        id=LAYER_ID,
        url=url,
        hideout=hideout_value,
        pointToLayer=JS("postMarker"),
        filter=JS("layerVisible"),
        onEachFeature=JS("postEachFeature"),
        bubblingMouseEvents=False,
    )


def legend(lang: str) -> Legend:
    """The posts' legend row."""
    return Legend(title="", entries=(LegendEntry(color=palette.POST_MARKER_FILL,
                                                 label=t("legend.post", lang), shape="circle",
                                                 outline=palette.POST_MARKER),))

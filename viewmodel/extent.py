"""Extents the map is moved to: the world, a selection (country or post area), the chosen
regions. Each is ``[[south, west], [north, east]]`` in degrees, as Leaflet takes bounds."""

from __future__ import annotations

import math

from shapely import box, unary_union
from shapely.geometry.base import BaseGeometry

from viewmodel.data import AtlasData

#: The inhabited world, Cape Horn to the Arctic coasts, Alaska to Fiji: the map fits it to the
#: window at any size (the world view) and the world's exports frame it.
WORLD_BOUNDS = [[-56.0, -168.0], [78.0, 180.0]]


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def mercator_middle(bounds) -> tuple[float, float]:
    """(lat, lon) of the middle of ``bounds`` in Web Mercator, where Leaflet centres a map
    fitted to them."""
    (south, west), (north, east) = bounds
    middle = (_mercator_y(north) + _mercator_y(south)) / 2
    return math.degrees(math.atan(math.sinh(middle))), (west + east) / 2


def world_center() -> tuple[float, float]:
    """(lat, lon) where the map centres the world view: the middle of :data:`WORLD_BOUNDS`."""
    return mercator_middle(WORLD_BOUNDS)


def world_view() -> dict:
    """The world view as the browser checks it, ``{"center": [lat, lon], "max_zoom"}``: a map
    centred on :func:`world_center` (within half a degree) at ``max_zoom`` or wider shows the
    world, whatever zoom the window's size gave it, and a link to it needs no lat/lon/zoom."""
    return {"center": list(world_center()), "max_zoom": WORLD_MAX_ZOOM}


def home_bounds(data: AtlasData) -> list[list[float]]:
    """Where the map opens and where a reset brings it back: the world, or for a user limited
    to a scope the countries of that scope (its covered ones, as :func:`region_focus`)."""
    if not data.scope:
        return WORLD_BOUNDS
    bounds = data.memo.get("home-bounds", lambda: framing(data, data.scope))
    return widened(bounds, HOME_MIN_SPAN) if bounds else WORLD_BOUNDS


def widened(bounds, span: tuple[float, float]) -> list[list[float]]:
    """``bounds`` grown about their middle to at least ``span`` (degrees of longitude,
    latitude): a one-post scope opens on its neighbourhood, not on pixelated coastlines."""
    (south, west), (north, east) = bounds
    grow_x = max(span[0] - (east - west), 0) / 2
    grow_y = max(span[1] - (north - south), 0) / 2
    south, north = max(south - grow_y, -80.0), min(north + grow_y, 84.0)
    return [[round(south, 3), round(west - grow_x, 3)], [round(north, 3), round(east + grow_x, 3)]]


def framing(data: AtlasData, members) -> list[list[float]] | None:
    """Bounds around the covered countries among ``members`` (all of them when none is
    covered): the far islands a region lists (the French Southern Lands for Africa) do not
    stretch the view when no post covers them."""
    covered = set(members) & set(data.network.coverage["country_iso3"])
    return bounds_of(data, sorted(covered or members))


def home_view(data: AtlasData) -> dict:
    """The home view as the browser checks it (see :func:`world_view`): the world's, or the
    middle of a scope's bounds with the zoom they fit in the largest window
    (:data:`LARGEST_WINDOW`), so that the map at home, in any window, records no position in
    the URL."""
    bounds = home_bounds(data)
    if bounds is WORLD_BOUNDS:
        return world_view()
    return {"center": list(mercator_middle(bounds)), "max_zoom": fitted_zoom(bounds)}


def fitted_zoom(bounds, window: tuple[int, int] | None = None) -> float:
    """The zoom at which Leaflet fits ``bounds`` in a window of ``window`` pixels (width,
    height; the largest window by default), before snapping."""
    width, height = window or LARGEST_WINDOW
    (south, west), (north, east) = bounds
    span_x = max(east - west, 1e-6) / 360 * TILE_PIXELS
    span_y = max(_mercator_y(north) - _mercator_y(south), 1e-6) / (2 * math.pi) * TILE_PIXELS
    return round(math.log2(min(width / span_x, height / span_y)), 3)


#: The smallest extent a scoped user's map opens on (degrees of longitude, latitude).
HOME_MIN_SPAN = (36.0, 24.0)
#: The widest window the home view is checked for (a 4K screen, in CSS pixels).
LARGEST_WINDOW = (3840, 2160)
#: Leaflet's world width at zoom 0, in pixels.
TILE_PIXELS = 256
#: The widest window still sees the world view at this zoom or less.
WORLD_MAX_ZOOM = 3.0
#: Gaps up to this many degrees chain a country's parts into the box worth zooming to.
_NEAR_DEGREES = 8.0


def focus_box(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    """The box worth zooming to: the largest part and the parts chained to it by gaps of at most
    a few degrees, so that far territories (French Guiana for France, Hawaii for the United
    States, the Chukotka tip beyond 180°) do not stretch the view to the whole world."""
    parts = sorted(getattr(geometry, "geoms", [geometry]), key=lambda g: g.area, reverse=True)
    half = _NEAR_DEGREES / 2
    grown = unary_union([box(*p.bounds).buffer(half, join_style="mitre") for p in parts])
    cluster = next(g for g in getattr(grown, "geoms", [grown])
                   if g.intersects(parts[0].representative_point()))
    minx, miny, maxx, maxy = cluster.bounds
    return (minx + half, miny + half, maxx - half, maxy - half)


def bounds_of(data: AtlasData, iso3s) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` around the countries' focus boxes; across the
    antimeridian (east beyond 180) when that is much narrower."""
    shapes = data.memo.get("shapes_by_iso3", lambda: data.countries.set_index("iso3").geometry)
    # A country's box is a few unions of its parts (about 1 ms): once per load and country.
    boxes = [data.memo.get(("focus_box", i), lambda i=i: focus_box(shapes[i]))
             for i in iso3s if i in shapes.index and shapes[i] is not None]
    if not boxes:
        return None
    south = min(b[1] for b in boxes)
    north = max(b[3] for b in boxes)
    west, east = min(b[0] for b in boxes), max(b[2] for b in boxes)
    shifted = [(b[0] + 360, b[2] + 360) if b[2] < 0 else (b[0], b[2]) for b in boxes]
    shifted_west, shifted_east = min(s[0] for s in shifted), max(s[1] for s in shifted)
    if shifted_east - shifted_west < (east - west) / 2:
        west, east = shifted_west, shifted_east
    return [[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]]


def region_focus(data: AtlasData, regions) -> dict:
    """Where choosing ``regions`` moves the map: ``{"key", "bounds"}``, bounds around the
    regions' covered countries (all their countries when none is covered); the home view
    (:func:`home_bounds`) when no region is chosen."""
    chosen = sorted(set(regions or ()))
    bounds = framing(data, data.regions.countries_of(chosen)) if chosen else None
    return {"key": "regions:" + ",".join(chosen), "bounds": bounds or home_bounds(data)}

"""The map of an export drawn with matplotlib: the same layers, colours and classes as the
screen (the countries layer's ``hideout`` decides every fill), in a clean projection.

Projection: Equal Earth for the world and for any extent wider than
:data:`EQUAL_EARTH_MIN_SPAN` degrees; Web Mercator (what Leaflet shows) for smaller extents.
The world frame runs from latitude :data:`WORLD_SOUTH` to the pole, Antarctica left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from pyproj import Transformer

from dashboard.data import AtlasData
from geodata.filters import coverage_table
from layers import palette
from layers.classes import class_index
from viewmodel.urlstate import ViewState

EQUAL_EARTH = "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m +no_defs"
WEB_MERCATOR = "EPSG:3857"
EQUAL_EARTH_MIN_SPAN = 120.0
#: An extent this wide (degrees of longitude) is the world: Leaflet's bounds at world zoom.
WORLD_SPAN = 300.0
WORLD_SOUTH = -58.0
MERCATOR_LAT_LIMIT = 85.0
BORDER_WIDTH_PT = 0.35
SELECTED_WIDTH_PT = 1.6
LINK_WIDTH_PT = 0.8
LINK_ALPHA = 0.7
POST_EDGE_PT = 0.8
SMALL_STATE_RADIUS_PT = 2.6
LABEL_SIZE_PT = 9.5
#: Screen circle radii are in CSS pixels (``3 + 1.6 * sqrt(staff)``, assets/atlas.js); one
#: export point per this many pixels keeps markers in proportion on a slide.
MARKER_PT_PER_PX = 0.5


class ExportError(ValueError):
    """A bad export request (unknown format, size, scale, part or extent)."""


class BadBbox(ExportError):
    """An extent that is not ``W,S,E,N`` in degrees with W < E and S < N."""


def check_bbox(bbox) -> tuple[float, float, float, float]:
    """``bbox`` as four floats (west, south, east, north), longitudes clamped to ±180 and
    latitudes to ±90. Raises :class:`BadBbox` with a readable reason."""
    try:
        values = [float(v) for v in bbox]
    except (TypeError, ValueError):
        raise BadBbox(f"bbox must be four numbers W,S,E,N, got {bbox!r}") from None
    if len(values) != 4:
        raise BadBbox(f"bbox must be four numbers W,S,E,N, got {len(values)}")
    if not all(math.isfinite(v) for v in values):
        raise BadBbox("bbox values must be finite numbers")
    west, south, east, north = values
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadBbox(f"bbox latitudes must lie in -90..90, got S={south:g} N={north:g}")
    if not (-540 <= west <= 540 and -540 <= east <= 540):
        raise BadBbox(f"bbox longitudes must lie in -540..540, got W={west:g} E={east:g}")
    west, east = max(west, -180.0), min(east, 180.0)
    if west >= east:
        raise BadBbox(f"bbox west ({west:g}) must be less than east ({east:g})")
    if south >= north:
        raise BadBbox(f"bbox south ({south:g}) must be less than north ({north:g})")
    return west, south, east, north


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"W,S,E,N"`` as checked floats (see :func:`check_bbox`)."""
    return check_bbox([part.strip() for part in str(text).split(",")])


def leaflet_bbox(bounds) -> tuple[float, float, float, float] | None:
    """The (W, S, E, N) of a Leaflet ``bounds`` value ``[[S, W], [N, E]]``; None if unusable."""
    try:
        (south, west), (north, east) = bounds
        return check_bbox((west, south, east, north))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Frame:
    """What the map shows: a projection and the projected limits to fit in the map box."""

    crs: str
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    world: bool

    @property
    def aspect(self) -> float:
        """Width over height of the limits."""
        return (self.xlim[1] - self.xlim[0]) / (self.ylim[1] - self.ylim[0])

    def fitted(self, box_width: float, box_height: float) -> tuple[tuple, tuple]:
        """Limits grown around their centre to the box's shape (equal scale on both axes), so
        the whole requested extent shows and the box is filled."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        box_aspect = box_width / box_height
        if self.aspect < box_aspect:
            half = (y1 - y0) * box_aspect / 2
            centre = (x0 + x1) / 2
            return (centre - half, centre + half), (y0, y1)
        half = (x1 - x0) / box_aspect / 2
        centre = (y0 + y1) / 2
        return (x0, x1), (centre - half, centre + half)


def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _densified_box(west: float, south: float, east: float, north: float, steps: int = 64):
    """The outline of a lon/lat box, with points along every edge (curved once projected)."""
    lons = np.linspace(west, east, steps)
    lats = np.linspace(south, north, steps)
    xs = np.concatenate([lons, np.full(steps, east), lons[::-1], np.full(steps, west)])
    ys = np.concatenate([np.full(steps, south), lats, np.full(steps, north), lats[::-1]])
    return xs, ys


def frame_for(bbox: tuple[float, float, float, float] | None) -> Frame:
    """The frame for an extent (W, S, E, N) in degrees; the world when ``bbox`` is None or
    spans :data:`WORLD_SPAN` degrees of longitude or more."""
    if bbox is not None:
        bbox = check_bbox(bbox)
    if bbox is None or bbox[2] - bbox[0] >= WORLD_SPAN:
        x, y = _transformer(EQUAL_EARTH).transform(*_densified_box(-180, WORLD_SOUTH, 180, 90))
        return Frame(EQUAL_EARTH, (float(min(x)), float(max(x))), (float(min(y)), float(max(y))),
                     world=True)
    west, south, east, north = bbox
    if east - west >= EQUAL_EARTH_MIN_SPAN:
        crs = EQUAL_EARTH
        x, y = _transformer(crs).transform(*_densified_box(west, south, east, north))
    else:
        crs = WEB_MERCATOR
        south = max(south, -MERCATOR_LAT_LIMIT)
        north = min(north, MERCATOR_LAT_LIMIT)
        if north <= south:
            raise BadBbox(f"bbox lies beyond the map's latitude limit (±{MERCATOR_LAT_LIMIT:g})")
        x, y = _transformer(crs).transform([west, east], [south, north])
    return Frame(crs, (float(min(x)), float(max(x))), (float(min(y)), float(max(y))),
                 world=False)


@dataclass(frozen=True)
class ProjectedShapes:
    """Country outlines and label points projected once per (data version, projection)."""

    iso3: tuple[str, ...]
    paths: tuple[Path, ...]
    label_xy: np.ndarray
    small: np.ndarray


def _geometry_path(geometry) -> Path | None:
    """A compound path of a (multi)polygon: exteriors counter-clockwise, holes clockwise."""
    vertices, codes = [], []
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        part = shapely.orient_polygons(part)
        for ring in (part.exterior, *part.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(coords)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def projected_shapes(data: AtlasData, crs: str) -> ProjectedShapes:
    """The country shapes of ``data`` in ``crs``, projected once per data load and projection
    (held by the load's :class:`dashboard.data.Memo`, so they go away with it)."""
    return data.memo.get(("export_shapes", crs), lambda: _project_shapes(data, crs))


def _project_shapes(data: AtlasData, crs: str) -> ProjectedShapes:
    countries = data.countries
    geometry = countries.geometry
    if crs == WEB_MERCATOR:
        geometry = geometry.clip_by_rect(-180, -MERCATOR_LAT_LIMIT, 180, MERCATOR_LAT_LIMIT)
    projected = geometry.set_crs("EPSG:4326", allow_override=True).to_crs(crs)
    paths = [_geometry_path(g) for g in projected]
    keep = [i for i, p in enumerate(paths) if p is not None]
    lx, ly = _transformer(crs).transform(
        countries["label_lon"].to_numpy(dtype=float),
        np.clip(countries["label_lat"].to_numpy(dtype=float), -MERCATOR_LAT_LIMIT,
                MERCATOR_LAT_LIMIT),
    )
    return ProjectedShapes(
        iso3=tuple(countries["iso3"].iloc[keep]),
        paths=tuple(paths[i] for i in keep),
        label_xy=np.column_stack([lx, ly]),
        small=countries["small"].to_numpy(dtype=bool),
    )


def country_fills(data: AtlasData, hideout: dict) -> dict[str, str]:
    """Fill colour per iso3, as ``atlas.layers.countryStyle`` (assets/atlas.js) computes it
    from the same hideout: a programmes class colour, or a coverage state colour."""
    iso3s = data.countries["iso3"]
    if hideout["mode"] == "programmes":
        values, breaks, colors = hideout["values"], hideout["breaks"], hideout["colors"]
        none = hideout["none_color"]
        fills = {}
        for iso3 in iso3s:
            index = class_index(values.get(iso3, 0), breaks)
            fills[iso3] = none if index < 0 else colors[index]
        return fills
    colors = hideout["coverage_colors"]
    states = coverage_table(data.network)["status"]
    return {iso3: colors.get(states.get(iso3, "none"), colors["none"]) for iso3 in iso3s}


def outlined_countries(data: AtlasData, hideout: dict) -> set[str]:
    """The countries drawn with the selection outline, as ``countryStyle`` does: the selected
    country and every country covered by the selected post."""
    outlined = {hideout["selected"]} if hideout.get("selected") else set()
    post = hideout.get("selected_post")
    if post:
        table = coverage_table(data.network)
        outlined |= set(table.index[table["post_id"] == post])
    return outlined


def label_point(data: AtlasData, frame: Frame, iso3: str) -> tuple[float, float]:
    """A country's label point in the frame's projection."""
    shapes = projected_shapes(data, frame.crs)
    index = int(np.flatnonzero(data.countries["iso3"].to_numpy() == iso3)[0])
    x, y = shapes.label_xy[index]
    return float(x), float(y)


def _sea(ax: Axes, frame: Frame, xlim: tuple, ylim: tuple) -> None:
    """The sea: the whole box in Web Mercator, the globe's outline in Equal Earth."""
    if frame.crs == WEB_MERCATOR:
        ax.add_patch(Rectangle((xlim[0], ylim[0]), xlim[1] - xlim[0], ylim[1] - ylim[0],
                               facecolor=palette.SEA, edgecolor="none", zorder=0))
        return
    south = WORLD_SOUTH if frame.world else -90
    x, y = _transformer(frame.crs).transform(*_densified_box(-180, south, 180, 90, steps=181))
    globe = Path(np.column_stack([x, y]), closed=False)
    ax.add_patch(PathPatch(globe, facecolor=palette.SEA, edgecolor="none", zorder=0))


def _links(ax: Axes, data: AtlasData, frame: Frame) -> None:
    transform = _transformer(frame.crs)
    segments = []
    for feature in data.links["features"]:
        (lon0, lat0), (lon1, lat1) = feature["geometry"]["coordinates"]
        if frame.crs == WEB_MERCATOR:
            lons, lats = np.array([lon0, lon1]), np.clip([lat0, lat1], -85, 85)
        else:
            lons, lats = np.linspace(lon0, lon1, 24), np.linspace(lat0, lat1, 24)
        x, y = transform.transform(lons, lats)
        segments.append(np.column_stack([x, y]))
    ax.add_collection(LineCollection(
        segments, colors=palette.LINK, linewidths=LINK_WIDTH_PT, alpha=LINK_ALPHA,
        linestyles=[(0, (4, 3))], zorder=3, capstyle="butt",
    ))


def post_radius_pt(staff: int) -> float:
    """A post marker's radius in points: the screen's ``3 + 1.6 * sqrt(staff)`` pixels."""
    return MARKER_PT_PER_PX * (3 + 1.6 * math.sqrt(max(staff, 0)))


def _posts(ax: Axes, data: AtlasData, frame: Frame) -> None:
    features = sorted(data.posts["features"], key=lambda f: -f["properties"]["staff"])
    if not features:
        return
    lons = np.array([f["geometry"]["coordinates"][0] for f in features], dtype=float)
    lats = np.array([f["geometry"]["coordinates"][1] for f in features], dtype=float)
    x, y = _transformer(frame.crs).transform(lons, np.clip(lats, -85, 85))
    sizes = [(2 * post_radius_pt(f["properties"]["staff"])) ** 2 for f in features]
    ax.scatter(x, y, s=sizes, c=palette.POST_MARKER_FILL, edgecolors=palette.POST_MARKER,
               linewidths=POST_EDGE_PT, alpha=0.95, zorder=5)


def draw_map(ax: Axes, data: AtlasData, view: ViewState, hideout: dict, frame: Frame,
             xlim: tuple, ylim: tuple) -> None:
    """Draw the countries, links, small-state and post markers of ``view`` on ``ax``."""
    shapes = projected_shapes(data, frame.crs)
    fills = country_fills(data, hideout)
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("auto")
    _sea(ax, frame, xlim, ylim)
    ax.add_collection(PathCollection(
        list(shapes.paths), facecolors=[fills.get(i, palette.NONE) for i in shapes.iso3],
        edgecolors=palette.BORDER, linewidths=BORDER_WIDTH_PT, zorder=1,
    ))
    selected = hideout.get("selected")
    outlined = outlined_countries(data, hideout)
    for iso3 in outlined:
        if iso3 in shapes.iso3:
            ax.add_patch(PathPatch(shapes.paths[shapes.iso3.index(iso3)], facecolor="none",
                                   edgecolor=palette.SELECTED_OUTLINE,
                                   linewidth=SELECTED_WIDTH_PT, zorder=2))
    if "links" in view.layers:
        _links(ax, data, frame)
    iso3_all = data.countries["iso3"].to_numpy()
    small = shapes.small
    if small.any():
        small_iso3 = iso3_all[small]
        edges = [palette.SELECTED_OUTLINE if i in outlined else palette.BORDER
                 for i in small_iso3]
        ax.scatter(shapes.label_xy[small, 0], shapes.label_xy[small, 1],
                   s=(2 * SMALL_STATE_RADIUS_PT) ** 2,
                   c=[fills.get(i, palette.NONE) for i in small_iso3],
                   edgecolors=edges, linewidths=BORDER_WIDTH_PT * 1.5, zorder=4)
    if "posts" in view.layers:
        _posts(ax, data, frame)
    if selected in shapes.iso3:
        _selected_label(ax, data, frame, selected, view.lang, xlim, ylim)


def _selected_label(ax: Axes, data: AtlasData, frame: Frame, iso3: str, lang: str,
                    xlim: tuple, ylim: tuple) -> None:
    x, y = label_point(data, frame, iso3)
    if not (xlim[0] <= x <= xlim[1] and ylim[0] <= y <= ylim[1]):
        return
    ax.annotate(data.name(iso3, lang), (x, y), xytext=(0, 9), textcoords="offset points",
                ha="center", va="bottom", fontsize=LABEL_SIZE_PT, fontweight="bold",
                color=palette.SELECTED_OUTLINE, parse_math=False, zorder=6,
                path_effects=[patheffects.withStroke(linewidth=2.6, foreground="white")])

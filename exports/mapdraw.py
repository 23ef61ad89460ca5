"""The map of an export drawn with matplotlib: the same layers, colours and classes as the
screen (the countries layer's ``hideout`` decides every fill), in a clean projection.

Projection: Equal Earth for the world and for any extent wider than
:data:`EQUAL_EARTH_MIN_SPAN` degrees; Web Mercator (what Leaflet shows) for smaller extents.
The world frame runs from latitude :data:`WORLD_SOUTH` to the pole, Antarctica left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import matplotlib
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.transforms import Affine2D
from pyproj import Transformer

from geodata.i18n import t
from layers import LAYERS, palette
from layers import countries as countries_layer
from viewmodel.data import AtlasData, Bounded
from viewmodel.urlstate import ViewState

EQUAL_EARTH = "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m +no_defs"
WEB_MERCATOR = "EPSG:3857"
EQUAL_EARTH_MIN_SPAN = 120.0
#: An extent this wide (degrees of longitude) is the world: Leaflet's bounds at world zoom.
WORLD_SPAN = 300.0
WORLD_SOUTH = -58.0
MERCATOR_LAT_LIMIT = 85.0


@dataclass(frozen=True)
class Inset:
    """A crowded area a world export draws again, larger, in a box over open sea: its extent
    (W, S, E, N), where the box's lower-left corner sits on the world map (lon, lat), its width
    as a share of the map's, and its caption's catalogue key."""

    bbox: tuple[float, float, float, float]
    at: tuple[float, float]
    width: float
    caption: str


#: The insets of a world export: the Caribbean in the South Pacific, Europe's micro-states
#: (Andorra to Malta) in the South Atlantic.
INSETS = (
    Inset(bbox=(-86.0, 9.5, -59.0, 27.5), at=(-179.0, -56.0), width=0.17,
          caption="inset.caribbean"),
    Inset(bbox=(0.0, 35.0, 16.0, 48.5), at=(-47.0, -57.0), width=0.11,
          caption="inset.europe"),
)

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


def load_memo(data: AtlasData):
    """The memo of the data load ``data`` comes from: a bundle dated to another day
    (:func:`viewmodel.asof.dated`) shares its source's shapes and layer files, so what is
    projected from them is kept once, by the source."""
    return data.memo.get("source", lambda: data).memo


def transformer(data: AtlasData, crs: str) -> Transformer:
    """The lon/lat to ``crs`` transformer, built once per data load (building one costs
    milliseconds; pyproj's transformers may be shared between threads)."""
    return load_memo(data).get(("transformer", crs), lambda: _transformer(crs))


def _densified_box(west: float, south: float, east: float, north: float, steps: int = 64):
    """The outline of a lon/lat box, with points along every edge (curved once projected)."""
    lons = np.linspace(west, east, steps)
    lats = np.linspace(south, north, steps)
    xs = np.concatenate([lons, np.full(steps, east), lons[::-1], np.full(steps, west)])
    ys = np.concatenate([np.full(steps, south), lats, np.full(steps, north), lats[::-1]])
    return xs, ys


def frame_for(bbox: tuple[float, float, float, float] | None,
              data: AtlasData | None = None) -> Frame:
    """The frame for an extent (W, S, E, N) in degrees; the world when ``bbox`` is None or
    spans :data:`WORLD_SPAN` degrees of longitude or more. With ``data``, the frame is kept by
    the data load for the next page of the same extent (the world, an inset, a region)."""
    if bbox is not None:
        bbox = check_bbox(bbox)
    if data is None:
        return _frame(bbox, _transformer)
    frames = load_memo(data).get("export_frames", lambda: Bounded(FRAMES_KEPT))
    return frames.get(bbox, lambda: _frame(bbox, lambda crs: transformer(data, crs)))


#: The extents whose frames a data load keeps (the world, the insets, regions, countries).
FRAMES_KEPT = 256


def _frame(bbox, transformer_of) -> Frame:
    if bbox is None or bbox[2] - bbox[0] >= WORLD_SPAN:
        x, y = transformer_of(EQUAL_EARTH).transform(*_densified_box(-180, WORLD_SOUTH, 180, 90))
        return Frame(EQUAL_EARTH, (float(min(x)), float(max(x))), (float(min(y)), float(max(y))),
                     world=True)
    west, south, east, north = bbox
    if east - west >= EQUAL_EARTH_MIN_SPAN:
        crs = EQUAL_EARTH
        x, y = transformer_of(crs).transform(*_densified_box(west, south, east, north))
    else:
        crs = WEB_MERCATOR
        south = max(south, -MERCATOR_LAT_LIMIT)
        north = min(north, MERCATOR_LAT_LIMIT)
        if north <= south:
            raise BadBbox(f"bbox lies beyond the map's latitude limit (±{MERCATOR_LAT_LIMIT:g})")
        x, y = transformer_of(crs).transform([west, east], [south, north])
    return Frame(crs, (float(min(x)), float(max(x))), (float(min(y)), float(max(y))),
                 world=False)


@dataclass(frozen=True)
class ProjectedShapes:
    """Country outlines and label points projected once per (data version, projection)."""

    iso3: tuple[str, ...]
    paths: tuple[Path, ...]
    label_xy: np.ndarray
    small: np.ndarray
    #: The projected (multi)polygons, aligned with ``iso3`` (the native map of a slide).
    geometries: tuple = ()
    #: Each path's (xmin, ymin, xmax, ymax), aligned with ``iso3``.
    extents: np.ndarray | None = None

    def within(self, xlim: tuple, ylim: tuple) -> ProjectedShapes:
        """The shapes whose outline reaches into the limits (label points and small-state
        flags unchanged: they stay aligned with the countries table)."""
        if self.extents is None:
            return self
        e = self.extents
        keep = np.flatnonzero((e[:, 2] >= xlim[0]) & (e[:, 0] <= xlim[1])
                              & (e[:, 3] >= ylim[0]) & (e[:, 1] <= ylim[1]))
        if len(keep) == len(self.iso3):
            return self
        return ProjectedShapes(
            iso3=tuple(self.iso3[i] for i in keep), paths=tuple(self.paths[i] for i in keep),
            label_xy=self.label_xy, small=self.small,
            geometries=tuple(self.geometries[i] for i in keep) if self.geometries else (),
            extents=e[keep])


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
    (held by the load's :class:`viewmodel.data.Memo`, so they go away with it)."""
    return load_memo(data).get(("export_shapes", crs), lambda: _project_shapes(data, crs))


def _project_shapes(data: AtlasData, crs: str) -> ProjectedShapes:
    countries = data.countries
    geometry = countries.geometry
    if crs == WEB_MERCATOR:
        geometry = geometry.clip_by_rect(-180, -MERCATOR_LAT_LIMIT, 180, MERCATOR_LAT_LIMIT)
    projected = geometry.set_crs("EPSG:4326", allow_override=True).to_crs(crs)
    paths = [_geometry_path(g) for g in projected]
    keep = [i for i, p in enumerate(paths) if p is not None]
    lx, ly = transformer(data, crs).transform(
        countries["label_lon"].to_numpy(dtype=float),
        np.clip(countries["label_lat"].to_numpy(dtype=float), -MERCATOR_LAT_LIMIT,
                MERCATOR_LAT_LIMIT),
    )
    return ProjectedShapes(
        iso3=tuple(countries["iso3"].iloc[keep]),
        paths=tuple(paths[i] for i in keep),
        label_xy=np.column_stack([lx, ly]),
        small=countries["small"].to_numpy(dtype=bool),
        geometries=tuple(projected.iloc[i] for i in keep),
        extents=np.array([paths[i].get_extents().extents for i in keep]).reshape(-1, 4),
    )


def country_fills(data: AtlasData, hideout: dict) -> dict[str, str]:
    """Fill colour per iso3, read from the countries layer's hideout exactly as the browser's
    ``atlas.layers.countryStyle`` reads it."""
    return {iso3: countries_layer.fill_of(hideout, iso3) for iso3 in data.countries["iso3"]}


def outlined_countries(data: AtlasData, hideout: dict) -> set[str]:
    """The countries drawn with the selection outline (the hideout's ``outlined``)."""
    return set(hideout["outlined"])


def label_point(data: AtlasData, frame: Frame, iso3: str) -> tuple[float, float]:
    """A country's label point in the frame's projection."""
    shapes = projected_shapes(data, frame.crs)
    index = int(np.flatnonzero(data.countries["iso3"].to_numpy() == iso3)[0])
    x, y = shapes.label_xy[index]
    return float(x), float(y)


def _sea(ax: Axes, data: AtlasData, frame: Frame, xlim: tuple, ylim: tuple) -> None:
    """The sea: the whole box in Web Mercator, the globe's outline in Equal Earth (projected
    once per data load)."""
    if frame.crs == WEB_MERCATOR:
        ax.add_artist(Rectangle((xlim[0], ylim[0]), xlim[1] - xlim[0], ylim[1] - ylim[0],
                                facecolor=palette.SEA, edgecolor="none", zorder=0,
                                transform=ax.transData))
        return
    south = WORLD_SOUTH if frame.world else -90

    def globe() -> Path:
        x, y = transformer(data, frame.crs).transform(
            *_densified_box(-180, south, 180, 90, steps=181))
        return Path(np.column_stack([x, y]), closed=False)

    path = load_memo(data).get(("export_globe", frame.crs, south), globe)
    # add_artist, not add_patch: the limits are set, the patch need not widen them.
    ax.add_artist(PathPatch(path, facecolor=palette.SEA, edgecolor="none", zorder=0,
                            transform=ax.transData))


class HaloTexts(Artist):
    """Texts centred on points with a halo, drawn exactly as matplotlib draws a centred
    ``Text`` with a ``withStroke`` path effect (text as a path: stroked in the halo's colour,
    then filled), but from the glyph outlines and the placements the page's ``fonts`` keep: a
    name is turned into a path and laid out once, not on every page."""

    def __init__(self, texts, effects, fonts, zorder: float):
        super().__init__()
        self._texts = texts  # (x, y, text, points, bold, colour) each
        self._effects = effects
        self._fonts = fonts
        self._antialiased = matplotlib.rcParams["text.antialiased"]
        self.set_clip_on(False)  # as ax.text: names are not clipped to the axes
        self.set_zorder(zorder)

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        to_display = self.get_transform()
        figure = self.get_figure(root=True)
        for x, y, text, size, bold, colour in self._texts:
            # The steps of Text.draw and RendererBase._draw_text_as_path, in their order (the
            # same floating-point operations, so the same pixels).
            renderer.open_group("text", None)
            offset_x, offset_y = self._fonts.placement(renderer, figure, text, size, bold)
            posx, posy = to_display.transform((float(x), float(y)))
            canvas_height = renderer.get_canvas_width_height()[1]
            gc = renderer.new_gc()
            gc.set_foreground(to_rgba(colour), isRGBA=True)
            gc.set_alpha(None)
            gc.set_url(None)
            gc.set_antialiased(self._antialiased)
            gc.set_snap(None)
            self._set_gc_clip(gc)
            text_x, text_y = offset_x + posx, offset_y + posy
            if renderer.flipy():
                text_y = canvas_height - text_y
            pixels = renderer.points_to_pixels(size)
            path, scale = self._fonts.outline(text, size, bold)
            height = renderer.get_canvas_width_height()[1] if renderer.flipy() else None
            transform = (Affine2D().scale(pixels / scale).rotate_deg(0.0)
                         .translate(text_x, height - text_y if height is not None else text_y))
            colour_rgb = gc.get_rgb()
            gc.set_linewidth(0.0)
            for effect in self._effects:
                effect.draw_path(renderer, gc, path, transform, colour_rgb)
            gc.restore()
            renderer.close_group("text")
        self.stale = False


@dataclass(frozen=True)
class MapCanvas:
    """What a layer's ``draw`` gets: the axes, the data and view, the frame and its limits, and
    the projection helpers (the layers never import this module)."""

    ax: Axes
    data: AtlasData
    view: ViewState
    frame: Frame
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    hideouts: dict[str, dict]  # every layer's, by layer id (a layer may read another's)
    #: The page's fonts (:data:`exports.page.EXPORT_FONTS`), which keep the texts' sizes,
    #: outlines and placements from page to page; None: every text laid out by the figure.
    fonts: Any = None

    @cached_property
    def shapes(self) -> ProjectedShapes:
        """The country outlines reaching into the map (a country map draws its region, not
        the world) and the label points, in the frame's projection."""
        return projected_shapes(self.data, self.frame.crs).within(self.xlim, self.ylim)

    @cached_property
    def _transformer(self) -> Transformer:
        """The data load's transformer to the frame's projection."""
        return transformer(self.data, self.frame.crs)

    def projected(self, name: str, build: Callable[[], Any]) -> Any:
        """What a layer derives from the data load's files in the frame's projection (its
        points, its lines), built by ``build()`` once per data load and projection and kept by
        the load: every later page in that projection reuses it."""
        return load_memo(self.data).get(("export_layer", name, self.frame.crs), build)

    def text_size(self, text: str, size: float, bold: bool = False) -> tuple[float, float]:
        """Width and height in the figure's pixels of ``text`` at ``size`` points in the
        page's font (the figure's renderer lays it out the same)."""
        dpi = self.ax.figure.dpi
        if self.fonts is not None:
            width, height, _ = self.fonts.measure(text, size, bold, dpi)
            return width, height
        prop = FontProperties(size=size, weight="bold" if bold else "normal")
        width, height, _ = self.renderer().get_text_width_height_descent(text, prop,
                                                                         ismath=False)
        return width, height

    def project(self, lons, lats) -> tuple[np.ndarray, np.ndarray]:
        """Longitudes and latitudes in the frame's projection (Mercator's poles clipped)."""
        lats = np.clip(np.asarray(lats, dtype=float), -MERCATOR_LAT_LIMIT, MERCATOR_LAT_LIMIT)
        x, y = self._transformer.transform(np.asarray(lons, dtype=float), lats)
        return np.asarray(x), np.asarray(y)

    def line(self, start, end) -> np.ndarray:
        """The projected points of a line from ``start`` to ``end`` ((lon, lat) each): straight
        in Mercator, densified in Equal Earth (where meridians curve)."""
        steps = 2 if self.frame.crs == WEB_MERCATOR else 24
        x, y = self.project(np.linspace(start[0], end[0], steps),
                            np.linspace(start[1], end[1], steps))
        return np.column_stack([x, y])

    def halo_texts(self, texts, halo: str, halo_pt: float, zorder: float) -> None:
        """Draw ``texts`` ((x, y, text, points, bold, colour) each, centred on the projected
        point) with a ``halo`` of ``halo_pt`` points, as ``ax.text`` with a ``withStroke``
        path effect draws them; with the page's fonts, from outlines and placements kept
        between pages."""
        effects = [patheffects.withStroke(linewidth=halo_pt, foreground=halo)]
        if self.fonts is None:
            for x, y, text, size, bold, colour in texts:
                self.ax.text(x, y, text, ha="center", va="center", parse_math=False,
                             zorder=zorder, color=colour, path_effects=effects,
                             fontproperties=FontProperties(
                                 size=size, weight="bold" if bold else "normal"))
            return
        self.ax.add_artist(HaloTexts(list(texts), effects, self.fonts, zorder=zorder))

    def contains(self, x: float, y: float) -> bool:
        """True when a projected point lies inside the map's limits."""
        return self.xlim[0] <= x <= self.xlim[1] and self.ylim[0] <= y <= self.ylim[1]

    def renderer(self):
        """The figure's renderer, to measure texts before keeping them."""
        return self.ax.figure.canvas.get_renderer()

    def box_contains(self, box) -> bool:
        """True when a display-space box lies inside the map's axes."""
        frame = self.ax.get_window_extent(self.renderer())
        return (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                and box.y1 <= frame.y1)


def draw_map(ax: Axes, data: AtlasData, view: ViewState, hideouts: dict[str, dict],
             frame: Frame, xlim: tuple, ylim: tuple, fonts=None) -> None:
    """Draw every layer of ``view`` on ``ax`` from its hideout (``hideouts``: by layer id, as
    :func:`viewmodel.mapview.map_view` computes them), bottom to top as on screen.
    ``fonts``: the page's fonts (:attr:`MapCanvas.fonts`)."""
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("auto")
    _sea(ax, data, frame, xlim, ylim)
    canvas = MapCanvas(ax, data, view, frame, tuple(xlim), tuple(ylim), hideouts, fonts)
    for layer in LAYERS:
        layer.draw(canvas, hideouts[layer.LAYER_ID])
    if frame.world:
        for inset in INSETS:
            _draw_inset(ax, data, view, hideouts, frame, xlim, ylim, inset, fonts)


def _draw_inset(ax: Axes, data: AtlasData, view: ViewState, hideouts: dict[str, dict],
                world: Frame, xlim: tuple, ylim: tuple, inset: Inset, fonts=None) -> None:
    """One inset: the same layers for the inset's extent, in a framed box with its caption."""
    frame = frame_for(inset.bbox, data)
    x, y = transformer(data, world.crs).transform(*inset.at)
    left = (x - xlim[0]) / (xlim[1] - xlim[0])
    bottom = (y - ylim[0]) / (ylim[1] - ylim[0])
    axes_width, axes_height = ax.get_window_extent().width, ax.get_window_extent().height
    height = inset.width / frame.aspect * axes_width / axes_height
    box = ax.inset_axes([left, bottom, inset.width, height])
    box_xlim, box_ylim = frame.fitted(inset.width * axes_width, height * axes_height)
    draw_map(box, data, view, hideouts, frame, box_xlim, box_ylim, fonts)
    box.set_axis_on()
    box.set_xticks([])
    box.set_yticks([])
    for side in box.spines.values():
        side.set_edgecolor(palette.INSET_FRAME)
        side.set_linewidth(0.8)
    box.set_title(t(inset.caption, view.lang), fontsize=7, color=palette.INSET_FRAME,
                  loc="left", pad=2)

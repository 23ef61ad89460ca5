"""The map as PowerPoint slides (python-pptx), 16:9, 4:3 or A4 like the other formats.

Everything but the map is native and editable: the title (wrapped, then shrunk, never cut),
the subtitle, the active filters (every one of them), the key figures of the page's scope
(:mod:`exports.scope`), the legend (swatches as shapes, texts as text), the footer, the
marking (top and bottom) and the demonstration notice. The map is a PNG picture laid out by
:mod:`exports.page` at the picture's exact size (alternative text naming the view), or, with
``vector_map``, one named freeform shape per country of the extent (a communication officer
can recolour a country). The speaker notes hold the user's notes, the title, the filters, the
figures, the data date, the sources, the marking and the view's address.

Texts are measured with :func:`exports.page.text_width` in Liberation Sans, the metric twin of
the Arial the slides name, so a measured line is the line PowerPoint and LibreOffice draw.
:func:`add_map_slide` adds one slide to a presentation; packs (:mod:`exports.deck`) and briefs
(:mod:`exports.brief`) share :func:`new_presentation` and the helpers below.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from exports import describe
from exports.changelist import ChangeList, change_list, fit_changes, fitted_height
from exports.formats.base import INCLUDE_ALL, ExportOptions
from exports.formats.png_image import png_bytes
from exports.mapdraw import country_fills, frame_for, projected_shapes
from exports.page import (
    ACCENT,
    DEMO_EDGE,
    DEMO_FILL,
    DEMO_INK,
    INK,
    MARKING_COLOR,
    MUTED,
    PageSize,
    check_page_options,
    compose,
    fit_text,
    text_width,
    view_url,
    wrap_text,
)
from exports.scope import scope_for, scoped_figures, view_bbox
from exports.trace import DEFAULT_AUTHOR, author_of, trace_line
from geodata.i18n import t
from layers import countries as countries_layer
from layers import labels as labels_layer
from layers import palette
from layers._base import PT_PER_PX, Legend
from viewmodel.asof import dated
from viewmodel.data import AtlasData
from viewmodel.mapview import map_view
from viewmodel.urlstate import ViewState

#: Slide width and height in inches for each export size: PowerPoint's own "Widescreen",
#: "Standard (4:3)" and "A4 Paper" slide sizes.
SLIDE_SIZES = {"16:9": (13.333, 7.5), "4:3": (10.0, 7.5), "a4": (10.833, 7.5)}
MARGIN = 0.5
PICTURE_DPI = 144
#: PowerPoint's "Title Only" layout: the title placeholder is the slide's title (outline
#: view, screen readers); nothing else of the layout is used.
BLANK_LAYOUT = 5
#: Arial on the slide (Liberation Sans, its metric twin, where Arial is missing), so the text
#: measured here with the export font fits the boxes on every machine.
FONT = "Arial"
TITLE_PT, KPI_VALUE_PT, KPI_LABEL_PT, BODY_PT, SMALL_PT, MARKING_PT = 26, 24, 13, 12, 10, 12
TITLE_MIN_PT = 15
LEGEND_PT = 11
PPT_LINE_SPACING = 1.2
BOX_INSET = 0.03
SIDE_COLUMN = 3.0
GAP = 0.25
SWATCH = 0.18
WIDE_RATIO = 1.6
TALL_EXTENT_RATIO = 1.5
NBSP = "\u00a0"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper()[:6])


def new_presentation(size: str, title: str = "", lang: str = "fr",
                     author: str = DEFAULT_AUTHOR) -> Presentation:
    """An empty presentation of the export ``size``, its properties naming ``title``, the
    language and ``author`` (who exported it: author and last modified by)."""
    slide_width, slide_height = SLIDE_SIZES[size]
    presentation = Presentation()
    presentation.slide_width = Inches(slide_width)
    presentation.slide_height = Inches(slide_height)
    presentation.core_properties.title = title
    presentation.core_properties.author = author
    presentation.core_properties.last_modified_by = author
    presentation.core_properties.language = "fr-FR" if lang == "fr" else "en-GB"
    return presentation


def presentation_bytes(presentation) -> bytes:
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def lines_height(count: int, size: float) -> float:
    """Height in inches of a text box holding ``count`` lines at ``size`` points."""
    return count * size * PPT_LINE_SPACING / 72 + 2 * BOX_INSET


def text_box(slide, left, top, width, height, text="", *, size=BODY_PT, bold=False,
             colour=INK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, wrap=True, name=""):
    """A text box (sizes in inches) holding ``text`` in one run; ``wrap=False`` keeps it on one
    line."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = wrap
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(BOX_INSET))
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    if text:
        run(paragraph, text, size=size, bold=bold, colour=colour)
    return box


def run(paragraph, text, *, size, bold=False, colour=INK):
    item = paragraph.add_run()
    item.text = text
    item.font.name = FONT
    item.font.size = Pt(size)
    item.font.bold = bold
    item.font.color.rgb = _rgb(colour)
    return item


def title_box(slide, left, top, width, height, text, *, size, bold=True, colour=INK,
              align=PP_ALIGN.LEFT):
    """The slide's title placeholder placed and filled like :func:`text_box` (a slide without
    one gets a text box named "Title")."""
    heading = slide.shapes.title
    if heading is None:
        return text_box(slide, left, top, width, height, text, size=size, bold=bold,
                        colour=colour, align=align, name="Title")
    heading.left, heading.top = Inches(left), Inches(top)
    heading.width, heading.height = Inches(width), Inches(height)
    frame = heading.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.auto_size = None
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(BOX_INSET))
    frame.text = ""
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run(paragraph, text, size=size, bold=bold, colour=colour)
    return heading


def fitted_box(slide, left, top, width, text, *, size, min_size, max_lines, bold=False,
               colour=INK, name="") -> float:
    """A box holding ``text`` wrapped to ``width`` (at most ``max_lines`` lines, the size
    lowered down to ``min_size`` first; never cut); returns its height. ``name="Title"``
    fills the slide's title placeholder."""
    lines, fitted = fit_text(text, width - 2 * BOX_INSET - 0.02, size, bold=bold,
                             max_lines=max_lines, min_size=min_size)
    height = lines_height(len(lines), fitted)
    if name == "Title":
        title_box(slide, left, top, width, height, text, size=fitted, bold=bold, colour=colour)
    else:
        text_box(slide, left, top, width, height, text, size=fitted, bold=bold,
                 colour=colour, name=name)
    return height


@dataclass(frozen=True)
class Furniture:
    """Where the page furniture left room for the content: the box (inches)."""

    left: float
    top: float
    width: float
    bottom: float


def add_furniture(slide, data: AtlasData, view: ViewState, *, size: str, title: str,
                  subtitle: str = "", marking: str = "", filters: bool = True,
                  scope_label: str = "") -> Furniture:
    """Marking (top and bottom), title, subtitle, filters, the scope line, the footer and the
    demonstration notice; returns the free box between them."""
    slide_width, slide_height = SLIDE_SIZES[size]
    lang = view.lang
    width = slide_width - 2 * MARGIN
    top, bottom = 0.3, slide_height - 0.22
    if marking:
        lines, fitted = fit_text(marking, width - 0.1, MARKING_PT, bold=True, max_lines=1,
                                 min_size=8)
        height = lines_height(len(lines), fitted)
        for y, name in ((0.06, "Marking (top)"), (slide_height - 0.06 - height,
                                                  "Marking (bottom)")):
            text_box(slide, MARGIN, y, width, height, marking, size=fitted, bold=True,
                     colour=MARKING_COLOR, align=PP_ALIGN.CENTER, name=name)
        top, bottom = 0.1 + height, slide_height - 0.1 - height

    top += fitted_box(slide, MARGIN, top, width, title, size=TITLE_PT, min_size=TITLE_MIN_PT,
                      max_lines=2, bold=True, name="Title") + 0.02
    if subtitle:
        top += fitted_box(slide, MARGIN, top, width, subtitle, size=BODY_PT + 3,
                          min_size=BODY_PT, max_lines=2, name="Subtitle")
    if filters:
        top += fitted_box(slide, MARGIN, top, width, describe.filters_text(data, view),
                          size=BODY_PT, min_size=SMALL_PT, max_lines=2, colour=MUTED,
                          name="Filters")
    if scope_label:
        top += fitted_box(slide, MARGIN, top, width, scope_label, size=SMALL_PT,
                          min_size=SMALL_PT, max_lines=2, colour=MUTED, name="Scope")
    top += 0.08

    notice_text = t("app.demo_banner", lang) if data.network.is_demo else ""
    notice_width = text_width(notice_text, SMALL_PT, bold=True) + 0.3 if notice_text else 0.0
    footer_width = width - notice_width - (0.2 if notice_text else 0.0)
    footer = describe.footer_text(data, lang, trace=False)
    footer_lines = wrap_text(footer, footer_width - 2 * BOX_INSET - 0.02, SMALL_PT,
                             max_lines=10)
    footer_height = max(0.3, lines_height(len(footer_lines), SMALL_PT))
    footer_top = bottom - footer_height
    text_box(slide, MARGIN, footer_top, footer_width, footer_height, footer, size=SMALL_PT,
             colour=MUTED, anchor=MSO_ANCHOR.MIDDLE, name="Footer")
    if trace_line(data, lang):  # who exported the slide, on a line of its own above
        trace_height = lines_height(1, SMALL_PT)
        footer_top -= trace_height
        text_box(slide, MARGIN, footer_top, footer_width, trace_height, trace_line(data, lang),
                 size=SMALL_PT, colour=MUTED, name="Exported by")
    if notice_text:
        notice = text_box(slide, MARGIN + width - notice_width, bottom - 0.3, notice_width, 0.3,
                          notice_text, size=SMALL_PT, bold=True, colour=DEMO_INK,
                          align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE, wrap=False,
                          name="Demonstration notice")
        notice.fill.solid()
        notice.fill.fore_color.rgb = _rgb(DEMO_FILL)
        notice.line.color.rgb = _rgb(DEMO_EDGE)
    return Furniture(MARGIN, top, width, footer_top - 0.1)


def write_notes(slide, data: AtlasData, view: ViewState, *, title: str, figures: list[str],
                marking: str, url: str, notes: str = "", changes: ChangeList | None = None
                ) -> None:
    """The speaker notes: the user's notes first, then the title, filters, figures (on a
    changes slide, every change), data date, sources, marking and the view's address."""
    lang = view.lang
    colon = " : " if lang == "fr" else ": "
    lines = []
    if notes:
        lines += [f"{t('export.notes.user', lang)}{colon}{notes}", ""]
    lines += [f"{t('export.notes.title', lang)}{colon}{title}", "",
              t("export.notes.filters", lang)]
    lines += [f"- {item}" for item in describe.filter_lines(data, view)]
    if figures:
        lines += ["", t("export.notes.kpis", lang), *[f"- {item}" for item in figures]]
    if changes is not None:
        lines += ["", changes.heading, *[f"- {item}" for item in changes.texts]]
    lines.append("")
    date_text = describe.data_date_text(data, lang)
    if date_text:
        lines.append(date_text)
    lines.append(t("source", lang))
    if data.network.is_demo:
        lines.append(t("app.demo_banner", lang))
    if marking:
        lines.append(marking)
    lines.append(f"{t('export.notes.view', lang)}{colon}{url}")
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


# --- key figures and legend -----------------------------------------------------------------


def _kpi_needed(value: str, label: str, scale: float = 1.0) -> float:
    return (text_width(value, KPI_VALUE_PT * scale, bold=True)
            + text_width(f"{NBSP}{label}", KPI_LABEL_PT * scale) + 2 * BOX_INSET + 0.12)


def _kpi_box(slide, x, y, value, label, width, scale: float = 1.0) -> None:
    box = text_box(slide, x, y, width, lines_height(1, KPI_VALUE_PT * scale),
                   anchor=MSO_ANCHOR.BOTTOM, name=f"Figure: {label}")
    paragraph = box.text_frame.paragraphs[0]
    run(paragraph, value, size=round(KPI_VALUE_PT * scale, 1), bold=True, colour=ACCENT)
    run(paragraph, f"{NBSP}{label}", size=round(KPI_LABEL_PT * scale, 1), colour=MUTED)


KPI_GAP = 0.35
#: The key figures shrink down to this share of their size to stay on one row.
KPI_MIN_SCALE = 0.7


def kpi_row(slide, left: float, top: float, width: float, pairs, draw: bool = True) -> float:
    """The key figures in one row of one-line boxes (a value never parts from its label),
    smaller when needed (down to 70 %), else in rows; returns the height."""
    scale = 1.0
    while scale > KPI_MIN_SCALE and (
            sum(_kpi_needed(v, lab, scale) for v, lab in pairs)
            + KPI_GAP * scale * (len(pairs) - 1) > width):
        scale = round(scale - 0.05, 2)
    height = lines_height(1, KPI_VALUE_PT * scale)
    x, y = left, top
    for value, label in pairs:
        needed = _kpi_needed(value, label, scale)
        if x > left and x + needed > left + width:
            x, y = left, y + height
        if draw:
            _kpi_box(slide, x, y, value, label, needed, scale)
        x += needed + KPI_GAP * scale
    return y + height - top


def kpi_column(slide, left: float, top: float, width: float, pairs, draw: bool = True) -> float:
    height = lines_height(1, KPI_VALUE_PT)
    if draw:
        for index, (value, label) in enumerate(pairs):
            _kpi_box(slide, left, top + index * height, value, label,
                     max(width, _kpi_needed(value, label)))
    return height * len(pairs)


def _swatch(slide, x: float, y: float, row: float, entry) -> float:
    """A legend entry's swatch (a shape) at the left of a row; returns its width."""
    middle = y + row / 2
    if entry.shape == "line":
        length = SWATCH * 1.9
        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(x), Inches(middle),
                                          Inches(x + length), Inches(middle))
        line.line.color.rgb = _rgb(entry.color)
        line.line.width = Pt(1.5)
        line.line.dash_style = 4  # MSO_LINE_DASH_STYLE.DASH
        line.name = f"Legend swatch: {entry.label}"
        return length
    if entry.shape == "circle":
        radius = entry.size * PT_PER_PX / 72 if entry.size else SWATCH * 0.45
        shape = slide.shapes.add_shape(MSO_SHAPE.OVAL, Inches(x + SWATCH / 2 - radius),
                                       Inches(middle - radius), Inches(2 * radius),
                                       Inches(2 * radius))
        width = SWATCH
    else:
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x),
                                       Inches(middle - SWATCH / 2), Inches(SWATCH),
                                       Inches(SWATCH))
        width = SWATCH
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(entry.color)
    shape.line.color.rgb = _rgb(entry.outline or "#999999")
    shape.line.width = Pt(0.6)
    shape.shadow.inherit = False
    shape.name = f"Legend swatch: {entry.label}"
    return width


def legend_column(slide, left: float, top: float, width: float, legends: Iterable[Legend],
                  draw: bool = True, points: float = LEGEND_PT) -> float:
    """The legend as a list (block titles, then a swatch and a text per entry) at ``points``;
    returns the height."""
    y = top
    row = max(lines_height(1, points), SWATCH + 0.06)
    for index, legend in enumerate(legends):
        if index:
            y += 0.08
        if legend.title:
            lines = wrap_text(legend.title, width - 2 * BOX_INSET - 0.02, points, bold=True,
                              max_lines=10)
            height = lines_height(len(lines), points)
            if draw:
                text_box(slide, left, y, width, height, legend.title, size=points, bold=True,
                         name=f"Legend title: {legend.title}")
            y += height
        for entry in legend.entries:
            swatch = SWATCH * 1.9 if entry.shape == "line" else SWATCH
            label_x = left + swatch + 0.08
            lines = wrap_text(entry.label, left + width - label_x - 2 * BOX_INSET - 0.02,
                              points, max_lines=10)
            height = max(row, lines_height(len(lines), points),
                         2 * entry.size * PT_PER_PX / 72 + 0.04 if entry.size else 0)
            if draw:
                _swatch(slide, left, y, height if entry.size else row, entry)
                text_box(slide, label_x, y, left + width - label_x, height, entry.label,
                         size=points, name=f"Legend: {entry.label}")
            y += height
    return y - top


def legend_band(slide, left: float, top: float, width: float, legends: Iterable[Legend],
                draw: bool = True) -> float:
    """The legend in rows: each block's title, then its entries flowing left to right;
    returns the height."""
    y = top
    row = lines_height(1, LEGEND_PT)
    for index, legend in enumerate(legends):
        if index:
            y += 0.04
        x = left
        if legend.title:
            title_width = text_width(legend.title, LEGEND_PT, bold=True) + 2 * BOX_INSET + 0.05
            if draw:
                text_box(slide, x, y, title_width, row, legend.title, size=LEGEND_PT, bold=True,
                         wrap=False, name=f"Legend title: {legend.title}")
            x += title_width + 0.15
        for entry in legend.entries:
            swatch = SWATCH * 1.9 if entry.shape == "line" else SWATCH
            label_width = text_width(entry.label, LEGEND_PT) + 2 * BOX_INSET + 0.05
            needed = swatch + 0.06 + label_width
            if x > left and x + needed > left + width:
                x, y = left + 0.2, y + row
            if draw:
                _swatch(slide, x, y, row, entry)
                text_box(slide, x + swatch + 0.06, y, label_width, row, entry.label,
                         size=LEGEND_PT, wrap=False, name=f"Legend: {entry.label}")
            x += needed + 0.2
        y += row
    return y - top


# --- the map --------------------------------------------------------------------------------


def add_map_picture(slide, data: AtlasData, view: ViewState, bbox, box, *, scale: int,
                    title: str, frame=None) -> None:
    """The map as a picture filling ``box`` (x, y, width, height in inches), alt text naming
    the view."""
    x, y, width, height = box
    snapshot = compose(data, view, include=(), bbox=bbox, framed=False,
                       page_size=PageSize(width, height, PICTURE_DPI), scale=scale,
                       furniture=False, title=title)
    png = png_bytes(snapshot.page, title)
    snapshot.page.fig.clear()
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(width),
                                       Inches(height))
    picture.name = "Map"
    picture._element.nvPicPr.cNvPr.set(
        "descr", f"{t('map.label', view.lang)} — {title} — {describe.filters_text(data, view)}")


def add_vector_map(slide, data: AtlasData, view: ViewState, bbox, box, hideouts) -> int:
    """The map as native shapes in ``box``: the sea, then one freeform per country of the
    extent named "Name (ISO3)" and filled as on screen; returns the number of countries."""
    x, y, width, height = box
    frame = frame_for(bbox, data)
    if frame.world:
        xlim, ylim = frame.xlim, frame.ylim
    else:
        xlim, ylim = frame.fitted(width, height)
    sea = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(y), Inches(width),
                                 Inches(height))
    sea.fill.solid()
    sea.fill.fore_color.rgb = _rgb(palette.SEA)
    sea.line.fill.background()
    sea.shadow.inherit = False
    sea.name = "Sea"
    shapes = projected_shapes(data, frame.crs)
    countries_hideout = hideouts[countries_layer.LAYER_ID]
    fills = country_fills(data, countries_hideout)
    outlined = set(countries_hideout.get("outlined", ()))
    sx = Inches(width) / (xlim[1] - xlim[0])
    sy = Inches(height) / (ylim[1] - ylim[0])
    ox, oy = Inches(x), Inches(y)
    tolerance = (xlim[1] - xlim[0]) / 1400
    count = 0
    for iso3, geometry in zip(shapes.iso3, shapes.geometries, strict=True):
        clipped = shapely.clip_by_rect(geometry, xlim[0], ylim[0], xlim[1], ylim[1])
        if clipped.is_empty:
            continue
        clipped = shapely.simplify(clipped, tolerance, preserve_topology=True)
        rings = [np.asarray(part.exterior.coords)[:, :2]
                 for part in shapely.get_parts(clipped)
                 if part.geom_type == "Polygon" and not part.is_empty and part.area > 0]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        points = [[(ox + (px - xlim[0]) * sx, oy + (ylim[1] - py) * sy) for px, py in ring]
                  for ring in rings]
        builder = slide.shapes.build_freeform(points[0][0][0], points[0][0][1], scale=1.0)
        builder.add_line_segments(points[0][1:], close=True)
        for ring in points[1:]:
            builder.move_to(*ring[0])
            builder.add_line_segments(ring[1:], close=True)
        shape = builder.convert_to_shape(Emu(0), Emu(0))
        shape.name = f"{data.name(iso3, view.lang)} ({iso3})"
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fills.get(iso3, palette.SEA))
        shape.line.color.rgb = _rgb("#1b2430" if iso3 in outlined else "#ffffff")
        shape.line.width = Pt(1.5 if iso3 in outlined else 0.4)
        shape.shadow.inherit = False
        count += 1
    _vector_labels(slide, data, view, hideouts[labels_layer.LAYER_ID], shapes, box, xlim, ylim,
                   fills)
    return count


def _ink_on(fill: str) -> str:
    """Dark text on a light fill, white on a dark one (relative luminance under 0.35)."""
    red, green, blue = (int(fill.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return "#ffffff" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.35 else INK


VECTOR_LABEL_PT = 8.0
MAX_VECTOR_LABELS = 60


def _vector_labels(slide, data, view, hideout_value, shapes, box, xlim, ylim,
                   fills) -> None:
    """Country names as text boxes at their label points, in the labels layer's order (the
    selected countries first), skipping any that would overlap a name already placed or leave
    the map; none when the layer is off (the selected countries' names stay)."""
    x, y, width, height = box
    order = list(dict.fromkeys([*hideout_value.get("selected", ()),
                                *(hideout_value.get("order", ()) if hideout_value.get("show")
                                  else ())]))
    row = {iso3: i for i, iso3 in enumerate(data.countries["iso3"])}
    in_extent = set(shapes.iso3)
    placed: list[tuple[float, float, float, float]] = []
    selected = set(hideout_value.get("selected", ()))
    for iso3 in order:
        if len(placed) >= MAX_VECTOR_LABELS:
            break
        if iso3 not in in_extent or iso3 not in row:
            continue
        px, py = shapes.label_xy[row[iso3]]
        if not (xlim[0] <= px <= xlim[1] and ylim[0] <= py <= ylim[1]):
            continue
        name = data.name(iso3, view.lang)
        bold = iso3 in selected
        size = VECTOR_LABEL_PT + (1 if bold else 0)
        w = text_width(name, size, bold) + 2 * BOX_INSET + 0.04
        h = lines_height(1, size)
        left = x + (px - xlim[0]) / (xlim[1] - xlim[0]) * width - w / 2
        top = y + (ylim[1] - py) / (ylim[1] - ylim[0]) * height - h / 2
        if left < x or top < y or left + w > x + width or top + h > y + height:
            continue
        if any(left < b[2] and b[0] < left + w and top < b[3] and b[1] < top + h
               for b in placed):
            continue
        placed.append((left, top, left + w, top + h))
        text_box(slide, left, top, w, h, name, size=size, bold=bold,
                 colour=_ink_on(fills.get(iso3, palette.SEA)), align=PP_ALIGN.CENTER,
                 wrap=False, name=f"Label: {name}")


def _fit_world(frame, box):
    """The world keeps its outline: the box shrinks to the frame's shape (centred)."""
    x, y, width, height = box
    if not frame.world:
        return box
    fitted_width = min(width, height * frame.aspect)
    fitted_height = fitted_width / frame.aspect
    return (x + (width - fitted_width) / 2, y, fitted_width, fitted_height)


#: The changes slide's list: its column's width (at most; a share of a narrower slide), the
#: sizes it is tried at (points), the gap between two countries (inches).
CHANGES_COLUMN = 4.6
CHANGES_SHARE = 0.4
CHANGES_SIZES = (BODY_PT, LEGEND_PT, SMALL_PT)
CHANGES_GAP = 0.05


def changes_layout(slide, frame, free, legends, changes: ChangeList):
    """The changes slide: the map with its legend in a band under it on the left, the
    changes in words on the right (one text box per country beside a swatch of its colour
    on the map; the countries that do not fit counted in a last box). Returns the map's
    box."""
    left, top, width, bottom = free
    height = bottom - top
    column = min(CHANGES_COLUMN, width * CHANGES_SHARE)
    column_x = left + width - column
    map_box = width - column - GAP
    inner = 2 * BOX_INSET + 0.02
    heading_lines = wrap_text(changes.heading, column - inner, BODY_PT + 2, bold=True,
                              max_lines=10)
    heading_height = lines_height(len(heading_lines), BODY_PT + 2) + 0.04
    text_x = column_x + SWATCH + 0.08
    text_width_room = column_x + column - text_x
    fitted = fit_changes(changes, text_width_room - inner, height - heading_height - inner,
                         sizes=CHANGES_SIZES, line_spacing=PPT_LINE_SPACING,
                         gap=CHANGES_GAP + inner, wrap=wrap_text)
    list_height = (heading_height + inner
                   + fitted_height(fitted, line_spacing=PPT_LINE_SPACING,
                                   gap=CHANGES_GAP + inner))
    legend_height = legend_band(slide, left, 0, map_box, legends, draw=False) if legends else 0
    map_room = height - legend_height - (0.12 if legends else 0)
    box = _fit_world(frame, (left, top, map_box, map_room))
    block = max(box[3] + legend_height + (0.12 if legends else 0), list_height)
    y = top + max(0.0, (height - block) / 2)
    box = (box[0], y, box[2], box[3])
    if legends:
        legend_band(slide, left, y + box[3] + 0.12, map_box, legends)
    text_box(slide, column_x, y, column, heading_height, changes.heading, size=BODY_PT + 2,
             bold=True, name="Changes heading")
    cursor = y + heading_height
    row = lines_height(1, fitted.size)
    for lines, colour, text in zip(fitted.entries, changes.colours, changes.texts,
                                   strict=False):
        height = lines_height(len(lines), fitted.size)
        swatch = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(column_x),
                                        Inches(cursor + (row - SWATCH) / 2), Inches(SWATCH),
                                        Inches(SWATCH))
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = _rgb(colour)
        swatch.line.color.rgb = _rgb("#999999")
        swatch.line.width = Pt(0.6)
        swatch.shadow.inherit = False
        swatch.name = f"Change swatch: {text}"
        text_box(slide, text_x, cursor, text_width_room, height, text, size=fitted.size,
                 name=f"Change: {text}")
        cursor += height + CHANGES_GAP
    if fitted.more:
        more = " ".join(fitted.more)
        text_box(slide, text_x, cursor, text_width_room,
                 lines_height(len(fitted.more), fitted.size), more, size=fitted.size,
                 colour=MUTED, name=f"Changes left out: {more}")
    return box


def add_map_slide(presentation, data: AtlasData, view: ViewState, options: ExportOptions):
    """One map slide for ``view``: furniture, figures of its scope, native legend, the map
    (picture or shapes), notes. Returns the slide."""
    include = check_page_options(size=options.size, scale=options.scale,
                                 include=options.include)
    data = dated(data, view)  # statuses and posts on the view's as-of date
    size = options.size
    lang = view.lang
    title = describe.clean_text(options.title) or describe.default_title(data, view)
    marking = describe.clean_text(options.marking)
    bbox = view_bbox(data, view, options.bbox)
    frame = frame_for(bbox, data)
    scope = scope_for(data, view, bbox)
    figures = scoped_figures(data, view, scope)
    pairs = figures.pairs(lang)
    mv = map_view(data, view)
    slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK_LAYOUT])
    free = add_furniture(slide, data, view, size=size, title=title,
                         subtitle=describe.clean_text(options.subtitle), marking=marking,
                         filters="filters" in include,
                         scope_label=scope.label if "kpis" in include else "")
    legends = mv.legends if "legend" in include else ()
    # A changes slide lists the changes in words where other slides give the key figures.
    changes = change_list(data, view, scope) if "kpis" in include else None
    kpis = pairs if "kpis" in include and not changes else []
    slide_width, slide_height = SLIDE_SIZES[size]
    tall = not frame.world and frame.aspect < TALL_EXTENT_RATIO
    left, top, width, bottom = free.left, free.top, free.width, free.bottom
    if changes is not None:
        box = changes_layout(slide, frame, (left, top, width, bottom), legends, changes)
    elif slide_width / slide_height >= WIDE_RATIO or tall:
        column = SIDE_COLUMN if (legends or kpis) else 0.0
        column_x = left + width - column
        room = bottom - top
        legend_pt = LEGEND_PT

        def column_height(with_kpis: bool, points: float) -> float:
            kpi_height = kpi_column(slide, 0, 0, column, kpis, draw=False) if with_kpis else 0
            legend_height = (legend_column(slide, 0, 0, column, legends, draw=False,
                                           points=points) if legends else 0)
            return kpi_height + (0.2 if with_kpis and legends else 0) + legend_height

        kpis_in_column = bool(kpis)
        if column_height(kpis_in_column, legend_pt) > room and kpis:
            # Too tall: the figures go in a row above the map and the legend keeps the column.
            kpis_in_column = False
            top += kpi_row(slide, left, top, width, kpis) + 0.08
            room = bottom - top
        while column_height(kpis_in_column, legend_pt) > room and legend_pt > 8:
            legend_pt -= 0.5
        block = column_height(kpis_in_column, legend_pt)
        column_top = top + max(0.0, (room - block) / 2)
        kpi_height = 0.0
        if kpis_in_column:
            kpi_height = kpi_column(slide, column_x, column_top, column, kpis) + 0.2
        if legends:
            legend_column(slide, column_x, column_top + kpi_height, column, legends,
                          points=legend_pt)
        box = (left, top, width - column - (GAP if column else 0), bottom - top)
        box = _fit_world(frame, box)
        box = (box[0], top + (bottom - top - box[3]) / 2, box[2], box[3])
    else:
        if kpis:
            top += kpi_row(slide, left, top, width, kpis) + 0.08
        legend_height = legend_band(slide, left, 0, width, legends, draw=False) if legends else 0
        map_height = bottom - top - legend_height - (0.12 if legends else 0)
        box = _fit_world(frame, (left, top, width, map_height))
        if legends:
            legend_band(slide, left, box[1] + box[3] + 0.12, width, legends)
    if options.vector_map:
        add_vector_map(slide, data, view, bbox, box, mv.hideouts)
    else:
        add_map_picture(slide, data, view, bbox, box, scale=options.scale, title=title)
    write_notes(slide, data, view, title=title,
                figures=[f"{value} {label}" for value, label in pairs], marking=marking,
                url=view_url(view, options.public_url), notes=describe.clean_text(options.notes),
                changes=changes)
    return slide


def render_pptx(data: AtlasData, view: ViewState, options: ExportOptions | None = None,
                **kwargs) -> bytes:
    """The view as a one-slide presentation (see :func:`exports.snapshot.render_snapshot`);
    raises :class:`ExportError` for a bad option. Keyword arguments build the options when
    none are given."""
    if options is None:
        kwargs.setdefault("include", INCLUDE_ALL)
        options = ExportOptions(**kwargs)
    check_page_options(size=options.size, scale=options.scale, include=options.include)
    title = describe.clean_text(options.title) or describe.default_title(data, view)
    presentation = new_presentation(options.size, title, view.lang, author_of(data))
    add_map_slide(presentation, data, view, options)
    return presentation_bytes(presentation)

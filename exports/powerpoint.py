"""The map as one PowerPoint slide (python-pptx), 16:9, 4:3 or A4 like the other formats.

The title, the active filters, the key figures, the footer and the marking are editable text
boxes; the map and its legend are one PNG picture of a page laid out by
:mod:`exports.page` at the picture's exact size (no stretching). The speaker notes
repeat the title, the filters (one per line), the key figures, the data date, the sources and
the marking.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from exports import describe
from exports.formats.base import INCLUDE_ALL
from exports.formats.png_image import png_bytes
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
    text_width,
    wrap_text,
)
from geodata.i18n import t
from viewmodel.data import AtlasData
from viewmodel.mapview import map_view
from viewmodel.urlstate import ViewState

#: Slide width and height in inches for each export size: PowerPoint's own "Widescreen",
#: "Standard (4:3)" and "A4 Paper" slide sizes.
SLIDE_SIZES = {"16:9": (13.333, 7.5), "4:3": (10.0, 7.5), "a4": (10.833, 7.5)}
MARGIN = 0.5
PICTURE_DPI = 144
TITLE_ONLY_LAYOUT = 5
KPI_KEYS = ("kpi.posts", "kpi.staff", "kpi.covered", "kpi.programmes", "kpi.budget")
#: Arial on the slide (Liberation Sans, its metric twin, where Arial is missing), so the text
#: measured here with the export font fits the boxes on every machine.
FONT = "Arial"
TITLE_PT, KPI_VALUE_PT, KPI_LABEL_PT, BODY_PT, SMALL_PT, MARKING_PT = 26, 24, 13, 12, 10, 12
PPT_LINE_SPACING = 1.2
BOX_INSET = 0.03


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text_box(slide, left, top, width, height, text="", *, size=BODY_PT, bold=False,
              colour=INK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    """A word-wrapping text box (sizes in inches) holding ``text`` in one run."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(BOX_INSET))
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    if text:
        _run(paragraph, text, size=size, bold=bold, colour=colour)
    return box


def _run(paragraph, text, *, size, bold=False, colour=INK):
    run = paragraph.add_run()
    run.text = text
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)
    return run


def _notes(data: AtlasData, view: ViewState, title: str, kpis: list[str], marking: str) -> str:
    lang = view.lang
    lines = [f"{t('export.notes.title', lang)} : {title}" if lang == "fr"
             else f"{t('export.notes.title', lang)}: {title}", "",
             t("export.notes.filters", lang)]
    lines += [f"- {item}" for item in describe.filter_lines(data, view)]
    lines += ["", t("export.notes.kpis", lang), *[f"- {item}" for item in kpis], ""]
    date_text = describe.data_date_text(data, lang)
    if date_text:
        lines.append(date_text)
    lines.append(t("source", lang))
    if data.network.is_demo:
        lines.append(t("app.demo_banner", lang))
    if marking:
        lines.append(marking)
    return "\n".join(lines)


def render_pptx(data: AtlasData, view: ViewState, *, size: str = "16:9", scale: int = 1,
                title: str | None = None, include: Iterable[str] = INCLUDE_ALL,
                marking: str = "", bbox=None) -> bytes:
    """The view as a one-slide presentation of ``size`` (see
    :func:`exports.snapshot.render_snapshot`); raises :class:`ExportError` for a bad
    option."""
    include = check_page_options(size=size, scale=scale, include=include)
    slide_width, slide_height = SLIDE_SIZES[size]
    lang = view.lang
    title = describe.clean_text(title) or describe.default_title(data, view)
    marking = describe.clean_text(marking)
    mv = map_view(data, view)
    kpi_pairs = [(value, t(key, lang)) for value, key in zip(mv.kpi_texts, KPI_KEYS, strict=True)]

    presentation = Presentation()
    presentation.slide_width = Inches(slide_width)
    presentation.slide_height = Inches(slide_height)
    presentation.core_properties.title = title
    presentation.core_properties.author = "Atlas"
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY_LAYOUT])
    width = slide_width - 2 * MARGIN
    top, bottom = 0.35, slide_height - 0.25

    if marking:
        line = wrap_text(marking, width, MARKING_PT, bold=True, max_lines=1)[0]
        for y in (0.1, slide_height - 0.4):
            _text_box(slide, MARGIN, y, width, 0.3, line, size=MARKING_PT, bold=True,
                      colour=MARKING_COLOR, align=PP_ALIGN.CENTER)
        top, bottom = top + 0.2, bottom - 0.28

    title_lines = wrap_text(title, width - 0.05, TITLE_PT, bold=True, max_lines=2)
    title_height = _lines_height(len(title_lines), TITLE_PT)
    heading = slide.shapes.title
    heading.left, heading.top = Inches(MARGIN), Inches(top)
    heading.width, heading.height = Inches(width), Inches(title_height)
    frame = heading.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(BOX_INSET))
    frame.text = ""
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    _run(paragraph, " ".join(title_lines), size=TITLE_PT, bold=True)
    top += title_height + 0.05

    if "filters" in include:
        lines = wrap_text(describe.filters_text(data, view), width - 0.05, BODY_PT, max_lines=2)
        height = _lines_height(len(lines), BODY_PT)
        _text_box(slide, MARGIN, top, width, height, " ".join(lines), size=BODY_PT,
                  colour=MUTED)
        top += height + 0.1

    if "kpis" in include:
        top += _kpi_row(slide, top, width, kpi_pairs) + 0.12

    notice_text = t("app.demo_banner", lang) if data.network.is_demo else ""
    notice_width = text_width(notice_text, SMALL_PT, bold=True) + 0.3 if notice_text else 0.0
    # The footer wraps (two lines at most) rather than run under the demonstration notice.
    footer_width = width - notice_width - (0.2 if notice_text else 0.0)
    footer_lines = wrap_text(describe.footer_text(data, lang), footer_width - 0.05, SMALL_PT,
                             max_lines=2)
    footer_height = max(0.3, _lines_height(len(footer_lines), SMALL_PT))
    footer_top = bottom - footer_height
    _text_box(slide, MARGIN, footer_top, footer_width, footer_height, " ".join(footer_lines),
              size=SMALL_PT, colour=MUTED, anchor=MSO_ANCHOR.MIDDLE)
    if notice_text:
        notice = _text_box(slide, MARGIN + width - notice_width, bottom - 0.3, notice_width, 0.3,
                           notice_text, size=SMALL_PT, bold=True, colour=DEMO_INK,
                           align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        notice.fill.solid()
        notice.fill.fore_color.rgb = _rgb(DEMO_FILL)
        notice.line.color.rgb = _rgb(DEMO_EDGE)

    picture_height = footer_top - 0.12 - top
    snapshot = compose(data, view, include={"legend"} & include, bbox=bbox,
                       page_size=PageSize(width, picture_height, PICTURE_DPI), scale=scale,
                       furniture=False, title=title)
    png = png_bytes(snapshot.page, title)
    snapshot.page.fig.clear()
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(MARGIN), Inches(top),
                                       Inches(width), Inches(picture_height))
    picture.name = "Map"
    picture._element.nvPicPr.cNvPr.set("descr", f"{t('map.label', lang)} — {title}")

    slide.notes_slide.notes_text_frame.text = _notes(
        data, view, title, [f"{value} {label}" for value, label in kpi_pairs], marking)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _lines_height(count: int, size: float) -> float:
    """Height in inches of a text box holding ``count`` lines at ``size`` points."""
    return count * size * PPT_LINE_SPACING / 72 + 2 * BOX_INSET


def _kpi_row(slide, top: float, width: float, pairs: list[tuple[str, str]]) -> float:
    """The key figures in a row of text boxes, each as wide as its text; returns the height."""
    height = _lines_height(1, KPI_VALUE_PT)
    x, y = MARGIN, top
    for value, label in pairs:
        needed = (text_width(value, KPI_VALUE_PT, bold=True)
                  + text_width(f" {label}", KPI_LABEL_PT) + 2 * BOX_INSET + 0.08)
        if x > MARGIN and x + needed > MARGIN + width:
            x, y = MARGIN, y + height
        box = _text_box(slide, x, y, needed, height, anchor=MSO_ANCHOR.BOTTOM)
        paragraph = box.text_frame.paragraphs[0]
        _run(paragraph, value, size=KPI_VALUE_PT, bold=True, colour=ACCENT)
        _run(paragraph, f" {label}", size=KPI_LABEL_PT, colour=MUTED)
        x += needed + 0.4
    return y + height - top

"""Country and post briefs: one page about a country (or a post and the countries it covers),
as a PowerPoint slide or a PDF page.

The page holds the framed map (the country and its neighbours, names on), the covering post
(city, head, staff, opened, the countries it covers), the key figures, the programmes matching
the filters (largest budget first, then the latest start; as many as fit, then a "+N more"
line, never an overflow) and the programmes-per-year timeline. Every figure comes from
:mod:`viewmodel.panels` (``country_panel_data`` / ``post_panel_data``), so a brief's counts are
the panel's.

The content is laid out once (:func:`layout_brief`) as positioned paragraphs and boxes in
inches, measured with the export font; :func:`add_brief_slide` and :func:`brief_page` draw the
same layout natively in PowerPoint and with matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches

from exports import describe
from exports import page as export_page
from exports import powerpoint as ppt
from exports.formats.base import ExportOptions
from exports.formats.pdf_document import pdf_bytes
from exports.formats.png_image import png_bytes
from exports.mapdraw import ExportError, draw_map, frame_for
from exports.page import (
    ACCENT,
    INK,
    MARKING_COLOR,
    MUTED,
    RULE,
    SIZES,
    Page,
    export_settings,
    fit_text,
    text_width,
    view_url,
)
from exports.page import _footer as page_footer
from exports.scope import framing_bbox
from exports.trace import author_of
from geodata.i18n import describe as say
from geodata.i18n import format_money, format_number, t
from viewmodel.data import AtlasData
from viewmodel.mapview import map_view
from viewmodel.panels import (
    CountryPanel,
    PostPanel,
    ProgrammeRow,
    country_panel_data,
    post_panel_data,
)
from viewmodel.urlstate import ViewState

LINE = 1.22
STATUS_COLOURS = {"planned": "#9ecae1", "active": "#08519c", "completed": "#bdbdbd"}
TITLE_PT, HEAD_PT, BODY_PT, SMALL_PT, FIGURE_PT = 24.0, 12.5, 10.5, 9.0, 18.0


@dataclass(frozen=True)
class Text:
    """A paragraph placed at (x, y) inches, wrapped into ``lines`` at ``size`` points."""

    x: float
    y: float
    width: float
    lines: tuple[str, ...]
    size: float
    bold: bool = False
    colour: str = INK
    name: str = ""

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE / 72

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class Bar:
    """A filled box (the timeline's bars), inches."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    name: str = ""


@dataclass
class BriefLayout:
    """Everything a brief page draws, positioned."""

    title: str
    texts: list[Text] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    map_box: tuple[float, float, float, float] = (0, 0, 1, 1)
    bbox: tuple | None = None
    url: str = ""
    notes: list[str] = field(default_factory=list)
    #: What the tests compare with the panel: the place's name, the post's city, the count.
    place: str = ""
    city: str = ""
    programmes: int = 0
    listed: int = 0


def _paragraph(x, y, width, text, size, *, bold=False, colour=INK, name="",
               max_lines=10_000) -> Text:
    lines, fitted = fit_text(text, width - 0.1, size, bold=bold, max_lines=max_lines,
                             min_size=size)
    return Text(x, y, width - 0.1, tuple(lines), fitted, bold, colour, name)


def _years_text(row: ProgrammeRow) -> str:
    return f"{row.start.year}–{row.end.year}" if row.end.year != row.start.year else str(
        row.start.year)


def _programme_lines(row: ProgrammeRow, lang: str) -> tuple[str, str]:
    themes = ", ".join(theme.label for theme in row.themes)
    budget = (format_money(row.budget, lang) if row.budget is not None
              else t("brief.budget.none", lang))
    details = [themes, t(f"type.{row.cooperation_type}", lang), _years_text(row), budget]
    if row.partners:
        details.append(", ".join(row.partners))
    return row.title, " · ".join(part for part in details if part)


def importance(row: ProgrammeRow):
    """The order of a brief's list: largest budget first, then the latest start, then title."""
    return (-(row.budget or 0.0), -row.start.toordinal(), row.title)


def layout_brief(data: AtlasData, view: ViewState, *, size: str = "16:9", title: str = "",
                 subtitle: str = "", marking: str = "", public_url: str = "",
                 page_width: float | None = None, page_height: float | None = None,
                 ) -> BriefLayout:
    """The positioned content of the brief of ``view.post`` (if set) or ``view.country``."""
    lang = view.lang
    if view.post:
        panel: CountryPanel | PostPanel = post_panel_data(data, view, view.post)
        post = panel.post
        place = t("panel.post.title", lang).format(of_city=post.of_city)
        default_title = t("brief.title.post", lang).format(city=post.city,
                                                           of_city=post.of_city)
        iso3s = [c.place.iso3 for c in panel.countries]
    elif view.country:
        panel = country_panel_data(data, view, view.country)
        post = panel.post
        place = panel.place.name
        default_title = t("brief.title.country", lang).format(name=place)
        iso3s = [view.country]
    else:
        raise ExportError("a brief needs a country (--country ISO3) or a post (--post ID)")
    programmes = panel.programmes
    width = page_width or SIZES[size].width
    height = page_height or SIZES[size].height
    margin = 0.42
    title = describe.clean_text(title) or default_title
    layout = BriefLayout(title=title, bbox=framing_bbox(data, iso3s), place=place,
                         city=post.city if post else "", programmes=programmes.count,
                         url=view_url(view, public_url))
    add = layout.texts.append
    top, bottom = margin * 0.7, height - margin * 0.6
    inner = width - 2 * margin
    marking = describe.clean_text(marking)
    if marking:
        for y, name in ((0.08, "Marking (top)"), (height - 0.08 - BODY_PT * LINE / 72,
                                                  "Marking (bottom)")):
            add(Text(margin, y, inner, (marking,), BODY_PT, True, MARKING_COLOR, name))
        top += 0.2
        bottom -= 0.2
    lines, fitted = fit_text(title, inner - 0.1, TITLE_PT, bold=True, max_lines=2,
                             min_size=15)
    add(Text(margin, top, inner, tuple(lines), fitted, True, INK, "Title"))
    top += len(lines) * fitted * LINE / 72 + 0.03
    if subtitle := describe.clean_text(subtitle):
        add(_paragraph(margin, top, inner, subtitle, HEAD_PT, name="Subtitle", max_lines=2))
        top += layout.texts[-1].height
    add(_paragraph(margin, top, inner, describe.filters_text(data, view), SMALL_PT,
                   colour=MUTED, name="Filters"))
    top += layout.texts[-1].height + 0.15
    footer_top = bottom - SMALL_PT * LINE / 72 - 0.2

    # Left: the map, the timeline under it.  Right: figures, post, programmes.
    left_width = inner * 0.5
    right_x = margin + left_width + 0.3
    right_width = inner - left_width - 0.3
    timeline_height = 1.25 if programmes.years else 0.0
    map_height = footer_top - top - (timeline_height + 0.15 if timeline_height else 0.0)
    layout.map_box = (margin, top, left_width, map_height)
    if programmes.years:
        _timeline(layout, programmes.years, margin, top + map_height + 0.15, left_width,
                  timeline_height, lang)

    y = top
    staff = post.staff_total if post else 0
    figures = [(format_number(programmes.count, lang), t("panel.figure.programmes", lang)),
               (format_money(programmes.budget, lang), t("panel.figure.budget", lang))]
    if post:
        figures.append((format_number(staff, lang), t("panel.figure.staff", lang)))
    x = right_x
    for value, label in figures:
        text = f"{value}\u00a0{label}"
        add(Text(x, y, right_width, (text,), FIGURE_PT * 0.8, True, ACCENT, f"Figure: {label}"))
        x += text_width(text, FIGURE_PT * 0.8, True) + 0.35
        if x > right_x + right_width - 1.5:
            x, y = right_x, y + FIGURE_PT * 0.8 * LINE / 72
    y += FIGURE_PT * 0.8 * LINE / 72 + 0.12
    layout.notes += [f"{value} {label}" for value, label in figures]

    add(_paragraph(right_x, y, right_width,
                   t("brief.post", lang) if not view.post else t("panel.section.post", lang),
                   HEAD_PT, bold=True, name="Post heading"))
    y += layout.texts[-1].height + 0.02
    if post is None:
        add(_paragraph(right_x, y, right_width, t("brief.post.none", lang), BODY_PT,
                       colour=MUTED, name="Post"))
        y += layout.texts[-1].height
    else:
        colon = " : " if lang == "fr" else ": "
        rows = [f"{post.city} ({post.host.name})"]
        if post.head_title:
            rows.append(f"{t('panel.post.head', lang)}{colon}{post.head_title}")
        rows.append(f"{t('panel.post.staff', lang)}{colon}" + t("brief.staff.detail", lang).format(
            total=format_number(post.staff_total, lang),
            police=format_number(post.staff_police, lang),
            gendarmerie=format_number(post.staff_gendarmerie, lang),
            civil=format_number(post.staff_civil_security, lang)))
        if post.opened:
            rows.append(f"{t('panel.post.opened', lang)}{colon}{post.opened}")
        if isinstance(panel, PostPanel):
            covered = ", ".join(f"{c.place.name} ({format_number(c.count, lang)})"
                                for c in panel.countries)
        else:
            covered = ", ".join(p.name for p in post.countries)
        rows.append(f"{t('brief.covers', lang)}{colon}{covered}")
        for index, row in enumerate(rows):
            add(_paragraph(right_x, y, right_width, row, BODY_PT, bold=index == 0,
                           name=f"Post {index + 1}"))
            y += layout.texts[-1].height
    y += 0.15

    add(_paragraph(right_x, y, right_width, t("brief.programmes", lang), HEAD_PT, bold=True,
                   name="Programmes heading"))
    y += layout.texts[-1].height + 0.03
    rows = sorted(programmes.rows, key=importance)
    if not rows:
        add(_paragraph(right_x, y, right_width, t("brief.programmes.none", lang), BODY_PT,
                       colour=MUTED, name="Programmes"))
    more_height = SMALL_PT * LINE / 72 + 0.05
    for index, row in enumerate(rows):
        head, details = _programme_lines(row, lang)
        first = _paragraph(right_x, y, right_width, head, BODY_PT, bold=True,
                           name=f"Programme {index + 1}")
        second = _paragraph(right_x, y + first.height, right_width, details, SMALL_PT,
                            colour=MUTED, name=f"Programme {index + 1} details")
        needed = first.height + second.height + 0.06
        remaining = len(rows) - index - 1
        if y + needed + (more_height if remaining else 0) > footer_top:
            break
        layout.texts += [first, second]
        layout.listed += 1
        y += needed
    hidden = len(rows) - layout.listed
    if hidden:
        add(_paragraph(right_x, y, right_width, say("brief.more", lang, {"n": hidden}),
                       SMALL_PT, bold=True, colour=ACCENT, name="More programmes"))
    layout.notes += [f"- {row.title}" for row in rows]
    return layout


def _timeline(layout: BriefLayout, years, x, y, width, height, lang) -> None:
    """Stacked bars of the programmes running each year, by status, with the year labels."""
    layout.texts.append(Text(x, y, width, (t("brief.timeline", lang),), SMALL_PT, True, INK,
                             "Timeline heading"))
    top = y + SMALL_PT * LINE / 72 + 0.04
    label_height = SMALL_PT * LINE / 72
    chart = height - (top - y) - label_height
    peak = max((ye.planned + ye.active + ye.completed) for ye in years) or 1
    step = width / len(years)
    bar = step * 0.7
    label_every = 1 if step >= 0.42 else (2 if step >= 0.22 else 5)
    for index, ye in enumerate(years):
        base = top + chart
        left = x + index * step + (step - bar) / 2
        for status in ("completed", "active", "planned"):
            value = getattr(ye, status)
            if not value:
                continue
            h = chart * value / peak
            base -= h
            layout.bars.append(Bar(left, base, bar, h, STATUS_COLOURS[status],
                                   f"{ye.year} {t(f'status.{status}', lang)}: {value}"))
        if ye.year % label_every == 0 or len(years) <= 8:
            layout.texts.append(Text(x + index * step - 0.1, top + chart, step + 0.2,
                                     (str(ye.year),), SMALL_PT * 0.85, False, MUTED,
                                     f"Year {ye.year}"))


# --- PDF / PNG (matplotlib) ------------------------------------------------------------------


def brief_page(data: AtlasData, view: ViewState, options: ExportOptions) -> tuple[Page, str]:
    """The brief as a matplotlib page (PDF, PNG) and its title."""
    paper = SIZES[options.size]
    layout = layout_brief(data, view, size=options.size, title=options.title or "",
                          subtitle=options.subtitle, marking=options.marking,
                          public_url=options.public_url)
    with export_settings():
        page = Page(paper.width, paper.height, paper.dpi * options.scale)
        for text in layout.texts:
            centred = text.name.startswith("Marking")
            y = text.y
            for line in text.lines:
                page.text(text.x + (text.width / 2 if centred else 0), y, line, size=text.size,
                          bold=text.bold, color=text.colour, ha="center" if centred else "left")
                y += text.size * LINE / 72
        for bar in layout.bars:
            page.add(Rectangle((bar.x, bar.y), bar.width, bar.height, facecolor=bar.colour,
                               edgecolor="none"))
        x, y, w, h = layout.map_box
        frame = frame_for(layout.bbox, data)
        axes = page.axes(x, y, w, h)
        draw_map(axes, data, view, map_view(data, view).hideouts, frame,
                 *frame.fitted(w, h), fonts=export_page.EXPORT_FONTS)
        page.add(Line2D([x, x + w], [y + h + 0.07] * 2, color=RULE, linewidth=0.6))
        page_footer(page, data, view.lang, paper.height - 0.42 * 0.6
                    - (0.2 if describe.clean_text(options.marking) else 0), layout.url)
    return page, layout.title


# --- PowerPoint --------------------------------------------------------------------------------


def add_brief_slide(presentation, data: AtlasData, view: ViewState, options: ExportOptions):
    """The brief as one slide of ``presentation`` (native texts and bars, the map a picture
    or native shapes)."""
    slide_width, slide_height = ppt.SLIDE_SIZES[options.size]
    layout = layout_brief(data, view, size=options.size, title=options.title or "",
                          subtitle=options.subtitle, marking=options.marking,
                          public_url=options.public_url, page_width=slide_width,
                          page_height=slide_height)
    slide = presentation.slides.add_slide(presentation.slide_layouts[ppt.BLANK_LAYOUT])
    for text in layout.texts:
        height = ppt.lines_height(len(text.lines), text.size)
        centred = text.name.startswith("Marking") or text.name.startswith("Year")
        if text.name == "Title":
            ppt.title_box(slide, text.x - ppt.BOX_INSET, text.y - ppt.BOX_INSET,
                          text.width + 2 * ppt.BOX_INSET, height, text.text, size=text.size)
            continue
        ppt.text_box(slide, text.x - ppt.BOX_INSET, text.y - ppt.BOX_INSET,
                     text.width + 2 * ppt.BOX_INSET, height, text.text, size=text.size,
                     bold=text.bold, colour=text.colour, name=text.name,
                     align=PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT)
    for bar in layout.bars:
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(bar.x), Inches(bar.y),
                                       Inches(bar.width), Inches(max(bar.height, 0.01)))
        shape.fill.solid()
        shape.fill.fore_color.rgb = ppt._rgb(bar.colour)
        shape.line.fill.background()
        shape.shadow.inherit = False
        shape.name = f"Timeline: {bar.name}"
    footer_y = slide_height - 0.42 * 0.6 - 0.3 - (0.2 if options.marking else 0)
    notice_text = t("app.demo_banner", view.lang) if data.network.is_demo else ""
    notice_width = ppt.text_width(notice_text, ppt.SMALL_PT, bold=True) + 0.3 if notice_text else 0
    footer_width = slide_width - 2 * 0.42 - notice_width - (0.2 if notice_text else 0)
    footer = describe.footer_text(data, view.lang)
    lines = fit_text(footer, footer_width - 2 * ppt.BOX_INSET - 0.02, ppt.SMALL_PT,
                     max_lines=1, min_size=ppt.SMALL_PT - 2)
    footer_height = max(0.3, ppt.lines_height(len(lines[0]), lines[1]))
    ppt.text_box(slide, 0.42, footer_y + 0.3 - footer_height, footer_width, footer_height,
                 footer, size=lines[1], colour=MUTED, name="Footer")
    if notice_text:
        notice = ppt.text_box(slide, slide_width - 0.42 - notice_width, footer_y, notice_width,
                              0.3, notice_text, size=ppt.SMALL_PT, bold=True,
                              colour=ppt.DEMO_INK, align=PP_ALIGN.CENTER, wrap=False,
                              name="Demonstration notice")
        notice.fill.solid()
        notice.fill.fore_color.rgb = ppt._rgb(ppt.DEMO_FILL)
        notice.line.color.rgb = ppt._rgb(ppt.DEMO_EDGE)
    if options.vector_map:
        ppt.add_vector_map(slide, data, view, layout.bbox, layout.map_box,
                           map_view(data, view).hideouts)
    else:
        ppt.add_map_picture(slide, data, view, layout.bbox, layout.map_box,
                            scale=options.scale, title=layout.title)
    ppt.write_notes(slide, data, view, title=layout.title, figures=layout.notes,
                    marking=describe.clean_text(options.marking), url=layout.url,
                    notes=describe.clean_text(options.notes))
    return slide


BRIEF_FORMATS = ("pptx", "pdf", "png")


def render_brief(data: AtlasData, view: ViewState, options: ExportOptions, fmt: str) -> bytes:
    """The brief of ``view``'s country or post as a file of ``fmt`` (pptx, pdf or png)."""
    if fmt not in BRIEF_FORMATS:
        raise ExportError(f"a brief is {', '.join(BRIEF_FORMATS)}, not {fmt!r}")
    if fmt == "pptx":
        presentation = ppt.new_presentation(options.size, lang=view.lang,
                                            author=author_of(data))
        add_brief_slide(presentation, data, view, options)
        presentation.core_properties.title = layout_brief(
            data, view, size=options.size, title=options.title or "").title
        return ppt.presentation_bytes(presentation)
    page, title = brief_page(data, view, options)
    try:
        if fmt == "pdf":
            return pdf_bytes(page, title, view.lang, author_of(data))
        return png_bytes(page, title, author_of(data))
    finally:
        page.fig.clear()


def brief_title(data: AtlasData, view: ViewState, title: str | None = None) -> str:
    """The title a brief of ``view`` carries (``title`` when given)."""
    return describe.clean_text(title) or layout_brief(data, view).title
